"""Suggestions on disk: ``dataset/predictions/<id>.json`` and the JSON Lines of ``rasd preannotate``.

Stored suggestions (``PredictionsFile``) are written one span per line, like the
gold files, so diffs stay readable::

    {
      "document": "<id>",
      "text_sha256": "<sha256 of the document text>",
      "model_version": "rasd-rules-2",
      "spans": [
        {"id": "s…", "start": 0, "end": 8, "label": "PLATFORM", "text": "…", "value": "telegram",
         "score": 0.85}
      ]
    }

``rasd preannotate --input IN.jsonl --output OUT.jsonl`` reads one text a line
(``TextRecord``: ``{"id": "...", "text": "...", "published": "2019-02-21"}``,
``published`` optional, used to resolve relative dates) and writes each line
back with its suggestions: ``{"id", "text", "spans": [{"start", "end",
"label", "text", "value", "score"}]}``.  Ids are unique and texts non-empty; every
problem of the input is reported, with its line, and then nothing is written.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from math import isfinite
from pathlib import Path
from typing import Any

from rasd.core.errors import FastPathDeclined, RasdError, raise_all
from rasd.core.io import atomic_stream, atomic_write_text, holds, iter_json_lines, read_json, writing_errors
from rasd.core.journal import Transaction
from rasd.core.labels import Label, parse_label
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.core.problems.preannotate import (
    DEVSET_SPAN_MALFORMED,
    INPUT_CONTROL_CHARACTER,
    INPUT_DUPLICATE_ID,
    INPUT_EMPTY_TEXT,
    INPUT_LINE_NOT_A_TEXT,
    INPUT_LINE_NOT_JSON,
    PREDICTION_SPAN_MALFORMED,
    PREDICTIONS_FIELD_NOT_TEXT,
    PREDICTIONS_NOT_AN_OBJECT,
    PREDICTIONS_UNREADABLE,
)
from rasd.core.problems.storage import CANNOT_READ, INVALID_JSON

PREDICTIONS_FOLDER = "predictions"
HEAD_FIELDS = ("document", "text_sha256", "model_version")


def predictions_dir(repo: Repo) -> Path:
    """Machine suggestions live beside the gold, never in it: ``dataset/predictions/``."""
    return repo.dataset_dir / PREDICTIONS_FOLDER


def prediction_path(repo: Repo, doc_id: str) -> Path:
    return predictions_dir(repo) / f"{doc_id}.json"


# --- dataset/predictions/<id>.json -----------------------------------------------------------------


@dataclass(frozen=True)
class PredictionsFile:
    """The stored suggestions of one document, made on the text whose sha256 is recorded."""

    document: str
    text_sha256: str
    model_version: str
    spans: tuple[Span, ...]


STORED_SPAN_FIELDS = ("id", "start", "end", "label", "text", "value", "score")
SUGGESTED_SPAN_FIELDS = STORED_SPAN_FIELDS[1:]  # an output line's spans have no ids


def span_record(span: Span, fields: Sequence[str] = STORED_SPAN_FIELDS) -> dict[str, Any]:
    """A suggested span as JSON, in file order."""
    return {name: getattr(span, name) for name in fields}


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False), made once
_STRING: Callable[[str], str] = json.encoder.encode_basestring  # the C function ``_ENCODE`` quotes a str with


def _json_string(value: object) -> str:
    """``value`` as ``_ENCODE`` writes a ``str`` (subclasses too: a ``Label``); else ``FastPathDeclined``."""
    if not isinstance(value, str):
        raise FastPathDeclined
    return _STRING(value)


def _json_score(value: object) -> str:
    """A score as ``_ENCODE`` writes it (``null`` or a finite float's ``repr``), else ``FastPathDeclined``."""
    if value is None:
        return "null"
    if type(value) is not float or not isfinite(value):  # NaN and infinities are spelled otherwise
        raise FastPathDeclined
    return float.__repr__(value)


def span_line(span: Span) -> str:
    """``_ENCODE(span_record(span))``, written directly: no dict and no encoder call per span.

    Only plain fields (str, exact int, ``None``, finite float) are written here; any other
    value goes to ``_ENCODE`` (``tests/test_preannotate_files.py`` holds the two equal).
    """
    start, end, value = span.start, span.end, span.value
    if type(start) is not int or type(end) is not int:
        return _ENCODE(span_record(span))
    try:
        return (
            f'{{"id": {_json_string(span.id)}, "start": {start}, "end": {end}, '
            f'"label": {_json_string(span.label)}, "text": {_json_string(span.text)}, '
            f'"value": {"null" if value is None else _json_string(value)}, '
            f'"score": {_json_score(span.score)}}}'
        )
    except FastPathDeclined:  # a field span_line does not write itself (an int subclass, a NaN)
        return _ENCODE(span_record(span))


def render_predictions(predictions: PredictionsFile) -> str:
    """One span per line, like the gold files, so diffs stay readable."""
    head = {name: getattr(predictions, name) for name in HEAD_FIELDS}
    lines = ["{"] + [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    body = ",\n".join(["    " + span_line(s) for s in predictions.spans])
    lines += ['  "spans": [', body, "  ]"] if predictions.spans else ['  "spans": []']
    return "\n".join([*lines, "}"]) + "\n"


def write_predictions(path: Path, predictions: PredictionsFile, *, file: str) -> bool:
    """Write the file atomically; False when it already held exactly this."""
    with writing_errors(file):
        return atomic_write_text(path, render_predictions(predictions))


PREDICTIONS_PER_COMMIT = 1024
"""Files staged before ``PredictionsWriter`` commits them: one ``os.sync()`` for so many files,
and a journal (and a loss on ``kill -9``) of at most so many."""
JOURNAL_NAME = "preannotate"


class PredictionsWriter:
    """Many documents' prediction files, written in bounded batches that are each all or nothing.

    ``write`` stages a file's bytes in a ``rasd.core.journal.Transaction``; every
    ``per_commit`` files the transaction is committed (one ``os.sync()``, the plan, then
    one rename a file), so no file is ever seen half-written, even after ``kill -9``
    (``recover``, which every ``rasd`` command runs first, finishes or undoes the batch
    in flight), and neither the journal nor the memory grows with the corpus.  A file
    that already holds the same bytes is not rewritten.  Leaving the ``with`` block
    commits what was staged, also on an error (each file is complete by itself, as
    when they were written one by one); an interruption (``KeyboardInterrupt``)
    abandons the batch in flight.
    """

    def __init__(self, repo: Repo, *, per_commit: int = PREDICTIONS_PER_COMMIT) -> None:
        self.root = repo.root
        self.folder = predictions_dir(repo)
        self.shown = repo.relative(self.folder)
        self.per_commit = max(1, per_commit)
        self._folder = os.path.join(self.folder, "")  # strings, not paths: this runs once a document
        self._transaction: Transaction | None = None
        self._staged = 0

    def write(self, doc_id: str, data: bytes) -> bool:
        """Stage ``data`` as ``<doc_id>.json``; False when the file already held exactly this."""
        path = f"{self._folder}{doc_id}.json"
        with writing_errors(f"{self.shown}/{doc_id}.json"):
            if holds(path, data):
                return False
            if self._transaction is None:
                self._transaction = Transaction(self.root, JOURNAL_NAME)
            self._transaction.write_bytes(path, data)
        self._staged += 1
        if self._staged >= self.per_commit:
            self.commit()
        return True

    def commit(self) -> None:
        """Make every staged file visible (nothing to do when none is staged)."""
        transaction, self._transaction, self._staged = self._transaction, None, 0
        if transaction is not None:
            with writing_errors(self.shown):
                transaction.commit()

    def abandon(self) -> None:
        """Drop the staged files: nothing of the batch in flight is applied."""
        transaction, self._transaction, self._staged = self._transaction, None, 0
        if transaction is not None:
            transaction.abandon()
            with contextlib.suppress(OSError):
                transaction.folder.parent.rmdir()

    def __enter__(self) -> PredictionsWriter:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if exc is None or isinstance(exc, Exception):
            self.commit()
        else:
            self.abandon()


def read_predictions(path: Path, *, file: str, document: str) -> PredictionsFile:
    """The suggestions stored at ``path``, strictly parsed; every structural problem raised together."""
    data = _parse(path, file=file, document=document)
    if not isinstance(data, dict) or not isinstance(data.get("spans"), list):
        raise PREDICTIONS_NOT_AN_OBJECT(file=file, document=document)
    raise_all(
        PREDICTIONS_FIELD_NOT_TEXT(file=file, document=document, field=name)
        for name in HEAD_FIELDS
        if not isinstance(data.get(name), str)
    )
    read = [_read_span(record, n, file=file, document=document) for n, record in enumerate(data["spans"])]
    raise_all(r for r in read if isinstance(r, RasdError))
    spans = tuple(r for r in read if isinstance(r, Span))
    return PredictionsFile(data["document"], data["text_sha256"], data["model_version"], spans)


def _parse(path: Path, *, file: str, document: str) -> Any:
    """The file's JSON; a file that is there but not strict JSON is ``PREDICTIONS_UNREADABLE``."""
    try:
        return read_json(path, file=file)
    except RasdError as exc:
        if exc.code == CANNOT_READ.code:
            raise
        raise PREDICTIONS_UNREADABLE(file=file, document=document, reason=exc.problem) from None


def _integer(value: Any) -> bool:
    """An offset: a JSON integer (``65.0`` and ``true`` are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


REQUIRED_SPAN_FIELDS = STORED_SPAN_FIELDS[:5]
_SPAN_FIELD_TYPES: dict[str, Callable[[Any], bool]] = {
    "id": lambda v: isinstance(v, str),
    "start": _integer,
    "end": _integer,
    "text": lambda v: isinstance(v, str),
    "value": lambda v: v is None or isinstance(v, str),
    "score": lambda v: v is None or _number(v),
}


def _span_fault(record: Any) -> str | None:
    """What is wrong with one stored suggestion, or None."""
    if not isinstance(record, dict):
        return "not an object"
    missing = [k for k in REQUIRED_SPAN_FIELDS if k not in record]
    if missing:
        return "missing " + ", ".join(map(repr, missing))
    wrong = [k for k, fits in _SPAN_FIELD_TYPES.items() if not fits(record.get(k))]
    if wrong:
        return "wrong type: " + ", ".join(f"{k!r} is {record[k]!r}" for k in wrong)
    if not isinstance(record["label"], str) or parse_label(record["label"]) is None:
        return f"unknown label {record['label']!r}"
    return None


_LABELS = Label.__members__
_TEXT_OR_NONE = frozenset({str, type(None)})
_NUMBER_OR_NONE = frozenset({int, float, type(None)})


def _plainly_right(record: Any) -> bool:
    """What ``rasd preannotate`` writes: ``_span_fault`` would find nothing (checked by exact types).

    Only a sufficient test: whatever it does not vouch for goes through ``_span_fault``,
    which names the problem, if there is one.
    """
    get = record.get
    return (
        type(get("id")) is str
        and type(get("start")) is int
        and type(get("end")) is int
        and type(get("text")) is str
        and type(get("label")) is str
        and record["label"] in _LABELS
        and type(get("value")) in _TEXT_OR_NONE
        and type(get("score")) in _NUMBER_OR_NONE
    )


def _read_span(record: Any, n: int, *, file: str, document: str) -> Span | RasdError:
    if not (type(record) is dict and _plainly_right(record)):
        fault = _span_fault(record)
        if fault is not None:
            return PREDICTION_SPAN_MALFORMED(file=file, document=document, index=n, reason=fault)
    score = record.get("score")
    return Span(
        start=record["start"],
        end=record["end"],
        label=_LABELS[record["label"]],
        id=record["id"],
        text=record["text"],
        value=record.get("value"),
        score=None if score is None else float(score),
    )


# --- rasd preannotate --input / --output ------------------------------------------------------------


@dataclass(frozen=True)
class TextRecord:
    """One line of a pre-annotation input: a text to annotate, and where it came from."""

    id: str
    text: str
    published: str | None
    line: int


def _text_record(number: int, value: Any, *, file: str) -> TextRecord | RasdError:
    if isinstance(value, dict) and isinstance(value.get("id"), str) and isinstance(value.get("text"), str):
        published = value.get("published")
        return TextRecord(
            value["id"], value["text"], published if isinstance(published, str) else None, number
        )
    doc_id = value.get("id") if isinstance(value, dict) and isinstance(value.get("id"), str) else None
    return INPUT_LINE_NOT_A_TEXT(file=file, document=doc_id, line=number)


def _json_lines(path: Path, *, file: str, errors: list[RasdError]) -> Iterator[tuple[int, Any]]:
    """``iter_json_lines``; a line that is not JSON ends the file, added to ``errors``."""
    try:
        yield from iter_json_lines(path, file=file)
    except RasdError as exc:
        if exc.code != INVALID_JSON.code:
            raise
        line, column, reason = (exc.values[k] for k in ("line", "column", "reason"))
        errors.append(INPUT_LINE_NOT_JSON(file=file, line=line, column=column, reason=reason))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 controls but tab, LF, CR


def _text_problems(record: TextRecord, first: dict[str, int], *, file: str) -> Iterator[RasdError]:
    """A repeated id (``first``: the line where each id was first seen) or an empty text."""
    seen = first.setdefault(record.id, record.line)
    if seen != record.line:
        yield INPUT_DUPLICATE_ID(file=file, document=record.id, line=record.line, id=record.id, first=seen)
    if not record.text.strip():
        yield INPUT_EMPTY_TEXT(file=file, document=record.id, line=record.line)
    control = _CONTROL.search(record.text)
    if control:
        yield INPUT_CONTROL_CHARACTER(
            file=file,
            document=record.id,
            line=record.line,
            codepoint=ord(control.group()),
            offset=control.start(),
        )


def read_texts(path: Path, *, file: str) -> Iterator[TextRecord]:
    """The texts of a JSON Lines file, streamed while every line is right.

    Every problem (a line that is not an object with a string id and text, a
    repeated id, an empty text) is collected with its line number; once one is
    found no further text is yielded, and all are raised together at the end,
    so a consumer that writes as it reads (``write_suggestions``) writes nothing.
    """
    errors: list[RasdError] = []
    for _, record in _checked_records(path, file=file, errors=errors):
        if not errors:
            yield record
    raise_all(errors, summary=f"problems in {file}")


def _checked_records(path: Path, *, file: str, errors: list[RasdError]) -> Iterator[tuple[Any, TextRecord]]:
    """``(line value, text record)`` of every well-formed line; every problem is appended to ``errors``."""
    first: dict[str, int] = {}
    for number, value in _json_lines(path, file=file, errors=errors):
        record = _text_record(number, value, file=file)
        if isinstance(record, RasdError):
            errors.append(record)
            continue
        errors += _text_problems(record, first, file=file)
        yield value, record


def suggestion_record(record: TextRecord, spans: Sequence[Span]) -> dict[str, Any]:
    """One output line: the text and its suggested spans (no ids: they belong to stored files)."""
    return {
        "id": record.id,
        "text": record.text,
        "spans": [
            {
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "text": s.text,
                "value": s.value,
                "score": s.score,
            }
            for s in spans
        ],
    }


def write_suggestions(path: Path, results: Iterable[tuple[TextRecord, Sequence[Span]]], *, file: str) -> int:
    """Stream ``results`` to ``path``, one JSON line each; the number written.

    The file appears only once every line is done: an error raised while
    ``results`` is consumed leaves no output, not even half of one.
    """
    count = 0
    with writing_errors(file), atomic_stream(path) as out:
        for record, spans in results:
            out.write(_ENCODE(suggestion_record(record, spans)) + "\n")
            count += 1
    return count


# --- rasd eval --devset: passages with their gold spans ---------------------------------------------


@dataclass(frozen=True)
class GoldText:
    """One development-set passage: the text (with ``published``) and its gold spans."""

    record: TextRecord
    spans: tuple[Span, ...]


def _gold_span_fault(record: Any, text: str) -> str | None:
    if not isinstance(record, dict):
        return "not an object"
    if not (_integer(record.get("start")) and _integer(record.get("end"))):
        return "start and end must be integers"
    if not isinstance(record.get("label"), str) or parse_label(record["label"]) is None:
        return f"unknown label {record.get('label')!r}"
    start, end = record["start"], record["end"]
    if not 0 <= start < end <= len(text) or text[start:end] != record.get("text"):
        return f"[{start}, {end}) does not hold the span's text {record.get('text')!r}"
    return None


def _gold_spans(value: dict[str, Any], record: TextRecord, *, file: str) -> tuple[Span, ...] | RasdError:
    spans: list[Span] = []
    raw = value.get("spans", [])
    for n, item in enumerate(raw if isinstance(raw, list) else [raw]):
        fault = "spans must be a list" if not isinstance(raw, list) else _gold_span_fault(item, record.text)
        if fault is not None:
            return DEVSET_SPAN_MALFORMED(
                file=file, document=record.id, line=record.line, index=n, reason=fault
            )
        value_field = item.get("value")
        spans.append(
            Span(
                start=item["start"],
                end=item["end"],
                label=Label[item["label"]],
                id=f"{record.id}-{n}",
                text=item["text"],
                value=None if value_field is None else str(value_field),
            )
        )
    return tuple(sorted(spans))


def read_gold_texts(path: Path, *, file: str) -> list[GoldText]:
    """The passages of a development-set file with their gold spans; every problem raised together."""
    errors: list[RasdError] = []
    passages: list[GoldText] = []
    for value, record in _checked_records(path, file=file, errors=errors):
        spans = _gold_spans(value, record, file=file)
        if isinstance(spans, RasdError):
            errors.append(spans)
        else:
            passages.append(GoldText(record, spans))
    raise_all(errors, summary=f"problems in {file}")
    return passages
