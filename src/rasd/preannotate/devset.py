"""Scores on text the rules were not written from: the development sets, and the honest leave-one-out.

* ``evaluate_passages``: the suggester (full registry, built-in lists) on the
  passages of a development-set file (``annotation/devset/*.jsonl``), strict
  and partial per label, as ``rasd.preannotate.evaluate`` defines them.
* ``evaluate_passages_blind``: the same passages, each with a lexicon that holds
  no name the passage contains (as below): the rules alone.
* ``evaluate_honest``: the seeds' leave-one-document-out, where each held-out
  document is also scored with a lexicon that holds **no name the document's
  text contains**: every registry alias and every built-in place, platform and
  given name that the matcher finds in the text (exactly, with or without the
  article, or loosely) is removed, and the removal is repeated until the lexicon
  matches nothing in the text.  What is left is the rules alone, plus the names
  the document does not mention.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rasd.core.labels import LABELS
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.problems.preannotate import DEVSET_FILE_MISSING
from rasd.formats.predictions import GoldText, read_gold_texts
from rasd.gold.entities import Registry
from rasd.preannotate.evaluate import EvalReport, _keys, held_out_registry, partial_counts, strict_counts
from rasd.preannotate.lexicon import EntityLike, Lexicon, build_lexicon, match_names, phrase_key
from rasd.preannotate.suggest import predict_text
from rasd.text.arabic import Word, stems, words

DEVSET_FOLDER = "devset"
DEVSET_FILES = ("dev.jsonl", "heldout.jsonl")
ROLES = {"dev.jsonl": "tuned on", "heldout.jsonl": "never tuned on"}
MAX_ROUNDS = 20


def score(report: EvalReport, gold: Sequence[Span], predicted: Sequence[Span]) -> None:
    """Add one text's strict and partial counts, per label and overall, to ``report``."""
    report.documents += 1
    for label in LABELS:
        result = report.labels[label]
        result.strict.add(strict_counts(_keys(gold, label), _keys(predicted, label)))
        result.partial.add(partial_counts(_keys(gold, label), _keys(predicted, label)))
    report.overall.strict.add(strict_counts(_keys(gold), _keys(predicted)))
    report.overall.partial.add(partial_counts(_keys(gold), _keys(predicted)))


def evaluate_passages(passages: Iterable[GoldText], lexicon: Lexicon) -> EvalReport:
    """Suggestions against the gold of every passage (``published`` used when given)."""
    report = EvalReport()
    for passage in passages:
        record = passage.record
        score(report, passage.spans, predict_text(record.id, record.text, lexicon, record.published))
    return report


def devset_paths(repo: Repo, files: Sequence[str] | None) -> list[Path]:
    """The files to score: those named, else both development-set files of the repository."""
    if files:
        paths = [Path(f) for f in files]
    else:
        paths = [repo.annotation_dir / DEVSET_FOLDER / name for name in DEVSET_FILES]
    for path in paths:
        if not path.is_file():
            raise DEVSET_FILE_MISSING(path=str(path))
    return paths


def evaluate_devset(path: Path, lexicon: Lexicon, *, shown: str) -> EvalReport:
    return evaluate_passages(read_gold_texts(path, file=shown), lexicon)


# --- the honest leave-one-out --------------------------------------------------------------------


def blind_lexicon(
    entities: Sequence[EntityLike], text: str, *, builtins: bool = True
) -> tuple[Lexicon, frozenset[str]]:
    """A lexicon that matches no name in ``text``, and the phrase keys removed to get it."""
    ws = tuple(words(text))
    dropped: frozenset[str] = frozenset()
    lexicon = build_lexicon(entities, builtins=builtins)
    for _ in range(MAX_ROUNDS):
        found = {key for m in match_names(text, ws, lexicon) for key in matched_keys(ws, m.start, m.end)}
        if not found:
            break
        dropped |= found
        lexicon = build_lexicon(entities, builtins=builtins, drop=dropped)
    named = {stem.key for w in ws for stem in stems(w)} & lexicon.given
    lexicon.given -= named
    return lexicon, dropped | named


def matched_keys(ws: Sequence[Word], start: int, end: int) -> set[str]:
    """The phrase keys a match from ``start`` to ``end`` may have been found under (every stem reading)."""
    inside = [w for w in ws if w.end > start and w.start < end]
    if not inside:
        return set()
    rest = "".join(w.key for w in inside[1:])
    first = inside[0]
    return {stem.key + rest for stem in stems(first)} | {phrase_key("".join(w.text for w in inside))}


@dataclass
class HonestReport:
    report: EvalReport
    removed: dict[str, frozenset[str]]


def evaluate_honest(documents: Sequence[Document], registry: Registry) -> HonestReport:
    """Leave-one-document-out with every lexicon name the held-out text contains removed."""
    report = EvalReport()
    removed: dict[str, frozenset[str]] = {}
    for document in documents:
        if not document.spans:
            continue
        fold = held_out_registry(registry, documents, document.id)
        lexicon, removed[document.id] = blind_lexicon(fold.entities, document.text)
        predicted = predict_text(document.id, document.text, lexicon, document.source.published)
        score(report, document.spans, predicted)
    return HonestReport(report, removed)


def evaluate_passages_blind(passages: Iterable[GoldText], entities: Sequence[EntityLike]) -> EvalReport:
    """The passages scored like the honest leave-one-out: no name of a passage in its lexicon.

    What is left is the rules alone (titles, kunyas, verbs of saying, head nouns, dates, numbers), so
    the gap to ``evaluate_passages`` is what the registry and the built-in lists contribute.
    """
    report = EvalReport()
    for passage in passages:
        record = passage.record
        lexicon, _ = blind_lexicon(entities, record.text)
        score(report, passage.spans, predict_text(record.id, record.text, lexicon, record.published))
    return report
