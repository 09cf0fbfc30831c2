"""Card sections generated from files in the repository rather than from the build's counts.

- ``versions``: the released versions (from ``dataset/releases/*.diff.json``),
  how to load one, and the bump rules;
- ``chart``: the label-distribution picture the build draws;
- ``agreement`` and ``preannotation``: the Markdown reports that the annotation
  and pre-annotation tooling write to ``annotation/reports/agreement.md`` and
  ``annotation/reports/preannotation.md``, copied in when present, so the card
  only ever shows measured figures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rasd.core.io import read_text
from rasd.core.paths import Repo
from rasd.dataset.card import markdown_table
from rasd.dataset.chart import CHART_FILE
from rasd.formats.records import RELEASES, read_diff
from rasd.gold.agreement import agreement_section, repo_agreement
from rasd.versions.versioning import Version, parse_version, rules_table

REPORTS: dict[str, tuple[str, str]] = {
    "preannotation": (
        "preannotation.md",
        "No pre-annotation scores have been measured for this version yet.",
    ),
}
"""Section name → (report file under ``annotation/reports/``, text when it is absent)."""


def _diff_row(path: Path, shown: str) -> tuple[Version, list[object]]:
    data = read_diff(path, file=shown)
    version = parse_version(data["version"], file=shown)
    return version, [
        str(version),
        data["bump"],
        data["previous"] or "–",
        data["documents"]["after"],
        sum(row["spans after"] for row in data["per_label"]),
        len(data["span_changes"]),
        len(data["document_changes"]),
    ]


def release_rows(repo: Repo) -> list[list[object]]:
    """One row per release, newest first."""
    rows = [
        _diff_row(path, repo.relative(path)) for path in (repo.dataset_dir / RELEASES).glob("v*.diff.json")
    ]
    return [row for _, row in sorted(rows, key=lambda item: item[0], reverse=True)]


def versions_section(repo: Repo) -> str:
    rows = release_rows(repo)
    releases = (
        markdown_table(
            ["version", "bump", "from", "documents", "spans", "spans changed", "documents changed"], rows
        )
        if rows
        else "No version has been released yet."
    )
    loading = (
        'Load a version from the Hub with `load_dataset(REPO_ID, revision="vX.Y.Z")`, or from a clone '
        "of the repository with `rasd checkout vX.Y.Z DIR` and then `load_dataset(DIR)`. The span-level "
        "changes of each release are in `CHANGELOG.md` and `releases/vX.Y.Z.diff.json`, and the sha256 of "
        "every released file in `releases/vX.Y.Z.json` (`rasd verify` checks them)."
    )
    rules = markdown_table(["change", "bump", "meaning"], rules_table())
    return f"{releases}\n\n{loading}\n\nBump rules:\n\n{rules}"


def chart_section(repo: Repo) -> str:
    return f"![Spans per label and split]({CHART_FILE})"


def report_section(repo: Repo, name: str) -> str:
    filename, absent = REPORTS[name]
    path = repo.annotation_dir / "reports" / filename
    return read_text(path, file=repo.relative(path)).strip() if path.exists() else absent


SECTION_BUILDERS: dict[str, Callable[[Repo], str]] = {
    "versions": versions_section,
    "chart": chart_section,
    "agreement": lambda repo: agreement_section(repo_agreement(repo)),
    "preannotation": lambda repo: report_section(repo, "preannotation"),
}


def repo_sections(repo: Repo) -> dict[str, str]:
    """Every section of this module, for the build's card hook."""
    return {name: builder(repo) for name, builder in SECTION_BUILDERS.items()}
