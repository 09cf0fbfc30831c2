"""Benchmark: how long each ``rasd`` command takes to start, against ``python -c pass``.

Users run ``rasd validate``, ``rasd ls ...`` and ``rasd preannotate`` many times,
and the tests run the CLI in child processes: what a command imports before it
does any work is paid every time.  Each command below runs as a child process
(``python -m rasd``), ``--repeat`` times, round-robin with ``python -c pass`` so
that a busy moment of the shared machine hits every command alike; after one
untimed warm-up round, the median CPU seconds (user + system, from
``resource.getrusage(RUSAGE_CHILDREN)``) and median wall seconds are printed,
with the ratio of the CPU time to that of ``python -c pass`` in the same run.

``rasd preannotate --workers 1`` runs on a fresh git repository holding this
checkout's seed articles (``dataset/raw``, 5 today) and the entity registry, as
``bench/cycle.py`` makes one: start-up plus a few documents of real work.

With ``--against SRC`` (repeatable), the same commands also run with another
source tree first on ``PYTHONPATH`` (e.g. ``--against /work/main/src``), in the
same rounds, for a before/after in one run.  The machine is shared: read the
ratios, not the seconds.

Usage: python bench/startup.py [--repeat R] [--against SRC]...
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from measure import commit_all  # noqa: E402  (bench/ is not a package)

BASELINE = "python -c pass"


def commands(repo: Path) -> dict[str, list[str]]:
    """What each timed line runs (after the interpreter); the first is the baseline."""
    rasd = ["-m", "rasd", "--root", str(repo)]
    return {
        BASELINE: ["-c", "pass"],
        "rasd --help": [*rasd, "--help"],
        "rasd validate --help": [*rasd, "validate", "--help"],
        "rasd ls --help": [*rasd, "ls", "--help"],
        "rasd preannotate --workers 1 (5 docs)": [*rasd, "preannotate", "--workers", "1"],
    }


def make_repo(folder: Path) -> None:
    """A git repository with this checkout's raw seed articles and its registry, nothing else."""
    shutil.copytree(ROOT / "dataset" / "raw", folder / "dataset" / "raw")
    (folder / "annotation").mkdir()
    shutil.copy(ROOT / "annotation" / "entities.json", folder / "annotation" / "entities.json")
    commit_all(folder)


def timed(argv: list[str], src: Path) -> tuple[float, float]:
    """CPU and wall seconds of one child process, run with ``src`` first on ``PYTHONPATH``."""
    env = {**os.environ, "PYTHONPATH": str(src), "HF_HUB_OFFLINE": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *argv], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({src}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def measure(sources: list[Path], repeat: int) -> dict[tuple[Path, str], list[tuple[float, float]]]:
    """Every command under every source, ``repeat`` rounds after a warm-up, in a fresh repository each."""
    times: dict[tuple[Path, str], list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="rasd-startup-") as tmp:
        repos = {src: Path(tmp) / f"repo{i}" for i, src in enumerate(sources)}
        for repo in repos.values():
            make_repo(repo)
        for round_ in range(repeat + 1):
            for src, repo in repos.items():
                for name, argv in commands(repo).items():
                    sample = timed(argv, src)
                    if round_:  # round 0 warms the file cache and writes the predictions once
                        times.setdefault((src, name), []).append(sample)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5; medians are shown)")
    parser.add_argument(
        "--against", action="append", type=Path, default=[], metavar="SRC", help="another source tree"
    )
    args = parser.parse_args()
    sources = [ROOT / "src", *(path.resolve() for path in args.against)]
    times = measure(sources, args.repeat)
    print(f"median of {args.repeat} runs; x pass = CPU time / CPU time of `{BASELINE}` (same run)\n")
    for src in sources:
        print(f"PYTHONPATH={src}")
        print(f"  {'command':<40} {'CPU s':>7} {'x pass':>7} {'wall s':>7}")
        base = statistics.median(cpu for cpu, _ in times[(src, BASELINE)])
        for name in commands(Path()):
            cpu = statistics.median(c for c, _ in times[(src, name)])
            wall = statistics.median(w for _, w in times[(src, name)])
            print(f"  {name:<40} {cpu:7.3f} {cpu / base:7.1f} {wall:7.3f}")
        print()
    if len(sources) > 1:
        print("CPU time of each command, this checkout / the other source tree (< 1: this one starts faster)")
        for other in sources[1:]:
            for name in list(commands(Path()))[1:]:
                mine = statistics.median(c for c, _ in times[(sources[0], name)])
                theirs = statistics.median(c for c, _ in times[(other, name)])
                print(f"  {name:<40} {mine / theirs:7.2f}   (vs {other})")


if __name__ == "__main__":
    main()
