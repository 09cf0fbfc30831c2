"""Pre-annotations for Label Studio from a ``--predictions-file`` (JSON Lines), checked against the corpus.

Each line is ``{"document": ID, "spans": [...]}``; each span is ``{"start",
"end", "label"}`` in code points with an optional ``score`` (0 to 1), ``value``
and ``id``; the surface text is taken from the document.  Every problem is
raised at once, naming the line and document.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rasd.core.errors import RasdError, raise_all
from rasd.core.labels import NUMERIC_LABELS
from rasd.core.model import Document, Span
from rasd.core.problems.labelstudio import PREDICTION_LINE_SHAPE
from rasd.core.spans import new_span_id
from rasd.core.values import format_number
from rasd.formats.labelstudio import PredictionLine, PredictionSpanJSON, iter_prediction_lines
from rasd.validation.validate import semantic_errors


def prediction_value(item: PredictionSpanJSON) -> str | None:
    """The normalised value as gold stores it: numbers of numeric labels in canonical form."""
    value = item.get("value")
    if value is None:
        return None
    return format_number(value) if item["label"] in NUMERIC_LABELS else str(value)


def prediction_span(document: Document, item: PredictionSpanJSON, model_version: str) -> Span:
    start, end, label = item["start"], item["end"], item["label"]
    score = item.get("score")
    return Span(
        start=start,
        end=end,
        label=label,
        id=str(item.get("id") or new_span_id(document.id, start, end, label, salt=model_version)),
        text=document.text[start:end],
        value=prediction_value(item),
        score=None if score is None else float(score),
    )


def line_spans(
    line: PredictionLine, documents: Mapping[str, Document], model_version: str
) -> tuple[Document | None, list[Span], list[RasdError]]:
    """The document a line names, its spans, and the line's problems."""
    document = documents.get(line.document or "")
    if document is None:
        return None, [], [PREDICTION_LINE_SHAPE(file=line.where, document=line.document)]
    spans = [prediction_span(document, item, model_version) for item in line.spans]
    problems = list(line.problems) or semantic_errors(document.id, document.text, spans, file=line.where)
    return document, spans, problems


def read_predictions(
    documents: Mapping[str, Document], path: Path, *, file: str, model_version: str
) -> dict[str, list[Span]]:
    """Pre-annotations of ``path`` by document id; every problem of the file raised at once.

    ``documents``: the corpus by id; a ``rasd.labelstudio.documents.DocumentsById``
    reads only the documents the lines name, one at a time, so the file's spans
    are held and the corpus is not.
    """
    found: dict[str, list[Span]] = {}
    errors: list[RasdError] = []
    for line in iter_prediction_lines(path, file=file):
        document, spans, problems = line_spans(line, documents, model_version)
        errors += problems
        if document is not None:
            found.setdefault(document.id, []).extend(spans)
    raise_all(errors, summary="problems in the pre-annotations")
    return found
