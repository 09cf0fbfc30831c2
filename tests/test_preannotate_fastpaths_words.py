"""More fast paths of the pre-annotator, each against the plain version written here.

The word split with possessive runs, ``on_word_boundaries`` with its tests inline, the
Latin runs found from a search for ASCII letters, the resolution's bisection on a list
of starts, the sort of spans by key and the first match of a lexicon that remembers
nothing: each must give exactly what the plain loop gives, on generated texts dense in
the characters that decide (letters, marks, digits of three scripts, separators,
proclitics, Latin words).
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.preannotate.candidates import LATIN_WORD, Candidate, Context
from rasd.preannotate.lexicon import build_lexicon, match_names
from rasd.preannotate.matchers.quoted import latin_runs
from rasd.preannotate.resolve import compatible, resolve
from rasd.preannotate.suggest import spans_from
from rasd.text import arabic
from rasd.text.arabic import (
    _WORD,
    Word,
    attached_prefix,
    fold,
    fold_with_map,
    folded_words,
    is_proclitic_prefix,
    is_word_char,
    joined_by_space,
    on_word_boundaries,
    words,
)
from rasd.text.dates import find_dates

# Characters that decide where words and spans begin and end, written for this test.
ALPHABET = (
    "ابتثجحخدرسشصعغفقكلمنهويءأإآةى"  # letters (folding changes some)
    "وفبلك"  # proclitic letters, more often
    "\u064e\u064f\u0650\u0651\u0652\u0670\u0640\u200c\u200d\u06d6"  # harakat, tatweel, ZWNJ/ZWJ, a Quranic mark
    "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲.,٫٬"  # digits of three scripts and their separators
    "abcXYZ"  # Latin
    '  \n،.:-_/()"«»\u200f'  # separators, an underscore and a direction mark
)
texts = st.text(alphabet=ALPHABET, max_size=120)


def _plain_words(text: str) -> list[Word]:
    return [Word(m.start(), m.end(), m.group(), fold(m.group())) for m in _WORD.finditer(text)]


@given(texts)
def test_words_are_the_plain_pattern_s_words(text: str) -> None:
    found = words(text)
    assert found == _plain_words(text)
    assert all(type(w) is Word for w in found)


# Letters outside Arabic and ASCII (a superscript digit and a Roman numeral are letters to the split,
# not digits), marks of other blocks, and other scripts' digits, which the split treats as separators.
_OTHER_WORD_CHARS = "é\u00b2\u2170\u0301\u08d4\u06e1\u0903\u09e6ـ"


@settings(max_examples=300)
@given(st.text(alphabet=ALPHABET[::3] + _OTHER_WORD_CHARS, max_size=60))
def test_words_of_letter_and_mark_runs_are_the_plain_pattern_s(text: str) -> None:
    """Runs of letters and marks in any order, opening on either: the split's words are the plain ones."""
    assert folded_words(text)[0] == _plain_words(text)


@given(texts)
def test_folded_words_are_the_words_and_the_fold(text: str) -> None:
    found, folded = folded_words(text)
    assert found == _plain_words(text)
    assert all(type(w) is Word for w in found)
    assert folded == fold(text)


def test_folded_words_with_the_parts_memo_started_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts remembered across texts, and forgotten when the memo is full: the same words and fold."""
    monkeypatch.setattr(arabic, "MAX_PART_KEYS", 8)
    rng = random.Random(6)
    for _ in range(300):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        found, folded = folded_words(text)
        assert found == _plain_words(text)
        assert folded == fold(text)
    assert len(arabic._PART_KEYS) <= 8 + 81


@given(texts)
def test_fold_with_map_maps_back_over_every_dropped_character(text: str) -> None:
    """With drops or without (then no scan for them), each dropped character's folded offset."""
    drops = [i for i, char in enumerate(text) if not fold(char)]
    for folded in (fold_with_map(text), fold_with_map(text, fold(text))):
        assert folded.text == fold(text)
        assert folded.dropped_at == tuple(d - j for j, d in enumerate(drops))


def test_dates_read_in_a_given_fold_are_the_dates_read_in_their_own() -> None:
    rng = random.Random(2)
    pieces = ["في", "عام", "2019", "٢٠١٨", "كانون الثاني", "يناير", "الماضي", "َ", "ـ", "‏", "آب"]
    for _ in range(200):
        text = "".join(rng.choice(pieces) + rng.choice(GAPS) for _ in range(20))
        assert find_dates(text, "2020", folded_words(text)[1]) == find_dates(text, "2020")


def _plain_on_word_boundaries(text: str, start: int, end: int) -> bool:
    if not 0 <= start < end <= len(text):
        return False
    ends = end == len(text) or not is_word_char(text[end])
    return (
        text[start].isalnum()
        and is_word_char(text[end - 1])
        and ends
        and is_proclitic_prefix(attached_prefix(text, start))
    )


@settings(max_examples=300)
@given(texts, st.data())
def test_on_word_boundaries_is_the_plain_test(text: str, data: st.DataObject) -> None:
    edges = st.integers(min_value=-1, max_value=len(text) + 1)
    for _ in range(10):
        start, end = data.draw(edges), data.draw(edges)
        assert on_word_boundaries(text, start, end) is _plain_on_word_boundaries(text, start, end)


def test_on_word_boundaries_everywhere_in_generated_texts() -> None:
    rng = random.Random(3)
    for _ in range(200):
        text = "".join(rng.choice(ALPHABET) for _ in range(40))
        for start in range(-1, len(text) + 1):
            for end in range(start, min(len(text) + 2, start + 12)):
                assert on_word_boundaries(text, start, end) is _plain_on_word_boundaries(text, start, end)


def _plain_latin_runs(ctx: Context) -> Iterator[tuple[int, int, list[Word]]]:
    """Every word looked at, one after another."""
    ws = ctx.words

    def latin(word: Word) -> bool:
        return LATIN_WORD.match(word.text) is not None

    i = 0
    while i < len(ws):
        if not latin(ws[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(ws) and latin(ws[j + 1]) and joined_by_space(ctx.text, ws[j], ws[j + 1]):
            j += 1
        yield ws[i].start, ws[j].end, list(ws[i : j + 1])
        i = j + 1


LATIN_PIECES = [
    "Tech",
    "Against",
    "abc",
    "x2",
    "A.B",
    "GIFCT",
    "عربيabc",
    "abcعربي",
    "a\u064e",
    "ٌZ",
    "é",
    "9x",
]
ARABIC_PIECES = ["تنظيم", "قال", "في", "منصة", "وتويتر", "٢٠١٩"]
GAPS = [" ", " ", "  ", "، ", "\n", "-", "", "."]


@given(st.lists(st.sampled_from(LATIN_PIECES + ARABIC_PIECES), max_size=25), st.randoms())
def test_latin_runs_are_the_plain_loop_s(pieces: list[str], rng: random.Random) -> None:
    text = "".join(p + rng.choice(GAPS) for p in pieces)
    ctx = Context(text, tuple(words(text)), build_lexicon([], builtins=False))
    assert list(latin_runs(ctx)) == list(_plain_latin_runs(ctx))


def _plain_resolve(candidates: list[Candidate]) -> list[Candidate]:
    """``resolve`` as it was: bisection through a key function, ``insort``."""
    ordered = sorted(candidates, key=lambda c: (-c.score, -(c.end - c.start), c.start, c.label))
    kept: list[Candidate] = []
    longest = 0
    for c in ordered:
        if c.start >= c.end:
            continue
        first = bisect_right(kept, c.start - longest, key=lambda k: k.start)
        last = bisect_left(kept, c.end, key=lambda k: k.start)
        if all(compatible(c, kept[k]) for k in range(first, last)):
            insort(kept, c, key=lambda k: k.start)
            longest = max(longest, c.end - c.start)
    return sorted(kept, key=lambda c: (c.start, -c.end))


LABELS = list(Label)
RULES = ["lexicon:registry", "cue:org-head", "cue:place-head", "cue:title", "propagated"]


def _candidates(rng: random.Random, n: int) -> list[Candidate]:
    found = []
    for _ in range(n):
        start = rng.randint(0, 60)
        end = start + rng.randint(0, 12)
        value = rng.choice([None, None, "a", "b"])
        score = rng.choice([0.5, 0.55, 0.6, 0.7, 0.85, 0.9])
        found.append(Candidate(start, end, rng.choice(LABELS), score, value, rng.choice(RULES)))
    return found


def test_resolve_is_the_plain_resolution() -> None:
    rng = random.Random(11)
    for _ in range(400):
        candidates = _candidates(rng, rng.randint(0, 40))
        assert resolve(candidates) == _plain_resolve(candidates)


def test_spans_are_sorted_as_span_orders_them() -> None:
    rng = random.Random(5)
    text = "x" * 80
    for _ in range(100):
        candidates = _candidates(rng, 30)
        spans = spans_from("doc", text, candidates, lambda c: c.value)
        assert list(spans) == sorted(spans)  # Span.__lt__
        assert all(isinstance(s, Span) for s in spans)


def test_a_lexicon_s_first_text_finds_what_its_later_texts_find() -> None:
    """``match_names`` remembers nothing on a lexicon's first text and remembers on the next ones:
    the same text matched first, then after others, then on a fresh lexicon gives the same names,
    loose spellings (made up here: تلكرام، سكنال، واتسااب) among them."""
    rng = random.Random(8)
    vocabulary = ["تيليغرام", "تلكرام", "فيس بوك", "سكنال", "واتسااب", "سوريا", "بغداد", "في", "من", "قال"]
    sample = [" ".join(rng.choice(vocabulary) for _ in range(40)) for _ in range(6)]
    for text in sample:
        first = match_names(text, words(text), build_lexicon([]))
        warm = build_lexicon([])
        for other in sample:
            match_names(other, words(other), warm)
        assert match_names(text, words(text), warm) == first
        assert {m.entry.source for m in first} >= {"builtin", "loose"}
