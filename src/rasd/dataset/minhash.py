"""The near-duplicate fingerprint of one text: its exact key and its MinHash signature.

The words are the runs of ``\\w`` in the folded text (``rasd.text.arabic.fold``);
the exact key is the sha256 of the words joined by one space, the signature
rensa's MinHash of every word 5-gram (one shingle for a text shorter than five
words).  ``rasd.dataset.neardup`` groups documents by them.

``fingerprint`` finds the words with one numpy lookup of the text's code points
in a table (``_CHARS``) instead of ``str.translate`` and ``re.findall`` over
every character, and gives rensa UTF-8 slices of the joined words instead of a
joined string for each 5-gram: the same numbers, about three times cheaper
(``tests/test_neardup_fast.py`` holds it to the plain path, ``_words``).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from rensa import RMinHash

from rasd.text.arabic import fold
from rasd.text.codepoints import CodePointTable

SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 1
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _shingles(words: list[str]) -> list[str]:
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words)]
    return [" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]


def shingles(text: str) -> list[str]:
    """Word 5-grams of the folded text (one shingle for a text shorter than five words)."""
    return _shingles(_words(text))


def _exact_key(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def _signature(words: list[str]) -> RMinHash:
    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update(_shingles(words))
    return minhash


_SPACE = 0x20
"""``_CHARS`` value of a code point that folds to a character between words."""
_DROPPED = 0xFFFFFFFF
"""``_CHARS`` value of a code point that folding drops."""
_UNTABLED = 0xFFFFFFFE
"""``_CHARS`` value of a code point the table cannot stand for (folds to two characters, or
to a word character that ``str.split`` takes for white space): its texts take the plain path."""


def _char_value(char: str) -> int:
    """What one code point is in the folded words: its folded word character, a space, dropped."""
    folded = fold(char)  # ``fold`` maps character by character (``str.translate``)
    if not folded:
        return _DROPPED
    if len(folded) > 1:
        return _UNTABLED
    if _WORD.fullmatch(folded) is None:
        return _SPACE
    return _UNTABLED if folded.isspace() else ord(folded)


_CHARS = CodePointTable(_char_value, np.uint32)
"""Code point -> ``_char_value`` (4.4 MB of address space; only the pages of code points seen are touched)."""


def _joined_words(text: str) -> bytes | None:
    """UTF-8 of ``" ".join(_words(text))``, made from ``_CHARS``; None when the table cannot say."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    values = _CHARS.lookup(codes)
    if (values >= _UNTABLED).any():
        values = values[values != _DROPPED]
        if (values == _UNTABLED).any():
            return None
    # Words are runs of word characters; every other character is now a space (never a word
    # character's value), so ``str.split`` finds the words, without empty ones at either end.
    words = values.tobytes().decode("utf-32-le", "surrogatepass").split()
    return " ".join(words).encode("utf-8")


def _joined_shingles(joined: bytes) -> list[bytes]:
    """``_shingles`` of the words ``joined`` holds, as UTF-8 (one token for fewer than five words).

    rensa hashes a ``str`` token as its UTF-8 bytes, so the signature is the same.
    """
    spaces = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8) == _SPACE)
    count = len(spaces) - SHINGLE_WORDS + 2  # shingles: words (spaces + 1) - SHINGLE_WORDS + 1
    if not joined or count < 1:
        return [joined]
    starts = np.empty(count, dtype=np.int64)
    starts[0] = 0
    starts[1:] = spaces[: count - 1] + 1
    ends = np.empty(count, dtype=np.int64)
    ends[:-1] = spaces[SHINGLE_WORDS - 1 :]
    ends[-1] = len(joined)
    return [joined[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]


def exact_key(text: str) -> str:
    """Identical after folding and white-space collapsing: the exact-duplicate check."""
    joined = _joined_words(text)
    return _exact_key(_words(text)) if joined is None else hashlib.sha256(joined).hexdigest()


def signature(text: str) -> RMinHash:
    return fingerprint(text)[1]


def fingerprint(text: str) -> tuple[str, RMinHash]:
    """``exact_key(text)`` and ``signature(text)``, the text folded and split into words once.

    The same values as ``_exact_key`` and ``_signature`` of ``_words(text)`` (the plain
    path, taken when ``_CHARS`` cannot stand for a character of the text), found with
    array operations (``tests/test_neardup_fast.py``).
    """
    joined = _joined_words(text)
    if joined is None:
        words = _words(text)
        return _exact_key(words), _signature(words)
    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update(_joined_shingles(joined))
    return hashlib.sha256(joined).hexdigest(), minhash


def signature_state(minhash: RMinHash) -> str:
    """A signature as text (hex of rensa's own serialisation), to cache or send between processes."""
    state: bytes = minhash.__getstate__()
    return state.hex()


def signature_from_state(state: str) -> RMinHash:
    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.__setstate__(bytes.fromhex(state))
    return minhash
