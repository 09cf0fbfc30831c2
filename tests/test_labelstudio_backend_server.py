"""``rasd ls serve`` connected to a real Label Studio: a name labelled once is suggested in the next task.

The backend runs as the command an annotator starts (a subprocess on a free
loopback port); Label Studio is the session's real 1.23 server.  Everything
goes through Label Studio: the model is connected with the SDK, predictions
are asked for with the Data Manager's *Retrieve predictions* action, the
annotation is submitted through the API, and Label Studio itself delivers it
to the backend's webhook.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasd.core.paths import Repo
from rasd.formats.learned import LEARNED_FILE, learned_path, read_learned
from rasd.labelstudio.config import label_config

pytest_plugins = ["ls_server"]

from ls_server import LabelStudioServer, tree_bytes  # noqa: E402

pytestmark = pytest.mark.labelstudio

SRC = Path(__file__).resolve().parents[1] / "src"
# A made-up name (no lexicon, list or rule knows it) in two sentences written for this test.
NAME = "كوارمين تيلاسي"
FIRST = f"وصل {NAME} إلى المدينة مساء أمس."
SECOND = f"شارك {NAME} في الاجتماع الذي عقد في القاعة."
MODEL_TITLE = "rasd"  # the model's name in the project; the labeling stream asks the model of this title


@pytest.fixture
def backend(repo: Repo) -> Iterator[str]:
    """``rasd ls serve --port 0`` on 127.0.0.1; its URL, read from the line it prints first."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-m", "rasd", "--root", str(repo.root), "ls", "serve"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:[0-9]+", first)
        if url is None:
            process.kill()
            pytest.fail(f"rasd ls serve did not start: {first!r} {process.communicate()[1][-2000:]}")
        yield url.group(0)
    finally:
        process.terminate()
        process.communicate(timeout=20)


def regions(prediction: Any) -> list[tuple[str, str]]:
    return [(r["value"]["text"], r["value"]["labels"][0]) for r in prediction.result if r["type"] == "labels"]


def retrieve(client: Any, project: int, task: int) -> Any:
    """Ask Label Studio for the task's predictions from the connected model; the newest one."""
    client.actions.create(
        id="retrieve_tasks_predictions", project=project, selected_items={"all": False, "included": [task]}
    )
    found = client.predictions.list(task=task)
    assert found, "Label Studio stored no prediction: it did not reach the backend"
    return max(found, key=lambda p: p.id)


def wait_for_learned(repo: Repo, timeout: float = 60.0) -> list[tuple[str, str]]:
    path = learned_path(repo)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = [(n.text, str(n.label)) for n in read_learned(path, file="learned.jsonl")]
        if names:
            return names
        time.sleep(0.5)
    return []


def connected_project(client: Any, title: str, backend: str) -> tuple[int, Any, Any]:
    """A project with the two tasks and ``rasd ls serve`` connected as its model; its id and the tasks."""
    project = client.projects.create(title=title, label_config=label_config())
    tasks = [
        {"data": {"id": f"doc-{n}", "text": text, "title": "", "origin": ""}}
        for n, text in enumerate((FIRST, SECOND))
    ]
    client.projects.import_tasks(id=project.id, request=tasks)
    by_text = {t.data["text"]: t for t in client.tasks.list(project=project.id, fields="all")}
    client.ml.create(
        project=project.id, url=backend, title=MODEL_TITLE, auto_update=True, is_interactive=False
    )
    return project.id, by_text[FIRST], by_text[SECOND]


def label_the_name(client: Any, task: Any) -> None:
    """Submit an annotation of the first task labelling the name PERSON, as an annotator's client does."""
    start = FIRST.index(NAME)
    labelled = {
        "id": "r-name",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": start + len(NAME), "text": NAME, "labels": ["PERSON"]},
    }
    client.annotations.create(id=task.id, result=[labelled])


def test_a_name_labelled_once_is_suggested_in_the_next_task(
    label_studio: LabelStudioServer, repo: Repo, backend: str, project_title: str
) -> None:
    client = label_studio.client()
    gold_before = tree_bytes(repo)
    project, first, second = connected_project(client, project_title, backend)

    before = retrieve(client, project, second.id)
    assert before.model_version.startswith("rasd-rules"), before.model_version
    assert NAME not in [text for text, _ in regions(before)], "the rules already knew the name"

    label_the_name(client, first)
    assert wait_for_learned(repo) == [(NAME, "PERSON")], "the webhook did not reach the backend"

    after = retrieve(client, project, second.id)
    assert after.model_version != before.model_version
    assert (NAME, "PERSON") in regions(after)
    (region,) = [r for r in after.result if r["type"] == "labels" and r["value"]["text"] == NAME]
    assert SECOND[region["value"]["start"] : region["value"]["end"]] == NAME
    gold_after = tree_bytes(repo)
    assert gold_after.pop(f"annotation/{LEARNED_FILE}")
    assert gold_after == gold_before, "learning wrote to the gold or the release"


def next_task(server: LabelStudioServer, project: int) -> dict[str, Any]:
    """What the labeling stream opens next for the user (``/api/projects/ID/next``)."""
    request = urllib.request.Request(
        f"{server.url}/api/projects/{project}/next", headers={"Authorization": f"Token {server.token}"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        task: dict[str, Any] = json.loads(response.read())
    return task


def test_the_labeling_stream_asks_the_backend_and_gets_the_learned_name(
    label_studio: LabelStudioServer, repo: Repo, backend: str, project_title: str
) -> None:
    """An annotator's flow: open the next task (pre-labelled by the model), submit, open the next one."""
    client = label_studio.client()
    project, first, second = connected_project(client, project_title, backend)
    client.projects.update(id=project, show_collab_predictions=True, model_version=MODEL_TITLE)

    opened = next_task(label_studio, project)
    assert opened["id"] == first.id
    assert opened["predictions"], "Label Studio did not ask the backend when the task was opened"
    label_the_name(client, first)
    assert wait_for_learned(repo) == [(NAME, "PERSON")]

    opened = next_task(label_studio, project)
    assert opened["id"] == second.id
    suggested = [
        (r["value"]["text"], r["value"]["labels"][0])
        for p in opened["predictions"]
        for r in p["result"]
        if r["type"] == "labels"
    ]
    assert (NAME, "PERSON") in suggested
