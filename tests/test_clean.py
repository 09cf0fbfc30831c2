"""Cleaning rules, one hand-checked example each, and the offset map back to the raw text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.core.paths import Repo
from rasd.intake.ingest import iter_documents, read_raw_text
from rasd.text.clean import RULES, Piece, apply_edits, clean, compose_pieces, edit_pieces

# (rule, raw, expected text): each row exercises one rule and was checked by eye.
RULE_CASES = [
    ("line-endings", "سطر أول\r\nسطر ثان\rثالث", "سطر أول\nسطر ثان\nثالث"),
    ("line-endings", "\ufeffبداية", "بداية"),
    ("stray-ampersands", "تطبيق RocketChat &والذي هو", "تطبيق RocketChat والذي هو"),
    ("stray-ampersands", "لتصل&في يناير", "لتصل في يناير"),
    ("stray-ampersands", "وبالانكليزية & Amaq", "وبالانكليزية Amaq"),
    ("stray-ampersands", "الأخرى.&\n&", "الأخرى."),
    ("html-entities", "داعش &amp; القاعدة", "داعش & القاعدة"),
    ("comma-joined-paragraphs", "عبر الإنترنت., في التفاصيل", "عبر الإنترنت.\n\nفي التفاصيل"),
    ("comma-joined-paragraphs", 'المنصات"., كما أشار', 'المنصات".\n\nكما أشار'),
    ("comma-joined-paragraphs", "1.9 مليون, محتوى", "1.9 مليون, محتوى"),
    ("repeated-paragraphs", "عنوان\n\nعنوان\n\nنص", "عنوان\n\nنص"),
    ("repeated-paragraphs", "تعليق صورة\n\nنص\n\nتعليق صورة", "تعليق صورة\n\nنص\n\nتعليق صورة"),
    ("comment-section", "نص المقال.\n\nهل أعجبك هذا المقال؟\n\n1 تعليق\n\nالرد", "نص المقال."),
    ("email-footer", "نص.\n\nللتصحيح أو إبداء أي ملاحظات desk (at) eremnews.com", "نص."),
    ("email-footer", "راسلونا على news@example.com ثم تابعوا.\n\nنص أخير.", None),
    ("trailing-blanks", "كلمة \t\nأخرى  ", "كلمة\nأخرى"),
    ("blank-runs", "كلمة  \t أخرى\n\n\n\nفقرة", "كلمة أخرى\n\nفقرة"),
    ("trim", " \n كلمة\n\n ", "كلمة"),
]


@pytest.mark.parametrize(("rule", "raw", "expected"), RULE_CASES)
def test_each_rule_alone(rule: str, raw: str, expected: str | None) -> None:
    (chosen,) = [r for r in RULES if r.name == rule]
    text, _ = apply_edits(raw, chosen.find(raw))
    if rule not in ("trim", "blank-runs", "trailing-blanks"):  # the table shows the rule alone, trimmed
        text = text.strip()
    assert text == (raw if expected is None else expected)


def test_every_rule_has_a_case_and_a_description() -> None:
    assert {r.name for r in RULES} == {rule for rule, _, _ in RULE_CASES}
    assert all(len(r.description) > 30 for r in RULES)


@pytest.mark.parametrize(
    "word",
    [
        "أإآا ى ي ة ه",  # alef forms, alef maqsura, taa marbuta kept apart
        "سيُهزم المُتشدّد",  # harakat and shadda kept
        "\ufdfd",  # one code point; NFKC would make it 22
        "ـــتطويل",  # tatweel kept
        "😀 داعش",  # outside the BMP
    ],
)
def test_letters_are_never_normalised(word: str) -> None:
    text, offset_map = clean(f"نص {word} نص")
    assert word in text
    assert offset_map.text_length == len(text)


NOISY = st.lists(
    st.sampled_from(
        ["داعش", "فيسبوك", " ", "  ", "\n", "\n\n\n", "&", ".,", " & ", "\r\n", "٢٠١٩", "😀", "\ufdfd"]
    ),
    max_size=40,
).map("".join)


@given(NOISY)
def test_offset_map_points_every_text_character_at_its_raw_origin(raw: str) -> None:
    text, offset_map = clean(raw)
    assert offset_map.text_length == len(text)
    for t, char in enumerate(text):
        source = raw[offset_map.to_raw(t)]
        # rules replace noise only by white space; anything else is copied
        assert source == char or (char.isspace() and (source.isspace() or source in "&,"))


def positions_one_by_one(raw: str) -> list[int]:
    """The map the pieces must equal, computed naively: one raw offset per text code point."""
    text, to_raw = raw, list(range(len(raw)))
    for rule in RULES:
        edits = rule.find(text)
        positions: list[int] = []
        cursor = 0
        for start, end, repl in edits:
            positions += range(cursor, start)
            same = len(repl) == end - start
            positions += range(start, end) if same else [min(start, max(len(text) - 1, 0))] * len(repl)
            cursor = end
        positions += range(cursor, len(text))
        text = apply_edits(text, edits)[0]
        to_raw = [to_raw[p] for p in positions]
    return to_raw


@given(NOISY)
def test_composed_pieces_equal_the_map_made_one_character_at_a_time(raw: str) -> None:
    text, offset_map = clean(raw)
    assert [offset_map.to_raw(t) for t in range(len(text))] == positions_one_by_one(raw)


@pytest.mark.parametrize(
    ("outer", "inner", "composed"),
    [
        (
            [(0, 3, 1, 1)],
            [(0, 2, 5, 0), (2, 3, 7, 1)],
            [(0, 1, 5, 0), (1, 2, 7, 1)],
        ),  # copy from inside a replacement
        ([(0, 2, 3, 0)], [(0, 2, 0, 1), (2, 4, 10, 1)], [(0, 2, 11, 0)]),  # a replacement of a copied stretch
        (
            [(0, 2, 0, 1), (2, 2, 4, 1)],
            [(0, 6, 100, 1)],
            [(0, 2, 100, 1), (2, 2, 104, 1)],
        ),  # a deletion in between
    ],
)
def test_compose_pieces(outer: list[Piece], inner: list[Piece], composed: list[Piece]) -> None:
    assert compose_pieces(outer, inner) == composed


@pytest.mark.parametrize(
    ("length", "edits", "pieces"),
    [
        (6, [(1, 2, "x")], [(0, 1, 0, 1), (1, 1, 1, 1), (2, 4, 2, 1)]),  # same length: copied
        (6, [(1, 4, "\n\n")], [(0, 1, 0, 1), (1, 2, 1, 0), (3, 2, 4, 1)]),  # other length: one source
        (6, [(0, 2, ""), (5, 6, "")], [(0, 3, 2, 1)]),  # deletions leave no piece
        (
            3,
            [(3, 3, " ")],
            [(0, 3, 0, 1), (3, 1, 2, 0)],
        ),  # an insertion at the end maps to the last character
    ],
)
def test_edit_pieces(length: int, edits: list[tuple[int, int, str]], pieces: list[Piece]) -> None:
    assert edit_pieces(length, edits) == pieces


@given(NOISY)
def test_cleaning_is_idempotent(raw: str) -> None:
    text, _ = clean(raw)
    assert clean(text)[0] == text


def test_seed_documents_map_back_to_their_raw_files(real_repo: Repo) -> None:
    documents = list(iter_documents(real_repo))
    assert len(documents) >= 5
    for document in documents:
        raw = read_raw_text(real_repo, document)
        for t, char in enumerate(document.text):
            source = raw[document.offset_map.to_raw(t)]
            assert source == char or char.isspace(), (document.id, t)
        assert "&" not in document.text
        assert ".," not in document.text
        assert "هل أعجبك هذا المقال" not in document.text


@pytest.mark.parametrize(("first", "second"), [("\r\n", "\r"), ("\r", "\r\n"), ("\r", "\r"), ("\n", "\r")])
def test_every_line_ending_is_accepted_and_mapped_to_lf(first: str, second: str) -> None:
    """CR-only, CR LF and mixes are accepted (decided: mapped, not refused); offsets still reach the raw."""
    lines = ["قال مسؤول إن تيليغرام", "حذف 9122 قناة.", "", "فقرة ثانية"]
    mixed = lines[0] + first + lines[1] + second + "\r\n" + lines[3] + "\r"
    text, offsets = clean(mixed)
    assert "\r" not in text
    assert text == clean("\n".join(lines))[0]
    for index, char in enumerate(text):
        if char != "\n":
            assert mixed[offsets.to_raw(index)] == char
