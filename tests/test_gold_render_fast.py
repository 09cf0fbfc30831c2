"""The gold file's shortcuts give exactly what they stand for.

``_span_line`` writes a span's line without the JSON encoder when every field is a
plain ``int``, a string or None: it must give the encoder's bytes for every span,
and hand any other span to the encoder.  ``raw_anchors`` must give what
``OffsetMap.raw_span`` gives (or raise what it raises); ``_span_of`` what
``span_from_json`` gives, field for field and in the same order.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.core.offsets import OffsetMap
from rasd.formats.gold import _span_line, _span_of, raw_anchors, span_from_json, span_to_json

# every code point, lone surrogates, quotes, backslashes and control characters included
anything = st.text(alphabet=st.characters(blacklist_categories=()), max_size=6)
labels = st.sampled_from(list(Label)) | st.sampled_from([str(label) for label in Label]) | anything
offsets = st.integers(min_value=-3, max_value=10**12) | st.booleans() | st.floats(allow_nan=False)
numbers = st.sampled_from(["1", "0", "1.5", "1900000", "-2", "0.001", "12345678901234567890", "1e3"])


def _reference_line(span: Span, raw: tuple[Any, Any]) -> str:
    """The line as the writer made it before the shortcut: ``json.dumps`` of the record."""
    record = span_to_json(span, raw=raw)
    return "    " + json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return "ok", call()
    except Exception as error:  # the shortcut must raise exactly what the reference raises
        return type(error).__name__, str(error)


plain = st.integers(min_value=0, max_value=10**12)


@given(
    start=plain,
    end=plain,
    label=st.sampled_from(list(Label)),
    span_id=anything,
    text=anything,
    value=st.none() | anything | numbers,
    note=st.none() | anything,
    raw=st.tuples(plain, plain),
)
def test_a_plain_span_line_is_the_encoders_line(
    start: int, end: int, label: str, span_id: str, text: str, value: Any, note: Any, raw: Any
) -> None:
    """The shortcut's own spans (plain ints, strings, None), each written as the encoder writes it."""
    span = Span(start, end, label, span_id, text, value, note)
    assert _outcome(lambda: _span_line(span, raw)) == _outcome(lambda: _reference_line(span, raw))


@given(
    start=offsets,
    end=offsets,
    label=labels,
    span_id=anything | st.none() | st.integers(),
    text=anything,
    value=st.none() | anything | numbers,
    note=st.none() | anything | st.integers(),
    score=st.none() | st.floats(allow_nan=False),
    raw=st.tuples(offsets, offsets),
)
def test_any_span_line_is_the_encoders_line(
    start: Any, end: Any, label: str, span_id: Any, text: str, value: Any, note: Any, score: Any, raw: Any
) -> None:
    """Any other span too (bools, floats, odd ids and notes, scores): the encoder's line or its error."""
    span = Span(start, end, label, span_id, text, value, note, score)
    assert _outcome(lambda: _span_line(span, raw)) == _outcome(lambda: _reference_line(span, raw))


def test_a_quantity_line_writes_its_value_as_a_number() -> None:
    """The shortcut's own case, spelled out: an integral QUANTITY value is a JSON number."""
    span = Span(3, 5, Label.QUANTITY, "s1", "١٢", "12", None)
    assert _span_line(span, (4, 6)) == (
        '    {"id": "s1", "start": 3, "end": 5, "label": "QUANTITY", "text": "١٢", "value": 12, "raw": [4, 6]}'
    )


@st.composite
def offset_maps(draw: st.DrawFn) -> OffsetMap:
    """Maps made as cleaning makes them: copied stretches and replacements, raw characters skipped."""
    pieces = []
    at = raw = 0
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        length = draw(st.integers(min_value=1, max_value=9))
        step = draw(st.sampled_from([0, 1]))
        raw += draw(st.integers(min_value=0, max_value=3))  # removed raw characters
        pieces.append((at, length, raw, step))
        at += length
        raw += length if step else 1
    return OffsetMap.from_pieces(pieces, at)


@given(offset_maps(), st.lists(st.tuples(offsets, offsets), max_size=3), st.data())
def test_raw_anchors_are_the_maps_raw_spans(
    offset_map: OffsetMap, odd: list[tuple[Any, Any]], data: st.DataObject
) -> None:
    """Spans in and around the text (and any odd offsets): the same anchors, or the same error."""
    near = st.integers(min_value=-1, max_value=offset_map.text_length + 1)
    places = data.draw(st.lists(st.tuples(near, near), max_size=8)) + odd
    spans = [Span(start, end, Label.ORG, "s", "x") for start, end in places]
    expected = _outcome(lambda: [offset_map.raw_span(s.start, s.end) for s in spans])
    assert _outcome(lambda: raw_anchors(offset_map, spans)) == expected


gold_records = st.fixed_dictionaries(
    {
        "id": anything,
        "start": st.integers(min_value=0),
        "end": st.integers(min_value=1),
        "label": st.sampled_from([str(label) for label in Label]),
        "text": anything,
        "raw": st.just([0, 1]),
    },
    optional={
        "value": st.none() | anything | st.integers() | st.floats(allow_nan=False, allow_infinity=False),
        "note": anything,
    },
)


@given(gold_records)
def test_a_span_read_is_the_span_of_its_record(record: dict[str, Any]) -> None:
    made, built = _span_of(record), span_from_json(record)
    assert made == built
    assert list(vars(made).items()) == list(vars(built).items())
    assert type(made.value) is type(built.value)


@pytest.mark.parametrize("value", [None, "x", 3])
def test_the_encoder_is_still_used_for_a_score(value: Any) -> None:
    """A machine suggestion's score (a float) is never written by the shortcut."""
    span = Span(0, 1, Label.QUANTITY if value == 3 else Label.ORG, "s", "x", None, None, 0.5)
    assert _span_line(span, (0, 1)).endswith('"score": 0.5}')
