"""Inter-annotator agreement: span-level F1 per label and Cohen's kappa on tokens.

Two numbers the dataset card reports, because each hides what the other shows.
Span F1 (exact start, end and label) is the NER evaluation measure and is
symmetric between two annotators, so no one needs to be called the reference.
Token kappa corrects for chance but counts a span as its tokens, so it forgives
a boundary off by a proclitic that span F1 counts as a full miss.  Tokens come
from ``rasd.tokens.tokenize``, split at both annotators' span boundaries so a
token is wholly inside or outside every span; a token takes the label of the
longest span covering it (the outermost, as in the ``tokens`` config), else ``O``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from rasd.core.labels import LABELS, OUTSIDE
from rasd.text.tokens import tokenize

SpanKey = tuple[int, int, str]


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
