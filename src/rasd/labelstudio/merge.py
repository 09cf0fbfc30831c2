"""A whole export -> the gold files: exactly the annotators' edits come back, all or nothing.

``merge_tasks`` works out the gold spans every task gives its document and
collects every problem (unknown documents, changed texts, duplicate tasks,
regions the build would reject, span ids used twice in the corpus, and every
problem of the corpus an import has always refused: raw files that cannot be
ingested or repeat another, broken gold files).  The changed files are staged
as they come (``import_tasks``: in one ``Transaction``, committed only when
there is no problem, else abandoned).  Conflicts (several submitted
annotations, no ground truth) are reported and leave their documents alone.
Nothing here talks to a server: an export file from the UI merges the same way.

Nothing holds the corpus.  The parent streams the export and hands each task
to a worker with its document's *id* only (``rasd.labelstudio.taskwork``): the
worker reads the document and its gold itself and sends back the files that
change and, per document, ids and digests (``Seen``), which is all the
corpus-wide checks keep (``CorpusChecks``).  Documents the export does not
name are read the same way after it, for those checks.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain, islice
from typing import Any, Final, Protocol, TypeVar, cast

from rasd.core.engine import EngineSpec, batched, map_ordered, prefetched
from rasd.core.errors import RasdError, raise_all
from rasd.core.journal import Staging, Transaction
from rasd.core.model import Source
from rasd.core.paths import Repo
from rasd.core.problems.intake import RAW_DUPLICATE
from rasd.core.problems.labelstudio import DUPLICATE_TASK, UNKNOWN_DOCUMENT
from rasd.formats.labelstudio import DATA_ID, ExportFile, ParsedTasks, TaskJSON, task_name
from rasd.formats.metadata import Metadata
from rasd.gold.annotations import iter_stray_file_problems
from rasd.intake.ingest import RAW_SUFFIX, checked_metadata, raw_ids, shown_raw
from rasd.labelstudio.taskwork import (
    CheckJob,
    FileChange,
    Job,
    MergeResult,
    Seen,
    TaskJob,
    collector_paused,
    merge_batch,
    merge_task,
)
from rasd.validation.validate import CorpusIds, PackedSpanIds, pack_span_ids, unpack_span_ids

__all__ = ["MergeResult", "PullReport", "import_tasks", "merge_batch", "merge_task", "merge_tasks"]

T = TypeVar("T")

Stage = Callable[[FileChange], None]
"""Takes a changed file as it comes (``import_tasks`` stages it in its transaction)."""


@dataclass
class CorpusChecks:
    """What the corpus-wide checks keep of each document: ids, digests, and its problems."""

    ids: list[str]
    raw_problems: dict[str, tuple[RasdError, ...]] = field(default_factory=dict)
    digests: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)
    gold_problems: dict[str, tuple[RasdError, ...]] = field(default_factory=dict)
    span_ids: dict[str, PackedSpanIds] = field(default_factory=dict)  # 6 B an id of new_span_id's form
    merged: set[str] = field(default_factory=set)  # documents a task was merged into

    def add(self, seen: Seen) -> None:
        if seen.raw_problems:
            self.raw_problems[seen.doc_id] = seen.raw_problems
            return
        self.digests[seen.doc_id] = seen.digests
        if seen.gold_problems:
            self.gold_problems[seen.doc_id] = seen.gold_problems
        if seen.span_ids:
            packed = seen.span_ids  # packed by the worker; bytes are packed already, ids maybe not
            self.span_ids[seen.doc_id] = packed if isinstance(packed, bytes) else pack_span_ids(packed)
        if seen.merged:
            self.merged.add(seen.doc_id)

    def raw_errors(self, repo: Repo) -> list[RasdError]:
        """Raw files that cannot be ingested, and repeated ones, in id order (as ``iter_documents``)."""
        errors: list[RasdError] = []
        first: dict[bytes, str] = {}  # a digest -> the file that had it first
        folder = repo.relative(repo.raw_dir)
        for doc_id in self.ids:
            if doc_id in self.raw_problems:
                errors += self.raw_problems[doc_id]
                continue
            shown = shown_raw(repo, repo.raw_dir / (doc_id + RAW_SUFFIX), folder)
            for kind, digest in zip((b"r", b"t"), self.digests.get(doc_id, (b"", b"")), strict=True):
                if not digest:
                    continue
                if kind + digest in first:
                    earlier = first[kind + digest]
                    errors.append(RAW_DUPLICATE(file=shown, document=doc_id, duplicate_of=earlier))
                    break
                first[kind + digest] = shown
        return errors

    def gold_errors(self) -> list[RasdError]:
        return [problem for doc_id in sorted(self.gold_problems) for problem in self.gold_problems[doc_id]]

    def id_errors(self, first: Mapping[str, str]) -> list[RasdError]:
        """Span ids stay unique across the corpus once the merged spans replace the gold.

        A merged document is named by its task (``first``), any other by its gold file.
        When every id is of ``new_span_id``'s form and no two are the same, there is
        nothing to name, which one set of the packed ids shows (``all_distinct``);
        else each id goes through ``CorpusIds`` (``named_id_errors``).
        """
        return [] if all_distinct(self.span_ids.values()) else self.named_id_errors(first)

    def named_id_errors(self, first: Mapping[str, str]) -> list[RasdError]:
        """``id_errors``, each id through ``CorpusIds``."""
        ids = CorpusIds()
        return [
            problem
            for doc_id in sorted(self.span_ids)
            for problem in ids.iter_id_problems(
                doc_id,
                unpack_span_ids(self.span_ids[doc_id]),
                file=first[doc_id] if doc_id in self.merged else f"dataset/annotations/{doc_id}.json",
            )
        ]


def all_distinct(packed: Iterable[PackedSpanIds]) -> bool:
    """Whether every id is packed in 6 bytes (``pack_span_ids``) and no two are the same.

    ``CorpusIds`` reports an id only when another document has it too: with every id
    distinct it reports nothing (tests/test_labelstudio_import_ids_fast.py holds this to it).
    """
    chunks = list(packed)
    if any(not isinstance(chunk, bytes) for chunk in chunks):
        return False
    blob = b"".join(cast(list[bytes], chunks))
    return len({blob[at : at + 6] for at in range(0, len(blob), 6)}) * 6 == len(blob)


BATCH = 50  # tasks per batch handed to a worker
PARALLEL_FROM = 4  # batches: a smaller export is merged in this process (starting workers costs more)


def iter_jobs(
    items: Iterable[TaskJSON | RasdError],
    known: set[str],
    metadata: Metadata,
    origin: str,
    *,
    shape: list[RasdError],
    first: dict[str, str],
) -> Iterator[Job]:
    """Each readable task with its document's id, in export order; then every other document.

    Shape problems go to ``shape``; ``first`` maps each document to the first task naming it.
    """
    index = 0
    for item in items:
        if isinstance(item, RasdError):
            shape.append(item)
            continue
        where = task_name(origin, cast(dict[str, Any], item), index)
        index += 1
        doc_id = item["data"][DATA_ID]
        if doc_id not in known:
            yield UNKNOWN_DOCUMENT(file=where, document=doc_id)
        elif doc_id in first:
            yield DUPLICATE_TASK(file=where, document=doc_id, first=first[doc_id])
        else:
            first[doc_id] = where
            yield TaskJob(item, doc_id, where, *metadata.source_for(doc_id, doc_id + RAW_SUFFIX))
    for doc_id in sorted(known.difference(first)):
        yield CheckJob(doc_id, *metadata.source_for(doc_id, doc_id + RAW_SUFFIX))


Shell = tuple[str, str, str | None, Source] | CheckJob | RasdError
"""A job as sealed: a ``TaskJob`` without its task (which travels apart), or the job itself."""


def _shell(job: Job) -> Shell:
    return (job.doc_id, job.where, job.title, job.source) if isinstance(job, TaskJob) else job


def seal(jobs: Sequence[Job]) -> bytes:
    """A batch of jobs as the bytes a worker gets, made here in C (Dask would walk every dict).

    The tasks are the export reader's plain JSON trees (dicts, lists, strings, numbers):
    ``marshal`` writes them three times faster than ``pickle`` (50 tasks of the profiling
    export: about 2 against 6 ms) and reads them no slower; the rest of each job is pickled.  A lone
    surrogate, ``-0.0`` and big integers survive (tests/test_labelstudio_import_scale.py);
    a task holding anything else (a caller's own objects) is pickled whole.
    """
    tasks = [job.task for job in jobs if isinstance(job, TaskJob)]
    try:
        blob: bytes | None = marshal.dumps(tasks, _MARSHAL)
    except ValueError:  # not a JSON tree: pickle knows it
        return pickle.dumps((None, list(jobs)), pickle.HIGHEST_PROTOCOL)
    return pickle.dumps((blob, [_shell(job) for job in jobs]), pickle.HIGHEST_PROTOCOL)


_MARSHAL = 4  # marshal's format version, fixed: a worker of a cluster may run another Python


def unseal(sealed: bytes) -> list[Job]:
    """The jobs ``seal`` sealed, read without the cyclic collector (a batch is a hundred thousand objects)."""
    with collector_paused():
        blob, shells = pickle.loads(sealed)
        if blob is None:
            return cast(list[Job], shells)
        tasks = iter(marshal.loads(blob))
        return [TaskJob(next(tasks), *shell) if isinstance(shell, tuple) else shell for shell in shells]


def merge_sealed(
    sealed: bytes, *, repo: Repo, accept_empty: bool = False, staging: Staging | None = None
) -> bytes:
    """``merge_batch`` of a sealed batch, pickled (Dask would otherwise walk and cloudpickle it)."""
    merged = merge_batch(repo, unseal(sealed), accept_empty=accept_empty, staging=staging)
    return pickle.dumps(merged, pickle.HIGHEST_PROTOCOL)


def paused(items: Iterator[T]) -> Iterator[T]:
    """``items``, each made with the cyclic collector paused (``collector_paused``).

    Reading a batch of the export makes a hundred thousand new objects and no cycle;
    the collector would rescan everything the parent holds (Dask included) again and
    again: 0.1 to 0.4 ms a task of the parent's time on the profiling export.
    """
    while True:
        with collector_paused():
            item = next(items, _END)
        if item is _END:
            return
        yield cast(T, item)


_END: Final = object()


def merged_batches(
    repo: Repo, jobs: Iterator[Job], engine: EngineSpec | None, *, accept_empty: bool, staging: Staging | None
) -> Iterator[MergeResult]:
    """``merge_batch`` over consecutive batches of jobs, in order, on ``engine`` when it is worth it."""
    batches = paused(batched(jobs, BATCH))
    head = list(islice(batches, PARALLEL_FROM))
    if engine is None or engine.worker_count == 1 or len(head) < PARALLEL_FROM:
        here = partial(merge_batch, repo, accept_empty=accept_empty, staging=staging)
        yield from map(here, chain(head, batches))
        return
    sealed = prefetched(paused(map(seal, chain(head, batches))), 3 * engine.worker_count)
    work = partial(merge_sealed, repo=repo, accept_empty=accept_empty, staging=staging)
    for merged in map_ordered(work, sealed, engine):
        with collector_paused():  # a batch's result is new objects and no cycle (as ``paused``)
            fragment = cast(MergeResult, pickle.loads(merged))
        yield fragment


def absorb(result: MergeResult, fragment: MergeResult, checks: CorpusChecks, stage: Stage | None) -> None:
    """Add what a batch gave to ``result``, in order; its files staged (then let go) or kept."""
    result.updates.update(fragment.updates)
    result.unchanged += fragment.unchanged
    result.conflicts += fragment.conflicts
    result.notes += fragment.notes
    result.errors += fragment.errors
    result.held += fragment.held
    result.work += fragment.work
    result.adjudicated += fragment.adjudicated
    for change in fragment.files:
        if stage is not None:
            stage(change)
            if change.text is not None:  # a worker's staged file has none already
                change = replace(change, text=None)
        result.files.append(change)
    for seen in fragment.seen:
        checks.add(seen)


def merge_tasks(
    repo: Repo,
    tasks: Iterable[TaskJSON | RasdError],
    origin: str,
    *,
    accept_empty: bool = False,
    engine: EngineSpec | None = None,
    stage: Stage | None = None,
    staging: Staging | None = None,
) -> MergeResult:
    """Work out the gold spans every task gives its document; collect every problem.

    ``tasks`` may be a stream (``rasd.formats.labelstudio.iter_export``): each task
    is read once and let go; shape problems in it come first among the errors.
    The per-task work runs in batches on ``engine`` (None: in this process); the
    result is the same whatever the engine and worker count.  Each changed file
    goes to ``stage`` as it comes (None: kept in ``files``), written by its worker
    into ``staging`` first when given (``FileChange.staged``).  Raw files that
    cannot be ingested are raised together at the end, as the build does.
    """
    result = MergeResult()
    checks = CorpusChecks(raw_ids(repo))
    metadata = checked_metadata(repo)
    shape: list[RasdError] = []
    first: dict[str, str] = {}
    jobs = iter_jobs(tasks, set(checks.ids), metadata, origin, shape=shape, first=first)
    for fragment in merged_batches(repo, jobs, engine, accept_empty=accept_empty, staging=staging):
        with collector_paused():  # staging and keeping a batch's files make no cycle either
            absorb(result, fragment, checks, stage)
    raise_all(checks.raw_errors(repo), summary="problems in dataset/raw")
    strays = list(iter_stray_file_problems(repo, set(checks.ids)))
    result.errors[:0] = [*shape, *checks.gold_errors(), *strays]
    result.errors += checks.id_errors(first)
    return result


def changed_files(result: MergeResult) -> list[str]:
    """The files a merge changes, as ``apply_merge`` names them: gold files by document, then the rest."""
    gold = sorted((f for f in result.files if f.doc_id is not None), key=lambda f: cast(str, f.doc_id))
    return [f.path for f in gold] + [f.path for f in result.files if f.doc_id is None]


def apply_merge(repo: Repo, result: MergeResult) -> list[str]:
    """Write the changed files a merge kept (``merge_tasks`` without ``stage``), all or nothing."""
    raise_all(result.errors, summary="problems found; nothing was written")
    transaction = Transaction(repo.root, "ls-pull")
    for change in result.files:
        transaction.write_text(repo.root / change.path, cast(str, change.text))
    return commit(transaction, result)


def stage_change(repo: Repo, transaction: Transaction, change: FileChange) -> None:
    """A changed file into ``transaction``: adopted when its worker staged it, else written now."""
    if change.staged is not None:
        transaction.adopt(os.path.join(repo.root, change.path), change.staged)  # a string: no Path a file
    else:
        transaction.write_text(repo.root / change.path, cast(str, change.text))


def abandon(transaction: Transaction) -> None:
    """Nothing of ``transaction`` is applied; the journal folder goes too when nothing else is in it."""
    transaction.abandon()
    with contextlib.suppress(OSError):
        transaction.folder.parent.rmdir()


def commit(transaction: Transaction, result: MergeResult) -> list[str]:
    if not transaction.targets:
        abandon(transaction)
        return []
    transaction.commit()
    return changed_files(result)


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
    is written (the changed files are staged in a ``Transaction`` as they come,
    and abandoned on the first problem or interruption); conflicts are reported
    in the result and leave their documents alone.  An ``ExportFile`` is
    streamed, one task at a time.  Only gold files whose content changes are
    written, and the rebuild runs only when a file changed (an unchanged gold
    builds the same data); it is passed in (``rasd.labelstudio`` sits below the build).
    """
    transaction = Transaction(repo.root, "ls-pull")
    try:
        merge = merge_tasks(
            repo,
            parsed,
            parsed.origin,
            accept_empty=accept_empty,
            engine=engine,
            stage=partial(stage_change, repo, transaction),
            staging=transaction.staging(),
        )
        raise_all(merge.errors, summary="problems found; nothing was written")
    except BaseException:
        abandon(transaction)
        raise
    changed = commit(transaction, merge)
    if rebuild is not None and changed:
        changed += [name for name in rebuild(repo).changed if name not in changed]
    return PullReport(merge, changed)
