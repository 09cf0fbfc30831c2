"""Region offsets: code points (Python, Rasd, Label Studio 1.23's editor) and UTF-16 code units (JavaScript).

The two readings differ only after a character outside the Basic Multilingual
Plane (most emoji), which JavaScript counts as two units (a surrogate pair).
A region is kept under the reading its ``value.text`` confirms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from typing import Final, Literal

Units = Literal["code points", "UTF-16 code units"]
CODE_POINTS: Units = "code points"
UTF16: Units = "UTF-16 code units"

ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """Converts offsets of one text between code points and UTF-16 code units.

    The table of astral characters is built on first use: most regions are read
    as code points and never need it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)

    @cached_property
    def _astral(self) -> list[int]:
        return [found.start() for found in ASTRAL.finditer(self.text)]

    @cached_property
    def _unit_ends(self) -> list[int]:
        """UTF-16 offset just after the k-th astral character."""
        return [cp + k + 2 for k, cp in enumerate(self._astral)]

    @property
    def same(self) -> bool:
        """True when both readings agree everywhere (no astral character)."""
        return not self._astral

    def to_units(self, code_point: int) -> int:
        return code_point + bisect_right(self._astral, code_point - 1)

    def to_code_points(self, unit: int) -> int | None:
        """The code point offset at UTF-16 offset ``unit``; None inside a surrogate pair or past the end."""
        before = bisect_right(self._unit_ends, unit)  # astral characters wholly before ``unit``
        if before < len(self._astral) and self._unit_ends[before] - 1 == unit:
            return None
        code_point = unit - before
        return code_point if 0 <= code_point <= self.length else None


def resolve_offsets(
    text: str, utf16: Utf16Offsets, start: int, end: int, shown: str
) -> tuple[int, int, Units] | None:
    """Code point ``[start, end)`` under the reading where ``text`` shows ``shown``; None under neither."""
    if 0 <= start < end <= len(text) and text[start:end] == shown:
        return start, end, CODE_POINTS
    cp_start, cp_end = utf16.to_code_points(start), utf16.to_code_points(end)
    if cp_start is not None and cp_end is not None and cp_start < cp_end and text[cp_start:cp_end] == shown:
        return cp_start, cp_end, UTF16
    return None


def both_readings(text: str, utf16: Utf16Offsets, start: int, end: int) -> dict[str, str]:
    """What ``[start, end)`` selects read as code points and as UTF-16 units (for the error message)."""
    cp_start, cp_end = utf16.to_code_points(start), utf16.to_code_points(end)
    if cp_start is None or cp_end is None:
        as_units = "an offset falls inside an emoji"
    else:
        as_units = repr(text[cp_start:cp_end])
    return {"as_code_points": repr(text[start:end]), "as_units": as_units}
