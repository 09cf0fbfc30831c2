"""Corpus statistics, read from the released parquet files batch by batch.

Both ``rasd stats`` and the card use this one function over the released data,
so the card can only show what a researcher gets from ``load_dataset``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from rasd.core.labels import LABELS
from rasd.dataset.card import markdown_table
from rasd.dataset.parquet import count_list_field, count_list_items, iter_list_fields
from rasd.dataset.splits import SPLIT_ORDER


@dataclass
class Stats:
    documents: Counter[str] = field(default_factory=Counter)
    tokens: Counter[str] = field(default_factory=Counter)
    spans: Counter[tuple[str, str]] = field(default_factory=Counter)
    span_chars: Counter[str] = field(default_factory=Counter)
    entities: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def splits(self) -> list[str]:
        return [s for s in SPLIT_ORDER if self.documents[s]]

    def add(self, other: Stats) -> None:
        """Count ``other``'s documents, tokens and spans too (the batches of one build, say)."""
        self.documents.update(other.documents)
        self.tokens.update(other.tokens)
        self.spans.update(other.spans)
        self.span_chars.update(other.span_chars)
        for label, values in other.entities.items():
            self.entities[label] |= values

    def spans_per_label(self, label: str) -> int:
        return sum(n for (_, lab), n in self.spans.items() if lab == label)

    def table(self) -> str:
        """Documents, tokens and spans per label, per split and in total (Markdown)."""
        splits = self.splits
        header = ["", *splits, "total"]

        def row(name: str, values: list[int]) -> list[object]:
            return [name, *values, sum(values)]

        rows = [
            row("documents", [self.documents[s] for s in splits]),
            row("tokens", [self.tokens[s] for s in splits]),
        ]
        rows += [row(f"spans {label}", [self.spans[(s, label)] for s in splits]) for label in LABELS]
        rows.append(row("spans (all)", [sum(self.spans[(s, lab)] for lab in LABELS) for s in splits]))
        return markdown_table(header, rows)

    def label_table(self) -> str:
        """Per label: spans, distinct entities and mean span length in characters."""
        rows: list[list[object]] = []
        for label in LABELS:
            n = self.spans_per_label(label)
            mean = f"{self.span_chars[label] / n:.1f}" if n else "–"
            rows.append([label, n, len(self.entities[label]), mean])
        return markdown_table(["label", "spans", "distinct entities", "mean length (chars)"], rows)


def _shown(path: Path) -> str:
    """``dataset/data/CONFIG/FILE`` (how messages name a data file)."""
    return f"dataset/data/{path.parent.name}/{path.name}"


def count_row(stats: Stats, config: str, split: str, row: dict[str, Any]) -> None:
    """Add one encoded row (as written to the parquet files) to ``stats``: what ``compute_stats`` reads back.

    The build counts the rows it writes, so it never reads its data back;
    ``tests/test_stats.py`` checks both give the same statistics.
    """
    if config == "spans":
        stats.documents[split] += 1
        for span in row["spans"]:
            label, text = LABELS[span["label"]], span["text"]
            stats.spans[(split, label)] += 1
            stats.span_chars[label] += len(text)
            stats.entities[label].add(span["value"] or text)
    elif config == "tokens":
        stats.tokens[split] += len(row["tokens"])


def count_records(stats: Stats, config: str, split: str, records: list[dict[str, Any]]) -> None:
    """``count_row`` of each record's encoded row, from records as the build makes them (labels as names).

    Only for records whose every label is a name of ``LABELS`` (the name its
    encoded index stands for); ``tests/test_tables_columns.py`` checks both give
    the same statistics.
    """
    if config == "spans":
        stats.documents[split] += len(records)
        spans = list(chain.from_iterable(record["spans"] for record in records))
        labels = [span["label"] for span in spans]
        stats.spans.update(zip(repeat(split), labels))
        for label, span in zip(labels, spans, strict=True):
            text = span["text"]
            stats.span_chars[label] += len(text)
            stats.entities[label].add(span["value"] or text)
    elif config == "tokens":
        stats.tokens[split] += sum(len(record["tokens"]) for record in records)


def compute_stats(data_dir: Path) -> Stats:
    """Statistics of the parquet files under ``data_dir`` (``spans/`` and ``tokens/``)."""
    stats = Stats()
    for path in sorted((data_dir / "spans").glob("*.parquet")):
        split = path.name.split("-", 1)[0]
        fields = iter_list_fields(path, "spans", ("label", "text", "value"), file=_shown(path))
        for rows, (labels, texts, values) in fields:
            stats.documents[split] += rows
            for number, text, value in zip(labels, texts, values, strict=True):
                label = LABELS[number]
                stats.spans[(split, label)] += 1
                stats.span_chars[label] += len(text)
                stats.entities[label].add(value or text)
    for path in sorted((data_dir / "tokens").glob("*.parquet")):
        split = path.name.split("-", 1)[0]
        stats.tokens[split] += count_list_items(path, "tokens", file=_shown(path))
    return stats


def compute_span_counts(data_dir: Path) -> Stats:
    """``compute_stats``'s documents and spans per split and label only (what the chart draws), by arrow."""
    stats = Stats()
    for path in sorted((data_dir / "spans").glob("*.parquet")):
        split = path.name.split("-", 1)[0]
        rows, counts = count_list_field(path, "spans", "label", file=_shown(path))
        stats.documents[split] += rows
        for number, count in sorted(counts.items()):
            stats.spans[(split, LABELS[number])] += count
    return stats
