"""``rasd ls ...``: the Label Studio round trip, through the API or through files.

``push``/``pull`` talk to a server (URL from ``--url`` or ``$LABEL_STUDIO_URL``,
token from ``$LABEL_STUDIO_API_KEY``, never from the command line where it would
land in shell history); ``export-tasks``/``import-export`` do the same through
the files the Label Studio UI imports and exports.  ``conflicts`` and
``agreement`` read either a server project or an export file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rasd.core.errors import RequestError
from rasd.core.io import atomic_write_text
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.gold.agreement import agreement_table, pairwise_agreement
from rasd.gold.annotations import load_corpus
from rasd.labelstudio.tasks import (
    PullReport,
    annotation_spans,
    annotator,
    export_file_tasks,
    import_payload,
    merge_tasks,
    parse_tasks,
    read_export,
    read_predictions,
    submitted,
)


def _predictions(args: argparse.Namespace, repo: Repo) -> dict[str, list[Span]] | None:
    """Pre-annotations for ``--predictions MODEL_VERSION``.

    From ``--predictions-file`` (JSON Lines) when given, else the suggestions
    ``rasd preannotate`` stored in ``dataset/predictions/``.
    """
    if args.predictions is None:
        if args.predictions_file is not None:
            raise RequestError(
                "--predictions-file needs --predictions MODEL_VERSION", hint="name the model version"
            )
        return None
    if args.predictions_file is not None:
        path = Path(args.predictions_file)
        if not path.is_file():
            raise RequestError(f"no such file {path}", hint="pass a JSON Lines file of pre-annotations")
        return read_predictions(repo, path.read_text(encoding="utf-8"), str(path), args.predictions)
    from rasd.preannotate.annotator import load_predictions, predictions_dir

    if not predictions_dir(repo).is_dir():
        raise RequestError(
            f"no pre-annotations in {repo.relative(predictions_dir(repo))}",
            hint="run `rasd preannotate` first, or pass --predictions-file FILE",
        )
    return {d.id: list(load_predictions(repo, d.id)) for d in load_corpus(repo)}


def _print_pull(report: PullReport) -> int:
    merge = report.merge
    for note in merge.notes:
        print(f"note: {note}")
    for conflict in merge.conflicts:
        print(f"conflict: {conflict.render()}")
    for name in report.changed:
        print(f"  wrote {name}")
    print(
        f"{len(merge.updates)} documents updated, {len(merge.unchanged)} unchanged, "
        f"{len(merge.conflicts)} conflicts (left unchanged; see `rasd ls conflicts`)"
    )
    return 0


def cmd_push(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.labelstudio.client import connect, push

    predictions = _predictions(args, repo)
    report = push(
        repo, connect(args.url), args.project, model_version=args.predictions, predictions=predictions
    )
    state = "created" if report.created else "config updated" if report.config_updated else "config unchanged"
    print(f"project {args.project!r} (id {report.project_id}): {state}")
    print(f"{len(report.added)} tasks added, {len(report.present)} already present")
    if report.predictions_added:
        print(f"pre-annotations {args.predictions!r} added to {len(report.predictions_added)} existing tasks")
    if report.stale:
        for error in report.stale:
            print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_pull(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.labelstudio.client import connect, download

    payload, origin = download(connect(args.url), args.project)
    return _print_pull(import_payload(repo, payload, origin))


def cmd_export_tasks(args: argparse.Namespace, repo: Repo) -> int:
    tasks = export_file_tasks(repo, model_version=args.predictions, predictions=_predictions(args, repo))
    atomic_write_text(Path(args.out), json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {len(tasks)} tasks to {args.out}: import it in Label Studio (Import > Upload Files)")
    return 0


def _read_export_file(path: str) -> Any:
    if not Path(path).is_file():
        raise RequestError(f"no such file {path}", hint="pass the JSON export downloaded from Label Studio")
    return read_export(Path(path))


def cmd_import_export(args: argparse.Namespace, repo: Repo) -> int:
    return _print_pull(import_payload(repo, _read_export_file(args.export), args.export))


def _source(args: argparse.Namespace) -> tuple[Any, str]:
    """The export to read: ``--export FILE``, else the server project."""
    if args.export:
        return _read_export_file(args.export), args.export
    if not args.project:
        raise RequestError("say where the annotations are", hint="pass --export FILE or --project TITLE")
    from rasd.labelstudio.client import connect, download

    return download(connect(args.url), args.project)


def cmd_conflicts(args: argparse.Namespace, repo: Repo) -> int:
    payload, origin = _source(args)
    tasks, errors = parse_tasks(payload, origin)
    merge = merge_tasks(repo, tasks, origin)
    for conflict in merge.conflicts:
        print(conflict.render())
    for error in [*errors, *merge.errors]:
        print(f"error: {error}", file=sys.stderr)
    print(f"{len(merge.conflicts)} conflicts")
    return 1 if merge.conflicts or errors or merge.errors else 0


def cmd_agreement(args: argparse.Namespace, repo: Repo) -> int:
    payload, origin = _source(args)
    tasks, errors = parse_tasks(payload, origin)
    documents = {d.id: d for d in load_corpus(repo)}
    items = []
    for task in tasks:
        document = documents.get(task["data"]["id"])
        if document is None or task["data"]["text"] != document.text:
            continue
        by_annotator = {
            annotator(a): annotation_spans(a, document, where=origin)
            for a in sorted(submitted(task), key=lambda a: a.get("id", 0))  # the latest per annotator wins
        }
        if len(by_annotator) > 1:
            items.append((document.text, by_annotator))
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    print(agreement_table(pairwise_agreement(items)))
    return 1 if errors else 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ls = subparsers.add_parser("ls", help="Label Studio round trip: push, pull, conflicts, agreement")
    commands = ls.add_subparsers(dest="ls_command", required=True, metavar="LS_COMMAND")

    def server(p: argparse.ArgumentParser, *, required: bool = True) -> None:
        p.add_argument(
            "--url", help="Label Studio URL (default: $LABEL_STUDIO_URL); token from $LABEL_STUDIO_API_KEY"
        )
        p.add_argument("--project", required=required, help="project title")

    def predictions(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--predictions",
            metavar="MODEL_VERSION",
            help="also send pre-annotations as predictions of this model version (from "
            "dataset/predictions/, written by `rasd preannotate`, or from --predictions-file)",
        )
        p.add_argument("--predictions-file", metavar="FILE", help="JSON Lines of pre-annotations")

    p = commands.add_parser("push", help="create/update the project and add one task per new document")
    server(p)
    predictions(p)
    p.set_defaults(handler=cmd_push)
    p = commands.add_parser("pull", help="merge the project's annotations into dataset/annotations, rebuild")
    server(p)
    p.set_defaults(handler=cmd_pull)
    p = commands.add_parser("export-tasks", help="write tasks for the Label Studio UI's import")
    p.add_argument("out", metavar="OUT.json")
    predictions(p)
    p.set_defaults(handler=cmd_export_tasks)
    p = commands.add_parser("import-export", help="merge a JSON export downloaded from the UI, rebuild")
    p.add_argument("export", metavar="EXPORT.json")
    p.set_defaults(handler=cmd_import_export)
    for name, handler, text in (
        (
            "conflicts",
            cmd_conflicts,
            "list tasks with several annotations and no ground truth (exit 1 if any)",
        ),
        ("agreement", cmd_agreement, "span F1 per label and token kappa between annotator pairs"),
    ):
        p = commands.add_parser(name, help=text)
        server(p, required=False)
        p.add_argument("--export", metavar="EXPORT.json", help="read this export file instead of a server")
        p.set_defaults(handler=handler)
