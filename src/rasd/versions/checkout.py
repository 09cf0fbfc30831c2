"""Recovering the exact files of a released version into a folder.

``rasd checkout v0.2.0 DIR`` writes every file of the release (parquet data,
README with its YAML configs, Croissant, chart, changelog, raw articles and
gold annotations) into ``DIR``, so that ``load_dataset(DIR)`` gives exactly that
version.  Each file's bytes come from wherever they still exist, checked
against the sha256 in the release record:

1. the working tree, when the file there still has the released bytes;
2. git, by the blob id in the record (any clone whose history has the release);
3. git, at the release tag ``dataset-vX.Y.Z``.

``diff`` and ``publish`` use the same recovery, so they work in a clean clone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from rasd.core.digest import FileEntry, sha256_bytes
from rasd.core.errors import RasdError, raise_all
from rasd.core.io import atomic_write_bytes, read_bytes
from rasd.core.paths import Repo
from rasd.core.problems.requests import FOLDER_NOT_EMPTY
from rasd.core.problems.versions import UNRECOVERABLE
from rasd.formats.records import RELEASES, ReleaseRecord
from rasd.versions.gitstore import read_at, read_blob
from rasd.versions.manifest import diff_path, load_record, record_path, record_version, released_versions
from rasd.versions.versioning import Version


def _matches(data: bytes | None, entry: FileEntry) -> bool:
    return data is not None and sha256_bytes(data) == entry.sha256


def recover_bytes(repo: Repo, version: Version, name: str, entry: FileEntry) -> bytes | None:
    """The released bytes of ``dataset/NAME`` in ``version``, or None when nothing has them any more."""
    path = repo.dataset_dir / name
    if path.is_file() and path.stat().st_size == entry.bytes:
        data: bytes | None = read_bytes(path, file=f"dataset/{name}")
        if _matches(data, entry):
            return data
    for found in (read_blob(repo.root, entry.git_blob), read_at(repo.root, version.git_tag, path)):
        if _matches(found, entry):
            return found
    return None


def materialise(repo: Repo, record: ReleaseRecord, target: Path, names: Iterable[str]) -> list[str]:
    """Write the named files of ``record`` under ``target``; raise every file that cannot be recovered."""
    entries = record.all_files
    version = record_version(record)
    errors: list[RasdError] = []
    written = []
    for name in sorted(names):
        data = recover_bytes(repo, version, name, entries[name])
        if data is None:
            errors.append(UNRECOVERABLE(file=f"dataset/{name}", version=str(version)))
            continue
        atomic_write_bytes(target / name, data)
        written.append(name)
    raise_all(errors, summary=f"files of release {record.version} cannot be recovered")
    return written


def iter_checkout_problems(repo: Repo) -> Iterator[RasdError]:
    """An error for every file of every recorded release whose bytes nothing keeps any more."""
    for version in released_versions(repo):
        record = load_record(repo, version)
        for name, entry in sorted(record.all_files.items()):
            if recover_bytes(repo, version, name, entry) is None:
                yield UNRECOVERABLE(file=f"dataset/{name}", version=str(version))


def release_history_files(repo: Repo, version: Version) -> dict[str, bytes]:
    """``releases/`` records and diffs of every version up to ``version`` (provenance for the copy)."""
    files: dict[str, bytes] = {}
    for older in released_versions(repo):
        if older > version:
            continue
        for path in (record_path(repo, older), diff_path(repo, older)):
            shown = repo.relative(path)
            data = read_bytes(path, file=shown) if path.exists() else read_at(repo.root, older.git_tag, path)
            if data is not None:
                files[f"{RELEASES}/{path.name}"] = data
    return files


def checkout(repo: Repo, version: Version, target: Path, *, sources: bool = True) -> list[str]:
    """Recreate release ``version`` in ``target`` (empty or absent); return the files written."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FOLDER_NOT_EMPTY(file=str(target), target=str(target))
    record = load_record(repo, version)
    names = list(record.all_files) if sources else list(record.files)
    written = materialise(repo, record, target, names)
    for name, data in sorted(release_history_files(repo, version).items()):
        atomic_write_bytes(target / name, data)
        written.append(name)
    return written
