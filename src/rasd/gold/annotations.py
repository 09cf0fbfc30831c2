"""Gold annotations: the human-edited source of truth, one JSON file per document.

The file format (``dataset/annotations/<doc_id>.json``) is read and written by
``rasd.formats.gold`` only; this module puts files and documents together:
reading a document's spans checked against its current text, the whole corpus
with every problem collected, files that belong to no document, and
``rasd migrate``, which carries spans over to a changed text through their raw
anchors.  A document without a file simply has no spans yet: its status is
``unannotated`` (``iter_gold`` gives each document with its status).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rasd.core.errors import RasdError, raise_all, unbundle
from rasd.core.io import read_json
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.problems.gold import (
    GOLD_DOCUMENT_MISMATCH,
    GOLD_SAME_DOCUMENT_TWICE,
    GOLD_WITHOUT_DOCUMENT,
    GOLD_WRONG_EXTENSION,
    SPAN_NOT_CARRIED_OVER,
)
from rasd.formats.gold import (
    UNANNOTATED,
    annotation_path,
    read_annotation_file,
    read_checked,
    render_annotations,
    text_sha256,
    write_annotations,
)
from rasd.intake.ingest import iter_documents

__all__ = [  # the format's names stay importable here until every caller imports rasd.formats.gold
    "annotation_path",
    "iter_gold",
    "load_corpus",
    "migrate",
    "read_annotations",
    "read_gold",
    "render_annotations",
    "write_annotations",
]


def read_gold(
    repo: Repo, document: Document, *, data: bytes | None = None, text_digest: str | None = None
) -> tuple[str, tuple[Span, ...]]:
    """The annotation status and gold spans of ``document`` (``unannotated``, none: no file), validated.

    ``data``: the gold file's bytes when already read; ``text_digest``: the sha256
    of its text when known (``read_checked``).
    """
    return read_checked(repo, document, data=data, text_digest=text_digest)


def read_annotations(repo: Repo, document: Document) -> tuple[Span, ...]:
    """The gold spans of ``document`` (none when it has no file), fully validated."""
    return read_gold(repo, document)[1]


# --- files that belong to no document ------------------------------------------------------------


def _claimed_document(repo: Repo, path: Path) -> object:
    """The ``document`` a file says it holds, or None when it cannot be read."""
    try:
        data = read_json(path, file=repo.relative(path))
    except RasdError:
        return None
    return data.get("document") if isinstance(data, dict) else None


def _stray_file_problem(repo: Repo, path: Path, doc_ids: set[str]) -> RasdError:
    """Why a ``.json`` file named after no document is wrong: orphan, misnamed, or a second copy."""
    shown = repo.relative(path)
    claimed = _claimed_document(repo, path)
    if not isinstance(claimed, str) or claimed not in doc_ids:
        return GOLD_WITHOUT_DOCUMENT(file=shown, document=path.stem, doc_id=path.stem)
    owner = annotation_path(repo, claimed)
    if owner.exists():
        return GOLD_SAME_DOCUMENT_TWICE(
            file=shown, document=path.stem, claimed=claimed, other=repo.relative(owner)
        )
    return GOLD_DOCUMENT_MISMATCH(file=shown, document=path.stem, stem=path.stem, content=claimed)


def iter_stray_file_problems(repo: Repo, doc_ids: set[str]) -> Iterator[RasdError]:
    """Annotation files that no document reads: no raw document, a second claim, ``.JSON``."""
    folder = repo.annotations_dir
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.suffix == ".json" and path.stem not in doc_ids:
            yield _stray_file_problem(repo, path, doc_ids)
        elif path.suffix.lower() == ".json" and path.suffix != ".json":
            yield GOLD_WRONG_EXTENSION(file=repo.relative(path), suffix=path.suffix, stem=path.stem)


def load_corpus(repo: Repo, *, errors: list[RasdError] | None = None) -> Iterator[Document]:
    """Yield every document with its gold spans, one at a time.

    With ``errors`` given, a document whose annotations are broken is collected
    there (and yielded without spans) so a caller can report every problem; without
    it the first problem is raised.
    """
    for document, _ in iter_gold(repo, errors=errors):
        yield document


def iter_gold(repo: Repo, *, errors: list[RasdError] | None = None) -> Iterator[tuple[Document, str]]:
    """``load_corpus`` with each document's annotation status (a broken file: ``unannotated``)."""
    seen: set[str] = set()
    for document in iter_documents(repo):
        seen.add(document.id)
        try:
            status, spans = read_gold(repo, document)
        except RasdError as exc:
            if errors is None:
                raise
            errors.extend(unbundle(exc))
            status, spans = UNANNOTATED, ()
        yield document.with_spans(spans), status
    strays = list(iter_stray_file_problems(repo, seen))
    if errors is None:
        raise_all(strays)
    else:
        errors.extend(strays)


# --- migration -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MigrationReport:
    migrated: tuple[str, ...]
    unplaced: tuple[RasdError, ...]


def migrate_spans(
    document: Document, spans: Sequence[Span], anchors: Mapping[str, tuple[int, int]], *, file: str
) -> tuple[list[Span], list[RasdError]]:
    """Carry spans to ``document``'s new text through their raw anchors.

    A span lands where its raw characters now are; it is kept only if the new text
    there still reads exactly the span's text.  Anything else is reported.
    """
    moved: list[Span] = []
    problems: list[RasdError] = []
    for span in spans:
        target = document.offset_map.text_span_from_raw(*anchors[span.id])
        if target is not None and document.text[target[0] : target[1]] == span.text:
            moved.append(span.replace(start=target[0], end=target[1]))
            continue
        where = (
            "was removed by cleaning" if target is None else f"now reads {document.text[slice(*target)]!r}"
        )
        problems.append(
            SPAN_NOT_CARRIED_OVER(
                file=file,
                document=document.id,
                span=span.id,
                label=span.label,
                surface=span.text,
                where=where,
            )
        )
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
        parsed = read_annotation_file(repo, path)
        if parsed.text_sha256 == text_sha256(document.text):
            continue
        moved, problems = migrate_spans(document, parsed.spans, parsed.raw_anchors, file=repo.relative(path))
        if problems:
            unplaced.extend(problems)
            continue
        write_annotations(repo, document, moved, status=parsed.status)
        migrated.append(document.id)
    return MigrationReport(tuple(migrated), tuple(unplaced))
