"""Multi-file writes that are all or nothing, even under ``kill -9``.

A ``Transaction`` stages every new file's bytes (and every deletion) inside
``.rasd-journal/<name>/`` in the repository; nothing outside it changes until
``commit()``.  Commit first makes every staged file durable (one ``fsync``
each, or, for a large transaction, one ``os.sync()``: a thousand fsyncs cost
seconds, one sync a fraction of one), then writes the plan (``plan.json``, atomically): that rename
is the one moment the transaction becomes durable.  The plan is then applied
file by file with ``os.replace`` and the journal folder removed.

``recover(root)``, called before every ``rasd`` command, finishes what a
killed process left: a transaction with a plan is rolled *forward* (every
step is idempotent: a staged file still there is renamed in, a deletion is
repeated), one without a plan is rolled *back* (its staging folder is
removed).  So after any kill, the repository holds either every change of a
transaction or none of them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from rasd.core.faults import fault_point
from rasd.core.io import atomic_write_json, read_json

JOURNAL_DIR = ".rasd-journal"
PLAN = "plan.json"
SYNC_FROM = 16  # staged files: from this many, one os.sync() instead of one fsync each


@dataclass
class Transaction:
    """Staged writes and deletions under ``root``, applied together by ``commit``."""

    root: Path
    name: str
    _writes: list[tuple[str, str]] = field(default_factory=list)  # (target relative to root, staged name)
    _deletes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folder = self.root / JOURNAL_DIR / self.name
        if self.folder.exists():
            shutil.rmtree(self.folder)
        (self.folder / "files").mkdir(parents=True)

    def _relative(self, target: Path) -> str:
        return str(Path(os.path.abspath(target)).relative_to(os.path.abspath(self.root)))

    def write_bytes(self, target: Path, data: bytes) -> None:
        staged = f"{len(self._writes):06d}"
        path = self.folder / "files" / staged
        with path.open("wb") as handle:
            handle.write(data)  # made durable by commit, before the plan
        self._writes.append((self._relative(target), staged))

    def write_text(self, target: Path, text: str) -> None:
        self.write_bytes(target, text.encode("utf-8"))

    def delete(self, target: Path) -> None:
        self._deletes.append(self._relative(target))

    @property
    def targets(self) -> list[str]:
        return [target for target, _ in self._writes] + list(self._deletes)

    def commit(self) -> list[str]:
        """Make every staged change visible; return the paths changed (relative to root)."""
        self._make_durable()
        fault_point("journal:before-plan")
        atomic_write_json(self.folder / PLAN, {"writes": self._writes, "deletes": self._deletes})
        fault_point("journal:committed")
        _apply(self.root, self.folder)
        return self.targets

    def _make_durable(self) -> None:
        """Every staged file on disk before the plan names it (the plan is the commit point)."""
        if len(self._writes) >= SYNC_FROM and hasattr(os, "sync"):
            os.sync()  # on Linux, returns once everything is written
            return
        for _, staged in self._writes:
            descriptor = os.open(self.folder / "files" / staged, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)

    def abandon(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _apply(root: Path, folder: Path) -> None:
    plan = read_json(folder / PLAN, file=str(folder / PLAN))
    for number, (target, staged) in enumerate(plan["writes"]):
        source = folder / "files" / staged
        if source.exists():  # not yet applied
            destination = root / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, destination)
            fault_point(f"journal:applied-{number}")
    for target in plan["deletes"]:
        with contextlib.suppress(FileNotFoundError):
            (root / target).unlink()
    shutil.rmtree(folder)
    with contextlib.suppress(OSError):
        (root / JOURNAL_DIR).rmdir()


def recover(root: Path) -> list[str]:
    """Finish or undo what interrupted transactions left; say what was done, one line each."""
    journal = root / JOURNAL_DIR
    if not journal.is_dir():
        return []
    done = []
    for folder in sorted(p for p in journal.iterdir() if p.is_dir()):
        if (folder / PLAN).exists():
            _apply(root, folder)
            done.append(f"completed the interrupted write {folder.name!r}")
        else:
            shutil.rmtree(folder)
            done.append(f"rolled back the interrupted write {folder.name!r} (nothing of it had been applied)")
    with contextlib.suppress(OSError):
        journal.rmdir()
    return done
