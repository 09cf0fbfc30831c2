"""The quick checks only ever vouch for what the complete checks accept.

``rasd.validation.quick`` says "valid" for plainly valid gold files and released
records without running the compiled schema; ``plainly_sound`` says "no problem"
for spans without running the twelve semantic checks.  Whenever one says yes,
the complete path must say so too: both JSON Schema validators accept (and, for
a gold file, nothing that the schema lets through is found), or every semantic
check finds nothing.  Held on every instance Rasd meets (the golden schema
cases, the gold files, the released records, the bad inputs), mutations of all
of them, and instances hypothesis makes; and each check says yes often enough
to matter.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from test_compiled_schema import ALL, _mutants, _shrunk

from rasd.core.labels import LABELS
from rasd.core.model import Span
from rasd.formats.gold import FILE_STATUSES, iter_structure_problems
from rasd.validation import quick
from rasd.validation.schema import SCHEMAS, annotation_schema, compile_verdict, document_schema
from rasd.validation.validate import SEMANTIC_CHECKS, plainly_sound, semantic_errors

ANNOTATION = "annotation.schema.json"
RECORD = "document.schema.json"
QUICK: dict[str, Callable[[Any], bool]] = {ANNOTATION: quick.plain_annotation, RECORD: quick.plain_record}


def _complete(name: str, instance: Any) -> bool:
    """The complete path's yes: both validators, and for a gold file the checks after the schema."""
    compiled = compile_verdict(SCHEMAS[name]())
    assert compiled is not None
    if not (compiled(instance) and Draft202012Validator(SCHEMAS[name]()).is_valid(instance)):
        return False
    if name == ANNOTATION:
        return not list(iter_structure_problems(instance, file="f", document="d"))
    return True


def _overreach(instances: list[tuple[str, Any]]) -> list[str]:
    """Where a quick check says yes and the complete path no."""
    return [
        f"{where} against {name}"
        for where, instance in instances
        for name, check in QUICK.items()
        if check(instance) and not _complete(name, instance)
    ]


def test_the_key_sets_are_the_schemas() -> None:
    gold, record = annotation_schema(), document_schema()
    span = gold["properties"]["spans"]["items"]
    record_span = record["properties"]["spans"]["items"]
    run = record["properties"]["offset_map"]["items"]
    assert set(gold["properties"]) == quick.ANNOTATION_KEYS
    assert set(gold["required"]) == quick.ANNOTATION_REQUIRED
    assert set(span["properties"]) == quick.GOLD_SPAN_KEYS
    assert set(span["required"]) == quick.GOLD_SPAN_REQUIRED
    assert quick.RECORD_KEYS == set(record["properties"]) == set(record["required"])
    assert quick.RECORD_SPAN_KEYS == set(record_span["properties"]) == set(record_span["required"])
    assert quick.RUN_KEYS == set(run["properties"]) == set(run["required"])
    assert set(FILE_STATUSES) == set(gold["properties"]["status"]["enum"])


def test_every_instance_rasd_meets() -> None:
    assert _overreach(ALL) == []
    said_yes = {name: sum(check(i) for _, i in ALL) for name, check in QUICK.items()}
    assert all(count >= 3 for count in said_yes.values()), said_yes  # not a check that never says yes


def test_mutations_of_them() -> None:
    mutants = [(f"{where} (mutant {n})", m) for where, i in ALL for n, m in enumerate(_mutants(_shrunk(i)))]
    assert len(mutants) > 1000
    assert _overreach(mutants) == []


_ODD = st.one_of(  # containers made afresh: the edits below change them in place
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from([0.0, 1.0, 2.5, -1.0, float("inf")]),
    st.sampled_from(["", "x", "s1", "s1\n", "a\x00b", "ORG", "0" * 64, "0" * 64 + "\n", "٣", "2019-02-20"]),
    st.builds(list),
    st.builds(dict),
    st.builds(lambda: [0, 1]),
    st.builds(lambda: [0, 1, 2]),
    st.builds(lambda: [0.0, 1]),
)


def _gold_span(n: int) -> dict[str, Any]:
    return {
        "id": f"s{n}",
        "start": n,
        "end": n + 1,
        "label": "ORG",
        "text": "x",
        "value": "v",
        "raw": [n, n + 1],
    }


def _record() -> dict[str, Any]:
    valid = next(i for where, i in ALL if where.startswith("records.json") and quick.plain_record(i))
    return copy.deepcopy(valid)  # edited in place below


@st.composite
def _edited(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid gold file or record with a few fields, at any depth, replaced by odd values or dropped."""
    if draw(st.booleans()):
        name = ANNOTATION
        instance: Any = {"document": "d", "text_sha256": "0" * 64, "spans": [_gold_span(n) for n in range(3)]}
        if draw(st.booleans()):
            instance["status"] = draw(st.sampled_from([*FILE_STATUSES, "done"]))
    else:
        name = RECORD
        instance = _record()
    for _ in range(draw(st.integers(1, 3))):
        target = instance
        for _ in range(draw(st.integers(0, 3))):
            children = list(target.items()) if isinstance(target, dict) else list(enumerate(target))
            inner = [(key, value) for key, value in children if isinstance(value, dict | list) and value]
            if not inner:
                break
            key, target = draw(st.sampled_from(inner))
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from([*target, "extra", "note", "status", "value"]))
        elif isinstance(target, list) and target:
            key = draw(st.integers(0, len(target) - 1))
        else:
            continue
        if isinstance(target, dict) and draw(st.integers(0, 4)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(_ODD)
    return name, instance


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_edited())
def test_made_up_instances(case: tuple[str, Any]) -> None:
    name, instance = case
    if QUICK[name](instance):
        assert _complete(name, instance)


# --- the semantic checks ------------------------------------------------------------------------

TEXT = "قال أحمد، في ٣ مايو 2019: الشركة\u200c تعمل. سَلام"


def _reference(text: str, spans: list[Span]) -> list[str]:
    return [str(e) for check in SEMANTIC_CHECKS for e in check("d", text, spans, "f")]


def _words(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(r"\w+", text)]


@st.composite
def _spans(draw: st.DrawFn) -> tuple[str, list[Span]]:
    """Mostly sound spans (whole words, runs of them), crossing and nesting; now and then a broken one."""
    text = draw(st.sampled_from([TEXT, TEXT[:12], "abc def", "a", "اَ بِ"]))
    words = _words(text)
    spans = []
    for n in range(draw(st.integers(0, 5))):
        if draw(st.integers(0, 4)):
            first = draw(st.integers(0, len(words) - 1))
            start, end = words[first][0], words[draw(st.integers(first, len(words) - 1))][1]
        else:
            start = draw(st.integers(-1, len(text)))
            end = draw(st.integers(start - 1, len(text) + 1))
        broken = draw(st.integers(0, 7))  # which one thing, if any, is wrong with this span
        label = "NOPE" if broken == 1 else draw(st.sampled_from(LABELS))
        surface = "x" if broken == 2 else text[max(start, 0) : max(end, 0)]
        value = (
            draw(st.sampled_from(["x", "3", "2019-05-03", "2019-13-45", "NaN", "1e3"]))
            if broken == 3
            else None
        )
        span_id = "s0" if broken == 4 else f"s{n}"
        spans.append(Span(start, end, label, span_id, surface, value))
    return text, spans


@settings(max_examples=1000, deadline=None)
@given(_spans())
def test_plainly_sound_spans_have_no_problem(case: tuple[str, list[Span]]) -> None:
    text, spans = case
    if plainly_sound(text, spans):
        assert _reference(text, spans) == []
    assert [str(e) for e in semantic_errors("d", text, spans, file="f")] == _reference(text, spans)


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("abc def ghi", [(0, 7), (4, 11)]),  # crossing
        ("abc def ghi", [(4, 11), (0, 7)]),  # crossing, written the other way round
        ("abc def ghi", [(0, 11), (0, 3), (4, 11), (8, 11), (2, 5)]),  # one crossing among nested ones
        ("اَ بِ", [(0, 1)]),  # a boundary before a mark
        ("اَ بِ", [(0, 3)]),  # ends on a space
    ],
)
def test_each_kind_of_problem_is_not_vouched_for(text: str, pieces: list[tuple[int, int]]) -> None:
    spans = [Span(start, end, "ORG", f"s{n}", text[start:end]) for n, (start, end) in enumerate(pieces)]
    assert _reference(text, spans) != []
    assert not plainly_sound(text, spans)


def _sound(text: str, *pieces: tuple[str, str, str | None]) -> list[Span]:
    found, at = [], 0
    for n, (surface, label, value) in enumerate(pieces):
        at = text.index(surface, at)
        found.append(Span(at, at + len(surface), label, f"s{n}", surface, value))
    return found


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        (TEXT, [("أحمد", "PERSON", None), ("٣", "QUANTITY", "3"), ("مايو 2019", "DATE", "2019-05")]),
        (TEXT, [("الشركة", "ORG", "x"), ("سَلام", "PERSON", None)]),
        ("abc def", [("abc def", "ORG", None), ("abc", "ORG", None), ("def", "LOC", None)]),
    ],
)
def test_sound_spans_are_vouched_for(text: str, pieces: list[tuple[str, str, str | None]]) -> None:
    """The quick check says yes to plainly sound spans, nested ones too (else it would never help)."""
    spans = _sound(text, *pieces)
    assert _reference(text, spans) == []
    assert plainly_sound(text, spans)
