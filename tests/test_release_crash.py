"""Issue #8, a release can vanish: releases are crash-safe and never overwrite an unkept release.

The module fixture releases 0.1.0 with ``--tag`` in a scratch git repository
and removes one gold span (the change 0.2.0 will release).  Each test works on
its own copy.  ``RASD_FAULT_AT=<step>`` kills ``rasd release`` (SIGKILL, as a
crash) after that step; afterwards the previous release must still verify and
check out with the tree exactly as before, or (once the release was decided)
the new one must be complete.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_repo

from rasd.cli import main
from rasd.core.errors import ReleaseError
from rasd.core.faults import VARIABLE as FAULT_VARIABLE
from rasd.core.paths import Repo
from rasd.gold.annotations import load_corpus, write_annotations
from rasd.pipeline import release
from rasd.versions.staging import STAGED, STAGING, STEPS

SRC = Path(__file__).resolve().parents[1] / "src"
DECIDED = {"decided", "moving", "moved"}  # steps after the commit point


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def drop_one_span(repo: Repo) -> None:
    document = next(d for d in load_corpus(repo) if d.spans)
    write_annotations(repo, document, document.spans[:-1])


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """0.1.0 released, committed and tagged; one span removed since (unreleased work)."""
    repo = copy_repo(tmp_path_factory.mktemp("crash") / "repo")
    git(repo.root, "init", "-q")
    git(repo.root, "add", "-A")
    git(repo.root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "inputs")
    release(repo, "minor", tag=True)
    drop_one_span(repo)
    return repo.root


def clone(source: Path, tmp_path: Path) -> Repo:
    target = tmp_path / "repo"
    shutil.copytree(source, target, symlinks=True)
    return Repo(target)


def tree(repo: Repo) -> dict[str, bytes]:
    """Every file a release may change."""
    files: dict[str, bytes] = {}
    for name in STAGED:
        path = repo.root / name
        for found in [path] if path.is_file() else sorted(path.rglob("*")):
            if found.is_file():
                files[found.relative_to(repo.root).as_posix()] = found.read_bytes()
    return files


def run_release(repo: Repo, fault: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    env.pop(FAULT_VARIABLE, None)
    if fault:
        env[FAULT_VARIABLE] = fault
    command = [
        sys.executable,
        "-m",
        "rasd",
        "--root",
        str(repo.root),
        "release",
        "--bump",
        "minor",
        "--quiet",
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def version(repo: Repo) -> str:
    return (repo.dataset_dir / "VERSION").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("step", [*STEPS, None])
def test_a_release_killed_at_any_step_loses_nothing(tagged: Path, tmp_path: Path, step: str | None) -> None:
    repo = clone(tagged, tmp_path)
    before = tree(repo)
    result = run_release(repo, step)
    if step is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == -signal.SIGKILL, result.stderr
    decided = step is None or step in DECIDED
    if decided:  # the first command that reads releases finishes the interrupted one
        assert main(["--root", str(repo.root), "checkout", "v0.2.0", str(tmp_path / "new")]) == 0
        assert (tmp_path / "new" / "VERSION").read_text(encoding="utf-8") == "0.2.0\n"
    assert main(["--root", str(repo.root), "checkout", "v0.1.0", str(tmp_path / "old")]) == 0
    assert main(["--root", str(repo.root), "verify"]) == 0
    assert not (repo.root / STAGING).exists()
    assert not (repo.dataset_dir / ".release-journal.json").exists()
    if decided:
        assert version(repo) == "0.2.0"
    else:
        assert version(repo) == "0.1.0"
        assert tree(repo) == before  # nothing of the interrupted release is visible
        assert run_release(repo, None).returncode == 0  # and it can simply be run again
        assert version(repo) == "0.2.0"


def test_every_step_is_reached(tagged: Path, tmp_path: Path) -> None:
    """A step name the code never reaches would make its kill test pass vacuously."""
    source = "\n".join(
        (SRC / "rasd" / "versions" / name).read_text(encoding="utf-8")
        for name in ("release.py", "staging.py")
    )
    for step in STEPS:
        assert f'fault_point("{step}")' in source, step


def test_a_second_release_is_refused_while_the_first_is_not_committed(
    tagged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = clone(tagged, tmp_path)
    assert run_release(repo, None).returncode == 0  # 0.2.0 released, not tagged, not committed
    drop_one_span(repo)
    before = tree(repo)
    with pytest.raises(ReleaseError) as caught:
        release(repo, "minor")
    assert caught.value.code == "RASD-E543"
    assert str(caught.value).startswith(
        "dataset/releases/v0.2.0.json: release 0.2.0 is neither committed nor tagged: building 0.3.0 "
        "would overwrite its files while nothing else keeps them. Fix: commit release 0.2.0 first"
    )
    assert tree(repo) == before
    # the released data is intact (the gold edit itself already replaced 0.2.0's gold file, which
    # only a commit could have kept: verify names it, see the last test)
    data_only = ["--data-only"]
    assert main(["--root", str(repo.root), "checkout", "v0.2.0", str(tmp_path / "kept"), *data_only]) == 0
    git(repo.root, "add", "dataset", "dataset_card.md", "schema")
    git(repo.root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "Release 0.2.0")
    assert str(release(repo, "minor").plan.version) == "0.3.0"
    assert main(["--root", str(repo.root), "checkout", "v0.2.0", str(tmp_path / "still"), *data_only]) == 0


def test_verify_names_a_release_that_can_no_longer_be_checked_out(
    tagged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = clone(tagged, tmp_path)
    shutil.rmtree(repo.root / ".git")  # no history: the removed span's 0.1.0 gold file exists nowhere
    assert main(["--root", str(repo.root), "verify"]) == 1
    err = capsys.readouterr().err
    assert "error[RASD-E571]: dataset/annotations/" in err
    assert "cannot recover the bytes of release 0.1.0" in err
