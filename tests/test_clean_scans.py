"""The cleaning rules that scan with ``str.find`` and split lines instead of a pattern tried at
every offset: their edits, and the text and offset map of the whole cleaning, stay what the
patterns gave.

The references are the rules as they were written before, in plain ``re`` and loops over
every line (``tests/test_clean_quick_paths.py`` holds the other rules' references; its
random texts are run here again under hypothesis, with line endings and repeated lines).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_clean_quick_paths import REFERENCE

from rasd.text import clean as cleaning
from rasd.text.clean import RULES, Edit, Rule, clean


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer("\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _line_endings(text: str) -> list[Edit]:
    edits = [(m.start(), m.end(), "\n") for m in re.finditer("\r\n?", text)]
    if text.startswith("\ufeff"):
        edits.insert(0, (0, 1, ""))
    return edits


def _repeated_paragraphs(text: str) -> list[Edit]:
    edits = []
    previous: str | None = None
    anchor = 0
    for start, end in _line_spans(text):
        line = text[start:end].strip()
        if not line:
            continue
        if line == previous:
            edits.append((anchor, end, ""))
        previous, anchor = line, end
    return edits


PLAIN = {**REFERENCE, "line-endings": _line_endings, "repeated-paragraphs": _repeated_paragraphs}
PLAIN_RULES = tuple(Rule(rule.name, PLAIN.get(rule.name, rule.find)) for rule in RULES)

PIECES = st.sampled_from(
    [
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n\n",
        "\r",
        "\r\n",
        "\ufeff",
        "\u00a0",
        "\u2028",
        "&",
        " & ",
        "&amp;",
        "&#1575;",
        "&x;",
        ".",
        ",",
        ".,",
        "., ",
        "@",
        "(at)",
        "[at]",
        "desk",
        "x.com",
        "نص",
        "كلمة",
        "a",
        "هل أعجبك هذا المقال",
        "؟",
        "عنوان\n",
        "\nعنوان",
    ]
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)


@pytest.mark.parametrize("name", sorted(PLAIN))
@given(text=TEXTS)
def test_each_rule_finds_the_edits_of_its_reference(name: str, text: str) -> None:
    rule = next(r for r in RULES if r.name == name)
    assert rule.find(text) == PLAIN[name](text)


@given(TEXTS)
def test_cleaning_gives_the_text_and_offsets_of_the_reference_rules(text: str) -> None:
    text_now, map_now = clean(text)
    text_before, map_before = clean(text, PLAIN_RULES)
    assert text_now == text_before
    assert map_now == map_before


@pytest.mark.parametrize(
    ("text", "edits"),
    [
        ("a & & b", [(1, 4, " "), (4, 6, "")]),  # the second match starts where the first ended
        ("a  &\t b", [(1, 6, " ")]),
        ("&amp; & x", [(5, 8, " ")]),  # the entity is kept; ";" and "x" are no blanks
        ("&", [(0, 1, "")]),
        ("x&&y", [(1, 2, " "), (2, 3, " ")]),
    ],
)
def test_stray_ampersands_by_hand(text: str, edits: list[Edit]) -> None:
    assert cleaning.stray_ampersands(text) == edits


@pytest.mark.parametrize(
    ("text", "edits"),
    [
        ("عنوان\n\nعنوان\n\nنص", [(5, 12, "")]),
        (" عنوان \n عنوان\n", [(7, 14, "")]),  # compared stripped
        ("أ\nأ\nأ", [(1, 3, ""), (3, 5, "")]),  # each repeats the one before, removed or not
        ("أ\nب\nأ", []),
    ],
)
def test_repeated_paragraphs_by_hand(text: str, edits: list[Edit]) -> None:
    assert cleaning.repeated_paragraphs(text) == edits


def test_email_footer_by_hand() -> None:
    text = "نص.\n\nللتصحيح desk (at) x.com\n\nراسلونا news@example.com\n"
    assert cleaning.email_footer(text) == [(5, len(text), "")]
    assert cleaning.email_footer("a@b.com\nنص (at) أخير") == []


@pytest.mark.parametrize(
    ("text", "edits"),
    [
        ("  a b", []),  # no character before the run
        ("a b  ", []),  # none after it
        ("a  \tb", [(1, 4, " ")]),
        ("a  \nb\n\n\n\nc", [(5, 9, "\n\n")]),
        ("a\u00a0  b", []),  # a no-break space is white space, though no blank
    ],
)
def test_blank_runs_by_hand(text: str, edits: list[Edit]) -> None:
    assert cleaning.blank_runs(text) == edits


@given(TEXTS)
def test_the_first_edits_need_no_composing_with_the_identity(text: str) -> None:
    """``clean`` keeps the first edited text's pieces as they are: composing them changes nothing."""
    for rule in RULES:
        edits = rule.find(text)
        if edits:
            _, pieces = cleaning.apply_edits(text, edits)
            assert cleaning.compose_pieces(pieces, [(0, len(text), 0, 1)]) == pieces
            return


@pytest.mark.parametrize("raw", ["", "نص", "نص\n", "\n", " a b "])
def test_an_unedited_or_trimmed_text_maps_one_to_one(raw: str) -> None:
    text, offset_map = clean(raw)
    every = [offset_map.to_raw(t) for t in range(len(text))]
    assert every == [raw.index(text) + t for t in range(len(text))]
