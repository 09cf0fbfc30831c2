"""Stored suggestions: ``dataset/predictions/<id>.json``, checked against the document they were made on.

The file format is ``rasd.formats.predictions``; this module ties a file to its
document: the text digest must match, and every span must pass the same
semantic checks as the gold (``rasd.validation.validate``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rasd.core.errors import RasdError, raise_all
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.problems.preannotate import PREDICTIONS_STALE, PREDICTIONS_WITHOUT_DOCUMENT
from rasd.formats.predictions import (
    PredictionsFile,
    prediction_path,
    read_predictions,
    render_predictions,
    write_predictions,
)
from rasd.intake.ingest import text_sha256
from rasd.preannotate.candidates import MODEL_VERSION
from rasd.validation.validate import semantic_errors


def predictions_record(document: Document, spans: Sequence[Span]) -> PredictionsFile:
    """What ``dataset/predictions/<id>.json`` stores for ``document``: its spans, its text's digest."""
    return PredictionsFile(document.id, text_sha256(document.text), MODEL_VERSION, tuple(spans))


def predictions_bytes(document: Document, spans: Sequence[Span]) -> bytes:
    """The bytes of a document's prediction file (made where the spans are: in the engine's workers)."""
    return render_predictions(predictions_record(document, spans)).encode("utf-8")


def save_predictions(repo: Repo, document: Document, spans: Sequence[Span]) -> bool:
    """Write a document's suggestions; False when the file already held exactly these."""
    path = prediction_path(repo, document.id)
    return write_predictions(path, predictions_record(document, spans), file=repo.relative(path))


def load_predictions(repo: Repo, document: Document) -> tuple[Span, ...]:
    """The stored suggestions of a document (empty when it has none), checked against its text.

    It takes the document itself, so reading every document's suggestions costs one pass over
    the corpus, not one per document.
    """
    path = prediction_path(repo, document.id)
    if not path.exists():
        return ()
    shown = repo.relative(path)
    stored = read_predictions(path, file=shown, document=document.id)
    if stored.text_sha256 != text_sha256(document.text):
        raise PREDICTIONS_STALE(file=shown, document=document.id)
    raise_all(semantic_errors(document.id, document.text, stored.spans, file=shown))
    return stored.spans


def iter_orphan_predictions(repo: Repo, doc_ids: set[str]) -> Iterator[RasdError]:
    """Suggestion files whose document is not in ``dataset/raw``."""
    for path in sorted(prediction_path(repo, "x").parent.glob("*.json")):
        if path.stem not in doc_ids:
            yield PREDICTIONS_WITHOUT_DOCUMENT(file=repo.relative(path), document=path.stem)
