"""Label Studio JSON on disk: task lists Rasd writes, exports it reads, and pre-annotation lines.

The one reader and writer of these files; no other module opens them.

* **task list** (``rasd ls export-tasks OUT.json``, what the UI's *Import* takes):
  a JSON list of ``TaskJSON``, written by ``write_tasks``.
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
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NotRequired, TypedDict, TypeGuard, cast

from rasd.core.errors import RasdError
from rasd.core.io import atomic_write_text, decode_utf8, iter_json_lines, loads_json, read_json
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


def task_name(origin: str, task: Mapping[str, Any], index: int) -> str:
    """How messages name a task: by its Label Studio id, else by its place in the export."""
    task_id = task.get("id")
    return f"{origin} task {task_id}" if is_offset(task_id) else f"{origin} task #{index + 1}"


def _iter_annotation_problems(item: Mapping[str, Any], where: str, doc: str | None) -> Iterator[RasdError]:
    for annotation in item.get("annotations", []):
        if not isinstance(annotation, dict) or not isinstance(annotation.get("result", []), list):
            yield ANNOTATION_NOT_AN_OBJECT(file=where, document=doc)
            return
        if not all(isinstance(result, dict) for result in annotation.get("result", [])):
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


def parse_tasks(payload: Any, origin: str) -> ParsedTasks:
    """Check the shape of an export (parsed JSON): the usable tasks and every problem."""
    if not isinstance(payload, list):
        return ParsedTasks(origin, (), (NOT_AN_EXPORT(file=origin),))
    tasks: list[TaskJSON] = []
    problems: list[RasdError] = []
    for index, item in enumerate(payload):
        where = task_name(origin, item if isinstance(item, dict) else {}, index)
        found = list(iter_task_problems(item, where))
        if found:
            problems += found
        else:
            tasks.append(cast(TaskJSON, item))
    return ParsedTasks(origin, tuple(tasks), tuple(problems))


def read_export(path: Path, *, file: str) -> ParsedTasks:
    """An export file downloaded from the UI (Export > JSON)."""
    return parse_tasks(read_json(path, file=file), file)


def loads_export(data: bytes, *, origin: str) -> ParsedTasks:
    """An export as the server's export API sends it."""
    return parse_tasks(loads_json(decode_utf8(data, file=origin), file=origin), origin)


def render_tasks(tasks: Sequence[TaskJSON]) -> str:
    return json.dumps(list(tasks), ensure_ascii=False, indent=1) + "\n"


def write_tasks(path: Path, tasks: Sequence[TaskJSON]) -> bool:
    """A task list for the UI's import, written atomically; False when the file already held it."""
    return atomic_write_text(path, render_tasks(tasks))


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
