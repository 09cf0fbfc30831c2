"""The import's token check (``iter_token_problems``) refuses exactly what the build's tokens config refuses.

The import used to tokenize every document (``document_tokens``) only to learn
whether the new spans fall on token boundaries; ``iter_token_problems`` answers
from the span edges alone.  Here both are run on texts mixing every kind of
character the tokenizer tells apart (letters, marks, digits and separators,
punctuation, white space of several kinds, emoji) and on spans anywhere, nested,
repeated, empty or outside the text: the problems must be the same ones, in the
same order.  A change to the tokenizer that breaks the reasoning fails here.
"""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.core.errors import RasdError, unbundle
from rasd.core.model import Document, Source, Span
from rasd.core.offsets import OffsetMap
from rasd.formats.gold import render_annotations, render_in_order
from rasd.labelstudio.spans import _text_order, in_order, iter_token_problems
from rasd.text.tokens import document_tokens, tokenize

PIECES = [
    "بغداد",
    "وزارة",
    "و",
    "ال",
    "\u064e",
    "\u0651",
    "\u0640",
    "\u200c",
    "\u200d",
    "2019",
    "٣٠",
    "1,5",
    "٫",
    ".",
    ",",
    "،",
    "(",
    ")",
    "_",
    "-",
    "%",
    "x",
    "Ab",
    "😀",
    " ",
    "  ",
    "\n",
    "\t",
    "\u00a0",
    "\u2003",
    "\u3000",
    "\x1c",
    "\u200b",
    "\u0301",
]
LABELS = ["ORG", "LOC", "PER"]
WHERE = "export.json task 1"


def document(text: str) -> Document:
    return Document("d", text, None, Source("d.txt"), OffsetMap.identity(len(text)))


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, list[Span]]:
    text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=14)))
    edges = st.integers(-1, len(text) + 1)
    spans = []
    for number in range(draw(st.integers(0, 6))):
        start = draw(edges)
        end = draw(st.one_of(edges, st.just(start), st.integers(start, max(start, len(text)))))
        label = draw(st.sampled_from(LABELS))
        spans.append(Span(start, end, label, f"s{draw(st.integers(0, 3))}{number % 2}", text[start:end]))
    return text, spans


def described(errors: list[RasdError]) -> list[tuple[str, str | None, str | None, str | None, str]]:
    return [(e.code, e.file, e.document, e.span, str(e)) for e in errors]


def build_verdict(text: str, spans: list[Span]) -> list[RasdError]:
    """What ``document_tokens`` raises, placed as the import places it."""
    try:
        document_tokens(document(text).with_spans(spans))
    except RasdError as raised:
        found = unbundle(raised)
        for error in found:
            error.file = WHERE
            error.args = (error.render(),)
        return found
    return []


@settings(max_examples=600, deadline=None)
@given(cases())
def test_the_token_check_is_the_tokenizers_verdict(case: tuple[str, list[Span]]) -> None:
    text, spans = case
    ours = list(iter_token_problems(document(text), spans, where=WHERE))
    assert described(ours) == described(build_verdict(text, spans))


def test_the_examples_reach_both_verdicts() -> None:
    """Spans on and off token boundaries, and two outermost spans over the same characters."""
    text = "في بغداد، 2019."
    ok = Span(3, 8, "LOC", "a", "بغداد")
    inside = Span(4, 8, "LOC", "b", "غداد")  # inside a word: the tokenizer splits it there, so it aligns
    blank = Span(2, 8, "LOC", "c", " بغداد")
    twice = Span(3, 8, "ORG", "d", "بغداد")
    for spans, codes in (
        ([ok], []),
        ([inside], []),
        ([blank], ["RASD-E781"]),
        ([ok, twice], ["RASD-E782"]),
        ([ok, twice, Span(3, 8, "PER", "e", "بغداد")], ["RASD-E782", "RASD-E782"]),
    ):
        ours = list(iter_token_problems(document(text), spans, where=WHERE))
        assert [e.code for e in ours] == codes
        assert described(ours) == described(build_verdict(text, spans))


def test_every_character_but_white_space_is_in_a_token() -> None:
    """The one property of the tokenizer the check rests on, for every code point."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    text = " ".join(chars)
    covered = bytearray(len(text))
    for start, end in tokenize(text):
        covered[start:end] = b"\x01" * (end - start)
    wrong = [text[i] for i in range(len(text)) if bool(covered[i]) == text[i].isspace()]
    assert wrong == []


@given(cases())
def test_spans_in_order_are_the_sorted_spans(case: tuple[str, list[Span]]) -> None:
    """``in_order`` sorts by a key, ``sorted`` by ``Span.__lt__``: the same order, ties kept as they came."""
    spans = case[1] + case[1][:2]
    assert [id(s) for s in in_order(spans)] == [id(s) for s in sorted(spans)]


@given(cases())
def test_the_file_rendered_from_the_one_sort_is_the_sorted_spans_file(case: tuple[str, list[Span]]) -> None:
    """``checked_file`` renders the spans it sorted once for the token check: the same file as
    ``render_annotations`` of the spans in order (what it rendered before), whatever their order."""
    text, spans = case
    inside = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    once = render_in_order(document(text), sorted(inside, key=_text_order))
    assert once == render_annotations(document(text), in_order(inside))
    assert once == render_annotations(document(text), inside[::-1])
