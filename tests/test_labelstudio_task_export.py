"""``rasd ls export-tasks`` on the engine: the complete path's bytes, its errors, nothing written on error.

The complete path (``write_tasks_file``: ``load_corpus`` in this process) is the
reference.  The parallel path must write the same bytes whatever the worker
count and batch size, and must say no to every corpus the complete path
refuses (each planted problem below), so that ``export_tasks`` falls back and
reports it exactly as the complete path does, writing nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from rasd.core.engine import EngineSpec
from rasd.core.errors import FastPathDeclined, RasdError
from rasd.core.paths import Repo
from rasd.formats.predictions import prediction_path, read_predictions, write_predictions
from rasd.formats.registry import load_registry
from rasd.intake.ingest import raw_ids
from rasd.labelstudio.taskexport import (
    ExportOptions,
    export_tasks,
    write_tasks_file,
    write_tasks_parallel,
)
from rasd.labelstudio.tasks import Suggestions
from rasd.preannotate.corpus import preannotate_corpus
from rasd.preannotate.stored import load_predictions

COPIES = 4
VERSION = "rules-test"


def grow(repo: Repo) -> None:
    """Edited copies of the seeds (several batches), then every document's stored suggestions."""
    for n in range(COPIES):
        for seed in sorted(repo.raw_dir.glob("*.txt"))[:5]:
            text = seed.read_text(encoding="utf-8")
            (repo.raw_dir / f"zz{n}_{seed.name}").write_text(f"نسخة رقم {n}\n\n{text}", encoding="utf-8")
    preannotate_corpus(repo, load_registry(repo), EngineSpec(kind="sync"))


@pytest.fixture
def grown(repo: Repo) -> Repo:
    grow(repo)
    return repo


def stored(repo: Repo) -> Suggestions:
    return partial(load_predictions, repo)


def reference(repo: Repo, out: Path, suggestions: Suggestions | None, version: str | None) -> bytes:
    write_tasks_file(repo, out, model_version=version, suggestions=suggestions)
    return out.read_bytes()


@pytest.mark.parametrize(("workers", "batch"), [(2, 1), (2, 3), (2, 64), (3, 2)])
@pytest.mark.parametrize("with_predictions", [True, False])
def test_the_parallel_path_writes_the_complete_paths_bytes(
    grown: Repo, tmp_path: Path, workers: int, batch: int, with_predictions: bool
) -> None:
    suggestions, version = (stored(grown), VERSION) if with_predictions else (None, None)
    expected = reference(grown, tmp_path / "reference.json", suggestions, version)
    assert expected.count(b"\n") == len(raw_ids(grown)) + 2  # "[", every document one a line, "]"
    assert b'"annotations"' in expected  # gold spans travel too
    out = tmp_path / "parallel.json"
    engine = EngineSpec(kind="local", workers=workers)
    count = write_tasks_parallel(grown, out, ExportOptions(version, suggestions, engine, batch))
    assert count == len(raw_ids(grown))
    assert out.read_bytes() == expected


def _first_prediction(repo: Repo) -> Path:
    return prediction_path(repo, raw_ids(repo)[0])


def _unparseable_predictions(repo: Repo) -> None:
    _first_prediction(repo).write_text("{", encoding="utf-8")


def _changed_text(repo: Repo) -> None:
    path = repo.raw_dir / (raw_ids(repo)[-1] + ".txt")
    path.write_text(path.read_text(encoding="utf-8") + "\nسطر جديد\n", encoding="utf-8")


def _span_text_mismatch(repo: Repo) -> None:
    path = next(
        p for p in sorted(prediction_path(repo, "x").parent.glob("*.json")) if b'"start"' in p.read_bytes()
    )
    found = read_predictions(path, file="f", document=path.stem)
    spans = (found.spans[0].replace(text=found.spans[0].text + "x"), *found.spans[1:])
    write_predictions(
        path, type(found)(found.document, found.text_sha256, found.model_version, spans), file="f"
    )


def _broken_gold(repo: Repo) -> None:
    next(iter(sorted(repo.annotations_dir.glob("*.json")))).write_text("{", encoding="utf-8")


def _duplicate_raw(repo: Repo) -> None:
    first = repo.raw_dir / (raw_ids(repo)[0] + ".txt")
    shutil.copyfile(first, repo.raw_dir / "zzz_copy.txt")


def _stray_gold(repo: Repo) -> None:
    (repo.annotations_dir / "no_such_document.json").write_text("{}", encoding="utf-8")


def _not_utf8(repo: Repo) -> None:
    (repo.raw_dir / "zzz_cp1256.txt").write_bytes("قالت الوزارة".encode("cp1256"))


def _bad_metadata(repo: Repo) -> None:
    repo.metadata_file.write_text("[", encoding="utf-8")


PLANTED: dict[str, Callable[[Repo], None]] = {
    "unparseable prediction file": _unparseable_predictions,
    "text changed since pre-annotation": _changed_text,
    "a stored span's text is not the text's": _span_text_mismatch,
    "broken gold file": _broken_gold,
    "duplicate raw file": _duplicate_raw,
    "gold file of no document": _stray_gold,
    "raw file not UTF-8": _not_utf8,
    "broken metadata": _bad_metadata,
}


def _error(run: Callable[[], object]) -> str:
    with pytest.raises(RasdError) as caught:
        run()
    return f"{type(caught.value).__name__}: {caught.value}"


@pytest.mark.parametrize("plant", PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_problem_is_reported_as_the_complete_path_reports_it(
    grown: Repo, tmp_path: Path, plant: Callable[[Repo], None]
) -> None:
    plant(grown)
    suggestions = stored(grown)
    reference_out, out = tmp_path / "reference.json", tmp_path / "parallel.json"
    expected = _error(
        lambda: write_tasks_file(grown, reference_out, model_version=VERSION, suggestions=suggestions)
    )
    engine = EngineSpec(kind="local", workers=2)
    with pytest.raises((FastPathDeclined, RasdError)):  # the parallel path says no
        write_tasks_parallel(grown, out, ExportOptions(VERSION, suggestions, engine, batch=2))
    assert not out.exists()
    got = _error(lambda: export_tasks(grown, out, ExportOptions(VERSION, suggestions, engine)))
    assert got == expected
    assert not out.exists()
    assert not reference_out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left
