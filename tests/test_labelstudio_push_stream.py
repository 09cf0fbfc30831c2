"""No ``rasd ls`` command holds the corpus (issue #9): push, export-tasks and agreement stream it.

The tests count the documents read (``iter_documents``, which every corpus
read goes through) against what has left the process by then: tasks imported
(push, on an in-memory stand-in for the SDK) or task lines written
(export-tasks).  A command that read the corpus whole first would have read
every document before its first import or line, and fails at once.
``rasd ls agreement`` reads no corpus at all: only the documents its export names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import many_documents
from fake_labelstudio import FakeSDK, Interrupted, fake_client

from rasd.core.errors import RasdError, RasdErrors
from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.formats import labelstudio as formats
from rasd.gold import annotations
from rasd.gold.agreement import agreement_table, pairwise_agreement
from rasd.intake import ingest
from rasd.labelstudio import client as client_module
from rasd.labelstudio.client import IMPORT_BATCH, push
from rasd.labelstudio.tasks import export_file_tasks
from rasd.labelstudio.views import agreement_items

pytest_plugins = ["ls_server"]

from ls_server import rasd  # noqa: E402  (after the plugin line, on purpose)

MORE = 2 * IMPORT_BATCH + 37  # three import batches, the last one short


@pytest.fixture
def read_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``[documents read so far]``: every corpus read goes through ``iter_documents``."""
    count = [0]
    real = ingest.iter_documents

    def counting(repo: Repo) -> Iterator[Document]:
        for document in real(repo):
            count[0] += 1
            yield document

    monkeypatch.setattr(ingest, "iter_documents", counting)
    monkeypatch.setattr(annotations, "iter_documents", counting)  # load_corpus's own reference
    return count


@pytest.fixture
def sdk(monkeypatch: pytest.MonkeyPatch) -> FakeSDK:
    """The SDK ``rasd ls push`` talks to."""
    fake = FakeSDK()
    monkeypatch.setattr(client_module, "connect", lambda url: fake_client(fake))
    return fake


def ls_push(repo: Repo, monkeypatch: pytest.MonkeyPatch, *options: str) -> int:
    return rasd(
        repo,
        "ls",
        "push",
        "--url",
        "http://fake.invalid",
        "--project",
        "p",
        *options,
        monkeypatch=monkeypatch,
    )


def test_push_reads_the_corpus_one_import_batch_at_a_time(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, sdk: FakeSDK, read_count: list[int]
) -> None:
    many_documents(repo, MORE)
    total = len(ingest.raw_ids(repo))
    read_count[0] = 0
    seen: list[tuple[int, int]] = []  # (documents read, tasks imported with this request) at each import
    sdk.on_import = lambda tasks: seen.append((read_count[0], sum(sdk.imports) + len(tasks)))
    assert ls_push(repo, monkeypatch) == 0
    assert sdk.documents() == ingest.raw_ids(repo)  # every document once, in corpus order
    assert sdk.imports == [IMPORT_BATCH, IMPORT_BATCH, total - 2 * IMPORT_BATCH]
    assert seen[0][0] >= total  # the check pass read every document before the first request
    for read, imported in seen:
        # past the check pass, no document is read before the tasks of the batches before it left
        assert read - total <= imported


def test_an_interrupted_push_completes_on_a_rerun_without_duplicating_tasks(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, sdk: FakeSDK, capsys: pytest.CaptureFixture[str]
) -> None:
    many_documents(repo, MORE)
    ids = ingest.raw_ids(repo)
    sdk.fail_on_import = 2
    with pytest.raises((Interrupted, RasdError)):
        push(repo, fake_client(sdk), "p")
    assert sdk.documents() == ids[:IMPORT_BATCH]  # whole batches only
    sdk.fail_on_import = None
    capsys.readouterr()
    assert ls_push(repo, monkeypatch) == 0
    assert sdk.documents() == ids
    assert f"{len(ids) - IMPORT_BATCH} tasks added, {IMPORT_BATCH} already present" in capsys.readouterr().out
    assert ls_push(repo, monkeypatch) == 0
    assert sdk.documents() == ids
    assert f"0 tasks added, {len(ids)} already present" in capsys.readouterr().out


def test_push_adds_a_new_model_versions_predictions_and_reports_a_changed_text(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, sdk: FakeSDK, capsys: pytest.CaptureFixture[str]
) -> None:
    from rasd.preannotate.stored import save_predictions

    for document in ingest.iter_documents(repo):
        save_predictions(repo, document, [])
    ids = ingest.raw_ids(repo)
    assert ls_push(repo, monkeypatch, "--predictions", "rules-1") == 0
    assert all([p.model_version for p in t.predictions] == ["rules-1"] for t in sdk.tasks)
    sdk.tasks[0].data["text"] += " "  # the document changed since it was pushed
    capsys.readouterr()
    assert ls_push(repo, monkeypatch, "--predictions", "rules-2") == 1
    out, err = capsys.readouterr()
    assert f"pre-annotations 'rules-2' added to {len(ids) - 1} existing tasks" in out
    assert f"task 1: document {ids[0]}" in err
    assert [p.model_version for p in sdk.tasks[0].predictions] == ["rules-1"]  # left alone
    assert all([p.model_version for p in t.predictions] == ["rules-1", "rules-2"] for t in sdk.tasks[1:])
    assert sdk.documents() == ids  # no task added twice


@pytest.mark.parametrize("suggested", [False, True])
def test_export_tasks_writes_each_task_before_reading_the_next_document(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_count: list[int], suggested: bool
) -> None:
    named = many_documents(repo, 40)  # each starts with a four-letter word
    ids = ingest.raw_ids(repo)
    suggestions = tmp_path / "suggestions.jsonl"
    lines = [
        {"document": doc_id, "spans": [{"start": 0, "end": 4, "label": "ORG"}]} for doc_id in named[::-1]
    ]
    suggestions.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    options = ("--predictions", "m-1", "--predictions-file", str(suggestions)) if suggested else ()
    real = formats.task_line
    written: list[int] = []

    def counted(task: Any) -> Any:
        written.append(1)
        assert read_count[0] <= len(written)  # this task's document, none ahead of it
        return real(task)

    monkeypatch.setattr(formats, "task_line", counted)
    read_count[0] = 0
    out = tmp_path / "tasks.json"
    in_process = ("--workers", "1")  # the complete path, where the counters see it
    assert rasd(repo, "ls", "export-tasks", str(out), *options, *in_process, monkeypatch=monkeypatch) == 0
    assert len(written) == len(ids)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [t["data"]["id"] for t in tasks] == ids
    if suggested:
        assert {t["data"]["id"] for t in tasks if t["predictions"][0]["result"]} == set(named)


def two_annotators(repo: Repo) -> list[dict[str, Any]]:
    """An export in which two annotators annotated every document, the second one leaving out a region."""
    tasks: list[dict[str, Any]] = []
    for number, task in enumerate(export_file_tasks(annotations.load_corpus(repo)), start=1):
        result = task.get("annotations", [{"result": []}])[0]["result"]
        first = result[0]["id"] if result else None  # the region the second annotator leaves out
        task = {**task, "id": number}
        task["annotations"] = [
            {"id": 10 * number, "completed_by": 1, "result": result},
            {"id": 10 * number + 1, "completed_by": 2, "result": [r for r in result if r["id"] != first]},
        ]
        tasks.append(task)
    return tasks


def test_agreement_reads_only_the_documents_the_export_names_by_id(
    gold_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = two_annotators(gold_repo)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks[1:]), encoding="utf-8")  # one document left out
    documents = {d.id: d for d in annotations.load_corpus(gold_repo)}  # the former way, as the reference
    expected = agreement_table(pairwise_agreement(agreement_items(tasks[1:], documents, str(export))))
    assert "n/a" not in expected.splitlines()[-1]  # the figures are real

    def no_corpus(repo: Repo) -> Iterator[Document]:
        raise AssertionError("the corpus is read whole")

    monkeypatch.setattr(ingest, "iter_documents", no_corpus)
    monkeypatch.setattr(annotations, "iter_documents", no_corpus)
    monkeypatch.setattr(formats, "read_export", whole_export)
    capsys.readouterr()
    assert rasd(gold_repo, "ls", "agreement", "--export", str(export), monkeypatch=monkeypatch) == 0
    assert capsys.readouterr().out == expected + "\n"


def whole_export(path: Path, *, file: str) -> Any:
    raise AssertionError("the export is read whole")


def test_conflicts_streams_the_export_with_the_same_report(
    gold_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rasd.labelstudio.merge import merge_tasks

    tasks: list[Any] = [7, *two_annotators(gold_repo)]  # a task that is no object: a shape problem
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    parsed = formats.read_export(export, file=str(export))  # the former way: whole, then merged
    merge = merge_tasks(gold_repo, parsed.tasks, parsed.origin)
    assert merge.conflicts
    expected = "".join(c.render() + "\n" for c in merge.conflicts) + f"{len(merge.conflicts)} conflicts\n"
    shown = [*parsed.problems, *merge.errors]
    monkeypatch.setattr(formats, "read_export", whole_export)
    capsys.readouterr()
    assert rasd(gold_repo, "ls", "conflicts", "--export", str(export), monkeypatch=monkeypatch) == 1
    out, err = capsys.readouterr()
    assert out == expected
    assert err == "".join(f"{e.kind}[{e.code}]: {e}\n" for e in shown) + (
        f"{len(shown)} errors\n" if len(shown) > 1 else ""
    )


def test_a_broken_gold_file_stops_the_push_before_anything_is_sent_and_it_completes_once_fixed(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, sdk: FakeSDK, capsys: pytest.CaptureFixture[str]
) -> None:
    many_documents(repo, MORE)
    ids = ingest.raw_ids(repo)
    broken = repo.root / "dataset" / "annotations" / f"{ids[IMPORT_BATCH + 5]}.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(RasdError) as caught:
        list(annotations.load_corpus(repo))  # what reading the corpus whole raised
    capsys.readouterr()
    assert ls_push(repo, monkeypatch) == 1
    assert capsys.readouterr().err == f"{caught.value.kind}[{caught.value.code}]: {caught.value}\n"
    assert sdk.documents() == []  # nothing sent from a corpus with a malformed file
    assert sdk.imports == []
    broken.unlink()
    assert ls_push(repo, monkeypatch) == 0
    assert sdk.documents() == ids


def test_agreement_names_a_broken_document_the_export_names(
    gold_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = two_annotators(gold_repo)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    gold = gold_repo.root / "dataset" / "annotations" / f"{tasks[0]['data']['id']}.json"
    gold.write_text(gold.read_text(encoding="utf-8").replace('"start": ', '"start": -', 1), encoding="utf-8")
    with pytest.raises(RasdError) as caught:
        list(annotations.load_corpus(gold_repo))
    capsys.readouterr()
    assert rasd(gold_repo, "ls", "agreement", "--export", str(export), monkeypatch=monkeypatch) == 1
    errors = caught.value.errors if isinstance(caught.value, RasdErrors) else [caught.value]
    shown = "".join(f"{e.kind}[{e.code}]: {e}\n" for e in errors)
    assert capsys.readouterr().err.startswith(shown)
