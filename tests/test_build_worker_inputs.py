"""The build's per-document plumbing, held to the plain forms it replaced.

The workers name a document's files with ``str`` (no ``Path`` a file), take its
id with ``docwork.file_stem`` (no ``Path.stem``), digest its metadata without
``dataclasses.asdict``, and get their batches sealed by the engine (``core.engine.Sealed``, which
``dask`` hands over as it is, instead of walking every ``Job`` field by field).
Each must give exactly what the plain form gives.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict
from pathlib import Path, PurePath
from typing import Any

import pytest
from dask.delayed import unpack_collections
from hypothesis import given
from hypothesis import strategies as st

from rasd.core.engine import Engine, EngineSpec, Sealed, batched
from rasd.core.model import Source
from rasd.core.paths import Repo
from rasd.dataset import docwork
from rasd.formats.gold import annotation_path
from rasd.formats.predictions import prediction_path

NAMES = st.text(st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)), min_size=1)


@given(NAMES)
def test_file_stem_is_the_path_stem(name: str) -> None:
    if name in (".", ".."):
        return  # not a file name
    assert docwork.file_stem(name) == PurePath(name).stem


@pytest.mark.parametrize("name", ["a.txt", "a.b.txt", ".txt", "a.", "a", "..txt", "a..txt", ".a.txt"])
def test_file_stem_of_awkward_names(name: str) -> None:
    assert docwork.file_stem(name) == PurePath(name).stem


def _job(root: Path, name: str, source: Source, title: str | None = "t") -> docwork.Job:
    return docwork.Job(str(root), name, title, source, "", "", "code")


def test_input_paths_are_the_readers_paths(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    job = _job(repo.root, "doc_1.txt", Source("doc_1.txt"))
    raw, gold, suggestions = docwork.input_paths(repo, job)
    assert raw == str(repo.raw_dir / "doc_1.txt")
    assert gold == str(annotation_path(repo, "doc_1"))
    assert suggestions == str(prediction_path(repo, "doc_1"))


def _reference_key(job: docwork.Job, inputs: docwork.Inputs) -> str:
    """The key as it was first written: the metadata entry through ``dataclasses.asdict``."""
    import hashlib

    digest = hashlib.sha256(f"{job.code}\0{job.doc_id}\0".encode())
    metadata = json.dumps([job.title, asdict(job.source)], sort_keys=True, ensure_ascii=False)
    for part in (*inputs, metadata.encode()):
        digest.update(b"-" if part is None else b"%d:" % len(part) + part)
    return digest.hexdigest()


OPTIONAL = st.none() | st.text(max_size=8)


@given(
    st.builds(Source, st.just("d.txt"), OPTIONAL, OPTIONAL, OPTIONAL, OPTIONAL, st.text(max_size=3)),
    OPTIONAL,
    st.binary(max_size=16),
    st.none() | st.binary(max_size=16),
    st.none() | st.binary(max_size=16),
)
def test_the_cache_key_is_the_one_asdict_gave(
    source: Source, title: str | None, raw: bytes, gold: bytes | None, suggestions: bytes | None
) -> None:
    job = _job(Path("/r"), "d.txt", source, title)
    inputs = (raw, gold, suggestions)
    assert docwork.cache_key(job, inputs) == _reference_key(job, inputs)


def test_read_inputs_reads_what_is_there_and_none_when_the_raw_file_is_missing(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.raw_dir.mkdir(parents=True)
    job = _job(repo.root, "d.txt", Source("d.txt"))
    assert docwork.read_inputs(repo, job) is None
    (repo.raw_dir / "d.txt").write_bytes(b"raw")
    assert docwork.read_inputs(repo, job) == (b"raw", None, None)
    annotation_path(repo, "d").parent.mkdir(parents=True)
    annotation_path(repo, "d").write_bytes(b"gold")
    assert docwork.read_inputs(repo, job) == (b"raw", b"gold", None)
    annotation_path(repo, "d").unlink()
    annotation_path(repo, "d").mkdir()  # unreadable: every problem is left to the readers
    assert docwork.read_inputs(repo, job) is None


def test_dask_hands_a_sealed_batch_over_as_it_is_and_walks_a_plain_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``unpack_collections`` asks of every value it meets whether it is a dataclass, then walks its fields."""
    tried: list[object] = []
    module = importlib.import_module("dask.delayed")  # ``dask.delayed`` the attribute is the function
    real = module.is_dataclass

    def counted(instance: Any) -> bool:
        tried.append(instance)
        return real(instance)

    monkeypatch.setattr(module, "is_dataclass", counted)
    jobs = [_job(Path("/r"), f"d{n}.txt", Source(f"d{n}.txt")) for n in range(3)]
    sealed = Sealed(jobs)
    task, collections = unpack_collections(sealed)
    assert task is sealed
    assert collections == ()
    assert tried == [sealed]  # asked of the sealed batch alone, never of what it holds
    tried.clear()
    unpack_collections(jobs)  # a plain list: walked, every Job and Source field by field
    assert {type(value) for value in tried} >= {docwork.Job, Source}
    assert len(tried) > 2 * len(jobs)


def _kinds(batch: list[Any]) -> tuple[str, ...]:
    return tuple(type(item).__name__ for item in batch)


def test_the_local_engine_hands_each_worker_its_batch_unchanged() -> None:
    jobs = [_job(Path("/r"), f"d{n}.txt", Source(f"d{n}.txt")) for n in range(5)]
    with Engine(EngineSpec(workers=2)) as engine:
        found = list(engine.map_ordered(_kinds, batched(jobs, 2)))
    assert found == [("Job", "Job"), ("Job", "Job"), ("Job",)]


def test_the_cluster_engine_hands_each_worker_its_batch_sealed(monkeypatch: pytest.MonkeyPatch) -> None:
    """``distributed`` would parse and serialise a plain list item by item; each batch goes as one object."""
    import distributed

    submitted: list[tuple[object, ...]] = []
    real = distributed.Client.submit

    def recorded(self: Any, function: Any, *args: Any, **options: Any) -> Any:
        submitted.append(args)
        return real(self, function, *args, **options)

    monkeypatch.setattr(distributed.Client, "submit", recorded)
    jobs = [_job(Path("/r"), f"d{n}.txt", Source(f"d{n}.txt")) for n in range(5)]
    with Engine(EngineSpec("cluster", workers=2, address="local")) as engine:
        found = list(engine.map_ordered(_kinds, batched(jobs, 2)))
    assert found == [("Job", "Job"), ("Job", "Job"), ("Job",)]
    assert [tuple(type(arg) for arg in args) for args in submitted] == [(Sealed,)] * 3
