"""Shared fixtures: a scratch copy of the repository, so tests never touch the real one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rasd.paths import Repo

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("dataset", "schema", "annotation", "dataset_card.md")


def copy_repo(target: Path) -> Repo:
    """A copy of the inputs and release of this checkout under ``target``."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(".build-*"))
        elif source.exists():
            shutil.copy2(source, target / name)
    return Repo(target)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return copy_repo(tmp_path / "repo")


@pytest.fixture
def real_repo() -> Repo:
    """The checkout itself, read-only by convention."""
    return Repo(ROOT)
