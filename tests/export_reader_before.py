"""The export reader as it was before the stdlib scanner (ijson's yajl): the reference the new one is held to.

A copy, kept as it was (``rasd.formats.labelstudio`` at de01cb9, ``iter_export_items``
and what it used), except that it opens files and hands over to the strict reader
through that module's ``_open`` and ``_strict``, which did not change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, ClassVar, Final

import ijson

from rasd.formats.exportstream import _open, _starts_a_list
from rasd.formats.exportstream import read_strictly as _strict

_SURROGATE_ESCAPE: Final = re.compile(rb"\\u[dD][89a-fA-F]")
CHUNK: Final = 1 << 16
LIST: Final = object()
NOT_A_LIST: Final = object()


class UniqueKeys(dict[str, Any]):
    """A JSON object as ijson's C builder fills it, noting a key set twice (the builder cannot raise)."""

    __slots__ = ()
    repeats: ClassVar[int] = 0

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self:
            UniqueKeys.repeats += 1
        dict.__setitem__(self, key, value)


class _Watched:
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.tail = b""
        self.suspect = False

    def read(self, size: int = CHUNK) -> bytes:
        chunk = self.handle.read(size)
        if not self.suspect and _SURROGATE_ESCAPE.search(self.tail + chunk):
            self.suspect = True
        self.tail = chunk[-5:]
        return chunk


def iter_export_items(path: Path, *, file: str) -> Iterator[Any]:
    with _open(path, file) as handle:
        if not _starts_a_list(handle):
            payload = _strict(path, file)
            if isinstance(payload, list):
                yield LIST
                yield from payload
            else:
                yield NOT_A_LIST
            return
        yield LIST
        watched = _Watched(handle)
        done = 0
        repeats = UniqueKeys.repeats
        try:
            for item in ijson.items(watched, "item", map_type=UniqueKeys, use_float=True, buf_size=CHUNK):
                if UniqueKeys.repeats != repeats or watched.suspect:
                    break
                yield item
                done += 1
            else:
                if not watched.suspect:
                    return
        except (ijson.JSONError, ValueError):
            pass
    payload = _strict(path, file)
    yield from payload[done:]
