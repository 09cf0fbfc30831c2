"""The pre-annotator's fast paths find exactly what the plain grammars find.

Each fast path (a guard in front of a big pattern, a cache, a pruned table) must change
no output; these tests compare it with the plain version on generated texts dense in
the shapes it skips or keeps.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from name_reference import plain_names

from rasd.core.values import format_number
from rasd.preannotate.gazetteer import organisations, places, platforms
from rasd.preannotate.lexicon import build_lexicon, match_names
from rasd.text import dates, datewords, numbers
from rasd.text.arabic import fold, fold_with_map, joined_by_space, words
from rasd.text.wordtrie import trie_pattern

# Phrase pieces, written for this test: the date tables' words as written and folded, digits of
# both scripts, the little words between them, and words that begin no date but look close.
_TABLE_WORDS = [
    *datewords.GREGORIAN,
    *datewords.SYRIAC,
    *datewords.MAGHREBI,
    *dates.WEEKDAYS,
    *dates.DAY_WORDS,
    *dates.RELATIVE_UNITS,
    *dates.RELATIVE_DIRECTIONS,
    *dates.PERIOD_EDGES,
    *dates.SEASONS,
    *dates.DEICTIC_DAYS,
]
_OTHER_TEXT = (
    "عام العام سنة السنة لعام النصف الأول الثاني هذا هذه الشهر نفسه نفس ذات ذاته الأيام الأسابيع "
    "الأشهر الشهور السنوات الأعوام القليلة الثلاثة الستة الماضية الأخيرة المقبلة الأولى الربع الفصل "
    "الأخير يوم من في منذ قبل بعد ألفين ألف وعشرين وتسعمئة عشر واتس آب الشهرين عامة السنوية يومي "
    "كانونه الخميسي نهايات قال الرئيس إن الساعة الساعه 10:30 ٩:٠٥ 7 : 15 12:5 1:300 123:45 10:30:15 :12:30 ثلاثة عشر خمسة وعشرون "
    "مئة وخمسون ألف مليون آلاف ملايين مليار ستة ست سبع واحد أحد اثنا اثني وثلاثة 1,5 ١٫٩ 125,000 كمية"
)
_OTHER_WORDS = _OTHER_TEXT.split()
_PREFIXES = ("", "", "", "و", "ب", "ل", "ف", "وب", "ول", "في", "ال", "ك")
_SEPARATORS = (" ", " ", " ", "  ", "/", " / ", "-", " - ", ".", "، ", "\n", "\u0640", "/ ")
_EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _number(rng: random.Random) -> str:
    digits = str(rng.choice((rng.randint(0, 40), rng.randint(1890, 2035), rng.randint(100, 9999))))
    if rng.random() < 0.2:
        digits = "0" + digits
    return digits.translate(_EASTERN) if rng.random() < 0.3 else digits


def _token(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return _number(rng)
    word = rng.choice(_TABLE_WORDS if roll < 0.75 else _OTHER_WORDS)
    return rng.choice(_PREFIXES) + word + ("ة" if rng.random() < 0.03 else "")


# Slots of the date shapes, so that long constructions occur whole: a slot name, or words to pick from.
_SLOTS: dict[str, list[str]] = {
    "day": [str(d) for d in range(1, 32)] + list(dates.DAY_WORDS),
    "month": [*datewords.GREGORIAN, *datewords.SYRIAC, *datewords.MAGHREBI],
    "year": ["1979", "2014", "2019", "٢٠١٨", "1850"],
    "weekday": list(dates.WEEKDAYS),
    "lead": ["يوم", *dates.DEICTIC_DAYS],
    "yearword": ["عام", "العام", "سنة", "السنة", "لعام", "من عام"],
    "edge": [*dates.PERIOD_EDGES, *dates.SEASONS, "النصف الأول من", "النصف الثاني من"],
    "unit": [*dates.RELATIVE_UNITS, "الأيام", "الأسابيع", "الأشهر", "الربع", "الفصل", "هذا", "هذه"],
    "direction": [*dates.RELATIVE_DIRECTIONS, "القليلة الماضية", "الثلاثة الأولى", "العام", "السنة"],
    "same": ["من الشهر نفسه", "نفس الشهر", "ذات الشهر", "الشهر ذاته"],
}
_TEMPLATES = [
    "lead weekday day month year",
    "lead day month yearword year",
    "edge yearword year",
    "edge unit direction",
    "unit direction",
    "unit direction من yearword year",
    "day same yearword year",
    "weekday direction",
    "lead weekday",
    "day month month year",
    "yearword ألفين وعشرين",
    "month direction",
]


def _templated(rng: random.Random) -> list[str]:
    return [rng.choice(_SLOTS[slot]) if slot in _SLOTS else slot for slot in rng.choice(_TEMPLATES).split()]


def date_dense_text(rng: random.Random, phrases: int = 60) -> str:
    """A text of date shapes and random runs of date words, numbers and separators."""
    parts = []
    for _ in range(phrases):
        run = _templated(rng) if rng.random() < 0.4 else [_token(rng) for _ in range(rng.randint(1, 7))]
        run[0] = rng.choice(_PREFIXES) + run[0]
        parts.append("".join(t + rng.choice(_SEPARATORS[:6]) for t in run))
    return "".join(parts)


_UNGUARDED = re.compile(r"(?<![\w/.-])" + dates._DATE_BODY)


@pytest.mark.parametrize("seed", range(40))
def test_date_guard_changes_no_match(seed: int) -> None:
    text = fold_with_map(date_dense_text(random.Random(seed))).text
    expected = [m.span("date") for m in _UNGUARDED.finditer(text)]
    assert expected, "the generator should make dates"
    assert [m.span("date") for m in dates.DATE_PATTERN.finditer(text)] == expected


def _spans(matches: Iterator[re.Match[str]]) -> list[tuple[tuple[int, int], int]]:
    """Each match's date and where it ends (what ``find_dates`` reads of a match)."""
    return [(m.span("date"), m.end()) for m in matches]


@pytest.mark.parametrize("seed", range(40))
def test_dates_found_from_the_gap_before_them_are_the_pattern_s(seed: int) -> None:
    """``date_matches`` (a search from the character before each date) is ``DATE_PATTERN.finditer``."""
    text = fold_with_map(date_dense_text(random.Random(seed))).text
    expected = _spans(dates.DATE_PATTERN.finditer(text))
    assert len(expected) > 10
    assert _spans(dates.date_matches(text)) == expected
    for cut in range(1, 12):  # a date at the very start, or a piece of one
        assert _spans(dates.date_matches(text[cut:])) == _spans(dates.DATE_PATTERN.finditer(text[cut:]))


_DATE_PIECES = [*_TABLE_WORDS[:40:3], "عام", "2019", "٢٠١٨", "3", "و", "ف", "x", "_", "ـ", "َ"]


@settings(max_examples=400)
@given(
    st.lists(st.tuples(st.sampled_from(_DATE_PIECES), st.sampled_from((*_SEPARATORS, "", "a"))), max_size=14)
)
def test_date_matches_are_the_pattern_s_wherever_dates_abut(pieces: list[tuple[str, str]]) -> None:
    """Dates glued to each other, to letters, slashes, dots and dashes: the same matches."""
    text = fold("".join(word + gap for word, gap in pieces))
    assert _spans(dates.date_matches(text)) == _spans(dates.DATE_PATTERN.finditer(text))


_PLAIN_BARE_YEAR = re.compile(dates._BARE_YEAR_PLAIN)
_BARE_PIECES = [
    "في",
    "منذ",
    "حتى",
    "خلال",
    "قبل",
    "بعد",
    "وفي",
    "وبعد",
    "فيه",
    "منذئذ",
    "قبلها",
    "عام",
    "سنة",
    "ألف",
    "x",
    "_",
    "2014",
    "1999",
    "2019.5",
    "1800",
    "٢٠١٨",
    "20145",
]


def _bare_year_text(rng: random.Random) -> str:
    """Cue words (alone, after و, inside longer words), years and near-years, separators; no space at times."""
    return "".join(
        rng.choice(_BARE_PIECES) + rng.choice((" ", " ", "  ", "", "\n", "، ", "-", "/")) for _ in range(80)
    )


def test_bare_year_pattern_on_its_letters_changes_no_match() -> None:
    """The bare-year pattern written to open on a letter finds what the look-behind-first one finds."""
    rng = random.Random(4)
    found = 0
    for _ in range(300):
        text = fold_with_map(_bare_year_text(rng)).text
        expected = [m.span("date") for m in _PLAIN_BARE_YEAR.finditer(text)]
        assert [m.span("date") for m in dates._BARE_YEAR.finditer(text)] == expected, text
        found += len(expected)
    assert found > 300


def test_date_guard_covers_every_form_start() -> None:
    """At every position where the unguarded pattern matches, the guard lets it through."""
    rng = random.Random(99)
    guard = re.compile(r"(?<![\w/.-])" + dates._DATE_GUARD)
    for _ in range(30):
        text = fold(date_dense_text(rng))
        for position in range(len(text)):
            if _UNGUARDED.match(text, position):
                assert guard.match(text, position), text[position : position + 40]


@pytest.mark.parametrize(
    "words", [["ab", "a", "c"], ["الشهر", "الشهور", "العام", "ال"], ["x"], ["a.b", "a*", "a"]]
)
def test_trie_pattern_matches_exactly_its_words(words: list[str]) -> None:
    pattern = re.compile(trie_pattern(words))
    probes = {w + tail for w in words for tail in ("", "b", "x")} | {w[:-1] for w in words} | {""}
    for probe in probes:
        assert (pattern.fullmatch(probe) is not None) == (probe in words), probe


def _date_surfaces(seed: int) -> list[str]:
    text = date_dense_text(random.Random(seed))
    return [text[d.start : d.end] for d in dates.find_dates(text)]


@pytest.mark.parametrize("seed", range(10))
def test_date_value_reads_no_context_where_none_is_needed(seed: int) -> None:
    """``needs_context`` False: the value is the same whatever the sentence says around the span."""
    contexts = [dates.DateContext(2001, 7), dates.DateContext(None, 3), dates.DateContext(1999, None)]
    skipped = 0
    for surface in _date_surfaces(seed):
        if dates.needs_context(surface):
            continue
        skipped += 1
        for anchor in (None, dates.Anchor(2019, 3, 10)):
            plain = dates.date_value(surface, anchor)
            assert all(dates.date_value(surface, anchor, c) == plain for c in contexts), surface
    assert skipped


def test_date_value_reads_the_context_it_needs() -> None:
    assert dates.needs_context("20 شباط")
    assert dates.needs_context("العاشر من الشهر نفسه")
    assert not dates.needs_context("20 شباط 2019")
    assert not dates.needs_context("الشهر الماضي")


_PLAIN_CLOCK = re.compile(r"(?<![\d:])\d{1,2}\s?:\s?\d{2}(?![\d:])")


def _plain_quantities(text: str) -> list[numbers.Quantity]:
    """``find_quantities`` as a plain loop: a number is read at every word not in a clock time."""
    ws = words(text)
    clocks = [m.span() for m in _PLAIN_CLOCK.finditer(text)]
    for left, right in itertools.pairwise(ws):
        if left.key == fold("الساعة") and joined_by_space(text, left, right) and right.text[0].isdigit():
            clocks.append((right.start, right.end))
    found, i = [], 0
    while i < len(ws):
        read = None if any(s <= ws[i].start < e for s, e in clocks) else numbers._read_number(ws, text, i)
        if read is None:
            i += 1
            continue
        offset, last, value, score = read
        if (
            last + 1 < len(ws)
            and ws[last + 1].key in numbers.SCALES
            and joined_by_space(text, ws[last], ws[last + 1])
        ):
            last += 1
            value *= numbers.SCALES[ws[last].key]
        found.append(numbers.Quantity(ws[i].start + offset, ws[last].end, format_number(value), score))
        i = last + 1
    return found


@pytest.mark.parametrize("seed", range(20))
def test_quantities_read_only_where_a_number_may_begin(seed: int) -> None:
    text = date_dense_text(random.Random(seed))
    assert [m.span() for m in numbers.CLOCK_TIME.finditer(text)] == [
        m.span() for m in _PLAIN_CLOCK.finditer(text)
    ]
    expected = _plain_quantities(text)
    assert len(expected) > 20
    assert numbers.find_quantities(text) == expected


def _name_dense_text(rng: random.Random, names: list[str], n: int = 150) -> str:
    """Built-in names whole, cut in two (فيس بوك), loosened, with proclitics, among common words."""
    common = ["في", "من", "إلى", "أن", "ان", "على", "عن", "مع", "قال", "التي", "ما", "لا", "هو", "و", "ال"]
    parts = []
    for _ in range(n):
        if rng.random() < 0.5:
            parts.append(rng.choice(common))
            continue
        name = rng.choice(names)
        if " " not in name and len(name) > 3 and rng.random() < 0.4:
            cut = rng.randint(1, len(name) - 1)
            name = name[:cut] + " " + name[cut:]
        if rng.random() < 0.2:
            name = name.replace("ي", "", 1).replace("ا", "", 1)
        parts.append(rng.choice(("", "", "و", "ب", "ل", "وب", "ال")) + name)
    return "".join(p + rng.choice((" ", " ", " ", "، ", ".", "-", "")) for p in parts)


@pytest.mark.parametrize("seed", range(12))
def test_names_tried_only_where_one_may_begin(seed: int) -> None:
    lexicon = build_lexicon([])
    names = [n for item in (*platforms(), *organisations(), *places()) for n in item.names]
    text = _name_dense_text(random.Random(seed), names)
    expected = plain_names(text, lexicon)
    assert len(expected) > 25
    assert match_names(text, words(text), lexicon) == expected
