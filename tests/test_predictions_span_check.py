"""A stored suggestion is read by a quick test of exact types first: it must never let a fault through.

Every field of a right span is replaced, in turn, by values of every JSON type (and a
few that only a caller could pass); the quick path must then give exactly what the
full check (``_span_fault``) gives: the same span, or the same named problem.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rasd.core.errors import RasdError, unbundle
from rasd.core.model import Span
from rasd.formats import predictions
from rasd.formats.predictions import _read_span, _span_fault, read_predictions


class Number(int):
    """An int that is not exactly ``int`` (JSON never makes one; the quick path must not assume)."""


RIGHT = {"id": "s1", "start": 0, "end": 3, "label": "ORG", "text": "abc", "value": "v", "score": 0.5}
ODD_VALUES: list[Any] = [None, True, False, 0, 7, 2.0, 0.25, "", "ORG", "x", [], [1], {}, {"a": 1}, Number(3)]
MISSING = object()


def _variants() -> list[Any]:
    variants: list[Any] = [dict(RIGHT), [], "span", 3, None]
    for key in RIGHT:
        for odd in [*ODD_VALUES, MISSING]:
            record = dict(RIGHT)
            if odd is MISSING:
                del record[key]
            else:
                record[key] = odd
            variants.append(record)
    variants.append({**RIGHT, "extra": 1})
    variants.append({**RIGHT, "label": "NOT_A_LABEL"})
    return variants


def _slow(record: Any) -> str:
    fault = _span_fault(record)
    return fault if fault is not None else "right"


@pytest.mark.parametrize("record", _variants(), ids=repr)
def test_the_quick_path_agrees_with_the_full_check(record: Any) -> None:
    read = _read_span(record, 0, file="p.json", document="d")
    expected = _slow(record)
    if expected == "right":
        assert isinstance(read, Span)
        assert (read.id, read.start, read.end, read.label, read.text) == tuple(
            record[k] for k in ("id", "start", "end", "label", "text")
        )
        assert read.value == record.get("value")
        assert read.score == (None if record.get("score") is None else float(record["score"]))
    else:
        assert isinstance(read, RasdError)
        assert read.code == "RASD-E704"
        assert f"({expected})" in str(read)


def test_bool_offsets_and_scores_are_faults() -> None:
    """The cases an ``isinstance`` quick path would get wrong: a bool is an int to Python."""
    for key, odd in (("start", True), ("end", False), ("score", True)):
        assert isinstance(_read_span({**RIGHT, key: odd}, 0, file="p.json", document="d"), RasdError)
    assert isinstance(_read_span({**RIGHT, "start": Number(0)}, 0, file="p.json", document="d"), Span)


def test_every_faulty_span_of_a_file_is_named(tmp_path: Path) -> None:
    spans = [RIGHT, {**RIGHT, "start": 1.0}, {**RIGHT, "label": "NOPE"}, "x", {**RIGHT, "id": None}]
    path = tmp_path / "d.json"
    head = {"document": "d", "text_sha256": "0" * 64, "model_version": "m"}
    path.write_text(json.dumps({**head, "spans": spans}), encoding="utf-8")
    with pytest.raises(RasdError) as caught:
        read_predictions(path, file="p.json", document="d")
    found = unbundle(caught.value)
    assert [e.values["index"] for e in found] == [1, 2, 3, 4]
    assert all(e.code == "RASD-E704" for e in found)
    assert predictions.PREDICTION_SPAN_MALFORMED.code == "RASD-E704"
