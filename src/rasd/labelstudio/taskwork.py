"""The per-task work of an import, as a worker does it: one batch of tasks, each with its own document.

A worker is handed tasks by document id (never the corpus): it reads each
document's raw file and gold file itself, checks the task's text against it,
works out the gold spans the task gives (``merge_task``) and renders the files
to write, keeping only those whose content changes.  What the parent's
corpus-wide checks need of each document comes back as a ``Seen`` (digests of
its texts, its final span ids, its problems); no document crosses back.

Documents the export does not name are read the same way (``CheckJob``), for
the checks an import has always made of the whole corpus: every raw file
ingestible and unique, every gold file valid, span ids unique across documents.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from rasd.core.errors import RasdError, unbundle
from rasd.core.io import read_text
from rasd.core.journal import Staging
from rasd.core.model import Document, Source, Span
from rasd.core.paths import Repo
from rasd.core.problems.labelstudio import EMPTY_ANNOTATION_HELD, TASK_TEXT_CHANGED
from rasd.formats.annotators import AnnotatorWork, annotator_path
from rasd.formats.gold import ADJUDICATED, COMPLETE, annotation_path, render_annotations, text_sha256
from rasd.formats.labelstudio import DATA_TEXT, AnnotationJSON, TaskJSON
from rasd.gold.annotations import read_gold
from rasd.intake.ingest import RAW_SUFFIX, read_document
from rasd.labelstudio.conflicts import Conflict, Reading, adjudicate, conflict_of
from rasd.labelstudio.offsets import UTF16
from rasd.labelstudio.selection import Selection, annotation_name, annotator, select_annotation, submitted
from rasd.labelstudio.spans import in_order, span_keys
from rasd.validation.validate import PackedSpanIds, pack_span_ids, semantic_errors


@dataclass(frozen=True)
class TaskJob:
    """A task to merge: its document by id (with the metadata it is ingested with) and its name."""

    task: TaskJSON
    doc_id: str
    where: str
    title: str | None
    source: Source


@dataclass(frozen=True)
class CheckJob:
    """A document the export does not name, read only for the corpus-wide checks."""

    doc_id: str
    title: str | None
    source: Source


Job = TaskJob | CheckJob | RasdError
"""A task, a document to check, or the problem that keeps a task from being merged."""


@dataclass(frozen=True)
class Seen:
    """What the corpus-wide checks need of one document a worker read."""

    doc_id: str
    raw_problems: tuple[RasdError, ...] = ()  # the raw file cannot be ingested
    digests: tuple[bytes, bytes] = (b"", b"")  # sha256 prefixes of the raw and the cleaned text
    gold_problems: tuple[RasdError, ...] = ()  # its gold file is broken (the merge reads no spans)
    span_ids: PackedSpanIds = ()  # its span ids once the merge is applied (``pack_span_ids``: 6 B an id)
    merged: bool = False  # a task of the export was merged into it


@dataclass(frozen=True)
class Kept:
    """One annotator's submitted work on one document, as reported (its file holds the spans)."""

    annotator: str
    document: str
    count: int  # spans


@dataclass(frozen=True)
class FileChange:
    """A file whose content changes: a gold file (``doc_id``) or an annotator's file (``doc_id`` None)."""

    path: str  # relative to the repository
    text: str | None  # None once staged
    doc_id: str | None = None
    staged: str | None = None  # the name a worker staged it under (``rasd.core.journal.Staging``), text None


@dataclass
class MergeResult:
    """What a pull would change; the changes are written only when ``errors`` is empty."""

    updates: dict[str, int] = field(default_factory=dict)  # documents given new gold spans: how many
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[RasdError] = field(default_factory=list)
    held: list[RasdError] = field(default_factory=list)  # warnings: empty annotations not applied
    work: list[Kept] = field(default_factory=list)  # every annotator's submitted spans
    adjudicated: list[str] = field(default_factory=list)  # several annotators, settled (agreement or truth)
    files: list[FileChange] = field(default_factory=list)  # gold and annotator files whose content changes
    seen: list[Seen] = field(default_factory=list)  # what the corpus-wide checks need (a batch's)


@dataclass
class TaskState:
    """What one task's merge found on the way, for the files its worker renders."""

    kept: list[AnnotatorWork] = field(default_factory=list)
    rendered: str | None = None  # the checked gold file of the chosen spans (status complete)


def utf16_note(reading: Reading, annotation: AnnotationJSON) -> list[str]:
    """A note naming the regions whose offsets were UTF-16 units (converted to code points)."""
    converted = [r.id for r in reading.of(annotation).regions if r.units == UTF16]
    if not converted:
        return []
    return [
        f"{reading.where}: document {reading.document.id}: region(s) {', '.join(converted)} had UTF-16 "
        "offsets (JavaScript string positions); converted to code points"
    ]


def held_back(annotation: AnnotationJSON, document: Document, where: str) -> RasdError | None:
    """The warning for an empty annotation that would delete the document's gold spans."""
    if annotation.get("result") or not document.spans:
        return None
    return EMPTY_ANNOTATION_HELD(
        file=where, document=document.id, annotation=annotation_name(annotation), count=len(document.spans)
    )


def keep_annotator_work(result: MergeResult, state: TaskState, task: TaskJSON, reading: Reading) -> int:
    """Each annotator's latest submitted annotation; kept in ``result.work`` when there are several.

    A task with one annotator gives its annotation to the gold itself (nothing to
    keep apart, and a pull without edits stays byte-identical); with several,
    each one's work is kept whatever the gold becomes.
    """
    latest: dict[str, AnnotationJSON] = {}
    for annotation in sorted(submitted(task), key=lambda a: a.get("id", 0)):
        latest[annotator(annotation)] = annotation
    for who, annotation in sorted(latest.items()):
        converted = reading.of(annotation)
        result.errors += converted.errors
        if len(latest) > 1:
            spans = tuple(in_order(converted.spans))
            state.kept.append(AnnotatorWork(who, reading.document, spans))
            result.work.append(Kept(who, reading.document.id, len(spans)))
    return len(latest)


def chosen_spans(
    result: MergeResult,
    state: TaskState,
    selection: Selection,
    reading: Reading,
    *,
    annotators: int,
    accept_empty: bool,
) -> list[Span] | None:
    """The spans the selected annotation (or the agreement of several) gives; None leaves the gold."""
    document, where = reading.document, reading.where
    if selection.conflict:
        if all(a.get("ground_truth", False) for a in selection.conflict):
            result.conflicts.append(conflict_of(selection.conflict, reading))
            return None
        verdict = adjudicate(selection.conflict, reading)
        if verdict.conflict is not None:
            result.conflicts.append(verdict.conflict)
        elif verdict.spans is not None:
            result.adjudicated.append(document.id)  # every annotator agrees: nothing left to decide
        return verdict.spans
    if selection.taken is None:
        return None
    warning = None if accept_empty else held_back(selection.taken, document, where)
    if warning is not None:
        result.held.append(warning)
        return None
    converted = reading.of(selection.taken)
    if converted.errors:
        return None  # reported by keep_annotator_work
    result.notes += utf16_note(reading, selection.taken)
    if selection.taken.get("ground_truth", False) and annotators > 1:
        result.adjudicated.append(document.id)
    state.rendered = converted.rendered  # passed every check; the file to write
    return list(converted.spans)


def merge_task(
    result: MergeResult,
    task: TaskJSON,
    document: Document,
    where: str,
    *,
    accept_empty: bool = False,
    state: TaskState | None = None,
) -> tuple[Span, ...] | None:
    """Add what one task gives its document to ``result``; its new gold spans (sorted) when they change.

    Every annotator's submitted work is kept (``result.work``).  The gold is the
    ground truth, else the only submitted annotation, else the spans every
    annotator agrees on (disputed places keep the previous gold and are reported).
    An empty annotation on a document with gold spans is held back (a warning)
    unless ``accept_empty``: submitting an empty form is more often a slip than a verdict.
    """
    state = TaskState() if state is None else state
    reading = Reading(document, where)
    annotators = keep_annotator_work(result, state, task, reading)
    selection = select_annotation(task)
    result.notes += [f"{where}: document {document.id}: {note}" for note in selection.notes]
    reported = len(result.conflicts) + len(result.held) + len(result.errors)
    spans = chosen_spans(result, state, selection, reading, annotators=annotators, accept_empty=accept_empty)
    if spans is None or (len(spans) == len(document.spans) and span_keys(spans) == span_keys(document.spans)):
        state.rendered = None
        if reported == len(result.conflicts) + len(result.held) + len(result.errors):
            result.unchanged.append(document.id)
        return None
    result.updates[document.id] = len(spans)
    return tuple(in_order(spans))


def _changed(
    path: str, shown: str, text: str, result: MergeResult, doc_id: str | None, staging: Staging | None
) -> None:
    """``path``'s new ``text`` in ``result.files`` when it differs from what the file holds.

    With ``staging``, the text is written there at once (by the worker that rendered it)
    and only its staged name goes back.  ``shown``: the path relative to the root as
    written (``Transaction`` does the same), without resolving links.
    """
    if os.path.exists(path) and read_text(Path(path), file=shown) == text:
        return
    if staging is None:
        result.files.append(FileChange(shown, text, doc_id))
    else:
        result.files.append(FileChange(shown, None, doc_id, staging.write_bytes(text.encode("utf-8"))))


def gold_file(
    repo: Repo,
    result: MergeResult,
    document: Document,
    spans: Sequence[Span],
    state: TaskState,
    staging: Staging | None = None,
) -> None:
    """The new gold file of ``document`` when its content changes (adjudicated: its status says so)."""
    status = ADJUDICATED if document.id in result.adjudicated else COMPLETE
    if state.rendered is not None and status == COMPLETE:
        text = state.rendered
    else:
        problems = semantic_errors(
            document.id, document.text, spans, file=repo.relative(annotation_path(repo, document.id))
        )
        if problems:
            result.errors += problems
            return
        text = render_annotations(document, spans, status=status)
    folder, shown = gold_folder(repo)
    name = f"/{document.id}.json"  # ``annotation_path``, without making a ``Path`` a document
    _changed(folder + name, shown + name, text, result, document.id, staging)


@lru_cache(maxsize=8)
def gold_folder(repo: Repo) -> tuple[str, str]:
    """The gold files' folder (``annotation_path``'s), and as ``_changed`` shows it (from the root)."""
    folder = repo.annotations_dir
    return str(folder), folder.relative_to(repo.root).as_posix()


def annotator_files(
    repo: Repo, result: MergeResult, kept: Sequence[AnnotatorWork], staging: Staging | None = None
) -> None:
    """Each annotator's file whose content changes."""
    for item in kept:
        path = annotator_path(repo, item.annotator, item.document.id)
        shown = path.relative_to(repo.root).as_posix()
        _changed(str(path), shown, render_annotations(item.document, item.spans), result, None, staging)


def read_one(repo: Repo, job: TaskJob | CheckJob) -> tuple[Document | None, Seen]:
    """A document from its raw and gold files, and what the corpus-wide checks need of it."""
    try:
        raw, document = read_document(repo, repo.raw_dir / (job.doc_id + RAW_SUFFIX), job.title, job.source)
    except RasdError as error:
        return None, Seen(job.doc_id, raw_problems=tuple(unbundle(error)))
    raw_key = digest16(raw)
    digests = (raw_key, raw_key if document.text == raw else digest16(document.text))
    try:
        spans = read_gold(repo, document)[1]
    except RasdError as exc:
        return document, Seen(document.id, digests=digests, gold_problems=tuple(unbundle(exc)))
    return document.with_spans(spans), Seen(document.id, digests=digests, span_ids=_packed(spans))


def _packed(spans: Sequence[Span]) -> PackedSpanIds:
    """The spans' ids as the corpus-wide check keeps them, packed here (6 B an id back to the parent)."""
    return pack_span_ids(tuple(s.id for s in spans))


def digest16(text: str) -> bytes:
    """The first 16 bytes of ``text_sha256(text)`` (a text that cleaning left alone is hashed once,
    and a cleaned text is hashed once for this and its gold file: ``text_sha256`` remembers it)."""
    return bytes.fromhex(text_sha256(text)[:32])


def first_difference(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def text_changed(job: TaskJob, document: Document) -> RasdError | None:
    """The problem when the task was made for another text of its document."""
    text = job.task["data"][DATA_TEXT]
    if text == document.text:
        return None
    return TASK_TEXT_CHANGED(
        file=job.where,
        document=document.id,
        offset=first_difference(text, document.text),
        task_length=len(text),
        document_length=len(document.text),
    )


def merge_job(
    repo: Repo, result: MergeResult, job: TaskJob | CheckJob, *, accept_empty: bool, staging: Staging | None
) -> None:
    """One job: its document read and checked, its task (if any) merged, its changed files rendered
    (and staged, with ``staging``)."""
    document, seen = read_one(repo, job)
    if document is None or isinstance(job, CheckJob):
        result.seen.append(seen)
        return
    problem = text_changed(job, document)
    if problem is not None:
        result.errors.append(problem)
        result.seen.append(seen)
        return
    state = TaskState()
    spans = merge_task(result, job.task, document, job.where, accept_empty=accept_empty, state=state)
    span_ids = seen.span_ids
    if spans is not None:
        gold_file(repo, result, document, spans, state, staging)
        span_ids = _packed(spans)
    annotator_files(repo, result, state.kept, staging)
    result.seen.append(replace(seen, span_ids=span_ids, merged=True))


def merge_batch(
    repo: Repo, jobs: Sequence[Job], *, accept_empty: bool = False, staging: Staging | None = None
) -> MergeResult:
    """The merge of consecutive jobs, on their own (a pure function of the files: it may run in a worker).

    With ``staging``, each changed file is written there by the worker that renders it
    (the parent then adopts it: its bytes never travel back); without, its text is returned.
    """
    result = MergeResult()
    with collector_paused():
        for job in jobs:
            if isinstance(job, RasdError):
                result.errors.append(job)
            else:
                merge_job(repo, result, job, accept_empty=accept_empty, staging=staging)
    return result


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (what it frees, reference counting frees).

    A batch makes tens of thousands of small objects (regions, spans, records) and
    no cycle that outlives it; the collector would only rescan everything the
    process holds, again and again: a sixth of a worker's time.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
