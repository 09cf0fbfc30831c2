"""Fingerprints of bytes: sha256 (for people and the Hub), size and git blob id (to find them in git).

Pure functions of the bytes, so the build, Croissant, the release records and
``rasd verify`` all name a file's content the same way.  A git blob id depends
only on the bytes, so it is computed without git.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rasd.core.io import read_bytes

_BLOCK = 1 << 20


@dataclass(frozen=True)
class FileEntry:
    """What identifies one file's bytes: sha256, size, git blob id."""

    sha256: str
    bytes: int
    git_blob: str


def git_blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes (sha1 of ``blob LEN\\0`` + bytes)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """sha256 of a file, read in blocks (data shards can be large)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint_bytes(data: bytes) -> FileEntry:
    return FileEntry(sha256_bytes(data), len(data), git_blob_id(data))


def fingerprint(path: Path, *, file: str | None = None) -> FileEntry:
    """The fingerprint of a file; an unreadable file is a named error (``file``, else the path)."""
    return fingerprint_bytes(read_bytes(path, file=file or str(path)))
