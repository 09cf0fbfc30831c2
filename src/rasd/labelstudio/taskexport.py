"""``rasd ls export-tasks`` on every core: workers render task lines, the parent writes them in order.

The complete path (``write_tasks_file``: the corpus read by ``load_corpus``, one
task at a time, in this process) is the reference and the one that reports
problems.  The parallel path hands batches of document ids to the engine
(``rasd.core.engine``); a worker reads each document as the corpus pass does
(the raw file cleaned, its gold, its suggestions), renders its task line and
sends back the line (``task_json``: ``task_line`` written out without the
task's dicts, the same text) with the digests the corpus-wide duplicate check needs.
It writes the same bytes whatever the worker count or batch size, and it
accepts only a corpus the complete path accepts: any problem at all (a file
that cannot be read, a duplicate, a stray gold file, broken suggestions) and it
drops its unfinished file and runs the complete path, which raises every
problem exactly as it always has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from rasd.core.engine import DOCUMENTS_PER_TASK, EngineSpec, batched, map_ordered
from rasd.core.errors import FastPathDeclined, RasdError
from rasd.core.model import Source
from rasd.core.paths import Repo
from rasd.formats.labelstudio import stream_tasks, write_task_bytes
from rasd.gold.annotations import iter_stray_file_problems, load_corpus, read_gold
from rasd.intake.ingest import RAW_SUFFIX, checked_metadata, raw_ids, read_document
from rasd.labelstudio.tasks import Suggestions, iter_file_tasks, task_json

BATCH = DOCUMENTS_PER_TASK


@dataclass(frozen=True)
class ExportJob:
    """A document to render, by id, with the metadata it is ingested with."""

    doc_id: str
    title: str | None
    source: Source


class Rendered(NamedTuple):
    """One document's task line and the keys of the duplicate check (its raw and cleaned texts')."""

    digests: tuple[bytes, bytes]
    line: bytes  # UTF-8: encoded by the worker, copied by the parent


@dataclass(frozen=True)
class ExportOptions:
    """What a task export renders and where: the suggestions' model version and loader, the engine."""

    model_version: str | None
    suggestions: Suggestions | None  # picklable for any engine but ``sync`` (the stored loader is)
    engine: EngineSpec = field(default_factory=EngineSpec)
    batch: int = BATCH  # documents per engine task


def render_one(
    repo: Repo, model_version: str | None, suggestions: Suggestions | None, job: ExportJob
) -> Rendered | None:
    """The task line of one document as the corpus pass makes it; None when anything is wrong."""
    path = repo.raw_dir / (job.doc_id + RAW_SUFFIX)
    try:
        # its problems are never shown (the complete path reports them), so its plain name will do
        raw, document = read_document(repo, path, job.title, job.source, shown=path.name)
        document = document.with_spans(read_gold(repo, document)[1])
        predictions = suggestions(document) if suggestions is not None else ()
    except RasdError:
        return None
    digests = (_key(b"r", raw), _key(b"t", document.text))
    line = task_json(document, predictions=predictions, model_version=model_version)
    return Rendered(digests, line.encode("utf-8"))


def _key(kind: bytes, text: str) -> bytes:
    """A text's place in the duplicate check: its kind and a sha256 prefix (16 bytes, not 69 characters a
    text held; two texts sharing one only send the export to the complete path, which compares in full)."""
    return kind + hashlib.sha256(text.encode("utf-8")).digest()[:16]


def render_batch(
    repo: Repo, model_version: str | None, suggestions: Suggestions | None, jobs: list[ExportJob]
) -> list[Rendered | None]:
    """One engine task (module level: workers import it)."""
    return [render_one(repo, model_version, suggestions, job) for job in jobs]


def checked_lines(repo: Repo, ids: list[str], results: Iterable[list[Rendered | None]]) -> Iterator[bytes]:
    """The lines in document order, as long as the corpus pass would have accepted every document.

    The checks the corpus pass makes across documents: no two raw files with the
    same bytes or texts cleaning to the same text, and no gold file of no document.
    """
    seen: set[bytes] = set()
    for rendered in chain.from_iterable(results):
        if rendered is None or not seen.isdisjoint(rendered.digests):
            raise FastPathDeclined
        seen.update(rendered.digests)
        yield rendered.line
    if next(iter_stray_file_problems(repo, set(ids)), None) is not None:
        raise FastPathDeclined


def write_tasks_parallel(repo: Repo, out: Path, options: ExportOptions) -> int:
    """The task file from the engine's lines; ``FastPathDeclined`` (nothing written) on any problem."""
    metadata = checked_metadata(repo)
    ids = raw_ids(repo)
    jobs = (ExportJob(doc_id, *metadata.source_for(doc_id, doc_id + RAW_SUFFIX)) for doc_id in ids)
    work = partial(render_batch, repo, options.model_version, options.suggestions)
    results = map_ordered(work, batched(jobs, options.batch), options.engine)
    try:
        return write_task_bytes(out, checked_lines(repo, ids, results))
    finally:
        if isinstance(results, Generator):
            results.close()  # the workers stop now, before the complete path runs


def write_tasks_file(
    repo: Repo, out: Path, *, model_version: str | None, suggestions: Suggestions | None
) -> int:
    """The complete path, in this process: one document at a time, every problem raised as named."""
    tasks = iter_file_tasks(load_corpus(repo), model_version=model_version, suggestions=suggestions)
    return stream_tasks(out, tasks)


def export_tasks(repo: Repo, out: Path, options: ExportOptions) -> int:
    """Every document as a Label Studio task, written to ``out`` atomically; returns the task count.

    ``options.engine``: ``sync`` runs the complete path; any other renders on the engine
    and falls back to the complete path on the first problem.  ``options.suggestions`` must
    then be picklable (the stored suggestions' loader is).
    """
    if options.engine.kind != "sync":
        try:
            return write_tasks_parallel(repo, out, options)
        except (FastPathDeclined, RasdError):
            pass  # the complete path reports it
    return write_tasks_file(repo, out, model_version=options.model_version, suggestions=options.suggestions)
