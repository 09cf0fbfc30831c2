"""The suggester: each Arabic rule with positive and negative examples, spellings absent from the seeds."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from rasd.cli import main
from rasd.core.errors import GazetteerError, PredictionFileError
from rasd.core.paths import Repo
from rasd.formats.predictions import prediction_path, read_texts
from rasd.gold.entities import Entity, Registry
from rasd.intake.ingest import iter_documents
from rasd.preannotate.gazetteer import parse_places, parse_platforms, places, platforms
from rasd.preannotate.lexicon import Lexicon, build_lexicon, skeleton
from rasd.preannotate.stored import iter_orphan_predictions, load_predictions
from rasd.preannotate.suggest import predict_document, predict_text, suggest

REGISTRY = Registry(
    (
        Entity("telegram", "PLATFORM", "Telegram", "Q15616276", ("تيليغرام",)),
        Entity("islamic-state", "ORG", "Islamic State", None, ("داعش", "الدولة الإسلامية")),
        Entity("global-coalition", "ORG", "Global Coalition", None, ("التحالف الدولي",)),
        Entity("nashir", "ORG", "Nashir News Agency", None, ("ناشر",)),
        Entity("rita-katz", "PERSON", "Rita Katz", None, ("ريتا كارتز", "كارتز")),
    )
)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return build_lexicon(REGISTRY.entities)


def found(text: str, lexicon: Lexicon, label: str | None = None) -> list[tuple[str, str, str | None]]:
    spans = predict_text("doc", text, lexicon)
    return [(s.text, s.label, s.value) for s in spans if label is None or s.label == label]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("نشر على تيليغرام", "تيليغرام"),
        ("نشر على تليجرام", "تليجرام"),  # variants absent from the seeds and from the registry
        ("نشر على تيليجرام", "تيليجرام"),
        ("نشر على تلجرام", "تلجرام"),
        ("نشر على تيليكرام", "تيليكرام"),
        ("قنوات التليجرام التابعة", "التليجرام"),  # the article stays inside
        ("وبتيليغرام أيضا", "تيليغرام"),  # proclitics و + ب outside
        ("عبر Telegram ومنصات", "Telegram"),
        ("حساب على فيس بوك", "فيس بوك"),
        ("حساب على الفيسبوك", "الفيسبوك"),
        ("ولفيسبوك سياسة", "فيسبوك"),
        ("رسائل واتساب", "واتساب"),
        ("رسائل واتس اب", "واتس اب"),
        ("عبر انستغرام", "انستغرام"),
        ("عبر سيجنال", "سيجنال"),
    ],
)
def test_platform_spellings(text: str, surface: str, lexicon: Lexicon) -> None:
    spans = found(text, lexicon, "PLATFORM")
    assert [s for s, _, _ in spans] == [surface]
    assert spans[0][2] is not None  # a canonical id, whatever the spelling


@pytest.mark.parametrize(
    ("text", "value"),
    [("على تليجرام", "telegram"), ("على التلغرام", "telegram"), ("على فيس بوك", "facebook")],
)
def test_platform_variants_carry_the_canonical_id(text: str, value: str, lexicon: Lexicon) -> None:
    assert [v for _, _, v in found(text, lexicon, "PLATFORM")] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "التطبيق الجديد للتراسل",  # a nominal mention, no name
        "أو القاعدة الشعبية",  # a particle never starts a loose name
        "تويتات كثيرة",
        "أتلف الجرام الأخير",
    ],
)
def test_not_platforms(text: str, lexicon: Lexicon) -> None:
    assert found(text, lexicon, "PLATFORM") == []


def test_loose_key_ignores_long_vowels_and_the_g_letter() -> None:
    assert skeleton("تيليغرام") == skeleton("تلجرام") == skeleton("تليكرام")
    assert skeleton("تويتر") != skeleton("تيليغرام")


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ('عبر تطبيق التواصل الروسي "ماكس ميسنجر".', "ماكس ميسنجر"),
        ("باستخدام تطبيق (زانغي) الجديد", "زانغي"),
        ("انتقلوا إلى منصة «هوب ميسنجر» للتراسل", "هوب ميسنجر"),
        ("منصة جديدة تُدعى Matrix للتراسل", "Matrix"),
    ],
)
def test_platform_names_after_a_type_word(text: str, surface: str, lexicon: Lexicon) -> None:
    assert (surface, "PLATFORM") in [(s, label) for s, label, _ in found(text, lexicon)]


def test_a_platform_found_by_a_cue_is_found_again_without_it(lexicon: Lexicon) -> None:
    text = 'أعلن تطبيق "زانغي" حذف الحسابات. وقال زانغي إن'
    assert [s for s, label, _ in found(text, lexicon) if label == "PLATFORM"] == ["زانغي", "زانغي"]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("أعلنت وزارة الداخلية السعودية أمس", "وزارة الداخلية السعودية"),  # nationality inside
        ("قال مركز الدراسات الاستراتيجية إن", "مركز الدراسات الاستراتيجية"),
        ("أستاذ في جامعة القاهرة", "جامعة القاهرة"),
        ("وفق هيئة الإعلام والاتصالات العراقية", "هيئة الإعلام والاتصالات العراقية"),
        ("رئيس جمعية الدفاع عن حرية التعبير", "جمعية الدفاع عن حرية التعبير"),
        ("بيان لمجلس الأمن الدولي", "مجلس الأمن الدولي"),  # proclitic ل outside
        ("بحسب الجيش الفرنسي", "الجيش الفرنسي"),
        ("موقع تابع لوكالة ناشر", "وكالة ناشر"),  # head + a known name: one span
        ('شركة "بايت دانس" الصينية', "بايت دانس"),  # type word and quotes outside
    ],
)
def test_organisations(text: str, surface: str, lexicon: Lexicon) -> None:
    assert surface in [s for s, label, _ in found(text, lexicon, "ORG")]


@pytest.mark.parametrize(
    "text",
    [
        "عدة مجموعات مرتبطة",  # plural, no name
        "بين المركز والحكومة",  # nominal mention
        "الأمريكي والعراقية",  # nationality adjectives alone are never spans
    ],
)
def test_not_organisations(text: str, lexicon: Lexicon) -> None:
    assert found(text, lexicon, "ORG") == []


def test_org_names_repeat_the_registry_value_and_proclitics_stay_outside(lexicon: Lexicon) -> None:
    assert found("عضو للتحالف الدولي ولداعش", lexicon, "ORG") == [
        ("لتحالف الدولي", "ORG", "global-coalition"),
        ("داعش", "ORG", "islamic-state"),
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("وقالت الباحثة سارة المطيري، إن", ["سارة المطيري"]),
        ("وقال وزير الخارجية الأردني أيمن الصفدي إن", ["أيمن الصفدي"]),
        # a descriptor with في ends the title rule; the given name هشام finds the name
        ("وقال الخبير في الشؤون الأمنية هشام الهاشمي إن", ["هشام الهاشمي"]),
        ("قال الخبير المعني بالقضايا الأمنية أحمد أبو زيد إن", ["أحمد أبو زيد"]),
        ("برعاية رئيس مجلس النواب محمد الحلبوسي، وبمشاركة", ["محمد الحلبوسي"]),
        ("وقال حسن الجبوري رئيس منظمة", ["حسن الجبوري"]),  # speech verb, name, title
        ("وأضاف الدكتور عبد الله الأحمد أن", ["عبد الله الأحمد"]),
        ("حسب الباحثة كارتز، وذلك", ["كارتز"]),  # the registry's short form
    ],
)
def test_people_after_titles(text: str, names: list[str], lexicon: Lexicon) -> None:
    assert [s for s, _, _ in found(text, lexicon, "PERSON")] == names


@pytest.mark.parametrize(
    "text",
    [
        "وقال الرئيس إن الحملة مستمرة",  # a title with no name after it
        "وأكد الباحثون أن التنظيم",  # a plural is no title
        "قال المسؤول في الوزارة إن",  # the descriptor runs into a particle
        "رئيس مجلس الوزراء، الذي",
    ],
)
def test_titles_without_names(text: str, lexicon: Lexicon) -> None:
    assert found(text, lexicon, "PERSON") == []


def test_a_family_name_is_found_again(lexicon: Lexicon) -> None:
    text = "وقال المحلل فاروق الزبيدي إن الأمر خطير. وأضاف الزبيدي أن"
    assert [s for s, _, _ in found(text, lexicon, "PERSON")] == ["فاروق الزبيدي", "الزبيدي"]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("في جاكرتا وكوالالمبور", ["جاكرتا", "كوالالمبور"]),
        ("من مدينة البصرة العراقية", ["البصرة"]),  # type word outside, adjective not a place
        ("في العاصمة الأردنية عمّان", ["عمّان"]),
        ("بين المغرب والجزائر وتونس", ["المغرب", "الجزائر", "تونس"]),
        ("هجوم على جسر لندن", ["جسر لندن", "لندن"]),  # a named place holding a place
        ("بالولايات المتحدة الأمريكية", ["الولايات المتحدة الأمريكية"]),
        ("الباحثة العراقية والخبير الأمريكي", []),  # nationality adjectives are never LOC
    ],
)
def test_places(text: str, places: list[str], lexicon: Lexicon) -> None:
    assert [s for s, _, _ in found(text, lexicon, "LOC")] == places


def test_an_org_holds_a_place_but_not_its_own_short_name(lexicon: Lexicon) -> None:
    spans = found("أستاذ في جامعة بغداد ووكالة ناشر", lexicon)
    assert ("جامعة بغداد", "ORG", None) in spans
    assert ("بغداد", "LOC", None) in spans
    assert ("ناشر", "ORG", "nashir") not in spans  # same entity as وكالة ناشر: not nested


def test_dates_win_over_the_numbers_inside_them(lexicon: Lexicon) -> None:
    assert found("في 6 أيار/مايو 2018 حذف 700 حساب", lexicon) == [
        ("6 أيار/مايو 2018", "DATE", "2018-05-06"),
        ("700", "QUANTITY", "700"),
    ]


def test_suggestions_never_cross(lexicon: Lexicon) -> None:
    text = "وقال مركز الإعلام الرقمي العراقي في تقرير عن تيليغرام وفيس بوك في 3 آذار 2019 إن 125 ألف حساب"
    spans = suggest(text, lexicon)
    for a in spans:
        for b in spans:
            assert not (a.start < b.start < a.end < b.end), (a, b)


def test_predict_document_gives_scored_spans_with_ids(real_repo: Repo) -> None:
    registry = Registry(REGISTRY.entities)
    document = next(iter_documents(real_repo))
    spans = predict_document(document, registry)
    assert spans
    assert all(s.score is not None and 0 < s.score <= 1 for s in spans)
    assert all(document.text[s.start : s.end] == s.text for s in spans)
    assert len({s.id for s in spans}) == len(spans)
    assert predict_document(document, registry) == spans  # deterministic, ids included
    assert [s.id for s in predict_document(document, registry)] == [s.id for s in spans]


# --- files and commands --------------------------------------------------------------------------


def test_preannotate_jsonl_round_trip(repo: Repo, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [{"id": "a", "text": "حذف تليجرام ٢٦ ألف قناة في عام ٢٠١٧"}, {"id": "b", "text": "لا شيء هنا"}]
    source.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    assert (
        main(["--root", str(repo.root), "preannotate", "--input", str(source), "--output", str(target)]) == 0
    )
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert [(s["text"], s["label"], s["value"]) for s in records[0]["spans"]] == [
        ("تليجرام", "PLATFORM", "telegram"),
        ("٢٦ ألف", "QUANTITY", "26000"),
        ("عام ٢٠١٧", "DATE", "2017"),
    ]
    assert all(isinstance(s["score"], float) for s in records[0]["spans"])
    assert records[1]["spans"] == []


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "in.jsonl: line 2: invalid JSON"),
        (
            '{"id": "x"}',
            "in.jsonl: document x: line 2: expected an object with string fields 'id' and 'text'",
        ),
        ('["a"]', "in.jsonl: line 2: expected an object with string fields 'id' and 'text'"),
    ],
)
def test_bad_jsonl_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "ok", "text": "نص"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(PredictionFileError) as caught:
        list(read_texts(source, file="in.jsonl"))
    assert str(caught.value).startswith(message)
    assert "Fix: write one object per line" in str(caught.value)


def test_input_and_output_go_together(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(repo.root), "preannotate", "--input", "x.jsonl"]) == 1
    assert "--input and --output go together" in capsys.readouterr().err


def test_predictions_are_written_beside_the_gold_and_read_back(repo: Repo) -> None:
    gold_before = {p.name: p.read_bytes() for p in repo.annotations_dir.glob("*.json")}
    assert main(["--root", str(repo.root), "preannotate"]) == 0
    documents = list(iter_documents(repo))
    for document in documents:
        path = prediction_path(repo, document.id)
        assert path.parent == repo.dataset_dir / "predictions"
        spans = load_predictions(repo, document)
        assert spans
        assert all(s.score is not None for s in spans)
    assert {p.name: p.read_bytes() for p in repo.annotations_dir.glob("*.json")} == gold_before
    assert load_predictions(repo, replace(documents[0], id="no-such-document")) == ()
    stray = prediction_path(repo, "no-such-document")
    stray.write_bytes(prediction_path(repo, documents[0].id).read_bytes())
    assert [e.code for e in iter_orphan_predictions(repo, {d.id for d in documents})] == ["RASD-E705"]


def test_stale_or_broken_predictions_are_reported(repo: Repo) -> None:
    assert main(["--root", str(repo.root), "preannotate"]) == 0
    document = next(iter_documents(repo))
    doc_id = document.id
    path = prediction_path(repo, doc_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["text_sha256"] = "0" * 64
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        PredictionFileError, match="the document text changed since these predictions were made"
    ):
        load_predictions(repo, document)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(PredictionFileError) as caught:
        load_predictions(repo, document)
    assert str(caught.value).startswith(f"dataset/predictions/{doc_id}.json: document {doc_id}: cannot read")


def test_a_bad_line_leaves_no_output(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "نص"}\n{broken\n', encoding="utf-8")
    target = tmp_path / "out.jsonl"
    assert (
        main(["--root", str(repo.root), "preannotate", "--input", str(source), "--output", str(target)]) == 1
    )
    assert "line 2: invalid JSON" in capsys.readouterr().err
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "repo"]  # no temporary file left


@pytest.mark.parametrize(
    ("parse", "line", "message"),
    [
        (
            parse_places,
            "town\tx\tمكان",
            "places.tsv: line 1: expected 'kind<TAB>id<TAB>names' with kind one of",
        ),
        (parse_places, "city baghdad بغداد", "places.tsv: line 1: expected 'kind<TAB>id<TAB>names'"),
        (parse_platforms, "telegram\tQ1", "places.tsv: line 1: expected 'id<TAB>QID or -<TAB>names'"),
        (parse_platforms, "x\t42\tاسم", "places.tsv: line 1: expected 'id<TAB>QID or -<TAB>names'"),
    ],
)
def test_malformed_builtin_lists_name_the_line(
    parse: Callable[[str, str], object], line: str, message: str
) -> None:
    with pytest.raises(GazetteerError) as caught:
        parse(line + "\n", "places.tsv")
    assert str(caught.value).startswith(message)
    assert "Fix: separate the three fields with single tabs" in str(caught.value)


def test_builtin_lists_parse() -> None:
    assert ("LOC", "city:jakarta") in {(e.label, e.id) for e in places()}
    assert "تيليغرام" in next(e for e in platforms() if e.id == "telegram").names
