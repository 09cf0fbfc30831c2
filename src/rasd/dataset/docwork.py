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
The first pass writes a batch's new entries as one pack and sends back where
each is; the second pass is given that place, so it reads without a look-up.

What the raw file alone decides (the cleaned ``Document``, its hashes, the
MinHash signature, the pattern's tokens) is a ``TextPart``
(``rasd.dataset.textpart``), kept in a cache of its own under a key of the raw
bytes: a document whose gold changed but whose raw file did not recomputes only
its gold-dependent part (gold, spans record and its schema check, tokens, BIO
tags).  A raw file with a problem has no text part: ``compute`` reads it again
and names every problem.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import rasd
from rasd.core.errors import RasdError, SpanError, unbundle
from rasd.core.model import Document, Source, Span
from rasd.core.paths import Repo
from rasd.dataset import textpart
from rasd.dataset.features import RECORD_ENCODERS, schema_view
from rasd.dataset.records import document_fields, provenance_fields
from rasd.dataset.textpart import TextPart
from rasd.dataset.unlabeled import stored_suggestions, unlabeled_record
from rasd.formats import buildcache
from rasd.formats.gold import LABELED_STATUSES, UNANNOTATED, annotation_path
from rasd.formats.predictions import predictions_dir
from rasd.gold.annotations import read_gold
from rasd.intake.ingest import max_raw_bytes
from rasd.text.tokens import TokenColumns, document_token_columns
from rasd.validation.schema import structural_errors

CACHE_FOLDER = ".rasd-cache/build"
"""The per-document cache, relative to the repository root (never committed: it holds a ``.gitignore``)."""


def spans_record(document: Document, story_cluster: str, digest: str | None = None) -> dict[str, Any]:
    """The released ``spans`` record of a document (labels as names; ``digest``: its text's sha256)."""
    return {
        **document_fields(document, story_cluster, digest),
        "spans": [
            {"id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": s.text, "value": s.value}
            for s in document.spans
        ],
    }


def tokens_record(document: Document, words: TokenColumns | None = None) -> dict[str, Any]:
    """The released ``tokens`` record: tokens split at span boundaries, BIO tags of the outermost spans.

    ``words``: ``rasd.text.tokens.words(document.text)``'s starts and ends, when known (a ``TextPart``'s).
    """
    starts, ends, tags = document_token_columns(document, columns=words)
    text = document.text
    return {
        "id": document.id,
        **provenance_fields(document),
        "tokens": [text[s:e] for s, e in zip(starts, ends, strict=True)],
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
        return file_stem(self.raw_file)  # Path(raw_file).stem, without a Path


def file_stem(name: str) -> str:
    """``pathlib.PurePath(name).stem`` of a plain file name (no separator), as ``pathlib`` computes it."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


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
    location: buildcache.Location | None = None
    """Where its cache entry is (None: not cached, it has a problem or the cache could not be written)."""
    fresh: bool = False
    """The entry is in this build's own folder (computed now), not in the cache."""
    text_key: str = ""
    """The key of its text part (``rasd.dataset.textpart``; "": none, the raw file has a problem)."""
    text_location: buildcache.Location | None = None
    """Where its text part is (None: not found nor written)."""
    text_fresh: bool = False
    """The text part is in this build's own folder (made now), not in the text cache."""


def _read_file(path: str, limit: int | None = None) -> bytes | None:
    """The bytes of ``path``; None when it is larger than ``limit``, or missing and ``limit`` is None."""
    try:
        with open(path, "rb", buffering=0) as handle:
            if limit is not None and os.fstat(handle.fileno()).st_size > limit:
                return None
            return handle.readall()
    except FileNotFoundError:
        if limit is None:
            return None
        raise


@lru_cache(maxsize=8)
def _folders(repo: Repo) -> tuple[str, str, str]:
    """The raw, annotations and predictions folders of ``repo`` as ``str``: file names are joined to them."""
    return str(repo.raw_dir), str(annotation_path(repo, "_").parent), str(predictions_dir(repo))


def input_paths(repo: Repo, job: Job) -> tuple[str, str, str]:
    """The document's raw file, gold file (``annotation_path``) and suggestions (``prediction_path``)."""
    raw, gold, suggestions = _folders(repo)
    name = job.doc_id + ".json"
    return f"{raw}{os.sep}{job.raw_file}", f"{gold}{os.sep}{name}", f"{suggestions}{os.sep}{name}"


Inputs = tuple[bytes, bytes | None, bytes | None]
"""A document's raw bytes, gold file and stored suggestions (None: no such file), read once."""


def read_inputs(repo: Repo, job: Job) -> Inputs | None:
    """The bytes of every file of the document; None when one is unreadable or the raw file too large.

    The cache key digests them and ``compute`` makes the document of the same
    raw bytes; None leaves every problem to the readers (which name it).
    """
    raw_path, gold_path, suggestions_path = input_paths(repo, job)
    try:
        raw = _read_file(raw_path, max_raw_bytes())
        return None if raw is None else (raw, _read_file(gold_path), _read_file(suggestions_path))
    except OSError:
        return None


def cache_key(job: Job, inputs: Inputs | None) -> str | None:
    """The digest of every input of the document and of the code; None when an input is unreadable."""
    if inputs is None:
        return None
    digest = hashlib.sha256(f"{job.code}\0{job.doc_id}\0".encode())
    source = job.source
    entry = {f.name: getattr(source, f.name) for f in fields(source)}  # ``asdict``: its values are plain
    metadata = json.dumps([job.title, entry], sort_keys=True, ensure_ascii=False)
    for part in (*inputs, metadata.encode()):
        digest.update(b"-" if part is None else b"%d:" % len(part) + part)
    return digest.hexdigest()


def _records(
    repo: Repo, document: Document, part: TextPart, status: str, problems: list[RasdError]
) -> dict[str, Any]:
    """The document's records, its own id standing in for its story cluster until the parent knows it.

    ``part``: the text part ``document`` was made of (its text's sha256 is not computed again).
    """
    digest = part.text_sha256
    if status not in LABELED_STATUSES:
        suggestions = stored_suggestions(repo, document, problems, digest=digest)
        return {"unlabeled": unlabeled_record(document, status, document.id, suggestions, digest=digest)}
    record = spans_record(document, document.id, digest)
    shown = f"dataset/annotations/{document.id}.json"
    problems += structural_errors(
        "document.schema.json", schema_view(record), file=shown, document=document.id
    )
    try:
        return {"spans": record, "tokens": tokens_record(document, part.words)}
    except SpanError as exc:
        problems.append(exc)
        return {}


def _gold(repo: Repo, part: TextPart, inputs: Inputs | None) -> tuple[str, tuple[Span, ...]]:
    """The document's status and checked gold spans, of the gold bytes in ``inputs`` when read already.

    The text's sha256 is the text part's: the text is not hashed again.
    """
    document, digest = part.document, part.text_sha256
    if inputs is None:
        return read_gold(repo, document, text_digest=digest)
    if inputs[1] is None:  # no gold file when the inputs were read
        return UNANNOTATED, ()
    return read_gold(repo, document, data=inputs[1], text_digest=digest)


def compute(
    repo: Repo,
    job: Job,
    data: bytes | None = None,
    part: TextPart | None = None,
    *,
    inputs: Inputs | None = None,
    known: dict[str, Any] | None = None,
) -> tuple[Prepared, dict[str, Any]]:
    """Everything the build makes of one document, from its files (no records cache).

    ``data``: the raw file's bytes when read already (``read_inputs``);
    ``part``: what the raw file alone gives (``textpart.make`` of ``data``), when known already;
    ``inputs``: every file's bytes (``read_inputs``), when read already: the gold file is not read again;
    ``known``: more fields of its ``Prepared`` (its text part's key and place), set as it is made.
    """
    if part is None:
        try:
            part = textpart.make(repo, job.raw_file, job.title, job.source, data)
        except RasdError as error:
            return Prepared(job.doc_id, raw_problems=tuple(unbundle(error))), {}
    document = part.document
    problems: list[RasdError] = []
    try:
        status, spans = _gold(repo, part, inputs)
    except RasdError as exc:
        problems += unbundle(exc)
        status, spans = UNANNOTATED, ()
    document = document.with_spans(spans)
    records = _records(repo, document, part, status, problems)
    labeled = status in LABELED_STATUSES
    prepared = Prepared(
        doc_id=document.id,
        status=status,
        raw_sha256=part.raw_sha256,
        text_sha256=part.text_sha256,
        exact=part.exact,
        minhash=part.minhash,
        span_ids=tuple(s.id for s in spans) if labeled else (),
        computed=True,
        problems=tuple(problems),
        **(known or {}),
    )
    return prepared, records


_SUMMARY_FIELDS = ("status", "raw_sha256", "text_sha256", "exact", "minhash", "span_ids")


def _summary(prepared: Prepared) -> dict[str, Any]:
    return {name: getattr(prepared, name) for name in _SUMMARY_FIELDS}


def _pack_folder(folder: str, fresh: bool) -> str:
    """Where a build's packs are: its own folder holds them directly, the cache in ``packs/``."""
    return folder if fresh else os.path.join(folder, buildcache.PACKS)


def _looked_up(
    job: Job, key: str | None, index: buildcache.Index | None, reader: buildcache.PackReader
) -> tuple[dict[str, Any], buildcache.Location] | None:
    """The document's summary from the cache and where its entry is (the index has its key, it is sound)."""
    location = index.find(key) if index is not None and key is not None else None
    if location is None or key is None:
        return None
    entry = reader.read(_pack_folder(job.cache, False), location, key, records=False)
    return (entry[0], location) if entry is not None else None


class _Caches:
    """A batch's view of the records cache and the text parts' cache: their indexes, one pack reader."""

    def __init__(self, cache: Path) -> None:
        self.index = buildcache.Index.open(cache)
        self.text_index = buildcache.Index.open(textpart.cache_of(cache))
        self.text_packs = str(buildcache.pack_folder(textpart.cache_of(cache)))
        self.reader = buildcache.PackReader()

    def close(self) -> None:
        self.reader.close()
        for index in (self.index, self.text_index):
            if index is not None:
                index.close()

    def text_location(self, key: str) -> buildcache.Location | None:
        return self.text_index.find(key) if self.text_index is not None and key else None

    def text_part(self, job: Job, key: str) -> tuple[TextPart, buildcache.Location] | None:
        """The document's text part from the text cache, when its index has the key and the entry is sound."""
        location = self.text_location(key)
        found = self.reader.read(self.text_packs, location, key, records=True) if location else None
        part = textpart.from_entry(job.doc_id, job.title, job.source, found) if found is not None else None
        return (part, location) if part is not None and location is not None else None


def _made_part(repo: Repo, job: Job, data: bytes | None, tokens: bool) -> TextPart | None:
    """The document's text part made now; None when its raw file has a problem (``compute`` names it)."""
    try:
        return textpart.make(repo, job.raw_file, job.title, job.source, data, tokens=tokens)
    except RasdError:
        return None


Made = list[tuple[int, str, bytes]]
"""The text parts a batch made: the document's place in the batch, the key, the entry."""


def _prepared(
    repo: Repo, job: Job, inputs: Inputs | None, key: str | None, caches: _Caches
) -> tuple[Prepared, bytes | None, tuple[str, bytes] | None]:
    """A document the records cache does not have, computed, its text part read back or made.

    With its new records entry and its new text part's key and entry (None: none to write).
    """
    data = None if inputs is None else inputs[0]
    gold = inputs is not None and inputs[1] is not None  # tokens wanted: its words made and kept
    text_key = "" if data is None else textpart.text_key(job.code, job.raw_file, data)
    cached = caches.text_part(job, text_key)
    part: TextPart | None
    if cached is None:
        part = _made_part(repo, job, data, gold) if data is not None else None
    elif gold and cached[0].words is None:  # written again, with its words, for the next builds
        part, cached = cached[0].with_words(), None
    else:
        part = cached[0]
    made = None
    if cached is None and part is not None and text_key:
        with contextlib.suppress(ValueError):  # a value the cache cannot store: not cached
            made = (text_key, textpart.entry(text_key, part))
    known: dict[str, Any] = {} if cached is None else {"text_key": text_key, "text_location": cached[1]}
    if key is not None:
        known["key"] = key
    prepared, rows = compute(repo, job, data, part, inputs=inputs, known=known)
    if key is None or prepared.raw_problems or prepared.problems:
        return (replace(prepared, key="") if prepared.key else prepared), None, made
    try:  # a value the cache cannot store: not cached
        return prepared, buildcache.entry_bytes(key, _summary(prepared), rows), made
    except ValueError:
        return prepared, None, made


def _found(
    job: Job, key: str, summary: dict[str, Any], location: buildcache.Location, text: dict[str, Any]
) -> Prepared | None:
    """The ``Prepared`` of a document whose entry the cache has (None: its summary is not sound)."""
    try:
        values = {name: summary[name] for name in _SUMMARY_FIELDS}
        values["span_ids"] = tuple(values["span_ids"])
        return Prepared(job.doc_id, key, **values, location=location, **text)
    except (KeyError, TypeError):
        return None


def prepare_batch(jobs: list[Job]) -> list[Prepared]:
    """The first pass over one batch (an engine task: module level, so workers can import it).

    Each document comes from the cache when the index has its key and the entry
    is sound, else it is computed (its text part, ``rasd.dataset.textpart``,
    from the text cache when the raw file is unchanged); the entries computed
    here are written as one pack in the build's own folder (``job.fresh``), the
    text parts made here as another (``textpart.fresh_of``), and their
    locations sent back.  A document found in the cache keeps its text part's
    place (a look-up, not a read), so the text cache keeps it.
    """
    if not jobs:
        return []
    repos = {root: Repo(root) for root in {job.root for job in jobs}}  # one Repo (a resolve) a root
    caches = _Caches(Path(jobs[0].cache))
    out: list[Prepared] = []
    computed: list[tuple[int, bytes]] = []
    made: Made = []
    try:
        for job in jobs:
            repo = repos[job.root]
            inputs = read_inputs(repo, job)
            key = cache_key(job, inputs)
            looked_up = _looked_up(job, key, caches.index, caches.reader)
            if looked_up is not None and inputs is not None and key is not None:
                text_key = textpart.text_key(job.code, job.raw_file, inputs[0])
                location = caches.text_location(text_key)
                text = {"text_key": text_key, "text_location": location} if location else {}
                found = _found(job, key, *looked_up, text)
                if found is not None:
                    out.append(found)
                    continue
            prepared, entry, text_made = _prepared(repo, job, inputs, key, caches)
            if entry is not None:
                computed.append((len(out), entry))
            if text_made is not None:
                made.append((len(out), *text_made))
            out.append(prepared)
    finally:
        caches.close()
    _write_packs(jobs[0].fresh, computed, made, out)
    return out


def _write_packs(fresh: str, computed: list[tuple[int, bytes]], made: Made, out: list[Prepared]) -> None:
    """The batch's new entries as one pack in ``fresh``, its text parts another; ``out`` told where."""
    places: dict[int, dict[str, Any]] = {}
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        folder = Path(fresh)
        locations = buildcache.write_pack(folder, [entry for _, entry in computed]) if computed else []
        for (at, _), location in zip(computed, locations, strict=True):
            places[at] = {"location": location, "fresh": True}
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        folder = textpart.fresh_of(Path(fresh))
        locations = buildcache.write_pack(folder, [entry for _, _, entry in made]) if made else []
        for (at, key, _), location in zip(made, locations, strict=True):
            places.setdefault(at, {}).update(text_key=key, text_location=location, text_fresh=True)
    for at, place in places.items():
        out[at] = replace(out[at], **place)


Rows = tuple[str, str, dict[str, dict[str, Any]]]
"""A document's id, status and records by config."""

Item = tuple[Job, str, str, "buildcache.Location | None", bool]
"""The second pass's work on a document: job, cache key, story cluster, entry location, in ``job.fresh``."""


def _records_of(
    job: Job, key: str, location: buildcache.Location | None, fresh: bool, reader: buildcache.PackReader
) -> tuple[str, dict[str, Any]]:
    """The document's status and records: from its entry, else (an entry damaged since) computed again."""
    if location is not None:
        folder = _pack_folder(job.fresh if fresh else job.cache, fresh)
        entry = reader.read(folder, location, key, records=True)
        if entry is not None and isinstance(entry[0].get("status"), str):
            return entry[0]["status"], entry[1]
    prepared, records = compute(Repo(job.root), job)  # rare: no Repo kept for it
    return prepared.status, records


def records_batch(items: list[Item], *, encode: bool) -> list[Rows]:
    """The second pass over one batch of ``Item``s: the released records.

    Encoded for parquet when ``encode`` (``features.RECORD_ENCODERS``: what
    ``Features.encode_example`` gives): the workers do it, not the writer.
    """
    out: list[Rows] = []
    with buildcache.PackReader() as reader:
        for job, key, cluster, location, fresh in items:
            status, records = _records_of(job, key, location, fresh, reader)
            for record in records.values():
                if "story_cluster" in record:
                    record["story_cluster"] = cluster
            if encode:
                records = {config: RECORD_ENCODERS[config](r) for config, r in records.items()}
            out.append((job.doc_id, status, records))
    return out
