"""``rasd build | validate | stats | migrate``: the dataset's main job.

The library is imported inside each command, when it runs: the build and the
released data import ``datasets``, pyarrow and matplotlib (about a CPU-second),
which the parser, ``--help`` and the other groups' commands do without.
"""

from __future__ import annotations

import argparse
import sys

from rasd.cli import report_errors
from rasd.cli.options import add_engine_command, positive_int
from rasd.core.engine import DOCUMENTS_PER_TASK, EngineSpec, engine_from_env
from rasd.core.errors import RasdError, RasdErrors
from rasd.core.paths import Repo
from rasd.core.problems.requests import NO_RELEASED_DATA


def cmd_build(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.dataset.build import BuildOptions  # lazily: the build imports datasets, pyarrow, matplotlib
    from rasd.formats.gold import STATUSES
    from rasd.pipeline import build

    spec = engine_from_env(args.engine, args.workers, args.address)
    options = BuildOptions(spec=spec, batch=args.batch, cache=not args.no_cache)
    report = build(repo, progress=not args.quiet, options=options)
    statuses = ", ".join(f"{report.statuses[s]} {s}" for s in STATUSES if report.statuses[s])
    print(f"built {report.documents} documents ({statuses}), version {report.version}")
    print(f"  {report.recomputed} documents computed, {report.cached} from the cache")
    for name in report.changed:
        print(f"  wrote {name}")
    if not report.changed:
        print("  nothing changed")
    return 0


def collect_problems(repo: Repo, spec: EngineSpec | None = None) -> list[RasdError]:
    """Inputs (raw, metadata, gold) through the build's own checks, the released data, its version."""
    from rasd.dataset.build import check_inputs  # lazily: these import datasets and pyarrow
    from rasd.dataset.released import validate_released
    from rasd.versions.manifest import iter_version_problems

    errors = check_inputs(repo, spec=spec)
    errors += validate_released(repo)
    errors += iter_version_problems(repo)
    return errors


def cmd_validate(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.dataset.storycheck import iter_cluster_disagreements  # lazily: it imports numpy and rensa

    errors = collect_problems(repo, engine_from_env(args.engine, args.workers, args.address))
    warnings = list(iter_cluster_disagreements(repo))
    for warning in warnings:
        print(f"{warning.kind}[{warning.code}]: {warning}", file=sys.stderr)
    if errors:
        report_errors(RasdErrors(errors))
        return 1
    print("valid: raw files, metadata, gold annotations and released data")
    if warnings:
        print(f"{len(warnings)} warnings: near-copies whose gold disagrees (see above)")
    return 0


def cmd_stats(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.dataset.stats import compute_stats  # lazily: it imports pyarrow

    stats = compute_stats(repo.data_dir)
    if not stats.documents:
        raise NO_RELEASED_DATA()
    print(stats.table())
    print()
    print(stats.label_table())
    return 0


def cmd_migrate(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.gold.annotations import migrate  # lazily: it imports the JSON Schema validators

    report = migrate(repo)
    for doc_id in report.migrated:
        print(f"migrated {doc_id}")
    if report.unplaced:
        report_errors(
            RasdErrors(report.unplaced, summary="spans could not be carried over; files left unchanged")
        )
        return 1
    if not report.migrated:
        print("every annotation file matches its text: nothing to migrate")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    summary = "raw articles + gold annotations -> validated release in dataset/"
    p = add_engine_command(subparsers, "build", summary, tail=" (only changed documents are recomputed).")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--no-cache", action="store_true", help="a cold build: ignore and keep no per-document cache"
    )
    p.add_argument(
        "--batch",
        type=positive_int,
        default=DOCUMENTS_PER_TASK,
        metavar="N",
        help=f"documents per engine task (default {DOCUMENTS_PER_TASK})",
    )
    p.set_defaults(handler=cmd_build)
    summary = "report every problem in inputs and released data (exit 1 if any)"
    p = add_engine_command(subparsers, "validate", summary)
    p.set_defaults(handler=cmd_validate)
    p = subparsers.add_parser("stats", help="documents, tokens and spans per label of the released data")
    p.set_defaults(handler=cmd_stats)
    p = subparsers.add_parser(
        "migrate", help="re-anchor gold spans after a cleaning change altered a document's text"
    )
    p.set_defaults(handler=cmd_migrate)
