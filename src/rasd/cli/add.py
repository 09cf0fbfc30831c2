"""``rasd add SOURCE...``: bring articles in from text, HTML, JSON Lines, CSV, parquet or a dataset folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rasd.core.paths import Repo


def cmd_add(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.intake.add import add_articles  # lazily: it imports the schema validators and the readers

    report = add_articles(repo, [Path(s) for s in args.sources], retrieved=args.retrieved)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"added {len(report.added)} articles")
    for doc_id in report.added:
        print(f"  dataset/raw/{doc_id}.txt")
    if report.added:
        print("next: annotate them (they are unannotated until a gold file exists), then `rasd build`")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "add",
        help="add articles (.txt .html .jsonl .csv .parquet, dataset folders) to dataset/raw with provenance",
        description="Every article becomes dataset/raw/<id>.txt plus a metadata.json entry (url, outlet, "
        "title, published, retrieved, extractor, original_sha256, origin). Rows: a 'text' column, optional "
        "id, url, title, outlet, published. Without an id, the id is art- + 16 hex of the text's sha256. "
        "All or nothing: every problem is reported and nothing is written if there is any.",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="a file or a Hugging Face dataset folder")
    p.add_argument(
        "--retrieved",
        metavar="DATE",
        help="the date recorded as `retrieved` (YYYY-MM-DD; default: today, UTC)",
    )
    p.set_defaults(handler=cmd_add)
