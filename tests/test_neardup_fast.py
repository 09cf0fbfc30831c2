"""The array-made near-duplicate fingerprint equals the plain one: fold, ``\\w+`` words, 5-grams.

``fingerprint`` builds the folded words from a code-point table and gives rensa
UTF-8 byte slices; its reference is ``_exact_key`` and ``_signature`` of
``_words`` (``fold``, ``re.findall``, ``" ".join`` of each 5-gram), written here
again in plain Python so that a change to either side shows.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rensa import RMinHash

from rasd.dataset import minhash
from rasd.text.arabic import fold
from rasd.text.codepoints import CodePointTable

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = sorted((ROOT / "dataset/raw").glob("*.txt"))


def plain(text: str) -> tuple[str, list[int]]:
    """The exact key and signature digest, one word and one shingle at a time."""
    words = re.findall(r"\w+", fold(text))
    n = minhash.SHINGLE_WORDS
    grams = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)] or [" ".join(words)]
    signature = RMinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED)
    signature.update(grams)
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest(), signature.digest()


def fast(text: str) -> tuple[str, list[int]]:
    key, signature = minhash.fingerprint(text)
    return key, signature.digest()


# Letters folding changes or drops, words of every length, separators of every kind.
PIECES = st.sampled_from(
    [
        "داعش",
        "أعلنت",
        "إغلاق",
        "آخر",
        "الدولة",
        "مستشفى",
        "المُتشدّد",
        "ـــ",
        "\u0670",
        "\u200c",
        "\u200f",
        "ی",
        "ک",
        "٢٠١٩",
        "۱۲",
        "ISIS",
        "İstanbul",
        "Straße",
        "ŉ",
        "a_b",
        "x1",
        "😀",
        "\ufdfd",
        " ",
        "  ",
        "\n",
        "\t",
        "\u00a0",
        "\u3000",
        "\u2028",
        ".",
        "،",
        "-",
        "\ud800",
        "\x00",
    ]
)
TEXTS = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=60))


@given(TEXTS)
def test_the_fingerprint_equals_the_plain_one(text: str) -> None:
    assert fast(text) == plain(text)
    assert minhash.exact_key(text) == plain(text)[0]
    assert minhash.signature(text).digest() == plain(text)[1]


@pytest.mark.parametrize("words", range(8))
def test_every_short_length_around_one_shingle(words: int) -> None:
    text = " ، ".join(["كلمة", "أخرى", "ثالثة"][i % 3] + str(i) for i in range(words))
    assert fast(text) == plain(text)


def test_the_repository_articles_fingerprint_as_before() -> None:
    assert ARTICLES
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        assert fast(text) == plain(text), path.name


def test_every_code_point_is_tabled_as_fold_and_the_word_pattern_see_it() -> None:
    """The table's value of a code point: dropped, a space, or its folded word character."""
    word = re.compile(r"\w")
    for code in range(0, sys.maxunicode + 1, 7):  # a sample of every plane (each takes a regex call)
        char = chr(code)
        value = minhash._char_value(char)
        folded = fold(char)
        if not folded:
            assert value == minhash._DROPPED
        elif word.fullmatch(folded) is None:
            assert value == minhash._SPACE
        else:
            assert value == ord(folded)
            assert not folded.isspace()


def test_a_character_the_table_cannot_stand_for_takes_the_plain_path(monkeypatch: pytest.MonkeyPatch) -> None:
    table = CodePointTable(minhash._char_value, np.uint32)
    table.values[ord("ب")] = minhash._UNTABLED
    monkeypatch.setattr(minhash, "_CHARS", table)
    text = "كتب أحمد بابا في اليوم الثاني من الشهر"
    assert minhash._joined_words(text) is None
    assert fast(text) == plain(text)
