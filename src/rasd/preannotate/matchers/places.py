"""Named places built on a place type word: ``جسر لندن`` (the place inside is found too)."""

from __future__ import annotations

from collections.abc import Iterator

from rasd.core.labels import Label
from rasd.preannotate.candidates import Candidate, Context, known_place, next_word, stem_in
from rasd.preannotate.cues import PLACE_HEADS


def place_heads(ctx: Context) -> Iterator[Candidate]:
    """A place type word fused to a known place."""
    for i, word in enumerate(ctx.words):
        offset = stem_in(word, PLACE_HEADS)
        if offset is not None and (nxt := next_word(ctx, i)) is not None and known_place(ctx, nxt):
            yield Candidate(word.start + offset, nxt.end, Label.LOC, 0.6, None, "cue:place-head")
