"""Outlets after their type word, Latin acronyms in brackets, and ``تنظيم الدولة``.

* ``outlets``: a name right after موقع/صحيفة/قناة/إذاعة/مجلة/جريدة is an ORG,
  the type word outside (spec rule 2): قناة فرانس 24، موقع عربي21، قناة الجزيرة.
  Digits inside the name stay in it.
* ``acronyms``: a Latin all-caps word in brackets (FSB)، (GIFCT), or right after an
  Arabic head or type noun (مشروع CEP، مجموعة SITE), is an ORG.
* ``islamic_state``: تنظيم [الدولة] and تنظيم [الدولة الإسلامية] (the guidelines' literal rule 2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rasd.core.labels import Label
from rasd.preannotate.candidates import Candidate, Context, is_definite, next_word, stem_in
from rasd.preannotate.cues import (
    ORG_HEADS,
    ORG_TYPES,
    OUTLET_TYPE_WORDS,
    PERSON_TITLES,
    SPEECH_VERBS,
    STOPWORDS,
    folded_set,
)

OUTLET_TYPES = OUTLET_TYPE_WORDS
MAX_OUTLET_WORDS = 3
SCORE = 0.8  # above a number inside the name (فرانس 24), below the lexicon
_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
_CAPS = re.compile(r"^[A-Z]{2,6}$")
_ORGANISATION = folded_set("تنظيم")
_STATE = folded_set("الدولة")
_ISLAMIC = folded_set("الإسلامية")
_ENDS = '.:؛;!?()"«»،,'
_ENDS_OR_BREAK = frozenset(_ENDS + "\n")  # one set test for a gap (``isdisjoint``), not one ``in`` per mark


def closed_after(ctx: Context, k: int) -> bool:
    """Whether punctuation or the end of the text follows word ``k``, or a particle or verb of saying."""
    ws = ctx.words
    if k + 1 >= len(ws):
        return True
    gap = ctx.text[ws[k].end : ws[k + 1].start]
    if not _ENDS_OR_BREAK.isdisjoint(gap):  # a line break or punctuation
        return True
    following = ws[k + 1]
    return following.key in STOPWORDS or stem_in(following, SPEECH_VERBS) is not None


def _outlet_word(word_key: str, first: bool) -> bool:
    return (
        word_key not in STOPWORDS and word_key not in PERSON_TITLES and (first or not word_key.endswith("ا"))
    )


def outlets(ctx: Context) -> Iterator[Candidate]:
    """The name after an outlet's type word, up to three words closed by punctuation or a particle."""
    ws = ctx.words
    for i in ctx.cued(OUTLET_TYPES):
        if (first := next_word(ctx, i)) is None:
            continue
        if not _outlet_word(first.key, True):
            continue
        last = i + 1
        if is_definite(first):
            if closed_after(ctx, last):
                yield Candidate(first.start, first.end, Label.ORG, SCORE, None, "cue:outlet")
            continue
        while not closed_after(ctx, last) and last - i < MAX_OUTLET_WORDS:
            nxt = next_word(ctx, last)
            if nxt is None or not _outlet_word(nxt.key, False) or is_definite(nxt):
                break
            last += 1
        if last + 1 < len(ws) and ws[last + 1].start == ws[last].end and ws[last + 1].text.isdigit():
            last += 1  # عربي21
        if closed_after(ctx, last):
            yield Candidate(first.start, ws[last].end, Label.ORG, SCORE, None, "cue:outlet")


def acronyms(ctx: Context) -> Iterator[Candidate]:
    """A Latin all-caps acronym in brackets (FSB)، (GIFCT), or right after an Arabic head noun (مشروع CEP)."""
    for match in _ACRONYM.finditer(ctx.text):
        yield Candidate(match.start(1), match.end(1), Label.ORG, 0.62, None, "cue:acronym")
    for i in ctx.cued(ORG_HEADS | ORG_TYPES):
        latin = next_word(ctx, i)
        if latin is not None and _CAPS.match(latin.text):
            yield Candidate(latin.start, latin.end, Label.ORG, 0.62, None, "cue:acronym")


def islamic_state(ctx: Context) -> Iterator[Candidate]:
    """تنظيم الدولة (الإسلامية): the name without its type word."""
    for i in ctx.cued(_ORGANISATION):
        if (state := next_word(ctx, i)) is None:
            continue
        if state.key not in _STATE:
            continue
        end = state.end
        islamic = next_word(ctx, i + 1)
        if islamic is not None and islamic.key in _ISLAMIC:
            end = islamic.end
        yield Candidate(state.start, end, Label.ORG, 0.62, None, "cue:islamic-state")
