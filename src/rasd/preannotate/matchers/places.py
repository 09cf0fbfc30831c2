"""Named places built on a place type word: ``جسر لندن`` (the place inside is found too)."""

from __future__ import annotations

from collections.abc import Iterator

from rasd.core.labels import Label
from rasd.preannotate.candidates import Candidate, Context, known_place, next_word, stem_in
from rasd.preannotate.cues import PERSON_TITLES, PLACE_HEADS, PLACE_TYPES, STOPWORDS
from rasd.text.arabic import Word

_ENDS = '.:؛;!?()"«»،,'
_END_MARKS = frozenset(_ENDS)  # one set test for a gap (``isdisjoint``), not one ``in`` per mark


def place_heads(ctx: Context) -> Iterator[Candidate]:
    """A place type word fused to a known place."""
    for i in ctx.cued(PLACE_HEADS):  # the words with a reading in PLACE_HEADS, in order
        word = ctx.words[i]
        offset = stem_in(word, PLACE_HEADS)
        if offset is not None and (nxt := next_word(ctx, i)) is not None and known_place(ctx, nxt):
            yield Candidate(word.start + offset, nxt.end, Label.LOC, 0.6, None, "cue:place-head")


def _name_word(word: Word) -> bool:
    return (
        word.key not in STOPWORDS
        and word.key not in PERSON_TITLES
        and not word.text[0].isdigit()
        and not word.key.startswith(("بال", "لل"))
    )


def _closed(ctx: Context, k: int) -> bool:
    """Punctuation, the end, a particle or a word on ب/ل after word ``k``."""
    ws = ctx.words
    if k + 1 >= len(ws):
        return True
    gap = ctx.text[ws[k].end : ws[k + 1].start]
    after = ws[k + 1]
    return not _END_MARKS.isdisjoint(gap) or after.key in STOPWORDS or after.key[:1] in "بل"


def places_after_types(ctx: Context) -> Iterator[Candidate]:
    """The name after a place type word, the type word outside: مخيم الهول، حي بيثنال غرين."""
    ws = ctx.words
    for i in ctx.cued(PLACE_TYPES):
        first = next_word(ctx, i)
        if first is None or not _name_word(first):
            continue
        last = i + 1
        second = next_word(ctx, last)
        if (
            second is not None
            and _name_word(second)
            and not second.key.startswith("ال")
            and _closed(ctx, last + 1)
        ):
            last += 1
        if _closed(ctx, last) or ws[last + 1].key.startswith("ال"):
            yield Candidate(first.start, ws[last].end, Label.LOC, 0.55, None, "cue:place-type")
