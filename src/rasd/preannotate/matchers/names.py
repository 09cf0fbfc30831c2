"""Names the lexicon knows: registry aliases and the built-in lists, with Arabic spelling variants."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rasd.core.labels import Label
from rasd.preannotate.candidates import Candidate, Context
from rasd.preannotate.lexicon import match_names, phrase_key

MULTI_WORD_BONUS = 0.04
"""A name of several words the lexicon knows outranks a shorter reading inside it (اليوم in اليوم السابع)."""


def lexicon_names(ctx: Context) -> Iterator[Candidate]:
    """Every lexicon name in the text, with the entry's label, value and confidence.

    A name of several words also yields the known one-word name it begins with, when that is
    another entity (القاعدة in القاعدة في جزيرة العرب, نيويورك in نيويورك تايمز; spec rule 7).
    """
    ends = ctx.ending_at
    for match in match_names(ctx.text, ctx.words, ctx.lexicon, ctx.stem_index):
        entry = match.entry
        several = " " in ctx.text[match.start : match.end]
        score = entry.score + (MULTI_WORD_BONUS if several else 0.0)
        yield Candidate(match.start, match.end, entry.label, score, entry.value, f"lexicon:{entry.source}")
        if several:
            yield from _first_word(ctx, match.start, match.end, entry.value, ends)


def _first_word(
    ctx: Context, start: int, end: int, value: str | None, ends: Mapping[int, int]
) -> Iterator[Candidate]:
    """The known one-word name that a longer name begins with, if it is another entity."""
    stop = ctx.text.find(" ", start, end)
    if stop not in ends:
        return
    for entry in ctx.lexicon.exact.get(phrase_key(ctx.text[start:stop]), ()):
        if entry.value != value and entry.label != Label.PERSON:
            yield Candidate(start, stop, entry.label, entry.score, entry.value, f"lexicon:{entry.source}")
