"""Several annotators on one task: what they agree on, what they dispute, and the conflict report.

Every annotation of a task is converted once (``Reading``), however many of
the merge's steps look at it: selecting, keeping each annotator's work,
adjudicating and reporting read the same regions and spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

from rasd.core.model import Document, Span
from rasd.formats.labelstudio import AnnotationJSON
from rasd.gold.agreement import span_f1
from rasd.labelstudio.regions import Region, read_regions
from rasd.labelstudio.selection import annotation_name, annotator
from rasd.labelstudio.spans import Converted, convert


@dataclass
class Reading:
    """One task's annotations against its document, each converted on first use and then reused."""

    document: Document
    where: str
    _done: dict[int, Converted] = field(default_factory=dict)

    def of(self, annotation: AnnotationJSON) -> Converted:
        key = id(annotation)  # the task holds every annotation for as long as this reading lives
        if key not in self._done:
            self._done[key] = convert(annotation, self.document, where=self.where)
        return self._done[key]


@dataclass(frozen=True)
class Disputed:
    """A span some annotators marked and others did not (``start``, ``end``, label differ)."""

    start: int
    end: int
    label: str
    text: str
    by: tuple[str, ...]

    def render(self) -> str:
        return f"[{self.start}, {self.end}) {self.label} {self.text!r} only by {', '.join(self.by)}"


@dataclass(frozen=True)
class Conflict:
    """A task with several submitted annotations that disagree and no ground truth."""

    where: str
    document: str
    annotations: tuple[str, ...]
    f1: tuple[tuple[str, str, float | None], ...]
    disputed: tuple[Disputed, ...] = ()

    def render(self) -> str:
        pairs = "; ".join(f"{a} vs {b}: span F1 {'n/a' if f is None else f'{f:.2f}'}" for a, b, f in self.f1)
        disputed = "; ".join(d.render() for d in self.disputed)
        listed = f"; {len(self.disputed)} disputed span(s): {disputed}" if self.disputed else ""
        return (
            f"{self.where}: document {self.document}: {len(self.annotations)} submitted annotations and no "
            f"ground truth ({pairs}){listed}. Fix: reconcile them in Label Studio and mark one as ground "
            "truth (the star), or delete the others; spans every annotator agrees on are taken, the "
            "disputed ones keep their previous gold until then"
        )


def readable_regions(annotation: AnnotationJSON, document: Document, where: str) -> list[Region]:
    """An annotation's readable regions, problems skipped (they are reported by the merge)."""
    regions, _ = read_regions(annotation.get("result", []), document.text, where=where, document=document.id)
    return regions


def annotation_spans(
    annotation: AnnotationJSON, document: Document, *, where: str
) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of an annotation's readable regions (for agreement)."""
    return [(r.start, r.end, r.label) for r in readable_regions(annotation, document, where)]


def disputed_spans(annotations: Sequence[AnnotationJSON], sides: Sequence[Sequence[Span]]) -> list[Disputed]:
    """Spans not every annotation has (same start, end and label), with who marked each."""
    by_key: dict[tuple[int, int, str], tuple[str, list[str]]] = {}
    for annotation, spans in zip(annotations, sides, strict=True):
        for span in spans:
            entry = by_key.setdefault((span.start, span.end, span.label), (span.text, []))
            if annotator(annotation) not in entry[1]:
                entry[1].append(annotator(annotation))
    people = {annotator(a) for a in annotations}
    return [
        Disputed(start, end, label, text, tuple(by))
        for (start, end, label), (text, by) in sorted(by_key.items())
        if set(by) != people
    ]


def conflict_of(
    annotations: Sequence[AnnotationJSON], reading: Reading, disputed: Sequence[Disputed] = ()
) -> Conflict:
    names = [annotation_name(a) for a in annotations]
    spans = [[(r.start, r.end, r.label) for r in reading.of(a).regions] for a in annotations]
    f1 = tuple(
        (names[i], names[j], span_f1(spans[i], spans[j]).f1)
        for i, j in combinations(range(len(annotations)), 2)
    )
    return Conflict(reading.where, reading.document.id, tuple(names), f1, tuple(disputed))


def _key(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.label)


@dataclass(frozen=True)
class Adjudication:
    """What several annotations without a ground truth give: the spans (None: unreadable), a conflict."""

    spans: list[Span] | None
    conflict: Conflict | None = None


def adjudicate(annotations: Sequence[AnnotationJSON], reading: Reading) -> Adjudication:
    """Several annotations, no ground truth: the spans all agree on, the previous gold where they differ.

    Nothing disputed is guessed: each disputed place keeps the previous gold spans
    overlapping it, and the task is reported as a conflict for a reviewer.
    """
    converted = [reading.of(annotation) for annotation in annotations]
    if any(c.errors for c in converted):
        return Adjudication(None)  # reported by the merge
    sides = [c.spans for c in converted]
    agreed_keys = set.intersection(*({_key(s) for s in side} for side in sides))
    agreed = [s for s in sides[0] if _key(s) in agreed_keys]
    disputed = disputed_spans(annotations, sides)
    if not disputed:
        return Adjudication(agreed)  # every annotator agrees: nothing left to decide
    taken_ids = {s.id for s in agreed}
    kept = [
        g
        for g in reading.document.spans
        if _key(g) not in agreed_keys
        and g.id not in taken_ids
        and any(g.start < d.end and d.start < g.end for d in disputed)
    ]
    return Adjudication([*agreed, *kept], conflict_of(annotations, reading, disputed))
