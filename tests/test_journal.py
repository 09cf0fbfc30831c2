"""Multi-file writes are all or nothing under SIGKILL at every step (the crash tests of core/journal)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rasd.core.journal import JOURNAL_DIR, Transaction, recover

OLD = {"a.json": "old a", "sub/b.json": "old b", "gone.json": "to delete"}
NEW = {"a.json": "new a", "sub/b.json": "new b", "sub/c.json": "new c", "d.json": "new d"}

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from rasd.core.journal import Transaction
    root = Path(sys.argv[1])
    txn = Transaction(root, "gold-import")
    for name, text in {new!r}.items():
        txn.write_text(root / name, text)
    txn.delete(root / "gone.json")
    txn.commit()
    """
).format(new=NEW)

POINTS = ["none", "journal:before-plan", "journal:committed"] + [f"journal:applied-{i}" for i in range(4)]


def seed(root: Path) -> None:
    for name, text in OLD.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def state(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*.json"))
        if JOURNAL_DIR not in p.parts
    }


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_any_step_leaves_all_or_nothing_after_recovery(tmp_path: Path, point: str) -> None:
    seed(tmp_path)
    env = {**os.environ, "RASD_FAULT_AT": point}
    done = subprocess.run([sys.executable, "-c", WRITER, str(tmp_path)], env=env, check=False)
    killed = done.returncode == -9
    assert killed == (point != "none")
    recover(tmp_path)
    after = state(tmp_path)
    everything_new = {k: v for k, v in {**OLD, **NEW}.items() if k != "gone.json"}
    if point in ("journal:before-plan",):
        assert after == OLD
    else:
        assert after == everything_new
    assert not (tmp_path / JOURNAL_DIR).exists()


def test_nothing_is_visible_before_commit(tmp_path: Path) -> None:
    seed(tmp_path)
    txn = Transaction(tmp_path, "t")
    txn.write_text(tmp_path / "a.json", "new a")
    txn.delete(tmp_path / "gone.json")
    assert state(tmp_path) == OLD
    txn.abandon()
    assert recover(tmp_path) == []
    assert state(tmp_path) == OLD


def test_a_straggler_staging_during_recovery_is_left_for_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker of a killed import may still stage a file while ``recover`` removes its folder."""
    seed(tmp_path)
    Transaction(tmp_path, "half").write_text(tmp_path / "a.json", "x")
    folder = next((tmp_path / JOURNAL_DIR).iterdir())
    real_unlink = os.unlink
    late: list[Path] = []

    def unlink_while_a_straggler_writes(path: object, *args: object, **kwargs: object) -> None:
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]  # os.unlink's own arguments
        if not late:
            late.append(folder / "late.json")
            late[0].write_text("y", encoding="utf-8")

    monkeypatch.setattr(os, "unlink", unlink_while_a_straggler_writes)
    assert recover(tmp_path) == ["rolled back the interrupted write 'half' (nothing of it had been applied)"]
    monkeypatch.setattr(os, "unlink", real_unlink)
    assert late
    assert late[0].exists()  # the straggler's file survived this run, without raising
    assert state(tmp_path) == OLD
    recover(tmp_path)
    assert not (tmp_path / JOURNAL_DIR).exists()


def test_recover_says_what_it_did(tmp_path: Path) -> None:
    seed(tmp_path)
    Transaction(tmp_path, "half").write_text(tmp_path / "a.json", "x")
    assert recover(tmp_path) == ["rolled back the interrupted write 'half' (nothing of it had been applied)"]
    assert state(tmp_path) == OLD


@pytest.mark.parametrize("files", [1, 3, 40])  # below and above SYNC_FROM: one fsync each, or one sync
def test_every_staged_file_is_made_durable_before_the_plan(
    tmp_path: Path, files: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staged files are no longer synced one by one as written: commit syncs them before the plan."""
    events: list[str] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "sync", lambda: events.append("sync"))

    def fsync(descriptor: int) -> None:
        events.append("fsync")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    txn = Transaction(tmp_path, "durable")
    for number in range(files):
        txn.write_text(tmp_path / f"f{number}.json", "x")
    assert events == []  # nothing synced while staging
    plan = txn.folder / "plan.json"
    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target) == plan:
            events.append("plan")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    txn.commit()
    before = events[: events.index("plan")]
    # one sync, or an fsync per staged file besides the one of the plan's own temporary file
    assert before[:1] == ["sync"] or before.count("fsync") >= files + 1
    assert sorted(p.name for p in tmp_path.glob("f*.json")) == sorted(f"f{n}.json" for n in range(files))


STAGER = textwrap.dedent(
    """
    import pickle, sys
    staging = pickle.loads(bytes.fromhex(sys.argv[1]))
    print(staging.write_bytes(sys.argv[2].encode("utf-8")))
    """
)


def staged_elsewhere(txn: Transaction, text: str) -> str:
    """``text`` staged by another process (as an engine's worker does), given ``txn.staging()`` pickled."""
    import pickle

    sealed = pickle.dumps(txn.staging()).hex()
    done = subprocess.run(
        [sys.executable, "-c", STAGER, sealed, text], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_files_staged_by_another_process_are_committed_with_the_rest(tmp_path: Path) -> None:
    seed(tmp_path)
    txn = Transaction(tmp_path, "t")
    txn.adopt(tmp_path / "sub" / "b.json", staged_elsewhere(txn, "new b"))
    txn.write_text(tmp_path / "a.json", "new a")
    txn.adopt(tmp_path / "e" / "f.json", staged_elsewhere(txn, "new f"))
    assert state(tmp_path) == OLD  # nothing visible before the commit
    assert txn.commit() == ["sub/b.json", "a.json", "e/f.json"]
    assert state(tmp_path) == {**OLD, "a.json": "new a", "sub/b.json": "new b", "e/f.json": "new f"}
    assert not (tmp_path / JOURNAL_DIR).exists()


def test_staged_names_are_new_in_every_transaction(tmp_path: Path) -> None:
    """A worker left over from a killed run cannot write into the next transaction's files."""
    first, second = Transaction(tmp_path, "t").staging(), Transaction(tmp_path, "t").staging()
    assert first.prefix != second.prefix
    names = {first.write_bytes(b"x"), first.write_bytes(b"y"), second.write_bytes(b"z")}
    assert len(names) == 3


@pytest.mark.parametrize("files", [1, 40])
def test_a_staged_name_that_is_not_there_fails_the_commit_before_the_plan(tmp_path: Path, files: int) -> None:
    seed(tmp_path)
    txn = Transaction(tmp_path, "t")
    for number in range(files - 1):
        txn.write_text(tmp_path / f"n{number}.json", "x")
    txn.adopt(tmp_path / "a.json", "no-such-file")
    with pytest.raises(FileNotFoundError):
        txn.commit()
    assert not (txn.folder / "plan.json").exists()
    recover(tmp_path)
    assert state(tmp_path) == OLD


def test_a_staged_file_has_the_bytes_and_the_permissions_open_would_give(tmp_path: Path) -> None:
    txn = Transaction(tmp_path, "t")
    data = bytes(range(256)) * 1000  # more than one write may take
    staged = txn.staging().write_bytes(data)
    path = txn.folder / "files" / staged
    assert path.read_bytes() == data
    mask = os.umask(0o022)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
