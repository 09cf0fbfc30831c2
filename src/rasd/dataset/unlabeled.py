"""The ``unlabeled`` config: documents whose gold is not done, with machine suggestions marked as such.

A document is ``unannotated`` (no gold file) or ``in_progress`` (its gold file
says so): its spans are not a statement that the text holds nothing else, so it
never enters ``spans`` or ``tokens``.  It is released here with its text and
metadata, its status, its story cluster, and the suggestions stored for it in
``dataset/predictions/<id>.json`` (when present), each marked
``source: "machine"`` with the ``model_version`` that made it.  Suggestions made
on another text (stale digest) or that break the span rules are problems of the
build, like broken gold.
"""

from __future__ import annotations

from typing import Any

from rasd.core.errors import RasdError, unbundle
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.problems.preannotate import PREDICTIONS_STALE
from rasd.dataset.records import document_fields
from rasd.formats.predictions import PredictionsFile, prediction_path, read_predictions
from rasd.intake.ingest import text_sha256
from rasd.validation.validate import semantic_errors

MACHINE = "machine"
"""``source`` of every suggestion in the ``unlabeled`` config: made by a program, not checked by a person."""


def stored_suggestions(
    repo: Repo, document: Document, errors: list[RasdError], *, digest: str | None = None
) -> PredictionsFile | None:
    """The document's stored suggestions, checked against its text; problems go to ``errors``.

    ``digest``: ``text_sha256(document.text)``, when known already.
    """
    path = prediction_path(repo, document.id)
    if not path.exists():
        return None
    shown = repo.relative(path)
    try:
        stored = read_predictions(path, file=shown, document=document.id)
    except RasdError as error:
        errors += unbundle(error)
        return None
    if stored.text_sha256 != (text_sha256(document.text) if digest is None else digest):
        errors.append(PREDICTIONS_STALE(file=shown, document=document.id))
        return None
    problems = semantic_errors(document.id, document.text, stored.spans, file=shown)
    errors += problems
    return None if problems else stored


def suggestion_record(span: Span, model_version: str) -> dict[str, Any]:
    return {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": str(span.label),  # a plain str, as every value the build cache stores (``marshal``)
        "text": span.text,
        "value": span.value,
        "score": span.score,
        "source": MACHINE,
        "model_version": model_version,
    }


def unlabeled_record(
    document: Document,
    status: str,
    cluster: str,
    suggestions: PredictionsFile | None,
    *,
    digest: str | None = None,
) -> dict[str, Any]:
    """The released ``unlabeled`` record of a document whose gold is not complete (``digest``: its
    text's sha256, when known already)."""
    spans = suggestions.spans if suggestions is not None else ()
    model = suggestions.model_version if suggestions is not None else ""
    return {
        **document_fields(document, cluster, digest),
        "status": status,
        "suggestions": [suggestion_record(s, model) for s in sorted(spans)],
    }
