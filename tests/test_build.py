"""The build and the released dataset, checked as a whole (the way BigBio checks its datasets)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from rasd.core.errors import RasdErrors
from rasd.core.labels import BIO_TAGS, LABELS
from rasd.core.paths import Repo
from rasd.core.spans import outermost
from rasd.dataset.card import split_front_matter
from rasd.dataset.features import CONFIG_FEATURES, schema_view
from rasd.dataset.released import iter_released_records
from rasd.intake.ingest import iter_documents
from rasd.pipeline import build
from rasd.text.tokens import bio_tags_to_offsets

ROOT = Path(__file__).resolve().parents[1]


def snapshot(repo: Repo) -> dict[str, bytes]:
    files = [*repo.dataset_dir.rglob("*"), *repo.schema_dir.rglob("*"), repo.card_file]
    return {str(p.relative_to(repo.root)): p.read_bytes() for p in files if p.is_file()}


def test_the_committed_tree_is_what_the_build_makes(released_repo: Repo) -> None:
    before = snapshot(released_repo)
    report = build(released_repo, progress=False)
    assert report.changed == []
    assert snapshot(released_repo) == before


def test_the_committed_tree_verifies_and_its_release_still_checks_out(
    real_repo: Repo, tmp_path: Path
) -> None:
    from rasd.pipeline import verify
    from rasd.versions.checkout import checkout
    from rasd.versions.versioning import parse_version

    report = verify(real_repo)
    assert report.errors == []
    assert (real_repo.dataset_dir / "releases" / "v0.1.0.json").exists()
    checkout(real_repo, parse_version("0.1.0"), tmp_path / "v0.1.0")
    record = json.loads((real_repo.dataset_dir / "releases" / "v0.1.0.json").read_text(encoding="utf-8"))
    assert sorted(
        p.relative_to(tmp_path / "v0.1.0").as_posix() for p in (tmp_path / "v0.1.0").rglob("*.parquet")
    ) == sorted(name for name in record["files"] if name.endswith(".parquet"))


def test_a_build_may_not_change_the_data_of_a_released_version(released_repo: Repo) -> None:
    """0.1.0 is released: building it again with this code (a ``story_cluster`` column) is refused."""
    (released_repo.dataset_dir / "VERSION").write_text("0.1.0\n", encoding="utf-8")
    assert (released_repo.dataset_dir / "releases" / "v0.1.0.json").exists()
    before = snapshot(released_repo)
    with pytest.raises(RasdErrors) as caught:
        build(released_repo, progress=False)
    assert "would change in released version 0.1.0; nothing was written" in str(caught.value)
    assert "dataset/data/spans/train-00000-of-00001.parquet: the build would change released data" in str(
        caught.value
    )
    assert snapshot(released_repo) == before


def test_build_is_reproducible_after_a_change(repo: Repo) -> None:
    (repo.raw_dir / "005_extra.txt").write_text("قال مسؤول إن تيليغرام حذف 9122 قناة.\n", encoding="utf-8")
    build(repo, progress=False)
    first = snapshot(repo)
    assert build(repo, progress=False).changed == []
    assert snapshot(repo) == first


def test_a_failed_build_changes_no_released_file(repo: Repo) -> None:
    before = snapshot(repo)
    (repo.raw_dir / "005_extra.txt").write_text("قال مسؤول إن تيليغرام حذف 9122 قناة.\n", encoding="utf-8")
    (repo.annotations_dir / "005_extra.json").write_text(
        json.dumps(
            {
                "document": "005_extra",
                "text_sha256": "0" * 64,
                "spans": [],
            }
        ),
        encoding="utf-8",
    )
    (repo.annotations_dir / "000_01a36b4f6357320d.json").write_text("{", encoding="utf-8")
    with pytest.raises(RasdErrors) as caught:
        build(repo, progress=False)
    message = str(caught.value)
    assert "2 problems found; nothing was written" in message
    assert "document 005_extra: the document text changed" in message
    assert "document 000_01a36b4f6357320d: invalid JSON at line 1" in message
    after = snapshot(repo)
    after.pop("dataset/raw/005_extra.txt")
    after.pop("dataset/annotations/005_extra.json")
    after.pop("dataset/annotations/000_01a36b4f6357320d.json")
    before.pop("dataset/annotations/000_01a36b4f6357320d.json", None)
    assert after == before


LOAD_SCRIPT = """
import json, sys
from datasets import load_dataset
spans = load_dataset("dataset")
tokens = load_dataset("dataset", "tokens")
print(json.dumps({
    "splits": sorted(spans),
    "rows": sum(len(spans[s]) for s in spans),
    "labels": spans["train"].features["spans"].feature["label"].names,
    "tags": tokens["train"].features["ner_tags"].feature.names,
    "columns": tokens["train"].column_names,
}))
"""


def test_load_dataset_in_a_fresh_offline_process(tmp_path: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["labels"] == list(LABELS)
    assert loaded["tags"] == list(BIO_TAGS)
    assert loaded["tags"][:3] == ["O", "B-ORG", "I-ORG"]
    assert {"tokens", "ner_tags"} <= set(loaded["columns"])
    assert loaded["rows"] == len(list((ROOT / "dataset" / "raw").glob("*.txt")))
    assert "train" in loaded["splits"]


def test_every_released_record_validates_with_the_reference_library(real_repo: Repo) -> None:
    schema = json.loads((real_repo.schema_dir / "document.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    records = [record for _, record in iter_released_records(real_repo)]
    assert records
    for record in records:
        assert list(validator.iter_errors(schema_view(record))) == [], record["id"]
        assert record["story_cluster"]
    broken = dict(
        records[0], spans=[{"id": "x", "start": 0, "end": 1, "label": "MISC", "text": "و", "value": None}]
    )
    assert not validator.is_valid(broken)


def test_whole_dataset_invariants(real_repo: Repo) -> None:
    records = [record for _, record in iter_released_records(real_repo)]
    doc_ids = [r["id"] for r in records]
    span_ids = [s["id"] for r in records for s in r["spans"]]
    assert len(doc_ids) == len(set(doc_ids))
    assert len(span_ids) == len(set(span_ids))
    for record in records:
        text = record["text"]
        for span in record["spans"]:
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"] : span["end"]] == span["text"]
            assert span["label"] in LABELS
        total = sum(run["length"] for run in record["offset_map"])
        assert total == len(text)


def test_tokens_config_is_the_outermost_layer_of_the_spans_config(real_repo: Repo) -> None:
    spans_by_id = {r["id"]: r for _, r in iter_released_records(real_repo)}
    for _, record in iter_released_records(real_repo, "tokens"):
        source = spans_by_id[record["id"]]
        offsets = list(zip(record["token_starts"], record["token_ends"], strict=True))
        assert [source["text"][s:e] for s, e in offsets] == record["tokens"]
        tags = [BIO_TAGS[t] for t in record["ner_tags"]]
        from rasd.dataset.released import record_spans

        assert bio_tags_to_offsets(offsets, tags) == [s.key for s in outermost(record_spans(source))]


def test_card_metadata(real_repo: Repo) -> None:
    card = real_repo.card_file.read_text(encoding="utf-8")
    assert (real_repo.dataset_dir / "README.md").read_text(encoding="utf-8") == card
    meta, body = split_front_matter(card)
    assert meta["language"] == ["ar"]
    assert meta["task_categories"] == ["token-classification"]
    assert meta["task_ids"] == ["named-entity-recognition"]
    assert meta["license"]
    assert meta["pretty_name"]
    assert meta["version"] == (real_repo.dataset_dir / "VERSION").read_text(encoding="utf-8").strip()
    declared = [c for c in CONFIG_FEATURES if any((real_repo.data_dir / c).glob("*.parquet"))]
    assert [c["config_name"] for c in meta["configs"]] == declared
    assert [c.get("default", False) for c in meta["configs"]] == [True] + [False] * (len(declared) - 1)
    docs = len(list(iter_documents(real_repo)))
    examples = {i["config_name"]: sum(s["num_examples"] for s in i["splits"]) for i in meta["dataset_info"]}
    assert examples["spans"] == examples["tokens"]
    assert examples["spans"] + examples.get("unlabeled", 0) == docs
    for heading in [
        "Dataset summary",
        "Labels",
        "Data fields",
        "Splits",
        "Source data and cleaning",
        "Annotation process",
        "Personal and sensitive information",
        "Ethics and content warning",
        "Limitations",
        "Citation",
        "Versions",
    ]:
        assert f"## {heading}" in body
    assert "PERSON" in body
    assert "QUANTITY" in body
    assert "figures" in body
    yaml.safe_load(card.split("---")[1])


def test_manifest_fingerprints_match_the_files(real_repo: Repo) -> None:
    import hashlib

    manifest = json.loads((real_repo.dataset_dir / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["files"]
    for name, entry in manifest["files"].items():
        data = (real_repo.dataset_dir / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
