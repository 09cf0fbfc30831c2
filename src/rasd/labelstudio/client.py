"""The server half of the round trip: push, pull, conflicts and agreement through label-studio-sdk.

Everything that decides *what* goes in or comes back lives in the pure modules
of ``rasd.labelstudio``; this module only finds the project, lists and imports
tasks, and downloads the project's JSON export, so the file-based path (an
export downloaded from the UI) and the API path merge through the same code.
Every request goes through ``rasd.labelstudio.server`` (named errors, retries
of reads only, redacted answers).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from rasd.core.engine import batched
from rasd.core.errors import RasdError
from rasd.core.model import Document, Span
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
from rasd.labelstudio.server import Server, answer_text
from rasd.labelstudio.tasks import Suggestions, document_to_task, prediction_json

ENV_URL = "LABEL_STUDIO_URL"
ENV_API_KEY = "LABEL_STUDIO_API_KEY"
IMPORT_BATCH = 200  # tasks per import request: well under the server's request size limit
TIMEOUT = 120.0  # seconds per request; an export of a large project takes a while
FULL_OVERLAP = 100  # percent of tasks that get the overlap: all of them

T = TypeVar("T")


@dataclass(frozen=True)
class Client:
    """The SDK client and the policy its requests follow."""

    sdk: Any  # label_studio_sdk.LabelStudio; the SDK ships no usable type information
    server: Server

    def read(self, what: str, request: Callable[[], T]) -> T:
        """An idempotent request (reading, listing): retried while the failure is transient."""
        return self.server.call(what, request, idempotent=True)

    def write(self, what: str, request: Callable[[], T]) -> T:
        """A request that changes the server: never repeated."""
        return self.server.call(what, request, idempotent=False)


def connect(url: str | None, *, server: Server | None = None) -> Client:
    """A client for ``url`` (or ``$LABEL_STUDIO_URL``) with the token in ``$LABEL_STUDIO_API_KEY``."""
    from label_studio_sdk import LabelStudio

    url = (url or os.environ.get(ENV_URL) or "").rstrip("/")
    if not url:
        raise NO_URL(variable=ENV_URL)
    api_key = os.environ.get(ENV_API_KEY)
    if not api_key:
        raise NO_TOKEN(variable=ENV_API_KEY)
    # max_retries=0: the SDK would retry writes too; reads are retried by Server.call.
    sdk = LabelStudio(base_url=url, api_key=api_key, timeout=TIMEOUT, max_retries=0)  # type: ignore[no-untyped-call]
    return Client(sdk, server or Server(url, api_key))


def find_project(client: Client, title: str) -> Any | None:
    """The project titled exactly ``title`` (the server's title filter matches substrings)."""
    listed = client.read(
        f"listing projects titled {title!r}", lambda: list(client.sdk.projects.list(title=title))
    )
    matches = [p for p in listed if p.title == title]
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
    overlap_set: int | None = None  # the annotators per task set by this push, when it changed


def _refused_as_project_problem(title: str, request: Callable[[], T]) -> Callable[[], T]:
    """``request``, with a 400 answer (a validation error) named as the project's problem."""

    def run() -> T:
        try:
            return request()
        except Exception as exc:
            if getattr(exc, "status_code", None) == 400:
                answer = answer_text(getattr(exc, "body", None))
                raise PROJECT_REFUSED(file=f"project {title!r}", answer=answer) from None
            raise

    return run


def ensure_project(client: Client, title: str, config: str) -> tuple[int, bool, bool]:
    """Create the project, or bring its labeling config up to date; ``(id, created, config_updated)``."""
    project = find_project(client, title)
    if project is None:
        create = _refused_as_project_problem(
            title, lambda: client.sdk.projects.create(title=title, label_config=config)
        )
        return int(client.write(f"creating project {title!r}", create).id), True, False
    if (project.label_config or "").strip() == config.strip():
        return int(project.id), False, False
    update = _refused_as_project_problem(
        title, lambda: client.sdk.projects.update(id=project.id, label_config=config)
    )
    client.write(f"updating the labeling config of project {title!r}", update)
    return int(project.id), False, True


@dataclass(frozen=True)
class ExistingTask:
    """What a push needs of a task already on the server: its id, its text's digest, its model versions.

    A digest, not the text: the listing of a project of any size is held as ids and hashes.
    """

    task_id: int
    text_sha256: bytes | None  # None: the task has no text
    versions: frozenset[str]


def text_digest(text: object) -> bytes | None:
    """The sha256 of a task's or a document's text (lone surrogates included), None if not a string."""
    if not isinstance(text, str):
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def existing_task(task: Any) -> tuple[str, ExistingTask] | None:
    """A listed task by its document id (None: the task names no document)."""
    data = task.data or {}
    if not isinstance(data.get(DATA_ID), str):
        return None
    versions = frozenset(
        str(p.model_version) for p in (task.predictions or []) if getattr(p, "model_version", None)
    )
    return data[DATA_ID], ExistingTask(int(task.id), text_digest(data.get(DATA_TEXT)), versions)


def existing_tasks(client: Client, project_id: int) -> dict[str, ExistingTask]:
    """Every task in the project, by document id (the first one when several name a document).

    The listing comes page by page; each task is let go once its id, digest and
    model versions are kept.
    """

    def listing() -> dict[str, ExistingTask]:
        by_doc: dict[str, ExistingTask] = {}
        for task in client.sdk.tasks.list(project=project_id, fields="all"):
            found = existing_task(task)
            if found is not None:
                by_doc.setdefault(*found)
        return by_doc

    return client.read(f"listing the tasks of project {project_id}", listing)


def add_predictions(client: Client, task_id: int, suggested: Sequence[Span], model_version: str) -> None:
    prediction = prediction_json(suggested, model_version)
    client.write(
        f"adding pre-annotations to task {task_id}",
        lambda: client.sdk.predictions.create(
            task=task_id,
            result=prediction["result"],
            model_version=model_version,
            score=prediction.get("score"),
        ),
    )


def import_new_tasks(client: Client, project_id: int, tasks: Sequence[TaskJSON]) -> None:
    for start in range(0, len(tasks), IMPORT_BATCH):
        batch = list(tasks[start : start + IMPORT_BATCH])
        client.write(
            f"importing {len(batch)} tasks into project {project_id}",
            partial(client.sdk.projects.import_tasks, id=project_id, request=batch, return_task_ids=True),
        )


def update_present(
    client: Client,
    report: PushReport,
    document: Document,
    task: ExistingTask,
    title: str,
    *,
    model_version: str | None,
    suggestions: Suggestions,
) -> None:
    """A document already pushed: report a changed text, or add pre-annotations of a new model version."""
    report.present.append(document.id)
    if task.text_sha256 != text_digest(document.text):
        report.stale.append(
            TASK_STALE_ON_SERVER(file=f"project {title!r} task {task.task_id}", document=document.id)
        )
    elif model_version is not None and model_version not in task.versions:
        add_predictions(client, task.task_id, suggestions(document), model_version)
        report.predictions_added.append(document.id)


def set_overlap(client: Client, project_id: int, annotators: int) -> bool:
    """Send every task to ``annotators`` annotators (Label Studio's overlap settings); True if changed.

    ``maximum_annotations`` is how many submitted annotations close a task, and
    ``overlap_cohort_percentage`` = 100 applies it to every task (not a sample).
    """
    project = client.read(f"reading project {project_id}", lambda: client.sdk.projects.get(id=project_id))
    if (
        getattr(project, "maximum_annotations", None) == annotators
        and getattr(project, "overlap_cohort_percentage", None) == FULL_OVERLAP
    ):
        return False
    client.write(
        f"setting {annotators} annotators per task in project {project_id}",
        lambda: client.sdk.projects.update(
            id=project_id, maximum_annotations=annotators, overlap_cohort_percentage=FULL_OVERLAP
        ),
    )
    return True


def no_suggestions(document: Document) -> Sequence[Span]:
    return ()


def push(
    repo: Repo,
    client: Client,
    title: str,
    *,
    model_version: str | None = None,
    suggestions: Suggestions | None = None,
    overlap: int | None = None,
    documents: Iterable[Document] | None = None,
) -> PushReport:
    """Bring the project up to date with the repository, idempotently.

    Missing documents are added (with their gold annotation and, with a model
    version, their pre-annotations from ``suggestions``, asked once per document
    that needs them); present ones are left alone, except that pre-annotations of
    a new model version are added to them; a task whose text no longer matches
    its document is reported and not overwritten, since it may hold annotators'
    work made on the old text.  With ``overlap``, each task goes to that many annotators.

    Streamed: the documents (``documents``, else the corpus) are read in batches of
    ``IMPORT_BATCH``, and each batch's new tasks are imported in one request before
    the next batch is read, so at most one batch of documents and tasks is held.
    Before that, every document and its suggestions are read once and dropped
    (``read_everything``): a malformed file stops the push before anything is sent.
    A push interrupted has imported whole batches only; run again, it finds them
    on the server and adds the rest.
    """
    suggest = no_suggestions if model_version is None or suggestions is None else suggestions
    if documents is None:
        read_everything(load_corpus(repo), suggest)
    report = PushReport(*ensure_project(client, title, label_config()))
    if overlap is not None and set_overlap(client, report.project_id, overlap):
        report.overlap_set = overlap
    by_doc = existing_tasks(client, report.project_id)
    for batch in batched(load_corpus(repo) if documents is None else documents, IMPORT_BATCH):
        new_tasks = [
            task
            for document in batch
            if (task := push_one(client, report, document, by_doc, title, model_version, suggest)) is not None
        ]
        import_new_tasks(client, report.project_id, new_tasks)
    return report


def read_everything(documents: Iterable[Document], suggestions: Suggestions) -> int:
    """Read every document and its suggestions once, holding none; return how many.

    A push runs this first, so that a document or prediction file that cannot be
    read stops it with its named error before the server is touched: nothing is
    sent from a corpus with a malformed file.  It costs a second read of the
    corpus, not its memory.
    """
    count = 0
    for document in documents:
        suggestions(document)
        count += 1
    return count


def push_one(
    client: Client,
    report: PushReport,
    document: Document,
    by_doc: Mapping[str, ExistingTask],
    title: str,
    model_version: str | None,
    suggestions: Suggestions,
) -> TaskJSON | None:
    """The task to import for a new document; a present one is brought up to date (None)."""
    present = by_doc.get(document.id)
    if present is not None:
        update_present(
            client, report, document, present, title, model_version=model_version, suggestions=suggestions
        )
        return None
    report.added.append(document.id)
    return document_to_task(document, predictions=suggestions(document), model_version=model_version)


def export_project(client: Client, project_id: int, origin: str) -> ParsedTasks:
    """The project's full JSON export (every task, with annotations and drafts), parsed strictly."""
    data = client.read(
        f"downloading the export of project {project_id}",
        lambda: b"".join(
            client.sdk.projects.exports.download_sync(project_id, export_type="JSON", download_all_tasks=True)
        ),
    )
    return loads_export(data, origin=origin)


def annotator_emails(client: Client) -> dict[int, str]:
    """User id -> e-mail; empty when listing users is refused to the token (an annotator's)."""
    try:
        users = client.read("listing users", lambda: list(client.sdk.users.list()))
    except RasdError:  # ids then stay ids
        return {}
    return {int(u.id): str(u.email) for u in users if getattr(u, "email", None)}


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
