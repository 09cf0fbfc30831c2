"""Where things live in a Rasd repository, so every command can take ``--root DIR``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload


class _Under:
    """A ``Repo`` attribute naming one fixed place below the root (``repo.raw_dir``)."""

    def __init__(self, *parts: str, doc: str = "") -> None:
        self.parts = parts
        self.__doc__ = doc or "/".join(parts)

    @overload
    def __get__(self, repo: None, owner: Any = None) -> _Under: ...
    @overload
    def __get__(self, repo: Repo, owner: Any = None) -> Path: ...
    def __get__(self, repo: Repo | None, owner: Any = None) -> Path | _Under:
        return self if repo is None else repo.root.joinpath(*self.parts)


@dataclass(frozen=True)
class Repo:
    """A Rasd checkout: the fixed top-level layout, resolved against ``root``."""

    root: Path

    def __init__(self, root: Path | str = ".") -> None:
        object.__setattr__(self, "root", Path(root).resolve())

    dataset_dir = _Under(
        "dataset", doc='The released Hugging Face dataset (what ``load_dataset("dataset")`` reads).'
    )
    raw_dir = _Under("dataset", "raw", doc="The raw articles, byte for byte, and their metadata.")
    metadata_file = _Under("dataset", "raw", "metadata.json")
    annotations_dir = _Under(
        "dataset",
        "annotations",
        doc="Gold annotations: the human-edited source of truth, one file per document.",
    )
    data_dir = _Under("dataset", "data", doc="Generated parquet files, one folder per config.")
    schema_dir = _Under("schema")
    annotation_dir = _Under("annotation", doc="Guidelines, the Label Studio labeling config and exports.")
    card_file = _Under("dataset_card.md")

    def relative(self, path: Path) -> str:
        """A path as shown in messages: relative to the root when inside it (links followed).

        A path written below the root whose entries below it are no links is already
        its resolved form: it is shown without ``Path.resolve`` (a system call for each
        part of the path from ``/``), after one ``lstat`` for each part below the root.
        """
        below = self._plainly_below(os.fspath(path))
        if below is not None:
            return below
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def _plainly_below(self, text: str) -> str | None:
        """``text`` relative to the root when it names a place below it with no link, ``.`` or ``..``."""
        root = str(self.root)
        if not text.startswith(root) or text[len(root) : len(root) + 1] != os.sep or root == os.sep:
            return None
        rest = text[len(root) + 1 :]
        place = root
        for part in rest.split(os.sep):
            place = place + os.sep + part
            if part in ("", ".", "..") or os.path.islink(place):
                return None
        return rest
