"""Cutting a release: diff, bump check, build, record, changelog, optional git tag.

``rasd release --bump minor`` compares the working annotations with the last
release (span by span), refuses a bump smaller than that diff needs, sets the
new version, writes the machine-readable diff to ``dataset/releases/`` and the
changelog entry, builds (the card and Croissant then carry the new version),
and writes the release record with the fingerprint of every file.  With
``--tag`` it commits exactly the release's paths and tags that commit
``dataset-vX.Y.Z``.  The record carries the inter-annotator agreement
(``agreement``: span F1 per label, token kappa, doubly-annotated documents).

Releases are never lost (issue #8):

- a release with no change (no document, span, label, schema or card change,
  and no new annotator work in ``annotations/by_annotator/`` or agreement
  figures, since the last release) is refused;
- while the previous release is neither committed nor tagged, a new release is
  refused (building it would overwrite the previous release's files while
  nothing else keeps them); the error says to commit it, or to use ``--tag``;
- everything is prepared in a staging copy and made visible in one step, and a
  release interrupted at any point (even by ``kill -9``) is either finished or
  discarded by the next command, never half-applied (``rasd.versions.staging``).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rasd.core.faults import fault_point
from rasd.core.io import atomic_write_text, decode_utf8, read_text
from rasd.core.labels import LABELS
from rasd.core.paths import Repo
from rasd.core.problems.versions import ALREADY_RELEASED, NOTHING_TO_RELEASE, PREVIOUS_NOT_KEPT
from rasd.dataset.build import BuildReport
from rasd.dataset.card import hand_written
from rasd.dataset.versionfile import write_version
from rasd.formats.records import (
    RELEASES,
    AgreementRecord,
    DiffFile,
    ReleaseRecord,
    write_diff,
    write_record,
)
from rasd.gold.agreement import NO_ANNOTATOR_WORK, repo_agreement
from rasd.versions import changelog
from rasd.versions.checkout import recover_bytes
from rasd.versions.diff import Diff, diff_snapshots, empty_snapshot, released_snapshot, working_snapshot
from rasd.versions.gitstore import commit_and_tag, read_at, tags
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
from rasd.versions.staging import finish_interrupted, make_visible, stage
from rasd.versions.versioning import INITIAL, Version, bumped, check_bump, check_bump_name


@dataclass(frozen=True)
class ReleasePlan:
    previous: Version | None
    version: Version
    bump: str
    diff: Diff
    agreement: AgreementRecord | None = None

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
    agreement = repo_agreement(repo)
    plan = ReleasePlan(previous, version, bump, diff_snapshots(old, new), agreement)
    if (
        latest
        and previous
        and not plan.diff.change_kinds()
        and not card_changed(repo, previous, latest)
        and not agreement_changed(latest.agreement, agreement)
    ):
        raise NOTHING_TO_RELEASE(file=repo.relative(repo.card_file), previous=str(previous))
    check_bump(bump, plan.changes)
    if record_path(repo, version).exists():
        raise ALREADY_RELEASED(file=repo.relative(record_path(repo, version)), version=str(version))
    return plan


def agreement_changed(released: AgreementRecord | None, current: AgreementRecord) -> bool:
    """Whether annotators' work (``annotations/by_annotator/``) or its agreement figures changed.

    A release recorded before agreement was measured counts as having none: it
    changed once some annotator work exists.
    """
    if released is None:
        return bool(current["documents"]) or current["by_annotator_sha256"] != NO_ANNOTATOR_WORK
    return dict(released) != dict(current)


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
        agreement=plan.agreement if plan.agreement is not None else repo_agreement(repo),
    )


def previous_is_kept(repo: Repo, previous: Version) -> bool:
    """Whether git keeps the previous release: its tag exists, or its record is committed as it is."""
    if tags(repo.root, previous.git_tag):
        return True
    path = record_path(repo, previous)
    committed = read_at(repo.root, "HEAD", path)
    return committed is not None and path.exists() and committed == path.read_bytes()


def _prepare(staged: Repo, plan: ReleasePlan, build: Builder, notes: str) -> BuildReport:
    """The whole release in the staging copy: version, diff, changelog, build, record."""
    write_version(staged, str(plan.version))
    write_diff(diff_path(staged, plan.version), diff_document(plan))
    atomic_write_text(staged.dataset_dir / "CHANGELOG.md", changelog_text(staged, plan, notes))
    report = build(staged)
    fault_point("built")
    write_record(record_path(staged, plan.version), release_record(staged, plan))
    fault_point("recorded")
    return report


def cut_release(
    repo: Repo, bump: str, *, build: Builder, tag: bool = False, notes: str = ""
) -> ReleaseResult:
    """Plan, prepare in a staging copy, make visible in one step (see ``rasd.versions.staging``), tag."""
    finish_interrupted(repo)
    plan = plan_release(repo, bump)
    if plan.previous and not previous_is_kept(repo, plan.previous):
        raise PREVIOUS_NOT_KEPT(
            file=repo.relative(record_path(repo, plan.previous)),
            previous=str(plan.previous),
            version=str(plan.version),
        )
    staged = stage(repo)
    fault_point("staged")
    try:
        report = _prepare(staged, plan, build, notes)
    except BaseException:
        shutil.rmtree(staged.root, ignore_errors=True)
        raise
    make_visible(repo, staged, str(plan.version))
    result = ReleaseResult(plan, report, record_path(repo, plan.version))
    if tag:
        result.tagged = commit_and_tag(
            repo.root, release_paths(repo), f"Release dataset {plan.version.tag}", plan.version.git_tag
        )
    return result
