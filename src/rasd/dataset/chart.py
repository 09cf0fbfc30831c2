"""The label-distribution chart of the card: spans per label, stacked by split.

Drawn with matplotlib's Agg backend into PNG bytes with no software tag or
timestamp in the metadata, a fixed size, DPI and font, so the same data always
gives the same bytes and ``rasd build`` twice leaves git clean.
"""

from __future__ import annotations

import io
from typing import Any

from rasd.core.io import atomic_write_bytes
from rasd.core.labels import LABEL_INFO, LABELS
from rasd.core.paths import Repo
from rasd.dataset.stats import Stats, compute_span_counts

CHART_FILE = "images/label-distribution.png"
"""Relative to ``dataset/`` (and so to the Hub README, which is where the card is read)."""
SPLIT_SHADES = {"train": 1.0, "validation": 0.6, "test": 0.35}
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.hashsalt": "rasd",
    "path.simplify": False,
}


def _shade(colour: str, alpha: float) -> tuple[float, float, float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (r, g, b, alpha)


def render_chart(stats: Stats) -> bytes:
    """PNG bytes of spans per label (one bar per label, one shade per split), deterministic."""
    import matplotlib  # lazily: about half a CPU-second, paid only when a chart is drawn

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(STYLE):  # type: ignore[arg-type]  # the stubs list rcParams keys as Literals
        fig, ax = plt.subplots(figsize=(7.0, 3.6), dpi=100)
        left = [0] * len(LABELS)
        splits = stats.splits or ["train"]
        for split in splits:
            counts = [stats.spans[(split, label)] for label in LABELS]
            colours = [_shade(LABEL_INFO[label].colour, SPLIT_SHADES.get(split, 0.5)) for label in LABELS]
            ax.barh(
                list(LABELS),
                counts,
                left=left,
                color=colours,
                edgecolor="#333333",
                linewidth=0.5,
                label=split,
            )
            left = [a + b for a, b in zip(left, counts, strict=True)]
        for y, total in enumerate(left):
            ax.text(total, y, f" {total}", va="center", fontsize=9)
        ax.invert_yaxis()
        ax.set_xlabel("spans")
        ax.set_title(f"Rasd: spans per label ({sum(left)} spans, {sum(stats.documents.values())} documents)")
        ax.set_xlim(0, max([*left, 1]) * 1.15)
        ax.legend(title="split (shade)", loc="lower right", fontsize=8, title_fontsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        plt.close(fig)
    return buffer.getvalue()


def write_chart(repo: Repo) -> list[str]:
    """Build step: draw the chart of the released data into ``dataset/images/``."""
    data = render_chart(compute_span_counts(repo.data_dir))
    return [f"dataset/{CHART_FILE}"] if atomic_write_bytes(repo.dataset_dir / CHART_FILE, data) else []
