"""Story clusters: near-copies of one story (syndication, light edits) grouped so splits never leak.

Each document is reduced to a MinHash signature of its word 5-grams (over the
folded text of ``rasd.text.arabic.fold``, so spelling variants of alef, yeh and
teh marbuta and diacritics do not hide a copy). Locality-sensitive hashing
finds candidate pairs; a pair is joined when its estimated Jaccard similarity
is at least ``NEAR_DUPLICATE_THRESHOLD``; identical folded texts are joined
on top, whatever their length. A cluster is named after its smallest document
id.

What the threshold means: seed 000 (410 words) re-published with 5 words
changed keeps an estimated 0.85 of its 5-grams, with 20 changed 0.68, with 60
changed 0.23; of the 140 development passages and 5 seeds, written separately
but often on the same events, no two share more than 0.20. 0.5 separates the
two: it finds copies of a story, not stories on a topic.

Backend: ``rensa`` (Rust MinHash and LSH), measured against ``datasketch``
(``update_batch``) on 2,000 near-copies of the development passages:
about 12,000 against 460 signatures a second (26×), mean absolute error of
the Jaccard estimate 0.0008 against 0.0013 (``python bench/neardup.py``).  rensa makes
the signatures; the LSH index is ``ClusterIndex``, flat arrays instead of rensa's
``RMinHashLSH`` buckets (the same clusters: ``tests/test_neardup_index.py``): in
memory, per document, its id, 32 bytes of exact key and 128 bytes of band keys;
the 512-byte signatures wait in a temporary file until a candidate pair needs
them (``python bench/memory.py``).
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rensa import RMinHash

from rasd.dataset.minhash import (  # the fingerprint of one text, importable from here as before
    NUM_PERM,
    SEED,
    SHINGLE_WORDS,
    exact_key,
    fingerprint,
    shingles,
    signature,
    signature_from_state,
    signature_state,
)

__all__ = [
    "NUM_PERM",
    "SEED",
    "SHINGLE_WORDS",
    "ClusterIndex",
    "Clusters",
    "cluster_splits",
    "exact_key",
    "fingerprint",
    "shingles",
    "signature",
    "signature_from_state",
    "signature_state",
    "story_clusters",
]

NUM_BANDS = 32  # 32 bands of 4 rows: pairs at Jaccard 0.5 are found with probability 0.88, at 0.7 with 0.9998
NEAR_DUPLICATE_THRESHOLD = 0.5


@dataclass(frozen=True)
class Clusters:
    """Document id → cluster id (its smallest member), and the joined pairs with their similarity."""

    of: dict[str, str]
    pairs: tuple[tuple[str, str, float], ...]

    def members(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for doc_id, cluster in sorted(self.of.items()):
            groups.setdefault(cluster, []).append(doc_id)
        return groups


class _UnionFind:
    """Union-find over document positions (4 bytes a document); a root is any member, names come later."""

    def __init__(self, size: int) -> None:
        self.parent = array("i", range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while root != parent[root]:
            root = parent[root]
        while item != root:  # path compression
            parent[item], item = root, parent[item]
        return root

    def union(self, left: int, right: int) -> None:
        a, b = self.find(left), self.find(right)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


_DIGEST_BYTES = NUM_PERM * 4
_BAND_ROWS = NUM_PERM // NUM_BANDS
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F], dtype=np.uint64)
_PAIR_CHUNK = 1 << 13  # candidate pairs checked at a time: at most 16 MiB of signatures read back
BAND_BLOCK = 1 << 12
"""Documents whose band keys are held in memory before they go to the temporary file (512 KiB)."""


def band_keys(digest: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """A 32-bit key per LSH band (its 4 values mixed): equal bands give equal keys.

    Unequal bands may share a key (about one pair in 2³² per band); every
    candidate is checked against the bands themselves before it counts.
    """
    halves = digest.view(np.uint64).reshape(NUM_BANDS, _BAND_ROWS // 2) * _MIX
    keys: npt.NDArray[np.uint32] = (np.bitwise_xor.reduce(halves, axis=1) >> np.uint64(32)).astype(np.uint32)
    return keys


def _run_pairs(keys: npt.NDArray[np.uint32]) -> npt.NDArray[np.int64]:
    """Every pair of positions ``i < j`` with equal keys, as codes ``i << 32 | j`` (sorted, unique)."""
    order = np.argsort(keys, kind="stable").astype(np.int64, copy=False)
    ordered = keys[order]
    shared = np.zeros(len(order), dtype=bool)  # only keys held by two documents or more
    same = ordered[1:] == ordered[:-1]
    shared[:-1] = same
    shared[1:] |= same
    order, ordered = order[shared], ordered[shared]
    found: list[npt.NDArray[np.int64]] = []
    step = 1
    while step < len(order):
        same = np.flatnonzero(ordered[step:] == ordered[:-step])
        if not len(same):
            break
        left, right = order[same], order[same + step]
        found.append((np.minimum(left, right) << 32) | np.maximum(left, right))
        step += 1
    return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


class FixedRecords:
    """Fixed-width byte records in blocks allocated once (4k records each), never reallocated.

    A growing ``bytearray`` is copied to a new place at every growth step, and
    the places it leaves behind stay in the process's memory (RSS) as holes:
    about eight times the final size, measured (``bench/memory.py``).
    """

    BLOCK = 1 << 12

    def __init__(self, width: int) -> None:
        self.width = width
        self._blocks: list[bytearray] = []
        self._count = 0

    def append(self, record: bytes) -> None:
        if len(record) != self.width:
            raise ValueError(f"a record has {self.width} bytes, not {len(record)}")
        at = self._count % self.BLOCK
        if at == 0:
            self._blocks.append(bytearray(self.BLOCK * self.width))
        self._blocks[-1][at * self.width : (at + 1) * self.width] = record
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> bytes:
        block, at = divmod(index, self.BLOCK)
        return bytes(self._blocks[block][at * self.width : (at + 1) * self.width])

    def __iter__(self) -> Iterator[bytes]:
        return (self[index] for index in range(self._count))

    def nbytes(self) -> int:
        return len(self._blocks) * self.BLOCK * self.width

    def joined(self) -> bytes:
        """Every record, one after the other (a copy: the caller holds it only while it needs it)."""
        return b"".join(self._blocks)[: self._count * self.width]

    def column(self, offset: int, dtype: np.dtype[Any]) -> npt.NDArray[Any]:
        """The value of ``dtype`` at byte ``offset`` of every record, as one array (a copy)."""
        size = dtype.itemsize
        parts = [
            np.frombuffer(block, dtype=np.uint8).reshape(self.BLOCK, self.width)[:, offset : offset + size]
            for block in self._blocks
        ]
        if not parts:
            return np.empty(0, dtype=dtype)
        values = np.concatenate(parts)[: self._count]
        return np.ascontiguousarray(values).view(dtype).reshape(self._count)


class ClusterIndex:
    """Story clusters built one document at a time, from precomputed exact keys and signatures.

    The build's workers compute ``exact_key`` and ``signature`` in parallel; the
    parent adds them here in document-id order.  Kept in memory per document:
    its id (a ``str`` the caller may share) and the sha256 of its exact key (32
    B, ``FixedRecords``).  One 32-bit key per LSH band (128 B) goes to a
    temporary file in blocks of ``BAND_BLOCK`` documents, band after band, and
    is read back one band at a time; the signatures themselves (512 B) go to
    another and are read back only for candidate pairs, ``_PAIR_CHUNK`` at a time.

    Same clusters as rensa's ``RMinHashLSH`` with 32 bands of 4 rows: a pair is a
    candidate when one band of its two signatures is equal (rensa compares a
    64-bit hash of the band, so the two differ only on a hash collision), and is
    joined when the share of equal signature values is at least ``threshold``.
    Candidates are found by sorting each band's keys, not with a dict of buckets.
    """

    def __init__(
        self,
        threshold: float = NEAR_DUPLICATE_THRESHOLD,
        *,
        keep_pairs: bool = True,
        folder: Path | None = None,
    ) -> None:
        """``folder``: where the temporary files go (the system's temporary folder by default, which
        may be in memory: the build gives its own folder, on the repository's disk)."""
        self.threshold = threshold
        self.keep_pairs = keep_pairs  # the build needs the clusters only; near-copies can pair up by the N²
        self.ids: list[str] = []
        self._exact = FixedRecords(32)
        self._bands = np.empty((BAND_BLOCK, NUM_BANDS), dtype=np.uint32)  # not yet written out
        self._pending = 0
        self._blocks: list[int] = []  # documents in each block of band keys written to ``_band_file``
        self._spill = tempfile.TemporaryFile(prefix="rasd-signatures-", dir=folder)  # noqa: SIM115 (lives with it)
        self._band_file = tempfile.TemporaryFile(prefix="rasd-bands-", dir=folder)  # noqa: SIM115

    def add(self, doc_id: str, key: str, minhash: RMinHash) -> None:
        self.add_digest(doc_id, key, np.asarray(minhash.digest(), dtype=np.uint32))

    def add_digest(self, doc_id: str, key: str, digest: npt.NDArray[np.uint32]) -> None:
        """Add one document: its id, ``exact_key`` (hex) and MinHash values (``NUM_PERM`` uint32)."""
        digest = np.ascontiguousarray(digest, dtype=np.uint32)
        if digest.shape != (NUM_PERM,):
            raise ValueError(f"a signature has {NUM_PERM} values, not {digest.shape}")
        self.ids.append(doc_id)
        self._exact.append(bytes.fromhex(key))
        self._bands[self._pending] = band_keys(digest)
        self._pending += 1
        self._spill.write(digest.tobytes())
        if self._pending == len(self._bands):
            self._write_bands()

    def _write_bands(self) -> None:
        """The pending band keys to ``_band_file``, band after band (so one band is read in one go)."""
        count = self._pending
        if count:
            self._band_file.write(np.ascontiguousarray(self._bands[:count].T).data)
            self._blocks.append(count)
            self._pending = 0

    def _band(self, band: int) -> npt.NDArray[np.uint32]:
        """One band's keys of every document, in position order, read back from ``_band_file``."""
        parts, offset, fd = [], 0, self._band_file.fileno()
        for count in self._blocks:
            parts.append(np.frombuffer(os.pread(fd, count * 4, offset + band * count * 4), dtype=np.uint32))
            offset += count * NUM_BANDS * 4
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint32)

    def __len__(self) -> int:
        return len(self.ids)

    def nbytes(self) -> int:
        """Bytes held in memory by the flat arrays (the ids' strings aside)."""
        return self._exact.nbytes() + self._bands.nbytes + 8 * len(self.ids) + 8 * len(self._blocks)

    def _digests(self, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.uint32]:
        """The signatures at ``positions`` (sorted, unique), read back from the temporary file."""
        out = np.empty((len(positions), NUM_PERM), dtype=np.uint32)
        fd = self._spill.fileno()
        for row, position in enumerate(positions.tolist()):
            out[row] = np.frombuffer(os.pread(fd, _DIGEST_BYTES, position * _DIGEST_BYTES), dtype=np.uint32)
        return out

    def _candidates(self) -> npt.NDArray[np.int64]:
        """Pairs ``i << 32 | j`` (``i < j``) whose keys are equal in at least one band."""
        codes: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        for band in range(NUM_BANDS):
            codes = np.union1d(codes, _run_pairs(self._band(band))).astype(np.int64)
        return codes

    def _joined(self, codes: npt.NDArray[np.int64]) -> Iterator[tuple[int, int, int]]:
        """``(i, j, equal values)`` of the candidates with an equal band and a similarity at the threshold."""
        for start in range(0, len(codes), _PAIR_CHUNK):
            chunk = codes[start : start + _PAIR_CHUNK]
            left, right = chunk >> 32, chunk & 0xFFFFFFFF
            positions = np.union1d(left, right)
            digests = self._digests(positions)
            a = digests[np.searchsorted(positions, left)]
            b = digests[np.searchsorted(positions, right)]
            equal = a == b
            band = equal.reshape(len(chunk), NUM_BANDS, _BAND_ROWS).all(axis=2).any(axis=1)
            counts = equal.sum(axis=1)
            for row in np.flatnonzero(band & (counts / NUM_PERM >= self.threshold)).tolist():
                yield int(left[row]), int(right[row]), int(counts[row])

    def _exact_pairs(self) -> Iterator[tuple[int, int]]:
        """``(first, later)``: each document whose exact key an earlier one has, with that earliest one.

        Sorted on the keys' first 8 bytes (8 bytes a document at a time, not 32);
        documents that share them are then compared on the whole key.
        """
        prefixes = self._exact.column(0, np.dtype(np.uint64))
        order = np.argsort(prefixes, kind="stable")
        ordered = prefixes[order]
        same = ordered[1:] == ordered[:-1]
        del prefixes, ordered
        starts = np.flatnonzero(same & ~np.concatenate(([False], same[:-1])))
        for start in starts.tolist():
            stop = start + 1
            while stop < len(same) and same[stop]:
                stop += 1
            first: dict[bytes, int] = {}
            for position in sorted(order[start : stop + 1].tolist()):
                earliest = first.setdefault(self._exact[position], position)
                if earliest != position:
                    yield earliest, position

    def clusters(self) -> Clusters:
        ids = self.ids
        if not ids:
            return Clusters({}, ())
        self._write_bands()
        self._spill.flush()
        self._band_file.flush()
        groups = _UnionFind(len(ids))
        pairs: set[tuple[str, str, float]] = set()
        for first, later in self._exact_pairs():
            groups.union(first, later)
            if self.keep_pairs:
                pairs.add((min(ids[first], ids[later]), max(ids[first], ids[later]), 1.0))
        for left, right, equal in self._joined(self._candidates()):
            groups.union(left, right)
            if self.keep_pairs:
                pairs.add((ids[left], ids[right], round(equal / NUM_PERM, 3)))
        return Clusters(_named(ids, groups), tuple(sorted(pairs)))


def _named(ids: list[str], groups: _UnionFind) -> dict[str, str]:
    """Document id → its cluster's smallest id (only joined documents go through Python objects)."""
    roots = np.fromiter((groups.find(p) for p in range(len(ids))), dtype=np.int32, count=len(ids))
    joined = np.flatnonzero(np.bincount(roots, minlength=len(ids))[roots] > 1)
    smallest: dict[int, str] = {}
    for position, root in zip(joined.tolist(), roots[joined].tolist(), strict=True):
        if root not in smallest or ids[position] < smallest[root]:
            smallest[root] = ids[position]
    of = dict(zip(ids, ids, strict=True))
    for position, root in zip(joined.tolist(), roots[joined].tolist(), strict=True):
        of[ids[position]] = smallest[root]
    return of


def story_clusters(
    documents: Iterable[tuple[str, str]], threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> Clusters:
    """Group ``(id, text)`` pairs into story clusters (streamed; one signature kept per document)."""
    index = ClusterIndex(threshold)
    for doc_id, text in documents:
        index.add(doc_id, *fingerprint(text))
    return index.clusters()


@dataclass(frozen=True)
class SplitConflict:
    """A cluster whose members already sit in different splits."""

    cluster: str
    splits: dict[str, str]  # member → its split


def cluster_splits(
    clusters: Clusters, previous: Mapping[str, str], split_for: Callable[[str], str]
) -> tuple[dict[str, str], list[SplitConflict]]:
    """Each document's split: its cluster's existing split, else ``split_for(cluster id)``.

    ``previous`` holds the splits documents already have (the last build); they never
    move. A cluster whose members already sit in two splits is a conflict, reported,
    not resolved.
    """
    assigned: dict[str, str] = {}
    conflicts: list[SplitConflict] = []
    for cluster, members in clusters.members().items():
        existing = {m: previous[m] for m in members if m in previous}
        if len(set(existing.values())) > 1:
            conflicts.append(SplitConflict(cluster, existing))
            assigned.update({m: previous.get(m, "") for m in members})
            continue
        split = next(iter(existing.values())) if existing else split_for(cluster)
        assigned.update(dict.fromkeys(members, split))
    return assigned, conflicts
