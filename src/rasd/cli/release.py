"""``rasd release | verify | diff | checkout | publish | preview``: versions people can cite.

The library is imported inside each command, when it runs: releases, their
records and the preview import ``datasets`` and pyarrow (about a CPU-second),
which the parser, ``--help`` and the other groups' commands do without.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rasd.cli import report_errors
from rasd.core.errors import RasdErrors
from rasd.core.paths import Repo
from rasd.core.problems.requests import NOTHING_TO_COMPARE
from rasd.versions.staging import finish_interrupted
from rasd.versions.versioning import BUMPS, Version, parse_version

WORKING_NAMES = ("working", "worktree", "HEAD")


def finish_interrupted_release(repo: Repo) -> None:
    """Commands that read releases first finish (or discard) a release a crash interrupted."""
    note = finish_interrupted(repo)
    if note:
        print(f"note: {note}", file=sys.stderr)


def cmd_release(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.pipeline import release  # lazily: the build imports datasets, pyarrow, matplotlib

    result = release(repo, args.bump, tag=args.tag, notes=args.note or "", progress=not args.quiet)
    plan = result.plan
    origin = f"from {plan.previous}" if plan.previous else "first release"
    print(
        f"released {plan.version} ({plan.bump}, {origin}); the changes need at least a "
        f"{plan.diff.to_json()['required_bump']} release"
    )
    print(f"  record: {repo.relative(result.record)}")
    print(
        f"  {len(plan.diff.spans)} span changes, {len(plan.diff.documents)} document changes "
        "(dataset/CHANGELOG.md)"
    )
    if result.tagged:
        print(f"  committed and tagged {plan.version.git_tag} at {result.tagged[:12]}")
    else:
        print(f"  not tagged: commit the release, or rerun with --tag next time ({plan.version.git_tag})")
    return 0


def cmd_verify(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.pipeline import verify  # lazily: the manifest imports datasets

    report = verify(repo)
    for note in report.notes:
        print(f"note: {note}")
    if report.errors:
        report_errors(RasdErrors(report.errors))
        return 1
    state = "released" if report.released else "unreleased"
    print(f"verified: version {report.version} ({state}), {report.checked} file checks, all match")
    return 0


def _version_arg(text: str) -> Version | None:
    return None if text in WORKING_NAMES else parse_version(text)


def cmd_diff(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.versions import changelog  # lazily: these import datasets and pyarrow
    from rasd.versions.diff import diff_snapshots, snapshot_of
    from rasd.versions.manifest import released_versions

    finish_interrupted_release(repo)
    versions = released_versions(repo)
    old_name = args.old or (str(versions[-1]) if versions else None)
    if old_name is None:
        raise NOTHING_TO_COMPARE()
    old = snapshot_of(repo, _version_arg(old_name))
    new = snapshot_of(repo, _version_arg(args.new))
    diff = diff_snapshots(old, new)
    if args.json:
        print(json.dumps(diff.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"# {old.name} → {new.name}\n")
        print(changelog.render_tables(diff))
    return 0


def cmd_checkout(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.versions.checkout import checkout  # lazily: it imports datasets

    finish_interrupted_release(repo)
    version = parse_version(args.version)
    written = checkout(repo, version, Path(args.dir), sources=not args.data_only)
    print(f"checked out {version} into {args.dir}: {len(written)} files, each matching its sha256")
    print(f'  load it with: load_dataset("{args.dir}")')
    return 0


def cmd_publish(args: argparse.Namespace, repo: Repo) -> int:
    # lazily: it imports datasets
    from rasd.versions.publish import plan_publish, publish, token_from_environment

    finish_interrupted_release(repo)
    version = parse_version(args.version) if args.version else None
    plan = plan_publish(repo, args.repo_id, version, private=args.private)
    print(plan.render())
    if args.dry_run:
        print("dry run: nothing was uploaded")
        return 0
    url = publish(repo, plan, token_from_environment(), endpoint=args.endpoint)
    print(f"published {plan.version.tag}: {url}")
    return 0


def cmd_preview(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.dataset.preview import write_preview  # lazily: it imports datasets and pyarrow

    out = write_preview(repo, Path(args.out), released=args.released)
    print(f"wrote {out}")
    return 0


def cmd_releases(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.versions.manifest import load_record, released_versions  # lazily: it imports datasets

    finish_interrupted_release(repo)
    for version in released_versions(repo):
        record = load_record(repo, version)
        print(f"{version}  {record.bump:<5}  from {record.previous or '–'}  {len(record.files)} files")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "release",
        help="release the working annotations as a new version: diff, changelog, build, record, git tag",
    )
    p.add_argument(
        "--bump",
        required=True,
        choices=BUMPS,
        help="label set or schema change: major; spans changed: minor; metadata or card only: patch",
    )
    p.add_argument(
        "--tag", action="store_true", help="commit the release paths and tag the commit dataset-vX.Y.Z"
    )
    p.add_argument("--note", help="a sentence for the changelog entry, above the generated tables")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_release)
    p = subparsers.add_parser(
        "verify", help="check the released files against the build manifest and release record"
    )
    p.set_defaults(handler=cmd_verify)
    p = subparsers.add_parser(
        "diff", help="span-level changes between two versions (default: last release → working)"
    )
    p.add_argument(
        "old", nargs="?", help="a released version (v0.1.0), or 'working' (default: the last release)"
    )
    p.add_argument("new", nargs="?", default="working", help="a released version, or 'working' (the default)")
    p.add_argument("--json", action="store_true", help="the machine-readable diff instead of tables")
    p.set_defaults(handler=cmd_diff)
    p = subparsers.add_parser("checkout", help="recreate a released version in DIR for load_dataset(DIR)")
    p.add_argument("version", help="a released version, e.g. v0.1.0")
    p.add_argument("dir", help="a new or empty folder")
    p.add_argument("--data-only", action="store_true", help="leave out raw/ and annotations/")
    p.set_defaults(handler=cmd_checkout)
    p = subparsers.add_parser(
        "publish", help="upload a released version to the Hugging Face Hub and tag it vX.Y.Z"
    )
    p.add_argument("--repo-id", required=True, help="ORG/NAME of the Hub dataset repository")
    p.add_argument("--version", help="a released version (default: the one in dataset/VERSION)")
    p.add_argument("--private", action="store_true", help="create the repository private")
    p.add_argument(
        "--dry-run", action="store_true", help="print exactly what would be uploaded, upload nothing"
    )
    p.add_argument("--endpoint", help="a Hub-compatible server (default: HF_ENDPOINT or huggingface.co)")
    p.set_defaults(handler=cmd_publish)
    p = subparsers.add_parser("preview", help="one static HTML page of every document with coloured spans")
    p.add_argument(
        "--out", default="build/preview.html", help="the HTML file to write (default: build/preview.html)"
    )
    p.add_argument("--released", action="store_true", help="show the released data instead of the gold files")
    p.set_defaults(handler=cmd_preview)
    p = subparsers.add_parser("releases", help="list the released versions")
    p.set_defaults(handler=cmd_releases)
