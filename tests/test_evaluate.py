"""Evaluation: strict and partial counts (hand-checked), the held-out registry, `rasd eval`."""

from __future__ import annotations

import pytest

from rasd.cli import main
from rasd.core.labels import LABELS
from rasd.core.model import Document, Source, Span
from rasd.core.offsets import OffsetMap
from rasd.core.paths import Repo
from rasd.gold.annotations import load_corpus
from rasd.gold.entities import Entity, Registry, load_registry
from rasd.preannotate.card import card_section
from rasd.preannotate.evaluate import (
    Counts,
    evaluate,
    held_out_registry,
    partial_counts,
    strict_counts,
)

GOLD = [(0, 5, "ORG"), (10, 14, "PLATFORM"), (20, 30, "DATE"), (40, 44, "LOC")]


@pytest.mark.parametrize(
    ("predicted", "strict", "partial"),
    [
        # (correct, partial, spurious, missed)
        (GOLD, (4, 0, 0, 0), (4, 0, 0, 0)),
        ([], (0, 0, 0, 4), (0, 0, 0, 4)),
        ([(0, 5, "PLATFORM")], (0, 0, 1, 4), (1, 0, 0, 3)),  # partial ignores the label
        ([(20, 25, "DATE")], (0, 0, 1, 4), (0, 1, 0, 3)),  # overlap counts half
        ([(20, 25, "DATE"), (20, 30, "DATE")], (1, 0, 1, 3), (1, 0, 1, 3)),  # exact pairs first
        ([(50, 60, "QUANTITY"), (0, 5, "ORG")], (1, 0, 1, 3), (1, 0, 1, 3)),
        ([(9, 15, "PLATFORM"), (11, 13, "PLATFORM")], (0, 0, 2, 4), (0, 1, 1, 3)),  # one gold, one match
    ],
)
def test_counts(
    predicted: list[tuple[int, int, str]], strict: tuple[int, ...], partial: tuple[int, ...]
) -> None:
    s, p = strict_counts(GOLD, predicted), partial_counts(GOLD, predicted)
    assert (s.correct, s.partial, s.spurious, s.missed) == strict
    assert (p.correct, p.partial, p.spurious, p.missed) == partial


def test_scores_from_counts() -> None:
    counts = Counts(correct=6, partial=2, spurious=2, missed=2)
    assert counts.precision(0.5) == pytest.approx(7 / 10)
    assert counts.recall(0.5) == pytest.approx(7 / 10)
    assert counts.precision(0) == pytest.approx(6 / 10)
    assert counts.f1(0) == pytest.approx(0.6)
    assert Counts().f1(0) == 0.0


def _doc(doc_id: str, text: str, spans: list[tuple[str, str, str]]) -> Document:
    made = []
    for surface, label, value in spans:
        start = text.index(surface)
        made.append(Span(start, start + len(surface), label, f"{doc_id}-{start}", surface, value))
    return Document(doc_id, text, None, Source(f"{doc_id}.txt"), OffsetMap.identity(len(text)), tuple(made))


def test_held_out_registry_hides_what_only_the_held_out_document_attests() -> None:
    registry = Registry(
        (
            Entity("telegram", "PLATFORM", "Telegram", None, ("تيليغرام", "تلغرام", "Telegram")),
            Entity("tamtam", "PLATFORM", "TamTam", None, ("تام تام",)),
            Entity("signal", "PLATFORM", "Signal", None, ("سيغنال",)),  # attested nowhere: general knowledge
        )
    )
    documents = [
        _doc(
            "a",
            "على تيليغرام وتام تام",
            [("تيليغرام", "PLATFORM", "telegram"), ("تام تام", "PLATFORM", "tamtam")],
        ),
        _doc(
            "b",
            "على تلغرام وتيليغرام",
            [("تلغرام", "PLATFORM", "telegram"), ("تيليغرام", "PLATFORM", "telegram")],
        ),
        _doc("c", "على تلغرام", [("تلغرام", "PLATFORM", "telegram")]),
    ]
    held_a = held_out_registry(registry, documents, "a")
    assert [e.id for e in held_a] == ["telegram", "signal"]  # tamtam only in a
    assert held_a.get("telegram").aliases == ("تيليغرام", "تلغرام", "Telegram")  # type: ignore[union-attr]
    held_b = held_out_registry(registry, documents, "b")
    assert [e.id for e in held_b] == ["telegram", "tamtam", "signal"]
    held_c = held_out_registry(registry, documents, "c")
    assert held_c.get("telegram").aliases == ("تيليغرام", "تلغرام", "Telegram")  # type: ignore[union-attr]
    only_b = [_doc("b", "على تلغرام", [("تلغرام", "PLATFORM", "telegram")]), documents[0]]
    assert held_out_registry(registry, only_b, "b").get("telegram").aliases == (  # type: ignore[union-attr]
        "تيليغرام",
        "Telegram",
    )


def test_leave_one_out_really_hides_registry_only_names(repo: Repo) -> None:
    documents = list(load_corpus(repo))
    registry = load_registry(repo)
    held = held_out_registry(registry, documents, "003_6ec577d5e0655de2")
    # TamTam and Diyaruna are named in that article only; the Islamic State everywhere
    assert held.get("tamtam") is None
    assert held.get("diyaruna") is None
    assert held.get("islamic-state") is not None
    assert evaluate(repo).overall.strict.f1(0) <= evaluate(repo, leave_one_out=False).overall.strict.f1(0)


def test_rasd_eval_prints_per_label_strict_f1(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(repo.root), "eval"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("leave-one-document-out, 5 documents")
    assert "| label | gold | suggested | strict P | strict R | strict F1 |" in out
    for label in (*LABELS, "**overall**"):
        assert f"| {label} |" in out


def test_eval_write_card_writes_the_report_the_build_copies(repo: Repo) -> None:
    dev = str(repo.annotation_dir / "devset" / "dev.jsonl")  # the held-out file is scored once, by hand
    assert main(["--root", str(repo.root), "eval", "--devset", dev, "--write-card"]) == 0
    report = (repo.annotation_dir / "reports" / "preannotation.md").read_text(encoding="utf-8")
    assert report.strip() == card_section(repo, [dev]).strip()
    assert "leave-one-document-out over 5 documents" in report


def test_eval_without_gold_says_so(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    for path in repo.annotations_dir.glob("*.json"):
        path.unlink()
    assert main(["--root", str(repo.root), "eval"]) == 1
    assert "no annotated documents to evaluate against" in capsys.readouterr().out


def test_ablation_without_builtins_cannot_be_written_to_the_card(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(repo.root), "eval", "--no-builtins", "--write-card"]) == 1
    err = capsys.readouterr().err
    assert "the card shows the held-out figures of the full suggester only" in err
