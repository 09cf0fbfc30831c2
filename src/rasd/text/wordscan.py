"""The pattern's tokens of a text (``rasd.text.tokens.words``) found with array operations, for the build.

``words`` walks the text's space-separated pieces in Python and runs the token
pattern on one piece in six; a 3 KB article takes ~0.12 ms, the largest part of
a document's tokens.  Here every character gets its class once (white space, a
digit, a word character: a letter or a mark of ``WORD_MARKS``, a number
separator, anything else), read from a table of every code point filled from the
pattern's own character classes the first time a character is met, and the
tokens' starts and ends are where a character does not continue the one before
it, as the pattern reads:

- a word is a run of word characters (``(?:[^\\W\\d_]+|[MARKS]+)+``);
- a number is a run of digits, a separator kept inside it only between two
  digits (``\\d+(?:[.,٫٬]\\d+)*``);
- any other character but white space is a token of its own (``\\S``).

The same tokens as ``words`` for every text (``tests/test_wordscan.py``
holds it to the pattern on generated texts and on every code point).
"""

from __future__ import annotations

import re

import numpy as np

from rasd.text.arabic import WORD_MARKS
from rasd.text.codepoints import CodePointTable
from rasd.text.tokens import TokenColumns, TokenOffsets

_SPACE, _DIGIT, _WORD, _SEPARATOR, _OTHER = range(1, 6)  # 0: ``codepoints.UNSEEN``
_SPACE_CHAR = re.compile(r"\s")
_DIGIT_CHAR = re.compile(r"\d")
_WORD_CHAR = re.compile(rf"[^\W\d_]|[{WORD_MARKS}]")
SEPARATORS = ".,\u066b\u066c"
"""What a number keeps between two of its digits (the token pattern's ``[.,\\u066b\\u066c]``)."""


def char_class(char: str) -> int:
    """The class of one character, by the token pattern's own classes (digits first, as it tries them)."""
    if _SPACE_CHAR.match(char):
        return _SPACE
    if _DIGIT_CHAR.match(char):
        return _DIGIT
    if _WORD_CHAR.match(char):
        return _WORD
    return _SEPARATOR if char in SEPARATORS else _OTHER


_CLASSES = CodePointTable(char_class, np.uint8)
"""Every code point's class (``char_class``), filled the first time the code point is met."""


def word_offsets(text: str) -> TokenOffsets:
    """``rasd.text.tokens.words(text)``: the pattern's tokens, as ``(start, end)`` code-point offsets."""
    return list(zip(*word_columns(text), strict=True))


def word_columns(text: str) -> TokenColumns:
    """The starts and the ends of ``word_offsets(text)``, as two lists."""
    if not text:
        return [], []
    classes = _CLASSES.lookup(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32))
    word, digit = classes == _WORD, classes == _DIGIT
    inner = np.zeros(len(classes), dtype=bool)  # a separator between two digits: inside a number
    inner[1:-1] = (classes[1:-1] == _SEPARATOR) & digit[:-2] & digit[2:]
    joined = inner.copy()  # the character continues the token of the one before it
    joined[1:] |= (word[1:] & word[:-1]) | (digit[1:] & (digit[:-1] | inner[:-1]))
    token = classes != _SPACE
    last = np.ones(len(classes), dtype=bool)  # the next character does not continue its token
    last[:-1] = ~joined[1:]
    return np.flatnonzero(token & ~joined).tolist(), (np.flatnonzero(token & last) + 1).tolist()
