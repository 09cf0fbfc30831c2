"""A release is prepared in full out of sight, then made visible in one step.

``rasd release`` builds the new version in a staging copy of the repository,
``.rasd-release/`` at its root: hard links to the files of ``dataset/``, the
card, ``schema/`` and ``annotation/`` (every writer replaces files by a rename,
so a link is never written through).  The version file, diff, changelog, the
build and the release record are all written there; the real tree does not
change.

The commit point is one atomic write: ``dataset/.release-journal.json`` lists
every file the release adds or replaces and every file it removes.  Then the
staged files are moved in (``os.replace``, same file system) and the journal
and staging folder are deleted.

After a crash (``kill -9``) the next ``rasd release``, ``build``, ``verify``,
``checkout``, ``diff``, ``publish`` or ``releases`` calls ``finish_interrupted``:

- no journal: the release was not decided; the real tree is the previous
  release, untouched, and the staging folder is discarded;
- a journal: the release was decided; the moves are finished (each one is
  idempotent) and the new release is complete.

Tests kill the process at every step: ``RASD_FAULT_AT=<step>`` (one of
``STEPS``) makes ``fault_point`` send the process SIGKILL there.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from rasd.core.faults import fault_point
from rasd.core.journal import recover
from rasd.core.paths import Repo
from rasd.formats.records import JOURNAL_FILE, ReleaseJournal, read_journal, write_journal

STAGING = ".rasd-release"
"""The staging copy, at the repository root (on the same file system as the tree)."""
STAGED: tuple[str, ...] = ("dataset", "schema", "annotation", "dataset_card.md")
"""What a release may change, relative to the root (and what the staging copy holds)."""
STEPS: tuple[str, ...] = ("staged", "built", "recorded", "decided", "moving", "moved")
"""Where a test may kill a release: after each of these steps."""


def _skipped(name: str) -> bool:
    """Files no release owns: dot files (build folders, the journal, the staging copy itself)."""
    return name.startswith(".")


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def staging_root(repo: Repo) -> Path:
    return repo.root / STAGING


def stage(repo: Repo) -> Repo:
    """A fresh staging copy of everything a release may change; the real tree is not touched."""
    root = staging_root(repo)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    for name in STAGED:
        source = repo.root / name
        if source.is_dir():
            shutil.copytree(
                source,
                root / name,
                copy_function=_link_or_copy,
                ignore=lambda _, names: [n for n in names if _skipped(n)],
            )
        elif source.is_file():
            _link_or_copy(str(source), str(root / name))
    return Repo(root)


def _files(root: Path) -> Iterator[str]:
    """Every released-tree file under ``root``, relative, dot files and folders left out."""
    for name in STAGED:
        path = root / name
        if path.is_file():
            yield name
        for found in sorted(path.rglob("*")) if path.is_dir() else ():
            relative = found.relative_to(root)
            if found.is_file() and not any(_skipped(part) for part in relative.parts):
                yield relative.as_posix()


def _same(a: Path, b: Path) -> bool:
    if not b.exists():
        return False
    return os.path.samefile(a, b) or a.read_bytes() == b.read_bytes()


def plan_moves(repo: Repo, staged: Repo, version: str) -> ReleaseJournal:
    """What making the staged release visible changes in the real tree."""
    new = set(_files(staged.root))
    replace = tuple(name for name in sorted(new) if not _same(staged.root / name, repo.root / name))
    remove = tuple(sorted(set(_files(repo.root)) - new))
    return ReleaseJournal(version, STAGING, replace, remove)


def journal_path(repo: Repo) -> Path:
    return repo.dataset_dir / JOURNAL_FILE


def make_visible(repo: Repo, staged: Repo, version: str) -> None:
    """Decide the release (the journal, one atomic write), then move it in."""
    journal = plan_moves(repo, staged, version)
    write_journal(journal_path(repo), journal)
    fault_point("decided")
    apply(repo, journal)


def apply(repo: Repo, journal: ReleaseJournal) -> None:
    """Move the staged files in and remove the dropped ones; safe to run again after a crash."""
    staging = repo.root / journal.staging
    for number, name in enumerate(journal.replace):
        source = staging / name
        if source.exists():  # else it was moved before a crash
            (repo.root / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, repo.root / name)
        if number == len(journal.replace) // 2:
            fault_point("moving")
    for name in journal.remove:
        (repo.root / name).unlink(missing_ok=True)
    fault_point("moved")
    journal_path(repo).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def finish_interrupted(repo: Repo) -> str | None:
    """Finish a decided release or discard an undecided one; say which, or None when there was none."""
    path = journal_path(repo)
    if path.exists():
        journal = read_journal(path, file=repo.relative(path))
        apply(repo, journal)
        return f"finished the interrupted release of {journal.version}"
    if staging_root(repo).exists():
        shutil.rmtree(staging_root(repo))
        return "discarded an interrupted release that had not been decided (nothing had changed)"
    return None


def recover_interrupted(repo: Repo) -> list[str]:
    """What every ``rasd`` command does first: finish or undo writes a crash interrupted.

    Multi-file writes (``rasd add``, Label Studio pulls: ``rasd.core.journal``) and
    releases (``rasd.versions.staging``) each have their own journal; one line per
    repair, for the user to read.
    """
    done = recover(repo.root)
    note = finish_interrupted(repo)
    return [*done, note] if note else done
