"""The ``rasd`` command: thin layer, --root everywhere, every problem reported, right exit codes."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rasd.cli import main, parser
from rasd.core.paths import Repo
from rasd.intake.ingest import iter_documents, text_sha256


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rasd", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def commands() -> list[str]:
    top = parser()
    (sub,) = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(sub.choices)


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: rasd {command}")
    assert len(out.splitlines()) > 2


def test_validate_passes_on_the_repository(repo: Repo) -> None:
    result = run("--root", str(repo.root), "validate")
    assert result.returncode == 0, result.stderr
    assert "valid:" in result.stdout


def test_validate_reports_every_problem_with_file_document_span_and_fix(repo: Repo) -> None:
    doc = "001_5b33b8c844d6be1e"
    text = next(d.text for d in iter_documents(repo) if d.id == doc)
    (repo.annotations_dir / f"{doc}.json").write_text(
        json.dumps(
            {
                "document": doc,
                "text_sha256": text_sha256(text),
                "spans": [
                    {"id": "s1", "start": 0, "end": 3, "label": "ORG", "text": "xyz", "raw": [0, 3]},
                    {"id": "s2", "start": 5, "end": 4, "label": "MISC", "text": "a", "raw": [5, 6]},
                ],
            }
        ),
        encoding="utf-8",
    )
    (repo.raw_dir / "009_latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    result = run("--root", str(repo.root), "validate")
    assert result.returncode == 1
    assert (
        f"dataset/annotations/{doc}.json: document {doc}: span s2: $.spans[1].label: 'MISC' is not one of"
        in result.stderr
    )
    assert "dataset/raw/009_latin1.txt: document 009_latin1: not UTF-8" in result.stderr
    assert (
        "document 009_latin1: document is in dataset/raw but not in the released data. Fix: run `rasd build`"
        in result.stderr
    )


def test_build_then_stats_from_another_directory(repo: Repo, tmp_path: Path) -> None:
    result = run("--root", str(repo.root), "build", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "nothing changed" in result.stdout
    assert "built 5 documents (5 complete), version " in result.stdout
    stats = run("--root", str(repo.root), "stats", cwd=tmp_path)
    assert stats.returncode == 0
    assert "| documents |" in stats.stdout
    assert "spans ORG" in stats.stdout


def test_a_folder_that_is_not_a_repository_is_refused(tmp_path: Path) -> None:
    result = run("--root", str(tmp_path), "stats")
    assert result.returncode == 2
    assert (
        f"error: {tmp_path} is not a Rasd repository (no dataset/ folder). Fix: pass --root DIR"
        in result.stderr
    )


def test_an_unknown_option_exits_2_with_usage() -> None:
    result = run("build", "--frobnicate")
    assert result.returncode == 2
    assert "unrecognized arguments: --frobnicate" in result.stderr
