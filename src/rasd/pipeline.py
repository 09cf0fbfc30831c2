"""The whole ``rasd build`` and ``rasd release``: the data build with everything composed around it.

``rasd.dataset.build`` builds the data alone; the layers above it add, through
``BuildHooks``:

- the release guard (``rasd.versions.manifest.check_build``): a build may not
  change the data of a released version;
- the card sections about versions, the chart and the reports
  (``rasd.versions.cardsections``);
- generated artefacts: the Label Studio labeling config, the label chart and
  the Croissant metadata.

This module is the one place that knows all of them, so the command line calls
it, and ``rasd.versions.release`` takes the build as a parameter instead of
importing upward.
"""

from __future__ import annotations

from functools import partial

from rasd.core.paths import Repo
from rasd.dataset import build as data_build
from rasd.dataset.build import BuildHooks, BuildOptions, BuildReport
from rasd.dataset.buildpass import cache_folder
from rasd.dataset.chart import write_chart
from rasd.dataset.croissant import write_croissant
from rasd.labelstudio.config import write_label_config
from rasd.versions.cardsections import repo_sections
from rasd.versions.checkout import iter_checkout_problems
from rasd.versions.manifest import VerifyReport, check_build
from rasd.versions.manifest import verify as manifest_verify
from rasd.versions.release import ReleaseResult, cut_release
from rasd.versions.staging import finish_interrupted

HOOKS = BuildHooks(
    guard=check_build,
    sections=repo_sections,
    steps=(write_label_config, write_chart, write_croissant),
)
"""The order of the steps is the order of the files in ``report.changed``."""


def build(repo: Repo, *, progress: bool = True, options: BuildOptions | None = None) -> BuildReport:
    """``rasd build``: the data, the card with every section, and every generated artefact.

    An interrupted release is finished (or discarded) first, so the build never
    starts from a half-moved tree.  ``options``: the engine, batch size and
    per-document cache (they change how fast, never what is built).
    """
    finish_interrupted(repo)
    return data_build.build(repo, progress=progress, hooks=HOOKS, options=options or BuildOptions())


def release(
    repo: Repo, bump: str, *, tag: bool = False, notes: str = "", progress: bool = False
) -> ReleaseResult:
    """``rasd release``: a new version, built by the full ``build``.

    The release builds in a staging copy; it shares this repository's per-document
    cache (entries are keyed by content, so a copy's are the same).
    """
    options = BuildOptions(cache_folder=cache_folder(repo))
    return cut_release(
        repo, bump, build=partial(build, progress=progress, options=options), tag=tag, notes=notes
    )


def verify(repo: Repo) -> VerifyReport:
    """``rasd verify``: the current version's files, and every recorded release still checks out.

    An interrupted release is finished (or discarded) first; then the files are
    checked against the build manifest and the release record, and every file of
    every recorded release must be recoverable (working tree or git).
    """
    finished = finish_interrupted(repo)
    report = manifest_verify(repo)
    if finished:
        report.notes.insert(0, finished)
    report.errors += iter_checkout_problems(repo)
    return report
