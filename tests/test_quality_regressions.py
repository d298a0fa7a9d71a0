"""Regression cases for each class the matcher handles, and the false positives it fixed.

Positives run against the embedded list; the false positives were found by
benchmarks/quality.py against the real 2023 CSL sample, so those run against it.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from partyscreen import Screener, screen
from partyscreen.csl import load_csl
from partyscreen.embedded import default_lists
from partyscreen.settings import WITHOUT_SHORT_GROUP
from partyscreen.weights import GENERIC_WEIGHT, TokenWeights
from tests.conftest import shared_path


@pytest.mark.parametrize(
    ("kind", "query", "fragment"),
    [
        ("typo", "Hikivision", "hikvision"),
        ("typo", "Huawai", "huawei"),
        ("typo", "Megvi", "megvii"),
        ("typo in a generic word", "Hikvision Digital Technologief", "hikvision"),
        ("order", "Digital Technology Hikvision Hangzhou", "hikvision"),
        ("truncation", "Xiamen Meiya Pico Information Co", "meiya"),
        ("legal form", "Megvii Technology GmbH", "megvii"),
        ("legal form", "Zhejiang Dahua Technology 股份有限公司", "dahua"),
        ("legal form glued on", "Zhejiang Dahua TechnologyCo., Ltd.", "dahua"),
        ("abbreviation", "Hikvision Digital Tech", "hikvision"),
        ("abbreviation", "Aksu District PSB", "aksu"),
        ("abbreviation", "Yixin Sci & Tech Co", "yixin"),
        ("spacing", "Hik-Vision", "hikvision"),
        ("spacing", "Hik Vision", "hikvision"),
        ("spacing", "H.I.K.V.I.S.I.O.N", "hikvision"),
        ("spacing", "Hi-Silicon", "hisilicon"),
        ("homoglyph", "Ηikvisiоn", "hikvision"),  # Greek Eta, Cyrillic o
        ("digits for letters", "Hikv1s1on", "hikvision"),
        ("zero-width", "Hik\u200bvi\u200dsion", "hikvision"),
        ("bidi override", "\u202eMegvii\u202c", "megvii"),
        ("full-width", "Ｈｕａｗｅｉ", "huawei"),
        ("cross-script", "海康威视", "hikvision"),
        ("cross-script", "科大讯飞股份有限公司", "iflytek"),
        ("pinyin", "Haikang Weishi", "hikvision"),
        ("romanisation", "Kashi Prefecture Public Security Bureau", "kashgar"),
        ("romanisation", "Qaramay Municipality PSB", "kelamayi"),
        ("description", "speech recognition firm iFlytek Co", "iflytek"),
    ],
)
def test_listed_party_is_found(kind: str, query: str, fragment: str) -> None:
    result = screen(query)
    assert result.decision in ("review", "match"), kind
    assert result.best is not None
    assert any(fragment in n.casefold() for n in result.best.entity.names), kind


@pytest.mark.parametrize(
    "query",
    [
        "Hangzhou Digital Technology Co., Ltd.",  # only generic and place words of Hikvision
        "Beijing Technology Development Co., Ltd.",
        "Zhejiang Information Technology Group",
        "Technology Co., Ltd.",
    ],
)
def test_generic_names_are_clear_on_the_embedded_list(query: str) -> None:
    assert screen(query).decision == "clear"


@lru_cache(maxsize=1)
def csl_screener() -> Screener:
    sample = load_csl(shared_path("data", "csl", "csl_2023-11-30_sample.csv")).screening_list
    return Screener([sample, *default_lists()])


@pytest.mark.parametrize(
    ("query", "cause"),
    [
        ("HWH International Inc.", "a pair read as one word matched a token within three edits"),
        ("IDEX Corporation", "one edit in four letters (IDEK)"),
        ("Snail, Inc.", "a company against an individual's alias (SMAIL)"),
        ("NEW HUA DU TECHNOLOGY CO.,Ltd.", "a three-letter alias (HUA) inside a longer name"),
        ("SL Science Holding Limited", "a two-letter alias (SL) with generic words"),
        ("Bank of America", "both names have words the other lacks (Bank for Development)"),
        (
            "Golden Sun Technology Group Limited",
            "partial containment (Golden Business)",
        ),
        ("Popular, Inc.", "one common word inside a long listed name"),
        ("Boundless Bio, Inc.", "containment of a short name (BIO CORPORATION)"),
        ("Lockheed Martin", "an ordinary word (the ISN alias Martin) inside a longer name"),
        ("General Dynamics", "one shared ordinary word (Creative Dynamics)"),
        ("Nova Ltd.", "an ordinary word and a generic one (Nova Technologies)"),
        ("Loop Industries, Inc.", "an ordinary word and a generic one (Loop SA)"),
        ("Interface, Inc.", "an ordinary word and a generic one (Global Interface)"),
        ("Intercontinental Exchange", "an ordinary word inside a longer name (INTERCONTINENTAL)"),
        ("NAPCO Security Technologies, Inc.", "ordinary words inside (Security Technologies)"),
        ("North Huajin Chemical Industries Co.,Ltd", "ordinary words (Chemical Industry Company)"),
        (
            "Beijing Sanlian Hope Shin-Gosen Technical Service Co., Ltd.",
            "ordinary words inside a longer name (Technical Services)",
        ),
        ("Galaxy Digital Inc.", "a word taken for a typo of another (GALAX)"),
        ("Moderna, Inc.", "a typo away from an ordinary word (Modern Technologies)"),
        ("National Beverage Corp.", "a word taken for a typo of another (LEVERAGE)"),
        ("Landstar System, Inc.", "generic words that differ (Landstar Tech Company)"),
        ("Beijing Beetech Inc.", "place words that differ (Wuxi Beetech)"),
        ("ATN International, Inc.", "a typo in a short acronym (A.T.E. International)"),
        ("RUM Group Inc.", "a typo in a short acronym beside a generic word (RCM Group)"),
        ("Intel Corporation", "a brand read as a spelling of a generic word (INTER)"),
        ("Shipyard LLC", "a kind of facility alone (Guangzhou Shipyard International)"),
        ("Sieyuan Electric Co., Ltd.", "a word read as a spelling's typo (Siyuan Electronic)"),
        ("Cisco", "one word a first letter apart (ZISCO)"),
        ("Ramaco Resources, Inc.", "one word a first-letter transposition apart (ARMACO)"),
        ("Radcom Ltd.", "one word a first letter more (AdCom Systems)"),
        ("CECEP Solar Energy Co.,Ltd.", "a five-letter name alone inside a longer one (CECEP)"),
        (
            "AECC AERO-ENGINE CONTROL CO.,LTD.",
            "an acronym read away through a legal form's initial (Xian Aero-Engine Controls)",
        ),
    ],
)
def test_fixed_false_positives_stay_clear(query: str, cause: str) -> None:
    result = csl_screener().screen(query)
    assert result.decision == "clear", (cause, result.best and result.best.matched_name)


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("Federal Security Service", "federal security service"),  # ordinary words, truncated
        ("Atomic Energy Organization of Iran", "atomic energy organization"),
    ],
)
def test_names_of_ordinary_words_are_still_found(query: str, fragment: str) -> None:
    result = csl_screener().screen(query)
    assert result.decision in ("review", "match")
    assert result.best is not None
    assert any(fragment in n.casefold() for n in result.best.entity.names)


@pytest.mark.parametrize(
    ("kind", "query", "fragment"),
    [
        ("glued generic word", "TriangleTechnologies", "triangle technologies"),
        ("glued legal form", "Vast SolutionSdn Bhd", "vast solution"),
        ("split generic word", "Xian Semi Elect ronic Co., Ltd", "xian semi electronic"),
        ("split legal form", "Onyx Construction Com-pany", "onyx construction"),
        ("misspelt legal form", "Golza Engineering Copany", "golza"),
        ("misspelt short legal form", "Ajab Trading Ltdd", "ajab trading"),
        ("misspelt variant spelling", "Neda Idnustrial Group", "neda industr"),
        ("leading legal form", "SA Maples", "maples"),
        ("leading legal form", "LLC Oy Lemon", "lemon"),
        ("acronym left out", "Chengdu GaStone Technology Co., Ltd.", "gastone"),
        ("acronym elsewhere", "(MME) Ltd. Enterprises Master Machinery", "machinery master"),
        ("truncated to a facility's name", "OJSC Achinsk", "achinsk"),
        ("typo in a three-letter word", "Lim Yong Nafm", "lim yong nam"),
        ("typo in a three-letter word", "Luo Jgie", "luo jie"),
        ("typo in a three-letter word", "Aad Motors Property Choice", "azad motors"),
        ("a letter dropped from a three-letter word", "Yip Ku Kuan", "yip kum kuan"),
        ("a letter dropped from a three-letter word", "Ace Hb System", "ace hub"),
        ("a letter added to a two-letter word", "Bing mLu", "bing lu"),
        ("romanised with other vowels", "Subhi Tufeili", "tufayli"),
        ("a letter slipped before a capital", "Special sTechnology Center", "special techn"),
        ("truncated to one long word", "Oystercredit Ltd", "oystercredit"),
        ("a brand's short first syllable", "Systems AdCom", "adcom"),
        ("a dotted word before a dotted legal form", "Lerma T.r.a.d.i.n.g S.A.", "lerma"),
        ("a number glued to the front", "32Group China Ltd.", "32 group"),
        ("an ordinal", "Fifty-Four Research Institute of China", "54th research"),
        ("a typo in a spelling of a generic word", "Leondica Tolding Ltd", "leondica"),
        ("a typo in an abbreviation", "Makkays Hi-Teoch Systems", "makkays"),
        ("a kind of facility beside the name", "Zaliv Shipyard", "zaliv"),
        ("a listed initial spelt out", "Yuri Alexandrovich Krasheninnikov", "krasheninnikov"),
        ("a listed initial spelt out", "Anna Viktorovna Libets", "libets"),
        ("a typo beside an initial", "Aristedis A. Pappas", "pappas"),
        ("a legal form with a letter changed", "Avia Group jLC", "avia group"),
        ("a legal form with a letter changed", "Albin Technologies Sdg Bhd.", "albin"),
        ("a legal form cut short", "Fortune Source Electronics Co. Lt.", "fortune source"),
        ("a last word cut short", "Hangzhou Hikvision Digital Techno", "digital technology"),
        ("a last word cut short", "Xi'an Research Institute of Navigat", "navigation"),
        ("a generic last word cut short", "Shandong Sheenrun Optics and Electr", "sheenrun"),
        ("a place name cut short", "National Supercomputing Center Chan", "changsha"),
        ("a generic word cut to two letters", "Urumqi Municipal Public Security Bu", "urumqi"),
        ("a last word cut short", "Chinese Academy of Engineering Phys", "engineering physics"),
        ("a misspelt acronym", "Maritime Technology Complex (MTK)", "maritime technology"),
        ("a misspelt acronym", "High Technologies, Ltd. (TL)", "high technologies"),
        (
            "a misspelt acronym, a soft hyphen in it",
            "Maritime Technology Complex (MT\u00adK)",
            "maritime technology",
        ),
        (
            "a misspelt acronym, a zero-width space in it",
            "Higher Institute of Applied Science and Technology (H\u200bImAST)",
            "applied science",
        ),
        (
            "a misspelt acronym",
            "Higher Institute of Applied Science and Technology (HImAST)",
            "applied science",
        ),
        (
            "an acronym the words' beginnings still spell beside a misspelt word (I, ED)",
            "Industrial Establishment of eDfense (IED)",
            "establishment of defense",
        ),
        ("a listed acronym, the last word cut", "Defense Science and Technology Orga", "desto"),
        ("a kind of plant, romanised, cut short", "Mytishchinski Mashinostroitelny Zav", "zavod"),
        ("a concern in Cyrillic", "Концерн Калашников", "kalashnikov"),
        ("a joint-stock company in Cyrillic", "АО Рособоронэкспорт", "rosoboroneksport"),
    ],
)
def test_listed_party_with_junk_is_found(kind: str, query: str, fragment: str) -> None:
    result = csl_screener().screen(query)
    assert result.decision in ("review", "match"), kind
    assert result.best is not None
    assert any(fragment in n.casefold() for n in result.best.entity.names), kind


@pytest.mark.parametrize(
    "word", ["refinery", "plant", "bureau", "college", "association", "zavod", "kombinat"]
)
def test_kinds_of_organisation_weigh_as_generic_words(word: str) -> None:
    weights = TokenWeights.from_token_sets([(word,), ("hikvision",)])
    assert weights.weight(word) == GENERIC_WEIGHT


def test_a_misspelt_legal_form_weighs_little_only_where_legal_forms_stand() -> None:
    weights = TokenWeights.from_token_sets([("avia", "group"), ("opto", "electronics")])
    heavy = weights.weight("jlc")
    assert heavy > GENERIC_WEIGHT
    # At either end of a query, a word no listed name uses one typo from LLC is LLC misspelt.
    assert weights.weights_of(("avia", "group", "jlc"))[-1] == GENERIC_WEIGHT
    assert weights.weights_of(("jlc", "avia"))[0] == GENERIC_WEIGHT
    # Inside the name it is as often a brand ("Shenzhen SNC Opto Electronic": SNC / INC).
    assert weights.weights_of(("shenzhen", "snc", "opto", "electronics"))[1] > GENERIC_WEIGHT
    # A word with a vowel is as often a person's name ("Coe" is a letter from COS).
    assert weights.weights_of(("subin", "coe"))[-1] > GENERIC_WEIGHT
    # A word the list uses keeps the list's weight.
    listed = TokenWeights.from_token_sets([("avia", "group"), ("jlc",)])
    assert listed.weights_of(("avia", "jlc")) == [listed.weight("avia"), listed.weight("jlc")]


def test_a_query_read_without_its_parenthesised_word_lands_in_review() -> None:
    # "(HZ)" is no word of Huawei's listed names: once it is left out, the parent is matched
    # whole, only a review, which says how it was reached.
    result = csl_screener().screen("Huawei Technologies (HZ) Co., Ltd.", limit=None)
    parent = [m for m in result.matches if m.normalized_query == "huawei technology"]
    assert parent
    assert max(m.score for m in parent) == pytest.approx(WITHOUT_SHORT_GROUP)
    for match in parent:
        assert match.decision == "review"
        assert dict(match.detail.penalties) == {"query_without_short_group": WITHOUT_SHORT_GROUP}
    # A sibling read without its own "(Thailand)" as well is told apart twice: clear.
    assert not [m for m in result.matches if "Thailand" in m.matched_name]
    # Without parentheses there is no such reading.
    plain = csl_screener().screen("Huawei Technologies HZ Co., Ltd.", limit=None)
    assert all(m.normalized_query == "huawei technology hz" for m in plain.matches)


def test_a_five_letter_name_beside_a_generic_word_stands_inside_a_longer_one() -> None:
    # A Dahua subsidiary: the listed "Dahua Technology" is found whole inside it.
    result = screen("Zhejiang Dahua Vision Technology Co., Ltd.")
    assert result.decision == "review"
    assert result.best is not None
    assert result.best.entity.name == "Dahua Technology"


def test_a_country_closing_a_query_weighs_as_a_generic_word() -> None:
    # A group names its subsidiaries after their countries: "USA" says little beside "Dahua".
    assert screen("Dahua Technology USA Inc.").decision == "match"
    assert screen("Hikvision India Pvt Ltd").decision == "match"
    # A subsidiary that is listed itself still comes first, ahead of its parent.
    result = csl_screener().screen("Huawei Technologies (UK) Co., Ltd.")
    assert result.matches[0].matched_name == "Huawei Technologies (UK) Co., Ltd."
    assert result.matches[0].score == 1.0
    assert result.matches[1].score < 1.0
    # Only at the end: a country that opens a name is what it is named by.
    weights = TokenWeights.from_token_sets([("pakistan", "ordnance", "factories")])
    assert weights.weights_of(("pakistan", "ordnance", "factories"))[0] > GENERIC_WEIGHT
    assert weights.weights_of(("ordnance", "factories", "pakistan"))[-1] == GENERIC_WEIGHT
    assert weights.weights_of(("saudi", "arabia"))[0] > GENERIC_WEIGHT  # countries alone


def test_a_listed_name_is_read_without_its_parenthesised_word_too() -> None:
    # "(BICD)" is not spelt by the words before it; without the reading, "bicd" stayed
    # unmatched in the listed name.
    result = csl_screener().screen("Beijing Aerospace Automatic Control Institute")
    assert result.best is not None
    assert result.best.matched_name == "Beijing Aerospace Automatic Control Institute (BICD)"
    assert result.best.normalized_name == "beijing aerospace automatic control institute"
    assert result.best.decision == "review"
    assert result.best.score == pytest.approx(WITHOUT_SHORT_GROUP)
    assert dict(result.best.detail.penalties) == {"name_without_short_group": WITHOUT_SHORT_GROUP}


def test_a_short_form_spelt_by_the_name_is_no_part_of_it() -> None:
    # "(DESTO)" spells the words before it by their beginnings: the name given without it
    # is the same name (it scored 0.29 with DESTO unmatched, then 0.85 by the reading).
    result = csl_screener().screen("Defense Science and Technology Organization")
    assert result.best is not None
    assert result.best.matched_name == "Defense Science and Technology Organization (DESTO)"
    assert result.best.decision == "match"
    assert result.best.score == pytest.approx(1.0)
    assert not result.best.detail.penalties
