"""Story clusters: near-copies join their twin, distinct stories never do, splits never move."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from rasd.dataset.neardup import NEAR_DUPLICATE_THRESHOLD, cluster_splits, shingles, story_clusters
from rasd.dataset.splits import split_for

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "dataset/raw").glob("*.txt"))]
PASSAGES = [
    (row["id"], row["text"])
    for name in ("dev.jsonl", "heldout.jsonl")
    for row in map(json.loads, (ROOT / "annotation/devset" / name).read_text(encoding="utf-8").splitlines())
]


def edited(text: str, changes: int, seed: int = 7) -> str:
    words = text.split()
    rng = random.Random(seed)
    for _ in range(changes):
        words[rng.randrange(len(words))] = "تعديل"
    return " ".join(words)


def test_distinct_stories_stay_apart() -> None:
    clusters = story_clusters(SEEDS + PASSAGES)
    assert all(len(members) == 1 for members in clusters.members().values())


@pytest.mark.parametrize("changes", [0, 1, 5, 15])
def test_a_lightly_edited_copy_joins_its_twin(changes: int) -> None:
    twin_id, twin_text = SEEDS[0]
    copy = ("zz_syndicated", "العنوان المعاد\n" + edited(twin_text, changes))
    clusters = story_clusters([*SEEDS, copy])
    assert clusters.of["zz_syndicated"] == twin_id
    assert {doc for doc, cluster in clusters.of.items() if cluster == twin_id} == {twin_id, "zz_syndicated"}


def test_a_heavily_rewritten_story_is_not_a_copy() -> None:
    _, twin_text = SEEDS[0]
    clusters = story_clusters([*SEEDS, ("zz_rewrite", edited(twin_text, 120))])
    assert clusters.of["zz_rewrite"] == "zz_rewrite"


def test_identical_short_texts_are_joined_as_exact_duplicates() -> None:
    clusters = story_clusters([("b", "داعش"), ("a", "داعش"), ("c", "تيليغرام")])
    assert clusters.of == {"a": "a", "b": "a", "c": "c"}
    assert ("a", "b", 1.0) in clusters.pairs


def test_folding_sees_through_spelling_variants() -> None:
    assert shingles("أعلنت الوزارة اليوم عن إغلاق القناة") == shingles("اعلنت الوزاره اليوم عن اغلاق القناه")
    assert 0 < NEAR_DUPLICATE_THRESHOLD < 1


def test_splits_follow_the_cluster_and_never_move() -> None:
    seed_id, seed_text = SEEDS[0]
    clusters = story_clusters([*SEEDS, ("zz_copy", edited(seed_text, 3)), ("zz_new", PASSAGES[0][1])])
    previous = {doc_id: split_for(doc_id) for doc_id, _ in SEEDS}
    assigned, conflicts = cluster_splits(clusters, previous, split_for)
    assert conflicts == []
    assert {d: assigned[d] for d in previous} == previous
    assert assigned["zz_copy"] == previous[seed_id]
    assert assigned["zz_new"] == split_for("zz_new")


def test_a_cluster_straddling_two_splits_is_reported() -> None:
    clusters = story_clusters([("a", SEEDS[0][1]), ("b", edited(SEEDS[0][1], 2))])
    _, conflicts = cluster_splits(clusters, {"a": "train", "b": "test"}, split_for)
    assert [(c.cluster, c.splits) for c in conflicts] == [("a", {"a": "train", "b": "test"})]
