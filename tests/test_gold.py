"""The gold annotations of the five seed articles: complete, consistent, and as decided.

The tables below were written by reading the articles, not by reading the gold
files: each row is a fact an annotator can check against the text by eye
(how often a name occurs, what its normalised value is).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from rasd.cli import main
from rasd.core.errors import RasdError
from rasd.core.labels import LABELS
from rasd.core.model import Document
from rasd.core.paths import Repo
from rasd.formats.registry import load_registry
from rasd.gold.annotations import load_corpus
from rasd.gold.consistency import check_repo
from rasd.gold.words import whole_word_occurrences

D0 = "000_01a36b4f6357320d"
D1 = "001_5b33b8c844d6be1e"
D2 = "002_a9a60629cc9fd74b"
D3 = "003_6ec577d5e0655de2"
D4 = "004_25f35d1dbdb7fbb1"


@pytest.fixture(scope="module")
def corpus() -> dict[str, Document]:
    errors: list[RasdError] = []
    documents = {d.id: d for d in load_corpus(Repo(Path(__file__).resolve().parents[1]), errors=errors)}
    assert errors == []
    return documents


def test_every_document_is_annotated_and_all_labels_occur(corpus: dict[str, Document]) -> None:
    assert sorted(corpus) == [D0, D1, D2, D3, D4]
    assert all(d.spans for d in corpus.values())
    assert {s.label for d in corpus.values() for s in d.spans} == set(LABELS)


def test_gold_passes_check_strict(real_repo: Repo) -> None:
    open_ = [str(f.warning) for f in check_repo(real_repo) if not f.noted]
    assert open_ == []


def test_gold_passes_validate(real_repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(real_repo.root), "validate"]) == 0
    assert "valid:" in capsys.readouterr().out


# (document, surface, label, value, how many times the article has it)
MENTIONS = [
    (D0, "داعش", "ORG", "islamic-state", 7),
    (D1, "داعش", "ORG", "islamic-state", 6),
    (D2, "داعش", "ORG", "islamic-state", 11),
    (D3, "داعش", "ORG", "islamic-state", 25),
    (D4, "داعش", "ORG", "islamic-state", 7),
    (D0, "فوكت شات", "PLATFORM", "rocketchat", 2),
    (D4, "RocketChat", "PLATFORM", "rocketchat", 2),
    (D0, "التليغرام", "PLATFORM", "telegram", 2),
    (D1, "تيليغرام", "PLATFORM", "telegram", 1),
    (D4, "تلغرام", "PLATFORM", "telegram", 1),
    (D1, "العصفور الأزرق", "PLATFORM", "twitter", 1),
    (D1, "فيسبوك", "PLATFORM", "facebook", 4),
    (D3, "تام تام", "PLATFORM", "tamtam", 4),
    (D3, "بايت دانس", "ORG", "bytedance", 1),
    (D3, "يوروبول", "ORG", "europol", 1),
    (D3, "وكالة الشرطة الأوروبية", "ORG", "europol", 1),
    (D3, "ديارنا", "ORG", "diyaruna", 4),
    (D2, "لتحالف الدولي", "ORG", "global-coalition", 1),
    (D0, "التحالف الدولي", "ORG", "global-coalition", 2),
    (D3, "وزارتي الداخلية والدفاع", "ORG", "iraq-interior-defence-ministries", 1),
    (D0, "عادل عبد المهدي", "PERSON", "Adil Abdul-Mahdi", 1),
    (D0, "كارتز", "PERSON", "Rita Katz", 1),
    (D2, "ستنجل", "PERSON", "Richard Stengel", 1),
    (D3, "أبو رغيف", "PERSON", "Fadhel Abu Raghif", 1),
    (D1, "1.9 مليون", "QUANTITY", "1900000", 1),
    (D1, "125 ألف", "QUANTITY", "125000", 1),
    (D0, "عشر", "QUANTITY", "10", 1),
    (D2, "ستة", "QUANTITY", "6", 1),
    (D3, "26 ألف", "QUANTITY", "26000", 1),
    (D4, "700", "QUANTITY", "700", 3),
    (D0, "العشرين من شباط/ فبراير", "DATE", "2019-02-20", 1),
    (D0, "الحادي والعشرين من الشهر نفسه لعام 2019", "DATE", "2019-02-21", 1),
    (D0, "كانون الثاني/ يناير الماضي", "DATE", "2019-01", 1),
    (D0, "الأسابيع القليلة الماضية", "DATE", None, 1),
    (D2, "اليوم الإثنين", "DATE", None, 1),
    (D2, "27 أبريل نيسان", "DATE", None, 1),
    (D3, "6 أيار/مايو 2018", "DATE", "2018-05-06", 1),
    (D4, "أغسطس عام 2014", "DATE", "2014-08", 1),
    (D4, "نهاية السنة الماضية", "DATE", None, 1),
    (D2, "الكويت", "LOC", "kuwait", 4),
    (D2, "الكويت", "LOC", "kuwait-city", 1),
    (D3, "لندن", "LOC", "london", 2),
    (D4, "البصرة", "LOC", "basra", 1),
]


@pytest.mark.parametrize(("doc_id", "surface", "label", "value", "count"), MENTIONS)
def test_mentions_as_decided(
    corpus: dict[str, Document], doc_id: str, surface: str, label: str, value: str | None, count: int
) -> None:
    found = [s for s in corpus[doc_id].spans if s.text == surface and s.label == label and s.value == value]
    assert len(found) == count


# (document, outer span text, outer label, nested span text, nested label)
NESTED = [
    (D0, "فريق التحقيق الدولي في جرائم داعش", "ORG", "داعش", "ORG"),
    (D3, "كلية الإعلام بجامعة بغداد", "ORG", "جامعة بغداد", "ORG"),
    (D3, "جامعة بغداد", "ORG", "بغداد", "LOC"),
    (D3, "جسر لندن", "LOC", "لندن", "LOC"),
]


@pytest.mark.parametrize(("doc_id", "outer", "outer_label", "inner", "inner_label"), NESTED)
def test_nested_entities_are_annotated(
    corpus: dict[str, Document], doc_id: str, outer: str, outer_label: str, inner: str, inner_label: str
) -> None:
    spans = corpus[doc_id].spans
    outers = [s for s in spans if s.text == outer and s.label == outer_label]
    assert outers
    for o in outers:
        assert any(
            s.label == inner_label and s.text == inner and o.start <= s.start < s.end <= o.end for s in spans
        )


# Surfaces that must never be a span, whatever their place (spec rule 8 and the hard cases).
NEVER = ["التنظيم", "المركز", "التحالف", "الأمريكي", "العراقية", "الأمن القومي", "مئات", "آلاف", "يومين"]


@pytest.mark.parametrize("surface", NEVER)
def test_never_annotated(corpus: dict[str, Document], surface: str) -> None:
    assert [s for d in corpus.values() for s in d.spans if s.text == surface] == []


def test_every_isis_mention_is_annotated(corpus: dict[str, Document]) -> None:
    for document in corpus.values():
        places = set(whole_word_occurrences(document.text, "داعش"))
        spans = {(s.start, s.end) for s in document.spans if s.label == "ORG" and s.text == "داعش"}
        assert places == spans, document.id


def test_every_entity_value_is_in_the_registry(real_repo: Repo, corpus: dict[str, Document]) -> None:
    registry = load_registry(real_repo)
    values = Counter(
        (s.label, s.value) for d in corpus.values() for s in d.spans if s.label in ("ORG", "PLATFORM")
    )
    assert all(value is not None and registry.by_value(label, value) for label, value in values)
