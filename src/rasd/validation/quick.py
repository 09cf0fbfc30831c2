"""Quick checks: small direct tests that vouch for the plainly valid instances of the two schemas.

Like the stored suggestions' ``_plainly_right`` (``rasd.formats.predictions``): a
quick check accepts only an instance whose every value has exactly the type and
form Rasd's writers give it (``type(x) is int``, never ``1.0`` or ``True``; a
pattern matched whole, never up to a final newline) and says nothing about any
other instance, which goes through the compiled verdict and, if invalid,
jsonschema's full report (``rasd.validation.schema.structural_errors``).  So it
only ever answers "valid" for an instance both validators call valid
(``tests/test_quick_checks.py`` holds it to them on the golden cases, the gold
files, the released records, mutations of all of them and made-up instances).

A gold file that passes ``plain_annotation`` also has none of the problems the
schema lets through and ``rasd.formats.gold`` checks after it: every offset is
a plain ``int`` (no ``OFFSET_NOT_INTEGER``) and its status, if any, one of
``GOLD_STATUSES``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from itertools import chain
from operator import itemgetter
from typing import Any

from rasd.core.labels import LABELS
from rasd.validation.patterns import (
    DOCUMENT_ID_PATTERN,
    GOLD_STATUSES,
    PROVENANCE_FIELDS,
    SHA256_PATTERN,
    SPAN_ID_PATTERN,
)

Matcher = Callable[[str], "re.Match[str] | None"]


def whole(pattern: str) -> Matcher:
    """A ``^...$`` pattern as a full match: ``re.search`` would also let a final newline through ``$``."""
    if not (pattern.startswith("^") and pattern.endswith("$")):
        raise ValueError(f"not an anchored pattern: {pattern!r}")
    return re.compile(f"(?:{pattern[1:-1]})").fullmatch


_DOCUMENT_ID = whole(DOCUMENT_ID_PATTERN)
_SPAN_ID = whole(SPAN_ID_PATTERN)
_SHA256 = whole(SHA256_PATTERN)
_LABELS = frozenset(LABELS)
_STATUSES = frozenset(GOLD_STATUSES)

ANNOTATION_KEYS = frozenset({"document", "text_sha256", "status", "spans"})
ANNOTATION_REQUIRED = frozenset({"document", "text_sha256", "spans"})
GOLD_SPAN_KEYS = frozenset({"id", "start", "end", "label", "text", "value", "raw", "note"})
GOLD_SPAN_REQUIRED = frozenset({"id", "start", "end", "label", "text", "raw"})
RECORD_SPAN_KEYS = frozenset({"id", "start", "end", "label", "text", "value"})
RUN_KEYS = frozenset({"text_start", "raw_start", "length"})
_PROVENANCE = tuple(
    (field.name, None if field.pattern is None else whole(field.pattern)) for field in PROVENANCE_FIELDS
)
RECORD_KEYS = frozenset(
    {"id", "title", "text", "text_sha256", "raw_file", "author", "language", "offset_map", "story_cluster"}
    | {"spans"}
    | {name for name, _ in _PROVENANCE}
)
"""Every key of a record, each required (the schema forbids any other)."""


def _types(values: Iterable[Any]) -> set[type]:
    return set(map(type, values))


_INT = {int}
_STR = {str}
_DICT = {dict}
_LIST = {list}
_PAIR = {2}
_GOLD_VALUE_TYPES = frozenset({type(None), str, int, float})
_RECORD_VALUE_TYPES = frozenset({type(None), str})
_RECORD_SPAN = itemgetter("id", "start", "end", "label", "text", "value")
_GOLD_CORE = itemgetter("id", "start", "end", "label", "text", "raw")
_RUN = itemgetter("text_start", "raw_start", "length")


def _columns(records: list[Any], fields: itemgetter[Any]) -> list[tuple[Any, ...]] | None:
    """``fields`` of every record, one tuple a field; None when a record is not a dict or lacks one.

    The checks below work a column at a time, in C (``map``, ``set``, ``min``):
    a gold file's 32 spans cost a few calls, not a few hundred.
    """
    if _types(records) != _DICT:
        return None
    try:
        return list(zip(*map(fields, records), strict=True))
    except KeyError:
        return None


def _core_columns(ids: Any, starts: Any, ends: Any, labels: Any, texts: Any) -> bool:
    """``id``, ``start``, ``end``, ``label`` and ``text`` of both kinds of span."""
    return (
        _types(ids) == _STR
        and all(map(_SPAN_ID, ids))
        and _types(starts) == _INT
        and min(starts) >= 0
        and _types(ends) == _INT
        and min(ends) >= 1
        and _types(labels) == _STR
        and _LABELS.issuperset(labels)
        and _types(texts) == _STR
        and all(texts)
    )


def _gold_values(values: list[Any]) -> bool:
    """Null, a non-empty string, or a number (an ``int`` or a finite ``float``)."""
    types = _types(values)
    return (
        types <= _GOLD_VALUE_TYPES
        and "" not in values
        and (float not in types or all(math.isfinite(v) for v in values if type(v) is float))
    )


def _raw_anchors(raws: Any) -> bool:
    if _types(raws) != _LIST or set(map(len, raws)) != _PAIR:
        return False
    flat = list(chain.from_iterable(raws))
    return _types(flat) == _INT and min(flat[0::2]) >= 0 and min(flat[1::2]) >= 1


def _gold_spans(spans: list[Any]) -> bool:
    if not spans:
        return True
    columns = _columns(spans, _GOLD_CORE)
    if columns is None:
        return False
    keys = set().union(*spans)
    notes = [span["note"] for span in spans if "note" in span] if "note" in keys else []
    return (
        keys <= GOLD_SPAN_KEYS
        and _core_columns(*columns[:5])
        and _raw_anchors(columns[5])
        and _gold_values([span.get("value") for span in spans])
        and _types(notes) <= _STR
        and all(notes)
    )


def plain_annotation(instance: Any) -> bool:
    """A gold file's JSON, valid (``annotation.schema.json``) in the writer's own types: else False."""
    if type(instance) is not dict or not ANNOTATION_REQUIRED <= instance.keys() <= ANNOTATION_KEYS:
        return False
    document, sha, spans = instance["document"], instance["text_sha256"], instance["spans"]
    status = instance.get("status")
    return (
        type(document) is str
        and _DOCUMENT_ID(document) is not None
        and type(sha) is str
        and _SHA256(sha) is not None
        and ("status" not in instance or (type(status) is str and status in _STATUSES))
        and type(spans) is list
        and _gold_spans(spans)
    )


def _table_check(
    records: list[Any], fields: itemgetter[Any], keys: frozenset[str] | set[str], check: Callable[..., bool]
) -> bool:
    """Every record a dict with ``fields`` and no key beyond ``keys``, and ``check(*columns)``; none: True."""
    if not records:
        return True
    columns = _columns(records, fields)
    return columns is not None and set().union(*records) <= keys and check(*columns)


def _record_span_columns(*columns: Any) -> bool:
    values = columns[5]
    return _core_columns(*columns[:5]) and _types(values) <= _RECORD_VALUE_TYPES and "" not in values


def _run_columns(text_starts: Any, raw_starts: Any, lengths: Any) -> bool:
    return (
        _types(chain(text_starts, raw_starts, lengths)) == _INT
        and min(text_starts) >= 0
        and min(raw_starts) >= 0
        and min(lengths) >= 1
    )


def _record_spans(spans: list[Any]) -> bool:
    return _table_check(spans, _RECORD_SPAN, RECORD_SPAN_KEYS, _record_span_columns)


def _runs(runs: list[Any]) -> bool:
    return _table_check(runs, _RUN, RUN_KEYS, _run_columns)


def _text_or_null(value: Any, matches: Matcher | None = None) -> bool:
    if value is None:
        return True
    return type(value) is str and (matches is None or matches(value) is not None)


def _record_fields(record: dict[str, Any]) -> bool:
    """Every field but ``offset_map`` and ``spans``."""
    doc_id, text, sha, raw_file = record["id"], record["text"], record["text_sha256"], record["raw_file"]
    cluster, language = record["story_cluster"], record["language"]
    return (
        type(doc_id) is str
        and _DOCUMENT_ID(doc_id) is not None
        and _text_or_null(record["title"])
        and type(text) is str
        and text != ""
        and type(sha) is str
        and _SHA256(sha) is not None
        and type(raw_file) is str
        and raw_file != ""
        and _text_or_null(record["author"])
        and all(_text_or_null(record[name], matches) for name, matches in _PROVENANCE)
        and type(language) is str
        and language == "ar"
        and type(cluster) is str
        and _DOCUMENT_ID(cluster) is not None
    )


def plain_record(instance: Any) -> bool:
    """A released ``spans`` record, valid (``document.schema.json``) in the build's own types: else False."""
    if type(instance) is not dict or instance.keys() != RECORD_KEYS:
        return False
    runs, spans = instance["offset_map"], instance["spans"]
    return (
        _record_fields(instance)
        and type(runs) is list
        and _runs(runs)
        and type(spans) is list
        and _record_spans(spans)
    )


QUICK_CHECKS: dict[str, Callable[[Any], bool]] = {
    "document.schema.json": plain_record,
    "annotation.schema.json": plain_annotation,
}
"""The quick check of each schema, by the schema's file name."""
