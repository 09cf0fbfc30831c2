"""Fast paths after the matchers, each against the plain version: resolution, a span's line written directly.

``resolve`` looks up only the kept candidates that may overlap, and refuses a repeated extent at
once; it must keep what the plain all-pairs resolution keeps.

``span_line`` writes a stored span's JSON line without a dict and an encoder call; it must
write what ``json.dumps(span_record(span), ensure_ascii=False)`` writes, for every value a
``Span`` may hold (the unusual ones go to the encoder).
"""

from __future__ import annotations

import json
import math
from enum import IntEnum

from hypothesis import given
from hypothesis import strategies as st

from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.formats.predictions import PredictionsFile, render_predictions, span_line, span_record
from rasd.preannotate.candidates import Candidate
from rasd.preannotate.resolve import compatible, resolve


class _Number(IntEnum):
    ONE = 1


class _Text(str):
    pass


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ['"', "\\", "\u2028", "\x00", "\x7f", "عمّان", "\ud800"]
)
_SCORE = st.none() | st.floats() | st.sampled_from([1.0, 0.125, 0.85, 1e-7, 1e22, math.nan, -math.inf])
_INT = st.integers(min_value=-5, max_value=10**20) | st.sampled_from([True, False, _Number.ONE])
_STRING = _TEXT | st.sampled_from(list(Label)) | _TEXT.map(_Text)


@given(
    start=_INT,
    end=_INT,
    label=_STRING,
    span_id=_STRING,
    text=_STRING,
    value=st.none() | _STRING | st.integers() | st.floats(),
    score=_SCORE | st.integers(),
)
def test_a_span_line_is_the_json_of_its_record(
    start: int, end: int, label: str, span_id: str, text: str, value: str | None, score: float | None
) -> None:
    span = Span(start, end, label, span_id, text, value, None, score)
    assert span_line(span) == json.dumps(span_record(span), ensure_ascii=False)


def test_the_file_holds_one_line_per_span_as_before() -> None:
    spans = (
        Span(0, 3, Label.LOC, "s1", "نص", None, score=0.5),
        Span(4, 9, Label.QUANTITY, "s2", "٢٦ ألف", "26000", score=math.nan),
    )
    lines = render_predictions(PredictionsFile("doc", "f" * 64, "m", spans)).split("\n")
    assert lines[5:7] == [
        '    {"id": "s1", "start": 0, "end": 3, "label": "LOC", "text": "نص", "value": null, "score": 0.5},',
        '    {"id": "s2", "start": 4, "end": 9, "label": "QUANTITY", "text": "٢٦ ألف", "value": "26000", '
        '"score": NaN}',
    ]


def _plain_resolve(candidates: list[Candidate]) -> list[Candidate]:
    """``resolve`` as the spec says it: most confident (then longest) first, each kept beside all kept."""
    ordered = sorted(candidates, key=lambda c: (-c.score, -(c.end - c.start), c.start, c.label))
    kept: list[Candidate] = []
    for c in ordered:
        if c.start < c.end and all(compatible(c, k) for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, -c.end))


_CANDIDATE = st.builds(
    Candidate,
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=0, max_value=14),
    st.sampled_from(list(Label)),
    st.sampled_from([0.5, 0.55, 0.7, 0.85, 0.9]),
    st.sampled_from([None, "a", "b"]),
    st.sampled_from(["lexicon:registry", "lexicon:builtin", "cue:org-head", "cue:place-head", "cue:x"]),
)


@given(st.lists(_CANDIDATE, max_size=40))
def test_resolve_keeps_what_the_plain_resolution_keeps(candidates: list[Candidate]) -> None:
    assert resolve(candidates) == _plain_resolve(candidates)
