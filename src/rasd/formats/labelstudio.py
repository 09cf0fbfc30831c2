"""Label Studio JSON on disk: task lists Rasd writes, exports it reads, and pre-annotation lines.

The one reader and writer of these files (an export file streamed through ``rasd.formats.exportstream``);
no other module opens them.

* **task list** (``rasd ls export-tasks OUT.json``, what the UI's *Import* takes):
  a JSON list of ``TaskJSON``, written by ``write_tasks`` (or ``stream_tasks``, the same
  bytes): one task a line, each compact JSON (CPython's C encoder; ``indent`` would make
  it fall back to the pure-Python one, several times slower on a whole corpus).
* **export** (what the UI's *Export > JSON* and the server's export API give):
  the same list, each task with ``id``, ``annotations[].result[]``, ``drafts`` and
  ``predictions``; read by ``read_export`` (a file) or ``loads_export`` (the
  server's bytes).  A result region is ``{id, from_name, to_name, type: labels,
  value: {start, end, text, labels}}``; its per-region text areas share its ``id``.
* **pre-annotation lines** (``--predictions-file``): JSON Lines of
  ``{"document": ID, "spans": [{start, end, label, score?, value?, id?}]}``,
  read by ``iter_prediction_lines``.

Parsing is strict (``rasd.core.io``: repeated keys and ``NaN`` refused, OS errors
named); the shape of every task is checked before anything else reads it, and
each problem is an entry of ``rasd.core.problems.labelstudio`` naming the task.
Offsets must be JSON integers: ``65.0`` or ``true`` is not an offset.

Export files are streamed (``iter_export``; they reach gigabytes) by
``rasd.formats.exportstream``, which reads each task of the list on its own exactly
as the strict reader would read it in the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any, Final, NotRequired, TypedDict, TypeGuard, cast

from rasd.core.errors import RasdError
from rasd.core.io import (
    atomic_file,
    atomic_write_text,
    decode_utf8,
    iter_json_lines,
    loads_json,
)
from rasd.core.problems.labelstudio import (
    ANNOTATION_NOT_AN_OBJECT,
    NOT_AN_EXPORT,
    PREDICTION_LINE_SHAPE,
    PREDICTION_SPAN_SHAPE,
    RESULT_NOT_AN_OBJECT,
    TASK_DATA_FIELD,
    TASK_FIELD_NOT_A_LIST,
    TASK_NOT_AN_OBJECT,
    TASK_WITHOUT_DATA,
)
from rasd.formats.exportstream import LIST, iter_export_items

# Names tying the labeling config (``rasd.labelstudio.config``) to the task JSON.
LABELS_NAME: Final = "label"
TEXT_NAME: Final = "text"
VALUE_NAME: Final = "value"
NOTE_NAME: Final = "note"
DATA_ID: Final = "id"
DATA_TEXT: Final = "text"
DATA_TITLE: Final = "title"
DATA_ORIGIN: Final = "origin"


class RegionValue(TypedDict, total=False):
    """``value`` of a result: a labelled region, or a per-region text area (``text`` is then a list)."""

    start: int
    end: int
    text: str | list[str]
    labels: list[str]


class Result(TypedDict):
    """One result item; a region is the ``labels`` item plus the text areas sharing its ``id``."""

    id: str
    from_name: str
    to_name: str
    type: str
    value: RegionValue
    origin: NotRequired[str]
    score: NotRequired[float]


class AnnotationJSON(TypedDict):
    result: list[Result]
    id: NotRequired[int]
    ground_truth: NotRequired[bool]
    was_cancelled: NotRequired[bool]
    completed_by: NotRequired[int | dict[str, Any]]


class DraftJSON(TypedDict):
    result: list[Result]


class PredictionJSON(TypedDict):
    model_version: str
    result: list[Result]
    score: NotRequired[float]


class TaskData(TypedDict):
    id: str
    text: str
    title: str
    origin: str


class TaskJSON(TypedDict):
    data: TaskData
    id: NotRequired[int]
    annotations: NotRequired[list[AnnotationJSON]]
    predictions: NotRequired[list[PredictionJSON]]
    drafts: NotRequired[list[DraftJSON]]


Export = list[TaskJSON]


class PredictionSpanJSON(TypedDict):
    """One span of a ``--predictions-file`` line, offsets in code points."""

    start: int
    end: int
    label: str
    score: NotRequired[float | None]
    value: NotRequired[str | int | float | None]
    id: NotRequired[Any]


def is_offset(value: object) -> TypeGuard[int]:
    """A JSON integer; a float such as ``65.0`` or a bool is not an offset."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_probability(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


# --- exports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedTasks:
    """The tasks of an export whose shape is right, and a problem for every other one."""

    origin: str
    tasks: tuple[TaskJSON, ...]
    problems: tuple[RasdError, ...]

    def __iter__(self) -> Iterator[TaskJSON | RasdError]:
        """The problems, then the tasks (what a merge reads)."""
        yield from self.problems
        yield from self.tasks


@dataclass(frozen=True)
class ExportFile:
    """An export file read as a stream: every iteration reads it again, one task at a time."""

    path: Path
    origin: str

    def __iter__(self) -> Iterator[TaskJSON | RasdError]:
        return iter_export(self.path, file=self.origin)


def task_name(origin: str, task: Mapping[str, Any], index: int) -> str:
    """How messages name a task: by its Label Studio id, else by its place in the export."""
    task_id = task.get("id")
    return f"{origin} task {task_id}" if is_offset(task_id) else f"{origin} task #{index + 1}"


def _iter_annotation_problems(item: Mapping[str, Any], where: str, doc: str | None) -> Iterator[RasdError]:
    for annotation in item.get("annotations", []):
        if not isinstance(annotation, dict) or not isinstance(annotation.get("result", []), list):
            yield ANNOTATION_NOT_AN_OBJECT(file=where, document=doc)
            return
        if not all(map(isinstance, annotation.get("result", []), repeat(dict))):  # in C: no frame an item
            yield RESULT_NOT_AN_OBJECT(file=where, document=doc, annotation=annotation.get("id"))
            return


def iter_task_problems(item: Any, where: str) -> Iterator[RasdError]:
    """The first thing wrong with the shape of one task (nothing when it can be read)."""
    if not isinstance(item, dict):
        yield TASK_NOT_AN_OBJECT(file=where)
        return
    data = item.get("data")
    if not isinstance(data, dict):
        yield TASK_WITHOUT_DATA(file=where)
        return
    doc = data.get(DATA_ID) if isinstance(data.get(DATA_ID), str) else None
    for key in (DATA_ID, DATA_TEXT):
        if not isinstance(data.get(key), str):
            yield TASK_DATA_FIELD(file=where, document=doc, key=key)
            return
    for key in ("annotations", "drafts"):
        if not isinstance(item.get(key, []), list):
            yield TASK_FIELD_NOT_A_LIST(file=where, document=doc, key=key)
            return
    yield from _iter_annotation_problems(item, where, doc)


def checked_tasks(items: Iterable[Any], origin: str) -> Iterator[TaskJSON | RasdError]:
    """Each item of an export's task list, in order: the task when its shape is right, else its problem."""
    for index, item in enumerate(items):
        where = task_name(origin, item if isinstance(item, dict) else {}, index)
        found = list(iter_task_problems(item, where))
        if found:
            yield from found
        else:
            yield cast(TaskJSON, item)


def collect(checked: Iterable[TaskJSON | RasdError], origin: str) -> ParsedTasks:
    tasks: list[TaskJSON] = []
    problems: list[RasdError] = []
    for item in checked:
        if isinstance(item, RasdError):
            problems.append(item)
        else:
            tasks.append(item)
    return ParsedTasks(origin, tuple(tasks), tuple(problems))


def parse_tasks(payload: Any, origin: str) -> ParsedTasks:
    """Check the shape of an export (parsed JSON): the usable tasks and every problem."""
    if not isinstance(payload, list):
        return ParsedTasks(origin, (), (NOT_AN_EXPORT(file=origin),))
    return collect(checked_tasks(payload, origin), origin)


def iter_export(path: Path, *, file: str) -> Iterator[TaskJSON | RasdError]:
    """An export file's tasks, streamed, each checked: a task, or the problem that makes it unreadable.

    A file that is not JSON (or repeats a key, or holds ``NaN``) raises its named
    error when the stream reaches the place; a caller writes nothing before the end.
    """
    items = iter_export_items(path, file=file)
    if next(items) is not LIST:
        yield NOT_AN_EXPORT(file=file)
        return
    yield from checked_tasks(items, file)


def read_export(path: Path, *, file: str) -> ParsedTasks:
    """An export file downloaded from the UI (Export > JSON), every task in memory."""
    return collect(iter_export(path, file=file), file)


def loads_export(data: bytes, *, origin: str) -> ParsedTasks:
    """An export as the server's export API sends it."""
    return parse_tasks(loads_json(decode_utf8(data, file=origin), file=origin), origin)


_ENCODE: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
"""One task as compact JSON; without ``indent`` CPython encodes with its C encoder (with it, in Python).

A task is a tree (nothing in it refers back up), so the encoder does not track what it is inside."""


def render_tasks(tasks: Sequence[TaskJSON]) -> str:
    """A task list as the UI imports it: one task a line, each compact JSON, inside the list."""
    if not tasks:
        return "[]\n"
    return "[\n" + ",\n".join(map(_ENCODE, tasks)) + "\n]\n"


def write_tasks(path: Path, tasks: Sequence[TaskJSON]) -> bool:
    """A task list for the UI's import, written atomically; False when the file already held it."""
    return atomic_write_text(path, render_tasks(tasks))


def task_line(task: TaskJSON) -> str:
    """One task as ``render_tasks`` lays it out: one line (JSON strings hold no raw newline)."""
    return _ENCODE(task)


def write_task_lines(path: Path, lines: Iterable[str]) -> int:
    """``stream_tasks`` for tasks already rendered by ``task_line`` (in another process, say)."""
    return write_task_bytes(path, (line.encode("utf-8") for line in lines))


def write_task_bytes(path: Path, lines: Iterable[bytes]) -> int:
    """``write_task_lines`` for lines already in UTF-8 (a worker encodes them, the parent copies them)."""
    count = 0
    with atomic_file(path, "wb") as out:
        for line in lines:
            out.write(b"[\n" if count == 0 else b",\n")
            out.write(line)
            count += 1
        out.write(b"\n]\n" if count else b"[]\n")
    return count


def stream_tasks(path: Path, tasks: Iterable[TaskJSON]) -> int:
    """``write_tasks`` one task at a time (bounded memory), the same bytes; returns the task count."""
    return write_task_lines(path, map(task_line, tasks))


# --- pre-annotation lines -------------------------------------------------------------------------


@dataclass(frozen=True)
class PredictionLine:
    """One line of a ``--predictions-file``: its document id and the spans whose shape is right."""

    where: str
    document: str | None
    spans: tuple[PredictionSpanJSON, ...]
    problems: tuple[RasdError, ...]


def is_prediction_span(item: Any) -> TypeGuard[PredictionSpanJSON]:
    return (
        isinstance(item, dict)
        and is_offset(item.get("start"))
        and is_offset(item.get("end"))
        and isinstance(item.get("label"), str)
        and (item.get("score") is None or is_probability(item["score"]))
        and (item.get("value") is None or isinstance(item["value"], str | int | float))
    )


def prediction_line(record: Any, where: str) -> PredictionLine:
    """Check the shape of one parsed line; the document id is checked against the corpus later."""
    doc = record.get("document") if isinstance(record, dict) else None
    document = doc if isinstance(doc, str) else None
    items = record.get("spans") if isinstance(record, dict) else None
    if document is None or not isinstance(items, list):
        return PredictionLine(where, document, (), (PREDICTION_LINE_SHAPE(file=where, document=document),))
    spans = tuple(item for item in items if is_prediction_span(item))
    problems = tuple(
        PREDICTION_SPAN_SHAPE(file=where, document=document, number=k)
        for k, item in enumerate(items, start=1)
        if not is_prediction_span(item)
    )
    return PredictionLine(where, document, spans, problems)


def iter_prediction_lines(path: Path, *, file: str) -> Iterator[PredictionLine]:
    """Every non-blank line of a ``--predictions-file``, streamed, named ``FILE line N``."""
    for number, record in iter_json_lines(path, file=file):
        yield prediction_line(record, f"{file} line {number}")
