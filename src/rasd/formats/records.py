"""The files that record builds and releases: one typed reader and one writer each.

- ``dataset/MANIFEST.json``: ``read_manifest`` / ``write_manifest``, a ``BuildManifest``;
- ``dataset/releases/vX.Y.Z.json``: ``read_record`` (``loads_record`` for bytes from
  git) / ``write_record``, a ``ReleaseRecord``;
- ``dataset/releases/vX.Y.Z.diff.json``: ``read_diff`` / ``write_diff``, a ``DiffFile``.

Readers parse strictly (``rasd.core.io``: repeated keys and NaN refused, every
OS error named), check the structure (a size is an integer: ``65.0`` and
``true`` are not) and name the file in every error; a record read from git
(``loads_record``) names the tag.  Versions stay strings here: what a version
means is ``rasd.versions``' business.  Writers write atomically and return
whether the file changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, TypeGuard, cast

from rasd.core.digest import FileEntry
from rasd.core.errors import RasdError
from rasd.core.io import atomic_write_json, decode_utf8, loads_json, read_bytes
from rasd.core.problems.versions import (
    RECORD_BAD_ENTRY,
    RECORD_ENTRIES_NOT_OBJECT,
    RECORD_LACKS_KEY,
    RECORD_NOT_OBJECT,
    RECORD_UNREADABLE,
    RECORD_WRONG_TYPE,
)

MANIFEST_FILE = "MANIFEST.json"
"""The build manifest, relative to ``dataset/``."""
RELEASES = "releases"
"""The folder of release records and diffs, relative to ``dataset/``."""

# --- shared checks ---------------------------------------------------------------------------


MANIFEST_KIND = "build manifest"
RECORD_KIND = "release record"
DIFF_KIND = "release diff"


def parse_strictly(data: bytes, *, file: str, kind: str) -> dict[str, Any]:
    """The JSON object in ``data``; bad UTF-8 or JSON is a record problem naming ``file``."""
    try:
        parsed = loads_json(decode_utf8(data, file=file), file=file)
    except RasdError as error:
        raise RECORD_UNREADABLE(file=file, kind=kind, reason=error.problem) from None
    if not isinstance(parsed, dict):
        raise RECORD_NOT_OBJECT(file=file, kind=kind)
    return parsed


def read_object(path: Path, *, file: str, kind: str) -> dict[str, Any]:
    """The JSON object in ``path`` (an OS error is a named storage error)."""
    return parse_strictly(read_bytes(path, file=file), file=file, kind=kind)


def as_object(data: Any, *, file: str, kind: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise RECORD_NOT_OBJECT(file=file, kind=kind)
    return data


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def required(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], *, file: str) -> Any:
    """``data[key]`` when present and of ``kind`` (a bool is never an ``int``)."""
    if key not in data:
        raise RECORD_LACKS_KEY(file=file, key=key)
    value = data[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        expected = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
        raise RECORD_WRONG_TYPE(file=file, key=key, expected=expected, found=_type_name(value))
    return value


def is_size(value: object) -> TypeGuard[int]:
    """A byte count: a JSON integer, not a float (65.0) or a bool."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _string_list(data: Mapping[str, Any], key: str, *, file: str) -> tuple[str, ...]:
    values = required(data, key, list, file=file)
    if not all(isinstance(v, str) for v in values):
        raise RECORD_WRONG_TYPE(file=file, key=key, expected="a list of strings", found="other values")
    return tuple(values)


# --- dataset/MANIFEST.json -----------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestEntry:
    sha256: str
    bytes: int


@dataclass(frozen=True)
class BuildManifest:
    """What the last build wrote: its version and every data file and the README, by sha256."""

    version: str
    files: dict[str, ManifestEntry] = field(default_factory=dict)


def manifest_from_json(data: Any, *, file: str) -> BuildManifest:
    data = as_object(data, file=file, kind=MANIFEST_KIND)
    version = required(data, "version", str, file=file)
    raw = required(data, "files", dict, file=file)
    return BuildManifest(
        version, {name: _manifest_entry(name, entry, file=file) for name, entry in raw.items()}
    )


def _manifest_entry(name: str, entry: Any, *, file: str) -> ManifestEntry:
    if not isinstance(entry, dict):
        raise RECORD_BAD_ENTRY(file=file, name=name)
    sha256, size = entry.get("sha256"), entry.get("bytes")
    if not (isinstance(sha256, str) and is_size(size)):
        raise RECORD_BAD_ENTRY(file=file, name=name)
    return ManifestEntry(sha256, size)


def manifest_to_json(manifest: BuildManifest) -> dict[str, Any]:
    return {
        "version": manifest.version,
        "files": {name: {"sha256": e.sha256, "bytes": e.bytes} for name, e in manifest.files.items()},
    }


def read_manifest(path: Path, *, file: str) -> BuildManifest:
    return manifest_from_json(read_object(path, file=file, kind=MANIFEST_KIND), file=file)


def write_manifest(path: Path, manifest: BuildManifest) -> bool:
    return atomic_write_json(path, manifest_to_json(manifest))


# --- dataset/releases/vX.Y.Z.json ----------------------------------------------------------------


class LabelAgreement(TypedDict):
    """Pairwise span F1 of one label: exact (start, end, label) and overlapping (same label)."""

    strict: float | None
    overlap: float | None
    spans: int


class AgreementRecord(TypedDict):
    """Inter-annotator agreement over the doubly-annotated documents of ``annotations/by_annotator/``."""

    documents: int
    annotators: list[str]
    pairs: int
    tokens: int
    kappa: float | None
    per_label: dict[str, LabelAgreement]
    overall: LabelAgreement
    by_annotator_sha256: str


@dataclass(frozen=True)
class ReleaseRecord:
    """The immutable fingerprint of one release (versions as written: ``"0.2.0"``)."""

    version: str
    previous: str | None
    bump: str
    changes: tuple[str, ...]
    labels: tuple[str, ...]
    features_sha256: str
    files: dict[str, FileEntry] = field(default_factory=dict)
    sources: dict[str, FileEntry] = field(default_factory=dict)
    agreement: AgreementRecord | None = None  # absent in records written before it existed

    @property
    def all_files(self) -> dict[str, FileEntry]:
        return {**self.files, **self.sources}

    def data_files(self) -> dict[str, FileEntry]:
        return {name: entry for name, entry in self.files.items() if name.startswith("data/")}


def _file_entry(name: str, entry: Any, *, file: str) -> FileEntry:
    if not isinstance(entry, dict):
        raise RECORD_BAD_ENTRY(file=file, name=name)
    sha256, size, blob = entry.get("sha256"), entry.get("bytes"), entry.get("git_blob")
    if not (isinstance(sha256, str) and is_size(size) and isinstance(blob, str)):
        raise RECORD_BAD_ENTRY(file=file, name=name)
    return FileEntry(sha256, size, blob)


def _entries(data: Mapping[str, Any], key: str, *, file: str) -> dict[str, FileEntry]:
    if key not in data:
        raise RECORD_LACKS_KEY(file=file, key=key)
    raw = data[key]
    if not isinstance(raw, dict):
        raise RECORD_ENTRIES_NOT_OBJECT(file=file, key=key)
    return {name: _file_entry(name, entry, file=file) for name, entry in raw.items()}


def record_from_json(data: Any, *, file: str) -> ReleaseRecord:
    """A release record, every malformed part named with ``file``."""
    data = as_object(data, file=file, kind=RECORD_KIND)
    changes = _string_list(data, "changes", file=file) if "changes" in data else ()
    return ReleaseRecord(
        version=required(data, "version", str, file=file),
        previous=data.get("previous") and required(data, "previous", str, file=file),
        bump=required(data, "bump", str, file=file),
        changes=changes,
        labels=_string_list(data, "labels", file=file),
        features_sha256=required(data, "features_sha256", str, file=file),
        files=_entries(data, "files", file=file),
        sources=_entries(data, "sources", file=file),
        agreement=_agreement(data, file=file),
    )


def _agreement(data: Mapping[str, Any], *, file: str) -> AgreementRecord | None:
    """The optional ``agreement`` object (its figures are for people; only its shape is checked)."""
    if "agreement" not in data:
        return None
    value = required(data, "agreement", dict, file=file)
    for key, kind in (("documents", int), ("kappa", (float, int, type(None))), ("per_label", dict)):
        required(value, key, kind, file=file)
    return cast(AgreementRecord, value)


def _entries_to_json(entries: dict[str, FileEntry]) -> dict[str, Any]:
    return {
        name: {"sha256": e.sha256, "bytes": e.bytes, "git_blob": e.git_blob}
        for name, e in sorted(entries.items())
    }


def record_to_json(record: ReleaseRecord) -> dict[str, Any]:
    agreement = {} if record.agreement is None else {"agreement": record.agreement}
    return {
        "version": record.version,
        "previous": record.previous,
        "bump": record.bump,
        "changes": list(record.changes),
        "labels": list(record.labels),
        "features_sha256": record.features_sha256,
        "files": _entries_to_json(record.files),
        "sources": _entries_to_json(record.sources),
        **agreement,
    }


def read_record(path: Path, *, file: str) -> ReleaseRecord:
    return record_from_json(read_object(path, file=file, kind=RECORD_KIND), file=file)


def loads_record(data: bytes, *, file: str) -> ReleaseRecord:
    """A record from bytes (as git keeps it at a tag); ``file`` names where they came from."""
    return record_from_json(parse_strictly(data, file=file, kind=RECORD_KIND), file=file)


def write_record(path: Path, record: ReleaseRecord) -> bool:
    return atomic_write_json(path, record_to_json(record))


# --- dataset/releases/vX.Y.Z.diff.json -------------------------------------------------------------


class DocumentCounts(TypedDict):
    before: int
    after: int


class DiffFile(TypedDict):
    """A release's machine-readable diff (``rasd.versions.diff.Diff.to_json`` plus the release)."""

    version: str
    bump: str
    previous: str | None
    documents: DocumentCounts
    document_changes: list[dict[str, Any]]
    span_changes: list[dict[str, Any]]
    per_label: list[dict[str, Any]]


_DIFF_KEYS: dict[str, type | tuple[type, ...]] = {
    "version": str,
    "bump": str,
    "previous": (str, type(None)),
    "documents": dict,
    "document_changes": list,
    "span_changes": list,
    "per_label": list,
}


def _check_counts(data: Mapping[str, Any], *, file: str) -> None:
    for key in ("before", "after"):
        found = data["documents"].get(key)
        if not is_size(found):
            raise RECORD_WRONG_TYPE(
                file=file, key=f"documents.{key}", expected="int", found=_type_name(found)
            )
    for row in data["per_label"]:
        if not (isinstance(row, dict) and is_size(row.get("spans after"))):
            expected = "rows with an integer 'spans after'"
            raise RECORD_WRONG_TYPE(file=file, key="per_label", expected=expected, found=_type_name(row))


def _check_span_offsets(data: Mapping[str, Any], *, file: str) -> None:
    """Every span state of ``span_changes`` is null or has integer offsets (65.0 and true are not)."""
    for number, change in enumerate(data["span_changes"]):
        states = [change.get(side) for side in ("before", "after")] if isinstance(change, dict) else [0]
        for state in states:
            if state is None:
                continue
            if not (isinstance(state, dict) and is_size(state.get("start")) and is_size(state.get("end"))):
                expected = "null or a span with integer start and end"
                found = _type_name(state) if not isinstance(state, dict) else "other offsets"
                raise RECORD_WRONG_TYPE(
                    file=file, key=f"span_changes[{number}]", expected=expected, found=found
                )


def diff_from_json(data: Any, *, file: str) -> DiffFile:
    data = as_object(data, file=file, kind=DIFF_KIND)
    for key, kind in _DIFF_KEYS.items():
        required(data, key, kind, file=file)
    _check_counts(data, file=file)
    _check_span_offsets(data, file=file)
    return cast(DiffFile, data)


def read_diff(path: Path, *, file: str) -> DiffFile:
    return diff_from_json(read_object(path, file=file, kind=DIFF_KIND), file=file)


def write_diff(path: Path, diff: Mapping[str, Any]) -> bool:
    return atomic_write_json(path, dict(diff))


# --- dataset/.release-journal.json -------------------------------------------------------------------

JOURNAL_FILE = ".release-journal.json"
"""Relative to ``dataset/``: exists only while a decided release is being moved into place."""
JOURNAL_KIND = "release journal"


@dataclass(frozen=True)
class ReleaseJournal:
    """The commit point of a release: the staged files to move in and the files to remove.

    Paths are relative to the repository root (``dataset/...``, ``dataset_card.md``).
    """

    version: str
    staging: str
    replace: tuple[str, ...]
    remove: tuple[str, ...]


def journal_from_json(data: Any, *, file: str) -> ReleaseJournal:
    data = as_object(data, file=file, kind=JOURNAL_KIND)
    return ReleaseJournal(
        version=required(data, "version", str, file=file),
        staging=required(data, "staging", str, file=file),
        replace=_string_list(data, "replace", file=file),
        remove=_string_list(data, "remove", file=file),
    )


def read_journal(path: Path, *, file: str) -> ReleaseJournal:
    return journal_from_json(read_object(path, file=file, kind=JOURNAL_KIND), file=file)


def write_journal(path: Path, journal: ReleaseJournal) -> bool:
    data = {
        "version": journal.version,
        "staging": journal.staging,
        "replace": list(journal.replace),
        "remove": list(journal.remove),
    }
    return atomic_write_json(path, data)
