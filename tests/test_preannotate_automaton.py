"""The lexicon matcher (``match_names``) against a naive scan written here, name by name.

Whatever ``match_names`` does to be fast (start-key sets, memoised readings, an
automaton), it must find exactly what checking every name at every word finds.
The generated lexicons use three-letter words of letters that folding leaves
alone and that are no proclitic, and the same words after و (a name may begin
with a proclitic's letter: وسمر beside سمر), so a phrase key splits into words
one way only and the naive scan below can compare words one by one.  Labels LOC and PERSON
have no loose (skeleton) keys and no article variants, which this reference
does not model.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rasd.core.labels import Label
from rasd.preannotate.lexicon import Entry, Lexicon, match_names
from rasd.text.arabic import words

LETTERS = "تثجحخدذرزسشصضطظعغقمن"  # fold to themselves; none is و ف ب ل ك ا ي
CLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")
SEPARATORS = (" ", " ", " ", "، ", "\n", " (", ") ")
LABELS = (Label.LOC, Label.PERSON)

vocabulary_word = st.builds(
    lambda waw, rest: waw + rest,
    st.sampled_from(("", "", "و")),
    st.text(alphabet=LETTERS, min_size=3, max_size=3),
)


@st.composite
def lexicon_and_text(draw: st.DrawFn) -> tuple[list[tuple[list[str], Label, str]], str]:
    vocabulary = draw(st.lists(vocabulary_word, min_size=2, max_size=6, unique=True))
    name_words = st.lists(st.sampled_from(vocabulary), min_size=1, max_size=3)
    names = draw(st.lists(st.tuples(name_words, st.sampled_from(LABELS)), min_size=1, max_size=6))
    named = [(parts, label, f"v{i}") for i, (parts, label) in enumerate(names)]
    # Chunks: a name (most texts should contain some, the longest ones too) or any word.
    chunk = st.one_of(st.sampled_from([parts for parts, _ in names]), name_words)
    chunks = draw(st.lists(chunk, min_size=1, max_size=12))
    pieces: list[str] = []
    for k, parts in enumerate(chunks):
        if k:
            pieces.append(draw(st.sampled_from(SEPARATORS)))
        pieces.append(draw(st.sampled_from(CLITICS)) + " ".join(parts))
    return named, "".join(pieces)


def naive(names: list[tuple[list[str], Label, str]], text: str) -> set[tuple[int, int, str, str]]:
    """At each word: the longest name (fewest proclitics on a tie) that the words from there spell."""
    ws = words(text)
    found: set[tuple[int, int, str, str]] = set()
    for i, word in enumerate(ws):
        readings = [(0, word.text)] + [
            (len(c), word.text[len(c) :]) for c in CLITICS if c and word.text.startswith(c)
        ]
        best: tuple[int, int] | None = None  # (words, -clitic length)
        hits: dict[tuple[int, int], set[tuple[int, int, str, str]]] = {}
        for parts, label, value in names:
            n = len(parts)
            if i + n > len(ws):
                continue
            gaps_ok = all(text[ws[j].end : ws[j + 1].start] == " " for j in range(i, i + n - 1))
            following = [w.text for w in ws[i + 1 : i + n]]
            for offset, stem in readings:
                if gaps_ok and [stem, *following] == parts:
                    rank = (n, -offset)
                    hit = (word.start + offset, ws[i + n - 1].end, str(label), value)
                    hits.setdefault(rank, set()).add(hit)
                    best = rank if best is None or rank > best else best
        if best is not None:
            found |= hits[best]
    return found


def lexicon_of(names: list[tuple[list[str], Label, str]]) -> Lexicon:
    lexicon = Lexicon()
    for parts, label, value in names:
        lexicon.add(" ".join(parts), Entry(label, value, 0.9, "test"))
    return lexicon


@given(lexicon_and_text())
def test_match_names_finds_what_a_name_by_name_scan_finds(
    case: tuple[list[tuple[list[str], Label, str]], str],
) -> None:
    names, text = case
    lexicon = lexicon_of(names)
    got = {
        (m.start, m.end, str(m.entry.label), m.entry.value) for m in match_names(text, words(text), lexicon)
    }
    assert got == naive(names, text)


@given(lexicon_and_text())
def test_a_lexicon_that_grows_is_matched_with_its_new_names(
    case: tuple[list[tuple[list[str], Label, str]], str],
) -> None:
    """Matching, then adding names (as ``learned.py`` and the document lexicon do), then matching again."""
    names, text = case
    lexicon = lexicon_of(names[:1])
    match_names(text, words(text), lexicon)
    for parts, label, value in names[1:]:
        lexicon.add(" ".join(parts), Entry(label, value, 0.9, "test"))
    got = {
        (m.start, m.end, str(m.entry.label), m.entry.value) for m in match_names(text, words(text), lexicon)
    }
    assert got == naive(names, text)


def test_a_name_is_found_after_a_proclitic_and_not_across_a_comma() -> None:
    """A golden case, checked by hand: وسمر قند found from و on; سمر، قند is no name."""
    names = [(["سمر", "قند"], Label.LOC, "Q1")]
    text = "وسمر قند ثم سمر، قند"
    assert naive(names, text) == {(1, 8, "LOC", "Q1")}
    got = {
        (m.start, m.end, str(m.entry.label), m.entry.value)
        for m in match_names(text, words(text), lexicon_of(names))
    }
    assert got == {(1, 8, "LOC", "Q1")}


def test_the_whole_word_outranks_its_reading_after_a_proclitic() -> None:
    """وسمر is a name itself, سمر another: in وسمر the whole word wins (fewer proclitics)."""
    names = [(["سمر"], Label.LOC, "Q1"), (["وسمر"], Label.PERSON, "Q2")]
    text = "وسمر ووسمر"
    expected = {(0, 4, "PERSON", "Q2"), (6, 10, "PERSON", "Q2")}
    assert naive(names, text) == expected
    got = {
        (m.start, m.end, str(m.entry.label), m.entry.value)
        for m in match_names(text, words(text), lexicon_of(names))
    }
    assert got == expected
