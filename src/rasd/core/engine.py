"""Parallel work over documents, on Dask: embedded and local by default, a cluster by address.

Every stage that works document by document (build, pre-annotation, import)
hands this module a pure function over one *batch* and an iterator of batches;
it gets the results back **in input order**, streamed: at most ``window``
batches are in flight, so memory stays bounded whatever the corpus size, and
output written in that order is byte-identical whatever the worker count.

Engines (``EngineSpec.kind``):

* ``local`` (default): Dask's multiprocessing scheduler, embedded, no server
  and nothing to start; ``workers`` processes (default: every core).
* ``sync``: the same code path in this process (``workers=1``; debugging,
  profiling, and the reference the others must match byte for byte).
* ``cluster``: a ``distributed`` scheduler at ``address``
  (``tcp://host:8786``; start one with ``dask scheduler`` and ``dask worker
  tcp://host:8786`` on each machine, or through ``dask-jobqueue``/Kubernetes),
  or, with ``address="local"``, a ``LocalCluster`` of ``workers`` processes on
  this machine (what CI runs to test the cluster path).

The choice of Dask, and the figures behind it, are in ``bench/engines.py`` and
the README's performance section.  Environment: ``RASD_ENGINE``
(``local``/``sync``/``cluster``), ``RASD_WORKERS``, ``RASD_SCHEDULER_ADDRESS``.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, Literal, TypeVar

from rasd.core.problems.engine import BAD_WORKERS, UNKNOWN_ENGINE

T = TypeVar("T")
R = TypeVar("R")

EngineKind = Literal["local", "sync", "cluster"]
KINDS: tuple[EngineKind, ...] = ("local", "sync", "cluster")


@dataclass(frozen=True)
class EngineSpec:
    """Where batches run: the engine kind, the worker count and, for a cluster, its address."""

    kind: EngineKind = "local"
    workers: int = 0  # 0: every core
    address: str | None = None

    @property
    def worker_count(self) -> int:
        if self.kind == "sync":
            return 1
        return self.workers or os.cpu_count() or 1


def engine_from_env(
    kind: str | None = None, workers: int | None = None, address: str | None = None
) -> EngineSpec:
    """The engine named by options, else by ``RASD_ENGINE``/``RASD_WORKERS``/``RASD_SCHEDULER_ADDRESS``."""
    chosen = kind or os.environ.get("RASD_ENGINE") or ("cluster" if address else "local")
    if chosen not in KINDS:
        raise UNKNOWN_ENGINE(engine=chosen, known=", ".join(KINDS))
    raw = workers if workers is not None else os.environ.get("RASD_WORKERS", "0") or "0"
    try:
        count = int(raw)
    except ValueError:
        raise BAD_WORKERS(workers=raw) from None
    if count < 0 or (workers is not None and count < 1):
        raise BAD_WORKERS(workers=raw)
    if count == 1 and chosen == "local":
        chosen = "sync"
    where = address or os.environ.get("RASD_SCHEDULER_ADDRESS")
    return EngineSpec(kind=chosen, workers=count, address=where)  # type: ignore[arg-type]  # checked above


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def map_ordered(
    function: Callable[[T], R], batches: Iterable[T], spec: EngineSpec, *, window: int = 0
) -> Iterator[R]:
    """``function`` over every batch on the engine; results in input order, ``window`` in flight.

    ``local`` runs a single batch in this process (starting worker processes for
    one task would only cost time; the result is the same).
    """
    if spec.kind == "sync":
        yield from map(function, batches)
        return
    depth = window or 3 * spec.worker_count
    if spec.kind == "local":
        iterator = iter(batches)
        head = list(islice(iterator, 2))
        if len(head) < 2:
            yield from map(function, head)
            return
        yield from _local(function, chain(head, iterator), spec.worker_count, depth)
    else:
        yield from _cluster(function, batches, spec, depth)


_END = object()


def _local(function: Callable[[T], R], batches: Iterable[T], workers: int, depth: int) -> Iterator[R]:
    """Dask's multiprocessing scheduler over groups of batches, computed while the caller consumes.

    A background thread computes one group (``depth // 3`` batches) while the
    previous one waits in a queue of one and the caller works on the one before:
    at most ``depth`` batches are pulled ahead, and the workers do not wait for
    the caller (which writes the output) between groups.
    """
    import dask
    from dask.multiprocessing import get as processes  # one scheduler, embedded, no server
    from dask.multiprocessing import get_context

    task = dask.delayed(function, pure=False)
    done: queue.Queue[Any] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: Any) -> None:
        while not stop.is_set():
            try:
                done.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def produce(pool: ProcessPoolExecutor) -> None:
        try:
            for group in batched(batches, max(1, depth // 3)):
                if stop.is_set():
                    return
                put(dask.compute(*[task(batch) for batch in group], scheduler=processes, pool=pool))
            put(_END)
        except BaseException as exc:  # handed to the caller's thread, raised there
            put(exc)

    # One pool for the whole map: Dask would otherwise start new processes for every group.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context()) as pool:
        producer = threading.Thread(target=produce, args=(pool,), daemon=True)
        producer.start()
        try:
            while (item := done.get()) is not _END:
                if isinstance(item, BaseException):
                    raise item
                yield from item
        finally:
            stop.set()
            producer.join()


def _cluster(function: Callable[[T], R], batches: Iterable[T], spec: EngineSpec, depth: int) -> Iterator[R]:
    from distributed import Client, LocalCluster

    if spec.address in (None, "", "local"):
        cluster: LocalCluster | None = LocalCluster(
            n_workers=spec.worker_count, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        cluster = None
        client = Client(spec.address)
    try:
        pending: deque[Any] = deque()
        for batch in batches:
            pending.append(client.submit(function, batch, pure=False))
            if len(pending) >= depth:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
