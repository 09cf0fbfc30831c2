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

from collections.abc import Callable
from itertools import accumulate, chain
from typing import Any

import pyarrow as pa
from datasets import ClassLabel, Features, List, Value

from rasd.core.errors import FastPathDeclined
from rasd.core.labels import BIO_TAGS, LABELS
from rasd.validation.schema import PROVENANCE_FIELDS, document_schema

SPAN_LABEL = ClassLabel(names=list(LABELS))
NER_TAG = ClassLabel(names=list(BIO_TAGS))

OFFSET_MAP = List({"text_start": Value("int32"), "raw_start": Value("int32"), "length": Value("int32")})

# Where a document's text came from, in every config (``schema.PROVENANCE_FIELDS``):
# strings, null where unknown.
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

ARROW_SCHEMAS: dict[str, pa.Schema] = {config: f.arrow_schema for config, f in CONFIG_FEATURES.items()}
"""Each config's ``Features.arrow_schema``, made once (the property makes it anew at every call)."""


_DOCUMENT_SCHEMA_FIELDS = frozenset(document_schema()["properties"])


def schema_view(record: dict[str, Any]) -> dict[str, Any]:
    """The record as ``document.schema.json`` describes it.

    ``story_cluster`` is checked by the schema once it declares it; until then it
    is left out of the structural check (the build sets it, nobody writes it).
    """
    if "story_cluster" in _DOCUMENT_SCHEMA_FIELDS:
        return record
    return {k: v for k, v in record.items() if k != "story_cluster"}


Encoder = Callable[[Any], Any]


def _encoder_of(feature: Any) -> Encoder:
    """The encoder of one feature, as ``Features.encode_example`` treats it, without its per-value walk."""
    if isinstance(feature, dict):
        fields = [(name, _encoder_of(sub)) for name, sub in feature.items()]
        return lambda obj: None if obj is None else {name: enc(obj.get(name)) for name, enc in fields}
    if isinstance(feature, List):
        return _list_encoder(feature.feature)
    cast = _CASTS.get(str(feature.dtype)) if isinstance(feature, Value) else None
    if cast is not None:
        return lambda obj: None if obj is None else cast(obj)
    if isinstance(feature, ClassLabel):  # a label name: its index, without the library's string handling
        index = {name: number for number, name in enumerate(feature.names)}
        return lambda obj: index[obj] if isinstance(obj, str) and obj in index else _encoded(feature, obj)
    return lambda obj: _encoded(feature, obj)  # other values


def _encoded(feature: Any, obj: Any) -> Any:
    return None if obj is None else feature.encode_example(obj)


# What ``Value.encode_example`` does for these arrow types, without its type tests on every call.
_CASTS: dict[str, Callable[[Any], Any]] = {
    "string": str,
    "int32": int,
    "int64": int,
    "float64": float,
    "bool": bool,
}


def _list_encoder(item: Any) -> Encoder:
    """The library's rule for a list: its first non-null value decides whether any value is encoded."""
    each = _encoder_of(item)
    if isinstance(item, ClassLabel):
        index = {name: number for number, name in enumerate(item.names)}

        def map_all(obj: list[Any]) -> list[Any]:
            return [index[v] if isinstance(v, str) and v in index else each(v) for v in obj]
    else:

        def map_all(obj: list[Any]) -> list[Any]:
            return [each(v) for v in obj]

    def encode(obj: Any) -> Any:
        if obj is None:
            return None
        first = next((v for v in obj if v is not None), None)
        try:
            changed = bool(each(first) != first)
        except ValueError:
            changed = False
        return map_all(obj) if changed else list(obj)

    return encode


def record_encoder(features: Features) -> Encoder:
    """A function giving what ``features.encode_example(record)`` gives for the build's records, 10× faster.

    The library walks every value of every list (600 tokens a document, four
    lists); the records the build makes already hold the arrow-ready types, so
    only class labels need mapping.  ``tests/test_features.py`` compares the two
    on every record of the built dataset and on generated ones.
    """
    return _encoder_of(dict(features))


RECORD_ENCODERS: dict[str, Encoder] = {config: record_encoder(f) for config, f in CONFIG_FEATURES.items()}


NOT_PLAIN: tuple[type[Exception], ...] = (
    FastPathDeclined,  # a value a column builder does not take as it is
    KeyError,
    AttributeError,
    TypeError,
    ValueError,
    OverflowError,
)
"""What a column builder raises for values it does not take (``pa.ArrowInvalid`` is a ``ValueError``,
``pa.ArrowTypeError`` a ``TypeError``)."""

Column = Callable[[list[Any]], pa.Array]

# The one Python type a value of these arrow types has in the build's records, for which
# ``Value.encode_example`` (``_CASTS``) gives the value itself.
_PLAIN_TYPES: dict[str, type] = {"string": str, "int32": int, "int64": int, "float64": float}


def _only(values: list[Any], *kinds: type) -> None:
    """``FastPathDeclined`` unless each value's type is exactly one of ``kinds`` (no subclass: no bool)."""
    if not set(map(type, values)).issubset(kinds):
        raise FastPathDeclined


def _column_of(feature: Any, arrow: pa.DataType) -> Column:
    """The arrow array of a field's values, each what its encoded value gives in ``from_pylist``.

    Only plain values are taken: strings, ints and floats of exactly their field's
    type (or None), lists exactly ``list``, structs exactly ``dict`` with exactly
    the struct's keys, class labels as names of the label set.  For those the
    encoder (``_encoder_of``) changes nothing but the labels, which become their
    index; anything else raises one of ``NOT_PLAIN``.
    """
    if isinstance(feature, dict):
        return _struct_column(feature, arrow)
    if isinstance(feature, List):
        return _list_column(feature.feature, arrow)
    if isinstance(feature, ClassLabel):
        index = {name: number for number, name in enumerate(feature.names)}

        def labels(values: list[Any]) -> pa.Array:
            _only(values, str)
            return pa.array(list(map(index.__getitem__, values)), arrow)

        return labels
    kind = _PLAIN_TYPES.get(str(feature.dtype)) if isinstance(feature, Value) else None
    if kind is None:
        return _not_plain

    def plain(values: list[Any]) -> pa.Array:
        _only(values, kind, type(None))
        return pa.array(values, arrow)

    return plain


def _not_plain(values: list[Any]) -> pa.Array:
    raise FastPathDeclined


def _struct_column(feature: dict[str, Any], arrow: pa.DataType) -> Column:
    names = list(feature)
    children = [_column_of(feature[name], arrow.field(name).type) for name in names]
    fields = [arrow.field(name) for name in names]

    def struct(values: list[Any]) -> pa.Array:
        _only(values, dict)
        if not set(map(len, values)).issubset({len(names)}):  # a key the struct does not have
            raise FastPathDeclined
        arrays = [
            child([value[name] for value in values]) for name, child in zip(names, children, strict=True)
        ]
        return pa.StructArray.from_arrays(arrays, fields=fields)

    return struct


def _list_column(item: Any, arrow: pa.DataType) -> Column:
    items = _column_of(item, arrow.value_type)

    def listed(values: list[Any]) -> pa.Array:
        _only(values, list)
        offsets = pa.array([0, *accumulate(map(len, values))], pa.int32())
        return pa.ListArray.from_arrays(offsets, items(list(chain.from_iterable(values))), type=arrow)

    return listed


RecordColumns = Callable[[list[dict[str, Any]]], list[pa.Array]]


def column_builder(features: Features) -> RecordColumns:
    """The columns of the rows ``features.encode_example`` gives for plain ``records``, one array a field.

    A missing field is null, as the encoder's ``record.get`` makes it; fields the
    features do not have are left out, as the encoder leaves them out.
    """
    schema = pa.schema(features.type)
    columns = [(name, _column_of(feature, schema.field(name).type)) for name, feature in features.items()]

    def build(records: list[dict[str, Any]]) -> list[pa.Array]:
        _only(records, dict)
        return [column([record.get(name) for record in records]) for name, column in columns]

    return build


COLUMN_BUILDERS: dict[str, RecordColumns] = {
    config: column_builder(f) for config, f in CONFIG_FEATURES.items()
}
