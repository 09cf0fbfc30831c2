"""Benchmark: which parallel engine runs the per-document build work, and at what batch size.

The work is today's build of one document (``rasd.dataset.build`` does it in a
loop): ingest and clean the raw file, read its gold file (the same checks as the
build: schema, then meaning), the ``spans`` record and its JSON Schema check, the
corpus id check and the ``tokens`` record.  It runs over N synthetic articles
(seed sentences with spelling variants, about 3 KB each, in a temporary repo) on:

- ``loop``: a plain loop in one process (the reference output);
- ``pool``: ``multiprocessing.Pool(W)``, ``imap`` over the batches;
- ``local``: ``rasd.core.engine`` with ``EngineSpec("local", workers=W)`` (Dask's
  multiprocessing scheduler);
- ``cluster``: ``rasd.core.engine`` with ``EngineSpec("cluster", workers=W,
  address="local")`` (a ``distributed`` LocalCluster).

Each engine runs in a fresh process; printed per engine and batch size: docs/s
over the whole run and in steady state (after the first result), each with its
ratio to Pool at the same batch size, the time to the first result (start-up:
worker processes, their imports, a cluster's scheduler),
peak RSS of that process plus all its descendants (sampled with psutil; the sum,
not the largest), and whether the records, serialised in id order, are
byte-identical to the plain loop's.

Usage: python bench/engines.py [--docs 5000] [--workers 2] [--batches 1,16,128]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import make_repo  # noqa: E402  (bench/ is not a package)

ENGINES = ("loop", "pool", "local", "cluster")

# --- the work: one document, as the build does it ------------------------------------------------


@lru_cache(maxsize=4)
def _metadata(root: str) -> Any:
    from rasd.core.paths import Repo
    from rasd.intake.ingest import load_metadata

    return load_metadata(Repo(root))


def build_one(root: str, name: str) -> str:
    """The build's work for one raw file; its records as one JSON line (or its problems)."""
    from rasd.core.errors import RasdError
    from rasd.core.paths import Repo
    from rasd.dataset.build import spans_record, tokens_record
    from rasd.gold.annotations import read_annotations
    from rasd.intake.ingest import _document
    from rasd.validation.schema import structural_errors
    from rasd.validation.validate import CorpusIds

    repo = Repo(root)
    try:
        document = _document(repo, repo.raw_dir / name, _metadata(root), {})
        document = document.with_spans(read_annotations(repo, document))
        record = spans_record(document, document.id)
        shown = f"dataset/annotations/{document.id}.json"
        problems = structural_errors("document.schema.json", record, file=shown, document=document.id)
        problems += CorpusIds().check(document.id, document.spans, file=shown)
        tokens = tokens_record(document)
    except RasdError as error:
        return json.dumps({"file": name, "error": str(error)}, ensure_ascii=False)
    return json.dumps([record, tokens, [str(p) for p in problems]], ensure_ascii=False, sort_keys=True)


def build_batch(batch: tuple[str, list[str]]) -> list[str]:
    root, names = batch
    return [build_one(root, name) for name in names]


# --- one engine, in its own process --------------------------------------------------------------


class PeakRss:
    """Peak RSS of this process plus every descendant, summed, sampled every ``interval`` s."""

    def __init__(self, interval: float = 0.05) -> None:
        import psutil

        self._me = psutil.Process()
        self._psutil = psutil
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._thread.start()

    def _sample(self) -> int:
        total = 0
        for process in [self._me, *self._me.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except self._psutil.Error:
                continue
        return total

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _results(engine: str, batches: list[tuple[str, list[str]]], workers: int) -> Iterator[list[str]]:
    from rasd.core.engine import EngineSpec, map_ordered

    if engine == "loop":
        yield from map(build_batch, batches)
    elif engine == "pool":
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            yield from pool.imap(build_batch, batches)
    elif engine == "local":
        yield from map_ordered(build_batch, batches, EngineSpec("local", workers=workers))
    else:
        yield from map_ordered(build_batch, batches, EngineSpec("cluster", workers=workers, address="local"))


def run_engine(engine: str, root: str, batch: int, workers: int, out: Path) -> dict[str, Any]:
    names = sorted(p.name for p in (Path(root) / "dataset" / "raw").glob("*.txt"))
    batches = [(root, names[i : i + batch]) for i in range(0, len(names), batch)]
    build_one(root, names[0])  # imports and schema compilation, outside the timing (workers pay theirs)
    rss = PeakRss()
    start = time.perf_counter()
    first = None
    with out.open("w", encoding="utf-8") as sink:
        for lines in _results(engine, batches, workers):
            first = first if first is not None else time.perf_counter() - start
            sink.writelines(line + "\n" for line in lines)
    seconds = time.perf_counter() - start
    peak = rss.stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {
        "seconds": seconds,
        "first": first or 0.0,
        "docs": len(names),
        "steady": (len(names) - len(batches[0][1])) / max(seconds - (first or 0.0), 1e-9),
        "peak_mib": peak / 2**20,
        "largest_child_mib": children / 2**20,
    }


# --- the comparison ------------------------------------------------------------------------------


def _measure(engine: str, root: Path, batch: int, workers: int, out: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--run", engine, "--root", str(root), "--batch", str(batch)]
    command += ["--workers", str(workers), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _row(engine: str, batch: int, got: dict[str, Any], pool: dict[str, Any] | None, same: bool) -> str:
    rate = got["docs"] / got["seconds"]
    ratio = f"{rate / (pool['docs'] / pool['seconds']):.2f}" if pool else "-"
    steady = f"{got['steady'] / pool['steady']:.2f}" if pool else "-"
    return (
        f"{engine:>8} {batch:>6} {rate:>8.1f} {ratio:>8} {got['steady']:>8.1f} {steady:>8} "
        f"{got['first']:>9.2f} "
        f"{got['peak_mib']:>9.0f} {'yes' if same else 'NO':>10}"
    )


HEADER = (
    f"{'engine':>8} {'batch':>6} {'docs/s':>8} {'vs Pool':>8} {'steady':>8} {'vs Pool':>8} "
    f"{'start s':>9} {'peak MiB':>9} {'identical':>10}"
)


HEADER = (
    f"{'engine':>8} {'batch':>6} {'docs/s':>8} {'vs Pool':>8} {'steady':>8} {'vs Pool':>8} "
    f"{'start s':>9} {'peak MiB':>9} {'identical':>10}"
)


def compare(docs: int, workers: int, batch_sizes: list[int], report: Callable[[str], None]) -> bool:
    """Print the table; whether every engine's output is byte-identical to the loop's."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        make_repo(root, docs)
        reference_out = Path(tmp) / "loop.jsonl"
        loop = _measure("loop", root, batch_sizes[0], workers, reference_out)
        reference = _digest(reference_out)
        report(f"{docs} docs, {workers} workers; loop: {docs / loop['seconds']:.1f} docs/s")
        report(HEADER)
        report(_row("loop", batch_sizes[0], loop, None, True))
        identical = True
        for batch in batch_sizes:
            pool: dict[str, Any] | None = None
            for engine in ENGINES[1:]:
                out = Path(tmp) / f"{engine}-{batch}.jsonl"
                got = _measure(engine, root, batch, workers, out)
                same = _digest(out) == reference
                identical &= same
                pool = got if engine == "pool" else pool
                report(_row(engine, batch, got, pool, same))
                out.unlink()
    return identical


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--docs", type=int, default=5000, help="synthetic articles (default 5000)")
    options.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    options.add_argument("--batches", default="1,16,128", help="batch sizes to compare (default 1,16,128)")
    options.add_argument("--run", choices=ENGINES, help=argparse.SUPPRESS)
    options.add_argument("--root", help=argparse.SUPPRESS)
    options.add_argument("--batch", type=int, default=16, help=argparse.SUPPRESS)
    options.add_argument("--out", help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.run:
        print(json.dumps(run_engine(args.run, args.root, args.batch, args.workers, Path(args.out))))
        return
    sizes = [int(size) for size in args.batches.split(",")]
    if not compare(args.docs, args.workers, sizes, print):
        sys.exit("an engine's output differs from the plain loop's")


if __name__ == "__main__":
    main()
