"""Dates in Arabic text: finding DATE mentions and normalising them to ISO 8601.

One grammar serves both directions.  It is a regular expression over the
*folded* text (``rasd.arabic.fold_with_map``), built from the tables of ``rasd.text.datewords``, so
spelling variants (أبريل/ابريل/إبريل، شباط/شباط) match alike while every span is
mapped back to the text as written.  It knows three month-name series, the
Gregorian (يناير ...), the Syriac used in the Levant and Iraq (كانون الثاني ...)
and the Maghrebi (جانفي ...), and the combined forms newspapers write
(``كانون الثاني/يناير``, ``شباط/ فبراير``, ``نوفمبر تشرين الثاني``); days and years in
either digit script, day ordinals in words (``الحادي والعشرين``), weekdays,
``عام 2017``, numeric and ``06/ديسمبر/2018``-style dates, and relative
expressions (``الشهر الماضي``, ``نهاية السنة الماضية``, ``اليوم``).

``date_value`` turns a DATE span's text into ISO 8601 as far as the text fixes
it (``2019-02-20``, ``2019-02``, ``2017``); relative expressions are resolved
against an anchor (the publication date) only when one is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from rasd.text.arabic import PROCLITICS, fold, fold_with_map, to_western_digits
from rasd.text.datewords import (
    DAY_WORDS,
    DEICTIC_DAYS,
    MONTHS,
    PERIOD_EDGES,
    RELATIVE_DIRECTIONS,
    RELATIVE_UNITS,
    SEASONS,
    WEAK_MONTHS,
    WEEKDAYS,
)
from rasd.text.wordtrie import trie_pattern

ISO_DATE_PATTERN = r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$"
"""An ISO 8601 calendar date as far as it is known: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (ASCII digits).

The one definition of a ``published`` date and of a DATE value; usable as a JSON Schema ``pattern``."""
ISO_DATE = re.compile(ISO_DATE_PATTERN)


def _alt(keys: Iterable[str], after_first: str = "") -> str:
    """Folded phrases as alternatives, longest first, blanks any run; ``after_first`` after the 1st letter."""
    ordered = sorted(set(keys), key=len, reverse=True)
    return "|".join(re.escape(k[0]) + after_first + re.escape(k[1:]).replace(r"\ ", r"\s+") for k in ordered)


def _group(keys: Iterable[str]) -> str:
    """A non-capturing group matching any of the folded ``keys``."""
    return f"(?:{_alt(keys)})"


def _phrases(*phrases: str) -> str:
    """A non-capturing group matching any of ``phrases`` as folded text."""
    return _group([fold(p) for p in phrases])


_SEP = r"\s*/\s*|\s*-\s*|\s+"
_MONTH = _group(MONTHS)
_MONTH_EXPR = rf"{_MONTH}(?:(?:{_SEP}){_MONTH})?"
_DAY = r"(?:[0-3]?[0-9])"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
_DAYWORD = _group(DAY_WORDS)
_WEEKDAY = _group(WEEKDAYS)
_YEARWORD = _phrases("عام", "العام", "سنة", "السنة")
_REL_UNIT = _group(RELATIVE_UNITS)
_REL_DIR = _group(RELATIVE_DIRECTIONS)
_EDGE = _group(PERIOD_EDGES)
_HALF = _phrases("النصف الأول", "النصف الثاني")
_THIS = _phrases("هذا العام", "هذه السنة", "هذا الشهر", "هذا الأسبوع")
_SAME_MONTH = _phrases("الشهر نفسه", "نفس الشهر", "ذات الشهر", "الشهر ذاته")
_OF_YEAR = rf"(?:\s+(?:من\s+|ل)?(?:{_YEARWORD}\s+)?{_YEAR})"
# Calendar-anchored stretches: "الأسابيع القليلة الماضية", "الأشهر الثلاثة الأولى من العام", "الربع السابق".
_PLURAL_UNIT = _phrases("الأيام", "الأسابيع", "الأشهر", "الشهور", "السنوات", "الأعوام")
_COUNT_WORD = _phrases("القليلة", "الثلاثة", "الستة", "الأربعة", "الخمسة", "العشرة", "التسعة")
_LAST = _phrases("الماضية", "الأخيرة", "المقبلة", "القادمة", "الأولى")
_QUARTER_WHICH = rf"(?:{_alt(DAY_WORDS)}|{_phrases('الأخير', 'السابق', 'الماضي', 'المقبل')})"
_QUARTER = rf"{_phrases('الربع', 'الفصل')}\s+{_QUARTER_WHICH}"
_THE_YEAR = _phrases("العام", "السنة", "هذا العام", "هذه السنة", "العام الماضي", "السنة الماضية")
_OF_THIS_YEAR = rf"(?:\s+من\s+(?:{_YEARWORD}\s+{_YEAR}|{_THE_YEAR}))"
_STRETCH = rf"(?:{_PLURAL_UNIT}\s+(?:{_COUNT_WORD}\s+)?{_LAST}{_OF_THIS_YEAR}?|{_QUARTER}{_OF_THIS_YEAR}?)"
_RELATIVE = rf"(?:{_REL_UNIT}\s+{_REL_DIR}|{_THIS})"
_PERIOD = rf"(?:{_EDGE}|{_HALF}\s+من)\s+(?:{_YEARWORD}\s+{_YEAR}|{_RELATIVE}|{_YEARWORD})"
_SEASON = _group(SEASONS)
_EDGE_YEAR = rf"(?:{_EDGE}|{_SEASON})\s+(?:{_YEARWORD}\s+)?{_YEAR}"  # منتصف 2015، صيف 2016
# a deictic day and a weekday before a date: اليوم الجمعة 27 نيسان 2018، أمس السبت، الأحد 27/أكتوبر/2019
_DAY_LEAD = rf"(?:(?:{_group(DEICTIC_DAYS)})\s+)?(?:(?:يوم\s+)?{_WEEKDAY}\s+)?"
_DAYS = rf"(?:{_DAY}(?:\s*-\s*{_DAY}|\s+و\s*{_DAY})?|{_DAYWORD})"  # 25-26، 21 و24
_YEAR_IN_WORDS = rf"{_YEARWORD}\s+{_phrases('ألفين', 'ألف')}(?:\s+و[^\W\d_]+(?:\s+عشر)?){{1,3}}"

# The alternatives, longest constructions first; the first that matches at a position wins.
_DATE_FORMS = (
    rf"{_DAY_LEAD}{_DAY}\s*[/.-]\s*{_MONTH}\s*[/.-]\s*{_YEAR}",  # 06/ديسمبر/2018
    rf"{_YEAR}-[01]?[0-9]-{_DAY}",  # 2019-02-20
    rf"{_DAY}[/.-][01]?[0-9][/.-]{_YEAR}",  # 20/02/2019
    rf"(?:{_EDGE}\s+|{_DAY_LEAD}(?:{_DAYS}\s+(?:من\s+)?)?){_MONTH_EXPR}(?:{_OF_YEAR}|\s+{_REL_DIR})?",
    _YEAR_IN_WORDS,
    _EDGE_YEAR,
    rf"(?:{_DAY}|{_DAYWORD})\s+(?:من\s+)?{_SAME_MONTH}{_OF_YEAR}?",  # الحادي والعشرين من الشهر نفسه لعام 2019
    _STRETCH,
    _PERIOD,
    rf"{_YEARWORD}\s+{_YEAR}",
    _RELATIVE,
    rf"(?:{_group(DEICTIC_DAYS)}|يوم)\s+{_WEEKDAY}",
    rf"{_WEEKDAY}\s+{_group(RELATIVE_DIRECTIONS)}",  # الجمعة الماضية
    _WEEKDAY,
    _group(DEICTIC_DAYS),
)
_PROCLITIC = f"(?:{'|'.join(PROCLITICS)})?"
_DATE_BODY = rf"{_PROCLITIC}(?P<date>{'|'.join(f'(?:{f})' for f in _DATE_FORMS)})(?![\w/])"
# Every form above begins with a digit or with the first word of one of these phrases, whole (a blank,
# a slash, a dot or a dash follows it).  The lookahead fails fast at the many words that begin no date
# and changes no match; tests/test_preannotate_fastpaths.py compares it with the unguarded pattern.
_LEADS = "عام العام سنة السنة النصف هذا هذه يوم الأيام الأسابيع الأشهر الشهور السنوات الأعوام الربع الفصل"
_FIRST_WORDS = {
    key.split(" ")[0]
    for table in (MONTHS, WEEKDAYS, DAY_WORDS, RELATIVE_UNITS, PERIOD_EDGES, SEASONS, DEICTIC_DAYS)
    for key in table
} | {fold(w) for w in _LEADS.split()}
_DATE_GUARD = rf"(?={_PROCLITIC}(?:[0-9]|{trie_pattern(_FIRST_WORDS)}(?!\w)))"
DATE_PATTERN = re.compile(rf"(?<![\w/.-]){_DATE_GUARD}{_DATE_BODY}")
# ``DATE_PATTERN`` from the character before a date: a class first, so ``re`` skips in one loop to the next
# character that may stand before a date instead of trying the look-behind at every position.
_DATE_AFTER_GAP = re.compile(rf"[^\w/.-]{_DATE_GUARD}{_DATE_BODY}")
# A bare year is a date after these cue words ("في 2014", "منذ 2016"); elsewhere a number.
_BARE_CUES = [fold(w) for w in ("في", "منذ", "حتى", "خلال", "قبل", "بعد")]  # first letters differ, none و
_BARE_TAIL = rf"\s+(?P<date>{_YEAR})(?!\w|\s*[.,٫٬]\d)"
_BARE_YEAR_PLAIN = rf"(?<!\w)و?{_group(_BARE_CUES)}{_BARE_TAIL}"
# The same, each branch opening on its letter and the look-behind after it (?<!\w.): ``re`` then jumps
# between the positions holding one of those letters instead of trying the pattern at every position.
_ON_LETTER = [f"{re.escape(k[0])}(?<!\\w.){re.escape(k[1:])}" for k in _BARE_CUES]
_BARE_YEAR = re.compile(rf"(?:و(?<!\w.){_group(_BARE_CUES)}|{'|'.join(_ON_LETTER)}){_BARE_TAIL}")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    score: float


PLAUSIBLE_BEFORE = 100
"""How many years before the publication year a bare number still reads as a year (في 1979)."""
PLAUSIBLE_AFTER = 10
EARLIEST_YEAR = 1900
"""Without a publication date, a bare number before this is no year in a news article."""
_COUNTED_AFTER = re.compile(
    rf"\s+{_phrases('عام', 'سنة', 'شخص', 'حساب', 'مقاتل', 'قتيل', 'مادة', 'رسالة')}(?!\w)"
)


def plausible_year(year: int, published: str | None = None) -> bool:
    """Whether a bare four-digit number is a plausible year for a news text published then.

    With a publication year P, from P - ``PLAUSIBLE_BEFORE`` to P + ``PLAUSIBLE_AFTER``;
    without one, from ``EARLIEST_YEAR`` on.  ``بعد 1800 محاولة`` is a count, not a date.
    """
    anchor = parse_anchor(published)
    if anchor is None:
        return year >= EARLIEST_YEAR
    return anchor.year - PLAUSIBLE_BEFORE <= year <= anchor.year + PLAUSIBLE_AFTER


def date_matches(folded: str) -> Iterator[re.Match[str]]:
    """``DATE_PATTERN.finditer(folded)``'s matches: the same ``date`` groups and ends (after the first,
    each match opens on the character before its date: ``_DATE_AFTER_GAP``).

    ``finditer`` tries ``DATE_PATTERN`` at each position from the end of the last match on; the
    look-behind there is the class ``_DATE_AFTER_GAP`` opens on, so searching that from one character
    earlier finds the same next date (a date is never empty).  A date at 0 has no character before it.
    """
    match = DATE_PATTERN.match(folded)
    end = 0
    if match is not None:
        yield match
        end = match.end()
    search = _DATE_AFTER_GAP.search
    while (match := search(folded, end - 1 if end else 0)) is not None:
        yield match
        end = match.end()


def find_dates(text: str, published: str | None = None, folded_text: str | None = None) -> list[DateMention]:
    """Every DATE mention of ``text``, in offsets of the text as written (``folded_text``: its fold if known).

    A bare year after في/منذ/قبل ... is a date only when ``plausible_year`` (given
    the publication date, when known) and no counted noun follows it (قبل 2000 عام).
    """
    folded = fold_with_map(text, folded_text)
    found: list[DateMention] = []
    for match in date_matches(folded.text):
        if match.group("date").strip() in WEAK_MONTHS:
            continue  # a weak month name standing alone (``آب`` "father" in ``واتس آب``)
        start, end = folded.original_span(*match.span("date"))
        found.append(DateMention(start, end, 0.88))
    taken = [(d.start, d.end) for d in found]
    for match in _BARE_YEAR.finditer(folded.text):
        start, end = folded.original_span(*match.span("date"))
        if not plausible_year(int(to_western_digits(text[start:end])), published):
            continue
        if _COUNTED_AFTER.match(folded.text, match.end("date")):
            continue
        if not any(s <= start < e for s, e in taken):
            found.append(DateMention(start, end, 0.86))
    return sorted(found, key=lambda d: d.start)


# --- normalisation -------------------------------------------------------------------------------

_BLANKS = re.compile(r"\s+")
_YEAR_IN = re.compile(r"(?:1(?<!\d.)[89][0-9]{2}|2(?<!\d.)0[0-9]{2})(?!\d)")  # (?<!\d)_YEAR(?!\d) on a digit
_NUMERIC_DMY = re.compile(rf"^({_DAY})[/.-]([01]?[0-9])[/.-]({_YEAR})$")
_NUMERIC_YMD = re.compile(rf"^({_YEAR})-([01]?[0-9])-({_DAY})$")
_DAY_IN = re.compile(r"(?<!\d)([0-3]?[0-9])(?!\d)")
# (?<!\w)_MONTH(?!\w) with the look-behind after each name's first letter: ``re`` skips to those letters.
_MONTH_IN = re.compile("(?:" + _alt(MONTHS, after_first=r"(?<!\w.)") + r")(?!\w)")
_SAME_MONTH_IN = re.compile(rf"(?<!\w){_SAME_MONTH}(?!\w)")
_DAY_WORDS_LONGEST = tuple(
    (re.compile(rf"(?<!\w){re.escape(word)}(?!\w)"), value)
    for word, value in sorted(DAY_WORDS.items(), key=lambda kv: -len(kv[0]))
)
# Relative expressions, compiled once: each (unit, direction) pair in table order, and all of them
# together to skip the pairs when a text has none.
_RELATIVE_PAIRS = tuple(
    (re.compile(rf"(?<!\w){unit_key} {dir_key}(?!\w)"), unit, direction)
    for unit_key, unit in RELATIVE_UNITS.items()
    for dir_key, direction in RELATIVE_DIRECTIONS.items()
)
_ANY_RELATIVE_PAIR = re.compile(rf"(?<!\w){_REL_UNIT} {_REL_DIR}(?!\w)")
_THIS_YEAR_IN = re.compile(r"(?<!\w)(?:هذا العام|هذه السنه)(?!\w)")
_THIS_MONTH_IN = re.compile(r"(?<!\w)هذا الشهر(?!\w)")
_DEICTIC_DAYS_IN = tuple((re.compile(rf"(?:{word})(?: \S+)?"), shift) for word, shift in DEICTIC_DAYS.items())


@dataclass(frozen=True)
class DateParts:
    """What a date text fixes: any of year, month, day; or a relative offset from an anchor."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    relative: tuple[str, int] | None = None  # ("month", -1): the month before the anchor's
    same_month: bool = False  # "من الشهر نفسه": the month of the date mentioned before


@dataclass(frozen=True)
class Anchor:
    """The publication date, as precise as the metadata gives it (``2019``, ``2019-02``, ``2019-02-21``)."""

    year: int
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class DateContext:
    """What the surrounding text adds: a year named in the same sentence, the month named before."""

    year: int | None = None
    month: int | None = None


def _months_in(key: str) -> list[int]:
    return [MONTHS[_BLANKS.sub(" ", m.group())] for m in _MONTH_IN.finditer(key)]


def _day_in(rest: str) -> int | None:
    days = [int(d) for d in _DAY_IN.findall(rest) if 1 <= int(d) <= 31]
    if days:
        return days[0]
    return next((value for pattern, value in _DAY_WORDS_LONGEST if pattern.search(rest)), None)


@lru_cache(maxsize=1 << 14)
def date_parts(surface: str) -> DateParts | None:
    """The parts a DATE text fixes, or None when it reads as no date at all (cached per surface)."""
    key = _BLANKS.sub(" ", fold(surface).strip())
    for pattern, order in ((_NUMERIC_DMY, (2, 1, 0)), (_NUMERIC_YMD, (0, 1, 2))):
        m = pattern.match(key.replace(" ", ""))
        if m:
            y, mo, d = (int(m.group(i + 1)) for i in order)
            return DateParts(year=y, month=mo, day=d)
    months = _months_in(key)
    if len(set(months)) > 1:
        return None  # two different months: a range, not one date
    years = [int(y) for y in _YEAR_IN.findall(key)]
    month = months[0] if months else None
    same_month = bool(_SAME_MONTH_IN.search(key))
    rest = _MONTH_IN.sub(" ", _YEAR_IN.sub(" ", key))
    day = _day_in(rest) if month is not None or same_month else None
    relative = None if years else _relative_in(key)
    if month is not None and relative is None and not years:
        direction = next((v for w, v in RELATIVE_DIRECTIONS.items() if key.endswith(" " + w)), None)
        if direction is not None:
            relative = ("month-name", direction)
    if not (years or month or relative or same_month):
        return None
    return DateParts(years[0] if years else None, month, day, relative, same_month)


def _relative_in(key: str) -> tuple[str, int] | None:
    """The relative offset a folded date text names: ``("month", -1)`` for الشهر الماضي; None if none."""
    if _ANY_RELATIVE_PAIR.search(key):
        return next((unit, direction) for pattern, unit, direction in _RELATIVE_PAIRS if pattern.search(key))
    if _THIS_YEAR_IN.search(key):
        return "year", 0
    if _THIS_MONTH_IN.search(key):
        return "month", 0
    return next((("day", shift) for pattern, shift in _DEICTIC_DAYS_IN if pattern.fullmatch(key)), None)


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _resolve(parts: DateParts, anchor: Anchor) -> str | None:
    """A relative date against the anchor; None when the anchor is too coarse for it."""
    assert parts.relative is not None
    unit, direction = parts.relative
    if unit == "year":
        return f"{anchor.year + direction:04d}"
    if anchor.month is None or unit == "week":
        return None  # ISO week numbers are not what annotators write
    if unit == "month":
        y, m = _shift_month(anchor.year, anchor.month, direction)
        return f"{y:04d}-{m:02d}"
    if unit == "day":
        if anchor.day is None:
            return None
        return (date(anchor.year, anchor.month, anchor.day) + timedelta(days=direction)).isoformat()
    # "يناير الماضي": the last January before the anchor's month (المقبل: the next one).
    assert parts.month is not None
    year = anchor.year
    if direction < 0 and parts.month >= anchor.month:
        year -= 1
    elif direction > 0 and parts.month <= anchor.month:
        year += 1
    return _iso(year, parts.month, parts.day)


def parse_anchor(published: str | None) -> Anchor | None:
    """The publication date (ISO 8601, year or month precision allowed) as an anchor."""
    match = ISO_DATE.match(published or "")
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    return Anchor(year, month, day)


def date_value(surface: str, anchor: Anchor | None = None, context: DateContext | None = None) -> str | None:
    """ISO 8601 for a DATE span's text as far as it fixes a date, else None.

    ``20 شباط/ فبراير 2019`` -> ``2019-02-20``; ``عام 2017`` -> ``2017``.
    A day and month without a year take the year the same sentence names
    (``context``), and ``من الشهر نفسه`` the month named before it.  Relative
    expressions (``الشهر الماضي``, ``يناير الماضي``) are resolved only against
    an ``anchor`` (the publication date).  A weekday alone fixes no date.
    """
    parts = date_parts(surface)
    if parts is None:
        return None
    if parts.relative is not None:
        return _resolve(parts, anchor) if anchor is not None else None
    month = parts.month
    if month is None and parts.same_month and context is not None:
        month = context.month
    if month is None and parts.same_month:
        return None
    year = parts.year
    if year is None and month is not None and context is not None:
        year = context.year
    return _iso(year, month, parts.day)


def needs_context(surface: str) -> bool:
    """Whether ``date_value(surface, ...)`` may read its ``context`` (if not, skip ``date_context``)."""
    parts = date_parts(surface)
    if parts is None or parts.relative is not None:
        return False
    return parts.same_month or (parts.year is None and parts.month is not None)


_SENTENCE_END = re.compile(r"[.!?؟\n]")
_SENTENCE_ENDS = ".!?؟\n"  # the same characters, for str.rfind


def date_context(text: str, start: int, end: int) -> DateContext:
    """The year named elsewhere in the span's sentence, and the last month named before the span."""
    left = max(text.rfind(char, 0, start) for char in _SENTENCE_ENDS) + 1  # 0 when none
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    folded_before = fold(text[left:start])  # folded once: read for years and for months
    outside = folded_before + " " + fold(text[end:right])
    years = [int(y) for y in _YEAR_IN.findall(outside)]
    before = _months_in(folded_before)  # ``_MONTH_IN`` reads any blank run as one space
    return DateContext(year=years[0] if len(set(years)) == 1 else None, month=before[-1] if before else None)
