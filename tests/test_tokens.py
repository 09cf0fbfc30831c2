"""Tokenisation and BIO alignment: hand-checked examples and the lossless-outermost property."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.core.errors import RasdError, RequestError, SpanError, unbundle
from rasd.core.model import Span
from rasd.core.spans import find_crossing, outermost
from rasd.text.tokens import align, bio_tags_to_offsets, offsets_to_bio_tags, tokenize


def words(text: str, boundaries: tuple[int, ...] = ()) -> list[str]:
    return [text[s:e] for s, e in tokenize(text, boundaries)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وحسب البيان، «اختتمت»", ["وحسب", "البيان", "،", "«", "اختتمت", "»"]),
        ("1.9 مليون و٣٫٥ و10,000", ["1.9", "مليون", "و", "٣٫٥", "و", "10,000"]),
        ("سيُهزم المُتشدّد", ["سيُهزم", "المُتشدّد"]),
        ("(فوكت شات)", ["(", "فوكت", "شات", ")"]),
        ("RocketChat.", ["RocketChat", "."]),
        ("😀داعش", ["😀", "داعش"]),
    ],
)
def test_tokenize_splits_words_from_punctuation(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_a_span_boundary_inside_a_word_splits_it() -> None:
    text = "وفيسبوك نشيطة"
    assert words(text, (1, 7)) == ["و", "فيسبوك", "نشيطة"]


def test_align_reports_a_span_that_does_not_fall_on_tokens() -> None:
    tokens = tokenize("وفيسبوك نشيطة")
    with pytest.raises(SpanError, match=r"\[1, 7\) does not fall on token boundaries") as caught:
        align(tokens, 1, 7)
    assert caught.value.code == "RASD-E781"


def test_bio_tags_report_every_span_they_cannot_hold() -> None:
    text = "وفيسبوك نشيطة جدا"
    spans = [
        Span(1, 7, "PLATFORM", "s1", "فيسبوك"),
        Span(8, 13, "ORG", "s2", "نشيطة"),
        Span(8, 13, "LOC", "s3", "نشيطة"),
    ]
    with pytest.raises(RasdError) as caught:
        offsets_to_bio_tags(tokenize(text), spans, document="d")
    assert [(e.code, e.document, e.span) for e in unbundle(caught.value)] == [
        ("RASD-E781", "d", "s1"),
        ("RASD-E782", "d", "s3"),
    ]


def test_bio_of_nested_spans_keeps_the_outer_one() -> None:
    text = "كلية الإعلام بجامعة بغداد"
    uni = text.index("جامعة بغداد")
    city = text.index("بغداد")
    spans = [
        Span(uni, uni + len("جامعة بغداد"), "ORG", "s1", "جامعة بغداد"),
        Span(city, city + 5, "LOC", "s2", "بغداد"),
    ]
    tokens = tokenize(text, [e for s in spans for e in (s.start, s.end)])
    tags = offsets_to_bio_tags(tokens, spans)
    assert list(zip(words(text, (uni, uni + 11, city, city + 5)), tags, strict=True)) == [
        ("كلية", "O"),
        ("الإعلام", "O"),
        ("ب", "O"),
        ("جامعة", "B-ORG"),
        ("بغداد", "I-ORG"),
    ]


ALPHABET = st.sampled_from([*list("ابتثجحوفلك ،.«»0123"), "😀", "﷽", "ُ"])


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[Span]]:
    """Any text, and non-crossing spans over it (nested allowed) with no edge white space."""
    text = draw(st.text(ALPHABET, min_size=1, max_size=60))
    spans: list[Span] = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        surface = text[start:end]
        if surface != surface.strip() or not surface.strip():
            continue
        candidate = Span(start, end, draw(st.sampled_from(["ORG", "LOC", "DATE"])), f"s{i}", surface)
        if find_crossing([*spans, candidate]) or any(s.key[:2] == candidate.key[:2] for s in spans):
            continue
        spans.append(candidate)
    return text, spans


@given(text_and_spans())
def test_tokens_to_spans_recovers_the_outermost_spans_exactly(case: tuple[str, list[Span]]) -> None:
    text, spans = case
    tokens = tokenize(text, [e for s in spans for e in (s.start, s.end)])
    tags = offsets_to_bio_tags(tokens, spans)
    assert bio_tags_to_offsets(tokens, tags) == [s.key for s in outermost(spans)]


@given(st.text(ALPHABET, max_size=80), st.lists(st.integers(0, 80), max_size=8))
def test_tokens_are_in_bounds_ordered_and_cover_every_non_space(text: str, cuts: list[int]) -> None:
    tokens = tokenize(text, cuts)
    assert all(0 <= s < e <= len(text) for s, e in tokens)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(tokens))
    covered = {i for s, e in tokens for i in range(s, e)}
    assert covered == {i for i, c in enumerate(text) if not c.isspace()}


@given(text_and_spans())
def test_align_is_the_identity_on_token_boundaries(case: tuple[str, list[Span]]) -> None:
    text, spans = case
    tokens = tokenize(text, [e for s in spans for e in (s.start, s.end)])
    for first in range(len(tokens)):
        last = min(first + 2, len(tokens))
        assert align(tokens, tokens[first][0], tokens[last - 1][1]) == (first, last)


def test_tags_must_match_the_tokens_one_to_one() -> None:
    with pytest.raises(RequestError, match="2 tokens but 1 tags") as caught:
        bio_tags_to_offsets([(0, 1), (2, 3)], ["O"])
    assert caught.value.code == "RASD-E783"
