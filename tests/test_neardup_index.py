"""The compact near-duplicate index gives the clusters of the plain definition, on any corpus.

The reference here is the definition itself, over every pair of documents: two
documents join when their exact keys are equal, or when one LSH band (4
consecutive signature values of 128) is equal in both signatures and the share
of equal values is at least the threshold; a cluster is named after its
smallest id.  rensa's own ``RMinHashLSH`` (what the index replaced) is checked
against the same clusters.
"""

from __future__ import annotations

import hashlib
import random
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rensa import RMinHash, RMinHashLSH

from rasd.dataset import neardup
from rasd.dataset.buildpass import CacheKeys, SeenDigests
from rasd.dataset.neardup import (
    NEAR_DUPLICATE_THRESHOLD,
    NUM_BANDS,
    NUM_PERM,
    ClusterIndex,
    exact_key,
    fingerprint,
    signature,
)

Corpus = list[tuple[str, str]]


def naive_clusters(documents: Corpus) -> dict[str, str]:
    """All pairs, straight from the definition, with a dict-of-parents union-find."""
    digests = {doc_id: list(signature(text).digest()) for doc_id, text in documents}
    keys = {doc_id: exact_key(text) for doc_id, text in documents}
    parent = {doc_id: doc_id for doc_id, _ in documents}

    def root(item: str) -> str:
        while parent[item] != item:
            item = parent[item]
        return item

    rows = NUM_PERM // NUM_BANDS
    for (a, _), (b, _) in combinations(documents, 2):
        equal = [x == y for x, y in zip(digests[a], digests[b], strict=True)]
        band = any(all(equal[i : i + rows]) for i in range(0, NUM_PERM, rows))
        if keys[a] == keys[b] or (band and sum(equal) / NUM_PERM >= NEAR_DUPLICATE_THRESHOLD):
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for doc_id in parent:
        members.setdefault(root(doc_id), []).append(doc_id)
    return {doc_id: min(group) for group in members.values() for doc_id in group}


def rensa_clusters(documents: Corpus) -> dict[str, str]:
    """The same clusters from rensa's LSH buckets (the former backend of the index)."""
    lsh = RMinHashLSH(threshold=NEAR_DUPLICATE_THRESHOLD, num_perm=NUM_PERM, num_bands=NUM_BANDS)
    signatures = [signature(text) for _, text in documents]
    for position, minhash in enumerate(signatures):
        lsh.insert(position, minhash)
    ids = [doc_id for doc_id, _ in documents]
    joined = {(i, j) for i, minhash in enumerate(signatures) for j in lsh.query(minhash) if i < j}
    pairs = [
        (ids[i], ids[j])
        for i, j in joined
        if signatures[i].jaccard(signatures[j]) >= NEAR_DUPLICATE_THRESHOLD
    ]
    keys = [exact_key(text) for _, text in documents]
    pairs += [(ids[i], ids[j]) for i, j in combinations(range(len(ids)), 2) if keys[i] == keys[j]]
    cluster = {doc_id: doc_id for doc_id in ids}
    changed = True
    while changed:  # smallest id of the component, by relaxation
        changed = False
        for a, b in pairs:
            low = min(cluster[a], cluster[b])
            if cluster[a] != low or cluster[b] != low:
                cluster[a] = cluster[b] = low
                changed = True
    return cluster


def index_clusters(documents: Corpus, *, keep_pairs: bool = False) -> dict[str, str]:
    index = ClusterIndex(keep_pairs=keep_pairs)
    for doc_id, text in documents:
        index.add(doc_id, exact_key(text), signature(text))
    return index.clusters().of


WORDS = [f"كلمة{i}" for i in range(40)]


def planted(seed: int, size: int = 120) -> Corpus:
    """Stories, their near-copies at every distance (0 to all words changed), and exact copies."""
    rng = random.Random(seed)
    texts: list[str] = []
    for _ in range(size):
        if texts and rng.random() < 0.6:
            words = rng.choice(texts).split()
            for _ in range(rng.choice([0, 1, 2, 3, 4, 6, 10, len(words)])):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            texts.append(" ".join(words))
        else:
            texts.append(" ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 80))))
    ids = [f"doc-{rng.randrange(10**6):06d}-{i}" for i in range(size)]  # insertion order is not id order
    return list(zip(ids, texts, strict=True))


@pytest.mark.parametrize("block", [7, neardup.BAND_BLOCK])
@pytest.mark.parametrize("seed", range(4))
def test_planted_near_copies_cluster_as_the_definition_says(
    seed: int, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``block``: band keys go to the temporary file every 7 documents and pairs are checked 7 at a time, or
    everything in one go."""
    monkeypatch.setattr(neardup, "BAND_BLOCK", block)
    monkeypatch.setattr(neardup, "_PAIR_CHUNK", block)
    corpus = planted(seed)
    expected = naive_clusters(corpus)
    assert len(set(expected.values())) < len(corpus) - 10, "the corpus plants joined copies"
    assert index_clusters(corpus) == expected
    assert index_clusters(corpus, keep_pairs=True) == expected
    assert rensa_clusters(corpus) == expected


texts = st.lists(st.sampled_from(WORDS[:8]), min_size=0, max_size=12).map(" ".join)


@given(st.lists(texts, min_size=1, max_size=25))
def test_any_corpus_clusters_as_the_definition_says(bodies: list[str]) -> None:
    corpus = [(f"d{(i * 7) % 31:02d}-{i}", text) for i, text in enumerate(bodies)]
    assert index_clusters(corpus) == naive_clusters(corpus)


def crafted() -> list[tuple[str, np.ndarray]]:
    """Signatures made by hand: equal values spread so that no band is whole, or one band whole."""
    rng = np.random.default_rng(5)
    base = rng.integers(0, 2**32, size=NUM_PERM, dtype=np.uint32)
    spread = base.copy()
    spread[1::2] += 1  # half of the values equal (0.5), two of each band of four: no band equal
    banded = base.copy()
    banded[4:] = rng.integers(0, 2**32, size=NUM_PERM - 4, dtype=np.uint32)
    banded[4:64] = base[4:64]  # exactly half equal, the first band whole
    low = base.copy()
    low[4:] += 1  # one band whole, 4/128 equal: under the threshold
    return [("a", base), ("b", spread), ("c", banded), ("d", low)]


@pytest.mark.parametrize("collide", [False, True])
def test_a_pair_joins_only_with_an_equal_band_and_the_threshold(
    monkeypatch: pytest.MonkeyPatch, collide: bool
) -> None:
    """With ``collide`` every band key is equal: every pair is a candidate, the bands themselves decide."""
    if collide:
        monkeypatch.setattr(neardup, "band_keys", lambda digest: np.zeros(NUM_BANDS, dtype=np.uint32))
    index = ClusterIndex()
    for doc_id, digest in crafted():
        index.add_digest(doc_id, f"{ord(doc_id):064x}", digest)
    clusters = index.clusters()
    assert clusters.of == {"a": "a", "b": "b", "c": "a", "d": "d"}
    assert clusters.pairs == (("a", "c", 0.5),)


def test_a_key_collision_is_checked_against_the_bands(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = planted(9, size=60)
    expected = naive_clusters(corpus)
    monkeypatch.setattr(neardup, "band_keys", lambda digest: np.zeros(NUM_BANDS, dtype=np.uint32))
    assert index_clusters(corpus) == expected


def test_equal_bands_have_equal_keys_and_others_rarely() -> None:
    rng = np.random.default_rng(3)
    digests = rng.integers(0, 2**32, size=(500, NUM_PERM), dtype=np.uint32)
    digests[1, :4] = digests[0, :4]
    keys = np.stack([neardup.band_keys(d) for d in digests])
    assert keys[0, 0] == keys[1, 0]
    assert len(np.unique(keys)) > keys.size * 0.99


def test_pairs_name_exact_copies_and_near_copies() -> None:
    index = ClusterIndex()
    for doc_id, text in [("b", "داعش"), ("a", "داعش"), ("c", "تيليغرام")]:
        minhash = RMinHash(num_perm=NUM_PERM, seed=neardup.SEED)
        minhash.update(neardup.shingles(text))
        index.add(doc_id, exact_key(text), minhash)
    clusters = index.clusters()
    assert clusters.of == {"a": "a", "b": "a", "c": "c"}
    assert clusters.pairs == (("a", "b", 1.0), ("b", "a", 1.0))


def test_an_empty_index_has_no_clusters() -> None:
    assert ClusterIndex().clusters().of == {}


@given(st.lists(st.tuples(st.sampled_from([b"r", b"t"]), st.integers(0, 40)), max_size=60))
def test_the_duplicate_check_finds_the_first_position_as_a_dict_would(draws: list[tuple[bytes, int]]) -> None:
    class Small(SeenDigests):
        RECENT = 4  # the sorted arrays take over after 4 new prefixes

    seen, reference = Small(), {}
    for position, (kind, number) in enumerate(draws):
        digest = hashlib.sha256(str(number).encode()).hexdigest()
        expected = reference.setdefault(kind + bytes.fromhex(digest)[:16], position)
        assert seen.first(kind, digest, position) == (None if expected == position else expected)


@given(st.lists(st.binary(min_size=3, max_size=3), max_size=20))
def test_fixed_records_keep_every_record_across_blocks(records: list[bytes]) -> None:
    class Small(neardup.FixedRecords):
        BLOCK = 4

    kept = Small(3)
    for record in records:
        kept.append(record)
    assert len(kept) == len(records)
    assert list(kept) == records
    assert kept.joined() == b"".join(records)


def test_cache_keys_give_back_every_key_and_the_empty_one() -> None:
    keys = CacheKeys()
    expected = [hashlib.sha256(bytes([i])).hexdigest() for i in range(5)]
    expected.insert(2, "")
    for key in expected:
        keys.append(key)
    assert list(keys) == expected


def test_a_fingerprint_is_the_exact_key_and_the_signature() -> None:
    texts = [
        "",
        "كلمة",
        "قال المسؤول إن الاجتماع سيعقد في مبنى البلدية يوم الأحد",
        "نص  آخر،  أطول   قليلا" * 9,
    ]
    for text in texts:
        exact, minhash = fingerprint(text)
        assert exact == exact_key(text)
        assert list(minhash.digest()) == list(signature(text).digest())
