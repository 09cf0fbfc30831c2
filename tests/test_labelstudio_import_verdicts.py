"""The import does not run a gold file it rendered through the file's JSON Schema again: this shows why.

``rasd.labelstudio.spans.checked_file`` renders the gold file from spans that
passed the semantic checks; every field of that rendering is valid by
construction.  Here any annotation Hypothesis can make (labels in and out of
the set, offsets on and off word edges, region ids that are gold ids or not,
values and notes blank or not) is converted, and every file the import would
write is validated against ``annotation.schema.json``: the check that was
dropped would have found nothing.  A change that breaks that (an id of another
shape, an empty note written) fails here.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasd.core.labels import Label
from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.gold.annotations import load_corpus
from rasd.labelstudio import regions
from rasd.labelstudio.regions import read_regions
from rasd.labelstudio.spans import convert
from rasd.validation.schema import structural_errors


@cache
def annotated() -> Document:
    """A document of the checkout with gold spans (their ids are the ones a region may keep)."""
    return next(d for d in load_corpus(Repo(ROOT)) if len(d.spans) >= 2)


def edges() -> list[int]:
    text = annotated().text
    return sorted(
        {m.start() for m in re.finditer(r"\w+", text)} | {m.end() for m in re.finditer(r"\w+", text)}
    )


TEXTS = st.sampled_from(["", " ", "\n", "٣٠", "2024-05-01", "2024-13-40", "نص", " مع مسافة ", "x" * 70])


@st.composite
def annotation_results(draw: st.DrawFn) -> list[dict[str, Any]]:
    document = annotated()
    places = edges()
    items: list[dict[str, Any]] = []
    for number in range(draw(st.integers(0, 5))):
        start = draw(st.sampled_from(places))
        end = draw(st.sampled_from([p for p in places if p > start] or [start + 1]))
        gold = draw(st.sampled_from([s.id for s in document.spans]))
        region_id = draw(st.sampled_from([gold, f"r{number}", "bad id!", "-x", "a" * 80]))
        label = draw(st.sampled_from([*Label, "NOPE"]))
        value = {"start": start, "end": end, "text": document.text[start:end], "labels": [str(label)]}
        base = {"id": region_id, "to_name": "text"}
        items.append({**base, "from_name": "label", "type": "labels", "value": value})
        for area in ("value", "note"):
            if draw(st.booleans()):
                items.append(
                    {**base, "from_name": area, "type": "textarea", "value": {"text": [draw(TEXTS)]}}
                )
    return items


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotation_results())
def test_every_gold_file_the_import_would_write_passes_the_schema(results: list[dict[str, Any]]) -> None:
    converted = convert({"result": results}, annotated(), where="export.json task 1")  # type: ignore[typeddict-item]
    if converted.rendered is None:
        return
    record = json.loads(converted.rendered)
    assert structural_errors("annotation.schema.json", record, file="f", document=annotated().id) == []


def test_the_examples_reach_the_written_files() -> None:
    """Not vacuous: a plain region of each kind is rendered (so the property above is exercised)."""
    document = annotated()
    start, end = edges()[0], edges()[1]
    value = {"start": start, "end": end, "text": document.text[start:end], "labels": ["LOC"]}
    base = {"id": document.spans[0].id, "to_name": "text"}
    results = [
        {**base, "from_name": "label", "type": "labels", "value": value},
        {**base, "from_name": "note", "type": "textarea", "value": {"text": ["نص"]}},
    ]
    converted = convert({"result": results}, document, where="export.json task 1")  # type: ignore[typeddict-item]
    assert converted.rendered is not None
    assert (
        structural_errors(
            "annotation.schema.json", json.loads(converted.rendered), file="f", document=document.id
        )
        == []
    )


BAD_OFFSETS = st.sampled_from([-1, 10**6, True, 2.0, None, "3"])
AREA_CONTROLS = st.sampled_from(
    [
        ("value", "textarea", "text"),
        ("note", "textarea", "text"),
        ("note", "labels", "text"),
        ("value", "textarea", "x"),
    ]
)
AREA_TEXTS = st.one_of(st.lists(TEXTS, max_size=2), TEXTS, st.just([1]), st.none())


@st.composite
def labelled(draw: st.DrawFn, region: str) -> dict[str, Any]:
    """A region's ``labels`` item: mostly right (offsets on word edges), else wrong in one way."""
    text, places = annotated().text, edges()
    start = draw(st.one_of(st.sampled_from(places), BAD_OFFSETS))
    after = [p for p in places if type(start) is int and p > start] or places
    end = draw(st.one_of(st.sampled_from(after), BAD_OFFSETS))
    shown = text[start:end] if type(start) is int and type(end) is int else "x"
    labels = draw(st.one_of(st.just(["LOC"]), st.sampled_from([["ORG", "LOC"], [], ["NOPE"], [1], "LOC"])))
    control = draw(
        st.one_of(st.just(("label", "labels", "text")), st.sampled_from([("label", "labels", "x")]))
    )
    value = {
        "start": start,
        "end": end,
        "text": draw(st.one_of(st.just(shown), st.just("x"))),
        "labels": labels,
    }
    return {"id": region, "from_name": control[0], "type": control[1], "to_name": control[2], "value": value}


@st.composite
def region_items(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Result items of a few regions, plainly right or wrong in any one way."""
    items: list[dict[str, Any]] = []
    for region in (f"r{n}" for n in range(draw(st.integers(1, 3)))):
        items += [draw(labelled(region)) for _ in range(draw(st.sampled_from([1, 1, 1, 2, 0])))]
        for _ in range(draw(st.integers(0, 2))):
            from_name, kind, to_name = draw(AREA_CONTROLS)
            item = {"id": region, "from_name": from_name, "type": kind, "to_name": to_name}
            items.append({**item, "value": {"text": draw(AREA_TEXTS)}})
    return draw(st.permutations(items))


@settings(max_examples=400, deadline=None)
@given(region_items())
def test_the_plain_region_reading_is_the_general_one(items: list[dict[str, Any]]) -> None:
    """``plain_region`` and ``quick_regions`` (the fast ways for common regions) read what
    ``read_region`` reads, or step aside."""
    text = annotated().text
    fast = read_regions(items, text, where="w", document="d")  # type: ignore[arg-type]
    real, quick = regions.plain_region, regions.quick_regions
    regions.quick_regions = lambda *_: None  # type: ignore[assignment]
    try:
        plain = read_regions(items, text, where="w", document="d")  # type: ignore[arg-type]
        regions.plain_region = lambda *_: None  # type: ignore[assignment]
        general = read_regions(items, text, where="w", document="d")  # type: ignore[arg-type]
    finally:
        regions.plain_region, regions.quick_regions = real, quick
    assert fast[0] == plain[0] == general[0]
    assert [str(e) for e in fast[1]] == [str(e) for e in plain[1]] == [str(e) for e in general[1]]


@settings(max_examples=400, deadline=None)
@given(region_items())
def test_the_quick_region_reading_is_the_general_one(items: list[dict[str, Any]]) -> None:
    """``quick_region`` reads each region exactly as ``read_region``'s general way does, or steps aside."""
    text = annotated().text
    groups = regions.group_by_region(items, regions.Place("w", "d"))[0]  # type: ignore[arg-type]
    real = regions.plain_region
    regions.plain_region = lambda *_: None  # type: ignore[assignment]
    try:
        for region_id, grouped in groups.items():
            quick = regions.quick_region(region_id, grouped, text)
            general = regions.read_region(
                region_id, grouped, text, regions.Utf16Offsets(text), regions.Place("w", "d")
            )
            assert quick is None or (quick, []) == general
    finally:
        regions.plain_region = real


def test_the_plain_reading_is_taken_for_plain_regions() -> None:
    document = annotated()
    start, end = edges()[0], edges()[1]
    value = {"start": start, "end": end, "text": document.text[start:end], "labels": ["LOC"]}
    label = {"id": "r1", "from_name": "label", "type": "labels", "to_name": "text", "value": value}
    note = {"id": "r1", "from_name": "note", "type": "textarea", "to_name": "text", "value": {"text": ["نص"]}}
    for items in ([label], [label, note], [note, label]):
        assert regions.plain_region("r1", items, document.text) is not None  # type: ignore[arg-type]
        assert regions.quick_regions(items, document.text) == [  # type: ignore[arg-type]
            regions.plain_region("r1", items, document.text)  # type: ignore[arg-type]
        ]
