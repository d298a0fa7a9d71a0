"""The normaliser: each step, and its invariants."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partyscreen.normalize import normalize_name, query_readings, spells
from tests.strategies import any_text, invisible, names


def text(name: str) -> str:
    return normalize_name(name).text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Hangzhou Hikvision Digital Technology Co., Ltd.",
            "hangzhou hikvision digital technology",
        ),
        ("HIKVISION", "hikvision"),
        ("Ｈｉｋｖｉｓｉｏｎ", "hikvision"),  # full-width forms
        ("Hik\u200bvision", "hikvision"),  # zero-width space
        ("\u202eHikvision\u202c", "hikvision"),  # bidirectional override
        ("Hik\tvision", "hik vision"),  # control character
        ("\u041dikvision", "hikvision"),  # Cyrillic En in a Latin word
        ("Hik\u03bdision", "hikvision"),  # Greek nu
        ("H.I.K.V.I.S.I.O.N", "hikvision"),  # dotted letters
        ("Z T E", "zte"),
        ("Hikv1s1on", "hikvision"),  # digits for letters
        ("3M Company", "3m"),  # a real digit name is left alone
        ("Huawe1", "huawei"),  # a digit read as a letter at the end of a word
        ("3 Percenters", "three percenters"),  # numbers below 100 in words
        ("Brigade Forty-Four", "brigade forty four"),
        ("Brigade 44", "brigade forty four"),
        ("VTB24", "vtb twenty four"),  # a number glued to a word: 2 is no letter
        ("Unit 61398", "unit 61398"),  # larger numbers stay digits
        ("Plant 05", "plant 05"),  # a leading zero makes a code
        ("1st Bank", "first bank"),
        ("54th Research Institute", "fifty four research institute"),  # not "sath"
        ("CETC 12th Institute", "cetc twelve institute"),  # not "i2th"
        ("811th Institute", "811 institute"),
        ("32Group China", "thirty two group china"),  # a number glued to the front
        ("Boeing737", "boeing 737"),  # three digits in a row are a number, leet or not
        ("159Factory", "159 factory"),
        ("H00ver", "hoover"),  # two are still letters
        ("5ugon", "sugon"),  # but a digit read as a letter stays a letter
        ("Lerma T.r.a.d.i.n.g S.A.", "lerma trading"),  # a dotted word, a dotted legal form
        ("AdCom Systems", "adcom systems"),  # a short known word is a brand's syllable
        ("Fadjr Marine Inds", "fadjr marine industry"),
        ("Société Générale S.A.", "societe generale"),  # accents, trailing legal form
        ("ООО Газпром", "gazprom"),  # Cyrillic transliterated, ООО dropped
        ("Multiservicios Jeviz, S.A. de C.V.", "multiservicios jeviz"),  # Mexican legal forms
        ("Grupo Xyz, S. de R.L. de C.V.", "grupo xyz"),
        ("Banco de Mexico", "banco de mexico"),  # but "de" alone is a word of the name
        ("Byblos Bank S.A.L.", "byblos bank"),  # Lebanon's S.A.L., at the end only
        ("Sal Bank", "sal bank"),
        ("Minera Andes S.A.C.", "minera andes"),
        ("Bar Dis Ticaret Anonim Sirketi", "bar dis ticaret"),  # Turkish
        ("Baz Ltd. Sti.", "baz"),
        ("Gamma FZ-LLC", "gamma"),
        ("Comercial Rio E.I.R.L.", "comercial rio"),
        ("PDVSA Petroleo, C.A.", "pdvsa petroleo"),  # Venezuela's C.A., with its dots only
        ("Otkrytoe Aktsionernoe Obschestvo Gazmash", "gazmash"),  # OAO spelt out, misspelt
        ("Bank VTB (Publichnoe Aktsionernoe Obshchestvo)", "bank vtb"),
        ("Obschestvo s Ogranichennoy Otvetstvennostyu Baltekh", "baltekh"),
        ("Bajer Sociedad de Responsabilidad Limitada", "bajer"),
        ("Comercializadora Andina Limitada", "comercializadora andina"),
        ("Siguro EOOD", "siguro"),  # Bulgaria
        ("Beneathco DMCC", "beneathco"),  # Dubai's free zone
        ("FGUP Ekran", "ekran"),  # a Russian federal state unitary enterprise
        ("Eyad Hassan", "eyad hassan"),  # a name, not a legal form misspelt
        ("Bul Partners Travel OOD", "bul partners travel"),
        ("La Lorena S.C.S.", "la lorena"),  # Colombia
        ("Saab Certain & Compania S. en C.", "saab certain"),
        ("Campo Libre E.U.", "campo libre"),  # E.U. with its dots only
        ("Angstrem-M, S.A. de C.V.", "angstrem m"),  # a dotted form stays apart from "M"
        ("World Equipment Trading L.L.C S.A.", "world equipment trading"),
        ("Global X U.S. Electrification", "global x us electrification"),
        ("B R C S.A.", "brc"),
        ("campo libre e.u.", "campo libre"),  # in either case: a query may be typed in lower
        ("Hilal Travel c. a.", "hilal travel"),
        ("Hilal Travel ca", "hilal travel ca"),
        ("EU Delegation", "eu delegation"),
        ("Indio Vitorio S. de P.R. de R.L. de C.V.", "indio vitorio"),
        ("Statura S.A.L. (Offshore)", "statura"),
        ("Compania Minera Andes", "minera andes"),
        ("Nguyen Van Ca", "nguyen van ca"),
        ("АО Рособоронэкспорт", "rosoboroneksport"),  # АО, in Cyrillic, is only a legal form
        ("Рособоронэкспорт АО", "rosoboroneksport"),
        ("Концерн Калашников", "concern kalashnikov"),  # the romanised kontsern is a concern
        ("Dahua Tech & Sci Intl", "dahua technology science international"),
        ("Aksu PSB", "aksu public security bureau"),
        ("Science and Technology Co. YIXIN Yixin. Ltd", "science technology yixin"),
        # An acronym may leave a word out (a word split in two) only in a reading without
        # legal forms: a legal form's initial does not stand for a name's word.
        ("OJSC TGO General Trading LLC", "tgo general trading"),
        ("TMC the metals company Inc.", "tmc metals"),
        ("AECC Commercial Aircraft Engine Co. Ltd.", "aecc commercial aircraft engine"),
        ("People's Government", "people government"),
        ("Xinjiang Uighur Autonomous Region (XUAR)", "xinjiang uyghur autonomous region"),
        ("Co., Ltd.", "co ltd"),  # nothing but a legal form: kept
        ("A&B", "ab"),  # letters left side by side by a dropped word are joined
        ("TradingGmbH", "trading"),  # a legal form glued on at a change of case
        ("TradingAG", "trading"),
        ("TradingCo", "trading"),
        ("RusAg", "rusag"),  # two letters in mixed case are a syllable, not AG
        ("OmniAb, Inc.", "omniab"),
        ("PJSCVerkhnechonskneftegaz", "verkhnechonskneftegaz"),
        ("Zinc Corp", "zinc"),  # no change of case, no split
        ("Special sTechnology Center", "special stechnology center"),  # one letter is no word
        ("Future Systems rPvt. Ltd.", "future systems"),  # a slip read with the legal form
        ("Rosneft Trade Limihted", "rosneft trade"),  # a misspelt long legal form
        ("Joint Stock Company Rosoboronexport", "rosoboronexport"),
        ("Open Jhoint Stock Company Kontsern Izhmash", "concern izhmash"),  # a typo in a phrase
        ("Oil Transporting Jeint Stock Company Transneft", "oil transporting transneft"),
        ("Limied Liability Company Gazprom Bureniye", "gazprom bureniye"),  # in its first word
        ("AL-KHAZ'ALI, Qays", "al khazali qays"),  # an apostrophe inside a word joins it
        ("Layth Hadii Sa`id", "layth hadii said"),
        ("Obshchestvo S Ogranichennoi Otvetstvennostyu Tyumentransgaz", "tyumentransgaz"),
        ("Joint Stick Company Alfa", "joint stick alfa"),  # but not into an ordinary word
    ],
)
def test_latin_names(raw: str, expected: str) -> None:
    assert text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("杭州海康威视数字技术股份有限公司", "hangzhou haikangweishi digital technology"),
        ("海康威视", "haikangweishi"),
        ("浙江大华技术股份有限公司", "zhejiang dahua technology"),
        ("大华股份", "dahua"),
        ("科大讯飞股份有限公司", "kedaxunfei"),
        ("科大讯飞", "kedaxunfei"),
    ],
)
def test_chinese_names_are_segmented_and_romanised(raw: str, expected: str) -> None:
    assert text(raw) == expected


def test_legal_forms_are_recorded() -> None:
    assert normalize_name("Huawei Technologies Co., Ltd.").legal_forms == ("co", "ltd")


@given(any_text)
def test_idempotent(raw: str) -> None:
    once = normalize_name(raw)
    assert normalize_name(once.text) == once


@given(any_text)
def test_tokens_are_ascii_lowercase_and_unique(raw: str) -> None:
    tokens = normalize_name(raw).tokens
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert token
        assert token.isascii()
        assert token == token.lower()
        assert " " not in token


@given(names, st.lists(st.tuples(st.integers(0, 60), invisible), max_size=4))
def test_invisible_characters_vanish(name: str, inserts: list[tuple[int, str]]) -> None:
    noisy = name
    for position, char in inserts:
        noisy = noisy[:position] + char + noisy[position:]
    assert normalize_name(noisy) == normalize_name(name)


@given(
    names,
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=8),
    st.lists(st.tuples(st.integers(0, 70), invisible), min_size=1, max_size=4),
)
def test_invisible_characters_change_no_reading(
    name: str, short: str, inserts: list[tuple[int, str]]
) -> None:
    # Inside a parenthesised short word too: "(H\u200bImAST)" may still be read away.
    raw = noisy = f"{name} ({short})"
    for position, char in inserts:
        noisy = noisy[:position] + char + noisy[position:]
    assert query_readings(noisy) == query_readings(raw)


@given(names)
def test_case_and_spacing_do_not_matter(name: str) -> None:
    assert normalize_name(name.upper()) == normalize_name("  " + name.lower().replace(" ", "   "))


@given(st.integers(min_value=0, max_value=99), names)
def test_a_number_reads_the_same_in_digits_and_in_words(number: int, name: str) -> None:
    words = normalize_name(str(number)).text
    assert normalize_name(f"{name} {number}") == normalize_name(f"{name} {words}")


def readings(raw: str) -> list[str]:
    return [r.text for r in query_readings(raw)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # A misspelt acronym (no longer spelt by the words before it).
        (
            "Higher Institute of Applied Science and Technology (HImAST)",
            [
                "higher institute applied science technology himast",
                "higher institute applied science technology",
            ],
        ),
        (
            "Maritime Technology Complex (MTK)",
            ["maritime technology complex mtk", "maritime technology complex"],
        ),
        # A qualifier, in full-width brackets too, and a Chinese one.
        ("Huawei Technologies (UK) Co., Ltd.", ["huawei technology uk", "huawei technology"]),
        ("Megvii （MGT）", ["megvii mgt", "megvii"]),
        ("深圳市振业(集团)股份有限公司", ["shenzhen zhenye group", "shenzhen zhenye"]),
        # Nothing to read without: no group, a group the normaliser drops anyway, a group
        # that is the whole name, numbers and Roman numerals, long or many-word groups.
        ("Maritime Technology Complex MTK", ["maritime technology complex mtk"]),
        ("Maritime Technology Complex (MTC)", ["maritime technology complex"]),
        ("Industrial Establishment of eDfense (IED)", ["industry establishment edfense"]),
        ("Hikvision (Ltd)", ["hikvision"]),
        ("(XPCC)", ["xpcc"]),
        ("Brigade (44)", ["brigade forty four"]),
        ("Acquisition Corp. (II)", ["acquisition ii"]),
        ("Acme (Manchester)", ["acme manchester"]),
        ("Acme (Rail Division)", ["acme rail division"]),
        ("Acme (A)", ["acme a"]),
    ],
)
def test_query_readings(raw: str, expected: list[str]) -> None:
    assert readings(raw) == expected


@given(any_text)
def test_query_readings_start_with_the_normalised_name_and_are_distinct(raw: str) -> None:
    found = query_readings(raw)
    assert found[0] == normalize_name(raw)
    assert 1 <= len(found) <= 2
    assert len(set(found)) == len(found)
    assert all(found[1:])
    if "(" not in unicodedata.normalize("NFKC", raw):
        assert len(found) == 1


@given(
    names,
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=8).filter(
        lambda word: set(word) - set("IVX")  # not a Roman numeral
    ),
)
def test_a_name_with_a_short_word_in_parentheses_reads_as_the_name_too(
    name: str, short: str
) -> None:
    found = query_readings(f"{name} ({short})")
    # Either the word is one the normaliser reads away (initials, a legal form), or the
    # query may also be read without it, as the name alone.
    assert normalize_name(name) in found


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # A short form spelt by the beginnings of the words before it, in order, repeats them.
        (
            "Defense Science and Technology Organization (DESTO)",
            "defense science technology organization",
        ),
        (
            "China Aerospace Science and Technology Corporation (CASC) 1st Academy",
            "china aerospace science technology first academy",
        ),
        (
            "AVIC Leihua Electronic Technology Research Institute (LETRI)",
            "avic leihua electronics technology research institute",
        ),
        # Not spelt so, or after a boundary that ends the phrase: kept.
        (
            "Beijing Aerospace Automatic Control Institute (BICD)",
            "beijing aerospace automatic control institute bicd",
        ),
        ("Foo Bar (XYZ)", "foo bar xyz"),
        ("Entity: (ABC) Alpha Beta Gamma", "entity abc alpha beta gamma"),
        ("Alpha Zeta (AZ)", "alpha zeta az"),  # two letters: left to the readings
    ],
)
def test_spelt_short_forms_in_parentheses_are_dropped(raw: str, expected: str) -> None:
    assert text(raw) == expected


word = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@given(st.lists(st.tuples(word, st.booleans(), st.integers(1, 6)), min_size=1, max_size=6))
def test_spells_finds_any_run_of_prefixes(parts: list[tuple[str, bool, int]]) -> None:
    words = [w for w, _, _ in parts]
    # Letters from the beginnings of the words picked, in order; the others skipped.
    picked = [(i, w[:n]) for i, (w, pick, n) in enumerate(parts) if pick]
    letters = "".join(prefix for _, prefix in picked)
    if picked:
        assert spells(letters, words, from_first=False)
        if picked[0][0] == 0:
            assert spells(letters, words)
    assert not spells(letters + "z", words, from_first=False)  # no word holds a z
