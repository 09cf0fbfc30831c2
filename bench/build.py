"""Benchmark: is ``rasd build`` parallel, streaming and incremental?  N and 4N synthetic articles.

In fresh temporary git repositories of N and 4N synthetic articles (seed
sentences with spelling variants, ~3 KB each, no gold: ``bench/synthetic.py``,
the corpus of ``bench/cycle.py``), each run is ``python -m rasd build`` in its
own process:

- ``cold 1 worker``: ``--workers 1 --no-cache`` (the reference: one core);
- ``cold``: ``--no-cache``, the default engine (Dask, local processes, every core);
- ``first``: the default build, which also fills the per-document cache;
- ``warm``: the same build again, nothing changed;
- ``one edit``: one raw article changed, then the build again (one document recomputed).

Each sequence (the floor, then the five runs) starts from a fresh copy of the
corpus; ``--repeat`` sequences per size, N and 4N alternated, and the fastest of
each run kept (the machine is shared).  Per run: marginal docs/s between N and
4N (start-up costs cancel) and per CPU second, each with its ratio to the floor
measured in the same run (reading and writing the same raw files); the cores
used (CPU time over wall time, at N, at 4N and marginal); peak RSS of the
largest process and of the whole process tree (sampled with psutil) at N and
4N, and the growth 4N/N; and how many documents were recomputed (from the
build's own report).

``--schemas`` adds the older comparison: fastest-of-``--repeat`` one-worker builds
with jsonschema alone against the compiled verdicts, and the schema checks alone.

The machine is shared: read the ratios, not the seconds.

Usage: python bench/build.py [--docs N] [--repeat R] [--schemas]   (default N=500, R=3)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from measure import commit_all, per_extra_doc, run_child  # noqa: E402  (bench/ is not a package)
from synthetic import make_repo  # noqa: E402

FLOOR = """
import sys
from pathlib import Path
out = Path(sys.argv[1]) / "floor-copy"
out.mkdir()
for path in sorted((Path(sys.argv[1]) / "dataset" / "raw").glob("*.txt")):
    (out / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
"""

RUNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cold 1 worker", ("--workers", "1", "--no-cache")),
    ("cold", ("--no-cache",)),
    ("first", ()),
    ("warm", ()),
    ("one edit", ()),
)


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    largest_mib: float
    tree_mib: float
    recomputed: int = -1


def run(command: list[str], cwd: Path) -> Run:
    child = run_child(command, cwd)
    found = re.search(r"(\d+) documents computed", child.stdout)
    return Run(child.wall, child.cpu, child.largest_mib, child.tree_mib, int(found[1]) if found else -1)


def make_corpus(documents: int, folder: Path) -> Path:
    """A git repository of ``documents`` synthetic articles, never built (copied for every sequence)."""
    make_repo(folder, documents)
    commit_all(folder)
    return folder


def sequence(pristine: Path, work: Path) -> dict[str, Run]:
    """The floor and every run of ``RUNS``, in order, on a fresh copy of ``pristine``."""
    folder = work / "repo"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(pristine, folder, symlinks=True)
    runs = {"floor": run([sys.executable, "-c", FLOOR, str(folder)], work)}
    for name, extra in RUNS:
        if name == "one edit":
            raw = sorted((folder / "dataset" / "raw").glob("*.txt"))
            edited = raw[len(raw) // 2]
            edited.write_text(edited.read_text(encoding="utf-8") + "\nسطر أضيف للاختبار.\n", encoding="utf-8")
        command = [sys.executable, "-m", "rasd", "--root", str(folder), "build", "--quiet", *extra]
        runs[name] = run(command, work)
    shutil.rmtree(folder, ignore_errors=True)
    return runs


def fastest(sequences: list[dict[str, Run]]) -> dict[str, Run]:
    """Per run, the one with the least wall time (the least disturbed by the machine's other load)."""
    return {name: min((s[name] for s in sequences), key=lambda r: r.wall) for name in sequences[0]}


def _rate(per_doc: float, floor: float, width: int) -> str:
    if per_doc <= 0:
        return f"{'noise':>{width}} {'-':>7}"
    return f"{1 / per_doc:{width}.0f} {per_doc / floor:7.0f}"


def report(n: int, small: dict[str, Run], large: dict[str, Run]) -> list[str]:
    extra = 3 * n
    floor_wall, floor_cpu = per_extra_doc(small["floor"], large["floor"], extra)
    lines = [
        f"N={n}, 4N={4 * n}; floor (read + write the raw files): {1 / max(floor_wall, 1e-9):.0f} docs/s, "
        f"{1 / max(floor_cpu, 1e-9):.0f} docs/cpu-s marginal",
        f"{'run':>14} {'docs/s':>8} {'x floor':>7} {'docs/cpu-s':>10} {'x floor':>7} {'cores N':>7} "
        f"{'4N':>5} {'marg.':>5} {'largest N':>9} {'4N':>5} {'x':>5} {'tree N':>6} {'4N':>5} {'x':>5} "
        f"{'recomputed N/4N':>15}",
    ]
    for name, _ in RUNS:
        s, g = small[name], large[name]
        wall, cpu = per_extra_doc(s, g, extra)
        marginal = (g.cpu - s.cpu) / (g.wall - s.wall) if g.wall > s.wall else float("nan")
        lines.append(
            f"{name:>14} {_rate(wall, floor_wall, 8)} {_rate(cpu, floor_cpu, 10)} "
            f"{s.cpu / s.wall:7.2f} {g.cpu / g.wall:5.2f} {marginal:5.2f} "
            f"{s.largest_mib:9.0f} {g.largest_mib:5.0f} {g.largest_mib / s.largest_mib:5.2f} "
            f"{s.tree_mib:6.0f} {g.tree_mib:5.0f} {g.tree_mib / s.tree_mib:5.2f} "
            f"{s.recomputed:>7}/{g.recomputed:<7}"
        )
    lines += [
        "docs/s and docs/cpu-s: marginal, (4N - N) documents over the difference in wall or CPU time;",
        "x floor: marginal time per document over the floor's; cores: CPU time / wall time (marg.: of the",
        "extra 3N documents); largest / tree: peak RSS MiB of the largest process / summed over the tree;",
        "x: 4N over N. recomputed: documents computed (the others came from the per-document cache).",
    ]
    return lines


# --- the older comparison: jsonschema alone against the compiled verdicts -----------------------

CHILD = """
import json, resource, sys, time
from rasd.core.engine import EngineSpec
from rasd.core.paths import Repo
from rasd.dataset.build import BuildOptions
from rasd.pipeline import build
if sys.argv[2] == "reference":  # the build before compiled schemas: jsonschema walks every record
    import rasd.validation.schema
    rasd.validation.schema.is_valid = lambda name, instance: False
start = time.perf_counter()
usage0 = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = usage0.ru_utime + usage0.ru_stime
options = BuildOptions(spec=EngineSpec("sync"), cache=False)  # in this process, where the patch applies
report = build(Repo(sys.argv[1]), progress=False, options=options)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - cpu0
print(json.dumps({"seconds": elapsed, "cpu": cpu, "documents": report.documents}))
"""

VERDICTS = """
import json, sys, time
from pathlib import Path
from rasd.core.paths import Repo
from rasd.dataset.released import iter_released_records
import rasd.validation.schema as schema
root = Path(sys.argv[1])
records = [record for _, record in iter_released_records(Repo(root))]
gold_files = sorted((root / "dataset" / "annotations").glob("*.json"))
gold = [json.loads(p.read_text(encoding="utf-8")) for p in gold_files]
def cpu():
    start = time.process_time()
    for _ in range(100):
        for record in records:
            schema.structural_errors("document.schema.json", record, file=None, document=None)
        for data in gold:
            schema.structural_errors("annotation.schema.json", data, file=None, document=None)
    return time.process_time() - start
schema.is_valid("document.schema.json", records[0]), schema.is_valid("annotation.schema.json", gold[0])
compiled = cpu()
schema.is_valid = lambda name, instance: False
print(json.dumps({"seconds": cpu(), "compiled": compiled, "records": len(records), "gold": len(gold)}))
"""


def measure(script: str, folder: Path, *extra: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-c", script, str(folder), *extra],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def schemas(n: int, repeat: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        make_repo(Path(tmp), n)
        runs: dict[str, list[dict[str, float]]] = {"reference": [], "compiled": []}
        for _ in range(repeat):
            for kind, found in runs.items():
                found.append(measure(CHILD, Path(tmp), kind))
    reference, compiled = (min(found, key=lambda r: r["seconds"]) for found in runs.values())
    alone = measure(VERDICTS, ROOT)
    return [
        f"schema verdicts, {n} docs, one worker: jsonschema only {reference['seconds']:.2f} s, compiled "
        f"{compiled['seconds']:.2f} s: {reference['seconds'] / compiled['seconds']:.2f}x; CPU "
        f"{reference['cpu'] / compiled['cpu']:.2f}x",
        f"schema checks alone (this repo's {alone['records']:.0f} records, {alone['gold']:.0f} gold files, "
        f"100 times, CPU): jsonschema {alone['seconds']:.2f} s, compiled {alone['compiled']:.2f} s: "
        f"{alone['seconds'] / alone['compiled']:.1f}x",
    ]


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--docs", type=int, default=500, help="N, the smaller corpus (default 500)")
    options.add_argument("--schemas", action="store_true", help="also jsonschema vs compiled verdicts")
    options.add_argument(
        "--repeat", type=int, default=3, help="sequences per size, fastest run of each kind kept (default 3)"
    )
    args = options.parse_args()
    sizes = (args.docs, 4 * args.docs)
    found: dict[int, list[dict[str, Run]]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        pristine = {n: make_corpus(n, Path(tmp) / f"corpus-{n}") for n in sizes}
        for _ in range(args.repeat):  # N and 4N alternate, so both see the same load
            for n in sizes:
                found[n].append(sequence(pristine[n], Path(tmp)))
    results = [fastest(found[n]) for n in sizes]
    print(f"{os.cpu_count()} cores")
    for line in report(args.docs, *results):
        print(line)
    if args.schemas:
        for line in schemas(args.docs, args.repeat):
            print(line)


if __name__ == "__main__":
    main()
