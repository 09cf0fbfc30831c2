"""The data build: raw articles + gold annotations -> the Hugging Face dataset in dataset/.

``build`` streams the corpus in batches through the engine (``rasd.core.engine``:
every core by default, or a Dask cluster) in two passes (``rasd.dataset.buildpass``):
the first validates every document (schema, then meaning) and the corpus-wide
rules, the second writes the records into parquet shards in a temporary folder,
in document-id order.  Per-document work is cached by a digest of its inputs
(``rasd.dataset.docwork``), so a rebuild recomputes only what changed.
Only when the whole corpus is valid are the shards moved into ``dataset/data``
and the card, README and manifest rewritten, so a failed build changes no
released file.  The output is a pure function of the inputs: running the build
twice leaves every file byte-identical.

This module is the data build alone.  What the layers above add (the guard
that keeps released data immutable, card sections about versions, the Label
Studio config, the chart, Croissant) comes in as ``BuildHooks``; ``rasd.pipeline``
composes the whole ``rasd build``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datasets import DatasetInfo

from rasd.core.digest import sha256_file
from rasd.core.engine import Engine, EngineSpec, engine_from_env
from rasd.core.errors import RasdError, RasdErrors, unbundle
from rasd.core.io import atomic_write_text, read_text
from rasd.core.labels import LABEL_TABLE
from rasd.core.paths import Repo
from rasd.core.problems.requests import NO_DOCUMENTS
from rasd.dataset import card, textpart
from rasd.dataset.buildpass import (
    BATCH,
    Scan,
    SecondPass,
    cache_folder,
    cache_records,
    scan,
    text_cache_records,
)
from rasd.dataset.docwork import spans_record, tokens_record
from rasd.dataset.features import CONFIG_FEATURES, DEFAULT_CONFIG
from rasd.dataset.shards import ShardWriter
from rasd.dataset.splits import SPLIT_ORDER
from rasd.dataset.stats import Stats
from rasd.dataset.stories import Assignment, assign_clusters
from rasd.dataset.summary import corpus_sections
from rasd.dataset.versionfile import DEFAULT_VERSION, read_version
from rasd.formats import buildcache, records
from rasd.formats.records import MANIFEST_FILE, BuildManifest, ManifestEntry
from rasd.text.clean import RULES
from rasd.validation.schema import write_schemas

__all__ = ["BuildHooks", "BuildOptions", "BuildReport", "build", "spans_record", "tokens_record"]


@dataclass
class BuildReport:
    documents: int = 0
    stats: Stats = field(default_factory=Stats)
    changed: list[str] = field(default_factory=list)
    version: str = DEFAULT_VERSION
    statuses: Counter[str] = field(default_factory=Counter)
    """Documents per annotation status (``documents`` counts every one, labeled or not)."""
    shared_clusters: dict[str, list[str]] = field(default_factory=dict)
    """Story clusters with more than one member."""
    recomputed: int = 0
    """Documents whose records were computed in this build (their inputs, or the code, changed)."""
    cached: int = 0
    """Documents whose records came from the per-document cache unchanged."""


@dataclass(frozen=True)
class BuildItem:
    """One valid document of the build: its split, status and records by config."""

    split: str
    status: str
    records: dict[str, dict[str, Any]]


def iter_build_records(
    repo: Repo,
    errors: list[RasdError],
    *,
    progress: bool = False,
    spec: EngineSpec | None = None,
    cache: Path | None = None,
) -> Iterator[BuildItem]:
    """Every document with its split (per story cluster), status and records, streaming, in id order.

    ``complete`` and ``adjudicated`` documents give ``spans`` and ``tokens``
    records; the others an ``unlabeled`` record.  Every problem (annotation
    files, schema, corpus-wide ids, token alignment, stored suggestions) is
    appended to ``errors``, and then nothing is yielded; raw files that cannot
    be read and a story cluster released in two splits are raised.
    """
    with (
        Engine(spec or engine_from_env()) as engine,
        tempfile.TemporaryDirectory(prefix="rasd-cache-") as fresh,
    ):
        found = scan(repo, errors, engine=engine, cache=cache or cache_folder(repo), fresh=Path(fresh))
        if errors:
            return
        assignment = assign_clusters(repo, found.clusters)
        for split, status, records in SecondPass(repo, found, assignment, engine).records():
            yield BuildItem(split, status, records)


def iter_release_records(
    repo: Repo, errors: list[RasdError], *, progress: bool = False, spec: EngineSpec | None = None
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """``(split, spans record, tokens record)`` of every annotated document, streaming.

    Every problem is appended to ``errors``; the build and ``rasd diff`` share this
    loop (``iter_build_records``).
    """
    for item in iter_build_records(repo, errors, progress=progress, spec=spec):
        if "spans" in item.records:
            yield item.split, item.records["spans"], item.records["tokens"]


def check_inputs(repo: Repo, *, spec: EngineSpec | None = None) -> list[RasdError]:
    """Every problem the build would find in the inputs (``rasd validate``), without writing the data."""
    errors: list[RasdError] = []
    try:
        with Engine(spec or engine_from_env()) as engine, tempfile.TemporaryDirectory() as fresh:
            found = scan(repo, errors, engine=engine, cache=cache_folder(repo), fresh=Path(fresh))
        if not errors:
            assign_clusters(repo, found.clusters)
    except RasdError as error:  # raw intake, a cluster in two splits
        errors += unbundle(error)
    return errors


BUILD_PREFIX = ".build-"
"""The build's temporary folder inside ``dataset/`` (same file system, so installing is a rename)."""


def remove_stale_build_folders(repo: Repo) -> list[Path]:
    """Remove the temporary folders of builds that were killed before they could clean up."""
    stale = sorted(p for p in repo.dataset_dir.glob(f"{BUILD_PREFIX}*") if p.is_dir())
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


BuildStep = Callable[[Repo], list[str]]
"""An artefact generated after the data is installed; returns the files it changed."""
BuildGuard = Callable[[Repo, str, Path, Iterable[str]], None]
"""Called with (repo, version, built folder, data file names) before installing; raises to refuse."""
CardSections = Callable[[Repo], dict[str, str]]
"""Generated card sections that come from outside the data (name -> Markdown)."""


@dataclass(frozen=True)
class BuildHooks:
    """What the layers above the data build add to it (``rasd.pipeline`` passes them)."""

    guard: BuildGuard | None = None
    sections: CardSections | None = None
    steps: tuple[BuildStep, ...] = ()


@dataclass(frozen=True)
class BuildOptions:
    """How the build runs (never what it makes: the output is the same bytes whatever these are)."""

    spec: EngineSpec | None = None
    """The engine (``None``: ``engine_from_env``, local processes on every core by default)."""
    batch: int = BATCH
    cache: bool = True
    """Keep the per-document cache (``.rasd-cache/build/``); ``False``: a cold build, nothing kept."""
    cache_folder: Path | None = None
    """Another cache folder (a release builds in a staging copy but shares the repository's cache)."""


def _write_data(
    repo: Repo, tmp: Path, report: BuildReport, options: BuildOptions, progress: bool
) -> tuple[ShardWriter, Assignment, Scan]:
    """Both passes on one engine session: problems raised before anything is written, then ``tmp/data``."""
    cache = options.cache_folder or (cache_folder(repo) if options.cache else tmp / "no-cache")
    errors: list[RasdError] = []
    with Engine(options.spec or engine_from_env()) as engine:
        found = scan(
            repo,
            errors,
            engine=engine,
            cache=cache,
            fresh=tmp / "cache",
            batch=options.batch,
            progress=progress,
        )
        if errors:
            raise RasdErrors(errors, summary="problems found; nothing was written")
        report.documents, report.statuses = found.documents, found.statuses
        report.recomputed, report.cached = found.computed, found.documents - found.computed
        assignment = assign_clusters(repo, found.clusters)
        report.shared_clusters = assignment.shared()
        writer = ShardWriter(tmp / "data")
        for tables in SecondPass(repo, found, assignment, engine, options.batch, progress).tables():
            for config, split, rows in tables.rows:
                writer.write_rows(config, split, rows)
            writer.stats.add(tables.stats)
    return writer, assignment, found


def build(
    repo: Repo,
    *,
    progress: bool = True,
    hooks: BuildHooks = BuildHooks(),
    options: BuildOptions = BuildOptions(),
) -> BuildReport:
    """Build ``dataset/`` from ``dataset/raw`` and ``dataset/annotations``; raise every problem at once."""
    report = BuildReport(version=read_version(repo))
    report.changed += [f"schema/{name}" for name in write_schemas(repo)]
    repo.dataset_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_build_folders(repo)
    tmp = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=repo.dataset_dir))
    try:
        writer, assignment, found = _write_data(repo, tmp, report, options, progress)
        shards = writer.close()
        if not shards:
            raise NO_DOCUMENTS(file=repo.relative(repo.raw_dir))
        final_dir = tmp / "final"
        for name, path in shards.items():
            (final_dir / name).parent.mkdir(parents=True, exist_ok=True)
            path.rename(final_dir / name)
        report.stats = writer.stats
        if hooks.guard is not None:
            hooks.guard(repo, report.version, final_dir, set(shards))
        report.changed += _install_data(repo, final_dir, set(shards))
        sections = hooks.sections(repo) if hooks.sections is not None else {}
        sections = {
            **corpus_sections(report.statuses, report.shared_clusters, len(assignment.clusters.members())),
            **sections,
        }
        report.changed += write_card(
            repo, report.stats, writer.counts, writer.nbytes, report.version, sections
        )
        for step in hooks.steps:
            report.changed += step(repo)
        report.changed += write_manifest(repo, report.version)
        if options.cache:
            _keep_cache(repo, tmp / "cache", options, found)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return report


def _keep_cache(repo: Repo, fresh: Path, options: BuildOptions, found: Scan) -> None:
    """Adopt this build's new cache entries and drop the ones no document has any more.

    The records cache, then the text parts' (``rasd.dataset.textpart``): each
    commit is crash-safe on its own, and a text cache left as it was only costs time.
    """
    folder = options.cache_folder or cache_folder(repo)
    prune = options.cache_folder is None
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time on the next build
        buildcache.commit(folder, fresh, cache_records(found), prune=prune)
    with contextlib.suppress(OSError):
        buildcache.commit(
            textpart.cache_of(folder), textpart.fresh_of(fresh), text_cache_records(found), prune=prune
        )


def _install_data(repo: Repo, final_dir: Path, names: set[str]) -> list[str]:
    """Move new data files in (by an atomic rename, only when their bytes differ) and drop stale ones."""
    changed = []
    for name in sorted(names):
        target = repo.dataset_dir / name
        if target.exists() and sha256_file(target) == sha256_file(final_dir / name):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(final_dir / name, target)  # the build folder is inside dataset/: same file system
        changed.append(f"dataset/{name}")
    for stale in sorted(repo.data_dir.glob("*/*.parquet")):
        name = stale.relative_to(repo.dataset_dir).as_posix()
        if name not in names:
            stale.unlink()
            changed.append(f"dataset/{name} (removed)")
    return changed


def data_files(repo: Repo) -> list[str]:
    return sorted(p.relative_to(repo.dataset_dir).as_posix() for p in repo.data_dir.glob("*/*.parquet"))


def write_manifest(repo: Repo, version: str) -> list[str]:
    """Record the sha256 and size of every released data file and of the README."""
    files = {}
    for name in [*data_files(repo), "README.md"]:
        path = repo.dataset_dir / name
        files[name] = ManifestEntry(sha256_file(path), path.stat().st_size)
    changed = records.write_manifest(repo.dataset_dir / MANIFEST_FILE, BuildManifest(version, files))
    return [f"dataset/{MANIFEST_FILE}"] if changed else []


def yaml_configs(
    counts: dict[tuple[str, str], int], nbytes: dict[tuple[str, str], int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``configs`` and ``dataset_info`` YAML of the card, from the features and the counts."""
    configs, infos = [], []
    for config, features in CONFIG_FEATURES.items():
        splits = [s for s in SPLIT_ORDER if counts.get((config, s))]
        if not splits:
            continue  # a config with no document is not declared: load_dataset would find no file
        entry: dict[str, Any] = {"config_name": config}
        if config == DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": s, "path": f"data/{config}/{s}-*.parquet"} for s in splits]
        configs.append(entry)
        info = DatasetInfo(features=features)._to_yaml_dict()
        infos.append(
            {
                "config_name": config,
                "features": info["features"],
                "splits": [
                    {"name": s, "num_bytes": nbytes[(config, s)], "num_examples": counts[(config, s)]}
                    for s in splits
                ],
            }
        )
    return configs, infos


def size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n < limit:
            return name
    return "100K<n<1M"


def card_sections(stats: Stats) -> dict[str, str]:
    """The generated sections of the card."""
    labels = card.markdown_table(
        ["label", "hotkey", "definition"], [[i.name, i.hotkey, i.description] for i in LABEL_TABLE]
    )
    rules = "\n".join(f"{n}. **{r.name}**: {r.description}" for n, r in enumerate(RULES, 1))
    return {
        "labels": labels,
        "cleaning-rules": rules,
        "statistics": stats.table() + "\n\n" + stats.label_table(),
    }


def write_card(
    repo: Repo,
    stats: Stats,
    counts: dict[tuple[str, str], int],
    nbytes: dict[tuple[str, str], int],
    version: str,
    sections: dict[str, str],
) -> list[str]:
    """Regenerate ``dataset_card.md`` and its copy ``dataset/README.md`` (``sections``: from the hooks)."""
    configs, infos = yaml_configs(counts, nbytes)
    total = sum(n for (config, _), n in counts.items() if config == DEFAULT_CONFIG)
    rendered = card.render_card(
        read_text(repo.card_file, file="dataset_card.md"),
        {
            "version": version,  # the keys of card.GENERATED_KEYS
            "size_categories": [size_category(total)],
            "configs": configs,
            "dataset_info": infos,
        },
        {**card_sections(stats), **sections},
    )
    changed = []
    if atomic_write_text(repo.card_file, rendered):
        changed.append("dataset_card.md")
    if atomic_write_text(repo.dataset_dir / "README.md", rendered):
        changed.append("dataset/README.md")
    return changed
