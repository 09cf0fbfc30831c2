"""Articles as people have them: text, HTML, JSON Lines, CSV, parquet, a Hugging Face dataset folder.

``iter_incoming(path)`` streams one ``Incoming`` article per file or row, each
with its provenance: where it came from, the sha256 of the original bytes, and
which extractor (name and version) turned those bytes into text.  Readers are
picked from ``READERS`` by the file's suffix (a folder is a Hugging Face
dataset saved with ``save_to_disk`` or a folder of parquet files); none of them
holds more than one batch of rows in memory.

Memory is bounded by one article: a .txt file over the article limit
(``RASD_MAX_RAW_BYTES``), and an HTML page or a JSON Lines or CSV line over
``max_source_bytes()`` (three times that, plus 1 MiB: JSON's ``\\uXXXX``
escapes triple an Arabic text), is a named error before it is read, so a
100 MB line without a newline never sits in memory.

Bad rows (no text, a malformed id, a value of the wrong type) are not skipped:
each becomes a named error (``RASD-E1xx``) naming the file and row; the caller
collects them all and adds nothing when there is any.

HTML extraction: trafilatura (main text; tables kept, since older Arabic news
sites lay pages out in tables).  Chosen against jusText with its Arabic
stoplist on 60 pages built around the project's own Arabic passages in three
layouts (``python bench/extractors.py``): trafilatura kept 98-100% of the body
sentences on every layout and no page furniture on the two modern layouts
(on the table layout, 56% of the menu/footer strings leak in); jusText kept
5-13% of the body: it takes short Arabic paragraphs for boilerplate.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rasd.core.errors import RasdError
from rasd.core.io import decode_utf8, loads_json, read_bytes
from rasd.core.problems.intake_sources import (
    BAD_ROW_FIELD,
    BAD_ROW_ID,
    CSV_MALFORMED,
    CSV_ROW_TOO_LONG,
    NO_TEXT_COLUMN,
    NOTHING_EXTRACTED,
    SOURCE_TOO_LARGE,
    UNKNOWN_SOURCE,
)
from rasd.core.problems.storage import CANNOT_READ
from rasd.intake.ingest import max_raw_bytes
from rasd.validation.schema import iter_lone_surrogate_problems

ROW_FIELDS = ("id", "url", "title", "outlet", "published")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
PARQUET_BATCH = 1_000
CSV_FIELD_LIMIT = 64 * 1024 * 1024  # an article, not the csv module's 128 KiB default
SKIP_CHUNK = 1024 * 1024  # bytes read at a time while skipping the rest of an over-long line
EXTRA = "\x00extra"  # the key under which csv.DictReader puts values beyond the header's columns


@dataclass(frozen=True)
class Incoming:
    """One article on its way in: text, the id it asks for (if any) and its provenance."""

    text: str
    origin: str  # the file, and the row for tabular sources: "dump.csv#12"
    original_sha256: str  # of the bytes as received (the file, or the row's own bytes)
    extractor: str  # "plain text", "trafilatura 2.2.0", "jsonl", ...
    id: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


Problem = RasdError  # what a reader yields instead of an article when a row is bad
Reader = Callable[[Path, str], Iterator[Incoming | Problem]]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def max_source_bytes() -> int:
    """The most bytes one page or row of one article may take: 3 x the article limit + 1 MiB."""
    return 3 * max_raw_bytes() + SKIP_CHUNK


def bounded_bytes(path: Path, shown: str, limit: int) -> bytes:
    """A whole file's bytes, or a named error without reading them when it is over ``limit``."""
    if path.is_file() and path.stat().st_size > limit:
        raise SOURCE_TOO_LARGE(file=shown, what="the file", limit=limit)
    return read_bytes(path, file=shown)


def iter_bounded_lines(path: Path, shown: str) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` of each line (its LF kept); None for a line over ``max_source_bytes()``,
    which is skipped a chunk at a time, never held whole."""
    limit = max_source_bytes()
    try:
        handle = Path(path).open("rb")  # noqa: SIM115  # closed by the with below
    except OSError as exc:
        raise CANNOT_READ(file=shown, reason=exc.strerror or type(exc).__name__) from None
    with handle:
        number = 0
        while raw := handle.readline(limit + 1):
            number += 1
            if len(raw) <= limit or raw.endswith(b"\n"):
                yield number, raw
                continue
            while raw and not raw.endswith(b"\n"):
                raw = handle.readline(SKIP_CHUNK)
            yield number, None


def read_text_file(path: Path, shown: str) -> Iterator[Incoming | Problem]:
    data = bounded_bytes(path, shown, max_raw_bytes())
    yield Incoming(decode_utf8(data, file=shown), shown, sha256(data), "plain text")


def read_html_file(path: Path, shown: str) -> Iterator[Incoming | Problem]:
    import trafilatura

    data = bounded_bytes(path, shown, max_source_bytes())
    html = decode_utf8(data, file=shown)
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_precision=True)
    meta = trafilatura.extract_metadata(html)
    if not text or not text.strip():
        yield NOTHING_EXTRACTED(file=shown)
        return
    yield Incoming(
        text,
        shown,
        sha256(data),
        f"trafilatura {version('trafilatura')}",
        url=meta.url if meta else None,
        title=meta.title if meta else None,
        outlet=meta.sitename if meta else None,
        published=meta.date if meta else None,
    )


def row_to_incoming(row: dict[str, Any], origin: str, raw: bytes, extractor: str) -> Incoming | Problem:
    """A JSON Lines or CSV row with ``text`` and the optional ``ROW_FIELDS``."""
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return NO_TEXT_COLUMN(file=origin)
    for name in ROW_FIELDS:
        value = row.get(name)
        if value is not None and not isinstance(value, str):
            return BAD_ROW_FIELD(file=origin, field=name, kind=type(value).__name__)
    given = row.get("id") or None
    if given is not None and not ID_PATTERN.match(given):
        return BAD_ROW_ID(file=origin, id=given)
    fields = {name: (row.get(name) or None) for name in ROW_FIELDS if name != "id"}
    return Incoming(text, origin, sha256(raw), extractor, id=given, **fields)


def iter_json_rows(path: Path, shown: str) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` of each non-blank line; an over-long line gives a problem as its value."""
    for number, raw in iter_bounded_lines(path, shown):
        if raw is None:
            yield (
                number,
                SOURCE_TOO_LARGE(file=f"{shown}#{number}", what="the line", limit=max_source_bytes()),
            )
            continue
        line = decode_utf8(raw, file=f"{shown}:{number}")
        if line.strip():
            yield number, loads_json(line.rstrip("\r\n"), file=shown, line_offset=number - 1)


def read_json_lines(path: Path, shown: str) -> Iterator[Incoming | Problem]:
    for number, row in iter_json_rows(path, shown):
        origin = f"{shown}#{number}"
        if isinstance(row, RasdError):
            yield row
            continue
        if not isinstance(row, dict):
            yield NO_TEXT_COLUMN(file=origin)
            continue
        halves = list(iter_lone_surrogate_problems(row, file=origin, document=None))
        if halves:  # JSON may escape half a UTF-16 pair ("\ud800"): not text, no UTF-8 for it
            yield from halves
            continue
        raw = json.dumps(row, ensure_ascii=False, sort_keys=True).encode("utf-8")
        yield row_to_incoming(row, origin, raw, "jsonl")


def iter_text_lines(path: Path, shown: str) -> Iterator[str]:
    """A UTF-8 file's lines (ends kept), one at a time; a bad byte names its line.

    Splitting the bytes at LF is safe: no UTF-8 sequence holds the byte 0x0A.
    A line over ``max_source_bytes()`` ends the file with a named error.
    """
    for number, raw in iter_bounded_lines(path, shown):
        if raw is None:
            raise SOURCE_TOO_LARGE(file=f"{shown}:{number}", what="the line", limit=max_source_bytes())
        line = decode_utf8(raw, file=f"{shown}:{number}")
        yield line.lstrip("\ufeff") if number == 1 else line


def read_csv_file(path: Path, shown: str) -> Iterator[Incoming | Problem]:
    """CSV with a header row, streamed (a quoted value may span lines); rows are numbered from 2."""
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    reader = csv.DictReader(iter_text_lines(path, shown), restkey=EXTRA)
    number = 1  # row 1 is the header
    try:
        if "text" not in (reader.fieldnames or []):
            yield NO_TEXT_COLUMN(file=shown)
            return
        for number, row in enumerate(reader, start=2):
            yield csv_row(row, f"{shown}#{number}")
    except csv.Error as exc:
        yield CSV_MALFORMED(file=f"{shown}#{number + 1}", reason=str(exc))


def csv_row(row: dict[str, Any], origin: str) -> Incoming | Problem:
    extra = row.pop(EXTRA, None)
    if extra:
        return CSV_ROW_TOO_LONG(file=origin, count=len(extra))
    raw = json.dumps(row, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return row_to_incoming(row, origin, raw, "csv")


def _table_rows(batches: Iterator[Any], shown: str, extractor: str) -> Iterator[Incoming | Problem]:
    number = 0
    for batch in batches:
        columns = batch.schema.names
        if "text" not in columns:
            yield NO_TEXT_COLUMN(file=shown)
            return
        for row in batch.to_pylist():
            number += 1
            raw = json.dumps(row, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
            kept = {k: (str(v) if k == "published" and v is not None else v) for k, v in row.items()}
            yield row_to_incoming(kept, f"{shown}#{number}", raw, extractor)


def read_parquet_file(path: Path, shown: str) -> Iterator[Incoming | Problem]:
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path)
    yield from _table_rows(handle.iter_batches(batch_size=PARQUET_BATCH), shown, "parquet")


def read_dataset_folder(path: Path, shown: str) -> Iterator[Incoming | Problem]:
    """A ``datasets`` folder (``save_to_disk``) or a folder of parquet files, every split."""
    if (path / "dataset_info.json").exists() or (path / "dataset_dict.json").exists():
        from datasets import Dataset, DatasetDict, load_from_disk

        loaded = load_from_disk(str(path))
        parts = loaded.values() if isinstance(loaded, DatasetDict) else [loaded]
        for part in parts:
            assert isinstance(part, Dataset)
            table = part.with_format("arrow")
            batches = (table[i : i + PARQUET_BATCH] for i in range(0, len(part), PARQUET_BATCH))
            yield from _table_rows((b.to_batches()[0] for b in batches if b.num_rows), shown, "datasets")
        return
    for file in sorted(path.rglob("*.parquet")):
        yield from read_parquet_file(file, f"{shown}/{file.relative_to(path)}")


READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".jsonl": read_json_lines,
    ".csv": read_csv_file,
    ".parquet": read_parquet_file,
}


def iter_incoming(path: Path, shown: str | None = None) -> Iterator[Incoming | Problem]:
    """Every article in ``path`` (a file of a known kind, or a dataset folder), streamed."""
    label = shown or str(path)
    if path.is_dir():
        return read_dataset_folder(path, label)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return iter([UNKNOWN_SOURCE(file=label, suffix=path.suffix or "(none)", known=", ".join(READERS))])
    return reader(path, label)
