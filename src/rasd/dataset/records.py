"""The fields every released document record carries, whatever its config."""

from __future__ import annotations

from typing import Any

from rasd.core.model import Document
from rasd.intake.ingest import text_sha256


def document_fields(document: Document, story_cluster: str) -> dict[str, Any]:
    """The fields every released document record carries (``features.DOCUMENT_FIELDS``)."""
    source = document.source
    return {
        "id": document.id,
        "title": document.title,
        "text": document.text,
        "text_sha256": text_sha256(document.text),
        "raw_file": source.raw_file,
        "outlet": source.outlet,
        "author": source.author,
        "url": source.url,
        "published": source.published,
        "language": source.language,
        "offset_map": [
            {"text_start": t, "raw_start": r, "length": n} for t, r, n in document.offset_map.runs
        ],
        "story_cluster": story_cluster,
    }
