"""The second pass's rows as Arrow record batches, made by the engine's workers.

A worker reads a batch of documents' records back from the cache
(``docwork.records_batch``) and makes one Arrow record batch per (config,
split), the documents in id order, with the statistics of those rows.  The
records the build makes hold plain values of the schema's types (labels as
names), so each column is made at once (``features.column_builder``: one
``pa.array`` per leaf field); any other value sends the rows the complete way,
encoded one by one (``features.RECORD_ENCODERS``) and given to
``RecordBatch.from_pylist``, which makes the same batch or raises what it raises.  The parent only
slices them into row groups and writes (``rasd.dataset.shards``): it neither
unpickles Python rows nor converts them, so the writing keeps up with the
workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from rasd.dataset.docwork import Item, Job, records_batch
from rasd.dataset.features import ARROW_SCHEMAS, COLUMN_BUILDERS, NOT_PLAIN, RECORD_ENCODERS
from rasd.dataset.shards import ROW_GROUP
from rasd.dataset.stats import Stats, count_records, count_row
from rasd.formats.buildcache import Location

TableItem = tuple[Job, str, str, str, int, "Location | None", bool]
"""A document of the second pass: job, cache key, story cluster, split, the position of its rows in
their (config, split) (``buildpass.SecondPass.tables``), entry location, in ``job.fresh``."""


@dataclass(frozen=True)
class Tables:
    """A batch's rows: record batches by (config, split), in document order, and their statistics."""

    documents: int
    rows: tuple[tuple[str, str, pa.RecordBatch], ...]
    stats: Stats


def tables_batch(items: list[TableItem]) -> Tables:
    """The second pass over one batch as record batches (an engine task: module level, for the workers).

    One record batch per (config, split) and row group (``shards.ROW_GROUP``): a
    row group's rows are then the same pieces whatever the batches, and joined
    they are the same arrays, and sizes, as the row group made at once (a slice
    of a longer record batch is not: it keeps buffers its rows do not need).
    """
    plain: list[Item] = [(job, key, cluster, place, fresh) for job, key, cluster, _, _, place, fresh in items]
    grouped: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for item, (_, _, records) in zip(items, records_batch(plain, encode=False), strict=True):
        split, group = item[3], item[4] // ROW_GROUP
        for config, record in records.items():
            grouped.setdefault((config, split, group), []).append(record)
    stats = Stats()
    rows = tuple(
        (config, split, record_batch(config, split, group, stats))
        for (config, split, _), group in grouped.items()
    )
    return Tables(len(items), rows, stats)


def record_batch(config: str, split: str, records: list[dict[str, Any]], stats: Stats) -> pa.RecordBatch:
    """The rows of ``records`` (as the build makes them) as one record batch, counted in ``stats``.

    Made column by column (``features.COLUMN_BUILDERS``) when every value is a
    plain one of its field's type; else (``FastPathDeclined``, or a value arrow
    refuses) the complete way: each record encoded as ``Features.encode_example``
    does, then ``RecordBatch.from_pylist``.  Both give equal batches
    (``tests/test_tables_columns.py``).
    """
    schema = ARROW_SCHEMAS[config]
    try:
        batch = pa.RecordBatch.from_arrays(COLUMN_BUILDERS[config](records), schema=schema)
    except NOT_PLAIN:
        encoded = [RECORD_ENCODERS[config](record) for record in records]
        for row in encoded:
            count_row(stats, config, split, row)
        return pa.RecordBatch.from_pylist(encoded, schema=schema)
    count_records(stats, config, split, records)
    return batch
