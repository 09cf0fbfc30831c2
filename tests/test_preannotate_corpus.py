"""Pre-annotating a corpus on the engine: the same files whatever the workers, batches or engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.cli import main
from rasd.core.engine import EngineSpec
from rasd.core.paths import Repo
from rasd.formats.registry import load_registry
from rasd.preannotate.corpus import preannotate_corpus

COPIES = 6


def grow(repo: Repo) -> None:
    """Add lightly edited copies of the seeds, so there are several batches of documents."""
    seeds = sorted(repo.raw_dir.glob("*.txt"))
    for n in range(COPIES):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8").replace("داعش", "تنظيم داعش" if n % 2 else "داعش", 1)
            (repo.raw_dir / f"zz{n}_{seed.name}").write_text(f"نسخة رقم {n}\n\n{text}", encoding="utf-8")


def predictions(repo: Repo) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((repo.dataset_dir / "predictions").glob("*.json"))}


def run(repo: Repo, spec: EngineSpec, batch: int) -> dict[str, bytes]:
    report = preannotate_corpus(repo, load_registry(repo), spec, batch=batch)
    assert report.documents == 5 * (COPIES + 1)
    files = predictions(repo)
    for path in (repo.dataset_dir / "predictions").glob("*.json"):
        path.unlink()
    return files


def test_the_files_do_not_depend_on_workers_batches_or_engine(repo: Repo) -> None:
    grow(repo)
    reference = run(repo, EngineSpec("sync"), batch=1000)
    assert len(reference) == 5 * (COPIES + 1)
    assert run(repo, EngineSpec("local", workers=2), batch=4) == reference
    assert run(repo, EngineSpec("cluster", workers=2, address="local"), batch=7) == reference


@pytest.mark.parametrize("flags", [["--workers", "1"], ["--workers", "2"]])
def test_the_command_takes_engine_options(
    repo: Repo, flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(repo.root), "preannotate", *flags]) == 0
    assert "prediction files changed in dataset/predictions" in capsys.readouterr().out
    assert len(predictions(repo)) == 5


def test_a_bad_worker_count_is_a_named_error(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(repo.root), "preannotate", "--workers", "0"]) == 1
    assert "error[RASD-E092]" in capsys.readouterr().err
    assert not (Path(repo.dataset_dir) / "predictions").exists()
