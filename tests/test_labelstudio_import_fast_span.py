"""The import's shortcuts give exactly what they stand for: ``made_span`` (a fast ``Span``), ``digest16``."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.formats.gold import text_sha256
from rasd.labelstudio.spans import made_span
from rasd.labelstudio.taskwork import digest16

maybe_text = st.none() | st.text(max_size=5)


def test_span_is_a_plain_frozen_dataclass() -> None:
    """What ``made_span`` relies on: fields in ``__dict__``, nothing run after ``__init__``."""
    assert not hasattr(Span, "__post_init__")
    assert not hasattr(Span, "__slots__")
    names = [f.name for f in dataclasses.fields(Span)]
    assert names == ["start", "end", "label", "id", "text", "value", "note", "score"]
    made = made_span(1, 2, Label.ORG, "s1", "x", None, None)
    assert vars(made) == vars(Span(1, 2, Label.ORG, "s1", "x"))


@given(
    st.integers(),
    st.integers(),
    st.sampled_from(list(Label)),
    st.text(max_size=5),
    st.text(max_size=5),
    maybe_text,
    maybe_text,
)
def test_made_span_equals_the_constructed_one(
    start: int, end: int, label: Label, span_id: str, text: str, value: str | None, note: str | None
) -> None:
    made = made_span(start, end, label, span_id, text, value, note)
    built = Span(start, end, label, span_id, text, value, note)
    assert type(made) is Span
    assert made == built
    assert hash(made) == hash(built)
    assert repr(made) == repr(built)
    assert vars(made) == vars(built)
    assert dataclasses.replace(made, note="n") == dataclasses.replace(built, note="n")


@given(st.text())
def test_the_import_digest_is_the_gold_hash_prefix(text: str) -> None:
    """``digest16`` keys the duplicate check with the prefix of the hash gold files record."""
    assert digest16(text) == bytes.fromhex(text_sha256(text))[:16]
