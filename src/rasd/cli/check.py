"""``rasd check [--strict]``: consistency warnings over the gold annotations."""

from __future__ import annotations

import argparse
import sys

from rasd.core.paths import Repo
from rasd.gold.consistency import CHECKS, check_repo
from rasd.gold.corpus import Finding


def render(finding: Finding) -> str:
    line = f"warning [{finding.check}]: {finding.warning}"
    if finding.noted:
        line += f" (noted: {finding.note})"
    return line


def cmd_check(args: argparse.Namespace, repo: Repo) -> int:
    names = tuple(args.only) if args.only else None
    findings = check_repo(repo, names)
    open_ = [f for f in findings if not f.noted]
    noted = [f for f in findings if f.noted]
    for finding in open_ + (noted if args.show_noted else []):
        print(render(finding), file=sys.stderr)
    print(f"{len(open_)} warnings, {len(noted)} accepted by a note")
    if open_ and args.strict:
        print(
            "error: --strict: fix the spans above, or add a `note` saying why a span is right",
            file=sys.stderr,
        )
        return 1
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "check", help="consistency warnings over the gold annotations (labels, repeats, boundaries, ids)"
    )
    p.add_argument("--strict", action="store_true", help="exit 1 when any warning is not accepted by a note")
    p.add_argument("--show-noted", action="store_true", help="also list warnings accepted by a span's note")
    p.add_argument(
        "--only",
        action="append",
        choices=sorted(CHECKS),
        metavar="CHECK",
        help="run only this check (repeatable)",
    )
    p.set_defaults(handler=cmd_check)
