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
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.problems.labelstudio import (
    DUPLICATE_TASK,
    EMPTY_ANNOTATION_HELD,
    TASK_TEXT_CHANGED,
    UNKNOWN_DOCUMENT,
)
from rasd.formats.labelstudio import DATA_ID, DATA_TEXT, AnnotationJSON, ParsedTasks, TaskJSON, task_name
from rasd.gold.agreement import span_f1
from rasd.gold.annotations import annotation_path, load_corpus, write_annotations
from rasd.labelstudio.offsets import UTF16
from rasd.labelstudio.regions import Region, read_regions
from rasd.labelstudio.selection import annotation_name, select_annotation
from rasd.labelstudio.spans import span_keys, task_to_spans
from rasd.validation.validate import CorpusIds


@dataclass(frozen=True)
class Conflict:
    """A task with several submitted annotations and no ground truth."""

    where: str
    document: str
    annotations: tuple[str, ...]
    f1: tuple[tuple[str, str, float | None], ...]

    def render(self) -> str:
        pairs = "; ".join(f"{a} vs {b}: span F1 {'n/a' if f is None else f'{f:.2f}'}" for a, b, f in self.f1)
        return (
            f"{self.where}: document {self.document}: {len(self.annotations)} submitted annotations and no "
            f"ground truth ({pairs}). Fix: reconcile them in Label Studio and mark one as ground truth "
            "(the star), or delete the others; the gold is left unchanged until then"
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


def readable_regions(annotation: AnnotationJSON, document: Document, where: str) -> list[Region]:
    """An annotation's readable regions, problems skipped (they are reported by ``task_to_spans``)."""
    regions, _ = read_regions(annotation.get("result", []), document.text, where=where, document=document.id)
    return regions


def annotation_spans(
    annotation: AnnotationJSON, document: Document, *, where: str
) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of an annotation's readable regions (for agreement)."""
    return [(r.start, r.end, r.label) for r in readable_regions(annotation, document, where)]


def conflict_of(annotations: Sequence[AnnotationJSON], document: Document, where: str) -> Conflict:
    names = [annotation_name(a) for a in annotations]
    spans = [annotation_spans(a, document, where=where) for a in annotations]
    f1 = tuple(
        (names[i], names[j], span_f1(spans[i], spans[j]).f1)
        for i, j in combinations(range(len(annotations)), 2)
    )
    return Conflict(where, document.id, tuple(names), f1)


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


def merge_task(
    result: MergeResult, task: TaskJSON, document: Document, where: str, *, accept_empty: bool = False
) -> tuple[Span, ...] | None:
    """Add what one task gives its document to ``result``; its new gold spans when they change.

    An empty annotation on a document with gold spans is held back (a warning)
    unless ``accept_empty``: submitting an empty form is more often a slip than a verdict.
    """
    selection = select_annotation(task)
    result.notes += [f"{where}: document {document.id}: {note}" for note in selection.notes]
    if selection.conflict:
        result.conflicts.append(conflict_of(selection.conflict, document, where))
        return None
    if selection.taken is None:
        result.unchanged.append(document.id)
        return None
    warning = None if accept_empty else held_back(selection.taken, document, where)
    if warning is not None:
        result.held.append(warning)
        return None
    spans, errors = task_to_spans(selection.taken, document, where=where)
    if errors:
        result.errors += errors
        return None
    result.notes += utf16_note(selection.taken, document, where)
    if span_keys(spans) == span_keys(document.spans):
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


def apply_merge(repo: Repo, result: MergeResult) -> list[str]:
    """Write the changed gold files, all or nothing: every problem is raised before the first write."""
    raise_all(result.errors, summary="problems found; nothing was written")
    changed = []
    for doc_id in sorted(result.updates):
        document, spans = result.updates[doc_id]
        if write_annotations(repo, document, spans):
            changed.append(repo.relative(annotation_path(repo, doc_id)))
    return changed


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
