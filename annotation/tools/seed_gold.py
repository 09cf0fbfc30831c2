"""How the first gold files were made: mentions listed by surface form, located by machine.

Each document's mentions are listed below as surface strings with their label
and value; ``locate.occurrences`` finds every whole-word occurrence (proclitics
و ف ب ل ك left outside), optionally narrowed by the text right before
(``after``) or after (``before``) it, and ``expect`` states how many there must
be, so a changed text or a typo fails loudly instead of dropping a span.  No
offset is ever typed by hand.  Values of ORG/PLATFORM/PERSON/LOC come from
``annotation/entities.json`` unless given.

Since the first release the files in ``dataset/annotations/`` are the source of
truth (they are edited in Label Studio); this script only shows the difference
between this table and them, and writes only with ``--write``.  Existing span
ids are kept.  Not used by the build.

    .venv/bin/python annotation/tools/seed_gold.py            # show differences
    .venv/bin/python annotation/tools/seed_gold.py --write    # (re)write gold files
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from locate import occurrences

from rasd.gold.annotations import annotation_path, parse_annotation_file, write_annotations
from rasd.gold.entities import ENTITY_LABELS, Registry, load_registry
from rasd.intake.ingest import iter_documents
from rasd.core.model import Document, Span
from rasd.core.paths import Repo
from rasd.core.spans import new_span_id

AUTO = "<registry>"


@dataclass(frozen=True)
class M:
    """A mention (or every mention) of ``surface`` to annotate."""

    surface: str
    label: str
    value: str | None = AUTO
    after: str | None = None
    before: str | None = None
    expect: int | None = None
    nested: bool = False  # also take occurrences inside a longer span of the same label
    note: str | None = None


D0 = "000_01a36b4f6357320d"
D1 = "001_5b33b8c844d6be1e"
D2 = "002_a9a60629cc9fd74b"
D3 = "003_6ec577d5e0655de2"
D4 = "004_25f35d1dbdb7fbb1"

GOLD: dict[str, list[M]] = {
    D0: [
        M("داعش", "ORG", expect=7, nested=True),
        M("بغداد", "LOC", expect=2),
        M("مجلس الوزراء", "ORG", expect=1),
        M("عادل عبد المهدي", "PERSON", expect=1),
        M("60", "QUANTITY", "60", expect=1),
        M("46", "QUANTITY", "46", expect=1),
        M("عشر", "QUANTITY", "10", expect=1),
        M("100", "QUANTITY", "100", expect=1),
        M("700", "QUANTITY", "700", expect=1),
        M("التحالف الدولي", "ORG", expect=2),
        M("العراق", "LOC", expect=2),
        M("فريق التحقيق الدولي في جرائم داعش", "ORG", expect=1),
        M("مركز الإعلام الرقمي", "ORG", expect=1),
        M("فوكت شات", "PLATFORM", expect=2),
        M("ريتا كارتز", "PERSON", expect=1),
        M("كارتز", "PERSON", expect=1),
        M("التليغرام", "PLATFORM", expect=2),
        M("وكالة أعماق", "ORG", expect=1),
        M("ناشر", "ORG", expect=1),
        M("العشرين من شباط/ فبراير", "DATE", "2019-02-20", expect=1),
        M("الحادي والعشرين من الشهر نفسه لعام 2019", "DATE", "2019-02-21", expect=1),
        M("النصف الثاني من هذا العام", "DATE", "2019", expect=1),
        M("الأسابيع القليلة الماضية", "DATE", None, expect=1),
        M("نهاية السنة الماضية", "DATE", "2018", expect=1),
        M("كانون الثاني/ يناير الماضي", "DATE", "2019-01", expect=1),
    ],
    D1: [
        M("داعش", "ORG", expect=6, nested=True),
        M("تيليغرام", "PLATFORM", expect=1),
        M("تويتر", "PLATFORM", expect=1),
        M("فيسبوك", "PLATFORM", expect=4),
        M("يوتيوب", "PLATFORM", expect=1),
        M("العصفور الأزرق", "PLATFORM", expect=1),
        M("مركز الإعلام الرقمي", "ORG", expect=1),
        M("العراق", "LOC", expect=1),
        M("القاعدة", "ORG", expect=1),
        M("1.9 مليون", "QUANTITY", "1900000", expect=1),
        M("125 ألف", "QUANTITY", "125000", expect=1),
        M("ستة", "QUANTITY", "6", expect=1),
        M("الأشهر الثلاثة الأولى من العام", "DATE", None, expect=1),
        M("الربع السابق", "DATE", None, expect=1),
        M("بداية عام 2016", "DATE", "2016", expect=1),
    ],
    D2: [
        M("داعش", "ORG", expect=11, nested=True),
        M("الكويت", "LOC", after="المصدر: ", expect=1),
        M(
            "الكويت",
            "LOC",
            "kuwait-city",
            after="العاصمة ",
            expect=1,
            note="العاصمة الكويت is the capital, Kuwait City, which is written like the country",
        ),
        M("الكويت", "LOC", after="في ", expect=1),
        M("الكويت", "LOC", after="و", expect=1),
        M("الكويت", "LOC", after="اجتماع ", expect=1),
        M("إرم نيوز", "ORG", expect=1),
        M("لتحالف الدولي", "ORG", expect=1),
        M("لمجموعة المعنيّة بالاتصالات", "ORG", expect=1),
        M("المجموعة المعنية بالاتصالات", "ORG", expect=1),
        M("اليوم الإثنين", "DATE", None, expect=1),
        M("الولايات المتحدة", "LOC", expect=1),
        M("2014", "DATE", "2014", expect=1),
        M("25", "QUANTITY", "25", expect=1),
        M("34", "QUANTITY", "34", expect=1),
        M("ستة", "QUANTITY", "6", expect=1),
        M("ثلاثة", "QUANTITY", "3", expect=1),
        M("تويتر", "PLATFORM", expect=2),
        M("يوتيوب", "PLATFORM", expect=1),
        M("فيسبوك", "PLATFORM", expect=1),
        M("وزارة الخارجية الأمريكية", "ORG", expect=1),
        M("ريتشارد ستنجل", "PERSON", expect=1),
        M("ستنجل", "PERSON", expect=1),
        M("الموصل", "LOC", expect=1),
        M("العراق", "LOC", expect=2),
        M("الرقة", "LOC", expect=1),
        M("سوريا", "LOC", expect=2),
        M("باريس", "LOC", expect=1),
        M("بروكسل", "LOC", expect=1),
        M("السعودية", "LOC", expect=1),
        M("ليبيا", "LOC", expect=1),
        M("مصر", "LOC", expect=1),
        M("أفغانستان", "LOC", expect=1),
        M("نوفمبر تشرين الثاني", "DATE", None, expect=1),
        M("مارس آذار", "DATE", None, expect=1),
        M("ديسمبر كانون الأول", "DATE", None, expect=1),
        M("الأربعاء", "DATE", None, expect=1),
        M("27 أبريل نيسان", "DATE", None, expect=1),
        M("خالد سليمان الجار الله", "PERSON", expect=1),
        M("الدولة الإسلامية", "ORG", expect=1),
        M("القاعدة", "ORG", expect=1),
    ],
    D3: [
        M("العراق", "LOC", expect=3),
        M("داعش", "ORG", expect=25, nested=True),
        M("خالد الطائي", "PERSON", expect=1),
        M("6 أيار/مايو 2018", "DATE", "2018-05-06", expect=1),
        M("الدولة الإسلامية", "ORG", expect=1),
        M("فيسبوك", "PLATFORM", expect=3),
        M("تويتر", "PLATFORM", expect=2),
        M("واتس آب", "PLATFORM", expect=1),
        M("تيليغرام", "PLATFORM", expect=3),
        M("ناشر", "ORG", expect=2),
        M("29 تشرين الثاني/نوفمبر", "DATE", None, expect=1),
        M("جسر لندن", "LOC", expect=2),
        M("لندن", "LOC", expect=2, nested=True),
        M("تام تام", "PLATFORM", expect=4),
        M("3 كانون الأول/ديسمبر", "DATE", None, expect=1),
        M("رعد الكعبي", "PERSON", expect=1),
        M("الكعبي", "PERSON", expect=1),
        M("كلية الإعلام بجامعة بغداد", "ORG", expect=1),
        M("جامعة بغداد", "ORG", expect=1, nested=True),
        M("بغداد", "LOC", expect=1),
        M("ديارنا", "ORG", expect=4),
        M("عام 2017", "DATE", "2017", expect=1),
        M("8500", "QUANTITY", "8500", expect=1),
        M("إنستاغرام", "PLATFORM", expect=1),
        M("سنابشات", "PLATFORM", expect=1),
        M("تيك توك", "PLATFORM", expect=3),
        M("بايت دانس", "ORG", expect=1),
        M("تشرين الأول/أكتوبر الماضي", "DATE", None, expect=1),
        M("وكالة الصحافة الفرنسية", "ORG", expect=1),
        M("10", "QUANTITY", "10", expect=1),
        M("15", "QUANTITY", "15", expect=1),
        M("وكالة الشرطة الأوروبية", "ORG", expect=1),
        M("يوروبول", "ORG", expect=1),
        M("26 ألف", "QUANTITY", "26000", expect=1),
        M("أعماق", "ORG", expect=1),
        M("الجيش الأميركي", "ORG", expect=1),
        M("العام 2016", "DATE", "2016", expect=1),
        M("21 كانون الثاني/يناير", "DATE", None, expect=1),
        M("القيادة السيبرانية الأميركية", "ORG", expect=1),
        M("فاضل أبو رغيف", "PERSON", expect=1),
        M("أبو رغيف", "PERSON", expect=1),
        M("وزارتي الداخلية والدفاع", "ORG", expect=1),
        M("جهاز الأمن الوطني", "ORG", expect=1),
        M("2000", "QUANTITY", "2000", expect=1),
        M("22 ألف", "QUANTITY", "22000", expect=1),
        M("اليوم", "DATE", None, expect=1),
        M("إبراهيم السراجي", "PERSON", expect=1),
        M("السراجي", "PERSON", expect=1),
        M("جمعية الدفاع عن حقوق الصحافيين", "ORG", expect=1),
    ],
    D4: [
        M("إيلاف", "ORG", expect=2),
        M("لندن", "LOC", expect=1),
        M("اليوم", "DATE", None, expect=1),
        M("داعش", "ORG", expect=7, nested=True),
        M("الشهر الماضي", "DATE", None, expect=2),
        M("الاسابيع القليلة الماضية", "DATE", None, expect=1),
        M("700", "QUANTITY", "700", expect=3),
        M("9122", "QUANTITY", "9122", expect=1),
        M("مركز الاعلام الرقمي العراقي", "ORG", expect=1),
        M("المركز الرقمي العراقي", "ORG", expect=1),
        M("RocketChat", "PLATFORM", expect=2),
        M("الاربعاء", "DATE", None, expect=1),
        M("نهاية السنة الماضية", "DATE", None, expect=1),
        M("ريتا كارتز", "PERSON", expect=1),
        M("كارتز", "PERSON", expect=1),
        M("وكالة ناشر", "ORG", expect=1),
        M("التليغرام", "PLATFORM", expect=1),
        M("تلغرام", "PLATFORM", expect=1),
        M("وكالة اعماق", "ORG", expect=2),
        M("Amaq News Agency", "ORG", expect=1),
        M("يناير الماضي", "DATE", None, expect=1),
        M("البصرة", "LOC", expect=1),
        M("عام 1963", "DATE", "1963", expect=1),
        M("مجموعة البحث عن الإرهابيين الدوليين", "ORG", expect=1),
        M("واشنطن العاصمة", "LOC", expect=1),
        M("أغسطس عام 2014", "DATE", "2014-08", expect=1),
    ],
}


def resolve_value(mention: M, registry: Registry, where: str) -> str | None:
    if mention.value != AUTO:
        return mention.value
    if mention.label not in ENTITY_LABELS:
        raise SystemExit(f"{where}: {mention.label} {mention.surface!r} needs an explicit value (or None)")
    found = [e for e in registry.by_alias(mention.surface) if e.label == mention.label]
    if len(found) != 1:
        raise SystemExit(f"{where}: {mention.surface!r} is alias of {len(found)} {mention.label} entities")
    return found[0].value


def spans_for(document: Document, mentions: list[M], registry: Registry) -> list[Span]:
    """Every span the table asks for; exits naming the mention when a count is off."""
    spans: dict[tuple[int, int, str], Span] = {}
    # longest first, so a short alias can skip the places a longer span of its label already covers
    for mention in sorted(mentions, key=lambda m: -len(m.surface)):
        where = f"{document.id}: {mention.label} {mention.surface!r}"
        value = resolve_value(mention, registry, where)
        places = []
        for occ in occurrences(document.text, mention.surface):
            if mention.after is not None and not document.text[: occ.start].endswith(mention.after):
                continue
            if mention.before is not None and not document.text[occ.end :].startswith(mention.before):
                continue
            covered = any(
                s.label == mention.label and s.start <= occ.start and occ.end <= s.end for s in spans.values()
            )
            if covered and not mention.nested:
                continue
            places.append(occ)
        if mention.expect is not None and len(places) != mention.expect:
            raise SystemExit(f"{where}: expected {mention.expect} occurrences, found {len(places)}")
        for occ in places:
            key = (occ.start, occ.end, mention.label)
            if key in spans:
                raise SystemExit(f"{where}: listed twice at {occ.start}")
            spans[key] = Span(
                occ.start,
                occ.end,
                mention.label,
                id=new_span_id(document.id, occ.start, occ.end, mention.label),
                text=mention.surface,
                value=value,
                note=mention.note,
            )
    return list(spans.values())


def keep_ids(repo: Repo, document: Document, spans: list[Span]) -> list[Span]:
    """Reuse the id of a span already in the gold file at the same offsets and label."""
    path = annotation_path(repo, document.id)
    if not path.exists():
        return spans
    existing = {s.key: s.id for s in parse_annotation_file(repo, path).spans}
    return [s.replace(id=existing.get(s.key, s.id)) for s in spans]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[2]))
    parser.add_argument("--write", action="store_true", help="write the gold files (default: only compare)")
    args = parser.parse_args(argv)
    repo = Repo(args.root)
    registry = load_registry(repo)
    for document in iter_documents(repo):
        spans = keep_ids(repo, document, spans_for(document, GOLD.get(document.id, []), registry))
        path = annotation_path(repo, document.id)
        old = {s.key: s for s in parse_annotation_file(repo, path).spans} if path.exists() else {}
        new = {s.key: s for s in spans}
        for key in sorted(set(old) | set(new)):
            if key not in new:
                print(f"{document.id}\t- {old[key].label} {old[key].text!r} at {key[0]}")
            elif key not in old:
                print(f"{document.id}\t+ {new[key].label} {new[key].text!r} at {key[0]}")
            elif (old[key].value, old[key].note) != (new[key].value, new[key].note):
                print(
                    f"{document.id}\t~ {new[key].label} {new[key].text!r} at {key[0]}: value or note differs"
                )
        if args.write and write_annotations(repo, document, spans):
            print(f"wrote {repo.relative(path)} ({len(spans)} spans)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
