"""``Repo.relative``: how messages name a path, with and without links on the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.core.paths import Repo


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    root = tmp_path / "repo"
    (root / "dataset" / "raw").mkdir(parents=True)
    (root / "dataset" / "raw" / "a.txt").write_text("x", encoding="utf-8")
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "b.txt").write_text("y", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "c.txt").write_text("z", encoding="utf-8")
    return Repo(root)


def test_a_plain_path_below_the_root(repo: Repo) -> None:
    assert repo.relative(repo.root / "dataset" / "raw" / "a.txt") == "dataset/raw/a.txt"
    assert repo.relative(repo.root / "dataset" / "raw") == "dataset/raw"
    assert repo.relative(repo.root / "dataset" / "raw" / "missing.txt") == "dataset/raw/missing.txt"


def test_the_root_itself(repo: Repo) -> None:
    assert repo.relative(repo.root) == "."


def test_dot_dot_is_resolved(repo: Repo) -> None:
    assert repo.relative(repo.root / "dataset" / ".." / "elsewhere" / "b.txt") == "elsewhere/b.txt"


def test_a_link_inside_the_root_is_followed(repo: Repo) -> None:
    (repo.root / "dataset" / "raw" / "link.txt").symlink_to(repo.root / "elsewhere" / "b.txt")
    assert repo.relative(repo.root / "dataset" / "raw" / "link.txt") == "elsewhere/b.txt"


def test_a_linked_folder_is_followed(repo: Repo) -> None:
    (repo.root / "dataset" / "more").symlink_to(repo.root / "elsewhere")
    assert repo.relative(repo.root / "dataset" / "more" / "b.txt") == "elsewhere/b.txt"


def test_a_link_leading_outside_is_shown_as_given(repo: Repo, tmp_path: Path) -> None:
    link = repo.root / "dataset" / "raw" / "out.txt"
    link.symlink_to(tmp_path / "outside" / "c.txt")
    assert repo.relative(link) == str(link)
    folder = repo.root / "dataset" / "out"
    folder.symlink_to(tmp_path / "outside")
    assert repo.relative(folder / "c.txt") == str(folder / "c.txt")


def test_a_path_outside_the_root(repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "c.txt"
    assert repo.relative(outside) == str(outside)
    assert repo.relative(tmp_path / "repo-other" / "d.txt") == str(tmp_path / "repo-other" / "d.txt")
