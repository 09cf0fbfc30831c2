"""Benchmark: the build's per-document work on documents WITH gold, this checkout against another.

The build of a corpus whose every document has a gold file (after a Label Studio
import) spends its per-document CPU in the workers (``rasd.dataset.docwork``):
reading and checking the gold file, the records and their schema check, tokens
and BIO tags, the cache entry.  This bench runs, in a child process per code
tree, the first pass (``compute``: a document from its files, no cache;
``prepare``: with the cache key, the look-ups and the entry written) and the
second pass (``records``: read back and encoded) over the first ``--docs``
documents of ``--repo``, ``--repeat`` times, keeping the least CPU of each; the
two trees alternate ``--rounds`` times (the machine is shared: read the ratios).

Usage: python bench/gold_build.py --repo CORPUS --baseline OTHER/src [--docs 400] [--repeat 3] [--rounds 3]
(a corpus with gold: ``bench/cycle.py``'s, after its import, or any built repository.)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, tempfile
from pathlib import Path
from rasd.core.paths import Repo
from rasd.dataset import buildpass, docwork
from rasd.intake.ingest import checked_metadata, raw_ids

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

repo, limit, repeat = Repo(Path(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
best = {"compute": 1e9, "prepare": 1e9, "records": 1e9}
for _ in range(repeat):
    for step in ("compute", "passes"):
        with tempfile.TemporaryDirectory() as tmp:
            folders = (Path(tmp) / "cache", Path(tmp) / "fresh")
            scan = buildpass.Scan(raw_ids(repo)[:limit], checked_metadata(repo), *folders)
            jobs = list(buildpass._jobs(repo, scan, docwork.code_digest()))
            start = cpu()
            if step == "compute":
                computed = [docwork.compute(repo, job) for job in jobs]
                assert all(not p.problems and p.status == "complete" for p, _ in computed), "gold needed"
                best["compute"] = min(best["compute"], cpu() - start)
                continue
            prepared = docwork.prepare_batch(jobs)
            middle = cpu()
            where = [(p.location, p.fresh) if hasattr(p, "location") else () for p in prepared]  # packs
            items = [(j, p.key, j.doc_id, *w) for j, p, w in zip(jobs, prepared, where)]
            docwork.records_batch(items, encode=True)
            best["prepare"] = min(best["prepare"], middle - start)
            best["records"] = min(best["records"], cpu() - middle)
print(json.dumps({k: 1000 * v / len(jobs) for k, v in best.items()}))
"""


def measure(src: Path, repo: Path, docs: int, repeat: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(repo), str(docs), str(repeat)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, required=True, help="the other tree's src folder")
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"baseline": args.baseline.resolve(), "this": ROOT / "src"}
    best: dict[str, dict[str, float]] = {name: {} for name in trees}
    for _ in range(args.rounds):
        for name, src in trees.items():
            for step, ms in measure(src, args.repo, args.docs, args.repeat).items():
                best[name][step] = min(best[name].get(step, 1e9), ms)
    print(f"{'ms CPU / document (least)':>26} {'baseline':>9} {'this':>9} {'this/baseline':>13}")
    for step in ("compute", "prepare", "records"):
        old, new = best["baseline"][step], best["this"][step]
        print(f"{step:>26} {old:9.3f} {new:9.3f} {new / old:13.2f}")
    old_total = best["baseline"]["prepare"] + best["baseline"]["records"]
    new_total = best["this"]["prepare"] + best["this"]["records"]
    print(f"{'prepare + records':>26} {old_total:9.3f} {new_total:9.3f} {new_total / old_total:13.2f}")


if __name__ == "__main__":
    main()
