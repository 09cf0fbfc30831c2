"""Folding, words and proclitics: matching keys never change what a span covers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.text.arabic import (
    MAX_PROCLITICS,
    PROCLITIC_LETTERS,
    PROCLITICS,
    WORD_MARKS,
    fold,
    fold_with_map,
    is_word_char,
    stems,
    to_western_digits,
    words,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("أعماق", "اعماق"),
        ("إسطنبول", "اسطنبول"),
        ("آذار", "اذار"),
        ("مستشفى", "مستشفي"),
        ("جمعية", "جمعيه"),
        ("مُتشدّد", "متشدد"),  # harakat dropped
        ("تيليـــغرام", "تيليغرام"),  # tatweel dropped
        ("Telegram", "telegram"),
        ("٢٠١٩", "2019"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_with_map_points_back_to_the_written_text() -> None:
    text = "وَفيسبـوك"
    folded = fold_with_map(text)
    assert folded.text == "وفيسبوك"
    start = folded.text.index("فيسبوك")
    assert text[slice(*folded.original_span(start, len(folded.text)))] == "فيسبـوك"


@pytest.mark.parametrize(
    ("digits", "western"), [("٠١٢٣٤٥٦٧٨٩", "0123456789"), ("۱۲۳", "123"), ("12 ألف", "12 ألف")]
)
def test_to_western_digits(digits: str, western: str) -> None:
    assert to_western_digits(digits) == western


@pytest.mark.parametrize(
    ("word", "readings"),
    [
        ("وفيسبوك", {(0, "وفيسبوك"), (1, "فيسبوك")}),
        ("وبالعراق", {(0, "وبالعراق"), (1, "بالعراق"), (2, "العراق")}),
        ("فلداعش", {(0, "فلداعش"), (1, "لداعش"), (2, "داعش")}),
        # after the preposition ل the article is one ل: the stem keeps it, the key restores ال
        ("للتحالف", {(0, "للتحالف"), (1, "التحالف"), (1, "لتحالف")}),
        ("كما", {(0, "كما")}),  # a stem keeps three letters: no ك + ما
    ],
)
def test_stems(word: str, readings: set[tuple[int, str]]) -> None:
    (w,) = words(word)
    assert {(s.offset, s.key) for s in stems(w)} == readings


def test_words_keep_numbers_whole() -> None:
    assert [w.text for w in words("نحو 1.9 مليون، و١٢٥٫٥ ألف")] == [
        "نحو",
        "1.9",
        "مليون",
        "و",
        "١٢٥٫٥",
        "ألف",
    ]


def test_words_carry_their_offsets_and_keys() -> None:
    text = "«وكالةُ أعـماق»، ١٢\nTelegram!"
    assert [tuple(w) for w in words(text)] == [
        (1, 7, "وكالةُ", "وكاله"),
        (8, 14, "أعـماق", "اعماق"),
        (17, 19, "١٢", "12"),
        (20, 28, "Telegram", "telegram"),
    ]
    assert words("") == []
    assert words(" ،\n") == []


WORD_PIECES = st.sampled_from(
    [
        "ب",
        "أ",
        "ة",
        "ى",
        "ـ",
        "\u064e",
        "\u0651",
        "\u200c",
        "\u200f",
        "x",
        "Q",
        "7",
        "٣",
        ".",
        "،",
        "٫",
        " ",
        "\n",
        "_",
        "é",
    ]
)


@given(st.lists(WORD_PIECES, max_size=40).map("".join))
def test_words_are_the_word_pattern_matches(text: str) -> None:
    """``words`` splits the text once; it finds exactly the matches of the word pattern, in order."""
    pattern = re.compile(rf"(?:[^\W\d_]+|[{WORD_MARKS}]+)+|[0-9٠-٩۰-۹]+(?:[.,٫٬][0-9٠-٩۰-۹]+)*")
    expected = [(m.start(), m.end(), m.group(), fold(m.group())) for m in pattern.finditer(text)]
    assert [tuple(w) for w in words(text)] == expected


@pytest.mark.parametrize(
    ("char", "in_word"),
    [
        ("ب", True),
        ("7", True),
        ("\u064e", True),  # fatha
        ("\u0651", True),  # shadda
        ("\u0670", True),  # dagger alef
        ("\u0640", True),  # tatweel
        ("\u0301", True),  # a Latin combining accent
        ("\u200c", True),  # ZWNJ
        (" ", False),
        ("،", False),
        ("«", False),
        ("\u200f", False),  # RLM: a direction mark, not part of a word
    ],
)
def test_word_chars_include_the_marks_written_on_a_word(char: str, in_word: bool) -> None:
    assert is_word_char(char) is in_word


def test_harakat_are_word_marks_that_folding_drops() -> None:
    assert all(re.fullmatch(f"[{WORD_MARKS}]", c) for c in "\u064b\u0652\u0670\u0610")
    assert fold("\u064b\u0652\u0670\u0610") == ""
    assert words("ك\u0301لمة") == words("ك\u0301لمة")[:1]  # a combining mark never splits a word


def test_proclitics_are_a_conjunction_and_a_preposition_longest_first() -> None:
    assert PROCLITICS == ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")
    assert set("".join(PROCLITICS)) == PROCLITIC_LETTERS
    assert MAX_PROCLITICS == 2
