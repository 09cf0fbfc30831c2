"""Benchmark: does ``rasd add`` stream?  Speed and peak memory for N and 4N JSON Lines rows.

For each size, a fresh copy of the repository's ``dataset/raw`` gets a generated
JSON Lines file of that many new articles (sentences of the seed articles,
shuffled, each row numbered so no two are alike), added in a process of its own.
Printed per size:

- articles per second of ``add_articles`` (both passes: check, then stage and
  commit through the journal);
- the same for a plain floor measured in the same run: read the rows, write each
  text to its own file with an fsync (the durability the journal gives), nothing
  else; and the ratio of the two (machines here are noisy, ratios less so);
- peak resident memory (``resource.getrusage``, whole process, imports included),
  the growth per added row between N and 4N rows, and that growth at 1M rows
  (what does grow: per-article ids and hashes of the duplicate check, the
  journal's list of staged files, the new ``metadata.json`` entries).

Usage: python bench/add.py [--rows N]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import seed_sentences  # noqa: E402  (bench/ is not a package)

CHILD = """
import json, resource, sys, time
from pathlib import Path
from rasd.core.paths import Repo
from rasd.intake.add import add_articles
start = time.perf_counter()
report = add_articles(Repo(sys.argv[1]), [Path(sys.argv[2])], retrieved="2026-12-01")
elapsed = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mib": peak_kib / 1024, "added": len(report.added)}))
"""

FLOOR = """
import json, os, resource, sys, time
from pathlib import Path
start = time.perf_counter()
out = Path(sys.argv[1]) / "floor"
out.mkdir()
with open(sys.argv[2], encoding="utf-8") as rows:
    for number, line in enumerate(rows):
        with open(out / f"{number}.txt", "wb") as handle:
            handle.write(json.loads(line)["text"].encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
elapsed = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mib": peak_kib / 1024, "added": number + 1}))
"""


def write_rows(path: Path, rows: int, sentences: list[str]) -> None:
    """``rows`` articles of 8-20 seed sentences each, streamed to a JSON Lines file."""
    chance = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for number in range(rows):
            body = " ".join(chance.sample(sentences, chance.randint(8, min(20, len(sentences)))))
            row = {"text": f"{body}\n\nمقال رقم {number}", "url": f"https://example.org/{number}"}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def run(script: str, repo: Path, source: Path) -> dict[str, float]:
    env_path = str(ROOT / "src")
    done = subprocess.run(
        [sys.executable, "-c", script, str(repo), str(source)],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(rows: int, sentences: list[str], work: Path) -> tuple[dict[str, float], dict[str, float]]:
    repo = work / f"repo-{rows}"
    shutil.copytree(ROOT / "dataset" / "raw", repo / "dataset" / "raw")
    source = work / f"rows-{rows}.jsonl"
    write_rows(source, rows, sentences)
    floor = run(FLOOR, repo, source)
    added = run(CHILD, repo, source)
    assert added["added"] == rows, added
    return added, floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=500, help="N: the smaller size (the larger is 4N)")
    args = parser.parse_args()
    sentences = seed_sentences()
    with tempfile.TemporaryDirectory(prefix="rasd-bench-add-") as folder:
        results = {n: measure(n, sentences, Path(folder)) for n in (args.rows, 4 * args.rows)}
    print(f"{'rows':>6} {'add/s':>8} {'floor/s':>8} {'floor:add':>9} {'add MiB':>8} {'floor MiB':>9}")
    for n, (added, floor) in results.items():
        rate, floor_rate = n / added["seconds"], n / floor["seconds"]
        print(
            f"{n:>6} {rate:>8.1f} {floor_rate:>8.1f} {floor_rate / rate:>9.1f} "
            f"{added['peak_mib']:>8.1f} {floor['peak_mib']:>9.1f}"
        )
    small, large = (results[n][0]["peak_mib"] for n in (args.rows, 4 * args.rows))
    print(f"peak memory 4N / N: {large / small:.2f} (1.00 = flat)")
    per_row = (large - small) * 1024 / (3 * args.rows)
    print(f"growth per added row: {per_row:.2f} KiB; at 1M rows: {per_row * 1_000_000 / 1024 / 1024:.1f} GiB")


if __name__ == "__main__":
    main()
