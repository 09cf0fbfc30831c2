"""``rasd eval --devset``: the scorer on a hand-made passage, the reader, the honest lexicon, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.cli import main
from rasd.core.errors import RasdError
from rasd.core.labels import Label
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.formats.predictions import read_gold_texts
from rasd.gold.annotations import load_corpus
from rasd.gold.entities import load_registry
from rasd.preannotate.devset import blind_lexicon, evaluate_honest, score
from rasd.preannotate.evaluate import EvalReport
from rasd.preannotate.lexicon import build_lexicon, match_names
from rasd.text.arabic import words

TEXT = "قال أبو محمد العدناني في 5 أيار 2015 إن تيليغرام حذف 300 قناة"
#       0   4           16          28   33 ...


def _span(text: str, surface: str, label: Label) -> Span:
    start = text.index(surface)
    return Span(start, start + len(surface), label, id=surface, text=surface)


GOLD = [
    _span(TEXT, "أبو محمد العدناني", Label.PERSON),
    _span(TEXT, "5 أيار 2015", Label.DATE),
    _span(TEXT, "تيليغرام", Label.PLATFORM),
    _span(TEXT, "300", Label.QUANTITY),
]


def test_score_counts_a_hand_made_case() -> None:
    predicted = [
        _span(TEXT, "العدناني", Label.PERSON),  # overlaps the gold PERSON: strict miss, partial half
        _span(TEXT, "5 أيار 2015", Label.DATE),  # exact
        _span(TEXT, "تيليغرام", Label.ORG),  # right place, wrong label
        _span(TEXT, "قناة", Label.PLATFORM),  # spurious
    ]
    report = EvalReport()
    score(report, GOLD, predicted)
    strict = report.overall.strict
    assert (strict.correct, strict.spurious, strict.missed) == (1, 3, 3)
    assert strict.precision(0) == pytest.approx(1 / 4)
    assert strict.recall(0) == pytest.approx(1 / 4)
    partial = report.overall.partial  # boundaries only: DATE and تيليغرام exact, العدناني half
    assert (partial.correct, partial.partial, partial.spurious, partial.missed) == (2, 1, 1, 1)
    assert partial.precision(0.5) == pytest.approx(2.5 / 4)
    assert partial.recall(0.5) == pytest.approx(2.5 / 4)
    person = report.labels[Label.PERSON]
    assert (person.strict.correct, person.strict.missed, person.partial.partial) == (0, 1, 1)
    assert report.labels[Label.PLATFORM].strict.missed == 1
    assert report.labels[Label.ORG].strict.spurious == 1
    assert report.labels[Label.QUANTITY].partial.missed == 1


def _write(path: Path, lines: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def _line(spans: list[Span]) -> dict[str, object]:
    return {
        "id": "t-1",
        "published": "2015-05-06",
        "text": TEXT,
        "spans": [{"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in spans],
    }


def test_reader_keeps_spans_and_published(tmp_path: Path) -> None:
    (passage,) = read_gold_texts(_write(tmp_path / "d.jsonl", [_line(GOLD)]), file="d.jsonl")
    assert passage.record.published == "2015-05-06"
    assert [s.key for s in passage.spans] == sorted(s.key for s in GOLD)


def test_reader_refuses_a_span_off_its_text(tmp_path: Path) -> None:
    line = _line(GOLD)
    line["spans"][0]["end"] += 1  # type: ignore[index]
    with pytest.raises(RasdError) as caught:
        read_gold_texts(_write(tmp_path / "d.jsonl", [line]), file="d.jsonl")
    assert caught.value.code == "RASD-E721"


def test_cli_scores_the_files_named(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "mine.jsonl", [_line(GOLD)])
    assert main(["--root", str(repo.root), "eval", "--devset", str(path)]) == 0
    out = capsys.readouterr().out
    assert "(not tuned on)" in out
    assert "| label | gold | suggested | strict P |" in out
    assert "seeds, leave-one-document-out: strict F1" in out
    assert "seeds, honest leave-one-out" in out


def test_cli_names_a_missing_file(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(repo.root), "eval", "--devset", "nowhere.jsonl"]) == 1
    assert "error[RASD-E722]" in capsys.readouterr().err


def test_write_card_labels_the_files(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    dev = repo.annotation_dir / "devset" / "dev.jsonl"
    assert main(["--root", str(repo.root), "eval", "--devset", str(dev), "--write-card"]) == 0
    card = (repo.annotation_dir / "reports" / "preannotation.md").read_text(encoding="utf-8")
    assert "dev.jsonl`, tuned on" in card
    assert "Honest leave-one-out on the seeds" in card
    assert "leave-one-document-out over 5 documents" in card


def test_blind_lexicon_matches_nothing_in_the_text(repo: Repo) -> None:
    registry = load_registry(repo)
    for document in load_corpus(repo):
        lexicon, dropped = blind_lexicon(registry.entities, document.text)
        assert dropped
        assert match_names(document.text, tuple(words(document.text)), lexicon) == []
        full = build_lexicon(registry.entities)
        assert len(lexicon.exact) < len(full.exact)


def test_honest_is_not_above_the_usual_leave_one_out(repo: Repo) -> None:
    from rasd.preannotate.evaluate import evaluate

    honest = evaluate_honest(list(load_corpus(repo)), load_registry(repo)).report
    assert honest.overall.strict.f1(0) <= evaluate(repo).overall.strict.f1(0)
