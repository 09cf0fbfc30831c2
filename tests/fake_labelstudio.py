"""A stand-in for the Label Studio SDK, in memory: enough of it for ``rasd ls push`` without a server.

It keeps one project's tasks as the server would (an id each, the data, the
predictions) and records every import request, so a test can see what a push
sent, in which batches, and what it had read of the corpus by then.  The real
server is exercised by the ``labelstudio`` tests; this one runs everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

from rasd.labelstudio.client import Client
from rasd.labelstudio.server import Server


class Interrupted(Exception):
    """The connection dropped in the middle of a push (raised by ``FakeSDK.fail_on_import``)."""


class FakeSDK:
    def __init__(self) -> None:
        self.project: SimpleNamespace | None = None
        self.tasks: list[SimpleNamespace] = []
        self.imports: list[int] = []  # tasks per import request, in order
        self.on_import: Callable[[list[dict[str, Any]]], None] | None = None  # called before an import
        self.fail_on_import: int | None = None  # the import request (1-based) that fails
        self.projects = SimpleNamespace(
            list=self._list_projects,
            create=self._create,
            update=self._update,
            get=lambda id: self.project,
            import_tasks=self._import,
        )
        self.sdk_tasks = SimpleNamespace(list=self._list_tasks)
        self.predictions = SimpleNamespace(create=self._predict)

    def _list_projects(self, title: str) -> list[SimpleNamespace]:
        return [self.project] if self.project is not None and title in self.project.title else []

    def _create(self, title: str, label_config: str) -> SimpleNamespace:
        self.project = SimpleNamespace(
            id=1, title=title, label_config=label_config, maximum_annotations=1, overlap_cohort_percentage=0
        )
        return self.project

    def _update(self, id: int, **fields: Any) -> SimpleNamespace:
        assert self.project is not None
        for name, value in fields.items():
            setattr(self.project, name, value)
        return self.project

    def _import(self, id: int, request: list[dict[str, Any]], return_task_ids: bool) -> SimpleNamespace:
        if self.on_import is not None:
            self.on_import(request)
        if self.fail_on_import == len(self.imports) + 1:
            raise Interrupted("connection reset")
        self.imports.append(len(request))
        first = len(self.tasks) + 1
        for n, task in enumerate(request):
            predictions = [SimpleNamespace(**p) for p in task.get("predictions", [])]
            self.tasks.append(SimpleNamespace(id=first + n, data=dict(task["data"]), predictions=predictions))
        return SimpleNamespace(task_ids=list(range(first, first + len(request))))

    def _list_tasks(self, project: int, fields: str) -> Iterator[SimpleNamespace]:
        yield from list(self.tasks)  # the SDK's pager: one task at a time

    def _predict(self, task: int, result: Any, model_version: str, score: Any) -> SimpleNamespace:
        prediction = SimpleNamespace(model_version=model_version, result=result, score=score)
        (found,) = [t for t in self.tasks if t.id == task]
        found.predictions.append(prediction)
        return prediction

    def documents(self) -> list[str]:
        """The document id of every task on the fake server, in task order."""
        return [t.data["id"] for t in self.tasks]


def fake_client(sdk: FakeSDK) -> Client:
    """A ``Client`` whose SDK is ``sdk``: requests go through the real ``Server.call`` policy."""
    view = SimpleNamespace(projects=sdk.projects, tasks=sdk.sdk_tasks, predictions=sdk.predictions)
    return Client(view, Server("http://fake.invalid", "token"))
