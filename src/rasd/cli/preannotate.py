"""``rasd preannotate | normalize | eval``: suggestions, normalised values, and their scores.

The library is imported inside each command, when it runs: the registry, the
matchers and the evaluation import the JSON Schema validators and YAML, which the
parser, ``--help`` and the other groups' commands do without.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rasd.cli.options import add_engine_command
from rasd.core.engine import engine_from_env
from rasd.core.io import atomic_write_text
from rasd.core.labels import LABELS
from rasd.core.paths import Repo
from rasd.core.problems.preannotate import (
    CARD_NEEDS_FULL_EVALUATION,
    INPUT_FILE_MISSING,
    INPUT_OPTIONS_TOGETHER,
)
from rasd.formats.learned import LearnedName, learned_path, read_learned
from rasd.formats.predictions import PREDICTIONS_PER_COMMIT, predictions_dir

REPORT_FILE = "reports/preannotation.md"
"""Under ``annotation/``: the build copies it into the card's ``preannotation`` section."""


def _learned(args: argparse.Namespace, repo: Repo) -> tuple[LearnedName, ...]:
    """With ``--learned``: the names of ``annotation/learned.jsonl`` (read strictly, before any write)."""
    if not args.learned:
        return ()
    path = learned_path(repo)
    return read_learned(path, file=repo.relative(path))


def cmd_preannotate(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.gold.entities import load_registry  # lazily: these import the schema validators
    from rasd.preannotate.corpus import preannotate_corpus
    from rasd.preannotate.learned import with_learned
    from rasd.preannotate.lexicon import registry_lexicon
    from rasd.preannotate.suggest import preannotate_jsonl

    registry = load_registry(repo)
    if (args.input is None) != (args.output is None):
        raise INPUT_OPTIONS_TOGETHER()
    learned = _learned(args, repo)
    if args.input is not None:
        source = Path(args.input)
        if not source.is_file():
            raise INPUT_FILE_MISSING(path=args.input)
        lexicon = with_learned(registry_lexicon(registry), learned) if learned else registry_lexicon(registry)
        count = preannotate_jsonl(source, Path(args.output), lexicon, shown=args.input)
        print(f"suggested spans for {count} texts into {args.output}")
        return 0
    spec = engine_from_env(args.engine, args.workers, args.address)
    report = preannotate_corpus(repo, registry, spec, learned=learned)
    folder = repo.relative(predictions_dir(repo))
    print(f"{report.spans} suggested spans; {report.written} prediction files changed in {folder}")
    return 0


def cmd_normalize(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.gold.entities import load_registry  # lazily: these import the schema validators
    from rasd.preannotate.normalize import normalize_gold, normalize_predictions

    normalise = normalize_predictions if args.predictions else normalize_gold
    report = normalise(repo, load_registry(repo), dry_run=args.dry_run)
    verb = "would fill" if args.dry_run else "filled"
    which = "prediction" if args.predictions else "gold"
    print(f"{verb} {report.filled} missing values in {len(report.documents)} {which} files")
    for doc_id in report.documents:
        print(f"  {doc_id}")
    return 0


def _print_devsets(args: argparse.Namespace, repo: Repo) -> None:
    """``--devset``: each file's table (full registry), then the seeds' figures beside them."""
    from rasd.preannotate.card import devset_reports, honest, micro, role  # lazily: YAML, schemas
    from rasd.preannotate.evaluate import evaluate, scores_table

    for path, report in devset_reports(repo, args.devset):
        print(f"{repo.relative(path)} ({role(path)}): {micro(report)}")
        print(scores_table(report))
        print()
    seeds = evaluate(repo)
    print(f"seeds, leave-one-document-out: {micro(seeds)}")
    blind = honest(repo).report
    print(f"seeds, honest leave-one-out (no name of the held-out text in the lexicon): {micro(blind)}")


def cmd_eval(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.preannotate.card import card_section  # lazily: these import YAML and the schema validators
    from rasd.preannotate.evaluate import evaluate, scores_table, values_table

    if args.devset is not None:
        _print_devsets(args, repo)
    else:
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
            raise CARD_NEEDS_FULL_EVALUATION()
        path = repo.annotation_dir / REPORT_FILE
        changed = atomic_write_text(path, card_section(repo, args.devset) + "\n")
        state = "wrote" if changed else "unchanged:"
        print(f"{state} {repo.relative(path)} (the next `rasd build` puts it in the card)")
    return 0


PREANNOTATE_FORMATS = f"""\
input (--input IN.jsonl): JSON Lines, one object a line
  {{"id": "a1", "text": "...", "published": "2019-02-21"}}
  id and text are strings, ids unique and texts non-empty; published is optional
  (YYYY, YYYY-MM or YYYY-MM-DD) and resolves relative dates (الشهر الماضي).
  Every problem is reported with its line number, and then nothing is written.

output (--output OUT.jsonl): the same texts, one object a line, with their suggestions
  {{"id": "a1", "text": "...", "spans": [{{"start": 4, "end": 11, "label": "PLATFORM",
    "text": "تليجرام", "value": "telegram", "score": 0.85}}]}}
  start and end are code-point offsets into text, [start, end); label is one of
  {", ".join(LABELS)};
  value is the normalised value (ISO date, number, registry id) or null;
  score is the rule's confidence in (0, 1].

without --input: one file per document, dataset/predictions/<id>.json (the same spans
with stable ids), beside the gold and never in it; files that changed are written in
batches of {PREDICTIONS_PER_COMMIT}, each all or nothing (a run killed half-way is finished or undone
by the next rasd command), and an unchanged file is left as it is.
"""


def _flags(parser: argparse.ArgumentParser, flags: dict[str, str]) -> None:
    """On/off options: each flag and its help."""
    for flag, help_text in flags.items():
        parser.add_argument(flag, action="store_true", help=help_text)


def _add_preannotate(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    summary = "suggest spans (with scores and values) into dataset/predictions/, or for any JSON Lines text"
    p = add_engine_command(subparsers, "preannotate", summary, tail=".", epilog=PREANNOTATE_FORMATS)
    p.add_argument(
        "--input", metavar="IN.jsonl", help='lines {"id", "text"} to annotate instead of the dataset'
    )
    p.add_argument(
        "--output", metavar="OUT.jsonl", help="where to write the texts with their suggested spans"
    )
    p.add_argument(
        "--learned",
        action="store_true",
        help="also suggest the names annotators confirmed in Label Studio (annotation/learned.jsonl, "
        "kept by `rasd ls serve`); off by default, so the stored suggestions come only from "
        "reviewed sources (registry, built-in lists, rules) and can be reproduced from them",
    )
    p.set_defaults(handler=cmd_preannotate)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _add_preannotate(subparsers)
    p = subparsers.add_parser(
        "normalize", help="fill the missing normalised values of the gold spans (or the suggestions)"
    )
    _flags(
        p,
        {
            "--dry-run": "report what would be filled, write nothing",
            "--predictions": "fill the suggestions in dataset/predictions/ instead",
        },
    )
    p.set_defaults(handler=cmd_normalize)
    p = subparsers.add_parser(
        "eval", help="score suggestions and normalised values against the gold, leave-one-document-out"
    )
    _flags(
        p,
        {
            "--write-card": f"write annotation/{REPORT_FILE} for the card",
            "--no-held-out": "score with the full registry (in-sample, optimistic)",
            "--no-builtins": "ablation: without the built-in place and platform lists",
        },
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list every wrong normalised value")
    p.add_argument(
        "--devset",
        nargs="*",
        metavar="FILE",
        help="score on development-set passages (default: annotation/devset/dev.jsonl and heldout.jsonl), "
        "beside the seeds' leave-one-out and honest leave-one-out; "
        "with --write-card, these files go in the card",
    )
    p.set_defaults(handler=cmd_eval)
