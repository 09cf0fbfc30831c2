"""Offset maps: where each code point of a cleaned text came from in the raw file.

A map is stored as *runs* ``(text_start, raw_start, length)``: inside a run text
offset ``t`` maps to raw offset ``raw_start + (t - text_start)``.  Raw characters
that cleaning removed fall between runs.  Runs keep the map small (a handful per
article) while still answering every offset, in both directions.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

Run = tuple[int, int, int]


@dataclass(frozen=True)
class OffsetMap:
    """A map from offsets of a text of ``text_length`` code points into its raw source."""

    runs: tuple[Run, ...]
    text_length: int

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls(((0, 0, length),) if length else (), length)

    @classmethod
    def from_pieces(cls, pieces: Iterable[tuple[int, int, int, int]], text_length: int) -> OffsetMap:
        """Build from pieces ``(start, length, raw, step)``: text ``start + i`` is raw ``raw + i * step``.

        Step 1 copies a stretch; step 0 maps a whole replacement to one raw offset.  Runs
        are merged wherever text and raw both continue, so the map is the same whatever
        the pieces' boundaries.
        """
        runs: list[Run] = []
        for start, length, raw, step in pieces:
            stretches = [(start, raw, length)] if step else [(start + i, raw, 1) for i in range(length)]
            for t, r, n in stretches:
                if runs and runs[-1][0] + runs[-1][2] == t and runs[-1][1] + runs[-1][2] == r:
                    ts, rs, k = runs[-1]
                    runs[-1] = (ts, rs, k + n)
                else:
                    runs.append((t, r, n))
        return cls(tuple(runs), text_length)

    @classmethod
    def from_json(cls, runs: Sequence[Sequence[int]], text_length: int) -> OffsetMap:
        return cls(tuple((int(a), int(b), int(c)) for a, b, c in runs), text_length)

    def to_json(self) -> list[list[int]]:
        return [list(run) for run in self.runs]

    @cached_property
    def _run_starts(self) -> list[int]:
        return [run[0] for run in self.runs]

    def _run_index(self, t: int) -> int:
        return bisect_right(self._run_starts, t) - 1

    def to_raw(self, t: int) -> int:
        """Raw offset of text code point ``t`` (``0 <= t < text_length``)."""
        if not 0 <= t < self.text_length:
            raise IndexError(f"text offset {t} outside [0, {self.text_length})")
        ts, rs, _ = self.runs[self._run_index(t)]
        return rs + (t - ts)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``[start, end)`` covering text ``[start, end)``: first and last code point mapped."""
        if start >= end:
            raise ValueError(f"empty span [{start}, {end})")
        return self.to_raw(start), self.to_raw(end - 1) + 1

    def from_raw(self, raw: int) -> int | None:
        """Text offset of raw offset ``raw``, or None when cleaning removed that character."""
        for ts, rs, n in self.runs:
            if rs <= raw < rs + n:
                return ts + (raw - rs)
        return None

    def text_span_from_raw(self, raw_start: int, raw_end: int) -> tuple[int, int] | None:
        """Text ``[start, end)`` for a raw span, or None when either edge was removed."""
        start = self.from_raw(raw_start)
        last = self.from_raw(raw_end - 1)
        if start is None or last is None or last < start:
            return None
        return start, last + 1
