"""``rasd ls export-tasks --predictions``: stored pre-annotations are read once per document (issue #9).

It was quadratic (29.6 s for 250 documents, 108 s for 500): for every document,
reading its suggestions re-ingested the corpus to find that document's text.
The tests count calls instead of timing, so they fail at once when the
work per document grows with the corpus again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import many_documents

from rasd.core.model import Document, Source, Span
from rasd.core.paths import Repo
from rasd.gold import annotations
from rasd.intake import ingest
from rasd.labelstudio import tasks as task_module
from rasd.preannotate import stored

pytest_plugins = ["ls_server"]

from ls_server import rasd  # noqa: E402  (after the plugin line, on purpose)

DOCUMENTS = 1_000
EXPORT_IN_PROCESS = ("ls", "export-tasks", "--workers", "1")
"""The complete path, in this process, where the counters see it (workers are other processes)."""


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
    monkeypatch.setattr(annotations, "iter_documents", counting)  # load_corpus's own reference
    return calls


@pytest.fixture
def counted_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents whose stored suggestions were read, in order (by the command line's loader)."""
    loaded: list[str] = []
    real = stored.load_predictions

    def counting(repo: Repo, document: Document) -> tuple[Span, ...]:
        loaded.append(document.id)
        return real(repo, document)

    monkeypatch.setattr(stored, "load_predictions", counting)
    return loaded


def with_stored_suggestions(repo: Repo) -> list[str]:
    """1,000 more documents, each with stored (empty) suggestions; every document id, in order."""
    many_documents(repo, DOCUMENTS)
    ids = []
    for document in ingest.iter_documents(repo):
        stored.save_predictions(repo, document, [])
        ids.append(document.id)
    return ids


def test_export_tasks_with_stored_predictions_ingests_the_corpus_a_fixed_number_of_times(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counted_ingest: list[int]
) -> None:
    from rasd.preannotate.stored import save_predictions

    many_documents(repo, DOCUMENTS)
    for document in ingest.iter_documents(repo):
        save_predictions(repo, document, [])
    counted_ingest.clear()
    out = tmp_path / "tasks.json"
    args = ("ls", "export-tasks", str(out), "--predictions", "rules-1", "--workers", "1")  # counted here
    assert rasd(repo, *args, monkeypatch=monkeypatch) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) >= DOCUMENTS
    assert 1 <= len(counted_ingest) <= 3


def test_export_tasks_reads_each_documents_suggestions_once_in_one_pass(
    repo: Repo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    counted_ingest: list[int],
    counted_loads: list[str],
) -> None:
    ids = with_stored_suggestions(repo)
    counted_ingest.clear()
    out = tmp_path / "tasks.json"
    assert rasd(repo, *EXPORT_IN_PROCESS, str(out), "--predictions", "rules-1", monkeypatch=monkeypatch) == 0
    assert counted_loads == ids  # once per document, in corpus order
    assert len(counted_ingest) == 1  # one pass over the corpus
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [t["data"]["id"] for t in written] == ids
    assert all(t["predictions"][0]["model_version"] == "rules-1" for t in written)


def test_push_with_stored_predictions_reads_each_documents_suggestions_once(
    repo: Repo,
    monkeypatch: pytest.MonkeyPatch,
    counted_ingest: list[int],
    counted_loads: list[str],
) -> None:
    from fake_labelstudio import FakeSDK, fake_client

    from rasd.labelstudio import client

    ids = with_stored_suggestions(repo)
    counted_ingest.clear()
    sdk = FakeSDK()
    monkeypatch.setattr(client, "connect", lambda url: fake_client(sdk))
    args = ("ls", "push", "--url", "http://localhost:1", "--project", "p", "--predictions", "rules-1")
    assert rasd(repo, *args, monkeypatch=monkeypatch) == 0
    # twice, not once per document: the check pass (nothing is sent if a file is malformed), then the push
    assert counted_loads == ids + ids
    assert len(counted_ingest) == 2
    assert sdk.documents() == ids
    assert all([p.model_version for p in task.predictions] == ["rules-1"] for task in sdk.tasks)
    counted_loads.clear()
    counted_ingest.clear()
    assert rasd(repo, *args, monkeypatch=monkeypatch) == 0
    assert counted_loads == ids  # the check pass only: every task has this model version's predictions


def test_file_tasks_are_made_lazily_one_document_at_a_time() -> None:
    made: list[int] = []

    def endless() -> Iterator[Document]:
        n = 0
        while True:
            made.append(n)
            yield Document(id=f"d{n}", text="x", title=None, source=Source(f"d{n}.txt"), offset_map=None)  # type: ignore[arg-type]
            n += 1

    tasks = task_module.iter_file_tasks(endless(), model_version="m", suggestions=lambda d: ())
    first = [next(tasks) for _ in range(3)]
    assert [t["data"]["id"] for t in first] == ["d0", "d1", "d2"]
    assert made == [0, 1, 2]  # nothing read ahead: memory does not grow with the corpus
