"""Cleaning: raw article text -> the frozen document ``text`` plus its offset map.

The raw files carry the noise of the pages they were copied from.  Each rule
below finds *edits* (replace raw ``[start, end)`` by a string) on the current
text; the engine applies them and keeps, for every resulting code point, the
raw offset it came from.  Rules only delete noise or replace it by white space:
they never touch letters, so no Arabic orthographic normalisation (alef, yaa,
taa marbuta folding, diacritic stripping) and no Unicode normalisation (NFKC
would turn U+FDFD into 22 characters) is applied.  The rule table is the
documentation: the dataset card lists it, generated from the docstrings.
"""

from __future__ import annotations

import html
import operator
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rasd.core.offsets import OffsetMap

Edit = tuple[int, int, str]


@dataclass(frozen=True)
class Rule:
    name: str
    find: Callable[[str], list[Edit]]

    @property
    def description(self) -> str:
        return " ".join((self.find.__doc__ or "").split())


def _line_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every line, without its newline."""
    spans, start = [], 0
    for match in re.finditer("\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def line_endings(text: str) -> list[Edit]:
    """Line endings: CR LF and lone CR become LF; a byte-order mark at the start is removed."""
    edits = [(m.start(), m.end(), "\n") for m in re.finditer("\r\n?", text)] if "\r" in text else []
    if text.startswith("\ufeff"):
        edits.insert(0, (0, 1, ""))
    return edits


_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});")
_BLANKS = " \t"


def stray_ampersands(text: str) -> list[Edit]:
    """Stray ampersands left by stripped HTML (``RocketChat &والذي``, ``لتصل&في``, a
    lone ``&`` line): between two words the ``&`` and the blanks around it become one
    space; at a line edge they are removed.  HTML entities such as ``&amp;`` are kept
    for the next rule."""
    # The matches of ``[ \t]*&[ \t]*`` one after the other, each ``&`` found by ``str.find``
    # (a pattern that may start with a blank is tried at every offset): the blanks before it
    # back to the end of the match before, the blanks after it.
    edits: list[Edit] = []
    cursor, amp = 0, text.find("&")
    while amp >= 0:
        start, end = amp, amp + 1
        while start > cursor and text[start - 1] in _BLANKS:
            start -= 1
        while end < len(text) and text[end] in _BLANKS:
            end += 1
        if not _ENTITY.match(text, amp):
            before = text[start - 1] if start else "\n"
            after = text[end] if end < len(text) else "\n"
            between_words = not before.isspace() and not after.isspace()
            edits.append((start, end, " " if between_words else ""))
        cursor, amp = end, text.find("&", end)
    return edits


def html_entities(text: str) -> list[Edit]:
    """HTML entities (``&amp;``, ``&quot;``, ``&#1575;``) are decoded to the character they name."""
    edits = []
    for m in _ENTITY.finditer(text):
        decoded = html.unescape(m.group())
        if decoded != m.group():
            edits.append((m.start(), m.end(), decoded))
    return edits


_COMMA_JOINED = re.compile(r"\.(,[ \t]*)(?=\S)")


def comma_joined_paragraphs(text: str) -> list[Edit]:
    """Paragraphs joined by ``.,`` (a list of paragraphs flattened to one line): the
    comma and the blanks after it become a paragraph break, the full stop stays."""
    if ".," not in text:
        return []
    # ``\.`` consumed rather than looked behind at: the pattern starts with a literal, found at C speed.
    return [(m.start(1), m.end(1), "\n\n") for m in _COMMA_JOINED.finditer(text)]


def repeated_paragraphs(text: str) -> list[Edit]:
    """A paragraph identical to the previous non-empty paragraph (a photo caption or
    headline printed twice) is removed together with the line breaks before it."""
    paragraphs = [line for line in map(str.strip, text.split("\n")) if line]
    if not any(map(operator.eq, paragraphs, paragraphs[1:])):  # no paragraph repeats the one before
        return []
    edits = []
    previous: str | None = None  # the last non-empty paragraph, kept or removed
    anchor = 0  # where the last non-empty paragraph ended
    for start, end in _line_spans(text):
        line = text[start:end].strip()
        if not line:
            continue
        if line == previous:
            edits.append((anchor, end, ""))
        previous, anchor = line, end
    return edits


COMMENT_SECTION_MARKERS: tuple[str, ...] = ("هل أعجبك هذا المقال",)


_COMMENT_SECTION = re.compile(
    r"^[ \t]*(?:" + "|".join(re.escape(marker) for marker in COMMENT_SECTION_MARKERS) + ")", re.MULTILINE
)


def comment_section(text: str) -> list[Edit]:
    """A reader-comment section, from a line that starts with a known marker
    (``هل أعجبك هذا المقال؟``) to the end of the article, is removed."""
    if not any(marker in text for marker in COMMENT_SECTION_MARKERS):
        return []
    found = _COMMENT_SECTION.search(text)
    return [(found.start(), len(text), "")] if found else []


_EMAIL = re.compile(r"\S+\s*(?:@|\(at\)|\[at\])\s*\S+\.[A-Za-z]{2,}")
_AT_SIGNS = ("@", "(at)", "[at]")


def email_footer(text: str) -> list[Edit]:
    """Trailing lines that give an e-mail address (``للتصحيح ... desk (at) eremnews.com``)
    are an outlet's footer, not article text, and are removed."""
    if not any(at in text for at in _AT_SIGNS):  # one of them is in every e-mail address
        return []
    cut = None
    end = len(text)
    while end >= 0:  # the lines from the last one up, each ``[start, end)``; blank ones skipped
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if line.strip():
            if not any(at in line for at in _AT_SIGNS) or not _EMAIL.search(line):
                break  # (the pattern tries every word of a long line before it says no)
            cut = start
        end = start - 1
    return [(cut, len(text), "")] if cut is not None else []


def trailing_blanks(text: str) -> list[Edit]:
    """Blanks (spaces, tabs) at the end of a line are removed."""
    if " \n" not in text and "\t\n" not in text and not text.endswith((" ", "\t")):
        return []
    return [(m.start(), m.end(), "") for m in re.finditer(r"[ \t]+(?=\n|$)", text)]


_BLANK_RUN = re.compile(r"[ \t]{2,}")


def blank_runs(text: str) -> list[Edit]:
    """Runs of blanks inside a line become one space; three or more line breaks become two
    (one empty line between paragraphs)."""
    edits: list[Edit] = []
    if "  " in text or "\t" in text:  # in every run of two blanks
        # ``(?<=\S)[ \t]{2,}(?=\S)``: whole runs only (a blank is no ``\S``), so each run of two
        # blanks or more is found, then its two neighbours checked (a pattern that starts with
        # a character class is searched for at C speed, one that starts looking behind is not).
        end_of_text = len(text)
        edits += [
            (m.start(), m.end(), " ")
            for m in _BLANK_RUN.finditer(text)
            if m.start()
            and m.end() < end_of_text
            and not text[m.start() - 1].isspace()
            and not text[m.end()].isspace()
        ]
    if "\n\n\n" in text:
        edits += [(m.start(), m.end(), "\n\n") for m in re.finditer(r"\n{3,}", text)]
    return sorted(edits)


def trim(text: str) -> list[Edit]:
    """White space at the start and end of the article is removed."""
    if not text.strip():
        return [(0, len(text), "")] if text else []
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    return [edit for edit in ((0, lead, ""), (trail, len(text), "")) if edit[1] > edit[0]]


RULES: tuple[Rule, ...] = (
    Rule("line-endings", line_endings),
    Rule("stray-ampersands", stray_ampersands),
    Rule("html-entities", html_entities),
    Rule("comma-joined-paragraphs", comma_joined_paragraphs),
    Rule("repeated-paragraphs", repeated_paragraphs),
    Rule("comment-section", comment_section),
    Rule("email-footer", email_footer),
    Rule("trailing-blanks", trailing_blanks),
    Rule("blank-runs", blank_runs),
    Rule("trim", trim),
)


Piece = tuple[int, int, int, int]
"""``(start, length, source, step)``: code point ``start + i`` of a text came from offset
``source + i * step`` of the text before (step 1: copied; step 0: a replacement of
another length, all of whose characters map to where the replaced part began)."""


def edit_pieces(length: int, edits: Sequence[Edit]) -> list[Piece]:
    """The pieces of the text that sorted, non-overlapping ``edits`` make of a text of ``length``."""
    pieces: list[Piece] = []
    cursor = out = 0
    for start, end, repl in edits:
        if start < cursor:
            raise ValueError(f"overlapping edits at offset {start}")
        if start > cursor:
            pieces.append((out, start - cursor, cursor, 1))
            out += start - cursor
        if len(repl) == end - start and repl:
            pieces.append((out, len(repl), start, 1))
        elif repl:
            pieces.append((out, len(repl), min(start, max(length - 1, 0)), 0))
        out += len(repl)
        cursor = end
    if cursor < length:
        pieces.append((out, length - cursor, cursor, 1))
    return pieces


def apply_edits(text: str, edits: Sequence[Edit]) -> tuple[str, list[Piece]]:
    """Apply sorted, non-overlapping edits; return the new text and its pieces (where each
    of its code points came from in ``text``).  A replacement of the same length maps
    character by character; any other maps to the start of what it replaced."""
    out: list[str] = []
    cursor = 0
    for start, end, repl in edits:
        out += [text[cursor:start], repl]
        cursor = end
    out.append(text[cursor:])
    return "".join(out), edit_pieces(len(text), edits)


def compose_pieces(outer: Sequence[Piece], inner: Sequence[Piece]) -> list[Piece]:
    """Pieces from the newest text to the oldest: ``outer`` maps into the text ``inner`` maps from.

    Linear in the number of pieces (a lookup by bisection for each replacement), never in
    the number of characters.
    """
    starts = [piece[0] for piece in inner]
    composed: list[Piece] = []
    for start, length, source, step in outer:
        i = bisect_right(starts, source) - 1
        if step == 0:
            inner_start, _, inner_source, inner_step = inner[i]
            composed.append((start, length, inner_source + (source - inner_start) * inner_step, 0))
            continue
        end = source + length
        while source < end:
            inner_start, inner_length, inner_source, inner_step = inner[i]
            take = min(end, inner_start + inner_length) - source
            composed.append((start, take, inner_source + (source - inner_start) * inner_step, inner_step))
            start, source, i = start + take, source + take, i + 1
    return composed


def clean(raw: str, rules: Sequence[Rule] = RULES) -> tuple[str, OffsetMap]:
    """Clean ``raw`` by ``rules`` in order; return the text and its map to ``raw``.

    Time and memory are linear in the article's length: each rule's edits are kept as
    pieces and composed with the pieces so far, not as one offset per character.
    """
    text = raw
    to_raw: list[Piece] | None = None  # None: no rule has edited ``raw`` yet (the identity)
    for rule in rules:
        edits = rule.find(text)
        if not edits:
            continue
        text, pieces = apply_edits(text, edits)
        to_raw = pieces if to_raw is None else compose_pieces(pieces, to_raw)
    return text, OffsetMap.identity(len(raw)) if to_raw is None else OffsetMap.from_pieces(to_raw, len(text))
