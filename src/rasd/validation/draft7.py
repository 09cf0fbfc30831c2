"""The verdict, compiled: a Draft 2020-12 schema translated to draft-07 for fastjsonschema.

fastjsonschema compiles a schema to Python code once per process: it only gives
the yes/no verdict (its error messages differ from jsonschema's), so a record
that passes costs one call, and only a failing one pays for jsonschema's full
report (``rasd.validation.schema.structural_errors``).  fastjsonschema speaks
draft-07, so the 2020-12 schema is translated; a schema using a keyword the
translation does not know is not compiled at all and every verdict falls back to
the reference validator.

The translation also merges a union whose branches accept disjoint JSON types
(``anyOf: [{"type": "string", "minLength": 1}, {"type": "null"}]``) into one
schema (``{"type": ["string", "null"], "minLength": 1}``): the same instances
pass, since every keyword of a branch only constrains values of that branch's
types.  fastjsonschema checks a union by trying each branch and catching the
exception of each one that fails, and building that exception (its message and
its copy of the schema) cost more than the rest of a gold file's check; the
merged schema raises nothing on a valid instance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fastjsonschema

DRAFT7 = "http://json-schema.org/draft-07/schema#"
_UNTRANSLATABLE = frozenset(
    {"$defs", "$dynamicRef", "$dynamicAnchor", "$anchor", "$ref", "$vocabulary", "$recursiveRef"}
    | {"unevaluatedItems", "unevaluatedProperties", "dependentRequired", "dependentSchemas"}
    | {"minContains", "maxContains", "contains", "format", "additionalItems"}
)
_SCHEMA_MAPS = frozenset({"properties", "patternProperties"})  # name -> subschema
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SUBSCHEMAS = frozenset({"items", "not", "additionalProperties", "propertyNames", "if", "then", "else"})

Verdict = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"description", "title", "$comment", "examples", "deprecated"})
"""Keywords that never change a verdict (``default`` too, as compiled here: ``use_default=False``)."""

_FAMILY_OF_TYPE = {
    "string": "string",
    "number": "number",
    "integer": "number",
    "array": "array",
    "object": "object",
    "boolean": "boolean",
    "null": "null",
}
"""The JSON type a ``type`` name stands for: an integer is a number, so the two overlap."""

_FAMILY_OF_KEYWORD = {
    **dict.fromkeys(("minLength", "maxLength", "pattern"), "string"),
    **dict.fromkeys(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"), "number"),
    **dict.fromkeys(("items", "minItems", "maxItems", "uniqueItems"), "array"),
    **dict.fromkeys(
        [
            *("properties", "patternProperties", "additionalProperties", "propertyNames"),
            *("required", "minProperties", "maxProperties"),
        ],
        "object",
    ),
}
"""The keywords that only constrain values of one JSON type (any other value passes them)."""


def _untranslatable(schema: Any) -> bool:
    """Whether ``schema`` or a subschema uses a keyword with no exact draft-07 counterpart."""
    if not isinstance(schema, dict):
        return False  # a boolean schema
    if _UNTRANSLATABLE & set(schema) or {"items", "prefixItems"} <= set(schema):
        return True
    children: list[Any] = []
    for key, value in schema.items():
        if key in _SCHEMA_MAPS:
            children += value.values()
        elif key in _SCHEMA_LISTS:
            children += value
        elif key in _SUBSCHEMAS:
            children.append(value)
    return any(_untranslatable(child) for child in children)


def _typed_parts(branch: Any) -> tuple[list[str], dict[str, Any]] | None:
    """A (translated) branch's types and its other keywords, when each of those constrains one of them."""
    if not isinstance(branch, dict) or "type" not in branch:
        return None
    types = branch["type"] if isinstance(branch["type"], list) else [branch["type"]]
    if not types or not all(isinstance(t, str) and t in _FAMILY_OF_TYPE for t in types):
        return None
    families = {_FAMILY_OF_TYPE[t] for t in types}
    keywords = {k: v for k, v in branch.items() if k != "type" and k not in _ANNOTATIONS}
    if any(_FAMILY_OF_KEYWORD.get(k) not in families for k in keywords):
        return None
    return types, keywords


def merged_union(branches: list[Any]) -> dict[str, Any] | None:
    """One schema accepting what ``anyOf``/``oneOf`` of ``branches`` accepts, when their types are disjoint.

    Disjoint types: no instance can pass two branches, so ``oneOf`` is ``anyOf``;
    and a branch's keywords say nothing about the other branches' types.
    ``None`` when a branch is not of that simple form (the union is kept as is).
    """
    parts = [_typed_parts(branch) for branch in branches]
    if not parts or any(part is None for part in parts):
        return None
    types: list[str] = []
    keywords: dict[str, Any] = {}
    seen: set[str] = set()
    for part in parts:
        assert part is not None
        families = {_FAMILY_OF_TYPE[t] for t in part[0]}
        if families & seen:
            return None
        seen |= families
        types += part[0]
        keywords.update(part[1])
    return {"type": types, **keywords}


def _node(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS:
            out[key] = {name: _node(item) for name, item in value.items()}
        elif key in _SCHEMA_LISTS:
            out["items" if key == "prefixItems" else key] = [_node(item) for item in value]
        elif key in _SUBSCHEMAS:
            out[key] = _node(value)
        else:
            out[key] = value
    unions = [key for key in ("anyOf", "oneOf") if key in out]
    if len(unions) == 1 and set(out) - _ANNOTATIONS == set(unions):
        merged = merged_union(out[unions[0]])
        if merged is not None:
            return {**{k: v for k, v in out.items() if k in _ANNOTATIONS}, **merged}
    return out


def draft7(schema: dict[str, Any]) -> dict[str, Any] | None:
    """``schema`` in draft-07 terms, or ``None`` if it uses a keyword with no exact translation.

    ``prefixItems`` changes name (2020-12's tuple form is draft-07's ``items``
    list), and unions of disjoint types are merged (``merged_union``).
    """
    if _untranslatable(schema):
        return None
    out: dict[str, Any] = _node(schema)
    out["$schema"] = DRAFT7
    return out


def compile_verdict(schema: dict[str, Any]) -> Verdict | None:
    """A compiled yes/no validator of ``schema``, or ``None`` when it cannot be compiled exactly."""
    translated = draft7(schema)
    if translated is None:
        return None
    check = fastjsonschema.compile(translated, use_default=False, use_formats=False)

    def verdict(instance: Any) -> bool:
        try:
            check(instance)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return verdict
