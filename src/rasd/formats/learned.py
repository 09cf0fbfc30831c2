"""``annotation/learned.jsonl``: names annotators confirmed in Label Studio, candidates for the lexicon.

``rasd ls serve`` (the Label Studio ML backend) keeps one line per name an
annotator labelled in a submitted annotation::

    {"text": "…", "label": "PERSON", "annotator": "7", "task": "12", "annotation": 31,
     "time": "2026-12-02T10:31:07Z"}

The file is a reviewable list of *candidates*: the pre-annotator suggests them
in the rest of the corpus, a maintainer reads them with ``rasd ls learned`` and
may delete lines, and nothing here is ever gold (gold comes only from
``rasd ls pull``).  It is rewritten whole and atomically at each change
(``rasd.core.io``), so a process killed mid-write leaves the previous file, never
half a line.  Reading is strict: every malformed line is a named error with its
line number (``RASD-E791``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.core.errors import RasdError, raise_all
from rasd.core.io import atomic_write_text, iter_json_lines, writing_errors
from rasd.core.labels import Label, parse_label
from rasd.core.paths import Repo
from rasd.core.problems.preannotate import LEARNED_LINE_MALFORMED

LEARNED_FILE = "learned.jsonl"
TEXT_FIELDS = ("text", "annotator", "task", "time")


@dataclass(frozen=True, order=True)
class LearnedName:
    """One name an annotator confirmed: its text and label, who, in which task and annotation, when."""

    text: str
    label: Label
    annotator: str
    task: str
    time: str
    annotation: int | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes a line unique: the same name confirmed again in the same task is one line."""
        return (self.text, self.label, self.annotator, self.task)


def learned_path(repo: Repo) -> Path:
    """Beside the guidelines and the labeling config, outside ``dataset/`` (it is never gold)."""
    return repo.annotation_dir / LEARNED_FILE


def learned_record(name: LearnedName) -> dict[str, Any]:
    record: dict[str, Any] = {
        "text": name.text,
        "label": str(name.label),
        "annotator": name.annotator,
        "task": name.task,
        "annotation": name.annotation,
        "time": name.time,
    }
    if name.annotation is None:
        del record["annotation"]
    return record


def render_learned(names: Iterable[LearnedName]) -> str:
    return "".join(json.dumps(learned_record(n), ensure_ascii=False) + "\n" for n in names)


def write_learned(path: Path, names: Iterable[LearnedName], *, file: str) -> bool:
    """Rewrite the file atomically with ``names`` in the given order; False when it held exactly these."""
    with writing_errors(file):
        return atomic_write_text(path, render_learned(names))


def _line_problem(record: Any) -> str | None:
    """What is wrong with one parsed line, or None."""
    if not isinstance(record, dict):
        return "not a JSON object"
    missing = [f for f in (*TEXT_FIELDS, "label") if not isinstance(record.get(f), str) or not record[f]]
    if missing:
        return "missing or empty text field(s): " + ", ".join(missing)
    if parse_label(record["label"]) is None:
        return f"{record['label']!r} is not a label ({', '.join(Label)})"
    annotation = record.get("annotation")
    if annotation is not None and (not isinstance(annotation, int) or isinstance(annotation, bool)):
        return "`annotation` must be an annotation id (a whole number)"
    unknown = sorted(set(record) - {*TEXT_FIELDS, "label", "annotation"})
    if unknown:
        return "unknown field(s): " + ", ".join(unknown)
    return None


def _read_line(number: int, record: Any, file: str) -> LearnedName | RasdError:
    wrong = _line_problem(record)
    if wrong is not None:
        return LEARNED_LINE_MALFORMED(file=file, line=number, reason=wrong)
    label = parse_label(record["label"])
    assert label is not None  # checked by _line_problem
    return LearnedName(
        text=record["text"],
        label=label,
        annotator=record["annotator"],
        task=record["task"],
        time=record["time"],
        annotation=record.get("annotation"),
    )


def iter_learned(path: Path, *, file: str) -> Iterator[LearnedName | RasdError]:
    for number, record in iter_json_lines(path, file=file):
        yield _read_line(number, record, file)


def read_learned(path: Path, *, file: str) -> tuple[LearnedName, ...]:
    """Every learned name of ``path`` (none when it does not exist); every bad line raised at once."""
    if not path.exists():
        return ()
    read = list(iter_learned(path, file=file))
    raise_all((r for r in read if isinstance(r, RasdError)), summary=f"malformed lines in {file}")
    return tuple(r for r in read if isinstance(r, LearnedName))
