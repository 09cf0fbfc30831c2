"""People without a title: a known given name, a kunya, or a speaker named by a verb of saying.

* ``given_names``: a word in the built-in given-name list (``data/given_names.txt``)
  starts a name of two or more words (مارك زوكربيرغ، أنور العولقي، رامي عبد الرحمن).
* ``kunyas``: أبو/أبي/أبا/أم + a name, and the nisbas after it (أبي إبراهيم الهاشمي القرشي).
* ``speakers``: a verb of saying, then a name, then إن/أن, a comma or a title
  (وقال ترامب إن ...، وتقول مونيكا بيكرت، مسؤولة ...).

The name's extent is ``persons.name_from``: titles stay outside, and a run that no
punctuation closes keeps two words and what links or nisbas add.
"""

from __future__ import annotations

from collections.abc import Iterator

from rasd.core.labels import Label
from rasd.preannotate.candidates import Candidate, Context, is_definite, next_word, stem_in
from rasd.preannotate.cues import (
    KUNYA,
    NAME_LINKS,
    NATIONALITIES,
    PARTICLE_STARTS,
    PERSON_TITLES,
    SAYING_ONLY,
    SPEAKER_NOUNS,
    SPEECH_VERBS,
    STOPWORDS,
    folded_set,
)
from rasd.preannotate.matchers.orgs import is_nationality
from rasd.preannotate.matchers.persons import clause_ends_after, could_start_name, name_from
from rasd.text.arabic import fold, stems

SCORE = 0.6
WEAK = 0.5  # below a name found again (0.55): a given name alone, a one-word speaker
_THAT = folded_set("إن أن إنه أنه إنها أنها")
_NAME_WORD = folded_set("اسمه اسمها")
_REAL = fold("الحقيقي")
MAX_REAL_NAME = 5
NATIONALITY_KEYS = frozenset(f"ال{n}{end}" for n in NATIONALITIES for end in ("", "ه"))


def _person(ctx: Context, start: int, last: int, rule: str, score: float = SCORE) -> Candidate:
    return Candidate(start, ctx.words[last].end, Label.PERSON, score, None, rule)


def given_names(ctx: Context) -> Iterator[Candidate]:
    """A given name and the words of the name that follow it (two words at least)."""
    given = ctx.lexicon.given
    if not given:
        return
    ws = ctx.words
    before_particles = [i - 1 for i in ctx.cued(PARTICLE_STARTS) if i]
    for i in sorted({*ctx.cued(given), *before_particles}):
        word = ws[i]
        offset = stem_in(word, given)
        if offset is None or word.key[: len(word.text[:offset])] not in ("", "و"):
            offset = _before_particle(ctx, i)
        if offset is None or (i and ws[i - 1].key in NAME_LINKS and next_word(ctx, i - 1) is not None):
            continue
        name = name_from(ctx, i)
        if name is not None and name[1] > i:
            yield _person(ctx, word.start + offset, name[1], "cue:given", WEAK)


def _before_particle(ctx: Context, i: int) -> int | None:
    """0 when word ``i`` is followed by دي/فان/فون/دير and a word (جيل دي كيرشوف), else None."""
    particle = next_word(ctx, i)
    if particle is None or particle.key not in PARTICLE_STARTS:
        return None
    word = ctx.words[i]
    if stem_in(word, SPEECH_VERBS) is not None:
        return None  # ودعا دي كيرشوف: the verb before the name
    return 0 if next_word(ctx, i + 1) is not None and could_start_name(word) else None


def kunyas(ctx: Context) -> Iterator[Candidate]:
    """أبو/أبي/أبا/أم + a name (+ nisbas): the kunya is part of the name."""
    ws = ctx.words
    for i in ctx.cued(KUNYA):
        word = ws[i]
        offset = stem_in(word, KUNYA)
        if offset is None or next_word(ctx, i) is None:
            continue
        name = name_from(ctx, i)
        if name is not None and name[1] > i:
            yield _person(ctx, word.start + offset, name[1], "cue:kunya")


def _speaker_ends(ctx: Context, last: int, two: bool = False) -> bool:
    """What may follow a speaker's name: إن/أن, or a comma or title before the rest.

    A two-word name may also end at a preposition or particle (وكتب بافل دوروف على صفحته).
    """
    after = next_word(ctx, last)
    if after is not None:
        if two and after.key in STOPWORDS:
            return True
        return any(s.key in _THAT or s.key in PERSON_TITLES for s in stems(after))
    ws = ctx.words
    return last + 1 < len(ws) and ctx.text[ws[last].end : ws[last + 1].start].strip() in ("،", ",")


def _one_word_name(key: str) -> bool:
    """A one-word speaker: no ـا/ـها ending (حينها، ذاكرا), no ل before it (لديارنا)."""
    return not key.endswith(("ا", "ها")) and not key.startswith("ل")


def _two_plain_words(ctx: Context, name: tuple[int, int]) -> bool:
    """Exactly two indefinite words, no number: a first and a family name (بافل دوروف)."""
    ws = ctx.words[name[0] : name[1] + 1]
    return len(ws) == 2 and all(not w.key.startswith("ال") and w.text[0].isalpha() for w in ws)


def nationals(ctx: Context) -> Iterator[Candidate]:
    """A nationality used as a noun, then a name of two words or more: ظهر البلجيكي [عبد الحميد أباعود].

    After a definite noun the nationality is its adjective (القوات العراقية قصفت مواقع), and no cue.
    """
    ws = ctx.words
    for i in ctx.cued(NATIONALITY_KEYS):
        word = ws[i]
        if not is_nationality(word) or (i and is_definite(ws[i - 1]) and next_word(ctx, i - 1) is word):
            continue
        if next_word(ctx, i) is None:
            continue
        name = name_from(ctx, i + 1)
        if name is not None and name[1] > name[0] and _closed_name(ctx, name[1]):
            yield _person(ctx, ws[name[0]].start, name[1], "cue:nationality")


def _closed_name(ctx: Context, last: int) -> bool:
    """Punctuation, a particle or preposition, a و-word or a verb of saying after the name's last word."""
    after = next_word(ctx, last)
    if after is None:
        return True
    return after.key in STOPWORDS or after.key.startswith("و") or stem_in(after, SPEECH_VERBS) is not None


def real_names(ctx: Context) -> Iterator[Candidate]:
    """The name after واسمه الحقيقي / واسمها الحقيقي, up to the punctuation that closes it."""
    ws = ctx.words
    for i in ctx.cued(_NAME_WORD):
        real = next_word(ctx, i)
        if real is None or real.key != _REAL:
            continue
        last = i + 2
        while last < len(ws) and last - i <= MAX_REAL_NAME and not clause_ends_after(ctx, last):
            last += 1
        if last < len(ws) and clause_ends_after(ctx, last) and last - i <= MAX_REAL_NAME + 1:
            yield _person(ctx, ws[i + 2].start, last, "cue:real-name")


def speakers(ctx: Context) -> Iterator[Candidate]:
    """A verb of saying, then a name ending at إن/أن, a comma or a title."""
    ws = ctx.words
    for i in ctx.cued(SPEECH_VERBS):
        if next_word(ctx, i) is None:
            continue
        if stem_in(ws[i + 1], SPEAKER_NOUNS) is not None:
            continue
        name = name_from(ctx, i + 1)
        if name is not None and name[0] == name[1] and not _one_word_name(ws[name[0]].key):
            continue
        two = (
            _two_plain_words(ctx, name)
            if name is not None and stem_in(ws[i], SAYING_ONLY) is not None
            else False
        )
        if name is not None and _speaker_ends(ctx, name[1], two):
            score = SCORE if name[1] > name[0] else WEAK
            yield _person(ctx, ws[name[0]].start, name[1], "cue:speaker", score)
