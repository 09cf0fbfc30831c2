"""What every matcher shares: the ``Candidate`` it proposes, the ``Context`` it reads, word helpers.

A matcher (``rasd.preannotate.matchers``) is a function from a ``Context`` (the
text, its words, the lexicon) to candidate spans; ``rasd.preannotate.resolve``
keeps a consistent set of them.  Offsets are always those of the text as written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, count
from operator import attrgetter
from typing import NamedTuple

from rasd.core.labels import Label
from rasd.preannotate.lexicon import Lexicon
from rasd.preannotate.wordkeys import word_key_index, word_surfaces
from rasd.text.arabic import Word, joined_by_space, stems_of

MODEL_VERSION = "rasd-rules-2"
"""The version of the rules: recorded in every suggestions file and salted into suggested span ids."""


class Candidate(NamedTuple):
    """A suggested span before resolution: offsets, label, value, confidence and the rule.

    A named tuple rather than a frozen dataclass: a text has a hundred candidates or more,
    and the tuple is built three times as fast; it is as immutable.
    """

    start: int
    end: int
    label: Label
    score: float
    value: str | None
    rule: str


_start = attrgetter("start")
_end = attrgetter("end")


@dataclass(frozen=True)
class Context:
    """One text as the matchers see it: its text, words (``rasd.text.arabic.words``), lexicon and date."""

    text: str
    words: tuple[Word, ...]
    lexicon: Lexicon
    published: str | None = None
    """The publication date when known (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``): which years are plausible."""
    folded: str | None = None
    """``fold(text)`` when the caller has it (``rasd.text.arabic.folded_words``): dates are read in it."""

    @cached_property
    def surfaces(self) -> dict[str, list[int]]:
        """Each distinct word surface and the indices, in order, of the words written so."""
        return word_surfaces(self.words)

    @cached_property
    def starting_at(self) -> dict[int, int]:
        """The index of the word that starts at each offset where one starts."""
        return dict(zip(map(_start, self.words), count(), strict=False))

    @cached_property
    def ending_at(self) -> dict[int, int]:
        """The index of the word that ends at each offset where one ends."""
        return dict(zip(map(_end, self.words), count(), strict=False))

    @cached_property
    def stem_index(self) -> dict[str, list[int]]:
        """Every reading's key (``stems``) and the indices of the words that have it (in no set order).

        One pass over the words (``word_key_index``): only those that may carry a proclitic have
        readings besides their own key.
        """
        return word_key_index(self.words)

    def cued(self, table: frozenset[str]) -> list[int]:
        """The indices, in order, of the words that have a reading in ``table`` (one set intersection).

        The intersection runs over the smaller side (``table`` is a frozenset: ``keys() & table``
        iterates it, ``table.intersection`` iterates the index).
        """
        index = self.stem_index
        keys = index.keys() & table if len(table) <= len(index) else table.intersection(index)
        return sorted(set(chain.from_iterable(map(index.__getitem__, keys))))


Matcher = Callable[[Context], Iterable[Candidate]]

LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9.+-]*$")


def is_definite(word: Word) -> bool:
    """A word with the article ال and more than one letter after it."""
    return word.key.startswith("ال") and len(word.key) > 3


def stem_in(word: Word, table: frozenset[str]) -> int | None:
    """The stem offset at which ``word`` (proclitics stripped) is in ``table``, else None."""
    for stem in stems_of(word.text):  # ``stems(word)``, one call fewer: this runs for most words
        if stem.key in table:
            return stem.offset
    return None


def next_word(ctx: Context, i: int) -> Word | None:
    """Word ``i + 1`` when only a space separates it from word ``i``."""
    ws = ctx.words
    if i + 1 < len(ws):
        left, right = ws[i], ws[i + 1]
        # one space (most gaps) asked here: ``joined_by_space`` only for the others
        if ctx.text[left.end : right.start] == " " or joined_by_space(ctx.text, left, right):
            return right
    return None


def words_before(ctx: Context, offset: int, n: int) -> list[Word]:
    """The ``n`` words that end at or before ``offset``."""
    stop = bisect_right(ctx.words, offset, key=lambda w: w.end)
    return list(ctx.words[max(0, stop - n) : stop])


def known_place(ctx: Context, word: Word) -> bool:
    """Whether the lexicon knows ``word`` as a place."""
    return any(e.label == Label.LOC for e in ctx.lexicon.exact.get(word.key, []))
