"""The build's per-document cache: one file per document state, ``.rasd-cache/build/KK/KEY.entry``.

``KEY`` is the sha256 of everything a document's records depend on (its raw
bytes, gold file bytes, stored suggestions, metadata entry and the code: see
``rasd.dataset.docwork.cache_key``), so an entry is never *stale*: an input that
changed gives another key.  It can still be *damaged* (a killed worker, a full
disk, an edit by hand), so every entry carries the sha256 of its body and is
checked on every read; an entry that fails any check is not an error, it is
simply absent, and the build recomputes (and rewrites) it.

File layout (UTF-8)::

    rasd-build-cache 1 KEY SHA256-OF-THE-REST\\n
    SUMMARY-JSON\\n
    RECORDS-JSON\\n

The summary (a few hundred bytes: hashes, status, span ids, MinHash signature)
is what the build's first pass reads; the records (the released rows) what the
second pass reads.  Writes go to a temporary file in the same folder, then a
rename: a reader sees the old entry, the new one, or none.  Nothing is fsynced,
since a torn entry fails its checksum.  A build writes its new entries in its own
temporary folder and ``adopt``s them once it succeeded (a failed build writes
nothing).  The folder holds a ``.gitignore`` of ``*`` so that it is never
committed, whatever the repository's own ignores.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

MAGIC = "rasd-build-cache"
FORMAT = 1
SUFFIX = ".entry"


def entry_path(folder: Path, key: str) -> Path:
    """Where the entry of ``key`` lives (256 sub-folders, so no folder grows past ~4k files per 1M)."""
    return folder / key[:2] / f"{key}{SUFFIX}"


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def write_entry(folder: Path, key: str, summary: dict[str, Any], records: dict[str, Any]) -> None:
    """Store one entry atomically (temporary file + rename); an ``OSError`` is the caller's to ignore."""
    body = _dumps(summary) + b"\n" + _dumps(records) + b"\n"
    header = f"{MAGIC} {FORMAT} {key} {hashlib.sha256(body).hexdigest()}\n".encode("ascii")
    path = entry_path(folder, key)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        try:
            temporary.write_bytes(header + body)
        except FileNotFoundError:  # the sub-folder's first entry: made then, not checked before every write
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(header + body)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _checked_body(folder: Path, key: str) -> bytes | None:
    """The entry's body when its header names ``key`` and its checksum matches, else None."""
    try:
        data = entry_path(folder, key).read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    fields = header.split(b" ")
    if fields[:3] != [MAGIC.encode(), str(FORMAT).encode(), key.encode()] or len(fields) != 4:
        return None
    if hashlib.sha256(body).hexdigest().encode() != fields[3]:
        return None
    return body


def read_entry(folder: Path, key: str, *, records: bool) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """``(summary, records)`` of a sound entry (records ``{}`` unless asked for), or None."""
    body = _checked_body(folder, key)
    if body is None:
        return None
    lines = body.split(b"\n")
    if len(lines) != 3 or lines[2]:
        return None
    try:
        summary = json.loads(lines[0])
        rows = json.loads(lines[1]) if records else {}
    except ValueError:
        return None
    if not isinstance(summary, dict) or not isinstance(rows, dict):
        return None
    return summary, rows


def adopt(fresh: Path, folder: Path) -> int:
    """Move every entry of ``fresh`` (a build's own, written while it ran) into ``folder``; return how many.

    A build writes its new entries apart and adopts them only once it succeeded,
    so a failed build leaves the cache as it found it.
    """
    moved = 0
    for sub in sorted(fresh.iterdir()) if fresh.is_dir() else ():
        if not sub.is_dir():
            continue
        for path in sorted(sub.glob(f"*{SUFFIX}")):
            target = folder / sub.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            moved += 1
    _ignore_all(folder)
    return moved


def _ignore_all(folder: Path) -> None:
    ignore = folder / ".gitignore"
    if folder.is_dir() and not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")


def prune(folder: Path, keep: set[str]) -> int:
    """Remove every entry (and left-over temporary file) whose key is not in ``keep``; return how many."""
    removed = 0
    for sub in sorted(folder.iterdir()) if folder.is_dir() else ():
        if not sub.is_dir():
            continue
        for path in sub.iterdir():
            if path.name.endswith(SUFFIX) and path.name[: -len(SUFFIX)] in keep:
                continue
            path.unlink(missing_ok=True)
            removed += 1
    return removed
