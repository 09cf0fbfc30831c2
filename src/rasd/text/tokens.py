"""Tokens and BIO tags: the ``tokens`` config, derived losslessly from the spans.

Tokenisation splits words from punctuation and, besides, splits a token wherever
a span boundary falls inside it (``وفيسبوك`` -> ``و`` + ``فيسبوك``), so every span
boundary is a token boundary.  ``align`` is the one function that maps a
character span to tokens; both directions use it, and a span that does not align
is reported, never dropped.  BIO holds one layer: the outermost spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence

from rasd.core.errors import RasdError, raise_all
from rasd.core.labels import OUTSIDE
from rasd.core.model import Document, Span
from rasd.core.problems.preannotate import (
    SPAN_OFF_TOKEN_BOUNDARIES,
    TOKENS_AND_TAGS_DIFFER,
    TWO_OUTERMOST_SPANS,
)
from rasd.core.spans import outermost
from rasd.text.arabic import WORD_MARKS

TokenOffsets = list[tuple[int, int]]

# A number (digits of any script, with decimal or thousands separators kept whole),
# or a word: letters with their combining marks (Arabic harakat, shadda, Quranic
# marks, ZWJ/ZWNJ).  Letters and digits are separate tokens, so a proclitic on a
# number (``و2019``) is split off like one on a word.
_TOKEN = re.compile(rf"\d+(?:[.,\u066b\u066c]\d+)*|(?:[^\W\d_]|[{WORD_MARKS}])+|\S")


def tokenize(text: str, boundaries: Iterable[int] = ()) -> TokenOffsets:
    """Token ``[start, end)`` offsets of ``text``, also split at every offset in ``boundaries``."""
    cuts = sorted(set(boundaries))
    tokens: TokenOffsets = []
    i = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        while i < len(cuts) and cuts[i] <= start:
            i += 1
        j = i
        while j < len(cuts) and cuts[j] < end:
            tokens.append((start, cuts[j]))
            start = cuts[j]
            j += 1
        tokens.append((start, end))
    return tokens


def token_range(tokens: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Token indices ``[first, last)`` that exactly cover characters ``[start, end)``, else None."""
    first = bisect_left(tokens, start, key=lambda t: t[0])
    last = bisect_left(tokens, end, key=lambda t: t[1])
    if (
        start >= end
        or first == len(tokens)
        or last == len(tokens)
        or tokens[first][0] != start
        or tokens[last][1] != end
    ):
        return None
    return first, last + 1


def align(tokens: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """``token_range``, or ``SPAN_OFF_TOKEN_BOUNDARIES`` when a boundary falls inside a token."""
    found = token_range(tokens, start, end)
    if found is None:
        raise SPAN_OFF_TOKEN_BOUNDARIES(start=start, end=end)
    return found


def iter_bio_problems(
    tokens: Sequence[tuple[int, int]],
    spans: Sequence[Span],
    *,
    document: str | None = None,
    file: str | None = None,
) -> Iterator[RasdError]:
    """Why the outermost ``spans`` have no BIO tags over ``tokens``: off token boundaries, or two alike.

    Two different outermost spans over the same characters cannot share one BIO
    layer; that is reported rather than resolved by an arbitrary pick.
    """
    taken: set[int] = set()
    for span in outermost(spans):
        found = token_range(tokens, span.start, span.end)
        entry = (
            SPAN_OFF_TOKEN_BOUNDARIES if found is None else TWO_OUTERMOST_SPANS if found[0] in taken else None
        )
        if entry is not None:
            yield entry(file=file, document=document, span=span.id, start=span.start, end=span.end)
        elif found is not None:
            taken.add(found[0])


def offsets_to_bio_tags(
    tokens: Sequence[tuple[int, int]], spans: Sequence[Span], *, document: str | None = None
) -> list[str]:
    """BIO tags of the outermost ``spans`` over ``tokens``; every ``iter_bio_problems`` raised together."""
    raise_all(iter_bio_problems(tokens, spans, document=document))
    tags = [OUTSIDE] * len(tokens)
    for span in outermost(spans):
        first, last = align(tokens, span.start, span.end)
        tags[first] = f"B-{span.label}"
        for k in range(first + 1, last):
            tags[k] = f"I-{span.label}"
    return tags


def bio_tags_to_offsets(tokens: Sequence[tuple[int, int]], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of every entity in a BIO sequence.

    An ``I-X`` that does not continue an ``X`` entity starts a new one (the
    conventional lenient reading).
    """
    if len(tokens) != len(tags):
        raise TOKENS_AND_TAGS_DIFFER(tokens=len(tokens), tags=len(tags))
    entities: list[tuple[int, int, str]] = []
    current: list[int] | None = None  # [start, end] of the open entity
    label = ""
    for (start, end), tag in zip(tokens, tags, strict=True):
        prefix, _, tag_label = tag.partition("-")
        if prefix == "I" and current is not None and tag_label == label:
            current[1] = end
            continue
        if current is not None:
            entities.append((current[0], current[1], label))
            current = None
        if prefix in ("B", "I"):
            current, label = [start, end], tag_label
    if current is not None:
        entities.append((current[0], current[1], label))
    return entities


def document_tokens(document: Document) -> tuple[TokenOffsets, list[str]]:
    """The tokens of a document, split at all its span boundaries, and their BIO tags."""
    boundaries = [edge for s in document.spans for edge in (s.start, s.end)]
    tokens = tokenize(document.text, boundaries)
    return tokens, offsets_to_bio_tags(tokens, document.spans, document=document.id)
