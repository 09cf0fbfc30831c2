"""A quoted, bracketed or Latin-script name right after a type word or a naming verb.

تطبيق "تام تام"، شركة "بايت دانس"، منصة تُدعى RocketChat: the type word says
PLATFORM or ORG, and the quotes and the type word stay outside the span.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rasd.core.labels import Label
from rasd.preannotate.candidates import LATIN_WORD, Candidate, Context, stem_in, words_before
from rasd.preannotate.cues import (
    LATIN_ORG_HEADS,
    NAMING_VERBS,
    ORG_HEADS,
    ORG_TYPES,
    OUTLET_TYPE_WORDS,
    PLATFORM_TYPES,
    folded_set,
)
from rasd.text.arabic import Word, joined_by_space, words

QUOTED_ORG_HEADS = ORG_HEADS | OUTLET_TYPE_WORDS | folded_set("فرع هيئة")
"""Right before a quoted name, a head or outlet noun says ORG: هيئة "[روسكومنادزور]"، مجلة "[دابق]"."""
_QUOTED = re.compile(r"[\"«“”(\[]([^\"«»“”()\[\]\n]{1,40})[\"»”“)\]]")


def cue_label(ctx: Context, start: int) -> Label | None:
    """PLATFORM or ORG when a type word (or a naming verb after one) stands shortly before ``start``."""
    near = words_before(ctx, start, 4)
    for word in reversed(near):
        if stem_in(word, PLATFORM_TYPES) is not None:
            return Label.PLATFORM
        if stem_in(word, ORG_TYPES) is not None:
            return Label.ORG
    if near and stem_in(near[-1], QUOTED_ORG_HEADS) is not None:
        return Label.ORG
    if near and stem_in(near[-1], NAMING_VERBS) is not None:
        wider = words_before(ctx, start, 14)
        if any(stem_in(w, PLATFORM_TYPES) is not None for w in wider):
            return Label.PLATFORM
    return None


def quoted_spans(text: str) -> Iterator[tuple[int, int]]:
    """The inside of every pair of quotes or brackets holding one to four words, blanks trimmed."""
    for match in _QUOTED.finditer(text):
        inner = match.group(1)
        lead = len(inner) - len(inner.lstrip())
        start = match.start(1) + lead
        end = match.start(1) + len(inner.rstrip())
        if start < end and len(words(text[start:end])) <= 4:
            yield start, end


def _latin(word: Word) -> bool:
    """``LATIN_WORD``, asked only of a word that begins with an ASCII letter (most words do not)."""
    first = word.text[0]
    return first.isascii() and first.isalpha() and LATIN_WORD.match(word.text) is not None


_ASCII_LETTERS = re.compile(b"[A-Za-z]+")
"""Runs of ASCII letters, searched in ``ascii_letter_runs``'s bytes (``re`` tests bytes faster)."""


def ascii_letter_runs(text: str) -> Iterator[tuple[int, int]]:
    """The offsets of the runs of ASCII letters (``[A-Za-z]+``) in ``text``.

    Most texts have none: their ASCII characters alone (``encode("ascii", "ignore")``) show it at
    once.  Otherwise the runs are found in the text written one byte per character (Latin-1, any
    other character a ``?``), so the offsets are those of the text.
    """
    if _ASCII_LETTERS.search(text.encode("ascii", "ignore")) is None:
        return
    for run in _ASCII_LETTERS.finditer(text.encode("latin-1", "replace")):
        yield run.span()


def latin_runs(ctx: Context) -> Iterator[tuple[int, int, list[Word]]]:
    """Runs of Latin-script words separated by single spaces: offsets and the words.

    Only the words that begin with an ASCII letter are looked at: found by one search for runs of
    ASCII letters (a word begins with one where such a run begins a word).
    """
    ws = ctx.words
    following = 0  # the first word not yet in a run
    for run_start, _ in ascii_letter_runs(ctx.text):
        starting = ctx.starting_at  # only now: most texts have no ASCII letter
        i = starting.get(run_start)
        if i is None or i < following or not _latin(ws[i]):
            continue
        j = i
        while j + 1 < len(ws) and _latin(ws[j + 1]) and joined_by_space(ctx.text, ws[j], ws[j + 1]):
            j += 1
        yield ws[i].start, ws[j].end, list(ws[i : j + 1])
        following = j + 1


def quoted_names(ctx: Context) -> Iterator[Candidate]:
    """A quoted or bracketed name, or a Latin-script one, right after a type word or naming verb."""
    for start, end in quoted_spans(ctx.text):
        label = cue_label(ctx, start - 1)
        if label is not None:
            yield Candidate(start, end, label, 0.7, None, "cue:quoted")
    for start, end, run in latin_runs(ctx):
        if run[-1].text.lower() in LATIN_ORG_HEADS and len(run) > 1:
            yield Candidate(start, end, Label.ORG, 0.6, None, "cue:latin-org")
            continue
        label = cue_label(ctx, start)
        if label is not None and len(run) <= 3:
            yield Candidate(start, end, label, 0.7, None, "cue:latin")
