"""Benchmark: peak memory of ``rasd ls push`` at N and 4N documents, against the way it held the corpus.

A push needs a server, so the bench runs the library's push
(``rasd.labelstudio.client.push``) against a null SDK: the project is new, it
lists no task, and each import request is serialised as the SDK would send it
(``json.dumps``) and dropped.  What is measured is the push's own path: reading
the corpus, building the tasks, batching the imports.  Variants:

- ``push``: the push as it is (the corpus read in batches of ``IMPORT_BATCH``,
  each batch's tasks imported before the next is read);
- ``former``: what it did before, rebuilt here as the baseline: the corpus read
  whole (``list(load_corpus(repo))``), every new task built into one list, then
  imported in batches of ``IMPORT_BATCH``;
- ``read``: the floor: the corpus read and let go (``load_corpus``'s own
  bookkeeping, its duplicate check's digests and the file list, grows with N).

Each variant and size runs in a fresh interpreter; the figure is the peak RSS
(``ru_maxrss``) over the RSS once everything is imported, before the first
document.  The corpus is ``bench/synthetic.py``'s (about 3 KB an article, no gold).

Usage: python bench/push_memory.py [--docs N] [--keep FOLDER]   (default N=1,000: 1k and 4k)
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))  # measure.py, synthetic.py (bench/ is not a package)

from measure import child_json  # noqa: E402
from synthetic import make_repo  # noqa: E402

VARIANTS = ("former", "push", "read")


def null_client() -> Any:
    """A client whose SDK knows no project and drops every import (after serialising it)."""
    from rasd.labelstudio.client import Client
    from rasd.labelstudio.server import Server

    sent = [0]

    def import_tasks(id: int, request: list[Any], return_task_ids: bool) -> None:
        sent[0] += len(json.dumps(request, ensure_ascii=False))

    projects = SimpleNamespace(
        list=lambda title: [],
        create=lambda title, label_config: SimpleNamespace(id=1),
        import_tasks=import_tasks,
    )
    sdk = SimpleNamespace(projects=projects, tasks=SimpleNamespace(list=lambda project, fields: iter(())))
    return Client(sdk, Server("http://null.invalid", "token"))


def former_push(repo: Any, client: Any) -> int:
    """The former push's memory: the corpus and every new task held, then imported in batches."""
    from rasd.gold.annotations import load_corpus
    from rasd.labelstudio.client import IMPORT_BATCH, ensure_project, existing_tasks
    from rasd.labelstudio.config import label_config
    from rasd.labelstudio.tasks import document_to_task

    documents = list(load_corpus(repo))
    project_id = ensure_project(client, "p", label_config())[0]
    present = existing_tasks(client, project_id)
    tasks = [document_to_task(d) for d in documents if d.id not in present]
    for start in range(0, len(tasks), IMPORT_BATCH):
        client.sdk.projects.import_tasks(
            id=project_id, request=tasks[start : start + IMPORT_BATCH], return_task_ids=True
        )
    return len(tasks)


def child(variant: str, folder: str) -> None:
    import psutil

    from rasd.core.paths import Repo
    from rasd.labelstudio.client import push

    repo, client = Repo(Path(folder)), null_client()
    before = psutil.Process().memory_info().rss
    if variant == "read":
        from rasd.gold.annotations import load_corpus

        added = sum(1 for _ in load_corpus(repo))
    else:
        added = former_push(repo, client) if variant == "former" else len(push(repo, client, "p").added)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"added": added, "peak_mib": (peak - before) / 2**20}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="make the corpora here (kept), not in a temporary folder")
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "REPO"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        sizes = (args.docs, 4 * args.docs)
        for size in sizes:
            if not (base / str(size)).exists():
                make_repo(base / str(size), size)
        print(f"{'variant':8} {'docs':>6} {'peak MiB':>9}")
        figures: dict[tuple[str, int], float] = {}
        for size in sizes:
            for variant in VARIANTS:
                measured = child_json(__file__, variant, str(base / str(size)))
                assert measured["added"] == size, measured
                figures[variant, size] = measured["peak_mib"]
                print(f"{variant:8} {size:>6} {measured['peak_mib']:>9.1f}")
        for variant in VARIANTS:
            small, large = figures[variant, sizes[0]], figures[variant, sizes[1]]
            marginal = (large - small) * 1024 / (sizes[1] - sizes[0])
            print(
                f"{variant}: 4N/N peak {large / max(small, 0.1):.2f}, {marginal:.2f} KiB a further document"
            )


if __name__ == "__main__":
    main()
