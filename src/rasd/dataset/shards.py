"""The build's parquet shards: one file series per (config, split), written as Arrow record batches stream in.

The engine's workers make the rows of a batch of documents into one Arrow record
batch per (config, split) (``rasd.dataset.tables``); the parent only slices them
into row groups of ``ROW_GROUP`` documents, in document order, and writes.  A
row group is always the same rows whatever the batches were cut into (its
chunks are joined before it is written), so the files are the same bytes for
any worker count and batch size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from rasd.dataset.features import CONFIG_FEATURES
from rasd.dataset.stats import Stats

SHARD_SIZE = 2000  # documents per parquet file: small enough to stream, large enough to stay few
ROW_GROUP = 100  # documents per parquet row group


@dataclass
class _Shard:
    writer: pq.ParquetWriter
    index: int
    rows: int = 0
    pending: list[pa.RecordBatch] = field(default_factory=list)
    pending_rows: int = 0


class ShardWriter:
    """Parquet shards per (config, split), written as documents stream in.

    Rows are buffered into row groups of ``ROW_GROUP`` documents (one row group
    per document would bloat the footer, which the writer keeps in memory), and a
    new shard starts every ``SHARD_SIZE`` documents, so memory stays bounded
    however large the corpus grows.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._open: dict[tuple[str, str], _Shard] = {}
        self.shards: dict[tuple[str, str], list[Path]] = {}
        self.counts: dict[tuple[str, str], int] = {}
        self.nbytes: dict[tuple[str, str], int] = {}
        self.stats = Stats()
        """The statistics of the rows written (counted by the workers: the data is not read back for them)."""

    def write_rows(self, config: str, split: str, rows: pa.RecordBatch) -> None:
        """Rows (as ``Features.encode_example`` encodes them) in document order, as one record batch."""
        key = (config, split)
        done = 0
        while done < rows.num_rows:
            shard = self._open.get(key)
            if shard is None or shard.rows >= SHARD_SIZE:
                if shard is not None:
                    self._finish(key, shard)
                shard = self._start(key, 0 if shard is None else shard.index + 1)
            take = min(rows.num_rows - done, ROW_GROUP - shard.pending_rows, SHARD_SIZE - shard.rows)
            shard.pending.append(rows.slice(done, take))
            shard.pending_rows += take
            shard.rows += take
            self.counts[key] = self.counts.get(key, 0) + take
            done += take
            if shard.pending_rows >= ROW_GROUP:
                self._flush(key, shard)

    def _start(self, key: tuple[str, str], index: int) -> _Shard:
        config, split = key
        path = self.folder / config / f"{split}-{index:05d}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        shard = _Shard(pq.ParquetWriter(path, CONFIG_FEATURES[config].arrow_schema), index)
        self.shards.setdefault(key, []).append(path)
        self._open[key] = shard
        return shard

    def _flush(self, key: tuple[str, str], shard: _Shard) -> None:
        if shard.pending:
            schema = CONFIG_FEATURES[key[0]].arrow_schema
            table = pa.Table.from_batches(shard.pending, schema=schema).combine_chunks()
            shard.writer.write_table(table)
            self.nbytes[key] = self.nbytes.get(key, 0) + table.nbytes
            shard.pending, shard.pending_rows = [], 0

    def _finish(self, key: tuple[str, str], shard: _Shard) -> None:
        self._flush(key, shard)
        shard.writer.close()

    def close(self) -> dict[str, Path]:
        """Close every shard and give them their final ``-NNNNN-of-NNNNN`` names."""
        for key, shard in self._open.items():
            self._finish(key, shard)
        final: dict[str, Path] = {}
        for (config, split), paths in sorted(self.shards.items()):
            for i, path in enumerate(paths):
                name = f"data/{config}/{split}-{i:05d}-of-{len(paths):05d}.parquet"
                final[name] = path
        return final
