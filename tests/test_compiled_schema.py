"""The compiled verdict (fastjsonschema) agrees with the reference validator (jsonschema).

``structural_errors`` asks the compiled validator first and only walks a record
with jsonschema when it fails, so the two must give the same yes/no on every
instance Rasd meets: the golden schema cases, every gold file, every released
record, the bad-input fixtures, and systematic mutations of all of them.  Each
instance is checked against both schemas (a gold file is an invalid record and
the other way round: more disagreements to find).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import rasd.validation.schema as schema_module
from rasd.core.paths import Repo
from rasd.dataset.released import iter_released_records
from rasd.validation.schema import (
    SCHEMAS,
    annotation_schema,
    compile_verdict,
    document_schema,
    draft7,
    is_valid,
    structural_errors,
)

TESTS = Path(__file__).parent
ROOT = TESTS.parent
Instances = list[tuple[str, Any]]


def _reference(name: str) -> Callable[[Any], bool]:
    return Draft202012Validator(SCHEMAS[name]()).is_valid


def _golden_cases() -> Instances:
    found: Instances = []
    for path in sorted((TESTS / "cases" / "schema").glob("*.json")):
        for group in json.loads(path.read_text(encoding="utf-8")):
            found += [(f"{path.name}: {t['description']}", t["data"]) for t in group["tests"]]
    return found


def _gold_files() -> Instances:
    folder = ROOT / "dataset" / "annotations"
    return [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.json"))]


def _released_records() -> Instances:
    return [(f"{p.name}:{r['id']}", r) for p, r in iter_released_records(Repo(ROOT))]


def _edited(edit: dict[str, str]) -> str:
    text = (ROOT / edit["file"]).read_text(encoding="utf-8")
    return text.replace(edit["replace"], edit["with"])


def _fixture_texts(case: Path) -> Iterator[tuple[str, str]]:
    spec = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    for edit in spec.get("edit", []):
        if edit["file"].endswith(".json"):
            yield f"{case.name}: {edit['file']}", _edited(edit)
    for path in sorted((case / "files").rglob("*.json*")) if (case / "files").is_dir() else []:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        for n, line in enumerate(text.splitlines() if path.suffix == ".jsonl" else [text]):
            yield f"{case.name}: {path.name}:{n}", line


def _bad_inputs() -> Instances:
    found: Instances = []
    for case in sorted(p for p in (TESTS / "bad_inputs").iterdir() if p.is_dir()):
        for where, text in _fixture_texts(case):
            try:
                found.append((where, json.loads(text)))
            except ValueError:
                continue  # not JSON at all: never reaches a schema
    return found


def _mutants(instance: Any) -> Iterator[Any]:
    """Small edits of an instance: each leaf replaced by values of other types, keys dropped and added."""
    odd: list[Any] = [None, True, 0, -1, 1.0, 2.5, "", "x", "ORG", [], {}, [0, 1], "0" * 64]
    if isinstance(instance, dict):
        for key in instance:
            dropped = {k: v for k, v in instance.items() if k != key}
            yield dropped
            for value in [*odd, *_mutants(instance[key])]:
                yield {**instance, key: value}
        yield {**instance, "extra": 1}
    elif isinstance(instance, list):
        for index, item in enumerate(instance[:2]):
            for value in [*odd[:6], *_mutants(item)]:
                changed = copy.copy(instance)
                changed[index] = value
                yield changed
        yield [*instance, instance[0] if instance else 0]


def _shrunk(instance: Any) -> Any:
    """The instance with long strings and long lists cut, so mutating it stays quick."""
    if isinstance(instance, dict):
        return {k: _shrunk(v) for k, v in instance.items()}
    if isinstance(instance, list):
        return [_shrunk(v) for v in instance[:3]]
    return instance


ALL = _golden_cases() + _gold_files() + _released_records() + _bad_inputs()


def _disagreements(instances: Instances, verdict: Callable[[str, Any], bool]) -> list[str]:
    found = []
    for where, instance in instances:
        for name in sorted(SCHEMAS):
            if verdict(name, instance) != _reference(name)(instance):
                found.append(f"{where} against {name}")
    return found


def test_the_sources_are_all_there() -> None:
    """The comparison is only as good as its inputs: each source yields instances."""
    assert len(_golden_cases()) >= 10
    assert len(_gold_files()) == len(list((ROOT / "dataset" / "annotations").glob("*.json")))
    assert len(_released_records()) >= 5
    assert len(_bad_inputs()) >= 5
    assert {is_valid(n, i) for _, i in ALL for n in SCHEMAS} == {True, False}


def test_both_schemas_compile() -> None:
    for make in SCHEMAS.values():
        assert compile_verdict(make()) is not None


def test_same_verdicts_on_every_instance_rasd_meets() -> None:
    assert _disagreements(ALL, is_valid) == []


def test_same_verdicts_on_mutations_of_them() -> None:
    mutants = [(f"{where} (mutant {n})", m) for where, i in ALL for n, m in enumerate(_mutants(_shrunk(i)))]
    assert len(mutants) > 1000
    assert _disagreements(mutants, is_valid) == []


def test_a_weakened_validator_is_caught() -> None:
    """The comparison can fail: drop one constraint from the compiled schema and it disagrees."""
    weak = document_schema()
    del weak["properties"]["text"]["minLength"]
    weakened = compile_verdict(weak)
    assert weakened is not None
    record = next(r for where, r in _released_records())
    emptied = [("empty text", {**record, "text": ""})]

    def verdict(name: str, instance: Any) -> bool:
        return weakened(instance) if name == "document.schema.json" else is_valid(name, instance)

    assert _disagreements(emptied, is_valid) == []
    assert _disagreements(emptied, verdict) == ["empty text against document.schema.json"]


def test_prefix_items_keeps_its_meaning_in_draft_7() -> None:
    """``raw`` is a 2020-12 tuple; untranslated, fastjsonschema would ignore it."""
    gold = _gold_files()[0][1]
    span = {**gold["spans"][0], "raw": ["0", 4]}
    bad = {**gold, "spans": [span]}
    assert not is_valid("annotation.schema.json", bad)
    assert not _reference("annotation.schema.json")(bad)
    assert "prefixItems" not in json.dumps(draft7(annotation_schema()))


@pytest.mark.parametrize(
    "schema",
    [
        {"$defs": {"a": {"type": "string"}}, "type": "object"},
        {"type": "object", "properties": {"a": {"unevaluatedProperties": False}}},
        {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
        {"type": "object", "properties": {"title": {"dependentRequired": {"a": ["b"]}}}},
    ],
)
def test_keywords_without_a_draft_7_meaning_are_not_compiled(schema: dict[str, Any]) -> None:
    assert draft7(schema) is None
    assert compile_verdict(schema) is None


def test_property_names_are_not_taken_for_keywords() -> None:
    """A property called ``title`` or ``description`` is a subschema, not an annotation."""
    schema = {
        "type": "object",
        "properties": {"title": {"type": "array", "prefixItems": [{"type": "string"}]}},
    }
    verdict = compile_verdict(schema)
    assert verdict is not None
    assert not verdict({"title": [1]})
    assert verdict({"title": ["a", 1]})


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(["id", "start", "end", "label", "text", "raw", "spans"]), children
            )
        ),
        max_leaves=12,
    )
)
def test_same_verdicts_on_arbitrary_json(instance: Any) -> None:
    assert _disagreements([("generated", instance)], is_valid) == []


def test_reports_are_exactly_the_reference_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every message, in path order, as when jsonschema alone walked every instance."""

    def report(name: str, instance: Any) -> list[str]:
        return [str(e) for e in structural_errors(name, instance, file="f.json", document="d")]

    pairs = [(name, instance) for _, instance in ALL for name in sorted(SCHEMAS)]
    compiled = [report(name, instance) for name, instance in pairs]
    monkeypatch.setattr(schema_module, "is_valid", lambda name, instance: False)
    assert compiled == [report(name, instance) for name, instance in pairs]
    assert sum(1 for r in compiled if r) > 10
