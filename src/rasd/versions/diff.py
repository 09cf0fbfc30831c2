"""Span-level differences between two states of the dataset.

A *snapshot* is what a reader of one version gets, reduced to what matters for
comparison: per document the sha256 of its text, its metadata, its spans and a
fingerprint of its tokens record.  Snapshots come from the working tree (gold
annotations through the build's own validated loop) or from a released version
(its parquet files, recovered from the tree or git and checked against the
release record).  Spans are matched by their id, which is stable across
versions, so a changed span reads as relabelled / boundary-moved /
value-changed rather than as one removal plus one addition.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasd.core.errors import RasdError, raise_all
from rasd.core.labels import LABELS, OUTSIDE
from rasd.core.paths import Repo
from rasd.dataset.build import iter_release_records
from rasd.dataset.parquet import iter_rows
from rasd.versions.checkout import materialise
from rasd.versions.manifest import features_fingerprint, load_record
from rasd.versions.versioning import Version, required_bump

METADATA_FIELDS = ("title", "raw_file", "outlet", "author", "url", "published", "language", "offset_map")
WORKING = "working tree"


@dataclass(frozen=True)
class SpanState:
    id: str
    start: int
    end: int
    label: str
    text: str
    value: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "value": self.value,
        }


@dataclass(frozen=True)
class DocState:
    id: str
    text_sha256: str
    metadata: tuple[tuple[str, str], ...]
    spans: tuple[SpanState, ...]
    tokens_sha256: str


@dataclass(frozen=True)
class Snapshot:
    """One state of the dataset: a version (or the working tree) and its documents."""

    name: str
    labels: tuple[str, ...]
    features_sha256: str | None
    documents: dict[str, DocState]


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def doc_state(spans_record: dict[str, Any], tokens_record: dict[str, Any] | None) -> DocState:
    """The comparable state of one released record (labels already names)."""
    metadata = tuple((key, _digest(spans_record.get(key))) for key in METADATA_FIELDS)
    spans = tuple(
        SpanState(s["id"], s["start"], s["end"], s["label"], s["text"], s["value"])
        for s in spans_record["spans"]
    )
    return DocState(
        spans_record["id"], spans_record["text_sha256"], metadata, spans, _digest(tokens_record or {})
    )


def working_snapshot(repo: Repo) -> Snapshot:
    """The working tree as the next build would release it; raise every input problem."""
    errors: list[RasdError] = []
    documents = {}
    for _split, record, tokens in iter_release_records(repo, errors):
        documents[record["id"]] = doc_state(record, tokens)
    raise_all(errors, summary="problems in the inputs; fix them before comparing or releasing")
    return Snapshot(WORKING, LABELS, features_fingerprint(), documents)


def _iter_parquet(folder: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(folder.glob("*.parquet")):
        yield from iter_rows(path, file=f"dataset/data/{folder.name}/{path.name}")


def bio_names(labels: tuple[str, ...]) -> list[str]:
    """The ``ner_tags`` names of a label set (``O``, then ``B-X``, ``I-X`` per label), as in ``labels.py``."""
    return [OUTSIDE, *(f"{prefix}-{label}" for label in labels for prefix in ("B", "I"))]


def snapshot_from_folder(name: str, folder: Path, labels: tuple[str, ...], features: str | None) -> Snapshot:
    """A snapshot of released parquet files under ``folder/data`` whose label names are ``labels``."""
    tags = bio_names(labels)
    tokens = {}
    for record in _iter_parquet(folder / "data" / "tokens"):
        record["ner_tags"] = [tags[i] for i in record["ner_tags"]]
        tokens[record["id"]] = record
    documents = {}
    for record in _iter_parquet(folder / "data" / "spans"):
        for span in record["spans"]:
            span["label"] = labels[span["label"]]
        documents[record["id"]] = doc_state(record, tokens.get(record["id"]))
    return Snapshot(name, labels, features, documents)


def released_snapshot(repo: Repo, version: Version) -> Snapshot:
    """The snapshot of a released version, its data recovered and checked against its record."""
    record = load_record(repo, version)
    with tempfile.TemporaryDirectory(prefix="rasd-diff-") as tmp:
        materialise(repo, record, Path(tmp), record.data_files())
        return snapshot_from_folder(str(version), Path(tmp), record.labels, record.features_sha256)


def empty_snapshot() -> Snapshot:
    """Before the first release: nothing, and no label set to compare with."""
    return Snapshot("none", (), None, {})


@dataclass(frozen=True)
class DocumentChange:
    document: str
    change: str
    fields: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "change": self.change, "fields": list(self.fields)}


@dataclass(frozen=True)
class SpanChange:
    document: str
    span: str
    changes: tuple[str, ...]
    before: SpanState | None
    after: SpanState | None

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "span": self.span,
            "changes": list(self.changes),
            "before": self.before.to_json() if self.before else None,
            "after": self.after.to_json() if self.after else None,
        }


@dataclass(frozen=True)
class LabelCounts:
    label: str
    before: int = 0
    after: int = 0
    added: int = 0
    removed: int = 0
    relabelled_out: int = 0
    relabelled_in: int = 0
    boundary_moved: int = 0
    value_changed: int = 0

    def row(self) -> list[object]:
        return [
            self.label,
            self.before,
            self.after,
            self.added,
            self.removed,
            self.relabelled_out,
            self.relabelled_in,
            self.boundary_moved,
            self.value_changed,
        ]


LABEL_COLUMNS = [
    "label",
    "spans before",
    "spans after",
    "added",
    "removed",
    "relabelled from",
    "relabelled to",
    "boundary moved",
    "value changed",
]


@dataclass(frozen=True)
class Diff:
    old: Snapshot
    new: Snapshot
    documents: tuple[DocumentChange, ...] = ()
    spans: tuple[SpanChange, ...] = ()
    label_counts: tuple[LabelCounts, ...] = field(default_factory=tuple)

    @property
    def labels_changed(self) -> bool:
        return bool(self.old.labels) and self.old.labels != self.new.labels

    @property
    def schema_changed(self) -> bool:
        return self.old.features_sha256 is not None and self.old.features_sha256 != self.new.features_sha256

    def change_kinds(self) -> set[str]:
        """The kinds of change present, as keys of ``versioning.BUMP_RULES``."""
        kinds = {d.change for d in self.documents}
        kinds |= {kind for s in self.spans for kind in s.changes}
        if self.labels_changed:
            kinds.add("label-set")
        if self.schema_changed:
            kinds.add("schema")
        return kinds

    def to_json(self) -> dict[str, Any]:
        return {
            "from": None if self.old.name == "none" else self.old.name,
            "to": self.new.name,
            "required_bump": required_bump(self.change_kinds()),
            "changes": sorted(self.change_kinds()),
            "labels": {"before": list(self.old.labels), "after": list(self.new.labels)},
            "schema_changed": self.schema_changed,
            "documents": {"before": len(self.old.documents), "after": len(self.new.documents)},
            "document_changes": [d.to_json() for d in self.documents],
            "span_changes": [s.to_json() for s in self.spans],
            "per_label": [dict(zip(LABEL_COLUMNS, c.row(), strict=True)) for c in self.label_counts],
        }


def span_change_kinds(before: SpanState, after: SpanState) -> tuple[str, ...]:
    kinds = []
    if before.label != after.label:
        kinds.append("span-relabelled")
    if (before.start, before.end) != (after.start, after.end):
        kinds.append("span-boundary-moved")
    if before.value != after.value:
        kinds.append("span-value-changed")
    return tuple(kinds)


def document_changes(old: DocState | None, new: DocState | None, doc_id: str) -> list[DocumentChange]:
    if old is None:
        return [DocumentChange(doc_id, "document-added")]
    if new is None:
        return [DocumentChange(doc_id, "document-removed")]
    found = []
    if old.text_sha256 != new.text_sha256:
        found.append(DocumentChange(doc_id, "text-changed"))
    fields = tuple(key for (key, a), (_, b) in zip(old.metadata, new.metadata, strict=True) if a != b)
    if fields:
        found.append(DocumentChange(doc_id, "metadata-changed", fields))
    return found


def span_changes(old: DocState | None, new: DocState | None, doc_id: str) -> list[SpanChange]:
    before = {s.id: s for s in (old.spans if old else ())}
    after = {s.id: s for s in (new.spans if new else ())}
    found = []
    for span_id in sorted(set(before) | set(after), key=lambda i: _position(i, before, after)):
        a, b = before.get(span_id), after.get(span_id)
        if a is None:
            found.append(SpanChange(doc_id, span_id, ("span-added",), None, b))
        elif b is None:
            found.append(SpanChange(doc_id, span_id, ("span-removed",), a, None))
        elif kinds := span_change_kinds(a, b):
            found.append(SpanChange(doc_id, span_id, kinds, a, b))
    return found


def _position(
    span_id: str, before: dict[str, SpanState], after: dict[str, SpanState]
) -> tuple[int, int, str]:
    span = after.get(span_id) or before[span_id]
    return (span.start, -span.end, span_id)


def count_labels(old: Snapshot, new: Snapshot, spans: Iterable[SpanChange]) -> tuple[LabelCounts, ...]:
    labels = list(new.labels) + [lab for lab in old.labels if lab not in new.labels]
    counts: dict[str, dict[str, int]] = {label: {} for label in labels}

    def add(label: str, key: str) -> None:
        bucket = counts.setdefault(label, {})
        bucket[key] = bucket.get(key, 0) + 1

    for snapshot, key in ((old, "before"), (new, "after")):
        for doc in snapshot.documents.values():
            for span in doc.spans:
                add(span.label, key)
    for change in spans:
        if change.after is None and change.before is not None:
            add(change.before.label, "removed")
        elif change.before is None and change.after is not None:
            add(change.after.label, "added")
        elif change.before is not None and change.after is not None:
            if "span-relabelled" in change.changes:
                add(change.before.label, "relabelled_out")
                add(change.after.label, "relabelled_in")
            if "span-boundary-moved" in change.changes:
                add(change.after.label, "boundary_moved")
            if "span-value-changed" in change.changes:
                add(change.after.label, "value_changed")
    return tuple(LabelCounts(label, **values) for label, values in counts.items())


def diff_snapshots(old: Snapshot, new: Snapshot) -> Diff:
    """Every document and span change from ``old`` to ``new``, in document then text order."""
    documents: list[DocumentChange] = []
    spans: list[SpanChange] = []
    for doc_id in sorted(set(old.documents) | set(new.documents)):
        a, b = old.documents.get(doc_id), new.documents.get(doc_id)
        doc_changes = document_changes(a, b, doc_id)
        doc_spans = span_changes(a, b, doc_id)
        if a and b and a.tokens_sha256 != b.tokens_sha256 and not doc_spans and not doc_changes:
            doc_changes.append(DocumentChange(doc_id, "tokens-changed"))
        documents += doc_changes
        spans += doc_spans
    return Diff(old, new, tuple(documents), tuple(spans), count_labels(old, new, spans))


def snapshot_of(repo: Repo, which: Version | None) -> Snapshot:
    """A released version's snapshot, or the working tree's for None."""
    return working_snapshot(repo) if which is None else released_snapshot(repo, which)
