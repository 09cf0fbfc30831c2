"""The build's column-by-column record batches against the complete way: encode each record, ``from_pylist``.

``tables.record_batch`` makes a config's rows column by column
(``features.COLUMN_BUILDERS``) when every value is plain, and otherwise encodes
each record (``features.RECORD_ENCODERS``, itself held to the library by
``tests/test_features.py``) and calls ``RecordBatch.from_pylist``.  The
reference here is that complete way, written out; batches, schemas (with their
metadata) and statistics must be equal, and a record the complete way refuses
must be refused alike.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.core.errors import FastPathDeclined
from rasd.core.labels import BIO_TAGS, LABELS
from rasd.core.paths import Repo
from rasd.dataset.docwork import spans_record, tokens_record
from rasd.dataset.features import ARROW_SCHEMAS, COLUMN_BUILDERS, CONFIG_FEATURES, RECORD_ENCODERS
from rasd.dataset.stats import Stats, count_row
from rasd.dataset.tables import record_batch
from rasd.dataset.unlabeled import unlabeled_record
from rasd.formats.predictions import PredictionsFile
from rasd.gold.annotations import iter_gold


def reference(config: str, split: str, records: list[dict[str, Any]]) -> tuple[pa.RecordBatch, Stats]:
    """Each record encoded, counted as an encoded row, and the rows given to ``from_pylist``."""
    stats = Stats()
    rows = [RECORD_ENCODERS[config](record) for record in records]
    for row in rows:
        count_row(stats, config, split, row)
    return pa.RecordBatch.from_pylist(rows, schema=CONFIG_FEATURES[config].arrow_schema), stats


def same_stats(a: Stats, b: Stats) -> bool:
    return (+a.documents, +a.tokens, +a.spans, +a.span_chars) == (
        +b.documents,
        +b.tokens,
        +b.spans,
        +b.span_chars,
    ) and {k: v for k, v in a.entities.items() if v} == {k: v for k, v in b.entities.items() if v}


def assert_as_reference(config: str, records: list[dict[str, Any]]) -> None:
    try:
        expected, expected_stats = reference(config, "train", records)
    except Exception as error:  # the complete way refuses: so must the build, with the same error type
        with pytest.raises(type(error)):
            record_batch(config, "train", records, Stats())
        return
    stats = Stats()
    batch = record_batch(config, "train", records, stats)
    assert batch.equals(expected)
    assert batch.schema.equals(expected.schema, check_metadata=True)
    assert same_stats(stats, expected_stats)


def real_records(repo: Repo) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"spans": [], "tokens": [], "unlabeled": []}
    for document, status in iter_gold(repo):
        out["spans"].append(spans_record(document, "c-1"))
        out["tokens"].append(tokens_record(document))
        suggestions = PredictionsFile(document.id, "0" * 64, "rules-1", document.spans)
        out["unlabeled"].append(unlabeled_record(document, status, "c-1", suggestions))
        out["unlabeled"].append(unlabeled_record(document, "unannotated", "c-2", None))
    return out


def test_the_real_records_are_made_column_by_column_as_the_complete_way_makes_them(real_repo: Repo) -> None:
    for config, records in real_records(real_repo).items():
        assert records
        COLUMN_BUILDERS[config](records)  # plain: no fall back (else this test would compare nothing new)
        assert_as_reference(config, records)
        assert_as_reference(config, records[:1])
        assert_as_reference(config, [])


def test_the_schemas_made_once_are_the_features_schemas() -> None:
    for config, features in CONFIG_FEATURES.items():
        assert ARROW_SCHEMAS[config].equals(features.arrow_schema, check_metadata=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", b"bytes"),  # arrow takes bytes as a string; the encoder makes "b'bytes'"
        ("id", 7),
        ("tokens", ("a",)),
        ("tokens", [b"a"]),
        ("ner_tags", [0]),
        ("ner_tags", [True]),
        ("token_starts", [True]),
        ("token_starts", [1.0]),
        ("ner_tags", ["B-NOPE"]),
        ("tokens", None),
    ],
)
def test_a_value_that_is_not_plain_goes_the_complete_way(field: str, value: Any) -> None:
    record = {"id": "d", "tokens": ["a"], "ner_tags": ["O"], "token_starts": [0], "token_ends": [1]}
    record[field] = value
    with pytest.raises((FastPathDeclined, KeyError, TypeError, ValueError)):
        COLUMN_BUILDERS["tokens"]([record])
    assert_as_reference("tokens", [record])


# Values of every kind the fields could be given: plain ones (``plain=True``), and near misses too.
text = st.text(max_size=6)
loose = st.one_of(st.none(), text, st.binary(max_size=3), st.integers(-3, 3), st.booleans(), st.floats(0, 2))


def kinds(plain: bool) -> dict[str, st.SearchStrategy[Any]]:
    """Strategies by kind of value: plain values only, or plain values and near misses."""
    mix = (lambda s: s) if plain else (lambda s: s | s | loose)
    number = mix(st.integers(0, 10_000))
    label = mix(st.sampled_from(list(LABELS)))

    def lists(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        listed = st.lists(values, max_size=4)
        return listed if plain else listed | listed.map(tuple) | st.none()

    def span_dicts(extra: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
        fields = {"id": text, "start": number, "end": number, "label": label, "text": text}
        whole = st.fixed_dictionaries({**fields, "value": text | st.none(), **extra})
        if plain:
            return whole
        return (
            whole
            | whole.map(lambda d: {k: v for k, v in d.items() if k != "end"})
            | whole.map(lambda d: {**d, "more": 1})
        )

    offsets = st.fixed_dictionaries({"text_start": number, "raw_start": number, "length": number})
    score = st.floats(0, 1) | st.none() if plain else st.floats(0, 1) | st.none() | st.integers(0, 1)
    suggestion = {"score": score, "source": text, "model_version": text}
    return {
        "offset_map": lists(offsets),
        "spans": lists(span_dicts({})),
        "suggestions": lists(span_dicts(suggestion)),
        "tokens": lists(mix(text)),
        "ner_tags": lists(mix(st.sampled_from(list(BIO_TAGS)))),
        "token_starts": lists(number),
        "token_ends": lists(number),
        "string": mix(text | st.none()),
    }


PLAIN, MIXED = kinds(True), kinds(False)


@st.composite
def records(draw: st.DrawFn, config: str) -> dict[str, Any]:
    """A plain record, and at times one of its fields given a value of any kind, or left out."""
    record = {name: draw(PLAIN.get(name, PLAIN["string"])) for name in CONFIG_FEATURES[config]}
    spoilt = draw(st.sampled_from([None, None, *sorted(record)]))
    if spoilt is not None:
        if draw(st.booleans()):
            record[spoilt] = draw(MIXED.get(spoilt, MIXED["string"]))
        else:
            del record[spoilt]
    return record


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(sorted(CONFIG_FEATURES)).flatmap(
        lambda c: st.tuples(st.just(c), st.lists(records(c), max_size=3))
    )
)
def test_generated_records_are_made_as_the_complete_way_makes_them(
    case: tuple[str, list[dict[str, Any]]],
) -> None:
    assert_as_reference(*case)
