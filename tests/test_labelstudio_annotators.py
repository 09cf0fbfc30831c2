"""Two annotator accounts on a real Label Studio server: overlap, every annotator's work kept, adjudication.

The admin pushes with ``--overlap 2``; two annotators (their own accounts and
tokens, created through the API) annotate one new document differently through
the API, as their browsers would.  ``rasd ls pull`` keeps both annotations in
``by_annotator/``, takes the span both marked as gold, lists the others, and the
agreement figures match a hand computation.  A reviewer's ground truth then decides.
"""

from __future__ import annotations

from typing import Any

import pytest

from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.formats.annotators import iter_annotator_files
from rasd.gold.agreement import repo_agreement
from rasd.gold.annotations import load_corpus, read_annotations

pytest_plugins = ["ls_server"]

from ls_server import Annotator, LabelStudioServer, rasd  # noqa: E402

pytestmark = pytest.mark.labelstudio

DOC = "007_two_annotators"
RAW = "أعلنت وزارة الصحة في بغداد أن 12 مصابا نقلوا إلى المستشفى.\n"
ANA_MARKS = (("بغداد", "LOC"), ("وزارة الصحة", "ORG"), ("12", "QUANTITY"))
BOB_MARKS = (("بغداد", "LOC"), ("الصحة", "ORG"))


@pytest.fixture
def server(label_studio: LabelStudioServer, monkeypatch: pytest.MonkeyPatch) -> LabelStudioServer:
    for key, value in label_studio.env().items():
        monkeypatch.setenv(key, value)
    return label_studio


def ls(repo: Repo, *argv: str, monkeypatch: pytest.MonkeyPatch) -> int:
    return rasd(repo, "ls", *argv, monkeypatch=monkeypatch)


def document(repo: Repo) -> Document:
    (doc,) = [d for d in load_corpus(repo) if d.id == DOC]
    return doc


def at(text: str, surface: str, label: str) -> tuple[int, int, str]:
    start = text.index(surface)
    return (start, start + len(surface), label)


def regions(text: str, marks: Any) -> list[dict[str, Any]]:
    result = []
    for k, (surface, label) in enumerate(marks):
        start, end, _ = at(text, surface, label)
        value = {"start": start, "end": end, "text": surface, "labels": [label]}
        result.append(
            {"id": f"m{k}", "from_name": "label", "to_name": "text", "type": "labels", "value": value}
        )
    return result


def the_task(client: Any, title: str) -> Any:
    (project,) = [p for p in client.projects.list(title=title) if p.title == title]
    (task,) = [t for t in client.tasks.list(project=project.id, fields="all") if t.data["id"] == DOC]
    return project, task


def test_two_annotators_agreeing_spans_become_gold_and_the_rest_is_listed(
    repo: Repo,
    server: LabelStudioServer,
    annotators: tuple[Annotator, Annotator],
    project_title: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (repo.raw_dir / f"{DOC}.txt").write_text(RAW, encoding="utf-8")
    ana, bob = annotators
    assert ls(repo, "push", "--project", project_title, "--overlap", "2", monkeypatch=monkeypatch) == 0
    assert "each task now goes to 2 annotators" in capsys.readouterr().out
    admin = server.client()
    project, task = the_task(admin, project_title)
    settings = admin.projects.get(id=project.id)
    assert (settings.maximum_annotations, settings.overlap_cohort_percentage) == (2, 100)
    assert ls(repo, "push", "--project", project_title, "--overlap", "2", monkeypatch=monkeypatch) == 0
    assert "each task now goes" not in capsys.readouterr().out  # already set: left alone

    text = document(repo).text
    for who, marks in ((ana, ANA_MARKS), (bob, BOB_MARKS)):
        made = who.client().annotations.create(id=task.id, result=regions(text, marks))
        assert made.completed_by == who.id  # made with the annotator's own token

    assert ls(repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert "kept 2 annotations of 2 annotators in dataset/annotations/by_annotator/" in out
    disputed = [
        f"[{s}, {e}) {label} {surface!r} only by {who.email}"
        for who, surface, label in (
            (ana, "وزارة الصحة", "ORG"),
            (ana, "12", "QUANTITY"),
            (bob, "الصحة", "ORG"),
        )
        for s, e, _ in [at(text, surface, label)]
    ]
    for line in disputed:
        assert line in out
    stored = {
        f.annotator: sorted((s.start, s.end, s.label) for s in f.parsed.spans)
        for f in iter_annotator_files(repo)
    }
    assert stored == {
        ana.email: sorted(at(text, s, label) for s, label in ANA_MARKS),
        bob.email: sorted(at(text, s, label) for s, label in BOB_MARKS),
    }
    gold = read_annotations(repo, document(repo))
    assert [(s.start, s.end, s.label) for s in gold] == [at(text, "بغداد", "LOC")]

    assert ls(repo, "conflicts", "--project", project_title, monkeypatch=monkeypatch) == 1
    listed = capsys.readouterr().out
    assert all(line in listed for line in disputed)

    assert ls(repo, "agreement", "--project", project_title, monkeypatch=monkeypatch) == 0
    table = capsys.readouterr().out
    assert f"{ana.email} vs {bob.email} (1 tasks)" in table
    assert "  LOC         1.000        1      1      1" in table
    assert "  ORG         0.000        0      1      1" in table  # وزارة الصحة against الصحة
    assert "  all         0.400        1      3      2" in table  # 2 * 1 / (3 + 2)
    # 12 tokens; they differ on وزارة (ORG/O) and 12 (QUANTITY/O): po = 10/12,
    # pe = (8 * 10 + 2 * 1 + 1 * 1) / 144 = 83/144, kappa = (120 - 83) / (144 - 83) = 37/61
    assert "Cohen's kappa on 12 tokens: 0.607" in table

    figures = repo_agreement(repo)  # what `rasd release` records, from by_annotator/
    assert (figures["documents"], figures["annotators"], figures["tokens"]) == (1, [ana.email, bob.email], 12)
    assert figures["kappa"] == round(37 / 61, 4)
    assert figures["per_label"]["ORG"] == {"strict": 0.0, "overlap": 1.0, "spans": 2}
    assert figures["overall"] == {"strict": 0.4, "overlap": 0.8, "spans": 5}

    # a reviewer adjudicates: bob's annotation becomes the ground truth
    (bobs,) = [a for a in admin.annotations.list(id=task.id) if a.completed_by == bob.id]
    admin.annotations.update(id=bobs.id, ground_truth=True)
    assert ls(repo, "pull", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert (
        f"1 documents adjudicated (every annotator agrees, or a ground truth decides): {DOC}"
        in capsys.readouterr().out
    )
    gold = read_annotations(repo, document(repo))
    assert sorted((s.start, s.end, s.label) for s in gold) == sorted(
        at(text, s, label) for s, label in BOB_MARKS
    )
    assert ls(repo, "conflicts", "--project", project_title, monkeypatch=monkeypatch) == 0
    assert len(list(iter_annotator_files(repo))) == 2  # ana's overruled work is still kept
