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
    اتحاد حزب حركة جبهة محكمة مكتب صحيفة الجيش القيادة الاتحاد الأمم الحرس التحالف مشروع مرصد منتدى
    مفوضية مديرية المفوضية المديرية البرلمان الكونغرس المرصد المنتدى المكتب الشرطة قوات دار مبادرة"""
)
PLACE_HEADS = folded_set("جسر شارع ساحة ميدان مطار ميناء مضيق")
PLACE_TYPES = folded_set("محافظة محافظتي مدينة بلدة قرية مخيم ضاحية حي جزيرة منطقة إقليم")
"""Type words before a place's name that stay outside it (مخيم [الهول]، بلدة [القديح])."""
PERSON_TITLES = folded_set(
    """الباحث الباحثة الخبير الخبيرة المحلل المحللة الأستاذ الأستاذة الدكتور الدكتورة الشيخ السيد
    السيدة الرئيس رئيس رئيسة وزير وزيرة الوزير نائب وكيل مدير مديرة المدير الناطق المتحدث المتحدثة
    الصحفي الصحفية الكاتب الكاتبة المسؤول مستشار المستشار السفير الجنرال العقيد اللواء العميد القاضي
    زعيم الزعيم قائد القائد المبعوث الأمين مؤسس المؤسس الداعية الطالب المفوض مراسل مراسلة مراسلتها
    مراسله مديرها مديره نائبه نائبها زوجته زوجها مستشاره مساعده
    العاهل الملك الأمير شيخ المديرة المستشارة المسؤولة مسؤولة القيادي الرهينة
    شقيقه شقيقها زميله الإمام المفتي النائب المدعي الأمينة الناشط الناشطة المحامي المؤرخ البروفيسور"""
)
SPEECH_VERBS = folded_set(
    """قال أكد أضاف أوضح ذكر أشار صرح أعلن كشف لفت رأى اعتبر قالت أكدت أضافت أوضحت ذكرت أشارت صرحت
    أعلنت كشفت لفتت رأت اعتبرت يقول تقول يضيف تضيف يرى ترى يؤكد تؤكد يوضح توضح يلاحظ تلاحظ لاحظ
    كتب كتبت حذر حذرت نبه نبهت دعا دعت وصف وصفت يشير تشير أقر أقرت نفى نفت شدد شددت يشدد تشدد
    رد ردت علق علقت أفاد أفادت تابع تابعت أردف أردفت اتهم اتهمت طالب طالبت يعتبر تعتبر"""
)
"""Verbs of saying: the word after one often begins the speaker's name."""
SPEAKER_NOUNS = folded_set(
    """مصدر مصادر مسؤول مسؤولون مسؤولين بيان تقرير خبراء خبير محللون محلل باحثون باحث متحدث ناطق
    شهود ناشطون ناشط سكان مراقبون دراسة مسؤولة ناشطة باحثة خبيرة أحد بعض كثيرون آخرون
    عائلة أسرة والد والدة مختصون محققون المحققون خبراء دبلوماسيون"""
)
"""Common subjects of a verb of saying that are no name (مصدر، مسؤول ...)."""
NAME_PARTICLES = folded_set("دي دو دا فان فون دير ديل دل لا لو دوس")
"""Particles inside transliterated foreign names (إريك فان دير سيبت، جيل دي كيرشوف)."""
PARTICLE_STARTS = folded_set("دي فان فون دير")
"""The particles that, between two words, make them a foreign name on their own."""
DESCRIPTOR_WORDS = folded_set("باسم وزراء شركة مجموعة منصة مؤسسة موقع قناة صحيفة آنذاك حينذاك السابق السابقة")
"""Words inside a title's descriptor (المتحدث باسم ...، رئيسة وزراء ...) that are no name."""
STOPWORDS = folded_set(
    """إن أن إنه أنه إلى الى على في من عن مع قد لا لم لن ما هو هي هذا هذه ذلك تلك الذي التي الذين
    اللذين اللتين اللواتي الآن اليوم أمس كما بعد قبل حيث حتى أو ثم بل لكن إذ إذا وقد وهو وهي عبر خلال
    حول ضد بين منذ لدى عند أيضا الماضي الماضية المقبل الحالي الأخرى الأول الثاني نفسه نفسها
    فيه فيها منه منها عنه عنها له لها به بها أمام وراء خلف فوق تحت دون نحو إلا آنذاك حينذاك حينها
    بأن بأنه بأنها"""
)
"""Words that end a name or a modifier run: particles, relatives, prepositions, time words."""
NATIONALITIES = folded_set(
    """عراقي أمريكي أميركي سوري كويتي سعودي مصري روسي صيني فرنسي بريطاني ألماني تركي إيراني أوروبي
    أردني لبناني ليبي يمني إماراتي قطري بحريني عماني تونسي جزائري مغربي سوداني فلسطيني إسرائيلي
    أفغاني باكستاني هندي ياباني كوري إيطالي إسباني هولندي بلجيكي كندي أسترالي نيجيري صومالي
    اسكتلندي سويدي نمساوي دنماركي نرويجي بولندي إندونيسي فلبيني ماليزي بنغلاديشي إثيوبي كيني
    نيوزيلندي إيرلندي أيرلندي سويسري يوناني برتغالي أوكراني"""
)
"""Nationality adjectives (without ال and ة): inside an organisation's name when they follow it."""
NAME_LINKS = folded_set("عبد أبو أبي أبا ابن بن بنت آل ابو ام أم")
KUNYA = folded_set("أبو أبي أبا ابو أم")
LATIN_ORG_HEADS = folded_set(
    """agency group center centre institute organization organisation ministry university foundation
    council network news command department"""
)
"""The last word of a Latin-script organisation name (``Nashir News Agency``)."""
NOT_NAME_NOUNS = folded_set("قناة حساب حسابات صفحة موقع تطبيق منصة صحيفة مجلة رسالة رسائل فيديو مقطع")
"""Nouns that often follow a one-word name as its object (أدار قاسم قناة): they end the name."""
SAYING_ONLY = folded_set("قال قالت أضاف أضافت أوضح أوضحت أشار أشارت صرح صرحت يقول تقول يضيف تضيف")
"""Verbs of saying with no object: a two-word name after one may end at a preposition (قال X Y في)."""
OUTLET_TYPE_WORDS = folded_set("موقع صحيفة قناة إذاعة مجلة جريدة")
"""Type words before an outlet's name: outside it (spec rule 2), never its head."""
