"""``dataset/annotations/<id>.json``: the one reader and writer of gold annotation files.

A file holds the document id, the sha256 of the text the spans were made on, and
the spans, one per line so that a git diff shows one changed span as one changed
line.  Each span also carries its raw anchor (``raw``: offsets in the raw file),
which is what ``rasd migrate`` uses to carry spans over when a change to the
cleaning rules changes a text.  ``span_to_json`` / ``span_from_json`` are the
one pair that turns a ``Span`` into its JSON record and back.

A file may also say how far its document's annotation is: ``"status"`` is
``in_progress``, ``complete`` or ``adjudicated``; absent means ``complete``
(so files written before the key existed keep their bytes), and the writer
leaves it out for ``complete``.  A document without a file is ``unannotated``.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from rasd.core.errors import CATALOGUE, FastPathDeclined, RasdError, raise_all
from rasd.core.io import atomic_write_text, decode_utf8, loads_json, read_text
from rasd.core.model import Document, Span
from rasd.core.offsets import OffsetMap
from rasd.core.paths import Repo
from rasd.core.problems.gold import GOLD_DOCUMENT_MISMATCH, GOLD_STALE
from rasd.core.problems.spans import SCHEMA_MISMATCH
from rasd.core.spans import nesting_order
from rasd.core.values import value_from_json, value_to_json
from rasd.validation.quick import plain_annotation
from rasd.validation.schema import (
    iter_lone_surrogate_problems,
    iter_offset_type_problems,
    structural_errors,
)
from rasd.validation.validate import semantic_errors

GOLD_SCHEMA = "annotation.schema.json"

T = TypeVar("T")

UNANNOTATED = "unannotated"
IN_PROGRESS = "in_progress"
COMPLETE = "complete"
ADJUDICATED = "adjudicated"
FILE_STATUSES = (IN_PROGRESS, COMPLETE, ADJUDICATED)
"""What a gold file's ``status`` may say (absent: ``complete``)."""
STATUSES = (UNANNOTATED, *FILE_STATUSES)
"""Every annotation status, in the order of the work."""
LABELED_STATUSES = frozenset({COMPLETE, ADJUDICATED})
"""The statuses whose documents enter the ``spans`` and ``tokens`` configs."""


def text_sha256(text: str) -> str:
    """The hash a gold file records of the text its spans were made on.

    The last text hashed is remembered by identity (the same string object, held so that
    its id is not reused): an import hashes a document's text when it reads the document
    (``rasd.labelstudio.taskwork.read_one``) and again when it writes its gold file.
    """
    last_text, last_digest = _LAST_HASHED[0]
    if text is last_text:
        return last_digest
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _LAST_HASHED[0] = (text, digest)  # one tuple, replaced whole: a thread never sees half of it
    return digest


_LAST_HASHED: list[tuple[str, str]] = [("", hashlib.sha256(b"").hexdigest())]


def annotation_path(repo: Repo, doc_id: str) -> Path:
    return repo.annotations_dir / f"{doc_id}.json"


# --- one span ------------------------------------------------------------------------------------


def span_to_json(span: Span, *, raw: tuple[int, int] | None = None) -> dict[str, Any]:
    """A span's JSON record: QUANTITY values as numbers; ``raw``, ``note``, ``score`` only when set."""
    record: dict[str, Any] = {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "value": value_to_json(span.label, span.value),
    }
    if raw is not None:
        record["raw"] = list(raw)
    if span.note:
        record["note"] = span.note
    if span.score is not None:
        record["score"] = span.score
    return record


def span_from_json(record: Mapping[str, Any]) -> Span:
    """The ``Span`` of a record that passed its schema (``span_to_json``'s inverse; ``raw`` is not kept)."""
    return Span(
        start=record["start"],
        end=record["end"],
        label=record["label"],
        id=record["id"],
        text=record["text"],
        value=value_from_json(record["label"], record.get("value")),
        note=record.get("note"),
        score=record.get("score"),
    )


_new = object.__new__


def made_span(
    start: int, end: int, label: str, span_id: str, text: str, value: str | None, note: str | None
) -> Span:
    """``Span(start, end, label, span_id, text, value, note)``, made three times faster.

    The frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``
    (about 3 us a span); this fills the instance's ``__dict__`` directly, in the
    constructor's order, which is all that ``__init__`` does for a ``Span`` (no
    ``__post_init__``, no slots: tests/test_labelstudio_import_fast_span.py holds it to the constructor).
    """
    span = _new(Span)
    fields = span.__dict__
    fields["start"] = start
    fields["end"] = end
    fields["label"] = label
    fields["id"] = span_id
    fields["text"] = text
    fields["value"] = value
    fields["note"] = note
    fields["score"] = None
    return span


# --- writing -------------------------------------------------------------------------------------


_SPAN_LINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), check_circular=False).encode
"""A span's record on one line (``json.dumps`` with these options, the encoder made once, not per span)."""
_STRING: Final[Callable[[str], str]] = json.encoder.encode_basestring
"""The C function the encoder above calls for every string (``ensure_ascii=False``)."""


def _json_scalar(value: object) -> str | None:
    """``_SPAN_LINE`` of ``value`` if it is None, a string or a plain ``int``; else None (not vouched for)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _STRING(value)
    return repr(value) if type(value) is int else None


def raw_anchors(offsets: OffsetMap, spans: Sequence[Span]) -> list[tuple[int, int]]:
    """``offsets.raw_span(span.start, span.end)`` of each span, the run table looked at in place.

    ``OffsetMap.raw_span`` is two method calls and two bounds checks an offset; a span
    with plain ``int`` offsets inside the text takes the same run (``bisect_right`` over
    the run starts, less one) in one step here, any other goes through ``raw_span``
    (which raises what it raises: tests/test_gold_render_fast.py).
    """
    runs, length = offsets.runs, offsets.text_length
    firsts = [run[0] for run in runs]
    anchors: list[tuple[int, int]] = []
    for span in spans:
        start, end = span.start, span.end
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= length:
            anchors.append(offsets.raw_span(start, end))
            continue
        text_at, raw_at, _ = runs[bisect_right(firsts, start) - 1]
        last_at, raw_last, _ = runs[bisect_right(firsts, end - 1) - 1]
        anchors.append((raw_at + start - text_at, raw_last + end - last_at))
    return anchors


def _span_line(span: Span, raw: tuple[int, int]) -> str:
    """``"    " + _SPAN_LINE(span_to_json(span, raw=raw))``, written out directly when every field is
    a plain ``int``, a string or None (any other span goes through the encoder; the
    encoder writes these exactly so: tests/test_gold_render_fast.py)."""
    start, end, span_id, label, text, note = span.start, span.end, span.id, span.label, span.text, span.note
    raw_start, raw_end = raw
    value = _json_scalar(value_to_json(label, span.value))
    if (
        value is None
        or type(start) is not int
        or type(end) is not int
        or type(raw_start) is not int
        or type(raw_end) is not int
        or not isinstance(span_id, str)
        or not isinstance(label, str)
        or not isinstance(text, str)
        or not (note is None or isinstance(note, str))
        or span.score is not None
    ):
        return "    " + _SPAN_LINE(span_to_json(span, raw=(raw_start, raw_end)))
    tail = f', "note": {_STRING(note)}}}' if note else "}"
    return (
        f'    {{"id": {_STRING(span_id)}, "start": {start}, "end": {end}, "label": {_STRING(label)}, '
        f'"text": {_STRING(text)}, "value": {value}, "raw": [{raw_start}, {raw_end}]{tail}'
    )


def render_annotations(document: Document, spans: Iterable[Span], *, status: str = COMPLETE) -> str:
    """The file's text: deterministic, one span per line, in text order (``status`` unless complete)."""
    return render_in_order(document, nesting_order(spans), status=status)


def render_in_order(document: Document, ordered: Sequence[Span], *, status: str = COMPLETE) -> str:
    """``render_annotations`` of spans already in ``nesting_order`` (so not sorted again)."""
    lines = [
        "{",
        f'  "document": {json.dumps(document.id)},',
        f'  "text_sha256": "{text_sha256(document.text)}",',
    ]
    if status != COMPLETE:
        lines.append(f'  "status": {json.dumps(status)},')
    body = list(map(_span_line, ordered, raw_anchors(document.offset_map, ordered)))
    lines += ['  "spans": [', ",\n".join(body), "  ]"] if body else ['  "spans": []']
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_annotations(
    repo: Repo, document: Document, spans: Iterable[Span], *, status: str = COMPLETE
) -> bool:
    """Write a document's gold spans atomically, after checking them; True if the file changed."""
    spans = list(spans)
    path = annotation_path(repo, document.id)
    shown = repo.relative(path)
    raise_all(
        [
            *_status_problems({"status": status}, file=shown, document=document.id),
            *semantic_errors(document.id, document.text, spans, file=shown),
        ]
    )
    return atomic_write_text(path, render_annotations(document, spans, status=status))


# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnotationFile:
    """A parsed annotation file, before its spans are checked against the text."""

    path: Path
    document: str
    text_sha256: str
    spans: tuple[Span, ...]
    raw_anchors: Mapping[str, tuple[int, int]]
    status: str = COMPLETE


def _status_problems(data: Any, *, file: str, document: str) -> list[RasdError]:
    """A ``status`` that is not one of ``FILE_STATUSES``, worded as the schema words an enum."""
    status = data.get("status", COMPLETE) if isinstance(data, dict) else COMPLETE
    if isinstance(status, str) and status in FILE_STATUSES:
        return []
    return [
        SCHEMA_MISMATCH(
            file=file,
            document=document,
            span=None,
            json_path="$.status",
            message=f"{status!r} is not one of {list(FILE_STATUSES)!r}",
            schema_name=GOLD_SCHEMA,
            validator="enum",
        )
    ]


def _without_status(data: Any) -> Any:
    """The file without ``status``, which ``_status_problems`` checks (whether or not the schema knows it)."""
    return {k: v for k, v in data.items() if k != "status"} if isinstance(data, dict) else data


def iter_structure_problems(
    data: Any, *, file: str, document: str, text: str | None = None
) -> Iterable[RasdError]:
    """The schema's violations, then what the schema lets through (float offsets, lone surrogates).

    ``text``: the JSON text ``data`` was parsed from, when known.  A string holds
    a lone surrogate only through a ``\\u`` escape (strictly decoded UTF-8 has
    none), so a text without one is not walked for them.
    """
    yield from structural_errors(GOLD_SCHEMA, _without_status(data), file=file, document=document)
    yield from _status_problems(data, file=file, document=document)
    yield from iter_offset_type_problems(data, file=file, document=document)
    if text is None or "\\u" in text:
        yield from iter_lone_surrogate_problems(data, file=file, document=document)


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise FastPathDeclined  # a repeated key or a NaN: ``loads_json`` names it
    return found


def _refuse(token: str) -> Any:
    raise FastPathDeclined


def _loads(text: str, *, file: str) -> Any:
    """``loads_json``, with a cheaper check for repeated keys; any error is named by ``loads_json``."""
    try:
        return json.loads(text, object_pairs_hook=_unique, parse_constant=_refuse)
    except (FastPathDeclined, ValueError):
        return loads_json(text, file=file)


def _read_json_of(path: Path, *, file: str, document: str, data: bytes | None) -> tuple[str, Any]:
    """The file's text and its JSON (``read_json``; of ``data`` when given), its document named in errors."""
    try:
        text = read_text(path, file=file) if data is None else decode_utf8(data, file=file)
        return text, _loads(text, file=file)
    except RasdError as error:
        entry = CATALOGUE.get(error.code)
        if entry is None:
            raise
        values: dict[str, Any] = dict(error.values)
        raise entry(file=error.file, document=document, **values) from None


def _span_of(record: Mapping[str, Any]) -> Span:
    """``span_from_json`` of a span ``plain_annotation`` vouched for (a string value is kept as it is),
    made as ``made_span`` makes it."""
    value = record.get("value")
    label = record["label"]
    span = _new(Span)
    fields = span.__dict__
    fields["start"] = record["start"]
    fields["end"] = record["end"]
    fields["label"] = label
    fields["id"] = record["id"]
    fields["text"] = record["text"]
    fields["value"] = value if value is None or type(value) is str else value_from_json(label, value)
    fields["note"] = record.get("note")
    fields["score"] = None
    return span


def _parsed(path: Path, shown: str, data: bytes | None = None) -> AnnotationFile:
    text, parsed = _read_json_of(path, file=shown, document=path.stem, data=data)
    plain = plain_annotation(parsed)  # valid, offsets all ints, a known status: only surrogates are left
    if not plain or "\\u" in text:
        raise_all(
            iter_structure_problems(parsed, file=shown, document=path.stem, text=text),
            summary="schema violations",
        )
    if parsed["document"] != path.stem:
        raise GOLD_DOCUMENT_MISMATCH(
            file=shown, document=path.stem, stem=path.stem, content=parsed["document"]
        )
    records = parsed["spans"]
    return AnnotationFile(
        path,
        parsed["document"],
        parsed["text_sha256"],
        tuple(map(_span_of if plain else span_from_json, records)),
        {record["id"]: tuple(record["raw"]) for record in records},
        parsed.get("status", COMPLETE),
    )


def read_annotation_file(repo: Repo, path: Path) -> AnnotationFile:
    """Parse and structurally validate one file; raise every problem found."""
    return _named(repo, path, _parsed)


def _checked(
    path: Path, shown: str, document: Document, data: bytes | None, digest: str | None
) -> tuple[str, tuple[Span, ...]]:
    parsed = _parsed(path, shown, data)
    if parsed.text_sha256 != (text_sha256(document.text) if digest is None else digest):
        raise GOLD_STALE(file=shown, document=document.id)
    raise_all(semantic_errors(document.id, document.text, parsed.spans, file=shown), summary="span errors")
    return parsed.status, parsed.spans


def read_checked(
    repo: Repo, document: Document, *, data: bytes | None = None, text_digest: str | None = None
) -> tuple[str, tuple[Span, ...]]:
    """The status and spans of ``document``'s file, checked against its text (no file: ``unannotated``).

    ``data``: the file's bytes, when the caller has read them already (the file
    is then not opened again); None reads the file, if there is one.
    ``text_digest``: ``text_sha256(document.text)``, when the caller knows it already.
    """
    path = annotation_path(repo, document.id)
    if data is None and not path.exists():
        return UNANNOTATED, ()
    return _named(repo, path, lambda at, shown: _checked(at, shown, document, data, text_digest))


def _named(repo: Repo, path: Path, read: Callable[[Path, str], T]) -> T:
    """``read(path, shown)``, the file's shown name worked out only when there is a problem to name it in.

    ``Repo.relative`` resolves the path (a system call per link); a file that
    passes every check is never named, so it is read unnamed first and, only if
    that raises, read again with its name, which raises the same problems.
    """
    try:
        return read(path, "")
    except RasdError:
        pass
    return read(path, repo.relative(path))
