"""Where spans begin and end: word boundaries, and the material the spec puts outside (rules 1-5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rasd.core.errors import Problem
from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.core.problems.registry import (
    ENDS_INSIDE_WORD,
    HOLDS_COUNTED_NOUN,
    HOLDS_QUOTE,
    STARTS_INSIDE_WORD,
    STARTS_WITH_APPROXIMATOR,
    STARTS_WITH_PREPOSITION,
    STARTS_WITH_PROCLITIC,
    STARTS_WITH_TYPE_WORD,
)
from rasd.gold.corpus import Corpus, Warned, span_context
from rasd.gold.wordlists import APPROXIMATORS, DATE_OUTSIDE, QUOTES, TYPE_WORDS
from rasd.gold.words import strip_proclitics, word_at
from rasd.text.arabic import (
    NUMBER_PATTERN,
    PROCLITIC_LETTERS,
    attached_prefix,
    ends_word,
    fold,
    is_proclitic_prefix,
)
from rasd.text.numbers import NUMBER_WORDS

_NUMBER = re.compile(f"^{NUMBER_PATTERN}$")


def _is_number_token(token: str) -> bool:
    """Digits, or a number word (folded, proclitics off) of ``rasd.text.numbers``."""
    return bool(_NUMBER.match(token)) or fold(strip_proclitics(token)) in NUMBER_WORDS


_TOKEN = re.compile(r"\S+")

Material = tuple[Problem, dict[str, object]]
"""A warning entry and its template values (without the context, which the check adds)."""


def iter_word_boundary_problems(corpus: Corpus) -> Iterator[Warned]:
    """A span starts at a word start or after proclitics only, and ends at a word end."""
    for document in corpus.documents:
        text = document.text
        for span in document.spans:
            where = span_context(document, span)
            prefix = attached_prefix(text, span.start)
            if prefix and not is_proclitic_prefix(prefix):
                word = word_at(text, span.start)
                yield (
                    corpus.warn(STARTS_INSIDE_WORD, document, span, word=word, prefix=prefix, context=where),
                    span,
                )
            if not ends_word(text, span.end):
                word = word_at(text, span.end - 1)
                yield corpus.warn(ENDS_INSIDE_WORD, document, span, word=word, context=where), span


# --- material the rules put outside: one small function per rule -----------------------------------


def _proclitic_inside(span: Span, tokens: list[str], known: frozenset[str]) -> Iterator[Material]:
    """Rule 1: a proclitic glued to the name (و before ال, a digit or a known name; لل)."""
    first = tokens[0]
    if first[0] not in PROCLITIC_LETTERS or len(first) < 2:
        return
    rest = span.text[1:]
    if (
        first[1:].startswith("ال")
        or first[1].isdigit()
        or rest in known
        or (first[:2] == "لل" and len(first) > 2)
    ):
        yield STARTS_WITH_PROCLITIC, {"proclitic": first[0]}


def _type_word_inside(span: Span, tokens: list[str], known: frozenset[str]) -> Iterator[Material]:
    """Rule 2: a generic type word before the name."""
    if len(tokens) > 1 and strip_proclitics(tokens[0]) in TYPE_WORDS:
        yield STARTS_WITH_TYPE_WORD, {"word": strip_proclitics(tokens[0])}


def _quotes_inside(span: Span, tokens: list[str], known: frozenset[str]) -> Iterator[Material]:
    """Rule 3: quotes and brackets."""
    quotes = sorted({c for c in span.text if c in QUOTES})
    if quotes:
        yield HOLDS_QUOTE, {"quotes": "".join(quotes)}


def _quantity_extras(span: Span, tokens: list[str], known: frozenset[str]) -> Iterator[Material]:
    """Rule 5: a QUANTITY is digits, number words and scale words, without approximators."""
    if span.label != Label.QUANTITY:
        return
    approximator = next((a for a in APPROXIMATORS if span.text.startswith(a + " ")), None)
    if approximator:
        yield STARTS_WITH_APPROXIMATOR, {"approximator": approximator}
        return
    extra = [
        t
        for t in tokens
        if not _NUMBER.match(t) and fold(strip_proclitics(t)) not in NUMBER_WORDS and t != "و"
    ]
    if extra:
        yield HOLDS_COUNTED_NOUN, {"extra": " ".join(extra)}


def _date_preposition(span: Span, tokens: list[str], known: frozenset[str]) -> Iterator[Material]:
    """A DATE starts at the calendar expression, after في، منذ، خلال ..."""
    if span.label == Label.DATE and len(tokens) > 1 and strip_proclitics(tokens[0]) in DATE_OUTSIDE:
        yield STARTS_WITH_PREPOSITION, {"word": tokens[0]}


OUTSIDE_RULES = (_proclitic_inside, _type_word_inside, _quotes_inside, _quantity_extras, _date_preposition)


def outside_material(span: Span, known: frozenset[str]) -> Iterator[Material]:
    """Each piece of ``span.text`` that belongs outside it; ``known`` are the corpus's names."""
    tokens = _TOKEN.findall(span.text)
    for rule in OUTSIDE_RULES:
        yield from rule(span, tokens, known)


def iter_outside_material_problems(corpus: Corpus) -> Iterator[Warned]:
    """Proclitics, quotes, type words, approximators, counted nouns inside a span (rules 1, 2, 3, 5)."""
    known = frozenset(
        {s.text for d in corpus.documents for s in d.spans}
        | {alias for e in corpus.registry for alias in e.aliases}
    )
    for document in corpus.documents:
        for span in document.spans:
            for entry, values in outside_material(span, known):
                where = span_context(document, span)
                yield corpus.warn(entry, document, span, surface=span.text, context=where, **values), span
