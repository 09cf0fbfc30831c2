"""A whole export -> the gold files: exactly the annotators' edits come back, all or nothing.

``merge_tasks`` works out the gold spans every task gives its document and
collects every problem (unknown documents, changed texts, duplicate tasks,
regions the build would reject, span ids used twice in the corpus);
``apply_merge`` writes only when there is none.  Conflicts (several submitted
annotations, no ground truth) are reported and leave their documents alone.
Nothing here talks to a server: an export file from the UI merges the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Protocol, cast

from rasd.core.errors import RasdError, raise_all
from rasd.core.io import read_text
from rasd.core.journal import Transaction
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.problems.labelstudio import (
    DUPLICATE_TASK,
    EMPTY_ANNOTATION_HELD,
    TASK_TEXT_CHANGED,
    UNKNOWN_DOCUMENT,
)
from rasd.formats.annotators import AnnotatorWork, stage_annotator_work
from rasd.formats.gold import ADJUDICATED, COMPLETE, annotation_path, render_annotations
from rasd.formats.labelstudio import DATA_ID, DATA_TEXT, AnnotationJSON, ParsedTasks, TaskJSON, task_name
from rasd.gold.agreement import span_f1
from rasd.gold.annotations import load_corpus
from rasd.labelstudio.offsets import UTF16
from rasd.labelstudio.regions import Region, read_regions
from rasd.labelstudio.selection import Selection, annotation_name, annotator, select_annotation, submitted
from rasd.labelstudio.spans import span_keys, task_to_spans
from rasd.validation.validate import CorpusIds, semantic_errors


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


@dataclass
class MergeResult:
    """What a pull would change; ``apply_merge`` writes it only when ``errors`` is empty."""

    updates: dict[str, tuple[Document, tuple[Span, ...]]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[RasdError] = field(default_factory=list)
    held: list[RasdError] = field(default_factory=list)  # warnings: empty annotations not applied
    work: list[AnnotatorWork] = field(default_factory=list)  # every annotator's submitted spans
    adjudicated: list[str] = field(default_factory=list)  # several annotators, settled (agreement or truth)


def readable_regions(annotation: AnnotationJSON, document: Document, where: str) -> list[Region]:
    """An annotation's readable regions, problems skipped (they are reported by ``task_to_spans``)."""
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
    annotations: Sequence[AnnotationJSON],
    document: Document,
    where: str,
    disputed: Sequence[Disputed] = (),
) -> Conflict:
    names = [annotation_name(a) for a in annotations]
    spans = [annotation_spans(a, document, where=where) for a in annotations]
    f1 = tuple(
        (names[i], names[j], span_f1(spans[i], spans[j]).f1)
        for i, j in combinations(range(len(annotations)), 2)
    )
    return Conflict(where, document.id, tuple(names), f1, tuple(disputed))


def first_difference(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def task_document(task: TaskJSON, documents: Mapping[str, Document], where: str) -> Document | RasdError:
    """The document a task was made for, checked to have the same text."""
    doc_id = task["data"][DATA_ID]
    document = documents.get(doc_id)
    if document is None:
        return UNKNOWN_DOCUMENT(file=where, document=doc_id)
    text = task["data"][DATA_TEXT]
    if text != document.text:
        return TASK_TEXT_CHANGED(
            file=where,
            document=doc_id,
            offset=first_difference(text, document.text),
            task_length=len(text),
            document_length=len(document.text),
        )
    return document


def utf16_note(annotation: AnnotationJSON, document: Document, where: str) -> list[str]:
    """A note naming the regions whose offsets were UTF-16 units (converted to code points)."""
    converted = [r.id for r in readable_regions(annotation, document, where) if r.units == UTF16]
    if not converted:
        return []
    return [
        f"{where}: document {document.id}: region(s) {', '.join(converted)} had UTF-16 offsets "
        "(JavaScript string positions); converted to code points"
    ]


def held_back(annotation: AnnotationJSON, document: Document, where: str) -> RasdError | None:
    """The warning for an empty annotation that would delete the document's gold spans."""
    if annotation.get("result") or not document.spans:
        return None
    return EMPTY_ANNOTATION_HELD(
        file=where, document=document.id, annotation=annotation_name(annotation), count=len(document.spans)
    )


def keep_annotator_work(result: MergeResult, task: TaskJSON, document: Document, where: str) -> int:
    """Each annotator's latest submitted annotation; kept in ``result.work`` when there are several.

    A task with one annotator gives its annotation to the gold itself (nothing to
    keep apart, and a pull without edits stays byte-identical); with several,
    each one's work is kept whatever the gold becomes.
    """
    latest: dict[str, AnnotationJSON] = {}
    for annotation in sorted(submitted(task), key=lambda a: a.get("id", 0)):
        latest[annotator(annotation)] = annotation
    for who, annotation in sorted(latest.items()):
        spans, errors = task_to_spans(annotation, document, where=where)
        result.errors += errors
        if len(latest) > 1:
            result.work.append(AnnotatorWork(who, document, tuple(sorted(spans))))
    return len(latest)


def _key(span: Span) -> tuple[int, int, str]:
    return (span.start, span.end, span.label)


def adjudicate(
    result: MergeResult, annotations: Sequence[AnnotationJSON], document: Document, where: str
) -> list[Span] | None:
    """Several annotations, no ground truth: the spans all agree on, the previous gold where they differ.

    Nothing disputed is guessed: each disputed place keeps the previous gold spans
    overlapping it, and the task is reported as a conflict for a reviewer.
    """
    sides = []
    for annotation in annotations:
        spans, errors = task_to_spans(annotation, document, where=where)
        if errors:
            return None  # reported by keep_annotator_work
        sides.append(spans)
    agreed_keys = set.intersection(*({_key(s) for s in side} for side in sides))
    agreed = [s for s in sides[0] if _key(s) in agreed_keys]
    disputed = disputed_spans(annotations, sides)
    if not disputed:
        result.adjudicated.append(document.id)  # every annotator agrees: nothing left to decide
        return agreed
    result.conflicts.append(conflict_of(annotations, document, where, disputed))
    taken_ids = {s.id for s in agreed}
    kept = [
        g
        for g in document.spans
        if _key(g) not in agreed_keys
        and g.id not in taken_ids
        and any(g.start < d.end and d.start < g.end for d in disputed)
    ]
    return [*agreed, *kept]


def chosen_spans(
    result: MergeResult,
    selection: Selection,
    document: Document,
    where: str,
    *,
    annotators: int,
    accept_empty: bool,
) -> list[Span] | None:
    """The spans the selected annotation (or the agreement of several) gives; None leaves the gold."""
    if selection.conflict:
        if all(a.get("ground_truth", False) for a in selection.conflict):
            result.conflicts.append(conflict_of(selection.conflict, document, where))
            return None
        return adjudicate(result, selection.conflict, document, where)
    if selection.taken is None:
        return None
    warning = None if accept_empty else held_back(selection.taken, document, where)
    if warning is not None:
        result.held.append(warning)
        return None
    spans, errors = task_to_spans(selection.taken, document, where=where)
    if errors:
        return None  # reported by keep_annotator_work
    result.notes += utf16_note(selection.taken, document, where)
    if selection.taken.get("ground_truth", False) and annotators > 1:
        result.adjudicated.append(document.id)
    return spans


def merge_task(
    result: MergeResult, task: TaskJSON, document: Document, where: str, *, accept_empty: bool = False
) -> tuple[Span, ...] | None:
    """Add what one task gives its document to ``result``; its new gold spans when they change.

    Every annotator's submitted work is kept (``result.work``).  The gold is the
    ground truth, else the only submitted annotation, else the spans every
    annotator agrees on (disputed places keep the previous gold and are reported).
    An empty annotation on a document with gold spans is held back (a warning)
    unless ``accept_empty``: submitting an empty form is more often a slip than a verdict.
    """
    annotators = keep_annotator_work(result, task, document, where)
    selection = select_annotation(task)
    result.notes += [f"{where}: document {document.id}: {note}" for note in selection.notes]
    reported = len(result.conflicts) + len(result.held) + len(result.errors)
    spans = chosen_spans(result, selection, document, where, annotators=annotators, accept_empty=accept_empty)
    if spans is None or span_keys(spans) == span_keys(document.spans):
        if reported == len(result.conflicts) + len(result.held) + len(result.errors):
            result.unchanged.append(document.id)
        return None
    result.updates[document.id] = (document, tuple(sorted(spans)))
    return tuple(spans)


def check_corpus_ids(
    result: MergeResult, final: Mapping[str, Sequence[Span]], seen: Mapping[str, str]
) -> None:
    """Span ids stay unique across the corpus once the merged spans replace the gold."""
    ids = CorpusIds()
    for doc_id in sorted(final):
        result.errors += ids.check(
            doc_id, final[doc_id], file=seen.get(doc_id) or f"dataset/annotations/{doc_id}.json"
        )


def merge_tasks(
    repo: Repo, tasks: Sequence[TaskJSON], origin: str, *, accept_empty: bool = False
) -> MergeResult:
    """Work out the gold spans every task gives its document; collect every problem."""
    result = MergeResult()
    documents = {d.id: d for d in load_corpus(repo, errors=result.errors)}
    seen: dict[str, str] = {}
    final: dict[str, Sequence[Span]] = {doc_id: d.spans for doc_id, d in documents.items()}
    for index, task in enumerate(tasks):
        where = task_name(origin, cast(Mapping[str, Any], task), index)
        found = task_document(task, documents, where)
        if isinstance(found, RasdError):
            result.errors.append(found)
        elif found.id in seen:
            result.errors.append(DUPLICATE_TASK(file=where, document=found.id, first=seen[found.id]))
        else:
            seen[found.id] = where
            merged = merge_task(result, task, found, where, accept_empty=accept_empty)
            if merged is not None:
                final[found.id] = merged
    check_corpus_ids(result, final, seen)
    return result


def stage_gold(
    repo: Repo, transaction: Transaction, document: Document, spans: Sequence[Span], *, status: str = COMPLETE
) -> bool:
    """Check a document's new gold spans and stage its file when it changes; True if staged."""
    path = annotation_path(repo, document.id)
    raise_all(semantic_errors(document.id, document.text, spans, file=repo.relative(path)))
    text = render_annotations(document, spans, status=status)
    if path.exists() and read_text(path, file=repo.relative(path)) == text:
        return False
    transaction.write_text(path, text)
    return True


def apply_merge(repo: Repo, result: MergeResult) -> list[str]:
    """Write the changed gold files and every annotator's work, all or nothing.

    Every problem is raised before the first write; the files are then written
    in one ``Transaction`` (after a crash, all of them or none).
    """
    raise_all(result.errors, summary="problems found; nothing was written")
    transaction = Transaction(repo.root, "ls-pull")
    try:
        settled = set(result.adjudicated)
        for doc_id in sorted(result.updates):
            status = ADJUDICATED if doc_id in settled else COMPLETE
            stage_gold(repo, transaction, *result.updates[doc_id], status=status)
        stage_annotator_work(repo, transaction, result.work)
    except BaseException:
        transaction.abandon()
        raise
    if not transaction.targets:
        transaction.abandon()
        return []
    return transaction.commit()


@dataclass
class PullReport:
    """What a pull (or an import of an export file) did."""

    merge: MergeResult
    changed: list[str]


class Built(Protocol):
    """What a rebuild reports: the files it changed (``rasd.dataset.build.BuildReport`` is one)."""

    @property
    def changed(self) -> Sequence[str]: ...


Rebuild = Callable[[Repo], Built]


def import_tasks(
    repo: Repo, parsed: ParsedTasks, *, rebuild: Rebuild | None = None, accept_empty: bool = False
) -> PullReport:
    """Merge an export into the gold files, then rebuild ``dataset/`` when ``rebuild`` is given.

    Every problem in the export or in the merged gold is raised before anything
    is written; conflicts are reported in the result and leave their documents
    alone.  The rebuild is passed in (``rasd.labelstudio`` sits below the build).
    """
    merge = merge_tasks(repo, parsed.tasks, parsed.origin, accept_empty=accept_empty)
    merge.errors[:0] = parsed.problems
    changed = apply_merge(repo, merge)
    if rebuild is not None:
        changed += [name for name in rebuild(repo).changed if name not in changed]
    return PullReport(merge, changed)
