"""What the consistency checks read and return: the gold ``Corpus`` and each ``Finding``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rasd.core.errors import Problem, RasdError, raise_all
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.formats.gold import annotation_path
from rasd.formats.registry import Registry, load_registry
from rasd.gold.annotations import load_corpus
from rasd.gold.words import context


@dataclass(frozen=True)
class Corpus:
    """What the checks read: every document with its gold spans, the registry, file names."""

    documents: tuple[Document, ...]
    registry: Registry
    files: Mapping[str, str]

    def file(self, doc_id: str) -> str:
        return self.files.get(doc_id, f"dataset/annotations/{doc_id}.json")

    def warn(self, entry: Problem, document: Document, span: Span | None, **values: Any) -> RasdError:
        """The warning ``entry`` about ``span`` (or the document), placed in its gold file."""
        return entry(
            file=self.file(document.id), document=document.id, span=span.id if span else None, **values
        )


@dataclass(frozen=True)
class Finding:
    """One warning from one named check; ``note`` is the span's reason when it was accepted."""

    check: str
    warning: RasdError
    note: str | None

    @property
    def noted(self) -> bool:
        return self.note is not None


Warned = tuple[RasdError, Span | None]
Check = Callable[[Corpus], Iterator[Warned]]
"""A check yields each warning with the span whose ``note`` can accept it (None: nothing can)."""


def span_context(document: Document, span: Span) -> str:
    """The span in its sentence, for messages."""
    return context(document.text, span.start, span.end)


def load_gold(repo: Repo) -> Corpus:
    """The gold corpus and registry; broken annotation files are errors, reported all at once."""
    errors: list[RasdError] = []
    documents = tuple(load_corpus(repo, errors=errors))
    raise_all(errors, summary="problems in the gold annotations; fix them before checking consistency")
    files = {d.id: repo.relative(annotation_path(repo, d.id)) for d in documents}
    return Corpus(documents, load_registry(repo), files)
