"""``rasd ls export-tasks --predictions``: stored pre-annotations are read once per document (issue #9).

It was quadratic (29.6 s for 250 documents, 108 s for 500): for every document,
reading its suggestions re-ingested the corpus to find that document's text.
The tests count calls instead of timing, so they fail at once when the
work per document grows with the corpus again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.intake import ingest
from rasd.labelstudio.tasks import stored_predictions

pytest_plugins = ["ls_server"]

from ls_server import rasd  # noqa: E402  (after the plugin line, on purpose)

DOCUMENTS = 1_000


def many_documents(repo: Repo, count: int) -> list[str]:
    """``count`` more short raw articles, each with its own text."""
    ids = [f"{n:04d}_doc" for n in range(count)]
    for n, doc_id in enumerate(ids):
        (repo.raw_dir / f"{doc_id}.txt").write_text(
            f"قالت وزارة الصحة إن {n} شخصا أصيبوا.\n", encoding="utf-8"
        )
    return ids


def test_stored_predictions_load_each_document_once() -> None:
    documents = [
        Document(id=f"d{n}", text="x", title=None, source=None, offset_map=None)  # type: ignore[arg-type]
        for n in range(DOCUMENTS)
    ]
    loaded: list[str] = []

    def load(document: Document) -> Sequence[Span]:
        loaded.append(document.id)
        return ()

    found = stored_predictions(iter(documents), load)
    assert loaded == [d.id for d in documents]  # one call per document, each with the document itself
    assert found == {d.id: [] for d in documents}


@pytest.fixture
def counted_ingest(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the corpus is ingested; a fourth time fails at once (the quadratic path)."""
    calls: list[int] = []
    real = ingest.iter_documents

    def counting(repo: Repo) -> Iterator[Document]:
        calls.append(1)
        if len(calls) > 3:
            raise AssertionError(f"the corpus is ingested again ({len(calls)} times)")
        return real(repo)

    monkeypatch.setattr(ingest, "iter_documents", counting)
    return calls


def test_export_tasks_with_stored_predictions_ingests_the_corpus_a_fixed_number_of_times(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counted_ingest: list[int]
) -> None:
    from rasd.preannotate.stored import save_predictions

    many_documents(repo, DOCUMENTS)
    for document in ingest.iter_documents(repo):
        save_predictions(repo, document, [])
    counted_ingest.clear()
    out = tmp_path / "tasks.json"
    args = ("ls", "export-tasks", str(out), "--predictions", "rules-1")
    assert rasd(repo, *args, monkeypatch=monkeypatch) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) >= DOCUMENTS
    assert len(counted_ingest) <= 3
