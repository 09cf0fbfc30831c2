"""Benchmark: what the build's parent keeps per document, at N, 4N and 10N documents, projected to 1M.

The parent of ``rasd build`` (``rasd.dataset.buildpass.scan``) keeps, for every
document, the near-duplicate index (``rasd.dataset.neardup.ClusterIndex``) and
the duplicate check (``rasd.dataset.buildpass.SeenDigests``).  This bench feeds
them directly, as the parent does, without building a corpus (a full build of
100k documents is too slow for a bench): for each document a short synthetic
text (60 words of a 5,000-word vocabulary; 1 in 10 a near-copy of an earlier
one with 0–10 words changed, 1 in 50 an exact copy), its MinHash signature
serialised as the workers send it (``signature_state``) and read back
(``signature_from_state``), its exact key and its two sha256 digests.

Each variant and size runs in its own process, twice: once for the resident
memory (RSS after the last document, and the peak once the clusters are found,
both over the process's RSS before the first document; this counts rensa's own
Rust allocations, which tracemalloc does not see) and once under tracemalloc
(Python and numpy allocations still held after the last document).  The
marginal bytes a document are taken between the two largest sizes (fixed
costs, such as the 512 KiB block of band keys and the chunk of candidate pairs,
cancel), and the 1M figure is the peak at the largest size plus that marginal
peak for every further document.  Variants:

- ``parent``: what ``scan`` keeps today: the ids (one ``str`` a document, shared
  with the index), the cache keys (``CacheKeys``, 32 bytes each), the duplicate
  check (``SeenDigests``) and the near-duplicate index (``ClusterIndex``: flat
  arrays, signatures in a temporary file);
- ``former``: what it kept before (file names, cache keys as ``str``, a dict of
  sha256 prefixes, and the index it replaced: rensa's ``RMinHashLSH`` buckets, a
  dict of ``RMinHash``, dicts of ids, exact keys and union-find), rebuilt here as
  the baseline, in the same run;
- ``index``: ``ClusterIndex`` alone.

Usage: python bench/memory.py [--docs N] [--sizes 1,4,10] [--variants parent,former,index]
(default N=10,000: 10k, 40k, 100k)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sys
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))  # measure.py (bench/ is not a package)

from measure import child_json  # noqa: E402
from rensa import RMinHash, RMinHashLSH  # noqa: E402

from rasd.dataset.buildpass import CacheKeys, SeenDigests  # noqa: E402
from rasd.dataset.neardup import (  # noqa: E402
    NEAR_DUPLICATE_THRESHOLD,
    NUM_BANDS,
    NUM_PERM,
    ClusterIndex,
    exact_key,
    signature,
    signature_from_state,
    signature_state,
)

VOCABULARY = [f"w{i}" for i in range(5000)]


def texts(count: int, seed: int = 7) -> Any:
    """``(doc_id, text)`` of ``count`` synthetic documents, generated one at a time."""
    rng = random.Random(seed)
    recent: list[str] = []
    for i in range(count):
        draw = rng.random()
        if recent and draw < 0.02:
            text = rng.choice(recent)
        elif recent and draw < 0.12:
            words = rng.choice(recent).split()
            for _ in range(rng.randrange(11)):
                words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
            text = " ".join(words)
        else:
            text = " ".join(rng.choices(VOCABULARY, k=60))
        recent = [*recent[-99:], text]
        yield f"{i:07d}_synthetic", f"{text} {i}" if draw >= 0.02 else text


class FormerIndex:
    """The index ``ClusterIndex`` replaced: rensa's LSH buckets and dicts keyed by id (the baseline)."""

    def __init__(self) -> None:
        self.lsh = RMinHashLSH(threshold=NEAR_DUPLICATE_THRESHOLD, num_perm=NUM_PERM, num_bands=NUM_BANDS)
        self.signatures: dict[str, RMinHash] = {}
        self.exact: dict[str, str] = {}
        self.parent: dict[str, str] = {}
        self.order: list[str] = []

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        return root

    def union(self, left: str, right: str) -> None:
        a, b = self.find(left), self.find(right)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def add(self, doc_id: str, key: str, minhash: RMinHash) -> None:
        self.order.append(doc_id)
        self.find(doc_id)
        if key in self.exact:
            self.union(self.exact[key], doc_id)
        else:
            self.exact[key] = doc_id
        self.signatures[doc_id] = minhash
        self.lsh.insert(len(self.order) - 1, minhash)

    def clusters(self) -> dict[str, str]:
        for index, doc_id in enumerate(self.order):
            for other in self.lsh.query(self.signatures[doc_id]):
                if (
                    other > index
                    and self.signatures[doc_id].jaccard(self.signatures[self.order[other]]) >= 0.5
                ):
                    self.union(doc_id, self.order[other])
        return {doc_id: self.find(doc_id) for doc_id in self.order}


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _documents(count: int) -> Any:
    """What a worker sends per document: id, cache key, raw and text sha256, exact key, signature state."""
    for doc_id, text in texts(count):
        digest = hashlib.sha256(text.encode()).hexdigest()
        raw = hashlib.sha256(f"{doc_id}\n{text}".encode()).hexdigest()
        key = hashlib.sha256(f"key {doc_id}".encode()).hexdigest()
        yield doc_id, key, raw, digest, exact_key(text), signature_state(signature(text))


def feed(variant: str, count: int) -> Any:
    """What the parent of ``variant`` keeps after ``count`` documents (``.clusters()`` finds the clusters)."""
    if variant == "index":
        index = ClusterIndex(keep_pairs=False)
        for doc_id, _, _, _, exact, state in _documents(count):
            index.add(doc_id, exact, signature_from_state(state))
        return index
    if variant == "parent":  # buildpass.scan: ids shared with the index, keys in one bytearray
        ids = [f"{i:07d}_synthetic" for i in range(count)]
        keys, seen, index = CacheKeys(), SeenDigests(), ClusterIndex(keep_pairs=False)
        for position, (_, key, raw, digest, exact, state) in enumerate(_documents(count)):
            keys.append(key)
            seen.first(b"r", raw, position)
            seen.first(b"t", digest, position)
            index.add(ids[position], exact, signature_from_state(state))
        return ids, keys, seen, index
    names = [f"{i:07d}_synthetic.txt" for i in range(count)]  # former: a name, a key and an id a document
    former_keys: list[str] = []
    former_seen: dict[bytes, int] = {}
    former = FormerIndex()
    for position, (doc_id, key, raw, digest, exact, state) in enumerate(_documents(count)):
        former_keys.append(key)
        for kind, value in ((b"r", raw), (b"t", digest)):
            former_seen.setdefault(kind + bytes.fromhex(value)[:16], position)
        former.add(str(doc_id), exact, signature_from_state(state))
    return names, former_keys, former_seen, former


def child(variant: str, count: int, trace: bool) -> dict[str, float]:
    feed(variant, 200)  # warm up imports and caches before the baseline
    if trace:
        tracemalloc.start()
    before = rss()
    held = feed(variant, count)
    after = rss()
    traced = tracemalloc.get_traced_memory()[0] if trace else 0
    index = held if variant == "index" else held[-1]
    clusters = index.clusters()
    of = clusters.of if hasattr(clusters, "of") else clusters
    joined = sum(1 for doc_id, cluster in of.items() if doc_id != cluster)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"kept": after - before, "peak": peak - before, "traced": traced, "joined": joined}


def measure(variant: str, count: int, trace: bool) -> dict[str, float]:
    return child_json(__file__, variant, str(count), "1" if trace else "0")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--docs", type=int, default=10_000, help="N (default 10,000)")
    options.add_argument("--sizes", default="1,4,10", help="multiples of N to measure (default 1,4,10)")
    options.add_argument("--variants", default="parent,former,index", help="which (default all three)")
    options.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.child:
        variant, count, trace = args.child
        print(json.dumps(child(variant, int(count), trace == "1")))
        return
    sizes = [args.docs * int(m) for m in args.sizes.split(",")]
    print(
        f"{'variant':8} {'docs':>8} {'joined':>7} {'RSS kept':>10} {'B/doc':>7} {'RSS peak':>10} "
        f"{'B/doc':>7} {'traced B/doc':>13} {'1M (peak)':>10}"
    )
    for variant in args.variants.split(","):
        rows = []
        for count in sizes:
            memory = measure(variant, count, trace=False)
            traced = measure(variant, count, trace=True)["traced"]
            rows.append((count, memory))
            print(
                f"{variant:8} {count:8,} {memory['joined']:7,.0f} {memory['kept'] / 2**20:8.1f}Mi "
                f"{memory['kept'] / count:7.0f} {memory['peak'] / 2**20:8.1f}Mi "
                f"{memory['peak'] / count:7.0f} "
                f"{traced / count:13.0f} {memory['peak'] / count * 1e6 / 2**30:8.2f}Gi",
                flush=True,
            )
        (first, low), (last, high) = rows[-2] if len(rows) > 1 else rows[0], rows[-1]
        if last > first:
            kept, peak = ((high[k] - low[k]) / (last - first) for k in ("kept", "peak"))
            projected = (high["peak"] + peak * (1_000_000 - last)) / 2**30
            print(
                f"{variant:8} marginal {first:,} → {last:,}: kept {kept:.0f} B/doc, peak {peak:.0f} B/doc; "
                f"1M documents: peak {projected:.2f} GiB over the process's own",
                flush=True,
            )


if __name__ == "__main__":
    main()
