"""``rasd preannotate | normalize | eval``: suggestions, normalised values, and their scores."""

from __future__ import annotations

import argparse
from pathlib import Path

from rasd.core.errors import RequestError
from rasd.core.io import atomic_write_text
from rasd.core.paths import Repo
from rasd.gold.entities import load_registry
from rasd.intake.ingest import iter_documents
from rasd.preannotate.annotator import (
    preannotate_jsonl,
    predict_document,
    predictions_dir,
    registry_lexicon,
    write_predictions,
)
from rasd.preannotate.normalize import normalize_gold, normalize_predictions

REPORT_FILE = "reports/preannotation.md"
"""Under ``annotation/``: the build copies it into the card's ``preannotation`` section."""


def cmd_preannotate(args: argparse.Namespace, repo: Repo) -> int:
    registry = load_registry(repo)
    if (args.input is None) != (args.output is None):
        raise RequestError(
            "--input and --output go together", hint="pass both, or neither to annotate the dataset"
        )
    if args.input is not None:
        source = Path(args.input)
        if not source.is_file():
            raise RequestError(
                f"no such input file: {args.input}", hint="pass a JSON Lines file of {id, text}"
            )
        count = preannotate_jsonl(source, Path(args.output), registry_lexicon(registry), shown=args.input)
        print(f"suggested spans for {count} texts into {args.output}")
        return 0
    written = total = 0
    for document in iter_documents(repo):
        spans = predict_document(document, registry)
        total += len(spans)
        written += write_predictions(repo, document, spans)
    folder = repo.relative(predictions_dir(repo))
    print(f"{total} suggested spans; {written} prediction files changed in {folder}")
    return 0


def cmd_normalize(args: argparse.Namespace, repo: Repo) -> int:
    normalise = normalize_predictions if args.predictions else normalize_gold
    report = normalise(repo, load_registry(repo), dry_run=args.dry_run)
    verb = "would fill" if args.dry_run else "filled"
    which = "prediction" if args.predictions else "gold"
    print(f"{verb} {report.filled} missing values in {len(report.documents)} {which} files")
    for doc_id in report.documents:
        print(f"  {doc_id}")
    return 0


def cmd_eval(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.preannotate.evaluate import eval_section, evaluate, scores_table, values_table

    report = evaluate(repo, leave_one_out=not args.no_held_out, builtins=not args.no_builtins)
    if not report.documents:
        print("no annotated documents to evaluate against")
        return 1
    mode = "in-sample (full registry)" if args.no_held_out else "leave-one-document-out"
    if args.no_builtins:
        mode += ", without the built-in place and platform lists"
    print(f"{mode}, {report.documents} documents")
    print(scores_table(report))
    print()
    print(values_table(report))
    if args.verbose:
        for label, values in report.values.items():
            for doc_id, surface, gold, got in values.wrong:
                print(f"  value {label} {doc_id} {surface!r}: gold {gold!r}, normaliser {got!r}")
    if args.write_card:
        if args.no_held_out or args.no_builtins:
            raise RequestError(
                "the card shows the held-out figures of the full suggester only",
                hint="drop --no-held-out and --no-builtins",
            )
        path = repo.annotation_dir / REPORT_FILE
        changed = atomic_write_text(path, eval_section(repo) + "\n")
        state = "wrote" if changed else "unchanged:"
        print(f"{state} {repo.relative(path)} (the next `rasd build` puts it in the card)")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "preannotate",
        help="suggest spans (with scores and values) into dataset/predictions/, or for any JSON Lines text",
    )
    p.add_argument(
        "--input", metavar="IN.jsonl", help='lines {"id", "text"} to annotate instead of the dataset'
    )
    p.add_argument(
        "--output", metavar="OUT.jsonl", help="where to write the texts with their suggested spans"
    )
    p.set_defaults(handler=cmd_preannotate)
    p = subparsers.add_parser(
        "normalize", help="fill the missing normalised values of the gold spans (or the suggestions)"
    )
    p.add_argument("--dry-run", action="store_true", help="report what would be filled, write nothing")
    p.add_argument(
        "--predictions", action="store_true", help="fill the suggestions in dataset/predictions/ instead"
    )
    p.set_defaults(handler=cmd_normalize)
    p = subparsers.add_parser(
        "eval", help="score suggestions and normalised values against the gold, leave-one-document-out"
    )
    p.add_argument("--write-card", action="store_true", help=f"write annotation/{REPORT_FILE} for the card")
    p.add_argument(
        "--no-held-out", action="store_true", help="score with the full registry (in-sample, optimistic)"
    )
    p.add_argument(
        "--no-builtins", action="store_true", help="ablation: without the built-in place and platform lists"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list every wrong normalised value")
    p.set_defaults(handler=cmd_eval)
