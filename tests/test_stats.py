"""The build counts its statistics from the rows it writes; they are what reading the data back gives."""

from __future__ import annotations

from typing import Any

import pytest
from test_build_parallel import add_articles

from rasd.core.engine import EngineSpec
from rasd.core.paths import Repo
from rasd.dataset.build import BuildOptions
from rasd.dataset.stats import Stats, compute_span_counts, compute_stats, count_row
from rasd.pipeline import build


def fields(stats: Stats) -> dict[str, Any]:
    return {
        "documents": +stats.documents,
        "tokens": +stats.tokens,
        "spans": +stats.spans,
        "span_chars": +stats.span_chars,
        "entities": {label: values for label, values in stats.entities.items() if values},
    }


@pytest.mark.parametrize("batch", [3, 64])
def test_the_build_s_statistics_are_the_data_s(repo: Repo, batch: int) -> None:
    add_articles(repo, 40, gold_every=2)
    report = build(repo, progress=False, options=BuildOptions(spec=EngineSpec("sync"), batch=batch))
    read_back = compute_stats(repo.data_dir)
    assert sum(read_back.documents.values()) > 20
    assert sum(read_back.spans.values()) > 20
    assert fields(report.stats) == fields(read_back)
    assert report.stats.table() == read_back.table()
    assert report.stats.label_table() == read_back.label_table()


def test_the_chart_s_counts_are_the_statistics_documents_and_spans(repo: Repo) -> None:
    add_articles(repo, 40, gold_every=2)
    build(repo, progress=False, options=BuildOptions(spec=EngineSpec("sync"), batch=7))
    full, counted = compute_stats(repo.data_dir), compute_span_counts(repo.data_dir)
    assert sum(counted.spans.values()) > 20
    assert (+counted.documents, +counted.spans) == (+full.documents, +full.spans)
    assert counted.splits == full.splits


def test_a_row_counts_its_spans_its_tokens_and_nothing_else() -> None:
    stats = Stats()
    span = {"label": 0, "text": "abc", "value": None}
    count_row(stats, "spans", "train", {"spans": [span, {**span, "value": "x"}]})
    count_row(stats, "tokens", "train", {"tokens": ["a", "b", "c"]})
    count_row(stats, "unlabeled", "train", {"suggestions": [span]})
    assert +stats.documents == {"train": 1}
    assert +stats.tokens == {"train": 3}
    assert sum(stats.spans.values()) == 2
    assert sum(stats.span_chars.values()) == 6
    assert sorted(v for values in stats.entities.values() for v in values) == ["abc", "x"]
