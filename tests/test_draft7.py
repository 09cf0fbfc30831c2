"""The draft-07 translation merges unions of disjoint types without changing a verdict.

``tests/test_compiled_schema.py`` compares the compiled verdicts of Rasd's two
schemas with jsonschema's on every instance Rasd meets; here the merge itself is
checked on unions it must merge, unions it must keep, and generated unions and
instances.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from rasd.validation.draft7 import compile_verdict, draft7, merged_union
from rasd.validation.schema import SCHEMAS

BRANCHES: list[dict[str, Any]] = [
    {"type": "string", "minLength": 1},
    {"type": "string", "pattern": "^a"},
    {"type": "number"},
    {"type": "number", "minimum": 0},
    {"type": "integer", "maximum": 3},
    {"type": "null"},
    {"type": "boolean"},
    {"type": ["string", "null"], "maxLength": 2, "description": "an annotation"},
    {"type": "array", "minItems": 1, "items": {"type": "integer"}},
    {"type": "array", "prefixItems": [{"type": "string"}]},
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "null"}}},
    {"type": "object", "additionalProperties": False},
    {"minLength": 1},  # no type: accepts every non-string
    {"type": "string", "enum": ["a", "b"]},  # enum constrains every type
    {"oneOf": [{"type": "string"}, {"type": "null"}]},
]

INSTANCES = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 5) | st.sampled_from([1.0, 2.5, -0.5]) | st.text(max_size=3),
    lambda children: st.lists(children, max_size=2) | st.dictionaries(st.sampled_from(["a", "b"]), children),
    max_leaves=4,
)


def _wrapped(union: dict[str, Any]) -> dict[str, Any]:
    """The union at the top and one level down, as the schemas hold them (a property's value)."""
    return {"type": "object", "properties": {"v": union}, "anyOf": [union, {"type": "object"}]}


def test_rasd_schemas_compile_without_unions() -> None:
    """Both of Rasd's schemas hold only disjoint unions: nothing left to try branch by branch."""
    for make in SCHEMAS.values():
        translated = repr(draft7(make()))
        assert "anyOf" not in translated
        assert "oneOf" not in translated


def test_a_nullable_string_is_one_schema() -> None:
    union = [{"oneOf": [{"type": "string", "minLength": 1}, {"type": "number"}]}, {"type": "null"}]
    assert draft7({"anyOf": union}) == {
        "type": ["string", "number", "null"],
        "minLength": 1,
        "$schema": "http://json-schema.org/draft-07/schema#",
    }


@pytest.mark.parametrize(
    "branches",
    [
        [{"type": "integer"}, {"type": "number"}],  # 3 passes both: oneOf fails it
        [{"type": "string"}, {"type": ["null", "string"]}],
        [{"type": "string"}, {"minLength": 2}],  # no type
        [{"type": "string", "minimum": 1}, {"type": "null"}],  # minimum says nothing of strings
        [{"type": "string", "enum": ["a"]}, {"type": "null"}],  # enum applies to every type
        [{"type": "string"}, True],
        [],
    ],
)
def test_unions_that_are_kept(branches: list[Any]) -> None:
    assert merged_union(branches) is None


def test_overlapping_one_of_keeps_its_meaning() -> None:
    schema = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
    verdict = compile_verdict(schema)
    assert verdict is not None
    assert [verdict(v) for v in (3, 2.5, "x")] == [False, True, False]


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["anyOf", "oneOf"]),
    st.lists(st.sampled_from(BRANCHES), min_size=1, max_size=3),
    st.lists(INSTANCES, min_size=1, max_size=6),
)
def test_same_verdicts_as_jsonschema(
    keyword: str, branches: list[dict[str, Any]], instances: list[Any]
) -> None:
    for schema in ({keyword: branches, "description": "d"}, _wrapped({keyword: branches})):
        verdict = compile_verdict(schema)
        assert verdict is not None
        reference = Draft202012Validator(schema)
        for instance in [*instances, {"v": instances[0]}]:
            assert verdict(instance) == reference.is_valid(instance), (schema, instance)
