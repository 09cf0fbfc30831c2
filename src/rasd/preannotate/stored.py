"""Stored suggestions: ``dataset/predictions/<id>.json``, checked against the document they were made on.

The file format is ``rasd.formats.predictions``; this module ties a file to its
document: the text digest must match, and every span must pass the same
semantic checks as the gold (``rasd.validation.validate``).
"""

from __future__ import annotations

from collections.abc import Sequence

from rasd.core.errors import raise_all
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.problems.preannotate import PREDICTIONS_STALE, PREDICTIONS_WITHOUT_DOCUMENT
from rasd.formats.predictions import PredictionsFile, prediction_path, read_predictions, write_predictions
from rasd.intake.ingest import iter_documents, text_sha256
from rasd.preannotate.candidates import MODEL_VERSION
from rasd.validation.validate import semantic_errors


def save_predictions(repo: Repo, document: Document, spans: Sequence[Span]) -> bool:
    """Write a document's suggestions; False when the file already held exactly these."""
    path = prediction_path(repo, document.id)
    record = PredictionsFile(document.id, text_sha256(document.text), MODEL_VERSION, tuple(spans))
    return write_predictions(path, record, file=repo.relative(path))


def load_predictions(repo: Repo, doc_id: str) -> tuple[Span, ...]:
    """The stored suggestions of a document (empty when it has none), checked against its text."""
    path = prediction_path(repo, doc_id)
    if not path.exists():
        return ()
    shown = repo.relative(path)
    stored = read_predictions(path, file=shown, document=doc_id)
    document = next((d for d in iter_documents(repo) if d.id == doc_id), None)
    if document is None:
        raise PREDICTIONS_WITHOUT_DOCUMENT(file=shown, document=doc_id)
    if stored.text_sha256 != text_sha256(document.text):
        raise PREDICTIONS_STALE(file=shown, document=doc_id)
    raise_all(semantic_errors(doc_id, document.text, stored.spans, file=shown))
    return stored.spans
