"""``tokenize`` and the BIO tags against plain reference versions written here, on generated texts.

The module splits the pattern's tokens only where a boundary falls inside one,
and finds a span's tokens by bisecting their starts and ends; the references
walk every token and every boundary, and align each span on its own
(``token_range``).  Any difference in tokens, tags or reported problems fails.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.core.errors import RasdError, unbundle
from rasd.core.labels import OUTSIDE
from rasd.core.model import Document, Source, Span
from rasd.core.offsets import OffsetMap
from rasd.core.spans import outermost
from rasd.text.arabic import WORD_MARKS
from rasd.text.tokens import (
    document_token_columns,
    document_tokens,
    offsets_to_bio_tags,
    token_range,
    tokenize,
    words,
)

PATTERN = re.compile(rf"\d+(?:[.,\u066b\u066c]\d+)*|(?:[^\W\d_]|[{WORD_MARKS}])+|\S")
ALPHABET = st.sampled_from([*"ابتثجحوفلك ،.«»0123٫ـ_", "😀", "ُ", "\n", "\u200c", "\u06d6"])


def reference_tokens(text: str, boundaries: list[int]) -> list[tuple[int, int]]:
    """Every token of the pattern, cut at every boundary strictly inside it."""
    tokens = []
    for match in PATTERN.finditer(text):
        start, end = match.span()
        for cut in sorted({b for b in boundaries if start < b < end}):
            tokens.append((start, cut))
            start = cut
        tokens.append((start, end))
    return tokens


def reference_tags(
    tokens: list[tuple[int, int]], spans: list[Span]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The tags, or the problems: each outermost span aligned alone; two on the same tokens clash."""
    tags, problems, taken = [OUTSIDE] * len(tokens), [], set()
    for span in outermost(spans):
        found = token_range(tokens, span.start, span.end)
        if found is None:
            problems.append(("RASD-E781", span.id))
        elif found[0] in taken:
            problems.append(("RASD-E782", span.id))
        else:
            taken.add(found[0])
            tags[found[0] : found[1]] = [f"B-{span.label}"] + [f"I-{span.label}"] * (found[1] - found[0] - 1)
    return (tags, []) if not problems else ([], problems)


@st.composite
def text_and_spans(
    draw: st.DrawFn, alphabet: st.SearchStrategy[str] = ALPHABET, max_size: int = 40, most_spans: int = 5
) -> tuple[str, list[Span], list[int]]:
    """Any text, any spans over it (crossing, empty, off boundaries), and the cuts a caller may pass."""
    text = draw(st.text(alphabet, min_size=1, max_size=max_size))
    spans = []
    for i in range(draw(st.integers(0, most_spans))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text) + 1))
        label = draw(st.sampled_from(["ORG", "LOC", "PER"]))
        spans.append(Span(start, end, label, f"s{i}", text[start:end]))
    edges = [e for s in spans for e in (s.start, s.end)]
    cuts = draw(st.sampled_from([edges, edges[::2], [], [*edges, -1, len(text) + 3]]))
    return text, spans, cuts


def assert_tokens_and_tags_are_the_references(text: str, spans: list[Span], cuts: list[int]) -> None:
    tokens = tokenize(text, cuts)
    assert tokens == reference_tokens(text, cuts)
    expected_tags, expected_problems = reference_tags(tokens, spans)
    try:
        tags, problems = offsets_to_bio_tags(tokens, spans, document="d"), []
    except RasdError as error:
        tags, problems = [], [(e.code, e.span or "") for e in unbundle(error)]
    assert (tags, problems) == (expected_tags, expected_problems)


@settings(max_examples=500, deadline=None)
@given(text_and_spans())
def test_tokens_and_tags_are_the_references(case: tuple[str, list[Span], list[int]]) -> None:
    assert_tokens_and_tags_are_the_references(*case)


def test_a_cut_inside_a_number_and_at_its_edges() -> None:
    text = "و2019 10,000"
    assert tokenize(text, [1, 5, 6, 9, 9, 12]) == [(0, 1), (1, 5), (6, 9), (9, 12)]
    assert tokenize(text, [3, 2]) == [(0, 1), (1, 2), (2, 3), (3, 5), (6, 12)]


def test_every_character_next_to_letters_marks_and_digits() -> None:
    """The token pattern against the reference on code points in the company that matters.

    Every code point up to U+3000 and the Arabic presentation forms; one in 31 of the others.
    """
    chosen = [*range(0x3000), *range(0xFB50, 0xFF00), *range(0x3000, 0x110000, 31)]
    text = "".join(f"{c}ُب{c}ـ{c}1{c} " for c in map(chr, chosen) if not 0xD800 <= ord(c) < 0xE000)
    assert tokenize(text) == [match.span() for match in PATTERN.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(text_and_spans(), st.booleans())
def test_document_token_columns_are_the_references(
    case: tuple[str, list[Span], list[int]], split: bool
) -> None:
    """``document_token_columns`` (and ``document_tokens``, its zip) give the reference tokens cut at
    every span edge and their tags, or raise the reference's problems."""
    text, spans, _ = case
    document = Document("d", text, None, Source("d.txt"), OffsetMap.identity(len(text))).with_spans(spans)
    tokens = reference_tokens(text, [e for s in document.spans for e in (s.start, s.end)])
    expected_tags, expected_problems = reference_tags(tokens, list(document.spans))
    given_split = words(text) if split else None
    if expected_problems:
        with pytest.raises(RasdError) as raised:
            document_token_columns(document, given_split)
        assert [(e.code, e.span or "") for e in unbundle(raised.value)] == expected_problems
        return
    starts, ends, tags = document_token_columns(document, given_split)
    assert (list(zip(starts, ends, strict=True)), tags) == (tokens, expected_tags)
    assert document_tokens(document, given_split) == (tokens, tags)
    columns = ([s for s, _ in words(text)], [e for _, e in words(text)])
    assert document_token_columns(document, columns=columns) == (starts, ends, tags)
