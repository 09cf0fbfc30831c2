"""``dataset/annotations/by_annotator/<annotator>/<doc>.json``: every annotator's own work.

When several annotators label a document, each one's submitted annotation is
kept here, whatever the gold becomes, so that agreement can be measured and no
annotator's work is ever dropped.  A file has the gold file's format
(``rasd.formats.gold``: document, text hash, one span per line); the folder is
the annotator's Label Studio e-mail, or ``user-<id>``, made safe as a file name.
Files are written together through a ``rasd.core.journal.Transaction`` by the
caller, so a pull writes all of them or none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rasd.core.io import read_text
from rasd.core.journal import Transaction
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.formats.gold import AnnotationFile, read_annotation_file, render_annotations, text_sha256

BY_ANNOTATOR = "by_annotator"
_UNSAFE = re.compile(r"[^A-Za-z0-9@._+-]+")


def annotator_folder_name(annotator: str) -> str:
    """A file-name-safe folder for an annotator: ``a.b@example.com`` stays, ``user 3`` -> ``user-3``."""
    name = _UNSAFE.sub("-", annotator.strip()).strip("-.")
    return name or "unknown"


def by_annotator_dir(repo: Repo) -> Path:
    return repo.annotations_dir / BY_ANNOTATOR


def annotator_path(repo: Repo, annotator: str, doc_id: str) -> Path:
    return by_annotator_dir(repo) / annotator_folder_name(annotator) / f"{doc_id}.json"


@dataclass(frozen=True)
class AnnotatorWork:
    """One annotator's submitted spans on one document."""

    annotator: str
    document: Document
    spans: tuple[Span, ...]


def stage_annotator_work(repo: Repo, transaction: Transaction, work: Iterable[AnnotatorWork]) -> None:
    """Stage every file whose content changes in ``transaction`` (unchanged files are not rewritten)."""
    for item in work:
        path = annotator_path(repo, item.annotator, item.document.id)
        text = render_annotations(item.document, item.spans)
        if path.exists() and read_text(path, file=repo.relative(path)) == text:
            continue
        transaction.write_text(path, text)


@dataclass(frozen=True)
class AnnotatorFile:
    """A parsed ``by_annotator`` file: whose it is and its content."""

    annotator: str
    parsed: AnnotationFile

    @property
    def document(self) -> str:
        return self.parsed.document

    def made_on(self, text: str) -> bool:
        """Whether the spans were made on ``text`` (a changed text makes them stale)."""
        return self.parsed.text_sha256 == text_sha256(text)


def iter_annotator_files(repo: Repo) -> Iterator[AnnotatorFile]:
    """Every stored annotator file, folder by folder, structurally validated (problems raised)."""
    folder = by_annotator_dir(repo)
    if not folder.is_dir():
        return
    for annotator in sorted(p for p in folder.iterdir() if p.is_dir()):
        for path in sorted(annotator.glob("*.json")):
            yield AnnotatorFile(annotator.name, read_annotation_file(repo, path))
