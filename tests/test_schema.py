"""JSON Schemas: golden cases, the committed files are current, and they agree with the HF features."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from datasets import ClassLabel, List, Value
from jsonschema import Draft202012Validator

from rasd.core.labels import LABELS
from rasd.core.paths import Repo
from rasd.dataset.features import SPANS_FEATURES
from rasd.formats.gold import iter_structure_problems
from rasd.validation.schema import SCHEMAS, annotation_schema, structural_errors

CASES = Path(__file__).parent / "cases" / "schema"
ROOT = Path(__file__).resolve().parents[1]


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.json")):
        for group in json.loads(path.read_text(encoding="utf-8")):
            for test in group["tests"]:
                params.append(
                    pytest.param(
                        group["schema"],
                        test["data"],
                        test["valid"],
                        id=f"{group['description']}: {test['description']}",
                    )
                )
    return params


@pytest.mark.parametrize(("schema_name", "data", "valid"), _cases())
def test_golden_cases_with_the_reference_validator(schema_name: str, data: Any, valid: bool) -> None:
    schema = json.loads((ROOT / "schema" / schema_name).read_text(encoding="utf-8"))
    assert Draft202012Validator(schema).is_valid(data) is valid


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_generated_from_the_label_set(real_repo: Repo, name: str) -> None:
    committed = json.loads((real_repo.schema_dir / name).read_text(encoding="utf-8"))
    assert committed == SCHEMAS[name]()
    Draft202012Validator.check_schema(committed)


def test_structural_errors_name_the_json_path_and_the_span() -> None:
    record = {"document": "d", "text_sha256": "0" * 64, "spans": [{"id": "s9", "start": "4", "end": 5}]}
    messages = [
        str(e) for e in structural_errors("annotation.schema.json", record, file="f.json", document="d")
    ]
    assert "f.json: document d: span s9: $.spans[0].start: '4' is not of type 'integer'" in "\n".join(
        messages
    )
    assert any("'label' is a required property" in m for m in messages)
    assert len(messages) == 4  # start type, label, text, raw: every problem, not only the first


def _schema_type(feature: Any) -> Any:
    """The JSON Schema type a HF feature should be described with."""
    if isinstance(feature, ClassLabel):
        return ("enum", tuple(feature.names))
    if isinstance(feature, Value):
        return {"string": "string", "int32": "integer"}[feature.dtype]
    if isinstance(feature, List):
        return ("array", _schema_type(feature.feature))
    if isinstance(feature, dict):
        return {k: _schema_type(v) for k, v in feature.items()}
    raise AssertionError(feature)


def _json_type(schema: dict[str, Any]) -> Any:
    if "anyOf" in schema:  # nullable: the non-null branch
        (schema,) = [s for s in schema["anyOf"] if s.get("type") != "null"]
    if "enum" in schema:
        return ("enum", tuple(schema["enum"]))
    if "const" in schema:
        return "string"
    if schema.get("type") == "array":
        return ("array", _json_type(schema["items"]))
    if schema.get("type") == "object":
        return {k: _json_type(v) for k, v in schema["properties"].items()}
    return schema["type"]


def test_features_agree_with_the_document_schema(real_repo: Repo) -> None:
    schema = json.loads((real_repo.schema_dir / "document.schema.json").read_text(encoding="utf-8"))
    assert _json_type(schema) == _schema_type(dict(SPANS_FEATURES))
    assert set(schema["required"]) == set(SPANS_FEATURES)
    assert schema["properties"]["spans"]["items"]["properties"]["label"]["enum"] == list(LABELS)


def _reader_cases() -> list[Any]:
    groups = json.loads((CASES / "offsets.json").read_text(encoding="utf-8"))
    return [
        pytest.param(test["data"], test["reader_valid"], id=test["description"])
        for group in groups
        for test in group["tests"]
    ]


@pytest.mark.parametrize(("data", "reader_valid"), _reader_cases())
def test_the_gold_reader_refuses_offsets_the_schema_lets_through(data: Any, reader_valid: bool) -> None:
    problems = list(iter_structure_problems(data, file="f.json", document="d"))
    assert (problems == []) is reader_valid, [str(p) for p in problems]
    if not reader_valid and Draft202012Validator(annotation_schema()).is_valid(data):
        assert [p.code for p in problems] == ["RASD-E202"]


@pytest.mark.parametrize(
    ("status", "valid"),
    [
        ("in_progress", True),
        ("complete", True),
        ("adjudicated", True),
        ("done", False),
        ("Complete", False),
        ("", False),
        (None, False),
        (1, False),
    ],
)
def test_gold_status_is_optional_and_one_of_three(real_repo: Repo, status: Any, valid: bool) -> None:
    gold_file = sorted(real_repo.annotations_dir.glob("*.json"))[0]
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    assert "status" not in gold
    assert Draft202012Validator(annotation_schema()).is_valid(gold)
    with_status = {**gold, "status": status}
    assert Draft202012Validator(annotation_schema()).is_valid(with_status) is valid
    assert (structural_errors("annotation.schema.json", with_status, file=None, document=None) == []) is valid
