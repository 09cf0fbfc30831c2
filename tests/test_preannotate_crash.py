"""``rasd preannotate`` writes its files in journal transactions: after ``kill -9`` at any moment,
every prediction file is either as it was or complete, and the next command finishes or undoes the
batch in flight (the crash tests of ``rasd.formats.predictions.PredictionsWriter``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from rasd.cli import main
from rasd.core.engine import EngineSpec
from rasd.core.errors import RasdError
from rasd.core.journal import JOURNAL_DIR, recover
from rasd.core.paths import Repo
from rasd.core.problems.storage import CANNOT_WRITE
from rasd.formats.predictions import PredictionsWriter
from rasd.formats.registry import load_registry
from rasd.preannotate.corpus import preannotate_corpus

ROOT = Path(__file__).resolve().parents[1]
COPIES = 4
PER_COMMIT = 4
OLD = b"an older file, to be replaced\n"

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from rasd.core.engine import EngineSpec
    from rasd.core.paths import Repo
    from rasd.formats.registry import load_registry
    from rasd.preannotate.corpus import preannotate_corpus
    repo = Repo(Path(sys.argv[1]))
    preannotate_corpus(repo, load_registry(repo), EngineSpec("sync"), batch=3, per_commit={per_commit})
    """
).format(per_commit=PER_COMMIT)


def grow(repo: Repo) -> list[str]:
    """Lightly edited copies of the seed articles, so there are several commits; every document id."""
    seeds = sorted(repo.raw_dir.glob("*.txt"))
    for n in range(COPIES):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8")
            (repo.raw_dir / f"zz{n}_{seed.name}").write_text(f"نسخة رقم {n}\n\n{text}", encoding="utf-8")
    return sorted(p.stem for p in repo.raw_dir.glob("*.txt"))


def folder(repo: Repo) -> Path:
    return repo.dataset_dir / "predictions"


def files(repo: Repo) -> dict[str, bytes]:
    """Every entry of ``dataset/predictions/``, hidden ones (temporary files) included."""
    return {p.name: p.read_bytes() for p in sorted(folder(repo).iterdir())} if folder(repo).exists() else {}


@pytest.fixture
def reference(repo: Repo) -> dict[str, bytes]:
    """The files a run that nothing interrupts writes (then removed); the raw folder grown first."""
    grow(repo)
    assert main(["--root", str(repo.root), "preannotate", "--workers", "1"]) == 0
    written = files(repo)
    for path in folder(repo).iterdir():
        path.unlink()
    return written


def seed_old(repo: Repo, reference: dict[str, bytes]) -> None:
    """Every other document has an older file, so a half-done run could mix the two."""
    folder(repo).mkdir(exist_ok=True)
    for name in sorted(reference)[::2]:
        (folder(repo) / name).write_bytes(OLD)


def assert_sound(repo: Repo, reference: dict[str, bytes]) -> None:
    """Every file is either the old one or the complete new one; nothing else (no temporary file)."""
    found = files(repo)
    assert set(found) <= set(reference), sorted(set(found) - set(reference))
    for name, data in found.items():
        assert data in (OLD, reference[name]), name


def new_files(repo: Repo, reference: dict[str, bytes]) -> list[str]:
    return [name for name, data in files(repo).items() if data == reference[name]]


# Each point kills the writer there: after staging the 3rd document (first commit not reached), at
# each step of the first commit, and after the 6th document (first batch committed, second staged).
POINTS = {
    "preannotate:document-3": 0,
    "journal:before-plan": 0,
    "journal:committed": PER_COMMIT,
    "journal:applied-0": PER_COMMIT,
    "journal:applied-2": PER_COMMIT,
    "preannotate:document-6": PER_COMMIT,
}


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_any_step_leaves_whole_batches_after_recovery(
    repo: Repo, reference: dict[str, bytes], point: str
) -> None:
    seed_old(repo, reference)
    env = {**os.environ, "RASD_FAULT_AT": point, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", WRITER, str(repo.root)], env=env, capture_output=True)
    assert done.returncode == -9, done.stderr
    assert_sound(repo, reference)
    recover(repo.root)
    assert_sound(repo, reference)
    assert not (repo.root / JOURNAL_DIR).exists()
    # whole batches, in document order: the first PER_COMMIT documents' files, or none
    assert new_files(repo, reference) == sorted(reference)[: POINTS[point]]
    assert main(["--root", str(repo.root), "preannotate", "--workers", "2"]) == 0
    assert files(repo) == reference


def written_so_far(repo: Repo) -> int:
    """Entries in ``dataset/predictions/`` and staged in the journal: how far the writing got."""
    places = (folder(repo), repo.root / JOURNAL_DIR / "preannotate" / "files")
    return sum(len(os.listdir(place)) for place in places if place.is_dir())


@pytest.mark.parametrize("after", [1, 5, 12, 20])
def test_kill_9_in_the_middle_of_the_writes_leaves_sound_files(
    repo: Repo, reference: dict[str, bytes], after: int
) -> None:
    """The real thing: the command (its workers too) killed once ``after`` files are written or staged.

    Files written one by one (a temporary file, fsync, rename) left a ``.<id>.json.*.tmp`` here.
    """
    seed_old(repo, reference)
    already = written_so_far(repo)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "rasd", "--root", str(repo.root), "preannotate", "--workers", "2"]
    process = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
    while process.poll() is None:
        if written_so_far(repo) >= already + after:
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.001)
    process.wait()
    assert_sound(repo, reference)
    assert main(["--root", str(repo.root), "preannotate", "--workers", "1"]) == 0  # recovers first
    assert files(repo) == reference
    assert not (repo.root / JOURNAL_DIR).exists()


def test_files_are_made_durable_once_a_batch_not_once_a_file(
    repo: Repo, reference: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One ``os.sync()`` (and the plan's own fsync) for a batch, where each file had its fsync."""
    calls = {"fsync": 0, "sync": 0}
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        calls["fsync"] += 1
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "sync", lambda: calls.__setitem__("sync", calls["sync"] + 1))
    report = preannotate_corpus(repo, load_registry(repo), EngineSpec("sync"))
    assert report.written == len(reference) > 16  # enough files for the journal's one os.sync()
    assert calls == {"fsync": 1, "sync": 1}
    assert files(repo) == reference


def test_unchanged_files_are_not_rewritten(repo: Repo, reference: dict[str, bytes]) -> None:
    registry = load_registry(repo)
    preannotate_corpus(repo, registry, EngineSpec("sync"), per_commit=PER_COMMIT)
    inodes = {p.name: p.stat().st_ino for p in folder(repo).iterdir()}
    first = sorted(reference)[0]
    (folder(repo) / first).write_bytes(OLD)
    report = preannotate_corpus(repo, registry, EngineSpec("sync"), per_commit=PER_COMMIT)
    assert report.written == 1
    assert files(repo) == reference
    changed = {p.name for p in folder(repo).iterdir() if p.stat().st_ino != inodes[p.name]}
    assert changed == {first}
    assert not (repo.root / JOURNAL_DIR).exists()


def test_a_bad_raw_file_still_leaves_every_other_documents_file(
    repo: Repo, reference: dict[str, bytes]
) -> None:
    """As when files were written one by one: the problem is raised at the end, the rest is written."""
    (repo.raw_dir / "zzz_bad.txt").write_bytes(b"\xff\xfe not UTF-8\n")
    with pytest.raises(RasdError) as raised:  # batches of 1: no good document waits in a batch
        preannotate_corpus(repo, load_registry(repo), EngineSpec("sync"), batch=1, per_commit=PER_COMMIT)
    assert "zzz_bad" in str(raised.value)
    assert files(repo) == reference
    assert not (repo.root / JOURNAL_DIR).exists()


def interrupted(repo: Repo) -> None:
    with PredictionsWriter(repo, per_commit=10) as writer:
        assert writer.write("a", b"new\n")
        raise KeyboardInterrupt


def test_an_interruption_abandons_the_batch_in_flight(repo: Repo) -> None:
    target = folder(repo) / "a.json"
    with pytest.raises(KeyboardInterrupt):
        interrupted(repo)
    assert not target.exists()
    assert not (repo.root / JOURNAL_DIR).exists()


def test_a_folder_in_place_of_a_file_is_a_named_write_error(repo: Repo) -> None:
    (folder(repo) / "a.json").mkdir(parents=True)
    with pytest.raises(RasdError) as raised, PredictionsWriter(repo) as writer:
        writer.write("a", b"new\n")
    assert raised.value.code == CANNOT_WRITE.code
    assert "dataset/predictions/a.json" in str(raised.value)
    assert not (repo.root / JOURNAL_DIR).exists()
