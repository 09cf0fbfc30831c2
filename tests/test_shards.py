"""The shard writer: row groups of ``ROW_GROUP`` rows and shards of ``SHARD_SIZE``, whatever the pieces."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rasd.dataset import shards
from rasd.dataset.features import CONFIG_FEATURES

SCHEMA = CONFIG_FEATURES["tokens"].arrow_schema


def rows(first: int, count: int) -> pa.RecordBatch:
    made = [
        {name: None for name in SCHEMA.names}
        | {"id": f"d{i:03d}", "tokens": ["a"] * (i % 3), "ner_tags": [0] * (i % 3)}
        for i in range(first, first + count)
    ]
    return pa.RecordBatch.from_pylist(made, schema=SCHEMA)


@pytest.mark.parametrize("pieces", [[23], [1] * 23, [5, 5, 5, 5, 3], [4, 1, 7, 11]])
def test_row_groups_and_shards_are_the_same_whatever_the_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces: list[int]
) -> None:
    monkeypatch.setattr(shards, "ROW_GROUP", 3)
    monkeypatch.setattr(shards, "SHARD_SIZE", 9)
    writer = shards.ShardWriter(tmp_path)
    first = 0
    for count in pieces:
        writer.write_rows("tokens", "train", rows(first, count))
        first += count
    final = writer.close()
    assert sorted(final) == [f"data/tokens/train-{i:05d}-of-00003.parquet" for i in range(3)]
    ids, groups = [], []
    for name in sorted(final):
        parquet = pq.ParquetFile(final[name])
        groups.append([parquet.metadata.row_group(g).num_rows for g in range(parquet.num_row_groups)])
        ids += parquet.read().column("id").to_pylist()
    assert groups == [[3, 3, 3], [3, 3, 3], [3, 2]]
    assert ids == [f"d{i:03d}" for i in range(23)]
    assert writer.counts == {("tokens", "train"): 23}
