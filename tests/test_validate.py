"""Semantic checks: one planted error per check, each message naming document, span and fix."""

from __future__ import annotations

import pytest

from rasd.core.model import Span
from rasd.validation.validate import SEMANTIC_CHECKS, CorpusIds, semantic_errors

TEXT = "وقال مركز الإعلام الرقمي إن تيليغرام حذف 9122 قناة\u200f في 2019 وسيُهزم."
#       0123456789...: offsets below are found with str.index, never counted by hand


def span(surface: str, label: str, sid: str, *, shift: int = 0, end_shift: int = 0) -> Span:
    start = TEXT.index(surface) + shift
    return Span(start=start, end=start + len(surface) + end_shift, label=label, id=sid, text=surface)


GOOD = [
    span("مركز الإعلام الرقمي", "ORG", "s1"),
    span("تيليغرام", "PLATFORM", "s2"),
    span("9122", "QUANTITY", "s3"),
]


def test_good_spans_pass() -> None:
    assert semantic_errors("d", TEXT, GOOD) == []


CASES = [
    (
        "iter_empty_span_problems",
        Span(start=5, end=5, label="ORG", id="bad", text="x"),
        "f.json: document d: span bad: empty or reversed offsets [5, 5). Fix: end must be greater than start",
    ),
    (
        "iter_outside_text_problems",
        Span(start=40, end=400, label="ORG", id="bad", text="x"),
        f"span bad: offsets [40, 400) are outside the text (length {len(TEXT)}). Fix: the span was made on "
        "another text: run `rasd migrate`",
    ),
    (
        "iter_text_mismatch_problems",
        span("تيليغرام", "PLATFORM", "bad", shift=1, end_shift=0).replace(text="تيليغرام"),
        "span bad: text[",
    ),
    (
        "iter_edge_junk_problems",
        Span(
            start=TEXT.index(" تيليغرام"),
            end=TEXT.index(" تيليغرام") + 9,
            label="PLATFORM",
            id="bad",
            text=" تيليغرام",
        ),
        "span bad: span ' تيليغرام' starts or ends with white space or punctuation. Fix: move the boundary inward",
    ),
    (
        "iter_unknown_label_problems",
        span("تيليغرام", "APP", "bad"),
        "span bad: label 'APP' is not in the label set. Fix: use one of ORG, PLATFORM, PERSON, QUANTITY, DATE, LOC",
    ),
    (
        "iter_crossing_problems",
        span("الرقمي إن", "ORG", "bad"),
        "span bad: crosses span s1",
    ),
    (
        "iter_id_twice_problems",
        span("حذف", "ORG", "s2"),
        "span s2: span id used twice in this document. Fix: give one of them a new id",
    ),
    (
        "iter_quantity_value_problems",
        span("9122", "QUANTITY", "bad").replace(value="تسعة آلاف"),
        "span bad: QUANTITY value 'تسعة آلاف' is not a number. Fix: write the value as a decimal number",
    ),
    (
        "iter_date_value_problems",
        span("2019", "DATE", "bad").replace(value="Feb 20th 2019"),
        "span bad: DATE value 'Feb 20th 2019' is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
    (
        "iter_split_mark_problems",
        span("وسيُهزم", "ORG", "bad", end_shift=-4).replace(text="وسي"),
        "span bad: the span ends between a letter and its combining mark U+064F ('وسي')",
    ),
    (
        "iter_invisible_edge_problems",
        span("قناة\u200f", "ORG", "bad"),
        "span bad: span 'قناة\\u200f' ends with the invisible format character U+200F (RIGHT-TO-LEFT MARK)",
    ),
    (
        "iter_duplicate_span_problems",
        span("9122", "QUANTITY", "bad"),
        "span bad: same offsets and label as span s3. Fix: delete the duplicate",
    ),
]


@pytest.mark.parametrize(("check", "planted", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_check_catches_its_planted_error(check: str, planted: Span, message: str) -> None:
    errors = semantic_errors("d", TEXT, [*GOOD, planted], file="f.json")
    assert any(message in str(e) for e in errors), [str(e) for e in errors]
    (chosen,) = [c for c in SEMANTIC_CHECKS if c.__name__ == check]
    assert list(chosen("d", TEXT, [*GOOD, planted], "f.json")), f"{check} itself must report it"


def test_every_check_has_a_planted_case() -> None:
    assert {c.__name__ for c in SEMANTIC_CHECKS} == {c[0] for c in CASES}


def test_all_errors_are_collected_not_only_the_first() -> None:
    planted = [c[1] for c in CASES]
    assert len(semantic_errors("d", TEXT, [*GOOD, *planted])) >= len(CASES)


def test_span_ids_are_unique_across_documents() -> None:
    ids = CorpusIds()
    assert ids.check("doc_a", GOOD, file="a.json") == []
    (error,) = ids.check("doc_b", [GOOD[0]], file="b.json")
    assert str(error) == (
        "b.json: document doc_b: span s1: span id is also used in document doc_a. "
        "Fix: span ids are corpus-wide: give this span a new id"
    )
