"""The build's two passes over the corpus, on the engine, with the corpus-wide checks in the parent.

1. ``scan``: every raw file goes, in batches, to the engine's workers
   (``rasd.dataset.docwork.prepare_batch``: read, check, make and cache the
   records); the parent gets back, in document-id order, what the corpus-wide
   checks need: duplicate texts (sha256 of raw and cleaned text), span ids
   unique across documents (``CorpusIds``), and the MinHash signatures of the
   story clusters (``ClusterIndex``).  Every problem is collected.
2. ``SecondPass.records``: once the clusters, and so the splits, are known, the
   workers read the records back from the cache (``records_batch``), set each
   document's story cluster and encode the rows; the parent gets them in
   document-id order, so the writer's output is the same bytes whatever the
   engine, worker count or batch size.  The build itself uses ``SecondPass.tables``:
   the same rows made into Arrow record batches by the workers
   (``rasd.dataset.tables``), one per config, split and row group.

Nothing holds the corpus: at most ``6 × workers`` batches are in flight
(``rasd.core.engine``).  What the parent keeps per document is bounded, in flat
arrays rather than a Python object or two each:

- the document ids, one ``str`` each (~80 B with its list slot), listed
  without a ``Path`` each (``raw_ids``) and shared by the cluster index and
  the clusters;
- the cache keys, 32 B each (``CacheKeys``), and where each entry is, 17 B
  (``Locations``: the second pass reads it there, without a look-up; at the
  end the 48-byte key + location records of every document are joined for the
  cache's new index, ``buildcache.commit``, ~100 B a document at that moment);
  the same again for the text parts (``rasd.dataset.textpart``), and one byte
  saying whether the document gives ``spans`` and ``tokens`` rows (``labeled``);
- the duplicate check, two 16-byte sha256 prefixes and their positions, 40 B
  (``SeenDigests``; the latest 32k prefixes in a dict, ~5 MB at most);
- the near-duplicate index (``rasd.dataset.neardup.ClusterIndex``): 32 B of
  exact key and the id's slot; its band keys (128 B) and signatures (512 B) go
  to temporary files (640 MB on disk at 1M) and are read back one band, or one
  chunk of candidate pairs, at a time;
- at the end, the clusters (a dict of ids, ~45 B) and transient sorts of one
  band or key column (~30 B);
- and, depending on the corpus: span ids of annotated documents
  (``CorpusIds``: ids of ``new_span_id``'s form as integers in typed arrays,
  ~13 B a span), the metadata entries (as large as ``metadata.json``), the
  splits of released documents (~100 B a document).

Measured by ``python bench/memory.py`` (which feeds these structures directly
with the signatures, hashes and keys the workers send, 10k to 200k documents):
RSS grows by about 250 B a document kept and 320 B at the peak (marginal
between 100k and 200k), so ~0.3 GiB over the process's own memory at 1M
documents; the former structures (rensa's LSH buckets, a dict of signatures,
string keys) took about 4.0 KB a document in the same bench, ~3.8 GiB at 1M.
The span ids add, with gold on every document, 12.8 B of RSS a span (9.1 B
traced), ~0.4 GiB at 1M documents of 32 spans (``python bench/spanids.py``:
1.3M and 5.1M ids; the former dict of ids took 91 B a span, ~2.7 GiB).
Workers hold one batch each, and the records themselves stay on disk in the cache
(``.rasd-cache/build/``, 2–6× the raw text on disk).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from rasd.core.engine import DOCUMENTS_PER_TASK, Engine, batched
from rasd.core.errors import RasdError, raise_all
from rasd.core.paths import Repo
from rasd.core.problems.intake import RAW_DUPLICATE
from rasd.dataset.docwork import CACHE_FOLDER, Item, Job, Prepared, code_digest, prepare_batch, records_batch
from rasd.dataset.neardup import ClusterIndex, Clusters, FixedRecords, signature_from_state
from rasd.dataset.stories import Assignment
from rasd.dataset.tables import TableItem, Tables, tables_batch
from rasd.formats.buildcache import Location
from rasd.formats.gold import LABELED_STATUSES
from rasd.formats.metadata import Metadata
from rasd.gold.annotations import iter_stray_file_problems
from rasd.intake.ingest import RAW_SUFFIX, checked_metadata, raw_ids, shown_raw
from rasd.validation.validate import CorpusIds

BATCH = DOCUMENTS_PER_TASK


def cache_folder(repo: Repo) -> Path:
    return repo.root / CACHE_FOLDER


class CacheKeys:
    """The documents' cache keys (sha256, hex) as 32 bytes each (``FixedRecords``), not a ``str`` each."""

    def __init__(self) -> None:
        self._digests = FixedRecords(32)

    def append(self, key: str) -> None:
        self._digests.append(bytes.fromhex(key) if key else bytes(32))  # "": an unreadable raw file

    def __len__(self) -> int:
        return len(self._digests)

    def __iter__(self) -> Iterator[str]:
        return (digest.hex() if any(digest) else "" for digest in self._digests)


class Locations:
    """Where each document's cache entry is, 17 bytes each (``FixedRecords``): pack, offset, length, where."""

    _NONE, _CACHE, _FRESH = b"\0", b"\1", b"\2"

    def __init__(self) -> None:
        self._records = FixedRecords(17)

    def append(self, location: Location | None, fresh: bool) -> None:
        if location is None:
            self._records.append(bytes(17))
        else:
            self._records.append(location.record("")[:16] + (self._FRESH if fresh else self._CACHE))

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[tuple[Location | None, bool]]:
        for record in self._records:
            kind = record[16:]
            yield (None if kind == self._NONE else Location.unpacked(record[:16])), kind == self._FRESH


@dataclass
class Scan:
    """What the first pass found: per-document keys, statuses, clusters, and how much was recomputed."""

    ids: list[str]
    """The raw files' document ids, in file-name order (one ``str`` a document, shared by the index)."""
    metadata: Metadata
    cache: Path
    """The cache read (``cache_folder``)."""
    fresh: Path
    """Where the entries computed in this run are written (a folder of the build's own)."""
    keys: CacheKeys = field(default_factory=lambda: CacheKeys())
    locations: Locations = field(default_factory=lambda: Locations())
    text_keys: CacheKeys = field(default_factory=lambda: CacheKeys())
    """The keys of the documents' text parts (``rasd.dataset.textpart``), and where each is."""
    text_locations: Locations = field(default_factory=lambda: Locations())
    labeled: bytearray = field(default_factory=bytearray)
    """1 for a document whose status gives ``spans`` and ``tokens`` rows, 0 for an ``unlabeled`` row."""
    statuses: Counter[str] = field(default_factory=Counter)
    clusters: Clusters = field(default_factory=lambda: Clusters({}, ()))
    computed: int = 0
    """Documents whose records were computed in this run (the others came from the cache)."""

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())


def _jobs(repo: Repo, scan: Scan, code: str) -> Iterator[Job]:
    for doc_id in scan.ids:
        name = doc_id + RAW_SUFFIX
        title, source = scan.metadata.source_for(doc_id, name)
        yield Job(str(repo.root), name, title, source, str(scan.cache), str(scan.fresh), code)


def _progress(items: Iterator[Any], progress: bool, total: int, what: str) -> Iterator[Any]:
    bar: Iterator[Any] = tqdm(items, desc=what, unit="doc", total=total, disable=None if progress else True)
    return bar


class SeenDigests:
    """The duplicate check's memory: 16-byte sha256 prefixes and first positions, ~20 bytes each.

    The latest ``RECENT`` prefixes sit in a dict; then they join flat arrays kept
    sorted (``hi``, ``lo`` halves of the prefix, ``positions``), searched by
    bisection: not a dict entry and a ``bytes`` object (~150 bytes) per prefix.
    """

    RECENT = 1 << 15

    def __init__(self) -> None:
        self._recent: dict[bytes, int] = {}
        self._hi: dict[bytes, npt.NDArray[np.uint64]] = {}
        self._lo: dict[bytes, npt.NDArray[np.uint64]] = {}
        self._positions: dict[bytes, npt.NDArray[np.int32]] = {}

    def first(self, kind: bytes, digest: str, position: int) -> int | None:
        """The first position with this ``kind`` (a byte) of sha256 ``digest``; else ``position`` is kept."""
        prefix = bytes.fromhex(digest)[:16]
        earlier = self._recent.get(kind + prefix)
        if earlier is None and kind in self._hi:
            earlier = self._sorted(kind, prefix)
        if earlier is None:
            self._recent[kind + prefix] = position
            if len(self._recent) >= self.RECENT:
                self._merge()
        return earlier

    def _sorted(self, kind: bytes, prefix: bytes) -> int | None:
        hi, lo = int.from_bytes(prefix[:8], "big"), int.from_bytes(prefix[8:], "big")
        his = self._hi[kind]
        start, stop = (
            np.searchsorted(his, np.uint64(hi), "left"),
            np.searchsorted(his, np.uint64(hi), "right"),
        )
        for at in range(int(start), int(stop)):
            if int(self._lo[kind][at]) == lo:
                return int(self._positions[kind][at])
        return None

    def _merge(self) -> None:
        for kind in {key[:1] for key in self._recent}:
            items = [(key[1:], position) for key, position in self._recent.items() if key[:1] == kind]
            keys = np.frombuffer(b"".join(key for key, _ in items), dtype=">u8").reshape(len(items), 2)
            his = np.concatenate([self._hi.get(kind, np.empty(0, np.uint64)), keys[:, 0].astype(np.uint64)])
            los = np.concatenate([self._lo.get(kind, np.empty(0, np.uint64)), keys[:, 1].astype(np.uint64)])
            positions = np.array([p for _, p in items], dtype=np.int32)
            positions = np.concatenate([self._positions.get(kind, np.empty(0, np.int32)), positions])
            order = np.lexsort((los, his))
            self._hi[kind], self._lo[kind], self._positions[kind] = his[order], los[order], positions[order]
        self._recent = {}


def _duplicate(
    repo: Repo, prepared: Prepared, position: int, seen: SeenDigests, ids: list[str]
) -> RasdError | None:
    """The same bytes, or a text that cleans the same, as an earlier file (``seen``: prefix → position)."""
    for kind, digest in ((b"r", prepared.raw_sha256), (b"t", prepared.text_sha256)):
        earlier = seen.first(kind, digest, position)
        if earlier is not None:
            return RAW_DUPLICATE(
                file=shown_raw(repo, repo.raw_dir / (ids[position] + RAW_SUFFIX)),
                document=prepared.doc_id,
                duplicate_of=shown_raw(repo, repo.raw_dir / (ids[earlier] + RAW_SUFFIX)),
            )
    return None


def _writable(folder: Path) -> Path | None:
    """``folder``, made if needed, for the cluster index's temporary files; None (the system's) if not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


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
    found = Scan(raw_ids(repo), checked_metadata(repo), cache, fresh)
    seen = SeenDigests()
    ids, index, raw_errors = CorpusIds(), ClusterIndex(keep_pairs=False, folder=_writable(fresh)), []
    results = engine.map_ordered(prepare_batch, batched(_jobs(repo, found, code_digest()), batch))
    prepared_all = _progress(chain.from_iterable(results), progress, len(found.ids), "building")
    for position, prepared in enumerate(prepared_all):
        found.keys.append(prepared.key)
        found.locations.append(prepared.location, prepared.fresh)
        found.text_keys.append(prepared.text_key)
        found.text_locations.append(prepared.text_location, prepared.text_fresh)
        found.labeled.append(prepared.status in LABELED_STATUSES)
        problem = None if prepared.raw_problems else _duplicate(repo, prepared, position, seen, found.ids)
        if prepared.raw_problems or problem is not None:
            raw_errors += [*prepared.raw_problems, *([problem] if problem else [])]
            continue
        shown = f"dataset/annotations/{prepared.doc_id}.json"
        problems = [*prepared.problems, *ids.iter_id_problems(prepared.doc_id, prepared.span_ids, file=shown)]
        errors += problems
        index.add(found.ids[position], prepared.exact, signature_from_state(prepared.minhash))
        found.computed += prepared.computed
        if not problems:
            found.statuses[prepared.status] += 1
    raise_all(raw_errors, summary="problems in dataset/raw")
    errors += iter_stray_file_problems(repo, set(found.ids))
    found.clusters = index.clusters()
    return found


def _records(keys: CacheKeys, locations: Locations) -> bytes:
    return b"".join(
        location.record(key)
        for key, (location, _) in zip(keys, locations, strict=True)
        if location is not None and key
    )


def cache_records(found: Scan) -> bytes:
    """``key + location`` of every document with a cache entry (``buildcache.commit``'s records)."""
    return _records(found.keys, found.locations)


def text_cache_records(found: Scan) -> bytes:
    """``key + location`` of every document with a text part (the text cache's ``buildcache.commit``)."""
    return _records(found.text_keys, found.text_locations)


@dataclass(frozen=True)
class SecondPass:
    """The second pass, once the clusters (and so the splits) are known, on the first pass's engine.

    Only after a ``scan`` that found no problem (so every document has a cache key).
    """

    repo: Repo
    found: Scan
    assignment: Assignment
    engine: Engine
    batch: int = BATCH
    progress: bool = False

    def _results(self, task: Callable[[list[Any]], Any], item: Callable[..., Any]) -> Iterator[Any]:
        """``task`` over batches of ``item(job, key, (location, fresh), labeled)``, in document order."""
        found = self.found
        jobs = _jobs(self.repo, found, code_digest())
        items = map(item, jobs, found.keys, found.locations, found.labeled)
        return self.engine.map_ordered(task, batched(items, self.batch))

    def records(self, *, encode: bool = False) -> Iterator[tuple[str, str, dict[str, dict[str, Any]]]]:
        """``(split, status, records by config)`` of every document, in id order."""
        assignment = self.assignment

        def item(job: Job, key: str, place: tuple[Location | None, bool], _: int) -> Item:
            return (job, key, assignment.cluster_of(job.doc_id), *place)

        results = self._results(partial(records_batch, encode=encode), item)
        rows = chain.from_iterable(results)
        for doc_id, status, records in _progress(rows, self.progress, len(self.found.ids), "writing"):
            yield assignment.splits[doc_id], status, records

    def tables(self) -> Iterator[Tables]:
        """The workers' record batches (``tables.tables_batch``), batch by batch, in id order."""
        assignment = self.assignment
        rows: Counter[tuple[int, str]] = Counter()  # rows so far per (labeled, split): a row's position

        def item(job: Job, key: str, place: tuple[Location | None, bool], labeled: int) -> TableItem:
            split = assignment.splits[job.doc_id]
            rows[(labeled, split)] += 1
            return (job, key, assignment.cluster_of(job.doc_id), split, rows[(labeled, split)] - 1, *place)

        disable = None if self.progress else True
        with tqdm(desc="writing", unit="doc", total=len(self.found.ids), disable=disable) as bar:
            for tables in self._results(tables_batch, item):
                bar.update(tables.documents)
                yield tables
