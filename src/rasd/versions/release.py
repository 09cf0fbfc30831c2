"""Cutting a release: diff, bump check, build, record, changelog, optional git tag.

``rasd release --bump minor`` compares the working annotations with the last
release (span by span), refuses a bump smaller than that diff needs, sets the
new version, writes the machine-readable diff to ``dataset/releases/`` and the
changelog entry, builds (the card and Croissant then carry the new version),
and writes the release record with the fingerprint of every file.  With
``--tag`` it commits exactly the release's paths and tags that commit
``dataset-vX.Y.Z``.  If anything fails before the record is written, the
version file, changelog and diff file are put back as they were.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.core.errors import ReleaseError
from rasd.core.io import atomic_write_json, atomic_write_text
from rasd.core.labels import LABELS
from rasd.core.paths import Repo
from rasd.dataset.build import BuildReport
from rasd.versions import changelog
from rasd.versions.diff import Diff, diff_snapshots, empty_snapshot, released_snapshot, working_snapshot
from rasd.versions.gitstore import commit_and_tag
from rasd.versions.manifest import (
    ARTEFACT_PATTERNS,
    RELEASES,
    SOURCE_PATTERNS,
    ReleaseRecord,
    diff_path,
    features_fingerprint,
    fingerprints,
    latest_release,
    record_path,
    write_record,
)
from rasd.versions.versioning import INITIAL, Version, bumped, check_bump, check_bump_name


@dataclass(frozen=True)
class ReleasePlan:
    previous: ReleaseRecord | None
    version: Version
    bump: str
    diff: Diff

    @property
    def changes(self) -> set[str]:
        return self.diff.change_kinds() or {"card"}


def plan_release(repo: Repo, bump: str) -> ReleasePlan:
    """What ``release --bump`` would do; raise when the inputs are invalid or the bump is too small."""
    check_bump_name(bump)
    previous = latest_release(repo)
    old = released_snapshot(repo, previous.version) if previous else empty_snapshot()
    version = bumped(previous.version if previous else INITIAL, bump)
    new = dataclasses.replace(working_snapshot(repo), name=str(version))
    diff = diff_snapshots(old, new)
    plan = ReleasePlan(previous, version, bump, diff)
    check_bump(bump, plan.changes)
    if record_path(repo, version).exists():
        raise ReleaseError(
            f"version {version} already has a release record",
            file=repo.relative(record_path(repo, version)),
            hint="released versions are immutable; restore dataset/releases from git",
        )
    return plan


def diff_document(plan: ReleasePlan) -> dict[str, Any]:
    """The machine-readable diff file of a release."""
    return {
        "version": str(plan.version),
        "bump": plan.bump,
        "previous": str(plan.previous.version) if plan.previous else None,
        **plan.diff.to_json(),
    }


@dataclass
class ReleaseResult:
    plan: ReleasePlan
    build: BuildReport
    record: Path
    tagged: str | None = None


def release_paths(repo: Repo) -> list[Path]:
    """What a release commit contains: the dataset folder, the card and the schemas."""
    return [repo.dataset_dir, repo.card_file, repo.schema_dir]


Builder = Callable[[Repo], BuildReport]
"""The full build (``rasd.pipeline.build``): this layer cannot import it, so it is passed in."""


def cut_release(
    repo: Repo, bump: str, *, build: Builder, tag: bool = False, notes: str = ""
) -> ReleaseResult:
    plan = plan_release(repo, bump)
    version_file = repo.dataset_dir / "VERSION"
    changelog_file = repo.dataset_dir / "CHANGELOG.md"
    diff_file = diff_path(repo, plan.version)
    saved = {
        path: path.read_bytes() if path.exists() else None
        for path in (version_file, changelog_file, diff_file)
    }
    try:
        atomic_write_text(version_file, f"{plan.version}\n")
        atomic_write_json(diff_file, diff_document(plan))
        old_log = changelog_file.read_text(encoding="utf-8") if changelog_file.exists() else "# Changelog\n"
        json_name = f"{RELEASES}/{diff_file.name}"
        previous = str(plan.previous.version) if plan.previous else None
        atomic_write_text(
            changelog_file,
            changelog.add_entry(old_log, str(plan.version), bump, previous, plan.diff, json_name, notes),
        )
        report = build(repo)
    except BaseException:
        for path, data in saved.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        raise
    record = ReleaseRecord(
        version=plan.version,
        previous=plan.previous.version if plan.previous else None,
        bump=bump,
        changes=tuple(sorted(plan.changes)),
        labels=LABELS,
        features_sha256=features_fingerprint(),
        files=fingerprints(repo, ARTEFACT_PATTERNS),
        sources=fingerprints(repo, SOURCE_PATTERNS),
    )
    result = ReleaseResult(plan, report, write_record(repo, record))
    if tag:
        result.tagged = commit_and_tag(
            repo.root, release_paths(repo), f"Release dataset {plan.version.tag}", plan.version.git_tag
        )
    return result
