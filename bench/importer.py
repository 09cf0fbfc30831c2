"""Benchmark: ``rasd ls import-export`` against label-studio-sdk's own converter, on the same export.

In a fresh repository of synthetic articles (``bench/synthetic.py``, ~3 KB each,
no gold), ``rasd build``, ``rasd preannotate`` and ``rasd ls export-tasks
--predictions`` run once; the export is then made as Label Studio would give it
back had annotators accepted every suggestion (``bench/cycle.py``).  Each
measurement runs on a fresh copy of that repository, in a child process:

* ``import (merge only)``: ``rasd ls import-export EXPORT --no-rebuild``: the
  export parsed (streamed), every task's regions checked and converted to gold
  spans, the gold files written;
* ``import + rebuild``: the same, then the rebuild of ``dataset/`` (``rasd ls
  import-export EXPORT``);
* ``sdk CONLL2003`` and ``sdk JSON_MIN``: ``label_studio_sdk.converter.Converter``
  on the same export file.

Printed, at N and at 4N tasks: tasks per second of each (wall and CPU),
CPU/wall (cores used), peak RSS, and the ratio of rasd's import to each SDK
converter (> 1: rasd is faster); then the marginal rates between N and 4N, where
interpreter start-up and imports cancel out on both sides.  Each figure is the
best of ``--repeat`` runs.  The machine is shared: read the ratios, not the seconds.

Usage: python bench/importer.py [--docs N] [--repeat R] [--workers W]   (default N=500)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from cycle import MODEL_VERSION, SDK, Run, accept_every_suggestion, make_repo, rasd, run  # noqa: E402


def prepare(folder: Path, documents: int, work: Path) -> Path:
    """The repository (built, pre-annotated, no gold) and the accepted export; returns the export."""
    make_repo(folder, documents)
    run(rasd(folder, "build"), work)
    run(rasd(folder, "preannotate"), work)
    tasks = work / "tasks.json"
    run(rasd(folder, "ls", "export-tasks", str(tasks), "--predictions", MODEL_VERSION), work)
    accepted = work / "accepted.json"
    regions = accept_every_suggestion(tasks, accepted)
    print(f"{documents} tasks, {regions} result items, export {accepted.stat().st_size / 2**20:.1f} MiB")
    return accepted


def fresh_import(template: Path, work: Path, export: Path, *extra: str) -> Run:
    """``rasd ls import-export`` on a fresh copy of ``template`` (so every run writes every gold file)."""
    copy = work / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(template, copy, symlinks=True)
    measured = run(rasd(copy, "ls", "import-export", str(export), *extra), work)
    written = len(list((copy / "dataset" / "annotations").glob("*.json")))
    if written == 0:
        sys.exit("import-export wrote no gold file: the accepted export did not round-trip")
    return measured


def sdk(template: Path, work: Path, export: Path, fmt: str) -> Run:
    out = work / "sdk"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    config = template / "annotation" / "label_config.xml"
    return run([sys.executable, "-c", SDK, str(config), str(export), str(out), fmt], work)


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def measure(documents: int, repeat: int, workers: tuple[str, ...]) -> dict[str, Run]:
    """The best of ``repeat`` runs of each contender on an export of ``documents`` tasks."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = work / "repo"
        export = prepare(template, documents, work)
        runners = {
            "import (merge only)": partial(fresh_import, template, work, export, "--no-rebuild", *workers),
            "import + rebuild": partial(fresh_import, template, work, export, *workers),
            "sdk CONLL2003": partial(sdk, template, work, export, "CONLL2003"),
            "sdk JSON_MIN": partial(sdk, template, work, export, "JSON_MIN"),
        }
        measured: dict[str, list[Run]] = {name: [] for name in runners}
        for _ in range(repeat):  # interleaved, so load on the machine hits every one alike
            for name, runner in runners.items():
                measured[name].append(runner())
    return {name: best(runs) for name, runs in measured.items()}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--docs", type=int, default=500, help="N: exports of N and 4N tasks (default 500)")
    options.add_argument("--repeat", type=int, default=2, help="runs of each, best kept (default 2)")
    options.add_argument("--workers", type=int, default=None, help="rasd's --workers (default: every core)")
    args = options.parse_args()
    workers = () if args.workers is None else ("--workers", str(args.workers))
    small = measure(args.docs, args.repeat, workers)
    large = measure(4 * args.docs, args.repeat, workers)
    lines = [*report(args.docs, small), *report(4 * args.docs, large), *marginal(args.docs, small, large)]
    print("\n".join(lines))


OURS = ("import (merge only)", "import + rebuild")
THEIRS = ("sdk CONLL2003", "sdk JSON_MIN")


def report(tasks: int, runs: dict[str, Run]) -> list[str]:
    lines = [f"{tasks} tasks, whole processes (start-up and imports included on both sides):"]
    lines.append(f"{'':>20} {'tasks/s':>8} {'tasks/cpu-s':>11} {'cores':>6} {'RSS MiB':>8}")
    for name, r in runs.items():
        lines.append(
            f"{name:>20} {tasks / r.wall:8.0f} {tasks / r.cpu:11.0f} {r.cpu / r.wall:6.2f} {r.peak_mib:8.0f}"
        )
    lines.append("  ratio of rasd's tasks/s to the SDK converter's (wall, CPU; > 1: rasd is faster):")
    for ours in OURS:
        for theirs in THEIRS:
            wall, cpu = runs[theirs].wall / runs[ours].wall, runs[theirs].cpu / runs[ours].cpu
            lines.append(f"  {ours:>20} / {theirs:<14} wall {wall:5.2f}  CPU {cpu:5.2f}")
    return lines


def marginal(n: int, small: dict[str, Run], large: dict[str, Run]) -> list[str]:
    """Per extra task between N and 4N: start-up and imports cancel out."""
    extra = 3 * n
    lines = [f"marginal, from {n} to {4 * n} tasks (start-up cancels):"]
    per_task = {name: (large[name].wall - small[name].wall) / extra for name in large}
    per_cpu = {name: (large[name].cpu - small[name].cpu) / extra for name in large}
    for name in large:
        rate = f"{1 / per_task[name]:8.0f}" if per_task[name] > 0 else "   noise"
        cpu = f"{1 / per_cpu[name]:8.0f}" if per_cpu[name] > 0 else "   noise"
        lines.append(f"{name:>20} {rate} tasks/s {cpu} tasks/cpu-s")
    for ours in OURS:
        for theirs in THEIRS:
            if per_task[ours] > 0 and per_cpu[ours] > 0:
                wall, cpu = per_task[theirs] / per_task[ours], per_cpu[theirs] / per_cpu[ours]
                lines.append(f"  {ours:>20} / {theirs:<14} wall {wall:5.2f}  CPU {cpu:5.2f}")
    return lines


if __name__ == "__main__":
    main()
