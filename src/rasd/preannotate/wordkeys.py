"""Word keys for name matching: loose keys, readings' keys and a text's index of them.

``skeleton`` is the loose key of a folded key (``rasd.preannotate.lexicon`` files
platforms and organisations under it); ``word_key_index`` files a text's words
under every reading's key (``rasd.text.arabic.stems_of``), so a matcher finds the
words that begin a name, or carry a cue, by set operations instead of a step per word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from rasd.text.arabic import PROCLITIC_LETTERS, Stem, Word, joined_by_space, stems_of

MAX_MEMO = 1 << 16
"""The most entries a per-process memo of this package keeps before it starts afresh."""
_LOOSE = str.maketrans({"ج": "غ", "ك": "غ", "ق": "غ", "گ": "غ", "ا": None, "و": None, "ي": None})


@lru_cache(maxsize=1 << 16)
def skeleton(key: str) -> str:
    """A loose key: long vowels (ا/و/ي) dropped after the first letter, every g-letter as غ."""
    if not key:
        return key
    first = key[0] if key[0] in "اوي" else key[0].translate(_LOOSE)
    return first + key[1:].translate(_LOOSE)


@lru_cache(maxsize=1 << 16)
def loose_readings(surface: str) -> tuple[tuple[Stem, str], ...]:
    """Every reading (``stems_of``) of a word written ``surface``, with its loose key (``skeleton``)."""
    return tuple((stem, skeleton(stem.key)) for stem in stems_of(surface))


@lru_cache(maxsize=1 << 16)
def stem_keys(surface: str) -> tuple[str, ...]:
    """The keys of the readings (``stems_of``) of a word written ``surface``."""
    return tuple(stem.key for stem in stems_of(surface))


def word_surfaces(ws: Sequence[Word]) -> dict[str, list[int]]:
    """Each distinct surface of ``ws`` and the indices of the words written so, in order."""
    at: dict[str, list[int]] = {}
    for i, word in enumerate(ws):
        surface = word.text
        if surface in at:
            at[surface].append(i)
        else:
            at[surface] = [i]
    return at


def key_index(surfaces: Mapping[str, list[int]]) -> dict[str, list[int]]:
    """Every reading's key (``stems_of``) and the indices of the words that have it (in no set order).

    ``surfaces``: ``word_surfaces`` of the words; readings are computed once per distinct surface.
    """
    index: dict[str, list[int]] = {}
    for surface, indices in surfaces.items():
        for key in stem_keys(surface):
            # lists are shared with ``surfaces`` and never changed in place: concatenation copies
            index[key] = index[key] + indices if key in index else indices
    return index


def word_key_index(ws: Sequence[Word]) -> dict[str, list[int]]:
    """``key_index(word_surfaces(ws))`` in one pass over the words (the same keys and index sets).

    A word's first reading is its own key (``stems_of``): the words are filed by key first, then
    each distinct key with other readings adds them (``_other_readings``: readings' keys depend on
    the folded key alone).  Lists are shared between keys and never changed once filed.
    """
    index: dict[str, list[int]] = {}
    get = index.get
    for i, key in enumerate(map(_word_key_of, ws)):
        at = get(key)
        if at is None:
            index[key] = [i]
        else:
            at.append(i)
    own = index.copy()
    readings = _other_readings(own, ws)
    for key in filter(readings.__contains__, own):  # in the order of ``own``, as the lists concatenate
        at_key = own[key]
        for other in readings[key]:
            at = get(other)
            index[other] = at_key if at is None else at + at_key
    return index


_READINGS: dict[str, tuple[str, ...]] = {}
"""The keys of the other readings (``stem_keys`` after the first) of every key met that has some."""
_MET: set[str] = set()
"""Every key ``_other_readings`` has looked at (a memo of this process, like ``_READINGS``)."""


def _other_readings(own: dict[str, list[int]], ws: Sequence[Word]) -> dict[str, tuple[str, ...]]:
    """The memo of other readings' keys, holding every key of ``own`` that has some.

    Only a key of four letters or more that begins with a proclitic's letter has other readings;
    each is asked once per process (``stem_keys`` of the first word with it).
    """
    if own.keys() <= _MET:
        return _READINGS
    new = own.keys() - _MET
    if len(_MET) + len(new) > MAX_MEMO:
        _MET.clear()
        _READINGS.clear()
        new = set(own)
    for key in new:
        if len(key) > 3 and key[0] in PROCLITIC_LETTERS and (others := stem_keys(ws[own[key][0]].text)[1:]):
            _READINGS[key] = others
    _MET.update(new)
    return _READINGS


_word_key_of = itemgetter(3)  # ``Word.key``


@dataclass
class _SkeletonIndex:
    """Every key met so far (``registered``), filed by its loose key (``skeleton``): process-wide."""

    registered: set[str] = field(default_factory=set)
    by_skeleton: dict[str, list[str]] = field(default_factory=dict)


_SKELETONS = _SkeletonIndex()


def loose_keys_in(keys: Iterable[str], loose: Iterable[str]) -> list[str]:
    """The keys of ``keys`` whose loose key (``skeleton``) is in ``loose`` (in no set order, maybe repeated).

    ``[k for k in keys if skeleton(k) in loose]``, asked from the side of ``loose``: the keys are
    filed once per process by their loose key, so a text costs one set test per key already met.
    """
    known, filed = _SKELETONS.registered, _SKELETONS.by_skeleton
    present = keys if isinstance(keys, (set, frozenset, dict)) else set(keys)
    if not known.issuperset(present):
        new = set(present) - known
        if len(known) + len(new) > MAX_MEMO:
            known.clear()
            filed.clear()
            new = set(present)
        for key in new:
            at = filed.get(skeleton(key))
            if at is None:
                filed[skeleton(key)] = [key]
            else:
                at.append(key)
        known.update(new)
    return [key for s in loose if s in filed for key in filed[s] if key in present]


def latin_word(word: Word) -> bool:
    return word.text.isascii() and word.text.isalnum()


def glued(text: str, left: Word, right: Word) -> bool:
    """Two parts of one written name: nothing between them (عربي21، Top4Top), or a dot between Latin
    words (Rocket.Chat، Archive.org)."""
    gap = text[left.end : right.start]
    return gap == "" or (gap == "." and latin_word(left) and latin_word(right))


def joined_at(text: str, ws: Sequence[Word], j: int) -> bool:
    """Whether words ``j - 1`` and ``j`` are one name's words (``_glued`` or a space between)."""
    left, right = ws[j - 1], ws[j]
    return joined_by_space(text, left, right) or glued(text, left, right)
