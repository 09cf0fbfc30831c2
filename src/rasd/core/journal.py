"""Multi-file writes that are all or nothing, even under ``kill -9``.

A ``Transaction`` stages every new file's bytes (and every deletion) inside
``.rasd-journal/<name>/`` in the repository; nothing outside it changes until
``commit()``.  Commit first makes every staged file durable (one ``fsync``
each, or, for a large transaction, one ``os.sync()``: a thousand fsyncs cost
seconds, one sync a fraction of one), then writes the plan (``plan.json``, atomically): that rename
is the one moment the transaction becomes durable.  The plan is then applied
file by file with ``os.replace`` and the journal folder removed.

A file may also be staged by another process (a worker of the engine):
``Transaction.staging()`` is a picklable ``Staging`` that writes a new file
into the same folder under a name of its own, and ``adopt`` then takes that
name as the content of a target.  The bytes are written once, by whoever
renders them; the parent only keeps names.

``recover(root)``, called before every ``rasd`` command, finishes what a
killed process left: a transaction with a plan is rolled *forward* (every
step is idempotent: a staged file still there is renamed in, a deletion is
repeated), one without a plan is rolled *back* (its staging folder is
removed).  So after any kill, the repository holds either every change of a
transaction or none of them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from rasd.core.faults import fault_point
from rasd.core.io import atomic_write_json, read_json

JOURNAL_DIR = ".rasd-journal"
PLAN = "plan.json"
SYNC_FROM = 16  # staged files: from this many, one os.sync() instead of one fsync each


# what open(path, "xb") does
_CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_NUMBERS = itertools.count()  # this process's staged files (``Staging`` names them with the pid)


@dataclass(frozen=True)
class Staging:
    """Writes new files into a transaction's staging folder, from any process (it pickles).

    Each file gets a name of its own: the transaction's random ``prefix`` (a
    worker left over from an earlier, killed run cannot write into this one),
    the process id and a counter.  The file is created, never overwritten.
    """

    folder: str  # the transaction's ``files`` folder
    prefix: str

    def write_bytes(self, data: bytes) -> str:
        """Stage ``data`` as a new file (made durable by the commit); its name, for ``Transaction.adopt``."""
        staged = f"{self.prefix}-{os.getpid()}-{next(_NUMBERS)}"
        # os.open, not open(): three system calls and no buffered file object (a file a document)
        descriptor = os.open(os.path.join(self.folder, staged), _CREATE_NEW, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)
        return staged


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
        self._root = os.path.abspath(self.root) + os.sep
        self._staging = Staging(str(self.folder / "files"), secrets.token_hex(4))

    def _relative(self, target: Path | str) -> str:
        absolute = os.path.abspath(target)
        if absolute.startswith(self._root):
            return absolute[len(self._root) :]
        return str(Path(absolute).relative_to(os.path.abspath(self.root)))  # raises: not under the root

    def write_bytes(self, target: Path | str, data: bytes) -> None:
        self._writes.append((self._relative(target), self._staging.write_bytes(data)))

    def staging(self) -> Staging:
        """Where other processes write this transaction's files (``Staging.write_bytes``, then ``adopt``)."""
        return self._staging

    def adopt(self, target: Path | str, staged: str) -> None:
        """``target``'s new content is the file ``staging()`` wrote as ``staged`` (checked at commit)."""
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
        """Every staged file on disk before the plan names it (the plan is the commit point).

        A staged file that is not there (a name ``adopt`` was given wrongly) raises here,
        before the plan: applying the plan would otherwise take it for already applied.
        """
        files = os.path.join(self.folder, "files")
        if len(self._writes) >= SYNC_FROM and hasattr(os, "sync"):
            for _, staged in self._writes:
                os.stat(os.path.join(files, staged))
            os.sync()  # on Linux, returns once everything is written
            return
        for _, staged in self._writes:
            descriptor = os.open(os.path.join(files, staged), os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)

    def abandon(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _apply(root: Path, folder: Path) -> None:
    plan = read_json(folder / PLAN, file=str(folder / PLAN))
    files, made = os.path.join(folder, "files"), set()
    for number, (target, staged) in enumerate(plan["writes"]):
        source = os.path.join(files, staged)
        destination = os.path.join(root, target)
        parent = os.path.dirname(destination)
        if parent not in made:  # once a folder, not once a file
            if not os.path.exists(source):  # applied before a kill (recovery): nothing to create
                continue
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        try:
            os.replace(source, destination)
        except FileNotFoundError:
            if os.path.exists(source):  # the folder went away meanwhile: not ours to hide
                raise
            continue  # applied before a kill (recovery)
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
            # ignore_errors: a worker of a killed run may still be staging into it; whatever it
            # leaves has no plan either, and is rolled back by the next run
            shutil.rmtree(folder, ignore_errors=True)
            done.append(f"rolled back the interrupted write {folder.name!r} (nothing of it had been applied)")
    with contextlib.suppress(OSError):
        journal.rmdir()
    return done
