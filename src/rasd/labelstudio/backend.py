"""The Label Studio ML backend protocol: requests in, JSON replies out, whatever the request holds.

Label Studio 1.23 talks to a connected model over HTTP (``label_studio/ml/api_connector.py``):

| request | what Rasd answers |
|---|---|
| ``GET /health`` | ``{"status": "UP", "model_class", "model_version"}`` |
| ``POST /setup`` (project, config) | ``{"model_version"}``, which changes with every learned name |
| ``POST /predict`` ``{"tasks": [...]}`` | ``{"results": [one prediction per task], "model_version"}`` |
| ``POST /webhook`` ``{"action", "annotation", "task"}`` | learns the names of a created/updated annotation |
| ``POST /train`` ``{"annotations": [tasks]}`` | the older training call: learns every task's annotations |
| ``GET /versions`` | ``{"versions": [model_version]}`` |

Label Studio sends *every* webhook action to ``/webhook``; those that carry no
annotation are acknowledged and ignored.  What the model does is a ``Model``
passed in (``rasd.serve`` composes the pre-annotator and the learned names), so
this module knows the protocol only.  A malformed request is answered with a
named error as JSON (``{"error": ..., "errors": [{"code", "message"}]}``) and a
4xx status; an unexpected failure is a 500 with ``RASD-E686``; nothing escapes
``handle``, so the server never stops on bad input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from rasd.core.errors import LabelStudioError, RasdError, RasdErrors, unbundle
from rasd.core.io import loads_json
from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.core.problems.labelstudio import (
    BACKEND_BODY_TOO_LARGE,
    BACKEND_CANNOT_LISTEN,
    BACKEND_FAILED,
    BACKEND_FIELD_SHAPE,
    BACKEND_NO_ENDPOINT,
    BACKEND_NOT_JSON,
    BACKEND_TASK_WITHOUT_TEXT,
)
from rasd.formats.labelstudio import DATA_ID, DATA_TEXT, PredictionJSON
from rasd.labelstudio.regions import read_regions
from rasd.labelstudio.tasks import prediction_json

ANNOTATION_ACTIONS = frozenset({"ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_CREATED"})
DELETE_ACTION = "ANNOTATIONS_DELETED"
MODEL_CLASS = "RasdRules"


@dataclass(frozen=True)
class Confirmed:
    """The names of one submitted annotation: who, which task, and every (text, label) region."""

    task: str
    annotator: str
    annotation: int | None
    names: tuple[tuple[str, Label], ...]


class Model(Protocol):
    """What the backend serves: the current version, suggestions for a text, learning from annotations."""

    def version(self) -> str: ...
    def predict(self, document: str, text: str) -> Sequence[Span]: ...
    def learn(self, confirmed: Sequence[Confirmed]) -> int: ...
    def forget(self, annotations: Sequence[int]) -> int: ...


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]


def error_reply(status: int, error: RasdError) -> Reply:
    errors = unbundle(error)
    listed = [{"code": e.code, "message": str(e)} for e in errors]
    return Reply(status, {"error": "; ".join(f"{e.kind}[{e.code}]: {e}" for e in errors), "errors": listed})


# --- reading requests -------------------------------------------------------------------------------


def parse_body(body: bytes) -> dict[str, Any]:
    """The request's JSON object (strict: repeated keys and NaN refused)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BACKEND_NOT_JSON(reason=f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        value = loads_json(text, file="request")
    except RasdError as exc:
        raise BACKEND_NOT_JSON(reason=exc.problem) from None
    if not isinstance(value, dict):
        raise BACKEND_NOT_JSON(reason=f"a JSON {type(value).__name__}, not an object")
    return value


def field(record: Mapping[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = record.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        expected = {dict: "an object", list: "a list", str: "a string", int: "a whole number"}
        kinds = kind if isinstance(kind, tuple) else (kind,)
        raise BACKEND_FIELD_SHAPE(field=f"{where}{name}", expected=" or ".join(expected[k] for k in kinds))
    return value


def task_text(task: Any, where: str) -> tuple[str, str, str]:
    """A task's id (as text), its document id (``data.id`` when there is one) and its text."""
    if not isinstance(task, dict):
        raise BACKEND_FIELD_SHAPE(field=where.rstrip("."), expected="an object (a task)")
    task_id = str(field(task, "id", (int, str), where))
    data = field(task, "data", dict, where)
    text = data.get(DATA_TEXT)
    if not isinstance(text, str) or not text:
        raise BACKEND_TASK_WITHOUT_TEXT(task=task_id, field=DATA_TEXT)
    document = data.get(DATA_ID)
    return task_id, document if isinstance(document, str) and document else f"task-{task_id}", text


def annotator_of(annotation: Mapping[str, Any], where: str) -> str:
    """``completed_by``: a user id, or the user object Label Studio sometimes sends."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("id", who.get("email"))
    if isinstance(who, bool) or not isinstance(who, int | str) or who == "":
        raise BACKEND_FIELD_SHAPE(field=f"{where}completed_by", expected="a user id")
    return str(who)


def confirmed_names(annotation: Any, task: Any, where: str) -> Confirmed:
    """The (text, label) of every region of one annotation of ``task``; a bad region is an error."""
    if not isinstance(annotation, dict):
        raise BACKEND_FIELD_SHAPE(field=where.rstrip("."), expected="an object (an annotation)")
    task_id, document, text = task_text(task, "task.")
    results = field(annotation, "result", list, where)
    if not all(isinstance(r, dict) for r in results):
        raise BACKEND_FIELD_SHAPE(field=f"{where}result", expected="a list of objects (result items)")
    annotator = annotator_of(annotation, where)
    annotation_id = annotation.get("id")
    number = annotation_id if isinstance(annotation_id, int) and not isinstance(annotation_id, bool) else None
    if annotation.get("was_cancelled") is True:
        return Confirmed(task_id, annotator, number, ())  # a skipped task confirms nothing
    regions, problems = read_regions(results, text, where=f"task {task_id}", document=document)
    if problems:
        raise problems[0] if len(problems) == 1 else RasdErrors(problems, summary="unreadable regions")
    names = tuple((text[r.start : r.end], r.label) for r in regions)
    return Confirmed(task_id, annotator, number, names)


def is_id(value: object) -> bool:
    """A task or annotation id as Label Studio sends it: a whole number (or its text)."""
    return isinstance(value, int | str) and not isinstance(value, bool)


def annotations_of(payload: Mapping[str, Any]) -> Iterator[Confirmed]:
    """The annotations a webhook carries: one (``ANNOTATION_*``) or a list (``ANNOTATIONS_CREATED``)."""
    annotation, task = payload.get("annotation"), payload.get("task")
    if not isinstance(annotation, list):
        if not isinstance(task, dict):
            raise BACKEND_FIELD_SHAPE(field="task", expected="an object (the annotated task)")
        yield confirmed_names(annotation, task, "annotation.")
        return
    tasks = task if isinstance(task, list) else []
    by_id = {t["id"]: t for t in tasks if isinstance(t, dict) and is_id(t.get("id"))}
    for n, item in enumerate(annotation):
        owner = item.get("task") if isinstance(item, dict) else None
        owner = owner.get("id") if isinstance(owner, dict) else owner
        if not is_id(owner) or owner not in by_id:
            raise BACKEND_FIELD_SHAPE(field=f"annotation[{n}].task", expected="the id of a task in `task`")
        yield confirmed_names(item, by_id[owner], f"annotation[{n}].")


def deleted_ids(payload: Mapping[str, Any]) -> list[int]:
    items = field(payload, "annotations", list, "")
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise BACKEND_FIELD_SHAPE(field="annotations[].id", expected="a whole number (an annotation id)")
    return [i for i in ids if isinstance(i, int)]


def training_annotations(payload: Mapping[str, Any]) -> Iterator[Confirmed]:
    """``/train``: every annotation of every task sent (Label Studio's export format)."""
    for n, task in enumerate(field(payload, "annotations", list, "")):
        where = f"annotations[{n}]."
        annotations = field(task, "annotations", list, where) if isinstance(task, dict) else None
        if annotations is None:
            raise BACKEND_FIELD_SHAPE(field=where.rstrip("."), expected="an object (a task)")
        for k, annotation in enumerate(annotations):
            yield confirmed_names(annotation, task, f"{where}annotations[{k}].")


# --- answering -------------------------------------------------------------------------------------


def predictions(model: Model, payload: Mapping[str, Any]) -> Reply:
    tasks = field(payload, "tasks", list, "")
    version = model.version()
    read = [task_text(task, f"tasks[{n}].") for n, task in enumerate(tasks)]
    results: list[PredictionJSON] = [
        prediction_json(model.predict(doc, text), version) for _, doc, text in read
    ]
    return Reply(200, {"results": results, "model_version": version})


def webhook(model: Model, payload: Mapping[str, Any]) -> Reply:
    action = field(payload, "action", str, "")
    if action == DELETE_ACTION:
        forgotten = model.forget(deleted_ids(payload))
        return Reply(200, {"status": "ok", "action": action, "forgotten": forgotten})
    if action not in ANNOTATION_ACTIONS:
        return Reply(200, {"status": "ignored", "action": action})
    learned = model.learn(list(annotations_of(payload)))
    return Reply(
        200, {"status": "ok", "action": action, "learned": learned, "model_version": model.version()}
    )


def train(model: Model, payload: Mapping[str, Any]) -> Reply:
    learned = model.learn(list(training_annotations(payload)))
    return Reply(200, {"status": "ok", "learned": learned, "model_version": model.version()})


def health(model: Model) -> Reply:
    return Reply(200, {"status": "UP", "model_class": MODEL_CLASS, "model_version": model.version()})


Route = Callable[[Model, Mapping[str, Any]], Reply]
POST_ROUTES: dict[str, Route] = {
    "/setup": lambda model, _payload: Reply(200, {"model_version": model.version()}),
    "/predict": predictions,
    "/webhook": webhook,
    "/train": train,
}
GET_ROUTES: dict[str, Callable[[Model], Reply]] = {
    "/": health,
    "/health": health,
    "/versions": lambda model: Reply(200, {"versions": [model.version()]}),
}


def status_of(error: RasdError) -> int:
    """400 for a malformed request, 422 for annotations whose regions cannot be read, else 500."""
    first = unbundle(error)[0]
    if first.code.startswith("RASD-E68"):
        return 400
    return 422 if isinstance(first, LabelStudioError) else 500


def route(path: str) -> str:
    """The path without query string and trailing slash (``/predict/`` is ``/predict``)."""
    bare = path.split("?", 1)[0].split("#", 1)[0]
    return bare.rstrip("/") or "/"


def handle(model: Model, method: str, path: str, body: bytes) -> Reply:
    """The reply to one request; never raises."""
    where = route(path)
    try:
        if method == "GET" and where in GET_ROUTES:
            return GET_ROUTES[where](model)
        if method == "POST" and where in POST_ROUTES:
            return POST_ROUTES[where](model, parse_body(body))
        return error_reply(404, BACKEND_NO_ENDPOINT(method=method, path=where))
    except RasdError as error:
        return error_reply(status_of(error), error)
    except Exception as exc:  # one bad request must not stop the server
        return error_reply(500, BACKEND_FAILED(path=where, reason=f"{type(exc).__name__}: {exc}"))


# --- the HTTP server -------------------------------------------------------------------------------

MAX_BODY = 64 * 1024 * 1024  # bytes; Label Studio sends tasks in batches, each an article


def reply_bytes(reply: Reply) -> bytes:
    return json.dumps(reply.body, ensure_ascii=False).encode("utf-8")


def request_handler(
    model: Model, *, log: Callable[[str], None] | None = None
) -> type[BaseHTTPRequestHandler]:
    """A request handler class answering with ``handle``; ``log`` receives one line per request."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "rasd-ml-backend"
        protocol_version = "HTTP/1.1"

        def _answer(self, method: str) -> None:
            size = self.headers.get("Content-Length", "0")
            length = int(size) if size.isdigit() else 0
            if length > MAX_BODY:
                reply = error_reply(413, BACKEND_BODY_TOO_LARGE(size=length, limit=MAX_BODY))
                self.close_connection = True
            else:
                reply = handle(model, method, self.path, self.rfile.read(length) if length else b"")
            data = reply_bytes(reply)
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            if log is not None:
                log(f"{method} {route(self.path)} -> {reply.status}")

        def do_GET(self) -> None:  # the name http.server looks up
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def do_PUT(self) -> None:
            self._answer("PUT")

        def do_DELETE(self) -> None:
            self._answer("DELETE")

        def log_message(self, format: str, *args: Any) -> None:  # http.server's signature
            return  # one line per request goes to ``log`` instead, without the client's address

    return Handler


def make_server(
    model: Model, host: str, port: int, *, log: Callable[[str], None] | None = None
) -> ThreadingHTTPServer:
    """A threading HTTP server for ``model`` bound to ``host:port`` (port 0: a free one), not yet serving."""
    try:
        server = ThreadingHTTPServer((host, port), request_handler(model, log=log))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BACKEND_CANNOT_LISTEN(host=host, port=port, reason=reason) from None
    server.daemon_threads = True
    return server
