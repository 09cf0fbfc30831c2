"""Semantic versions of the released dataset and the rules for bumping them.

A dataset is cited by version, so the version must say what kind of change a
reader gets.  The rules are written down once, here, as a table that the
release command, the card and the changelog all read:

- the label set or the schema (the released features) changed: **major**;
- documents or spans changed (added, removed, text, label, boundaries, value,
  tokens): **minor**;
- document metadata, the card or other prose only: **patch**.

``rasd release`` refuses a bump smaller than the one its diff needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasd.core.problems.versions import BUMP_TOO_SMALL, NO_BUMP_RULE, NOT_A_VERSION, UNKNOWN_BUMP

BUMPS: tuple[str, ...] = ("patch", "minor", "major")
"""Bump levels, smallest first (their index is their rank)."""

_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


@dataclass(frozen=True, order=True)
class Version:
    """``MAJOR.MINOR.PATCH``; ordered, so the newest release is ``max(...)``."""

    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def tag(self) -> str:
        """The Hub tag (``load_dataset(..., revision="v1.2.0")``) and record name."""
        return f"v{self}"

    @property
    def git_tag(self) -> str:
        """The git tag of the release commit in this repository."""
        return f"dataset-v{self}"


INITIAL = Version(0, 0, 0)
"""The version before the first release: the first ``--bump minor`` gives 0.1.0."""


def parse_version(text: str, *, file: str | None = None) -> Version:
    """Parse ``1.2.3`` (or ``v1.2.3``, ``dataset-v1.2.3``); raise ``VersionError`` naming the source."""
    cleaned = text.strip().removeprefix("dataset-").removeprefix("v")
    match = _SEMVER.match(cleaned)
    if not match:
        raise NOT_A_VERSION(file=file, shown=text.strip(), version=text)
    return Version(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def check_bump_name(name: str) -> str:
    if name not in BUMPS:
        raise UNKNOWN_BUMP(bump=name, choices=", ".join(BUMPS))
    return name


def bump_rank(name: str) -> int:
    return BUMPS.index(check_bump_name(name))


def bumped(version: Version, bump: str) -> Version:
    """The next version after ``version`` for a ``bump`` (lower parts reset to 0)."""
    rank = bump_rank(bump)
    if rank == 2:
        return Version(version.major + 1, 0, 0)
    if rank == 1:
        return Version(version.major, version.minor + 1, 0)
    return Version(version.major, version.minor, version.patch + 1)


@dataclass(frozen=True)
class BumpRule:
    """One kind of change (a key the diff reports) and the bump it needs."""

    change: str
    bump: str
    meaning: str


BUMP_RULES: tuple[BumpRule, ...] = (
    BumpRule(
        "label-set", "major", "the label set changed (names or their order, i.e. the ClassLabel integers)"
    ),
    BumpRule("schema", "major", "the released features (columns or their types) changed"),
    BumpRule("document-added", "minor", "documents were added"),
    BumpRule("document-removed", "minor", "documents were removed"),
    BumpRule("text-changed", "minor", "a document's text changed"),
    BumpRule("tokens-changed", "minor", "a document's tokens or BIO tags changed"),
    BumpRule("span-added", "minor", "spans were added"),
    BumpRule("span-removed", "minor", "spans were removed"),
    BumpRule("span-relabelled", "minor", "a span's label changed"),
    BumpRule("span-boundary-moved", "minor", "a span's start or end changed"),
    BumpRule("span-value-changed", "minor", "a span's normalised value changed"),
    BumpRule("metadata-changed", "patch", "a document's metadata (title, outlet, url, ...) changed"),
    BumpRule("card", "patch", "the card or other prose only"),
)
RULE_BY_CHANGE: dict[str, BumpRule] = {rule.change: rule for rule in BUMP_RULES}


def required_bump(changes: set[str]) -> str:
    """The smallest bump allowed for a set of change kinds (``patch`` when nothing needs more)."""
    unknown = sorted(changes - set(RULE_BY_CHANGE))
    if unknown:
        raise NO_BUMP_RULE(change=unknown[0])
    ranks = [bump_rank(RULE_BY_CHANGE[c].bump) for c in changes]
    return BUMPS[max(ranks, default=0)]


def check_bump(requested: str, changes: set[str]) -> None:
    """Refuse a bump smaller than the changes need, naming the changes that need more."""
    needed = required_bump(changes)
    if bump_rank(requested) >= bump_rank(needed):
        return
    reasons = sorted(
        (
            RULE_BY_CHANGE[c].meaning
            for c in changes
            if bump_rank(RULE_BY_CHANGE[c].bump) > bump_rank(requested)
        ),
    )
    raise BUMP_TOO_SMALL(requested=requested, reasons="; ".join(reasons), needed=needed)


def rules_table() -> list[list[object]]:
    """The bump rules as table rows, for the card and the docs."""
    return [[rule.change, rule.bump, rule.meaning] for rule in BUMP_RULES]
