"""Reading the released dataset back, as a researcher's code would see it.

Records are streamed from the parquet files (one batch at a time) with
``ClassLabel`` integers turned back into label names, then checked with the
same two layers as the inputs: the JSON Schema, then the semantic checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rasd.core.errors import RasdError
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.core.problems.versions import RAW_NOT_RELEASED, RELEASED_WITHOUT_RAW
from rasd.dataset.features import SPAN_LABEL, schema_view
from rasd.dataset.parquet import iter_rows
from rasd.intake.ingest import document_id, raw_files
from rasd.validation.schema import structural_errors
from rasd.validation.validate import CorpusIds, semantic_errors

_SPAN_LISTS = {"spans": "spans", "unlabeled": "suggestions"}
"""The list of spans (labels stored as ``ClassLabel`` integers) in each config's records."""


def iter_released_records(repo: Repo, config: str = "spans") -> Iterator[tuple[Path, dict[str, Any]]]:
    """``(file, record)`` for every released record of ``config``, labels as names."""
    for path in sorted((repo.data_dir / config).glob("*.parquet")):
        for record in iter_rows(path, file=repo.relative(path)):
            for span in record.get(_SPAN_LISTS.get(config, ""), ()):
                span["label"] = SPAN_LABEL.int2str(span["label"])
            yield path, record


def record_spans(record: dict[str, Any]) -> list[Span]:
    return [
        Span(start=s["start"], end=s["end"], label=s["label"], id=s["id"], text=s["text"], value=s["value"])
        for s in record["spans"]
    ]


def _record_problems(repo: Repo, seen: set[str]) -> list[RasdError]:
    """Schema and meaning of every released record; the ids seen are added to ``seen``."""
    errors: list[RasdError] = []
    ids = CorpusIds()
    for path, record in iter_released_records(repo):
        shown = repo.relative(path)
        doc_id = record.get("id")
        seen.add(str(doc_id))
        problems = structural_errors("document.schema.json", schema_view(record), file=shown, document=doc_id)
        if not problems:
            spans = record_spans(record)
            problems += semantic_errors(record["id"], record["text"], spans, file=shown)
            problems += ids.check(record["id"], spans, file=shown)
        errors += problems
    return errors


def validate_released(repo: Repo) -> list[RasdError]:
    """Every problem in the released ``spans`` records; documents in neither ``spans`` nor ``unlabeled``."""
    errors: list[RasdError] = []
    seen: set[str] = set()
    try:
        errors += _record_problems(repo, seen)
        seen.update(str(record.get("id")) for _, record in iter_released_records(repo, "unlabeled"))
    except RasdError as error:  # a damaged data file stops the stream
        errors.append(error)
    expected = {document_id(p) for p in raw_files(repo)}
    for missing in sorted(expected - seen):
        errors.append(RAW_NOT_RELEASED(file=repo.relative(repo.data_dir), document=missing))
    for extra in sorted(seen - expected):
        errors.append(RELEASED_WITHOUT_RAW(file=repo.relative(repo.data_dir), document=extra))
    return errors
