"""Consistency checks over the gold corpus: the annotation mistakes a schema cannot see.

The span validator (``rasd.validate``) rejects spans that are impossible; these
checks flag spans that are *probably wrong* by the annotation spec: the same
string labelled differently in two places, a repeat left unlabelled, a
boundary inside a word, a proclitic, quote, type word or approximator inside a
span, an organisation or platform without a canonical id from the registry.
They are warnings: an annotation that is right despite one carries a short
reason in its ``note`` field, and a noted span is not warned about again, so
``rasd check --strict`` passes on reviewed data and fails on anything new.

Each check is a small function from the corpus to warnings, listed in
``CHECKS`` under the name the CLI and the messages use.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from rasd.core.errors import ConsistencyWarning, RasdError, raise_all
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.gold.annotations import annotation_path, load_corpus
from rasd.gold.entities import ENTITY_LABELS, Registry, load_registry

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

ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_NUMBER = re.compile(r"^[0-9٠-٩]+(?:[.,٫٬][0-9٠-٩]+)*$")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Corpus:
    """What the checks read: every document with its gold spans, the registry, file names."""

    documents: tuple[Document, ...]
    registry: Registry
    files: Mapping[str, str]

    def file(self, doc_id: str) -> str:
        return self.files.get(doc_id, f"dataset/annotations/{doc_id}.json")


@dataclass(frozen=True)
class Finding:
    """One warning from one named check; ``note`` is the span's reason when it was accepted."""

    check: str
    warning: ConsistencyWarning
    note: str | None

    @property
    def noted(self) -> bool:
        return self.note is not None


# --- text helpers ------------------------------------------------------------------------------


def is_word_char(char: str) -> bool:
    """Letters, digits and the Arabic combining marks and tatweel that belong to a word."""
    return char.isalnum() or "\u064b" <= char <= "\u065f" or char in "\u0640\u0670"


def attached_prefix(text: str, start: int) -> str:
    """The word characters glued before ``start`` (``و`` in ``وفيسبوك``)."""
    i = start
    while i > 0 and is_word_char(text[i - 1]):
        i -= 1
    return text[i:start]


def is_proclitic_prefix(prefix: str) -> bool:
    return len(prefix) <= MAX_PROCLITICS and all(c in PROCLITICS for c in prefix)


def word_at(text: str, index: int) -> str:
    """The whole word around ``text[index]``."""
    start = index - len(attached_prefix(text, index))
    end = index
    while end < len(text) and is_word_char(text[end]):
        end += 1
    return text[start:end]


def ends_word(text: str, end: int) -> bool:
    return end == len(text) or not is_word_char(text[end])


def context(text: str, start: int, end: int, width: int = 25) -> str:
    """``…left[span]right…`` on one line, for messages."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return " ".join(f"…{left}[{text[start:end]}]{right}…".split())


def whole_word_occurrences(text: str, surface: str) -> Iterator[tuple[int, int]]:
    """Where ``surface`` occurs as a whole word, proclitics allowed before it."""
    start = text.find(surface)
    while start != -1:
        end = start + len(surface)
        if is_proclitic_prefix(attached_prefix(text, start)) and ends_word(text, end):
            yield start, end
        start = text.find(surface, start + 1)


def strip_proclitics(word: str) -> str:
    """A word without up to two leading proclitic letters, if something word-like remains."""
    for n in range(MAX_PROCLITICS, 0, -1):
        head, rest = word[:n], word[n:]
        if len(rest) >= 2 and all(c in PROCLITICS for c in head):
            return rest
    return word


def _warning(
    corpus: Corpus, document: Document, span: Span | None, problem: str, hint: str, **values: object
) -> ConsistencyWarning:
    return ConsistencyWarning(
        problem,
        hint=hint,
        file=corpus.file(document.id),
        document=document.id,
        span=span.id if span else None,
        **values,
    )


Check = Callable[[Corpus], Iterator[tuple[ConsistencyWarning, Span | None]]]
"""A check yields each warning with the span whose ``note`` can accept it (None: nothing can)."""


# --- 1. the same string labelled differently -----------------------------------------------------


def _reading(span: Span) -> tuple[str, str | None]:
    """What must agree between two spans of one string: the label, and for entities the value."""
    return (span.label, span.value if span.label in ENTITY_LABELS else None)


def _show_reading(reading: tuple[str, str | None]) -> str:
    label, value = reading
    return f"{label} {value}" if value else label


def check_label_conflicts(corpus: Corpus) -> Iterator[tuple[ConsistencyWarning, Span | None]]:
    """A surface string with spans of different labels (or entity ids): the rarer ones are suspect."""
    places: dict[str, list[tuple[Document, Span]]] = defaultdict(list)
    for document in corpus.documents:
        for span in document.spans:
            places[span.text].append((document, span))
    for surface, found in places.items():
        readings = Counter(_reading(s) for _, s in found)
        if len(readings) < 2:
            continue
        top = readings.most_common()
        tied = top[0][1] == top[1][1]
        for document, span in found:
            reading = _reading(span)
            if not tied and reading == top[0][0]:
                continue
            others = "; ".join(
                f"{_show_reading(_reading(s))} in {d.id} {context(d.text, s.start, s.end)}"
                for d, s in found
                if _reading(s) != reading
            )
            yield (
                _warning(
                    corpus,
                    document,
                    span,
                    f"{surface!r} is {_show_reading(reading)} here "
                    f"{context(document.text, span.start, span.end)} but elsewhere {others}",
                    "give every mention of one entity the same label and id, or note why this one differs",
                    surface=surface,
                ),
                span,
            )


# --- 2. a labelled string left unlabelled elsewhere ---------------------------------------------


def _covered(document: Document, start: int, end: int, label: str) -> bool:
    """An occurrence is accounted for by a span on exactly it, or inside a span of the same label."""
    return any(
        (s.start, s.end) == (start, end) or (s.label == label and s.start <= start and end <= s.end)
        for s in document.spans
    )


def check_missed_repeats(corpus: Corpus) -> Iterator[tuple[ConsistencyWarning, Span | None]]:
    """Every whole-word occurrence of a labelled string must be labelled too (spec rule 9)."""
    examples: dict[tuple[str, str], list[tuple[Document, Span]]] = defaultdict(list)
    for document in corpus.documents:
        for span in document.spans:
            examples[(span.text, span.label)].append((document, span))
    for document in corpus.documents:
        for (surface, label), labelled in examples.items():
            for start, end in whole_word_occurrences(document.text, surface):
                if _covered(document, start, end, label):
                    continue
                same_doc = [pair for pair in labelled if pair[0].id == document.id]
                example_doc, example = (same_doc or labelled)[0]
                yield (
                    _warning(
                        corpus,
                        document,
                        example,
                        f"missed repeat: {surface!r} is unlabelled at {start} "
                        f"{context(document.text, start, end)} but {label} in {example_doc.id} "
                        f"{context(example_doc.text, example.start, example.end)}",
                        f"label this occurrence {label} too (every mention counts), or note on span "
                        f"{example.id} why it is left out",
                        surface=surface,
                        start=start,
                        end=end,
                    ),
                    example,
                )


# --- 3. a boundary inside a word -----------------------------------------------------------------


def check_word_boundaries(corpus: Corpus) -> Iterator[tuple[ConsistencyWarning, Span | None]]:
    """A span starts at a word start or after proclitics only, and ends at a word end."""
    for document in corpus.documents:
        text = document.text
        for span in document.spans:
            where = context(text, span.start, span.end)
            prefix = attached_prefix(text, span.start)
            if prefix and not is_proclitic_prefix(prefix):
                yield (
                    _warning(
                        corpus,
                        document,
                        span,
                        f"starts inside the word {word_at(text, span.start)!r} after {prefix!r} {where}",
                        "a span may start after the proclitics و ف ب ل ك only; the article ال stays inside",
                        prefix=prefix,
                    ),
                    span,
                )
            if not ends_word(text, span.end):
                yield (
                    _warning(
                        corpus,
                        document,
                        span,
                        f"ends inside the word {word_at(text, span.end - 1)!r} {where}",
                        "extend the span to the end of the word, or shrink it to the previous word end",
                    ),
                    span,
                )


# --- 4. material the rules put outside -----------------------------------------------------------


def _outside_material(span: Span, known: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(problem, hint) for each piece of ``span.text`` that belongs outside it."""
    tokens = _TOKEN.findall(span.text)
    first = tokens[0]
    if first[0] in PROCLITICS and len(first) > 1:
        rest = span.text[1:]
        if (
            first[1:].startswith("ال")
            or first[1].isdigit()
            or rest in known
            or (first[:2] == "لل" and len(first) > 2)
        ):
            yield (
                f"starts with the proclitic {first[0]!r} ({span.text!r})",
                f"move the start past {first[0]!r}: conjunctions and prepositions stay outside "
                "(after ل only the preposition's ل goes: لتحالف الدولي)",
            )
    if len(tokens) > 1 and strip_proclitics(first) in TYPE_WORDS:
        yield (
            f"starts with the type word {strip_proclitics(first)!r} ({span.text!r})",
            "generic type words (تنظيم، تطبيق، منصة، موقع، شركة، مدينة، العاصمة ...) stay outside the name",
        )
    quotes = sorted({c for c in span.text if c in QUOTES})
    if quotes:
        yield (
            f"contains the quote or bracket {''.join(quotes)!r} ({span.text!r})",
            "quotes and brackets stay outside: annotate the name inside them",
        )
    if span.label == "QUANTITY":
        approximator = next((a for a in APPROXIMATORS if span.text.startswith(a + " ")), None)
        if approximator:
            yield (
                f"starts with the approximator {approximator!r} ({span.text!r})",
                "a QUANTITY is the number and its scale word only: move the start to the number",
            )
        extra = [
            t for t in tokens if not _NUMBER.match(t) and strip_proclitics(t) not in NUMBER_WORDS and t != "و"
        ]
        if extra and not approximator:
            yield (
                f"holds {' '.join(extra)!r}, which is not a number or scale word ({span.text!r})",
                "leave the counted noun and approximators outside: the number and ألف/مليون only",
            )
    if span.label == "DATE" and len(tokens) > 1 and strip_proclitics(first) in DATE_OUTSIDE:
        yield (
            f"starts with the preposition {first!r} ({span.text!r})",
            "a DATE is the calendar expression only: في، منذ، خلال، حتى stay outside",
        )


def check_outside_material(corpus: Corpus) -> Iterator[tuple[ConsistencyWarning, Span | None]]:
    """Proclitics, quotes, type words, approximators, counted nouns inside a span (rules 1, 2, 3, 5)."""
    known = frozenset(
        {s.text for d in corpus.documents for s in d.spans}
        | {alias for e in corpus.registry for alias in e.aliases}
    )
    for document in corpus.documents:
        for span in document.spans:
            for problem, hint in _outside_material(span, known):
                yield (
                    _warning(
                        corpus,
                        document,
                        span,
                        f"{problem} {context(document.text, span.start, span.end)}",
                        hint,
                    ),
                    span,
                )


# --- 5. canonical ids ----------------------------------------------------------------------------

ID_REQUIRED = frozenset({"ORG", "PLATFORM"})
"""Labels whose every span must carry a registry id (the issue); PERSON and LOC are checked when set."""


def _id_problem(span: Span, registry: Registry) -> tuple[str, str] | None:
    """Why this entity span's value is not a good canonical id, or None."""
    if span.label not in ENTITY_LABELS:
        return None
    expected = "canonical name" if span.label == "PERSON" else "canonical id"
    if span.value is None:
        if span.label in ID_REQUIRED:
            candidates = [e.id for e in registry.by_alias(span.text) if e.label == span.label]
            hint = (
                f"set value to {candidates[0]!r}"
                if len(candidates) == 1
                else "add the entity to the registry"
            )
            return f"{span.label} {span.text!r} has no {expected}", f"{hint} (annotation/entities.json)"
        return None
    entity = registry.by_value(span.label, span.value)
    if entity is None:
        key = "name" if span.label == "PERSON" else "id"
        return (
            f"{span.label} {span.text!r} has value {span.value!r}, "
            f"but no {span.label} entity in the registry has that {key}",
            "use an id from annotation/entities.json (PERSON: its name) or add the entity there",
        )
    if span.text not in entity.aliases:
        return (
            f"{span.text!r} is not among the aliases of {entity.id!r}",
            f"add {span.text!r} to the aliases of {entity.id!r} (annotation/entities.json), or fix the value",
        )
    return None


def check_canonical_ids(corpus: Corpus) -> Iterator[tuple[ConsistencyWarning, Span | None]]:
    """Every ORG/PLATFORM span has a registry id; every entity value is in the registry."""
    for document in corpus.documents:
        for span in document.spans:
            problem = _id_problem(span, corpus.registry)
            if problem:
                yield (
                    _warning(
                        corpus,
                        document,
                        span,
                        f"{problem[0]} {context(document.text, span.start, span.end)}",
                        problem[1],
                        value=span.value,
                    ),
                    span,
                )


# --- 6. normalised values of dates and numbers ---------------------------------------------------


def _value_problem(span: Span) -> str | None:
    if span.value is None:
        return None
    if span.label == "DATE":
        match = ISO_DATE.match(span.value)
        if not match:
            return f"DATE value {span.value!r} is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)"
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            date(year, month, day)
        except ValueError:
            return f"DATE value {span.value!r} is not a real calendar date"
    if span.label == "QUANTITY":
        try:
            Decimal(span.value)
        except InvalidOperation:
            return f"QUANTITY value {span.value!r} is not a number"
    return None


def check_values(corpus: Corpus) -> Iterator[tuple[ConsistencyWarning, Span | None]]:
    """DATE values are ISO 8601 calendar dates; QUANTITY values are numbers."""
    for document in corpus.documents:
        for span in document.spans:
            problem = _value_problem(span)
            if problem:
                yield (
                    _warning(
                        corpus,
                        document,
                        span,
                        f"{problem} {context(document.text, span.start, span.end)}",
                        "write the value as far as the text fixes it (2019-02-20, 2019-02, 2019), or null",
                        value=span.value,
                    ),
                    span,
                )


CHECKS: dict[str, Check] = {
    "label-conflict": check_label_conflicts,
    "missed-repeat": check_missed_repeats,
    "word-boundary": check_word_boundaries,
    "outside-material": check_outside_material,
    "canonical-id": check_canonical_ids,
    "value-format": check_values,
}


def check_corpus(corpus: Corpus, names: tuple[str, ...] | None = None) -> list[Finding]:
    """Every warning of the named checks (all by default), each marked with the span's note if any."""
    findings = []
    for name in names or tuple(CHECKS):
        for warning, span in CHECKS[name](corpus):
            warning.values["check"] = name
            findings.append(Finding(name, warning, span.note if span else None))
    return findings


def load_gold(repo: Repo) -> Corpus:
    """The gold corpus and registry; broken annotation files are errors, reported all at once."""
    errors: list[RasdError] = []
    documents = tuple(load_corpus(repo, errors=errors))
    raise_all(errors, summary="problems in the gold annotations; fix them before checking consistency")
    files = {d.id: repo.relative(annotation_path(repo, d.id)) for d in documents}
    return Corpus(documents, load_registry(repo), files)


def check_repo(repo: Repo, names: tuple[str, ...] | None = None) -> list[Finding]:
    return check_corpus(load_gold(repo), names)
