"""Reading Label Studio regions: offsets in code points or UTF-16, labels, values, and every malformed shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.formats.labelstudio import Result
from rasd.labelstudio.offsets import CODE_POINTS, UTF16, Utf16Offsets, resolve_offsets
from rasd.labelstudio.regions import read_regions

CASES = json.loads(
    (Path(__file__).parent / "cases" / "labelstudio" / "regions.json").read_text(encoding="utf-8")
)

# Arabic letters, spaces, newlines, and characters inside and outside the BMP.
TEXTS = st.text(alphabet=st.sampled_from([*"بغداد العراق\n", "😀", "🚨", "𝐀", "é", "\ufdfd"]), max_size=40)


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@given(TEXTS)
def test_utf16_offsets_agree_with_javascript_string_lengths(text: str) -> None:
    offsets = Utf16Offsets(text)
    for code_point in range(len(text) + 1):
        units = utf16_units(text[:code_point])
        assert offsets.to_units(code_point) == units
        assert offsets.to_code_points(units) == code_point
    assert offsets.same == (utf16_units(text) == len(text))


@given(TEXTS)
def test_an_offset_inside_a_surrogate_pair_has_no_code_point(text: str) -> None:
    offsets = Utf16Offsets(text)
    inside = {utf16_units(text[:i]) + 1 for i, char in enumerate(text) if ord(char) > 0xFFFF}
    for unit in range(utf16_units(text) + 2):
        converted = offsets.to_code_points(unit)
        assert (converted is None) == (unit in inside or unit > utf16_units(text))


@pytest.mark.parametrize(
    ("text", "start", "end", "shown", "expected"),
    [
        ("بغداد", 0, 5, "بغداد", (0, 5, CODE_POINTS)),
        ("😀 بغداد", 2, 7, "بغداد", (2, 7, CODE_POINTS)),
        ("😀 بغداد", 3, 8, "بغداد", (2, 7, UTF16)),
        ("😀😀 بغداد", 5, 10, "بغداد", (3, 8, UTF16)),
        # No emoji: both readings agree, code points are reported.
        ("في بغداد", 3, 8, "بغداد", (3, 8, CODE_POINTS)),
    ],
)
def test_offsets_are_read_the_way_value_text_confirms(
    text: str, start: int, end: int, shown: str, expected: tuple[int, int, str]
) -> None:
    assert resolve_offsets(text, Utf16Offsets(text), start, end, shown) == expected


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_region_cases(case: dict[str, Any]) -> None:
    results: list[Result] = case["result"]
    regions, errors = read_regions(results, CASES["text"], where="case", document="doc")
    assert [[r.start, r.end, r.label, r.value, r.note, r.units] for r in regions] == case["spans"]
    messages = [str(e) for e in errors]
    assert len(messages) == len(case["errors"]), messages
    for message, expected in zip(messages, case["errors"], strict=True):
        assert message.startswith(expected) or expected in message, message
    assert [e.code for e in errors] == case.get("codes", []), messages
