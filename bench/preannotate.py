"""Benchmark: pre-annotation throughput against merely reading and writing the same documents.

A synthetic corpus of N documents (default 10,000, about 3 KB each) is built from
the seed articles: their sentences shuffled into new documents, with spellings varied
the way other outlets write them (تليجرام، فيس بوك، Eastern Arabic digits, bare
alefs).  Both runs stream the same JSON Lines file in and out:

* baseline: parse each line and write it back with an empty span list;
* preannotate: ``rasd.preannotate.preannotate_jsonl`` with the registry's lexicon.

Prints documents per second for both (the goal of issue #9: 1,000 per core),
their ratio (how many times slower than plain I/O pre-annotation is), and the
process's peak resident memory after each run (both stream, so it should stay
flat as N grows).

    .venv/bin/python bench/preannotate.py [--documents N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rasd.core.paths import Repo
from rasd.formats.predictions import read_texts, write_suggestions
from rasd.gold.entities import load_registry
from rasd.intake.ingest import iter_documents
from rasd.preannotate.lexicon import registry_lexicon
from rasd.preannotate.suggest import preannotate_jsonl

ROOT = Path(__file__).resolve().parents[1]

# Spelling variation applied at random: (pattern, replacement).
VARIANTS: tuple[tuple[str, str], ...] = (
    ("تيليغرام", "تليجرام"),
    ("التليغرام", "التلغرام"),
    ("فيسبوك", "فيس بوك"),
    ("واتس آب", "واتساب"),
    ("أ", "ا"),
    ("ة ", "ه "),
    ("يوتيوب", "يوتوب"),
)
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def seed_sentences(repo: Repo) -> list[str]:
    sentences = []
    for document in iter_documents(repo):
        sentences += [s.strip() for s in re.split(r"(?<=[.!؟])\s+|\n+", document.text) if len(s.strip()) > 20]
    return sentences


def vary(sentence: str, rng: random.Random) -> str:
    for pattern, replacement in VARIANTS:
        if rng.random() < 0.3:
            sentence = sentence.replace(pattern, replacement)
    if rng.random() < 0.3:
        sentence = sentence.translate(EASTERN)
    return sentence


def write_corpus(path: Path, n: int, seed: int) -> int:
    rng = random.Random(seed)
    sentences = seed_sentences(Repo(ROOT))
    size = 0
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            text = "\n".join(vary(s, rng) for s in rng.sample(sentences, rng.randint(10, 30)))
            size += len(text)
            handle.write(json.dumps({"id": f"synthetic-{i:05d}", "text": text}, ensure_ascii=False) + "\n")
    return size


def copy_only(source: Path, target: Path) -> int:
    """The baseline: the same streaming read, parse, serialise and atomic write, no suggestions."""
    return write_suggestions(
        target, ((t, ()) for t in read_texts(source, file=str(source))), file=str(target)
    )


def peak_rss_mib() -> float:
    """The process's resident-set high-water mark so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(run: Callable[[], int]) -> tuple[int, float, float]:
    """Documents done, seconds, and the peak RSS after the run (tracemalloc would slow it tenfold)."""
    started = time.perf_counter()
    count = run()
    return count, time.perf_counter() - started, peak_rss_mib()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    lexicon = registry_lexicon(load_registry(Repo(ROOT)))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "corpus.jsonl"
        chars = write_corpus(source, args.documents, args.seed)
        mean = chars / args.documents
        print(f"synthetic corpus: {args.documents} documents, {mean:.0f} characters each on average")
        n_base, t_base, m_base = measure(lambda: copy_only(source, Path(tmp) / "copy.jsonl"))
        n_pre, t_pre, m_pre = measure(
            lambda: preannotate_jsonl(source, Path(tmp) / "pre.jsonl", lexicon, shown=str(source))
        )
        spans = sum(
            len(json.loads(line)["spans"]) for line in (Path(tmp) / "pre.jsonl").open(encoding="utf-8")
        )
    assert n_base == n_pre == args.documents
    print(
        f"read+write only : {n_base / t_base:10.0f} documents/s  ({t_base:.2f} s, peak RSS {m_base:.0f} MiB)"
    )
    print(f"preannotate     : {n_pre / t_pre:10.0f} documents/s  ({t_pre:.2f} s, peak RSS {m_pre:.0f} MiB)")
    print(
        f"ratio           : pre-annotation takes {t_pre / t_base:.1f}x the time of reading and writing alone"
    )
    print(f"suggested spans : {spans} ({spans / n_pre:.1f} per document)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
