"""CPU time of reading a Label Studio export as a stream: the ijson reader (before) against the stdlib one.

    PYTHONPATH=src:tests python bench/export_parse.py EXPORT.json

Both read the same file in the same run, best of 5 each (CPU time: the machine is shared);
the ratio is what counts.  EXPORT.json: any Label Studio export, e.g. the one ``bench/cycle.py``
makes (``accept_every_suggestion``) for 2,000 synthetic articles.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import export_reader_before as before

from rasd.formats import exportstream, labelstudio


def best_of_5(read: Callable[..., Iterator[Any]], path: Path, *, keep: bool) -> float:
    times = []
    for _ in range(5):
        start = time.process_time()
        if keep:
            list(read(path, file="x"))
        else:
            for _item in read(path, file="x"):
                pass
        times.append(time.process_time() - start)
    return min(times)


def before_iter_export(path: Path, *, file: str) -> Iterator[Any]:
    """``iter_export`` (the checks of every task) over the ijson reader."""
    markers = {id(before.LIST): exportstream.LIST, id(before.NOT_A_LIST): exportstream.NOT_A_LIST}
    new = labelstudio.iter_export_items
    labelstudio.iter_export_items = lambda path, *, file: (  # type: ignore[assignment]
        markers.get(id(item), item) for item in before.iter_export_items(path, file=file)
    )
    try:
        yield from labelstudio.iter_export(path, file=file)
    finally:
        labelstudio.iter_export_items = new


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = Path(sys.argv[1])
    tasks = sum(1 for _ in labelstudio.iter_export(path, file="x"))
    print(f"{path} ({path.stat().st_size / 1e6:.0f} MB, {tasks} tasks)")
    for keep, how in ((True, "list(...), every task kept"), (False, "each task dropped once read")):
        old = best_of_5(before.iter_export_items, path, keep=keep)
        new = best_of_5(labelstudio.iter_export_items, path, keep=keep)
        print(f"{how}:")
        print(f"  ijson reader (before): {old:.3f} CPU-s  {1000 * old / tasks:.3f} ms a task")
        print(f"  stdlib reader (after): {new:.3f} CPU-s  {1000 * new / tasks:.3f} ms a task")
        print(f"  after / before: {new / old:.2f}  (before takes {old / new:.1f}x the after)")
    old = best_of_5(before_iter_export, path, keep=True)
    new = best_of_5(labelstudio.iter_export, path, keep=True)
    print("list(iter_export(...)), the tasks checked and kept (the collector's passes over the list count):")
    print(f"  before: {old:.3f} CPU-s  after: {new:.3f} CPU-s  after / before: {new / old:.2f}")


if __name__ == "__main__":
    main()
