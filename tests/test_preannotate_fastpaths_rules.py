"""The rule matchers' fast paths, each against the plain version written here.

A gap between two words tested with one set (``isdisjoint``) instead of one ``in`` per mark;
the datelines found by bisecting a list of starts, the usual one-space gap skipped at once;
clock times looked for only where a colon and two digits stand; the date context folded
once, with month names and years found by patterns that open on a letter or a digit; spans
built from positional fields.  Each must give exactly what the plain code gives, on
generated texts dense in the characters that decide and on the development passages.
"""

from __future__ import annotations

import itertools
import random
import re
from bisect import bisect_left
from collections.abc import Iterator

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.core.spans import new_span_id
from rasd.formats.predictions import read_gold_texts
from rasd.preannotate.candidates import MODEL_VERSION, Candidate, Context, stem_in
from rasd.preannotate.cues import SPEECH_VERBS, STOPWORDS
from rasd.preannotate.lexicon import build_lexicon
from rasd.preannotate.matchers import contextual, outlets, persons, places, quoted
from rasd.preannotate.suggest import spans_from
from rasd.text import dates, numbers
from rasd.text.arabic import fold, folded_words, words

# The marks as the plain code spelt them (written here, not read from the modules under test).
_ENDS = '.:؛;!?()"«»،,'
_DESCRIPTOR_ENDS = '.:؛;!?()"«»'
_DASHES = "-–—"

_PIECES = (
    "قال",
    "أكد",
    "في",
    "من",
    "الرئيس",
    "بغداد",
    "الموصل",
    "لاهاي",
    "وكالة",
    "أعماق",
    "كانون الثاني",
    "أيار",
    "يناير",
    "آب",
    "2019",
    "٢٠١٨",
    "1850",
    "20145",
    "12",
    "16:05",
    "٠٩:٣٠",
    "7 : 15",
    "الساعة",
    "السّاعة",
    "10",
    "Reuters",
    "x",
)
_GAPS = (
    " ",
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\n\n",
    " - ",
    "-",
    " – ",
    "—",
    "، ",
    ", ",
    ":",
    ": ",
    ". ",
    "«",
    "» ",
    "\t",
)


def _text(rng: random.Random, n: int = 120) -> str:
    """Words, numbers, clock times and dates joined by blanks, dashes, commas, quotes and line breaks."""
    parts = []
    for _ in range(n):
        parts.append(rng.choice(_PIECES) + rng.choice(("", "", "", "ـ", "َ")))
        parts.append(rng.choice(_GAPS))
    start = rng.choice(("", "\n", " ", "- "))
    return start + "".join(parts)


def _real_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "annotation" / "devset").glob("*.jsonl")):
        texts += [p.record.text for p in read_gold_texts(path, file=str(path))]
    return texts


_REAL = _real_texts()
_LEXICON = build_lexicon([])


def _context(text: str) -> Context:
    ws, folded = folded_words(text)
    return Context(text, tuple(ws), _LEXICON, None, folded)


def _texts(seeds: int) -> Iterator[str]:
    for seed in range(seeds):
        yield _text(random.Random(seed))
    yield from _REAL


def test_the_development_passages_are_read() -> None:
    assert len(_REAL) > 50


# --- gaps ------------------------------------------------------------------------------------------


def _plain_closed_after(ctx: Context, k: int) -> bool:
    ws = ctx.words
    if k + 1 >= len(ws):
        return True
    gap = ctx.text[ws[k].end : ws[k + 1].start]
    if "\n" in gap or any(c in gap for c in _ENDS):
        return True
    following = ws[k + 1]
    return following.key in STOPWORDS or stem_in(following, SPEECH_VERBS) is not None


def _plain_clause_ends_after(ctx: Context, k: int) -> bool:
    ws = ctx.words
    if k + 1 >= len(ws):
        return True
    gap = ctx.text[ws[k].end : ws[k + 1].start]
    return "\n" in gap or any(c in gap for c in _ENDS)


def _plain_places_closed(ctx: Context, k: int) -> bool:
    ws = ctx.words
    if k + 1 >= len(ws):
        return True
    gap = ctx.text[ws[k].end : ws[k + 1].start]
    after = ws[k + 1]
    return any(c in gap for c in _ENDS) or after.key in STOPWORDS or after.key[:1] in "بل"


def test_gap_tests_by_set_answer_as_the_mark_loops() -> None:
    closed = 0
    for text in _texts(30):
        ctx = _context(text)
        for k in range(len(ctx.words)):
            expected = _plain_closed_after(ctx, k)
            assert outlets.closed_after(ctx, k) == expected, (text, k)
            assert persons.clause_ends_after(ctx, k) == _plain_clause_ends_after(ctx, k), (text, k)
            assert places._closed(ctx, k) == _plain_places_closed(ctx, k), (text, k)
            closed += expected
    assert closed > 1000


@settings(max_examples=300)
@given(st.text(alphabet=_ENDS + _DESCRIPTOR_ENDS + " \n\t-xب", max_size=6))
def test_gap_sets_hold_exactly_the_marks(gap: str) -> None:
    assert (not outlets._ENDS_OR_BREAK.isdisjoint(gap)) == ("\n" in gap or any(c in gap for c in _ENDS))
    assert (not persons._CLAUSE_BREAKS.isdisjoint(gap)) == ("\n" in gap or any(c in gap for c in _ENDS))
    descriptor = "\n" in gap or any(c in gap for c in _DESCRIPTOR_ENDS)
    assert (not persons._DESCRIPTOR_BREAKS.isdisjoint(gap)) == descriptor
    assert (not places._END_MARKS.isdisjoint(gap)) == any(c in gap for c in _ENDS)


def test_skip_descriptor_is_unchanged_on_titles() -> None:
    """``skip_descriptor`` with its set test, against its answers on hand-made phrases."""
    cases = {
        "قال الرئيس العراقي برهم صالح": 2,  # الرئيس [العراقي] -> برهم
        "قال الرئيس. برهم صالح": -1,  # a full stop ends the descriptor
        "قال الرئيس\nبرهم صالح": -1,  # so does a line break
        "قال الرئيس، العراقي، برهم صالح": -1,  # two commas: a new clause
    }
    for text, expected in cases.items():
        ctx = _context(text)
        title = next(i for i, w in enumerate(ctx.words) if w.text == "الرئيس")
        found = persons.skip_descriptor(ctx, title)
        assert (found - title if found >= 0 else -1) == expected, text


# --- datelines -------------------------------------------------------------------------------------


def _plain_dateline(ctx: Context) -> Iterator[Candidate]:
    ws = ctx.words
    opening, text = 0, ctx.text
    while opening >= 0:
        i = bisect_left(ws, opening, key=lambda w: w.start)
        opening = text.find("\n", opening + 1)
        if i >= len(ws) or (0 <= opening < ws[i].start):
            continue
        word = ws[i]
        for last in (i, i + 1):
            if last + 1 >= len(ws):
                break
            gap = ctx.text[ws[last].end : ws[last + 1].start]
            dated = gap.strip() in ("،", ",") and ws[last + 1].text[0].isdigit()
            if "\n" in gap or not (any(d in gap for d in _DASHES) or dated):
                continue
            if all(contextual.place_word(w) for w in ws[i : last + 1]):
                yield Candidate(word.start, ws[last].end, Label.LOC, contextual.SCORE, None, "cue:dateline")
            break


def test_datelines_are_those_of_the_plain_loop() -> None:
    found = 0
    for text in _texts(200):
        ctx = _context(text)
        expected = list(_plain_dateline(ctx))
        assert list(contextual._dateline(ctx)) == expected, text
        found += len(expected)
    assert found > 50


# --- clock times -----------------------------------------------------------------------------------


def _plain_clock_spans(text: str) -> list[tuple[int, int]]:
    ws = words(text)
    spans = [m.span() for m in numbers.CLOCK_TIME.finditer(text)]
    hour = fold("الساعة")
    for left, right in itertools.pairwise(ws):
        gap = text[left.end : right.start]
        if left.key == hour and right.text[0].isdigit() and gap.isspace() and "\n" not in gap:
            spans.append((right.start, right.end))
    return spans


def test_clock_times_only_where_a_colon_and_minutes_stand() -> None:
    found = 0
    for text in _texts(60):
        expected = _plain_clock_spans(text)
        assert numbers.clock_spans(text, words(text)) == expected, text
        found += len(expected)
    assert found > 100


@settings(max_examples=300)
@given(st.text(alphabet="0123456789٠١٢٣:  \nx", max_size=12))
def test_every_clock_time_has_a_colon_and_minutes(text: str) -> None:
    assert numbers.clock_spans(text, words(text)) == _plain_clock_spans(text)


# --- the date context ------------------------------------------------------------------------------

_PLAIN_YEAR_IN = re.compile(rf"(?<!\d){dates._YEAR}(?!\d)")
_PLAIN_MONTH_IN = re.compile(rf"(?<!\w)(?:{dates._MONTH})(?!\w)")
_BLANKS = re.compile(r"\s+")


def _plain_date_context(text: str, start: int, end: int) -> tuple[int | None, int | None]:
    left = max(text.rfind(char, 0, start) for char in ".!?؟\n") + 1
    right_match = re.compile(r"[.!?؟\n]").search(text, end)
    right = right_match.start() if right_match else len(text)
    outside = fold(text[left:start]) + " " + fold(text[end:right])
    years = [int(y) for y in _PLAIN_YEAR_IN.findall(outside)]
    before = [
        dates.MONTHS[_BLANKS.sub(" ", m.group())]
        for m in _PLAIN_MONTH_IN.finditer(_BLANKS.sub(" ", fold(text[left:start])))
    ]
    return (years[0] if len(set(years)) == 1 else None, before[-1] if before else None)


def test_date_context_is_that_of_the_plain_reading() -> None:
    read = 0
    for text in _texts(60):
        for d in dates.find_dates(text):
            context = dates.date_context(text, d.start, d.end)
            assert (context.year, context.month) == _plain_date_context(text, d.start, d.end), text
            read += context.month is not None
    assert read > 100


_MONTHLY = [
    "كانون  الثاني",
    "كانون\tالأول",
    "أيار",
    "يناير",
    "ابريل",
    "آب",
    "xأيار",
    "أيارx",
    "1999",
    "2019",
    "20190",
]


@pytest.mark.parametrize("seed", range(30))
def test_month_and_year_patterns_on_their_first_character(seed: int) -> None:
    rng = random.Random(seed)
    text = fold(
        "".join(rng.choice(_MONTHLY) + rng.choice(("", " ", "  ", "\n", "،", "x", "5")) for _ in range(60))
    )
    for plain, fast in ((_PLAIN_YEAR_IN, dates._YEAR_IN), (_PLAIN_MONTH_IN, dates._MONTH_IN)):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text
        assert fast.sub(" ", text) == plain.sub(" ", text)
    normalised = [m.group() for m in _PLAIN_MONTH_IN.finditer(_BLANKS.sub(" ", text))]
    assert [_BLANKS.sub(" ", m.group()) for m in dates._MONTH_IN.finditer(text)] == normalised


# --- spans -----------------------------------------------------------------------------------------


def test_spans_from_fills_every_field() -> None:
    text = "زار بغداد أمس"
    candidate = Candidate(4, 9, Label.LOC, 0.87654, "Q1", "lexicon")
    (span,) = spans_from("doc-1", text, [candidate], lambda c: c.value)
    expected_id = new_span_id("doc-1", 4, 9, Label.LOC, salt=MODEL_VERSION)
    assert span == Span(
        start=4, end=9, label=Label.LOC, id=expected_id, text="بغداد", value="Q1", note=None, score=0.877
    )


# --- Latin runs ------------------------------------------------------------------------------------

_PLAIN_ASCII_RUNS = re.compile("[A-Za-z]+")


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from("aZzé ßÀÿ\u00ab\u00bb\u0100ﬁبـ٣3 \n?😀-K"), max_size=30))
def test_ascii_letter_runs_are_those_of_the_text(text: str) -> None:
    expected = [m.span() for m in _PLAIN_ASCII_RUNS.finditer(text)]
    assert list(quoted.ascii_letter_runs(text)) == expected


def test_ascii_letter_runs_on_the_development_passages() -> None:
    found = 0
    for text in _REAL:
        expected = [m.span() for m in _PLAIN_ASCII_RUNS.finditer(text)]
        assert list(quoted.ascii_letter_runs(text)) == expected
        found += len(expected)
    assert found > 20


def test_clock_times_read_the_words_only_where_the_folded_text_holds_the_hour() -> None:
    after_hour = 0
    for text in _texts(60):
        ws, folded = folded_words(text)
        expected = _plain_clock_spans(text)
        assert numbers.clock_spans(text, ws, folded) == expected, text
        assert numbers.find_quantities(text, ws, folded) == numbers.find_quantities(text), text
        after_hour += len(expected) - len(list(numbers.CLOCK_TIME.finditer(text)))  # after الساعة
    assert after_hour > 20
