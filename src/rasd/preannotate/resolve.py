"""Resolution: a consistent set of candidates, most confident first, no crossing, nesting only inside names.

Spec rule 7: another entity may stand inside a name (بغداد in جامعة بغداد), but
never the name's own head or a second reading of the same entity.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from rasd.core.labels import Label
from rasd.preannotate.candidates import Candidate

HEAD_RULES = frozenset({"cue:place-head", "cue:org-head"})
NESTING_OUTER = frozenset({Label.ORG, Label.LOC, Label.PLATFORM})  # غوغل درايف holds غوغل
NESTING_INNER = frozenset({Label.ORG, Label.LOC, Label.PERSON})


def may_nest(outer: Candidate, inner: Candidate) -> bool:
    """Whether ``inner`` may stand inside ``outer``: another entity inside a name."""
    if outer.label not in NESTING_OUTER or inner.label not in NESTING_INNER:
        return False
    if outer.label == Label.PLATFORM:  # only a company the lexicon knows: غوغل in غوغل درايف
        return inner.label == Label.ORG and inner.rule.startswith("lexicon")
    if outer.label == inner.label:  # a different entity: جسر لندن holds لندن, not وكالة أعماق أعماق
        if (outer.value, inner.value) == (None, None):  # unknown ids: a head rule built the outer name
            return outer.rule in HEAD_RULES and inner.rule.startswith("lexicon")
        return outer.value != inner.value
    return True


def compatible(c: Candidate, kept: Candidate) -> bool:
    """Whether ``c`` may be kept beside ``kept``: apart, or nested as ``may_nest`` allows."""
    if c.end <= kept.start or kept.end <= c.start:
        return True
    if (c.start, c.end) == (kept.start, kept.end):
        return False
    if kept.start <= c.start and c.end <= kept.end:
        return may_nest(kept, c)
    if c.start <= kept.start and kept.end <= c.end:
        return may_nest(c, kept)
    return False  # crossing


def resolve(candidates: Iterable[Candidate]) -> list[Candidate]:
    """A consistent set: most confident (then longest) first; no crossing; nesting only inside names.

    Only the kept candidates that overlap ``c`` can refuse it (``compatible`` keeps what is apart),
    so they are looked up by start: those starting in ``(c.start - longest, c.end)``.  A candidate
    with the extent of a kept one is refused at once (``compatible`` refuses the same extent): about
    half of a text's candidates repeat another's offsets.
    """
    ordered = sorted(candidates, key=lambda c: (-c.score, -(c.end - c.start), c.start, c.label))
    kept: list[Candidate] = []  # by start
    starts: list[int] = []  # the starts of ``kept``, for bisection without a key function
    extents: set[tuple[int, int]] = set()  # the ``(start, end)`` of every kept candidate
    longest = 0
    for c in ordered:
        start, end = c.start, c.end
        if start >= end or (start, end) in extents:
            continue
        first = bisect_right(starts, start - longest)
        last = bisect_left(starts, end)
        if first == last or all(compatible(c, kept[k]) for k in range(first, last)):  # most overlap none
            at = bisect_right(starts, start)  # where ``insort(kept, c, key=_start)`` puts it
            starts.insert(at, start)
            kept.insert(at, c)
            extents.add((start, end))
            longest = max(longest, end - start)
    return sorted(kept, key=lambda c: (c.start, -c.end))
