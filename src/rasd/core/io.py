"""Atomic file writes: a reader (or a crash) never sees half a file.

Every file Rasd writes goes through here: the content goes to a temporary file
in the same folder, is flushed to disk, then renamed over the target, which is
atomic on POSIX.  Unchanged content is not rewritten, so rebuilding leaves
modification times and ``git status`` alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def atomic_file(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """A file that appears at ``path`` only once the ``with`` block completes.

    Text modes write UTF-8 with LF line endings; a failure leaves ``path`` as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        text = "b" not in mode
        with os.fdopen(
            fd, mode, encoding="utf-8" if text else None, newline="\n" if text else None
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_stream(path: Path) -> AbstractContextManager[IO[str]]:
    """A text file written line by line (large outputs) that appears only when complete."""
    return atomic_file(path, "w")


def atomic_write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False when the file already held it."""
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    with atomic_file(path, "wb") as handle:
        handle.write(data)
    return True


def atomic_write_text(path: Path, text: str) -> bool:
    """Write UTF-8 text with LF line endings atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def dumps_json(value: Any) -> str:
    """The one JSON layout of files people read in diffs: sorted-free, UTF-8, indented, final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def atomic_write_json(path: Path, value: Any) -> bool:
    return atomic_write_text(path, dumps_json(value))
