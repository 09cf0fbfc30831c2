"""The words of Arabic dates: month names of three series, weekdays, day ordinals, relative words.

The tables ``rasd.text.dates`` builds its grammar from, written as Arabic is spelt and keyed,
where the grammar reads them, by their folded forms (``rasd.text.arabic.fold``).
"""

from __future__ import annotations

from rasd.text.arabic import fold

GREGORIAN: dict[str, int] = {
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "أبريل": 4,
    "إبريل": 4,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "أغسطس": 8,
    "اغسطس": 8,
    "سبتمبر": 9,
    "أكتوبر": 10,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
}
SYRIAC: dict[str, int] = {
    "كانون الثاني": 1,
    "شباط": 2,
    "آذار": 3,
    "نيسان": 4,
    "أيار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8,
    "أيلول": 9,
    "تشرين الأول": 10,
    "تشرين الثاني": 11,
    "كانون الأول": 12,
}
MAGHREBI: dict[str, int] = {
    "جانفي": 1,
    "فيفري": 2,
    "أفريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويلية": 7,
    "أوت": 8,
}
MONTHS: dict[str, int] = {
    fold(name): n for table in (GREGORIAN, SYRIAC, MAGHREBI) for name, n in table.items()
}
# Month names that are also ordinary words (آب "father", ماي, أوت): a date only with a day, a year or a pair.
WEAK_MONTHS = frozenset(fold(m) for m in ("آب", "ماي", "أوت", "مارس"))

WEEKDAYS: dict[str, int] = {
    fold(name): n
    for name, n in (
        ("الإثنين", 0),
        ("الاثنين", 0),
        ("الثلاثاء", 1),
        ("الأربعاء", 2),
        ("الخميس", 3),
        ("الجمعة", 4),
        ("السبت", 5),
        ("الأحد", 6),
    )
}

# Day ordinals in words, as in "العشرين من شباط" and "الحادي والعشرين من الشهر".
_ORDINAL_UNITS = {
    "الأول": 1,
    "الحادي": 1,
    "الثاني": 2,
    "الثالث": 3,
    "الرابع": 4,
    "الخامس": 5,
    "السادس": 6,
    "السابع": 7,
    "الثامن": 8,
    "التاسع": 9,
    "العاشر": 10,
}
DAY_WORDS: dict[str, int] = {fold(k): v for k, v in _ORDINAL_UNITS.items() if k != "الحادي"}
DAY_WORDS |= {fold(f"{k} عشر"): 10 + v for k, v in _ORDINAL_UNITS.items() if v < 10}
DAY_WORDS[fold("العشرين")] = 20
DAY_WORDS |= {fold(f"{k} والعشرين"): 20 + v for k, v in _ORDINAL_UNITS.items() if v < 10}
DAY_WORDS[fold("الثلاثين")] = 30
DAY_WORDS[fold("الحادي والثلاثين")] = 31

# Relative expressions: the unit and how many of it back (-) or forward (+).
RELATIVE_UNITS: dict[str, str] = {
    fold(k): v for k, v in (("الشهر", "month"), ("العام", "year"), ("السنة", "year"), ("الأسبوع", "week"))
}
RELATIVE_DIRECTIONS: dict[str, int] = {
    fold(k): v
    for k, v in (
        ("الماضي", -1),
        ("الماضية", -1),
        ("الفائت", -1),
        ("الفائتة", -1),
        ("المنصرم", -1),
        ("المنصرمة", -1),
        ("السابق", -1),
        ("السابقة", -1),
        ("المقبل", 1),
        ("المقبلة", 1),
        ("القادم", 1),
        ("القادمة", 1),
        ("الحالي", 0),
        ("الحالية", 0),
        ("الجاري", 0),
        ("الجارية", 0),
    )
}
PERIOD_EDGES = tuple(fold(w) for w in ("بداية", "نهاية", "مطلع", "أواخر", "أوائل", "منتصف", "أواسط", "مطلع"))
SEASONS = tuple(fold(w) for w in ("صيف", "خريف", "شتاء", "ربيع"))
DEICTIC_DAYS: dict[str, int] = {
    fold(k): v for k, v in (("اليوم", 0), ("أمس", -1), ("البارحة", -1), ("غدا", 1))
}
