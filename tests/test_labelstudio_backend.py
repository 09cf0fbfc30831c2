"""The ML backend without Label Studio: the protocol handler, the learning model and the learned file.

Payloads are built here by hand in the shapes Label Studio 1.23 sends
(``label_studio/ml/api_connector.py``, ``webhooks/models.py``); the sentences
and names were written for these tests.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.cli import main
from rasd.core.errors import RasdError
from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.formats.learned import LearnedName, learned_path, read_learned, render_learned, write_learned
from rasd.labelstudio.backend import Confirmed, Reply, handle, make_server
from rasd.labelstudio.config import label_config
from rasd.preannotate.candidates import MODEL_VERSION
from rasd.serve import LearningModel

SRC = Path(__file__).resolve().parents[1] / "src"
NAME = "كوارمين تيلاسي"
FIRST = f"وصل {NAME} إلى المدينة مساء أمس."
SECOND = f"شارك {NAME} في الاجتماع الذي عقد في القاعة."
EMOJI = f"😀😀 قال بيان إن {NAME} غادر."


def config_names() -> tuple[str, str]:
    """The Labels control's name and its target, read from the labeling config XML itself."""
    labels = ET.fromstring(label_config()).find(".//Labels")
    assert labels is not None
    return labels.attrib["name"], labels.attrib["toName"]


FROM_NAME, TO_NAME = config_names()


def region(text: str, surface: str, label: str = "PERSON", region_id: str = "r1") -> dict[str, Any]:
    start = text.index(surface)
    value = {"start": start, "end": start + len(surface), "text": surface, "labels": [label]}
    return {"id": region_id, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels", "value": value}


def annotation_payload(
    text: str,
    results: list[dict[str, Any]],
    *,
    action: str = "ANNOTATION_CREATED",
    task: int = 1,
    user: Any = 3,
) -> dict[str, Any]:
    return {
        "action": action,
        "annotation": {"id": 40 + task, "task": task, "completed_by": user, "result": results},
        "task": {"id": task, "data": {"text": text, "id": f"doc-{task}"}},
        "project": {"id": 1},
    }


class FakeModel:
    """Records what the handler asks; suggests one fixed span; raises when told to."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.learned: list[Confirmed] = []
        self.forgotten: list[int] = []

    def version(self) -> str:
        return "fake-1"

    def predict(self, document: str, text: str) -> Sequence[Span]:
        if self.fail:
            raise ZeroDivisionError("boom")
        start = text.index(NAME)
        return (Span(start, start + len(NAME), "PERSON", f"s-{document}", NAME, None, None, 0.5),)

    def learn(self, confirmed: Sequence[Confirmed]) -> int:
        self.learned += confirmed
        return sum(len(c.names) for c in confirmed)

    def forget(self, annotations: Sequence[int]) -> int:
        self.forgotten += annotations
        return len(annotations)


def post(model: Any, path: str, payload: Any) -> Reply:
    body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
    return handle(model, "POST", path, body)


BAD_REQUESTS: list[tuple[str, str, Any, int, str]] = [
    ("POST", "/predict", b"{nope", 400, "RASD-E681"),
    ("POST", "/predict", b"\xff\xfe", 400, "RASD-E681"),
    ("POST", "/predict", b'{"tasks": [], "tasks": []}', 400, "RASD-E681"),
    ("POST", "/predict", b"[1, 2]", 400, "RASD-E681"),
    ("POST", "/predict", b"", 400, "RASD-E681"),
    ("POST", "/predict", {"tasks": {"id": 1}}, 400, "RASD-E682"),
    ("POST", "/predict", {"tasks": ["x"]}, 400, "RASD-E682"),
    ("POST", "/predict", {"tasks": [{"id": 1}]}, 400, "RASD-E682"),
    ("POST", "/predict", {"tasks": [{"id": True, "data": {"text": "x"}}]}, 400, "RASD-E682"),
    ("POST", "/predict", {"tasks": [{"id": 1, "data": {"text": ""}}]}, 400, "RASD-E683"),
    ("POST", "/predict", {"tasks": [{"id": 1, "data": {"text": 5}}]}, 400, "RASD-E683"),
    ("POST", "/webhook", {"annotation": {}}, 400, "RASD-E682"),
    ("POST", "/webhook", {"action": 7}, 400, "RASD-E682"),
    ("POST", "/webhook", {"action": "ANNOTATION_CREATED", "annotation": "x", "task": {}}, 400, "RASD-E682"),
    ("POST", "/webhook", {"action": "ANNOTATION_CREATED", "annotation": {"result": []}}, 400, "RASD-E682"),
    (
        "POST",
        "/webhook",
        {**annotation_payload(FIRST, []), "annotation": {"result": [], "id": 1}},
        400,
        "RASD-E682",
    ),
    (
        "POST",
        "/webhook",
        {**annotation_payload(FIRST, []), "annotation": {"completed_by": 1}},
        400,
        "RASD-E682",
    ),
    ("POST", "/webhook", annotation_payload(FIRST, ["not a result"]), 400, "RASD-E682"),  # type: ignore[list-item]
    ("POST", "/webhook", {"action": "ANNOTATIONS_DELETED", "annotations": [{"id": "7"}]}, 400, "RASD-E682"),
    (
        "POST",
        "/webhook",
        {**annotation_payload(FIRST, []), "annotation": [{"task": 99, "result": [], "completed_by": 1}]},
        400,
        "RASD-E682",
    ),
    (
        "POST",
        "/webhook",
        {"action": "ANNOTATIONS_CREATED", "annotation": [{"task": [1]}], "task": [{"id": [1]}]},
        400,
        "RASD-E682",
    ),
    ("POST", "/train", {"annotations": [{"id": 1}]}, 400, "RASD-E682"),
    ("POST", "/nothing", {}, 404, "RASD-E684"),
    ("GET", "/predict", None, 404, "RASD-E684"),
    ("PUT", "/setup", {}, 404, "RASD-E684"),
]


@pytest.mark.parametrize(("method", "path", "payload", "status", "code"), BAD_REQUESTS)
def test_a_bad_request_is_a_named_error_as_json(
    method: str, path: str, payload: Any, status: int, code: str
) -> None:
    model = FakeModel()
    body = b"" if payload is None else payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    reply = handle(model, method, path, body)
    assert (reply.status, [e["code"] for e in reply.body["errors"]]) == (status, [code])
    assert code in reply.body["error"]
    assert "Traceback" not in reply.body["error"]
    assert model.learned == []
    assert model.forgotten == []


PROTOCOL_KEYS = ("id", "data", "text", "result", "completed_by", "task", "value", "start", "end", "labels")
PROTOCOL_KEYS += ("from_name", "to_name", "type", "was_cancelled")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 40) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(PROTOCOL_KEYS) | st.text(max_size=4), inner, max_size=5)
    ),
    max_leaves=16,
)
objects = st.dictionaries(st.sampled_from(PROTOCOL_KEYS), json_values, max_size=6)
shaped = st.fixed_dictionaries(
    {},
    optional={
        "action": st.sampled_from(["ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATIONS_DELETED"])
        | json_values,
        "annotation": objects | st.lists(objects, min_size=1, max_size=3),
        "annotations": st.lists(objects, max_size=3),
        "task": objects | st.lists(objects, min_size=1, max_size=3),
        "tasks": st.lists(objects, max_size=3),
    },
)


@settings(max_examples=400)
@given(path=st.sampled_from(["/predict", "/webhook", "/train", "/setup"]), payload=json_values | shaped)
def test_no_payload_makes_the_handler_fail(path: str, payload: Any) -> None:
    """Whatever JSON arrives, the answer is a reply with a 2xx or a named 4xx, never an exception or a 500."""
    reply = post(FakeModel(), path, payload)
    assert reply.status in (200, 400, 422), reply.body
    if reply.status != 200:
        assert all(e["code"].startswith("RASD-E6") for e in reply.body["errors"])


@pytest.mark.parametrize(
    ("shown", "start", "end"),
    [("كوارمين تيليسي", None, None), (NAME, 900, 914), (NAME, 5, 2)],
)
def test_a_region_that_does_not_match_the_task_text_is_refused_and_nothing_is_learned(
    shown: str, start: int | None, end: int | None
) -> None:
    bad = region(FIRST, NAME)
    bad["value"]["text"] = shown
    if start is not None:
        bad["value"].update(start=start, end=end)
    model = FakeModel()
    reply = post(model, "/webhook", annotation_payload(FIRST, [region(FIRST, "المدينة", "LOC", "r0"), bad]))
    assert reply.status == 422
    assert [e["code"][:6] for e in reply.body["errors"]] == ["RASD-E"]
    assert "span r1" in reply.body["error"]
    assert model.learned == []


def test_an_unexpected_failure_is_a_500_with_a_named_error() -> None:
    reply = post(FakeModel(fail=True), "/predict", {"tasks": [{"id": 1, "data": {"text": FIRST}}]})
    assert reply.status == 500
    assert reply.body["errors"][0]["code"] == "RASD-E686"
    assert "ZeroDivisionError: boom" in reply.body["error"]


@pytest.mark.parametrize("text", [FIRST, SECOND, EMOJI])
def test_predict_answers_one_prediction_per_task_in_the_labeling_config(text: str) -> None:
    tasks = [{"id": 7, "data": {"text": text, "id": "doc-a"}}, {"id": 8, "data": {"text": text}}]
    reply = post(FakeModel(), "/predict/", {"tasks": tasks, "project": "1.1", "label_config": "<View/>"})
    assert reply.status == 200
    assert reply.body["model_version"] == "fake-1"
    assert len(reply.body["results"]) == 2
    for prediction in reply.body["results"]:
        assert prediction["model_version"] == "fake-1"
        assert prediction["score"] == 0.5
        (item,) = prediction["result"]
        assert (item["from_name"], item["to_name"], item["type"]) == (FROM_NAME, TO_NAME, "labels")
        value = item["value"]
        # offsets in code points, as `rasd ls push` sends them and Label Studio 1.23's editor reads them
        assert text[value["start"] : value["end"]] == value["text"] == NAME
        assert value["labels"] == ["PERSON"]


@pytest.mark.parametrize("path", ["/health", "/", "/health?x=1"])
def test_health_setup_and_versions(path: str) -> None:
    model = FakeModel()
    assert handle(model, "GET", path, b"").body == {
        "status": "UP",
        "model_class": "RasdRules",
        "model_version": "fake-1",
    }
    setup = {"project": "1.2", "schema": label_config(), "hostname": "http://x", "access_token": "t"}
    assert post(model, "/setup", setup).body == {"model_version": "fake-1"}
    assert handle(model, "GET", "/versions", b"").body == {"versions": ["fake-1"]}


def test_webhook_actions_learn_forget_or_are_ignored() -> None:
    model = FakeModel()
    ignored = post(model, "/webhook", {"action": "PROJECT_UPDATED", "project": {"id": 1}})
    assert ignored.status == 200
    assert ignored.body["status"] == "ignored"
    user = {"id": 3, "email": "ana@example.com"}
    payload = annotation_payload(FIRST, [region(FIRST, NAME), region(FIRST, "أمس", "DATE", "r2")], user=user)
    assert post(model, "/webhook", payload).body["learned"] == 2
    assert model.learned == [Confirmed("1", "3", 41, ((NAME, Label.PERSON), ("أمس", Label.DATE)))]
    cancelled = annotation_payload(FIRST, [region(FIRST, NAME)], action="ANNOTATION_UPDATED")
    cancelled["annotation"]["was_cancelled"] = True
    post(model, "/webhook", cancelled)
    assert model.learned[-1] == Confirmed("1", "3", 41, ())
    many = {
        "action": "ANNOTATIONS_CREATED",
        "annotation": [{"id": 9, "task": 2, "completed_by": 4, "result": [region(SECOND, NAME)]}],
        "task": [{"id": 2, "data": {"text": SECOND}}],
    }
    assert post(model, "/webhook", many).status == 200
    assert model.learned[-1] == Confirmed("2", "4", 9, ((NAME, Label.PERSON),))
    assert (
        post(model, "/webhook", {"action": "ANNOTATIONS_DELETED", "annotations": [{"id": 9}]}).status == 200
    )
    assert model.forgotten == [9]
    train = {"annotations": [{"id": 5, "data": {"text": SECOND}, "annotations": [many["annotation"][0]]}]}
    assert post(model, "/train", train).body["learned"] == 1


# --- the learning model on a repository ------------------------------------------------------------


@pytest.fixture
def model(repo: Repo) -> LearningModel:
    ticks = iter(f"2026-01-01T00:00:{n:02d}Z" for n in range(60))
    return LearningModel(repo, clock=lambda: next(ticks))


def suggested(model: LearningModel, text: str) -> list[tuple[str, str]]:
    return [(s.text, str(s.label)) for s in model.predict("doc-x", text)]


def test_a_confirmed_name_is_suggested_elsewhere_and_only_names_are_learned(
    model: LearningModel, repo: Repo
) -> None:
    assert (NAME, "PERSON") not in suggested(model, SECOND)
    before = model.version()
    learned = model.learn([Confirmed("1", "3", 41, ((NAME, Label.PERSON), ("أمس", Label.DATE)))])
    assert learned == 1  # the date is read by rules, not remembered
    assert (NAME, "PERSON") in suggested(model, SECOND)
    assert (NAME, "PERSON") in suggested(model, f"قال بيان إن و{NAME} غادر.")  # a proclitic stays outside
    assert model.version() != before
    lines = read_learned(learned_path(repo), file="learned.jsonl")
    assert lines == (LearnedName(NAME, Label.PERSON, "3", "1", "2026-01-01T00:00:00Z", 41),)


def test_an_update_replaces_its_names_and_a_deletion_forgets_them(model: LearningModel) -> None:
    model.learn([Confirmed("1", "3", 41, ((NAME, Label.PERSON),))])
    model.learn([Confirmed("1", "3", 41, ((NAME, Label.PERSON), ("القاعة", Label.LOC)))])
    assert [(n.text, n.time) for n in model.names] == [
        (NAME, "2026-01-01T00:00:00Z"),
        ("القاعة", "2026-01-01T00:00:01Z"),
    ]
    model.learn([Confirmed("2", "4", 50, ((NAME, Label.ORG),))])
    model.learn([Confirmed("1", "3", 41, ())])  # the annotator removed both regions
    assert [(n.text, n.label, n.task) for n in model.names] == [(NAME, Label.ORG, "2")]
    assert model.forget([50, 77]) == 1
    assert model.names == ()
    assert model.version() == MODEL_VERSION  # no learned name left: the rules alone


def test_a_reviewer_deleting_a_line_is_heard_while_the_server_runs(model: LearningModel, repo: Repo) -> None:
    model.learn([Confirmed("1", "3", 41, ((NAME, Label.PERSON),))])
    assert (NAME, "PERSON") in suggested(model, SECOND)
    time.sleep(0.01)  # a distinct modification time
    learned_path(repo).write_text("", encoding="utf-8")
    assert (NAME, "PERSON") not in suggested(model, SECOND)


def test_the_learned_file_is_not_gold(model: LearningModel, repo: Repo) -> None:
    path = learned_path(repo)
    model.learn([Confirmed("1", "3", 41, ((NAME, Label.PERSON),))])
    assert path.parent == repo.annotation_dir
    assert not path.is_relative_to(repo.dataset_dir)


# --- the learned file ------------------------------------------------------------------------------

names_strategy = st.lists(
    st.builds(
        LearnedName,
        text=st.text(min_size=1, max_size=12),
        label=st.sampled_from(list(Label)),
        annotator=st.text(min_size=1, max_size=5),
        task=st.integers(0, 10**6).map(str),
        time=st.just("2026-01-01T00:00:00Z"),
        annotation=st.none() | st.integers(0, 10**9),
    ),
    max_size=8,
)


@given(names_strategy)
def test_the_learned_file_round_trips(names: list[LearnedName]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "learned.jsonl"
        write_learned(path, names, file="learned.jsonl")
        assert list(read_learned(path, file="learned.jsonl")) == names


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("[1]", "not a JSON object"),
        ('{"text": "", "label": "PERSON", "annotator": "1", "task": "1", "time": "t"}', "text"),
        ('{"text": "x", "label": "NAME", "annotator": "1", "task": "1", "time": "t"}', "not a label"),
        ('{"text": "x", "label": "ORG", "annotator": 1, "task": "1", "time": "t"}', "annotator"),
        (
            '{"text": "x", "label": "ORG", "annotator": "1", "task": "1", "time": "t", "annotation": true}',
            "annotation",
        ),
        (
            '{"text": "x", "label": "ORG", "annotator": "1", "task": "1", "time": "t", "gold": true}',
            "unknown",
        ),
    ],
)
def test_a_malformed_learned_line_is_named_with_its_line(tmp_path: Path, line: str, fragment: str) -> None:
    good = render_learned([LearnedName("x", Label.ORG, "1", "1", "t")])
    path = tmp_path / "learned.jsonl"
    path.write_text(good + line + "\n", encoding="utf-8")
    with pytest.raises(RasdError) as caught:
        read_learned(path, file="annotation/learned.jsonl")
    assert caught.value.code == "RASD-E791"
    assert "line 2" in str(caught.value)
    assert fragment in str(caught.value)


WRITER = """
import sys
from pathlib import Path
from rasd.core.labels import Label
from rasd.formats.learned import LearnedName, write_learned
path = Path(sys.argv[1])
print("ready", flush=True)
n = 0
while True:
    n += 1
    names = [LearnedName("اسم" * 200 + str(k), Label.PERSON, "1", str(k), "t") for k in range(n % 5 * 1000)]
    write_learned(path, names, file="learned.jsonl")
"""


def test_a_writer_killed_mid_write_leaves_the_learned_file_readable(tmp_path: Path) -> None:
    path = tmp_path / "learned.jsonl"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55, 0.89):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], env=env, stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n"
        time.sleep(delay)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
        names = read_learned(path, file="learned.jsonl")  # raises on half a line
        assert len(names) % 1000 == 0, "the file holds part of a version"
        assert [n.task for n in names] == [str(k) for k in range(len(names))]


# --- over HTTP -------------------------------------------------------------------------------------


@pytest.fixture
def served() -> Iterator[tuple[str, FakeModel]]:
    model = FakeModel(fail=False)
    server = make_server(model, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", model
    finally:
        server.shutdown()
        server.server_close()


def call(url: str, data: bytes | None = None) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_server_keeps_serving_after_bad_input(served: tuple[str, FakeModel]) -> None:
    url, model = served
    assert call(f"{url}/predict", b"\x00garbage")[0] == 400
    model.fail = True
    assert (
        call(f"{url}/predict", json.dumps({"tasks": [{"id": 1, "data": {"text": FIRST}}]}).encode())[0] == 500
    )
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n")
        chunks = list(iter(lambda: raw.recv(4096), b""))  # the server closes the connection after it
        answer = b"".join(chunks).decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.0 413") or answer.startswith("HTTP/1.1 413")
    assert "RASD-E685" in answer
    model.fail = False
    status, body = call(
        f"{url}/predict", json.dumps({"tasks": [{"id": 1, "data": {"text": SECOND}}]}).encode()
    )
    assert status == 200
    assert body["results"][0]["result"][0]["value"]["text"] == NAME
    assert call(f"{url}/health") == (
        200,
        {"status": "UP", "model_class": "RasdRules", "model_version": "fake-1"},
    )


def test_rasd_ls_learned_lists_the_candidates(
    model: LearningModel, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    model.learn(
        [Confirmed("1", "3", 41, ((NAME, Label.PERSON),)), Confirmed("2", "4", 42, ((NAME, Label.PERSON),))]
    )
    assert main(["--root", str(repo.root), "ls", "learned"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split("\t")[:4] == ["PERSON", NAME, "2 task(s)", "annotator(s) 3, 4"]
    assert out[-1].startswith("2 learned line(s)")
    assert "never gold" in out[-1]


def test_a_port_in_use_is_a_named_error(
    served: tuple[str, FakeModel], repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    port = served[0].rsplit(":", 1)[1]
    assert main(["--root", str(repo.root), "ls", "serve", "--host", "127.0.0.1", "--port", port]) == 1
    err = capsys.readouterr().err
    assert f"error[RASD-E687]: cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err
