"""Word lists of the annotation spec that the consistency checks read.

Each list is one rule of ``annotation/guidelines.md``: what belongs outside a
span (proclitics, quotes, type words, approximators, date prepositions) and
what a QUANTITY may consist of.
"""

from __future__ import annotations

PROCLITICS = frozenset("وفبلك")
"""Conjunctions and prepositions written attached to the next word (spec rule 1)."""
MAX_PROCLITICS = 2  # و + ب, ف + ل ...: never more than two in front of a name

QUOTES = frozenset("\"'«»“”„‟‹›「」()[]{}")
"""Quotes, brackets and guillemets: always outside spans (spec rule 3)."""

TYPE_WORDS = frozenset(
    {
        "تنظيم",
        "تنظيمي",
        "تطبيق",
        "منصة",
        "موقع",
        "شركة",
        "الباحثة",
        "الباحث",
        "الخبير",
        "الخبيرة",
        "الرئيس",
        "مدينة",
        "مدينتي",
        "العاصمة",
        "بلدة",
        "محافظة",
        "دولة",
    }
)
"""Generic type words before a name: outside the span (spec rule 2)."""

APPROXIMATORS = (
    "أكثر من",
    "اكثر من",
    "أقل من",
    "اقل من",
    "نحو",
    "حوالي",
    "حوالى",
    "قرابة",
    "زهاء",
    "ما يقارب",
)
"""Words before a number that are not part of the QUANTITY (spec rule 5)."""

NUMBER_WORDS = frozenset(
    {
        "واحد",
        "واحدة",
        "اثنان",
        "اثنين",
        "اثنتان",
        "اثنتين",
        "ثلاثة",
        "ثلاث",
        "أربعة",
        "أربع",
        "خمسة",
        "خمس",
        "ستة",
        "ست",
        "سبعة",
        "سبع",
        "ثمانية",
        "ثماني",
        "ثمان",
        "تسعة",
        "تسع",
        "عشرة",
        "عشر",
        "أحد",
        "إحدى",
        "اثنا",
        "اثني",
        "اثنتا",
        "اثنتي",
        "عشرون",
        "عشرين",
        "ثلاثون",
        "ثلاثين",
        "أربعون",
        "أربعين",
        "خمسون",
        "خمسين",
        "ستون",
        "ستين",
        "سبعون",
        "سبعين",
        "ثمانون",
        "ثمانين",
        "تسعون",
        "تسعين",
        "مئة",
        "مائة",
        "مئتان",
        "مئتين",
        "مائتان",
        "مائتين",
        "ثلاثمئة",
        "ثلاثمائة",
        "أربعمئة",
        "أربعمائة",
        "خمسمئة",
        "خمسمائة",
        "ستمئة",
        "ستمائة",
        "سبعمئة",
        "سبعمائة",
        "ثمانمئة",
        "ثمانمائة",
        "تسعمئة",
        "تسعمائة",
        "ألف",
        "الف",
        "ألفان",
        "ألفين",
        "آلاف",
        "الاف",
        "ألوف",
        "مليون",
        "ملايين",
        "مليونا",
        "مليار",
        "مليارات",
    }
)
"""Number and scale words a QUANTITY may consist of (besides digits and the conjunction و)."""

DATE_OUTSIDE = frozenset({"في", "منذ", "خلال", "حتى", "مع", "حلول", "قبل", "بعد"})
"""Prepositions that introduce a date but are not part of it."""
