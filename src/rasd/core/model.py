"""The data model: a ``Document`` (frozen text plus metadata) and its ``Span``s.

Spans are half-open ``[start, end)`` offsets in code points of ``Document.text``
(Python ``str`` indexing).  Both classes are frozen: text is never edited once
ingested, and a changed span is a new ``Span`` (``dataclasses.replace``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rasd.core.offsets import OffsetMap


@dataclass(frozen=True)
class Span:
    """One annotated mention.

    ``id`` is stable across versions (it is never recomputed from the offsets once
    assigned), ``value`` is the normalised value of the annotation spec (a string:
    ISO date, decimal number, canonical id or name), ``note`` is an annotator's
    reason for keeping a span that a consistency check warns about, and ``score``
    is set only on machine suggestions.

    Equality is full: two spans are equal when every field is.  Whether two spans
    mark the same extent with the same label, whatever their ids and values, is
    ``same_extent`` (or compare ``key``).  Spans sort by position: ``start``,
    ``end``, ``label``, then ``id``.
    """

    start: int
    end: int
    label: str
    id: str
    text: str
    value: str | None = None
    note: str | None = None
    score: float | None = None

    @property
    def key(self) -> tuple[int, int, str]:
        """What makes two spans the same annotation, regardless of id and value."""
        return (self.start, self.end, self.label)

    def same_extent(self, other: Span) -> bool:
        """Same start, end and label; ids, surface, values, notes and scores aside."""
        return self.key == other.key

    def __lt__(self, other: Span) -> bool:
        return (self.start, self.end, self.label, self.id) < (other.start, other.end, other.label, other.id)

    def replace(self, **changes: object) -> Span:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]  # mypy cannot type **changes


@dataclass(frozen=True)
class Source:
    """Where an article comes from, as far as the raw file and its metadata say."""

    raw_file: str
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None
    language: str = "ar"
    license: str | None = None
    retrieved: str | None = None  # the provenance `rasd add` records (formats.metadata)
    extractor: str | None = None
    original_sha256: str | None = None


@dataclass(frozen=True)
class Document:
    """A cleaned article: its frozen ``text``, a map back to the raw file, and spans."""

    id: str
    text: str
    title: str | None
    source: Source
    offset_map: OffsetMap
    spans: tuple[Span, ...] = ()

    def with_spans(self, spans: tuple[Span, ...] | list[Span]) -> Document:
        return dataclasses.replace(self, spans=tuple(sorted(spans)))
