"""``words`` (pieces between spaces; the pattern only on pieces not all letters) against the pattern alone.

``words`` takes a space-separated piece that ``str.isalpha`` accepts as one token
without running the pattern, and runs the pattern bounded to every other piece.
The references here run the pattern over the whole text (``finditer``), and
tokenize / tag with the plain loops of ``test_tokens_reference``, on texts
written from Arabic and Latin letters, harakat, shadda, tatweel, ZWJ/ZWNJ,
Quranic marks, digits of three scripts (also inside names: spec rule 10),
number separators, punctuation and several kinds of white space.
"""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from test_tokens_reference import PATTERN, assert_tokens_and_tags_are_the_references, text_and_spans

from rasd.core.model import Span
from rasd.text.tokens import tokenize, words

CHARS = [
    *"ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى",  # Arabic letters
    *"abcXYZéß",  # Latin letters
    *"\u064e\u064f\u0650\u0651\u0652\u064b\u0670",  # harakat, shadda, superscript alef
    "\u0640",  # tatweel
    "\u200c",  # ZWNJ
    "\u200d",  # ZWJ
    "\u06d6",  # a Quranic mark
    "\u0301",  # a Latin combining mark
    *"0129٠١٩۰۹",  # Western, Eastern Arabic and Persian digits
    *".,٫٬",  # separators a number keeps inside
    *"،؛؟!«»()-_/\"'",  # punctuation
    "😀",
    *" \n\t\u00a0\u2009",  # white space: space, line break, tab, no-break and thin spaces
    " ",
    " ",
]
ALPHABET = st.sampled_from(CHARS)


def pattern_words(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in PATTERN.finditer(text)]


def test_every_letter_str_isalpha_accepts_is_a_letter_of_the_pattern() -> None:
    """The fast path's ground: a piece ``isalpha`` accepts is letters of ``[^\\W\\d_]`` only."""
    letter = re.compile(r"[^\W\d_]")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isalpha():
            assert letter.match(char), hex(code)


@settings(max_examples=1000, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_words_are_the_patterns_tokens(text: str) -> None:
    assert words(text) == pattern_words(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(ALPHABET, min_size=1, max_size=8), max_size=12), st.sampled_from([" ", "  ", " \n "]))
def test_words_of_space_separated_pieces(pieces: list[str], gap: str) -> None:
    """Texts made of pieces and gaps the way articles are: most pieces letters only."""
    text = gap.join(pieces)
    assert words(text) == pattern_words(text)


def test_digits_inside_names_letters_with_marks_and_numbers() -> None:
    text = "فيفا2019 B52 مُحَمَّد الـكويت و٢٠١٩ 10,000.5 \u200dكلمة\u200c، (داعش)"
    assert words(text) == pattern_words(text)
    got = [text[s:e] for s, e in words(text)]
    assert got[:5] == ["فيفا", "2019", "B", "52", "مُحَمَّد"]
    assert {"10,000.5", "٢٠١٩", "الـكويت"} <= set(got)


@settings(max_examples=500, deadline=None)
@given(text_and_spans(ALPHABET, max_size=50, most_spans=6))
def test_tokens_and_tags_of_any_text_are_the_references(case: tuple[str, list[Span], list[int]]) -> None:
    text, spans, cuts = case
    assert_tokens_and_tags_are_the_references(text, spans, cuts)
    assert tokenize(text, cuts, split=words(text)) == tokenize(text, cuts)
