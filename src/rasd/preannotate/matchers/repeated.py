"""Names found again: every other mention, in the same text, of a name a cue rule found.

The second mention of ``ستنجل`` has no title before it; the first one told the
suggester it is a name.  A person is also found again by the family name alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

from rasd.core.labels import Label
from rasd.preannotate.candidates import Candidate, Context
from rasd.preannotate.cues import NAME_LINKS, NAME_PARTICLES
from rasd.preannotate.lexicon import Entry, Lexicon, match_names
from rasd.text.arabic import fold

PROPAGATED_LABELS = frozenset({Label.PERSON, Label.PLATFORM, Label.ORG, Label.LOC})
PROPAGATED_SCORE = 0.55
_ENTRIES = {label: Entry(label, None, PROPAGATED_SCORE, "document") for label in PROPAGATED_LABELS}
"""The entry a document's lexicon files a name under, per label: built once (entries are frozen)."""


@lru_cache(maxsize=1 << 14)
def short_forms(surface: str, label: str) -> tuple[str, ...]:
    """The name, then the other way a document refers to it again (a person's family name).

    A tuple, in that order: the per-document lexicon is built in this order, and a set's order
    would depend on ``PYTHONHASHSEED``.  Cached: the names a cue finds recur across documents.
    """
    parts = surface.split()
    if label == Label.PERSON and len(parts) > 1:
        if fold(parts[-2]) in NAME_LINKS or fold(parts[-2]) in NAME_PARTICLES:
            return tuple(dict.fromkeys((surface, " ".join(parts[-2:]))))
        if len(fold(parts[-1])) >= 3:
            return (surface, parts[-1])
    return (surface,)


def document_lexicon(ctx: Context, found: Sequence[Candidate]) -> Lexicon | None:
    """A lexicon of the names (and their short forms) that cue rules found in this text; None if none."""
    surfaces: dict[str, Label] = {}
    for c in found:
        if c.rule.startswith("cue:") and c.label in PROPAGATED_LABELS:
            for form in short_forms(ctx.text[c.start : c.end], c.label):
                surfaces.setdefault(form, c.label)
    if not surfaces:
        return None
    local = Lexicon()
    for form, label in surfaces.items():
        local.add(form, _ENTRIES[label])
    return local


def propagate(ctx: Context, found: Sequence[Candidate]) -> Iterator[Candidate]:
    """Every other mention, in the same document, of a name a cue rule found."""
    local = document_lexicon(ctx, found)
    if local is None:
        return
    for match in match_names(ctx.text, ctx.words, local, ctx.stem_index):
        yield Candidate(match.start, match.end, match.entry.label, PROPAGATED_SCORE, None, "propagated")
