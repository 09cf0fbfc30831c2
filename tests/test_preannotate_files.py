"""Suggestion files on disk: golden cases for the stored suggestions, the JSON Lines in and out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rasd.cli import main
from rasd.core.errors import PredictionFileError, RasdError, unbundle
from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.formats.predictions import (
    PredictionsFile,
    TextRecord,
    read_predictions,
    read_texts,
    render_predictions,
    span_record,
    write_predictions,
    write_suggestions,
)

CASES = Path(__file__).parent / "cases" / "predictions" / "files.json"


def _cases() -> list[Any]:
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    return [pytest.param(c["data"], c["valid"], c.get("code"), id=c["description"]) for c in cases]


@pytest.mark.parametrize(("data", "valid", "code"), _cases())
def test_golden_prediction_files(tmp_path: Path, data: Any, valid: bool, code: str | None) -> None:
    path = tmp_path / "doc_1.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if valid:
        read = read_predictions(path, file="p.json", document="doc_1")
        assert [(s.start, s.end, s.label, s.text) for s in read.spans] == [
            (s["start"], s["end"], s["label"], s["text"]) for s in data["spans"]
        ]
        return
    with pytest.raises(PredictionFileError) as caught:
        read_predictions(path, file="p.json", document="doc_1")
    assert {e.code for e in unbundle(caught.value)} == {code}
    assert str(caught.value).startswith("p.json: document doc_1: ")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"spans": [], "spans": []}', "cannot read predictions: the key 'spans' appears twice"),
        ('{"document": "d", "spans": [], "score": NaN}', "cannot read predictions: NaN is not a JSON number"),
        ("{", "cannot read predictions: invalid JSON at line 1, column 2"),
    ],
)
def test_prediction_files_are_parsed_strictly(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "doc_1.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PredictionFileError) as caught:
        read_predictions(path, file="p.json", document="doc_1")
    assert caught.value.code == "RASD-E701"
    assert str(caught.value).startswith(f"p.json: document doc_1: {message}")


def test_a_folder_in_place_of_a_file_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(RasdError) as caught:
        read_predictions(tmp_path, file="p", document="d")
    assert caught.value.code == "RASD-E901"


def test_every_malformed_span_is_reported(tmp_path: Path) -> None:
    spans = [{"id": "a", "start": 1.0, "end": 2, "label": "LOC", "text": "x"}, {"id": "b"}]
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"document": "d", "text_sha256": "0", "model_version": "m", "spans": spans}))
    with pytest.raises(RasdError) as caught:
        read_predictions(path, file="d.json", document="d")
    assert [str(e) for e in unbundle(caught.value)] == [
        "d.json: document d: span #0 is malformed (wrong type: 'start' is 1.0). Fix: run `rasd preannotate` again",
        "d.json: document d: span #1 is malformed (missing 'start', 'end', 'label', 'text'). "
        "Fix: run `rasd preannotate` again",
    ]


def test_stored_predictions_round_trip_byte_for_byte(tmp_path: Path) -> None:
    spans = (
        Span(0, 3, Label.LOC, "s1", "عمّان", "city:amman", score=0.85),
        Span(4, 9, Label.QUANTITY, "s2", "٢٦ ألف", "26000", score=0.8),
    )
    stored = PredictionsFile("doc", "f" * 64, "rasd-rules-1", spans)
    path = tmp_path / "doc.json"
    assert write_predictions(path, stored, file="doc.json")
    assert not write_predictions(path, stored, file="doc.json")  # unchanged: not rewritten
    assert read_predictions(path, file="doc.json", document="doc") == stored
    assert path.read_text(encoding="utf-8") == render_predictions(stored)
    assert '"text": "عمّان"' in path.read_text(encoding="utf-8")  # UTF-8, not \\u escapes


def test_each_stored_span_line_is_the_json_of_its_record() -> None:
    """The renderer's encoder, made once, writes each line as ``json.dumps(span_record(span))`` does."""
    spans = (
        Span(0, 3, Label.LOC, "s1", 'a "quoted" \\ back\u2028slash\x00', None, score=None),
        Span(4, 9, Label.QUANTITY, "s2", "٢٦ ألف", 'say "26000"', score=1.0),
        Span(5, 6, Label.LOC, "s3", "é", "x", score=0.125),
    )
    lines = render_predictions(PredictionsFile("doc", "f" * 64, "m", spans)).split("\n")
    body = [line.removeprefix("    ").removesuffix(",") for line in lines[5:-3]]
    assert body == [json.dumps(span_record(s), ensure_ascii=False) for s in spans]


def test_suggestion_lines_stream_in_and_out(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "نص", "published": "2019"}\n\n{"id": "b", "text": "x", "published": 3}\n'
    )
    texts = list(read_texts(source, file="in.jsonl"))
    assert texts == [TextRecord("a", "نص", "2019", 1), TextRecord("b", "x", None, 3)]
    span = Span(0, 2, Label.LOC, "s1", "نص", None, score=0.5)
    target = tmp_path / "out.jsonl"
    assert write_suggestions(target, [(texts[0], [span]), (texts[1], [])], file="out.jsonl") == 2
    assert [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()] == [
        {
            "id": "a",
            "text": "نص",
            "spans": [{"start": 0, "end": 2, "label": "LOC", "text": "نص", "value": None, "score": 0.5}],
        },
        {"id": "b", "text": "x", "spans": []},
    ]


def test_help_shows_the_input_and_output_formats(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["preannotate", "--help"])
    shown = capsys.readouterr().out
    assert '{"id": "a1", "text": "...", "published": "2019-02-21"}' in shown
    assert '"spans": [{"start": 4, "end": 11, "label": "PLATFORM",' in shown
    assert "ORG, PLATFORM, PERSON, QUANTITY, DATE, LOC" in shown
    assert "dataset/predictions/<id>.json" in shown


def test_a_missing_input_file_is_a_named_request_error(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["--root", str(repo.root), "preannotate", "--input", "nope.jsonl", "--output", "o.jsonl"]) == 1
    )
    assert "error[RASD-E716]: no such input file: nope.jsonl" in capsys.readouterr().err


def test_every_input_problem_is_reported_and_nothing_is_written(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        '{"id": "a", "text": "نص"}',
        '{"id": "b", "text": "  "}',
        '{"id": "a", "text": "نص آخر"}',
        '{"id": 7, "text": "نص"}',
        '{"id": "c", "text": ""}',
        "{broken",
        '{"id": "d", "text": "never read"}',
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RasdError) as caught:
        list(read_texts(source, file="in.jsonl"))
    assert [(e.code, e.values.get("line")) for e in unbundle(caught.value)] == [
        ("RASD-E714", 2),
        ("RASD-E713", 3),
        ("RASD-E712", 4),
        ("RASD-E714", 5),
        ("RASD-E711", 6),
    ]
    assert str(unbundle(caught.value)[1]) == (
        "in.jsonl: document a: line 3: the id 'a' is already used on line 1. Fix: give every text its own id"
    )
    target = tmp_path / "out.jsonl"
    args = ["--root", str(repo.root), "preannotate", "--input", str(source), "--output", str(target)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.count("error[RASD-E71") == 5
    assert err.endswith("5 errors\n")
    assert not target.exists()


def test_texts_stop_at_the_first_problem(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n{"id": "b", "text": "z"}\n')
    texts = read_texts(source, file="in.jsonl")
    assert next(texts).id == "a"
    with pytest.raises(PredictionFileError, match="line 2: the id 'a' is already used on line 1"):
        next(texts)  # no text after a problem: nothing more is annotated
