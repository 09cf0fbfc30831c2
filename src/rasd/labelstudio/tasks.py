"""Documents -> Label Studio tasks: the text, its gold spans as one annotation, optional pre-annotations.

A region's id is its span id, so a region that came from a gold span comes
back with the same id on pull.  The normalised value and the note travel as
per-region text areas sharing that id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

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
