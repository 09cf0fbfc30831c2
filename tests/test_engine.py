"""The parallel engine: same results in the same order on every engine; bounded in flight."""

from __future__ import annotations

import hashlib
import os
import time
from functools import partial
from pathlib import Path

import pytest

from rasd.core.engine import Engine, EngineSpec, batched, engine_from_env, map_ordered
from rasd.core.errors import RequestError


def digest_batch(batch: list[str]) -> list[tuple[str, str, int]]:
    """A pure per-batch function (module level, so worker processes can import it)."""
    return [(item, hashlib.sha256(item.encode()).hexdigest()[:12], os.getpid()) for item in batch]


ITEMS = [f"doc-{i:04d}" for i in range(203)]


def run(spec: EngineSpec, size: int = 17) -> list[tuple[str, str, int]]:
    return [row for out in map_ordered(digest_batch, batched(ITEMS, size), spec) for row in out]


def without_pid(rows: list[tuple[str, str, int]]) -> list[tuple[str, str]]:
    return [(item, digest) for item, digest, _ in rows]


def test_batches_cover_every_item_once_in_order() -> None:
    batches = list(batched(ITEMS, 50))
    assert [len(b) for b in batches] == [50, 50, 50, 50, 3]
    assert [x for b in batches for x in b] == ITEMS


@pytest.mark.parametrize("size", [1, 17, 500])
def test_local_processes_give_the_sync_result_in_order(size: int) -> None:
    reference = without_pid(run(EngineSpec("sync"), size))
    assert [item for item, _ in reference] == ITEMS
    local = run(EngineSpec("local", workers=2), size)
    assert without_pid(local) == reference
    if size == 17:
        assert {pid for *_, pid in local} != {os.getpid()}, "local mode must use worker processes"


def test_a_local_cluster_of_two_workers_gives_the_same_result() -> None:
    reference = without_pid(run(EngineSpec("sync")))
    rows = run(EngineSpec("cluster", workers=2, address="local"))
    assert without_pid(rows) == reference
    assert len({pid for *_, pid in rows}) == 2


def test_no_more_than_the_window_is_in_flight() -> None:
    pulled = []

    def source() -> object:
        for batch in batched(ITEMS, 10):
            pulled.append(batch[0])
            yield batch

    results = map_ordered(digest_batch, source(), EngineSpec("local", workers=2), window=3)
    first = next(results)
    assert first[0][0] == "doc-0000"
    assert len(pulled) <= 3


@pytest.mark.parametrize(
    ("kind", "workers", "code"),
    [("spark", None, "RASD-E091"), (None, 0, "RASD-E092"), (None, -2, "RASD-E092")],
)
def test_bad_engine_options_are_named(kind: str | None, workers: int | None, code: str) -> None:
    with pytest.raises(RequestError) as caught:
        engine_from_env(kind, workers)
    assert caught.value.code == code


def test_environment_chooses_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_ENGINE", "cluster")
    monkeypatch.setenv("RASD_SCHEDULER_ADDRESS", "tcp://10.0.0.1:8786")
    spec = engine_from_env()
    assert (spec.kind, spec.address) == ("cluster", "tcp://10.0.0.1:8786")
    monkeypatch.delenv("RASD_ENGINE")
    monkeypatch.delenv("RASD_SCHEDULER_ADDRESS")
    assert engine_from_env(workers=1).kind == "sync"


def test_one_engine_session_keeps_its_workers_for_several_maps() -> None:
    with Engine(EngineSpec("local", workers=2)) as engine:
        first = [row for out in engine.map_ordered(digest_batch, batched(ITEMS, 17)) for row in out]
        second = [row for out in engine.map_ordered(digest_batch, batched(ITEMS, 17)) for row in out]
    assert without_pid(first) == without_pid(second) == without_pid(run(EngineSpec("sync")))
    workers = {pid for *_, pid in first}
    assert os.getpid() not in workers
    assert {pid for *_, pid in second} <= workers, "the second map must run on the same workers"


def test_a_single_batch_runs_in_this_process() -> None:
    rows = run(EngineSpec("local", workers=2), size=500)
    assert {pid for *_, pid in rows} == {os.getpid()}


def test_a_batch_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(batched(ITEMS, 0))


def wait_for_a_later_batch(folder: str, batch: list[int]) -> list[tuple[int, bool]]:
    """Batch 0 waits (10 s at most) until batch 5 has run; every other batch leaves its mark."""
    first = batch[0]
    if first != 0:
        Path(folder, str(first)).touch()
        return [(first, True)]
    deadline = time.monotonic() + 10
    while not Path(folder, "5").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return [(first, Path(folder, "5").exists())]


def test_a_free_worker_does_not_wait_for_a_slow_batch(tmp_path: Path) -> None:
    """No barrier between groups of batches: while one worker is held by batch 0, the other runs 1 to 5."""
    work = partial(wait_for_a_later_batch, str(tmp_path))
    results = list(map_ordered(work, batched(range(8), 1), EngineSpec("local", workers=2)))
    assert [rows[0][0] for rows in results] == list(range(8)), "results in input order"
    assert results[0] == [(0, True)], "batch 5 must run while batch 0 is still running"
