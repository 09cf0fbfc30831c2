"""The Hugging Face ``Features`` of both configs, defined once from the label set.

Everything typed about the released data comes from here: the parquet schema,
the ``dataset_info`` in the card YAML, and (by a test) agreement with
``schema/document.schema.json``.
"""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from rasd.core.labels import BIO_TAGS, LABELS

SPAN_LABEL = ClassLabel(names=list(LABELS))
NER_TAG = ClassLabel(names=list(BIO_TAGS))

SPANS_FEATURES = Features(
    {
        "id": Value("string"),
        "title": Value("string"),
        "text": Value("string"),
        "text_sha256": Value("string"),
        "raw_file": Value("string"),
        "outlet": Value("string"),
        "author": Value("string"),
        "url": Value("string"),
        "published": Value("string"),
        "language": Value("string"),
        "offset_map": List(
            {"text_start": Value("int32"), "raw_start": Value("int32"), "length": Value("int32")}
        ),
        "spans": List(
            {
                "id": Value("string"),
                "start": Value("int32"),
                "end": Value("int32"),
                "label": SPAN_LABEL,
                "text": Value("string"),
                "value": Value("string"),
            }
        ),
    }
)

TOKENS_FEATURES = Features(
    {
        "id": Value("string"),
        "tokens": List(Value("string")),
        "ner_tags": List(NER_TAG),
        "token_starts": List(Value("int32")),
        "token_ends": List(Value("int32")),
    }
)

CONFIG_FEATURES: dict[str, Features] = {"spans": SPANS_FEATURES, "tokens": TOKENS_FEATURES}
DEFAULT_CONFIG = "spans"
