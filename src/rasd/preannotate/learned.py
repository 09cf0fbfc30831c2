"""Names annotators confirmed (``annotation/learned.jsonl``) as lexicon candidates.

``rasd ls serve`` records every name an annotator labels; this module adds them
to a copy of the lexicon, so the ``lexicon_names`` matcher suggests them in the
rest of the corpus like any registry alias (spelling variants and proclitics
included).  Only name labels are learned (``ENTITY_LABELS``): dates and figures
are read by rules and normalised, a remembered ``60`` would be no evidence.
A learned name scores below the registry and the built-in lists, so where they
disagree the reviewed sources win.  The learned names never enter the registry
or the gold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import fields

from rasd.core.labels import ENTITY_LABELS, Label
from rasd.formats.learned import LearnedName
from rasd.preannotate.candidates import MODEL_VERSION
from rasd.preannotate.lexicon import Entry, Lexicon, phrase_key

LEARNED_SCORE = 0.8  # registry 0.9, built-in lists 0.85, loose spellings 0.7
SOURCE = "learned"


def learnable(label: Label) -> bool:
    """Whether a span of ``label`` becomes a lexicon candidate (names yes, dates and figures no)."""
    return label in ENTITY_LABELS


def copy_lexicon(lexicon: Lexicon) -> Lexicon:
    """A copy whose tables can grow without touching ``lexicon`` (which may be a cached, shared one)."""
    copied: dict[str, object] = {}
    for item in fields(lexicon):
        value = getattr(lexicon, item.name)
        if isinstance(value, dict):
            value = {key: list(entries) for key, entries in value.items()}
        elif isinstance(value, set):
            value = set(value)
        copied[item.name] = value
    return Lexicon(**copied)  # type: ignore[arg-type]


def learned_names(names: Iterable[LearnedName]) -> list[tuple[str, Label]]:
    """The distinct (text, label) pairs to learn, in first-seen order, names only."""
    seen: dict[tuple[str, Label], None] = {}
    for name in names:
        if learnable(name.label) and phrase_key(name.text):
            seen.setdefault((name.text, name.label), None)
    return list(seen)


def with_learned(lexicon: Lexicon, names: Iterable[LearnedName]) -> Lexicon:
    """``lexicon`` plus the learned names (a copy; ``lexicon`` itself is left as it was)."""
    grown = copy_lexicon(lexicon)
    for text, label in learned_names(names):
        grown.add(text, Entry(label, None, LEARNED_SCORE, SOURCE))
    return grown


def learned_version(names: Iterable[LearnedName]) -> str:
    """The model version of the rules plus these learned names: it changes whenever they change.

    Label Studio asks for new predictions only for a model version it has not
    seen on a task, so a name learned after a task was predicted must change it.
    """
    pairs = sorted(f"{label}\t{text}" for text, label in learned_names(names))
    if not pairs:
        return MODEL_VERSION
    digest = hashlib.sha256("\n".join(pairs).encode("utf-8")).hexdigest()[:10]
    return f"{MODEL_VERSION}+learned.{len(pairs)}.{digest}"
