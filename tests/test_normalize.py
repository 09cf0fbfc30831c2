"""Normalisers: hand-checked tables per label, and `rasd normalize` against the annotators' values."""

from __future__ import annotations

import json

import pytest

from rasd.cli import main
from rasd.core.model import Span
from rasd.core.paths import Repo
from rasd.gold.annotations import load_corpus, write_annotations
from rasd.gold.entities import Entity, Registry
from rasd.preannotate.lexicon import build_lexicon
from rasd.preannotate.normalize import Where, fill_values, value_for
from rasd.text.dates import Anchor

LEXICON = build_lexicon(
    Registry(
        (
            Entity("telegram", "PLATFORM", "Telegram", "Q15616276", ("تيليغرام", "التليغرام")),
            Entity("amaq", "ORG", "Amaq News Agency", None, ("وكالة أعماق", "أعماق")),
            Entity("rita-katz", "PERSON", "Rita Katz", None, ("ريتا كارتز", "كارتز")),
            Entity("baghdad", "LOC", "Baghdad", "Q1530", ("بغداد",)),
        )
    ).entities
)


@pytest.mark.parametrize(
    ("label", "surface", "value"),
    [
        ("DATE", "20 شباط/ فبراير 2019", "2019-02-20"),
        ("DATE", "٢٠ شباط/ فبراير ٢٠١٩", "2019-02-20"),
        ("DATE", "كانون الثاني/يناير ٢٠٢٠", "2020-01"),
        ("DATE", "عام ٢٠١٧", "2017"),
        ("DATE", "الشهر الماضي", None),
        ("QUANTITY", "125 ألف", "125000"),
        ("QUANTITY", "١٢٥ ألف", "125000"),
        ("QUANTITY", "1.9 مليون", "1900000"),
        ("QUANTITY", "١٫٩ مليون", "1900000"),
        ("QUANTITY", "9122", "9122"),
        ("QUANTITY", "ستة", "6"),
        ("QUANTITY", "عشر", "10"),
        ("PLATFORM", "تيليغرام", "telegram"),
        ("PLATFORM", "التليغرام", "telegram"),
        ("PLATFORM", "تلغرام", "telegram"),  # spellings the registry does not list
        ("PLATFORM", "تليجرام", "telegram"),
        ("PLATFORM", "Telegram", "telegram"),
        ("PLATFORM", "فيس بوك", "facebook"),  # the built-in list's id when the registry lacks it
        ("PLATFORM", "منصة مجهولة", None),
        ("ORG", "وكالة اعماق", "amaq"),
        ("ORG", "أعماق", "amaq"),
        ("ORG", "وزارة ما", None),
        ("PERSON", "كارتز", "Rita Katz"),
        ("PERSON", "ريتا كارتز", "Rita Katz"),
        ("PERSON", "فلان الفلاني", None),
        ("LOC", "بغداد", "baghdad"),
    ],
)
def test_normalisers(label: str, surface: str, value: str | None) -> None:
    assert value_for(label, surface, LEXICON) == value


def test_relative_dates_use_the_anchor() -> None:
    assert value_for("DATE", "الشهر الماضي", LEXICON, Where(anchor=Anchor(2019, 2, 21))) == "2019-01"


def _span(start: int, end: int, label: str, text: str, value: str | None = None) -> Span:
    return Span(start, end, label, f"s{start}", text, value)


def test_fill_values_never_overwrites(repo: Repo) -> None:
    document = next(d for d in load_corpus(repo) if d.spans)
    quantity = next(s for s in document.spans if s.label == "QUANTITY")
    kept = quantity.replace(value="42")
    emptied = quantity.replace(id="other", value=None)
    filled, count = fill_values(document, [kept, emptied], LEXICON)
    assert count == 1
    assert filled[0].value == "42"
    assert filled[1].value == quantity.value


def _strip_values(repo: Repo) -> dict[tuple[str, str], tuple[str, str, str | None]]:
    """Empty every gold value on the copy; return the annotators' values by (document, span id)."""
    truth = {}
    for document in load_corpus(repo):
        for span in document.spans:
            truth[(document.id, span.id)] = (span.label, span.text, span.value)
        write_annotations(repo, document, [s.replace(value=None) for s in document.spans])
    return truth


def _refilled(repo: Repo) -> dict[tuple[str, str], str | None]:
    return {(d.id, s.id): s.value for d in load_corpus(repo) for s in d.spans}


def test_rasd_normalize_restores_the_annotators_values(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = _strip_values(repo)
    assert main(["--root", str(repo.root), "normalize"]) == 0
    assert "filled" in capsys.readouterr().out
    got = _refilled(repo)
    for label in ("QUANTITY", "PLATFORM", "ORG", "PERSON"):
        wrong = [(t, v, got[k]) for k, (lab, t, v) in truth.items() if lab == label and got[k] != v]
        assert wrong == [], label
    # Every DATE whose own sentence fixes it gets the annotator's value; the relative
    # expressions of a document without a publication date stay empty.
    dates = [(t, v, got[k]) for k, (lab, t, v) in truth.items() if lab == "DATE"]
    fixed = [(t, v, g) for t, v, g in dates if v is not None and g is not None]
    assert all(v == g for _, v, g in fixed)
    assert not [t for t, v, g in dates if v is None and g is not None]
    assert len(fixed) >= 9


def test_a_publication_date_anchors_the_relative_dates(repo: Repo) -> None:
    metadata = json.loads(repo.metadata_file.read_text(encoding="utf-8"))
    metadata["000_01a36b4f6357320d"]["published"] = "2019-02"
    repo.metadata_file.write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
    truth = _strip_values(repo)
    assert main(["--root", str(repo.root), "normalize"]) == 0
    got = _refilled(repo)
    doc = {(t, v): got[k] for k, (lab, t, v) in truth.items() if lab == "DATE" and k[0].startswith("000")}
    assert doc[("النصف الثاني من هذا العام", "2019")] == "2019"
    assert doc[("نهاية السنة الماضية", "2018")] == "2018"
    assert doc[("كانون الثاني/ يناير الماضي", "2019-01")] == "2019-01"


def test_dry_run_writes_nothing(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    _strip_values(repo)
    before = {p.name: p.read_bytes() for p in repo.annotations_dir.glob("*.json")}
    assert main(["--root", str(repo.root), "normalize", "--dry-run"]) == 0
    assert "would fill" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in repo.annotations_dir.glob("*.json")} == before


def test_normalize_predictions_fills_the_stored_suggestions(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    from rasd.intake.ingest import iter_documents
    from rasd.preannotate.stored import load_predictions, save_predictions

    assert main(["--root", str(repo.root), "preannotate"]) == 0
    document = next(iter_documents(repo))
    with_values = load_predictions(repo, document)
    save_predictions(repo, document, [s.replace(value=None) for s in with_values])
    gold_before = {p.name: p.read_bytes() for p in repo.annotations_dir.glob("*.json")}
    assert main(["--root", str(repo.root), "normalize", "--predictions"]) == 0
    assert "missing values in 1 prediction files" in capsys.readouterr().out
    assert [s.value for s in load_predictions(repo, document)] == [s.value for s in with_values]
    assert {p.name: p.read_bytes() for p in repo.annotations_dir.glob("*.json")} == gold_before
