"""The import's corpus-wide checks, now that no process holds the corpus.

Workers read each document named by a task, and after the export every other
document, for the checks an import has always made of the whole corpus: raw
files ingestible and not repeated, gold files valid, span ids unique across
documents.  Each check is run in this process and on two workers (batches of
one task, so a handful of documents is spread over both), and nothing is written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rasd.core.engine import EngineSpec
from rasd.core.errors import RasdError, unbundle
from rasd.core.paths import Repo
from rasd.formats.labelstudio import ParsedTasks, TaskJSON
from rasd.gold.annotations import load_corpus
from rasd.labelstudio import merge
from rasd.labelstudio.merge import import_tasks, merge_tasks
from rasd.labelstudio.tasks import export_file_tasks

ENGINES = {"in process": None, "two workers": EngineSpec("local", 2)}


@pytest.fixture(params=list(ENGINES))
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> EngineSpec | None:
    monkeypatch.setattr(merge, "BATCH", 1)
    monkeypatch.setattr(merge, "PARALLEL_FROM", 2)
    return ENGINES[request.param]


def export_of(repo: Repo, doc_ids: set[str]) -> ParsedTasks:
    """The tasks of ``doc_ids`` as exported, with their gold as the only submitted annotation."""
    tasks: list[TaskJSON] = [t for t in export_file_tasks(load_corpus(repo)) if t["data"]["id"] in doc_ids]
    for number, task in enumerate(tasks, start=1):
        task["id"] = number
    return ParsedTasks("export.json", tuple(tasks), ())


def tree(repo: Repo) -> dict[str, bytes]:
    return {
        str(p.relative_to(repo.root)): p.read_bytes()
        for p in sorted(repo.dataset_dir.rglob("*"))
        if p.is_file()
    }


def refused(repo: Repo, parsed: ParsedTasks, engine: EngineSpec | None) -> list[RasdError]:
    before = tree(repo)
    with pytest.raises(RasdError) as raised:
        import_tasks(repo, parsed, engine=engine)
    assert tree(repo) == before
    assert not (repo.root / ".rasd-journal").exists()
    return unbundle(raised.value)


def annotated(repo: Repo) -> list[str]:
    return sorted(p.stem for p in repo.annotations_dir.glob("*.json"))


def test_a_broken_gold_file_outside_the_export_is_reported(repo: Repo, engine: EngineSpec | None) -> None:
    first, other = annotated(repo)[:2]
    parsed = export_of(repo, {first})
    path = repo.annotations_dir / f"{other}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["text_sha256"] = "0" * 64
    path.write_text(json.dumps(record), encoding="utf-8")
    errors = refused(repo, parsed, engine)
    assert [(e.code, e.document) for e in errors] == [("RASD-E321", other)]


def test_a_span_id_of_a_document_outside_the_export_is_checked(repo: Repo, engine: EngineSpec | None) -> None:
    first, other = annotated(repo)[:2]
    parsed = export_of(repo, {first})
    taken = json.loads((repo.annotations_dir / f"{first}.json").read_text(encoding="utf-8"))["spans"][0]["id"]
    path = repo.annotations_dir / f"{other}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["spans"][0]["id"] = taken
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    errors = refused(repo, parsed, engine)
    assert [(e.code, e.document, e.span) for e in errors] == [("RASD-E231", other, taken)]
    assert errors[0].file == f"dataset/annotations/{other}.json"
    errors = refused(repo, export_of(repo, {other}), engine)  # its task keeps the id: named by the task
    assert [(e.code, e.document, e.span, e.file) for e in errors] == [
        ("RASD-E231", other, taken, "export.json task 1")
    ]


def test_a_repeated_raw_file_outside_the_export_is_refused(repo: Repo, engine: EngineSpec | None) -> None:
    ids = sorted(p.stem for p in repo.raw_dir.glob("*.txt"))
    parsed = export_of(repo, set(ids))
    shutil.copyfile(repo.raw_dir / f"{ids[0]}.txt", repo.raw_dir / "zzz_copy.txt")
    errors = refused(repo, parsed, engine)
    assert [(e.code, e.document) for e in errors] == [("RASD-E105", "zzz_copy")]
    assert errors[0].file == "dataset/raw/zzz_copy.txt"
    assert str(Path("dataset/raw") / f"{ids[0]}.txt") in str(errors[0])


def test_every_document_is_read_once_and_none_is_held(
    repo: Repo, engine: EngineSpec | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent lists ids; the documents (named by a task or not) are read by the batches."""
    monkeypatch.setattr(merge, "load_corpus", None, raising=False)  # the parent must not need it
    ids = sorted(p.stem for p in repo.raw_dir.glob("*.txt"))
    result = merge_tasks(repo, export_of(repo, set(ids[:2])), "export.json", engine=engine)
    assert result.errors == []
    assert sorted(result.unchanged) == sorted(ids[:2])
    assert result.files == []
    assert result.updates == {}
