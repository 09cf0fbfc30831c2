"""The region shortcuts give exactly what they stand for: ``Region`` stays an immutable record,
``regions_to_spans`` makes the spans the ``Span`` constructor and ``new_span_id`` make."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.core.labels import Label
from rasd.core.model import Document, Source, Span
from rasd.core.offsets import OffsetMap
from rasd.core.spans import new_span_id
from rasd.labelstudio.offsets import CODE_POINTS, UTF16
from rasd.labelstudio.regions import Region
from rasd.labelstudio.spans import regions_to_spans

maybe_text = st.none() | st.text(max_size=4)


@st.composite
def regions_of(draw: st.DrawFn) -> tuple[Document, list[Region], set[str]]:
    text = draw(st.text(min_size=1, max_size=30))
    document = Document(
        draw(st.text(min_size=1, max_size=5)), text, None, Source("d.txt"), OffsetMap.identity(len(text))
    )
    regions = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        regions.append(
            Region(
                draw(st.text(max_size=6)),
                start,
                end,
                draw(st.sampled_from(list(Label))),
                draw(maybe_text),
                draw(maybe_text),
                draw(st.sampled_from([CODE_POINTS, UTF16])),
            )
        )
    gold = set(draw(st.lists(st.sampled_from([r.id for r in regions]), max_size=3))) if regions else set()
    return document, regions, gold


def reference_spans(document: Document, regions: list[Region], gold: set[str]) -> list[Span]:
    """The spans as ``Span`` and ``new_span_id`` make them, field by field."""
    return [
        Span(
            r.start,
            r.end,
            r.label,
            r.id if r.id in gold else new_span_id(document.id, r.start, r.end, str(r.label), salt=r.id),
            document.text[r.start : r.end],
            r.value,
            r.note,
        )
        for r in regions
    ]


@given(regions_of())
def test_regions_to_spans_is_the_constructed_spans(case: tuple[Document, list[Region], set[str]]) -> None:
    document, regions, gold = case
    made = regions_to_spans(document, regions, gold)
    expected = reference_spans(document, regions, gold)
    assert made == expected
    assert [vars(s) for s in made] == [vars(s) for s in expected]


def test_a_region_is_immutable_and_compared_field_by_field() -> None:
    region = Region("r1", 0, 3, Label.ORG, None, "n", CODE_POINTS)
    with pytest.raises(AttributeError):
        region.start = 1  # type: ignore[misc]  # the point: assigning a field must fail
    assert region == Region("r1", 0, 3, Label.ORG, None, "n", CODE_POINTS)
    assert region != Region("r1", 0, 3, Label.ORG, None, "n", UTF16)
    assert not dataclasses.is_dataclass(region)
    assert (region.id, region.start, region.end, region.label, region.value, region.note, region.units) == (
        "r1",
        0,
        3,
        Label.ORG,
        None,
        "n",
        CODE_POINTS,
    )
