"""Annotation status, the ``unlabeled`` config and splits per story cluster (issue #11, items 2-5).

The acceptance case of the issue: a near-copy of seed 000 and an unrelated
article arrive without gold; the copy joins 000's story cluster and split,
neither reaches ``spans`` or ``tokens``, both are in ``unlabeled``, and
``load_dataset`` reads that config in a fresh offline process.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rasd.core.errors import RasdError, RasdErrors, unbundle
from rasd.core.labels import Label
from rasd.core.paths import Repo
from rasd.dataset.card import get_section, split_front_matter
from rasd.dataset.released import iter_released_records
from rasd.dataset.stories import released_splits
from rasd.formats.gold import (
    ADJUDICATED,
    COMPLETE,
    IN_PROGRESS,
    annotation_path,
    read_annotation_file,
    render_annotations,
    write_annotations,
)
from rasd.formats.predictions import PredictionsFile, prediction_path, write_predictions
from rasd.gold.annotations import iter_gold, read_gold
from rasd.intake.ingest import iter_documents, text_sha256
from rasd.pipeline import build

SEED = "000_01a36b4f6357320d"
ROOT = Path(__file__).resolve().parents[1]


def edited(text: str, changes: int, seed: int = 3) -> str:
    """``text`` with ``changes`` words replaced (lines kept)."""
    rng = random.Random(seed)
    lines = [line.split(" ") for line in text.split("\n")]
    for _ in range(changes):
        line = rng.choice([words for words in lines if len(words) > 3])
        line[rng.randrange(len(line))] = "تعديل"
    return "\n".join(" ".join(words) for words in lines)


def unrelated_text() -> str:
    first = (ROOT / "annotation/devset/dev.jsonl").read_text(encoding="utf-8").splitlines()[0]
    return str(json.loads(first)["text"])


def add_articles(repo: Repo) -> None:
    """Raw files only (what ``rasd add`` writes besides metadata): no gold for either."""
    seed = (repo.raw_dir / f"{SEED}.txt").read_text(encoding="utf-8")
    (repo.raw_dir / "005_nearcopy.txt").write_text(edited(seed, 4), encoding="utf-8")
    (repo.raw_dir / "006_unrelated.txt").write_text(unrelated_text() + "\n", encoding="utf-8")


def released(repo: Repo, config: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for _, r in iter_released_records(repo, config)}


def document(repo: Repo, doc_id: str) -> Any:
    return next(d for d in iter_documents(repo) if d.id == doc_id)


# --- the gold file's status ------------------------------------------------------------------------


def test_committed_gold_files_are_complete_and_rerender_byte_for_byte(real_repo: Repo) -> None:
    for doc, status in iter_gold(real_repo):
        path = annotation_path(real_repo, doc.id)
        assert status == COMPLETE
        assert render_annotations(doc, doc.spans) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("status", [IN_PROGRESS, COMPLETE, ADJUDICATED])
def test_status_round_trips_and_complete_is_not_written(repo: Repo, status: str) -> None:
    doc = document(repo, SEED)
    spans = read_gold(repo, doc)[1]
    write_annotations(repo, doc, spans, status=status)
    text = annotation_path(repo, SEED).read_text(encoding="utf-8")
    assert ('"status"' in text) is (status != COMPLETE)
    assert read_gold(repo, doc) == (status, spans)
    assert read_annotation_file(repo, annotation_path(repo, SEED)).status == status


@pytest.mark.parametrize("bad", ["done", "", 3, None, "unannotated"])
def test_an_unknown_status_is_a_schema_error(repo: Repo, bad: object) -> None:
    path = annotation_path(repo, SEED)
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "status": bad}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RasdError) as caught:
        read_gold(repo, document(repo, SEED))
    assert caught.value.code == "RASD-E201"
    assert "$.status" in str(caught.value)


# --- the acceptance case -----------------------------------------------------------------------------


@pytest.fixture
def grown(repo: Repo) -> Repo:
    add_articles(repo)
    build(repo, progress=False)
    return repo


def test_new_articles_without_gold_go_to_unlabeled_and_the_copy_joins_its_story(grown: Repo) -> None:
    spans, tokens, unlabeled = (released(grown, c) for c in ("spans", "tokens", "unlabeled"))
    assert set(unlabeled) == {"005_nearcopy", "006_unrelated"}
    assert not set(unlabeled) & (set(spans) | set(tokens))
    assert set(spans) == set(tokens) == {d.id for d in iter_documents(grown)} - set(unlabeled)
    splits = released_splits(grown)
    assert unlabeled["005_nearcopy"]["story_cluster"] == SEED == spans[SEED]["story_cluster"]
    assert splits["005_nearcopy"] == splits[SEED]
    assert unlabeled["006_unrelated"]["story_cluster"] == "006_unrelated"
    assert {r["status"] for r in unlabeled.values()} == {"unannotated"}
    assert all(r["story_cluster"] == r["id"] for r in spans.values())  # the seeds are distinct stories


def test_the_card_counts_statuses_and_names_the_shared_cluster(grown: Repo) -> None:
    card = grown.card_file.read_text(encoding="utf-8")
    status = get_section(card, "annotation-status")
    assert "| unannotated | unlabeled | 2 |" in status
    assert "| complete | spans, tokens | 5 |" in status
    clusters = get_section(card, "story-clusters")
    assert "80% of clusters go to train, 10% to validation and 10% to test" in clusters
    assert "at least 0.5" in clusters
    assert "clusters with more than one document: 1" in clusters
    assert f"| {SEED} | 2 | {SEED}, 005_nearcopy |" in clusters
    configs = [c["config_name"] for c in split_front_matter(card)[0]["configs"]]
    assert configs == ["spans", "tokens", "unlabeled"]


def test_a_second_build_changes_nothing(grown: Repo) -> None:
    assert build(grown, progress=False).changed == []


LOAD_UNLABELED = """
import json
from datasets import load_dataset
rows = load_dataset("dataset", "unlabeled")
spans = load_dataset("dataset")
print(json.dumps({
    "unlabeled": {s: sorted(r["id"] for r in rows[s]) for s in rows},
    "spans": sum(len(spans[s]) for s in spans),
    "columns": rows[next(iter(rows))].column_names,
    "labels": rows[next(iter(rows))].features["suggestions"].feature["label"].names,
}))
"""


def test_load_dataset_reads_the_unlabeled_config_offline(grown: Repo, tmp_path: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_UNLABELED], cwd=grown.root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    splits = released_splits(grown)
    assert loaded["unlabeled"] == {splits[SEED]: ["005_nearcopy", "006_unrelated"]}
    assert loaded["spans"] == 5
    assert {"status", "story_cluster", "suggestions"} <= set(loaded["columns"])
    assert loaded["labels"][0] == Label.ORG


# --- in progress, suggestions, released splits ----------------------------------------------------------


def test_in_progress_gold_leaves_spans_and_carries_machine_suggestions(repo: Repo) -> None:
    doc = document(repo, SEED)
    gold = read_gold(repo, doc)[1]
    write_annotations(repo, doc, gold[:3], status=IN_PROGRESS)
    suggested = tuple(s.replace(score=0.75) for s in gold[:2])
    path = prediction_path(repo, SEED)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_predictions(path, PredictionsFile(SEED, text_sha256(doc.text), "rules-9", suggested), file="p")
    build(repo, progress=False)
    assert SEED not in released(repo, "spans")
    assert SEED not in released(repo, "tokens")
    record = released(repo, "unlabeled")[SEED]
    assert record["status"] == IN_PROGRESS
    assert [(s["start"], s["end"], s["label"]) for s in record["suggestions"]] == [
        s.key for s in sorted(suggested)
    ]
    assert {(s["source"], s["model_version"], s["score"]) for s in record["suggestions"]} == {
        ("machine", "rules-9", 0.75)
    }
    assert released_splits(repo)[SEED] == "train"  # it keeps the split it was released in


def test_stale_suggestions_stop_the_build(repo: Repo) -> None:
    annotation_path(repo, SEED).unlink()
    path = prediction_path(repo, SEED)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_predictions(path, PredictionsFile(SEED, "0" * 64, "rules-9", ()), file="p")
    with pytest.raises(RasdError) as caught:
        build(repo, progress=False)
    assert [e.code for e in unbundle(caught.value)] == ["RASD-E706"]


def test_a_copy_of_a_validation_document_joins_validation(repo: Repo) -> None:
    splits = released_splits(repo)
    (other,) = [d for d, s in splits.items() if s == "validation"]
    text = (repo.raw_dir / f"{other}.txt").read_text(encoding="utf-8")
    (repo.raw_dir / "zz_copy.txt").write_text(edited(text, 2), encoding="utf-8")
    build(repo, progress=False)
    assert released_splits(repo)["zz_copy"] == "validation"
    assert released(repo, "unlabeled")["zz_copy"]["story_cluster"] == other


def test_a_cluster_released_in_two_splits_is_refused_naming_its_documents(repo: Repo) -> None:
    splits = released_splits(repo)
    (validation,) = [d for d, s in splits.items() if s == "validation"]
    train = SEED
    assert splits[train] == "train"
    # The validation document becomes a near-copy of the train one: one story, two released splits.
    seed_text = (repo.raw_dir / f"{train}.txt").read_text(encoding="utf-8")
    (repo.raw_dir / f"{validation}.txt").write_text(edited(seed_text, 2), encoding="utf-8")
    annotation_path(repo, validation).unlink()
    with pytest.raises((RasdError, RasdErrors)) as caught:
        build(repo, progress=False)
    message = str(caught.value)
    assert [e.code for e in unbundle(caught.value)] == ["RASD-E529"]
    assert f"{train} in train" in message
    assert f"{validation} in validation" in message
    assert "leak" in message


def test_an_adjudicated_document_is_released_in_spans(repo: Repo) -> None:
    doc = document(repo, SEED)
    write_annotations(repo, doc, read_gold(repo, doc)[1], status=ADJUDICATED)
    build(repo, progress=False)
    assert SEED in released(repo, "spans")
    assert "| adjudicated | spans, tokens | 1 |" in get_section(
        repo.card_file.read_text(encoding="utf-8"), "annotation-status"
    )


def test_a_damaged_data_file_is_rebuilt_with_the_same_splits(repo: Repo) -> None:
    before = released_splits(repo)
    shard = repo.data_dir / "spans" / "train-00000-of-00001.parquet"
    data = shard.read_bytes()
    shard.write_bytes(data[: len(data) // 2])
    build(repo, progress=False)
    assert shard.read_bytes() == data
    assert released_splits(repo) == before
