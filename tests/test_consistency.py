"""Consistency checks and the entity registry: each check catches its planted errors.

The cases live in ``tests/cases/consistency/<check>.json`` in the shape of the
JSON-Schema-Test-Suite: per check a list of ``tests`` with ``description``,
``data`` (small documents whose spans are given by surface string and
occurrence, so a reader can check them by eye) and ``valid``; an invalid case
names a ``message`` the warning must contain.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rasd.cli import main
from rasd.core.errors import EntityRegistryError, StorageError
from rasd.core.model import Document, Source, Span
from rasd.core.offsets import OffsetMap
from rasd.core.paths import Repo
from rasd.core.spans import new_span_id
from rasd.formats.registry import (
    Entity,
    Registry,
    load_registry,
    parse_registry,
    registry_path,
    write_registry,
)
from rasd.gold.annotations import annotation_path, read_annotations, write_annotations
from rasd.gold.consistency import CHECKS, check_corpus, check_repo
from rasd.gold.corpus import Corpus
from rasd.intake.ingest import iter_documents

CASES = Path(__file__).parent / "cases" / "consistency"


def load_cases(check: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    groups = json.loads((CASES / f"{check}.json").read_text(encoding="utf-8"))
    return [(group, test) for group in groups for test in group["tests"]]


def case_params(check: str) -> list[Any]:
    return [pytest.param(group, test, id=test["description"]) for group, test in load_cases(check)]


def nth_occurrence(text: str, surface: str, nth: int) -> int:
    start = -1
    for _ in range(nth + 1):
        start = text.find(surface, start + 1)
        assert start != -1, f"case error: {surface!r} does not occur {nth + 1} times in {text!r}"
    return start


def case_document(record: dict[str, Any]) -> Document:
    text = record["text"]
    spans = []
    for s in record["spans"]:
        start = nth_occurrence(text, s["text"], s.get("nth", 0))
        end = start + len(s["text"])
        spans.append(
            Span(
                start,
                end,
                s["label"],
                id=new_span_id(record["id"], start, end, s["label"]),
                text=s["text"],
                value=s["value"],
                note=s.get("note"),
            )
        )
    doc = Document(record["id"], text, None, Source(f"{record['id']}.txt"), OffsetMap.identity(len(text)))
    return doc.with_spans(spans)


def case_corpus(group: dict[str, Any], test: dict[str, Any]) -> Corpus:
    registry = parse_registry({"entities": group.get("registry", [])}, "registry.json")
    documents = tuple(case_document(d) for d in test["data"]["documents"])
    return Corpus(documents, registry, {})


def test_every_check_has_cases() -> None:
    assert sorted(p.stem for p in CASES.glob("*.json")) == sorted([*CHECKS, "registry"])


@pytest.mark.parametrize(
    ("group", "test"),
    [p for check in CHECKS for p in case_params(check)],
)
def test_check_cases(group: dict[str, Any], test: dict[str, Any]) -> None:
    findings = check_corpus(case_corpus(group, test), (group["check"],))
    open_ = [str(f.warning) for f in findings if not f.noted]
    if test["valid"]:
        assert open_ == []
    else:
        assert open_, "the planted error was not caught"
        assert any(test["message"] in message for message in open_), open_


@pytest.mark.parametrize(("group", "test"), case_params("registry"))
def test_registry_cases(group: dict[str, Any], test: dict[str, Any]) -> None:
    if test["valid"]:
        registry = parse_registry(test["data"], "annotation/entities.json")
        assert len(registry) == len(test["data"]["entities"])
    else:
        with pytest.raises(EntityRegistryError) as caught:
            parse_registry(test["data"], "annotation/entities.json")
        assert test["message"] in str(caught.value)
        assert "annotation/entities.json" in str(caught.value)


def test_noted_findings_keep_their_reason() -> None:
    group, test = next((g, t) for g, t in load_cases("label-conflict") if "note" in t["description"])
    findings = check_corpus(case_corpus(group, test), ("label-conflict",))
    assert [(f.noted, f.note) for f in findings] == [(True, "the capital city")]


def test_registry_lookups() -> None:
    registry = parse_registry(
        {
            "entities": [
                {
                    "id": "telegram",
                    "label": "PLATFORM",
                    "name": "Telegram",
                    "wikidata": None,
                    "aliases": ["تلغرام"],
                },
                {"id": "kuwait", "label": "LOC", "name": "Kuwait", "wikidata": None, "aliases": ["الكويت"]},
                {
                    "id": "kuwait-gov",
                    "label": "ORG",
                    "name": "Kuwait gov",
                    "wikidata": None,
                    "aliases": ["الكويت"],
                },
                {
                    "id": "rita-katz",
                    "label": "PERSON",
                    "name": "Rita Katz",
                    "wikidata": None,
                    "aliases": ["كارتز"],
                },
            ]
        },
        "entities.json",
    )
    assert [e.id for e in registry.by_alias("الكويت")] == ["kuwait", "kuwait-gov"]
    assert registry.by_alias("تيليغرام") == []
    assert registry.get("telegram") is not None
    assert registry.get("nope") is None
    assert registry.by_value("PERSON", "Rita Katz") == registry.get("rita-katz")
    assert registry.by_value("PERSON", "rita-katz") is None


def test_missing_registry_is_empty(repo: Repo) -> None:
    registry_path(repo).unlink()
    assert load_registry(repo) == Registry((), "annotation/entities.json")


def test_broken_registry_names_file_and_line(repo: Repo) -> None:
    registry_path(repo).write_text('{"entities": [\n  {"id": "x",}\n]}\n', encoding="utf-8")
    with pytest.raises(StorageError, match=r"annotation/entities.json: invalid JSON at line 2") as caught:
        load_registry(repo)
    assert caught.value.code == "RASD-E912"


def drop_one(repo: Repo, doc_id: str, surface: str) -> Span:
    """Remove the first gold span with ``surface`` from a document (a planted miss)."""
    document = next(d for d in iter_documents(repo) if d.id == doc_id)
    spans = list(read_annotations(repo, document))
    victim = next(s for s in spans if s.text == surface)
    write_annotations(repo, document, [s for s in spans if s is not victim])
    return victim


def test_check_command_strict_fails_on_a_planted_miss(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(repo.root), "check", "--strict"]) == 0
    victim = drop_one(repo, "003_6ec577d5e0655de2", "تيك توك")
    assert main(["--root", str(repo.root), "check"]) == 0
    assert main(["--root", str(repo.root), "check", "--strict"]) == 1
    err = capsys.readouterr().err
    shown = annotation_path(repo, "003_6ec577d5e0655de2").relative_to(repo.root)
    assert f"warning [missed-repeat]: {shown}: document 003_6ec577d5e0655de2" in err
    assert f"missed repeat: 'تيك توك' is unlabelled at {victim.start}" in err
    assert "error: --strict" in err


def test_check_command_only_selects_checks(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    drop_one(repo, "003_6ec577d5e0655de2", "تيك توك")
    assert main(["--root", str(repo.root), "check", "--strict", "--only", "canonical-id"]) == 0
    assert "0 warnings" in capsys.readouterr().out


def test_check_repo_reports_broken_gold_as_errors(repo: Repo) -> None:
    path = annotation_path(repo, "000_01a36b4f6357320d")
    path.write_text(path.read_text(encoding="utf-8").replace('"start": 65', '"start": 64'), encoding="utf-8")
    with pytest.raises(ValueError, match="000_01a36b4f6357320d"):
        check_repo(repo)


def test_registry_writer_round_trips_through_the_reader(repo: Repo) -> None:
    registry = load_registry(repo)
    before = registry_path(repo).read_bytes()
    registry_path(repo).unlink()
    assert write_registry(repo, registry) is True
    assert load_registry(repo) == registry
    assert json.loads(registry_path(repo).read_bytes()) == json.loads(before)


def test_registry_writer_refuses_a_broken_registry(repo: Repo) -> None:
    before = registry_path(repo).read_bytes()
    entity = Entity("telegram", "PLATFORM", "Telegram", None, ("تلغرام", "تلغرام"))
    with pytest.raises(EntityRegistryError, match="alias 'تلغرام' is listed twice"):
        write_registry(repo, Registry((entity,)))
    assert registry_path(repo).read_bytes() == before
