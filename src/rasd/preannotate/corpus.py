"""Pre-annotate a whole repository: every document's suggestions, on every core, in document order.

Documents stream from ``dataset/raw`` in batches to the engine (``rasd.core.engine``:
Dask, local processes by default); each worker builds the lexicon once
(``registry_lexicon`` is cached per process) and returns each document's
prediction file, rendered (one ``bytes`` travels back, not the spans).  The
parent stages the files that changed, in document order, and commits them in
bounded all-or-nothing batches (``PredictionsWriter``: a journal transaction,
one ``os.sync()`` a batch instead of one ``fsync`` a file).  The files written
are the same bytes whatever the worker count or batch size
(``tests/test_preannotate_corpus.py``); a ``kill -9`` at any moment leaves
every file either as it was or complete (``tests/test_preannotate_crash.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from rasd.core.engine import DOCUMENTS_PER_TASK, EngineSpec, batched, map_ordered
from rasd.core.faults import fault_point
from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.formats.learned import LearnedName
from rasd.formats.predictions import PREDICTIONS_PER_COMMIT, PredictionsWriter
from rasd.formats.registry import Registry
from rasd.intake.ingest import iter_documents
from rasd.preannotate.stored import predictions_bytes
from rasd.preannotate.suggest import learned_lexicon, predict_text

BATCH = DOCUMENTS_PER_TASK


@dataclass(frozen=True)
class CorpusReport:
    documents: int
    spans: int
    written: int


class Predicted(NamedTuple):
    """One document's result, as a worker sends it back: its id, its span count, its file's bytes."""

    document: str
    spans: int
    data: bytes


def predict_batch(
    registry: Registry, learned: tuple[LearnedName, ...], documents: Sequence[Document]
) -> list[Predicted]:
    """One engine task: the prediction file of each document of a batch (module level: workers import it).

    ``learned`` is small and travels with each task; the grown lexicon is built
    once per process (``learned_lexicon`` is cached) and looked up once per batch, not per document
    (the cache's key hashes the whole registry).  Each document is ``predict_document``'s.
    """
    lexicon = learned_lexicon(registry, learned)
    results = []
    for document in documents:
        spans = predict_text(document.id, document.text, lexicon, document.source.published)
        results.append(Predicted(document.id, len(spans), predictions_bytes(document, spans)))
    return results


def preannotate_corpus(
    repo: Repo,
    registry: Registry,
    spec: EngineSpec,
    *,
    batch: int = BATCH,
    learned: tuple[LearnedName, ...] = (),
    per_commit: int = PREDICTIONS_PER_COMMIT,
) -> CorpusReport:
    """Suggestions for every document into ``dataset/predictions/``; never touches the gold.

    ``learned``: names annotators confirmed, added to the lexicon (``rasd preannotate --learned``).
    ``per_commit``: files staged before they are committed together (``PredictionsWriter``).
    """
    documents = spans = written = 0
    batches = batched(iter_documents(repo), batch)
    with PredictionsWriter(repo, per_commit=per_commit) as writer:
        for results in map_ordered(partial(predict_batch, registry, learned), batches, spec):
            for result in results:
                documents += 1
                spans += result.spans
                written += writer.write(result.document, result.data)
                fault_point(f"preannotate:document-{documents}")
    return CorpusReport(documents, spans, written)
