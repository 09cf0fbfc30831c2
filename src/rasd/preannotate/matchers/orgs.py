"""Organisations: a head noun and the modifiers after it, and a known name taken with its head or nationality.

وزارة الخارجية الأمريكية، جامعة بغداد، كلية الإعلام بجامعة بغداد، جمعية الدفاع عن
حرية التعبير: the head noun (وكالة، وزارة، مركز، جامعة ...) opens the name and the
definite words, ``عن`` phrases and ``وال`` coordinations after it continue it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rasd.core.labels import Label
from rasd.preannotate.candidates import (
    LATIN_WORD,
    Candidate,
    Context,
    is_definite,
    known_place,
    next_word,
    stem_in,
)
from rasd.preannotate.cues import NATIONALITIES, ORG_HEADS, OUTLET_TYPE_WORDS, STOPWORDS
from rasd.text.arabic import Word, fold, joined_by_space

MAX_MODIFIERS = 6
MAX_CHAIN = 2


def is_modifier(word: Word) -> bool:
    """A definite word that may continue a name (not a particle, not a word on الله)."""
    return is_definite(word) and word.key not in STOPWORDS and not word.key.startswith("الل")


def is_nationality(word: Word) -> bool:
    """``العراقي``, ``الأمريكية``: a definite nationality adjective."""
    key = word.key[2:] if word.key.startswith("ال") else ""
    return key in NATIONALITIES or (key.endswith("ه") and key[:-1] in NATIONALITIES)


def _about_phrase(ctx: Context, k: int, after: Word) -> tuple[int, bool]:
    """``عن`` (word ``k``) and a definite word within the next two: ``الدفاع عن حرية التعبير``."""
    if is_definite(after):
        return k + 1, True
    tail = next_word(ctx, k + 1)
    if tail is not None and is_definite(tail):
        return k + 2, True
    return k - 1, False


def _indefinite_chain(ctx: Context, k: int) -> int:
    """Indefinite nouns from word ``k`` closed by a definite one (تحليل سياسات النزاع): their count, or 0."""
    end = k
    while end - k < MAX_CHAIN:
        word = ctx.words[end]
        lexicon = ctx.lexicon
        if is_definite(word) or word.key in STOPWORDS or word.key in lexicon.given:
            return 0
        if word.key in lexicon.exact or word.key in lexicon.prefixes:
            return 0  # a known name: وكالة أعماق صور ...
        if word.key.startswith(("و", "ل", "ب")) or not word.text[0].isalpha():
            return 0
        after = next_word(ctx, end)
        if after is None:
            return 0
        if is_modifier(after):
            return end + 2 - k
        end += 1
    return 0


def _like(ctx: Context, word: Word) -> bool:
    """A coordinated وال word that shares the head like the modifier before it: no place, no name, no head.

    وزارتي الداخلية والدفاع is one name; وزارة الداخلية والعراق and التحالف الدولي والأمم المتحدة are two.
    """
    key = word.key[1:]
    lexicon = ctx.lexicon
    return key not in ORG_HEADS and key not in lexicon.exact and key not in lexicon.prefixes


def drop_adjective_places(text: str, kept: Sequence[Candidate]) -> list[Candidate]:
    """Without a place that only ends an organisation's name as its adjective (وكالة الأنباء [السعودية]).

    Spec rule 2: the nationality adjective after a name is part of it, and alone it is no span.
    """
    orgs = [c for c in kept if c.label == Label.ORG]

    def adjective(c: Candidate) -> bool:
        key = fold(text[c.start : c.end])
        return key.startswith("ال") and key.endswith("يه") and " " not in key

    return [
        c
        for c in kept
        if not (
            c.label == Label.LOC
            and adjective(c)
            and any(o.start < c.start and o.end == c.end and text[c.start - 1] == " " for o in orgs)
        )
    ]


def _reach(ctx: Context, i: int, last: int, nxt: Word) -> tuple[int, bool]:
    """Whether the name headed by word ``i`` takes ``nxt`` (after word ``last``): its new last word, go on."""
    k = last + 1
    if is_modifier(nxt):
        return k, True
    if nxt.key.startswith("وال") and last > i and len(nxt.key) > 4 and _like(ctx, nxt):
        return k, True  # وزارتي الداخلية والدفاع
    if nxt.key.startswith("ل") and not is_nationality(ctx.words[last]):
        if nxt.key.startswith("لل") and len(nxt.key) > 4:
            return k, True  # مركز الحياة للإعلام، المنتدى العالمي للإنترنت
        if (after := next_word(ctx, k)) is not None and is_modifier(after):
            return k + 1, True  # المكتب المركزي للأبحاث القضائية، مرصد الأزهر لمكافحة التطرف
    if nxt.key == "عن" and (after := next_word(ctx, k)) is not None:
        return _about_phrase(ctx, k, after)
    if last == i and not is_definite(ctx.words[i]) and (chain := _indefinite_chain(ctx, k)):
        return k + chain - 1, False  # معهد تحليل سياسات النزاع، مشروع مكافحة التطرف
    if last == i and not is_definite(ctx.words[i]) and known_place(ctx, nxt):
        after = next_word(ctx, k)  # جامعة بغداد; قوات سوريا الديمقراطية goes on
        return k, after is not None and is_modifier(after) and after.key.endswith("يه")
    if last > i and nxt.key.startswith("ب") and stem_in(nxt, ORG_HEADS) == 1:
        place = next_word(ctx, k)  # كلية الإعلام بجامعة بغداد: one name
        if place is not None and (known_place(ctx, place) or is_modifier(place)):
            return k + 1, True
        return k, False
    return last, False


def org_heads(ctx: Context) -> Iterator[Candidate]:
    """A head noun and the definite words (and ``عن`` phrases, ``وال`` coordinations) after it."""
    for i in ctx.cued(ORG_HEADS):  # the words with a reading in ORG_HEADS, in order
        word = ctx.words[i]
        offset = stem_in(word, ORG_HEADS)
        if offset is None or stem_in(word, OUTLET_TYPE_WORDS) is not None:
            continue  # صحيفة، مجلة: type words, outside the name (outlets)
        last, go_on = i, True
        while go_on and (nxt := next_word(ctx, last)) is not None and last - i < MAX_MODIFIERS:
            last, go_on = _reach(ctx, i, last, nxt)
        if last > i:
            yield Candidate(word.start + offset, ctx.words[last].end, Label.ORG, 0.6, None, "cue:org-head")


def _head_before(ctx: Context, first: int) -> int | None:
    """The offset where an indefinite head noun right before word ``first`` starts (وكالة ناشر)."""
    if first == 0 or LATIN_WORD.match(ctx.words[first].text):
        return None  # a Latin-script name is written without the Arabic head: مبادرة [Tech Against Terrorism]
    head = ctx.words[first - 1]
    offset = stem_in(head, ORG_HEADS)
    if (
        offset is None
        or stem_in(head, OUTLET_TYPE_WORDS) is not None
        or is_definite(head)
        or not joined_by_space(ctx.text, head, ctx.words[first])
    ):
        return None
    return head.start + offset


def _inside_longer(found: Sequence[Candidate], start: int, end: int) -> bool:
    """Whether a known name already runs from ``start`` past ``end`` (مرصد الأزهر لمكافحة التطرف)."""
    return any(c.start == start and c.end > end and c.rule.startswith("lexicon") for c in found)


def extend_org_names(ctx: Context, found: Sequence[Candidate]) -> Iterator[Candidate]:
    """An organisation's name taken with its head noun before it (وكالة ناشر) or nationality after it.

    Spec rule 2: a head word written on the name is part of it, and so is a
    nationality adjective right after it (مركز الاعلام الرقمي العراقي).
    """
    starts, ends = ctx.starting_at, ctx.ending_at
    for c in found:
        if c.label != Label.ORG:
            continue
        start, end = c.start, c.end
        first, last = starts.get(start), ends.get(end)
        head = _head_before(ctx, first) if first is not None and c.rule.startswith("lexicon") else None
        if head is not None and not _inside_longer(found, head, end):
            start = head
        if last is not None and (nxt := next_word(ctx, last)) is not None and is_nationality(nxt):
            end = nxt.end
        if (start, end) != (c.start, c.end):
            yield Candidate(start, end, Label.ORG, c.score + 0.02, c.value, c.rule + "+extended")
