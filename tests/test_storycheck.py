"""``rasd validate`` warns when near-copies of one story annotate a shared sentence differently (RASD-W491)."""

from __future__ import annotations

import pytest
from test_unlabeled import SEED, document

from rasd.cli import main
from rasd.core.paths import Repo
from rasd.dataset.storycheck import sentences
from rasd.formats.gold import write_annotations
from rasd.gold.annotations import read_gold
from rasd.pipeline import build


def copy_with_gold(repo: Repo, drop: int | None) -> None:
    """A syndicated copy of seed 000 (one line appended) annotated like it, one span left out unless None."""
    seed = document(repo, SEED)
    (repo.raw_dir / "005_copy.txt").write_text(
        (repo.raw_dir / f"{SEED}.txt").read_text(encoding="utf-8").rstrip("\n")
        + "\nسطر أضافه الناشر في آخر الخبر.\n",
        encoding="utf-8",
    )
    copy = document(repo, "005_copy")
    assert copy.text.startswith(seed.text)
    gold = sorted(read_gold(repo, seed)[1])
    spans = [s.replace(id=f"c{s.id}") for n, s in enumerate(gold) if n != drop]
    write_annotations(repo, copy, spans)
    build(repo, progress=False)


def test_validate_warns_about_a_shared_sentence_annotated_differently(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_with_gold(repo, drop=0)
    first = sorted(read_gold(repo, document(repo, SEED))[1])[0]
    assert main(["--root", str(repo.root), "validate"]) == 0  # a warning, not an error
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("warning[RASD-W491]")]
    assert len(warnings) == 1, err
    assert f"{first.label} {first.text!r}" in warnings[0]
    assert "dataset/annotations/000_01a36b4f6357320d.json" in warnings[0]
    assert "in 005_copy (same story cluster 000_01a36b4f6357320d)" in warnings[0]


def test_validate_is_quiet_when_near_copies_agree(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    copy_with_gold(repo, drop=None)
    assert main(["--root", str(repo.root), "validate"]) == 0
    assert "RASD-W491" not in capsys.readouterr().err


def test_sentences_are_trimmed_and_short_ones_skipped() -> None:
    text = "  أعلن المسؤول اليوم عن حملة جديدة.\nبغداد - رويترز\nوقال إن الحملة ستستمر طويلا؟ نعم."
    assert [text[s:e] for s, e in sentences(text)] == [
        "أعلن المسؤول اليوم عن حملة جديدة.",
        "وقال إن الحملة ستستمر طويلا؟",
    ]
