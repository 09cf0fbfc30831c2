"""The build's record encoder gives what the datasets library's ``Features.encode_example`` gives.

The build encodes every record with ``features.RECORD_ENCODERS`` (the library's
walk over every token was a third of a rebuild); the reference here is the
library itself, on the real documents and on generated records.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.core.labels import BIO_TAGS, LABELS
from rasd.core.paths import Repo
from rasd.dataset.docwork import spans_record, tokens_record
from rasd.dataset.features import CONFIG_FEATURES, RECORD_ENCODERS
from rasd.dataset.unlabeled import unlabeled_record
from rasd.formats.predictions import PredictionsFile
from rasd.gold.annotations import iter_gold


def library(config: str, record: dict[str, Any]) -> Any:
    return CONFIG_FEATURES[config].encode_example(record)


def real_records(repo: Repo) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for document, status in iter_gold(repo):
        out.append(("spans", spans_record(document, "c-1")))
        out.append(("tokens", tokens_record(document)))
        suggestions = PredictionsFile(document.id, "0" * 64, "rules-1", document.spans)
        out.append(("unlabeled", unlabeled_record(document, status, "c-1", suggestions)))
        out.append(("unlabeled", unlabeled_record(document, "unannotated", "c-2", None)))
    return out


def test_every_real_record_encodes_as_the_library_does(real_repo: Repo) -> None:
    records = real_records(real_repo)
    assert {config for config, _ in records} == set(CONFIG_FEATURES)
    for config, record in records:
        assert RECORD_ENCODERS[config](record) == library(config, record)


def test_the_tags_really_are_mapped_to_numbers(real_repo: Repo) -> None:
    """The comparison above would pass if both sides kept names: the encoded tags are class indexes."""
    config, record = next((c, r) for c, r in real_records(real_repo) if c == "tokens")
    encoded = RECORD_ENCODERS[config](record)
    assert all(isinstance(tag, int) for tag in encoded["ner_tags"])
    assert [BIO_TAGS[tag] for tag in encoded["ner_tags"]] == record["ner_tags"]
    spans = RECORD_ENCODERS["spans"](next(r for c, r in real_records(real_repo) if c == "spans"))["spans"]
    assert all(isinstance(s["label"], int) and 0 <= s["label"] < len(LABELS) for s in spans)


maybe_text = st.none() | st.text(max_size=8)
tag = st.sampled_from(list(BIO_TAGS)) | st.integers(min_value=0, max_value=len(BIO_TAGS) - 1)


@st.composite
def tokens_records(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(min_value=0, max_value=12))
    ints = st.lists(st.integers(min_value=0, max_value=10_000), min_size=size, max_size=size)
    record: dict[str, Any] = {name: draw(maybe_text) for name in CONFIG_FEATURES["tokens"] if name != "id"}
    record.update(
        id=draw(st.text(min_size=1, max_size=8)),
        tokens=draw(st.lists(st.text(max_size=5), min_size=size, max_size=size)),
        ner_tags=draw(st.lists(tag, min_size=size, max_size=size)),
        token_starts=draw(ints),
        token_ends=draw(ints),
    )
    if draw(st.booleans()):
        record["extra key"] = "dropped by both"
    return record


@given(tokens_records())
def test_generated_tokens_records_encode_as_the_library_does(record: dict[str, Any]) -> None:
    assert RECORD_ENCODERS["tokens"](record) == library("tokens", record)


@pytest.mark.parametrize(
    "tags",
    [["B-NOPE"], ["O", "B-NOPE"], [0, "O"], [None, "O"], [None, None], ["O", 1]],
    ids=["bad-first", "bad-later", "number-first", "null-first", "all-null", "name-first"],
)
def test_lists_follow_the_library_rule(tags: list[Any]) -> None:
    """The first non-null value decides; a bad later name raises as the library raises."""
    record = {"id": "x", "tokens": ["a"] * len(tags), "ner_tags": tags}
    try:
        expected = library("tokens", record)
    except ValueError as error:
        with pytest.raises(ValueError, match=re.escape(str(error)[:20])):
            RECORD_ENCODERS["tokens"](record)
        return
    assert RECORD_ENCODERS["tokens"](record) == expected
