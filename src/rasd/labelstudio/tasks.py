"""Documents -> Label Studio tasks: the text, its gold spans as one annotation, optional pre-annotations.

A region's id is its span id, so a region that came from a gold span comes
back with the same id on pull.  The normalised value and the note travel as
per-region text areas sharing that id.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from json.encoder import encode_basestring

from rasd.core.model import Document, Source, Span
from rasd.formats.labelstudio import (
    DATA_ID,
    DATA_ORIGIN,
    DATA_TEXT,
    DATA_TITLE,
    LABELS_NAME,
    NOTE_NAME,
    TEXT_NAME,
    VALUE_NAME,
    Export,
    PredictionJSON,
    Result,
    TaskData,
    TaskJSON,
)


def origin_line(source: Source) -> str:
    """What the annotator sees under the title: outlet, author, date, URL and the raw file."""
    parts = [source.outlet, source.author, source.published, source.url, source.raw_file]
    return " · ".join(part for part in parts if part)


def text_area_result(span: Span, name: str, text: str) -> Result:
    return {
        "id": span.id,
        "from_name": name,
        "to_name": TEXT_NAME,
        "type": "textarea",
        "value": {"start": span.start, "end": span.end, "text": [text]},
    }


def span_to_results(span: Span) -> list[Result]:
    """One region: the labelled span, then its value and note text areas (same id)."""
    labelled: Result = {
        "id": span.id,
        "from_name": LABELS_NAME,
        "to_name": TEXT_NAME,
        "type": "labels",
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
    }
    if span.score is not None:
        labelled["score"] = span.score
    results = [labelled]
    if span.value is not None:
        results.append(text_area_result(span, VALUE_NAME, span.value))
    if span.note is not None:
        results.append(text_area_result(span, NOTE_NAME, span.note))
    return results


def _position(span: Span) -> tuple[int, int, str, str]:
    """The order of ``Span.__lt__`` as a key: one tuple a span, compared in C, not two a comparison."""
    return (span.start, span.end, span.label, span.id)


def spans_to_results(spans: Iterable[Span]) -> list[Result]:
    return [result for span in sorted(spans, key=_position) for result in span_to_results(span)]


def task_data(document: Document) -> TaskData:
    return {
        DATA_ID: document.id,
        DATA_TEXT: document.text,
        DATA_TITLE: document.title or "",
        DATA_ORIGIN: origin_line(document.source),
    }


def prediction_json(spans: Sequence[Span], model_version: str) -> PredictionJSON:
    """Pre-annotations: the task-level score is the lowest span score (the weakest suggestion)."""
    prediction: PredictionJSON = {"model_version": model_version, "result": spans_to_results(spans)}
    scores = [s.score for s in spans if s.score is not None]
    if scores:
        prediction["score"] = min(scores)
    return prediction


def document_to_task(
    document: Document, *, predictions: Sequence[Span] | None = None, model_version: str | None = None
) -> TaskJSON:
    """The task for a document: its gold spans as one annotation, and optional pre-annotations.

    The annotation is imported with ``ground_truth`` false (Label Studio's import
    would otherwise star it), so an annotator's own ground truth wins on pull.  A
    document without gold spans gets no annotation, so it stays in the labeling queue.
    """
    task: TaskJSON = {"data": task_data(document)}
    if document.spans:
        task["annotations"] = [{"result": spans_to_results(document.spans), "ground_truth": False}]
    if model_version is not None:
        task["predictions"] = [prediction_json(predictions or (), model_version)]
    return task


def export_file_tasks(
    documents: Iterable[Document],
    *,
    model_version: str | None = None,
    predictions: Mapping[str, Sequence[Span]] | None = None,
) -> Export:
    """Tasks for every document, ready for the Label Studio UI's JSON import."""
    return [
        document_to_task(d, predictions=(predictions or {}).get(d.id, ()), model_version=model_version)
        for d in documents
    ]


Suggestions = Callable[[Document], Sequence[Span]]
"""A document's pre-annotations, given the document (so that nothing has to find it again by id)."""


def iter_file_tasks(
    documents: Iterable[Document], *, model_version: str | None = None, suggestions: Suggestions | None = None
) -> Iterator[TaskJSON]:
    """``export_file_tasks`` one document at a time: with ``suggestions`` called once per document.

    Streamed: at most one document and its task are held, whatever the corpus size.
    """
    for document in documents:
        predictions = suggestions(document) if suggestions is not None else ()
        yield document_to_task(document, predictions=predictions, model_version=model_version)


# --- a task's line, written out directly ---------------------------------------------------------

_JSON: Callable[[object], str] = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""Any value as ``task_line`` encodes it inside a task (the same encoder settings)."""


def _string(value: object) -> str:
    """A string as the task encoder writes it (``encode_basestring`` is the one it calls)."""
    return encode_basestring(value) if isinstance(value, str) else _JSON(value)


def _number(value: object) -> str:
    """An offset or a score as the task encoder writes it (``int``/``float`` repr; anything else: it)."""
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)
    return _JSON(value)


_LABELLED = f'"from_name":{_string(LABELS_NAME)},"to_name":{_string(TEXT_NAME)},"type":"labels","value":'
_VALUE = f'"from_name":{_string(VALUE_NAME)},"to_name":{_string(TEXT_NAME)},"type":"textarea","value":'
_NOTE = f'"from_name":{_string(NOTE_NAME)},"to_name":{_string(TEXT_NAME)},"type":"textarea","value":'


def span_results_json(span: Span) -> str:
    """``span_to_results(span)`` as the task encoder writes the list's items (comma-separated)."""
    ident = '{"id":' + _string(span.id) + ","
    where = '{"start":' + _number(span.start) + ',"end":' + _number(span.end) + ',"text":'
    score = "" if span.score is None else ',"score":' + _number(span.score)
    parts = [f'{ident}{_LABELLED}{where}{_string(span.text)},"labels":[{_string(span.label)}]}}{score}}}']
    if span.value is not None:
        parts.append(f"{ident}{_VALUE}{where}[{_string(span.value)}]}}}}")
    if span.note is not None:
        parts.append(f"{ident}{_NOTE}{where}[{_string(span.note)}]}}}}")
    return ",".join(parts)


def results_json(spans: Iterable[Span]) -> str:
    """``spans_to_results(spans)`` as the task encoder writes it."""
    return "[" + ",".join(span_results_json(span) for span in sorted(spans, key=_position)) + "]"


def task_json(
    document: Document, *, predictions: Sequence[Span] | None = None, model_version: str | None = None
) -> str:
    """``task_line(document_to_task(...))`` written out directly, without the dicts: the same text.

    The task's keys in ``document_to_task``'s order; every string through the
    encoder's own ``encode_basestring``, every number as its ``repr`` (the encoder's
    own for ``int``/finite ``float``), anything else through the encoder itself.
    """
    data = (
        f'{{"data":{{{_string(DATA_ID)}:{_string(document.id)},{_string(DATA_TEXT)}:{_string(document.text)},'
        f"{_string(DATA_TITLE)}:{_string(document.title or '')},"
        f"{_string(DATA_ORIGIN)}:{_string(origin_line(document.source))}}}"
    )
    parts = [data]
    if document.spans:
        parts.append(f',"annotations":[{{"result":{results_json(document.spans)},"ground_truth":false}}]')
    if model_version is not None:
        spans = predictions or ()
        scores = [s.score for s in spans if s.score is not None]
        score = f',"score":{_number(min(scores))}' if scores else ""
        parts.append(
            f',"predictions":[{{"model_version":{_string(model_version)},"result":{results_json(spans)}{score}}}]'
        )
    parts.append("}")
    return "".join(parts)
