"""Benchmark: does the build stream?  Speed and peak memory as the corpus grows.

Builds synthetic corpora of N and 4N documents (sentences of the seed articles,
shuffled) in temporary repositories, each build in its own process, and prints:

- build time per document against a baseline measured in the same run: reading
  and writing the same raw files without building (a ratio, since machines here
  are noisy);
- peak resident memory of the 4N build against the N build: a ratio near 1 means
  memory stays flat as the corpus grows;
- the same builds with JSON Schema verdicts from jsonschema alone (``reference``,
  the build before compiled schemas) against fastjsonschema's compiled verdict
  (``compiled``, what the build does): the speed-up, measured in the same run,
  the two kinds alternated and the fastest of ``--repeat`` builds of each kept.

Usage: python bench/build.py [--docs N]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import make_repo  # noqa: E402  (bench/ is not a package)

CHILD = """
import json, resource, sys, time
from rasd.core.paths import Repo
from rasd.pipeline import build
if sys.argv[2] == "reference":  # the build before compiled schemas: jsonschema walks every record
    import rasd.validation.schema
    rasd.validation.schema.is_valid = lambda name, instance: False
start = time.perf_counter()
usage0 = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = usage0.ru_utime + usage0.ru_stime
report = build(Repo(sys.argv[1]), progress=False)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - cpu0
peak = usage.ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mib": peak, "documents": report.documents}))
"""

BASELINE = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
out = Path(sys.argv[1]) / "copy"
out.mkdir()
for path in sorted((Path(sys.argv[1]) / "dataset" / "raw").glob("*.txt")):
    (out / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def twelve_sentences(index: int, sentences: list[str], rng: random.Random) -> str:
    """The build benchmark's article: a numbered title and 12 seed sentences."""
    body = "\n\n".join(rng.sample(sentences, k=min(12, len(sentences))))
    return f"وثيقة رقم {index}\n\n{body}\n"


def make_corpus(folder: Path, documents: int, seed: int = 13) -> None:
    make_repo(folder, documents, seed, text=twelve_sentences)


def measure(script: str, folder: Path, *extra: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", script, str(folder), *extra], capture_output=True, text=True, check=True
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


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


def fastest(folder: Path, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """The fastest of ``repeat`` jsonschema-only and compiled builds, run alternately (load is noisy)."""
    runs: dict[str, list[dict[str, float]]] = {"reference": [], "compiled": []}
    for _ in range(repeat):
        for kind, found in runs.items():
            found.append(measure(CHILD, folder, kind))
    reference, compiled = (min(found, key=lambda run: run["seconds"]) for found in runs.values())
    return reference, compiled


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--docs", type=int, default=500, help="N, the smaller corpus (default 500)")
    options.add_argument(
        "--repeat", type=int, default=3, help="builds of each kind, fastest kept (default 3)"
    )
    args = options.parse_args()
    rows = []
    for n in (args.docs, 4 * args.docs):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make_corpus(folder, n)
            baseline = measure(BASELINE, folder)
            reference, built = fastest(folder, args.repeat)
            rows.append((n, baseline, built, reference))
    print(f"{'docs':>6} {'baseline s':>11} {'build s':>9} {'build/baseline':>15} {'peak MiB':>9}")
    for n, baseline, built, _ in rows:
        ratio = built["seconds"] / baseline["seconds"]
        seconds, peak = built["seconds"], built["peak_mib"]
        print(f"{n:>6} {baseline['seconds']:>11.3f} {seconds:>9.2f} {ratio:>15.0f} {peak:>9.1f}")
    (n1, _, small, _), (n4, _, large, _) = rows
    per_doc = (large["seconds"] / n4) / (small["seconds"] / n1)
    print(f"time per document, {n4} vs {n1} docs: {per_doc:.2f}x (1.00 = linear)")
    print(f"peak memory, {n4} vs {n1} docs: {large['peak_mib'] / small['peak_mib']:.2f}x (1.00 = flat)")
    for n, _, built, reference in rows:
        print(
            f"schema verdicts, {n} docs: jsonschema only {reference['seconds']:.2f} s, "
            f"compiled {built['seconds']:.2f} s: {reference['seconds'] / built['seconds']:.2f}x faster; "
            f"CPU {reference['cpu']:.2f} s vs {built['cpu']:.2f} s: {reference['cpu'] / built['cpu']:.2f}x"
        )
    alone = measure(VERDICTS, ROOT)
    print(
        f"schema checks alone (this repo's {alone['records']:.0f} released records and "
        f"{alone['gold']:.0f} gold files, 100 times, CPU): jsonschema {alone['seconds']:.2f} s, "
        f"compiled {alone['compiled']:.2f} s: "
        f"{alone['seconds'] / alone['compiled']:.1f}x"
    )


if __name__ == "__main__":
    main()
