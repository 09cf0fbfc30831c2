"""JSON Schemas (Draft 2020-12), generated from the label set, and structural checks.

Two schemas: ``document.schema.json`` for one record of the released ``spans``
config (labels as their names, as ``features["spans"]["label"].int2str`` gives
them), and ``annotation.schema.json`` for one gold annotation file.  They are
written by ``rasd build``; a test checks the committed files are current.
Structure is checked here (every error, with its JSON path); meaning is checked
by the named checks in ``rasd.validate``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator

from rasd.core.errors import RasdError
from rasd.core.io import atomic_write_json
from rasd.core.labels import LABEL_TABLE, LABELS
from rasd.core.paths import Repo
from rasd.core.problems.spans import LONE_SURROGATE, OFFSET_NOT_INTEGER, SCHEMA_MISMATCH
from rasd.validation.draft7 import Verdict
from rasd.validation.draft7 import compile_verdict as compile_verdict  # re-exported: tests watch it here
from rasd.validation.draft7 import draft7 as draft7

# The patterns, statuses and provenance fields are re-exported: they were defined here.
from rasd.validation.patterns import DAY_PATTERN as DAY_PATTERN
from rasd.validation.patterns import DOCUMENT_ID_PATTERN as DOCUMENT_ID_PATTERN
from rasd.validation.patterns import GOLD_STATUSES as GOLD_STATUSES
from rasd.validation.patterns import ISO_DATE_PATTERN as ISO_DATE_PATTERN
from rasd.validation.patterns import PROVENANCE_FIELDS as PROVENANCE_FIELDS
from rasd.validation.patterns import SHA256_PATTERN as SHA256_PATTERN
from rasd.validation.patterns import SPAN_ID_PATTERN as SPAN_ID_PATTERN
from rasd.validation.patterns import ProvenanceField as ProvenanceField
from rasd.validation.patterns import nullable
from rasd.validation.quick import QUICK_CHECKS

SCHEMA_BASE = "https://github.com/rasd-dataset/rasd/schema/"


def _label_schema() -> dict[str, Any]:
    return {
        "enum": list(LABELS),
        "description": "One of the labels: " + "; ".join(f"{i.name}: {i.description}" for i in LABEL_TABLE),
    }


def _span_core() -> dict[str, Any]:
    return {
        "id": {"type": "string", "pattern": SPAN_ID_PATTERN, "description": "Stable across versions."},
        "start": {"type": "integer", "minimum": 0, "description": "First code point, inclusive."},
        "end": {"type": "integer", "minimum": 1, "description": "Code point after the last, exclusive."},
        "label": _label_schema(),
        "text": {"type": "string", "minLength": 1, "description": "Must equal text[start:end]."},
    }


def _record_span_schema() -> dict[str, Any]:
    """One span of a released record: the value is a string (numbers written canonically)."""
    return {
        "type": "object",
        "properties": {
            **_span_core(),
            "value": nullable(
                {
                    "type": "string",
                    "minLength": 1,
                    "description": "Normalised value: ISO 8601 date, decimal number, canonical id or name.",
                }
            ),
        },
        "required": ["id", "start", "end", "label", "text", "value"],
        "additionalProperties": False,
    }


def _offset_map_schema() -> dict[str, Any]:
    return {
        "type": "array",
        "description": "Runs mapping text offsets to raw-file offsets: inside a run, "
        "raw = raw_start + (t - text_start).",
        "items": {
            "type": "object",
            "properties": {
                "text_start": {"type": "integer", "minimum": 0},
                "raw_start": {"type": "integer", "minimum": 0},
                "length": {"type": "integer", "minimum": 1},
            },
            "required": ["text_start", "raw_start", "length"],
            "additionalProperties": False,
        },
    }


def document_schema() -> dict[str, Any]:
    """One record of the released ``spans`` config."""
    nullable_string = nullable({"type": "string"})
    provenance = {field.name: field.schema() for field in PROVENANCE_FIELDS}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE + "document.schema.json",
        "title": "Rasd document record (spans config)",
        "description": "One cleaned Arabic news article with its character-offset span annotations. "
        "Offsets are half-open [start, end) in Unicode code points of `text`.",
        "type": "object",
        "properties": {
            "id": {"type": "string", "pattern": DOCUMENT_ID_PATTERN},
            "title": nullable_string,
            "text": {"type": "string", "minLength": 1},
            "text_sha256": {"type": "string", "pattern": SHA256_PATTERN},
            "raw_file": {"type": "string", "minLength": 1},
            "author": nullable_string,
            **provenance,
            "language": {"const": "ar"},
            "offset_map": _offset_map_schema(),
            "story_cluster": {
                "type": "string",
                "pattern": DOCUMENT_ID_PATTERN,
                "description": "The story cluster: the smallest id among the document's near-copies "
                "(its own id when it has none); documents of one cluster share a split.",
            },
            "spans": {"type": "array", "items": _record_span_schema()},
        },
        "required": [
            "id",
            "title",
            "text",
            "text_sha256",
            "raw_file",
            "author",
            *provenance,
            "language",
            "offset_map",
            "story_cluster",
            "spans",
        ],
        "additionalProperties": False,
    }


def annotation_schema() -> dict[str, Any]:
    """One gold annotation file in ``dataset/annotations/``."""
    span = {
        "type": "object",
        "properties": {
            **_span_core(),
            "value": nullable(
                {
                    "oneOf": [{"type": "string", "minLength": 1}, {"type": "number"}],
                    "description": "QUANTITY values are JSON numbers; the others strings.",
                }
            ),
            "raw": {
                "type": "array",
                "prefixItems": [{"type": "integer", "minimum": 0}, {"type": "integer", "minimum": 1}],
                "minItems": 2,
                "maxItems": 2,
                "description": "[start, end) in the raw file: the anchor `rasd migrate` re-anchors from.",
            },
            "note": {
                "type": "string",
                "minLength": 1,
                "description": "Why this span is right although a consistency check warns about it.",
            },
        },
        "required": ["id", "start", "end", "label", "text", "raw"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE + "annotation.schema.json",
        "title": "Rasd gold annotation file",
        "description": "Human-edited gold spans of one document, made on the text whose sha256 is recorded.",
        "type": "object",
        "properties": {
            "document": {"type": "string", "pattern": DOCUMENT_ID_PATTERN},
            "text_sha256": {"type": "string", "pattern": SHA256_PATTERN},
            "status": {
                "enum": list(GOLD_STATUSES),
                "description": "How far the annotation of this document is; absent means complete. "
                "in_progress: being annotated, not released; complete: done by one annotator; "
                "adjudicated: disagreements between annotators resolved.",
            },
            "spans": {"type": "array", "items": span},
        },
        "required": ["document", "text_sha256", "spans"],
        "additionalProperties": False,
    }


SCHEMAS = {
    "document.schema.json": document_schema,
    "annotation.schema.json": annotation_schema,
}


def write_schemas(repo: Repo) -> list[str]:
    """Write every schema file; return the names that changed."""
    return [name for name, make in SCHEMAS.items() if atomic_write_json(repo.schema_dir / name, make())]


_VALIDATORS: dict[str, Draft202012Validator] = {}


def _validator(name: str) -> Draft202012Validator:
    """The reference validator: slow, but names every error with its path (the report)."""
    if name not in _VALIDATORS:
        schema = SCHEMAS[name]()
        Draft202012Validator.check_schema(schema)
        _VALIDATORS[name] = Draft202012Validator(schema)
    return _VALIDATORS[name]


# --- the verdict, compiled (rasd.validation.draft7), else the reference validator -----------------

_VERDICTS: dict[str, Verdict] = {}


def _verdict(name: str) -> Verdict:
    if name not in _VERDICTS:
        compiled = compile_verdict(SCHEMAS[name]())
        _VERDICTS[name] = compiled if compiled is not None else _validator(name).is_valid
    return _VERDICTS[name]


def is_valid(schema_name: str, instance: Any) -> bool:
    """Whether ``instance`` follows the schema: its quick check, else the verdict compiled once per process.

    The quick check (``rasd.validation.quick``) vouches only for plainly valid
    instances, in a fraction of the compiled verdict's time; it never says no.
    """
    quick = QUICK_CHECKS.get(schema_name)
    return (quick is not None and quick(instance)) or _verdict(schema_name)(instance)


def structural_errors(
    schema_name: str, instance: Any, *, file: str | None, document: str | None
) -> list[RasdError]:
    """Every JSON Schema violation of ``instance``, each naming its JSON path and span.

    A valid instance costs one compiled check; only an invalid one is walked by
    jsonschema, whose messages are the report.
    """
    if is_valid(schema_name, instance):
        return []
    return [
        SCHEMA_MISMATCH(
            file=file,
            document=document,
            span=_span_id_at(instance, list(error.absolute_path)),
            json_path=error.json_path,
            message=error.message,
            schema_name=schema_name,
            validator=error.validator,
        )
        for error in sorted(
            _validator(schema_name).iter_errors(instance), key=lambda e: list(e.absolute_path)
        )
    ]


def _span_id_at(instance: Any, path: list[Any]) -> str | None:
    """The id of the span an error path points into, when there is one."""
    if len(path) >= 2 and path[0] == "spans" and isinstance(path[1], int):
        try:
            span = instance["spans"][path[1]]
        except (KeyError, IndexError, TypeError):
            return None
        if isinstance(span, dict) and isinstance(span.get("id"), str):
            return str(span["id"])
        return f"#{path[1]}"
    return None


# --- what JSON Schema lets through --------------------------------------------------------------

OFFSET_FIELDS = ("start", "end")


def _is_offset(value: Any) -> bool:
    """A JSON integer: Python's ``int`` but not ``bool``; JSON Schema would also accept ``65.0``."""
    return type(value) is int


def iter_offset_type_problems(
    instance: Any, *, file: str | None, document: str | None
) -> Iterator[RasdError]:
    """Span offsets (``start``, ``end``, ``raw``) written as floats or booleans."""
    spans = instance.get("spans") if isinstance(instance, dict) else None
    for index, span in enumerate(spans if isinstance(spans, list) else ()):
        if not isinstance(span, dict) or _offsets_are_integers(span):
            continue
        found = [(f"$.spans[{index}].{key}", span[key]) for key in OFFSET_FIELDS if key in span]
        raw = span.get("raw")
        found += [
            (f"$.spans[{index}].raw[{n}]", v) for n, v in enumerate(raw if isinstance(raw, list) else ())
        ]
        span_id = _span_id_at(instance, ["spans", index])
        for json_path, value in found:
            if isinstance(value, int | float) and not _is_offset(value):
                yield OFFSET_NOT_INTEGER(
                    file=file, document=document, span=span_id, json_path=json_path, value=value
                )


def _offsets_are_integers(span: dict[str, Any]) -> bool:
    """The common case, checked without building a JSON path: every offset of the span a plain int."""
    raw = span.get("raw")
    values = [span[key] for key in OFFSET_FIELDS if key in span] + (raw if isinstance(raw, list) else [])
    return all(type(value) is int for value in values)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """``(json path, string)`` for every string in a parsed JSON value, keys included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, path)
            yield from _strings(item, f"{path}.{key}")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _may_hold_surrogates(instance: Any) -> bool:
    """False when no string (or key) of ``instance`` can hold a surrogate: one pass in C, not a walk.

    JSON text with a surrogate in it cannot be encoded as UTF-8; anything the
    encoder cannot serialise is walked the slow way.
    """
    try:
        json.dumps(instance, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except (TypeError, ValueError, RecursionError):
        return True
    return False


def _lone_surrogate(text: str) -> str | None:
    """The escape of the first lone surrogate in ``text`` (JSON joins a valid pair into one character)."""
    found = _SURROGATE.search(text)
    return f"\\u{ord(found.group()):04x}" if found else None


def iter_lone_surrogate_problems(
    instance: Any, *, file: str | None, document: str | None
) -> Iterator[RasdError]:
    """Strings holding half of a UTF-16 pair (``"\\ud800"``): valid JSON, but not text."""
    if not _may_hold_surrogates(instance):
        return
    for json_path, text in _strings(instance, "$"):
        escape = _lone_surrogate(text)
        if escape is not None:
            yield LONE_SURROGATE(file=file, document=document, json_path=json_path, escape=escape)
