"""Several annotators per task: each one's work kept in ``by_annotator/``, gold by agreement or adjudication.

Exports are written by hand here (the server round trip is in
``test_labelstudio_server.py``): two annotators label one new document
differently; the spans both marked become gold, the others are listed and
never guessed, and a ground truth decides.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rasd.core.faults import VARIABLE
from rasd.core.journal import recover
from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.formats.annotators import annotator_folder_name, annotator_path, iter_annotator_files
from rasd.formats.labelstudio import TaskJSON, parse_tasks
from rasd.gold.annotations import load_corpus, read_annotations
from rasd.labelstudio.merge import import_tasks, merge_tasks

pytest_plugins = ["ls_server"]

from ls_server import tree_bytes  # noqa: E402

DOC = "007_two_annotators"
RAW = "أعلنت وزارة الصحة في بغداد أن 12 مصابا نقلوا إلى المستشفى.\n"
ORIGIN = "export.json"
ANA = {"id": 2, "email": "ana@example.com"}
BOB = {"id": 3, "email": "bob@example.com"}


def where(text: str, surface: str) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


def region(text: str, surface: str, label: str, region_id: str) -> dict[str, Any]:
    start, end = where(text, surface)
    return {
        "id": region_id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": surface, "labels": [label]},
    }


ANA_MARKS = (("بغداد", "LOC"), ("وزارة الصحة", "ORG"), ("12", "QUANTITY"))
BOB_MARKS = (("بغداد", "LOC"), ("الصحة", "ORG"))


def annotation(text: str, who: dict[str, Any], marks: Any, number: int, **extra: Any) -> dict[str, Any]:
    result = [region(text, s, label, f"r{number}{k}") for k, (s, label) in enumerate(marks)]
    return {"id": number, "completed_by": who, "was_cancelled": False, "result": result, **extra}


@pytest.fixture
def two_repo(repo: Repo) -> Repo:
    (repo.raw_dir / f"{DOC}.txt").write_text(RAW, encoding="utf-8")
    return repo


def document(repo: Repo) -> Document:
    (doc,) = [d for d in load_corpus(repo) if d.id == DOC]
    return doc


def export(repo: Repo, *annotations: dict[str, Any]) -> list[TaskJSON]:
    doc = document(repo)
    task: Any = {"id": 1, "data": {"id": DOC, "text": doc.text}, "annotations": list(annotations)}
    return [task]


def keys(spans: Any) -> list[tuple[int, int, str]]:
    return sorted((s.start, s.end, s.label) for s in spans)


def test_agreeing_spans_become_gold_and_the_disagreement_is_listed(two_repo: Repo) -> None:
    text = document(two_repo).text
    tasks = export(two_repo, annotation(text, ANA, ANA_MARKS, 10), annotation(text, BOB, BOB_MARKS, 11))
    report = import_tasks(two_repo, parse_tasks(tasks, ORIGIN))
    assert keys(read_annotations(two_repo, document(two_repo))) == [(*where(text, "بغداد"), "LOC")]
    (conflict,) = report.merge.conflicts
    rendered = conflict.render()
    for surface, label, who in (("وزارة الصحة", "ORG", ANA), ("12", "QUANTITY", ANA), ("الصحة", "ORG", BOB)):
        start, end = where(text, surface)
        assert f"[{start}, {end}) {label} {surface!r} only by {who['email']}" in rendered
    assert "3 disputed span(s)" in rendered
    stored = {f.annotator: keys(f.parsed.spans) for f in iter_annotator_files(two_repo)}
    assert stored == {
        "ana@example.com": sorted((*where(text, s), label) for s, label in ANA_MARKS),
        "bob@example.com": sorted((*where(text, s), label) for s, label in BOB_MARKS),
    }
    assert report.merge.adjudicated == []


def test_a_disputed_place_keeps_its_previous_gold(two_repo: Repo) -> None:
    text = document(two_repo).text
    first = export(two_repo, annotation(text, ANA, ANA_MARKS, 10))
    import_tasks(two_repo, parse_tasks(first, ORIGIN))  # one annotator: her annotation is the gold
    assert keys(read_annotations(two_repo, document(two_repo))) == sorted(
        (*where(text, s), label) for s, label in ANA_MARKS
    )
    both = export(two_repo, annotation(text, ANA, ANA_MARKS, 10), annotation(text, BOB, BOB_MARKS, 11))
    merge = merge_tasks(two_repo, both, ORIGIN)
    assert DOC not in merge.updates  # agreed بغداد + the previous gold at the disputed places = unchanged
    assert [c.document for c in merge.conflicts] == [DOC]


def test_a_ground_truth_decides_and_marks_the_document_adjudicated(two_repo: Repo) -> None:
    text = document(two_repo).text
    tasks = export(
        two_repo,
        annotation(text, ANA, ANA_MARKS, 10),
        annotation(text, BOB, BOB_MARKS, 11, ground_truth=True),
    )
    report = import_tasks(two_repo, parse_tasks(tasks, ORIGIN))
    assert report.merge.conflicts == []
    assert report.merge.adjudicated == [DOC]
    assert keys(read_annotations(two_repo, document(two_repo))) == sorted(
        (*where(text, s), label) for s, label in BOB_MARKS
    )
    assert annotator_path(two_repo, "ana@example.com", DOC).is_file()  # the overruled work is kept


def test_identical_annotations_are_gold_without_a_conflict(two_repo: Repo) -> None:
    text = document(two_repo).text
    tasks = export(two_repo, annotation(text, ANA, ANA_MARKS, 10), annotation(text, BOB, ANA_MARKS, 11))
    report = import_tasks(two_repo, parse_tasks(tasks, ORIGIN))
    assert report.merge.conflicts == []
    assert report.merge.adjudicated == [DOC]
    assert len(keys(read_annotations(two_repo, document(two_repo)))) == 3


def test_a_second_pull_without_edits_writes_nothing(two_repo: Repo) -> None:
    text = document(two_repo).text
    tasks = export(two_repo, annotation(text, ANA, ANA_MARKS, 10), annotation(text, BOB, BOB_MARKS, 11))
    import_tasks(two_repo, parse_tasks(tasks, ORIGIN))
    before = tree_bytes(two_repo)
    assert import_tasks(two_repo, parse_tasks(tasks, ORIGIN)).changed == []
    assert tree_bytes(two_repo) == before


KILLED = """
import sys
from pathlib import Path
from rasd.cli import main
sys.exit(main(["--root", sys.argv[1], "ls", "import-export", sys.argv[2]]))
"""


@pytest.mark.parametrize("point", ["journal:before-plan", "journal:applied-0"])
def test_a_pull_killed_midway_leaves_all_or_nothing_after_recovery(
    two_repo: Repo, tmp_path: Path, point: str
) -> None:
    """Gold and annotator files go in one journal: after a kill -9 and recovery, all of them or none."""
    text = document(two_repo).text
    tasks = export(two_repo, annotation(text, ANA, ANA_MARKS, 10), annotation(text, BOB, BOB_MARKS, 11))
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    before = tree_bytes(two_repo)
    env = {**os.environ, VARIABLE: point, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", KILLED, str(two_repo.root), str(path)], env=env, check=False)
    assert done.returncode == -9
    recover(two_repo.root)
    if point == "journal:before-plan":
        assert tree_bytes(two_repo) == before
    else:
        assert len(list(iter_annotator_files(two_repo))) == 2
        assert keys(read_annotations(two_repo, document(two_repo))) == [(*where(text, "بغداد"), "LOC")]


@pytest.mark.parametrize(
    ("who", "folder"),
    [("a.b@example.com", "a.b@example.com"), ("user 3", "user-3"), ("../x", "x"), ("", "unknown")],
)
def test_annotator_folders_are_safe_file_names(who: str, folder: str) -> None:
    assert annotator_folder_name(who) == folder


def test_annotator_files_are_gold_files(two_repo: Repo) -> None:
    text = document(two_repo).text
    tasks = export(two_repo, annotation(text, ANA, ANA_MARKS, 10), annotation(text, BOB, BOB_MARKS, 11))
    import_tasks(two_repo, parse_tasks(tasks, ORIGIN))
    data = json.loads(annotator_path(two_repo, "bob@example.com", DOC).read_text(encoding="utf-8"))
    assert set(data) == {"document", "text_sha256", "spans"}
    assert data["document"] == DOC
    assert os.path.commonpath([annotator_path(two_repo, "bob", DOC), two_repo.annotations_dir]) == str(
        two_repo.annotations_dir
    )
