"""Semantic validation: the rules about spans that a JSON Schema cannot express.

Structure is checked first (``rasd.validation.schema.structural_errors``); these
small named checks then look at meaning.  Each is a generator
``iter_*_problems(doc_id, text, spans, file)`` that yields errors rather than
raising, so a run reports every problem at once, and each error names the
document and span and says what to do.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from operator import attrgetter, itemgetter, le, lt, neg

from rasd.core.errors import Problem, RasdError
from rasd.core.labels import LABELS, Label
from rasd.core.model import Span
from rasd.core.problems.spans import (
    DATE_IMPOSSIBLE,
    DATE_NOT_ISO,
    QUANTITY_NOT_NUMBER,
    SPAN_CROSSING,
    SPAN_DUPLICATE,
    SPAN_EDGE_JUNK,
    SPAN_EMPTY,
    SPAN_ID_IN_OTHER_DOCUMENT,
    SPAN_ID_TWICE,
    SPAN_INVISIBLE_EDGE,
    SPAN_OUTSIDE_TEXT,
    SPAN_SPLITS_MARK,
    SPAN_TEXT_MISMATCH,
    SPAN_UNKNOWN_LABEL,
)
from rasd.core.spans import find_crossing
from rasd.core.values import is_number

Check = Callable[[str, str, Sequence[Span], "str | None"], Iterator[RasdError]]

ISO_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
"""YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits: the form of DATE values and publication dates."""


# --- values: pure predicates shared with metadata and the consistency checks ----------------------


def is_iso_date_form(value: str) -> bool:
    """True when ``value`` is written YYYY, YYYY-MM or YYYY-MM-DD."""
    return ISO_DATE.match(value) is not None


def is_calendar_date(value: str) -> bool:
    """True when an ISO-form ``value`` names a real month and day (2019-13-45 does not)."""
    match = ISO_DATE.match(value)
    if match is None:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def date_value_problem(value: str) -> Problem | None:
    """The catalogue entry a DATE value breaks, or None when it is a real ISO 8601 date."""
    if not is_iso_date_form(value):
        return DATE_NOT_ISO
    return None if is_calendar_date(value) else DATE_IMPOSSIBLE


# --- span edges ----------------------------------------------------------------------------------


def _is_edge_junk(char: str) -> bool:
    """White space or punctuation, which the spec keeps outside every span."""
    return char.isspace() or unicodedata.category(char).startswith("P")


def _is_mark(char: str) -> bool:
    """A combining mark (Arabic harakat, shadda, sukun ...), which belongs to the letter before it."""
    return unicodedata.category(char) == "Mn"


def _is_invisible_format(char: str) -> bool:
    """ZWJ, ZWNJ, LRM, RLM and the other bidi and format controls (category Cf)."""
    return unicodedata.category(char) == "Cf"


def _within(text: str, s: Span) -> bool:
    return 0 <= s.start < s.end <= len(text)


# --- the checks ----------------------------------------------------------------------------------


def iter_empty_span_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if s.start >= s.end:
            yield SPAN_EMPTY(file=file, document=doc_id, span=s.id, start=s.start, end=s.end)


def iter_outside_text_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if s.start < 0 or s.end > len(text):
            yield SPAN_OUTSIDE_TEXT(
                file=file, document=doc_id, span=s.id, start=s.start, end=s.end, text_length=len(text)
            )


def iter_text_mismatch_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        found = text[s.start : s.end]
        if _within(text, s) and found != s.text:
            yield SPAN_TEXT_MISMATCH(
                file=file, document=doc_id, span=s.id, start=s.start, end=s.end, found=found, expected=s.text
            )


def iter_edge_junk_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if s.text and (_is_edge_junk(s.text[0]) or _is_edge_junk(s.text[-1])):
            yield SPAN_EDGE_JUNK(file=file, document=doc_id, span=s.id, surface=s.text)


def iter_invisible_edge_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        for edge, char in (("starts", s.text[:1]), ("ends", s.text[-1:])):
            if char and _is_invisible_format(char):
                yield SPAN_INVISIBLE_EDGE(
                    file=file,
                    document=doc_id,
                    span=s.id,
                    surface=s.text,
                    edge=edge,
                    code=ord(char),
                    name=unicodedata.name(char, "format character"),
                )


def iter_split_mark_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    """A boundary just before a combining mark cuts the mark from its letter."""
    for s in spans:
        if not _within(text, s):
            continue
        for edge, index in (("starts", s.start), ("ends", s.end)):
            if index < len(text) and index > 0 and _is_mark(text[index]):
                yield SPAN_SPLITS_MARK(
                    file=file, document=doc_id, span=s.id, edge=edge, code=ord(text[index]), surface=s.text
                )


def iter_unknown_label_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if s.label not in LABELS:
            yield SPAN_UNKNOWN_LABEL(
                file=file, document=doc_id, span=s.id, label=s.label, labels=", ".join(LABELS)
            )


def iter_crossing_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for outer, inner in find_crossing(spans):
        yield SPAN_CROSSING(
            file=file,
            document=doc_id,
            span=inner.id,
            other=outer.id,
            other_start=outer.start,
            other_end=outer.end,
            other_text=outer.text,
            start=inner.start,
            end=inner.end,
            surface=inner.text,
        )


def iter_id_twice_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    seen: set[str] = set()
    for s in spans:
        if s.id in seen:
            yield SPAN_ID_TWICE(file=file, document=doc_id, span=s.id)
        seen.add(s.id)


def iter_duplicate_span_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    seen: dict[tuple[int, int, str], str] = {}
    for s in spans:
        if s.key in seen:
            yield SPAN_DUPLICATE(file=file, document=doc_id, span=s.id, other=seen[s.key])
        seen.setdefault(s.key, s.id)


def iter_quantity_value_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        if s.label == Label.QUANTITY and s.value is not None and not is_number(s.value):
            yield QUANTITY_NOT_NUMBER(file=file, document=doc_id, span=s.id, value=s.value)


def iter_date_value_problems(
    doc_id: str, text: str, spans: Sequence[Span], file: str | None
) -> Iterator[RasdError]:
    for s in spans:
        entry = date_value_problem(s.value) if s.label == Label.DATE and s.value is not None else None
        if entry is not None:
            yield entry(file=file, document=doc_id, span=s.id, value=s.value)


SEMANTIC_CHECKS: tuple[Check, ...] = (
    iter_empty_span_problems,
    iter_outside_text_problems,
    iter_text_mismatch_problems,
    iter_edge_junk_problems,
    iter_invisible_edge_problems,
    iter_split_mark_problems,
    iter_unknown_label_problems,
    iter_crossing_problems,
    iter_id_twice_problems,
    iter_duplicate_span_problems,
    iter_quantity_value_problems,
    iter_date_value_problems,
)


def semantic_errors(
    doc_id: str, text: str, spans: Sequence[Span], *, file: str | None = None
) -> list[RasdError]:
    """Every semantic problem of ``spans`` over ``text`` (none, at once, when ``plainly_sound``)."""
    if plainly_sound(text, spans):
        return []
    return [error for check in SEMANTIC_CHECKS for error in check(doc_id, text, spans, file)]


# --- the quick check: every span plainly sound, a column at a time ------------------------------

_SPAN_COLUMNS = attrgetter("id", "start", "end", "label", "text", "value")
_INT = {int}
_LABEL_SET = frozenset(LABELS)
_KNOWN_CHARS = 4096
"""How many characters each of the quick check's memos keeps (a text has a few hundred distinct ones)."""
_PLAIN_EDGES: set[str] = set()
"""Characters met at a span's edge that are neither junk nor invisible (a memo of ``unicodedata``)."""
_NOT_MARKS: set[str] = set()
"""Characters met just inside a span boundary that are not combining marks (a memo, as above)."""


def _all_known(chars: set[str], known: set[str], fits: Callable[[str], bool]) -> bool:
    """Whether every one of ``chars`` ``fits``, each looked up once and kept in ``known``."""
    for char in chars - known:
        if not fits(char):
            return False
        if len(known) < _KNOWN_CHARS:
            known.add(char)
    return True


def _plain_edge(char: str) -> bool:
    return not (_is_edge_junk(char) or _is_invisible_format(char))


def _not_mark(char: str) -> bool:
    return not _is_mark(char)


def _nested(starts: tuple[int, ...], ends: tuple[int, ...]) -> bool:
    """No two spans cross (``find_crossing`` finds none): in nesting order, each fits in the open one."""
    if all(map(le, ends[:-1], starts[1:])):
        return True  # one after another, none overlapping (the common case)
    open_ends: list[int] = []
    for start, negative_end in sorted(zip(starts, map(neg, ends), strict=True)):
        while open_ends and open_ends[-1] <= start:
            open_ends.pop()
        if open_ends and -negative_end > open_ends[-1]:
            return False
        open_ends.append(-negative_end)
    return True


_QUANTITY = str(Label.QUANTITY)
_DATE = str(Label.DATE)


def _plain_values(labels: tuple[str, ...], values: tuple[str | None, ...]) -> bool:
    """Every QUANTITY value a number, every DATE value a real ISO date."""
    pairs = [(label, value) for label, value in zip(labels, values, strict=True) if value is not None]
    quantities = [value for label, value in pairs if label == _QUANTITY]
    dates = [value for label, value in pairs if label == _DATE]
    return all(map(is_number, quantities)) and not any(map(date_value_problem, dates))


def plainly_sound(text: str, spans: Sequence[Span]) -> bool:
    """True only when no check of ``SEMANTIC_CHECKS`` finds a problem (False: run them to name it).

    The same rules, a column of the spans at a time (``map``, ``set``, ``min``
    in C) rather than twelve walks over them with a call a span each.  A span
    starting at 0 has its first character looked at for a mark too, which the
    full check does not do: such a mark only sends the spans to the full check.
    """
    if not spans:
        return True
    ids, starts, ends, labels, texts, values = zip(*map(_SPAN_COLUMNS, spans), strict=True)
    if set(map(type, starts + ends)) != _INT or not all(map(lt, starts, ends)):
        return False
    if min(starts) < 0 or max(ends) > len(text):
        return False
    if list(map(text.__getitem__, map(slice, starts, ends))) != list(texts):
        return False
    firsts = set(map(text.__getitem__, starts))  # each span's first character (its text is this slice)
    after = set(map((text + " ").__getitem__, ends))  # a span ending the text has a space after it
    try:
        distinct = len(set(ids)) == len(spans) == len(set(zip(starts, ends, labels, strict=True)))
        labelled = _LABEL_SET.issuperset(labels)
    except TypeError:  # an unhashable id or label: the checks name what is wrong with it
        return False
    return (
        distinct
        and labelled
        and _all_known(firsts | set(map(itemgetter(-1), texts)), _PLAIN_EDGES, _plain_edge)
        and _all_known(firsts | after, _NOT_MARKS, _not_mark)
        and _nested(starts, ends)
        and _plain_values(labels, values)
    )


_COMPACT_SPAN_ID = re.compile(r"s[0-9a-f]{12}")
"""The ids ``rasd.core.spans.new_span_id`` makes: 48 bits, kept by ``CorpusIds`` as integers."""
PackedSpanIds = bytes | tuple[str, ...]
"""A document's span ids as ``pack_span_ids`` keeps them."""


def pack_span_ids(span_ids: tuple[str, ...]) -> PackedSpanIds:
    """``span_ids`` in 6 bytes each if all are of ``new_span_id``'s form, else as they are.

    A document's 32 ids take ~225 B so, not ~2.3 KB of strings.
    """
    joined = "".join(span_ids)  # every id 13 characters long, and the run of them of the form: each is
    if set(map(len, span_ids)) <= _THIRTEEN and _COMPACT_SPAN_IDS.fullmatch(joined):
        return bytes.fromhex(joined.replace("s", ""))  # (one pattern and one ``fromhex``, not one an id)
    return span_ids


_COMPACT_SPAN_IDS = re.compile(r"(?:s[0-9a-f]{12})*")
_THIRTEEN = {13}


def unpack_span_ids(packed: PackedSpanIds) -> tuple[str, ...]:
    """The span ids ``pack_span_ids`` kept, in their order."""
    if isinstance(packed, tuple):
        return packed
    digits = packed.hex()
    return tuple("s" + digits[at : at + 12] for at in range(0, len(digits), 12))


_BUCKET_BITS = 16
_BUCKET_MASK = (1 << _BUCKET_BITS) - 1


class CorpusIds:
    """Span ids must be unique across the whole corpus, not only per document.

    The first document to use an id owns it; a later document using it is
    reported, as the id is met.  Kept compact, for millions of spans: an id of
    ``new_span_id``'s form (``s`` + 12 lowercase hex digits) is split into its
    low 16 bits, which pick one of 65,536 buckets, and its high 32 bits, kept
    in that bucket's sorted ``array('I')`` beside the owner's ordinal (another
    ``array('I')``): 8 B a span (plus the arrays' slack).  Ids are sha256
    prefixes, so the buckets fill evenly.  Any other id (imported ones) goes to
    a dict.  Owners' document ids are kept once each, in one ``bytearray``
    with their end offsets.
    """

    def __init__(self) -> None:
        self._highs: list[array[int] | None] = [None] * (1 << _BUCKET_BITS)
        self._owners: list[array[int] | None] = [None] * (1 << _BUCKET_BITS)
        self._other: dict[str, int] = {}  # any other id -> its owner's ordinal
        self._names = bytearray()  # the owners' document ids, UTF-8, one after another
        self._ends = array("Q")  # where each owner's id ends in _names

    def check(self, doc_id: str, spans: Iterable[Span], *, file: str | None) -> list[RasdError]:
        return list(self.iter_problems(doc_id, spans, file=file))

    def iter_problems(self, doc_id: str, spans: Iterable[Span], *, file: str | None) -> Iterator[RasdError]:
        return self.iter_id_problems(doc_id, (s.id for s in spans), file=file)

    def iter_id_problems(
        self, doc_id: str, span_ids: Iterable[str], *, file: str | None
    ) -> Iterator[RasdError]:
        """The same check from span ids alone (the build's parent gets ids, not spans, from its workers)."""
        ordinal = -1  # this document's, once it owns an id
        for span_id in span_ids:
            key = int(span_id[1:], 16) if len(span_id) == 13 and _COMPACT_SPAN_ID.fullmatch(span_id) else -1
            fresh = len(self._ends) if ordinal < 0 else ordinal
            owner = self._setdefault(key, span_id, fresh)
            if owner == fresh:
                if ordinal < 0:
                    ordinal = self._add_name(doc_id)
            elif (other := self._name(owner)) != doc_id:
                yield SPAN_ID_IN_OTHER_DOCUMENT(
                    file=file, document=doc_id, span=span_id, other_document=other
                )

    def _setdefault(self, key: int, span_id: str, ordinal: int) -> int:
        """The ordinal of the document owning ``span_id`` (``key``: its compact form, or -1).

        An id no document owns yet is given to ``ordinal``.
        """
        if key < 0:
            return self._other.setdefault(span_id, ordinal)
        bucket, high = key & _BUCKET_MASK, key >> _BUCKET_BITS
        highs, owners = self._highs[bucket], self._owners[bucket]
        if highs is None or owners is None:
            highs = self._highs[bucket] = array("I")
            owners = self._owners[bucket] = array("I")
        at = bisect_left(highs, high)
        if at < len(highs) and highs[at] == high:
            return owners[at]
        highs.insert(at, high)
        owners.insert(at, ordinal)
        return ordinal

    def _add_name(self, doc_id: str) -> int:
        self._names += doc_id.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._names))
        return len(self._ends) - 1

    def _name(self, ordinal: int) -> str:
        start = self._ends[ordinal - 1] if ordinal else 0
        return self._names[start : self._ends[ordinal]].decode("utf-8", "surrogatepass")
