"""Documents <-> Label Studio tasks without a server: the rules of the merge, and the file-based path."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import copy_repo

from rasd.core.errors import RasdError
from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.core.spans import new_span_id
from rasd.formats.labelstudio import AnnotationJSON, TaskJSON, parse_tasks
from rasd.gold.annotations import load_corpus, read_annotations
from rasd.labelstudio.merge import PullReport, import_tasks, merge_tasks
from rasd.labelstudio.selection import select_annotation
from rasd.labelstudio.spans import span_keys, task_to_spans
from rasd.labelstudio.tasks import document_to_task, export_file_tasks
from rasd.pipeline import build

pytest_plugins = ["ls_server"]

from ls_server import EMOJI_DOC, PLAIN_DOC, mention, rasd, tree_bytes  # noqa: E402  (after the plugin line, on purpose)

ORIGIN = "export.json"


def import_payload(repo: Repo, payload: Any, origin: str) -> PullReport:
    """What ``rasd ls import-export`` does with a parsed export: merge, then rebuild."""
    return import_tasks(repo, parse_tasks(payload, origin), rebuild=partial(build, progress=False))


def documents(repo: Repo) -> dict[str, Document]:
    return {d.id: d for d in load_corpus(repo)}


def export_of(repo: Repo) -> list[TaskJSON]:
    """What an export looks like right after a push: each task with its gold annotation."""
    tasks = export_file_tasks(load_corpus(repo))
    for number, task in enumerate(tasks, start=1):
        task["id"] = number
        for k, annotation in enumerate(task.get("annotations", [])):
            annotation.update(id=100 * number + k, completed_by=1)
    return tasks


def task_for(tasks: list[TaskJSON], doc_id: str) -> TaskJSON:
    (task,) = [t for t in tasks if t["data"]["id"] == doc_id]
    return task


def drop_first_region(annotation: AnnotationJSON) -> None:
    """An annotator's edit: delete one region (its label and its text areas)."""
    first = annotation["result"][0]["id"]
    annotation["result"] = [r for r in annotation["result"] if r["id"] != first]


def region(span_id: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    return {
        "id": span_id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }


def test_a_task_carries_the_document_and_its_gold_as_one_annotation(gold_repo: Repo) -> None:
    document = documents(gold_repo)[EMOJI_DOC]
    task = document_to_task(document)
    assert task["data"] == {"id": EMOJI_DOC, "text": document.text, "title": "", "origin": f"{EMOJI_DOC}.txt"}
    (annotation,) = task["annotations"]
    assert annotation["ground_truth"] is False  # else Label Studio stars the import and it beats annotators
    labelled = [r for r in annotation["result"] if r["type"] == "labels"]
    assert [r["id"] for r in labelled] == [s.id for s in sorted(document.spans)]
    values = {r["id"]: r["value"]["text"] for r in annotation["result"] if r["from_name"] == "value"}
    assert values == {s.id: [s.value] for s in document.spans if s.value is not None}
    assert "predictions" not in task


def test_a_document_without_gold_stays_in_the_labeling_queue(gold_repo: Repo) -> None:
    document = documents(gold_repo)[PLAIN_DOC]
    assert document.spans == ()
    assert "annotations" not in document_to_task(document)


def test_pre_annotations_carry_model_version_and_scores(gold_repo: Repo) -> None:
    document = documents(gold_repo)[EMOJI_DOC]
    suggested = [
        s.replace(score=score) for s, score in zip(sorted(document.spans), (0.9, 0.4, 0.7), strict=False)
    ]
    (prediction,) = document_to_task(document, predictions=suggested, model_version="gazetteer-1")[
        "predictions"
    ]
    assert prediction["model_version"] == "gazetteer-1"
    assert prediction["score"] == 0.4
    assert [r.get("score") for r in prediction["result"] if r["type"] == "labels"] == [0.9, 0.4, 0.7]


def test_every_document_comes_back_exactly_as_it_went(gold_repo: Repo) -> None:
    for document in documents(gold_repo).values():
        annotations = document_to_task(document).get("annotations", [{"result": []}])
        spans, errors = task_to_spans(annotations[0], document, where=ORIGIN)
        assert errors == []
        assert span_keys(spans) == span_keys(document.spans)


def annotation(number: int, *, gt: bool = False, cancelled: bool = False) -> AnnotationJSON:
    return {
        "id": number,
        "result": [],
        "ground_truth": gt,
        "was_cancelled": cancelled,
        "completed_by": number,
    }


@pytest.mark.parametrize(
    ("annotations", "drafts", "taken", "conflict", "note"),
    [
        ([annotation(1)], 0, 1, [], None),
        ([annotation(1), annotation(2)], 0, None, [1, 2], None),
        (
            [annotation(1), annotation(2, gt=True)],
            0,
            2,
            [],
            "ground truth annotation 2 by user 2 taken over 1",
        ),
        ([annotation(1), annotation(2, cancelled=True)], 0, 1, [], "annotation 2 by user 2 was cancelled"),
        (
            [annotation(1, cancelled=True, gt=True), annotation(2)],
            0,
            2,
            [],
            "annotation 1 by user 1 was cancelled",
        ),
        ([annotation(1, cancelled=True)], 0, None, [], "no submitted annotation: gold left as it is"),
        ([], 2, None, [], "2 draft(s) ignored"),
        ([annotation(1), annotation(2)], 1, None, [1, 2], "1 draft(s) ignored"),
        ([annotation(1, gt=True), annotation(2, gt=True)], 0, None, [1, 2], "several annotations are marked"),
    ],
)
def test_which_annotation_a_task_contributes(
    annotations: list[AnnotationJSON], drafts: int, taken: int | None, conflict: list[int], note: str | None
) -> None:
    task: TaskJSON = {
        "data": {"id": "d", "text": "t", "title": "", "origin": ""},
        "annotations": annotations,
        "drafts": [{"result": []}] * drafts,
    }
    selection = select_annotation(task)
    assert (selection.taken or {}).get("id") == taken
    assert [a.get("id") for a in selection.conflict] == conflict
    if note:
        assert any(note in n for n in selection.notes), selection.notes


def _unknown_document(tasks: list[TaskJSON], doc: Document) -> None:
    task_for(tasks, doc.id)["data"]["id"] = "999_missing"


def _text_changed(tasks: list[TaskJSON], doc: Document) -> None:
    task_for(tasks, doc.id)["data"]["text"] = doc.text.replace("داعش", "داعس", 1)


def _crossing(tasks: list[TaskJSON], doc: Document) -> None:
    first = sorted(doc.spans)[0]
    result = task_for(tasks, doc.id)["annotations"][0]["result"]
    start, end = first.start + 2, first.end + 3
    result.append(region("crossing1", start, end, doc.text[start:end], "ORG"))  # type: ignore[arg-type]


def _foreign_label(tasks: list[TaskJSON], doc: Document) -> None:
    task_for(tasks, doc.id)["annotations"][0]["result"][0]["value"]["labels"] = ["EVENT"]


def _duplicate_task(tasks: list[TaskJSON], doc: Document) -> None:
    twin = copy.deepcopy(task_for(tasks, doc.id))
    twin["id"] = 99
    tasks.append(twin)


def _quantity_not_a_number(tasks: list[TaskJSON], doc: Document) -> None:
    result = task_for(tasks, doc.id)["annotations"][0]["result"]
    (area,) = [r for r in result if r["from_name"] == "value" and r["value"]["text"] == ["60"]]
    area["value"]["text"] = ["sixty"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_unknown_document, "export.json task 6: document 999_missing: task names a document that is not in"),
        (
            _text_changed,
            "export.json task 6: document 005_emoji: the task's data.text differs from the document",
        ),
        (_crossing, "export.json task 6: document 005_emoji: span crossing1: crosses span s7c6224cb2793"),
        (
            _foreign_label,
            "export.json task 6: document 005_emoji: span s7c6224cb2793: label 'EVENT' is not in",
        ),
        (_duplicate_task, "export.json task 99: document 005_emoji: second task for this document"),
        (
            _quantity_not_a_number,
            "export.json task 6: document 005_emoji: span s3be2b853c6df: QUANTITY value",
        ),
    ],
)
def test_a_bad_task_is_named_and_nothing_is_written(
    gold_repo: Repo, mutate: Callable[[list[TaskJSON], Document], None], message: str
) -> None:
    tasks = export_of(gold_repo)
    doc = documents(gold_repo)[EMOJI_DOC]
    # A good edit elsewhere, which must not be written either: the pull is all or nothing.
    drop_first_region(task_for(tasks, "003_6ec577d5e0655de2")["annotations"][0])
    mutate(tasks, doc)
    before = tree_bytes(gold_repo)
    with pytest.raises(RasdError) as raised:
        import_payload(gold_repo, tasks, ORIGIN)
    assert message in str(raised.value)
    assert tree_bytes(gold_repo) == before


def test_edits_come_back_with_ids_kept_and_new_ids_stable(gold_repo: Repo) -> None:
    doc = documents(gold_repo)[EMOJI_DOC]
    tasks = export_of(gold_repo)
    result = task_for(tasks, doc.id)["annotations"][0]["result"]
    isis, twitter, baghdad, sixty, iraq = sorted(doc.spans)
    relabelled = [r for r in result if r["id"] != twitter.id]  # delete
    for r in relabelled:
        if r["id"] == baghdad.id:
            r["value"]["labels"] = ["ORG"]  # relabel
        if r["id"] == iraq.id and r["from_name"] == "value":
            r["value"]["text"] = ["IQ"]  # new normalised value
    police = mention(doc, "الشرطة", "ORG")
    relabelled.append(region("Xy7_-kPq2Z", police.start, police.end, police.text, "ORG"))  # type: ignore[arg-type]
    task_for(tasks, doc.id)["annotations"][0]["result"] = relabelled

    import_payload(gold_repo, copy.deepcopy(tasks), ORIGIN)
    first = {s.id: s for s in read_annotations(gold_repo, doc)}
    new_id = new_span_id(doc.id, police.start, police.end, "ORG", salt="Xy7_-kPq2Z")
    assert set(first) == {isis.id, baghdad.id, sixty.id, iraq.id, new_id}
    assert (first[baghdad.id].label, first[iraq.id].value, first[new_id].text) == ("ORG", "IQ", "الشرطة")

    before = tree_bytes(gold_repo)
    import_payload(gold_repo, tasks, ORIGIN)  # pulling the same export again changes nothing
    assert tree_bytes(gold_repo) == before


@pytest.mark.parametrize("rebuild", [False, True])
def test_the_rebuild_after_a_merge_is_the_callers(gold_repo: Repo, rebuild: bool) -> None:
    tasks = export_of(gold_repo)
    drop_first_region(task_for(tasks, EMOJI_DOC)["annotations"][0])  # one edit, so the merge writes
    calls: list[Repo] = []

    def fake_build(repo: Repo) -> SimpleNamespace:
        calls.append(repo)
        return SimpleNamespace(changed=["dataset/built.parquet", f"dataset/annotations/{EMOJI_DOC}.json"])

    report = import_tasks(gold_repo, parse_tasks(tasks, ORIGIN), rebuild=fake_build if rebuild else None)
    assert calls == ([gold_repo] if rebuild else [])
    written = [f"dataset/annotations/{EMOJI_DOC}.json"]
    assert report.changed == ([*written, "dataset/built.parquet"] if rebuild else written)


@pytest.mark.parametrize(
    ("doc_id", "accept_empty", "held", "emptied"),
    [
        (EMOJI_DOC, False, True, False),  # five gold spans: an empty form is held back
        (EMOJI_DOC, True, False, True),  # unless the puller says the document mentions nothing
        (PLAIN_DOC, False, False, False),  # no gold spans: nothing to lose, nothing to warn about
    ],
)
def test_an_empty_annotation_does_not_delete_gold_unless_accepted(
    gold_repo: Repo, doc_id: str, accept_empty: bool, held: bool, emptied: bool
) -> None:
    tasks = export_of(gold_repo)
    task = task_for(tasks, doc_id)
    task["annotations"] = [{"id": 9, "completed_by": 3, "result": []}]
    drop_first_region(task_for(tasks, "003_6ec577d5e0655de2")["annotations"][0])  # a real edit beside it
    report = import_tasks(gold_repo, parse_tasks(tasks, ORIGIN), accept_empty=accept_empty)
    warnings = [(w.code, w.document, str(w)) for w in report.merge.held]
    assert warnings == (
        [
            (
                "RASD-W601",
                doc_id,
                f"export.json task 6: document {doc_id}: annotation 9 by user 3 has no regions but the gold "
                "has 5 span(s): held back, the gold is left unchanged. Fix: if the document really mentions "
                "nothing, pull again with --accept-empty; otherwise the annotation was submitted by mistake: "
                "redo it in Label Studio",
            )
        ]
        if held
        else []
    )
    spans = read_annotations(gold_repo, documents(gold_repo)[doc_id])
    assert (len(spans) == 0) == (emptied or doc_id == PLAIN_DOC)
    assert "dataset/annotations/003_6ec577d5e0655de2.json" in report.changed  # the other edit still lands


def test_the_cli_holds_an_empty_annotation_back_until_accepted(
    gold_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = export_of(gold_repo)
    task_for(tasks, EMOJI_DOC)["annotations"][0]["result"] = []
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    before = tree_bytes(gold_repo)
    assert rasd(gold_repo, "ls", "import-export", str(export), monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert (
        f"warning[RASD-W601]: {export} task 6: document {EMOJI_DOC}: annotation 600 by user 1 has no" in out
    )
    assert "1 empty annotations held back (gold unchanged; --accept-empty applies them)" in out
    assert tree_bytes(gold_repo) == before
    args = ("ls", "import-export", str(export), "--accept-empty")
    assert rasd(gold_repo, *args, monkeypatch=monkeypatch) == 0
    assert read_annotations(gold_repo, documents(gold_repo)[EMOJI_DOC]) == ()
    assert "held back" not in capsys.readouterr().out


def released_data(repo: Repo) -> dict[str, bytes]:
    return {name: data for name, data in tree_bytes(repo).items() if name.startswith("dataset/data/")}


def test_a_pull_on_a_released_version_keeps_the_gold_and_names_the_next_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    released = copy_repo(tmp_path / "released", released=True)
    (released.dataset_dir / "VERSION").write_text("0.1.0\n", encoding="utf-8")  # the released version
    tasks = export_of(released)
    edited = next(t for t in tasks if t.get("annotations"))
    drop_first_region(edited["annotations"][0])
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    data_before = released_data(released)
    assert rasd(released, "ls", "import-export", str(export), monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert f"  wrote dataset/annotations/{edited['data']['id']}.json" in out
    assert (
        "next: version 0.1.0 is released, so dataset/ was not rebuilt: run `rasd release --bump minor`" in out
    )
    assert released_data(released) == data_before  # the released data is untouched
    before = tree_bytes(released)
    assert rasd(released, "ls", "import-export", str(export), monkeypatch=monkeypatch) == 0
    assert "next:" not in capsys.readouterr().out  # nothing changed the second time, nothing to release
    assert tree_bytes(released) == before


def test_a_conflict_is_reported_with_its_f1_and_its_disputed_span_kept_as_gold(gold_repo: Repo) -> None:
    doc = documents(gold_repo)[EMOJI_DOC]
    tasks = export_of(gold_repo)
    task = task_for(tasks, doc.id)
    second = copy.deepcopy(task["annotations"][0])
    second.update(id=7, completed_by={"id": 2, "email": "b@example.com"})
    second["result"] = [r for r in second["result"] if r["type"] == "labels"][:4]  # drops one span of five
    task["annotations"].append(second)
    before = tree_bytes(gold_repo)
    merge = merge_tasks(gold_repo, tasks, ORIGIN)
    (conflict,) = merge.conflicts
    assert conflict.f1 == (("annotation 600 by user 1", "annotation 7 by b@example.com", 8 / 9),)
    assert conflict.render().startswith(
        "export.json task 6: document 005_emoji: 2 submitted annotations and no ground truth "
        "(annotation 600 by user 1 vs annotation 7 by b@example.com: span F1 0.89)"
    )
    dropped = sorted(doc.spans)[4]  # the span the second annotator left out
    assert (
        f"1 disputed span(s): [{dropped.start}, {dropped.end}) {dropped.label} {dropped.text!r} only by user 1"
        in (conflict.render())
    )
    assert doc.id not in merge.updates  # the agreed spans plus the previous gold where they differ: no change
    import_payload(gold_repo, tasks, ORIGIN)
    after = tree_bytes(gold_repo)
    kept = {name: after.pop(name) for name in list(after) if "/by_annotator/" in name}

    def gold(tree: dict[str, bytes]) -> dict[str, bytes]:
        return {name: data for name, data in tree.items() if name.startswith("dataset/annotations/")}

    assert gold(after) == gold(before)  # the gold files are untouched; the card now shows the agreement
    assert b"Measured on 1 documents annotated by two or more" in after["dataset_card.md"]
    assert sorted(kept) == [
        f"dataset/annotations/by_annotator/{who}/{EMOJI_DOC}.json" for who in ("b@example.com", "user-1")
    ]
    mine = json.loads(kept[f"dataset/annotations/by_annotator/b@example.com/{EMOJI_DOC}.json"])
    assert [(s["start"], s["end"], s["label"]) for s in mine["spans"]] == [
        (s.start, s.end, s.label) for s in sorted(doc.spans)[:4]
    ]


def test_file_round_trip_through_the_cli_is_byte_identical(
    gold_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tasks.json"
    assert rasd(gold_repo, "ls", "export-tasks", str(out), monkeypatch=monkeypatch) == 0
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(t["data"]["id"] for t in tasks) == sorted(documents(gold_repo))
    for number, task in enumerate(tasks, start=1):  # what the UI's export adds
        task.update(id=number, drafts=[], predictions=[])
        for annotation in task.get("annotations", []):
            annotation.update(id=number, completed_by=1, was_cancelled=False)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    before = tree_bytes(gold_repo)
    assert rasd(gold_repo, "ls", "import-export", str(export), monkeypatch=monkeypatch) == 0
    assert "0 documents updated, 7 unchanged, 0 conflicts" in capsys.readouterr().out
    assert tree_bytes(gold_repo) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "error[RASD-E912]: export.json: invalid JSON at line 1, column 2"),
        ('{"data": {}, "data": []}', "error[RASD-E913]: export.json: the key 'data' appears twice"),
        (
            '{"data": {}}',
            "error[RASD-E601]: export.json: not a Label Studio JSON export (expected a list of tasks)",
        ),
        (
            '[{"id": 4, "data": {"text": "x"}}]',
            "error[RASD-E604]: export.json task 4: data.id is missing or not a string",
        ),
        (
            '[{"id": 4, "data": {"id": "a", "text": "x"}, "annotations": {}}]',
            "error[RASD-E605]: export.json task 4: document a: annotations is not a list",
        ),
        ("[3]", "error[RASD-E602]: export.json task #1: task is not a JSON object"),
        ('[{"id": 4, "data": []}]', "error[RASD-E603]: export.json task 4: task has no data object"),
        (
            '[{"id": 4, "data": {"id": "a", "text": "x"}, "annotations": [{"result": 1}]}]',
            "error[RASD-E606]: export.json task 4: document a: an annotation is not an object",
        ),
        (
            '[{"id": 4, "data": {"id": "a", "text": "x"}, "annotations": [{"id": 8, "result": [1]}]}]',
            "error[RASD-E607]: export.json task 4: document a: annotation 8 has a result item",
        ),
    ],
)
def test_a_malformed_export_file_is_named(
    repo: Repo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("export.json").write_text(content, encoding="utf-8")
    assert rasd(repo, "ls", "import-export", "export.json", monkeypatch=monkeypatch) == 1
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"document": "nope", "spans": []}', "line 1: document nope: expected {"),
        (
            '{"document": "005_emoji", "spans": [{"start": 0, "end": 4, "label": "ORG", "score": 2}]}',
            "span #1",
        ),
        (
            '{"document": "005_emoji", "spans": [{"start": 0, "end": 4, "label": "ORG", "score": 0.5}]}',
            "white space",
        ),
    ],
)
def test_bad_pre_annotations_are_named(
    gold_repo: Repo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    line: str,
    message: str,
) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    code = rasd(
        gold_repo, "ls", "export-tasks", str(tmp_path / "o.json"), "--predictions", "m", "--predictions-file",
        str(path), monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 1
    assert message in capsys.readouterr().err


def test_stored_pre_annotations_go_into_the_export(
    gold_repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from rasd.preannotate.stored import save_predictions

    doc = documents(gold_repo)[EMOJI_DOC]
    police = mention(doc, "الشرطة", "ORG").replace(score=0.6)
    save_predictions(gold_repo, doc, [police])
    out = tmp_path / "tasks.json"
    assert (
        rasd(gold_repo, "ls", "export-tasks", str(out), "--predictions", "ner-2", monkeypatch=monkeypatch)
        == 0
    )
    task = task_for(json.loads(out.read_text(encoding="utf-8")), doc.id)
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == "ner-2"
    assert prediction["score"] == 0.6
    assert [(r["id"], r["value"]["text"], r["score"]) for r in prediction["result"]] == [
        (police.id, "الشرطة", 0.6)
    ]
    assert len(task["annotations"]) == 1  # the gold annotation is still there


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "]: no Label Studio URL. Fix: pass --url URL or set LABEL_STUDIO_URL"),
        (
            {"LABEL_STUDIO_URL": "http://127.0.0.1:9"},
            "]: no Label Studio API token. Fix: set LABEL_STUDIO_API_KEY",
        ),
    ],
)
def test_the_server_commands_say_what_is_missing(
    repo: Repo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    message: str,
) -> None:
    for key in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert rasd(repo, "ls", "pull", "--project", "Rasd", monkeypatch=monkeypatch) == 1
    assert message in capsys.readouterr().err
