"""Name matching: registry aliases and built-in lists, found in text with Arabic variants.

A name is looked up by a *phrase key*: its words folded (``rasd.arabic.fold``)
and joined without spaces, so ``فيس بوك`` and ``فيسبوك``, ``واتس آب`` and
``واتساب`` share a key.  Alias generation adds, for platforms, the form with and
without the article (``التليغرام``/``تيليغرام``), and for platforms and
organisations a *loose* key (``skeleton``) that ignores the long vowels and the
letter chosen for a foreign g, so ``تيليغرام``, ``تليغرام``, ``تلغرام``,
``تليجرام`` and ``تيليكرام`` all meet.  Matching runs word by word; the first
word may carry proclitics (و/ف/ب/ل/ك and their combinations), which stay
outside the span.  Every match is reported in offsets of the text as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress
from typing import NamedTuple, Protocol

from rasd.core.labels import Label
from rasd.gold.entities import Registry
from rasd.preannotate.gazetteer import GazetteerEntry, given_names, organisations, places, platforms
from rasd.preannotate.wordkeys import (
    MAX_MEMO,
    joined_at,
    key_index,
    loose_keys_in,
    loose_readings,
    skeleton,
    word_surfaces,
)
from rasd.preannotate.wordkeys import (
    word_key_index as word_key_index,  # re-exported: callers of the lexicon's matching find it here
)
from rasd.text.arabic import Stem, Word, is_arabic, words

MAX_WORDS = 8
LOOSE_LABELS = frozenset({Label.PLATFORM, Label.ORG})
MIN_SKELETON = 4  # shorter skeletons (تويتر -> تتر) collide with ordinary words


@lru_cache(maxsize=1 << 16)
def phrase_key(text: str) -> str:
    """The matching key of a name: its folded words joined without spaces."""
    return "".join(w.key for w in words(text))


GENERIC_WITH_ARTICLE = frozenset({"مسنجر", "ماسنجر"})
"""Platform names that with the article are a generic word (برامج المسنجر: messaging apps)."""


def article_variants(key: str) -> set[str]:
    """A platform name with and without the article: ``تيليغرام`` <-> ``التيليغرام``."""
    if not is_arabic(key) or key in GENERIC_WITH_ARTICLE:
        return {key}
    if key.startswith("ال") and len(key) > 4:
        return {key, key[2:]}
    return {key, "ال" + key}


@dataclass(frozen=True)
class Entry:
    """What a key stands for: a label, the normalised value its spans carry, a confidence."""

    label: Label
    value: str | None
    score: float
    source: str


@dataclass
class Lexicon:
    """Keys to entries, exact and loose; built once per registry, then shared."""

    exact: dict[str, list[Entry]] = field(default_factory=dict)
    loose: dict[str, list[Entry]] = field(default_factory=dict)
    max_words: int = 1
    # Keys of the first k words of a multi-word name: matching stops as soon as a
    # phrase is no name's beginning, so a long text costs one lookup per word.
    prefixes: set[str] = field(default_factory=set)
    loose_prefixes: set[str] = field(default_factory=set)
    # Folded given names (built-in list): evidence that a word begins a personal name.
    given: frozenset[str] = frozenset()

    def add(self, name: str, entry: Entry) -> None:
        count, variants = name_keys(name, entry.label)
        if not variants:
            return
        self.max_words = min(MAX_WORDS, max(self.max_words, count))
        exact, loose = self.exact, self.loose
        for keys in variants:
            _add_unique(exact.setdefault(keys.key, []), entry)
            if keys.loose is not None:
                loose_entry = _loose_entry(entry.label, entry.value, entry.score)
                _add_unique(loose.setdefault(keys.loose, []), loose_entry)
            if keys.prefixes:
                self.prefixes.update(keys.prefixes)
            if keys.loose_prefixes:
                self.loose_prefixes.update(keys.loose_prefixes)


@lru_cache(maxsize=1 << 12)
def _loose_entry(label: Label, value: str | None, score: float) -> Entry:
    """The entry a loose key files for a name of ``label`` and ``value`` (shared: entries are frozen)."""
    return Entry(label, value, min(score, 0.7), "loose")


@dataclass(frozen=True)
class NameKeys:
    """What ``Lexicon.add`` files a name under, for one of its spellings (with or without the article)."""

    key: str
    loose: str | None  # None: no loose key (not a platform or organisation, or too short)
    prefixes: tuple[str, ...]
    loose_prefixes: tuple[str, ...]


@lru_cache(maxsize=1 << 14)
def name_keys(name: str, label: Label) -> tuple[int, tuple[NameKeys, ...]]:
    """The number of words of ``name`` and its keys (cached: the same names recur in every document)."""
    parts = [w.key for w in words(name)]
    key = "".join(parts)
    if not key:
        return len(parts), ()
    found = []
    for variant in article_variants(key) if label == Label.PLATFORM else {key}:
        loose = skeleton(variant)
        with_loose = label in LOOSE_LABELS and is_arabic(variant) and len(loose) >= MIN_SKELETON
        prefixes: list[str] = []
        loose_prefixes: list[str] = []
        head = variant[: len(variant) - len("".join(parts[1:]))]
        for k in range(1, len(parts)):
            prefix = head + "".join(parts[1:k])
            prefixes.append(prefix)
            if with_loose:
                loose_prefixes.append(skeleton(prefix))
        # a name written as one word may appear as two (فيسبوك / فيس بوك)
        if with_loose or label == Label.PLATFORM:
            for cut in range(2, len(variant) - 1):
                prefixes.append(variant[:cut])
                if with_loose:
                    loose_prefixes.append(skeleton(variant[:cut]))
        found.append(NameKeys(variant, loose if with_loose else None, tuple(prefixes), tuple(loose_prefixes)))
    return len(parts), tuple(found)


def _add_unique(entries: list[Entry], entry: Entry) -> None:
    """One entry per (label, value): the first, most confident source wins."""
    label, value = entry.label, entry.value
    for e in entries:  # a loop, not any(): most keys have one entry
        if e.label == label and e.value == value:
            return
    entries.append(entry)


class EntityLike(Protocol):
    """What the lexicon needs of a registry entity (``rasd.entities.Entity`` has it)."""

    @property
    def label(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def wikidata(self) -> str | None: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def value(self) -> str: ...


def dropped_name(name: str, dropped: frozenset[str]) -> bool:
    """Whether ``name`` is one of the ``dropped`` phrase keys (with or without the article, or loosely)."""
    if not dropped:
        return False
    loose = {skeleton(d) for d in dropped}
    return any(v in dropped or skeleton(v) in loose for v in article_variants(phrase_key(name)))


def build_lexicon(
    entities: Iterable[EntityLike], *, builtins: bool = True, drop: frozenset[str] = frozenset()
) -> Lexicon:
    """The lexicon of registry ``entities`` plus, with ``builtins``, the general lists.

    A built-in platform that the registry also lists (same Wikidata QID, or a
    shared spelling) carries the registry's id as its value, so values stay
    canonical.  Names whose phrase key is in ``drop`` are left out (the honest
    leave-one-out: no name the scored text contains).
    """
    lexicon = Lexicon()
    registered = list(entities)
    for entity in registered:
        for alias in (*entity.aliases, entity.name):
            if alias == entity.name and entity.label == Label.PERSON:
                continue  # a person's canonical name is Latin-script, rarely written in Arabic text
            if not dropped_name(alias, drop):
                lexicon.add(alias, Entry(Label[entity.label], entity.value, 0.9, "registry"))
    if builtins:
        for item in (*platforms(), *organisations(), *places()):
            value = _registry_value(item, registered)
            for name in item.names:
                if not dropped_name(name, drop):
                    lexicon.add(name, Entry(item.label, value, 0.85, "builtin"))
        lexicon.given = given_names() - drop
    return lexicon


def _registry_value(item: GazetteerEntry, registered: Sequence[EntityLike]) -> str | None:
    keys = {phrase_key(n) for n in item.names}
    for entity in registered:
        if entity.label != item.label:
            continue
        if item.wikidata and entity.wikidata == item.wikidata:
            return entity.value
        if keys & {phrase_key(a) for a in entity.aliases}:
            return entity.value
    return item.id if item.label in LOOSE_LABELS else None


@lru_cache(maxsize=8)
def registry_lexicon(registry: Registry) -> Lexicon:
    """The lexicon of a registry plus the built-in lists (cached: registries are immutable)."""
    return build_lexicon(registry.entities)


class Match(NamedTuple):
    """A name found in a text: its offsets and the entry it stands for (a named tuple: built per name)."""

    start: int
    end: int
    entry: Entry


@dataclass
class _Starts:
    """What ``match_names`` asks of a lexicon at every word, built once per lexicon state.

    ``signature`` is the sizes of the tables it was built from: a lexicon that grew
    (``Lexicon.add``) gets new ones.  ``readings`` memoises, per word surface, the
    readings (``stems``) that begin a name exactly or loosely, with their loose keys, and their
    ``_Plan`` (the best one-word name, the readings a longer one may begin with); ``pairs``, per word
    surface and next word's key, whether a reading and that key begin a name (``_begins_with``).
    """

    signature: tuple[int, int, int, int]
    starts: set[str]  # sets, not frozensets: ``set.intersection`` of a smaller dict iterates the dict
    loose_starts: set[str]
    readings: dict[str, _Reading]  # surface -> the readings that begin a name, and its ``_Plan``
    pairs: dict[tuple[str, str], bool] = field(default_factory=dict)  # (surface, next key) -> begins a name
    seen: set[str] = field(default_factory=set)  # reading keys tested by ``_starting``
    hits: set[str] = field(default_factory=set)  # those of them that begin a name, exactly or loosely
    used: bool = False  # whether ``_starting`` ran on it: a table used once (a document's) remembers nothing


def _signature(lexicon: Lexicon) -> tuple[int, int, int, int]:
    return len(lexicon.exact), len(lexicon.loose), len(lexicon.prefixes), len(lexicon.loose_prefixes)


def _starts(lexicon: Lexicon) -> _Starts:
    """The lexicon's ``_Starts``, cached on it while its tables keep their sizes."""
    signature = _signature(lexicon)
    cached: _Starts | None = lexicon.__dict__.get("_starts")
    if cached is None or cached.signature != signature:
        cached = _Starts(
            signature,
            set(lexicon.exact.keys() | lexicon.prefixes),
            set(lexicon.loose.keys() | lexicon.loose_prefixes),
            {},
        )
        lexicon.__dict__["_starts"] = cached
    return cached


def _readings(surface: str, starts: _Starts, lexicon: Lexicon) -> _Reading:
    """The readings of a word written ``surface`` whose key, or its loose key, begins a name, and what
    ``match_names`` does with them (``_plan``; memoised per surface)."""
    memo = starts.readings
    found = memo.get(surface)
    if found is None:
        exact, loose = starts.starts, starts.loose_starts
        kept: list[tuple[Stem, str]] = []
        for reading in loose_readings(surface):  # a loop, not a generator: a reading or two
            if reading[0].key in exact or reading[1] in loose:
                kept.append(reading)
        readings = tuple(kept)
        found = _Reading(readings, *_plan(readings, lexicon))
        if len(memo) >= MAX_MEMO:
            memo.clear()
        memo[surface] = found
    return found


def _starting(index: Mapping[str, Sequence[int]], table: _Starts) -> list[int]:
    """The indices, in order, of the words with a reading whose key, or loose key, begins a name.

    Which keys begin a name is remembered on ``table`` (a lexicon reused across texts meets few
    new keys); the new ones are tested by set operations and ``compress``, no Python step per key.
    A table's first text remembers nothing (``_starting_once``): a document's own lexicon has one.
    """
    if not table.used:
        table.used = True
        return _starting_once(index, table)
    if not table.seen.issuperset(index):  # one pass over the index; the difference only when needed
        new = index.keys() - table.seen
        if len(table.seen) >= MAX_MEMO:
            table.seen.clear()
            table.hits.clear()
            new = set(index)
        table.hits.update(table.starts.intersection(new))
        if table.loose_starts:
            table.hits.update(compress(new, map(table.loose_starts.__contains__, map(skeleton, new))))
        table.seen.update(new)
    keys = table.hits.intersection(index)
    return sorted(set(chain.from_iterable(map(index.__getitem__, keys))))


def _starting_once(index: Mapping[str, Sequence[int]], table: _Starts) -> list[int]:
    """``_starting`` without remembering: the keys that begin a name taken from the smaller side.

    The keys whose loose key begins a name are looked up by loose key (``loose_keys_in``), not
    found by computing every key's loose key: a document's own lexicon has few loose beginnings.
    """
    starts = table.starts
    keys = [k for k in starts if k in index] if len(starts) < len(index) else starts.intersection(index)
    if table.loose_starts:
        keys = [*keys, *loose_keys_in(index, table.loose_starts)]
    return sorted(set(chain.from_iterable(map(index.__getitem__, keys))))


def match_names(
    text: str, ws: Sequence[Word], lexicon: Lexicon, index: Mapping[str, Sequence[int]] | None = None
) -> list[Match]:
    """Every lexicon name in ``text``: at each word, the longest match (exact before loose).

    Only the words with a reading whose key, or loose key, begins a name are looked at: found
    in ``index`` (``key_index`` of the words, which the caller may have at hand) by set lookups.
    """
    table = _starts(lexicon)
    if index is None:
        index = key_index(word_surfaces(ws))
    found: list[Match] = []
    pairs, memo, last = table.pairs, table.readings, len(ws) - 1
    for i in _starting(index, table):
        surface = ws[i].text
        # the memo asked here first: a ``_Reading`` is a tuple of three, never false
        readings, longer, alone = memo.get(surface) or _readings(surface, table, lexicon)
        # a longer name may begin here only if the next word's key continues a reading
        if longer and i < last:
            pair = (surface, ws[i + 1].key)
            begins = pairs.get(pair)
            if begins is None:
                begins = _begins_with(readings, pair[1], table)
                if len(pairs) >= MAX_MEMO:
                    pairs.clear()
                pairs[pair] = begins
            if begins:
                best = _longer_at(text, ws, i, longer, lexicon)
                if best is not None:
                    found += [Match(best[0], best[1], entry) for entry in best[2]]
                    continue
        if alone is not None:
            offset, exact, key = alone
            start, end = ws[i][0] + offset, ws[i][1]
            found += [Match(start, end, entry) for entry in (lexicon.exact if exact else lexicon.loose)[key]]
    return found


class _Reading(NamedTuple):
    """A surface's readings that begin a name (``_readings``), and its ``_Plan``."""

    readings: tuple[tuple[Stem, str], ...]
    longer: tuple[tuple[Stem, str], ...]
    alone: tuple[int, bool, str] | None


class _Plan(NamedTuple):
    """What ``match_names`` does at a word that begins a name, per surface (``_plan``)."""

    longer: tuple[tuple[Stem, str], ...]  # the readings a longer name may begin with, in order
    alone: tuple[int, bool, str] | None  # the best one-word name: stem offset, exact, key filed under


def _plan(readings: tuple[tuple[Stem, str], ...], lexicon: Lexicon) -> _Plan:
    """``_best_at`` split in two: the best one-word name (fixed per surface) and the readings that begin
    a longer one (``key in prefixes`` or ``loose in loose_prefixes``, tried word by word at each use).

    A longer name always outranks a one-word one (its rank begins with its number of words), so
    ``_best_at`` is the longer names' best when there is one, else the one-word best.
    """
    exact_table, loose_table = lexicon.exact, lexicon.loose
    prefixes, loose_prefixes = lexicon.prefixes, lexicon.loose_prefixes
    best: tuple[tuple[int, int], tuple[int, bool, str]] | None = None
    longer = []
    for stem, loose in readings:
        key = stem.key
        if key in prefixes or loose in loose_prefixes:
            longer.append((stem, loose))
        if exact_table.get(key):
            rank, found = (1, -stem.offset), (stem.offset, True, key)
        elif len(key) >= MIN_SKELETON and loose_table.get(loose):
            rank, found = (0, -stem.offset), (stem.offset, False, loose)
        else:
            continue
        if best is None or rank > best[0]:
            best = rank, found
    return _Plan(tuple(longer), None if best is None else best[1])


def _longer_at(
    text: str, ws: Sequence[Word], i: int, readings: Sequence[tuple[Stem, str]], lexicon: Lexicon
) -> tuple[int, int, list[Entry]] | None:
    """The best name of two words or more beginning at word ``i`` (``_best_at``'s rank), or None.

    ``readings``: those that begin a longer name (``_Plan.longer``), in ``_best_at``'s order.
    """
    exact_table, loose_table = lexicon.exact, lexicon.loose
    prefixes, loose_prefixes = lexicon.prefixes, lexicon.loose_prefixes
    best: tuple[tuple[int, int, int], int, int, list[Entry]] | None = None
    count = len(ws)
    for stem, _ in readings:
        key = stem.key
        for n in range(2, lexicon.max_words + 1):
            # a loose key only when asked: most keys are an exact name or its beginning
            if n > 2 and key not in prefixes and skeleton(key) not in loose_prefixes:
                break
            j = i + n - 1
            if j >= count:
                break
            right = ws[j]
            # one space (most gaps) asked here: ``joined_at`` only for the others
            if text[ws[j - 1].end : right.start] != " " and not joined_at(text, ws, j):
                break
            key += right.key
            exact = exact_table.get(key)
            entries = exact
            if not exact and len(key) >= MIN_SKELETON and len(stem.key) >= 3:
                entries = loose_table.get(skeleton(key))  # a particle (أو) never starts a loose name
            if not entries:
                continue
            rank = (n, 1 if exact else 0, -stem.offset)
            if best is None or rank > best[0]:
                best = (rank, ws[i].start + stem.offset, ws[j].end, entries)
    return None if best is None else (best[1], best[2], best[3])


def _begins_with(readings: tuple[tuple[Stem, str], ...], after: str, table: _Starts) -> bool:
    """Whether a reading's key followed by the key ``after`` of the next word begins a name, exactly or
    loosely.  Most words that begin a longer name (في of فيس بوك) begin none."""
    starts, loose_starts = table.starts, table.loose_starts
    for stem, _ in readings:  # loops, not any(): a reading or two
        key = stem.key + after
        if key in starts or skeleton(key) in loose_starts:
            return True
    return False


def _best_at(
    text: str, ws: Sequence[Word], i: int, readings: tuple[tuple[Stem, str], ...], lexicon: Lexicon
) -> tuple[tuple[int, int, int], int, int, list[Entry]] | None:
    """The longest name beginning at word ``i`` (rank: words, exact before loose, fewer proclitics)."""
    exact_table, loose_table = lexicon.exact, lexicon.loose
    prefixes, loose_prefixes = lexicon.prefixes, lexicon.loose_prefixes
    best: tuple[tuple[int, int, int], int, int, list[Entry]] | None = None
    first = ws[i]
    for stem, loose in readings:
        key = stem.key
        for n in range(1, lexicon.max_words + 1):
            if n > 1:
                if key not in prefixes and loose not in loose_prefixes:
                    break
                j = i + n - 1
                if j >= len(ws) or not joined_at(text, ws, j):
                    break
                key += ws[j].key
                loose = skeleton(key)
            exact = exact_table.get(key)
            entries = exact
            if not exact and len(key) >= MIN_SKELETON and (n == 1 or len(stem.key) >= 3):
                entries = loose_table.get(loose)  # a particle (أو) never starts a loose name
            if not entries:
                continue
            rank = (n, 1 if exact else 0, -stem.offset)
            if best is None or rank > best[0]:
                best = (rank, first.start + stem.offset, ws[i + n - 1].end, entries)
    return best


def lookup(surface: str, lexicon: Lexicon, label: str) -> str | None:
    """The value of a whole span text with ``label``: exact key, then without article, then loose."""
    key = phrase_key(surface)
    candidates = [key, key[2:] if key.startswith("ال") else "ال" + key]
    for table, keys in ((lexicon.exact, candidates), (lexicon.loose, [skeleton(k) for k in candidates])):
        for k in keys:
            for entry in table.get(k, []):
                if entry.label == label and entry.value is not None:
                    return entry.value
    return None
