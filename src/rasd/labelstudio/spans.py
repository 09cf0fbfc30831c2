"""An annotation -> gold spans of its document, checked as the build would check them.

A region that came from a gold span keeps its id; a new region gets a new
stable id derived from its document, place, label and region id.  Problems
name the Label Studio region id, which is what an annotator can find in the UI.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from rasd.core.errors import RasdError
from rasd.core.labels import Label
from rasd.core.model import Document, Span
from rasd.core.problems.preannotate import SPAN_OFF_TOKEN_BOUNDARIES, TWO_OUTERMOST_SPANS
from rasd.core.spans import new_span_id, outermost_in_order
from rasd.formats.gold import made_span, render_in_order
from rasd.formats.labelstudio import AnnotationJSON
from rasd.labelstudio.regions import Region, read_regions
from rasd.validation.validate import semantic_errors

SpanKey = tuple[int, int, str, str, str, str | None, str | None]


def span_keys(spans: Iterable[Span]) -> list[SpanKey]:
    """Everything a gold file records about spans, for comparing two versions."""
    return sorted((s.start, s.end, s.label, s.id, s.text, s.value, s.note) for s in spans)


def relocated(error: RasdError, *, problem: str | None = None, **place: str | None) -> RasdError:
    """The same error (class, code, fix) at another place, or with its ids renamed in ``problem``."""
    moved = copy.copy(error)
    for key, value in place.items():
        setattr(moved, key, value)
    if problem is not None:
        moved.problem = problem
    moved.args = (moved.render(),)
    return moved


def span_errors(document: Document, spans: Sequence[Span], *, where: str) -> list[RasdError]:
    """Everything the build would reject, checked before anything is written."""
    return checked_file(document, spans, where=where)[0]


def checked_file(
    document: Document, spans: Sequence[Span], *, where: str
) -> tuple[list[RasdError], str | None]:
    """``span_errors``, and the gold file of these spans (status complete) when there is none.

    The file is rendered from the spans in sorted order, as the merge writes them, so the
    text checked here is the text written.  It is not run through the file's JSON Schema
    again: rendered from typed spans that passed the semantic checks, every field is
    valid by construction (the id is a gold id, read through the schema, or a new
    ``s`` + hex id; labels are ``Label``s; values and notes non-blank strings;
    tests/test_labelstudio_import_verdicts.py checks every such rendering against the schema).
    """
    errors = semantic_errors(document.id, document.text, spans, file=where)
    if errors:
        return errors, None
    ordered = sorted(spans, key=_text_order)  # the token check's order, and the file's: sorted once for both
    errors += _token_problems_in_order(document, ordered, where=where)
    return errors, None if errors else render_in_order(document, ordered)


def iter_token_problems(document: Document, spans: Sequence[Span], *, where: str) -> Iterator[RasdError]:
    """What the build's tokens config (``rasd.text.tokens.document_tokens``) refuses of these spans,
    without tokenizing the text.

    ``tokenize`` splits the text at every span boundary and every character but
    white space is in a token, so a span falls on token boundaries exactly when
    it is not empty, lies in the text and neither its first nor its last
    character is white space; and two outermost spans share their first token
    exactly when they start at the same place.  (tests/test_labelstudio_import_tokens.py
    holds this against ``document_tokens`` itself.)
    """
    yield from _token_problems_in_order(document, sorted(spans, key=_text_order), where=where)


def _token_problems_in_order(document: Document, ordered: list[Span], *, where: str) -> Iterator[RasdError]:
    """``iter_token_problems`` of spans sorted by ``_text_order`` (which is in ``nesting_order``)."""
    text = document.text
    taken: set[int] = set()
    for span in outermost_in_order(ordered):
        start, end = span.start, span.end
        aligned = 0 <= start < end <= len(text) and not text[start].isspace() and not text[end - 1].isspace()
        entry = SPAN_OFF_TOKEN_BOUNDARIES if not aligned else TWO_OUTERMOST_SPANS if start in taken else None
        if entry is not None:
            yield entry(file=where, document=document.id, span=span.id, start=start, end=end)
        else:
            taken.add(start)


def _position(span: Span) -> tuple[int, int, str, str]:
    return (span.start, span.end, span.label, span.id)


def in_order(spans: Iterable[Span]) -> list[Span]:
    """``sorted(spans)``, the tuples ``Span.__lt__`` compares made once a span, not once a comparison."""
    return sorted(spans, key=_position)


def _text_order(span: Span) -> tuple[int, int, str, str]:
    """``nesting_order`` of spans sorted as a ``Document`` holds them (``Document.with_spans``)."""
    return (span.start, -span.end, span.label, span.id)


def regions_to_spans(document: Document, regions: Sequence[Region], gold_ids: set[str]) -> list[Span]:
    """Spans of ``regions``: a region from a gold span keeps its id, a new one gets a stable new id.

    (The id is made of the label's value, the text ``new_span_id`` formats a ``Label`` as, without
    the enum's formatting on the way; each region is unpacked once, a ``Region`` being a tuple.)
    """
    doc_id, text = document.id, document.text
    return [
        made_span(
            start,
            end,
            label,
            region_id
            if region_id in gold_ids
            else new_span_id(doc_id, start, end, _VALUE[label], salt=region_id),
            text[start:end],
            value,
            note,
        )
        for region_id, start, end, label, value, note, _units in regions
    ]


_VALUE: Final = {
    label: label.value for label in Label
}  # ``Label.value``, looked up without the enum's property


def by_region(error: RasdError, region_of: Mapping[str, str]) -> RasdError:
    """The same error, naming regions by their Label Studio id instead of their new span id."""
    if not region_of:
        return error
    problem = error.problem
    for span_id, region_id in region_of.items():
        problem = problem.replace(span_id, region_id)
    return relocated(error, problem=problem, span=region_of.get(error.span or "", error.span))


@dataclass(frozen=True)
class Converted:
    """One annotation read once: its readable regions, the gold spans they give, and every problem.

    ``spans`` is empty when a region cannot be read; with span-level problems
    (what the build would reject) the spans are kept next to them.
    """

    regions: tuple[Region, ...]
    spans: tuple[Span, ...]
    errors: tuple[RasdError, ...]
    rendered: str | None = None  # the gold file of ``spans`` (status complete), once they passed


def convert(annotation: AnnotationJSON, document: Document, *, where: str) -> Converted:
    """Read an annotation's regions, turn them into gold spans of ``document`` and check those."""
    regions, errors = read_regions(
        annotation.get("result", []), document.text, where=where, document=document.id
    )
    if errors:
        return Converted(tuple(regions), (), tuple(errors))
    spans = regions_to_spans(document, regions, {s.id for s in document.spans})
    found, rendered = checked_file(document, spans, where=where)
    if not found:  # the common case: no problem to name regions in
        return Converted(tuple(regions), tuple(spans), (), rendered)
    region_of = {s.id: r.id for s, r in zip(spans, regions, strict=True) if s.id != r.id}
    problems = [by_region(e, region_of) for e in found]
    return Converted(tuple(regions), tuple(spans), tuple(problems), rendered)


def task_to_spans(
    annotation: AnnotationJSON, document: Document, *, where: str
) -> tuple[list[Span], list[RasdError]]:
    """The gold spans an annotation gives ``document`` (whose current gold is ``document.spans``)."""
    converted = convert(annotation, document, where=where)
    return list(converted.spans), list(converted.errors)
