"""Bytes on disk: strict JSON reading and atomic writes, the base of every file format.

Reading: ``read_json`` / ``iter_json_lines`` refuse what Python's ``json`` module
lets through silently (a key repeated in one object, ``NaN``), and turn every
failure (missing file, folder, broken link, bad UTF-8, bad syntax) into a named
error of the catalogue with the file and line.  The typed readers of each
on-disk format (``rasd.*.files`` and friends, see ARCHITECTURE.md) build on these.

Writing: the content goes to a temporary file in the same folder, is flushed to
disk, then renamed over the target, which is atomic on POSIX.  Unchanged content
is not rewritten, so rebuilding leaves modification times and ``git status``
alone.  An ``OSError`` (full disk, read-only folder) becomes ``CANNOT_WRITE``.
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

from rasd.core.errors import RasdError
from rasd.core.problems.storage import (
    CANNOT_READ,
    CANNOT_WRITE,
    DUPLICATE_KEY,
    INVALID_JSON,
    NON_FINITE_NUMBER,
    NOT_UTF8,
)


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once: changing the umask is process-wide, so doing it at every write would race with threads.
_FILE_MODE = 0o666 & ~_current_umask()


@contextmanager
def atomic_file(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """A file that appears at ``path`` only once the ``with`` block completes.

    Text modes write UTF-8 with LF line endings; a failure leaves ``path`` as it was.
    The file gets the permissions ``open()`` would give (``0o666`` less the umask),
    not ``mkstemp``'s private ``0o600``.  An ``OSError`` (full disk, read-only
    folder) becomes ``CANNOT_WRITE`` naming the file.
    """
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, _FILE_MODE)
        text = "b" not in mode
        with os.fdopen(
            fd, mode, encoding="utf-8" if text else None, newline="\n" if text else None
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise CANNOT_WRITE(file=str(path), reason=exc.strerror or type(exc).__name__) from None
        raise


def atomic_stream(path: Path) -> AbstractContextManager[IO[str]]:
    """A text file written line by line (large outputs) that appears only when complete."""
    return atomic_file(path, "w")


def holds(path: Path | str, data: bytes) -> bool:
    """Whether the file at ``path`` is there and holds exactly ``data`` (one ``open``, no ``stat``)."""
    try:
        with open(path, "rb") as handle:
            return handle.read() == data
    except FileNotFoundError:
        return False


def atomic_write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False when the file already held it."""
    path = Path(path)
    if holds(path, data):
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


def _object_hook(file: str) -> Any:
    def unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise DUPLICATE_KEY(file=file, key=key)
            result[key] = value
        return result

    return unique_object


def _constant_hook(file: str) -> Any:
    def refuse(token: str) -> Any:
        raise NON_FINITE_NUMBER(file=file, token=token)

    return refuse


def loads_json(text: str, *, file: str, line_offset: int = 0) -> Any:
    """Parse JSON strictly: a repeated key or ``NaN``/``Infinity`` is an error naming ``file``."""
    try:
        return json.loads(text, object_pairs_hook=_object_hook(file), parse_constant=_constant_hook(file))
    except json.JSONDecodeError as exc:
        raise INVALID_JSON(
            file=file, line=exc.lineno + line_offset, column=exc.colno, reason=exc.msg
        ) from None


def read_bytes(path: Path, *, file: str) -> bytes:
    """A file's bytes; a folder, a broken link or a permission problem is a named error."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CANNOT_READ(file=file, reason=exc.strerror or type(exc).__name__) from None


def decode_utf8(data: bytes, *, file: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NOT_UTF8(file=file, position=exc.start) from None


def read_text(path: Path, *, file: str) -> str:
    """A UTF-8 text file, strictly decoded."""
    return decode_utf8(read_bytes(path, file=file), file=file)


def read_json(path: Path, *, file: str) -> Any:
    """A whole JSON file, strictly parsed (see ``loads_json``)."""
    return loads_json(read_text(path, file=file), file=file)


def iter_json_lines(path: Path, *, file: str) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for each non-blank line of a JSON Lines file, streamed."""
    try:
        handle = Path(path).open("rb")  # noqa: SIM115  # closed by the with below; open errors are named first
    except OSError as exc:
        raise CANNOT_READ(file=file, reason=exc.strerror or type(exc).__name__) from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            line = decode_utf8(raw, file=f"{file}:{number}")
            if line.strip():
                yield number, loads_json(line.rstrip("\r\n"), file=file, line_offset=number - 1)


def writing_errors(file: str) -> AbstractContextManager[None]:
    """Turn an ``OSError`` inside the block into ``CANNOT_WRITE`` naming ``file``."""
    return _WritingErrors(file)


class _WritingErrors(AbstractContextManager[None]):
    def __init__(self, file: str) -> None:
        self.file = file

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, OSError) and not isinstance(exc, RasdError):
            raise CANNOT_WRITE(file=self.file, reason=exc.strerror or type(exc).__name__) from None
