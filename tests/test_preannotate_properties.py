"""Properties of the suggester on random Arabic-ish text: it never suggests a span the project rejects.

The text mixes words the rules react to (type words, titles, head nouns, months,
number words, known names) with what breaks naive offsets: harakat and shadda,
tatweel, quotes and brackets (mismatched too), emoji, direction marks, Eastern
Arabic digits, line breaks.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rasd.formats.predictions import read_gold_texts
from rasd.gold.entities import Entity, Registry
from rasd.preannotate.lexicon import Lexicon, build_lexicon
from rasd.preannotate.suggest import predict_text
from rasd.text.arabic import on_word_boundaries
from rasd.validation.validate import semantic_errors

_WORD_LIST = (
    "تطبيق منصة شركة وكالة وزارة جامعة مركز الباحثة وزير رئيس وقال قال أكد تدعى جسر لندن بغداد "
    "العراق تيليغرام تليجرام فيسبوك فيس بوك واتساب داعش ناشر الخارجية الأمريكية العراقي الدولي "
    "في من عن على إن أن و ب ل ك عام 2019 ٢٠١٩ 6 أيار مايو شباط فبراير الماضي ثلاثة عشرين ألف مليون "
    "125 ١٢٥ 1.9 الشهر اليوم أمس سارة المطيري عبد الله Telegram Matrix News Agency "
    "أبو أبي أبا بكر البغدادي محمد مارك دي فان قناة موقع فرانس 24 عربي21 تنظيم الدولة صيف أواخر "
    "الخميس 25-26 و24 ألفين وسبعة عشر (FSB) 16:05 إن"
)
WORDS = _WORD_LIST.split()
MARKS = ("\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u0670", "\u0640", "\u0301")
SEPARATORS = (" ", " ", " ", "  ", "\n", "، ", ". ", ": ", "؛ ", "/", "-", "\u200f", "\u200e", "\u200c")
QUOTES = ('"', "«", "»", "“", "”", "(", ")", "[", "]", "'")
OTHER = ("😀", "🇮🇶", "#", "@", "%", "$", "…", "\u00a0", "\t", "ـــ")

piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).flatmap(lambda w: st.sampled_from(MARKS).map(lambda m: w + m)),
    st.sampled_from(WORDS).flatmap(lambda w: st.integers(1, len(w)).map(lambda i: w[:i] + "\u0651" + w[i:])),
    st.sampled_from(SEPARATORS),
    st.sampled_from(QUOTES),
    st.sampled_from(OTHER),
)
arabicish = st.lists(piece, min_size=1, max_size=40).map("".join)

LEXICON = build_lexicon(
    Registry(
        (
            Entity("telegram", "PLATFORM", "Telegram", "Q15616276", ("تيليغرام",)),
            Entity("islamic-state", "ORG", "Islamic State", None, ("داعش",)),
            Entity("nashir", "ORG", "Nashir News Agency", None, ("ناشر",)),
        )
    ).entities
)


def _suggestions(text: str, lexicon: Lexicon) -> list[tuple[int, int, str]]:
    spans = predict_text("doc", text, lexicon, "2019-03-01")
    assert semantic_errors("doc", text, spans) == [], text
    for s in spans:
        assert on_word_boundaries(text, s.start, s.end), (text, s)
    return [s.key for s in spans]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arabicish)
@example('أعلن تطبيق "زانغي"". وقال "')  # mismatched quotes once made PLATFORM '. وقال'
@example("تطبيق «تام تام\u0651». وقالَ")
def test_no_suggestion_fails_the_span_checks(text: str) -> None:
    _suggestions(text, LEXICON)


@pytest.mark.parametrize(
    ("text", "start", "end", "fits"),
    [
        ("وفيسبوك", 1, 7, True),  # a proclitic stays outside
        ("وبفيسبوك", 2, 8, True),
        ("وَفيسبوك", 2, 8, True),  # the proclitic with its fatha
        ("الفيسبوك", 2, 8, False),  # the article is not a proclitic
        ("فيسبوكي", 0, 6, False),  # ends inside a word
        ("فيسبوكَ", 0, 6, False),  # ends between a letter and its mark
        ("فيسبوكَ", 0, 7, True),
        ("\u0651فيسبوك", 0, 7, False),  # starts on a mark
        (". وقال", 0, 6, False),  # starts on punctuation
        ("فيسبوك ", 0, 7, False),  # ends on a space
        ("2019م", 0, 4, False),
        ("و2019", 1, 5, True),
        ("abc", 1, 1, False),  # empty
        ("abc", 2, 4, False),  # outside the text
    ],
)
def test_word_boundaries(text: str, start: int, end: int, fits: bool) -> None:
    assert on_word_boundaries(text, start, end) is fits


def test_a_name_found_between_mismatched_quotes_is_neither_kept_nor_found_again() -> None:
    text = 'أعلن تطبيق "زانغي"". وقال "'
    assert [text[s:e] for s, e, _ in _suggestions(text, build_lexicon([]))] == ["زانغي"]


DEV = [p.record.text for p in read_gold_texts(ROOT / "annotation" / "devset" / "dev.jsonl", file="dev.jsonl")]


@pytest.mark.parametrize("text", DEV[::4])
def test_no_suggestion_on_a_dev_passage_fails_the_span_checks(text: str) -> None:
    _suggestions(text, LEXICON)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(DEV).flatmap(
        lambda t: st.tuples(st.just(t), st.integers(0, len(t)), st.integers(0, len(t)))
    )
)
def test_no_suggestion_on_a_cut_dev_passage_fails_the_span_checks(cut: tuple[str, int, int]) -> None:
    """Any slice of a dev passage (names, dates and numbers cut anywhere) gets no rejected suggestion."""
    text, a, b = cut
    if a < b:
        _suggestions(text[a:b], LEXICON)
