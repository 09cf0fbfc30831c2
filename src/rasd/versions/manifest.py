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

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datasets import DatasetInfo

from rasd.core.digest import FileEntry, fingerprint
from rasd.core.errors import RasdError, ReleaseError, VerifyError, VersionError, raise_all
from rasd.core.io import atomic_write_json
from rasd.core.labels import LABELS
from rasd.core.paths import Repo
from rasd.dataset.features import CONFIG_FEATURES
from rasd.versions.gitstore import read_at, tags
from rasd.versions.versioning import Version, parse_version

RELEASES = "releases"
BUILD_MANIFEST = "MANIFEST.json"

ARTEFACT_PATTERNS: tuple[str, ...] = (
    "data/*/*.parquet",
    "README.md",
    "VERSION",
    "CHANGELOG.md",
    BUILD_MANIFEST,
    "croissant.json",
    "images/*.png",
)
"""Generated files of a release, relative to ``dataset/`` (what verify guards)."""

SOURCE_PATTERNS: tuple[str, ...] = ("raw/*", "annotations/*.json")
"""Inputs of a release, relative to ``dataset/`` (recorded for provenance, published with it)."""


@dataclass(frozen=True)
class ReleaseRecord:
    version: Version
    previous: Version | None
    bump: str
    changes: tuple[str, ...]
    labels: tuple[str, ...]
    features_sha256: str
    files: dict[str, FileEntry] = field(default_factory=dict)
    sources: dict[str, FileEntry] = field(default_factory=dict)

    @property
    def all_files(self) -> dict[str, FileEntry]:
        return {**self.files, **self.sources}

    def data_files(self) -> dict[str, FileEntry]:
        return {name: entry for name, entry in self.files.items() if name.startswith("data/")}

    def to_json(self) -> dict[str, Any]:
        return {
            "version": str(self.version),
            "previous": str(self.previous) if self.previous else None,
            "bump": self.bump,
            "changes": list(self.changes),
            "labels": list(self.labels),
            "features_sha256": self.features_sha256,
            "files": {name: dataclasses.asdict(entry) for name, entry in sorted(self.files.items())},
            "sources": {name: dataclasses.asdict(entry) for name, entry in sorted(self.sources.items())},
        }


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
    return {name: fingerprint(repo.dataset_dir / name) for name in matching_files(repo, patterns)}


def record_path(repo: Repo, version: Version) -> Path:
    return repo.dataset_dir / RELEASES / f"{version.tag}.json"


def diff_path(repo: Repo, version: Version) -> Path:
    return repo.dataset_dir / RELEASES / f"{version.tag}.diff.json"


def write_record(repo: Repo, record: ReleaseRecord) -> Path:
    path = record_path(repo, record.version)
    atomic_write_json(path, record.to_json())
    return path


def _entries(data: Any, key: str, shown: str) -> dict[str, FileEntry]:
    raw = data.get(key)
    if not isinstance(raw, dict):
        raise ReleaseError(
            f"{key!r} must be an object of file entries", file=shown, hint="restore the file from git"
        )
    entries = {}
    for name, entry in raw.items():
        try:
            entries[name] = FileEntry(str(entry["sha256"]), int(entry["bytes"]), str(entry["git_blob"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ReleaseError(
                f"entry {name!r} lacks sha256, bytes or git_blob",
                file=shown,
                hint="restore the file from git",
            ) from exc
    return entries


def record_from_json(data: Any, shown: str) -> ReleaseRecord:
    """Parse a release record, raising ``ReleaseError`` naming the file for any malformed part."""
    if not isinstance(data, dict):
        raise ReleaseError(
            "a release record must be a JSON object", file=shown, hint="restore the file from git"
        )
    try:
        version = parse_version(str(data["version"]), file=shown)
        previous = parse_version(str(data["previous"]), file=shown) if data.get("previous") else None
        return ReleaseRecord(
            version=version,
            previous=previous,
            bump=str(data["bump"]),
            changes=tuple(data.get("changes", ())),
            labels=tuple(data["labels"]),
            features_sha256=str(data["features_sha256"]),
            files=_entries(data, "files", shown),
            sources=_entries(data, "sources", shown),
        )
    except KeyError as exc:
        raise ReleaseError(
            f"release record lacks {exc.args[0]!r}", file=shown, hint="restore the file from git"
        ) from exc


def _parse_record_bytes(data: bytes, shown: str) -> ReleaseRecord:
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReleaseError(
            f"cannot read release record: {exc}", file=shown, hint="restore it from git"
        ) from exc
    return record_from_json(parsed, shown)


def load_record(repo: Repo, version: Version) -> ReleaseRecord:
    """The record of ``version``: from ``dataset/releases/``, else from its git tag."""
    path = record_path(repo, version)
    shown = repo.relative(path)
    if path.exists():
        record = _parse_record_bytes(path.read_bytes(), shown)
    else:
        data = read_at(repo.root, version.git_tag, path)
        if data is None:
            raise ReleaseError(
                f"version {version} is not released: no record and no git tag {version.git_tag}",
                file=shown,
                hint="list the releases with `rasd releases`, or fetch the tags (git fetch --tags)",
                version=str(version),
            )
        record = _parse_record_bytes(data, f"{version.git_tag}:{shown}")
    if record.version != version:
        raise ReleaseError(
            f"the record says version {record.version}, its name says {version}",
            file=shown,
            hint="restore the file from git",
        )
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
    path = repo.dataset_dir / "VERSION"
    text = path.read_text(encoding="utf-8") if path.exists() else "0.1.0"
    return parse_version(text, file=repo.relative(path))


def release_of(repo: Repo, version: Version) -> ReleaseRecord | None:
    """The record of ``version`` when it is released, else None (work in progress)."""
    if version not in released_versions(repo):
        return None
    return load_record(repo, version)


# -- immutability -----------------------------------------------------------------------------------


def _differences(
    expected: dict[str, FileEntry], actual: dict[str, FileEntry], release: Version, where: str
) -> list[tuple[str, str]]:
    """``(name, problem)`` for every file that is missing, extra or has other bytes."""
    found = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            found.append((name, f"is missing ({where} lists it)"))
        elif name not in expected:
            found.append((name, f"is not part of release {release}"))
        elif actual[name].sha256 != expected[name].sha256:
            found.append(
                (
                    name,
                    f"differs from release {release} (sha256 {actual[name].sha256[:12]}…, "
                    f"recorded {expected[name].sha256[:12]}…)",
                )
            )
    return found


def check_build(repo: Repo, version_text: str, built_dir: Path, names: Iterable[str]) -> None:
    """Refuse a build that would change the data of an already released version.

    Called by the build before it installs the data files from ``built_dir``.  A
    version without a release record is work in progress and passes.
    """
    version = parse_version(version_text, file="dataset/VERSION")
    record = release_of(repo, version)
    if record is None:
        return
    built = {name: fingerprint(built_dir / name) for name in names}
    problems = _differences(record.data_files(), built, version, repo.relative(record_path(repo, version)))
    if not problems:
        return
    errors: list[RasdError] = [
        ReleaseError(
            f"the build would change released data: it {problem}",
            file=f"dataset/{name}",
            hint=f"version {version} is released and immutable: run `rasd release --bump minor` "
            "(or the bump `rasd diff` says) to release the change as a new version, "
            "or set dataset/VERSION to the next, unreleased version to keep building work in progress",
            version=str(version),
        )
        for name, problem in problems
    ]
    raise_all(errors, summary=f"files would change in released version {version}; nothing was written")


@dataclass
class VerifyReport:
    version: Version
    released: bool
    checked: int = 0
    errors: list[RasdError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _build_manifest_errors(repo: Repo, version: Version) -> tuple[int, list[RasdError]]:
    path = repo.dataset_dir / BUILD_MANIFEST
    shown = repo.relative(path)
    if not path.exists():
        return 0, [VerifyError("no build manifest", file=shown, hint="run `rasd build`")]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        listed = {name: (entry["sha256"], int(entry["bytes"])) for name, entry in manifest["files"].items()}
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        return 0, [VerifyError(f"unreadable build manifest: {exc}", file=shown, hint="run `rasd build`")]
    errors: list[RasdError] = []
    if manifest.get("version") != str(version):
        errors.append(
            VerifyError(
                f"the build manifest is for version {manifest.get('version')}, "
                f"dataset/VERSION says {version}",
                file=shown,
                hint="run `rasd build`",
            )
        )
    on_disk = {n: fingerprint(repo.dataset_dir / n) for n in matching_files(repo, ["data/*/*.parquet"])}
    for name in sorted(set(listed) | set(on_disk)):
        target = repo.dataset_dir / name
        if name not in listed:
            errors.append(
                VerifyError(
                    "data file is not in the build manifest",
                    file=f"dataset/{name}",
                    hint="run `rasd build` (a stale or stray shard)",
                )
            )
        elif not target.exists():
            errors.append(
                VerifyError(
                    "file listed in the build manifest is missing",
                    file=f"dataset/{name}",
                    hint="run `rasd build`, or restore it from git",
                )
            )
        elif fingerprint(target).sha256 != listed[name][0]:
            errors.append(
                VerifyError(
                    "sha256 differs from the build manifest (the file was changed after the build)",
                    file=f"dataset/{name}",
                    hint="restore it from git (git checkout -- FILE) or run `rasd build`",
                )
            )
    return len(listed), errors


def verify(repo: Repo) -> VerifyReport:
    """Check the files on disk against the build manifest and, once released, the release record."""
    version = read_current_version(repo)
    record = release_of(repo, version)
    report = VerifyReport(version=version, released=record is not None)
    report.checked, report.errors = _build_manifest_errors(repo, version)
    if record is None:
        report.notes.append(
            f"version {version} is not released yet (no {repo.relative(record_path(repo, version))}): "
            "checked the build manifest only"
        )
        return report
    actual = fingerprints(repo, ARTEFACT_PATTERNS)
    shown = repo.relative(record_path(repo, version))
    for name, problem in _differences(record.files, actual, version, shown):
        report.errors.append(
            VerifyError(
                problem,
                file=f"dataset/{name}",
                hint=f"restore the released bytes (`rasd checkout {version.tag} DIR` or "
                f"`git checkout {version.git_tag} -- dataset/{name}`), "
                "or release the change with `rasd release`",
            )
        )
    report.checked += len(record.files)
    drift = _differences(record.sources, fingerprints(repo, SOURCE_PATTERNS), version, shown)
    if drift:
        report.notes.append(
            f"{len(drift)} source file(s) changed since {version} (unreleased work, fine until the next "
            f"`rasd release`): "
            + ", ".join(f"dataset/{name}" for name, _ in drift[:5])
            + (" …" if len(drift) > 5 else "")
        )
    return report


def features_changed(record: ReleaseRecord) -> bool:
    return record.features_sha256 != features_fingerprint()


def labels_changed(record: ReleaseRecord) -> bool:
    return tuple(record.labels) != LABELS
