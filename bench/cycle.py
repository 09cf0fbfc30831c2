"""Benchmark: the whole annotation cycle through the real CLI, at N and 4N documents.

In a fresh temporary git repository of synthetic articles (seed sentences with
spelling variants, ~3 KB each; no gold), every stage runs as ``python -m rasd``:

1. ``rasd build``
2. ``rasd preannotate``
3. ``rasd ls export-tasks OUT --predictions MODEL_VERSION``
4. (here, not timed as a stage) annotators accept every suggestion: each task's
   annotation is set from its prediction
5. ``rasd ls import-export`` of that export (the gold files are written, then
   ``dataset/`` is rebuilt); before it, on a copy of the repository, the same
   import with ``--no-rebuild`` (``import (merge)``: the export parsed, every
   region checked and converted, the gold files written)

Per stage: the marginal throughput between N and 4N (the fixed start-up cost
cancels), its ratio to a floor measured in the same run (reading and writing the
same raw files in a child process, least of 5 runs: what no stage can beat), the cores used (CPU
time of the child processes over wall time, from ``resource.getrusage``), and
peak RSS at N and at 4N (the stage's process tree, summed, sampled with psutil).
If ``label_studio_sdk`` is importable, its converter (CONLL2003, JSON_MIN) is
timed on the same export, for comparison with ``rasd ls import-export``.

The machine this runs on is shared: read the ratios, not the seconds.

Usage: python bench/cycle.py [--docs N]   (default 250: N=250 and 4N=1000)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from measure import commit_all, per_extra_doc, run_child  # noqa: E402  (bench/ is not a package)
from synthetic import make_repo as make_articles  # noqa: E402

MODEL_VERSION = "bench-cycle"
FLOOR_RUNS = 5  # the floor is a few seconds at most, and the noisiest figure here (the disk): the least of 5

FLOOR = """
import sys
from pathlib import Path
out = Path(sys.argv[1]) / sys.argv[2]
out.mkdir()
for path in sorted((Path(sys.argv[1]) / "dataset" / "raw").glob("*.txt")):
    (out / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
"""


@dataclass(frozen=True)
class Run:
    """One child process: wall seconds, CPU seconds of its process tree, peak summed RSS."""

    wall: float
    cpu: float
    peak_mib: float


def run(command: list[str], cwd: Path) -> Run:
    """Run ``command`` to completion, sampling its tree's RSS; fail loudly if it fails."""
    child = run_child(command, cwd)
    return Run(wall=child.wall, cpu=child.cpu, peak_mib=child.tree_mib)


def make_repo(folder: Path, documents: int, seed: int = 13) -> None:
    """A git repository with ``documents`` synthetic raw articles, the registry, and no gold."""
    make_articles(folder, documents, seed)
    (folder / "annotation").mkdir()
    shutil.copy(ROOT / "annotation" / "entities.json", folder / "annotation" / "entities.json")
    commit_all(folder)


def accept_every_suggestion(export: Path, accepted: Path) -> int:
    """The export as Label Studio would give it back had annotators accepted every suggestion."""
    tasks: list[dict[str, Any]] = json.loads(export.read_text(encoding="utf-8"))
    for number, task in enumerate(tasks, start=1):
        task["id"] = number
        predictions = task.pop("predictions", [])
        result = predictions[0]["result"] if predictions else []
        task["annotations"] = [
            {"id": number, "completed_by": 1, "ground_truth": False, "was_cancelled": False, "result": result}
        ]
        task["drafts"] = []
    accepted.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return sum(len(t["annotations"][0]["result"]) for t in tasks)


def rasd(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "rasd", "--root", str(folder), *args]


STAGES: tuple[tuple[str, Callable[[Path, Path], list[str]]], ...] = (
    ("build", lambda folder, _: rasd(folder, "build")),
    ("preannotate", lambda folder, _: rasd(folder, "preannotate")),
    (
        "export-tasks",
        lambda folder, work: rasd(
            folder, "ls", "export-tasks", str(work / "tasks.json"), "--predictions", MODEL_VERSION
        ),
    ),
    ("import-export", lambda folder, work: rasd(folder, "ls", "import-export", str(work / "accepted.json"))),
)

SDK = """
import sys, time
from label_studio_sdk.converter import Converter
config = open(sys.argv[1], encoding="utf-8").read()
converter = Converter(config, sys.argv[3], download_resources=False)
converter.convert(sys.argv[2], sys.argv[3] + "/" + sys.argv[4], sys.argv[4], is_dir=False)
"""


def _sdk_available() -> bool:
    done = subprocess.run([sys.executable, "-c", "import label_studio_sdk.converter"], capture_output=True)
    return done.returncode == 0


def cycle(documents: int, work: Path) -> dict[str, Run]:
    """Every stage, the floor and (if importable) the SDK converter over ``documents`` articles."""
    folder = work / "repo"
    make_repo(folder, documents)
    floors = [run([sys.executable, "-c", FLOOR, str(folder), f"floor-{i}"], work) for i in range(FLOOR_RUNS)]
    for i in range(FLOOR_RUNS):
        shutil.rmtree(folder / f"floor-{i}")
    least = Run(min(r.wall for r in floors), min(r.cpu for r in floors), max(r.peak_mib for r in floors))
    runs = {"floor": least}
    for name, command in STAGES:
        if name == "import-export":
            accept_every_suggestion(work / "tasks.json", work / "accepted.json")
            copy = work / "merge-only"
            shutil.copytree(folder, copy, symlinks=True)
            merge_only = rasd(copy, "ls", "import-export", str(work / "accepted.json"), "--no-rebuild")
            runs["import (merge)"] = run(merge_only, work)
            shutil.rmtree(copy)
        runs[name] = run(command(folder, work), work)
    gold = len(list((folder / "dataset" / "annotations").glob("*.json")))
    if gold == 0:
        sys.exit("import-export wrote no gold file: the accepted export did not round-trip")
    config = folder / "annotation" / "label_config.xml"
    if _sdk_available() and config.exists():
        for fmt in ("CONLL2003", "JSON_MIN"):
            out = work / "sdk"
            out.mkdir(exist_ok=True)
            command = [sys.executable, "-c", SDK, str(config), str(work / "accepted.json"), str(out), fmt]
            runs[f"sdk {fmt}"] = run(command, work)
    return runs


HEADER = (
    f"{'stage':>16} {'docs/s':>8} {'x floor':>8} {'docs/cpu-s':>10} {'x floor':>8} "
    f"{'cores N':>8} {'cores 4N':>9} {'marg.cores':>10} {'RSS N':>7} {'RSS 4N':>7}"
)


def _rate(per_doc: float, floor: float, width: int) -> str:
    if per_doc <= 0 or floor <= 0:
        return f"{'noise':>{width}} {'-':>8}"
    return f"{1 / per_doc:{width}.1f} {per_doc / floor:8.1f}"


def report(n: int, small: dict[str, Run], large: dict[str, Run]) -> list[str]:
    extra = 3 * n
    floor_wall, floor_cpu = per_extra_doc(small["floor"], large["floor"], extra)
    lines = [
        f"N={n}, 4N={4 * n}; floor (read + write the raw files): "
        f"{1 / max(floor_wall, 1e-9):.0f} docs/s, {1 / max(floor_cpu, 1e-9):.0f} docs/cpu-s marginal",
        HEADER,
    ]
    for name in large:
        if name == "floor":
            continue
        wall, cpu = per_extra_doc(small[name], large[name], extra)
        cores = [r.cpu / r.wall for r in (small[name], large[name])]
        extra_cores = cpu / wall if wall > 0 else float("nan")  # start-up cancels between N and 4N
        lines.append(
            f"{name:>16} {_rate(wall, floor_wall, 8)} {_rate(cpu, floor_cpu, 10)} "
            f"{cores[0]:>8.2f} {cores[1]:>9.2f} {extra_cores:>10.2f} "
            f"{small[name].peak_mib:>7.0f} {large[name].peak_mib:>7.0f}"
        )
    lines.append(whole_cycle(n, small, large))
    lines += sdk_ratios(n, small, large)
    lines += [
        "docs/s: marginal, (4N - N) / (wall at 4N - wall at N); docs/cpu-s: the same in CPU time of the",
        "stage's processes (steadier on a loaded machine); x floor: marginal time per doc over the floor's;",
        "cores: CPU time / wall time (marginal: of the extra 3N documents, start-up cancelled);",
        "RSS: peak MiB of the stage's process tree, summed",
    ]
    return lines


CYCLE = ("build", "preannotate", "export-tasks", "import-export")


def whole_cycle(n: int, small: dict[str, Run], large: dict[str, Run]) -> str:
    """Issue #9's figure: the marginal time a document of the whole cycle, over the floor's."""
    floor_wall, floor_cpu = per_extra_doc(small["floor"], large["floor"], 3 * n)
    pairs = [per_extra_doc(small[name], large[name], 3 * n) for name in CYCLE]
    wall, cpu = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    if floor_wall <= 0 or floor_cpu <= 0:
        return f"whole cycle ({' + '.join(CYCLE)}): {wall * 1e3:.2f} ms a document (floor: noise)"
    return (
        f"whole cycle ({' + '.join(CYCLE)}): {wall * 1e3:.2f} ms a document, {wall / floor_wall:.1f}x the "
        f"floor in wall time ({floor_wall * 1e3:.3f} ms); CPU {cpu * 1e3:.2f} ms, {cpu / floor_cpu:.1f}x"
    )


def sdk_ratios(n: int, small: dict[str, Run], large: dict[str, Run]) -> list[str]:
    """rasd's import over label-studio-sdk's converter on the same export: > 1 means rasd is faster."""
    theirs = [name for name in large if name.startswith("sdk ")]
    if not theirs:
        return ["(label_studio_sdk not importable: no converter to compare the import with)"]
    lines = ["import vs label-studio-sdk's converter on the same export (> 1: rasd faster):"]
    for ours in ("import (merge)", "import-export"):
        for name in theirs:
            marginal = (large[name].wall - small[name].wall) / max(large[ours].wall - small[ours].wall, 1e-9)
            whole = large[name].wall / large[ours].wall
            cpu = large[name].cpu / large[ours].cpu
            lines.append(
                f"  {ours:>15} / {name:<14} marginal {marginal:5.2f}  whole process at 4N: wall "
                f"{whole:5.2f}, CPU {cpu:5.2f}"
            )
    return lines


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--docs", type=int, default=250, help="N, the smaller corpus (default 250)")
    args = options.parse_args()
    results = []
    for n in (args.docs, 4 * args.docs):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(cycle(n, Path(tmp)))
    for line in report(args.docs, *results):
        print(line)


if __name__ == "__main__":
    main()
