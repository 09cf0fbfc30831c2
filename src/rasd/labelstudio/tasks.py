"""Label Studio JSON <-> Rasd documents and spans: the pure half of the round trip.

Annotators correct Rasd in Label Studio; this module turns documents into tasks
(``document_to_task``) and tasks back into gold spans (``task_to_spans``), and
merges a whole export into ``dataset/annotations/`` (``merge_tasks`` then
``apply_merge``) so that exactly the annotators' edits come back: nothing lost,
nothing invented, nothing shifted.  Talking to a server is ``rasd.lsclient``'s
job; everything here works the same on an export file downloaded from the UI.

Rules (each has a test):

* one annotation per task is taken: the one marked ``ground_truth``, else the
  only submitted, non-cancelled one.  Several submitted annotations without a
  ground truth are a *conflict*: reported with their span-level F1, the gold
  left unchanged, never an arbitrary pick.  Drafts and cancelled (skipped)
  annotations are ignored with a note.
* ``data.text[start:end]`` is trusted, and ``value.text`` must agree with it.
  Label Studio 1.23's editor stores offsets in code points, like Python (see
  ``tests/test_labelstudio_browser.py``); older editors and JavaScript tools
  write UTF-16 code units, which differ after a character outside the BMP (an emoji).
  Each region is read both ways and kept under the reading its ``value.text``
  matches; a region matching neither is an error naming both strings.
* labels outside the label set, crossing spans, unknown documents and tasks
  whose ``data.text`` is not the document's text are errors naming the task;
  nothing is written unless the whole export validates.
* region ids are span ids: a region that came from a gold span keeps its id,
  a new region gets a new stable id derived from its document, place, label and
  region id.  Per-region text areas carry the normalised value and the note.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict, cast

from rasd.core.errors import (
    LabelStudioError,
    RasdError,
    SpanError,
    StaleAnnotationError,
    raise_all,
)
from rasd.core.labels import LABELS
from rasd.core.model import Document, Source, Span
from rasd.core.paths import Repo
from rasd.core.spans import new_span_id
from rasd.core.values import format_number
from rasd.gold.agreement import span_f1
from rasd.gold.annotations import (
    annotation_path,
    load_corpus,
    render_annotations,
    write_annotations,
)
from rasd.labelstudio.config import (
    DATA_ID,
    DATA_ORIGIN,
    DATA_TEXT,
    DATA_TITLE,
    LABELS_NAME,
    NOTE_NAME,
    TEXT_NAME,
    VALUE_NAME,
)
from rasd.text.tokens import document_tokens
from rasd.validation.schema import structural_errors
from rasd.validation.validate import CorpusIds, semantic_errors

# --------------------------------------------------------------------------
# Label Studio JSON, as far as Rasd reads and writes it


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
    drafts: NotRequired[list[dict[str, Any]]]


# --------------------------------------------------------------------------
# Offsets: code points (Python, Rasd, Label Studio 1.23's editor) and UTF-16 code units (JavaScript)

Units = Literal["code points", "UTF-16 code units"]
CODE_POINTS: Units = "code points"
UTF16: Units = "UTF-16 code units"


class Utf16Offsets:
    """Converts offsets of one text between code points and UTF-16 code units.

    The two differ only after a character outside the Basic Multilingual Plane
    (most emoji), which JavaScript counts as two units (a surrogate pair).
    """

    def __init__(self, text: str) -> None:
        astral = [i for i, char in enumerate(text) if ord(char) > 0xFFFF]
        self.length = len(text)
        self._astral = astral
        # UTF-16 offset just after the k-th astral character.
        self._unit_ends = [cp + k + 2 for k, cp in enumerate(astral)]

    @property
    def same(self) -> bool:
        """True when both readings agree everywhere (no astral character)."""
        return not self._astral

    def to_units(self, code_point: int) -> int:
        return code_point + bisect_right(self._astral, code_point - 1)

    def to_code_points(self, unit: int) -> int | None:
        """The code point offset at UTF-16 offset ``unit``; None inside a surrogate pair or past the end."""
        before = bisect_right(self._unit_ends, unit)  # astral characters wholly before ``unit``
        if before < len(self._astral) and self._unit_ends[before] - 1 == unit:
            return None
        code_point = unit - before
        return code_point if 0 <= code_point <= self.length else None


# --------------------------------------------------------------------------
# Documents -> tasks


def origin_line(source: Source) -> str:
    """What the annotator sees under the title: outlet, author, date, URL and the raw file."""
    parts = [source.outlet, source.author, source.published, source.url, source.raw_file]
    return " · ".join(part for part in parts if part)


def span_to_results(span: Span) -> list[Result]:
    """One region: the labelled span, then its value and note text areas (same id)."""
    labelled: Result = {
        "id": span.id,
        "from_name": LABELS_NAME,
        "to_name": TEXT_NAME,
        "type": "labels",
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
    }
    if span.score is not None:
        labelled["score"] = span.score
    results = [labelled]
    for name, text in ((VALUE_NAME, span.value), (NOTE_NAME, span.note)):
        if text is not None:
            results.append(
                {
                    "id": span.id,
                    "from_name": name,
                    "to_name": TEXT_NAME,
                    "type": "textarea",
                    "value": {"start": span.start, "end": span.end, "text": [text]},
                }
            )
    return results


def spans_to_results(spans: Iterable[Span]) -> list[Result]:
    return [result for span in sorted(spans) for result in span_to_results(span)]


def task_data(document: Document) -> TaskData:
    return {
        DATA_ID: document.id,
        DATA_TEXT: document.text,
        DATA_TITLE: document.title or "",
        DATA_ORIGIN: origin_line(document.source),
    }


def prediction_json(spans: Sequence[Span], model_version: str) -> PredictionJSON:
    """Pre-annotations: the task-level score is the lowest span score (the weakest suggestion)."""
    prediction: PredictionJSON = {"model_version": model_version, "result": spans_to_results(spans)}
    scores = [s.score for s in spans if s.score is not None]
    if scores:
        prediction["score"] = min(scores)
    return prediction


def document_to_task(
    document: Document, *, predictions: Sequence[Span] | None = None, model_version: str | None = None
) -> TaskJSON:
    """The task for a document: its gold spans as one annotation, and optional pre-annotations.

    The annotation is imported with ``ground_truth`` false (Label Studio's import
    would otherwise star it), so an annotator's own ground truth wins on pull.  A
    document without gold spans gets no annotation, so it stays in the labeling queue.
    """
    task: TaskJSON = {"data": task_data(document)}
    if document.spans:
        task["annotations"] = [{"result": spans_to_results(document.spans), "ground_truth": False}]
    if model_version is not None:
        task["predictions"] = [prediction_json(predictions or (), model_version)]
    return task


# --------------------------------------------------------------------------
# Export files: shape checks before anything is read


def _task_label(origin: str, task: Mapping[str, Any], index: int) -> str:
    task_id = task.get("id")
    return f"{origin} task {task_id}" if isinstance(task_id, int) else f"{origin} task #{index + 1}"


def parse_tasks(payload: Any, origin: str) -> tuple[list[TaskJSON], list[RasdError]]:
    """Check the shape of an export (a list of tasks); return the usable tasks and every problem."""
    if not isinstance(payload, list):
        return [], [
            LabelStudioError(
                "not a Label Studio JSON export (expected a list of tasks)",
                file=origin,
                hint="export the project as JSON (not JSON-MIN or CSV) and pass that file",
            )
        ]
    tasks: list[TaskJSON] = []
    errors: list[RasdError] = []
    for index, item in enumerate(payload):
        where = _task_label(origin, item if isinstance(item, dict) else {}, index)
        problem = _task_shape_problem(item)
        if problem:
            doc = (
                item.get("data", {}).get("id")
                if isinstance(item, dict) and isinstance(item.get("data"), dict)
                else None
            )
            errors.append(
                LabelStudioError(
                    problem,
                    file=where,
                    document=doc if isinstance(doc, str) else None,
                    hint="export the project as JSON from Label Studio; do not edit the export by hand",
                )
            )
            continue
        tasks.append(cast(TaskJSON, item))
    return tasks, errors


def _task_shape_problem(item: Any) -> str | None:
    if not isinstance(item, dict):
        return "task is not a JSON object"
    data = item.get("data")
    if not isinstance(data, dict):
        return "task has no data object"
    for key in (DATA_ID, DATA_TEXT):
        if not isinstance(data.get(key), str):
            return f"data.{key} is missing or not a string"
    for key in ("annotations", "drafts"):
        if not isinstance(item.get(key, []), list):
            return f"{key} is not a list"
    for annotation in item.get("annotations", []):
        if not isinstance(annotation, dict) or not isinstance(annotation.get("result", []), list):
            return "an annotation is not an object with a result list"
        if not all(isinstance(result, dict) for result in annotation.get("result", [])):
            return f"annotation {annotation.get('id')} has a result item that is not an object"
    return None


def read_export(path: Path) -> Any:
    """The parsed JSON of an export file; an unreadable file is an error naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 (byte {exc.start})"
    except json.JSONDecodeError as exc:
        problem = f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
    raise LabelStudioError(
        problem, file=str(path), hint="download the export again (Export > JSON) and pass the file unchanged"
    )


# --------------------------------------------------------------------------
# Choosing the annotation of a task


def annotation_name(annotation: AnnotationJSON) -> str:
    by = annotator(annotation)
    return f"annotation {annotation.get('id', '?')} by {by}"


def annotator(annotation: AnnotationJSON) -> str:
    """Who made an annotation: the e-mail when the export carries it, else the user id."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return str(who.get("email") or who.get("id"))
    return f"user {who}" if who is not None else "unknown user"


@dataclass(frozen=True)
class Selection:
    """The annotation a task contributes, or why none: ``taken`` xor ``conflict`` or neither."""

    taken: AnnotationJSON | None
    conflict: tuple[AnnotationJSON, ...] = ()
    notes: tuple[str, ...] = ()


def submitted(task: TaskJSON) -> list[AnnotationJSON]:
    return [a for a in task.get("annotations", []) if not a.get("was_cancelled", False)]


def select_annotation(task: TaskJSON) -> Selection:
    """Apply the selection rule (see the module docstring) to one task."""
    notes = []
    drafts = task.get("drafts", [])
    if drafts:
        notes.append(f"{len(drafts)} draft(s) ignored: only submitted annotations are merged")
    for a in task.get("annotations", []):
        if a.get("was_cancelled", False):
            notes.append(f"{annotation_name(a)} was cancelled (skipped) and is ignored")
    candidates = submitted(task)
    truths = [a for a in candidates if a.get("ground_truth", False)]
    if len(truths) == 1:
        others = len(candidates) - 1
        if others:
            notes.append(f"ground truth {annotation_name(truths[0])} taken over {others} other annotation(s)")
        return Selection(truths[0], notes=tuple(notes))
    if len(truths) > 1:
        return Selection(None, tuple(truths), tuple([*notes, "several annotations are marked ground truth"]))
    if len(candidates) == 1:
        return Selection(candidates[0], notes=tuple(notes))
    if not candidates:
        return Selection(None, notes=tuple([*notes, "no submitted annotation: gold left as it is"]))
    return Selection(None, tuple(candidates), tuple(notes))


# --------------------------------------------------------------------------
# Regions -> spans


@dataclass(frozen=True)
class Region:
    """A labelled region read from one annotation, with offsets in code points."""

    id: str
    start: int
    end: int
    label: str
    value: str | None
    note: str | None
    units: Units


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def resolve_offsets(
    text: str, utf16: Utf16Offsets, start: int, end: int, shown: str
) -> tuple[int, int, Units] | str:
    """Code point ``[start, end)`` under the reading where ``text`` shows ``shown``, or the problem."""
    if 0 <= start < end <= len(text) and text[start:end] == shown:
        return start, end, CODE_POINTS
    cp_start, cp_end = utf16.to_code_points(start), utf16.to_code_points(end)
    if cp_start is not None and cp_end is not None and cp_start < cp_end and text[cp_start:cp_end] == shown:
        return cp_start, cp_end, UTF16
    if cp_start is None or cp_end is None:
        as_units = "an offset falls inside an emoji"
    else:
        as_units = repr(text[cp_start:cp_end])
    return (
        f"value.text {shown!r} matches neither text[{start}:{end}] read as code points "
        f"({text[start:end]!r}) nor read as UTF-16 code units ({as_units})"
    )


def _text_area(results: Sequence[Result], region_id: str, name: str) -> str | RasdError | None:
    texts: list[str] = []
    for result in results:
        raw = result.get("value", {}).get("text", [])
        items = raw if isinstance(raw, list) else [raw]
        if not all(isinstance(t, str) for t in items):
            return LabelStudioError(f"the {name} of the region is not text", span=region_id)
        texts += [t for t in items if t.strip()]  # kept exactly: a pull must not rewrite values
    if len(texts) > 1:
        return LabelStudioError(
            f"the region has {len(texts)} {name}s ({', '.join(map(repr, texts))})",
            span=region_id,
            hint=f"keep one {name} per region in Label Studio",
        )
    return texts[0] if texts else None


def read_regions(
    results: Sequence[Result], text: str, *, where: str, document: str
) -> tuple[list[Region], list[RasdError]]:
    """Group result items by region id and check each region; return regions and problems."""
    groups: dict[str, list[Result]] = defaultdict(list)
    errors: list[RasdError] = []

    def error(problem: str, region: str | None, hint: str) -> None:
        errors.append(LabelStudioError(problem, file=where, document=document, span=region, hint=hint))

    for result in results:
        region_id = result.get("id")
        if not isinstance(region_id, str) or not region_id:
            error(
                f"result of type {result.get('type')!r} has no region id",
                None,
                "relations and other result types are not part of Rasd: remove them",
            )
            continue
        groups[region_id].append(result)
    utf16 = Utf16Offsets(text)
    regions: list[Region] = []
    for region_id, items in groups.items():
        by_name: dict[str, list[Result]] = defaultdict(list)
        for item in items:
            expected = "labels" if item.get("from_name") == LABELS_NAME else "textarea"
            known = item.get("from_name") in (LABELS_NAME, VALUE_NAME, NOTE_NAME)
            if not known or item.get("type") != expected or item.get("to_name") != TEXT_NAME:
                error(
                    f"result from {item.get('from_name')!r} of type {item.get('type')!r} "
                    "is not part of the Rasd labeling config",
                    region_id,
                    "push the current labeling config (`rasd ls push`) and redo this region",
                )
                continue
            by_name[str(item["from_name"])].append(item)
        labelled = by_name.get(LABELS_NAME, [])
        if len(labelled) != 1:
            if len(labelled) > 1 or by_name:
                error(
                    "region has a value or note but no label"
                    if not labelled
                    else f"region has {len(labelled)} label results",
                    region_id,
                    "delete the region in Label Studio and label the text again",
                )
            continue
        value = labelled[0].get("value", {})
        labels = value.get("labels")
        start, end, shown = value.get("start"), value.get("end"), value.get("text")
        if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
            error(
                f"region must carry exactly one label, not {labels!r}",
                region_id,
                "keep one label per region (duplicate the region for a second label)",
            )
            continue
        if labels[0] not in LABELS:
            error(
                f"label {labels[0]!r} is not in the label set",
                region_id,
                f"relabel it as one of {', '.join(LABELS)} (or add the label to rasd.labels first)",
            )
            continue
        if not (_is_int(start) and _is_int(end) and isinstance(shown, str)):
            error(
                "region has no integer start/end or no value.text",
                region_id,
                "export from a Text tag with saveTextResult=yes (the generated config does)",
            )
            continue
        resolved = resolve_offsets(text, utf16, cast(int, start), cast(int, end), shown)
        if isinstance(resolved, str):
            error(resolved, region_id, "delete the region in Label Studio and select the text again")
            continue
        fields: dict[str, str | None] = {}
        for name in (VALUE_NAME, NOTE_NAME):
            found = _text_area(by_name.get(name, []), region_id, name)
            if isinstance(found, RasdError):
                errors.append(
                    LabelStudioError(
                        found.problem,
                        file=where,
                        document=document,
                        span=region_id,
                        hint=found.hint or "type plain text in the region's field",
                    )
                )
                found = None
            fields[name] = found
        regions.append(
            Region(region_id, *resolved[:2], labels[0], fields[VALUE_NAME], fields[NOTE_NAME], resolved[2])
        )
    return regions, errors


def regions_to_spans(document: Document, regions: Sequence[Region], gold_ids: set[str]) -> list[Span]:
    """Spans of ``regions``: a region from a gold span keeps its id, a new one gets a stable new id."""
    return [
        Span(
            start=r.start,
            end=r.end,
            label=r.label,
            id=r.id if r.id in gold_ids else new_span_id(document.id, r.start, r.end, r.label, salt=r.id),
            text=document.text[r.start : r.end],
            value=r.value,
            note=r.note,
        )
        for r in regions
    ]


def task_to_spans(
    annotation: AnnotationJSON, document: Document, *, where: str
) -> tuple[list[Span], list[RasdError]]:
    """The gold spans an annotation gives ``document`` (whose current gold is ``document.spans``).

    The spans are checked as the build would check them; problems name the
    Label Studio region id, which is what an annotator can find in the UI.
    """
    results = annotation.get("result", [])
    regions, errors = read_regions(results, document.text, where=where, document=document.id)
    if errors:
        return [], errors
    spans = regions_to_spans(document, regions, {s.id for s in document.spans})
    region_of = {s.id: r.id for s, r in zip(spans, regions, strict=True) if s.id != r.id}
    return spans, [_by_region(e, region_of) for e in span_errors(document, spans, where=where)]


def _by_region(error: RasdError, region_of: Mapping[str, str]) -> RasdError:
    """The same error, naming regions by their Label Studio id instead of their new span id."""
    if not region_of:
        return error
    problem = error.problem
    for span_id, region_id in region_of.items():
        problem = problem.replace(span_id, region_id)
    span = region_of.get(error.span or "", error.span)
    return type(error)(
        problem, hint=error.hint, file=error.file, document=error.document, span=span, **error.values
    )


def span_errors(document: Document, spans: Sequence[Span], *, where: str) -> list[RasdError]:
    """Everything the build would reject, checked before anything is written."""
    errors = semantic_errors(document.id, document.text, spans, file=where)
    if errors:
        return errors
    record = json.loads(render_annotations(document, spans))
    errors = structural_errors("annotation.schema.json", record, file=where, document=document.id)
    try:
        document_tokens(document.with_spans(list(spans)))
    except SpanError as exc:
        errors.append(SpanError(exc.problem, file=where, document=document.id, span=exc.span, hint=exc.hint))
    return errors


# --------------------------------------------------------------------------
# Merging an export


def span_keys(spans: Iterable[Span]) -> list[tuple[int, int, str, str, str, str | None, str | None]]:
    """Everything a gold file records about spans, for comparing two versions."""
    return sorted((s.start, s.end, s.label, s.id, s.text, s.value, s.note) for s in spans)


@dataclass(frozen=True)
class Conflict:
    """A task with several submitted annotations and no ground truth."""

    where: str
    document: str
    annotations: tuple[str, ...]
    f1: tuple[tuple[str, str, float | None], ...]

    def render(self) -> str:
        pairs = "; ".join(f"{a} vs {b}: span F1 {'n/a' if f is None else f'{f:.2f}'}" for a, b, f in self.f1)
        return (
            f"{self.where}: document {self.document}: {len(self.annotations)} submitted annotations and no "
            f"ground truth ({pairs}). Fix: reconcile them in Label Studio and mark one as ground truth "
            "(the star), or delete the others; the gold is left unchanged until then"
        )


@dataclass
class MergeResult:
    """What a pull would change; ``apply_merge`` writes it only when ``errors`` is empty."""

    updates: dict[str, tuple[Document, tuple[Span, ...]]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[RasdError] = field(default_factory=list)


def _regions(annotation: AnnotationJSON, document: Document, where: str) -> list[Region]:
    """An annotation's readable regions, problems skipped (they are reported by ``task_to_spans``)."""
    regions, _ = read_regions(annotation.get("result", []), document.text, where=where, document=document.id)
    return regions


def annotation_spans(
    annotation: AnnotationJSON, document: Document, *, where: str
) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of an annotation's readable regions (for agreement)."""
    return [(r.start, r.end, r.label) for r in _regions(annotation, document, where)]


def conflict_of(annotations: Sequence[AnnotationJSON], document: Document, where: str) -> Conflict:
    names = [annotation_name(a) for a in annotations]
    spans = [annotation_spans(a, document, where=where) for a in annotations]
    f1 = tuple(
        (names[i], names[j], span_f1(spans[i], spans[j]).f1)
        for i, j in combinations(range(len(annotations)), 2)
    )
    return Conflict(where, document.id, tuple(names), f1)


def _first_difference(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def task_document(task: TaskJSON, documents: Mapping[str, Document], where: str) -> Document | RasdError:
    """The document a task was made for, checked to have the same text."""
    doc_id = task["data"][DATA_ID]
    document = documents.get(doc_id)
    if document is None:
        return LabelStudioError(
            "task names a document that is not in dataset/raw",
            file=where,
            document=doc_id,
            hint="restore the raw file, or delete the task in Label Studio",
        )
    text = task["data"][DATA_TEXT]
    if text != document.text:
        return StaleAnnotationError(
            f"the task's data.text differs from the document's text (first difference at code point "
            f"{_first_difference(text, document.text)}; {len(text)} vs {len(document.text)} code points)",
            file=where,
            document=doc_id,
            hint="the document changed after the push: carry the annotators' work over by hand, "
            "then delete the task and push again",
        )
    return document


def merge_tasks(repo: Repo, tasks: Sequence[TaskJSON], origin: str) -> MergeResult:
    """Work out the gold spans every task gives its document; collect every problem."""
    result = MergeResult()
    documents = {d.id: d for d in load_corpus(repo, errors=result.errors)}
    seen: dict[str, str] = {}
    final: dict[str, tuple[Span, ...]] = {doc_id: d.spans for doc_id, d in documents.items()}
    for index, task in enumerate(tasks):
        where = _task_label(origin, cast(Mapping[str, Any], task), index)
        found = task_document(task, documents, where)
        if isinstance(found, RasdError):
            result.errors.append(found)
            continue
        document = found
        if document.id in seen:
            result.errors.append(
                LabelStudioError(
                    f"second task for this document (the first is {seen[document.id]})",
                    file=where,
                    document=document.id,
                    hint="delete the duplicate task in Label Studio (keep the one with the annotators' work)",
                )
            )
            continue
        seen[document.id] = where
        selection = select_annotation(task)
        result.notes += [f"{where}: document {document.id}: {note}" for note in selection.notes]
        if selection.conflict:
            result.conflicts.append(conflict_of(selection.conflict, document, where))
            continue
        if selection.taken is None:
            result.unchanged.append(document.id)
            continue
        spans, errors = task_to_spans(selection.taken, document, where=where)
        converted = [r.id for r in _regions(selection.taken, document, where) if r.units == UTF16]
        if converted and not errors:
            result.notes.append(
                f"{where}: document {document.id}: region(s) {', '.join(converted)} had UTF-16 offsets "
                "(JavaScript string positions); converted to code points"
            )
        if errors:
            result.errors += errors
            continue
        if span_keys(spans) == span_keys(document.spans):
            result.unchanged.append(document.id)
            continue
        final[document.id] = tuple(spans)
        result.updates[document.id] = (document, tuple(sorted(spans)))
    ids = CorpusIds()
    for doc_id in sorted(final):
        result.errors += ids.check(
            doc_id, final[doc_id], file=seen.get(doc_id) or f"dataset/annotations/{doc_id}.json"
        )
    return result


def apply_merge(repo: Repo, result: MergeResult) -> list[str]:
    """Write the changed gold files, all or nothing: every problem is raised before the first write."""
    raise_all(result.errors, summary="problems found; nothing was written")

    changed = []
    for doc_id in sorted(result.updates):
        document, spans = result.updates[doc_id]
        if write_annotations(repo, document, spans):
            changed.append(repo.relative(annotation_path(repo, doc_id)))
    return changed


# --------------------------------------------------------------------------
# Whole operations on a repository (the server-free half of push and pull)


@dataclass
class PullReport:
    """What a pull (or an import of an export file) did."""

    merge: MergeResult
    changed: list[str]


def import_payload(repo: Repo, payload: Any, origin: str, *, rebuild: bool = True) -> PullReport:
    """Merge an export (already parsed JSON) into the gold files, then rebuild ``dataset/``.

    Every problem in the export or in the merged gold is raised before anything
    is written; conflicts are reported in the result and leave their documents alone.
    """
    tasks, errors = parse_tasks(payload, origin)
    merge = merge_tasks(repo, tasks, origin)
    merge.errors[:0] = errors
    changed = apply_merge(repo, merge)
    if rebuild:
        from rasd.dataset.build import (
            build,  # the build imports the whole stack; load it only when rebuilding
        )

        changed += [name for name in build(repo, progress=False).changed if name not in changed]
    return PullReport(merge, changed)


def export_file_tasks(
    repo: Repo, *, model_version: str | None = None, predictions: Mapping[str, Sequence[Span]] | None = None
) -> list[TaskJSON]:
    """Tasks for every document, ready for the Label Studio UI's JSON import."""
    return [
        document_to_task(d, predictions=(predictions or {}).get(d.id, ()), model_version=model_version)
        for d in load_corpus(repo)
    ]


def read_predictions(repo: Repo, text: str, origin: str, model_version: str) -> dict[str, list[Span]]:
    """Pre-annotations from JSON Lines, one ``{"document": ID, "spans": [...]}`` object per line.

    Each span is ``{"start", "end", "label"}`` in code points with an optional
    ``score`` (0 to 1), ``value`` and ``id``; the surface text is taken from the
    document.  Every problem is raised at once, naming the line and document.
    """
    documents = {d.id: d for d in load_corpus(repo)}
    found: dict[str, list[Span]] = {}
    errors: list[RasdError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(
                LabelStudioError(f"invalid JSON: {exc.msg}", file=where, hint="one JSON object per line")
            )
            continue
        doc_id = record.get("document") if isinstance(record, dict) else None
        document = documents.get(doc_id) if isinstance(doc_id, str) else None
        items = record.get("spans") if isinstance(record, dict) else None
        if document is None or not isinstance(items, list):
            errors.append(
                LabelStudioError(
                    'expected {"document": <known document id>, "spans": [...]}',
                    file=where,
                    document=doc_id if isinstance(doc_id, str) else None,
                    hint="name a document of dataset/raw and give its spans as a list",
                )
            )
            continue
        spans, problems = _prediction_spans(document, items, where, model_version)
        errors += problems or semantic_errors(document.id, document.text, spans, file=where)
        found.setdefault(document.id, []).extend(spans)
    raise_all(errors, summary="problems in the pre-annotations")
    return found


def _is_probability(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def _prediction_spans(
    document: Document, items: Sequence[Any], where: str, model_version: str
) -> tuple[list[Span], list[RasdError]]:
    spans: list[Span] = []
    errors: list[RasdError] = []
    for k, item in enumerate(items):
        ok = (
            isinstance(item, dict)
            and _is_int(item.get("start"))
            and _is_int(item.get("end"))
            and isinstance(item.get("label"), str)
            and (
                item.get("score") is None
                or (isinstance(item["score"], int | float) and 0 <= item["score"] <= 1)
            )
            and (item.get("value") is None or isinstance(item["value"], str | int | float))
        )
        if not ok:
            errors.append(
                LabelStudioError(
                    f"span #{k + 1} is not {{start, end, label[, score 0..1, value, id]}}",
                    file=where,
                    document=document.id,
                    hint="give integer code-point offsets, a label name and a score between 0 and 1",
                )
            )
            continue
        start, end, label = item["start"], item["end"], item["label"]
        value = item.get("value")
        spans.append(
            Span(
                start=start,
                end=end,
                label=label,
                id=str(item.get("id") or new_span_id(document.id, start, end, label, salt=model_version)),
                text=document.text[start:end],
                value=None if value is None else format_number(value) if label == "QUANTITY" else str(value),
                score=None if item.get("score") is None else float(item["score"]),
            )
        )
    return spans, errors
