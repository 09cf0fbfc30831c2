"""Where things live in a Rasd repository, so every command can take ``--root DIR``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Repo:
    """A Rasd checkout: the fixed top-level layout, resolved against ``root``."""

    root: Path

    def __init__(self, root: Path | str = ".") -> None:
        object.__setattr__(self, "root", Path(root).resolve())

    @property
    def dataset_dir(self) -> Path:
        """The released Hugging Face dataset (what ``load_dataset("dataset")`` reads)."""
        return self.root / "dataset"

    @property
    def raw_dir(self) -> Path:
        return self.dataset_dir / "raw"

    @property
    def metadata_file(self) -> Path:
        return self.raw_dir / "metadata.json"

    @property
    def annotations_dir(self) -> Path:
        """Gold annotations: the human-edited source of truth, one file per document."""
        return self.dataset_dir / "annotations"

    @property
    def data_dir(self) -> Path:
        """Generated parquet files, one folder per config."""
        return self.dataset_dir / "data"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def annotation_dir(self) -> Path:
        """Guidelines, the Label Studio labeling config and exports."""
        return self.root / "annotation"

    @property
    def card_file(self) -> Path:
        return self.root / "dataset_card.md"

    def relative(self, path: Path) -> str:
        """A path as shown in messages: relative to the root when inside it."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)
