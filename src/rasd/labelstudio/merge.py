"""A whole export -> the gold files: exactly the annotators' edits come back, all or nothing.

``merge_tasks`` works out the gold spans every task gives its document and
collects every problem (unknown documents, changed texts, duplicate tasks,
regions the build would reject, span ids used twice in the corpus);
``apply_merge`` writes only when there is none.  Conflicts (several submitted
annotations, no ground truth) are reported and leave their documents alone.
Nothing here talks to a server: an export file from the UI merges the same way.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain, islice
from typing import Any, Protocol, TypeVar, cast

from rasd.core.engine import EngineSpec, batched, map_ordered, prefetched
from rasd.core.errors import RasdError, raise_all
from rasd.core.io import read_text
from rasd.core.journal import Transaction
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.problems.labelstudio import (
    DUPLICATE_TASK,
    EMPTY_ANNOTATION_HELD,
    TASK_TEXT_CHANGED,
    UNKNOWN_DOCUMENT,
)
from rasd.formats.annotators import AnnotatorWork, stage_annotator_work
from rasd.formats.gold import ADJUDICATED, COMPLETE, annotation_path, render_annotations
from rasd.formats.labelstudio import (
    DATA_ID,
    DATA_TEXT,
    AnnotationJSON,
    ExportFile,
    ParsedTasks,
    TaskJSON,
    task_name,
)
from rasd.gold.annotations import load_corpus
from rasd.labelstudio.conflicts import Conflict, Reading, adjudicate, conflict_of
from rasd.labelstudio.offsets import UTF16
from rasd.labelstudio.selection import Selection, annotation_name, annotator, select_annotation, submitted
from rasd.labelstudio.spans import span_keys
from rasd.validation.validate import CorpusIds, semantic_errors


@dataclass
class MergeResult:
    """What a pull would change; ``apply_merge`` writes it only when ``errors`` is empty."""

    updates: dict[str, tuple[Document, tuple[Span, ...]]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[RasdError] = field(default_factory=list)
    held: list[RasdError] = field(default_factory=list)  # warnings: empty annotations not applied
    work: list[AnnotatorWork] = field(default_factory=list)  # every annotator's submitted spans
    adjudicated: list[str] = field(default_factory=list)  # several annotators, settled (agreement or truth)
    rendered: dict[str, str] = field(default_factory=dict)  # checked gold files of updates (complete)

    def absorb(self, other: MergeResult, documents: Mapping[str, Document]) -> None:
        """Add what a batch of tasks gave (merged elsewhere, perhaps in another process), in order."""
        for doc_id, (_, spans) in other.updates.items():
            self.updates[doc_id] = (documents[doc_id], spans)  # this process's document, not a copy
        self.unchanged += other.unchanged
        self.conflicts += other.conflicts
        self.notes += other.notes
        self.errors += other.errors
        self.held += other.held
        self.work += [replace(w, document=documents[w.document.id]) for w in other.work]
        self.adjudicated += other.adjudicated
        self.rendered.update(other.rendered)


def first_difference(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def task_document(task: TaskJSON, documents: Mapping[str, Document], where: str) -> Document | RasdError:
    """The document a task was made for, checked to have the same text."""
    doc_id = task["data"][DATA_ID]
    document = documents.get(doc_id)
    if document is None:
        return UNKNOWN_DOCUMENT(file=where, document=doc_id)
    text = task["data"][DATA_TEXT]
    if text != document.text:
        return TASK_TEXT_CHANGED(
            file=where,
            document=doc_id,
            offset=first_difference(text, document.text),
            task_length=len(text),
            document_length=len(document.text),
        )
    return document


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


def keep_annotator_work(result: MergeResult, task: TaskJSON, reading: Reading) -> int:
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
            result.work.append(AnnotatorWork(who, reading.document, tuple(sorted(converted.spans))))
    return len(latest)


def chosen_spans(
    result: MergeResult, selection: Selection, reading: Reading, *, annotators: int, accept_empty: bool
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
    if converted.rendered is not None:
        result.rendered[document.id] = converted.rendered  # passed every check; the file to write
    return list(converted.spans)


def merge_task(
    result: MergeResult, task: TaskJSON, document: Document, where: str, *, accept_empty: bool = False
) -> tuple[Span, ...] | None:
    """Add what one task gives its document to ``result``; its new gold spans when they change.

    Every annotator's submitted work is kept (``result.work``).  The gold is the
    ground truth, else the only submitted annotation, else the spans every
    annotator agrees on (disputed places keep the previous gold and are reported).
    An empty annotation on a document with gold spans is held back (a warning)
    unless ``accept_empty``: submitting an empty form is more often a slip than a verdict.
    """
    reading = Reading(document, where)
    annotators = keep_annotator_work(result, task, reading)
    selection = select_annotation(task)
    result.notes += [f"{where}: document {document.id}: {note}" for note in selection.notes]
    reported = len(result.conflicts) + len(result.held) + len(result.errors)
    spans = chosen_spans(result, selection, reading, annotators=annotators, accept_empty=accept_empty)
    if spans is None or span_keys(spans) == span_keys(document.spans):
        result.rendered.pop(document.id, None)
        if reported == len(result.conflicts) + len(result.held) + len(result.errors):
            result.unchanged.append(document.id)
        return None
    result.updates[document.id] = (document, tuple(sorted(spans)))
    return tuple(spans)


def check_corpus_ids(
    result: MergeResult, final: Mapping[str, Sequence[Span]], seen: Mapping[str, str]
) -> None:
    """Span ids stay unique across the corpus once the merged spans replace the gold."""
    ids = CorpusIds()
    for doc_id in sorted(final):
        result.errors += ids.check(
            doc_id, final[doc_id], file=seen.get(doc_id) or f"dataset/annotations/{doc_id}.json"
        )


T = TypeVar("T")

Job = tuple[TaskJSON, Document, str] | RasdError
"""A task to merge with its document and name, or the problem that keeps it from being merged."""

BATCH = 50  # tasks per batch handed to a worker
PARALLEL_FROM = 4  # batches: a smaller export is merged in this process (starting workers costs more)


def merge_batch(jobs: Sequence[Job], *, accept_empty: bool = False) -> MergeResult:
    """The merge of consecutive tasks, on their own (a pure function: it may run in a worker)."""
    result = MergeResult()
    for job in jobs:
        if isinstance(job, RasdError):
            result.errors.append(job)
        else:
            merge_task(result, *job, accept_empty=accept_empty)
    return result


def iter_jobs(
    items: Iterable[TaskJSON | RasdError],
    documents: Mapping[str, Document],
    origin: str,
    *,
    shape: list[RasdError],
    seen: dict[str, str],
) -> Iterator[Job]:
    """Each readable task with its document, checked against the corpus, in export order.

    Shape problems go to ``shape``; ``seen`` maps each document merged to the task that names it.
    """
    index = 0
    for item in items:
        if isinstance(item, RasdError):
            shape.append(item)
            continue
        where = task_name(origin, cast(Mapping[str, Any], item), index)
        index += 1
        found = task_document(item, documents, where)
        if isinstance(found, RasdError):
            yield found
        elif found.id in seen:
            yield DUPLICATE_TASK(file=where, document=found.id, first=seen[found.id])
        else:
            seen[found.id] = where
            yield item, found, where


def seal(jobs: Sequence[Job]) -> bytes:
    """A batch of jobs as the bytes a worker gets: the tasks as one JSON text, the rest pickled.

    The tasks, parsed into ``UniqueKeys`` dicts, would unpickle key by key in
    Python (slower than the merge of them); as JSON they are read back in C.
    The export was checked whole already (no repeated key, no ``NaN``), so the
    text says exactly what the tasks said; a lone surrogate survives in the pickled str.
    A document goes without its text: its task holds the same (``task_document`` checked).
    """
    tasks = [job[0] for job in jobs if not isinstance(job, RasdError)]
    rest = [job if isinstance(job, RasdError) else (replace(job[1], text=""), job[2]) for job in jobs]
    return pickle.dumps((json.dumps(tasks, ensure_ascii=False), rest), pickle.HIGHEST_PROTOCOL)


def unseal(sealed: bytes) -> list[Job]:
    text, rest = pickle.loads(sealed)
    tasks = iter(json.loads(text))
    jobs: list[Job] = []
    for item in rest:
        if isinstance(item, RasdError):
            jobs.append(item)
        else:
            task = next(tasks)
            jobs.append((task, replace(item[0], text=task["data"][DATA_TEXT]), item[1]))
    return jobs


def merge_sealed(sealed: bytes, *, accept_empty: bool = False) -> bytes:
    """``merge_batch`` of a sealed batch, pickled without the documents (the caller has its own).

    (Dask would otherwise walk every dict of every task looking for collections, and
    cloudpickle them object by object: more work than the merge itself.)
    """
    result = merge_batch(unseal(sealed), accept_empty=accept_empty)
    updates = [(doc_id, spans) for doc_id, (_, spans) in result.updates.items()]
    work = [(w.annotator, w.document.id, w.spans) for w in result.work]
    result.updates, result.work = {}, []
    return pickle.dumps((result, updates, work), pickle.HIGHEST_PROTOCOL)


def unseal_result(merged: bytes, documents: Mapping[str, Document]) -> MergeResult:
    """What ``merge_sealed`` sent back, with this process's documents put back in."""
    result, updates, work = pickle.loads(merged)
    result.updates = {doc_id: (documents[doc_id], spans) for doc_id, spans in updates}
    result.work = [AnnotatorWork(who, documents[doc_id], spans) for who, doc_id, spans in work]
    return cast(MergeResult, result)


def merged_batches(
    jobs: Iterator[Job], engine: EngineSpec | None, documents: Mapping[str, Document], *, accept_empty: bool
) -> Iterator[MergeResult]:
    """``merge_batch`` over consecutive batches of jobs, in order, on ``engine`` when it is worth it."""
    batches = batched(jobs, BATCH)
    head = list(islice(batches, PARALLEL_FROM))
    if engine is None or engine.worker_count == 1 or len(head) < PARALLEL_FROM:
        yield from map(partial(merge_batch, accept_empty=accept_empty), chain(head, batches))
        return
    sealed = prefetched(map(seal, chain(head, batches)), 3 * engine.worker_count)
    for merged in map_ordered(partial(merge_sealed, accept_empty=accept_empty), sealed, engine):
        yield unseal_result(merged, documents)


def merge_tasks(
    repo: Repo,
    tasks: Iterable[TaskJSON | RasdError],
    origin: str,
    *,
    accept_empty: bool = False,
    engine: EngineSpec | None = None,
) -> MergeResult:
    """Work out the gold spans every task gives its document; collect every problem.

    ``tasks`` may be a stream (``rasd.formats.labelstudio.iter_export``): each task
    is read once and let go; shape problems in it come first among the errors.
    The per-task work runs in batches on ``engine`` (None: in this process); the
    result is the same whatever the engine and worker count.
    """
    result = MergeResult()
    documents = {d.id: d for d in load_corpus(repo, errors=result.errors)}
    shape: list[RasdError] = []
    seen: dict[str, str] = {}
    jobs = iter_jobs(tasks, documents, origin, shape=shape, seen=seen)
    for fragment in merged_batches(jobs, engine, documents, accept_empty=accept_empty):
        result.absorb(fragment, documents)
    final: dict[str, Sequence[Span]] = {doc_id: d.spans for doc_id, d in documents.items()}
    final.update((doc_id, spans) for doc_id, (_, spans) in result.updates.items())
    check_corpus_ids(result, final, seen)
    result.errors[:0] = shape
    return result


def stage_gold(
    repo: Repo,
    transaction: Transaction,
    document: Document,
    spans: Sequence[Span],
    *,
    status: str = COMPLETE,
    rendered: str | None = None,
) -> bool:
    """Check a document's new gold spans and stage its file when it changes; True if staged.

    ``rendered``: the file of these spans with status complete, already checked by the merge.
    """
    path = annotation_path(repo, document.id)
    if rendered is not None and status == COMPLETE:
        text = rendered
    else:
        raise_all(semantic_errors(document.id, document.text, spans, file=repo.relative(path)))
        text = render_annotations(document, spans, status=status)
    if path.exists() and read_text(path, file=repo.relative(path)) == text:
        return False
    transaction.write_text(path, text)
    return True


def apply_merge(repo: Repo, result: MergeResult) -> list[str]:
    """Write the changed gold files and every annotator's work, all or nothing.

    Every problem is raised before the first write; the files are then written
    in one ``Transaction`` (after a crash, all of them or none).
    """
    raise_all(result.errors, summary="problems found; nothing was written")
    transaction = Transaction(repo.root, "ls-pull")
    try:
        settled = set(result.adjudicated)
        for doc_id in sorted(result.updates):
            status = ADJUDICATED if doc_id in settled else COMPLETE
            stage_gold(
                repo,
                transaction,
                *result.updates[doc_id],
                status=status,
                rendered=result.rendered.get(doc_id),
            )
        stage_annotator_work(repo, transaction, result.work)
    except BaseException:
        transaction.abandon()
        raise
    if not transaction.targets:
        transaction.abandon()
        return []
    return transaction.commit()


@dataclass
class PullReport:
    """What a pull (or an import of an export file) did."""

    merge: MergeResult
    changed: list[str]


class Built(Protocol):
    """What a rebuild reports: the files it changed (``rasd.dataset.build.BuildReport`` is one)."""

    @property
    def changed(self) -> Sequence[str]: ...


Rebuild = Callable[[Repo], Built]


def import_tasks(
    repo: Repo,
    parsed: ParsedTasks | ExportFile,
    *,
    rebuild: Rebuild | None = None,
    accept_empty: bool = False,
    engine: EngineSpec | None = None,
) -> PullReport:
    """Merge an export into the gold files, then rebuild ``dataset/`` when ``rebuild`` is given.

    Every problem in the export or in the merged gold is raised before anything
    is written; conflicts are reported in the result and leave their documents
    alone.  An ``ExportFile`` is streamed, one task at a time.  Only gold files
    whose content changes are written, and the rebuild runs only when a file
    changed (an unchanged gold builds the same data); it is passed in
    (``rasd.labelstudio`` sits below the build).
    """
    merge = merge_tasks(repo, parsed, parsed.origin, accept_empty=accept_empty, engine=engine)
    changed = apply_merge(repo, merge)
    if rebuild is not None and changed:
        changed += [name for name in rebuild(repo).changed if name not in changed]
    return PullReport(merge, changed)
