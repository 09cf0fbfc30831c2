"""The import's shortcuts give exactly what they stand for: ``made_span`` (a fast ``Span``), ``digest16``."""

from __future__ import annotations

import dataclasses
import hashlib

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


@given(st.lists(st.text(max_size=8), max_size=6), st.lists(st.integers(0, 5), max_size=12))
def test_the_remembered_hash_is_the_hash_of_the_text_given(texts: list[str], order: list[int]) -> None:
    """``text_sha256`` remembers the last text (by identity): the same object, an equal copy and
    another text each get their own sha256, in any order, and ``digest16`` its prefix."""
    pool = texts + ["".join(list(t)) for t in texts]  # equal copies, mostly other objects
    for at in order:
        if pool:
            text = pool[at % len(pool)]
            expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
            assert text_sha256(text) == expected
            assert digest16(text) == bytes.fromhex(expected)[:16]
            assert text_sha256(text) == expected
