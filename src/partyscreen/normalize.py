"""The one normaliser, applied to list names at load time and to queries at screen time.

``normalize_name(text)`` returns a :class:`NormalizedName`: the tokens a name is compared by,
in order, and the legal forms that were dropped from it. The steps, in order:

1. Unicode NFKC (full-width forms, ligatures, compatibility characters).
2. Zero-width, bidirectional-override and other format characters removed; control characters
   become spaces.
3. A Cyrillic legal form that transliterates to no Latin one ("АО") read as one; Cyrillic and
   Greek look-alikes inside Latin words folded to Latin (homoglyph evasion); a dotted word
   ("T.r.a.d.i.n.g") and the dotted legal forms C.A. and E.U. read as words; a parenthesised
   short form that the words before it spell by their beginnings dropped ("... Organization
   (DESTO)"); a known word glued on at a change of case split off ("TriangleTechnologies",
   "RSPLtd").
4. Runs of Chinese characters segmented by a dictionary of common words (legal forms, generic
   words, places), the rest romanised to pinyin and joined into one token per run.
5. Everything else transliterated to ASCII (accents, Cyrillic, Greek, ...) and lower-cased.
6. Punctuation to spaces, "&" to "and", apostrophes dropped; runs of single letters joined
   ("H.I.K.V.I.S.I.O.N", "Z T E"); digits inside words read as letters ("Hikv1s1on"), ordinals
   and numbers below 100 as words ("1st", "44", "VTB24"), three digits or more glued to a word
   split off ("Boeing737"); a known word split in two joined
   again ("Com-pany", "Elect ronic").
7. Abbreviations expanded to one canonical spelling, misspelt long ones too ("Technologief");
   an acronym that spells the other words' initials dropped ("... Center (CARDC)"); stopwords
   and legal forms dropped (unless nothing else is left), misspelt long ones too ("Copany"),
   short ones such as "SA" or "Oy" only at the end or the start; repeated tokens dropped.

The function is pure, deterministic and idempotent on its own output
(``normalize_name(n.text) == n``), and it is cached.

A query may be read more than one way: :func:`query_readings` adds, for a query holding a
short word in parentheses ("... Technology (HImAST)"), its normalisation without that word; the
screener keeps each entity's best score over the readings, and reads listed names so too
(:func:`without_short_groups`).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import attrs
from rapidfuzz.distance import OSA
from unidecode import unidecode

from partyscreen.vocabulary import (
    ABBREVIATIONS,
    CYRILLIC_LEGAL_FORMS,
    GENERIC_WORDS,
    HAN_WORDS,
    HOMOGLYPHS,
    LEET_DIGITS,
    LEGAL_FORM_LEADING_TOKENS,
    LEGAL_FORM_PHRASES,
    LEGAL_FORM_TOKENS,
    LEGAL_FORM_TRAILING_TOKENS,
    NUMBER_WORDS,
    ORDINALS,
    ORDINARY_WORDS,
    STOPWORDS,
)

__all__ = [
    "SHORT_GROUP_CHARS",
    "NormalizedName",
    "normalize_name",
    "query_readings",
    "spells",
    "without_short_groups",
]

#: Size of the normalisation cache: batch files repeat names a lot; 2**16 entries of a few
#: hundred bytes each stay far below our memory budget.
CACHE_SIZE = 1 << 16

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_LONGEST_HAN_WORD = max(len(w) for w in HAN_WORDS)
_PUNCT = re.compile(r"[^a-z0-9 ]+")
_APOSTROPHES = re.compile(r"(?<=\w)['\u2019`](?=\w)")
_LEET_TABLE = str.maketrans(LEET_DIGITS)
#: Token passes before giving up on a fixed point; every pass only joins or drops tokens, so
#: two or three always suffice.
_MAX_PASSES = 5
_LATIN = re.compile(r"[A-Za-z]")
#: A word of Cyrillic letters, whole.
_CYRILLIC_WORD = re.compile(r"(?<![^\W\d_])[\u0400-\u04ff]+(?![^\W\d_])")
_HOMOGLYPH_CHARS = frozenset(HOMOGLYPHS)
# A legal form glued to a word, told apart by the change of case: "TradingGmbH",
# "SysdynamicLimited", "PJSCVerkhnechonskneftegaz". Without a case change ("Zinc",
# "Costco") nothing is split.
_GLUED_SUFFIX = re.compile(
    r"(?<=[A-Za-z][a-z])(?=(?:Co|Corp|Corporation|Company|Inc|Incorporated|Ltd|Limited|LLC|LLP|GmbH|"
    r"AG|SA|JSC|PJSC|OJSC|CJSC|PLC|OOO)\b)"
)
_GLUED_PREFIX = re.compile(
    r"\b(?:PJSC|OJSC|CJSC|JSC|OOO|LLC|ZAO|OAO|PAO)(?=[A-Z][a-z])"
    # In capitals there is no change of case to go by: only the four-letter forms, before a
    # word of four letters or more ("CJSCVANKORNEFT"), which no name begins with by chance.
    r"|\b(?:PJSC|OJSC|CJSC)(?=[A-Z]{4,}\b)"
)
#: Letters a known word needs before it is split off the word glued after it at a change of
#: case ("CargoService"). A shorter one is more often a brand's first syllable: "AdCom",
#: "CoStar" and "AgriTech" are not the legal forms AD, Co and AG. Known words glued *after* a
#: word still split at any length ("SolutionSdn").
GLUED_PREFIX_LETTERS = 4
#: Letters of a word glued on at a change of case that is split off only in capitals (or as
#: "Co"): see _split_glued_word.
SHORT_GLUED_LETTERS = 2
#: Legal-form words long enough that a typo in them is still recognisable ("Limihted",
#: "Copany"): a word of six letters or more within one edit of one of them.
_LONG_LEGAL_FORMS = tuple(w for w in LEGAL_FORM_TOKENS if len(w) >= 7)
#: Variant spellings long enough that a typo in them is still recognisable ("Technologief",
#: "Idnustrial"): read as the variant, within one edit. Eight letters or more: "Golding" or
#: "Molding" are not misspelt "Holding".
_LONG_ABBREVIATIONS = tuple(k for k in ABBREVIATIONS if len(k) >= 8 and k.isalpha())
#: Words the name vocabulary knows: generic words, legal forms, variant spellings. A word
#: split in two ("Com-pany", "Elect ronic", "Sy stem") is joined again when the two halves
#: make one of these (six letters or more); a known word glued to another at a change of case
#: ("TriangleTechnologies", "CargoService", "SolutionSdn") is split off.
_KNOWN_WORDS = (
    GENERIC_WORDS
    | LEGAL_FORM_TOKENS
    | LEGAL_FORM_TRAILING_TOKENS
    | frozenset(k for k in ABBREVIATIONS if k.isalpha())
)
_JOINABLE_WORDS = frozenset(w for w in _KNOWN_WORDS if len(w) >= 6)
#: Numbers below 100 as names spell them, by their digits: "forty four" for "44". Not "07":
#: a leading zero makes a code, not a number.
_NUMBER_NAMES: dict[str, tuple[str, ...]] = {str(v): (w,) for w, v in NUMBER_WORDS.items()}
_NUMBER_NAMES.update(
    {
        str(tens + unit): (*_NUMBER_NAMES[str(tens)], *_NUMBER_NAMES[str(unit)])
        for tens in range(20, 100, 10)
        for unit in range(1, 10)
    }
)
#: A word with a number glued to its end ("EKT2", "VTB24", "Beijing8", "Factory159"): read as
#: the word and the number when a digit of it is not one read as a letter ("Huawe1" is
#: "Huawei").
_GLUED_NUMBER = re.compile(r"([a-z]{2,})(\d+)")
_LEET_DIGITS = frozenset(LEET_DIGITS)
#: Digits in a row that make a number even when each could be a letter: "Hikv1s1on" and
#: "H00ver" write letters one or two at a time, "737" and "2040" are numbers.
_NUMBER_RUN = 3
#: A number glued to the front of a word ("32Group", "21Vianet", "159Factory"), read as the
#: number and the word under the same rule as a number glued to the end.
_LEADING_NUMBER = re.compile(r"(\d+)([a-z]{2,})")
#: A number written as an ordinal ("54th", "21st", "811th"): read as the number (in words
#: below 100), not as a word with digits for letters ("sath").
_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)")
#: Two or more letters each followed by a dot ("T.r.a.d.i.n.g", "H.I.K.V.I.S.I.O.N.", "S.A.",
#: "U.S."): one word, read before punctuation turns the dots into spaces, so that a dotted
#: word stays apart from the dotted legal form after it ("T.r.a.d.i.n.g S.A.") and from a
#: lone letter before it, with which the letters would be joined ("Angstrem-M, S.A. de C.V."
#: read "angstrem msa"; "Global X U.S." read "global xus"). Read after C.A. and E.U. are.
_DOTTED_WORD = re.compile(r"(?<![A-Za-z.])(?:[A-Za-z]\.){2,}(?:[A-Za-z](?![A-Za-z]))?")
#: Two-letter legal forms read only with their dots, spelt out so that they are dropped as
#: phrases: Venezuela's C.A. (compañía anónima) and Colombia's E.U. (empresa unipersonal).
#: Without the dots "CA" and "EU" may be a name's own word (a Vietnamese given name,
#: California, the European Union), and as known words they would split glued words at a
#: change of case ("ENTEuPRISE").
_DOTTED_FORMS = {"CA": " compania anonima ", "EU": " empresa unipersonal "}
_DOTTED_FORM = re.compile(r"(?<![A-Za-z.])([CEce])\. ?([AUau])\.(?![A-Za-z])")
#: Most letters or digits a parenthesised word may have and still be read as a short form the
#: query may be given without (see :func:`query_readings`): acronyms ("(HIAST)", "(NORINCO)"),
#: country and place qualifiers ("(UK)", "(Shenzhen)"), "(The)", "(集团)". Longer words are
#: rarely repeats of the name.
SHORT_GROUP_CHARS = 8
#: One word of two to SHORT_GROUP_CHARS letters or digits in parentheses (after NFKC, which
#: makes full-width brackets plain). Not a number or a Roman numeral ("(2)", "(II)"): those
#: tell entities apart ("Acquisition Corp. II"), they do not repeat the name.
_SHORT_GROUP = re.compile(
    rf"\((?!\s*(?:\d+|[IVXivx]+)\s*\))\s*[^\W_]{{2,{SHORT_GROUP_CHARS}}}\s*\)"
)
#: A short form in parentheses that may repeat the words before it ("(DESTO)", "(CASC)"):
#: three to SHORT_GROUP_CHARS ASCII letters, after homoglyphs are folded.
_SPELT_GROUP = re.compile(rf"\(\s*([A-Za-z]{{3,{SHORT_GROUP_CHARS}}})\s*\)")
#: What ends the phrase a parenthesised short form abbreviates ("entity: Bhabha ...").
_PHRASE_BOUNDARIES = ":;()"
_ALNUM_WORD = re.compile(r"[A-Za-z0-9]+")
_CASE_CHANGE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[A-Za-z]+")


@attrs.frozen
class NormalizedName:
    """A name as the matcher sees it."""

    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...] = attrs.field(default=(), eq=False)

    @property
    def text(self) -> str:
        """The tokens joined by single spaces: the normalised form shown in explanations."""
        return " ".join(self.tokens)

    def __bool__(self) -> bool:
        return bool(self.tokens)


def _strip_invisible(text: str) -> str:
    if text.isprintable():  # no character of the categories below: the common case, at C speed
        return text
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cf":  # zero-width spaces and joiners, bidi overrides, BOM, soft hyphen
            continue
        if cat in ("Cc", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _cyrillic_legal_forms(text: str) -> str:
    """Cyrillic legal forms that transliterate to no Latin one ("АО") written as Latin ones
    (see :data:`~partyscreen.vocabulary.CYRILLIC_LEGAL_FORMS`), before homoglyphs are folded:
    a Cyrillic word "АО" is the legal form even beside Latin words."""
    if text.isascii():
        return text
    return _CYRILLIC_WORD.sub(_latin_legal_form, text)


def _latin_legal_form(found: re.Match[str]) -> str:
    form = CYRILLIC_LEGAL_FORMS.get(found.group().casefold())
    return found.group() if form is None else f" {form} "


def _spelt_out_form(found: re.Match[str]) -> str:
    return _DOTTED_FORMS.get((found.group(1) + found.group(2)).upper(), found.group())


def _fold_homoglyphs(text: str) -> str:
    if _HOMOGLYPH_CHARS.isdisjoint(text):  # (at C speed: most names hold none)
        return text
    words = text.split(" ")
    name_is_latin = any(_LATIN.search(w) and _HOMOGLYPH_CHARS.isdisjoint(w) for w in words)
    folded = []
    for word in words:
        if word and (
            _LATIN.search(word)
            or (name_is_latin and all(c in HOMOGLYPHS for c in word if c.isalpha()))
        ):
            word = "".join(HOMOGLYPHS.get(c, c) for c in word)
        folded.append(word)
    return " ".join(folded)


def _romanise(text: str) -> str:
    return "".join(unidecode(text).split()).lower()


def _segment_han(run: str) -> str:
    """Split a run of Chinese characters on known words; romanise the rest into joined tokens."""
    parts: list[str] = []
    pending = ""
    i = 0
    while i < len(run):
        for size in range(min(_LONGEST_HAN_WORD, len(run) - i), 0, -1):
            word = run[i : i + size]
            if word in HAN_WORDS:
                if pending:
                    parts.append(_romanise(pending))
                    pending = ""
                parts.append(HAN_WORDS[word])
                i += size
                break
        else:
            pending += run[i]
            i += 1
    if pending:
        parts.append(_romanise(pending))
    return " " + " ".join(p for p in parts if p) + " "


def _split_glued_word(match: re.Match[str]) -> str:
    """Split a word where a known word is glued on at a change of case ("WaveTech"), or a
    long one the normaliser reads misspelt ("NevaElectronica", see _expand)."""
    word = match.group()
    parts = _CASE_CHANGE.split(word)
    if len(parts) < 2:
        return word
    if len(parts[0]) == 1 and parts[0].islower():
        # One lower-case letter before a capital is no word: a brand's prefix ("eCommerce")
        # or a slip of the finger ("sTechnology", "rLtd"), read with the word it stands on.
        parts[:2] = [parts[0] + parts[1]]
    out = [parts[0]]
    for part in parts[1:]:
        before = out[-1].lower()
        lower = part.lower()
        if len(part) == SHORT_GLUED_LETTERS and part[1:].islower() and lower != "co":
            # Two letters in mixed case are a syllable of the name ("RusAg", the Russian
            # Agricultural Bank), not the legal form AG or SA, which is written in capitals
            # ("TradingAG"); "Co" is written so.
            out[-1] += part
        elif (
            lower in _KNOWN_WORDS
            or (before in _KNOWN_WORDS and len(before) >= GLUED_PREFIX_LETTERS)
            or _expand(lower) != (lower,)
        ):
            out.append(part)
        else:
            out[-1] += part
    return " ".join(out)


def _join_split_words(tokens: list[str]) -> list[str]:
    """Join two adjacent tokens that make a known word and are not both known words."""
    if _JOINABLE_WORDS.isdisjoint(map(operator.add, tokens, tokens[1:])):
        return tokens  # (at C speed: the common case)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens):
            a, b = tokens[i], tokens[i + 1]
            if a + b in _JOINABLE_WORDS and not (a in _KNOWN_WORDS and b in _KNOWN_WORDS):
                out.append(a + b)
                i += 2
                continue
        out.append(tokens[i])
        i += 1
    return out


@lru_cache(maxsize=CACHE_SIZE)
def _expand(token: str) -> tuple[str, ...]:
    """A token's canonical spelling: its abbreviation expanded, or a misspelt variant read."""
    found = ABBREVIATIONS.get(token)
    if found is not None:
        return found
    if len(token) >= 7 and token not in ORDINARY_WORDS and token not in _KNOWN_WORDS:
        for key in _LONG_ABBREVIATIONS:
            if OSA.distance(token, key, score_cutoff=1) <= 1:
                return ABBREVIATIONS[key]
    return (token,)


def _initials(words: list[str], cut: str | None = None) -> set[str]:
    """The initials of some words, sorted, with and without stopwords and legal forms (and
    ``cut``, a legal form cut short at the end); also, in the readings without legal forms,
    with one word read as the second half of a word split in two ("Labor atory")."""
    plain = [w for w in words if w not in STOPWORDS]
    firm = [w for w in words if not (_legal(w) or w == cut)]
    out: set[str] = set()
    for kept in (words, plain, firm, [w for w in plain if not (_legal(w) or w == cut)]):
        letters = [w[0] for w in kept]
        out.add("".join(sorted(letters)))
        if (kept is not words and kept is not plain) or len(firm) == len(words):
            # A word split in two only in a reading without legal forms: with them, leaving
            # one word out let a legal form's initial stand for a name's word ("OJSC TGO
            # General Trading LLC" read TGO as Trading, General, OJSC, and dropped it).
            out.update("".join(sorted(letters[:j] + letters[j + 1 :])) for j in range(1, len(kept)))
    return out


def _legal(word: str) -> bool:
    return word in LEGAL_FORM_TRAILING_TOKENS or _is_legal_form(word)


def _drop_acronym(tokens: list[str]) -> list[str]:
    """Drop a token that spells the initials of the other words: the acronym a name repeats
    ("China Aerodynamics Research and Development Center (CARDC)") is not a word of its own,
    and a name given without it is the same name. The letters are compared in any order, so
    that the acronym goes whatever the word order ("(CARDC) Center Research ..."). The tokens
    are tried from the last, where a name usually repeats its acronym, so that a word whose
    letters happen to be the initials too ("Aabc" in "Aaaa Aabc Baaa Caaa (ABAC)") stays."""
    if len(tokens) < 4:
        return tokens
    # First, at once, the loop's tests that need no reading: the acronym is a word of 3
    # letters or more, no more letters than there are other words, each one a word's first.
    firsts = {t[0] for t in tokens}
    if not any(3 <= len(t) < len(tokens) and t.isalpha() and firsts.issuperset(t) for t in tokens):
        return tokens
    stop = [t in STOPWORDS for t in tokens]
    legal = [_legal(t) for t in tokens]
    # The last token may be a legal form cut short ("Co., Lt", see _drop_legal_forms).
    cut = tokens[-1] if _cut_legal_form(tokens[-1], after_form=legal[-2]) else None
    legal[-1] = legal[-1] or cut is not None
    n_plain = len(tokens) - sum(stop)
    n_firm = len(tokens) - sum(legal)
    n_both = sum(not (s or g) for s, g in zip(stop, legal, strict=True))
    for i in reversed(range(len(tokens))):
        tok = tokens[i]
        if len(tok) < 3 or not tok.isalpha():
            continue
        # How many words the others have in each reading: the acronym must spell all of them,
        # or all but one (a word split in two). Checked first, so that a long text costs
        # linear time.
        counts = (
            len(tokens) - 1,
            n_plain - (not stop[i]),
            n_firm - (not legal[i]),
            n_both - (not (stop[i] or legal[i])),
        )
        if not any(n - 1 <= len(tok) <= n for n in counts):
            continue
        others = tokens[:i] + tokens[i + 1 :]
        # Every reading's initials are drawn from the others' first letters: a letter of the
        # token that starts none of them rules it out before the readings are spelt.
        if not set(tok) <= {w[0] for w in others}:
            continue
        if "".join(sorted(tok)) in _initials(others, cut):
            return others
    return tokens


def _join_single_letters(tokens: list[str]) -> list[str]:
    if min(map(len, tokens), default=2) > 1:
        return tokens  # (at C speed: the common case)
    out: list[str] = []
    run: list[str] = []
    for tok in [*tokens, ""]:
        if len(tok) == 1 and tok.isalpha():
            run.append(tok)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if tok:
            out.append(tok)
    return out


def _ordinal_suffix(number: int) -> str:
    """The English ordinal suffix of a number: "st" for 21, "th" for 11 and 54."""
    if number % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def _is_number(digits: str) -> bool:
    """Whether digits glued to a word are a number rather than letters written as digits:
    three or more in a row ("Boeing737", "YV2040"), or one that reads as no letter ("VTB24")."""
    return len(digits) >= _NUMBER_RUN or not set(digits) <= _LEET_DIGITS


def _read_token(token: str) -> tuple[str, ...]:
    """Digits in a token read: an ordinal as a word ("1st"; "54th" as the number), a number
    below 100 in words ("3", "44", and "EKT2", "VTB24" or "32Group" with the number glued on),
    a longer number glued on as the number ("159Factory"), digits inside a word as letters
    ("Hikv1s1on")."""
    if token.isalpha():
        return (token,)
    if token in ORDINALS:
        return (ORDINALS[token],)
    if token.isdigit():
        return _NUMBER_NAMES.get(token, (token,))
    ordinal = _ORDINAL.fullmatch(token)
    if ordinal and ordinal[2] == _ordinal_suffix(int(ordinal[1])):
        return _NUMBER_NAMES.get(ordinal[1].lstrip("0") or "0", (ordinal[1],))
    glued = _GLUED_NUMBER.fullmatch(token)
    if glued and _is_number(glued[2]):
        return (glued[1], *_NUMBER_NAMES.get(glued[2], (glued[2],)))
    leading = _LEADING_NUMBER.fullmatch(token)
    if leading and _is_number(leading[1]):
        return (*_NUMBER_NAMES.get(leading[1], (leading[1],)), leading[2])
    if sum(c.isalpha() for c in token) >= 2:
        return (token.translate(_LEET_TABLE),)
    return (token,)


@lru_cache(maxsize=CACHE_SIZE)
def _is_legal_form(token: str) -> bool:
    # Cached: the typo check runs over every long legal form, and words recur across names.
    if token in LEGAL_FORM_TOKENS:
        return True
    if len(token) < 6 or token in ORDINARY_WORDS:
        return False
    return any(OSA.distance(token, form, score_cutoff=1) <= 1 for form in _LONG_LEGAL_FORMS)


#: Short legal forms whose misspellings are recognisable at the end of a name. Not the Russian
#: ZAO, OAO, PAO: a letter more makes a Chinese syllable (Zhao, Piao).
_SHORT_LEGAL_FORMS = tuple(
    w for w in LEGAL_FORM_TOKENS if 3 <= len(w) < 7 and w not in ("zao", "oao", "pao")
)
#: The same forms by length (a letter added makes a word one longer) and by their letters in
#: order (two letters swapped keep them), so that a name's last word is compared with the few
#: forms it could be, not all of them: queries' last words are mostly new to the cache.
_SHORT_LEGAL_FORMS_BY_LENGTH: dict[int, tuple[str, ...]] = {
    n: tuple(w for w in _SHORT_LEGAL_FORMS if len(w) == n) for n in range(3, 7)
}
_SHORT_LEGAL_FORMS_BY_LETTERS: dict[str, tuple[str, ...]] = {}
for _form in _SHORT_LEGAL_FORMS:
    _letters = "".join(sorted(_form))
    _SHORT_LEGAL_FORMS_BY_LETTERS[_letters] = (
        *_SHORT_LEGAL_FORMS_BY_LETTERS.get(_letters, ()),
        _form,
    )
del _form, _letters


@lru_cache(maxsize=CACHE_SIZE)
def _misspelt_short_legal_form(token: str) -> bool:
    """Whether the last token of a name is a short legal form with a letter added or two
    letters swapped ("Lgtd", "Rpvt", "Tld", "Dsn"), and not a word. A letter changed or lost
    is not enough: "Inn", "Cox" and initials are names."""
    if len(token) < 3 or token in ORDINARY_WORDS or token in _KNOWN_WORDS:
        return False
    added = _SHORT_LEGAL_FORMS_BY_LENGTH.get(len(token) - 1, ())
    swapped = _SHORT_LEGAL_FORMS_BY_LETTERS.get("".join(sorted(token)), ())
    return any(OSA.distance(token, form, score_cutoff=1) <= 1 for form in (*added, *swapped))


#: Letters a legal form cut short at the end of a name needs before it is dropped on its own
#: ("Corporat", "Compa"): supplier masters cut names at a fixed width (SAP's NAME1 field holds
#: 35 characters), so "... Technology Co., Lt" is common. Shorter cuts ("Limi", "Inco", a
#: company of its own) are dropped only right after another legal form ("Co., Limi").
CUT_LEGAL_FORM_LETTERS = 5

#: The beginnings of legal forms, from one letter on ("Co., L"), but short words ("Do", "In",
#: "To", "A") and the Roman numeral I ("Acquisition Corp. I" and "II" are two companies); and
#: those of the long ones (:data:`_LONG_LEGAL_FORMS`) of :data:`CUT_LEGAL_FORM_LETTERS` or
#: more, but any word ("Limit").
_CUT_LEGAL_FORMS = (
    frozenset(form[:end] for form in LEGAL_FORM_TOKENS for end in range(1, len(form)))
    - {word for word in ORDINARY_WORDS if len(word) < CUT_LEGAL_FORM_LETTERS}
    - {"i"}
)
_CUT_LONG_LEGAL_FORMS = (
    frozenset(
        form[:end] for form in _LONG_LEGAL_FORMS for end in range(CUT_LEGAL_FORM_LETTERS, len(form))
    )
    - ORDINARY_WORDS
)


def _cut_legal_form(token: str, *, after_form: bool) -> bool:
    """Whether a name's last token reads as a legal form cut short, right after another legal
    form or not."""
    return token in _CUT_LONG_LEGAL_FORMS or (after_form and token in _CUT_LEGAL_FORMS)


#: The legal-form phrases by their first word, in their order: only those can start at a token.
_PHRASES_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {
    first: tuple(p for p in LEGAL_FORM_PHRASES if p[0] == first)
    for first in dict.fromkeys(p[0] for p in LEGAL_FORM_PHRASES)
}


#: The legal-form phrases by their second word: a phrase whose first word is misspelt
#: ("Jhoint Stock") is found by the second.
_PHRASES_BY_SECOND: dict[str, tuple[tuple[str, ...], ...]] = {
    second: tuple(p for p in LEGAL_FORM_PHRASES if p[1] == second)
    for second in dict.fromkeys(p[1] for p in LEGAL_FORM_PHRASES)
}

#: The words a legal-form phrase is found by: a name holding none of them holds no phrase.
_PHRASE_KEY_WORDS = frozenset(_PHRASES_BY_FIRST) | frozenset(_PHRASES_BY_SECOND)

#: Letters a word of a legal-form phrase needs before one typo in it still reads as the
#: phrase: "Open Jhoint Stock" is "Open Joint Stock", while the short words ("mit", "cu")
#: must be exact.
PHRASE_TYPO_LETTERS = 4


def _phrase_length(tokens: list[str], i: int) -> int:
    """Length of the legal-form phrase that starts at ``tokens[i]``, or 0: exact, or with one
    word of :data:`PHRASE_TYPO_LETTERS` letters or more misspelt by one edit."""
    for phrase in _PHRASES_BY_FIRST.get(tokens[i], ()):
        if tuple(tokens[i : i + len(phrase)]) == phrase:
            return len(phrase)
    second = tokens[i + 1] if i + 1 < len(tokens) else ""
    for phrase in (*_PHRASES_BY_FIRST.get(tokens[i], ()), *_PHRASES_BY_SECOND.get(second, ())):
        window = tokens[i : i + len(phrase)]
        if len(window) < len(phrase):
            continue
        wrong = [(a, b) for a, b in zip(window, phrase, strict=True) if a != b]
        if (
            len(wrong) == 1
            and len(wrong[0][1]) >= PHRASE_TYPO_LETTERS
            and wrong[0][0] not in ORDINARY_WORDS
            and OSA.distance(*wrong[0], score_cutoff=1) <= 1
        ):
            return len(phrase)
    return 0


def _drop_legal_forms(tokens: list[str]) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    dropped: list[str] = []
    # Whether the name's last token is kept, and whether it comes right after a legal form:
    # it may be a legal form cut short ("Corporat", "Co., Lt").
    last_kept = last_after_form = after_form = False
    phrases = not _PHRASE_KEY_WORDS.isdisjoint(tokens)
    if not (phrases or any(map(_is_legal_form, tokens))):
        # No legal form, told at C speed (the common case): every token is kept.
        kept, last_kept = list(tokens), bool(tokens)
    i = len(kept)  # (past the end when every token is kept: the loop has nothing to do)
    while i < len(tokens):
        length = _phrase_length(tokens, i) if phrases else 0
        if length:
            dropped.extend(tokens[i : i + length])
            i += length
            after_form = True
            continue
        tok = tokens[i]
        if _is_legal_form(tok):
            dropped.append(tok)
            after_form = True
        else:
            if i == len(tokens) - 1:
                last_kept, last_after_form = True, after_form
            kept.append(tok)
            after_form = False
        i += 1
    while kept and kept[-1] in LEGAL_FORM_TRAILING_TOKENS and len(kept) > 1:
        dropped.append(kept.pop())
        last_kept = False
    # (Before a leading form goes: "AB Co., Li" is "AB Co., Limited", the company AB.)
    if len(kept) > 1 and last_kept and _cut_legal_form(kept[-1], after_form=last_after_form):
        dropped.append(kept.pop())
    while kept and kept[0] in LEGAL_FORM_LEADING_TOKENS and len(kept) > 1:
        dropped.append(kept.pop(0))
    if len(kept) > 1 and _misspelt_short_legal_form(kept[-1]):
        dropped.append(kept.pop())
    return kept, dropped


def spells(letters: str, words: Sequence[str], *, from_first: bool = True) -> bool:
    """Whether ``letters`` is a concatenation of non-empty prefixes of ``words``, in order.

    Words may be skipped ("Production and Construction Corps" spells "PCC"); with
    ``from_first``, not the first, so that the letters abbreviate the phrase from its start.
    """
    reached = {0}  # how many letters the words seen so far can spell
    for index, word in enumerate(words):
        extended = set() if from_first and index == 0 else set(reached)
        for done in reached:
            common = _common_prefix_length(letters[done:], word)
            extended.update(range(done + 1, done + common + 1))
        reached = extended
        if len(letters) in reached:
            return True
    return False


def _common_prefix_length(left: str, right: str) -> int:
    length = 0
    for left_char, right_char in zip(left, right, strict=False):
        if left_char != right_char:
            break
        length += 1
    return length


def _drop_spelt_short_forms(text: str) -> str:
    """``text`` without the parenthesised short forms that its words before them spell by
    their beginnings, in order ("Defense Science and Technology Organization (DESTO)",
    "China Aerospace Science and Technology Corporation (CASC) 1st Academy"): repeats of the
    name, which a query may leave out. (An acronym of exact initials goes later, in any
    order, see _drop_acronym; this one needs the brackets and the order.)"""
    return _SPELT_GROUP.sub(_spelt_or_kept, text) if "(" in text else text


def phrase_before(text: str, end: int) -> str:
    """The phrase a parenthesised short form at ``end`` may abbreviate: the text before it,
    from the last of ``:;()`` on. (Found from ``end`` back: splitting all the text before
    each group made a long name's cost quadratic.)"""
    return text[max(text.rfind(mark, 0, end) for mark in _PHRASE_BOUNDARIES) + 1 : end]


def _spelt_or_kept(found: re.Match[str]) -> str:
    phrase = phrase_before(found.string, found.start())
    words = [w.casefold() for w in _ALNUM_WORD.findall(phrase)]
    return " " if spells(found.group(1).casefold(), words, from_first=False) else found.group()


@lru_cache(maxsize=CACHE_SIZE)
def normalize_name(text: str) -> NormalizedName:
    """Normalise a name for matching; the same function serves list names and queries."""
    text = unicodedata.normalize("NFKC", text)
    text = _strip_invisible(text)
    text = _fold_homoglyphs(_cyrillic_legal_forms(text))
    text = _drop_spelt_short_forms(text)
    # (At C speed: most names have none. In either case: a query may be typed in lower case.)
    if "A." in text or "U." in text or "a." in text or "u." in text:
        text = _DOTTED_FORM.sub(_spelt_out_form, text)
    if "." in text:
        text = _DOTTED_WORD.sub(lambda m: m.group().replace(".", "").lower() + " ", text)
    # Glued words and legal forms are split at a change of case, or a legal form in capitals
    # before a word in capitals ("CJSCVANKORNEFT"); most names have neither.
    if _CASE_CHANGE.search(text) or "JSC" in text:
        text = _GLUED_PREFIX.sub(lambda m: m.group() + " ", _GLUED_SUFFIX.sub(" ", text))
        if _CASE_CHANGE.search(text):
            text = _WORD.sub(_split_glued_word, text)
    if not text.isascii():
        text = _HAN_RUN.sub(lambda m: _segment_han(m.group()), text)
    text = unidecode(text).lower()
    if "'" in text or "`" in text or "\u2019" in text:  # (the apostrophes _APOSTROPHES drops)
        text = _APOSTROPHES.sub("", text)
    text = text.replace("&", " and ")
    words = _PUNCT.sub(" ", text).split()
    tokens, dropped = _token_pass(list(words))
    legal_forms = dropped
    # Dropping a stopword or legal form can leave single letters side by side ("A & B" ->
    # "a b"), which the next reading would join. Repeat the pass until nothing changes, so the
    # result is a fixed point and normalising its text gives it back. A pass that changed
    # nothing is a fixed point already (the pass is a pure function of its tokens).
    for _ in range(_MAX_PASSES if tokens != tuple(words) else 0):
        again, dropped = _token_pass(list(tokens))
        if again == tokens:
            break
        tokens = again
        legal_forms += dropped
    return NormalizedName(tokens=tokens, legal_forms=legal_forms)


def without_short_groups(text: str) -> str | None:
    """``text`` without its short words in parentheses (see :data:`SHORT_GROUP_CHARS`), or
    None when it has none."""
    if "(" not in text and text.isascii():  # (NFKC leaves ASCII as it is: the common case)
        return None
    # (Read as normalize_name reads it: "(H\u200bImAST)" is a short word too.)
    bare, groups = _SHORT_GROUP.subn(" ", _strip_invisible(unicodedata.normalize("NFKC", text)))
    return bare if groups else None


@lru_cache(maxsize=CACHE_SIZE)
def query_readings(text: str) -> tuple[NormalizedName, ...]:
    """The ways a query may be read: :func:`normalize_name` of it and, when it holds a short
    word in parentheses, of it without that word.

    A parenthesised short word repeats the name ("Maritime Technology Complex (MTC)") or
    qualifies it ("Huawei Technologies (UK) Co., Ltd."). Spelt as the name's initials, the
    normaliser drops it, and spelt by the beginnings of the words before it too ("(DESTO)");
    misspelt ("Higher Institute of Applied Science and Technology (HImAST)", "Maritime
    Technology Complex (MTK)"), it stayed as an unknown word that no listed name holds, heavy
    enough to clear the query. The screener scores every reading and keeps each entity's
    best. Readings are distinct and never empty; the first is the query's own normalisation,
    even when empty (the caller says why).
    """
    whole = normalize_name(text)
    bare_text = without_short_groups(text)
    if bare_text is None:
        return (whole,)
    bare = normalize_name(bare_text)
    return (whole, bare) if bare and bare != whole else (whole,)


def _token_pass(raw: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """One reading of a token list: join letters, read digits, expand, drop, deduplicate."""
    joined = _join_single_letters(raw)
    if not "".join(joined).isalpha():  # (digits to read: most names have none)
        joined = [t for word in joined for t in _read_token(word)]
    raw = _join_split_words(joined)
    expanded: list[str] = []
    for tok in raw:
        expanded.extend(_expand(tok))
    expanded = _drop_acronym(expanded)
    words = [t for t in expanded if t not in STOPWORDS] or expanded
    kept, dropped = _drop_legal_forms(words)
    if not kept:  # a name that is nothing but a legal form ("Co., Ltd.") keeps it
        kept, dropped = words, []
    return tuple(dict.fromkeys(kept)), tuple(dropped)
