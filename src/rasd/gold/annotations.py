"""Gold annotations: the human-edited source of truth, one JSON file per document.

``dataset/annotations/<doc_id>.json`` holds the document id, the sha256 of the
text the spans were made on, and the spans, one per line so that a git diff
shows one changed span as one changed line.  Each span also carries its raw
anchor (``raw``: offsets in the raw file), which is what ``rasd migrate`` uses to
carry spans over when a change to the cleaning rules changes a text.  A document
without a file simply has no spans yet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.core.errors import (
    AnnotationFileError,
    MigrationError,
    RasdError,
    RasdErrors,
    StaleAnnotationError,
    raise_all,
)
from rasd.core.io import atomic_write_text
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.spans import nesting_order
from rasd.core.values import value_from_json, value_to_json
from rasd.intake.ingest import iter_documents, text_sha256
from rasd.validation.schema import structural_errors
from rasd.validation.validate import semantic_errors


def annotation_path(repo: Repo, doc_id: str) -> Path:
    return repo.annotations_dir / f"{doc_id}.json"


def span_to_json(document: Document, span: Span) -> dict[str, Any]:
    raw_start, raw_end = document.offset_map.raw_span(span.start, span.end)
    record: dict[str, Any] = {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "value": value_to_json(span.label, span.value),
        "raw": [raw_start, raw_end],
    }
    if span.note:
        record["note"] = span.note
    return record


def render_annotations(document: Document, spans: Iterable[Span]) -> str:
    """The file's text: deterministic, one span per line, in text order."""
    lines = [
        "{",
        f'  "document": {json.dumps(document.id)},',
        f'  "text_sha256": "{text_sha256(document.text)}",',
    ]
    ordered = nesting_order(spans)
    if not ordered:
        lines.append('  "spans": []')
    else:
        lines.append('  "spans": [')
        body = [
            "    " + json.dumps(span_to_json(document, s), ensure_ascii=False, separators=(", ", ": "))
            for s in ordered
        ]
        lines.append(",\n".join(body))
        lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_annotations(repo: Repo, document: Document, spans: Iterable[Span]) -> bool:
    """Write a document's gold spans atomically, after checking them; True if the file changed."""
    spans = list(spans)
    path = annotation_path(repo, document.id)
    raise_all(semantic_errors(document.id, document.text, spans, file=repo.relative(path)))
    return atomic_write_text(path, render_annotations(document, spans))


@dataclass(frozen=True)
class AnnotationFile:
    """A parsed annotation file, before its spans are checked against the text."""

    path: Path
    document: str
    text_sha256: str
    spans: tuple[Span, ...]
    raw_anchors: dict[str, tuple[int, int]]


def parse_annotation_file(repo: Repo, path: Path) -> AnnotationFile:
    """Parse and structurally validate one file; raise every problem found."""
    shown = repo.relative(path)
    doc_hint = path.stem
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise AnnotationFileError(
            "not UTF-8", file=shown, document=doc_hint, hint="re-save the file as UTF-8"
        ) from exc
    except json.JSONDecodeError as exc:
        raise AnnotationFileError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            file=shown,
            document=doc_hint,
            hint="fix the syntax (a missing comma or quote is the usual cause)",
            line=exc.lineno,
        ) from exc
    raise_all(
        structural_errors("annotation.schema.json", data, file=shown, document=doc_hint),
        summary="schema violations",
    )
    if data["document"] != path.stem:
        raise AnnotationFileError(
            f"file names document {path.stem} but its content says {data['document']!r}",
            file=shown,
            document=path.stem,
            hint="rename the file or correct the document field",
        )
    spans = []
    anchors = {}
    for record in data["spans"]:
        spans.append(
            Span(
                start=record["start"],
                end=record["end"],
                label=record["label"],
                id=record["id"],
                text=record["text"],
                value=value_from_json(record["label"], record.get("value")),
                note=record.get("note"),
            )
        )
        anchors[record["id"]] = (record["raw"][0], record["raw"][1])
    return AnnotationFile(path, data["document"], data["text_sha256"], tuple(spans), anchors)


def read_annotations(repo: Repo, document: Document) -> tuple[Span, ...]:
    """The gold spans of ``document`` (none when it has no file), fully validated."""
    path = annotation_path(repo, document.id)
    if not path.exists():
        return ()
    parsed = parse_annotation_file(repo, path)
    shown = repo.relative(path)
    if parsed.text_sha256 != text_sha256(document.text):
        raise StaleAnnotationError(
            "the document text changed since these spans were made (text_sha256 differs)",
            file=shown,
            document=document.id,
            hint="run `rasd migrate` to re-anchor the spans on the new text",
        )
    raise_all(semantic_errors(document.id, document.text, parsed.spans, file=shown), summary="span errors")
    return parsed.spans


def orphan_annotation_errors(repo: Repo, doc_ids: set[str]) -> list[RasdError]:
    """Annotation files whose document has no raw file."""
    return [
        AnnotationFileError(
            "annotation file has no raw document",
            file=repo.relative(path),
            document=path.stem,
            hint=f"restore dataset/raw/{path.stem}.txt or delete the annotation file",
        )
        for path in sorted(repo.annotations_dir.glob("*.json"))
        if path.stem not in doc_ids
    ]


def load_corpus(repo: Repo, *, errors: list[RasdError] | None = None) -> Iterator[Document]:
    """Yield every document with its gold spans, one at a time.

    With ``errors`` given, a document whose annotations are broken is collected
    there (and yielded without spans) so a caller can report every problem; without
    it the first problem is raised.
    """
    seen: set[str] = set()
    for document in iter_documents(repo):
        seen.add(document.id)
        try:
            spans = read_annotations(repo, document)
        except RasdError as exc:
            if errors is None:
                raise
            errors.extend(exc.errors if isinstance(exc, RasdErrors) else [exc])
            spans = ()
        yield document.with_spans(spans)
    orphans = orphan_annotation_errors(repo, seen)
    if orphans:
        if errors is None:
            raise_all(orphans)
        else:
            errors.extend(orphans)


@dataclass(frozen=True)
class MigrationReport:
    migrated: tuple[str, ...]
    unplaced: tuple[RasdError, ...]


def migrate_spans(
    document: Document, spans: Sequence[Span], anchors: dict[str, tuple[int, int]], *, file: str
) -> tuple[list[Span], list[RasdError]]:
    """Carry spans to ``document``'s new text through their raw anchors.

    A span lands where its raw characters now are; it is kept only if the new text
    there still reads exactly the span's text.  Anything else is reported.
    """
    moved: list[Span] = []
    problems: list[RasdError] = []
    for span in spans:
        target = document.offset_map.text_span_from_raw(*anchors[span.id])
        if target is None or document.text[target[0] : target[1]] != span.text:
            where = (
                "was removed by cleaning"
                if target is None
                else f"now reads {document.text[slice(*target)]!r}"
            )
            problems.append(
                MigrationError(
                    f"cannot carry over {span.label} {span.text!r}: its raw text {where}",
                    file=file,
                    document=document.id,
                    span=span.id,
                    hint="re-annotate it on the new text by hand, then run `rasd migrate` again",
                )
            )
            continue
        moved.append(span.replace(start=target[0], end=target[1]))
    return moved, problems


def migrate(repo: Repo) -> MigrationReport:
    """Re-anchor the spans of every document whose text changed.

    A document is rewritten only when every one of its spans carries over; if any
    cannot, its file is left as it is and every such span is reported, so no
    annotator work is dropped silently.
    """
    migrated: list[str] = []
    unplaced: list[RasdError] = []
    for document in iter_documents(repo):
        path = annotation_path(repo, document.id)
        if not path.exists():
            continue
        parsed = parse_annotation_file(repo, path)
        if parsed.text_sha256 == text_sha256(document.text):
            continue
        moved, problems = migrate_spans(document, parsed.spans, parsed.raw_anchors, file=repo.relative(path))
        if problems:
            unplaced.extend(problems)
            continue
        write_annotations(repo, document, moved)
        migrated.append(document.id)
    return MigrationReport(tuple(migrated), tuple(unplaced))
