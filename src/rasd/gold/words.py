"""Text helpers of the consistency checks: words, proclitics and one-line context for messages."""

from __future__ import annotations

from collections.abc import Iterator

from rasd.gold.wordlists import MAX_PROCLITICS, PROCLITICS


def is_word_char(char: str) -> bool:
    """Letters, digits and the Arabic combining marks and tatweel that belong to a word."""
    return char.isalnum() or "\u064b" <= char <= "\u065f" or char in "\u0640\u0670"


def attached_prefix(text: str, start: int) -> str:
    """The word characters glued before ``start`` (``و`` in ``وفيسبوك``)."""
    i = start
    while i > 0 and is_word_char(text[i - 1]):
        i -= 1
    return text[i:start]


def is_proclitic_prefix(prefix: str) -> bool:
    return len(prefix) <= MAX_PROCLITICS and all(c in PROCLITICS for c in prefix)


def word_at(text: str, index: int) -> str:
    """The whole word around ``text[index]``."""
    start = index - len(attached_prefix(text, index))
    end = index
    while end < len(text) and is_word_char(text[end]):
        end += 1
    return text[start:end]


def ends_word(text: str, end: int) -> bool:
    return end == len(text) or not is_word_char(text[end])


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
        if len(rest) >= 2 and all(c in PROCLITICS for c in head):
            return rest
    return word
