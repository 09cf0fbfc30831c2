"""The Label Studio file layer: export shapes, strict parsing, task lists, pre-annotation lines, help."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from rasd.cli import parser
from rasd.core.errors import RasdError
from rasd.formats.labelstudio import (
    TaskJSON,
    iter_prediction_lines,
    loads_export,
    parse_tasks,
    read_export,
    stream_tasks,
    write_tasks,
)

CASES = json.loads(
    (Path(__file__).parent / "cases" / "labelstudio" / "exports.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["description"] for c in CASES["cases"]])
def test_export_shapes(case: dict[str, Any]) -> None:
    parsed = parse_tasks(case["data"], "export.json")
    assert [p.code for p in parsed.problems] == case["codes"], [str(p) for p in parsed.problems]
    assert (not parsed.problems) == case["valid"]
    assert len(parsed.tasks) == case["tasks"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'[{"data": {"id": "a", "text": "x"}, "data": {"id": "b", "text": "y"}}]', "RASD-E913"),
        (b'[{"data": {"id": "a", "text": "x"}, "score": NaN}]', "RASD-E914"),
        (b"[\xff]", "RASD-E911"),
        (b"[", "RASD-E912"),
    ],
)
def test_exports_are_parsed_strictly(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(content)
    for read in (
        lambda: read_export(path, file="export.json"),
        lambda: loads_export(content, origin="export.json"),
    ):
        with pytest.raises(RasdError) as raised:
            read()
        assert raised.value.code == code
        assert str(raised.value).startswith("export.json")


def test_a_task_list_is_written_once_and_reads_back(tmp_path: Path) -> None:
    tasks: list[TaskJSON] = [
        {"data": {"id": "a", "text": "نص 😀", "title": "", "origin": ""}, "annotations": [{"result": []}]}
    ]
    path = tmp_path / "tasks.json"
    assert write_tasks(path, tasks) is True
    assert write_tasks(path, tasks) is False  # unchanged content is not rewritten
    assert "😀" in path.read_text(encoding="utf-8")  # UTF-8, not \\u escapes
    parsed = read_export(path, file="tasks.json")
    assert (list(parsed.tasks), parsed.problems) == (tasks, ())


@pytest.mark.parametrize(
    ("span", "valid"),
    [
        ({"start": 0, "end": 4, "label": "ORG"}, True),
        ({"start": 0, "end": 4, "label": "ORG", "score": 1, "value": 3, "id": "s1"}, True),
        ({"start": 0.0, "end": 4, "label": "ORG"}, False),  # 0.0 is not an offset
        ({"start": False, "end": 4, "label": "ORG"}, False),  # nor is a bool
        ({"start": 0, "end": 4, "label": "ORG", "score": True}, False),  # nor a bool score
        ({"start": 0, "end": 4, "label": "ORG", "score": 1.5}, False),
        ({"start": 0, "end": 4}, False),
        ({"start": 0, "end": 4, "label": "ORG", "value": [1]}, False),
    ],
)
def test_pre_annotation_span_shapes(tmp_path: Path, span: dict[str, Any], valid: bool) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("\n" + json.dumps({"document": "d", "spans": [span]}) + "\n", encoding="utf-8")
    (line,) = iter_prediction_lines(path, file="p.jsonl")
    assert line.where == "p.jsonl line 2"
    assert (len(line.spans), [p.code for p in line.problems]) == ((1, []) if valid else (0, ["RASD-E642"]))


@pytest.mark.parametrize("record", [[], {"document": 1, "spans": []}, {"document": "d", "spans": {}}])
def test_a_pre_annotation_line_of_another_shape_is_named(tmp_path: Path, record: Any) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (line,) = iter_prediction_lines(path, file="p.jsonl")
    assert [p.code for p in line.problems] == ["RASD-E641"]


@pytest.mark.parametrize(
    ("command", "pieces"),
    [
        (
            "import-export",
            ['"annotations"', '"result"', '"from_name": "label"', '"type": "labels"', '"start"', '"labels"'],
        ),
        ("export-tasks", ["output: a JSON list of tasks", '"predictions"', '"model_version"', "JSON Lines"]),
    ],
)
def test_the_file_commands_show_their_formats(
    command: str, pieces: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["ls", command, "--help"])
    shown = capsys.readouterr().out
    for piece in pieces:
        assert piece in shown


# rasd.labelstudio may import dataset/ by the layering, but needs nothing of it: the rebuild is passed in.
LAYERS = ("core", "text", "validation", "formats", "intake", "gold", "labelstudio")


def _imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("rasd.")}


@pytest.mark.parametrize(
    ("folder", "allowed"),
    [("labelstudio", LAYERS), ("formats/labelstudio.py", ("core", "text", "validation", "formats"))],
)
def test_label_studio_code_imports_only_downward(folder: str, allowed: tuple[str, ...]) -> None:
    """Lazy imports included: the rebuild after a pull is passed in, never imported from above."""
    root = Path(__file__).parents[1] / "src" / "rasd"
    paths = [root / folder] if folder.endswith(".py") else sorted((root / folder).glob("*.py"))
    for path in paths:
        upward = {name for name in _imported(path) if name.split(".")[1] not in allowed}
        assert not upward, f"{path.name} imports {upward}"


@pytest.mark.parametrize(
    "tasks",
    [
        [],
        [{"data": {"id": "a", "text": "نص 😀\nسطر", "title": "", "origin": ""}}],
        [
            {
                "data": {"id": f"d{n}", "text": 'قال "x"\t\\ ' * n, "title": "t", "origin": "o · 2024"},
                "annotations": [{"result": [], "ground_truth": False}],
                "predictions": [{"model_version": "m", "result": [], "score": 0.5}],
            }
            for n in range(4)
        ],
    ],
    ids=["none", "one", "several"],
)
def test_a_streamed_task_list_has_the_bytes_of_the_whole_one(tmp_path: Path, tasks: list[TaskJSON]) -> None:
    whole, streamed = tmp_path / "whole.json", tmp_path / "streamed.json"
    write_tasks(whole, tasks)
    assert stream_tasks(streamed, iter(tasks)) == len(tasks)
    assert streamed.read_bytes() == whole.read_bytes()
    assert json.loads(streamed.read_text(encoding="utf-8")) == tasks
