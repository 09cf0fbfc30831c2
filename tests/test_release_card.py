"""Card sections generated from files (versions, chart, pre-annotation) and the chart PNG.

The agreement section is computed from the annotators' files (tests/test_labelstudio_agreement.py).
"""

from __future__ import annotations

import struct
import subprocess
import sys
from collections import Counter

import pytest

from rasd.core.paths import Repo
from rasd.dataset.card import get_section
from rasd.dataset.chart import render_chart
from rasd.dataset.stats import Stats
from rasd.pipeline import build


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunks.append(data[position + 4 : position + 8])
        position += 12 + length
    return chunks


def sample_stats() -> Stats:
    stats = Stats()
    stats.documents.update({"train": 4, "validation": 1})
    stats.spans.update({("train", "ORG"): 80, ("validation", "ORG"): 20, ("train", "LOC"): 34})
    return stats


def test_the_chart_is_deterministic_and_carries_no_timestamp() -> None:
    first = render_chart(sample_stats())
    script = (
        "import sys; sys.path.insert(0, 'tests'); from test_release_card import sample_stats; "
        "from rasd.dataset.chart import render_chart; sys.stdout.buffer.write(render_chart(sample_stats()))"
    )
    other_process = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True).stdout
    assert first == other_process
    assert set(png_chunks(first)) <= {b"IHDR", b"pHYs", b"IDAT", b"IEND"}  # no tEXt/tIME metadata
    assert first != render_chart(Stats(documents=Counter({"train": 1})))


@pytest.mark.parametrize(
    ("section", "report", "absent"),
    [
        (
            "preannotation",
            "preannotation.md",
            "No pre-annotation scores have been measured for this version yet.",
        ),
    ],
)
def test_report_sections_are_copied_when_present(repo: Repo, section: str, report: str, absent: str) -> None:
    reports = repo.annotation_dir / "reports"
    (reports / report).unlink(missing_ok=True)
    build(repo, progress=False)
    assert get_section(repo.card_file.read_text(encoding="utf-8"), section) == absent
    reports.mkdir(parents=True, exist_ok=True)
    (reports / report).write_text("| pair | F1 |\n|---|---|\n| a–b | 0.91 |\n", encoding="utf-8")
    build(repo, progress=False)
    card = repo.card_file.read_text(encoding="utf-8")
    assert get_section(card, section) == "| pair | F1 |\n|---|---|\n| a–b | 0.91 |"
    assert (repo.dataset_dir / "README.md").read_text(encoding="utf-8") == card


def test_unreleased_card_says_so(repo: Repo) -> None:
    build(repo, progress=False)
    versions = get_section(repo.card_file.read_text(encoding="utf-8"), "versions")
    assert versions.startswith("No version has been released yet.")
    assert "`rasd checkout vX.Y.Z DIR` and then `load_dataset(DIR)`" in versions
    assert "| label-set | major |" in versions
    assert "| span-boundary-moved | minor |" in versions
    assert "| metadata-changed | patch |" in versions
