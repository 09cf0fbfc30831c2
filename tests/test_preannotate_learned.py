"""``rasd preannotate --learned``: names annotators confirmed join the lexicon, only when asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.cli import main
from rasd.core.labels import Label
from rasd.core.paths import Repo
from rasd.formats.learned import LearnedName, learned_path, write_learned

NAME = "زمرقيلان"  # made up: in no list, and no rule finds it
TEXT = f"وأعلنت {NAME} مسؤوليتها عن الحادث في بيان قصير."


def learn(repo: Repo, label: Label = Label.ORG) -> None:
    name = LearnedName(NAME, label, annotator="7", task="12", time="2026-12-02T10:31:07Z", annotation=31)
    write_learned(learned_path(repo), [name], file="learned.jsonl")


def suggested(path: Path) -> list[tuple[str, str]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(s["text"], s["label"]) for line in lines for s in line["spans"]]


def run_input(repo: Repo, tmp_path: Path, *flags: str) -> int:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a1", "text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    return main(
        [
            "--root",
            str(repo.root),
            "preannotate",
            "--input",
            str(source),
            "--output",
            str(tmp_path / "out.jsonl"),
            *flags,
        ]
    )


@pytest.mark.parametrize(("flags", "found"), [((), False), (("--learned",), True)])
def test_a_learned_name_is_suggested_only_with_the_flag(
    repo: Repo, tmp_path: Path, flags: tuple[str, ...], found: bool
) -> None:
    learn(repo)
    assert run_input(repo, tmp_path, *flags) == 0
    assert ((NAME, "ORG") in suggested(tmp_path / "out.jsonl")) is found


def test_a_malformed_learned_file_is_a_named_error_and_nothing_is_written(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    learned_path(repo).write_text('{"text": "x", "label": "NOPE"}\n', encoding="utf-8")
    assert run_input(repo, tmp_path, "--learned") == 1
    err = capsys.readouterr().err
    assert "error[RASD-E791]" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out.jsonl").exists()
    assert main(["--root", str(repo.root), "preannotate", "--learned", "--workers", "1"]) == 1
    assert "error[RASD-E791]" in capsys.readouterr().err
    assert not (repo.dataset_dir / "predictions").exists()


def corpus(repo: Repo, *flags: str) -> dict[str, bytes]:
    assert main(["--root", str(repo.root), "preannotate", *flags]) == 0
    folder = repo.dataset_dir / "predictions"
    files = {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))}
    for path in folder.glob("*.json"):
        path.unlink()
    return files


def test_the_corpus_mode_learns_only_with_the_flag_and_whatever_the_workers(repo: Repo) -> None:
    learn(repo)
    for n in range(3):
        (repo.raw_dir / f"zz{n}_learned.txt").write_text(f"خبر رقم {n}\n\n{TEXT}\n", encoding="utf-8")
    without = corpus(repo, "--workers", "1")
    one = corpus(repo, "--learned", "--workers", "1")
    assert corpus(repo, "--learned", "--workers", "2") == one
    assert set(one) == set(without)
    changed = {name for name in one if one[name] != without[name]}
    assert changed
    assert all(name.startswith("zz") for name in changed)
    for name in changed:
        spans = json.loads(one[name])["spans"]
        assert any(s["text"] == NAME and s["label"] == "ORG" for s in spans)
        assert not any(s["text"] == NAME for s in json.loads(without[name])["spans"])
