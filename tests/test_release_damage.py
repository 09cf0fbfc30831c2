"""Issue #8: damaged release files are named errors, and a killed build leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.cli import main
from rasd.core.paths import Repo
from rasd.pipeline import build

SHARD = "dataset/data/spans/train-00000-of-00001.parquet"


@pytest.mark.parametrize(
    "command",
    [["validate"], ["stats"], ["preview", "--released", "--out", "{tmp}/preview.html"]],
    ids=["validate", "stats", "preview"],
)
@pytest.mark.parametrize("damage", ["truncated", "not parquet"])
def test_a_damaged_parquet_file_is_a_named_error(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], damage: str
) -> None:
    shard = repo.root / SHARD
    data = shard.read_bytes()
    shard.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"not parquet at all")
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in command]
    assert main(["--root", str(repo.root), *args]) == 1
    err = capsys.readouterr().err
    assert f"error[RASD-E528]: {SHARD}: cannot read the parquet file (" in err
    assert "Fix: restore it from git (git checkout -- FILE) or run `rasd build`" in err
    assert "Traceback" not in err
    assert not (tmp_path / "preview.html").exists()


def test_a_bad_version_without_a_manifest_is_reported_by_validate(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(repo.root), "validate"]) == 0
    capsys.readouterr()
    (repo.dataset_dir / "VERSION").write_text("banana\n", encoding="utf-8")
    (repo.dataset_dir / "MANIFEST.json").unlink()
    assert main(["--root", str(repo.root), "validate"]) == 1
    err = capsys.readouterr().err
    assert "error[RASD-E531]: dataset/VERSION: 'banana' is not a version." in err
    (repo.dataset_dir / "VERSION").write_text("0.1.0\n", encoding="utf-8")
    assert main(["--root", str(repo.root), "validate"]) == 1
    assert "error[RASD-E551]: dataset/MANIFEST.json: no build manifest. Fix: run `rasd build`" in (
        capsys.readouterr().err
    )


def test_the_next_build_removes_folders_a_killed_build_left(repo: Repo) -> None:
    stale = repo.dataset_dir / ".build-k1ll3d"
    (stale / "data" / "spans").mkdir(parents=True)
    (stale / "data" / "spans" / "train-00000.parquet").write_bytes(b"half a shard")
    build(repo, progress=False)
    assert not list(repo.dataset_dir.glob(".build-*"))
