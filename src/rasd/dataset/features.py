"""The Hugging Face ``Features`` of the three configs, defined once from the label set.

``spans`` and ``tokens`` hold the documents whose gold is ``complete`` or
``adjudicated``; ``unlabeled`` holds the others (``unannotated``,
``in_progress``) with the machine suggestions stored for them, marked as such,
so nobody trains on a page whose spans were never drawn.

Everything typed about the released data comes from here: the parquet schema,
the ``dataset_info`` in the card YAML, and (by a test) agreement with
``schema/document.schema.json``.
"""

from __future__ import annotations

from typing import Any

from datasets import ClassLabel, Features, List, Value

from rasd.core.labels import BIO_TAGS, LABELS
from rasd.validation.schema import PROVENANCE_FIELDS, document_schema

SPAN_LABEL = ClassLabel(names=list(LABELS))
NER_TAG = ClassLabel(names=list(BIO_TAGS))

OFFSET_MAP = List({"text_start": Value("int32"), "raw_start": Value("int32"), "length": Value("int32")})

# Where a document's text came from, in every config (``schema.PROVENANCE_FIELDS``): strings, null where unknown.
PROVENANCE: dict[str, Any] = {field.name: Value("string") for field in PROVENANCE_FIELDS}

# The fields every released document carries, in every config that holds whole documents.
DOCUMENT_FIELDS: dict[str, Any] = {
    "id": Value("string"),
    "title": Value("string"),
    "text": Value("string"),
    "text_sha256": Value("string"),
    "raw_file": Value("string"),
    "author": Value("string"),
    **PROVENANCE,
    "language": Value("string"),
    "offset_map": OFFSET_MAP,
    "story_cluster": Value("string"),
}

# The fields of one span, gold or suggested.
SPAN_FIELDS: dict[str, Any] = {
    "id": Value("string"),
    "start": Value("int32"),
    "end": Value("int32"),
    "label": SPAN_LABEL,
    "text": Value("string"),
    "value": Value("string"),
}

SPANS_FEATURES = Features(
    {
        **DOCUMENT_FIELDS,
        "spans": List(SPAN_FIELDS),
    }
)

TOKENS_FEATURES = Features(
    {
        "id": Value("string"),
        **PROVENANCE,
        "tokens": List(Value("string")),
        "ner_tags": List(NER_TAG),
        "token_starts": List(Value("int32")),
        "token_ends": List(Value("int32")),
    }
)

UNLABELED_FEATURES = Features(
    {
        **DOCUMENT_FIELDS,
        "status": Value("string"),
        "suggestions": List(
            {
                **SPAN_FIELDS,
                "score": Value("float64"),
                "source": Value("string"),
                "model_version": Value("string"),
            }
        ),
    }
)

CONFIG_FEATURES: dict[str, Features] = {
    "spans": SPANS_FEATURES,
    "tokens": TOKENS_FEATURES,
    "unlabeled": UNLABELED_FEATURES,
}
DEFAULT_CONFIG = "spans"


_DOCUMENT_SCHEMA_FIELDS = frozenset(document_schema()["properties"])


def schema_view(record: dict[str, Any]) -> dict[str, Any]:
    """The record as ``document.schema.json`` describes it.

    ``story_cluster`` is checked by the schema once it declares it; until then it
    is left out of the structural check (the build sets it, nobody writes it).
    """
    if "story_cluster" in _DOCUMENT_SCHEMA_FIELDS:
        return record
    return {k: v for k, v in record.items() if k != "story_cluster"}
