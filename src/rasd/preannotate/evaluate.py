"""Evaluation: pre-annotations against gold, leave-one-document-out, and normalised values.

Semantics (stated in the card too):

* **strict**: a suggestion is correct when its start, end and label equal a gold
  span's (the CoNLL / seqeval "exact match" and nervaluate's ``strict``).
* **partial**: nervaluate's ``partial`` scheme.  Each suggestion is matched to at
  most one gold span: same boundaries is *correct*, any overlap is *partial*
  (counted half), no overlap is *spurious*; gold spans left unmatched are
  *missed*.  precision = (COR + PAR/2) / suggestions, recall = (COR + PAR/2) /
  gold.  Per label, both sides are restricted to that label; overall, the label
  is ignored (boundaries only), as in nervaluate.

Counts are summed over documents (micro average).

**Leave-one-document-out**: each document is scored with a registry from which
every entity, and every alias, that the gold attests *only* in that document is
removed (``held_out_registry``), so a figure measures what the suggester knows
about an unseen article: its rules, the built-in general lists, and what the
other documents taught the registry.  Registry entries that no gold span attests
(general spellings such as ``Telegram``) stay.

Normalised values are scored on gold spans that carry a value: the label's
normaliser is run on the span's text and compared with the annotator's value,
with the full registry (what ``rasd normalize`` does) and with the held-out one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rasd.core.labels import LABELS
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.dataset.card import markdown_table
from rasd.gold.annotations import load_corpus
from rasd.gold.entities import Entity, Registry, load_registry
from rasd.preannotate.candidates import MODEL_VERSION
from rasd.preannotate.lexicon import build_lexicon, phrase_key
from rasd.preannotate.normalize import value_in_text
from rasd.preannotate.suggest import predict_text

Key = tuple[int, int, str]


@dataclass
class Counts:
    """nervaluate's five counts; ``possible`` and ``actual`` follow from them."""

    correct: int = 0
    partial: int = 0
    spurious: int = 0
    missed: int = 0

    @property
    def possible(self) -> int:
        return self.correct + self.partial + self.missed

    @property
    def actual(self) -> int:
        return self.correct + self.partial + self.spurious

    def add(self, other: Counts) -> None:
        self.correct += other.correct
        self.partial += other.partial
        self.spurious += other.spurious
        self.missed += other.missed

    def precision(self, weight: float) -> float:
        return (self.correct + weight * self.partial) / self.actual if self.actual else 0.0

    def recall(self, weight: float) -> float:
        return (self.correct + weight * self.partial) / self.possible if self.possible else 0.0

    def f1(self, weight: float) -> float:
        p, r = self.precision(weight), self.recall(weight)
        return 2 * p * r / (p + r) if p + r else 0.0


def strict_counts(gold: Iterable[Key], predicted: Iterable[Key]) -> Counts:
    """Exact boundaries and label; partial overlaps count as a spurious and a missed span."""
    gold_set, pred_set = set(gold), set(predicted)
    hits = len(gold_set & pred_set)
    return Counts(correct=hits, spurious=len(pred_set) - hits, missed=len(gold_set) - hits)


def partial_counts(gold: Iterable[Key], predicted: Iterable[Key]) -> Counts:
    """nervaluate ``partial``: boundaries only, each gold span matched at most once.

    Exact matches are paired first, so an overlapping suggestion never takes
    the gold span that another suggestion matches exactly.
    """
    gold_bounds = {(s, e) for s, e, _ in gold}
    preds = sorted({(s, e) for s, e, _ in predicted})
    exact = gold_bounds & set(preds)
    free = sorted(gold_bounds - exact)
    counts = Counts(correct=len(exact))
    for start, end in preds:
        if (start, end) in exact:
            continue
        overlapping = [g for g in free if g[0] < end and start < g[1]]
        if overlapping:
            free.remove(max(overlapping, key=lambda g: min(end, g[1]) - max(start, g[0])))
            counts.partial += 1
        else:
            counts.spurious += 1
    counts.missed = len(free)
    return counts


def _keys(spans: Iterable[Span], label: str | None = None) -> list[Key]:
    return [s.key for s in spans if label is None or s.label == label]


# --- the held-out registry -----------------------------------------------------------------------


def _mentions(entity: Entity, span: Span) -> bool:
    if span.label != entity.label:
        return False
    return span.value == entity.value or phrase_key(span.text) in {phrase_key(a) for a in entity.aliases}


def held_out_registry(registry: Registry, documents: Sequence[Document], held_out: str) -> Registry:
    """``registry`` without what only document ``held_out``'s gold attests.

    An entity goes when every gold mention of it is in the held-out document; an
    alias goes when every gold span written that way is.  Entities and aliases
    that no gold span attests are general knowledge and stay.
    """
    kept: list[Entity] = []
    for entity in registry.entities:
        where = {d.id for d in documents for s in d.spans if _mentions(entity, s)}
        if where == {held_out}:
            continue
        aliases = []
        for alias in entity.aliases:
            key = phrase_key(alias)
            seen = {
                d.id
                for d in documents
                for s in d.spans
                if s.label == entity.label and phrase_key(s.text) == key
            }
            if seen != {held_out}:
                aliases.append(alias)
        if aliases:
            kept.append(Entity(entity.id, entity.label, entity.name, entity.wikidata, tuple(aliases)))
    return Registry(tuple(kept), registry.file)


# --- the evaluation ------------------------------------------------------------------------------


@dataclass
class LabelResult:
    strict: Counts = field(default_factory=Counts)
    partial: Counts = field(default_factory=Counts)


@dataclass
class ValueResult:
    """Gold spans with a value, and how many of them the normaliser reproduces."""

    with_value: int = 0
    correct_full: int = 0
    correct_held_out: int = 0
    wrong: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)

    def accuracy(self, held_out: bool = False) -> float:
        hits = self.correct_held_out if held_out else self.correct_full
        return hits / self.with_value if self.with_value else 0.0


@dataclass
class EvalReport:
    documents: int = 0
    labels: dict[str, LabelResult] = field(default_factory=lambda: {label: LabelResult() for label in LABELS})
    overall: LabelResult = field(default_factory=LabelResult)
    values: dict[str, ValueResult] = field(default_factory=lambda: {label: ValueResult() for label in LABELS})


def evaluate_documents(
    documents: Sequence[Document], registry: Registry, *, leave_one_out: bool = True, builtins: bool = True
) -> EvalReport:
    """Score suggestions on every annotated document (held out in turn when ``leave_one_out``).

    ``builtins=False`` drops the general lists of places, platforms and organisations (an
    ablation: what the rules and the registry alone reach).
    """
    report = EvalReport()
    full_lexicon = build_lexicon(registry.entities, builtins=builtins)
    for document in documents:
        if not document.spans:
            continue
        report.documents += 1
        fold_registry = held_out_registry(registry, documents, document.id) if leave_one_out else registry
        lexicon = build_lexicon(fold_registry.entities, builtins=builtins)
        predicted = predict_text(document.id, document.text, lexicon, document.source.published)
        for label in LABELS:
            result = report.labels[label]
            result.strict.add(strict_counts(_keys(document.spans, label), _keys(predicted, label)))
            result.partial.add(partial_counts(_keys(document.spans, label), _keys(predicted, label)))
        report.overall.strict.add(strict_counts(_keys(document.spans), _keys(predicted)))
        report.overall.partial.add(partial_counts(_keys(document.spans), _keys(predicted)))
        published = document.source.published
        for span in document.spans:
            if span.value is None:
                continue
            values = report.values[span.label]
            values.with_value += 1
            full = value_in_text(span.label, document.text, span.start, span.end, full_lexicon, published)
            held = value_in_text(span.label, document.text, span.start, span.end, lexicon, published)
            values.correct_full += full == span.value
            values.correct_held_out += held == span.value
            if full != span.value:
                values.wrong.append((document.id, span.text, span.value, full))
    return report


def evaluate(repo: Repo, *, leave_one_out: bool = True, builtins: bool = True) -> EvalReport:
    return evaluate_documents(
        list(load_corpus(repo)), load_registry(repo), leave_one_out=leave_one_out, builtins=builtins
    )


# --- tables --------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x:.2f}"


def scores_table(report: EvalReport) -> str:
    rows: list[list[object]] = []
    for name, result in [*report.labels.items(), ("overall", report.overall)]:
        s, p = result.strict, result.partial
        rows.append(
            [
                f"**{name}**" if name == "overall" else name,
                s.possible,
                s.actual,
                _pct(s.precision(0)),
                _pct(s.recall(0)),
                _pct(s.f1(0)),
                _pct(p.precision(0.5)),
                _pct(p.recall(0.5)),
                _pct(p.f1(0.5)),
            ]
        )
    header = [
        "label",
        "gold",
        "suggested",
        "strict P",
        "strict R",
        "strict F1",
        "partial P",
        "partial R",
        "partial F1",
    ]
    return markdown_table(header, rows)


def values_table(report: EvalReport) -> str:
    rows: list[list[object]] = []
    for label, v in report.values.items():
        if v.with_value:
            rows.append(
                [
                    label,
                    v.with_value,
                    f"{v.correct_full} ({v.accuracy():.0%})",
                    f"{v.correct_held_out} ({v.accuracy(True):.0%})",
                ]
            )
    header = [
        "label",
        "gold spans with a value",
        "normaliser correct (full registry)",
        "correct (held-out registry)",
    ]
    return markdown_table(header, rows)


def eval_markdown(report: EvalReport, ablation: EvalReport | None = None) -> str:
    """The card text: both tables, and the ablation's per-label strict F1 when given."""
    text = (
        f"Suggestions of `{MODEL_VERSION}` (`rasd preannotate`) against the gold annotations, "
        f"leave-one-document-out over {report.documents} documents: each document is scored with "
        "a registry that lacks every entity and spelling attested only in that document. "
        "Strict: exact boundaries and label. Partial: nervaluate's partial scheme (overlap counts half; "
        "per label within the label, overall boundaries only). Micro-averaged.\n\n" + scores_table(report)
    )
    if ablation is not None:
        cells = ", ".join(
            f"{name} {result.strict.f1(0):.2f}"
            for name, result in [*ablation.labels.items(), ("overall", ablation.overall)]
        )
        text += (
            "\n\nWithout the built-in lists of places, platforms and organisations (rules and held-out "
            "registry only), "
            f"strict F1: {cells}."
        )
    return (
        text + "\n\nNormalised values (`rasd normalize`) recomputed from the text of every gold span "
        "that has one:\n\n"
        + values_table(report)
        + "\n\nRelative dates get a value only against the document's `published` date. "
        "Regenerate with `rasd eval --write-card`."
    )
