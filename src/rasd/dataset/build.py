"""The data build: raw articles + gold annotations -> the Hugging Face dataset in dataset/.

``build`` streams the corpus one document at a time into parquet shards in a
temporary folder, validating every record on the way (schema, then meaning).
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

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import DatasetInfo
from tqdm import tqdm

from rasd.core.digest import sha256_file
from rasd.dataset import card
from rasd.gold.annotations import iter_gold
from rasd.text.clean import RULES
from rasd.core.errors import RasdError, RasdErrors, SpanError
from rasd.dataset.features import CONFIG_FEATURES, DEFAULT_CONFIG, schema_view
from rasd.intake.ingest import text_sha256
from rasd.core.io import atomic_write_text, read_text
from rasd.core.labels import LABEL_TABLE
from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.core.problems.requests import NO_DOCUMENTS
from rasd.validation.schema import structural_errors, write_schemas
from rasd.dataset.splits import SPLIT_ORDER
from rasd.dataset.stories import Assignment, assign
from rasd.dataset.summary import corpus_sections
from rasd.dataset.records import document_fields, provenance_fields
from rasd.dataset.unlabeled import stored_suggestions, unlabeled_record
from rasd.formats.gold import LABELED_STATUSES
from rasd.dataset.stats import Stats, compute_stats
from rasd.dataset.versionfile import DEFAULT_VERSION, read_version
from rasd.formats import records
from rasd.formats.records import MANIFEST_FILE, BuildManifest, ManifestEntry
from rasd.text.tokens import document_tokens
from rasd.validation.validate import CorpusIds

SHARD_SIZE = 2000  # documents per parquet file: small enough to stream, large enough to stay few
ROW_GROUP = 100  # documents per parquet row group


def spans_record(document: Document, story_cluster: str) -> dict[str, Any]:
    """The released ``spans`` record of a document (labels as names)."""
    return {
        **document_fields(document, story_cluster),
        "spans": [
            {"id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": s.text, "value": s.value}
            for s in document.spans
        ],
    }


def tokens_record(document: Document) -> dict[str, Any]:
    """The released ``tokens`` record: tokens split at span boundaries, BIO tags of the outermost spans."""
    offsets, tags = document_tokens(document)
    return {
        "id": document.id,
        **provenance_fields(document),
        "tokens": [document.text[s:e] for s, e in offsets],
        "ner_tags": tags,
        "token_starts": [s for s, _ in offsets],
        "token_ends": [e for _, e in offsets],
    }


@dataclass
class _Shard:
    writer: pq.ParquetWriter
    index: int
    rows: int = 0
    pending: list[dict[str, Any]] = field(default_factory=list)


class ShardWriter:
    """Parquet shards per (config, split), written as documents stream in.

    Records are buffered into row groups of ``ROW_GROUP`` documents (one row group
    per document would bloat the footer, which the writer keeps in memory), and a
    new shard starts every ``SHARD_SIZE`` documents, so memory stays bounded
    however large the corpus grows.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._open: dict[tuple[str, str], _Shard] = {}
        self.shards: dict[tuple[str, str], list[Path]] = {}
        self.counts: dict[tuple[str, str], int] = {}
        self.nbytes: dict[tuple[str, str], int] = {}

    def write(self, config: str, split: str, record: dict[str, Any]) -> None:
        key = (config, split)
        shard = self._open.get(key)
        if shard is None or shard.rows >= SHARD_SIZE:
            if shard is not None:
                self._finish(key, shard)
            shard = self._start(key, 0 if shard is None else shard.index + 1)
        shard.pending.append(CONFIG_FEATURES[config].encode_example(record))
        shard.rows += 1
        self.counts[key] = self.counts.get(key, 0) + 1
        if len(shard.pending) >= ROW_GROUP:
            self._flush(key, shard)

    def _start(self, key: tuple[str, str], index: int) -> _Shard:
        config, split = key
        path = self.folder / config / f"{split}-{index:05d}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        shard = _Shard(pq.ParquetWriter(path, CONFIG_FEATURES[config].arrow_schema), index)
        self.shards.setdefault(key, []).append(path)
        self._open[key] = shard
        return shard

    def _flush(self, key: tuple[str, str], shard: _Shard) -> None:
        if shard.pending:
            schema = CONFIG_FEATURES[key[0]].arrow_schema
            table = pa.Table.from_pylist(shard.pending, schema=schema)
            shard.writer.write_table(table)
            self.nbytes[key] = self.nbytes.get(key, 0) + table.nbytes
            shard.pending = []

    def _finish(self, key: tuple[str, str], shard: _Shard) -> None:
        self._flush(key, shard)
        shard.writer.close()

    def close(self) -> dict[str, Path]:
        """Close every shard and give them their final ``-NNNNN-of-NNNNN`` names."""
        for key, shard in self._open.items():
            self._finish(key, shard)
        final: dict[str, Path] = {}
        for (config, split), paths in sorted(self.shards.items()):
            for i, path in enumerate(paths):
                name = f"data/{config}/{split}-{i:05d}-of-{len(paths):05d}.parquet"
                final[name] = path
        return final


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


def _iter_with_progress(
    documents: Iterator[tuple[Document, str]], progress: bool
) -> Iterator[tuple[Document, str]]:
    # tqdm's stubs type the wrapper as Any
    bar: Iterator[tuple[Document, str]] = tqdm(
        documents, desc="building", unit="doc", disable=None if progress else True
    )
    return bar


@dataclass(frozen=True)
class BuildItem:
    """One valid document of the build: its split, status and records by config."""

    split: str
    status: str
    records: dict[str, dict[str, Any]]


def _labeled_records(
    document: Document, cluster: str, ids: CorpusIds, problems: list[RasdError]
) -> dict[str, dict[str, Any]]:
    record = spans_record(document, cluster)
    shown = f"dataset/annotations/{document.id}.json"
    problems += structural_errors(
        "document.schema.json", schema_view(record), file=shown, document=document.id
    )
    problems += ids.check(document.id, document.spans, file=shown)
    try:
        return {"spans": record, "tokens": tokens_record(document)}
    except SpanError as exc:
        problems.append(exc)
        return {}


def iter_build_records(
    repo: Repo, errors: list[RasdError], *, progress: bool = False, assignment: Assignment | None = None
) -> Iterator[BuildItem]:
    """Every valid document with its split (per story cluster), status and records, streaming.

    ``complete`` and ``adjudicated`` documents give ``spans`` and ``tokens``
    records; the others an ``unlabeled`` record.  Every problem (annotation
    files, schema, corpus-wide ids, token alignment, stored suggestions) is
    appended to ``errors``; a story cluster released in two splits is raised.
    """
    assignment = assignment or assign(repo)
    ids = CorpusIds()
    for document, status in _iter_with_progress(iter_gold(repo, errors=errors), progress):
        cluster = assignment.cluster_of(document.id)
        problems: list[RasdError] = []
        if status in LABELED_STATUSES:
            records = _labeled_records(document, cluster, ids, problems)
        else:
            suggestions = stored_suggestions(repo, document, problems)
            records = {"unlabeled": unlabeled_record(document, status, cluster, suggestions)}
        errors += problems
        if not problems:
            yield BuildItem(assignment.splits[document.id], status, records)


def iter_release_records(
    repo: Repo, errors: list[RasdError], *, progress: bool = False
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """``(split, spans record, tokens record)`` of every valid annotated document, streaming.

    Every problem is appended to ``errors``; the build, ``rasd validate`` and
    ``rasd diff`` share this loop (``iter_build_records``).
    """
    for item in iter_build_records(repo, errors, progress=progress):
        if "spans" in item.records:
            yield item.split, item.records["spans"], item.records["tokens"]


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


def build(repo: Repo, *, progress: bool = True, hooks: BuildHooks = BuildHooks()) -> BuildReport:
    """Build ``dataset/`` from ``dataset/raw`` and ``dataset/annotations``; raise every problem at once."""
    report = BuildReport(version=read_version(repo))
    report.changed += [f"schema/{name}" for name in write_schemas(repo)]
    errors: list[RasdError] = []
    repo.dataset_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_build_folders(repo)
    tmp = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=repo.dataset_dir))
    try:
        writer = ShardWriter(tmp / "data")
        assignment = assign(repo)
        report.shared_clusters = assignment.shared()
        for item in iter_build_records(repo, errors, progress=progress, assignment=assignment):
            report.documents += 1
            report.statuses[item.status] += 1
            for config, record in item.records.items():
                writer.write(config, item.split, record)
        shards = writer.close()
        if errors:
            raise RasdErrors(errors, summary="problems found; nothing was written")
        if not shards:
            raise NO_DOCUMENTS(file=repo.relative(repo.raw_dir))
        final_dir = tmp / "final"
        for name, path in shards.items():
            (final_dir / name).parent.mkdir(parents=True, exist_ok=True)
            path.rename(final_dir / name)
        report.stats = compute_stats(final_dir / "data")
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
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return report


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
