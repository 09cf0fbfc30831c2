"""Agreement between annotators: span F1 per label and Cohen's kappa on tokens, against hand-computed values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.gold.agreement import (
    F1,
    Overlap,
    agreement_record,
    agreement_section,
    agreement_table,
    cohen_kappa,
    overlap_f1,
    pairwise_agreement,
    span_f1,
    token_labels,
)

A = [(0, 4, "ORG"), (10, 15, "LOC"), (20, 22, "QUANTITY")]


@pytest.mark.parametrize(
    ("left", "right", "label", "expected"),
    [
        (A, A, None, F1(3, 3, 3)),
        (A, A[:2], None, F1(2, 3, 2)),
        (A, [(0, 4, "PERSON"), *A[1:]], "ORG", F1(0, 1, 0)),
        (A, [(0, 5, "ORG")], "ORG", F1(0, 1, 1)),  # one code point off is a miss
        ([], [], "DATE", F1(0, 0, 0)),
    ],
)
def test_span_f1_counts(
    left: list[tuple[int, int, str]], right: list[tuple[int, int, str]], label: str | None, expected: F1
) -> None:
    assert span_f1(left, right, label) == expected
    assert span_f1(right, left, label) == F1(expected.matched, expected.right, expected.left)


@pytest.mark.parametrize(("counts", "f1"), [(F1(2, 3, 2), 0.8), (F1(0, 1, 0), 0.0), (F1(0, 0, 0), None)])
def test_f1_value(counts: F1, f1: float | None) -> None:
    assert counts.f1 == f1


@pytest.mark.parametrize(
    ("left", "right", "kappa"),
    [
        (list("AAOO"), list("AAOO"), 1.0),
        (list("AAOO"), list("OOAA"), -1.0),
        (list("AAAO"), list("AAOO"), 0.5),  # po 3/4, pe (3*2 + 1*2)/16 = 1/2
        (list("OOOO"), list("OOOO"), None),  # chance agreement is total: undefined
    ],
)
def test_cohen_kappa(left: list[str], right: list[str], kappa: float | None) -> None:
    assert cohen_kappa(left, right) == kappa


def test_tokens_take_the_label_of_the_longest_covering_span() -> None:
    tokens = [(0, 5), (6, 11), (12, 14)]
    assert token_labels(tokens, [(0, 11, "ORG"), (6, 11, "LOC")]) == ["ORG", "ORG", "O"]


def test_pairwise_agreement_table() -> None:
    text = "جامعة بغداد في العراق"
    a = [(0, 11, "ORG"), (15, 21, "LOC")]
    b = [(6, 11, "LOC"), (15, 21, "LOC")]
    (pair,) = pairwise_agreement([(text, {"b@x": b, "a@x": a})])
    assert (pair.left, pair.right, pair.tasks) == ("a@x", "b@x", 1)
    assert pair.overall == F1(1, 2, 2)
    # tokens جامعة بغداد في العراق: a = ORG ORG O LOC, b = O LOC O LOC -> po 2/4, pe (O 1*2 + LOC 1*2)/16
    assert pair.kappa == pytest.approx((2 / 4 - 4 / 16) / (1 - 4 / 16))
    table = agreement_table([pair])
    assert "a@x vs b@x (1 tasks)" in table
    assert "  ORG         0.000        0      1      0" in table
    assert "  LOC         0.667        1      1      2" in table
    assert "Cohen's kappa on 4 tokens: 0.333" in table
    assert agreement_table([]) == "no task has two or more submitted annotations: nothing to compare"


# --- overlap F1, a release's agreement record and the card section -----------------------------------


@pytest.mark.parametrize(
    ("left", "right", "label", "expected"),
    [
        (A, A, None, Overlap(3, 3, 3, 3)),
        (A, [(0, 5, "ORG")], "ORG", Overlap(1, 1, 1, 1)),  # one code point off still overlaps
        (A, [(2, 12, "ORG")], None, Overlap(1, 1, 3, 1)),  # overlaps LOC too, but a label must match
        (A, [(4, 10, "ORG")], "ORG", Overlap(0, 0, 1, 1)),  # touching is not sharing a character
        ([], [], "DATE", Overlap()),
    ],
)
def test_overlap_f1_counts(
    left: list[tuple[int, int, str]], right: list[tuple[int, int, str]], label: str | None, expected: Overlap
) -> None:
    assert overlap_f1(left, right, label) == expected


TEXT = "أعلنت وزارة الصحة في بغداد أن 12 مصابا نقلوا إلى المستشفى."


def at(surface: str, label: str) -> tuple[int, int, str]:
    start = TEXT.index(surface)
    return (start, start + len(surface), label)


ANA = [at("بغداد", "LOC"), at("وزارة الصحة", "ORG"), at("12", "QUANTITY")]
BOB = [at("بغداد", "LOC"), at("الصحة", "ORG")]


def test_agreement_record_against_a_hand_computation() -> None:
    record = agreement_record([(TEXT, {"bob": BOB, "ana": ANA})], fingerprint="f")
    assert record["documents"] == 1
    assert record["annotators"] == ["ana", "bob"]
    per_label = record["per_label"]
    # exact: بغداد agrees; وزارة الصحة vs الصحة differ in start; 12 only by ana
    assert per_label["LOC"] == {"strict": 1.0, "overlap": 1.0, "spans": 2}
    assert per_label["ORG"] == {"strict": 0.0, "overlap": 1.0, "spans": 2}
    assert per_label["QUANTITY"] == {"strict": 0.0, "overlap": 0.0, "spans": 1}
    assert per_label["DATE"] == {"strict": None, "overlap": None, "spans": 0}
    assert record["overall"] == {"strict": 0.4, "overlap": 0.8, "spans": 5}  # 2*1/5, (2+2)/5
    # 12 tokens (11 words and the full stop); they differ on وزارة (ORG/O) and 12 (QUANTITY/O):
    # po = 10/12; ana O 8, ORG 2, LOC 1, QUANTITY 1; bob O 10, ORG 1, LOC 1
    # pe = (8*10 + 2*1 + 1*1) / 144 = 83/144; kappa = (120 - 83) / (144 - 83) = 37/61
    assert record["tokens"] == 12
    assert record["kappa"] == round(37 / 61, 4)
    section = agreement_section(record)
    assert "Measured on 1 documents annotated by two or more of 2 annotators" in section
    assert "| ORG | 0.000 | 1.000 | 2 |" in section
    assert "| all | 0.400 | 0.800 | 5 |" in section
    assert "Cohen's κ on 12 tokens: 0.607" in section


def test_the_card_says_when_agreement_is_not_measured() -> None:
    empty = agreement_record([], fingerprint="f")
    assert (empty["documents"], empty["kappa"], empty["tokens"]) == (0, None, 0)
    for agreement in (None, empty):
        assert (
            agreement_section(agreement)
            == "No inter-annotator agreement has been measured for this version yet."
        )


SPANS = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(["ORG", "LOC"])).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=6,
)


@given(SPANS, SPANS)
def test_overlap_f1_is_symmetric_and_never_below_exact_f1(
    left: list[tuple[int, int, str]], right: list[tuple[int, int, str]]
) -> None:
    overlap, exact = overlap_f1(left, right), span_f1(left, right)
    mirrored = overlap_f1(right, left)
    assert (mirrored.matched_left, mirrored.matched_right) == (overlap.matched_right, overlap.matched_left)
    if exact.f1 is not None:
        assert overlap.f1 is not None
        assert overlap.f1 >= exact.f1
