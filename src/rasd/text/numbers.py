"""Numbers in Arabic text: digits (Western and Eastern), number words, scale words.

Two directions share one table: ``find_quantities`` finds QUANTITY mentions in a
text (the number and its scale word only, never the counted noun or an
approximator such as أكثر من), and ``quantity_value`` turns the text of a
QUANTITY span into its number.  Words are compared folded (``ستة``/``سته``,
``ألف``/``الف``), digits in either script.

Not quantities (spec rule 5): ordinals (الرابع), vague plurals with no numeral
(آلاف، مئات), duals without a numeral (يومين), and ``واحد`` (mostly "one
and the same", not a figure).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import compress
from operator import attrgetter

from rasd.core.values import format_number
from rasd.text.arabic import (
    ARABIC_DECIMAL_SEPARATOR,
    ARABIC_THOUSANDS_SEPARATOR,
    Word,
    fold,
    joined_by_space,
    stems,
    stems_of,
    to_western_digits,
    words,
)


def _folded(table: dict[str, int]) -> dict[str, int]:
    """A table written as Arabic is spelt, keyed by folded forms (so ئ/ة/أ variants all match)."""
    return {fold(word): value for word, value in table.items()}


UNITS = _folded(
    {
        "اثنان": 2,
        "اثنين": 2,
        "اثنتان": 2,
        "اثنتين": 2,
        "ثلاثة": 3,
        "ثلاث": 3,
        "أربعة": 4,
        "أربع": 4,
        "خمسة": 5,
        "خمس": 5,
        "ستة": 6,
        "ست": 6,
        "سبعة": 7,
        "سبع": 7,
        "ثمانية": 8,
        "ثماني": 8,
        "ثمان": 8,
        "تسعة": 9,
        "تسع": 9,
    }
)
TEN = _folded({"عشرة": 10, "عشر": 10})
TEENS_FIRST = _folded({"أحد": 1, "إحدى": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2})
TENS = _folded(
    {
        "عشرون": 20,
        "عشرين": 20,
        "ثلاثون": 30,
        "ثلاثين": 30,
        "أربعون": 40,
        "أربعين": 40,
        "خمسون": 50,
        "خمسين": 50,
        "ستون": 60,
        "ستين": 60,
        "سبعون": 70,
        "سبعين": 70,
        "ثمانون": 80,
        "ثمانين": 80,
        "تسعون": 90,
        "تسعين": 90,
    }
)
_HUNDRED_UNITS = {"ثلاث": 3, "أربع": 4, "خمس": 5, "ست": 6, "سبع": 7, "ثمان": 8, "تسع": 9}
HUNDREDS = _folded(
    {
        "مئة": 100,
        "مائة": 100,
        "مئتان": 200,
        "مئتين": 200,
        "مائتان": 200,
        "مائتين": 200,
        **{unit + h: n * 100 for unit, n in _HUNDRED_UNITS.items() for h in ("مئة", "مائة")},
    }
)
THOUSAND_WORDS = _folded({"ألف": 1000, "ألفان": 2000, "ألفين": 2000})
# Scale words after a numeral multiply it; alone, only a singular one is a number (ألف = 1000).
SCALES = _folded(
    {
        "ألف": 1000,
        "ألفا": 1000,
        "آلاف": 1000,
        "ألاف": 1000,
        "مليون": 10**6,
        "مليونا": 10**6,
        "ملايين": 10**6,
        "مليار": 10**9,
        "مليارا": 10**9,
        "مليارات": 10**9,
        "بليون": 10**9,
        "تريليون": 10**12,
    }
)
# Number words that are also other words (ست "lady", خمس "a fifth", ألف "he wrote").
AMBIGUOUS_WORDS = frozenset(fold(w) for w in ("ست", "خمس", "سبع", "تسع", "عشر", "ألف"))
WORD_VALUES: dict[str, int] = {**UNITS, **TEN, **TENS, **HUNDREDS, **THOUSAND_WORDS}
# Words a QUANTITY's text may hold although they are never suggested as one on their own.
_UNCOUNTED = frozenset(fold(w) for w in ("واحد", "واحدة", "ألوف"))
NUMBER_WORDS: frozenset[str] = (
    frozenset(WORD_VALUES) | frozenset(TEENS_FIRST) | frozenset(SCALES) | _UNCOUNTED
)
"""Every number and scale word a QUANTITY may consist of (besides digits and the conjunction و), folded."""


def parse_digits(token: str) -> Decimal | None:
    """The value of a digit string: ``1.9``, ``١٫٩``, ``125,000``, ``٢٦٬٠٠٠``; None if it is not one.

    A comma (or ٬) followed by groups of exactly three digits separates
    thousands; a single comma followed by other than three digits is a decimal
    comma.
    """
    text = (
        to_western_digits(token)
        .replace(ARABIC_DECIMAL_SEPARATOR, ".")
        .replace(ARABIC_THOUSANDS_SEPARATOR, ",")
    )
    if "," in text:
        head, *groups = text.split(",")
        if "." not in text and all(len(g) == 3 and g.isdigit() for g in groups) and head.isdigit():
            text = head + "".join(groups)
        elif len(groups) == 1 and "." not in text:
            text = f"{head}.{groups[0]}"
        else:
            return None
    if text.count(".") > 1:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def is_digit_token(text: str) -> bool:
    """Whether ``text`` starts with a digit of any script (``to_western_digits`` keeps digits digits)."""
    return bool(text) and text[0].isdigit()


@dataclass(frozen=True)
class Quantity:
    """A QUANTITY found in a text: offsets, value (canonical decimal string) and confidence."""

    start: int
    end: int
    value: str
    score: float


# Only a conjunction may stand on a number word: with ب/ل/ك stripped, too many
# ordinary words read as numbers (كمية "quantity" -> ك + مية "hundred").
NUMBER_CLITICS = frozenset({"", "و", "ف"})
_NUMBER_STARTS = frozenset({**WORD_VALUES, **TEENS_FIRST})  # every word a number in words begins with


def _word_number(key: str) -> int | None:
    return WORD_VALUES.get(key)


@lru_cache(maxsize=1 << 16)
def _may_start_number(surface: str) -> bool:
    """Whether a word written ``surface`` is digits or has a reading that begins a number in words.

    Most words are neither: ``_read_number`` then answers at once (memoised per surface).
    """
    return is_digit_token(surface) or any(stem.key in _NUMBER_STARTS for stem in stems_of(surface))


def _read_number(ws: Sequence[Word], text: str, i: int) -> tuple[int, int, Decimal, float] | None:
    """A number starting at word ``i``: ``(stem offset, last word index, value, score)``."""
    word = ws[i]
    if not _may_start_number(word.text):
        return None
    if is_digit_token(word.text):
        value = parse_digits(word.text)
        return None if value is None else (0, i, value, 0.8)
    for stem in stems(word):
        if stem.key not in _NUMBER_STARTS or fold(word.text[: stem.offset]) not in NUMBER_CLITICS:
            continue
        if stem.key in TEENS_FIRST or stem.key in UNITS:
            nxt = i + 1 < len(ws) and joined_by_space(text, word, ws[i + 1]) and ws[i + 1].key in TEN
            if nxt:  # ثلاثة عشر، أحد عشر
                first = TEENS_FIRST.get(stem.key) or UNITS[stem.key]
                return stem.offset, i + 1, Decimal(10 + first), 0.8
        base = _word_number(stem.key)
        if base is None:
            continue
        last, total = i, Decimal(base)
        # "خمسة وعشرون", "مئة وخمسون": a conjunction و joins the parts.
        while last + 1 < len(ws) and joined_by_space(text, ws[last], ws[last + 1]):
            nxt_key = ws[last + 1].key
            part = _word_number(nxt_key[1:]) if nxt_key.startswith("و") else None
            if part is None:
                break
            total += part
            last += 1
        score = 0.55 if stem.key in AMBIGUOUS_WORDS else 0.75
        return stem.offset, last, total, score
    return None


# The look-behind comes after the first digit (no digit or colon before it) so that ``re`` can skip
# to the next digit instead of trying every position.
CLOCK_TIME = re.compile(r"\d(?<![\d:]\d)\d?\s?:\s?\d{2}(?![\d:])")
"""A clock time (``16:05``, ``٠٩:٣٠``): neither DATE nor QUANTITY (spec rule 10)."""
_HOUR_WORD = fold("الساعة")


_COLON_MINUTES = re.compile(r":\s?\d{2}")
"""What every ``CLOCK_TIME`` holds: a colon and the minutes (found fast: a literal colon opens it).

Most texts have a colon (قال:) but no clock time; then ``CLOCK_TIME``, which tries every digit, is skipped."""


def clock_spans(text: str, ws: Sequence[Word], folded: str | None = None) -> list[tuple[int, int]]:
    """The clock times of ``text``: ``HH:MM``, and a number right after الساعة (الساعة 10).

    ``folded``: ``fold(text)`` when the caller has it; the words are read only when it holds الساعة.
    """
    spans = [m.span() for m in CLOCK_TIME.finditer(text)] if _COLON_MINUTES.search(text) else []
    if folded is not None and _HOUR_WORD not in folded:
        return spans  # a word folded to الساعه is a piece of the folded text
    for i in compress(range(len(ws) - 1), map(_HOUR_WORD.__eq__, map(attrgetter("key"), ws))):
        left, right = ws[i], ws[i + 1]
        if is_digit_token(right.text) and joined_by_space(text, left, right):
            spans.append((right.start, right.end))
    return spans


def find_quantities(text: str, ws: Sequence[Word] | None = None, folded: str | None = None) -> list[Quantity]:
    """Every QUANTITY in ``text``: a numeral (digits or words) and the scale word right after it.

    ``ws`` are the words of ``text`` and ``folded`` its fold when the caller has them already.
    Clock times are skipped (``clock_spans``).
    """
    if ws is None:
        ws = words(text)
    clocks = clock_spans(text, ws, folded) if ":" in text or "ساع" in text else []
    found: list[Quantity] = []
    next_i = 0  # the first word not yet read
    # Only the words that may begin a number are read: the others begin none (``_may_start_number``).
    for i in compress(range(len(ws)), map(_may_start_number, map(attrgetter("text"), ws))):
        if i < next_i or (clocks and any(s <= ws[i].start < e for s, e in clocks)):
            continue
        read = _read_number(ws, text, i)
        if read is None:
            continue
        offset, last, value, score = read
        if (
            last + 1 < len(ws)
            and joined_by_space(text, ws[last], ws[last + 1])
            and ws[last + 1].key in SCALES
        ):
            last += 1
            value *= SCALES[ws[last].key]
        found.append(Quantity(ws[i].start + offset, ws[last].end, format_number(value), score))
        next_i = last + 1
    return found


def quantity_value(surface: str) -> str | None:
    """The number a QUANTITY span's text stands for (``125 ألف`` -> ``125000``), or None.

    The whole text must read as one quantity; anything else is left without a
    value for an annotator to fill.
    """
    found = find_quantities(surface)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(surface.rstrip()):
        return found[0].value
    key = fold(surface.strip())
    return "1000" if key == fold("ألف") else None
