"""Near-duplicate backends: rensa against datasketch on near-copies of the development passages.

Builds N documents from the project's own passages (half lightly edited copies,
half concatenations of two passages), then per backend: signatures a second,
and the mean absolute error of the Jaccard estimate against the exact Jaccard
of the shingle sets on 300 random pairs. Both use 128 permutations over the
same word 5-grams (rasd.dataset.neardup.shingles).

    python bench/neardup.py [--docs 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import datasketch
import rensa

from rasd.dataset.neardup import NUM_PERM, SEED, shingles

ROOT = Path(__file__).resolve().parents[1]


def corpus(count: int) -> list[str]:
    texts = [
        json.loads(line)["text"]
        for name in ("dev.jsonl", "heldout.jsonl")
        for line in (ROOT / "annotation/devset" / name).read_text(encoding="utf-8").splitlines()
    ]
    rng = random.Random(1)
    docs = []
    for _ in range(count):
        words = rng.choice(texts).split()
        if rng.random() < 0.5:
            for _ in range(3):
                words[rng.randrange(len(words))] = "كلمة"
        else:
            words += rng.choice(texts).split()
        docs.append(" ".join(words))
    return docs


def with_rensa(sets: list[list[str]]) -> list[rensa.RMinHash]:
    out = []
    for items in sets:
        minhash = rensa.RMinHash(num_perm=NUM_PERM, seed=SEED)
        minhash.update(items)
        out.append(minhash)
    return out


def with_datasketch(sets: list[list[str]]) -> list[datasketch.MinHash]:
    out = []
    for items in sets:
        minhash = datasketch.MinHash(num_perm=NUM_PERM, seed=SEED)
        minhash.update_batch([item.encode("utf-8") for item in items])
        out.append(minhash)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args()
    sets = [shingles(doc) for doc in corpus(args.docs)]
    rng = random.Random(2)
    pairs = [(rng.randrange(len(sets)), rng.randrange(len(sets))) for _ in range(300)]
    print(f"{len(sets)} documents, {NUM_PERM} permutations, word 5-grams")
    print(f"{'backend':12} {'signatures/s':>13} {'mean |error|':>13}")
    for name, run in (("rensa", with_rensa), ("datasketch", with_datasketch)):
        started = time.perf_counter()
        signatures = run(sets)
        rate = len(sets) / (time.perf_counter() - started)
        error = 0.0
        for a, b in pairs:
            left, right = set(sets[a]), set(sets[b])
            error += abs(signatures[a].jaccard(signatures[b]) - len(left & right) / len(left | right))
        print(f"{name:12} {rate:13.0f} {error / len(pairs):13.4f}")


if __name__ == "__main__":
    main()
