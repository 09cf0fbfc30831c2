"""Arabic text for matching: folding with an offset map, words, proclitics, digits.

Folding (ي/ى, ة/ه, أ/إ/آ/ٱ/ا, harakat and tatweel dropped, Latin lower-cased,
Eastern Arabic digits to Western) exists only to *find* things: every function
here answers in offsets of the text as written, so a span found on the folded
text still covers the original characters.  The document text itself is never
folded or normalised.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, compress, count, repeat
from operator import not_
from typing import Any, NamedTuple

# One character to one replacement; characters mapped to "" are dropped.
_FOLD_TABLE: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ی": "ي",  # Persian yeh
    "ئ": "ي",
    "ؤ": "و",
    "ة": "ه",
    "ک": "ك",  # Persian keheh
    "ـ": "",  # tatweel
    "\u200c": "",  # ZWNJ
    "\u200d": "",  # ZWJ
    "\u200f": "",  # RLM
    "\u200e": "",  # LRM
}
# Character ranges, written as the body of a regex character class.
HARAKAT = "\u0610-\u061a\u064b-\u065f\u0670"
"""Arabic combining marks (harakat, shadda, sukun, dagger alef, honorifics): folding drops them."""
WORD_MARKS = HARAKAT + "\u0300-\u036f\u06d6-\u06ed\u08d3-\u08ff\u0640\u200c\u200d"
"""Everything that belongs to the word it is written on without being a letter: combining
marks (Arabic and Latin), Quranic marks, tatweel, ZWJ and ZWNJ."""
_HARAKAT = frozenset(re.findall(f"[{HARAKAT}]", "".join(map(chr, range(0x0600, 0x0700)))))
_WORD_MARK = re.compile(f"[{WORD_MARKS}]")
EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DIGITS = str.maketrans(EASTERN_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)

ARABIC_DECIMAL_SEPARATOR = "٫"
ARABIC_THOUSANDS_SEPARATOR = "٬"
DIGIT_RANGES = "0-9٠-٩۰-۹"
"""Western, Eastern Arabic and Persian digits, as the body of a regex character class."""
NUMBER_PATTERN = (
    rf"[{DIGIT_RANGES}]+(?:[.,{ARABIC_DECIMAL_SEPARATOR}{ARABIC_THOUSANDS_SEPARATOR}][{DIGIT_RANGES}]+)*"
)
"""A number written in digits of any script, its decimal and thousands separators kept inside."""


def to_western_digits(text: str) -> str:
    """Eastern Arabic (٠-٩) and Persian (۰-۹) digits as ASCII digits; nothing else changes."""
    return text.translate(_DIGITS)


@cache
def fold_char(char: str) -> str:
    """The folded form of one character ("" when folding drops it)."""
    if char in _HARAKAT:
        return ""
    if char in _FOLD_TABLE:
        return _FOLD_TABLE[char]
    char = char.translate(_DIGITS)
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


class _FoldTable(dict[int, str]):
    """The ``str.translate`` table of ``fold_char``, each code point filled in when first seen."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD = _FoldTable()
_DROPPED = re.compile(
    "[" + "".join(re.escape(c) for c in sorted(_HARAKAT | {k for k, v in _FOLD_TABLE.items() if not v})) + "]"
)


def fold(text: str) -> str:
    """The matching key of ``text`` (see the module docstring); never stored as a span's text."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Folded:
    """A folded text, and where folding dropped characters, to map folded offsets back.

    Folding maps one character to one, or drops it (harakat, tatweel, direction
    marks); ``dropped_at`` holds, for each dropped character, the folded offset
    it would have had, so folded offset ``k`` is original offset ``k`` plus the
    number of drops at or before ``k``.
    """

    text: str
    dropped_at: tuple[int, ...]

    def original(self, k: int) -> int:
        return k + bisect_right(self.dropped_at, k)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of the folded ``[start, end)``."""
        return self.original(start), self.original(end - 1) + 1


def fold_with_map(text: str, folded: str | None = None) -> Folded:
    """``text`` folded, with what it takes to map offsets back to ``text``.

    ``folded``: ``fold(text)`` when the caller has it already (``folded_words``).
    """
    if folded is None:
        folded = fold(text)
    if len(folded) == len(text):  # folding maps a character to one or none: nothing was dropped
        return Folded(folded, ())
    drops = [m.start() for m in _DROPPED.finditer(text)]
    return Folded(folded, tuple(d - j for j, d in enumerate(drops)))


def is_word_char(char: str) -> bool:
    """A letter, a digit, or a mark that belongs to the word it is written on (``WORD_MARKS``)."""
    return char.isalnum() or _WORD_MARK.match(char) is not None


# A word: letters (with their marks and tatweel) or a number; everything else separates words.
# (Runs of letters and runs of marks, rather than one character at a time: the same words, faster.)
_WORD = re.compile(rf"(?:[^\W\d_]+|[{WORD_MARKS}]+)+|{NUMBER_PATTERN}")
_LETTERS = r"[^\W\d_]"
_WORD_SPLIT = re.compile(
    rf"({_LETTERS}++(?:[{WORD_MARKS}]++{_LETTERS}*+)*+|[{WORD_MARKS}]++(?:{_LETTERS}++[{WORD_MARKS}]*+)*+"
    rf"|[{DIGIT_RANGES}]++(?:[.,{ARABIC_DECIMAL_SEPARATOR}{ARABIC_THOUSANDS_SEPARATOR}][{DIGIT_RANGES}]++)*+)"
)
"""``_WORD`` as the one group of ``re.split``: separators and words alternate, separators first.

Written with possessive quantifiers: letters, marks and digits are disjoint classes and each run is
taken whole, so ``re`` keeps no backtracking points (the same words, a sixth faster).  A word of
letters and marks is a run of letters, then runs of marks each followed by letters (or the same
opening on marks): most words are one run of letters, read by one repeat of one class rather than
a repeated alternation (the same words, a sixth fewer instructions)."""


class Word(NamedTuple):
    """A word of a text: its offsets, its surface and its folded key.

    A named tuple rather than a frozen dataclass: a text has hundreds of words and
    the tuple is built twice as fast; it is as immutable.
    """

    start: int
    end: int
    text: str
    key: str


def words(text: str) -> list[Word]:
    """The words of ``text`` in order (letters runs and numbers), with folded keys.

    ``folded_words`` without the folded text: one split, one memo of folded parts.
    """
    return folded_words(text)[0]


_PART_KEYS: dict[str, str] = {}
"""``fold`` of every word and separator ``folded_words`` met: a memo of this process, started afresh
when it holds ``MAX_PART_KEYS`` (a plain dict's ``get``, mapped over a text's parts, costs half of
a cached function's call)."""
MAX_PART_KEYS = 1 << 16


def _fold_parts(parts: list[str]) -> tuple[list[str], str]:
    """``[fold(part) for part in parts]`` and their concatenation: each part's fold from the memo.

    A part not met yet is None in the memo's answers, which ``str.join`` refuses: only then are
    the answers looked through, and those parts folded and remembered.
    """
    keys: list[Any] = list(map(_PART_KEYS.get, parts))
    try:
        return keys, "".join(keys)
    except TypeError:
        if len(_PART_KEYS) >= MAX_PART_KEYS:
            _PART_KEYS.clear()
        for i in compress(count(), map(not_, keys)):  # None, and the rare "" (a part folding drops whole)
            keys[i] = _PART_KEYS[parts[i]] = fold(parts[i])
        return keys, "".join(keys)


def folded_words(text: str) -> tuple[list[Word], str]:
    """``words(text)`` and ``fold(text)`` from one split: the folded text is the parts' keys joined.

    Folding maps each character on its own, so folding the parts (separators and words)
    one by one and joining them is folding the whole; a word's key is its part's key, and
    separators repeat, so nearly every part's key is a cache hit.
    """
    parts = _WORD_SPLIT.split(text)
    bounds = list(accumulate(map(len, parts)))
    keys, folded = _fold_parts(parts)
    # ``tuple.__new__(Word, fields)`` is what ``Word._make`` does, without its Python frame per word
    fields = zip(bounds[0:-1:2], bounds[1::2], parts[1::2], keys[1::2], strict=True)
    return list(map(tuple.__new__, repeat(Word), fields)), folded


def joined_by_space(text: str, left: Word, right: Word) -> bool:
    """True when only white space (no punctuation, no line break) separates two words."""
    gap = text[left.end : right.start]
    return gap == " " or (bool(gap) and gap.isspace() and "\n" not in gap)  # one space: most gaps


CONJUNCTIONS = "وف"
PREPOSITIONS = "بلك"
PROCLITIC_LETTERS = frozenset(CONJUNCTIONS + PREPOSITIONS)
"""Conjunctions and prepositions written attached to the next word (spec rule 1)."""
PROCLITICS: tuple[str, ...] = (
    *(c + p for c in CONJUNCTIONS for p in PREPOSITIONS),
    *CONJUNCTIONS,
    *PREPOSITIONS,
)
"""Proclitic sequences that may stand before a name, longest first: a conjunction (و/ف)
optionally followed by one preposition (ب/ل/ك).  Folded keys."""
MAX_PROCLITICS = max(map(len, PROCLITICS))


@dataclass(frozen=True)
class Stem:
    """A reading of a word with its proclitics split off: ``word[offset:]`` is the stem."""

    offset: int
    key: str


def stems(word: Word) -> tuple[Stem, ...]:
    """The word itself, then every reading with a proclitic sequence stripped.

    After the preposition ل the article ال is written as a single ل
    (``للتحالف``): the reading keeps that ل in the stem and restores the article
    in the key (``لتحالف`` -> key ``التحالف``), as the spec's boundary rule says.
    The stem must keep at least three letters (no ك + ما in كما).  Cached: a
    text repeats its words, and every rule asks for their stems.
    """
    return stems_of(word.text)


@lru_cache(maxsize=1 << 16)
def stems_of(surface: str) -> tuple[Stem, ...]:
    """``stems`` of a word written ``surface`` (cached per surface)."""
    key = fold(surface)
    readings = [Stem(0, key)]
    for clitic in PROCLITICS:
        if not key.startswith(clitic) or len(key) - len(clitic) < 3:
            continue
        offset = _surface_offset(surface, len(clitic))
        rest = key[len(clitic) :]
        if clitic.endswith("ل") and rest.startswith("ل") and not rest.startswith("ال"):
            readings.append(Stem(offset, "ا" + rest))
        readings.append(Stem(offset, rest))
    return tuple(readings)


def _surface_offset(surface: str, folded_chars: int) -> int:
    """The offset in ``surface`` after its first ``folded_chars`` folded characters (marks skipped)."""
    seen = 0
    for i, char in enumerate(surface):
        if seen == folded_chars and fold_char(char):
            return i
        seen += len(fold_char(char))
    return len(surface)


def attached_prefix(text: str, start: int) -> str:
    """The word characters glued before ``start`` (``و`` in ``وفيسبوك``)."""
    i = start
    while i > 0 and is_word_char(text[i - 1]):
        i -= 1
    return text[i:start]


def is_proclitic_prefix(prefix: str) -> bool:
    """Nothing, or a proclitic sequence (``PROCLITICS``) with its marks: what may be glued before a span."""
    key = fold(prefix)
    return not key or key in PROCLITICS


def ends_word(text: str, end: int) -> bool:
    """Whether ``end`` is a word boundary: no letter, digit or mark of the same word follows it."""
    return end == len(text) or not is_word_char(text[end])


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` may be a span (spec rule 1): whole words, proclitics outside.

    It starts on a letter or digit (not a mark, not punctuation) after nothing
    but proclitics, and ends on a letter, digit or mark with no mark or letter of
    the same word after it, so it never ends between a letter and its harakat.
    """
    if not 0 <= start < end <= len(text):
        return False
    # ``is_word_char`` written inline (this runs for every suggestion): the same tests, fewer calls
    last = text[end - 1]
    if not text[start].isalnum() or not (last.isalnum() or _WORD_MARK.match(last)):
        return False
    if end < len(text) and ((after := text[end]).isalnum() or _WORD_MARK.match(after)):
        return False  # not ``ends_word``
    if start == 0 or not ((before := text[start - 1]).isalnum() or _WORD_MARK.match(before)):
        return True  # nothing glued before it
    return is_proclitic_prefix(attached_prefix(text, start))


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)
