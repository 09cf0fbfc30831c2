"""Two real releases in a scratch git repository, with one span edit between them.

The module fixture copies the repository into ``tmp``, replaces the gold files
with a few hand-placed spans (so the test does not move when the real gold
data does), runs ``git init``, releases 0.1.0 with ``--tag``, relabels one span
(LOC → ORG on «بغداد») and releases 0.2.0.  Everything else reads that history:
changelog, diff, verify, tampering, the immutability check of the build,
checkout + ``load_dataset`` of both versions, and all of it again from a clean
``git clone``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_repo

from rasd.cli import main
from rasd.core.errors import RasdErrors, ReleaseError, VersionError
from rasd.core.journal import Transaction
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.formats.annotators import AnnotatorWork, stage_annotator_work
from rasd.gold.annotations import write_annotations
from rasd.intake.ingest import iter_documents
from rasd.pipeline import build, release
from rasd.versions.checkout import checkout
from rasd.versions.manifest import verify
from rasd.versions.versioning import parse_version

DOC = "000_01a36b4f6357320d"


def place(document: Document, surface: str, label: str, span_id: str, value: str | None) -> Span:
    """A span on the first occurrence of ``surface`` in the document."""
    start = document.text.index(surface)
    return Span(start, start + len(surface), label, span_id, surface, value)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


@dataclass(frozen=True)
class History:
    repo: Repo
    edited: Span  # the span as released in 0.1.0 (relabelled in 0.2.0)


def documents(repo: Repo) -> dict[str, Document]:
    return {d.id: d for d in iter_documents(repo)}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    repo = copy_repo(tmp_path_factory.mktemp("history") / "repo")
    for path in repo.annotations_dir.glob("*.json"):
        path.unlink()
    for name in ("releases", "images"):
        shutil.rmtree(repo.dataset_dir / name, ignore_errors=True)
    document = documents(repo)[DOC]
    baghdad = place(document, "بغداد", "LOC", "e2e-baghdad", "baghdad")
    spans = [
        place(document, "داعش", "ORG", "e2e-isis", "islamic-state"),
        baghdad,
        place(document, "عادل عبد المهدي", "PERSON", "e2e-mahdi", "Adil Abdul-Mahdi"),
    ]
    write_annotations(repo, document, spans)
    for other in documents(repo).values():  # the other articles: annotated, with no span (status complete)
        if other.id != DOC:
            write_annotations(repo, other, [])
    changelog = repo.dataset_dir / "CHANGELOG.md"
    hand_written = (
        "\n## 0.1.0\n\n- First build: the five seed articles, written by hand before the release.\n"
    )
    changelog.write_text(changelog.read_text(encoding="utf-8") + hand_written, encoding="utf-8")
    git(repo.root, "init", "-q")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "inputs")
    release(repo, "minor", tag=True)
    write_annotations(repo, document, [s if s.id != baghdad.id else s.replace(label="ORG") for s in spans])
    release(repo, "minor", tag=True, notes="Baghdad relabelled (test edit).")
    return History(repo, baghdad)


def entry(changelog: str, version: str) -> str:
    match = re.search(rf"^## {re.escape(version)}\n(.*?)(?=^## |\Z)", changelog, re.DOTALL | re.MULTILINE)
    assert match, f"no entry for {version}"
    return match.group(1)


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ")]


def test_the_changelog_entry_names_exactly_the_edit(history: History) -> None:
    changelog = (history.repo.dataset_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    second = entry(changelog, "0.2.0")
    s = history.edited
    # Written out by hand from the edit the fixture made: one row, nothing else changed.
    expected_row = (
        f"| {DOC} | e2e-baghdad | relabelled | LOC [{s.start}, {s.end}) «بغداد» = baghdad "
        f"| ORG [{s.start}, {s.end}) «بغداد» = baghdad |"
    )
    span_rows = [row for row in table_rows(second) if row.startswith(f"| {DOC} |")]
    assert span_rows == [expected_row]
    assert "Minor release, from 0.1.0." in second
    assert "Baghdad relabelled (test edit)." in second
    assert "Changes: a span's label changed (needs a minor release)." in second
    assert "| 1 | 1 | 0 | 0 | 0 | 0 | 0 |" in second  # documents before/after, none added/removed/changed
    assert "| ORG | 1 | 2 | 0 | 0 | 0 | 1 | 0 | 0 |" in second
    assert "| LOC | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 |" in second
    assert "| PERSON | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 |" in second
    assert changelog.index("## 0.2.0") < changelog.index("## 0.1.0")
    first = entry(changelog, "0.1.0")
    assert "First build: the five seed articles" in first  # the hand-written notes survive
    assert "First release: all 3 spans are new" in first


def test_the_machine_readable_diff(history: History) -> None:
    diff = json.loads(
        (history.repo.dataset_dir / "releases" / "v0.2.0.diff.json").read_text(encoding="utf-8")
    )
    assert diff["version"] == "0.2.0"
    assert diff["previous"] == "0.1.0"
    assert diff["bump"] == "minor"
    assert diff["changes"] == ["span-relabelled"]
    assert diff["document_changes"] == []
    (change,) = diff["span_changes"]
    assert change["document"] == DOC
    assert change["span"] == "e2e-baghdad"
    assert change["changes"] == ["span-relabelled"]
    assert (change["before"]["label"], change["after"]["label"]) == ("LOC", "ORG")


def test_release_records_tags_and_a_clean_tree(history: History, capsys: pytest.CaptureFixture[str]) -> None:
    repo = history.repo
    assert main(["--root", str(repo.root), "releases"]) == 0
    assert capsys.readouterr().out == "0.1.0  minor  from –  10 files\n0.2.0  minor  from 0.1.0  10 files\n"
    assert git(repo.root, "tag", "--list").split() == ["dataset-v0.1.0", "dataset-v0.2.0"]
    assert git(repo.root, "status", "--porcelain") == ""
    record = json.loads((repo.dataset_dir / "releases" / "v0.2.0.json").read_text(encoding="utf-8"))
    assert record["previous"] == "0.1.0"
    assert (repo.dataset_dir / "VERSION").read_text(encoding="utf-8") == "0.2.0\n"
    assert "version: 0.2.0" in repo.card_file.read_text(encoding="utf-8")
    assert json.loads((repo.dataset_dir / "croissant.json").read_text(encoding="utf-8"))["version"] == "0.2.0"
    names = set(record["files"])
    assert {
        "README.md",
        "croissant.json",
        "images/label-distribution.png",
        "CHANGELOG.md",
        "VERSION",
    } <= names
    assert f"annotations/{DOC}.json" in record["sources"]
    for name, info in record["files"].items():
        blob = git(repo.root, "rev-parse", f"dataset-v0.2.0:dataset/{name}").strip()
        assert blob == info["git_blob"], name


def test_verify_passes_then_fails_on_a_tampered_parquet_file(history: History, tmp_path: Path) -> None:
    repo = copy_repo_with_git(history, tmp_path)
    assert verify(repo).errors == []
    target = repo.dataset_dir / "data" / "spans" / "train-00000-of-00001.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    errors = verify(repo).errors
    shown = "dataset/data/spans/train-00000-of-00001.parquet"
    assert [e.file for e in errors] == [shown, shown]
    assert "sha256 differs from the build manifest" in str(errors[0])
    assert "differs from release 0.2.0" in str(errors[1])
    assert "rasd checkout v0.2.0 DIR" in str(errors[1])


def copy_repo_with_git(history: History, tmp_path: Path) -> Repo:
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(history.repo.root), str(target)], check=True)
    return Repo(target)


def test_verify_command_exit_codes(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_repo_with_git(history, tmp_path)
    assert main(["--root", str(repo.root), "verify"]) == 0
    assert "verified: version 0.2.0 (released)" in capsys.readouterr().out
    (repo.dataset_dir / "croissant.json").write_text("{}\n", encoding="utf-8")
    assert main(["--root", str(repo.root), "verify"]) == 1
    err = capsys.readouterr().err
    assert "]: dataset/croissant.json: differs from release 0.2.0" in err


def test_a_build_that_changes_released_data_fails(history: History, tmp_path: Path) -> None:
    repo = copy_repo_with_git(history, tmp_path)
    document = documents(repo)[DOC]
    write_annotations(repo, document, [place(document, "داعش", "ORG", "e2e-isis", "islamic-state")])
    before = {p: p.read_bytes() for p in repo.data_dir.rglob("*.parquet")}
    with pytest.raises(RasdErrors) as caught:
        build(repo, progress=False)
    message = str(caught.value)
    assert "files would change in released version 0.2.0; nothing was written" in message
    for config in ("spans", "tokens"):
        assert (
            f"dataset/data/{config}/train-00000-of-00001.parquet: the build would change released data"
            in message
        )
    assert "run `rasd release --bump minor`" in message
    assert {p: p.read_bytes() for p in repo.data_dir.rglob("*.parquet")} == before
    # work in progress on a version that is not released yet builds freely
    (repo.dataset_dir / "VERSION").write_text("0.3.0\n", encoding="utf-8")
    assert any(name.startswith("dataset/data/spans/") for name in build(repo, progress=False).changed)


def test_a_too_small_bump_is_refused(history: History, tmp_path: Path) -> None:
    repo = copy_repo_with_git(history, tmp_path)
    document = documents(repo)[DOC]
    write_annotations(repo, document, [place(document, "داعش", "ORG", "e2e-isis", "islamic-state")])
    with pytest.raises(VersionError) as caught:
        release(repo, "patch")
    assert str(caught.value) == (
        "a patch release is too small: spans were removed, which needs a minor release. Fix: run "
        "`rasd release --bump minor` (rules: label set or schema change major; spans changed minor; "
        "metadata or card only patch)"
    )
    assert (repo.dataset_dir / "VERSION").read_text(encoding="utf-8") == "0.2.0\n"
    assert git(repo.root, "status", "--porcelain").splitlines() == [f" M dataset/annotations/{DOC}.json"]


def test_rasd_diff_between_the_tags_in_a_clean_clone(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_repo_with_git(history, tmp_path)
    shutil.rmtree(repo.dataset_dir / "releases")  # records then come from the tags
    assert main(["--root", str(repo.root), "diff", "v0.1.0", "v0.2.0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 0.1.0 → 0.2.0\n")
    changelog = (history.repo.dataset_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    for row in table_rows(out):  # the same tables as the changelog entry
        assert row in entry(changelog, "0.2.0")
    assert len(table_rows(out)) > 8


@pytest.mark.parametrize(("version", "label"), [("v0.1.0", "LOC"), ("v0.2.0", "ORG")])
def test_checkout_then_load_dataset(history: History, tmp_path: Path, version: str, label: str) -> None:
    from datasets import load_dataset

    repo = copy_repo_with_git(history, tmp_path)
    target = tmp_path / version
    assert main(["--root", str(repo.root), "checkout", version, str(target)]) == 0
    dataset = load_dataset(str(target))
    names = dataset["train"].features["spans"].feature["label"].names
    records = {r["id"]: r for split in dataset.values() for r in split}
    assert len(records) == 5
    (baghdad,) = [s for s in records[DOC]["spans"] if s["id"] == "e2e-baghdad"]
    assert names[baghdad["label"]] == label
    assert (target / "VERSION").read_text(encoding="utf-8") == version[1:] + "\n"
    assert (target / "raw" / f"{DOC}.txt").exists()


def test_checkout_recovers_old_data_from_git_only(history: History, tmp_path: Path) -> None:
    repo = copy_repo_with_git(history, tmp_path)
    git(repo.root, "tag", "-d", "dataset-v0.1.0")  # no tag: the blob ids in the record are enough
    target = tmp_path / "old"
    assert main(["--root", str(repo.root), "checkout", "v0.1.0", str(target), "--data-only"]) == 0
    old = json.loads((repo.dataset_dir / "releases" / "v0.1.0.json").read_text(encoding="utf-8"))
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == sorted(
        [*old["files"], "releases/v0.1.0.json", "releases/v0.1.0.diff.json"]
    )


def test_checkout_names_every_file_it_cannot_recover(history: History, tmp_path: Path) -> None:
    # a copy without .git: the files 0.2.0 changed exist nowhere in their 0.1.0 form
    shutil.copytree(history.repo.root, tmp_path / "nogit", ignore=shutil.ignore_patterns(".git"))
    repo = Repo(tmp_path / "nogit")
    with pytest.raises(RasdErrors) as caught:
        checkout(repo, parse_version("0.1.0"), tmp_path / "out")
    message = str(caught.value)
    assert "files of release 0.1.0 cannot be recovered" in message
    assert f"dataset/annotations/{DOC}.json: cannot recover" in message
    assert (
        "dataset/data/spans/train-00000-of-00001.parquet: cannot recover the bytes of release 0.1.0"
        in message
    )
    assert "git fetch --tags" in message


def test_the_card_numbers_match_rasd_stats(history: History, capsys: pytest.CaptureFixture[str]) -> None:
    repo = history.repo
    assert main(["--root", str(repo.root), "stats"]) == 0
    stats_rows = table_rows(capsys.readouterr().out)
    card = repo.card_file.read_text(encoding="utf-8")
    section = card.split("<!-- rasd:statistics:start -->")[1].split("<!-- rasd:statistics:end -->")[0]
    assert table_rows(section) == stats_rows
    assert "| spans (all) | 3 | 0 | 3 |" in stats_rows  # the three hand-placed spans, all in train
    versions = card.split("<!-- rasd:versions:start -->")[1].split("<!-- rasd:versions:end -->")[0]
    assert "| 0.2.0 | minor | 0.1.0 | 5 | 3 | 1 | 0 |" in versions
    assert "| 0.1.0 | minor | – | 5 | 3 | 3 | 5 |" in versions
    assert "![Spans per label and split](images/label-distribution.png)" in card


def test_building_twice_leaves_git_clean(history: History, tmp_path: Path) -> None:
    repo = copy_repo_with_git(history, tmp_path)
    assert build(repo, progress=False).changed == []
    chart = repo.dataset_dir / "images" / "label-distribution.png"
    chart.unlink()
    assert build(repo, progress=False).changed == ["dataset/images/label-distribution.png"]
    assert git(repo.root, "status", "--porcelain") == ""


def test_a_release_with_no_change_is_refused(
    history: History, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_repo_with_git(history, tmp_path)
    assert main(["--root", str(repo.root), "release", "--bump", "patch", "--quiet"]) == 1
    assert capsys.readouterr().err == (
        "error[RASD-E542]: dataset_card.md: nothing changed since release 0.2.0: no document, span, label, "
        "schema, card, annotator work or agreement change. Fix: change the gold data, the annotators' work "
        "or the card first (`rasd diff` lists what changed); a new version must differ from the one before it\n"
    )
    assert git(repo.root, "status", "--porcelain") == ""
    assert (repo.dataset_dir / "VERSION").read_text(encoding="utf-8") == "0.2.0\n"
    # a change to the card's prose alone is a change: a patch release
    card = repo.card_file.read_text(encoding="utf-8")
    repo.card_file.write_text(
        card.replace("## Limitations\n", "## Limitations\n\nOne more caveat.\n", 1), encoding="utf-8"
    )
    assert str(release(repo, "patch").plan.version) == "0.2.1"


def test_annotator_work_is_a_change_and_its_agreement_is_recorded(history: History, tmp_path: Path) -> None:
    """Two annotators' files alone make a release; its record holds their agreement; then nothing is left."""
    repo = copy_repo_with_git(history, tmp_path)
    before = json.loads((repo.dataset_dir / "releases" / "v0.2.0.json").read_text(encoding="utf-8"))
    assert before["agreement"]["documents"] == 0
    document = documents(repo)[DOC]
    isis = place(document, "داعش", "ORG", "e2e-isis", "islamic-state")
    ana = [isis, place(document, "بغداد", "LOC", "e2e-baghdad", "baghdad")]
    bob = [isis, place(document, "عادل عبد المهدي", "PERSON", "e2e-mahdi", "Adil Abdul-Mahdi")]
    transaction = Transaction(repo.root, "test")
    stage_annotator_work(
        repo,
        transaction,
        [AnnotatorWork("ana@example.com", document, tuple(ana)), AnnotatorWork("bob", document, tuple(bob))],
    )
    transaction.commit()
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "annotators")
    release(repo, "patch")
    record = json.loads((repo.dataset_dir / "releases" / "v0.2.1.json").read_text(encoding="utf-8"))
    agreement = record["agreement"]
    assert (agreement["documents"], agreement["annotators"]) == (1, ["ana@example.com", "bob"])
    assert agreement["per_label"]["ORG"] == {"strict": 1.0, "overlap": 1.0, "spans": 2}
    assert agreement["per_label"]["LOC"] == {"strict": 0.0, "overlap": 0.0, "spans": 1}
    assert agreement["per_label"]["PERSON"] == {"strict": 0.0, "overlap": 0.0, "spans": 1}
    assert agreement["overall"] == {"strict": 0.5, "overlap": 0.5, "spans": 4}  # 2*1/(2+2)
    # by hand: n tokens; بغداد (1 token) only ana, عادل عبد المهدي (3 tokens) only bob
    n = agreement["tokens"]
    observed, expected = (n - 4) / n, ((n - 2) * (n - 4) + 1 * 1) / (n * n)
    assert agreement["kappa"] == round((observed - expected) / (1 - expected), 4)
    assert n > len(document.text.split())  # every word and punctuation mark is a token
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "release 0.2.1")
    with pytest.raises(ReleaseError, match=r"nothing changed since release 0\.2\.1"):
        release(repo, "patch")
