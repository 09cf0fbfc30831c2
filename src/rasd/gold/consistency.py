"""Consistency checks over the gold corpus: the annotation mistakes a schema cannot see.

The span validator (``rasd.validation.validate``) rejects spans that are
impossible; these checks flag spans that are *probably wrong* by the annotation
spec: the same string labelled differently in two places, a repeat left
unlabelled, a boundary inside a word, a proclitic, quote, type word or
approximator inside a span, an organisation or platform without a canonical id
from the registry.  They are warnings: an annotation that is right despite one
carries a short reason in its ``note`` field, and a noted span is not warned
about again, so ``rasd check --strict`` passes on reviewed data and fails on
anything new.

Each check is a small function from the corpus to warnings, in its family's
module (``repeats``, ``boundaries``, ``normalised``), listed in ``CHECKS`` under
the name the CLI and the messages use.
"""

from __future__ import annotations

from rasd.core.paths import Repo
from rasd.gold.boundaries import iter_outside_material_problems, iter_word_boundary_problems
from rasd.gold.corpus import Check, Corpus, Finding, load_gold
from rasd.gold.normalised import iter_canonical_id_problems, iter_value_format_problems
from rasd.gold.repeats import iter_label_conflict_problems, iter_missed_repeat_problems

CHECKS: dict[str, Check] = {
    "label-conflict": iter_label_conflict_problems,
    "missed-repeat": iter_missed_repeat_problems,
    "word-boundary": iter_word_boundary_problems,
    "outside-material": iter_outside_material_problems,
    "canonical-id": iter_canonical_id_problems,
    "value-format": iter_value_format_problems,
}


def check_corpus(corpus: Corpus, names: tuple[str, ...] | None = None) -> list[Finding]:
    """Every warning of the named checks (all by default), each marked with the span's note if any."""
    findings = []
    for name in names or tuple(CHECKS):
        for warning, span in CHECKS[name](corpus):
            warning.values["check"] = name
            findings.append(Finding(name, warning, span.note if span else None))
    return findings


def check_repo(repo: Repo, names: tuple[str, ...] | None = None) -> list[Finding]:
    return check_corpus(load_gold(repo), names)
