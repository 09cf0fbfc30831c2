"""The name matcher's fast paths (issue #9), each held to a plain version written here.

``loose_keys_in`` (keys found by loose key from a process-wide filing), ``match_names``
planning each surface once (``_plan``, ``_longer_at``) and a one-text lexicon (``propagate``'s),
``word_key_index`` filing by distinct key, and the inlined ``next_word``/``stem_in``: each must
give what the plain loop gives on generated word sequences, memos cold or warm.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from name_reference import plain_names

from rasd.core.labels import Label
from rasd.preannotate import wordkeys
from rasd.preannotate.candidates import Candidate, Context, next_word, stem_in
from rasd.preannotate.lexicon import (
    Entry,
    Lexicon,
    _best_at,
    _longer_at,
    _plan,
    build_lexicon,
    loose_readings,
    match_names,
)
from rasd.preannotate.matchers.repeated import PROPAGATED_SCORE, propagate, short_forms
from rasd.preannotate.wordkeys import key_index, loose_keys_in, skeleton, word_key_index, word_surfaces
from rasd.text.arabic import joined_by_space, stems, words

# Pieces of names and of ordinary words: proclitics, the article, long vowels, g-letters, Latin.
PIECES = ["فيس", "بوك", "تيليغرام", "تلجرام", "واتس", "اب", "الجزيرة", "محمد", "علي", "بن", "سلمان"]
PIECES += ["في", "من", "على", "قال", "ال", "و", "تل", "غوغل", "جوجل", "الكتاب", "بالكتاب", "للتحالف"]
PIECES += ["التحالف", "Rocket", "Chat", "عربي", "21", "أحمد", "الأمم", "المتحدة", "ستنجل", "وكالة", "لتحالف"]
CLITICS = ["", "", "", "و", "ب", "ل", "وب", "ال", "ف", "ك", "ول"]
GAPS = [" ", " ", " ", "، ", ".", "-", "", "\n", "  ", "\u00a0"]
LABELS = [Label.PERSON, Label.ORG, Label.PLATFORM, Label.LOC]


def _text(rng: random.Random, n: int) -> str:
    parts = [rng.choice(CLITICS) + rng.choice(PIECES) for _ in range(n)]
    return "".join(p + rng.choice(GAPS) for p in parts)


def _names(rng: random.Random, k: int) -> list[tuple[str, Label]]:
    return [
        (" ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 3))), rng.choice(LABELS)) for _ in range(k)
    ]


def _lexicon(names: list[tuple[str, Label]], score: float = 0.55, source: str = "document") -> Lexicon:
    lexicon = Lexicon()
    for name, label in names:
        lexicon.add(name, Entry(label, None, score, source))
    return lexicon


@given(
    st.lists(st.sampled_from([*PIECES, "x", "ab"]), max_size=30),
    st.lists(st.sampled_from(PIECES), max_size=8),
)
def test_loose_keys_in_are_the_keys_whose_loose_key_is_asked(keys: list[str], loose_of: list[str]) -> None:
    folded = {w.key for k in keys for w in words(k)}
    loose = {skeleton(w.key) for k in loose_of for w in words(k)}
    assert set(loose_keys_in(folded, loose)) == {k for k in folded if skeleton(k) in loose}
    assert set(loose_keys_in(list(folded), loose)) == {k for k in folded if skeleton(k) in loose}


def test_loose_keys_in_start_afresh_when_their_filing_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wordkeys, "MAX_MEMO", 8)
    monkeypatch.setattr(wordkeys, "_SKELETONS", wordkeys._SkeletonIndex())
    rng = random.Random(3)
    for _ in range(50):
        keys = {w.key for w in words(_text(rng, 6))}
        loose = {skeleton(w.key) for w in words(_text(rng, 4))}
        assert set(loose_keys_in(keys, loose)) == {k for k in keys if skeleton(k) in loose}
        assert len(wordkeys._SKELETONS.registered) <= max(8, len(keys))


@pytest.mark.parametrize("seed", range(30))
def test_a_one_text_lexicon_finds_what_the_plain_loop_finds(seed: int) -> None:
    """``propagate``'s case: a small lexicon made for one text, its memos cold, loose keys and all."""
    rng = random.Random(seed)
    for _ in range(5):
        text = _text(rng, 40)
        names = _names(rng, rng.randint(1, 8))
        expected = plain_names(text, _lexicon(names))
        ws = words(text)
        assert match_names(text, ws, _lexicon(names)) == expected
        assert match_names(text, ws, _lexicon(names), word_key_index(ws)) == expected


@pytest.mark.parametrize("seed", range(10))
def test_a_growing_lexicon_finds_what_the_plain_loop_finds(seed: int) -> None:
    """One lexicon reused across texts and grown between them (its per-surface plans are dropped)."""
    rng = random.Random(100 + seed)
    lexicon = build_lexicon([])
    for _ in range(8):
        for name, label in _names(rng, 2):
            lexicon.add(name, Entry(label, "v", 0.8, "learned"))
        text = _text(rng, 40)
        ws = words(text)
        assert match_names(text, ws, lexicon, word_key_index(ws)) == plain_names(text, lexicon)


@pytest.mark.parametrize("seed", range(10))
def test_a_plan_and_the_longer_names_are_the_best_name_at_every_word(seed: int) -> None:
    rng = random.Random(200 + seed)
    lexicon = _lexicon(_names(rng, 10))
    text = _text(rng, 60)
    ws = words(text)
    for i, word in enumerate(ws):
        readings = loose_readings(word.text)
        best = _best_at(text, ws, i, readings, lexicon)
        longer, alone = _plan(readings, lexicon)
        found = _longer_at(text, ws, i, longer, lexicon) if longer else None
        if found is None and alone is not None:
            offset, exact, key = alone
            found = (word.start + offset, word.end, (lexicon.exact if exact else lexicon.loose)[key])
        assert found == (None if best is None else best[1:])


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.sampled_from(CLITICS), st.sampled_from(PIECES), st.sampled_from(GAPS)), max_size=40)
)
def test_the_word_index_is_the_per_surface_one(parts: list[tuple[str, str, str]]) -> None:
    ws = words("".join(c + p + g for c, p, g in parts))
    fast, plain = word_key_index(ws), key_index(word_surfaces(ws))
    assert fast.keys() == plain.keys()
    assert all(sorted(set(fast[k])) == sorted(set(plain[k])) for k in plain)


def test_the_word_index_starts_its_readings_memo_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """``word_key_index`` asks each key's other readings once per process (``_other_keys``): a memo
    cold, warm, or cleared because full (at most ``MAX_MEMO`` keys) files the same index."""
    rng = random.Random(5)
    for limit in (8, 1 << 16):
        monkeypatch.setattr(wordkeys, "MAX_MEMO", limit)
        monkeypatch.setattr(wordkeys, "_OTHER_KEYS", {})
        for _ in range(40):
            ws = words(_text(rng, 12))
            fast, plain = word_key_index(ws), key_index(word_surfaces(ws))
            assert fast.keys() == plain.keys()
            assert all(sorted(set(fast[k])) == sorted(set(plain[k])) for k in plain)
            assert len(wordkeys._OTHER_KEYS) <= max(limit, len(ws))


@pytest.mark.parametrize("seed", range(10))
def test_next_word_and_stem_in_are_the_plain_tests(seed: int) -> None:
    rng = random.Random(300 + seed)
    text = _text(rng, 50)
    ctx = Context(text, tuple(words(text)), Lexicon())
    table = frozenset(w.key for w in words(_text(rng, 20)))
    ws = ctx.words
    for i, word in enumerate(ws):
        joined = i + 1 < len(ws) and joined_by_space(text, word, ws[i + 1])
        assert next_word(ctx, i) == (ws[i + 1] if joined else None)
        assert stem_in(word, table) == next((s.offset for s in stems(word) if s.key in table), None)


def _plain_propagate(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """``propagate`` as it was first written: a lexicon of the cue names, the plain loop over it."""
    surfaces: dict[str, Label] = {}
    for c in found:
        if c.rule.startswith("cue:") and c.label in LABELS:
            for form in short_forms(ctx.text[c.start : c.end], c.label):
                surfaces.setdefault(form, c.label)
    if not surfaces:
        return []
    local = _lexicon(list(surfaces.items()), PROPAGATED_SCORE)
    return [
        Candidate(m.start, m.end, m.entry.label, PROPAGATED_SCORE, None, "propagated")
        for m in plain_names(ctx.text, local)
    ]


@pytest.mark.parametrize("seed", range(20))
def test_propagate_finds_what_the_plain_loop_finds(seed: int) -> None:
    rng = random.Random(400 + seed)
    text = _text(rng, 50)
    ws = tuple(words(text))
    ctx = Context(text, ws, build_lexicon([]))
    found = []
    for _ in range(rng.randint(0, 6)):  # cue spans of one to three whole words
        i = rng.randrange(len(ws))
        j = min(len(ws) - 1, i + rng.randint(0, 2))
        rule = rng.choice(["cue:title", "cue:said", "lexicon:builtin"])
        found.append(Candidate(ws[i].start, ws[j].end, rng.choice(LABELS), 0.7, None, rule))
    assert list(propagate(ctx, found)) == _plain_propagate(ctx, found)
