"""``rasd ls ...``: the Label Studio round trip, through the API or through files.

``push``/``pull`` talk to a server (URL from ``--url`` or ``$LABEL_STUDIO_URL``,
token from ``$LABEL_STUDIO_API_KEY``, never from the command line where it would
land in shell history); ``export-tasks``/``import-export`` do the same through
the files the Label Studio UI imports and exports.  ``conflicts`` and
``agreement`` read either a server project or an export file.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rasd.cli import report_errors, serve
from rasd.cli.options import add_engine_options, positive_int
from rasd.core.engine import EngineSpec, engine_from_env
from rasd.core.errors import RasdErrors
from rasd.core.paths import Repo
from rasd.core.problems.labelstudio import (
    NO_ANNOTATION_SOURCE,
    NO_EXPORT_FILE,
    NO_PREDICTIONS_FILE,
    NO_STORED_PREDICTIONS,
    PREDICTIONS_FILE_WITHOUT_VERSION,
)

if TYPE_CHECKING:
    from rasd.formats.labelstudio import ExportFile, ParsedTasks
    from rasd.labelstudio.merge import Built, PullReport
    from rasd.labelstudio.tasks import Suggestions

# The library is imported inside each command, when it runs: ``rasd ls --help`` and every
# other command pay only for what they use (``tests/test_cli_startup.py``).


def rebuild_dataset(repo: Repo) -> Built:
    """The full rebuild after a pull (data, card, Label Studio config, chart, Croissant).

    Imported here, when it runs: the build imports ``datasets`` and matplotlib
    (about a CPU-second), which an import with ``--no-rebuild`` does without.
    """
    from rasd.pipeline import build

    return build(repo, progress=False)


def _suggestions(args: argparse.Namespace, repo: Repo) -> Suggestions | None:
    """Pre-annotations for ``--predictions MODEL_VERSION``, asked document by document.

    From ``--predictions-file`` (JSON Lines) when given, checked whole first and
    against only the documents its lines name; else the suggestions ``rasd
    preannotate`` stored in ``dataset/predictions/``, read as each document passes.
    """
    from rasd.formats.predictions import predictions_dir
    from rasd.labelstudio.documents import DocumentsById
    from rasd.labelstudio.predictions import read_predictions
    from rasd.preannotate.stored import load_predictions

    if args.predictions is None:
        if args.predictions_file is not None:
            raise PREDICTIONS_FILE_WITHOUT_VERSION()
        return None
    if args.predictions_file is not None:
        path = Path(args.predictions_file)
        if not path.is_file():
            raise NO_PREDICTIONS_FILE(path=path)
        found = read_predictions(DocumentsById(repo), path, file=str(path), model_version=args.predictions)
        return lambda document: found.get(document.id, ())
    if not predictions_dir(repo).is_dir():
        raise NO_STORED_PREDICTIONS(folder=repo.relative(predictions_dir(repo)))
    return partial(load_predictions, repo)


def _print_pull(report: PullReport) -> None:
    merge = report.merge
    for note in merge.notes:
        print(f"note: {note}")
    for conflict in merge.conflicts:
        print(f"conflict: {conflict.render()}")
    for warning in merge.held:
        print(f"warning[{warning.code}]: {warning}")
    for name in report.changed:
        print(f"  wrote {name}")
    print(
        f"{len(merge.updates)} documents updated, {len(merge.unchanged)} unchanged, "
        f"{len(merge.conflicts)} conflicts (left unchanged; see `rasd ls conflicts`)"
    )
    if merge.adjudicated:
        print(
            f"{len(merge.adjudicated)} documents adjudicated (every annotator agrees, or a ground "
            f"truth decides): {', '.join(merge.adjudicated)}"
        )
    kept = sorted({work.annotator for work in merge.work})
    if kept:
        print(
            f"kept {len(merge.work)} annotations of {len(kept)} annotators in "
            "dataset/annotations/by_annotator/"
        )
    if merge.held:
        print(f"{len(merge.held)} empty annotations held back (gold unchanged; --accept-empty applies them)")


def cmd_push(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.labelstudio.client import connect, push

    suggestions = _suggestions(args, repo)
    report = push(
        repo,
        connect(args.url),
        args.project,
        model_version=args.predictions,
        suggestions=suggestions,
        overlap=args.overlap,
    )
    state = "created" if report.created else "config updated" if report.config_updated else "config unchanged"
    print(f"project {args.project!r} (id {report.project_id}): {state}")
    print(f"{len(report.added)} tasks added, {len(report.present)} already present")
    if report.overlap_set is not None:
        print(f"each task now goes to {report.overlap_set} annotators (maximum annotations per task)")
    if report.predictions_added:
        print(f"pre-annotations {args.predictions!r} added to {len(report.predictions_added)} existing tasks")
    if report.stale:
        report_errors(RasdErrors(report.stale))
        return 1
    return 0


def released_version(repo: Repo) -> str | None:
    """``dataset/VERSION`` when that version is released (its data may no longer change), else None."""
    from rasd.dataset.versionfile import read_version
    from rasd.versions.manifest import release_of  # lazily: it imports ``datasets``
    from rasd.versions.versioning import parse_version

    version = parse_version(read_version(repo), file="dataset/VERSION")
    return str(version) if release_of(repo, version) is not None else None


def _merge(
    repo: Repo,
    parsed: ParsedTasks | ExportFile,
    *,
    accept_empty: bool,
    engine: EngineSpec | None = None,
    rebuild: bool = True,
) -> int:
    """Merge an export into the gold, then rebuild; on a released version, say how to release instead.

    The data of a released version may not change, so its rebuild would refuse
    the new gold after it was written; the gold is the annotators' work and is
    kept, and the next step is a new version.
    """
    from rasd.labelstudio.merge import import_tasks

    released = released_version(repo) if rebuild else None  # without a rebuild, nothing to refuse
    report = import_tasks(
        repo,
        parsed,
        rebuild=rebuild_dataset if rebuild and not released else None,
        accept_empty=accept_empty,
        engine=engine,
    )
    _print_pull(report)
    if not rebuild and report.changed:
        print("next: `rasd build` to rebuild dataset/ from the new gold (--no-rebuild skipped it)")
    elif released and report.changed:
        print(
            f"next: version {released} is released, so dataset/ was not rebuilt: run "
            "`rasd release --bump minor` to build the new gold and release it as the next version"
        )
    return 0


def cmd_pull(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.labelstudio.client import connect, download

    return _merge(repo, download(connect(args.url), args.project), accept_empty=args.accept_empty)


def cmd_export_tasks(args: argparse.Namespace, repo: Repo) -> int:
    """Streamed: documents rendered on every core (``--workers 1``: in this process), written in order."""
    from rasd.labelstudio.taskexport import ExportOptions, export_tasks

    suggestions = _suggestions(args, repo)
    engine = engine_from_env(args.engine, args.workers, args.address)
    if args.predictions_file is not None:  # its suggestions are held in this process: rendered here
        engine = EngineSpec(kind="sync")
    options = ExportOptions(args.predictions, suggestions, engine)
    count = export_tasks(repo, Path(args.out), options)
    print(f"wrote {count} tasks to {args.out}: import it in Label Studio (Import > Upload Files)")
    return 0


def cmd_import_export(args: argparse.Namespace, repo: Repo) -> int:
    """The export file is streamed, task by task; nothing is written unless all of it is valid."""
    from rasd.formats.labelstudio import ExportFile

    if not Path(args.export).is_file():
        raise NO_EXPORT_FILE(path=args.export)
    return _merge(
        repo,
        ExportFile(Path(args.export), args.export),
        accept_empty=args.accept_empty,
        engine=_import_engine(args),
        rebuild=not args.no_rebuild,
    )


def _import_engine(args: argparse.Namespace) -> EngineSpec:
    """The engine for the import's per-task work: every core unless told otherwise (``--workers 1``:
    in this process).  Workers read their own documents, so the parent only streams the export;
    a small export (``rasd.labelstudio.merge.PARALLEL_FROM``) is merged in this process anyway.
    """
    return engine_from_env(args.engine, args.workers, args.address)


def _source(args: argparse.Namespace) -> ParsedTasks | ExportFile:
    """The export to read: ``--export FILE`` (streamed, one task at a time), else the server project."""
    from rasd.formats.labelstudio import ExportFile

    if args.export:
        if not Path(args.export).is_file():
            raise NO_EXPORT_FILE(path=args.export)
        return ExportFile(Path(args.export), args.export)
    if not args.project:
        raise NO_ANNOTATION_SOURCE()
    from rasd.labelstudio.client import connect, download

    return download(connect(args.url), args.project)


def cmd_conflicts(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.labelstudio.merge import merge_tasks

    source = _source(args)
    merge = merge_tasks(repo, source, source.origin)  # the export's shape problems come first in errors
    for conflict in merge.conflicts:
        print(conflict.render())
    if merge.errors:
        report_errors(RasdErrors(merge.errors))
    print(f"{len(merge.conflicts)} conflicts")
    return 1 if merge.conflicts or merge.errors else 0


def cmd_agreement(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.gold.agreement import agreement_table, pairwise_agreement
    from rasd.labelstudio.documents import DocumentsById
    from rasd.labelstudio.views import export_agreement_items

    source = _source(args)
    items, problems = export_agreement_items(source, DocumentsById(repo), source.origin)  # named ones, by id
    if problems:
        report_errors(RasdErrors(problems))
    print(agreement_table(pairwise_agreement(items)))
    return 1 if problems else 0


EXPORT_FORMAT = """\
input: a Label Studio JSON export (Export > JSON in the UI; not JSON-MIN or CSV):
  a list of tasks, each
    {"id": 12,
     "data": {"id": "<document id>", "text": "<the document's text>", ...},
     "annotations": [{"id": 3, "completed_by": 1, "ground_truth": false, "was_cancelled": false,
                      "result": [<region>, ...]}],
     "drafts": [...], "predictions": [...]}
  a region is
    {"id": "<region id>", "from_name": "label", "to_name": "text", "type": "labels",
     "value": {"start": 10, "end": 15, "text": "<the selected text>", "labels": ["LOC"]}}
  with optional text areas sharing its id:
    {"id": "<region id>", "from_name": "value" or "note", "to_name": "text", "type": "textarea",
     "value": {"start": 10, "end": 15, "text": ["<normalised value or note>"]}}
  start/end are JSON integers (code points; UTF-16 units are recognised and converted).
  Per task the ground-truth annotation is merged, else the only submitted one, else the
  spans every annotator agrees on (the disputed ones keep their previous gold and are
  listed as a conflict). With several annotators, each one's latest submitted annotation
  is kept in dataset/annotations/by_annotator/<annotator>/<document>.json. Drafts and
  cancelled annotations are ignored. Nothing is written unless the whole export is valid.
  The file is read as a stream, one task at a time (exports of any size); only gold files
  whose content changes are written, and dataset/ is rebuilt only when one did.
  The per-task work runs on every core (--workers 1: in this process; a small export is
  merged in this process anyway); the files written are the same whatever the worker count.
"""

TASKS_FORMAT = """\
output: a JSON list of tasks for the Label Studio UI's import (Import > Upload Files), one a line:
    {"data": {"id": "<document id>", "text": "<text>", "title": "<title>", "origin": "<outlet · date · url>"},
     "annotations": [{"ground_truth": false, "result": [<region>, ...]}],
     "predictions": [{"model_version": "<MODEL_VERSION>", "score": 0.4, "result": [<region>, ...]}]}
  "annotations" holds the gold spans (absent for a document without gold, so it stays in the
  labeling queue); "predictions" only with --predictions. A region is
    {"id": "<span id>", "from_name": "label", "to_name": "text", "type": "labels",
     "value": {"start": 10, "end": 15, "text": "<span text>", "labels": ["LOC"]}, "score": 0.9}
  plus "value"/"note" text areas with the same id. Offsets are code points.
  --predictions-file FILE: JSON Lines, one {"document": ID, "spans": [{"start", "end", "label",
  "score"?, "value"?, "id"?}]} per line.
"""


def _server_options(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument(
        "--url", help="Label Studio URL (default: $LABEL_STUDIO_URL); token from $LABEL_STUDIO_API_KEY"
    )
    p.add_argument("--project", required=required, help="project title")


def _prediction_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--predictions",
        metavar="MODEL_VERSION",
        help="also send pre-annotations as predictions of this model version (from "
        "dataset/predictions/, written by `rasd preannotate`, or from --predictions-file)",
    )
    p.add_argument("--predictions-file", metavar="FILE", help="JSON Lines of pre-annotations (format below)")


ACCEPT_EMPTY_HELP = (
    "apply empty submitted annotations, deleting the gold spans of their documents "
    "(by default they are held back with a warning)"
)


def _accept_empty_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--accept-empty", action="store_true", help=ACCEPT_EMPTY_HELP)


def _file_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``export-tasks`` and ``import-export``, each with the format of its file below its options."""
    for name, handler, text, file, epilog in (
        (
            "export-tasks",
            cmd_export_tasks,
            "write tasks for the Label Studio UI's import",
            "out",
            TASKS_FORMAT,
        ),
        (
            "import-export",
            cmd_import_export,
            "merge a JSON export downloaded from the UI, rebuild",
            "export",
            EXPORT_FORMAT,
        ),
    ):
        p = commands.add_parser(
            name, help=text, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        p.add_argument(file, metavar=f"{file.upper()}.json")
        if handler is cmd_export_tasks:
            _prediction_options(p)
            add_engine_options(p)
        else:
            _import_options(p)
        p.set_defaults(handler=handler)


def _import_options(p: argparse.ArgumentParser) -> None:
    """``import-export``'s own options: empty annotations, the rebuild, the engine."""
    _accept_empty_option(p)
    p.add_argument(
        "--no-rebuild",
        action="store_true",
        help="write the gold files only; run `rasd build` later (several imports, one build)",
    )
    add_engine_options(p)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ls = subparsers.add_parser("ls", help="Label Studio round trip: push, pull, conflicts, agreement")
    commands = ls.add_subparsers(dest="ls_command", required=True, metavar="LS_COMMAND")
    p = commands.add_parser(
        "push",
        help="create/update the project and add one task per new document (read and sent in batches; "
        "run it again to finish an interrupted push)",
    )
    _server_options(p)
    _prediction_options(p)
    p.add_argument(
        "--overlap",
        type=positive_int,
        metavar="N",
        help="send each task to N annotators (the project's maximum annotations per task)",
    )
    p.set_defaults(handler=cmd_push)
    p = commands.add_parser("pull", help="merge the project's annotations into dataset/annotations, rebuild")
    _server_options(p)
    _accept_empty_option(p)
    p.set_defaults(handler=cmd_pull)
    _file_commands(commands)
    serve.register_ls(commands)
    for name, handler, text in (
        (
            "conflicts",
            cmd_conflicts,
            "list tasks whose annotators disagree and no ground truth decides, with the disputed "
            "spans (exit 1 if any)",
        ),
        ("agreement", cmd_agreement, "span F1 per label and token kappa between annotator pairs"),
    ):
        p = commands.add_parser(name, help=text)
        _server_options(p, required=False)
        p.add_argument("--export", metavar="EXPORT.json", help="read this export file instead of a server")
        p.set_defaults(handler=handler)
