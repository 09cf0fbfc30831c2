"""Agreement between annotators: span F1 per label and Cohen's kappa on tokens, against hand-computed values."""

from __future__ import annotations

import pytest

from rasd.gold.agreement import F1, agreement_table, cohen_kappa, pairwise_agreement, span_f1, token_labels

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
