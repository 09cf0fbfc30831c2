"""The server half of the round trip: push, pull, conflicts and agreement through label-studio-sdk.

Everything that decides *what* goes in or comes back lives in the pure adapter
``rasd.labelstudio``; this module only finds the project, lists and imports
tasks, and downloads the project's JSON export, so the file-based path (an
export downloaded from the UI) and the API path merge through the same code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasd.core.errors import RasdError
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.core.problems.labelstudio import (
    NO_PROJECT,
    NO_TOKEN,
    NO_URL,
    PROJECT_REFUSED,
    SEVERAL_PROJECTS,
    TASK_STALE_ON_SERVER,
)
from rasd.formats.labelstudio import DATA_ID, DATA_TEXT, ParsedTasks, TaskJSON, loads_export
from rasd.gold.annotations import load_corpus
from rasd.labelstudio.config import label_config
from rasd.labelstudio.tasks import document_to_task, prediction_json

ENV_URL = "LABEL_STUDIO_URL"
ENV_API_KEY = "LABEL_STUDIO_API_KEY"
IMPORT_BATCH = 200  # tasks per import request: well under the server's request size limit

Client = Any  # label_studio_sdk.LabelStudio; the SDK ships no usable type information


def connect(url: str | None) -> Client:
    """A client for ``url`` (or ``$LABEL_STUDIO_URL``) with the token in ``$LABEL_STUDIO_API_KEY``."""
    from label_studio_sdk import LabelStudio

    url = url or os.environ.get(ENV_URL)
    if not url:
        raise NO_URL(variable=ENV_URL)
    api_key = os.environ.get(ENV_API_KEY)
    if not api_key:
        raise NO_TOKEN(variable=ENV_API_KEY)
    return LabelStudio(base_url=url.rstrip("/"), api_key=api_key, timeout=120)  # type: ignore[no-untyped-call]


def _server_problem(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    return json.dumps(body, ensure_ascii=False) if body is not None else str(exc)


def find_project(client: Client, title: str) -> Any | None:
    """The project titled exactly ``title`` (the server's title filter matches substrings)."""
    matches = [p for p in client.projects.list(title=title) if p.title == title]
    if len(matches) > 1:
        raise SEVERAL_PROJECTS(count=len(matches), title=title, ids=", ".join(str(p.id) for p in matches))
    return matches[0] if matches else None


def require_project(client: Client, title: str) -> Any:
    project = find_project(client, title)
    if project is None:
        raise NO_PROJECT(title=title)
    return project


@dataclass
class PushReport:
    project_id: int
    created: bool = False
    config_updated: bool = False
    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    predictions_added: list[str] = field(default_factory=list)
    stale: list[RasdError] = field(default_factory=list)


def ensure_project(client: Client, title: str, report_config: str) -> tuple[int, bool, bool]:
    """Create the project, or bring its labeling config up to date; ``(id, created, config_updated)``."""
    from label_studio_sdk.core.api_error import ApiError

    project = find_project(client, title)
    try:
        if project is None:
            created = client.projects.create(title=title, label_config=report_config)
            return int(created.id), True, False
        if (project.label_config or "").strip() == report_config.strip():
            return int(project.id), False, False
        client.projects.update(id=project.id, label_config=report_config)
        return int(project.id), False, True
    except ApiError as exc:
        raise PROJECT_REFUSED(file=f"project {title!r}", answer=_server_problem(exc)) from exc


def existing_tasks(client: Client, project_id: int) -> list[tuple[int, dict[str, Any], set[str]]]:
    """``(task id, data, prediction model versions)`` of every task in the project."""
    found = []
    for task in client.tasks.list(project=project_id, fields="all"):
        versions = {
            str(p.model_version) for p in (task.predictions or []) if getattr(p, "model_version", None)
        }
        found.append((int(task.id), dict(task.data or {}), versions))
    return found


def push(
    repo: Repo,
    client: Client,
    title: str,
    *,
    model_version: str | None = None,
    predictions: Mapping[str, Sequence[Span]] | None = None,
) -> PushReport:
    """Bring the project up to date with the repository, idempotently.

    Missing documents are added (with their gold annotation and, with a model
    version, their pre-annotations); present ones are left alone, except that
    pre-annotations of a new model version are added to them; a task whose text
    no longer matches its document is reported and not overwritten, since it may
    hold annotators' work made on the old text.
    """
    documents = list(load_corpus(repo))
    project_id, created, updated = ensure_project(client, title, label_config())
    report = PushReport(project_id, created, updated)
    by_doc: dict[str, tuple[int, dict[str, Any], set[str]]] = {}
    for task_id, data, versions in existing_tasks(client, project_id):
        doc_id = data.get(DATA_ID)
        if isinstance(doc_id, str):
            by_doc.setdefault(doc_id, (task_id, data, versions))
    new_tasks: list[TaskJSON] = []
    for document in documents:
        suggested = (predictions or {}).get(document.id, ())
        if document.id not in by_doc:
            new_tasks.append(document_to_task(document, predictions=suggested, model_version=model_version))
            report.added.append(document.id)
            continue
        task_id, data, versions = by_doc[document.id]
        report.present.append(document.id)
        if data.get(DATA_TEXT) != document.text:
            report.stale.append(
                TASK_STALE_ON_SERVER(file=f"project {title!r} task {task_id}", document=document.id)
            )
        elif model_version is not None and model_version not in versions:
            prediction = prediction_json(suggested, model_version)
            client.predictions.create(
                task=task_id,
                result=prediction["result"],
                model_version=model_version,
                score=prediction.get("score"),
            )
            report.predictions_added.append(document.id)
    for start in range(0, len(new_tasks), IMPORT_BATCH):
        batch = new_tasks[start : start + IMPORT_BATCH]
        client.projects.import_tasks(id=project_id, request=batch, return_task_ids=True)
    return report


def export_project(client: Client, project_id: int, origin: str) -> ParsedTasks:
    """The project's full JSON export (every task, with annotations and drafts), parsed strictly."""
    chunks = client.projects.exports.download_sync(project_id, export_type="JSON", download_all_tasks=True)
    return loads_export(b"".join(chunks), origin=origin)


def annotator_emails(client: Client) -> dict[int, str]:
    """User id -> e-mail; empty when listing users is forbidden to the token (an annotator's)."""
    try:
        return {int(u.id): str(u.email) for u in client.users.list() if getattr(u, "email", None)}
    except Exception:  # any refusal: ids then stay ids
        return {}


def with_annotator_emails(tasks: Sequence[TaskJSON], emails: Mapping[int, str]) -> None:
    """Replace ``completed_by`` user ids by ``{id, email}`` so reports name people, not numbers."""
    for task in tasks:
        for annotation in task.get("annotations", []):
            who = annotation.get("completed_by")
            if isinstance(who, int) and who in emails:
                annotation["completed_by"] = {"id": who, "email": emails[who]}


def download(client: Client, title: str) -> ParsedTasks:
    """The export of the project titled ``title``, named ``project TITLE`` in messages."""
    project = require_project(client, title)
    parsed = export_project(client, int(project.id), f"project {title!r}")
    with_annotator_emails(parsed.tasks, annotator_emails(client))
    return parsed
