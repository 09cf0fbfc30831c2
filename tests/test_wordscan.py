"""``text.wordscan.word_offsets`` (character classes and array operations) against the token pattern.

The build takes a document's tokens from ``word_offsets``; the pattern itself
(``finditer``, written again in ``test_tokens_reference``) and ``text.tokens.words``
are the references, on generated texts of the characters that matter for the
rules (letters, marks, digits of three scripts, separators, white space), on
awkward edges (a separator at either end, two together) and on every code point
next to letters, marks and digits.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_tokens_reference import PATTERN
from test_tokens_words import ALPHABET

from rasd.text.tokens import words
from rasd.text.wordscan import SEPARATORS, word_columns, word_offsets


def pattern_words(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in PATTERN.finditer(text)]


@settings(max_examples=2000, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_word_offsets_are_the_patterns_tokens(text: str) -> None:
    assert word_offsets(text) == pattern_words(text) == words(text)
    starts, ends = word_columns(text)
    assert (starts, ends) == ([s for s, _ in words(text)], [e for _, e in words(text)])


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from([*"1٢۳", *SEPARATORS, "a", " ", "ُ"]), max_size=30))
def test_numbers_and_their_separators(text: str) -> None:
    assert word_offsets(text) == pattern_words(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text(text: str) -> None:
    assert word_offsets(text) == pattern_words(text)


def test_edges() -> None:
    for text in ["", " ", "1", ".", "1.", ".1", "1..2", "1.2.3", "1,,2", "a1.2b", "ـ1", "1ُ", "\u200c", "a b"]:
        assert word_offsets(text) == pattern_words(text), text


def test_every_character_next_to_letters_marks_and_digits() -> None:
    """Every code point up to U+3000 and the Arabic presentation forms, one in 31 of the others,
    lone surrogates included."""
    chosen = [*range(0x3000), *range(0xFB50, 0xFF00), *range(0x3000, 0x110000, 31)]
    text = "".join(f"{c}ُب{c}ـ{c}1{c},2{c} " for c in map(chr, chosen))
    assert word_offsets(text) == pattern_words(text)
