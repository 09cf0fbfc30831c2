"""Whole paragraphs, every suggestion pinned: what the pre-annotator must keep suggesting, however it is made faster.

The paragraphs were written for this test, and every expected span was worked out
by hand from the annotation spec (``annotation-spec.md``: proclitics and type words
outside, nationality adjectives inside an organisation's name, nesting inside names,
every mention annotated, the normalised values): none was copied from the code's
output.  Each paragraph mixes several rules, so a change that lets one matcher see
another's words, offsets or lexicon shows up as an extra, missing or moved span.
"""

from __future__ import annotations

import pytest

from rasd.gold.entities import Entity, Registry
from rasd.preannotate.lexicon import Lexicon, build_lexicon
from rasd.preannotate.suggest import predict_text

REGISTRY = Registry(
    (
        Entity("telegram", "PLATFORM", "Telegram", "Q15616276", ("تيليغرام",)),
        Entity("islamic-state", "ORG", "Islamic State", None, ("داعش",)),
        Entity("global-coalition", "ORG", "Global Coalition", None, ("التحالف الدولي",)),
        Entity("rita-katz", "PERSON", "Rita Katz", None, ("ريتا كارتز", "كارتز")),
    )
)

Expected = list[tuple[str, str, str | None]]  # surface, label, value; in text order

PARAGRAPHS: list[tuple[str, Expected]] = [
    (
        # type words (الباحثة, تنظيم) and proclitics (و) outside; approximator outside the quantity
        "قالت الباحثة ريتا كارتز إن تنظيم داعش نشر على تيليغرام وتويتر أكثر من 125 ألف رسالة.",
        [
            ("ريتا كارتز", "PERSON", "Rita Katz"),
            ("داعش", "ORG", "islamic-state"),
            ("تيليغرام", "PLATFORM", "telegram"),
            ("تويتر", "PLATFORM", "twitter"),
            ("125 ألف", "QUANTITY", "125000"),
        ],
    ),
    (
        # ل + the article written as one ل: only the preposition outside (rule 1)
        "وأرسلت الحكومة رسالة للتحالف الدولي ولداعش.",
        [
            ("لتحالف الدولي", "ORG", "global-coalition"),
            ("داعش", "ORG", "islamic-state"),
        ],
    ),
    (
        # a nationality adjective closes the organisation's name (rule 2); a date with its value
        "أصدرت وزارة الخارجية الأمريكية بيانا في 21 كانون الثاني/يناير 2019 عن الموصل.",
        [
            ("وزارة الخارجية الأمريكية", "ORG", None),
            ("21 كانون الثاني/يناير 2019", "DATE", "2019-01-21"),
            ("الموصل", "LOC", None),
        ],
    ),
    (
        # a place nested in an organisation's name (rule 7); a repeated mention by the
        # family name alone (rule 9); Eastern Arabic digits
        "وقال المحلل فاروق الزبيدي من جامعة بغداد إن ١٢ حسابا أغلقت. وأضاف الزبيدي أن كارتز محقة.",
        [
            ("فاروق الزبيدي", "PERSON", None),
            ("جامعة بغداد", "ORG", None),
            ("بغداد", "LOC", None),
            ("١٢", "QUANTITY", "12"),
            ("الزبيدي", "PERSON", None),
            ("كارتز", "PERSON", "Rita Katz"),
        ],
    ),
]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return build_lexicon(REGISTRY.entities)


@pytest.mark.parametrize(("text", "expected"), PARAGRAPHS)
def test_every_suggestion_of_a_paragraph(text: str, expected: Expected, lexicon: Lexicon) -> None:
    spans = predict_text("doc", text, lexicon)
    assert [(s.text, s.label, s.value) for s in spans] == expected
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert all(s.score is not None and 0 < s.score <= 1 for s in spans)


def test_the_same_text_twice_gives_the_same_spans(lexicon: Lexicon) -> None:
    """Nothing a document leaves behind (memoised readings, cached tables) changes the next one."""
    text = PARAGRAPHS[3][0]
    first = predict_text("doc", text, lexicon)
    for other, _ in PARAGRAPHS:
        predict_text("other", other, lexicon)
    assert predict_text("doc", text, lexicon) == first
