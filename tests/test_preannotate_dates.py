"""DATE: finding date expressions and normalising them to ISO 8601 (hand-checked tables)."""

from __future__ import annotations

import pytest

from rasd.text.dates import (
    ISO_DATE,
    Anchor,
    DateContext,
    date_context,
    date_value,
    find_dates,
    parse_anchor,
    plausible_year,
)


def surfaces(text: str) -> list[str]:
    return [text[d.start : d.end] for d in find_dates(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("انعقد في 20 شباط/ فبراير 2019 ببغداد", ["20 شباط/ فبراير 2019"]),
        ("نشر في 6 أيار/مايو 2018، يظهر", ["6 أيار/مايو 2018"]),
        ("في 29 تشرين الثاني/نوفمبر عند الجسر", ["29 تشرين الثاني/نوفمبر"]),
        ("في كانون الثاني / يناير الماضي", ["كانون الثاني / يناير الماضي"]),
        ("في نوفمبر تشرين الثاني وبروكسل", ["نوفمبر تشرين الثاني"]),
        ("وفي عام 2017، أعلن", ["عام 2017"]),
        ("لعام ٢٠١٩ برعاية", ["عام ٢٠١٩"]),  # Eastern digits; the preposition ل outside
        ("صدر بتاريخ 06/ديسمبر/2018 بيان", ["06/ديسمبر/2018"]),
        ("صدر بتاريخ 20/02/2019 بيان", ["20/02/2019"]),
        ("في 15 جانفي 2020 بالجزائر", ["15 جانفي 2020"]),  # Maghrebi month names
        ("في 3 أوت الماضي", ["3 أوت الماضي"]),
        ("في أيلول المقبل", ["أيلول المقبل"]),
        ("عقد اليوم الإثنين في العاصمة", ["اليوم الإثنين"]),
        ("حتى الأربعاء (27 أبريل نيسان).", ["الأربعاء", "27 أبريل نيسان"]),
        ("في نهاية السنة الماضية، أشارت", ["نهاية السنة الماضية"]),
        ("مع مطلع العام المقبل", ["مطلع العام المقبل"]),
        ("خلال الأسابيع القليلة الماضية باستخدام", ["الأسابيع القليلة الماضية"]),
        ("في الأشهر الثلاثة الأولى من العام، وهو", ["الأشهر الثلاثة الأولى من العام"]),
        ("مقارنة بالربع السابق.", ["الربع السابق"]),
        (
            "يومي العشرين من شباط/ فبراير والحادي والعشرين من الشهر نفسه لعام 2019 برعاية",
            ["العشرين من شباط/ فبراير", "الحادي والعشرين من الشهر نفسه لعام 2019"],
        ),
        ("هذه المجموعة في 2014 كتحالف", ["2014"]),
    ],
)
def test_find_dates(text: str, found: list[str]) -> None:
    assert surfaces(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "عبر واتس آب وتيليغرام",  # آب the month only with a day, a year or its pair
        "نحو 2000 شخص اعتقلوا",  # a number, not a year, without a cue word
        "قبل عام ونصف العام",  # a duration
        "على مدى اليومين",
        "مارس الضغط على الشركات",  # مارس the verb
    ],
)
def test_not_dates(text: str) -> None:
    assert surfaces(text) == []


@pytest.mark.parametrize(
    ("surface", "value"),
    [
        ("20 شباط/ فبراير 2019", "2019-02-20"),
        ("٢٠ شباط/ فبراير ٢٠١٩", "2019-02-20"),
        ("6 أيار/مايو 2018", "2018-05-06"),
        ("أغسطس عام 2014", "2014-08"),
        ("عام 2017", "2017"),
        ("العام 2016", "2016"),
        ("بداية عام 2016", "2016"),
        ("06/ديسمبر/2018", "2018-12-06"),
        ("20/02/2019", "2019-02-20"),
        ("٢٠/٠٢/٢٠١٩", "2019-02-20"),
        ("2019-02-20", "2019-02-20"),
        ("15 جانفي 2020", "2020-01-15"),
        ("31 نيسان 2019", None),  # no such day
        ("29 تشرين الثاني/نوفمبر", None),  # no year in the text
        ("الشهر الماضي", None),  # relative, no anchor
        ("الأربعاء", None),
        ("نوفمبر تشرين الثاني", None),
        ("مارس نيسان", None),  # two different months
    ],
)
def test_date_value(surface: str, value: str | None) -> None:
    assert date_value(surface) == value


@pytest.mark.parametrize(
    ("surface", "anchor", "value"),
    [
        ("الشهر الماضي", Anchor(2019, 2, 21), "2019-01"),
        ("الشهر الماضي", Anchor(2019, 1), "2018-12"),
        ("الشهر الماضي", Anchor(2019), None),  # a year-only anchor cannot place a month
        ("نهاية السنة الماضية", Anchor(2019, 2), "2018"),
        ("النصف الثاني من هذا العام", Anchor(2019, 2), "2019"),
        ("كانون الثاني/ يناير الماضي", Anchor(2019, 2), "2019-01"),
        ("يناير الماضي", Anchor(2019, 1, 10), "2018-01"),
        ("أيلول المقبل", Anchor(2019, 2), "2019-09"),
        ("اليوم", Anchor(2019, 2, 21), "2019-02-21"),
        ("أمس", Anchor(2019, 3, 1), "2019-02-28"),
        ("اليوم", Anchor(2019, 2), None),
    ],
)
def test_relative_dates_need_an_anchor(surface: str, anchor: Anchor, value: str | None) -> None:
    assert date_value(surface, anchor) == value


def test_context_gives_the_year_of_the_sentence_and_the_month_before() -> None:
    text = "يومي العشرين من شباط/ فبراير والحادي والعشرين من الشهر نفسه لعام 2019 برعاية. وفي 3 آذار."
    first = "العشرين من شباط/ فبراير"
    second = "الحادي والعشرين من الشهر نفسه لعام 2019"
    s1, s2 = text.index(first), text.index(second)
    assert date_value(first, None, date_context(text, s1, s1 + len(first))) == "2019-02-20"
    assert date_value(second, None, date_context(text, s2, s2 + len(second))) == "2019-02-21"
    third = text.index("3 آذار")
    assert date_context(text, third, third + 6) == DateContext(year=None, month=None)
    assert date_value("الحادي والعشرين من الشهر نفسه") is None  # no month to take


@pytest.mark.parametrize(
    ("published", "anchor"),
    [
        ("2019-02-21", Anchor(2019, 2, 21)),
        ("2019-02", Anchor(2019, 2)),
        ("2019", Anchor(2019)),
        (None, None),
        ("21/02/2019", None),
    ],
)
def test_parse_anchor(published: str | None, anchor: Anchor | None) -> None:
    assert parse_anchor(published) == anchor


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2019", True),
        ("2019-02", True),
        ("2019-02-21", True),
        ("2019-2-21", False),
        ("20/02/2019", False),
        ("٢٠١٩", False),  # ISO 8601 is written in ASCII digits
        ("2019-02-21T10:00", False),
        ("", False),
    ],
)
def test_iso_date_is_year_month_or_day_precision(text: str, iso: bool) -> None:
    assert (ISO_DATE.match(text) is not None) is iso
    assert (parse_anchor(text) is not None) is iso


@pytest.mark.parametrize(
    ("text", "published", "found"),
    [
        ("منذ 1979 والبلاد في حرب", None, ["1979"]),
        ("فشلت بعد 1800 محاولة", None, []),  # before 1900 with no publication date: a count
        ("أغلقت في 1910 حسابات", "2019-03-01", []),  # a century before publication: a count
        ("أغلقت في 1920 حسابات", None, ["1920"]),  # without a date the text may be old
        ("بني قبل 2000 عام", None, []),  # a counted noun follows
        ("وفي ٢٠١٤ أعلن التنظيم", "2015", ["٢٠١٤"]),
    ],
)
def test_bare_years_must_be_plausible(text: str, published: str | None, found: list[str]) -> None:
    assert [text[d.start : d.end] for d in find_dates(text, published)] == found


@pytest.mark.parametrize(
    ("year", "published", "plausible"),
    [
        (1800, None, False),
        (1950, None, True),
        (1950, "2019", True),
        (1900, "2019", False),
        (2031, "2019", False),
    ],
)
def test_plausible_year(year: int, published: str | None, plausible: bool) -> None:
    assert plausible_year(year, published) is plausible
