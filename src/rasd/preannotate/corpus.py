"""Pre-annotate a whole repository: every document's suggestions, on every core, in document order.

Documents stream from ``dataset/raw`` in batches to the engine (``rasd.core.engine``:
Dask, local processes by default); each worker builds the lexicon once
(``registry_lexicon`` is cached per process) and returns each document's
suggestions; the parent writes them in document order. The files written are
the same bytes whatever the worker count or batch size
(``tests/test_preannotate_corpus.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from rasd.core.engine import DOCUMENTS_PER_TASK, EngineSpec, batched, map_ordered
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.formats.learned import LearnedName
from rasd.formats.registry import Registry
from rasd.intake.ingest import iter_documents
from rasd.preannotate.stored import save_predictions
from rasd.preannotate.suggest import predict_document

BATCH = DOCUMENTS_PER_TASK


@dataclass(frozen=True)
class CorpusReport:
    documents: int
    spans: int
    written: int


def predict_batch(
    registry: Registry, learned: tuple[LearnedName, ...], documents: Sequence[Document]
) -> list[tuple[Span, ...]]:
    """One engine task: the suggestions of each document of a batch (module level: workers import it).

    ``learned`` is small and travels with each task; the grown lexicon is built
    once per process (``learned_lexicon`` is cached).
    """
    return [predict_document(document, registry, learned) for document in documents]


def preannotate_corpus(
    repo: Repo,
    registry: Registry,
    spec: EngineSpec,
    *,
    batch: int = BATCH,
    learned: tuple[LearnedName, ...] = (),
) -> CorpusReport:
    """Suggestions for every document into ``dataset/predictions/``; never touches the gold.

    ``learned``: names annotators confirmed, added to the lexicon (``rasd preannotate --learned``).
    """
    documents = spans = written = 0
    batches = batched(iter_documents(repo), batch)
    pending: list[list[Document]] = []

    def remembered() -> Iterator[list[Document]]:
        for group in batches:
            pending.append(group)
            yield group

    for suggestions in map_ordered(partial(predict_batch, registry, learned), remembered(), spec):
        for document, found in zip(pending.pop(0), suggestions, strict=True):
            documents += 1
            spans += len(found)
            written += save_predictions(repo, document, found)
    return CorpusReport(documents, spans, written)
