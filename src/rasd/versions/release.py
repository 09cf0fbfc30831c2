"""Cutting a release: diff, bump check, build, record, changelog, optional git tag.

``rasd release --bump minor`` compares the working annotations with the last
release (span by span), refuses a bump smaller than that diff needs, sets the
new version, writes the machine-readable diff to ``dataset/releases/`` and the
changelog entry, builds (the card and Croissant then carry the new version),
and writes the release record with the fingerprint of every file.  With
``--tag`` it commits exactly the release's paths and tags that commit
``dataset-vX.Y.Z``.  If anything fails before the record is written, the
version file, changelog and diff file are put back as they were.  A release
with no change since the last one (no document, span, label, schema or card
change) is refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rasd.core.io import atomic_write_text, decode_utf8, read_text
from rasd.core.labels import LABELS
from rasd.core.paths import Repo
from rasd.core.problems.versions import ALREADY_RELEASED, NOTHING_TO_RELEASE
from rasd.dataset.build import BuildReport
from rasd.dataset.card import hand_written
from rasd.formats.records import RELEASES, DiffFile, ReleaseRecord, write_diff, write_record
from rasd.versions import changelog
from rasd.versions.checkout import recover_bytes
from rasd.versions.diff import Diff, diff_snapshots, empty_snapshot, released_snapshot, working_snapshot
from rasd.versions.gitstore import commit_and_tag
from rasd.versions.manifest import (
    ARTEFACT_PATTERNS,
    SOURCE_PATTERNS,
    diff_path,
    features_fingerprint,
    fingerprints,
    latest_release,
    record_path,
    record_version,
)
from rasd.versions.versioning import INITIAL, Version, bumped, check_bump, check_bump_name


@dataclass(frozen=True)
class ReleasePlan:
    previous: Version | None
    version: Version
    bump: str
    diff: Diff

    @property
    def changes(self) -> set[str]:
        return self.diff.change_kinds() or {"card"}


def plan_release(repo: Repo, bump: str) -> ReleasePlan:
    """What ``release --bump`` would do; raise when the inputs are invalid or the bump is too small."""
    check_bump_name(bump)
    latest = latest_release(repo)
    previous = record_version(latest) if latest else None
    old = released_snapshot(repo, previous) if previous else empty_snapshot()
    version = bumped(previous or INITIAL, bump)
    new = dataclasses.replace(working_snapshot(repo), name=str(version))
    plan = ReleasePlan(previous, version, bump, diff_snapshots(old, new))
    if latest and previous and not plan.diff.change_kinds() and not card_changed(repo, previous, latest):
        raise NOTHING_TO_RELEASE(file=repo.relative(repo.card_file), previous=str(previous))
    check_bump(bump, plan.changes)
    if record_path(repo, version).exists():
        raise ALREADY_RELEASED(file=repo.relative(record_path(repo, version)), version=str(version))
    return plan


def card_changed(repo: Repo, previous: Version, record: ReleaseRecord) -> bool:
    """Whether the hand-written parts of the card differ from those of the previous release's README."""
    entry = record.files.get("README.md")
    released = recover_bytes(repo, previous, "README.md", entry) if entry else None
    if released is None:
        return True  # nothing left to compare with: the release may go ahead
    current = read_text(repo.card_file, file=repo.relative(repo.card_file))
    return hand_written(decode_utf8(released, file="dataset/README.md")) != hand_written(current)


def diff_document(plan: ReleasePlan) -> DiffFile:
    """The machine-readable diff file of a release."""
    release = {
        "version": str(plan.version),
        "bump": plan.bump,
        "previous": str(plan.previous) if plan.previous else None,
    }
    return cast(DiffFile, {**release, **plan.diff.to_json()})


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


def changelog_text(repo: Repo, plan: ReleasePlan, notes: str) -> str:
    """``CHANGELOG.md`` with the entry of the planned version on top."""
    path = repo.dataset_dir / "CHANGELOG.md"
    old = read_text(path, file="dataset/CHANGELOG.md") if path.exists() else "# Changelog\n"
    json_name = f"{RELEASES}/{diff_path(repo, plan.version).name}"
    previous = str(plan.previous) if plan.previous else None
    return changelog.add_entry(old, str(plan.version), plan.bump, previous, plan.diff, json_name, notes)


def release_record(repo: Repo, plan: ReleasePlan) -> ReleaseRecord:
    """The record of the release just built: the fingerprint of every file."""
    return ReleaseRecord(
        version=str(plan.version),
        previous=str(plan.previous) if plan.previous else None,
        bump=plan.bump,
        changes=tuple(sorted(plan.changes)),
        labels=LABELS,
        features_sha256=features_fingerprint(),
        files=fingerprints(repo, ARTEFACT_PATTERNS),
        sources=fingerprints(repo, SOURCE_PATTERNS),
    )


def _build_release(repo: Repo, plan: ReleasePlan, build: Builder, notes: str) -> BuildReport:
    """Version file, diff file and changelog, then the build; put the three back if anything fails."""
    version_file = repo.dataset_dir / "VERSION"
    changelog_file = repo.dataset_dir / "CHANGELOG.md"
    diff_file = diff_path(repo, plan.version)
    saved = {
        path: path.read_bytes() if path.exists() else None
        for path in (version_file, changelog_file, diff_file)
    }
    try:
        atomic_write_text(version_file, f"{plan.version}\n")
        write_diff(diff_file, diff_document(plan))
        atomic_write_text(changelog_file, changelog_text(repo, plan, notes))
        return build(repo)
    except BaseException:
        for path, data in saved.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        raise


def cut_release(
    repo: Repo, bump: str, *, build: Builder, tag: bool = False, notes: str = ""
) -> ReleaseResult:
    plan = plan_release(repo, bump)
    report = _build_release(repo, plan, build, notes)
    path = record_path(repo, plan.version)
    write_record(path, release_record(repo, plan))
    result = ReleaseResult(plan, report, path)
    if tag:
        result.tagged = commit_and_tag(
            repo.root, release_paths(repo), f"Release dataset {plan.version.tag}", plan.version.git_tag
        )
    return result
