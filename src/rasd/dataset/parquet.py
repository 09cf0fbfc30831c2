"""Reading the released parquet files, with a damaged file as a named error.

Every reader of ``dataset/data/*/*.parquet`` (``rasd validate``, ``stats``,
``preview --released``, the card statistics, ``rasd diff``) streams rows through
``iter_rows``, so a truncated or overwritten file gives ``RASD-E528`` naming
the file instead of pyarrow's ``ArrowInvalid`` traceback.  The writer is the
build's ``ShardWriter``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from rasd.core.problems.versions import DATA_FILE_UNREADABLE

BATCH = 256


def iter_batches(path: Path, *, file: str, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
    """The record batches of one parquet file; a damaged file is a named error."""
    try:
        parquet = pq.ParquetFile(path)
        yield from parquet.iter_batches(batch_size=BATCH, columns=list(columns) if columns else None)
    except (pa.ArrowException, OSError) as exc:
        raise DATA_FILE_UNREADABLE(file=file, reason=str(exc).strip().splitlines()[0]) from None


def iter_rows(path: Path, *, file: str) -> Iterator[dict[str, Any]]:
    """Every row of one parquet file as a dict, streamed."""
    for batch in iter_batches(path, file=file):
        yield from batch.to_pylist()


def iter_column(path: Path, column: str, *, file: str) -> Iterator[Any]:
    """One column's values of one parquet file, streamed."""
    for batch in iter_batches(path, file=file, columns=[column]):
        yield from batch.column(column).to_pylist()


def count_list_items(path: Path, column: str, *, file: str) -> int:
    """The number of values in a list column of one parquet file, counted by arrow (no Python objects)."""
    total = 0
    for batch in iter_batches(path, file=file, columns=[column]):
        lengths = pc.list_value_length(batch.column(column))
        total += pc.sum(lengths).as_py() or 0
    return total


def iter_list_fields(
    path: Path, column: str, fields: Sequence[str], *, file: str
) -> Iterator[tuple[int, list[list[Any]]]]:
    """Per batch: its row count and, for a list-of-structs column, each named field of every item, flat."""
    for batch in iter_batches(path, file=file, columns=[column]):
        items = batch.column(column).flatten()
        yield batch.num_rows, [items.field(name).to_pylist() for name in fields]


def count_list_field(path: Path, column: str, name: str, *, file: str) -> tuple[int, dict[Any, int]]:
    """The row count and, for a list-of-structs column, how often each value of one field occurs."""
    rows, counts = 0, dict[Any, int]()
    for batch in iter_batches(path, file=file, columns=[column]):
        rows += batch.num_rows
        for pair in pc.value_counts(batch.column(column).flatten().field(name)).to_pylist():
            counts[pair["values"]] = counts.get(pair["values"], 0) + pair["counts"]
    return rows, counts
