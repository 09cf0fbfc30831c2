"""Benchmark: ``rasd preannotate`` over a repository against its pure matching, and its writes.

Two figures, each a ratio to a baseline measured in the same run (the machine is shared):

* command: the marginal CPU time per document (user + sys of the whole process tree,
  between N and 4N documents, so start-up cancels) of ``rasd preannotate`` on a synthetic
  repository without predictions, over the CPU time per document of ``predict_document``
  alone, in one process, on the same documents (reading excluded).  1.0 would be a
  command that costs nothing but its matching; two workers on two cores cost more CPU
  per document than one process for the same work, so expect a little above 1.
* writes: writing the same N rendered prediction files, the former way (one
  ``atomic_write_bytes`` each: a temporary file, ``fsync``, rename) over the
  ``PredictionsWriter`` (journal transactions: one ``os.sync()`` a batch); CPU (user +
  sys) and wall, medians of ``--rounds`` alternated runs.

    .venv/bin/python bench/preannotate_command.py [--docs N] [--rounds R] [--workers W]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from measure import child_json, per_extra_doc, run_child  # noqa: E402  (bench/ is not a package)
from synthetic import make_repo  # noqa: E402

from rasd.core.io import atomic_write_bytes  # noqa: E402
from rasd.core.paths import Repo  # noqa: E402
from rasd.formats.predictions import PredictionsWriter  # noqa: E402


def make(folder: Path, documents: int) -> Repo:
    make_repo(folder, documents)
    (folder / "annotation").mkdir()
    shutil.copy(ROOT / "annotation" / "entities.json", folder / "annotation" / "entities.json")
    return Repo(folder)


def matching_per_document(root: str) -> dict[str, float]:
    """In a fresh interpreter: CPU seconds per document of ``predict_document`` alone."""
    from rasd.gold.entities import load_registry
    from rasd.intake.ingest import iter_documents
    from rasd.preannotate.suggest import predict_document

    repo = Repo(Path(root))
    registry = load_registry(repo)
    documents = list(iter_documents(repo))
    predict_document(documents[0], registry)  # the lexicon, built once, is start-up
    start = time.process_time()
    for document in documents:
        predict_document(document, registry)
    return {"cpu": (time.process_time() - start) / len(documents)}


def rendered(repo: Repo) -> dict[str, bytes]:
    """Every document's prediction file, as the workers render it."""
    from rasd.gold.entities import load_registry
    from rasd.intake.ingest import iter_documents
    from rasd.preannotate.stored import predictions_bytes
    from rasd.preannotate.suggest import predict_document

    registry = load_registry(repo)
    return {d.id: predictions_bytes(d, predict_document(d, registry)) for d in iter_documents(repo)}


def one_by_one(root: Path, files: dict[str, bytes]) -> None:
    for doc_id, data in files.items():
        atomic_write_bytes(root / "dataset" / "predictions" / f"{doc_id}.json", data)


def in_batches(root: Path, files: dict[str, bytes]) -> None:
    with PredictionsWriter(Repo(root)) as writer:
        for doc_id, data in files.items():
            writer.write(doc_id, data)


def writes(work: Path, files: dict[str, bytes], rounds: int) -> None:
    ways: dict[str, Callable[[Path, dict[str, bytes]], None]] = {
        "one by one": one_by_one,
        "in batches": in_batches,
    }
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
    for number in range(rounds):
        for name in list(ways) if number % 2 == 0 else list(ways)[::-1]:
            root = work / "writes"
            shutil.rmtree(root, ignore_errors=True)
            (root / "dataset").mkdir(parents=True)
            os.sync()
            before, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
            ways[name](root, files)
            after = resource.getrusage(resource.RUSAGE_SELF)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            found[name].append((cpu, time.perf_counter() - start))
    cpu, wall = ({n: statistics.median(r[i] for r in found[n]) for n in found} for i in (0, 1))
    for name in ways:
        per_file = 1000 * cpu[name] / len(files), 1000 * wall[name] / len(files)
        print(f"writes {name}: {per_file[0]:.3f} ms CPU, {per_file[1]:.3f} ms wall a file")
    print(
        f"writes, one by one / in batches: CPU {cpu['one by one'] / cpu['in batches']:.2f}x, "
        f"wall {wall['one by one'] / wall['in batches']:.2f}x"
    )


def command(work: Path, small: int, rounds: int, workers: list[str]) -> None:
    ratios = []
    for _ in range(rounds):
        runs = {}
        for size in (small, 4 * small):
            folder = work / f"cmd-{size}"
            shutil.rmtree(folder, ignore_errors=True)
            make(folder, size)
            runs[size] = run_child(
                [sys.executable, "-m", "rasd", "--root", str(folder), "preannotate", *workers], work
            )
        _, marginal = per_extra_doc(runs[small], runs[4 * small], 3 * small)
        matching = child_json(__file__, str(work / f"cmd-{4 * small}"))["cpu"]
        ratios.append(marginal / matching)
        print(f"command: {1000 * marginal:.2f} ms CPU a document; matching alone {1000 * matching:.2f} ms")
    print(f"command / matching alone (median of {rounds}): {statistics.median(ratios):.2f}x")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(matching_per_document(sys.argv[2])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=500, help="N: the command runs at N and 4N")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=0, help="0: the command's default")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rasd-bench-") as scratch:
        work = Path(scratch)
        repo = make(work / "files", 4 * args.docs)
        writes(work, rendered(repo), args.rounds)
        command(work, args.docs, args.rounds, ["--workers", str(args.workers)] if args.workers else [])


if __name__ == "__main__":
    main()
