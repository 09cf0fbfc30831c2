"""The build's two passes over the corpus, on the engine, with the corpus-wide checks in the parent.

1. ``scan``: every raw file goes, in batches, to the engine's workers
   (``rasd.dataset.docwork.prepare_batch``: read, check, make and cache the
   records); the parent gets back, in document-id order, what the corpus-wide
   checks need: duplicate texts (sha256 of raw and cleaned text), span ids
   unique across documents (``CorpusIds``), and the MinHash signatures of the
   story clusters (``ClusterIndex``).  Every problem is collected.
2. ``iter_records``: once the clusters, and so the splits, are known, the
   workers read the records back from the cache (``records_batch``), set each
   document's story cluster and encode the rows; the parent gets them in
   document-id order, so the writer's output is the same bytes whatever the
   engine, worker count or batch size.

Nothing holds the corpus: at most ``6 × workers`` batches are in flight
(``rasd.core.engine``).  What the parent keeps per document is bounded, and
measured on the bench corpus (``bench/synthetic.py``, 2,000 documents):

- Python objects, 450 B a document (tracemalloc): the raw file names, the
  cache keys, the duplicate check (two 16-byte prefixes of sha256 and a
  position), the cluster index's ids, exact keys and union-find;
- the MinHash signatures and their LSH buckets in ``rensa``, ~1.35 KB a
  document (RSS over 20,000 signatures);
- and, depending on the corpus: span ids of annotated documents
  (``CorpusIds``, ~100 B a span), the metadata entries (as large as
  ``metadata.json``), the splits of released documents (~100 B a document).

So about 1.8 GB at 1M documents, nearly all of it the near-duplicate index;
workers hold one batch each, and the records themselves stay on disk in the
cache (``.rasd-cache/build/``, 2–6× the raw text on disk).  Bringing the 1M figure
under 1 GB would mean keeping only the LSH band hashes in memory and reading
the signatures of candidate pairs back from the cache, which holds them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

from tqdm import tqdm

from rasd.core.engine import Engine, batched
from rasd.core.errors import RasdError, raise_all
from rasd.core.paths import Repo
from rasd.core.problems.intake import RAW_DUPLICATE
from rasd.dataset.docwork import CACHE_FOLDER, Job, Prepared, code_digest, prepare_batch, records_batch
from rasd.dataset.neardup import ClusterIndex, Clusters, signature_from_state
from rasd.dataset.stories import Assignment
from rasd.formats.metadata import Metadata
from rasd.gold.annotations import iter_stray_file_problems
from rasd.intake.ingest import checked_metadata, raw_files
from rasd.validation.validate import CorpusIds

BATCH = 64
"""Documents per engine task: few, large tasks keep Dask's per-task overhead small (bench/engines.py)."""


def cache_folder(repo: Repo) -> Path:
    return repo.root / CACHE_FOLDER


@dataclass
class Scan:
    """What the first pass found: per-document keys, statuses, clusters, and how much was recomputed."""

    files: list[str]
    """The raw files' names, sorted (names, not paths: a ``Path`` costs ~300 B more a document)."""
    metadata: Metadata
    cache: Path
    """The cache read (``cache_folder``)."""
    fresh: Path
    """Where the entries computed in this run are written (a folder of the build's own)."""
    keys: list[str] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    clusters: Clusters = field(default_factory=lambda: Clusters({}, ()))
    computed: int = 0
    """Documents whose records were computed in this run (the others came from the cache)."""

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())


def _jobs(repo: Repo, scan: Scan, code: str) -> Iterator[Job]:
    for name in scan.files:
        title, source = scan.metadata.source_for(name[: -len(".txt")], name)
        yield Job(str(repo.root), name, title, source, str(scan.cache), str(scan.fresh), code)


def _progress(items: Iterator[Any], progress: bool, total: int, what: str) -> Iterator[Any]:
    bar: Iterator[Any] = tqdm(items, desc=what, unit="doc", total=total, disable=None if progress else True)
    return bar


def _duplicate(
    repo: Repo, prepared: Prepared, position: int, seen: dict[bytes, int], files: list[str]
) -> RasdError | None:
    """The same bytes, or a text that cleans the same, as an earlier file (``seen``: prefix → position)."""
    for kind, digest in ((b"r", prepared.raw_sha256), (b"t", prepared.text_sha256)):
        prefix = kind + bytes.fromhex(digest)[:16]
        if prefix in seen:
            earlier = repo.relative(repo.raw_dir / files[seen[prefix]])
            shown = repo.relative(repo.raw_dir / files[position])
            return RAW_DUPLICATE(file=shown, document=prepared.doc_id, duplicate_of=earlier)
        seen[prefix] = position
    return None


def scan(
    repo: Repo,
    errors: list[RasdError],
    *,
    engine: Engine,
    cache: Path,
    fresh: Path,
    batch: int = BATCH,
    progress: bool = False,
) -> Scan:
    """The first pass: every document prepared (from the cache or anew), every problem in ``errors``.

    Entries are read from ``cache`` (and ``fresh``); the ones computed now are written to ``fresh``.
    Raw files that cannot be ingested are raised together at the end, as ``iter_documents`` does.
    """
    found = Scan([path.name for path in raw_files(repo)], checked_metadata(repo), cache, fresh)
    seen: dict[bytes, int] = {}
    ids, index, raw_errors = CorpusIds(), ClusterIndex(keep_pairs=False), []
    results = engine.map_ordered(prepare_batch, batched(_jobs(repo, found, code_digest()), batch))
    prepared_all = _progress(chain.from_iterable(results), progress, len(found.files), "building")
    for position, prepared in enumerate(prepared_all):
        found.keys.append(prepared.key)
        problem = None if prepared.raw_problems else _duplicate(repo, prepared, position, seen, found.files)
        if prepared.raw_problems or problem is not None:
            raw_errors += [*prepared.raw_problems, *([problem] if problem else [])]
            continue
        shown = f"dataset/annotations/{prepared.doc_id}.json"
        problems = [*prepared.problems, *ids.iter_id_problems(prepared.doc_id, prepared.span_ids, file=shown)]
        errors += problems
        index.add(prepared.doc_id, prepared.exact, signature_from_state(prepared.minhash))
        found.computed += prepared.computed
        if not problems:
            found.statuses[prepared.status] += 1
    raise_all(raw_errors, summary="problems in dataset/raw")
    errors += iter_stray_file_problems(repo, {name[: -len(".txt")] for name in found.files})
    found.clusters = index.clusters()
    return found


def iter_records(
    repo: Repo,
    found: Scan,
    assignment: Assignment,
    *,
    engine: Engine,
    batch: int = BATCH,
    encode: bool = False,
    progress: bool = False,
) -> Iterator[tuple[str, str, dict[str, dict[str, Any]]]]:
    """The second pass: ``(split, status, records by config)`` of every document, in id order.

    Only after a ``scan`` that found no problem (so every document has a cache key).
    """
    items = (
        (job, key, assignment.cluster_of(job.doc_id))
        for job, key in zip(_jobs(repo, found, code_digest()), found.keys, strict=True)
    )
    results = engine.map_ordered(partial(records_batch, encode=encode), batched(items, batch))
    for doc_id, status, records in _progress(
        chain.from_iterable(results), progress, len(found.files), "writing"
    ):
        yield assignment.splits[doc_id], status, records

