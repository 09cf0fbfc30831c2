"""The task list ``rasd ls export-tasks`` writes: one compact task a line, the same bytes however written."""

from __future__ import annotations

import json
from pathlib import Path

from rasd.formats.labelstudio import TaskJSON, read_export, render_tasks, stream_tasks

TASKS: list[TaskJSON] = [
    {"data": {"id": "a", "text": 'سطر أول\nسطر\u2028ثان\t"x" \\ 😀', "title": "", "origin": ""}},
    {
        "data": {"id": "b", "text": "نص", "title": "عنوان", "origin": "o · 2024"},
        "annotations": [{"result": [], "ground_truth": False}],
        "predictions": [{"model_version": "m", "result": [], "score": 0.25}],
    },
]


def test_each_task_is_one_line_of_the_list() -> None:
    lines = render_tasks(TASKS).split("\n")
    assert lines[0] == "["
    assert lines[-2:] == ["]", ""]
    body = lines[1:-2]
    assert len(body) == len(TASKS)
    assert [line.endswith(",") for line in body] == [True] * (len(TASKS) - 1) + [False]
    assert [json.loads(line.removesuffix(",")) for line in body] == TASKS


def test_a_task_line_is_compact_and_keeps_arabic_text_readable() -> None:
    line = render_tasks(TASKS[1:]).split("\n")[1]
    assert line.startswith('{"data":{"id":"b","text":"نص",')
    assert ", " not in line
    assert ": " not in line


def test_no_tasks_is_an_empty_list() -> None:
    assert render_tasks([]) == "[]\n"


def test_the_written_list_reads_back_as_an_export(tmp_path: Path) -> None:
    path = tmp_path / "tasks.json"
    assert stream_tasks(path, iter(TASKS)) == 2
    assert path.read_text(encoding="utf-8") == render_tasks(TASKS)
    parsed = read_export(path, file="tasks.json")
    assert not parsed.problems
    assert list(parsed.tasks) == TASKS
