"""Operations on sets of spans: ids, nesting, crossing, the outermost layer.

Spans may nest (``جامعة بغداد`` ORG holds ``بغداد`` LOC) but never cross.  The
``tokens`` config can only carry one layer, the outermost spans; the inner ones
stay in the ``spans`` config.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar


class SpanLike(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound="SpanLike")


def new_span_id(document_id: str, start: int, end: int, label: str, salt: str = "") -> str:
    """A fresh span id, derived from where the span was first made.

    The id is computed once, when a span is created, and stored; it is never
    recomputed from later offsets, so relabelling or moving a span keeps its id.
    The document id in the hash makes ids unique across the corpus; ``salt``
    separates spans created from the same place (for example a Label Studio
    region id).
    """
    digest = hashlib.sha256(f"{document_id}\x1f{start}\x1f{end}\x1f{label}\x1f{salt}".encode()).hexdigest()
    return f"s{digest[:12]}"


def nesting_order(spans: Iterable[S]) -> list[S]:
    """Spans sorted so that a span comes before every span nested inside it."""
    return sorted(spans, key=lambda s: (s.start, -s.end))


def find_crossing(spans: Iterable[S]) -> list[tuple[S, S]]:
    """Pairs of spans that partially overlap (neither contains the other)."""
    crossing: list[tuple[S, S]] = []
    open_spans: list[S] = []
    for span in nesting_order(spans):
        open_spans = [s for s in open_spans if s.end > span.start]
        crossing += [(outer, span) for outer in open_spans if span.end > outer.end]
        open_spans.append(span)
    return crossing


def outermost(spans: Sequence[S]) -> list[S]:
    """The spans not contained in another span (of any label), in text order.

    Two spans with identical offsets both count as outermost: the caller decides
    (the tokens config reports them, since BIO can hold only one).
    """
    return outermost_in_order(nesting_order(spans))


def outermost_in_order(ordered: Sequence[S]) -> list[S]:
    """``outermost`` of spans already in ``nesting_order`` (a caller that sorted them once)."""
    result: list[S] = []
    for span in ordered:
        if (
            result
            and span.start < result[-1].end
            and (span.start, span.end) != (result[-1].start, result[-1].end)
        ):
            continue  # nested in the previous outermost span, or crossing it (validation reports that)
        result.append(span)
    return result
