"""Tokens and BIO tags: the ``tokens`` config, derived losslessly from the spans.

Tokenisation splits words from punctuation and, besides, splits a token wherever
a span boundary falls inside it (``وفيسبوك`` -> ``و`` + ``فيسبوك``), so every span
boundary is a token boundary.  ``align`` is the one function that maps a
character span to tokens; both directions use it, and a span that does not align
is reported, never dropped.  BIO holds one layer: the outermost spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter

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
TokenColumns = tuple[list[int], list[int]]
"""Tokens as their starts and their ends (two lists): ``TokenOffsets`` taken apart."""

# A number (digits of any script, with decimal or thousands separators kept whole),
# or a word: letters with their combining marks (Arabic harakat, shadda, Quranic
# marks, ZWJ/ZWNJ).  Letters and digits are separate tokens, so a proclitic on a
# number (``و2019``) is split off like one on a word.  A word is written as runs of
# letters and runs of marks (``(?:L+|M+)+``), the same tokens as a run of single
# letters-or-marks (``(?:L|M)+``) in a third less time: ``re`` tries the alternation
# once per run, not once per character.
_TOKEN = re.compile(rf"\d+(?:[.,\u066b\u066c]\d+)*|(?:[^\W\d_]+|[{WORD_MARKS}]+)+|\S")


def words(text: str) -> TokenOffsets:
    r"""The pattern's tokens of ``text`` (``tokenize`` before any split at a boundary): the text alone.

    No token holds a space, so the text's tokens are its space-separated pieces'
    tokens.  A piece of letters only (``str.isalpha``: every letter is in
    ``[^\W\d_]``) is one token; only the other pieces (punctuation, digits,
    marks, line breaks: one in six) go through the pattern, bounded to the
    piece (``finditer(text, start, end)``).  The pattern over the whole text
    costs about twice as much.
    """
    out: TokenOffsets = []
    find = _TOKEN.finditer
    start = 0
    for piece in text.split(" "):
        end = start + len(piece)
        if piece.isalpha():
            out.append((start, end))
        elif piece:
            out += [match.span() for match in find(text, start, end)]
        start = end + 1
    return out


def tokenize(text: str, boundaries: Iterable[int] = (), *, split: TokenOffsets | None = None) -> TokenOffsets:
    """Token ``[start, end)`` offsets of ``text``, also split at every offset in ``boundaries``.

    The pattern's tokens come from one ``finditer`` (or are ``split``: ``words(text)``
    computed before, e.g. kept in the build's cache); only the few tokens a
    boundary falls strictly inside are then split, each found by bisection.
    """
    tokens: TokenOffsets = words(text) if split is None else split
    return _split_inside(tokens, _cuts_inside(*_columns(tokens), boundaries))


def _columns(tokens: Sequence[tuple[int, int]]) -> TokenColumns:
    """The tokens' starts and their ends, as two lists."""
    return list(map(itemgetter(0), tokens)), list(map(itemgetter(1), tokens))


def _split_inside(tokens: TokenOffsets, inside: dict[int, set[int]]) -> TokenOffsets:
    """``tokens`` with each token of ``inside`` split at its cuts (``_cuts_inside``)."""
    if not inside:
        return tokens
    out: TokenOffsets = []
    done = 0
    for index in sorted(inside):
        out += tokens[done:index]
        start, end = tokens[index]
        for cut in sorted(inside[index]):
            out.append((start, cut))
            start = cut
        out.append((start, end))
        done = index + 1
    out += tokens[done:]
    return out


def _cuts_inside(starts: list[int], ends: list[int], boundaries: Iterable[int]) -> dict[int, set[int]]:
    """The offsets of ``boundaries`` that fall strictly inside a token, by the token's index.

    ``starts`` and ``ends``: the tokens' (``_columns``).  Only a boundary that is
    no token's start nor end can: those few are found by set difference, and
    only they are bisected.
    """
    inside: dict[int, set[int]] = {}
    if not starts:
        return inside
    candidates = set(boundaries).difference(starts).difference(ends)
    for cut in candidates:
        index = bisect_right(starts, cut) - 1
        if index >= 0 and starts[index] < cut < ends[index]:
            inside.setdefault(index, set()).add(cut)
    return inside


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


OuterRanges = list[tuple[Span, tuple[int, int] | None]]


def _outer_ranges(starts: list[int], ends: list[int], spans: Sequence[Span]) -> OuterRanges:
    """Each outermost span with its ``token_range`` (tokens in text order, as ``tokenize`` gives them).

    The same bisection as ``token_range``, on the tokens' starts and ends
    (``_columns``) rather than through a key function at every step.
    """
    count = len(starts)
    found: OuterRanges = []
    for span in outermost(spans):
        start, end = span.start, span.end
        first, last = bisect_left(starts, start), bisect_left(ends, end)
        aligned = (
            start < end and first < count and last < count and starts[first] == start and ends[last] == end
        )
        found.append((span, (first, last + 1) if aligned else None))
    return found


def _bio_problems(ranges: OuterRanges, *, document: str | None, file: str | None) -> Iterator[RasdError]:
    taken: set[int] = set()
    for span, found in ranges:
        entry = (
            SPAN_OFF_TOKEN_BOUNDARIES if found is None else TWO_OUTERMOST_SPANS if found[0] in taken else None
        )
        if entry is not None:
            yield entry(file=file, document=document, span=span.id, start=span.start, end=span.end)
        elif found is not None:
            taken.add(found[0])


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
    return _bio_problems(_outer_ranges(*_columns(tokens), spans), document=document, file=file)


def offsets_to_bio_tags(
    tokens: Sequence[tuple[int, int]], spans: Sequence[Span], *, document: str | None = None
) -> list[str]:
    """BIO tags of the outermost ``spans`` over ``tokens``; every ``iter_bio_problems`` raised together."""
    return _bio_tags(*_columns(tokens), spans, document=document)


def _bio_tags(
    starts: list[int], ends: list[int], spans: Sequence[Span], *, document: str | None
) -> list[str]:
    """``offsets_to_bio_tags`` of the tokens of these ``starts`` and ``ends`` (``_columns``)."""
    ranges = _outer_ranges(starts, ends, spans)
    firsts = [found[0] for _, found in ranges if found is not None]
    if len(firsts) < len(ranges) or len(set(firsts)) < len(firsts):  # a problem: name each one
        raise_all(_bio_problems(ranges, document=document, file=None))
    tags = [OUTSIDE] * len(starts)
    for span, found in ranges:
        if found is not None:  # always, once no problem was raised
            first, last = found
            tags[first] = f"B-{span.label}"
            tags[first + 1 : last] = [f"I-{span.label}"] * (last - first - 1)
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


def document_tokens(document: Document, split: TokenOffsets | None = None) -> tuple[TokenOffsets, list[str]]:
    """The tokens of a document, split at all its span boundaries, and their BIO tags.

    ``split``: ``words(document.text)``, when known already.
    """
    starts, ends, tags = document_token_columns(document, split)
    return list(zip(starts, ends, strict=True)), tags


def document_token_columns(
    document: Document, split: TokenOffsets | None = None, *, columns: TokenColumns | None = None
) -> tuple[list[int], list[int], list[str]]:
    """``document_tokens`` as the tokens' starts, their ends and their BIO tags (three lists).

    ``split``: ``words(document.text)``, or ``columns``: its starts and ends, when
    known already.  The starts and ends are taken out of the tokens once, and
    used by the split at span boundaries, the BIO tags and the caller (the
    ``tokens`` record's columns).
    """
    if columns is None:
        columns = _columns(words(document.text) if split is None else split)
    starts, ends = columns
    boundaries = [edge for s in document.spans for edge in (s.start, s.end)]
    inside = _cuts_inside(starts, ends, boundaries)
    if inside:
        starts, ends = _columns(_split_inside(list(zip(starts, ends, strict=True)), inside))
    return starts, ends, _bio_tags(starts, ends, document.spans, document=document.id)
