"""The build cache's packs and index (``rasd.formats.buildcache``), and a build killed while it commits.

Entries are made here from made-up summaries and records; what is checked is
what a build relies on: an entry is found by its key after a commit and only
then, a damaged index or pack only loses entries (never gives wrong ones), the
cache stays within about twice its live bytes however entries die, a cache
shared by other checkouts keeps their entries, and a build killed at any step
of its commit leaves a cache the next build uses to give the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_repo
from test_build_parallel import add_articles

from rasd.core.faults import VARIABLE as FAULT_VARIABLE
from rasd.core.paths import Repo
from rasd.dataset import textpart
from rasd.dataset.buildpass import cache_folder
from rasd.formats import buildcache
from rasd.formats.buildcache import Location

SRC = Path(__file__).resolve().parents[1] / "src"


def key_of(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def entry(name: str, size: int = 50) -> bytes:
    return buildcache.entry_bytes(key_of(name), {"status": "complete", "name": name}, {"rows": "x" * size})


def built(fresh: Path, batches: list[list[str]], size: int = 50) -> bytes:
    """A build's packs (one per batch) in ``fresh``; the records ``commit`` takes."""
    records = b""
    for names in batches:
        locations = buildcache.write_pack(fresh, [entry(name, size) for name in names])
        records += b"".join(loc.record(key_of(name)) for name, loc in zip(names, locations, strict=True))
    return records


def found(folder: Path, name: str) -> dict[str, object] | None:
    index = buildcache.Index.open(folder)
    if index is None:
        return None
    try:
        location = index.find(key_of(name))
    finally:
        index.close()
    if location is None:
        return None
    with buildcache.PackReader() as reader:
        got = reader.read(buildcache.pack_folder(folder), location, key_of(name), records=True)
    return None if got is None else {**got[0], **got[1]}


def packs(folder: Path) -> list[Path]:
    return sorted(buildcache.pack_folder(folder).iterdir())


def names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i:04d}" for i in range(count)]


def test_entries_are_found_by_key_after_a_commit_and_nothing_else_is(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    batches = [names("a", 20), names("b", 20)]
    buildcache.commit(cache, tmp_path / "fresh", built(tmp_path / "fresh", batches))
    assert len(packs(cache)) == 2
    for name in batches[0] + batches[1]:
        assert found(cache, name) == {"status": "complete", "name": name, "rows": "x" * 50}
    assert found(cache, "c0000") is None
    assert (cache / ".gitignore").read_text(encoding="utf-8") == "*\n"
    assert sorted(p.name for p in cache.iterdir()) == [".gitignore", "index", "packs"]


def test_a_commit_keeps_the_entries_of_this_build_alone_unless_the_cache_is_shared(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    buildcache.commit(cache, tmp_path / "one", built(tmp_path / "one", [names("a", 20)]))
    buildcache.commit(cache, tmp_path / "two", built(tmp_path / "two", [names("b", 20)]), prune=False)
    assert found(cache, "a0003") is not None
    assert found(cache, "b0003") is not None
    buildcache.commit(cache, tmp_path / "three", built(tmp_path / "three", [names("c", 20)]))
    assert found(cache, "a0003") is None
    assert found(cache, "b0003") is None
    assert found(cache, "c0003") is not None
    assert len(packs(cache)) == 1  # the others' packs are gone


def test_the_former_layout_is_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "ab").mkdir(parents=True)
    (cache / "ab" / f"ab{'0' * 62}.entry").write_bytes(b"rasd-build-cache 1 ...\n")
    buildcache.commit(cache, tmp_path / "fresh", built(tmp_path / "fresh", [names("a", 20)]))
    assert sorted(p.name for p in cache.iterdir()) == [".gitignore", "index", "packs"]


def live_bytes(folder: Path) -> int:
    return sum(location.length for _, location in buildcache.iter_entries(folder))


def test_the_cache_stays_within_twice_its_live_entries_as_entries_die(tmp_path: Path) -> None:
    """Each round, every document but one keeps its entry and a new one replaces it."""
    cache = tmp_path / "cache"
    current = names("doc", 64)
    records = built(tmp_path / "fresh0", [current])
    buildcache.commit(cache, tmp_path / "fresh0", records)
    for round_ in range(1, 60):
        changed = f"doc{round_ % 64:04d}-v{round_}"
        current[round_ % 64] = changed
        kept = [
            r
            for _, r in _records(cache)
            if r[: buildcache.KEY_BYTES] != bytes.fromhex(key_of(f"doc{round_ % 64:04d}"))
        ]
        records = b"".join(kept) + built(tmp_path / f"fresh{round_}", [[changed]])
        records = b"".join(
            r
            for r in _split(records)
            if r[: buildcache.KEY_BYTES] in {bytes.fromhex(key_of(n)) for n in current}
        )
        buildcache.commit(cache, tmp_path / f"fresh{round_}", records)
        on_disk = sum(p.stat().st_size for p in packs(cache))
        assert on_disk <= 2 * live_bytes(cache) + 2 * len(entry("x"))
        assert len(packs(cache)) <= 2 * buildcache.SMALL_PACK
    for name in current:
        assert found(cache, name) is not None


def _split(records: bytes) -> list[bytes]:
    size = buildcache.RECORD_BYTES
    return [records[at : at + size] for at in range(0, len(records), size)]


def _records(cache: Path) -> list[tuple[str, bytes]]:
    return [(key, location.record(key)) for key, location in buildcache.iter_entries(cache)]


def test_small_packs_are_merged_once_there_are_many(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    few = [[f"a{i:04d}"] for i in range(buildcache.SMALL_PACK - 1)]
    buildcache.commit(cache, tmp_path / "f1", built(tmp_path / "f1", few))
    assert len(packs(cache)) == buildcache.SMALL_PACK - 1
    many = [*few, ["b0000"]]
    records = b"".join(r for _, r in _records(cache)) + built(tmp_path / "f2", many[-1:])
    buildcache.commit(cache, tmp_path / "f2", records)
    assert len(packs(cache)) == 1
    for (name,) in many:
        assert found(cache, name) is not None


@pytest.mark.parametrize(
    "index",
    [b"", b"rasd-build-index 2 5\n", b"rasd-build-index 9 0\n", b"garbage\n" * 20, b"rasd-build-index 2 x\n"],
)
def test_a_damaged_index_finds_nothing(tmp_path: Path, index: bytes) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / buildcache.INDEX_FILE).write_bytes(index)
    assert buildcache.Index.open(cache) is None
    assert list(buildcache.iter_entries(cache)) == []


def test_an_entry_read_at_a_wrong_place_is_refused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    buildcache.commit(cache, tmp_path / "fresh", built(tmp_path / "fresh", [names("a", 3)]))
    entries = dict(buildcache.iter_entries(cache))
    first, second = (entries[key_of(n)] for n in ("a0000", "a0001"))
    with buildcache.PackReader() as reader:
        folder = buildcache.pack_folder(cache)
        assert reader.read(folder, second, key_of("a0000"), records=True) is None
        assert (
            reader.read(
                folder, Location(first.pack, first.offset + 1, first.length), key_of("a0000"), records=False
            )
            is None
        )
        assert (
            reader.read(folder, Location(b"\0" * 8, 0, first.length), key_of("a0000"), records=False) is None
        )
        assert reader.read(folder, first, key_of("a0000"), records=False) is not None


# --- a build killed while it commits its cache ------------------------------------------------------

ADDED = buildcache.SMALL_PACK
POINTS = ["buildcache:pack-moved", "buildcache:repacked", "buildcache:compacted", "buildcache:index-written"]


def rasd(root: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "HF_HUB_OFFLINE": "1"}
    env.pop(FAULT_VARIABLE, None)
    if fault:
        env[FAULT_VARIABLE] = fault
    command = [sys.executable, "-m", "rasd", "--root", str(root), "build", "--quiet", "--workers", "1", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def data(repo: Repo) -> dict[str, bytes]:
    return {
        p.relative_to(repo.root).as_posix(): p.read_bytes() for p in sorted(repo.data_dir.rglob("*.parquet"))
    }


@pytest.fixture(scope="module")
def killed_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A repository built once with a cache, one raw file added since; and a cold build's data of it."""
    repo = copy_repo(tmp_path_factory.mktemp("killed") / "repo")
    shutil.rmtree(cache_folder(repo), ignore_errors=True)
    shutil.rmtree(textpart.cache_of(cache_folder(repo)), ignore_errors=True)
    add_articles(repo, buildcache.SMALL_PACK)
    cold = Repo(tmp_path_factory.mktemp("cold") / "repo")
    shutil.copytree(repo.root, cold.root)
    assert rasd(repo.root).returncode == 0
    for where in (repo, cold):  # one pack each in a build of batches of one: the commit merges them
        for i in range(ADDED):
            text = f"خبر {i} كتب لهذا الاختبار\n\nوصل القطار {i} إلى المحطة بعد تأخير طويل بسبب المطر.\n"
            (where.raw_dir / f"zz_added_{i:02d}.txt").write_text(text, encoding="utf-8")
    assert rasd(cold.root, "--no-cache").returncode == 0
    return repo.root, data(cold)


@pytest.mark.parametrize("point", POINTS)
def test_a_build_killed_while_it_commits_its_cache_loses_nothing(
    killed_template: tuple[Path, dict[str, bytes]], tmp_path: Path, point: str
) -> None:
    template, cold = killed_template
    repo = Repo(tmp_path / "repo")
    shutil.copytree(template, repo.root)
    before = len(list(buildcache.iter_entries(cache_folder(repo))))
    killed = rasd(repo.root, "--batch", "1", fault=point)
    assert killed.returncode == -9, killed.stderr
    assert data(repo) == cold  # the data was installed before the cache's commit
    again = rasd(repo.root, "--batch", "1")
    assert again.returncode == 0, again.stderr
    assert data(repo) == cold
    assert len(list(buildcache.iter_entries(cache_folder(repo)))) == before + ADDED
    assert len(list(buildcache.pack_folder(cache_folder(repo)).iterdir())) <= 2
    last = rasd(repo.root, "--batch", "1")
    assert last.returncode == 0, last.stderr
    assert " 0 documents computed" in last.stdout
    assert data(repo) == cold
    assert sorted(p.name for p in cache_folder(repo).iterdir()) == [".gitignore", "index", "packs"]
