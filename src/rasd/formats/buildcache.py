"""The build's per-document cache: entries packed a batch to a file, found through one sorted index.

``KEY`` is the sha256 of everything a document's records depend on (its raw
bytes, gold file bytes, stored suggestions, metadata entry and the code: see
``rasd.dataset.docwork.cache_key``), so an entry is never *stale*: an input that
changed gives another key.  It can still be *damaged* (a killed build, a full
disk, an edit by hand), so every entry carries the sha256 of its body and is
checked on every read; an entry that fails any check is not an error, it is
simply absent, and the build recomputes it.

Layout of ``.rasd-cache/build/``::

    .gitignore          "*": never committed, whatever the repository's own ignores
    index               "rasd-build-index 2 COUNT\\n", COUNT keys (32 bytes, sorted),
                        then COUNT locations (pack name 8 bytes, offset and length u32, big-endian)
    packs/NAME.pack     entries one after the other (NAME: 16 hex digits of the pack's sha256)

An entry::

    rasd-build-cache 3m4 KEY SHA256-OF-THE-REST\\n      (ASCII; 3m4: this layout, marshal version 4)
    LENGTH-OF-THE-SUMMARY (u32, big-endian) SUMMARY RECORDS

The summary and records are ``marshal`` data (plain dicts, lists, strings,
numbers: 3× faster to write and 1.5× to read than JSON, which this was); a
value ``marshal`` cannot store leaves the document uncached.  It is only ever
read back after its checksum matched, by the code whose digest is in the key.

The summary (a few hundred bytes: hashes, status, span ids, MinHash signature)
is what the build's first pass reads; the records (the released rows) what the
second pass reads.  A worker writes the entries it computed for one batch as
one pack (one file created per batch, not one per document: creating a file is
the slow part here) in the build's own temporary folder; a build that
succeeded ``commit``s: its packs are moved in, a new index (this build's keys)
replaces the old one by a rename, and packs no index entry points to are
removed.  A failed build changes nothing.  A look-up bisects the index (mapped,
never loaded), so it costs the same whatever the corpus size, and adding or
changing a few documents leaves every other entry where it is: the rebuild
writes a pack for the new entries only.  Packs where less than half the bytes
are still pointed to, and packs of a few entries, are rewritten together at the
commit, so the cache stays within about twice its live entries.  Nothing is
fsynced: a torn pack or index fails its checks and only costs time.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import marshal
import mmap
import os
import shutil
import struct
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple, overload

import numpy as np
import numpy.typing as npt

from rasd.core.faults import fault_point
from rasd.core.io import holds

MAGIC = "rasd-build-cache"
_MARSHAL = 4
FORMAT = f"3m{_MARSHAL}"
"""The entry format: its version and ``marshal``'s (summary and records are stored as ``marshal`` data)."""
_LENGTH = struct.Struct(">I")
INDEX_MAGIC = b"rasd-build-index"
INDEX_FORMAT = 2
INDEX_FILE = "index"
PACKS = "packs"
PACK_SUFFIX = ".pack"
KEY_BYTES = 32
_LOCATION = struct.Struct(">8sII")
RECORD_BYTES = KEY_BYTES + _LOCATION.size
"""A document's key and location, as the index stores them (48 bytes)."""
PACK_LIMIT = 1 << 30
"""Bytes a pack holds at most (offsets are 32-bit)."""
SMALL_PACK = 16
"""A pack of fewer live entries is merged with the others like it at the commit (when there are several)."""


class Location(NamedTuple):
    """Where an entry is: its pack's name (8 bytes), offset and length in it."""

    pack: bytes
    offset: int
    length: int

    def record(self, key: str) -> bytes:
        """``key`` (hex; "" for none) and the location as the index stores them."""
        return bytes.fromhex(key) + _LOCATION.pack(*self)

    @classmethod
    def unpacked(cls, data: bytes) -> Location:
        """The location of its 16 stored bytes."""
        return cls(*_LOCATION.unpack(data))


def pack_folder(folder: Path) -> Path:
    """The packs of a cache folder (a build's own folder of new packs holds them directly)."""
    return folder / PACKS


def entry_bytes(key: str, summary: dict[str, Any], records: dict[str, Any]) -> bytes:
    """One entry: its header (key, checksum of the rest), the summary's length, summary and records.

    Raises ``ValueError`` for a value ``marshal`` cannot store (the caller does not cache that document).
    """
    head = marshal.dumps(summary, _MARSHAL)
    body = _LENGTH.pack(len(head)) + head + marshal.dumps(records, _MARSHAL)
    return f"{MAGIC} {FORMAT} {key} {hashlib.sha256(body).hexdigest()}\n".encode("ascii") + body


def parse_entry(data: bytes, key: str, *, records: bool) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """``(summary, records)`` of a sound entry of ``key`` (records ``{}`` unless asked for), or None."""
    header, _, body = data.partition(b"\n")
    fields = header.split(b" ")
    if fields[:3] != [MAGIC.encode(), FORMAT.encode(), key.encode()] or len(fields) != 4:
        return None
    if hashlib.sha256(body).hexdigest().encode() != fields[3] or len(body) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack_from(body)
    try:
        summary = marshal.loads(body[_LENGTH.size : _LENGTH.size + length])
        rows = marshal.loads(body[_LENGTH.size + length :]) if records else {}
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(summary, dict) or not isinstance(rows, dict):
        return None
    return summary, rows


def write_pack(folder: Path, entries: Sequence[bytes]) -> list[Location]:
    """Write ``entries`` as one pack in ``folder`` (temporary file + rename); their locations.

    An ``OSError`` is the caller's to ignore (a cache that cannot be written only costs time).
    """
    data = b"".join(entries)
    if len(data) >= PACK_LIMIT:
        raise OSError(f"a pack of {len(data)} bytes is over the limit")
    name = hashlib.sha256(data).digest()[:8]
    path = folder / f"{name.hex()}{PACK_SUFFIX}"
    temporary = folder / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        try:
            temporary.write_bytes(data)
        except FileNotFoundError:  # the folder's first pack
            folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    locations, offset = [], 0
    for entry in entries:
        locations.append(Location(name, offset, len(entry)))
        offset += len(entry)
    return locations


class _Keys(Sequence[bytes]):
    """The index's sorted keys, read in place from the mapped file (for ``bisect``)."""

    def __init__(self, view: mmap.mmap, start: int, count: int) -> None:
        self._view, self._start, self._count = view, start, count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            raise TypeError("no slices")
        at = self._start + index * KEY_BYTES
        return self._view[at : at + KEY_BYTES]


class Index:
    """The cache's index, mapped: ``find`` bisects its sorted keys."""

    def __init__(self, view: mmap.mmap, start: int, count: int) -> None:
        self._view = view
        self._keys = _Keys(view, start, count)
        self._locations = start + count * KEY_BYTES
        self.count = count

    @classmethod
    def open(cls, folder: Path) -> Index | None:
        """The index of the cache ``folder``; None when there is none, or it is damaged."""
        try:
            with (folder / INDEX_FILE).open("rb") as handle:
                view = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # missing, unreadable, empty
            return None
        header = view[:64].partition(b"\n")
        fields = header[0].split(b" ")
        try:
            count = int(fields[2]) if fields[:2] == [INDEX_MAGIC, str(INDEX_FORMAT).encode()] else -1
        except (IndexError, ValueError):
            count = -1
        start = len(header[0]) + 1
        if count < 0 or len(fields) != 3 or len(view) != start + count * RECORD_BYTES:
            view.close()
            return None
        return cls(view, start, count)

    def close(self) -> None:
        self._view.close()

    def find(self, key: str) -> Location | None:
        wanted = bytes.fromhex(key)
        at = bisect.bisect_left(self._keys, wanted)
        if at == self.count or self._keys[at] != wanted:
            return None
        start = self._locations + at * _LOCATION.size
        return Location(*_LOCATION.unpack_from(self._view, start))

    def records(self) -> Iterator[bytes]:
        """Every ``key + location`` record, in key order."""
        for at in range(self.count):
            start = self._locations + at * _LOCATION.size
            yield self._keys[at] + self._view[start : start + _LOCATION.size]


class PackReader:
    """Reads entries from packs, keeping each pack open until ``close`` (one open per pack, not per entry)."""

    def __init__(self) -> None:
        self._open: dict[str, int | None] = {}

    def __enter__(self) -> PackReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for handle in self._open.values():
            if handle is not None:
                os.close(handle)
        self._open = {}

    def _handle(self, path: str) -> int | None:
        if path not in self._open:
            try:
                self._open[path] = os.open(path, os.O_RDONLY)
            except OSError:
                self._open[path] = None
        return self._open[path]

    def read(
        self, folder: Path | str, location: Location, key: str, *, records: bool
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The sound entry of ``key`` at ``location`` in a pack of ``folder`` (``parse_entry``), or None."""
        handle = self._handle(f"{os.fspath(folder)}{os.sep}{location.pack.hex()}{PACK_SUFFIX}")
        if handle is None:
            return None
        try:
            data = os.pread(handle, location.length, location.offset)
        except OSError:
            return None
        return parse_entry(data, key, records=records)


def iter_entries(folder: Path) -> Iterator[tuple[str, Location]]:
    """Every ``(key, location)`` of the cache's index (none when it has no sound index)."""
    index = Index.open(folder)
    if index is None:
        return
    try:
        for record in index.records():
            yield record[:KEY_BYTES].hex(), Location(*_LOCATION.unpack(record[KEY_BYTES:]))
    finally:
        index.close()


def commit(folder: Path, fresh: Path, records: bytes, *, prune: bool = True) -> None:
    """Make a successful build's entries the cache's: move its packs in, write the index, drop the rest.

    ``records``: ``key + location`` (``Location.record``, 48 bytes) of every
    document of the build, one after the other, its packs in ``fresh``.
    ``prune``: the index holds these alone (else the former index's other
    entries stay too: a cache shared by builds of other checkouts).  A crash at
    any point leaves an index whose every entry is checked before it is used,
    and files the next commit removes.  Memory: the records and a few columns of
    them (numpy), ~100 bytes a document at most.
    """
    packs = pack_folder(folder)
    packs.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    for path in sorted(fresh.glob(f"*{PACK_SUFFIX}")) if fresh.is_dir() else ():
        os.replace(path, packs / path.name)
        fault_point("buildcache:pack-moved")
    table = _rows(records)
    if not prune:
        former = Index.open(folder)
        if former is not None:
            table = np.concatenate([table, _rows(b"".join(former.records()))])
            former.close()
    table = _compacted(packs, _sorted_unique(table))
    fault_point("buildcache:compacted")
    _write_index(folder, table)
    fault_point("buildcache:index-written")
    _remove_unused(
        folder, {bytes(pack).hex() for pack in np.unique(table[:, KEY_BYTES : KEY_BYTES + 8], axis=0)}
    )


def _rows(records: bytes) -> npt.NDArray[np.uint8]:
    return np.frombuffer(records, dtype=np.uint8).reshape(-1, RECORD_BYTES)


def _sorted_unique(table: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """The rows in key order, each key once (its first row: a build's own come before a former index's)."""
    if not len(table):
        return table
    words = np.ascontiguousarray(table[:, :KEY_BYTES]).view(">u8")
    order = np.lexsort(words.T[::-1])  # stable: the first row of a key stays first
    table = table[order]
    keys = table[:, :KEY_BYTES]
    first = np.ones(len(table), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]).any(axis=1)
    return np.ascontiguousarray(table[first])


def _write_index(folder: Path, table: npt.NDArray[np.uint8]) -> None:
    header = INDEX_MAGIC + b" %d %d\n" % (INDEX_FORMAT, len(table))
    data = header + table[:, :KEY_BYTES].tobytes() + table[:, KEY_BYTES:].tobytes()
    path = folder / INDEX_FILE
    with contextlib.suppress(OSError):
        if holds(path, data):
            return
    temporary = folder / f".{INDEX_FILE}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _chosen(packs: Path, table: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """The rows whose packs get rewritten: packs mostly dead, and small packs when there are many."""
    names = np.ascontiguousarray(table[:, KEY_BYTES : KEY_BYTES + 8]).view(">u8")[:, 0]
    lengths = np.ascontiguousarray(table[:, RECORD_BYTES - 4 :]).view(">u4")[:, 0].astype(np.int64)
    unique, members = np.unique(names, return_inverse=True)
    used = np.bincount(members, weights=lengths, minlength=len(unique))
    counts = np.bincount(members, minlength=len(unique))
    wasteful = np.zeros(len(unique), dtype=bool)
    small = np.zeros(len(unique), dtype=bool)
    for at, name in enumerate(unique.tolist()):
        try:
            size = (packs / f"{name:016x}{PACK_SUFFIX}").stat().st_size
        except OSError:
            continue  # a missing pack: its entries will not be found, and get recomputed
        wasteful[at] = 2 * used[at] < size
        small[at] = not wasteful[at] and counts[at] < SMALL_PACK
    rewrite = wasteful | small if small.sum() >= SMALL_PACK else wasteful
    return np.asarray(rewrite[members], dtype=bool)


def _compacted(packs: Path, table: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """``table`` after the live entries of the chosen packs (``_chosen``) moved to new packs."""
    if not len(table):
        return table
    rows = np.flatnonzero(_chosen(packs, table))
    if not len(rows):
        return table
    table = table.copy()
    with PackReader() as reader:
        batch: list[tuple[int, bytes]] = []
        size = 0
        for row in sorted(rows.tolist(), key=lambda r: bytes(table[r, KEY_BYTES:])):  # pack, then offset
            entry = _raw_entry(reader, packs, bytes(table[row]))
            if entry is None:
                continue
            batch.append((row, entry))
            size += len(entry)
            if size > PACK_LIMIT // 4:
                _repack(packs, table, batch)
                batch, size = [], 0
        _repack(packs, table, batch)
    return table


def _raw_entry(reader: PackReader, packs: Path, record: bytes) -> bytes | None:
    """The bytes of a record's entry, when it is sound (a damaged one stays: it fails its check when read)."""
    location = Location(*_LOCATION.unpack(record[KEY_BYTES:]))
    handle = reader._handle(f"{packs}{os.sep}{location.pack.hex()}{PACK_SUFFIX}")
    if handle is None:
        return None
    data = os.pread(handle, location.length, location.offset)
    return data if parse_entry(data, record[:KEY_BYTES].hex(), records=False) is not None else None


def _repack(packs: Path, table: npt.NDArray[np.uint8], batch: list[tuple[int, bytes]]) -> None:
    if batch:
        locations = write_pack(packs, [entry for _, entry in batch])
        fault_point("buildcache:repacked")
        for (row, _), location in zip(batch, locations, strict=True):
            table[row, KEY_BYTES:] = np.frombuffer(_LOCATION.pack(*location), dtype=np.uint8)


def _remove_unused(folder: Path, used: set[str]) -> None:
    """Remove packs no index entry points to, temporary files, and anything else (a former layout)."""
    for path in pack_folder(folder).iterdir():
        if not (path.name.endswith(PACK_SUFFIX) and path.name[: -len(PACK_SUFFIX)] in used):
            path.unlink(missing_ok=True)
    for path in folder.iterdir():
        if path.name in (INDEX_FILE, PACKS, ".gitignore"):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
