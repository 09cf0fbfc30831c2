"""The export file streamed: each item of its top-level JSON list, read on its own.

Export files reach gigabytes (``rasd.formats.labelstudio.iter_export``): the text is
decoded a chunk at a time and each task of the list is parsed on its own by the
stdlib's C scanner, the one the strict reader (``rasd.core.io``) uses, so a task
reads exactly as it would in the whole file.  Whatever the stream cannot vouch
for (bytes that are not UTF-8, a repeated key, ``NaN``, bad syntax, a file that
is not a list) sends the file to the strict reader, which names the problem
exactly as it always has; the stream continues from there with that reader's
values.  A valid export gives the same tasks either way
(tests/test_labelstudio_import_stream.py, and against the ijson reader it
replaced: tests/test_labelstudio_export_reader_before_after.py).
"""

from __future__ import annotations

import codecs
import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final

from rasd.core.io import decode_utf8, loads_json, read_bytes
from rasd.core.problems.storage import CANNOT_READ

LIST: Final = object()  # first item of ``iter_export_items`` when the file is a JSON list
NOT_A_LIST: Final = object()
_BLANK: Final = " \t\r\n"  # JSON's whitespace, and nothing else
_ENDS: Final = (" ", "\t", "\r", "\n", ",", "]")  # what may follow an item
CHUNK: Final = 1 << 16  # the first read; later reads grow to ``MAX_READ``
MAX_READ: Final = 1 << 20
_NEAR_END: Final = 16  # a syntax error this close to the end of the text read so far may be a cut


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of the stream; a repeated key stops it (the strict reader names the problem)."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("repeated key")
    return result


def _refuse(token: str) -> Any:
    raise ValueError(token)  # NaN or Infinity: the strict reader names it


_DECODE: Final = json.JSONDecoder(object_pairs_hook=_unique, parse_constant=_refuse).raw_decode


def _open(path: Path, file: str) -> IO[bytes]:
    try:
        return Path(path).open("rb")
    except OSError as exc:
        raise CANNOT_READ(file=file, reason=exc.strerror or type(exc).__name__) from None


def _starts_a_list(handle: IO[bytes]) -> bool:
    """Whether the first non-blank byte is ``[`` (the handle is left at the start)."""
    head = handle.read(CHUNK).lstrip(b" \t\r\n")
    while not head:
        more = handle.read(CHUNK)
        if not more:
            break
        head = more.lstrip(b" \t\r\n")
    handle.seek(0)
    return head[:1] == b"["


class _Text:
    """The file's text, decoded a chunk at a time; what the stream has used is dropped."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.at = 0  # where the stream is in ``text``
        self.ended = False
        self.size = CHUNK

    def more(self, at_least: int = 0) -> None:
        """Read on (at least ``at_least`` bytes); ``UnicodeDecodeError`` if the bytes are not UTF-8."""
        chunk = self.handle.read(max(self.size, at_least))
        self.size = min(2 * self.size, MAX_READ)
        self.ended = not chunk
        self.text = self.text[self.at :] + self.decoder.decode(chunk, final=self.ended)
        self.at = 0

    def skip_blank(self) -> str:
        """The next character that is not JSON whitespace, not consumed; ``""`` at the end of the file."""
        while True:
            text, at = self.text, self.at
            while at < len(text) and text[at] in _BLANK:
                at += 1
            self.at = at
            if at < len(text) or self.ended:
                return text[at : at + 1]
            self.more()

    def value(self) -> Any:
        """The JSON value that starts here, read on until it is whole; ``ValueError`` if it is not JSON."""
        while True:
            collecting = gc.isenabled()
            gc.disable()  # a task is a tree of new objects, no cycle in it: the collector would only rescan
            try:  # the tasks the caller holds, again and again (half the time of a stream kept in a list)
                value, end = _DECODE(self.text, self.at)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(self.text) - _NEAR_END or exc.msg.startswith("Unterminated string")
                if self.ended or not cut:
                    raise
            else:
                if self.ended or end + _NEAR_END < len(self.text) or self.text[end : end + 1] in _ENDS:
                    self.at = end  # else a number may go on in the next chunk: ``-0`` of ``-0.5``
                    return value
            finally:
                if collecting:
                    gc.enable()
            self.more(at_least=len(self.text) - self.at)  # geometric: a huge task is not rescanned often


def iter_export_items(path: Path, *, file: str) -> Iterator[Any]:
    """``LIST`` then every item of the file's top-level list, streamed; ``NOT_A_LIST`` if it is none.

    Whatever the stream cannot vouch for is handed to the strict reader (module docstring).
    """
    with _open(path, file) as handle:
        if not _starts_a_list(handle):
            payload = read_strictly(path, file)
            if isinstance(payload, list):
                yield LIST
                yield from payload
            else:
                yield NOT_A_LIST
            return
        yield LIST
        done = 0
        text = _Text(handle)
        try:
            text.skip_blank()
            text.at += 1  # the ``[``
            after = text.skip_blank()
            if after == "]":
                text.at += 1
            while after != "]":
                text.skip_blank()
                yield text.value()
                done += 1
                after = text.skip_blank()
                if after not in (",", "]"):
                    break
                text.at += 1
            if after == "]" and text.skip_blank() == "":
                return
        except (ValueError, RecursionError):  # not UTF-8, not JSON, a repeated key, NaN, too deep
            pass
    payload = read_strictly(path, file)  # a list: the stream saw ``[`` and everything up to the problem
    yield from payload[done:]


def read_strictly(path: Path, file: str) -> Any:
    """The whole file through the strict reader: its named error, or the value it vouches for."""
    return loads_json(decode_utf8(read_bytes(path, file=file), file=file), file=file)
