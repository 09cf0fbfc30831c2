"""Benchmark: pre-annotation throughput against merely reading and writing the same documents.

A synthetic corpus of N documents (default 10,000, about 3 KB each) is built from
the seed articles: their sentences shuffled into new documents, with spellings varied
the way other outlets write them (تليجرام، فيس بوك، Eastern Arabic digits, bare
alefs).  Both runs stream the same JSON Lines file in and out:

* baseline: parse each line and write it back with an empty span list;
* preannotate: ``rasd.preannotate.preannotate_jsonl`` with the registry's lexicon.

Prints documents per second for both, wall clock and per core (process CPU
time: the goal of issue #9 is 1,000 per core), the CPU time per document, their
ratio (how many times slower than plain I/O pre-annotation is), and the
process's peak resident memory after each run (both stream, so it should stay
flat as N grows).  ``--rounds R`` repeats both runs, alternating, and prints the
median: the machine is shared and noisy.

``--against SRC`` compares this checkout's pre-annotator with the one in another
source tree (``git archive main src | tar -x -C /tmp/old``: ``--against /tmp/old/src``)
on the same corpus: each round runs both in fresh processes, in alternating order,
and each child times only ``preannotate_jsonl`` (not its imports or the lexicon).

    .venv/bin/python bench/preannotate.py [--documents N] [--seed S] [--rounds R] [--against SRC]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Run:
    documents: int
    seconds: float  # wall clock
    cpu: float  # process CPU time (one core: the run is single-threaded)
    peak_mib: float


def measure(run: Callable[[], int]) -> Run:
    """Documents done, wall and CPU seconds, the peak RSS after the run (tracemalloc: ten times slower)."""
    started, cpu = time.perf_counter(), time.process_time()
    count = run()
    return Run(count, time.perf_counter() - started, time.process_time() - cpu, peak_rss_mib())


def median_run(runs: list[Run]) -> Run:
    """The run of median CPU time."""
    return sorted(runs, key=lambda r: r.cpu)[len(runs) // 2]


def report(name: str, run: Run) -> None:
    print(
        f"{name:16s}: {run.documents / run.seconds:8.0f} documents/s wall, "
        f"{run.documents / run.cpu:8.0f} documents/s per core, "
        f"{run.cpu / run.documents * 1e3:6.3f} ms CPU/document "
        f"(peak RSS {run.peak_mib:.0f} MiB)"
    )


_CHILD = """
import json, sys, time
from pathlib import Path
from rasd.core.paths import Repo
from rasd.gold.entities import load_registry
from rasd.preannotate.lexicon import registry_lexicon
from rasd.preannotate.suggest import preannotate_jsonl
root, source, target = map(Path, sys.argv[1:4])
lexicon = registry_lexicon(load_registry(Repo(root)))
cpu = time.process_time()
count = preannotate_jsonl(source, target, lexicon, shown=str(source))
print(json.dumps({"documents": count, "cpu": time.process_time() - cpu}))
"""


def child_cpu(src: Path, source: Path, target: Path) -> tuple[int, float]:
    """Documents done and CPU seconds of ``preannotate_jsonl`` with the code in ``src``, in a new process."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, "-c", _CHILD, str(ROOT), str(source), str(target)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    return result["documents"], result["cpu"]


def against(other: Path, source: Path, tmp: Path, rounds: int) -> None:
    """This checkout's pre-annotator and ``other``'s on the same corpus, alternated; medians and outputs."""
    cpus: dict[str, list[float]] = {"this": [], "other": []}
    srcs = {"this": ROOT / "src", "other": other}
    documents = 0
    for r in range(rounds):
        for name in ("this", "other") if r % 2 == 0 else ("other", "this"):
            documents, cpu = child_cpu(srcs[name], source, tmp / f"{name}.jsonl")
            cpus[name].append(cpu)
    for name in ("other", "this"):
        cpu = sorted(cpus[name])[rounds // 2]
        print(f"{name:5s} ({srcs[name]}): {documents / cpu:6.0f} documents/CPU-s (median of {rounds})")
    ratios = sorted(o / t for o, t in zip(cpus["other"], cpus["this"], strict=True))
    same = (tmp / "this.jsonl").read_bytes() == (tmp / "other.jsonl").read_bytes()
    print(f"speed-up: {ratios[rounds // 2]:.2f}x (median of the rounds' ratios); same output bytes: {same}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1, help="alternate both runs this many times; medians")
    parser.add_argument("--against", type=Path, help="another source tree (its src/) to compare with")
    args = parser.parse_args(argv)
    lexicon = registry_lexicon(load_registry(Repo(ROOT)))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "corpus.jsonl"
        chars = write_corpus(source, args.documents, args.seed)
        mean = chars / args.documents
        print(f"synthetic corpus: {args.documents} documents, {mean:.0f} characters each on average")
        if args.against is not None:
            against(args.against.resolve(), source, Path(tmp), args.rounds)
            return 0
        bases, pres = [], []
        for _ in range(args.rounds):
            bases.append(measure(lambda: copy_only(source, Path(tmp) / "copy.jsonl")))
            pres.append(
                measure(
                    lambda: preannotate_jsonl(source, Path(tmp) / "pre.jsonl", lexicon, shown=str(source))
                )
            )
        spans = sum(
            len(json.loads(line)["spans"]) for line in (Path(tmp) / "pre.jsonl").open(encoding="utf-8")
        )
    base, pre = median_run(bases), median_run(pres)
    assert base.documents == pre.documents == args.documents
    report("read+write only", base)
    report("preannotate", pre)
    ratios = sorted(p.cpu / b.cpu for b, p in zip(bases, pres, strict=True))
    print(
        f"ratio           : pre-annotation takes {ratios[len(ratios) // 2]:.1f}x the CPU time of reading and "
        f"writing alone (median of {args.rounds} alternated rounds)"
    )
    print(f"suggested spans : {spans} ({spans / pre.documents:.1f} per document)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
