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
the Jaccard estimate 0.0008 against 0.0013 (``python bench/neardup.py``). The only state kept
per document is its 128-value signature (512 bytes; 0.5 GB at 1M documents).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rensa import RMinHash, RMinHashLSH

from rasd.text.arabic import fold

SHINGLE_WORDS = 5
NUM_PERM = 128
NUM_BANDS = 32  # 32 bands of 4 rows: pairs at Jaccard 0.5 are found with probability 0.88, at 0.7 with 0.9998
NEAR_DUPLICATE_THRESHOLD = 0.5
SEED = 1
_WORD = re.compile(r"\w+")


def shingles(text: str) -> list[str]:
    """Word 5-grams of the folded text (one shingle for a text shorter than five words)."""
    words = _WORD.findall(fold(text))
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words)]
    return [" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]


def exact_key(text: str) -> str:
    """Identical after folding and white-space collapsing: the exact-duplicate check."""
    return hashlib.sha256(" ".join(_WORD.findall(fold(text))).encode("utf-8")).hexdigest()


def signature(text: str) -> RMinHash:
    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update(shingles(text))
    return minhash


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
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, left: str, right: str) -> None:
        a, b = self.find(left), self.find(right)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


class ClusterIndex:
    """Story clusters built one document at a time, from precomputed exact keys and signatures.

    The build's workers compute ``exact_key`` and ``signature`` in parallel; the
    parent adds them here in document-id order. Kept per document: its id, its
    exact key and its signature (about 1 KB with the LSH index: ~1 GB at 1M documents).
    """

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD, *, keep_pairs: bool = True) -> None:
        self.threshold = threshold
        self.keep_pairs = keep_pairs  # the build needs the clusters only; near-copies can pair up by the N²
        self.lsh = RMinHashLSH(threshold=threshold, num_perm=NUM_PERM, num_bands=NUM_BANDS)
        self.signatures: dict[str, RMinHash] = {}
        self.exact: dict[str, str] = {}
        self.groups = _UnionFind()
        self.pairs: list[tuple[str, str, float]] = []
        self.order: list[str] = []

    def add(self, doc_id: str, key: str, minhash: RMinHash) -> None:
        self.order.append(doc_id)
        self.groups.find(doc_id)
        if key in self.exact:
            first, second = sorted((self.exact[key], doc_id))
            self.groups.union(first, second)
            if self.keep_pairs:
                self.pairs.append((first, second, 1.0))
        else:
            self.exact[key] = doc_id
        self.signatures[doc_id] = minhash
        self.lsh.insert(len(self.order) - 1, minhash)

    def clusters(self) -> Clusters:
        order, signatures = self.order, self.signatures
        for index, doc_id in enumerate(order):
            for other in self.lsh.query(signatures[doc_id]):
                if other <= index:
                    continue
                similarity = signatures[doc_id].jaccard(signatures[order[other]])
                if similarity >= self.threshold:
                    self.groups.union(doc_id, order[other])
                    if self.keep_pairs:
                        self.pairs.append((doc_id, order[other], round(similarity, 3)))
        of = {doc_id: self.groups.find(doc_id) for doc_id in order}
        return Clusters(of, tuple(sorted(set(self.pairs))))


def signature_state(minhash: RMinHash) -> str:
    """A signature as text (hex of rensa's own serialisation), to cache or send between processes."""
    state: bytes = minhash.__getstate__()
    return state.hex()


def signature_from_state(state: str) -> RMinHash:
    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.__setstate__(bytes.fromhex(state))
    return minhash


def story_clusters(
    documents: Iterable[tuple[str, str]], threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> Clusters:
    """Group ``(id, text)`` pairs into story clusters (streamed; one signature kept per document)."""
    index = ClusterIndex(threshold)
    for doc_id, text in documents:
        index.add(doc_id, exact_key(text), signature(text))
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
