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

from rasd.core.errors import LabelStudioError, RasdError, RequestError, StaleAnnotationError
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.gold.annotations import load_corpus
from rasd.labelstudio.config import DATA_ID, DATA_TEXT, label_config
from rasd.labelstudio.tasks import TaskJSON, document_to_task, prediction_json

ENV_URL = "LABEL_STUDIO_URL"
ENV_API_KEY = "LABEL_STUDIO_API_KEY"
IMPORT_BATCH = 200  # tasks per import request: well under the server's request size limit

Client = Any  # label_studio_sdk.LabelStudio; the SDK ships no usable type information


def connect(url: str | None) -> Client:
    """A client for ``url`` (or ``$LABEL_STUDIO_URL``) with the token in ``$LABEL_STUDIO_API_KEY``."""
    from label_studio_sdk import LabelStudio

    url = url or os.environ.get(ENV_URL)
    if not url:
        raise RequestError("no Label Studio URL", hint=f"pass --url URL or set {ENV_URL}")
    api_key = os.environ.get(ENV_API_KEY)
    if not api_key:
        raise RequestError(
            "no Label Studio API token",
            hint=f"set {ENV_API_KEY} to the access token from Label Studio's Account & Settings page",
        )
    return LabelStudio(base_url=url.rstrip("/"), api_key=api_key, timeout=120)  # type: ignore[no-untyped-call]


def _server_problem(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    return json.dumps(body, ensure_ascii=False) if body is not None else str(exc)


def find_project(client: Client, title: str) -> Any | None:
    """The project titled exactly ``title`` (the server's title filter matches substrings)."""
    matches = [p for p in client.projects.list(title=title) if p.title == title]
    if len(matches) > 1:
        raise RequestError(
            f"{len(matches)} projects are titled {title!r} (ids {', '.join(str(p.id) for p in matches)})",
            hint="rename or delete all but one in Label Studio",
        )
    return matches[0] if matches else None


def require_project(client: Client, title: str) -> Any:
    project = find_project(client, title)
    if project is None:
        raise RequestError(
            f"Label Studio has no project titled {title!r}",
            hint="check --project, or create it with `rasd ls push`",
        )
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
        raise LabelStudioError(
            f"the server refused to create or update the project: {_server_problem(exc)}",
            file=f"project {title!r}",
            hint="correct what the server names (titles have at most 50 characters; a label still used "
            "by annotations cannot leave the config: relabel or delete those regions first)",
        ) from exc


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
                StaleAnnotationError(
                    "the document's text changed since it was pushed; the task was not overwritten",
                    file=f"project {title!r} task {task_id}",
                    document=document.id,
                    hint="pull the annotators' work first, then delete the task in Label Studio "
                    "and push again",
                )
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


def export_project(client: Client, project_id: int) -> Any:
    """The project's full JSON export (every task, with annotations and drafts), parsed."""
    chunks = client.projects.exports.download_sync(project_id, export_type="JSON", download_all_tasks=True)
    return json.loads(b"".join(chunks))


def with_annotator_emails(client: Client, payload: Any) -> Any:
    """Replace ``completed_by`` user ids by ``{id, email}`` so reports name people, not numbers."""
    try:
        emails = {int(u.id): str(u.email) for u in client.users.list() if getattr(u, "email", None)}
    except Exception:  # listing users may be forbidden to an annotator's token; ids then stay ids
        return payload
    if not isinstance(payload, list):
        return payload
    for task in payload:
        for annotation in task.get("annotations", []) if isinstance(task, dict) else []:
            who = annotation.get("completed_by") if isinstance(annotation, dict) else None
            if isinstance(who, int) and who in emails:
                annotation["completed_by"] = {"id": who, "email": emails[who]}
    return payload


def download(client: Client, title: str) -> tuple[Any, str]:
    """The export of the project titled ``title`` and how messages name it."""
    project = require_project(client, title)
    return with_annotator_emails(client, export_project(client, int(project.id))), f"project {title!r}"
