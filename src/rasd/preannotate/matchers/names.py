"""Names the lexicon knows: registry aliases and the built-in lists, with Arabic spelling variants."""

from __future__ import annotations

from collections.abc import Iterator

from rasd.preannotate.candidates import Candidate, Context
from rasd.preannotate.lexicon import match_names


def lexicon_names(ctx: Context) -> Iterator[Candidate]:
    """Every lexicon name in the text, with the entry's label, value and confidence."""
    for match in match_names(ctx.text, ctx.words, ctx.lexicon):
        entry = match.entry
        yield Candidate(
            match.start, match.end, entry.label, entry.score, entry.value, f"lexicon:{entry.source}"
        )
