"""Text helpers of the consistency checks: words, proclitics and one-line context for messages."""

from __future__ import annotations

from collections.abc import Iterator

from rasd.text.arabic import (
    MAX_PROCLITICS,
    PROCLITIC_LETTERS,
    attached_prefix,
    ends_word,
    is_proclitic_prefix,
    is_word_char,
)


def word_at(text: str, index: int) -> str:
    """The whole word around ``text[index]``."""
    start = index - len(attached_prefix(text, index))
    end = index
    while end < len(text) and is_word_char(text[end]):
        end += 1
    return text[start:end]


def context(text: str, start: int, end: int, width: int = 25) -> str:
    """``…left[span]right…`` on one line, for messages."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return " ".join(f"…{left}[{text[start:end]}]{right}…".split())


def whole_word_occurrences(text: str, surface: str) -> Iterator[tuple[int, int]]:
    """Where ``surface`` occurs as a whole word, proclitics allowed before it."""
    start = text.find(surface)
    while start != -1:
        end = start + len(surface)
        if is_proclitic_prefix(attached_prefix(text, start)) and ends_word(text, end):
            yield start, end
        start = text.find(surface, start + 1)


def strip_proclitics(word: str) -> str:
    """A word without up to two leading proclitic letters, if something word-like remains."""
    for n in range(MAX_PROCLITICS, 0, -1):
        head, rest = word[:n], word[n:]
        if len(rest) >= 2 and all(c in PROCLITIC_LETTERS for c in head):
            return rest
    return word
