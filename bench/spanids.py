"""Benchmark: memory and CPU time of the corpus-wide span-id check (``CorpusIds``), projected to 1M documents.

The build's parent, ``rasd validate`` of released records and the Label Studio
import's parent keep every span id of the corpus, with the document that used
it first, to report an id used by two documents (``SPAN_ID_IN_OTHER_DOCUMENT``).
This bench feeds that check as they do, one document at a time: N documents
of S spans each (default 32, a gold document's), ids made by
``rasd.core.spans.new_span_id``; every 100th document also reuses an id of an
earlier one (an error) and has one imported, non-hex id.  Variants:

- ``compact``: ``rasd.validation.validate.CorpusIds`` (ids as integers in typed
  arrays, owners' ids in one bytearray);
- ``dict``: the former ``CorpusIds`` (a ``dict`` of span id -> document id),
  rebuilt here as the baseline, in the same run.

Each variant and size runs in its own process, twice: once for the resident
memory (RSS after the last document, over the RSS before the first) and the
CPU time spent in the check (``time.process_time``, the ids' making excluded),
once under tracemalloc (the bytes the check's structures still hold).  Bytes
per span are the marginal ones between the two sizes (fixed costs, such as the
65,536 bucket slots, cancel); the 1M figure is the RSS at the larger size plus
that marginal for every further document.

Usage: python bench/spanids.py [--docs N] [--sizes 1,4] [--spans 32] [--variants compact,dict]
(default N=40,000: 40k and 160k documents, 1.3M and 5.1M span ids)
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))  # measure.py (bench/ is not a package)
sys.path.insert(0, str(ROOT / "tests"))  # the former CorpusIds, the baseline: tests/corpus_ids_before.py

from corpus_ids_before import DictIds  # noqa: E402
from measure import child_json  # noqa: E402

from rasd.core.spans import new_span_id  # noqa: E402
from rasd.validation.validate import CorpusIds  # noqa: E402


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def feed(variant: str, count: int, spans: int) -> tuple[Any, int, float]:
    """The check after ``count`` documents, the errors it reported and the CPU seconds it took."""
    ids = CorpusIds() if variant == "compact" else DictIds()
    errors, seconds, earlier = 0, 0.0, ""
    for i in range(count):
        doc_id = f"{i:07d}_synthetic"
        span_ids = [new_span_id(doc_id, 10 * s, 10 * s + 5, "PER") for s in range(spans)]
        if i % 100 == 99:
            span_ids += [earlier, f"imported-{i}"]
        earlier = span_ids[0]
        start = time.process_time()
        errors += sum(1 for _ in ids.iter_id_problems(doc_id, span_ids, file=f"{doc_id}.json"))
        seconds += time.process_time() - start
    return ids, errors, seconds


def child(variant: str, count: int, spans: int, trace: bool) -> dict[str, float]:
    feed(variant, 200, spans)  # warm up imports and caches before the baseline
    if trace:
        tracemalloc.start()
    before = rss()
    held, errors, seconds = feed(variant, count, spans)
    after = rss()
    traced = tracemalloc.get_traced_memory()[0] if trace else 0
    del held
    return {"kept": after - before, "traced": traced, "errors": errors, "cpu": seconds}


def measure(variant: str, count: int, spans: int, trace: bool) -> dict[str, float]:
    return child_json(__file__, variant, str(count), str(spans), "1" if trace else "0")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--docs", type=int, default=40_000, help="N (default 40,000)")
    options.add_argument("--sizes", default="1,4", help="multiples of N to measure (default 1,4)")
    options.add_argument("--spans", type=int, default=32, help="spans a document (default 32)")
    options.add_argument("--variants", default="compact,dict", help="which (default both)")
    options.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.child:
        variant, count, spans, trace = args.child
        print(json.dumps(child(variant, int(count), int(spans), trace == "1")))
        return
    sizes = [args.docs * int(m) for m in args.sizes.split(",")]
    print(
        f"{'variant':8} {'docs':>8} {'span ids':>10} {'errors':>7} {'RSS kept':>10} {'B/span':>7} "
        f"{'traced B/span':>14} {'CPU µs/span':>12}"
    )
    cpu: dict[str, float] = {}
    for variant in args.variants.split(","):
        rows = []
        for count in sizes:
            memory = measure(variant, count, args.spans, trace=False)
            traced = measure(variant, count, args.spans, trace=True)["traced"]
            rows.append((count, memory, traced))
            fed = count * args.spans + 2 * (count // 100)
            cpu[variant] = memory["cpu"] / fed
            print(
                f"{variant:8} {count:8,} {fed:10,} {memory['errors']:7,.0f} {memory['kept'] / 2**20:8.1f}Mi "
                f"{memory['kept'] / fed:7.1f} {traced / fed:14.1f} {memory['cpu'] / fed * 1e6:12.2f}",
                flush=True,
            )
        (first, low, low_traced), (last, high, high_traced) = rows[0], rows[-1]
        if last > first:
            fed = (last - first) * args.spans
            kept, traced = (high["kept"] - low["kept"]) / fed, (high_traced - low_traced) / fed
            projected = (high["kept"] + kept * args.spans * (1_000_000 - last)) / 2**30
            print(
                f"{variant:8} marginal {first:,} → {last:,} documents: RSS {kept:.1f} B/span, traced "
                f"{traced:.1f} B/span; 1M documents of {args.spans} spans: {projected:.2f} GiB",
                flush=True,
            )
    if "compact" in cpu and "dict" in cpu:
        print(f"CPU time a span, compact / dict: {cpu['compact'] / cpu['dict']:.2f}×")


if __name__ == "__main__":
    main()
