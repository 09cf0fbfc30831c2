"""The round trip through a real Label Studio server: ``rasd ls push``/``pull`` and edits made through the API.

Every edit here is made the way an annotator's client makes it: through the
SDK, on the annotation the push imported (or on a new annotation by another
user), and then pulled back with the command line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.core.spans import new_span_id
from rasd.gold.annotations import load_corpus, migrate, read_annotations
from rasd.labelstudio.config import label_config

pytest_plugins = ["ls_server"]

from ls_server import EMOJI_DOC, PLAIN_DOC, PLAIN_RAW, LabelStudioServer, mention, rasd, tree_bytes  # noqa: E402

pytestmark = pytest.mark.labelstudio


@pytest.fixture
def server(label_studio: LabelStudioServer, monkeypatch: pytest.MonkeyPatch) -> LabelStudioServer:
    """The session's server, with ``rasd ls`` pointed at it through the environment."""
    for key, value in label_studio.env().items():
        monkeypatch.setenv(key, value)
    return label_studio


def ls(repo: Repo, *argv: str, monkeypatch: pytest.MonkeyPatch) -> int:
    return rasd(repo, "ls", *argv, monkeypatch=monkeypatch)


def tasks_of(client: Any, title: str) -> dict[str, Any]:
    """The project's tasks by document id (and a check that there is one per document)."""
    (project,) = [p for p in client.projects.list(title=title) if p.title == title]
    tasks = list(client.tasks.list(project=project.id, fields="all"))
    by_doc = {t.data["id"]: t for t in tasks}
    assert len(by_doc) == len(tasks), "two tasks for one document"
    return by_doc


def documents(repo: Repo) -> dict[str, Document]:
    return {d.id: d for d in load_corpus(repo)}


def labelled(span: Any, label: str | None = None, region_id: str | None = None) -> dict[str, Any]:
    return {
        "id": region_id or span.id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [label or span.label]},
    }


def gold_annotation(client: Any, task: Any) -> Any:
    (annotation,) = client.annotations.list(id=task.id)
    return annotation


RELEASED = """
import json, sys
from datasets import load_dataset
rows = load_dataset(sys.argv[1])
spans = {}
for split in rows:
    label = rows[split].features["spans"].feature["label"]
    for record in rows[split]:
        for s in record["spans"]:
            spans[record["id"] + "/" + s["id"]] = [s["start"], s["end"], label.int2str(s["label"]), s["text"], s["value"]]
print(json.dumps(spans, ensure_ascii=False))
"""


def released_spans(repo: Repo, tmp_path: Path) -> dict[str, list[Any]]:
    """Every span of the release as ``load_dataset`` sees it, in a fresh offline process."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    done = subprocess.run(
        [sys.executable, "-c", RELEASED, str(repo.dataset_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded: dict[str, list[Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_push_is_idempotent_adds_new_documents_and_reports_changed_text(
    gold_repo: Repo,
    server: LabelStudioServer,
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = server.client()
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert "7 tasks added, 0 already present" in capsys.readouterr().out
    assert sorted(tasks_of(client, project_title)) == sorted(documents(gold_repo))

    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert "0 tasks added, 7 already present" in capsys.readouterr().out
    assert len(tasks_of(client, project_title)) == 7

    (gold_repo.raw_dir / "007_new.txt").write_text(PLAIN_RAW.replace("قصير", "طويل"), encoding="utf-8")
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert "1 tasks added, 7 already present" in capsys.readouterr().out

    # The text of a pushed document changes (its gold is migrated); the task keeps the old text.
    raw = gold_repo.raw_dir / f"{EMOJI_DOC}.txt"
    old_text = documents(gold_repo)[EMOJI_DOC].text
    raw.write_text(raw.read_text(encoding="utf-8") + "وأضافت أن التحقيق مستمر.\n", encoding="utf-8")
    assert migrate(gold_repo).migrated == (EMOJI_DOC,)
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 1
    task = tasks_of(client, project_title)[EMOJI_DOC]
    assert (
        f"]: project {project_title!r} task {task.id}: document {EMOJI_DOC}: the document's text changed "
        "since it was pushed; the task was not overwritten. Fix: pull the annotators' work first"
    ) in capsys.readouterr().err
    assert task.data["text"] == old_text
    assert len(tasks_of(client, project_title)) == 8


def test_pull_names_a_missing_project(
    gold_repo: Repo,
    server: LabelStudioServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert ls(gold_repo, "pull", "--project", "no such project", monkeypatch=monkeypatch) == 1
    assert "]: Label Studio has no project titled 'no such project'. Fix: check --project" in (
        capsys.readouterr().err
    )


def test_push_brings_the_labeling_config_up_to_date(
    gold_repo: Repo,
    server: LabelStudioServer,
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = server.client()
    project = client.projects.create(title=project_title, label_config=label_config().replace("ORG", "ORGX"))
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert f"project {project_title!r} (id {project.id}): config updated" in capsys.readouterr().out
    assert client.projects.get(id=project.id).label_config.strip() == label_config().strip()
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert "config unchanged" in capsys.readouterr().out


def test_push_then_pull_without_edits_leaves_every_file_byte_identical(
    gold_repo: Repo,
    server: LabelStudioServer,
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = tree_bytes(gold_repo)
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert ls(gold_repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert "0 documents updated, 7 unchanged, 0 conflicts" in capsys.readouterr().out
    assert tree_bytes(gold_repo) == before


def test_delete_relabel_add_through_the_api_are_exactly_the_changes_released(
    gold_repo: Repo,
    server: LabelStudioServer,
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    client = server.client()
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    before = released_spans(gold_repo, tmp_path)
    files_before = tree_bytes(gold_repo)
    doc = documents(gold_repo)[EMOJI_DOC]
    _isis, twitter, baghdad, _sixty, _iraq = sorted(doc.spans)
    annotation = gold_annotation(client, tasks_of(client, project_title)[EMOJI_DOC])
    police = mention(doc, "الشرطة", "ORG")
    result = [r for r in annotation.result if r["id"] != twitter.id]  # delete
    for r in result:
        if r["id"] == baghdad.id:
            r["value"]["labels"] = ["ORG"]  # relabel
    result.append(labelled(police, region_id="Qe3_x-Lb9w"))  # add, with an id as the editor makes them
    client.annotations.update(id=annotation.id, result=result)

    assert ls(gold_repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 0

    after = released_spans(gold_repo, tmp_path)
    new_id = new_span_id(doc.id, police.start, police.end, "ORG", salt="Qe3_x-Lb9w")
    removed = {k: before[k] for k in before.keys() - after.keys()}
    added = {k: after[k] for k in after.keys() - before.keys()}
    changed = {k: (before[k], after[k]) for k in before.keys() & after.keys() if before[k] != after[k]}
    assert removed == {f"{doc.id}/{twitter.id}": [twitter.start, twitter.end, "PLATFORM", "تويتر", "twitter"]}
    assert added == {f"{doc.id}/{new_id}": [police.start, police.end, "ORG", "الشرطة", None]}
    assert changed == {
        f"{doc.id}/{baghdad.id}": (
            [baghdad.start, baghdad.end, "LOC", "بغداد", None],
            [baghdad.start, baghdad.end, "ORG", "بغداد", None],
        )
    }
    files_after = tree_bytes(gold_repo)
    other_gold = [
        name for name in files_before if name.startswith("dataset/annotations/") and EMOJI_DOC not in name
    ]
    assert [name for name in other_gold if files_after.get(name) != files_before[name]] == []


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("value", ["IQ"], ("IQ", None)),
        ("note", ["country named in the statement"], ("Iraq", "country named in the statement")),
    ],
)
def test_a_value_or_note_edited_per_region_comes_back(
    gold_repo: Repo,
    server: LabelStudioServer,
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    field: str,
    text: list[str],
    expected: tuple[str, str | None],
) -> None:
    client = server.client()
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    doc = documents(gold_repo)[EMOJI_DOC]
    iraq = sorted(doc.spans)[-1]
    annotation = gold_annotation(client, tasks_of(client, project_title)[EMOJI_DOC])
    result = [r for r in annotation.result if not (r["id"] == iraq.id and r["from_name"] == field)]
    area = {"start": iraq.start, "end": iraq.end, "text": text}
    result.append({"id": iraq.id, "from_name": field, "to_name": "text", "type": "textarea", "value": area})
    client.annotations.update(id=annotation.id, result=result)
    assert ls(gold_repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 0
    (span,) = [s for s in read_annotations(gold_repo, doc) if s.id == iraq.id]
    assert (span.value, span.note) == expected


def test_two_annotators_disagreeing_are_a_conflict_until_one_is_ground_truth(
    gold_repo: Repo,
    server: LabelStudioServer,
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = server.client()
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    capsys.readouterr()
    email = "zoe.annotator@example.com"  # sorts after the admin: the agreement table's right-hand side
    other = client.users.create(username=email, email=email, password="another-annotator-1")
    doc = documents(gold_repo)[EMOJI_DOC]
    task = tasks_of(client, project_title)[EMOJI_DOC]
    first = gold_annotation(client, task)
    spans = sorted(doc.spans)
    second = client.annotations.create(
        id=task.id, result=[labelled(s) for s in spans[:4]], completed_by=other.id
    )
    before = tree_bytes(gold_repo)

    assert ls(gold_repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    pair = f"annotation {first.id} by {server.username} vs annotation {second.id} by {email}"
    assert (
        f"conflict: project {project_title!r} task {task.id}: document {EMOJI_DOC}: 2 submitted annotations "
        f"and no ground truth ({pair}: span F1 0.89)"
    ) in out
    assert "0 documents updated, 6 unchanged, 1 conflicts" in out
    dropped = spans[4]  # the agreed four are the gold's; the disputed one keeps its previous gold
    assert f"1 disputed span(s): [{dropped.start}, {dropped.end}) {dropped.label}" in out
    after = tree_bytes(gold_repo)
    kept = sorted(name for name in after if "/by_annotator/" in name)

    def gold(tree: dict[str, bytes]) -> dict[str, bytes]:
        return {n: d for n, d in tree.items() if n.startswith("dataset/annotations/") and n not in kept}

    assert gold(after) == gold(before)  # no gold file changed; the card now shows the agreement
    assert b"annotated by two or more" in after["dataset_card.md"]
    assert kept == [
        f"dataset/annotations/by_annotator/{who}/{EMOJI_DOC}.json" for who in (server.username, email)
    ]

    assert ls(gold_repo, "conflicts", "--project", project_title, monkeypatch=monkeypatch) == 1
    assert f"task {task.id}: document {EMOJI_DOC}: 2 submitted annotations" in capsys.readouterr().out

    assert ls(gold_repo, "agreement", "--project", project_title, monkeypatch=monkeypatch) == 0
    table = capsys.readouterr().out
    assert f"{server.username} vs {email} (1 tasks)" in table
    assert "  LOC         0.667        1      2      1" in table  # the second annotator left out العراق
    assert "  all         0.889        4      5      4" in table
    assert "Cohen's kappa on 23 tokens: 0.874" in table  # (22/23 - 347/529) / (1 - 347/529)

    client.annotations.update(id=second.id, ground_truth=True)
    assert ls(gold_repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert [s.id for s in sorted(read_annotations(gold_repo, doc))] == [s.id for s in spans[:4]]
    assert ls(gold_repo, "conflicts", "--project", project_title, monkeypatch=monkeypatch) == 0


def test_drafts_and_cancelled_annotations_are_ignored_with_a_note(
    gold_repo: Repo,
    server: LabelStudioServer,
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = server.client()
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    tasks = tasks_of(client, project_title)
    plain = documents(gold_repo)[PLAIN_DOC]
    word = mention(plain, "خبر", "ORG")
    draft = urllib.request.Request(  # the SDK has no drafts client; the editor posts here on autosave
        f"{server.url}/api/tasks/{tasks[PLAIN_DOC].id}/drafts",
        data=json.dumps({"result": [labelled(word)], "lead_time": 1.0}).encode(),
        headers={"Authorization": f"Token {server.token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(draft, timeout=30) as response:
        assert response.status == 201
    skipped = client.annotations.create(id=tasks[EMOJI_DOC].id, result=[], was_cancelled=True)
    before = tree_bytes(gold_repo)
    capsys.readouterr()
    assert ls(gold_repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert f"task {tasks[PLAIN_DOC].id}: document {PLAIN_DOC}: 1 draft(s) ignored" in out
    assert f"document {EMOJI_DOC}: annotation {skipped.id} by {server.username} was cancelled" in out
    assert tree_bytes(gold_repo) == before


def test_regions_after_an_emoji_land_on_the_right_characters_in_either_unit(
    gold_repo: Repo,
    server: LabelStudioServer,
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = server.client()
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    doc = documents(gold_repo)[EMOJI_DOC]
    police, accounts = mention(doc, "الشرطة", "ORG"), mention(doc, "حسابا", "QUANTITY")
    before = doc.text[: police.start]
    shift = len(before.encode("utf-16-le")) // 2 - len(before)
    assert shift == 1  # one emoji before الشرطة, three before حسابا
    as_js = labelled(police, region_id="utf16region")
    as_js["value"].update(start=police.start + shift, end=police.end + shift)
    annotation = gold_annotation(client, tasks_of(client, project_title)[EMOJI_DOC])
    client.annotations.update(
        id=annotation.id, result=[*annotation.result, as_js, labelled(accounts, region_id="cpregion")]
    )
    assert ls(gold_repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert "region(s) utf16region had UTF-16 offsets (JavaScript string positions)" in capsys.readouterr().out
    got = {(s.start, s.end, s.label, s.text) for s in read_annotations(gold_repo, doc)}
    assert (police.start, police.end, "ORG", "الشرطة") in got
    assert (accounts.start, accounts.end, "QUANTITY", "حسابا") in got

    # A region whose text matches under neither reading stops the pull, naming task, region and strings.
    wrong = labelled(police, region_id="shifted")
    wrong["value"].update(start=police.start + 3, end=police.end + 3)
    client.annotations.update(id=annotation.id, result=[*annotation.result, wrong])
    before = tree_bytes(gold_repo)
    capsys.readouterr()
    assert ls(gold_repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 1
    task_id = tasks_of(client, project_title)[EMOJI_DOC].id
    assert (
        f"]: project {project_title!r} task {task_id}: document {EMOJI_DOC}: span shifted: "
        f"value.text 'الشرطة' matches neither text[{police.start + 3}:{police.end + 3}] read as code points"
    ) in capsys.readouterr().err
    assert tree_bytes(gold_repo) == before


def test_a_label_outside_the_set_fails_the_whole_pull(
    gold_repo: Repo,
    server: LabelStudioServer,
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = server.client()
    assert ls(gold_repo, "push", "--project", project_title, monkeypatch=monkeypatch) == 0
    tasks = tasks_of(client, project_title)
    doc = documents(gold_repo)[EMOJI_DOC]
    plain = documents(gold_repo)[PLAIN_DOC]
    client.annotations.create(
        id=tasks[PLAIN_DOC].id, result=[labelled(mention(plain, "خبر", "ORG"))]
    )  # valid
    annotation = gold_annotation(client, tasks[EMOJI_DOC])
    isis = sorted(doc.spans)[0]
    client.annotations.update(
        id=annotation.id,
        result=[
            labelled(isis, "EVENT") if r["id"] == isis.id and r["type"] == "labels" else r
            for r in annotation.result
        ],
    )
    before = tree_bytes(gold_repo)
    capsys.readouterr()
    assert ls(gold_repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 1
    assert (
        f"]: project {project_title!r} task {tasks[EMOJI_DOC].id}: document {EMOJI_DOC}: span {isis.id}: "
        "label 'EVENT' is not in the label set"
    ) in capsys.readouterr().err
    assert tree_bytes(gold_repo) == before  # the valid annotation of PLAIN_DOC was not written either


def test_pre_annotations_go_in_as_predictions_once_per_model_version(
    gold_repo: Repo,
    server: LabelStudioServer,
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    client = server.client()
    doc = documents(gold_repo)[EMOJI_DOC]
    police = mention(doc, "الشرطة", "ORG")
    line = {
        "document": doc.id,
        "spans": [{"start": police.start, "end": police.end, "label": "ORG", "score": 0.42}],
    }
    suggestions = tmp_path / "suggested.jsonl"
    suggestions.write_text(json.dumps(line) + "\n", encoding="utf-8")
    push = ("push", "--project", project_title, "--predictions-file", str(suggestions), "--predictions")
    before = tree_bytes(gold_repo)
    assert ls(gold_repo, *push, "rules-1", monkeypatch=monkeypatch) == 0
    assert ls(gold_repo, *push, "rules-1", monkeypatch=monkeypatch) == 0
    assert ls(gold_repo, *push, "rules-2", monkeypatch=monkeypatch) == 0
    assert "pre-annotations 'rules-2' added to 7 existing tasks" in capsys.readouterr().out
    task = tasks_of(client, project_title)[EMOJI_DOC]
    predictions = sorted(task.predictions, key=lambda p: p.model_version)
    assert [(p.model_version, p.score) for p in predictions] == [("rules-1", 0.42), ("rules-2", 0.42)]
    (suggested,) = predictions[0].result
    assert (suggested["value"]["start"], suggested["value"]["text"], suggested["score"]) == (
        police.start,
        "الشرطة",
        0.42,
    )
    assert ls(gold_repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert tree_bytes(gold_repo) == before  # predictions are never taken as annotators' work
