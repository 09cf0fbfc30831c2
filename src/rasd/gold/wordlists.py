"""Word lists of the annotation spec that the consistency checks read.

Each list is one rule of ``annotation/guidelines.md``: what belongs outside a
span (proclitics, quotes, type words, approximators, date prepositions) and
what a QUANTITY may consist of.
"""

from __future__ import annotations

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

"""Number and scale words a QUANTITY may consist of (besides digits and the conjunction و)."""

DATE_OUTSIDE = frozenset({"في", "منذ", "خلال", "حتى", "مع", "حلول", "قبل", "بعد"})
"""Prepositions that introduce a date but are not part of it."""
