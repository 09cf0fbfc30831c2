"""Span equality is full; position-only comparison is explicit (``same_extent``)."""

from __future__ import annotations

import pytest

from rasd.core.labels import Label
from rasd.core.model import Span

BASE = Span(3, 7, Label.ORG, "s1", "داعش", value="islamic-state")


@pytest.mark.parametrize(
    "change",
    [{"id": "s2"}, {"value": "isis"}, {"note": "kept: quoted"}, {"score": 0.5}, {"text": "دولة"}],
)
def test_spans_differing_in_any_field_are_not_equal_but_have_the_same_extent(
    change: dict[str, object],
) -> None:
    other = BASE.replace(**change)
    assert other != BASE
    assert other.same_extent(BASE)
    assert len({BASE, other}) == 2


@pytest.mark.parametrize("change", [{"start": 2}, {"end": 8}, {"label": Label.PLATFORM}])
def test_a_different_position_or_label_is_a_different_extent(change: dict[str, object]) -> None:
    assert not BASE.replace(**change).same_extent(BASE)


def test_spans_sort_by_position_then_label_then_id() -> None:
    spans = [
        Span(5, 9, Label.LOC, "b", "x"),
        Span(3, 9, Label.ORG, "c", "x"),
        Span(3, 7, Label.ORG, "z", "x"),
        Span(3, 7, Label.ORG, "a", "x"),
        Span(3, 7, Label.DATE, "m", "x", value=None),
    ]
    assert [(s.start, s.end, s.label, s.id) for s in sorted(spans)] == [
        (3, 7, "DATE", "m"),
        (3, 7, "ORG", "a"),
        (3, 7, "ORG", "z"),
        (3, 9, "ORG", "c"),
        (5, 9, "LOC", "b"),
    ]
