"""Fast paths that share work within a text or across texts, each against the plain version written here.

``on_words`` remembering its answers per extent, and ``match_names`` remembering per word
surface (and per surface and next word) what a lexicon begins: each must give what the
plain per-call test gives, the memos warm or cold.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from name_reference import plain_names

from rasd.core.labels import Label
from rasd.preannotate import wordkeys
from rasd.preannotate.candidates import Candidate
from rasd.preannotate.gazetteer import organisations, places, platforms
from rasd.preannotate.lexicon import (
    build_lexicon,
    key_index,
    match_names,
    word_key_index,
    word_surfaces,
)
from rasd.preannotate.suggest import on_words
from rasd.text.arabic import on_word_boundaries, words

# Letters, proclitics, marks, digits and the separators that decide whether two words are joined.
ALPHABET = "ابتسعفقكلمنهويةىوفبلك\u064e\u0651\u0640\u200c0123٠١٢.,abcX   \t\u00a0\u2003\n\r،.:-/()«»\u200f"


@given(st.text(alphabet=ALPHABET + "كکللال", max_size=200))
def test_the_one_pass_key_index_is_the_per_surface_one(text: str) -> None:
    ws = words(text)
    fast, plain = word_key_index(ws), key_index(word_surfaces(ws))
    assert fast.keys() == plain.keys()
    assert all(sorted(set(fast[k])) == sorted(set(plain[k])) for k in plain)


def test_the_key_index_memo_started_afresh_changes_no_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other readings remembered across texts, and forgotten when the memo is full: the same index."""
    monkeypatch.setattr(wordkeys, "MAX_MEMO", 6)
    rng = random.Random(5)
    for _ in range(200):
        ws = words("".join(rng.choice(ALPHABET + "وبالكتاب ولل") for _ in range(rng.randint(0, 80))))
        fast, plain = word_key_index(ws), key_index(word_surfaces(ws))
        assert fast.keys() == plain.keys()
        assert all(sorted(set(fast[k])) == sorted(set(plain[k])) for k in plain)
    assert len(wordkeys._MET) <= 6 + 80


@st.composite
def text_and_candidates(draw: st.DrawFn) -> tuple[str, list[list[Candidate]]]:
    text = draw(st.text(alphabet=ALPHABET, min_size=1, max_size=60))
    offsets = st.integers(min_value=-1, max_value=len(text) + 1)
    candidate = st.builds(
        lambda s, e, label: Candidate(s, e, label, 0.5, None, "test"),
        offsets,
        offsets,
        st.sampled_from(list(Label)),
    )
    batches = draw(st.lists(st.lists(candidate, max_size=12), min_size=1, max_size=4))
    return text, batches


@given(text_and_candidates())
def test_on_words_with_a_memo_keeps_what_the_plain_test_keeps(
    case: tuple[str, list[list[Candidate]]],
) -> None:
    text, batches = case
    memo: dict[tuple[int, int], bool] = {}
    for batch in batches:  # one memo across the batches, as ``suggest`` shares it across its passes
        plain = [c for c in batch if on_word_boundaries(text, c.start, c.end)]
        assert on_words(text, iter(batch), memo) == plain
        assert on_words(text, batch) == plain


def _dense_text(rng: random.Random, names: list[str]) -> str:
    """Names (some cut in two, some loosely spelt, with proclitics) among words that begin names."""
    common = ["في", "فيس", "من", "إلى", "الى", "على", "قال", "ال", "و", "تل", "واتس", "غوغل"]
    parts = []
    for _ in range(60):
        name = rng.choice(common) if rng.random() < 0.5 else rng.choice(names)
        if " " not in name and len(name) > 3 and rng.random() < 0.3:
            cut = rng.randint(1, len(name) - 1)
            name = name[:cut] + " " + name[cut:]
        if rng.random() < 0.2:
            name = name.replace("ي", "", 1).replace("ا", "", 1)
        parts.append(rng.choice(("", "", "و", "ب", "ل", "وب", "ال")) + name)
    return "".join(p + rng.choice((" ", " ", " ", "، ", ".", "-", "", "\n")) for p in parts)


SHARED = build_lexicon([])  # one lexicon for every case: its memos fill up and are reused


@pytest.mark.parametrize("seed", range(8))
def test_a_reused_lexicon_s_memos_change_no_match(seed: int) -> None:
    rng = random.Random(seed)
    names = [n for item in (*platforms(), *organisations(), *places()) for n in item.names]
    for _ in range(4):
        text = _dense_text(rng, names)
        expected = plain_names(text, SHARED)
        assert len(expected) > 5
        assert match_names(text, words(text), SHARED) == expected
        assert match_names(text, words(text), build_lexicon([])) == expected  # memos cold
