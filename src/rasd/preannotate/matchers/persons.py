"""People: a name after a title cue and its descriptor, or between a speech verb and a title.

الباحثة سارة المطيري، وزير الخارجية الأردني أيمن الصفدي، وقال حسن الجبوري رئيس ...:
the title and its descriptor stay outside; the name runs over up to four words.
"""

from __future__ import annotations

from collections.abc import Iterator

from rasd.core.labels import Label
from rasd.preannotate.candidates import LATIN_WORD, Candidate, Context, is_definite, next_word
from rasd.preannotate.cues import (
    DESCRIPTOR_WORDS,
    KUNYA,
    NAME_LINKS,
    NAME_PARTICLES,
    NOT_NAME_NOUNS,
    ORG_HEADS,
    ORG_TYPES,
    PERSON_TITLES,
    SPEECH_VERBS,
    STOPWORDS,
    folded_set,
)
from rasd.text.arabic import Word, fold, stems

MAX_DESCRIPTOR = 8
MAX_CONSTRUCT = 3
MAX_ADVERB = 6  # بعيدا، حساسية; a longer word in ـا is a foreign name (روديانتارا)
_DESCRIPTOR_ENDS = '.:؛;!?()"«»'
_CLAUSE_ENDS = '.:؛;!?()"«»،,'
# The same marks and the line break, as sets: one ``isdisjoint`` per gap, not one ``in`` per mark.
_DESCRIPTOR_BREAKS = frozenset(_DESCRIPTOR_ENDS + "\n")
_CLAUSE_BREAKS = frozenset(_CLAUSE_ENDS + "\n")
_ORIGIN = fold("أصل")
_IN_PLACE = folded_set("في لدى")
_PRONOUNS = ("ه", "ها", "هم", "هما")
_SHORT_VOWELS, _KASRA = "\u064f", "\u0650"  # damma, kasra: the passive's marks (قُتل، اعتُقل)
CONSTRUCT_TITLES = folded_set(
    """رئيس رئيسة مدير مديرة مؤسس زعيم قائد وزير وزيرة وكيل مستشار مسؤول مسؤولة مفوض سفير
    باسم وزراء شركة مجموعة منصة مؤسسة تنظيم جماعة حركة"""
)
"""Indefinite nouns that need a possessor after them: مؤسس [تيليغرام] بافل دوروف، زعيم [بوكو حرام] ..."""
OWNER_SCORE = 0.5  # a guess at the label of the possessor: below every other rule


def could_start_name(word: Word, given: frozenset[str] = frozenset()) -> bool:
    """An indefinite word (or a given name: ألكسندر): no particle, title, head noun, number or Latin word."""
    return (
        (not is_definite(word) or word.key in given)
        and all(s.key not in STOPWORDS for s in stems(word))
        and word.key not in PERSON_TITLES
        and word.key not in ORG_HEADS
        and len(word.key) >= 2
        and not word.text[0].isdigit()
        and not LATIN_WORD.match(word.text)
    )


def continues_name(previous: Word, word: Word, has_two: bool, given: frozenset[str] = frozenset()) -> bool:
    """Whether ``word`` still belongs to a personal name that ends with ``previous``.

    After عبد/أبو/بن anything does (عبد المهدي); a definite word does when it is
    a nisba (الكعبي) or the name already has two words (خالد سليمان الجار); an
    indefinite word does unless it is a particle, a title, a head noun or a number.
    """
    key = word.key
    if key in STOPWORDS or key in PERSON_TITLES or key in SPEECH_VERBS or key in NOT_NAME_NOUNS:
        return False
    if previous.key in NAME_LINKS or previous.key in NAME_PARTICLES or key == "الله":
        return True  # أبو مُصعب: after a link even a vowelled word
    if any(_SHORT_VOWELS <= c <= _KASRA for c in word.text):
        return False  # قُتل، يُعتقد: a verb written with its vowels
    if key.startswith("و") and any(
        s.key in PERSON_TITLES or s.key in ORG_HEADS or s.key in given or s.key.endswith(_PRONOUNS)
        for s in stems(word)[1:]
    ):
        return False  # وزير ...، ووليد ...، العدناني ورفاقه: a new phrase
    if is_definite(word):
        return key.endswith("ي") or has_two or previous.key in given or previous.key in KUNYA
    return key not in ORG_HEADS and not word.text[0].isdigit()


def name_from(ctx: Context, i: int) -> tuple[int, int] | None:
    """The words ``[i, j]`` of a personal name starting at word ``i``, or None."""
    ws = ctx.words
    given = ctx.lexicon.given
    if i >= len(ws) or not could_start_name(ws[i], given):
        return None
    last = i
    while (
        (nxt := next_word(ctx, last)) is not None
        and last - i < 3
        and continues_name(ws[last], nxt, last > i, given)
    ):
        last += 1
    return i, trim_name(ctx, i, last)


def _plain(word: Word) -> bool:
    """A word a name may hold after its first: no preposition + article (بالمقترحات), no ـا (متحدثا)."""
    return not word.key.endswith("ا") and not any(s.offset and s.key.startswith("ال") for s in stems(word))


def is_nisba(word: Word) -> bool:
    """A definite word in ـي (البغدادي، القرشي): the end of a kunya or nasab name."""
    return is_definite(word) and word.key.endswith("ي") and len(word.key) >= 5


def clause_ends_after(ctx: Context, k: int) -> bool:
    """Whether punctuation (or the end of the text) follows word ``k``."""
    ws = ctx.words
    if k + 1 >= len(ws):
        return True
    gap = ctx.text[ws[k].end : ws[k + 1].start]
    return not _CLAUSE_BREAKS.isdisjoint(gap)  # a line break or punctuation


def trim_name(ctx: Context, i: int, last: int) -> int:
    """The last word of the name in the run ``[i, last]``.

    A run that punctuation closes is taken whole (طه صبحي فلاحة،).  Otherwise
    the name is two words (a kunya and its name count as one: أبو بكر
    البغدادي), then only links, foreign particles and nisbas extend it, so the
    verb or noun after a name stays out (دونالد ترامب مقتل ...).
    """
    ws = ctx.words
    if clause_ends_after(ctx, last) and all(_plain(w) for w in ws[i + 1 : last + 1]):
        return last
    kunya = ws[i].key in KUNYA
    compound = (ws[i].key in NAME_LINKS and not kunya) or (i < last and ws[i + 1].key == "الله")
    k = min(i + (2 if compound else 1), last)  # عبد الله، ذبيح الله + a name
    while k < last and (
        ws[k].key in NAME_LINKS
        or ws[k].key in NAME_PARTICLES
        or ws[k].key in ctx.lexicon.given
        or is_nisba(ws[k + 1])
        or (kunya and is_definite(ws[k + 1]) and not is_nisba(ws[k]))
        or ws[k + 1].key == "الله"
    ):
        k += 1
    return k


def _known_name(ctx: Context, word: Word) -> bool:
    """Whether a reading of ``word`` is, or begins, a name the lexicon knows (يوروبول، لغوغل، بوكو)."""
    lexicon = ctx.lexicon
    return any(
        s.key in lexicon.prefixes or any(e.label != Label.PERSON for e in lexicon.exact.get(s.key, ()))
        for s in stems(word)
        if len(s.key) >= 3
    )


def _in_descriptor(ctx: Context, word: Word) -> bool:
    """A definite word (also after ب/ل: بالقضايا), a head noun, a title or a known name."""
    stem_definite = any(s.key.startswith("ال") and s.offset for s in stems(word)) and word.key[:1] in "بل"
    return (
        (is_definite(word) and word.key not in ctx.lexicon.given)
        or stem_definite
        or word.key in ORG_HEADS
        or word.key in ORG_TYPES
        or word.key in DESCRIPTOR_WORDS
        or word.key in PERSON_TITLES
        or (word.key not in ctx.lexicon.given and _known_name(ctx, word))
    )


def _construct_noun(ctx: Context, word: Word) -> bool:
    """A noun in ة/ات or after ل/ب that is no given name: مكافحة، سياسات، لدراسة."""
    key = word.key
    if key in ctx.lexicon.given:
        return False
    return key.endswith(("ه", "ات")) or (key[:1] in "لب" and len(key) >= 4)


def _construct(ctx: Context, k: int) -> int:
    """The words of a construct chain from word ``k`` to the definite word that closes it, or 0.

    شرطة مكافحة الإرهاب، مكافحة التطرف، لدراسة التطرف: a descriptor, no name.
    """
    end = k
    head = ctx.words[k - 1] if k > 0 else None
    after_head = head is not None and head.key in ORG_HEADS and not is_definite(head)  # معهد تحليل ...
    while (after_head or _construct_noun(ctx, ctx.words[end])) and end - k < MAX_CONSTRUCT:
        if ctx.words[end].key in ctx.lexicon.given or ctx.words[end].key in STOPWORDS:
            return 0
        after = next_word(ctx, end)
        if after is None:
            return 0
        if is_definite(after) and after.key not in ctx.lexicon.given:
            return end + 2 - k
        end += 1
    return 0


def skip_descriptor(ctx: Context, i: int) -> int:
    """The first word after a title's descriptor (adjectives, construct nouns, one comma); -1 if none."""
    ws = ctx.words
    k = i + 1
    commas = 0
    while k < len(ws) and k - i <= MAX_DESCRIPTOR:
        gap = ctx.text[ws[k - 1].end : ws[k].start]
        if not _DESCRIPTOR_BREAKS.isdisjoint(gap):  # a line break or punctuation
            return -1
        comma = "،" in gap or "," in gap
        commas += comma
        if commas > 1 or (comma and ws[k].key.startswith("و") and ws[k].key not in ctx.lexicon.given):
            return -1  # الزعيم الفار، وشكر ...: a new clause
        if _in_descriptor(ctx, ws[k]):
            k += 1
        elif chain := _construct(ctx, k):
            k += chain  # مفوضة مكافحة التطرف، مدير المركز الدولي لدراسة التطرف
        elif ws[k].key in _IN_PLACE and k + 1 < len(ws) and _in_descriptor(ctx, ws[k + 1]):
            k += 2  # مسؤول المركز الإعلامي في قسد، ...
        elif ws[k].key == "من" and k + 2 < len(ws) and ws[k + 1].key == _ORIGIN:
            k += 3  # من أصل عراقي
        else:
            return k
    return -1


def _person(ctx: Context, name: tuple[int, int], rule: str) -> Candidate:
    return Candidate(ctx.words[name[0]].start, ctx.words[name[1]].end, Label.PERSON, 0.6, None, rule)


def _after_owner(ctx: Context, k: int) -> tuple[int, tuple[int, int]] | None:
    """The possessor's last word and the name after it, when word ``k`` follows a construct title.

    مؤسس تيليغرام بافل دوروف، مدير يوروبول، روب وينرايت، زعيم بوكو حرام أبو بكر شيكاو: the
    indefinite title needs a possessor (an organisation, platform or place the lexicon does
    not know), and the person's name follows it.  None when no two-word name follows.
    """
    ws = ctx.words
    if k < 1 or is_definite(ws[k - 1]) or ws[k - 1].key not in CONSTRUCT_TITLES:
        return None
    for owner_end in (k, k + 1):
        start = owner_end + 1
        if start >= len(ws) or "\n" in ctx.text[ws[owner_end].end : ws[start].start]:
            return None
        if owner_end > k and ws[start].key not in NAME_LINKS:
            continue  # a two-word possessor only before a kunya or nasab (بوكو حرام أبو بكر)
        gap = ctx.text[ws[owner_end].end : ws[start].start]
        if gap.strip() not in ("", "،", ","):
            return None
        name = name_from(ctx, start)
        if name is not None and name[1] > name[0] and not ws[owner_end].key.startswith("و"):
            return owner_end, name
    return None


def titled_people(ctx: Context) -> Iterator[Candidate]:
    """A name after a title and its descriptor (a speech verb before a name: ``people.speakers``)."""
    for i in ctx.cued(PERSON_TITLES):
        k = skip_descriptor(ctx, i)
        name = name_from(ctx, k) if k >= 0 else None
        if name is None or _adverb_or_abstract(ctx, name):
            continue
        owned = _after_owner(ctx, k)
        if owned is not None:
            owner_end, name = owned
            yield Candidate(
                ctx.words[k].start, ctx.words[owner_end].end, Label.ORG, OWNER_SCORE, None, "owner"
            )
        yield _person(ctx, name, "cue:title")


def _adverb_or_abstract(ctx: Context, name: tuple[int, int]) -> bool:
    """A one-word "name" in ـا or ـية that no given name explains: بعيدا، حساسية."""
    word = ctx.words[name[0]]
    short = len(word.key) <= MAX_ADVERB
    return (
        name[0] == name[1] and short and word.key.endswith(("ا", "يه")) and word.key not in ctx.lexicon.given
    )
