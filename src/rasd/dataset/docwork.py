"""The build's work on one document, run in batches by the engine's workers (``rasd.core.engine``).

A worker reads one raw article, its metadata entry, its gold file and its stored
suggestions, makes the ``Document``, checks its spans and its record against the
schema, and makes its released records (``spans`` + ``tokens``, or
``unlabeled``).  Nothing here needs another document: the corpus-wide checks
(duplicate texts, span ids unique across documents, story clusters) are the
parent's (``rasd.dataset.buildpass``), fed in document-id order.

Two passes call this module: the first (``prepare_batch``) returns what the
parent needs for its corpus-wide checks (hashes, status, span ids, the MinHash
signature: a few hundred bytes a document); the second (``records_batch``) the
released rows, once the story cluster of every document is known.  Between
them, and between builds, the records wait in the per-document cache
(``rasd.formats.buildcache``) under a key that digests every input of the
document and the code: a rebuild recomputes only the documents whose raw file,
gold file, suggestions or metadata changed (or every one after a code change).
A document with a problem is never cached: its problems are found again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import rasd
from rasd.core.errors import RasdError, SpanError, unbundle
from rasd.core.model import Document, Source
from rasd.core.paths import Repo
from rasd.dataset.features import RECORD_ENCODERS, schema_view
from rasd.dataset.neardup import exact_key, signature, signature_state
from rasd.dataset.records import document_fields, provenance_fields
from rasd.dataset.unlabeled import stored_suggestions, unlabeled_record
from rasd.formats import buildcache
from rasd.formats.gold import LABELED_STATUSES, UNANNOTATED, annotation_path
from rasd.formats.predictions import prediction_path
from rasd.gold.annotations import read_gold
from rasd.intake.ingest import max_raw_bytes, read_document, text_sha256
from rasd.text.tokens import document_tokens
from rasd.validation.schema import structural_errors

CACHE_FOLDER = ".rasd-cache/build"
"""The per-document cache, relative to the repository root (never committed: it holds a ``.gitignore``)."""


def spans_record(document: Document, story_cluster: str) -> dict[str, Any]:
    """The released ``spans`` record of a document (labels as names)."""
    return {
        **document_fields(document, story_cluster),
        "spans": [
            {"id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": s.text, "value": s.value}
            for s in document.spans
        ],
    }


def tokens_record(document: Document) -> dict[str, Any]:
    """The released ``tokens`` record: tokens split at span boundaries, BIO tags of the outermost spans."""
    offsets, tags = document_tokens(document)
    text = document.text
    starts, ends = (list(column) for column in zip(*offsets, strict=True)) if offsets else ([], [])
    return {
        "id": document.id,
        **provenance_fields(document),
        "tokens": [text[s:e] for s, e in offsets],
        "ner_tags": tags,
        "token_starts": starts,
        "token_ends": ends,
    }


@lru_cache(maxsize=1)
def code_digest() -> str:
    """sha256 of every source file of the ``rasd`` package: any code change invalidates the cache."""
    package = Path(rasd.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Job:
    """One document for a worker: its raw file, its metadata, the caches and the code it is keyed by."""

    root: str
    raw_file: str
    title: str | None
    source: Source
    cache: str
    """The cache entries are read from (never written: a failed build must leave it as it was)."""
    fresh: str
    """Where this build writes the entries it computes (adopted into ``cache`` if the build succeeds)."""
    code: str

    @property
    def doc_id(self) -> str:
        return Path(self.raw_file).stem


@dataclass(frozen=True)
class Prepared:
    """What the parent needs of one document for its corpus-wide checks (the first pass)."""

    doc_id: str
    key: str = ""
    status: str = UNANNOTATED
    raw_sha256: str = ""
    text_sha256: str = ""
    exact: str = ""
    minhash: str = ""
    span_ids: tuple[str, ...] = ()
    computed: bool = False
    """True when the records were computed in this run (not found in the cache)."""
    raw_problems: tuple[RasdError, ...] = field(default=())
    """The raw file could not be ingested: nothing else is known."""
    problems: tuple[RasdError, ...] = field(default=())


def _optional_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def cache_key(repo: Repo, job: Job) -> str | None:
    """The digest of every input of the document and of the code; None when an input is unreadable."""
    path = repo.raw_dir / job.raw_file
    try:
        if path.stat().st_size > max_raw_bytes():
            return None
        raw = path.read_bytes()
        gold = _optional_bytes(annotation_path(repo, job.doc_id))
        suggestions = _optional_bytes(prediction_path(repo, job.doc_id))
    except OSError:
        return None
    digest = hashlib.sha256(f"{job.code}\0{job.doc_id}\0".encode())
    metadata = json.dumps([job.title, asdict(job.source)], sort_keys=True, ensure_ascii=False)
    for part in (raw, gold, suggestions, metadata.encode()):
        digest.update(b"-" if part is None else b"%d:" % len(part) + part)
    return digest.hexdigest()


def _records(repo: Repo, document: Document, status: str, problems: list[RasdError]) -> dict[str, Any]:
    """The document's records, its own id standing in for its story cluster until the parent knows it."""
    if status not in LABELED_STATUSES:
        suggestions = stored_suggestions(repo, document, problems)
        return {"unlabeled": unlabeled_record(document, status, document.id, suggestions)}
    record = spans_record(document, document.id)
    shown = f"dataset/annotations/{document.id}.json"
    problems += structural_errors(
        "document.schema.json", schema_view(record), file=shown, document=document.id
    )
    try:
        return {"spans": record, "tokens": tokens_record(document)}
    except SpanError as exc:
        problems.append(exc)
        return {}


def compute(repo: Repo, job: Job) -> tuple[Prepared, dict[str, Any]]:
    """Everything the build makes of one document, from its files (no cache)."""
    try:
        raw, document = read_document(repo, repo.raw_dir / job.raw_file, job.title, job.source)
    except RasdError as error:
        return Prepared(job.doc_id, raw_problems=tuple(unbundle(error))), {}
    problems: list[RasdError] = []
    try:
        status, spans = read_gold(repo, document)
    except RasdError as exc:
        problems += unbundle(exc)
        status, spans = UNANNOTATED, ()
    document = document.with_spans(spans)
    records = _records(repo, document, status, problems)
    labeled = status in LABELED_STATUSES
    prepared = Prepared(
        doc_id=document.id,
        status=status,
        raw_sha256=text_sha256(raw),
        text_sha256=text_sha256(document.text),
        exact=exact_key(document.text),
        minhash=signature_state(signature(document.text)),
        span_ids=tuple(s.id for s in spans) if labeled else (),
        computed=True,
        problems=tuple(problems),
    )
    return prepared, records


_SUMMARY_FIELDS = ("status", "raw_sha256", "text_sha256", "exact", "minhash", "span_ids")


def _summary(prepared: Prepared) -> dict[str, Any]:
    return {name: getattr(prepared, name) for name in _SUMMARY_FIELDS}


def _from_summary(doc_id: str, key: str, summary: dict[str, Any]) -> Prepared | None:
    try:
        values = {name: summary[name] for name in _SUMMARY_FIELDS}
        values["span_ids"] = tuple(values["span_ids"])
        return Prepared(doc_id, key, **values)
    except (KeyError, TypeError):
        return None


def prepare(
    job: Job, *, records: bool = False, key: str | None = None, folders: tuple[str, ...] | None = None
) -> tuple[Prepared, dict[str, Any]]:
    """The document from the cache when a sound entry has its key, else computed (and cached if valid).

    ``key``: the cache key the first pass found (the second pass does not read the inputs again).
    ``folders``: where to look for the entry (default: ``job.cache``, then ``job.fresh``).
    """
    repo = Repo(job.root)
    key = key or cache_key(repo, job)
    if key is not None:
        for folder in (job.cache, job.fresh) if folders is None else folders:
            entry = buildcache.read_entry(Path(folder), key, records=records)
            found = _from_summary(job.doc_id, key, entry[0]) if entry is not None else None
            if entry is not None and found is not None:
                return found, entry[1]
    prepared, rows = compute(repo, job)
    if key is None or prepared.raw_problems or prepared.problems:
        return prepared, rows
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        buildcache.write_entry(Path(job.fresh), key, _summary(prepared), rows)
    return replace(prepared, key=key), rows


def _existing(*folders: str) -> tuple[str, ...]:
    """The folders that exist: a look-up in a missing one (``--no-cache``) is a failed open per document."""
    return tuple(folder for folder in folders if Path(folder).is_dir())


def prepare_batch(jobs: list[Job]) -> list[Prepared]:
    """The first pass over one batch (an engine task: module level, so workers can import it).

    It looks in the cache only: this build's own entries (``job.fresh``) are
    written by this pass, one per document, after its look-up.
    """
    folders = {job.cache: _existing(job.cache) for job in jobs}
    return [prepare(job, folders=folders[job.cache])[0] for job in jobs]


Rows = tuple[str, str, dict[str, dict[str, Any]]]
"""A document's id, status and records by config."""


def records_batch(items: list[tuple[Job, str, str]], *, encode: bool) -> list[Rows]:
    """The second pass over one batch of ``(job, cache key, story cluster)``: the released records.

    Encoded for parquet when ``encode`` (``features.RECORD_ENCODERS``: what
    ``Features.encode_example`` gives): the workers do it, not the writer.
    """
    out: list[Rows] = []
    folders = {(job.cache, job.fresh): _existing(job.cache, job.fresh) for job, _, _ in items}
    for job, key, cluster in items:
        prepared, records = prepare(job, records=True, key=key, folders=folders[job.cache, job.fresh])
        for record in records.values():
            if "story_cluster" in record:
                record["story_cluster"] = cluster
        if encode:
            records = {config: RECORD_ENCODERS[config](r) for config, r in records.items()}
        out.append((job.doc_id, prepared.status, records))
    return out
