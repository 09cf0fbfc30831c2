"""People without a title: given names, kunyas, speakers, later mentions, the honest given-name list."""

from __future__ import annotations

import pytest

from rasd.preannotate.devset import blind_lexicon
from rasd.preannotate.gazetteer import given_names
from rasd.preannotate.lexicon import Lexicon, build_lexicon
from rasd.preannotate.suggest import predict_text
from rasd.text.arabic import fold


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return build_lexicon([])


def people(text: str, lexicon: Lexicon) -> list[str]:
    return [s.text for s in predict_text("doc", text, lexicon) if s.label == "PERSON"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a given name starts the name; the verb after it stays out
        ("ونشر يوسف الحمادي بيانا مطولا", ["يوسف الحمادي"]),
        ("اجتمع ستيفن غرينبرغ مع الوفد", ["ستيفن غرينبرغ"]),
        # a kunya, its name and the nisbas after it; case forms أبي / أبا
        ("بعد مقتل أبي سعيد الحضرمي قرب الحدود", ["أبي سعيد الحضرمي"]),
        ("عيّن التنظيم أبا خالد العراقي متحدثا", ["أبا خالد العراقي"]),
        # a speaker: verb of saying, name, إن/أن
        ("وقال غرينبرغ إن الحملة ستستمر", ["غرينبرغ"]),
        # a foreign particle joins the words around it
        ("ودافع بيتر دي فريس عن الخطة", ["بيتر دي فريس"]),
        # the title stays outside, and the descriptor with باسم too
        ("وقال المتحدث باسم الوزارة كريستوف مولان إن", ["كريستوف مولان"]),
        # a later mention by the family name alone
        ("وقال ستيفن غرينبرغ إن القرار نهائي. ويرى غرينبرغ أن", ["ستيفن غرينبرغ", "غرينبرغ"]),
    ],
)
def test_people_without_a_title(text: str, names: list[str], lexicon: Lexicon) -> None:
    assert people(text, lexicon) == names


@pytest.mark.parametrize(
    "text",
    [
        "وقال مصدر أمني إن الهجوم فشل",  # a common subject of a verb of saying
        "أصدر بيان التنظيم أمس",  # بيان is no given name (يان is not listed)
        "نشر التقرير أسماء المشتبه بهم",  # أسماء: a noun, left out of the list
    ],
)
def test_no_person(text: str, lexicon: Lexicon) -> None:
    assert people(text, lexicon) == []


def test_given_names_are_folded_and_skip_common_words() -> None:
    names = given_names()
    assert fold("محمد") in names
    assert fold("ستيفن") in names
    assert not {fold(w) for w in ("أسماء", "جهاد", "تركي", "علي")} & names  # علي folds like على


def test_the_honest_lexicon_forgets_the_given_names_of_the_text() -> None:
    text = "وقال ستيفن غرينبرغ إن"
    lexicon, dropped = blind_lexicon([], text)
    assert fold("ستيفن") in dropped
    assert fold("ستيفن") not in lexicon.given
    assert fold("محمد") in lexicon.given


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("بحسب ما نقلت قناة فرانس 24.", ["فرانس 24"]),  # digits inside the outlet's name, type word outside
        ("وفق ما أورده موقع عربي21، فإن", ["عربي21"]),
        ("وقال جهاز الأمن الفيدرالي الروسي (FSB) إن", ["جهاز الأمن الفيدرالي الروسي", "FSB"]),
        ("يرى باحثون أن تنظيم الدولة خسر", ["الدولة"]),  # rule 2: تنظيم stays outside
        ("حذر مرصد الأزهر لمكافحة التطرف أمس", ["مرصد الأزهر لمكافحة التطرف", "الأزهر"]),  # rule 7: nested
    ],
)
def test_organisations(text: str, orgs: list[str], lexicon: Lexicon) -> None:
    assert [s.text for s in predict_text("doc", text, lexicon) if s.label == "ORG"] == orgs


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("وأعلنت الشركة أمس الثلاثاء 3 آذار/مارس 2020 أنها", "أمس الثلاثاء 3 آذار/مارس 2020"),
        ("وقعت الهجمات أواخر تشرين الأول/أكتوبر 2015 في", "أواخر تشرين الأول/أكتوبر 2015"),
        ("عقد المؤتمر يومي 7-8 أيار 2019 في", "7-8 أيار 2019"),
        ("بين 3 و5 حزيران 2018 جرت", "3 و5 حزيران 2018"),
        ("انضم إلى التنظيم في صيف 2014 ثم", "صيف 2014"),
        ("ولد عام ألف وتسعمائة وثمانين في", "عام ألف وتسعمائة وثمانين"),
        ("القاهرة، الاثنين 4/مايو/2020 10:15 - قال", "الاثنين 4/مايو/2020"),  # the clock time stays out
    ],
)
def test_dates_whole(text: str, date: str, lexicon: Lexicon) -> None:
    spans = predict_text("doc", text, lexicon)
    assert [s.text for s in spans if s.label == "DATE"] == [date]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("نُقلت العائلات إلى مخيم الركبان في الصحراء", "الركبان"),  # type word outside
        ("وقعت الغارة في بلدة سرمدا بريف إدلب", "سرمدا"),
        ("نشأ في حي سان جيل، ثم", "سان جيل"),
    ],
)
def test_places_after_a_type_word(text: str, place: str, lexicon: Lexicon) -> None:
    assert place in [s.text for s in predict_text("doc", text, lexicon) if s.label == "LOC"]


@pytest.mark.parametrize(
    "text", ["وقال حينها إن القرار نهائي", "وأضاف لديارنا أن التنظيم", "ولكنه حذر ذاكرا أن"]
)
def test_no_one_word_speaker_from_an_adverb_or_a_preposition(text: str, lexicon: Lexicon) -> None:
    assert people(text, lexicon) == []


@pytest.mark.parametrize(
    ("text", "platforms"),
    [
        ("انتقلت القنوات إلى Rocket.Chat ثم إلى Archive.org.", ["Rocket.Chat", "Archive.org"]),  # Latin dot
        ("نشرت الروابط على ديلي موشن وفيميو وثريما", ["ديلي موشن", "فيميو", "ثريما"]),
        ("جربوا تطبيق هوب مسنجر بعد الحملة", ["هوب مسنجر"]),  # the product name, مسنجر inside it
        ("ويصعب تتبعها عبر تطبيقات المسنجر المشفرة", []),  # the generic word: no platform
    ],
)
def test_alternative_platforms(text: str, platforms: list[str], lexicon: Lexicon) -> None:
    assert [s.text for s in predict_text("doc", text, lexicon) if s.label == "PLATFORM"] == platforms


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("وقالت مايكروسوفت وغوغل إنهما ستتعاونان", ["مايكروسوفت", "غوغل"]),
        ("وأطلقت مبادرة Tech Against Terrorism أداة جديدة", ["Tech Against Terrorism"]),  # head outside
        ("قتل في غارة على كابل أمس", []),  # ك + ابل is no company
    ],
)
def test_organisation_list(text: str, orgs: list[str], lexicon: Lexicon) -> None:
    assert [s.text for s in predict_text("doc", text, lexicon) if s.label == "ORG"] == orgs


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("وقال رئيس الهيئة ألكسندر جاروف إن الحجب مستمر", ["ألكسندر جاروف"]),  # ال in a given name
        ("وقالت مفوضة مكافحة التطرف سارة خان إن", ["سارة خان"]),  # a construct in the descriptor
        (
            "قال جيل دي كيرشوف إن الخطر قائم. ودعا دي كيرشوف الشركات إلى التعاون",
            ["جيل دي كيرشوف", "دي كيرشوف"],
        ),  # the verb stays outside
        ("وتولى أبو عمر البغدادي القيادة بعده", ["أبو عمر البغدادي"]),  # after a nisba, only a nisba
        ("يدير المتحدث باسم الحركة ذبيح الله مجاهد حسابا", ["ذبيح الله مجاهد"]),  # X الله is one word
        ("للرد على دعاية أبي محمد العدناني ورفاقه.", ["أبي محمد العدناني"]),  # ورفاقه: a new phrase
        ("وقال المستشار كينت ووكر إن", ["كينت ووكر"]),  # a family name in و
    ],
)
def test_name_boundaries(text: str, names: list[str], lexicon: Lexicon) -> None:
    assert people(text, lexicon) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("وقال رئيس شرطة مكافحة الإرهاب نيل باسو إن الشباب", ["نيل باسو"]),  # a construct chain
        ("وبقي الشريك المؤسس للتطبيق، بعيدا عن الأضواء", []),  # an adverb in ـا is no name
        ("كان المتحدث الرسمي الأكثر حساسية في التنظيم", []),  # an abstract noun in ـية
        ("بعدما قال الوزير روديانتارا إن التطبيق", ["روديانتارا"]),  # a long word in ـا is a name
    ],
)
def test_descriptors_and_false_names(text: str, names: list[str], lexicon: Lexicon) -> None:
    assert people(text, lexicon) == names


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("قالت مديرة معهد تحليل سياسات النزاع إن", ["معهد تحليل سياسات النزاع"]),  # a long official name
        ("نشرت مجموعة غوغل صور الهجمات", ["مجموعة غوغل"]),  # a known name: no chain after the head
    ],
)
def test_long_official_names(text: str, orgs: list[str], lexicon: Lexicon) -> None:
    assert [s.text for s in predict_text("doc", text, lexicon) if s.label == "ORG"] == orgs


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("أكدت وزارتي الداخلية والدفاع أن", [("وزارتي الداخلية والدفاع", "ORG")]),  # one shared head
        ("قالت وزارة الداخلية والعراق إن", [("وزارة الداخلية", "ORG"), ("العراق", "LOC")]),  # unlike
        ("وقال التحالف الدولي والأمم المتحدة إن", [("التحالف الدولي", "ORG"), ("الأمم المتحدة", "ORG")]),
        ("ونقلت وكالة الأنباء السعودية عن", [("وكالة الأنباء السعودية", "ORG")]),  # adjective, no LOC
        ("وقال مشروع CEP إن", [("CEP", "ORG")]),  # a Latin acronym after an Arabic head noun
    ],
)
def test_shared_heads_adjectives_and_acronyms(
    text: str, spans: list[tuple[str, str]], lexicon: Lexicon
) -> None:
    assert [(s.text, s.label) for s in predict_text("doc", text, lexicon) if s.label != "DATE"] == spans


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("لقي الزعيم الفار، وشكر ترامب عبدي على التعاون", []),  # و after the comma: a new clause
        ("ويرى الرئيس التنفيذي للشركة آنذاك ديك كوستولو أن", ["ديك كوستولو"]),  # آنذاك in the descriptor
        ("ويضيف نائبه سيموس هيوز أن التجنيد انتقل", ["سيموس هيوز"]),  # a title with a pronoun
        ("ويعتقد أن قاسم قُتل في غارة", []),  # a verb written with its vowels ends the name
    ],
)
def test_clause_and_title_edges(text: str, names: list[str], lexicon: Lexicon) -> None:
    assert people(text, lexicon) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("ظهر البلجيكي عبد الحميد أباعود في مقابلة", ["عبد الحميد أباعود"]),  # a nationality as a noun
        ("بعد تواصل مع الاسكتلندية أقصى محمود عبر تويتر", ["أقصى محمود"]),
        ("وقصفت القوات العراقية مواقع التنظيم في", []),  # after a definite noun it is an adjective
        ("قتل أبو محمد الفرقان، واسمه الحقيقي وائل عادل حسن سلمان الفياض، بغارة", None),
        ("وقال بافل دوروف في رسالة أن", ["بافل دوروف"]),  # two words closed by a preposition
        ("وشكر ترامب عبدي على التعاون", []),  # شكر takes an object: no speaker rule
        ("كان أبو مُصعب الزَّرقاوي من أوائل القادة", ["أبو مُصعب الزَّرقاوي"]),  # vowels after a kunya
    ],
)
def test_nationals_real_names_and_speakers(text: str, names: list[str] | None, lexicon: Lexicon) -> None:
    found = people(text, lexicon)
    if names is None:  # the real name is one span
        assert "وائل عادل حسن سلمان الفياض" in found
    else:
        assert found == names


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("بحسب ما نقل موقع اليوم السابع.", {("اليوم السابع", "ORG")}),  # the known name beats the DATE
        ("نشرت صحيفة نيويورك تايمز تحقيقا", {("نيويورك تايمز", "ORG"), ("نيويورك", "LOC")}),  # rule 7
        ("توزعت على غوغل درايف وميغا", {("غوغل درايف", "PLATFORM"), ("غوغل", "ORG"), ("ميغا", "PLATFORM")}),
    ],
)
def test_names_inside_known_names(text: str, spans: set[tuple[str, str]], lexicon: Lexicon) -> None:
    assert {(s.text, s.label) for s in predict_text("doc", text, lexicon)} == spans
