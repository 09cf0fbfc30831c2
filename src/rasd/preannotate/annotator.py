"""Pre-annotation: rule-based span suggestions for all six labels, with scores.

The suggester is a table of *recognisers*, each a small function from a
``Context`` (the text, its words, the lexicon) to candidate spans:

* ``names``: registry aliases and the built-in lists of places and platforms,
  with Arabic variants (``rasd.lexicon``);
* ``dates`` and ``quantities``: the grammars of ``rasd.dates`` and ``rasd.numbers``;
* ``quoted_platforms`` / ``quoted_orgs``: a quoted, bracketed or Latin-script
  name after a type word (تطبيق "تام تام", شركة "بايت دانس", تُدعى RocketChat);
* ``org_heads``: a head noun (وكالة، وزارة، مركز، جامعة، ...) and the modifiers
  that follow it (وزارة الخارجية الأمريكية، جامعة بغداد);
* ``titled_people``: a title cue (الباحثة، وزير، رئيس ...) and the name it
  introduces, or a name between a speech verb and a title;
* ``place_heads``: a place type word fused to a place (جسر لندن).

Names found by a cue are then looked for again in the whole document (the
second mention of ``ستنجل`` has no title).  ``resolve`` keeps a consistent set:
the most confident candidate first, no crossing, nesting only inside names.
Every span keeps proclitics, quotes and type words outside, as the spec says.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasd.core.errors import PredictionFileError
from rasd.core.io import atomic_stream, atomic_write_text
from rasd.core.labels import LABELS
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.spans import new_span_id
from rasd.gold.entities import Registry
from rasd.preannotate.lexicon import Entry, Lexicon, build_lexicon, match_names
from rasd.text.arabic import Word, fold, joined_by_space, stems, words
from rasd.text.dates import find_dates
from rasd.text.numbers import find_quantities

MODEL_VERSION = "rasd-rules-1"


@dataclass(frozen=True)
class Candidate:
    """A suggested span before resolution: offsets, label, value, confidence and the rule."""

    start: int
    end: int
    label: str
    score: float
    value: str | None
    rule: str


@dataclass(frozen=True)
class Context:
    text: str
    words: tuple[Word, ...]
    lexicon: Lexicon


def _keys(*items: str) -> frozenset[str]:
    return frozenset(fold(i) for i in items)


# --- type words and cues (folded) ------------------------------------------------------------------

PLATFORM_TYPES = _keys("تطبيق", "منصة", "موقع", "خدمة", "برنامج", "شبكة", "تطبيقات", "منصات")
ORG_TYPES = _keys("وكالة", "شركة", "تنظيم", "جماعة", "حركة", "مجموعة", "صحيفة", "مؤسسة", "منظمة", "جريدة")
NAMING_VERBS = _keys("تدعى", "يدعى", "تسمى", "يسمى", "باسم", "اسمه", "اسمها", "تعرف", "يعرف")
ORG_HEADS = _keys(
    "وكالة",
    "وزارة",
    "وزارتي",
    "وزارتا",
    "مركز",
    "جامعة",
    "كلية",
    "جمعية",
    "هيئة",
    "مجموعة",
    "مجلس",
    "منظمة",
    "مؤسسة",
    "معهد",
    "جهاز",
    "لجنة",
    "اتحاد",
    "حزب",
    "حركة",
    "جبهة",
    "محكمة",
    "مكتب",
    "صحيفة",
    "قيادة",
    "الجيش",
    "القيادة",
    "الاتحاد",
    "الأمم",
    "الحرس",
    "التحالف",
)
PLACE_HEADS = _keys("جسر", "شارع", "ساحة", "ميدان", "مطار", "ميناء", "جزيرة", "مضيق", "حي")
PERSON_TITLES = _keys(
    "الباحث",
    "الباحثة",
    "الخبير",
    "الخبيرة",
    "المحلل",
    "المحللة",
    "الأستاذ",
    "الأستاذة",
    "الدكتور",
    "الدكتورة",
    "الشيخ",
    "السيد",
    "السيدة",
    "الرئيس",
    "رئيس",
    "رئيسة",
    "وزير",
    "وزيرة",
    "الوزير",
    "نائب",
    "وكيل",
    "مدير",
    "مديرة",
    "المدير",
    "الناطق",
    "المتحدث",
    "المتحدثة",
    "الصحفي",
    "الصحفية",
    "الكاتب",
    "الكاتبة",
    "المسؤول",
    "مستشار",
    "المستشار",
    "السفير",
    "الجنرال",
    "العقيد",
    "اللواء",
    "العميد",
    "القاضي",
    "زعيم",
    "الزعيم",
    "قائد",
    "القائد",
    "المبعوث",
    "الأمين",
)
SPEECH_VERBS = _keys("قال", "أكد", "أضاف", "أوضح", "ذكر", "أشار", "صرح", "أعلن", "كشف", "لفت", "رأى", "اعتبر")
# Words that end a name or a modifier run: particles, relatives, prepositions, time words.
STOPWORDS = _keys(
    "إن",
    "أن",
    "إنه",
    "أنه",
    "إلى",
    "الى",
    "على",
    "في",
    "من",
    "عن",
    "مع",
    "قد",
    "لا",
    "لم",
    "لن",
    "ما",
    "هو",
    "هي",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "اللتين",
    "اللواتي",
    "الآن",
    "اليوم",
    "أمس",
    "كما",
    "بعد",
    "قبل",
    "حيث",
    "حتى",
    "أو",
    "ثم",
    "بل",
    "لكن",
    "إذ",
    "إذا",
    "وقد",
    "وهو",
    "وهي",
    "عبر",
    "خلال",
    "حول",
    "ضد",
    "بين",
    "منذ",
    "لدى",
    "عند",
    "أيضا",
    "الماضي",
    "الماضية",
    "المقبل",
    "الحالي",
    "الأخرى",
    "الأول",
    "الثاني",
    "نفسه",
    "نفسها",
)
# Nationality adjectives (without ال and ة): inside an organisation's name when they follow it.
NATIONALITIES = _keys(
    "عراقي",
    "أمريكي",
    "أميركي",
    "سوري",
    "كويتي",
    "سعودي",
    "مصري",
    "روسي",
    "صيني",
    "فرنسي",
    "بريطاني",
    "ألماني",
    "تركي",
    "إيراني",
    "أوروبي",
    "أردني",
    "لبناني",
    "ليبي",
    "يمني",
    "إماراتي",
    "قطري",
    "بحريني",
    "عماني",
    "تونسي",
    "جزائري",
    "مغربي",
    "سوداني",
    "فلسطيني",
    "إسرائيلي",
    "أفغاني",
    "باكستاني",
    "هندي",
    "ياباني",
    "كوري",
    "إيطالي",
    "إسباني",
    "هولندي",
    "بلجيكي",
    "كندي",
    "أسترالي",
    "نيجيري",
    "صومالي",
)
NAME_LINKS = _keys("عبد", "أبو", "أبي", "ابن", "بن", "بنت", "آل", "ابو")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9.+-]*$")
_QUOTED = re.compile(r"[\"«“”(\[]([^\"«»“”()\[\]\n]{1,40})[\"»”“)\]]")
_LATIN_ORG_HEADS = frozenset(
    {
        "agency",
        "group",
        "center",
        "centre",
        "institute",
        "organization",
        "organisation",
        "ministry",
        "university",
        "foundation",
        "council",
        "network",
        "news",
        "command",
        "department",
    }
)


def is_definite(word: Word) -> bool:
    return word.key.startswith("ال") and len(word.key) > 3


def _stem_in(word: Word, table: frozenset[str]) -> int | None:
    """The stem offset at which ``word`` (proclitics stripped) is in ``table``, else None."""
    for stem in stems(word):
        if stem.key in table:
            return stem.offset
    return None


def _next(ctx: Context, i: int) -> Word | None:
    """Word ``i + 1`` when only a space separates it from word ``i``."""
    ws = ctx.words
    if i + 1 < len(ws) and joined_by_space(ctx.text, ws[i], ws[i + 1]):
        return ws[i + 1]
    return None


# --- recognisers ---------------------------------------------------------------------------------


def names(ctx: Context) -> Iterator[Candidate]:
    for match in match_names(ctx.text, ctx.words, ctx.lexicon):
        entry: Entry = match.entry
        yield Candidate(
            match.start, match.end, entry.label, entry.score, entry.value, f"lexicon:{entry.source}"
        )


def dates(ctx: Context) -> Iterator[Candidate]:
    for d in find_dates(ctx.text):
        yield Candidate(d.start, d.end, "DATE", d.score, None, "dates")


def quantities(ctx: Context) -> Iterator[Candidate]:
    for q in find_quantities(ctx.text, ctx.words):
        yield Candidate(q.start, q.end, "QUANTITY", q.score, q.value, "numbers")


def _words_before(ctx: Context, offset: int, n: int) -> list[Word]:
    """The ``n`` words that end at or before ``offset``."""
    stop = bisect_right(ctx.words, offset, key=lambda w: w.end)
    return list(ctx.words[max(0, stop - n) : stop])


def _cue_label(ctx: Context, start: int) -> str | None:
    """PLATFORM or ORG when a type word (or a naming verb after one) stands shortly before ``start``."""
    near = _words_before(ctx, start, 4)
    for word in reversed(near):
        if _stem_in(word, PLATFORM_TYPES) is not None:
            return "PLATFORM"
        if _stem_in(word, ORG_TYPES) is not None:
            return "ORG"
    if near and _stem_in(near[-1], NAMING_VERBS) is not None:
        wider = _words_before(ctx, start, 14)
        if any(_stem_in(w, PLATFORM_TYPES) is not None for w in wider):
            return "PLATFORM"
    return None


def _quoted_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _QUOTED.finditer(text):
        inner = match.group(1)
        lead = len(inner) - len(inner.lstrip())
        start = match.start(1) + lead
        end = match.start(1) + len(inner.rstrip())
        if start < end and len(words(text[start:end])) <= 4:
            yield start, end


def _latin_runs(ctx: Context) -> Iterator[tuple[int, int, list[Word]]]:
    ws = ctx.words
    i = 0
    while i < len(ws):
        if not _LATIN_WORD.match(ws[i].text):
            i += 1
            continue
        j = i
        while (
            j + 1 < len(ws)
            and _LATIN_WORD.match(ws[j + 1].text)
            and joined_by_space(ctx.text, ws[j], ws[j + 1])
        ):
            j += 1
        yield ws[i].start, ws[j].end, list(ws[i : j + 1])
        i = j + 1


def quoted_names(ctx: Context) -> Iterator[Candidate]:
    """A quoted or bracketed name, or a Latin-script one, right after a type word or naming verb."""
    for start, end in _quoted_spans(ctx.text):
        label = _cue_label(ctx, start - 1)
        if label is not None:
            yield Candidate(start, end, label, 0.7, None, "cue:quoted")
    for start, end, run in _latin_runs(ctx):
        if run[-1].text.lower() in _LATIN_ORG_HEADS and len(run) > 1:
            yield Candidate(start, end, "ORG", 0.6, None, "cue:latin-org")
            continue
        label = _cue_label(ctx, start)
        if label is not None and len(run) <= 3:
            yield Candidate(start, end, label, 0.7, None, "cue:latin")


def _is_modifier(word: Word) -> bool:
    return is_definite(word) and word.key not in STOPWORDS and not word.key.startswith("الل")


def org_heads(ctx: Context) -> Iterator[Candidate]:
    """A head noun and the definite words (and ``عن`` phrases, ``وال`` coordinations) after it."""
    ws = ctx.words
    for i, word in enumerate(ws):
        offset = _stem_in(word, ORG_HEADS)
        if offset is None:
            continue
        last = i
        while (nxt := _next(ctx, last)) is not None and last - i < 6:
            k = last + 1
            if _is_modifier(nxt):
                last = k
            elif nxt.key.startswith("وال") and last > i and len(nxt.key) > 4:
                last = k  # وزارتي الداخلية والدفاع
            elif nxt.key == "عن" and (after := _next(ctx, k)) is not None:
                tail = _next(ctx, k + 1)
                if is_definite(after):
                    last = k + 1
                elif tail is not None and is_definite(tail):
                    last = k + 2
                else:
                    break
            elif last == i and not is_definite(word) and _known_place(ctx, nxt):
                last = k  # جامعة بغداد
                break
            elif last > i and nxt.key.startswith("ب") and _stem_in(nxt, ORG_HEADS) == 1:
                last = k  # كلية الإعلام بجامعة بغداد: one name
                if (place := _next(ctx, k)) is not None and (_known_place(ctx, place) or _is_modifier(place)):
                    last = k + 1
                else:
                    break
            else:
                break
        if last > i:
            yield Candidate(word.start + offset, ws[last].end, "ORG", 0.6, None, "cue:org-head")


def _known_place(ctx: Context, word: Word) -> bool:
    return any(e.label == "LOC" for e in ctx.lexicon.exact.get(word.key, []))


def place_heads(ctx: Context) -> Iterator[Candidate]:
    """A place type word fused to a known place: ``جسر لندن`` (the place inside is found too)."""
    for i, word in enumerate(ctx.words):
        offset = _stem_in(word, PLACE_HEADS)
        if offset is not None and (nxt := _next(ctx, i)) is not None and _known_place(ctx, nxt):
            yield Candidate(word.start + offset, nxt.end, "LOC", 0.6, None, "cue:place-head")


def _could_start_name(word: Word) -> bool:
    return (
        not is_definite(word)
        and word.key not in STOPWORDS
        and word.key not in PERSON_TITLES
        and word.key not in ORG_HEADS
        and len(word.key) >= 2
        and not word.text[0].isdigit()
        and not _LATIN_WORD.match(word.text)
    )


def _continues_name(previous: Word, word: Word, has_two: bool) -> bool:
    """Whether ``word`` still belongs to a personal name that ends with ``previous``.

    After عبد/أبو/بن anything does (عبد المهدي); a definite word does when it is
    a nisba (الكعبي) or the name already has two words (خالد سليمان الجار); an
    indefinite word does unless it is a particle, a title, a head noun or a number.
    """
    key = word.key
    if key in STOPWORDS or key in PERSON_TITLES or key in SPEECH_VERBS:
        return False
    if previous.key in NAME_LINKS or key == "الله":
        return True
    if is_definite(word):
        return key.endswith("ي") or has_two
    return key not in ORG_HEADS and not word.text[0].isdigit()


def _name_from(ctx: Context, i: int) -> tuple[int, int] | None:
    """The words ``[i, j]`` of a personal name starting at word ``i``, or None."""
    ws = ctx.words
    if i >= len(ws) or not _could_start_name(ws[i]):
        return None
    last = i
    while (nxt := _next(ctx, last)) is not None and last - i < 3 and _continues_name(ws[last], nxt, last > i):
        last += 1
    return i, last


def _skip_descriptor(ctx: Context, i: int) -> int:
    """The index of the first word after a title's descriptor (adjectives, construct nouns, one comma)."""
    ws = ctx.words
    k = i + 1
    commas = 0
    while k < len(ws) and k - i <= 8:
        gap = ctx.text[ws[k - 1].end : ws[k].start]
        if "\n" in gap or any(c in gap for c in '.:؛;!?()"«»'):
            return -1
        if "،" in gap or "," in gap:
            commas += 1
            if commas > 1:
                return -1
        w = ws[k]
        stem_definite = any(s.key.startswith("ال") and s.offset for s in stems(w)) and w.key[:1] in "بل"
        if is_definite(w) or stem_definite or w.key in ORG_HEADS or w.key in PERSON_TITLES:
            k += 1
        elif w.key == "من" and k + 2 < len(ws) and ws[k + 1].key == fold("أصل"):
            k += 3  # من أصل عراقي
        else:
            return k
    return -1


def titled_people(ctx: Context) -> Iterator[Candidate]:
    """A name after a title and its descriptor, or between a speech verb and a title."""
    ws = ctx.words
    for i, word in enumerate(ws):
        if _stem_in(word, PERSON_TITLES) is not None:
            k = _skip_descriptor(ctx, i)
            name = _name_from(ctx, k) if k >= 0 else None
            if name is not None:
                yield Candidate(ws[name[0]].start, ws[name[1]].end, "PERSON", 0.6, None, "cue:title")
        if _stem_in(word, SPEECH_VERBS) is not None:
            name = _name_from(ctx, i + 1) if _next(ctx, i) is not None else None
            if name is not None and name[1] > name[0]:
                after = _next(ctx, name[1])
                if after is not None and _stem_in(after, PERSON_TITLES) is not None:
                    yield Candidate(ws[name[0]].start, ws[name[1]].end, "PERSON", 0.6, None, "cue:speaker")


Recogniser = Callable[[Context], Iterable[Candidate]]
RECOGNISERS: tuple[Recogniser, ...] = (
    names,
    dates,
    quantities,
    quoted_names,
    org_heads,
    place_heads,
    titled_people,
)


def is_nationality(word: Word) -> bool:
    """``العراقي``, ``الأمريكية``: a definite nationality adjective."""
    key = word.key[2:] if word.key.startswith("ال") else ""
    return key in NATIONALITIES or (key.endswith("ه") and key[:-1] in NATIONALITIES)


def extend_org_names(ctx: Context, found: Sequence[Candidate]) -> Iterator[Candidate]:
    """An organisation's name taken with its head noun before it (وكالة ناشر) or nationality after it.

    Spec rule 2: a head word written on the name is part of it, and so is a
    nationality adjective right after it (مركز الاعلام الرقمي العراقي).
    """
    starts = {w.start: i for i, w in enumerate(ctx.words)}
    ends = {w.end: i for i, w in enumerate(ctx.words)}
    for c in found:
        if c.label != "ORG":
            continue
        start, end = c.start, c.end
        first, last = starts.get(start), ends.get(end)
        if first is not None and first > 0 and c.rule.startswith("lexicon"):
            head = ctx.words[first - 1]
            offset = _stem_in(head, ORG_HEADS)
            if (
                offset is not None
                and not is_definite(head)
                and joined_by_space(ctx.text, head, ctx.words[first])
            ):
                start = head.start + offset
        if last is not None and (nxt := _next(ctx, last)) is not None and is_nationality(nxt):
            end = nxt.end
        if (start, end) != (c.start, c.end):
            yield Candidate(start, end, "ORG", c.score + 0.02, c.value, c.rule + "+extended")


# --- propagation and resolution ------------------------------------------------------------------


def short_forms(surface: str, label: str) -> set[str]:
    """Other ways a document refers again to a name found by a cue (a person's family name)."""
    forms = {surface}
    parts = surface.split()
    if label == "PERSON" and len(parts) > 1:
        if fold(parts[-2]) in NAME_LINKS:
            forms.add(" ".join(parts[-2:]))
        elif len(fold(parts[-1])) >= 4:
            forms.add(parts[-1])
    return forms


def propagate(ctx: Context, found: Sequence[Candidate]) -> Iterator[Candidate]:
    """Every other mention, in the same document, of a name a cue rule found."""
    surfaces: dict[str, str] = {}
    for c in found:
        if c.rule.startswith("cue:") and c.label in ("PERSON", "PLATFORM", "ORG"):
            for form in short_forms(ctx.text[c.start : c.end], c.label):
                surfaces.setdefault(form, c.label)
    if not surfaces:
        return
    local = Lexicon()
    for form, label in surfaces.items():
        local.add(form, Entry(label, None, 0.55, "document"))
    for match in match_names(ctx.text, ctx.words, local):
        yield Candidate(match.start, match.end, match.entry.label, 0.55, None, "propagated")


HEAD_RULES = frozenset({"cue:place-head", "cue:org-head"})
NESTING_OUTER = frozenset({"ORG", "LOC"})
NESTING_INNER = frozenset({"ORG", "LOC", "PERSON"})


def _may_nest(outer: Candidate, inner: Candidate) -> bool:
    """Spec rule 7: another entity inside a name (بغداد in جامعة بغداد), never the name's own head."""
    if outer.label not in NESTING_OUTER or inner.label not in NESTING_INNER:
        return False
    if outer.label == inner.label:  # a different entity: جسر لندن holds لندن, not وكالة أعماق أعماق
        if (outer.value, inner.value) == (None, None):  # unknown ids: a head rule built the outer name
            return outer.rule in HEAD_RULES and inner.rule.startswith("lexicon")
        return outer.value != inner.value
    return True


def _compatible(c: Candidate, kept: Candidate) -> bool:
    if c.end <= kept.start or kept.end <= c.start:
        return True
    if (c.start, c.end) == (kept.start, kept.end):
        return False
    if kept.start <= c.start and c.end <= kept.end:
        return _may_nest(kept, c)
    if c.start <= kept.start and kept.end <= c.end:
        return _may_nest(c, kept)
    return False  # crossing


def resolve(candidates: Iterable[Candidate]) -> list[Candidate]:
    """A consistent set: most confident (then longest) first; no crossing; nesting only inside names."""
    ordered = sorted(candidates, key=lambda c: (-c.score, -(c.end - c.start), c.start, c.label))
    kept: list[Candidate] = []
    for c in ordered:
        if c.start < c.end and all(_compatible(c, k) for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, -c.end))


def suggest(text: str, lexicon: Lexicon) -> list[Candidate]:
    """The resolved suggestions for ``text``."""
    ctx = Context(text, tuple(words(text)), lexicon)
    found = [c for recognise in RECOGNISERS for c in recognise(ctx)]
    found += extend_org_names(ctx, found)
    found += propagate(ctx, found)
    return resolve(found)


# --- the API other modules call ------------------------------------------------------------------


@lru_cache(maxsize=8)
def registry_lexicon(registry: Registry) -> Lexicon:
    """The lexicon of a registry plus the built-in lists (cached: registries are immutable)."""
    return build_lexicon(registry.entities)


def spans_from(
    document_id: str,
    text: str,
    candidates: Iterable[Candidate],
    anchor_value: Callable[[Candidate], str | None] | None = None,
) -> tuple[Span, ...]:
    spans = []
    for c in candidates:
        value = anchor_value(c) if anchor_value is not None else c.value
        spans.append(
            Span(
                start=c.start,
                end=c.end,
                label=c.label,
                id=new_span_id(document_id, c.start, c.end, c.label, salt=MODEL_VERSION),
                text=text[c.start : c.end],
                value=value,
                score=round(c.score, 3),
            )
        )
    return tuple(sorted(spans))


def predict_text(
    document_id: str, text: str, lexicon: Lexicon, published: str | None = None
) -> tuple[Span, ...]:
    """Suggested spans (with ``score`` and normalised ``value``) for any text."""
    from rasd.preannotate.normalize import candidate_value

    candidates = suggest(text, lexicon)
    return spans_from(document_id, text, candidates, lambda c: candidate_value(c, text, lexicon, published))


def predict_document(document: Document, registry: Registry) -> tuple[Span, ...]:
    """Suggested spans for a document: ``score`` set, ids from ``new_span_id``, values filled.

    This is what ``rasd ls push --predictions`` sends to Label Studio.
    """
    return predict_text(document.id, document.text, registry_lexicon(registry), document.source.published)


# --- files ---------------------------------------------------------------------------------------


def predictions_dir(repo: Repo) -> Path:
    """Machine suggestions live beside the gold, never in it: ``dataset/predictions/``."""
    return repo.dataset_dir / "predictions"


def prediction_path(repo: Repo, doc_id: str) -> Path:
    return predictions_dir(repo) / f"{doc_id}.json"


def span_record(span: Span) -> dict[str, Any]:
    return {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "value": span.value,
        "score": span.score,
    }


def render_predictions(document: Document, spans: Sequence[Span], model_version: str = MODEL_VERSION) -> str:
    """One span per line, like the gold files, so diffs stay readable."""
    from rasd.intake.ingest import text_sha256

    head = {
        "document": document.id,
        "text_sha256": text_sha256(document.text),
        "model_version": model_version,
    }
    lines = ["{"] + [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    body = ",\n".join("    " + json.dumps(span_record(s), ensure_ascii=False) for s in spans)
    lines += ['  "spans": [', body, "  ]"] if spans else ['  "spans": []']
    return "\n".join([*lines, "}"]) + "\n"


def write_predictions(repo: Repo, document: Document, spans: Sequence[Span]) -> bool:
    return atomic_write_text(prediction_path(repo, document.id), render_predictions(document, spans))


def load_predictions(repo: Repo, doc_id: str) -> tuple[Span, ...]:
    """The stored suggestions of a document (empty when it has none), checked against its text."""
    from rasd.intake.ingest import iter_documents, text_sha256
    from rasd.validation.validate import semantic_errors

    path = prediction_path(repo, doc_id)
    shown = repo.relative(path)
    if not path.exists():
        return ()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PredictionFileError(
            f"cannot read predictions: {exc}",
            file=shown,
            document=doc_id,
            hint="run `rasd preannotate` again",
        ) from exc
    spans = tuple(
        _span_from_record(record, shown, doc_id, n)
        for n, record in enumerate(_span_list(data, shown, doc_id))
    )
    document = next((d for d in iter_documents(repo) if d.id == doc_id), None)
    if document is None:
        raise PredictionFileError(
            "predictions for a document that has no raw file",
            file=shown,
            document=doc_id,
            hint="delete the file or restore the raw article",
        )
    if data.get("text_sha256") != text_sha256(document.text):
        raise PredictionFileError(
            "the document text changed since these predictions were made",
            file=shown,
            document=doc_id,
            hint="run `rasd preannotate` again",
        )
    problems = semantic_errors(doc_id, document.text, spans, file=shown)
    if problems:
        raise problems[0]
    return spans


def _span_list(data: Any, shown: str, doc_id: str) -> list[Any]:
    if not isinstance(data, dict) or not isinstance(data.get("spans"), list):
        raise PredictionFileError(
            "expected an object with a 'spans' list",
            file=shown,
            document=doc_id,
            hint="run `rasd preannotate` again",
        )
    return list(data["spans"])


def _span_from_record(record: Any, shown: str, doc_id: str, n: int) -> Span:
    try:
        label = record["label"]
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}")
        value = record.get("value")
        score = record.get("score")
        return Span(
            start=int(record["start"]),
            end=int(record["end"]),
            label=label,
            id=str(record["id"]),
            text=str(record["text"]),
            value=None if value is None else str(value),
            score=None if score is None else float(score),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PredictionFileError(
            f"span #{n} is malformed ({exc})",
            file=shown,
            document=doc_id,
            hint="run `rasd preannotate` again",
        ) from exc


# --- JSONL in, JSONL out -------------------------------------------------------------------------


@dataclass(frozen=True)
class InputRecord:
    id: str
    text: str
    published: str | None


def read_jsonl(path: Path, shown: str) -> Iterator[InputRecord]:
    """Lines ``{"id", "text"}`` (``published`` optional), streamed; a bad line names its number."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PredictionFileError(
                    f"line {number}: invalid JSON ({exc.msg} at column {exc.colno})",
                    file=shown,
                    hint='write one object per line: {"id": "...", "text": "..."}',
                    line=number,
                ) from exc
            if (
                not isinstance(record, dict)
                or not isinstance(record.get("id"), str)
                or not isinstance(record.get("text"), str)
            ):
                raise PredictionFileError(
                    f"line {number}: expected an object with string fields 'id' and 'text'",
                    file=shown,
                    document=record.get("id")
                    if isinstance(record, dict) and isinstance(record.get("id"), str)
                    else None,
                    hint='write one object per line: {"id": "...", "text": "..."}',
                    line=number,
                )
            published = record.get("published")
            yield InputRecord(record["id"], record["text"], published if isinstance(published, str) else None)


def output_record(record: InputRecord, spans: Sequence[Span]) -> dict[str, Any]:
    return {
        "id": record.id,
        "text": record.text,
        "spans": [
            {
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "text": s.text,
                "value": s.value,
                "score": s.score,
            }
            for s in spans
        ],
    }


def preannotate_jsonl(source: Path, target: Path, lexicon: Lexicon, *, shown: str) -> int:
    """Suggest spans for every line of ``source`` into ``target``, streaming; the number of texts.

    ``target`` appears only once every line is done, so a bad line leaves no half-written output.
    """
    count = 0
    with atomic_stream(target) as out:
        for record in read_jsonl(source, shown):
            spans = predict_text(record.id, record.text, lexicon, record.published)
            out.write(json.dumps(output_record(record, spans), ensure_ascii=False) + "\n")
            count += 1
    return count
