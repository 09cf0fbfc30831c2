"""The cleaning rules skip texts that cannot hold a match: their edits must stay exactly what they were.

Each rule first looks for a substring every match holds (``&``, ``.,``, two blanks...)
and returns no edits without it. The rules as they were before (their patterns, kept
here as the reference) are run beside them on texts made of the characters those
patterns look at, and on every raw article of the repository.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from rasd.text import clean as cleaning
from rasd.text.clean import COMMENT_SECTION_MARKERS, RULES, Edit, Rule, clean


def _stray_ampersands(text: str) -> list[Edit]:
    edits = []
    for m in re.finditer(r"[ \t]*&[ \t]*", text):
        amp = m.start() + m.group().index("&")
        if re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});").match(text, amp):
            continue
        before = text[m.start() - 1] if m.start() else "\n"
        after = text[m.end()] if m.end() < len(text) else "\n"
        edits.append((m.start(), m.end(), " " if not before.isspace() and not after.isspace() else ""))
    return edits


def _comma_joined_paragraphs(text: str) -> list[Edit]:
    return [(m.start(), m.end(), "\n\n") for m in re.finditer(r"(?<=\.),[ \t]*(?=\S)", text)]


def _comment_section(text: str) -> list[Edit]:
    markers = "|".join(re.escape(marker) for marker in COMMENT_SECTION_MARKERS)
    found = re.search(r"^[ \t]*(?:" + markers + ")", text, re.MULTILINE)
    return [(found.start(), len(text), "")] if found else []


def _email_footer(text: str) -> list[Edit]:
    email = re.compile(r"\S+\s*(?:@|\(at\)|\[at\])\s*\S+\.[A-Za-z]{2,}")
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    ends = [m.start() for m in re.finditer("\n", text)] + [len(text)]
    lines = [(s, e) for s, e in zip(starts, ends, strict=True) if text[s:e].strip()]
    cut = None
    while lines and email.search(text[lines[-1][0] : lines[-1][1]]):
        cut = lines.pop()[0]
    return [(cut, len(text), "")] if cut is not None else []


def _trailing_blanks(text: str) -> list[Edit]:
    return [(m.start(), m.end(), "") for m in re.finditer(r"[ \t]+(?=\n|$)", text)]


def _blank_runs(text: str) -> list[Edit]:
    edits = [(m.start(), m.end(), " ") for m in re.finditer(r"(?<=\S)[ \t]{2,}(?=\S)", text)]
    edits += [(m.start(), m.end(), "\n\n") for m in re.finditer(r"\n{3,}", text)]
    return sorted(edits)


REFERENCE = {
    "stray-ampersands": _stray_ampersands,
    "comma-joined-paragraphs": _comma_joined_paragraphs,
    "comment-section": _comment_section,
    "email-footer": _email_footer,
    "trailing-blanks": _trailing_blanks,
    "blank-runs": _blank_runs,
}
REFERENCE_RULES = tuple(Rule(rule.name, REFERENCE.get(rule.name, rule.find)) for rule in RULES)

PIECES = [" ", " ", "  ", "\t", "\n", "\n\n\n", "\r\n", "\u00a0", "&", "&amp;", "&#1575;", ".", ",", ".,"]
PIECES += ["@", "(at)", "[at]", "desk", "x.com", "نص", "كلمة", "a", COMMENT_SECTION_MARKERS[0], "؟"]


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(PIECES, k=rng.randint(0, 30))) for _ in range(count)]


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_each_rule_finds_the_edits_of_its_pattern(name: str) -> None:
    rule = next(r for r in RULES if r.name == name)
    for text in _texts(4000, seed=len(name)):
        assert rule.find(text) == REFERENCE[name](text), repr(text)


def test_the_quick_paths_are_taken_on_texts_without_matches() -> None:
    """The reference would find nothing in these either; the point is that they are skipped."""
    plain = "كلمة نص\nسطر ثان."
    assert all(rule.find(plain) == [] for rule in RULES if rule.name in REFERENCE)
    assert cleaning.blank_runs("a  b\n\n\n\nc") == [(1, 3, " "), (4, 8, "\n\n")]
    assert cleaning.blank_runs("a\t\tb") == [(1, 3, " ")]
    assert cleaning.trailing_blanks("a \nb\t") == [(1, 2, ""), (4, 5, "")]


def test_cleaning_gives_the_same_text_and_offsets() -> None:
    for text in _texts(3000, seed=7):
        text_now, map_now = clean(text)
        text_before, map_before = clean(text, REFERENCE_RULES)
        assert text_now == text_before, repr(text)
        assert map_now.to_json() == map_before.to_json(), repr(text)
        assert [map_now.to_raw(i) for i in range(len(text_now))] == [
            map_before.to_raw(i) for i in range(len(text_before))
        ], repr(text)


def test_the_repository_articles_clean_as_before() -> None:
    raw = Path(__file__).resolve().parents[1] / "dataset" / "raw"
    articles = sorted(raw.glob("*.txt"))
    assert articles
    for path in articles:
        text = path.read_text(encoding="utf-8")
        assert clean(text)[0] == clean(text, REFERENCE_RULES)[0], path.name
