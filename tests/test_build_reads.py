"""The build reads each raw file once: the bytes its cache key digests are the bytes it ingests.

Handing the reader bytes already read must not change a single problem: the
same code, file, document and message as the reader that opens the file itself.
"""

from __future__ import annotations

import builtins
import io
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from test_build_parallel import add_articles

from rasd.core.engine import EngineSpec
from rasd.core.paths import Repo
from rasd.dataset import docwork
from rasd.dataset.build import BuildOptions, BuildReport
from rasd.intake.ingest import MAX_RAW_BYTES_VARIABLE, load_metadata
from rasd.pipeline import build


def _job(repo: Repo, name: str) -> docwork.Job:
    title, source = load_metadata(repo).source_for(Path(name).stem, name)
    return docwork.Job(
        str(repo.root), name, title, source, str(repo.root / "c"), str(repo.root / "f"), "code"
    )


def _named(prepared: docwork.Prepared) -> list[tuple[str, str | None, str | None, str]]:
    return [(e.code, e.file, e.document, str(e)) for e in prepared.raw_problems]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("005_cp1256.txt", "داعش".encode("cp1256")),
        ("005_empty.txt", b"  \n"),
        ("005_control.txt", "نص\x07 آخر".encode()),
        ("005_boilerplate.txt", "هل أعجبك هذا المقال؟\nالرد".encode()),
        ("005 bad name.txt", "نص".encode()),
        ("005_large.txt", "نص طويل ".encode() * 400),
        ("005_fine.txt", "نص سليم تماما.\r\nوسطر آخر.".encode()),
    ],
)
def test_bytes_read_once_give_the_same_problems_as_the_file(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, name: str, content: bytes
) -> None:
    monkeypatch.setenv(MAX_RAW_BYTES_VARIABLE, "3000")
    (repo.raw_dir / name).write_bytes(content)
    job = _job(repo, name)
    from_file, records = docwork.compute(repo, job)
    given, given_records = docwork.compute(repo, job, content)
    assert _named(given) == _named(from_file)
    assert bool(from_file.raw_problems) == (name != "005_fine.txt")
    unnamed = {"raw_problems": (), "problems": ()}
    assert (replace(given, **unnamed), given_records) == (replace(from_file, **unnamed), records)


def _cold_build_reads(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, folder: str, suffix: str
) -> tuple[BuildReport, Counter[str]]:
    """A cold build (no cache), counting how often each file of ``folder`` with ``suffix`` is opened.

    Every read goes through ``open`` (``Path.read_bytes`` too), whatever the reader.
    """
    reads: Counter[str] = Counter()
    real = io.open

    def counted(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, Path)):
            path = Path(file)
            if path.parent.name == folder and path.suffix == suffix:
                reads[path.name] += 1
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", counted)
    monkeypatch.setattr(builtins, "open", counted)
    report = build(repo, progress=False, options=BuildOptions(spec=EngineSpec("sync"), cache=False))
    return report, reads


def test_a_cold_build_reads_each_raw_file_once(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    report, reads = _cold_build_reads(repo, monkeypatch, "raw", ".txt")
    assert report.documents == len(reads) > 0
    assert set(reads.values()) == {1}


def test_a_cold_build_reads_each_gold_file_once(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bytes the cache key digests are the gold the document is checked against: not read again."""
    add_articles(repo, 12, gold_every=2)
    report, reads = _cold_build_reads(repo, monkeypatch, "annotations", ".json")
    assert report.statuses["complete"] >= 6
    assert len(reads) >= 6
    assert set(reads.values()) == {1}
