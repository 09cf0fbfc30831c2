"""Shared fixtures: scratch copies of the repository, so tests never touch the real one.

Two kinds of copy:

- ``copy_repo(target, released=True)`` (fixture ``released_repo``): this checkout
  exactly as committed, its releases included.  Once a version is released, a
  build that changes its data must fail, so this copy is for tests of the
  committed state itself.
- ``copy_repo(target)`` (fixture ``repo``): the same inputs as work in progress,
  before any release: no release records, the changelog reduced to its header,
  built once.  Tests that edit gold data, pull from Label Studio or cut their own
  releases start from here, as a maintainer preparing the next version would.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from rasd.core.paths import Repo

# Property tests run with a fixed seed in every run (CI included): a failure is reproducible,
# and the number of examples is the one each test states.
settings.register_profile("rasd", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("rasd")

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("dataset", "schema", "annotation", "dataset_card.md")

_work_in_progress: Path | None = None


def _copy_checkout(target: Path) -> Repo:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(".build-*"))
        elif source.exists():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return Repo(target)


def _unreleased_template() -> Path:
    """The checkout as unreleased work in progress, built once per test session."""
    global _work_in_progress
    if _work_in_progress is None:
        from rasd.pipeline import build

        folder = Path(tempfile.mkdtemp(prefix="rasd-wip-"))
        atexit.register(shutil.rmtree, folder, True)
        repo = _copy_checkout(folder / "repo")
        shutil.rmtree(repo.dataset_dir / "releases", ignore_errors=True)
        changelog = repo.dataset_dir / "CHANGELOG.md"
        header = changelog.read_text(encoding="utf-8").split("\n## ", 1)[0]
        changelog.write_text(header.rstrip() + "\n", encoding="utf-8")
        build(repo, progress=False)
        _work_in_progress = repo.root
    return _work_in_progress


MINISTRY = "وزارة الصحة"
"""The one organisation every article of ``many_documents`` names."""


def many_documents(repo: Repo, count: int) -> list[str]:
    """``count`` more short raw articles, each with its own text naming ``MINISTRY``; their ids."""
    ids = [f"{n:04d}_doc" for n in range(count)]
    for n, doc_id in enumerate(ids):
        (repo.raw_dir / f"{doc_id}.txt").write_text(
            f"قالت {MINISTRY} إن {n} شخصا أصيبوا.\n", encoding="utf-8"
        )
    return ids


def copy_repo(target: Path, *, released: bool = False) -> Repo:
    """A scratch copy under ``target``: as committed (``released``) or as work in progress."""
    if released:
        return _copy_checkout(target)
    shutil.copytree(_unreleased_template(), target)
    return Repo(target)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return copy_repo(tmp_path / "repo")


@pytest.fixture
def released_repo(tmp_path: Path) -> Repo:
    return copy_repo(tmp_path / "repo", released=True)


@pytest.fixture
def real_repo() -> Repo:
    """The checkout itself, read-only by convention."""
    return Repo(ROOT)
