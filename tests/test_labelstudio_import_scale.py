"""``rasd ls import-export`` at 1,000 documents: every per-task cost is counted, not timed (issue #9).

An import used to read every annotation three times, validate its spans twice and
rebuild the dataset even when no gold file changed.  These tests count the calls
that grow with the corpus or the export, so they fail at once if one of them
becomes per-document again (a quadratic), whatever the speed of the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from conftest import MINISTRY, many_documents

from rasd.core.engine import EngineSpec
from rasd.core.faults import VARIABLE
from rasd.core.journal import JOURNAL_DIR, Staging, recover
from rasd.core.paths import Repo
from rasd.formats.labelstudio import ExportFile, TaskJSON, parse_tasks
from rasd.gold import annotations
from rasd.labelstudio import conflicts, spans, taskwork
from rasd.labelstudio.merge import MergeResult, import_tasks, merge_tasks
from rasd.labelstudio.offsets import Utf16Offsets
from rasd.labelstudio.tasks import export_file_tasks
from rasd.validation import schema

pytest_plugins = ["ls_server"]

from ls_server import rasd, tree_bytes  # noqa: E402  (after the plugin line, on purpose)

DOCUMENTS = 1_000


def accepted_export(repo: Repo, path: Path, ids: set[str]) -> int:
    """Every task as exported, one annotator having marked the ministry in each new document."""
    tasks: list[TaskJSON] = export_file_tasks(annotations.load_corpus(repo))
    for number, task in enumerate(tasks, start=1):
        task["id"] = number
        if task["data"]["id"] in ids:
            start = task["data"]["text"].index(MINISTRY)
            value = {"start": start, "end": start + len(MINISTRY), "text": MINISTRY, "labels": ["ORG"]}
            region = {"id": f"r{number}", "from_name": "label", "to_name": "text", "type": "labels"}
            task["annotations"] = [{"id": number, "completed_by": 1, "result": [{**region, "value": value}]}]
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return len(tasks)


class Calls:
    """Counts calls to functions replaced on their modules."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.count: Counter[str] = Counter()

    def watch(self, owner: Any, name: str) -> None:
        real: Callable[..., Any] = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count[name] += 1
            return real(*args, **kwargs)

        self.monkeypatch.setattr(owner, name, counted)


@pytest.fixture
def big_repo(repo: Repo, tmp_path: Path) -> tuple[Repo, Path, int]:
    ids = many_documents(repo, DOCUMENTS)
    export = tmp_path / "export.json"
    return repo, export, accepted_export(repo, export, set(ids))


def test_an_import_of_1000_documents_does_each_thing_once_per_task(
    big_repo: tuple[Repo, Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, export, tasks = big_repo
    calls = Calls(monkeypatch)
    calls.watch(annotations, "iter_documents")  # ingesting the corpus in one process
    calls.watch(taskwork, "read_document")  # ingesting one document, where its task is merged
    calls.watch(conflicts, "convert")  # an annotation -> checked spans
    calls.watch(spans, "read_regions")
    calls.watch(schema, "compile_verdict")  # compiling a JSON Schema
    calls.watch(Utf16Offsets, "to_code_points")  # the UTF-16 reading (no emoji in these texts)
    calls.watch(Staging, "write_bytes")  # a staged gold file
    args = ("ls", "import-export", str(export), "--no-rebuild", "--workers", "1")
    assert rasd(repo, *args, monkeypatch=monkeypatch) == 0
    assert calls.count["iter_documents"] == 0  # the parent never holds the corpus
    assert calls.count["read_document"] == len(list(repo.raw_dir.glob("*.txt")))  # each document once
    assert DOCUMENTS <= calls.count["convert"] <= tasks  # once per annotation, not once per step
    assert calls.count["read_regions"] == calls.count["convert"]
    assert calls.count["compile_verdict"] <= 1
    assert calls.count["to_code_points"] == 0
    assert calls.count["write_bytes"] == DOCUMENTS  # the new gold files only

    calls.count.clear()
    built: list[Repo] = []
    monkeypatch.setattr("rasd.cli.ls.rebuild_dataset", built.append)
    before = tree_bytes(repo)
    assert rasd(repo, "ls", "import-export", str(export), "--workers", "1", monkeypatch=monkeypatch) == 0
    assert calls.count["write_bytes"] == 0  # nothing changed: nothing written
    assert built == []  # and nothing rebuilt
    assert tree_bytes(repo) == before


def test_the_import_writes_the_same_bytes_with_one_worker_or_two(
    big_repo: tuple[Repo, Path, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, export, _ = big_repo
    other = Repo(tmp_path / "other")
    shutil.copytree(repo.root, other.root, symlinks=True)
    for target, workers in ((repo, "1"), (other, "2")):
        args = ("ls", "import-export", str(export), "--no-rebuild", "--workers", workers)
        assert rasd(target, *args, monkeypatch=monkeypatch) == 0
    assert tree_bytes(repo) == tree_bytes(other)
    assert len(list(repo.annotations_dir.glob("*_doc.json"))) == DOCUMENTS


def test_a_streamed_export_merges_as_the_whole_parsed_one(
    big_repo: tuple[Repo, Path, int], tmp_path: Path
) -> None:
    repo, export, tasks = big_repo
    other = Repo(tmp_path / "other")
    shutil.copytree(repo.root, other.root, symlinks=True)
    whole = parse_tasks(json.loads(export.read_text(encoding="utf-8")), str(export))
    streamed = import_tasks(repo, ExportFile(export, str(export)))
    parsed = import_tasks(other, whole)
    assert len(whole.tasks) == tasks
    assert streamed.changed == parsed.changed
    assert sorted(streamed.merge.updates) == sorted(parsed.merge.updates)
    assert (streamed.merge.unchanged, streamed.merge.notes) == (parsed.merge.unchanged, parsed.merge.notes)
    assert tree_bytes(repo) == tree_bytes(other)


def mixed_export(export: Path, out: Path) -> None:
    """The accepted export with every kind of task the merge tells apart, spread over the batches."""
    tasks = json.loads(export.read_text(encoding="utf-8"))
    for number, task in enumerate(tasks):
        first = task["annotations"][0] if task["annotations"] else None
        if first is None:
            continue
        kind = number % 7
        if kind == 1:  # two annotators who agree: adjudicated, each one's work kept
            task["annotations"].append({**first, "id": 100_000 + number, "completed_by": 2})
        elif kind == 2:  # two who disagree, no ground truth: a conflict
            task["annotations"].append({**first, "id": 100_000 + number, "completed_by": 2, "result": []})
        elif kind == 3:  # a region past the end of the text: an error
            bad = json.loads(json.dumps(first["result"][0]))
            bad["value"]["end"] = 10**6
            first["result"] = [bad]
        elif kind == 4:  # a lone surrogate in a note (UTF-16 JavaScript strings allow it)
            region = first["result"][0]
            note = {k: region[k] for k in ("id", "to_name")} | {"from_name": "note", "type": "textarea"}
            first["result"].append({**note, "value": {"text": ["\ud800 odd"]}})
    tasks.append({**tasks[0], "id": 10**7})  # a duplicate task
    tasks.append({"id": 10**7 + 1, "data": {"id": "nope_doc", "text": "x"}, "annotations": []})
    tasks.append({"id": 10**7 + 2, "data": "not an object"})
    out.write_text(json.dumps(tasks, ensure_ascii=True), encoding="utf-8")


def comparable(result: MergeResult) -> dict[str, Any]:
    return {
        "updates": sorted(result.updates.items()),
        "unchanged": result.unchanged,
        "conflicts": [c.render() for c in result.conflicts],
        "notes": result.notes,
        "errors": [(e.code, str(e)) for e in result.errors],
        "held": [str(e) for e in result.held],
        "work": result.work,
        "adjudicated": result.adjudicated,
        "files": result.files,
    }


def test_the_merge_is_the_same_in_this_process_or_on_two_workers(
    big_repo: tuple[Repo, Path, int], tmp_path: Path
) -> None:
    """Every part of the result crosses to the workers and back intact (tasks, errors, documents)."""
    repo, export, _ = big_repo
    mixed = tmp_path / "mixed.json"
    mixed_export(export, mixed)
    here = merge_tasks(repo, ExportFile(mixed, "mixed.json"), "mixed.json")
    there = merge_tasks(repo, ExportFile(mixed, "mixed.json"), "mixed.json", engine=EngineSpec("local", 2))
    for part in ("conflicts", "work", "adjudicated", "errors", "updates", "files"):
        assert getattr(here, part), part  # the export gives every part something to carry
    assert comparable(there) == comparable(here)


KILLED = """
import sys
from rasd.cli import main
sys.exit(main(["--root", sys.argv[1], "ls", "import-export", sys.argv[2], "--no-rebuild", "--workers", "2"]))
"""


@pytest.mark.parametrize("point", ["journal:before-plan", "journal:applied-0", "journal:applied-600"])
def test_an_import_on_two_workers_killed_midway_leaves_all_or_nothing_after_recovery(
    big_repo: tuple[Repo, Path, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    """The workers stage the gold files in the journal themselves: a kill -9 of the import still leaves
    every file of it or none, byte for byte those of an import that was not interrupted."""
    repo, export, _ = big_repo
    whole = Repo(tmp_path / "whole")
    shutil.copytree(repo.root, whole.root, symlinks=True)
    assert (
        rasd(
            whole,
            "ls",
            "import-export",
            str(export),
            "--no-rebuild",
            "--workers",
            "1",
            monkeypatch=monkeypatch,
        )
        == 0
    )
    before = tree_bytes(repo)
    env = {**os.environ, VARIABLE: point, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", KILLED, str(repo.root), str(export)], env=env, check=False)
    assert done.returncode == -9
    assert recover(repo.root) != []
    assert tree_bytes(repo) == (before if point == "journal:before-plan" else tree_bytes(whole))
    assert not (repo.root / JOURNAL_DIR).exists()


def test_a_sealed_batch_reaches_the_worker_unchanged() -> None:
    """``seal``/``unseal``: every kind of job, and task values marshal must carry exactly
    (a lone surrogate, ``-0.0``, a big integer, a bool that is not an int), in order; a task
    holding something else than JSON values is pickled whole."""
    from rasd.core.model import Source
    from rasd.core.problems.labelstudio import UNKNOWN_DOCUMENT
    from rasd.labelstudio.merge import seal, unseal
    from rasd.labelstudio.taskwork import CheckJob, TaskJob

    odd: Any = {"data": {"id": "d1", "text": "a\ud800b"}, "id": 2**70, "x": [-0.0, True, 1, None, {"k": 1.5}]}
    source = Source(raw_file="d1.txt", license="CC-BY-4.0")
    for last in ({"data": {"id": "d3", "text": ""}}, {"data": {"id": "d3", "text": ""}, "x": source}):
        jobs: list[Any] = [
            TaskJob(odd, "d1", "e.json task 1", "t", source),
            UNKNOWN_DOCUMENT(file="e.json task 2", document="d9"),
            CheckJob("d2", None, source),
            TaskJob(cast(TaskJSON, last), "d3", "e.json task 3", None, source),
        ]
        back = unseal(seal(jobs))
        assert [type(job) for job in back] == [type(job) for job in jobs]
        assert back[0] == jobs[0]
        assert back[2:] == jobs[2:]
        assert str(back[1]) == str(jobs[1])
        assert repr(back[0].task) == repr(odd)  # -0.0 stays -0.0, True stays True
        assert [type(x) for x in back[0].task["x"]] == [float, bool, int, type(None), dict]
