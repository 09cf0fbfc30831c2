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

import contextlib
import multiprocessing
import os
import queue
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from itertools import chain, islice
from typing import Any, Generic, Literal, TypeVar

from rasd.core.problems.engine import BAD_WORKERS, UNKNOWN_ENGINE

T = TypeVar("T")
R = TypeVar("R")

DOCUMENTS_PER_TASK = 64
"""Documents per engine task (the build's and the pre-annotator's default): few, large tasks keep
Dask's per-task overhead small (bench/engines.py)."""

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
    """Consecutive lists of ``size`` items (the last may be shorter); ``size`` must be at least 1."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def map_ordered(
    function: Callable[[T], R], batches: Iterable[T], spec: EngineSpec, *, window: int = 0
) -> Iterator[R]:
    """``function`` over every batch on the engine; results in input order, ``window`` in flight.

    Starts the engine's workers for this one map; several maps share them in an ``Engine``.
    """
    with Engine(spec) as engine:
        yield from engine.map_ordered(function, batches, window=window)


class Engine:
    """One session on an engine: worker processes (or a cluster client) started once, for several maps.

    ``with Engine(spec) as engine: engine.map_ordered(...)`` twice (the build's two
    passes) starts the workers once.  Local workers are forked from this process
    where the platform allows it (Linux): they start with its modules already
    imported instead of importing them again, which is most of a small build's time.
    """

    def __init__(self, spec: EngineSpec) -> None:
        self.spec = spec
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map_ordered(
        self, function: Callable[[T], R], batches: Iterable[T], *, window: int = 0
    ) -> Iterator[R]:
        """``function`` over every batch; results in input order, at most ``window`` batches pulled ahead.

        ``local`` runs a single batch in this process (starting worker processes for
        one task would only cost time; the result is the same).
        """
        if self.spec.kind == "sync":
            yield from map(function, batches)
            return
        if self.spec.kind == "cluster":
            yield from _cluster(function, batches, self._connect(), window or 6 * self.spec.worker_count)
            return
        depth = window or 3 * self.spec.worker_count  # in flight: one running and two queued a worker
        iterator = iter(batches)
        head = list(islice(iterator, 2))
        if len(head) < 2:
            yield from map(function, head)
            return
        yield from _local(function, chain(head, iterator), self._processes(), depth)

    def _processes(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from dask.multiprocessing import get_context

            fork = sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork") if fork else get_context()
            self._pool = ProcessPoolExecutor(max_workers=self.spec.worker_count, mp_context=context)
            self._pool.submit(int).result()  # a fork pool starts every worker now, from this thread
        return self._pool

    def _connect(self) -> Any:
        if self._client is None:
            from distributed import Client, LocalCluster

            if self.spec.address in (None, "", "local"):
                self._cluster = LocalCluster(
                    n_workers=self.spec.worker_count,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
                self._client = Client(self._cluster)
            else:
                self._client = Client(self.spec.address)
        return self._client


_DONE = object()


def prefetched(items: Iterator[T], depth: int) -> Iterator[T]:
    """``items``, produced by a thread up to ``depth`` ahead (an exception is raised here, in order).

    An import reads and seals the export here, ahead of the engine.
    """
    ready: queue.Queue[Any] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(item: object) -> None:
        while not stop.is_set():
            with contextlib.suppress(queue.Full):
                ready.put(item, timeout=0.1)
                return

    def produce() -> None:
        try:
            for item in items:
                put((item,))
                if stop.is_set():  # the consumer is gone: compute nothing more
                    return
            put(_DONE)
        except BaseException as exc:  # handed to the consumer's thread, raised there
            put(exc)

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    try:
        while (got := ready.get()) is not _DONE:
            if isinstance(got, BaseException):
                raise got
            yield got[0]
    finally:
        stop.set()
        producer.join()


def _local(
    function: Callable[[T], R], batches: Iterable[T], pool: ProcessPoolExecutor, depth: int
) -> Iterator[R]:
    """Dask's multiprocessing scheduler, one computation a batch, ``depth`` of them in flight.

    Each batch is its own ``dask.compute`` (on the shared pool), started from a
    thread of its own, so up to ``depth`` run or wait in the pool at once: a
    worker that finishes a batch takes the next one at once, instead of idling
    until the slowest batch of a group is done (the old group barrier cost
    each worker a fifth of the run).  Results are handed on in input order, each
    as soon as it and every batch before it are done; the caller reads the next
    batch and writes the last result while the workers compute.
    """
    import dask
    from dask.multiprocessing import get as processes  # one scheduler, embedded, no server

    task = dask.delayed(partial(_unsealed, function), pure=False)

    def compute(batch: T) -> R:
        (result,) = dask.compute(task(Sealed(batch)), scheduler=processes, pool=pool, chunksize=1)
        return result  # type: ignore[no-any-return]  # dask.compute is untyped

    threads = ThreadPoolExecutor(max_workers=depth, thread_name_prefix="rasd-engine")
    try:
        yield from _in_order(lambda batch: threads.submit(compute, batch), batches, depth)
    finally:
        # batches not yet handed to the pool are dropped (``_in_order`` cancels them); those in
        # the pool end with it (``Engine.close`` cancels what no worker has started)
        threads.shutdown(wait=False, cancel_futures=True)


class Sealed(Generic[T]):
    """A batch handed to a dask task as it is: one pickled object, never looked inside.

    ``dask`` walks the arguments of a task looking for collections: a plain
    ``list`` item by item, each dataclass and named tuple field by field, rebuilt
    in the worker through ``dataclasses.replace`` (``dask.delayed.unpack_collections``).
    For a batch of jobs that walk cost the parent 0.4 ms a document, more than the
    build's own checks; an object of a plain class is not walked.
    """

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value


def _unsealed(function: Callable[[T], R], sealed: Sealed[T]) -> R:
    return function(sealed.value)


def _cluster(function: Callable[[T], R], batches: Iterable[T], client: Any, depth: int) -> Iterator[R]:
    """Each batch as one ``distributed`` task, sealed as on the local engine.

    ``distributed`` parses a list argument item by item and serialises it item by
    item (``iterate_collection``); a sealed batch is one pickle.  On a local
    cluster of 2 workers, 150 batches of 64 small jobs took 2.6-2.9 s sealed and
    4.3-6.0 s as lists.
    """
    task = partial(_unsealed, function)
    yield from _in_order(lambda batch: client.submit(task, Sealed(batch), pure=False), batches, depth)


def _in_order(submit: Callable[[T], Any], batches: Iterable[T], depth: int) -> Iterator[Any]:
    """Each batch's result, in input order, with up to ``depth`` submitted ahead.

    ``submit`` returns a future (``concurrent.futures`` or ``distributed``: both have
    ``result`` and ``cancel``).  On an error or an abandoned map, those not yet
    handed on are cancelled.
    """
    pending: deque[Any] = deque()
    try:
        for batch in batches:
            pending.append(submit(batch))
            if len(pending) >= depth:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
