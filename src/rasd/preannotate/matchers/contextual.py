"""Names no list knows, read from their context: type words, head nouns, account nouns, coordination.

* ``bare_org_types``: an indefinite one-word name after ``تنظيم/جماعة/حركة`` is an
  ORG, the type word outside (spec rule 2): تنظيم [داعش]، لتنظيم [داعش].
* ``headed_orgs``: an indefinite head noun and one or two indefinite name words
  closed by punctuation or a particle are one ORG, head inside: [وكالة أعماق]،
  [معهد بروكينغز]، [جامعة جورج واشنطن]،.
* ``platform_cues``: a name after a platform type word (تطبيق [تلغرام]) or after an
  account noun and ``على/عبر`` (قنوات على [تيليغرام]، حسابات على [تويتر]).
* ``place_cues``: a name after ``قرب``, after a direction (شرقي [سوريا]), after
  ``ريف``, after an event noun (هجمات [باريس]، معركة [الباغوز]), or opening a
  dateline (``[لاهاي] - أعلنت ...``) is a LOC.
* ``coordinated``: a one-word name joined by ``و`` to a name of a listing label
  (PLATFORM, LOC) is of that label too: على تويتر و[إنستغرام] و[يوتيوب]،
  في سوريا و[العراق].

None of them reads a list of names: they are the evidence a new name has.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from operator import attrgetter

from rasd.core.labels import Label
from rasd.preannotate.candidates import LATIN_WORD, Candidate, Context, is_definite, next_word, stem_in
from rasd.preannotate.cues import (
    NATIONALITIES,
    NOT_NAME_NOUNS,
    ORG_HEADS,
    ORG_TYPES,
    OUTLET_TYPE_WORDS,
    PERSON_TITLES,
    PLACE_TYPES,
    PLATFORM_TYPES,
    STOPWORDS,
    folded_set,
)
from rasd.preannotate.matchers.outlets import closed_after
from rasd.preannotate.matchers.persons import continues_name, is_nisba, name_from
from rasd.text.arabic import Word

BARE_ORG_TYPES = folded_set("تنظيم تنظيمي جماعة حركة")
APP_TYPES = folded_set("تطبيق تطبيقي منصة خدمة")
ACCOUNT_NOUNS = folded_set(
    """حساب حسابا حسابات حسابه حسابها حساباتها حساباته قناة قناته قناتها قنوات قنواتها قنواته
    صفحة صفحته صفحتها صفحات مجموعات منشور منشورة منشورا نشر نشرت بث بثت تغريدة تغريدات"""
)
THROUGH = folded_set("على عبر")
MEMBER_NOUNS = folded_set(
    """مناصري مناصرو أنصار مقاتلي مقاتلو عناصر مسلحي مسلحو قادة قيادة قياديي قياديو أمراء أعضاء
    مجندي مجندو بيعة مبايعة"""
)
"""Nouns of members (and allegiance) whose possessor is a group: مناصري [داعش]، مبايعة [داعش]."""
COMMON_AFTER_TYPES = folded_set(
    """إرهابي ارهابي متطرف مسلح سري جديد جديدة آخر أخرى كبير كبيرة صغير صغيرة واحد واحدة
    مشفر مشفرة رقمية رقمي إلكتروني إلكترونية مجاني مجانية مماثل مماثلة محلي محلية دولي دولية"""
)
"""Indefinite adjectives that follow a type word and are no name (تنظيم إرهابي، تطبيق مشفر)."""
NEAR = folded_set("قرب بالقرب")
DIRECTIONS = folded_set("شرقي غربي شمالي جنوبي شرق غرب شمال جنوب وسط")
COUNTRYSIDE = folded_set("ريف بريف")
EVENTS = folded_set("هجمات هجوم معركة اعتداءات")
DATELINE_DASHES = "-–—"
VERBAL_NOUN = re.compile(r"^(ا..ا.|ا.ت.ا.|است...ا.|ت..ي.)$")
"""Folded verbal nouns (إنشاء، إصدار، انتشار، استخدام، تمويل): after في/على they are no name."""
IN_PLACE = folded_set("في إلى من بين")
NOT_PLACES = folded_set(
    """بيان تصريح تصريحات حديث خطاب مؤتمر منشور تسجيل تقرير مقال مقابلة لقاء كلمة وقت حين أثناء
    إطار ظل مجال سياق مواجهة عدد بعض كل جميع أجل خلال قبل بعد مطلع منتصف أوائل أواخر نهاية بداية"""
)
"""Indefinite nouns that often follow في/من/إلى and are no place (في بيان، من أجل)."""
PLACE_CUES = NEAR | DIRECTIONS | COUNTRYSIDE | EVENTS | IN_PLACE
NAMED_PLACE_CUES = NEAR | DIRECTIONS | COUNTRYSIDE | EVENTS
LISTING_LABELS = frozenset({Label.PLATFORM, Label.LOC, Label.PERSON})
PERSON_EVENTS = folded_set("مقتل اغتيال اعتقال وفاة مصرع إعدام اختطاف خطف غياب برئاسة بقيادة يقودهم يقودها")
"""Nouns whose possessor is usually a person: بعد مقتل [بن لادن]، برئاسة [مايكل لومبكين]."""
SCORE = 0.56  # below the lexicon and the head rules, above a propagated mention
NOT_NAMES = (
    STOPWORDS | PERSON_TITLES | COMMON_AFTER_TYPES | NATIONALITIES | NOT_NAME_NOUNS | ORG_HEADS | ORG_TYPES
) | (PLACE_TYPES | PLATFORM_TYPES | ACCOUNT_NOUNS | OUTLET_TYPE_WORDS)


def closed(ctx: Context, k: int) -> bool:
    """Punctuation, the end, a particle, a verb of saying or a ``و`` word after word ``k``."""
    return closed_after(ctx, k) or ctx.words[k + 1].key.startswith("و")


def name_word(word: Word) -> bool:
    """An indefinite word that may be a new name: no particle, title, adjective, digit or nisba."""
    key = word.key
    return (
        len(key) >= 3
        and not is_definite(word)
        and word.text[0].isalpha()
        and key not in NOT_NAMES
        and not key.endswith(("يه", "ين", "ون", "ات", "ها", "هم", "هما", "هن"))
        and (not key.endswith("ي") or LATIN_WORD.match(word.text) is not None)
    )


def _bare_name(word: Word) -> bool:
    """A name word after a bare preposition: five letters or more, no feminine, verb or verbal-noun form."""
    key = word.key
    return name_word(word) and len(key) >= 5 and not key.endswith(("ه", "وا")) and not VERBAL_NOUN.match(key)


def _type_word(word: Word, table: frozenset[str]) -> bool:
    """``word`` (proclitics aside) is an indefinite type word of ``table``."""
    return stem_in(word, table) is not None and not is_definite(word)


def bare_org_types(ctx: Context) -> Iterator[Candidate]:
    """تنظيم [داعش]، مناصري [داعش]: one indefinite name word after a type or member noun, closed."""
    for table, rule in ((BARE_ORG_TYPES, "cue:org-type"), (MEMBER_NOUNS, "cue:org-members")):
        for i in ctx.cued(table):
            if not _type_word(ctx.words[i], table):
                continue
            name = next_word(ctx, i)
            if name is not None and name_word(name) and not name.key.endswith("ه") and closed(ctx, i + 1):
                yield Candidate(name.start, name.end, Label.ORG, SCORE, None, rule)


def headed_orgs(ctx: Context) -> Iterator[Candidate]:
    """[وكالة أعماق]، [جامعة جورج واشنطن]: an indefinite head and one or two name words, closed."""
    for i in ctx.cued(ORG_HEADS):
        head = ctx.words[i]
        offset = stem_in(head, ORG_HEADS)
        if offset is None or is_definite(head) or stem_in(head, OUTLET_TYPE_WORDS) is not None:
            continue
        last = i
        while last - i < 2 and (nxt := next_word(ctx, last)) is not None and name_word(nxt):
            if nxt.key.endswith("ه"):
                break  # منظمة مستقلة، مبادرة مشتركة: a feminine adjective, no name
            last += 1
            if closed(ctx, last):
                yield Candidate(head.start + offset, nxt.end, Label.ORG, SCORE, None, "cue:org-named")
                break


def platform_cues(ctx: Context) -> Iterator[Candidate]:
    """تطبيق [تلغرام]؛ قنوات على [تيليغرام]: a name after an app type word or an account noun + على/عبر."""
    for i in ctx.cued(APP_TYPES):
        name = next_word(ctx, i)
        if (
            _type_word(ctx.words[i], APP_TYPES)
            and name is not None
            and name_word(name)
            and closed(ctx, i + 1)
        ):
            yield Candidate(name.start, name.end, Label.PLATFORM, SCORE, None, "cue:platform-type")
    for i in ctx.cued(ACCOUNT_NOUNS):
        through = next_word(ctx, i)
        if through is None or through.key not in THROUGH:
            continue
        name = next_word(ctx, i + 1)
        if name is not None and name_word(name) and closed(ctx, i + 2):
            yield Candidate(name.start, name.end, Label.PLATFORM, SCORE, None, "cue:platform-account")
    for i in ctx.cued(THROUGH):
        name = next_word(ctx, i)
        if name is not None and _bare_name(name) and closed(ctx, i + 1):
            yield Candidate(name.start, name.end, Label.PLATFORM, 0.5, None, "cue:platform-on")


def place_word(word: Word) -> bool:
    """A one-word place name: a new name (``name_word``), or a definite one that is no adjective."""
    if is_definite(word):
        bare = Word(word.start + 2, word.end, word.text[2:], word.key[2:])
        return name_word(bare) and word.key not in STOPWORDS
    return name_word(word)


def _place_after(ctx: Context, i: int) -> Candidate | None:
    """The one-word place after cue word ``i`` (``PLACE_CUES``), closed after it, or None."""
    word, name = ctx.words[i], next_word(ctx, i)
    if name is None:
        return None
    # ``closed`` last: it costs most, and every branch needs it
    if word.key in IN_PLACE:  # في، من: only a new name, no common noun of those phrases
        fits = name.key not in NOT_PLACES and _bare_name(name) and closed(ctx, i + 1)
        return Candidate(name.start, name.end, Label.LOC, 0.5, None, "cue:place-in") if fits else None
    if stem_in(word, EVENTS) is not None and (is_definite(name) or name.key.endswith("ه")):
        return None  # هجوم الدهس، هجمات متفرقة
    if stem_in(word, NAMED_PLACE_CUES) is None or not place_word(name) or not closed(ctx, i + 1):
        return None
    return Candidate(name.start, name.end, Label.LOC, SCORE, None, "cue:place-context")


_word_start = attrgetter("start")


def _end(word: Word) -> int:
    return word.end


def _dateline(ctx: Context) -> Iterator[Candidate]:
    """A dateline: one or two words opening a paragraph, then a dash or a date ([لاهاي] - أعلنت ...)."""
    ws = ctx.words
    starts = list(map(_word_start, ws))  # bisected without a key function: no Python call per probe
    opening, text = 0, ctx.text
    while opening >= 0:  # the first word of each paragraph, found by bisection
        i = bisect_left(starts, opening)
        opening = text.find("\n", opening + 1)
        if i >= len(ws) or (0 <= opening < ws[i].start):
            continue
        word = ws[i]
        for last in (i, i + 1):
            if last + 1 >= len(ws):
                break
            gap = text[ws[last].end : ws[last + 1].start]
            if gap == " ":
                continue  # the usual gap: no dash, no comma, no line break (the test below says the same)
            dated = gap.strip() in ("،", ",") and ws[last + 1].text[0].isdigit()
            if "\n" in gap or not (any(d in gap for d in DATELINE_DASHES) or dated):
                continue  # the words are read only before a dash (most paragraphs have none)
            if all(place_word(w) for w in ws[i : last + 1]):
                yield Candidate(word.start, ws[last].end, Label.LOC, SCORE, None, "cue:dateline")
            break


def place_cues(ctx: Context) -> Iterator[Candidate]:
    """قرب [الموصل]، شرقي [سوريا]، ريف [حلب]، هجمات [باريس]، في [كابل]، and datelines."""
    for i in ctx.cued(PLACE_CUES):
        if (found := _place_after(ctx, i)) is not None:
            yield found
    yield from _dateline(ctx)


def person_events(ctx: Context) -> Iterator[Candidate]:
    """بعد مقتل [أسامة بن لادن]، غياب [البنعلي]: a name of two words or more, or a nisba, after the noun.

    The name stops before a word on و: مقتل [X Y] و[Z W] are two people (``coordinated``).
    """
    ws = ctx.words
    for i in ctx.cued(PERSON_EVENTS):
        if (word := next_word(ctx, i)) is None:
            continue
        name = name_from(ctx, i + 1)
        if name is not None:
            last = next(
                (j - 1 for j in range(name[0] + 1, name[1] + 1) if ws[j].key.startswith("و")), name[1]
            )
            if last > name[0]:
                yield Candidate(ws[name[0]].start, ws[last].end, Label.PERSON, SCORE, None, "cue:event")
        elif is_nisba(word) and word.key[2:] not in NATIONALITIES and closed(ctx, i + 1):
            yield Candidate(word.start, word.end, Label.PERSON, SCORE, None, "cue:event")


def _conjunct(ctx: Context, k: int, label: Label) -> int:
    """The last word of a name joined by ``و`` to the name that ends at word ``k`` (a place may be
    definite, a person has one or two words), closed after it; ``k`` when there is none."""
    nxt = next_word(ctx, k)
    if nxt is None or not nxt.key.startswith("و") or len(nxt.key) < 4:
        return k
    bare = Word(nxt.start + 1, nxt.end, nxt.text[1:], nxt.key[1:])
    if label == Label.PERSON:
        second = next_word(ctx, k + 1)
        if (
            second is not None
            and name_word(bare)
            and continues_name(bare, second, False, ctx.lexicon.given)
            and not second.key.startswith("و")
            and closed(ctx, k + 2)
        ):
            return k + 2
        return k + 1 if name_word(bare) and closed(ctx, k + 1) and _single(ctx, k) else k
    fits = place_word(bare) if label == Label.LOC else name_word(bare)
    common = not is_definite(bare) and (bare.key.endswith("ه") or VERBAL_NOUN.match(bare.key) is not None)
    return k + 1 if fits and not common and closed(ctx, k + 1) else k


def _single(ctx: Context, k: int) -> bool:
    """Word ``k`` is a one-word name (هابيلون وماوتي): the word before it is no name word."""
    return k == 0 or not ctx.text[ctx.words[k - 1].end : ctx.words[k].start].isspace()


def coordinated(ctx: Context, found: Sequence[Candidate]) -> Iterator[Candidate]:
    """على تويتر و[إنستغرام] و[يوتيوب]، ستيفن سوتلوف و[ديفيد هينز]: names joined by و to a name."""
    ws, text = ctx.words, ctx.text
    for c in found:
        if c.label not in LISTING_LABELS or text[c.end + 1 : c.end + 2] != "و":
            continue
        k = bisect_left(ws, c.end, key=_end)
        if k >= len(ws) or ws[k].end != c.end:
            continue
        one_word = ws[k].start == c.start
        while (last := _conjunct(ctx, k, c.label)) > k:
            if c.label == Label.PERSON and last == k + 1 and not one_word:
                break
            yield Candidate(
                ctx.words[k + 1].start + 1,
                ctx.words[last].end,
                c.label,
                SCORE - 0.01,
                None,
                "cue:coordinated",
            )
            k = last
