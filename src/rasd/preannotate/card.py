"""The card's pre-annotation section: seeds (leave-one-out, honest), and the development sets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rasd.core.paths import Repo
from rasd.formats.predictions import read_gold_texts
from rasd.gold.annotations import load_corpus
from rasd.gold.entities import load_registry
from rasd.preannotate.devset import (
    ROLES,
    HonestReport,
    devset_paths,
    evaluate_devset,
    evaluate_honest,
    evaluate_passages_blind,
)
from rasd.preannotate.evaluate import EvalReport, eval_markdown, evaluate, scores_table
from rasd.preannotate.lexicon import registry_lexicon


def micro(report: EvalReport) -> str:
    """The micro strict and partial F1 of a report, in one phrase."""
    return (
        f"strict F1 {report.overall.strict.f1(0):.2f}, partial F1 {report.overall.partial.f1(0.5):.2f} "
        f"({report.documents} texts)"
    )


def role(path: Path) -> str:
    return ROLES.get(path.name, "not tuned on")


def devset_reports(repo: Repo, files: Sequence[str] | None) -> list[tuple[Path, EvalReport]]:
    lexicon = registry_lexicon(load_registry(repo))
    return [(p, evaluate_devset(p, lexicon, shown=repo.relative(p))) for p in devset_paths(repo, files)]


def honest(repo: Repo) -> HonestReport:
    return evaluate_honest(list(load_corpus(repo)), load_registry(repo))


def honest_markdown(result: HonestReport) -> str:
    removed = sum(len(keys) for keys in result.removed.values())
    return (
        "**Honest leave-one-out on the seeds** (no name of the held-out text in the lexicon): each held-out "
        "document is scored with the leave-one-out registry and the built-in lists (places, platforms, "
        "organisations, given names) minus "
        "every name they match in that document's text (exactly, with or without the article, or loosely; "
        f"repeated until nothing matches): {removed} phrase keys removed over "
        f"{len(result.removed)} documents. "
        "What remains is the rules alone on the names.\n\n" + scores_table(result.report)
    )


def strict_cells(report: EvalReport) -> str:
    """Per-label and overall strict F1 of a report, in one line."""
    return ", ".join(
        f"{name} {result.strict.f1(0):.2f}"
        for name, result in [*report.labels.items(), ("overall", report.overall)]
    )


def devset_markdown(repo: Repo, reports: Sequence[tuple[Path, EvalReport]]) -> str:
    entities = load_registry(repo).entities
    parts = []
    for path, report in reports:
        blind = evaluate_passages_blind(read_gold_texts(path, file=repo.relative(path)), entities)
        parts.append(
            f"**`{repo.relative(path)}`, {role(path)}** (full registry and built-in lists, "
            f"{report.documents} passages):\n\n"
            + scores_table(report)
            + "\n\nThe same passages with no name of each passage in the lexicon (registry, built-in "
            "lists and given names, removed as in the honest leave-one-out below; the rules alone), "
            f"strict F1: {strict_cells(blind)}."
        )
    return "\n\n".join(parts)


def card_section(repo: Repo, files: Sequence[str] | None = None) -> str:
    """The card text: the development sets first (the figures that generalise), then the seeds."""
    seeds = eval_markdown(evaluate(repo), evaluate(repo, builtins=False))
    honest_part = honest_markdown(honest(repo))
    devsets = devset_markdown(repo, devset_reports(repo, files))
    return (
        "### On text the rules were not written from\n\n"
        + devsets
        + "\n\n### On the seed documents\n\n"
        + honest_part
        + "\n\n"
        + seeds
        + "\n\n"
        + LISTS_NOTE
    )


LISTS_NOTE = (
    "### The built-in lists\n\n"
    "Beside the entity registry, the suggester reads four lists in `src/rasd/preannotate/data/`: "
    "places (`places.tsv`), online platforms (`platforms.tsv`), organisations (`orgs.tsv`) and given "
    "names (`given_names.txt`). They were written by the project from general knowledge, not copied from "
    "any list or data set, and are distributed under Rasd's own licence. The video, messaging and "
    "file-sharing services in `platforms.tsv` (Rocket.Chat, TamTam, Hoop, Element/Riot, ZeroNet, "
    "Archive.org, JustPaste.it, Dailymotion, Vimeo, Odysee, BitChute, Mega, Top4Top, Nandbox, Chirpwire, "
    "Threema, Conversations ...) are those that reporting on extremist media online names; the sources "
    "are cited in the file (GNET Insights and reports, gnet-research.org, 2020-2023; HSToday). Several "
    "names in these lists also occur in the development set, which is why its rules-alone figure is "
    "given beside each table."
)
