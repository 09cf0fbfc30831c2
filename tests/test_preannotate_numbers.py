"""QUANTITY: numbers in both digit scripts, decimals, scale words and number words (hand-checked)."""

from __future__ import annotations

import pytest

from rasd.text.arabic import fold
from rasd.text.numbers import NUMBER_WORDS, find_quantities, parse_digits, quantity_value


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("أغلق أكثر من 125 ألف حساب", [("125 ألف", "125000")]),
        ("أزالت 1.9 مليون محتوى", [("1.9 مليون", "1900000")]),
        ("أزالت ١٫٩ مليون محتوى", [("١٫٩ مليون", "1900000")]),  # Eastern digits, Arabic decimal sign
        ("حذف ٢٦ ألف موقع", [("٢٦ ألف", "26000")]),
        ("بلغت الميزانية ٣ مليارات دولار", [("٣ مليارات", "3000000000")]),
        ("نحو 125,000 حساب", [("125,000", "125000")]),
        ("في عشر جلسات", [("عشر", "10")]),
        ("خلال ستة أشهر", [("ستة", "6")]),  # the numeral of a duration, not the duration
        ("وثلاثة أيام", [("ثلاثة", "3")]),  # conjunction outside
        ("شارك خمسة وعشرون باحثا", [("خمسة وعشرون", "25")]),
        ("بعد ثلاثة عشر يوما", [("ثلاثة عشر", "13")]),
        ("نحو ثلاثمائة مقاتل", [("ثلاثمائة", "300")]),
        ("تجاوز الـ 700", [("700", "700")]),
        ("قرابة ألف حساب", [("ألف", "1000")]),
    ],
)
def test_find_quantities(text: str, found: list[tuple[str, str]]) -> None:
    assert [(text[q.start : q.end], q.value) for q in find_quantities(text)] == found


@pytest.mark.parametrize(
    "text",
    [
        "تضم آلاف المشتركين",  # vague plural, no numeral
        "سحبت مئات الآلاف من الموضوعات",
        "المؤتمر الدولي الرابع",  # ordinal
        "على مدى يومين",  # dual without a numeral
        "كمية المحتوى",  # ك + مية is not "a hundred"
        "في آن واحد",  # واحد is left out on purpose
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("token", "value"),
    [("9122", "9122"), ("1.9", "1.9"), ("١٫٥", "1.5"), ("٢٦٬٠٠٠", "26000"), ("1,5", "1.5"), ("1.2.3", None)],
)
def test_parse_digits(token: str, value: str | None) -> None:
    parsed = parse_digits(token)
    assert (None if parsed is None else format(parsed.normalize(), "f")) == value


@pytest.mark.parametrize(
    ("surface", "value"),
    [
        ("125 ألف", "125000"),
        ("٢٢ ألف", "22000"),
        ("ستة", "6"),
        ("ألف", "1000"),
        ("آلاف", None),
        ("حساب", None),
    ],
)
def test_quantity_value(surface: str, value: str | None) -> None:
    assert quantity_value(surface) == value


@pytest.mark.parametrize(
    ("word", "number_word"),
    [
        ("ثلاثة", True),
        ("ثلاثه", True),  # folded: ة and ه alike
        ("عشرين", True),
        ("إحدى", True),
        ("مئتان", True),
        ("ثلاثمائة", True),
        ("الف", True),
        ("آلاف", True),
        ("مليارات", True),
        ("واحد", True),  # may stand in a QUANTITY, though never suggested alone
        ("الرابع", False),  # ordinals are not quantities
        ("مئات", False),
        ("كمية", False),
    ],
)
def test_number_words(word: str, number_word: bool) -> None:
    assert (fold(word) in NUMBER_WORDS) is number_word


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("الأحد 27/أكتوبر/2019 - 16:05 أعلن الرئيس", ["27", "2019"]),  # the time is no quantity (rule 10)
        ("عند ٠٩:٣٠ صباحا قتل 5 أشخاص", ["5"]),
        ("وقع الانفجار عند الساعة 10 صباحا", []),
    ],
)
def test_clock_times_are_not_quantities(text: str, found: list[str]) -> None:
    assert [text[q.start : q.end] for q in find_quantities(text)] == found
