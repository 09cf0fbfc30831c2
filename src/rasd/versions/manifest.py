"""Release records: the immutable fingerprint of each released version, and ``verify``.

``dataset/releases/vX.Y.Z.json`` is written once, by ``rasd release``.  It
records the version, the bump and why, the label set and a fingerprint of the
released features, and for every released file its sha256, size and git blob
id: the *artefacts* (parquet data, README, Croissant, chart, changelog, ...)
and the *sources* they were built from (raw articles, gold annotations).

A version is *released* exactly when its record exists.  From then on its data
may not change: the build refuses to install data files that differ from the
record (``check_build``), and ``rasd verify`` compares the files on disk with it.
A version without a record is work in progress and may be rebuilt freely.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from datasets import DatasetInfo

from rasd.core.digest import FileEntry, fingerprint
from rasd.core.errors import RasdError, VersionError, raise_all
from rasd.core.paths import Repo
from rasd.core.problems.versions import (
    BUILD_WOULD_CHANGE_RELEASE,
    DIFFERS_FROM_MANIFEST,
    DIFFERS_FROM_RELEASE,
    MANIFEST_OTHER_VERSION,
    MISSING_FROM_MANIFEST,
    MISSING_FROM_RELEASE,
    NO_BUILD_MANIFEST,
    NOT_IN_MANIFEST,
    NOT_IN_RELEASE,
    NOT_RELEASED,
    RECORD_WRONG_VERSION,
)
from rasd.dataset.features import CONFIG_FEATURES
from rasd.dataset.versionfile import VERSION_FILE, read_version
from rasd.formats.records import (
    MANIFEST_FILE,
    RELEASES,
    BuildManifest,
    ReleaseRecord,
    loads_record,
    read_manifest,
    read_record,
)
from rasd.versions.gitstore import read_at, tags
from rasd.versions.versioning import Version, parse_version

ARTEFACT_PATTERNS: tuple[str, ...] = (
    "data/*/*.parquet",
    "README.md",
    "VERSION",
    "CHANGELOG.md",
    MANIFEST_FILE,
    "croissant.json",
    "images/*.png",
)
"""Generated files of a release, relative to ``dataset/`` (what verify guards)."""

SOURCE_PATTERNS: tuple[str, ...] = ("raw/*", "annotations/*.json")
"""Inputs of a release, relative to ``dataset/`` (recorded for provenance, published with it)."""


def features_fingerprint() -> str:
    """sha256 of the released features of every config (their YAML form, labels included)."""
    features = {
        name: DatasetInfo(features=f)._to_yaml_dict()["features"] for name, f in CONFIG_FEATURES.items()
    }
    return hashlib.sha256(json.dumps(features, sort_keys=True).encode()).hexdigest()


def matching_files(repo: Repo, patterns: Iterable[str]) -> list[str]:
    """Existing files under ``dataset/`` matching ``patterns``, as sorted relative names."""
    names = {
        path.relative_to(repo.dataset_dir).as_posix()
        for pattern in patterns
        for path in repo.dataset_dir.glob(pattern)
        if path.is_file() and not path.name.startswith(".")
    }
    return sorted(names)


def fingerprints(repo: Repo, patterns: Iterable[str]) -> dict[str, FileEntry]:
    return {
        name: fingerprint(repo.dataset_dir / name, file=f"dataset/{name}")
        for name in matching_files(repo, patterns)
    }


def record_path(repo: Repo, version: Version) -> Path:
    return repo.dataset_dir / RELEASES / f"{version.tag}.json"


def diff_path(repo: Repo, version: Version) -> Path:
    return repo.dataset_dir / RELEASES / f"{version.tag}.diff.json"


def record_version(record: ReleaseRecord) -> Version:
    """The version a (checked) record is of."""
    return parse_version(record.version)


def previous_version(record: ReleaseRecord) -> Version | None:
    return parse_version(record.previous) if record.previous else None


def _read_record_somewhere(repo: Repo, version: Version) -> ReleaseRecord:
    path = record_path(repo, version)
    shown = repo.relative(path)
    if path.exists():
        return read_record(path, file=shown)
    data = read_at(repo.root, version.git_tag, path)
    if data is None:
        raise NOT_RELEASED(file=shown, version=str(version), git_tag=version.git_tag)
    return loads_record(data, file=f"{version.git_tag}:{shown}")


def load_record(repo: Repo, version: Version) -> ReleaseRecord:
    """The record of ``version``: from ``dataset/releases/``, else from its git tag."""
    record = _read_record_somewhere(repo, version)
    shown = repo.relative(record_path(repo, version))
    recorded = parse_version(record.version, file=shown)
    if recorded != version:
        raise RECORD_WRONG_VERSION(file=shown, recorded=str(recorded), version=str(version))
    if record.previous:
        parse_version(record.previous, file=shown)
    return record


def released_versions(repo: Repo) -> list[Version]:
    """Every released version, from the records in the tree and the ``dataset-v*`` git tags."""
    found: set[Version] = set()
    folder = repo.dataset_dir / RELEASES
    for path in folder.glob("v*.json"):
        if not path.name.endswith(".diff.json"):
            found.add(parse_version(path.name.removesuffix(".json"), file=repo.relative(path)))
    for tag in tags(repo.root, "dataset-v*"):
        try:
            found.add(parse_version(tag))
        except VersionError:
            continue  # a tag that merely starts like ours is not a release
    return sorted(found)


def latest_release(repo: Repo) -> ReleaseRecord | None:
    versions = released_versions(repo)
    return load_record(repo, versions[-1]) if versions else None


def read_current_version(repo: Repo) -> Version:
    """``dataset/VERSION`` parsed (absent means 0.1.0, the foundation's default)."""
    return parse_version(read_version(repo), file=repo.relative(repo.dataset_dir / VERSION_FILE))


def release_of(repo: Repo, version: Version) -> ReleaseRecord | None:
    """The record of ``version`` when it is released, else None (work in progress)."""
    if version not in released_versions(repo):
        return None
    return load_record(repo, version)


# -- immutability -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One file that is ``missing``, ``extra`` or ``changed`` against what was recorded."""

    name: str
    kind: str
    actual: str = ""
    recorded: str = ""


def differences(expected: dict[str, FileEntry], actual: dict[str, FileEntry]) -> list[Difference]:
    """Every file that is missing, extra or has other bytes, in name order."""
    found = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            found.append(Difference(name, "missing"))
        elif name not in expected:
            found.append(Difference(name, "extra"))
        elif actual[name].sha256 != expected[name].sha256:
            found.append(Difference(name, "changed", actual[name].sha256[:12], expected[name].sha256[:12]))
    return found


_DIFFERENCE_ENTRIES = {
    "missing": MISSING_FROM_RELEASE,
    "extra": NOT_IN_RELEASE,
    "changed": DIFFERS_FROM_RELEASE,
}


def _difference_values(difference: Difference, version: Version, where: str) -> dict[str, str]:
    return {
        "where": where,
        "version": str(version),
        "actual": difference.actual,
        "recorded": difference.recorded,
        "tag": version.tag,
        "git_tag": version.git_tag,
        "path": f"dataset/{difference.name}",
    }


def describe(difference: Difference, version: Version, where: str) -> str:
    """The difference in words: ``is missing (...)``, ``is not part of release ...``, ``differs ...``."""
    entry = _DIFFERENCE_ENTRIES[difference.kind]
    return entry.template.format(**_difference_values(difference, version, where))


def iter_release_problems(
    expected: dict[str, FileEntry], actual: dict[str, FileEntry], version: Version, where: str
) -> Iterator[RasdError]:
    """A ``VerifyError`` for every generated file that is not as released."""
    for difference in differences(expected, actual):
        entry = _DIFFERENCE_ENTRIES[difference.kind]
        yield entry(file=f"dataset/{difference.name}", **_difference_values(difference, version, where))


def check_build(repo: Repo, version_text: str, built_dir: Path, names: Iterable[str]) -> None:
    """Refuse a build that would change the data of an already released version.

    Called by the build (a ``BuildGuard``) before it installs the data files from
    ``built_dir``.  A version without a release record is work in progress and passes.
    """
    version = parse_version(version_text, file="dataset/VERSION")
    record = release_of(repo, version)
    if record is None:
        return
    built = {name: fingerprint(built_dir / name) for name in names}
    where = repo.relative(record_path(repo, version))
    errors = [
        BUILD_WOULD_CHANGE_RELEASE(
            file=f"dataset/{d.name}", difference=describe(d, version, where), version=str(version)
        )
        for d in differences(record.data_files(), built)
    ]
    raise_all(errors, summary=f"files would change in released version {version}; nothing was written")


@dataclass
class VerifyReport:
    version: Version
    released: bool
    checked: int = 0
    errors: list[RasdError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def iter_manifest_problems(repo: Repo, version: Version, manifest: BuildManifest) -> Iterator[RasdError]:
    """Every data file that is not as the build manifest says, and a manifest of another version."""
    shown = repo.relative(repo.dataset_dir / MANIFEST_FILE)
    if manifest.version != str(version):
        yield MANIFEST_OTHER_VERSION(file=shown, recorded=manifest.version, version=str(version))
    listed = manifest.files
    on_disk = matching_files(repo, ["data/*/*.parquet"])
    for name in sorted(set(listed) | set(on_disk)):
        target = repo.dataset_dir / name
        if name not in listed:
            yield NOT_IN_MANIFEST(file=f"dataset/{name}")
        elif not target.exists():
            yield MISSING_FROM_MANIFEST(file=f"dataset/{name}")
        elif fingerprint(target, file=f"dataset/{name}").sha256 != listed[name].sha256:
            yield DIFFERS_FROM_MANIFEST(file=f"dataset/{name}")


def _build_manifest_errors(repo: Repo, version: Version) -> tuple[int, list[RasdError]]:
    path = repo.dataset_dir / MANIFEST_FILE
    shown = repo.relative(path)
    if not path.exists():
        return 0, [NO_BUILD_MANIFEST(file=shown)]
    try:
        manifest = read_manifest(path, file=shown)
    except RasdError as error:
        return 0, [error]
    return len(manifest.files), list(iter_manifest_problems(repo, version, manifest))


def iter_version_problems(repo: Repo) -> Iterator[RasdError]:
    """``dataset/VERSION`` is a version and the build manifest matches the data (for ``rasd validate``)."""
    try:
        version = read_current_version(repo)
    except RasdError as error:
        yield error
        return
    yield from _build_manifest_errors(repo, version)[1]


def _source_drift_note(drift: list[Difference], version: Version) -> str:
    names = ", ".join(f"dataset/{d.name}" for d in drift[:5]) + (" …" if len(drift) > 5 else "")
    return (
        f"{len(drift)} source file(s) changed since {version} (unreleased work, fine until the next "
        f"`rasd release`): {names}"
    )


def verify(repo: Repo) -> VerifyReport:
    """Check the files on disk against the build manifest and, once released, the release record."""
    version = read_current_version(repo)
    record = release_of(repo, version)
    report = VerifyReport(version=version, released=record is not None)
    report.checked, report.errors = _build_manifest_errors(repo, version)
    where = repo.relative(record_path(repo, version))
    if record is None:
        report.notes.append(
            f"version {version} is not released yet (no {where}): checked the build manifest only"
        )
        return report
    actual = fingerprints(repo, ARTEFACT_PATTERNS)
    report.errors += iter_release_problems(record.files, actual, version, where)
    report.checked += len(record.files)
    drift = differences(record.sources, fingerprints(repo, SOURCE_PATTERNS))
    if drift:
        report.notes.append(_source_drift_note(drift, version))
    return report
