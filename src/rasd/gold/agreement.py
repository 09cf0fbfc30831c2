"""Inter-annotator agreement: span-level F1 per label and Cohen's kappa on tokens.

Two numbers the dataset card reports, because each hides what the other shows.
Span F1 (exact start, end and label) is the NER evaluation measure and is
symmetric between two annotators, so no one needs to be called the reference.
Token kappa corrects for chance but counts a span as its tokens, so it forgives
a boundary off by a proclitic that span F1 counts as a full miss.  Tokens come
from ``rasd.tokens.tokenize``, split at both annotators' span boundaries so a
token is wholly inside or outside every span; a token takes the label of the
longest span covering it (the outermost, as in the ``tokens`` config), else ``O``.

Overlap F1 counts a span as matched when the other side has a span of the same
label sharing at least one character: it separates boundary disagreements
(proclitics, titles) from missed or mislabelled mentions.  ``agreement_record``
sums the figures over every pair of annotators and every doubly-annotated
document for a release; ``agreement_section`` is the card's markdown of it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from rasd.core.labels import LABELS, OUTSIDE
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.formats.annotators import iter_annotator_files
from rasd.formats.records import AgreementRecord, LabelAgreement
from rasd.intake.ingest import iter_documents
from rasd.text.tokens import tokenize

SpanKey = tuple[int, int, str]
AgreementItem = tuple[str, Mapping[str, Sequence[SpanKey]]]
NO_ANNOTATOR_WORK = hashlib.sha256().hexdigest()
"""The fingerprint of an empty ``by_annotator/`` folder."""


@dataclass(frozen=True)
class F1:
    """Counts behind a symmetric span F1: matches, and spans on each side."""

    matched: int = 0
    left: int = 0
    right: int = 0

    @property
    def f1(self) -> float | None:
        """``2 * matched / (left + right)``; None when neither side has a span (nothing to agree on)."""
        total = self.left + self.right
        return 2 * self.matched / total if total else None

    def __add__(self, other: F1) -> F1:
        return F1(self.matched + other.matched, self.left + other.left, self.right + other.right)


@dataclass(frozen=True)
class Overlap:
    """Counts behind a symmetric overlap F1: spans of each side matched by the other, and spans."""

    matched_left: int = 0
    matched_right: int = 0
    left: int = 0
    right: int = 0

    @property
    def f1(self) -> float | None:
        total = self.left + self.right
        return (self.matched_left + self.matched_right) / total if total else None

    def __add__(self, other: Overlap) -> Overlap:
        return Overlap(
            self.matched_left + other.matched_left,
            self.matched_right + other.matched_right,
            self.left + other.left,
            self.right + other.right,
        )


def _overlapped(span: SpanKey, others: Iterable[SpanKey]) -> bool:
    return any(o[2] == span[2] and o[0] < span[1] and span[0] < o[1] for o in others)


def overlap_f1(left: Iterable[SpanKey], right: Iterable[SpanKey], label: str | None = None) -> Overlap:
    """Overlap F1 counts: a span is matched by a same-label span of the other side sharing a character."""
    a = {s for s in left if label is None or s[2] == label}
    b = {s for s in right if label is None or s[2] == label}
    return Overlap(sum(_overlapped(s, b) for s in a), sum(_overlapped(s, a) for s in b), len(a), len(b))


def span_f1(left: Iterable[SpanKey], right: Iterable[SpanKey], label: str | None = None) -> F1:
    """Exact-match span F1 counts between two annotators, over one label or all of them."""
    a = {s for s in left if label is None or s[2] == label}
    b = {s for s in right if label is None or s[2] == label}
    return F1(len(a & b), len(a), len(b))


def token_labels(tokens: Sequence[tuple[int, int]], spans: Iterable[SpanKey]) -> list[str]:
    """The label of the longest span covering each token, ``O`` where none does."""
    labels = [OUTSIDE] * len(tokens)
    widths = [0] * len(tokens)
    for start, end, label in spans:
        for k, (t_start, t_end) in enumerate(tokens):
            if start <= t_start and t_end <= end and end - start > widths[k]:
                labels[k], widths[k] = label, end - start
    return labels


def cohen_kappa(left: Sequence[str], right: Sequence[str]) -> float | None:
    """Cohen's kappa of two label sequences; None when chance agreement is total (kappa undefined)."""
    if len(left) != len(right):
        raise ValueError(f"{len(left)} labels against {len(right)}")
    n = len(left)
    if not n:
        return None
    observed = sum(x == y for x, y in zip(left, right, strict=True)) / n
    count_left, count_right = Counter(left), Counter(right)
    expected = sum(count_left[k] * count_right[k] for k in count_left) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass
class PairAgreement:
    """Agreement of two annotators over the tasks both annotated."""

    left: str
    right: str
    tasks: int = 0
    per_label: dict[str, F1] = field(default_factory=lambda: defaultdict(F1))
    per_label_overlap: dict[str, Overlap] = field(default_factory=lambda: defaultdict(Overlap))
    left_tokens: list[str] = field(default_factory=list)
    right_tokens: list[str] = field(default_factory=list)

    @property
    def overall(self) -> F1:
        return sum(self.per_label.values(), F1())

    @property
    def kappa(self) -> float | None:
        return cohen_kappa(self.left_tokens, self.right_tokens)

    def add(self, text: str, left: Sequence[SpanKey], right: Sequence[SpanKey]) -> None:
        self.tasks += 1
        for label in sorted({s[2] for s in (*left, *right)} | set(LABELS)):
            self.per_label[label] += span_f1(left, right, label)
            self.per_label_overlap[label] += overlap_f1(left, right, label)
        tokens = tokenize(text, [edge for s in (*left, *right) for edge in s[:2]])
        self.left_tokens += token_labels(tokens, left)
        self.right_tokens += token_labels(tokens, right)


def pairwise_agreement(tasks: Iterable[tuple[str, Mapping[str, Sequence[SpanKey]]]]) -> list[PairAgreement]:
    """Agreement of every pair of annotators, from ``(text, {annotator: spans})`` per task."""
    pairs: dict[tuple[str, str], PairAgreement] = {}
    for text, by_annotator in tasks:
        for a, b in combinations(sorted(by_annotator), 2):
            pair = pairs.setdefault((a, b), PairAgreement(a, b))
            pair.add(text, by_annotator[a], by_annotator[b])
    return [pairs[key] for key in sorted(pairs)]


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement_table(pairs: Sequence[PairAgreement]) -> str:
    """A plain-text table: one block per annotator pair, span F1 per label, then token kappa."""
    if not pairs:
        return "no task has two or more submitted annotations: nothing to compare"
    lines = []
    for pair in pairs:
        lines.append(f"{pair.left} vs {pair.right} ({pair.tasks} tasks)")
        lines.append(f"  {'label':<10} {'F1':>6} {'matched':>8} {'left':>6} {'right':>6}")
        rows = sorted(pair.per_label.items(), key=lambda item: _label_order(item[0]))
        for label, c in [*rows, ("all", pair.overall)]:
            lines.append(f"  {label:<10} {_number(c.f1):>6} {c.matched:>8} {c.left:>6} {c.right:>6}")
        lines.append(f"  Cohen's kappa on {len(pair.left_tokens)} tokens: {_number(pair.kappa)}")
    return "\n".join(lines)


def _label_order(label: str) -> tuple[int, str]:
    return (LABELS.index(label), label) if label in LABELS else (len(LABELS), label)


# --- a release's agreement, from dataset/annotations/by_annotator/ ---------------------------------


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _label_figures(strict: F1, overlap: Overlap) -> LabelAgreement:
    return {
        "strict": _rounded(strict.f1),
        "overlap": _rounded(overlap.f1),
        "spans": strict.left + strict.right,
    }


def agreement_record(items: Sequence[AgreementItem], *, fingerprint: str) -> AgreementRecord:
    """Agreement summed over every pair and document: per-label span F1 (strict, overlap), pooled kappa."""
    pairs = pairwise_agreement(items)
    labels = sorted({label for pair in pairs for label in pair.per_label}, key=_label_order)
    per_label = {
        label: _label_figures(
            sum((p.per_label[label] for p in pairs), F1()),
            sum((p.per_label_overlap[label] for p in pairs), Overlap()),
        )
        for label in labels
    }
    overall = _label_figures(
        sum((p.overall for p in pairs), F1()),
        sum((o for p in pairs for o in p.per_label_overlap.values()), Overlap()),
    )
    left = [t for p in pairs for t in p.left_tokens]
    right = [t for p in pairs for t in p.right_tokens]
    return {
        "documents": len(items),
        "annotators": sorted({who for _, by in items for who in by}),
        "pairs": sum(p.tasks for p in pairs),
        "tokens": len(left),
        "kappa": _rounded(cohen_kappa(left, right)),
        "per_label": per_label,
        "overall": overall,
        "by_annotator_sha256": fingerprint,
    }


def annotator_items(repo: Repo) -> tuple[list[AgreementItem], str]:
    """``(text, spans by annotator)`` of each document two or more annotators annotated, and a fingerprint.

    The fingerprint covers every stored annotator file (stale ones too), so any
    new or changed annotator work changes it.  Files made on an older text are
    left out of the figures.
    """
    needed = {stored.document for stored in iter_annotator_files(repo)}  # none: the corpus is not read
    texts = {d.id: d.text for d in iter_documents(repo) if d.id in needed} if needed else {}
    by_doc: dict[str, dict[str, list[SpanKey]]] = defaultdict(dict)
    digest = hashlib.sha256()
    for stored in iter_annotator_files(repo):
        spans = sorted((s.start, s.end, s.label) for s in stored.parsed.spans)
        full = sorted(
            (s.start, s.end, s.label, s.id, s.text, str(s.value), s.note or "") for s in stored.parsed.spans
        )
        digest.update(
            json.dumps([stored.annotator, stored.document, stored.parsed.text_sha256, full]).encode()
        )
        text = texts.get(stored.document)
        if text is not None and stored.made_on(text):
            by_doc[stored.document][stored.annotator] = spans
    items: list[AgreementItem] = [
        (texts[doc], dict(spans)) for doc, spans in sorted(by_doc.items()) if len(spans) > 1
    ]
    return items, digest.hexdigest()


def annotated_twice(repo: Repo) -> list[tuple[str, str, dict[str, tuple[Span, ...]]]]:
    """``(document id, text, spans by annotator)`` of each document two or more annotators annotated.

    As in the agreement figures, files made on an older text are left out.
    """
    texts = {d.id: d.text for d in iter_documents(repo)}
    by_doc: dict[str, dict[str, tuple[Span, ...]]] = defaultdict(dict)
    for stored in iter_annotator_files(repo):
        text = texts.get(stored.document)
        if text is not None and stored.made_on(text):
            by_doc[stored.document][stored.annotator] = tuple(sorted(stored.parsed.spans))
    return [(doc, texts[doc], spans) for doc, spans in sorted(by_doc.items()) if len(spans) > 1]


@dataclass(frozen=True)
class Disagreement:
    """Where two annotators of one document first differ: the preview's example.

    ``start``/``end`` bound the first span (by position) that one annotator has and
    the other has not, together with every such span of either side overlapping it.
    """

    document: str
    text: str
    annotators: tuple[str, str]
    spans: tuple[tuple[Span, ...], tuple[Span, ...]]
    start: int
    end: int

    def differing(self, side: int) -> tuple[Span, ...]:
        """The spans of one side (0 or 1) inside the region that the other side does not have."""
        other = {s.key for s in self.spans[1 - side]}
        return tuple(
            s for s in self.spans[side] if s.key not in other and s.start < self.end and self.start < s.end
        )


def first_difference(left: Sequence[Span], right: Sequence[Span]) -> tuple[int, int] | None:
    """``[start, end)`` of the first spans the two sides do not share (overlapping ones joined)."""
    left_keys, right_keys = {s.key for s in left}, {s.key for s in right}
    differing = sorted(
        [s.key for s in left if s.key not in right_keys] + [s.key for s in right if s.key not in left_keys]
    )
    if not differing:
        return None
    start, end = differing[0][:2]
    for s_start, s_end, _ in differing[1:]:
        if s_start >= end:
            break
        end = max(end, s_end)
    return start, end


def first_disagreement(
    documents: Iterable[tuple[str, str, Mapping[str, Sequence[Span]]]],
) -> Disagreement | None:
    """The first difference of the first pair of annotators (by name) of the first document (by id)."""
    for doc_id, text, by_annotator in documents:
        for a, b in combinations(sorted(by_annotator), 2):
            region = first_difference(by_annotator[a], by_annotator[b])
            if region is not None:
                spans = (tuple(by_annotator[a]), tuple(by_annotator[b]))
                return Disagreement(doc_id, text, (a, b), spans, *region)
    return None


def repo_agreement(repo: Repo) -> AgreementRecord:
    """The release's agreement figures, from ``dataset/annotations/by_annotator/``."""
    items, fingerprint = annotator_items(repo)
    return agreement_record(items, fingerprint=fingerprint)


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


NOT_MEASURED = "No inter-annotator agreement has been measured for this version yet."
"""The card's text while no document has two annotators (the text the card template already holds)."""


def agreement_section(agreement: AgreementRecord | None) -> str:
    """The body of the card's agreement section (markdown, no heading), from a release's ``agreement``."""
    if agreement is None or not agreement["documents"]:
        return NOT_MEASURED
    lines = [
        f"Measured on {agreement['documents']} documents annotated by two or more of "
        f"{len(agreement['annotators'])} annotators ({agreement['pairs']} annotator pairs per document, "
        "summed), from `annotations/by_annotator/`. Span F1 is symmetric: exact needs the same start, "
        "end and label; overlap needs the same label and one shared character.",
        "",
        "| label | span F1 (exact) | span F1 (overlap) | spans |",
        "|---|---:|---:|---:|",
    ]
    rows = [*agreement["per_label"].items(), ("all", agreement["overall"])]
    lines += [
        f"| {label} | {_cell(f['strict'])} | {_cell(f['overlap'])} | {f['spans']} |" for label, f in rows
    ]
    lines += [
        "",
        f"Cohen's κ on {agreement['tokens']} tokens: {_cell(agreement['kappa'])} (a token takes the label "
        "of the longest span covering it, else O).",
    ]
    return "\n".join(lines)
