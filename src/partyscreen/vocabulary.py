"""Word lists the normaliser and the weights use: legal forms, abbreviations, generic words,
place names, Chinese words and homoglyphs.

These are facts about how organisation names are written, not tuned numbers. Each list says
which cases it serves. Everything here is applied identically to list names and to queries.
"""

from __future__ import annotations

from importlib import resources


def _words(text: str) -> frozenset[str]:
    """A set of words written one after another, the way word lists read best."""
    return frozenset(text.split())


__all__ = [
    "ABBREVIATIONS",
    "COUNTRY_WORDS",
    "CYRILLIC_LEGAL_FORMS",
    "GENERIC_WORDS",
    "HAN_WORDS",
    "HOMOGLYPHS",
    "LEET_DIGITS",
    "LEGAL_FORM_LEADING_TOKENS",
    "LEGAL_FORM_PHRASES",
    "LEGAL_FORM_TOKENS",
    "LEGAL_FORM_TRAILING_TOKENS",
    "NUMBER_WORDS",
    "ORDINALS",
    "ORDINARY_WORDS",
    "PLACE_WORDS",
    "SPELLINGS",
    "SPELLING_TYPO_LETTERS",
    "STOPWORDS",
]

#: Latin look-alikes of Cyrillic and Greek letters (Unicode confusables). Applied only inside a
#: word that also holds Latin letters, or a name that otherwise is Latin ("Нikvision" with a
#: Cyrillic En); a word wholly in Cyrillic ("ООО", "Газпром") is transliterated instead.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Һ": "H", "Ԛ": "Q", "Ԝ": "W",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip

#: Digits used for letters inside a word ("Hikv1s1on", "Hu4wei"). Only applied to a token that
#: has at least two letters, so "3M", "7-Eleven" or a street number are left alone.
LEET_DIGITS: dict[str, str] = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}

#: Legal forms dropped wherever they stand in a name: the many spellings of company,
#: limited, corporation, and their foreign counterparts (after transliteration: ООО -> ooo).
LEGAL_FORM_TOKENS = _words(
    """
    co cos company companies ltd ltda limited corp corporation inc incorporated llc llp lp plc
    gmbh mbh ag kgaa jsc ojsc pjsc cjsc ooo zao oao pao tov pte pvt pty bhd sdn tbk sarl sas
    srl spa sro kft zrt doo sae saog bsc wll fze fzco fzc fzllc kk gk aktiengesellschaft
    eirl sirketi limitada eood dmcc fgup fsue compania
    """
)

#: Short legal forms that are also ordinary words or initials elsewhere ("AS", "AB", "SA");
#: dropped only as the last token of a name.
LEGAL_FORM_TRAILING_TOKENS = _words(
    """
    sa ag ab as ad ao nv bv oy kg ks sl se asa aps sac sal sti fz ood scs
    """
)

#: Legal forms written in Cyrillic whose transliteration is no Latin legal form, by the word
#: casefolded: "АО" (aktsionernoe obshchestvo, a joint-stock company) would read "ao", a
#: Chinese surname that must not vanish from the front of a name (see
#: LEGAL_FORM_LEADING_TOKENS); in Cyrillic it is only the legal form. Likewise НАО (a
#: non-public joint-stock company) and ТОО (Kazakhstan's limited liability partnership).
CYRILLIC_LEGAL_FORMS: dict[str, str] = {"ао": "jsc", "нао": "jsc", "тоо": "llp"}

#: The short legal forms that also open names ("Oy Lemon", "AB Volvo", "SA Maples", "AS
#: Roma"): dropped as the first token too. Not "ao": also a Chinese syllable and surname
#: ("Ao Jian"), which must not vanish from the front of a person's name; nor the forms that
#: only ever close a name (Peru's S.A.C., Lebanon's S.A.L., Turkey's Şti., the FZ of FZ-LLC,
#: Bulgaria's OOD, Colombia's S.C.S.), which open other names as words ("Sal Bank").
LEGAL_FORM_LEADING_TOKENS = LEGAL_FORM_TRAILING_TOKENS - {
    "ao", "sac", "sal", "sti", "fz", "ood", "scs"
}  # fmt: skip

#: Multi-word legal forms, dropped as a whole (after abbreviations are expanded).
LEGAL_FORM_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "public joint stock",
        "closed joint stock",
        "open joint stock",
        "joint stock",
        "limited liability partnership",
        "limited liability",
        "public limited",
        "societe anonyme",
        "anonim sirketi",
        "sociedad anonima de capital variable",
        "compania anonima",
        "empresa unipersonal",
        "sociedad anonima",
        "sociedad de responsabilidad limitada",
        "sociedad por acciones simplificada",
        "sa de cv",
        "sab de cv",
        "sapi de cv",
        "s de rl de cv",
        "s de rl",
        "s de pr de rl de cv",
        "s de pr de rl",
        "sociedad de produccion rural de responsabilidad ilimitada",
        "sociedad de produccion rural de responsabilidad limitada",
        "s en c",
        "sal offshore",
        "obshchestvo s ogranichennoi otvetstvennostiu",
        "obshchestvo s ogranichennoi otvetstvennostyu",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "otkrytoe aktsionernoe obshchestvo",
        "zakrytoe aktsionernoe obshchestvo",
        "publichnoe aktsionernoe obshchestvo",
        "aktsionernoe obshchestvo",
        "gesellschaft mit beschrankter haftung",
        "societatea cu raspundere limitata",
    )
)

#: Abbreviations and variant spellings mapped to one canonical token (or several).
#: Applied to each token on both sides so "Tech", "Techs" and "Technologies" compare equal.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    k: tuple(v.split())
    for k, v in {
        "tech": "technology",
        "techs": "technology",
        "technologies": "technology",
        "technological": "technology",
        "sci": "science",
        "sciences": "science",
        "info": "information",
        "intl": "international",
        "int'l": "international",
        "natl": "national",
        "mfg": "manufacturing",
        "eng": "engineering",
        "engg": "engineering",
        "telecom": "telecommunications",
        "telecommunication": "telecommunications",
        "comm": "communications",
        "communication": "communications",
        "psb": "public security bureau",
        "dept": "department",
        "govt": "government",
        "univ": "university",
        "inst": "institute",
        "assn": "association",
        "assoc": "association",
        "ctr": "center",
        "centre": "center",
        "svc": "services",
        "svcs": "services",
        "service": "services",
        "sys": "systems",
        "system": "systems",
        "grp": "group",
        "kontsern": "concern",
        "hldgs": "holdings",
        "hldg": "holdings",
        "holding": "holdings",
        "mgmt": "management",
        "intel": "intelligence",
        "electronic": "electronics",
        "industries": "industry",
        "inds": "industry",
        "industrial": "industry",
        "networks": "network",
        "municipality": "municipal",
        "peoples": "people",
        "uighur": "uyghur",
        "uigur": "uyghur",
        "xuar": "xinjiang uyghur autonomous region",
        "bros": "brothers",
        "mach": "machinery",
        "dev": "development",
        "trdg": "trading",
        "imp": "import",
        "exp": "export",
    }.items()
}

#: Letters an abbreviation or variant spelling needs before a typo in it still finds the word
#: it stands for (see :data:`SPELLINGS`): "Holdin" or "Tolding" is "Holding", "Teoch" is
#: "Tech"; the three-letter ones ("sys", "eng", "imp") are one letter from too many words.
SPELLING_TYPO_LETTERS = 4

#: Ordinal numbers written with digits, read as words: "1st" is "first", not "ist" (the digit
#: read as a letter), so "1st International Bank" is "First International Bank".
ORDINALS: dict[str, str] = {
    "1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth",
    "6th": "sixth", "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth",
}  # fmt: skip

#: English number words, the names of numbers below 100 (a tens word and a unit for the
#: rest): the normaliser writes such numbers in words, so that "3 Percenters" is "Three
#: Percenters" and "Brigade 44" is "Brigade Forty-Four". Words, not digits, because a word
#: can still be matched with a typo ("Fourty") and a digit cannot.
NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip

#: Words dropped from both sides: they carry no identity ("Science and Technology"). Articles
#: of other languages (de, la, du, da, le) are not here: they are also pinyin syllables, the
#: distinctive part of many Chinese names ("New Hua Du Technology").
STOPWORDS = _words(
    """
    and the of for und et
    """
)

#: Words common in organisation names that identify nothing on their own. Their weight is
#: capped whatever the list says, so that "Hangzhou Digital Technology Co., Ltd." is not taken
#: for Hikvision (see weights.py). Spellings are the canonical ones after ABBREVIATIONS. The
#: kinds of organisation or facility (plant, refinery, bureau, college, association) are here
#: too: "Achinsk Refinery" is named by "Achinsk", so "OJSC Achinsk" still finds it
#: (quality.py: truncation recall 89.0% -> 90.3%, one more false positive of 10,548), and so
#: are their Russian, Turkish and Persian romanisations on the lists (zavod: plant, kombinat,
#: concern and kontsern, obedinenie: association, tsentr, byuro; sanayi, sanaat: industry,
#: ticaret: trade), so that "Mytishchinski Mashinostroitelny Zav" is Zavod cut short.
GENERIC_WORDS = _words(
    """
    technology science information digital international group holdings industry trading trade
    import export development network communications telecommunications electronics engineering
    services systems solutions software hardware global general national enterprise enterprises
    investment investments management manufacturing intelligent intelligence research institute
    center company business commercial products product equipment machinery materials material
    new china chinese asia asian pacific world america american united east west north south
    central city province district region autonomous municipal prefecture county town village
    street road building floor room park zone partners associates consulting logistics shipping
    transport energy resources power capital finance financial securities fund imports exports
    supply supplies design media data cloud smart innovation innovative creative sales
    marketing
    plant factory refinery works complex warehouse shipyard shipbuilding dockyard college academy
    bureau directorate
    organization organisation association commission administration agency office laboratory
    zavod zavody kombinat institut concern obedinenie obyedinenie fabrika tsentr byuro
    sanayi ticaret sanaat
    """
)

#: The other spellings of a generic word (the keys of :data:`ABBREVIATIONS` that read as it
#: alone), of :data:`SPELLING_TYPO_LETTERS` letters or more. Both sides of a match are read
#: in canonical spellings, so a misspelt "Holding" would otherwise be compared with
#: "holdings", two edits away: a word is as close to a generic word as to any of its
#: spellings. Generic words only, and not "intel": a company's name before an abbreviation,
#: one letter from "Inter" (an SDN alias), which "Intel Corporation" must not match.
SPELLINGS: dict[str, tuple[str, ...]] = {}
for _key, _value in ABBREVIATIONS.items():
    if (
        len(_value) == 1
        and _value[0] in GENERIC_WORDS
        and _key.isalpha()
        and len(_key) >= SPELLING_TYPO_LETTERS
        and _key != "intel"
    ):
        SPELLINGS[_value[0]] = (*SPELLINGS.get(_value[0], ()), _key)
del _key, _value

#: Place names that open many Chinese company names. Like GENERIC_WORDS they weigh little, so
#: "Hangzhou" does not tie a query to Hikvision. Xinjiang's prefectures are NOT here: in the
#: names of its public security bureaus the prefecture is the distinctive part.
PLACE_WORDS = _words(
    """
    beijing tianjin shanghai chongqing hebei shanxi liaoning jilin heilongjiang jiangsu
    zhejiang anhui fujian jiangxi shandong henan hubei hunan guangdong hainan sichuan guizhou
    yunnan shaanxi gansu qinghai taiwan neimenggu guangxi xizang ningxia xinjiang hongkong
    macau shenzhen guangzhou hangzhou nanjing suzhou wuhan chengdu xian xiamen hefei dongguan
    zhuhai qingdao dalian ningbo wuxi changsha zhengzhou jinan fuzhou urumqi wulumuqi kunming
    hong kong macao
    """
)

#: Countries and their common short forms, as a group names its subsidiaries after them
#: ("Dahua Technology USA Inc.", "Huawei Technologies (UK)", "Hikvision India Pvt Ltd"). A
#: query's trailing country weighs as a generic word (see
#: :meth:`partyscreen.weights.TokenWeights.weights_of`); anywhere else, and in a listed name,
#: it keeps its weight from the list: "Pakistan Ordnance Factories" and "Iran Air" are named
#: by their country. Not the ones that are also given names (Jordan, Georgia, Israel, Chad).
COUNTRY_WORDS = _words(
    """
    usa us uk britain england scotland europe european africa african emirates uae arabia
    saudi zealand lanka afghanistan albania algeria angola argentina armenia australia
    austria azerbaijan bahrain bangladesh belarus belgium bolivia bosnia brazil brunei
    bulgaria cambodia cameroon canada chile colombia croatia cuba cyprus czech czechia
    denmark ecuador egypt estonia ethiopia finland france germany deutschland ghana greece
    hungary iceland india indonesia iran iraq ireland italy italia japan kazakhstan kenya
    korea kuwait kyrgyzstan laos latvia lebanon libya lithuania luxembourg malaysia malta
    mexico moldova mongolia morocco myanmar nepal netherlands holland nigeria norway oman
    pakistan panama paraguay peru philippines poland portugal qatar romania russia rwanda
    serbia singapore slovakia slovenia spain sweden switzerland syria tajikistan tanzania
    thailand tunisia turkey turkiye turkmenistan uganda ukraine uruguay uzbekistan venezuela
    vietnam yemen zambia zimbabwe
    """
)

#: Chinese words segmented out of a run of Han characters before it is romanised, each mapped to
#: the canonical Latin tokens it stands for (legal forms become Latin legal forms, so they are
#: dropped and recorded like any other, and "" drops a word). Segmenting keeps the
#: distinctive part of a Chinese name together ("杭州|海康威视|数字|技术|股份有限公司" ->
#: "hangzhou haikangweishi digital technology"), so that 海康威视 alone matches it, and the
#: translations let a Chinese name share its generic words with its English name.
HAN_WORDS: dict[str, str] = {
    # legal forms
    "股份有限公司": "co ltd", "有限责任公司": "co ltd", "有限公司": "co ltd",
    "股份公司": "co", "公司": "co", "股份": "jsc", "集团": "group", "控股": "holdings",
    # generic words
    "技术": "technology", "科技": "technology", "数字": "digital", "信息": "information",
    "智能": "intelligent", "网络": "network", "通信": "communications",
    "通讯": "communications", "电子": "electronics", "软件": "software", "发展": "development",
    "国际": "international", "实业": "industry", "工业": "industry", "投资": "investment",
    "贸易": "trading", "设备": "equipment", "系统": "systems", "研究所": "institute",
    "研究院": "research institute", "大学": "university", "银行": "bank", "市场": "market",
    "公安局": "public security bureau", "公安": "public security", "警察学院": "police college",
    "自治区": "autonomous region", "自治州": "autonomous prefecture",
    "人民政府": "people government",
    "生产建设兵团": "production construction corps", "市": "", "省": "",
    # places (romanised as written; segmenting them is what matters)
    "北京": "beijing", "天津": "tianjin", "上海": "shanghai", "重庆": "chongqing",
    "河北": "hebei", "山西": "shanxi", "辽宁": "liaoning", "吉林": "jilin",
    "黑龙江": "heilongjiang", "江苏": "jiangsu", "浙江": "zhejiang", "安徽": "anhui",
    "福建": "fujian", "江西": "jiangxi", "山东": "shandong", "河南": "henan", "湖北": "hubei",
    "湖南": "hunan", "广东": "guangdong", "海南": "hainan", "四川": "sichuan",
    "贵州": "guizhou", "云南": "yunnan", "陕西": "shaanxi", "甘肃": "gansu", "青海": "qinghai",
    "台湾": "taiwan", "内蒙古": "neimenggu", "广西": "guangxi", "西藏": "xizang",
    "宁夏": "ningxia", "新疆": "xinjiang", "香港": "hongkong", "澳门": "macau",
    "深圳": "shenzhen", "广州": "guangzhou", "杭州": "hangzhou", "南京": "nanjing",
    "苏州": "suzhou", "武汉": "wuhan", "成都": "chengdu", "西安": "xian", "厦门": "xiamen",
    "合肥": "hefei", "东莞": "dongguan", "珠海": "zhuhai", "青岛": "qingdao", "大连": "dalian",
    "宁波": "ningbo", "无锡": "wuxi", "长沙": "changsha", "郑州": "zhengzhou", "济南": "jinan",
    "福州": "fuzhou", "乌鲁木齐": "urumqi", "昆明": "kunming",
}  # fmt: skip


def _ordinary_words() -> frozenset[str]:
    text = resources.files("partyscreen").joinpath("ordinary_words.txt").read_text("utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


#: Ordinary English words (``ordinary_words.txt``: the lower-case entries of the SCOWL size-35
#: spelling dictionary, made by ``tools/ordinary_words.py``). Many unrelated companies are
#: named with them ("Martin", "Nova", "Interface", "Dynamics", "Chemical"), so a match on one
#: is weak evidence however rare the word is among listed names (see scoring.py). Coined
#: words and brands ("Hikvision", "Huawei", "Norinco") and proper names are not here.
ORDINARY_WORDS = _ordinary_words()
