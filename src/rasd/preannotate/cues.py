"""The cue words the rules read, folded: type words, head nouns, titles, speech verbs, stop words.

Each table is written as Arabic is spelt, one space-separated list, and folded
once (``rasd.text.arabic.fold``), so every spelling variant meets its key.
"""

from __future__ import annotations

from rasd.text.arabic import fold


def folded_set(words: str) -> frozenset[str]:
    """The folded keys of a space-separated word list."""
    return frozenset(fold(w) for w in words.split())


PLATFORM_TYPES = folded_set("تطبيق منصة موقع خدمة برنامج شبكة تطبيقات منصات")
ORG_TYPES = folded_set("وكالة شركة تنظيم جماعة حركة مجموعة صحيفة مؤسسة منظمة جريدة")
NAMING_VERBS = folded_set("تدعى يدعى تسمى يسمى باسم اسمه اسمها تعرف يعرف")
ORG_HEADS = folded_set(
    """وكالة وزارة وزارتي وزارتا مركز جامعة كلية جمعية هيئة مجموعة مجلس منظمة مؤسسة معهد جهاز لجنة
    اتحاد حزب حركة جبهة محكمة مكتب صحيفة قيادة الجيش القيادة الاتحاد الأمم الحرس التحالف"""
)
PLACE_HEADS = folded_set("جسر شارع ساحة ميدان مطار ميناء جزيرة مضيق حي")
PERSON_TITLES = folded_set(
    """الباحث الباحثة الخبير الخبيرة المحلل المحللة الأستاذ الأستاذة الدكتور الدكتورة الشيخ السيد
    السيدة الرئيس رئيس رئيسة وزير وزيرة الوزير نائب وكيل مدير مديرة المدير الناطق المتحدث المتحدثة
    الصحفي الصحفية الكاتب الكاتبة المسؤول مستشار المستشار السفير الجنرال العقيد اللواء العميد القاضي
    زعيم الزعيم قائد القائد المبعوث الأمين"""
)
SPEECH_VERBS = folded_set("قال أكد أضاف أوضح ذكر أشار صرح أعلن كشف لفت رأى اعتبر")
STOPWORDS = folded_set(
    """إن أن إنه أنه إلى الى على في من عن مع قد لا لم لن ما هو هي هذا هذه ذلك تلك الذي التي الذين
    اللذين اللتين اللواتي الآن اليوم أمس كما بعد قبل حيث حتى أو ثم بل لكن إذ إذا وقد وهو وهي عبر خلال
    حول ضد بين منذ لدى عند أيضا الماضي الماضية المقبل الحالي الأخرى الأول الثاني نفسه نفسها"""
)
"""Words that end a name or a modifier run: particles, relatives, prepositions, time words."""
NATIONALITIES = folded_set(
    """عراقي أمريكي أميركي سوري كويتي سعودي مصري روسي صيني فرنسي بريطاني ألماني تركي إيراني أوروبي
    أردني لبناني ليبي يمني إماراتي قطري بحريني عماني تونسي جزائري مغربي سوداني فلسطيني إسرائيلي
    أفغاني باكستاني هندي ياباني كوري إيطالي إسباني هولندي بلجيكي كندي أسترالي نيجيري صومالي"""
)
"""Nationality adjectives (without ال and ة): inside an organisation's name when they follow it."""
NAME_LINKS = folded_set("عبد أبو أبي ابن بن بنت آل ابو")
LATIN_ORG_HEADS = folded_set(
    """agency group center centre institute organization organisation ministry university foundation
    council network news command department"""
)
"""The last word of a Latin-script organisation name (``Nashir News Agency``)."""
