"""The parts the JSON Schemas are made of, shared with their quick checks (``rasd.validation.quick``).

The patterns, the gold statuses and the provenance fields: ``rasd.validation.schema``
builds the schemas from them and ``rasd.validation.quick`` the small direct checks
that vouch for plainly valid instances; neither may drift from the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DOCUMENT_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$"
SPAN_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
SHA256_PATTERN = "^[0-9a-f]{64}$"
ISO_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
GOLD_STATUSES = ("in_progress", "complete", "adjudicated")
"""A gold file's optional ``status`` (absent: ``complete``)."""


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


@dataclass(frozen=True)
class ProvenanceField:
    """A field of every released record (every config) saying where its text came from: a string or null."""

    name: str
    meaning: str
    pattern: str | None = None

    def schema(self) -> dict[str, Any]:
        string: dict[str, Any] = {"type": "string"}
        if self.pattern is not None:
            string["pattern"] = self.pattern
        return {**nullable(string), "description": self.meaning}


PROVENANCE_FIELDS: tuple[ProvenanceField, ...] = (
    ProvenanceField("outlet", "the outlet that published the article"),
    ProvenanceField("url", "where the outlet published it"),
    ProvenanceField(
        "published", "its publication date, ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD", ISO_DATE_PATTERN
    ),
    ProvenanceField("retrieved", "the day `rasd add` brought it in, YYYY-MM-DD", DAY_PATTERN),
    ProvenanceField(
        "extractor",
        "what turned the original bytes into the raw text, with its version: `plain text`, "
        "`trafilatura 2.2.0` (HTML), `jsonl`, `csv`, `parquet`",
    ),
    ProvenanceField(
        "original_sha256",
        "sha256 of the original bytes the text was taken from (the file, or the row of a table)",
        SHA256_PATTERN,
    ),
)
"""The one definition of the provenance fields: the JSON Schema, the Hugging Face features of the
three configs, the records, Croissant and the card's table are generated from it.  Null where
unknown: the articles that predate ``rasd add`` have no retrieval date, extractor or original bytes."""
