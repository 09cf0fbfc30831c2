"""A regular expression for a set of words, factored by shared prefixes.

Python's ``re`` tries the branches of ``a|b|c`` one after another; for many words
that is slow where most positions start none of them.  ``trie_pattern`` writes the
same language as a prefix tree (``ال(?:شهر|عام)``), so a position that starts no word
fails at its first character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_pattern(words: Iterable[str]) -> str:
    """A regex (no capturing groups) matching exactly the strings of ``words``.

    >>> trie_pattern(["ab", "a", "c"])
    '(?:a(?:b)?|c)'
    """
    return _trie(frozenset(words))


def _trie(words: frozenset[str]) -> str:
    if not words:
        raise ValueError("trie_pattern needs at least one word")
    if "" in words:
        rest = words - {""}
        return f"(?:{_trie(rest)})?" if rest else ""
    by_first: dict[str, set[str]] = {}
    for word in words:
        by_first.setdefault(word[0], set()).add(word[1:])
    branches = [re.escape(char) + _trie(frozenset(tails)) for char, tails in sorted(by_first.items())]
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
