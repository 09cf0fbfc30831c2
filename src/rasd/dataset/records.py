"""The fields every released record carries: the document's, and where its text came from."""

from __future__ import annotations

from typing import Any

from rasd.core.model import Document
from rasd.intake.ingest import text_sha256
from rasd.validation.schema import PROVENANCE_FIELDS


def provenance_fields(document: Document) -> dict[str, str | None]:
    """Where the text came from (``schema.PROVENANCE_FIELDS``), in every config; None where unknown."""
    return {field.name: getattr(document.source, field.name) for field in PROVENANCE_FIELDS}


def document_fields(document: Document, story_cluster: str, digest: str | None = None) -> dict[str, Any]:
    """The fields every released document record carries (``features.DOCUMENT_FIELDS``).

    ``digest``: ``text_sha256(document.text)``, when known already (the build's text part has it).
    """
    source = document.source
    return {
        "id": document.id,
        "title": document.title,
        "text": document.text,
        "text_sha256": text_sha256(document.text) if digest is None else digest,
        "raw_file": source.raw_file,
        "author": source.author,
        **provenance_fields(document),
        "language": source.language,
        "offset_map": [
            {"text_start": t, "raw_start": r, "length": n} for t, r, n in document.offset_map.runs
        ],
        "story_cluster": story_cluster,
    }
