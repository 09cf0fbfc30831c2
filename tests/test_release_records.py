"""The one reader and writer of build manifests, release records and diff files (rasd.formats.records).

Golden cases in ``tests/cases/release/records/``: each has a ``description``,
the ``kind`` of file, its ``data`` and whether it is ``valid`` (else the error
``code`` it must give).  Valid data must survive a write and a read unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rasd.core.errors import RasdError
from rasd.core.paths import Repo
from rasd.dataset.versionfile import read_version, write_version
from rasd.formats import records

CASES = sorted((Path(__file__).parent / "cases" / "release" / "records").glob("*.json"))

READERS = {"record": records.read_record, "manifest": records.read_manifest, "diff": records.read_diff}
WRITERS: dict[str, Any] = {
    "record": lambda path, data: records.write_record(path, records.record_from_json(data, file="x")),
    "manifest": lambda path, data: records.write_manifest(path, records.manifest_from_json(data, file="x")),
    "diff": records.write_diff,
}


def load_case(path: Path) -> dict[str, Any]:
    case = json.loads(path.read_text(encoding="utf-8"))
    assert set(case) >= {"description", "kind", "data", "valid"}, path.name
    return case


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_record_cases(path: Path, tmp_path: Path) -> None:
    case = load_case(path)
    target = tmp_path / "file.json"
    target.write_text(json.dumps(case["data"]), encoding="utf-8")
    read = READERS[case["kind"]]
    if not case["valid"]:
        with pytest.raises(RasdError) as caught:
            read(target, file="dataset/releases/v0.2.0.json")
        assert caught.value.code == case["code"], str(caught.value)
        assert str(caught.value).startswith("dataset/releases/v0.2.0.json: ")
        return
    first = read(target, file="f")
    WRITERS[case["kind"]](tmp_path / "again.json", case["data"])
    assert json.loads((tmp_path / "again.json").read_text(encoding="utf-8")) == case["data"]
    assert read(tmp_path / "again.json", file="f") == first


def test_the_cases_cover_every_kind_valid_and_invalid() -> None:
    seen = {(load_case(p)["kind"], load_case(p)["valid"]) for p in CASES}
    assert seen == {(kind, valid) for kind in READERS for valid in (True, False)}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"version": "0.1.0", "version": "0.2.0"}', "the key 'version' appears twice in one object"),
        ('{"version": NaN}', "NaN is not a JSON number"),
        ("{", "invalid JSON at line 1, column 2"),
    ],
)
@pytest.mark.parametrize("kind", sorted(READERS))
def test_strict_json_is_a_named_record_problem(tmp_path: Path, kind: str, text: str, reason: str) -> None:
    target = tmp_path / "file.json"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(RasdError) as caught:
        READERS[kind](target, file="dataset/MANIFEST.json")
    assert caught.value.code == "RASD-E501"
    kind = {"record": "release record", "manifest": "build manifest", "diff": "release diff"}[kind]
    assert str(caught.value).startswith(f"dataset/MANIFEST.json: cannot read {kind}: {reason}")


def test_a_record_from_git_bytes_names_the_tag() -> None:
    with pytest.raises(RasdError) as caught:
        records.loads_record(b"\xff{}", file="dataset-v0.1.0:dataset/releases/v0.1.0.json")
    assert str(caught.value).startswith(
        "dataset-v0.1.0:dataset/releases/v0.1.0.json: cannot read release record: the file is not valid UTF-8"
    )


def test_a_missing_file_is_a_named_storage_error(tmp_path: Path) -> None:
    with pytest.raises(RasdError) as caught:
        records.read_manifest(tmp_path / "absent.json", file="dataset/MANIFEST.json")
    assert caught.value.code == "RASD-E901"


def test_the_version_file_reader_and_writer(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    assert read_version(repo) == "0.1.0"  # absent: the foundation's first version
    assert write_version(repo, "0.3.0") is True
    assert (repo.dataset_dir / "VERSION").read_bytes() == b"0.3.0\n"
    assert read_version(repo) == "0.3.0"
    assert write_version(repo, "0.3.0") is False  # unchanged content is not rewritten
    (repo.dataset_dir / "VERSION").write_bytes(b"\xff\n")
    with pytest.raises(RasdError) as caught:
        read_version(repo)
    assert caught.value.code == "RASD-E911"
    assert str(caught.value).startswith("dataset/VERSION: the file is not valid UTF-8")
