"""Benchmark: ``rasd build``'s CPU a document, this checkout against another, cold and incremental.

On a fresh copy of ``--repo`` (a built repository: the gold corpus of
``bench/cycle.py`` after its import, or one without gold) and with no build
cache, each code tree runs ``python -m rasd build`` in its own process, four
times in a row:

- ``fresh``: no cache (every document computed, every cache entry written);
- ``warm``: again, nothing changed;
- ``gold1``: one gold file changed (its last span removed; only with gold);
- ``add20``: 20 new raw articles (words of existing ones, shuffled), committed.

The trees alternate ``--rounds`` times; per step the median user and system
CPU seconds (of the build and its worker processes) over the documents, and
this tree's ratio to the baseline's measured in the same run.  The built files
(``dataset/data``, card, README, manifest, Croissant, schemas, Label Studio
config) must be the same bytes from both trees after every step: the bench
stops otherwise.  The machine is shared: read the ratios.

Usage: python bench/build_cache.py --repo REPO --baseline OTHER/src [--workers 1] [--rounds 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("dataset/data", "dataset/README.md", "dataset/MANIFEST.json", "dataset/croissant.json", "schema")


def build(src: Path, repo: Path, workers: int) -> tuple[float, float]:
    """User and system CPU seconds of one ``rasd build`` (its workers included)."""
    env = {**os.environ, "PYTHONPATH": str(src), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "rasd", "--root", str(repo), "build", "--quiet"]
    command += ["--workers", str(workers)] if workers else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def outputs(repo: Path) -> str:
    digest = hashlib.sha256()
    for name in OUTPUTS:
        top = repo / name
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file():
                digest.update(path.relative_to(repo).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def change_one_gold(repo: Path) -> bool:
    """Remove the last span of one gold file (the writer's one-span-a-line layout); False: no gold."""
    files = sorted((repo / "dataset" / "annotations").glob("*.json"))
    if not files:
        return False
    path = files[len(files) // 2]
    lines = path.read_text(encoding="utf-8").split("\n")
    last = max(i for i, line in enumerate(lines) if line.startswith('    {"id"'))
    del lines[last]
    lines[last - 1] = lines[last - 1].rstrip(",")
    path.write_text("\n".join(lines), encoding="utf-8")
    return True


def add_articles(repo: Path, count: int) -> None:
    raw = repo / "dataset" / "raw"
    names = sorted(raw.glob("*.txt"))
    for i in range(count):
        words = names[i * len(names) // count].read_text(encoding="utf-8").split()
        random.Random(i).shuffle(words)
        (raw / f"{names[i * len(names) // count].stem}_extra.txt").write_text(
            f"خبر إضافي {i}\n\n" + " ".join(words) + "\n", encoding="utf-8"
        )
    git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "add", "-A", "dataset/raw"], check=True, capture_output=True)
    subprocess.run([*git, "commit", "-qm", "more articles"], check=True, capture_output=True)


def sequence(src: Path, template: Path, workers: int, scratch: Path) -> dict[str, tuple[float, float, str]]:
    repo = scratch / "repo"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(template, repo, symlinks=True)
    shutil.rmtree(repo / ".rasd-cache", ignore_errors=True)
    steps: dict[str, tuple[float, float, str]] = {}
    for step in ("fresh", "warm", "gold1", "add20"):
        if step == "gold1" and not change_one_gold(repo):
            continue
        if step == "add20":
            add_articles(repo, 20)
        steps[step] = (*build(src, repo, workers), outputs(repo))
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, required=True, help="the other tree's src folder")
    parser.add_argument("--workers", type=int, default=0, help="0: the default (every core)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"baseline": args.baseline.resolve(), "this": ROOT / "src"}
    documents = len(list((args.repo / "dataset" / "raw").glob("*.txt")))
    runs: dict[str, dict[str, list[tuple[float, float]]]] = {name: {} for name in trees}
    with tempfile.TemporaryDirectory(prefix="rasd-bench-") as scratch:
        for _ in range(args.rounds):
            seen: dict[str, dict[str, str]] = {}
            for name, src in trees.items():
                steps = sequence(src, args.repo, args.workers, Path(scratch))
                seen[name] = {step: digest for step, (_, _, digest) in steps.items()}
                for step, (user, system, _) in steps.items():
                    runs[name].setdefault(step, []).append((user, system))
            if seen["baseline"] != seen["this"]:
                raise SystemExit(f"the trees built different bytes: {seen}")
    print(f"{documents} documents, workers={args.workers or 'default'}, median of {args.rounds}")
    print(f"{'ms CPU / document':>18} {'baseline user+sys':>18} {'this user+sys':>16} {'this/baseline':>13}")

    def per_document(step_runs: list[tuple[float, float]]) -> list[float]:
        return [statistics.median(column) * 1000 / documents for column in zip(*step_runs, strict=True)]

    for step, old_runs in runs["baseline"].items():
        old, new = per_document(old_runs), per_document(runs["this"][step])
        ratio = sum(new) / sum(old)
        print(f"{step:>18} {old[0]:8.2f} + {old[1]:5.2f} {new[0]:8.2f} + {new[1]:5.2f} {ratio:13.2f}")


if __name__ == "__main__":
    main()
