"""Semantic validation: the rules about spans that a JSON Schema cannot express.

Structure is checked first (``rasd.schema.structural_errors``); these small named
checks then look at meaning.  Each yields errors rather than raising, so a run
reports every problem at once, and each message names the document and span and
says what to do.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence

from rasd.core.errors import RasdError, SpanError
from rasd.core.labels import LABELS
from rasd.core.model import Document, Span
from rasd.core.spans import find_crossing
from rasd.core.values import is_number

Check = Callable[[str, str, Sequence[Span], "str | None"], Iterator[RasdError]]


def _is_edge_junk(char: str) -> bool:
    """White space or punctuation, which the spec keeps outside every span."""
    return char.isspace() or unicodedata.category(char).startswith("P")


def check_start_before_end(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if s.start >= s.end:
            yield SpanError(
                f"empty or reversed offsets [{s.start}, {s.end})",
                file=file,
                document=doc_id,
                span=s.id,
                hint="end must be greater than start; delete the span if it marks nothing",
                start=s.start,
                end=s.end,
            )


def check_offsets_within_text(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if s.start < 0 or s.end > len(text):
            yield SpanError(
                f"offsets [{s.start}, {s.end}) are outside the text (length {len(text)})",
                file=file,
                document=doc_id,
                span=s.id,
                hint="the span was made on another text: run `rasd migrate`, or fix the offsets",
                start=s.start,
                end=s.end,
                text_length=len(text),
            )


def check_surface_matches_text(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if 0 <= s.start < s.end <= len(text) and text[s.start : s.end] != s.text:
            yield SpanError(
                f"text[{s.start}:{s.end}] is {text[s.start : s.end]!r} but the span says {s.text!r}",
                file=file,
                document=doc_id,
                span=s.id,
                hint="correct the offsets (locate the string programmatically) or the span text",
                expected=s.text,
                found=text[s.start : s.end],
            )


def check_no_edge_whitespace(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if s.text and (_is_edge_junk(s.text[0]) or _is_edge_junk(s.text[-1])):
            yield SpanError(
                f"span {s.text!r} starts or ends with white space or punctuation",
                file=file,
                document=doc_id,
                span=s.id,
                hint="move the boundary inward: spaces, quotes and brackets stay outside spans",
                surface=s.text,
            )


def check_labels_in_set(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if s.label not in LABELS:
            yield SpanError(
                f"label {s.label!r} is not in the label set",
                file=file,
                document=doc_id,
                span=s.id,
                hint=f"use one of {', '.join(LABELS)}",
                label=s.label,
            )


def check_no_crossing(doc_id: str, text: str, spans: Sequence[Span], file: str | None) -> Iterator[RasdError]:
    for outer, inner in find_crossing(spans):
        yield SpanError(
            f"crosses span {outer.id} [{outer.start}, {outer.end}) {outer.text!r}: "
            f"[{inner.start}, {inner.end}) {inner.text!r} overlaps it partially",
            file=file,
            document=doc_id,
            span=inner.id,
            hint="spans may nest but never cross: shrink or extend one of them",
            other=outer.id,
        )


def check_unique_ids(doc_id: str, text: str, spans: Sequence[Span], file: str | None) -> Iterator[RasdError]:
    seen: set[str] = set()
    for s in spans:
        if s.id in seen:
            yield SpanError(
                "span id used twice in this document",
                file=file,
                document=doc_id,
                span=s.id,
                hint="give one of them a new id (rasd.spans.new_span_id)",
            )
        seen.add(s.id)


def check_no_duplicate_spans(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    seen: dict[tuple[int, int, str], str] = {}
    for s in spans:
        if s.key in seen:
            yield SpanError(
                f"same offsets and label as span {seen[s.key]}",
                file=file,
                document=doc_id,
                span=s.id,
                hint="delete the duplicate",
                other=seen[s.key],
            )
        seen.setdefault(s.key, s.id)


def check_quantity_values_are_numbers(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if s.label == "QUANTITY" and s.value is not None and not is_number(s.value):
            yield SpanError(
                f"QUANTITY value {s.value!r} is not a number",
                file=file,
                document=doc_id,
                span=s.id,
                hint="write the value as a decimal number (e.g. 60 or 1.5), or leave it empty",
                value=s.value,
            )


SEMANTIC_CHECKS: tuple[Check, ...] = (
    check_start_before_end,
    check_offsets_within_text,
    check_surface_matches_text,
    check_no_edge_whitespace,
    check_labels_in_set,
    check_no_crossing,
    check_unique_ids,
    check_no_duplicate_spans,
    check_quantity_values_are_numbers,
)


def semantic_errors(
    doc_id: str, text: str, spans: Sequence[Span], *, file: str | None = None
) -> list[RasdError]:
    """Every semantic problem of ``spans`` over ``text``."""
    return [error for check in SEMANTIC_CHECKS for error in check(doc_id, text, spans, file)]


def validate_document(document: Document, *, file: str | None = None) -> list[RasdError]:
    return semantic_errors(document.id, document.text, document.spans, file=file)


class CorpusIds:
    """Span ids must be unique across the whole corpus, not only per document."""

    def __init__(self) -> None:
        self._owner: dict[str, str] = {}

    def check(self, doc_id: str, spans: Iterable[Span], *, file: str | None) -> list[RasdError]:
        errors: list[RasdError] = []
        for s in spans:
            owner = self._owner.setdefault(s.id, doc_id)
            if owner != doc_id:
                errors.append(
                    SpanError(
                        f"span id is also used in document {owner}",
                        file=file,
                        document=doc_id,
                        span=s.id,
                        hint="span ids are corpus-wide: give this span a new id",
                        other_document=owner,
                    )
                )
        return errors
