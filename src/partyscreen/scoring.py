"""Scoring one query against one listed name: token alignment, weighted both ways.

Both names are token sequences from :func:`~partyscreen.normalize.normalize_name`. They are
aligned by *units*: a single token, or two adjacent tokens read as one ("Hik Vision" against
"Hikvision", "Sense Time" against "SenseTime"). Two tokens match when their edit distance (with
transpositions) is within :func:`max_edits` of their length; a pair matches a token only
within :data:`PAIR_MAX_EDITS`. A match's similarity is ``1 - distance / length``. Two tokens
that differ only in their vowels ("Husayn" / "Hussein", romanisations of one name) match at
:data:`SKELETON_SIMILARITY` (see :func:`skeleton`). Every token takes the best similarity of
any unit that covers it.

From those similarities and the token weights (see :mod:`partyscreen.weights`):

- ``query_coverage``: the share of the query's weight found in the listed name;
- ``name_coverage``: the share of the listed name's weight found in the query;
- ``symmetric``: both together, ``(matched query weight + matched name weight) / (all weight)``.
  When *both* names hold words the other lacks, they contradict each other ("Bank of America"
  against "Bank for Development"): each unmatched word then weighs at least
  :data:`CONFLICT_WEIGHT`, however generic;
- ``containment``: :data:`CONTAINMENT_SCORE` times ``name_coverage`` (or ``query_coverage``),
  when that name stands whole inside the other (every word matched) and is distinctive enough
  (:data:`MIN_CONTAINED_LETTERS`): the listed name inside a longer query ("speech recognition
  firm iFlytek Co"), or a query of two distinctive words or more inside a longer listed name
  ("Xiamen Meiya Pico Information Co"; one common word such as "Popular" is not enough).

An *ordinary* English word (:data:`~partyscreen.vocabulary.ORDINARY_WORDS`: "Martin", "Nova",
"Dynamics") is weak evidence however rare it is on the list, since unrelated companies are
named with such words all the time: matched with a typo, or when the names share no other word
of substance, it weighs at most :data:`COMMON_WORD_WEIGHT`; and a listed name of ordinary words
alone ("Chemical Industry Company") is not contained in a longer query.

The score is the larger of ``symmetric`` and ``containment``, in [0, 1], and 1.0 exactly when
both names have the same tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import groupby
from operator import mul

import attrs
from rapidfuzz.distance import OSA

from partyscreen.vocabulary import ORDINARY_WORDS, SPELLINGS
from partyscreen.weights import GENERIC_WEIGHT, TokenWeights

__all__ = [
    "COMMON_WORD_WEIGHT",
    "CONFLICT_WEIGHT",
    "CONTAINMENT_SCORE",
    "CUT_SIMILARITY",
    "CUT_WORD_LETTERS",
    "FIRST_LETTER_COST",
    "INITIAL_SIMILARITY",
    "MIN_CONTAINED_LETTERS",
    "MIN_CONTAINED_LETTERS_BESIDE_GENERIC",
    "PAIR_MAX_EDITS",
    "QUERY_CONTAINED_WORDS",
    "QUERY_LONG_WORD_LETTERS",
    "SHORT_NAME_LETTERS",
    "SHORT_TYPO_LETTERS",
    "SKELETON_LETTERS",
    "SKELETON_SIMILARITY",
    "TWO_LETTER_WORD",
    "TYPO_COST",
    "Alignment",
    "Score",
    "align",
    "can_stand_inside",
    "cut_alignments",
    "edit_similarity",
    "initial_alignments",
    "is_cut_from",
    "is_initial",
    "match_kind",
    "max_edits",
    "may_be_cut",
    "query_can_stand_inside",
    "query_containment_bound",
    "same_start",
    "score_alignment",
    "similarity_bound",
    "skeleton",
    "supported",
    "token_similarity",
    "typo_may_count",
    "typo_needs_support",
    "units",
    "upper_bound",
]

#: Most an ordinary word (see :data:`~partyscreen.vocabulary.ORDINARY_WORDS`) counts when it
#: is matched only with a typo or is all two names share: as much as a generic word. Set so
#: that "Nova Ltd." against "Nova Technologies" (a word and a generic word) stays at 0.67 and
#: "General Dynamics" against "Creative Dynamics" far lower, while a name of two ordinary
#: words found in a longer listed one ("Nuclear Research" / "Nuclear Research Center") keeps
#: 0.8, review. Unmatched, an ordinary word keeps its full weight: an extra word still tells
#: two names apart ("Mustang Bio" is not "Bio Corporation").
COMMON_WORD_WEIGHT = GENERIC_WEIGHT

#: Score given to a listed name found whole inside a longer query. Below the match threshold
#: and above the review threshold: a person should look ("Huawei Cloud Computing" holds
#: "Huawei"), but the extra words may well make it another party.
CONTAINMENT_SCORE = 0.8

#: Letters the distinctive (not generic) words of a listed name must have between them before
#: containment counts. Short names sit inside too many longer ones by chance: the SDN alias
#: "HUA" in "New Hua Du Technology", "BIO CORPORATION" in every "... Bio, Inc.", "DEV SOL" in
#: "Sol Strategies". Six letters keep "Huawei", "iFlytek" and "Tian Yi".
MIN_CONTAINED_LETTERS = 6

#: Distinctive letters enough for a listed name to count as contained when it also has a
#: generic word, which the longer name must hold too: "Dahua Technology" inside "Zhejiang
#: Dahua Vision Technology" (a Dahua subsidiary, clear before), while a five-letter name
#: alone ("CECEP S.A.") still does not stand inside "CECEP Solar Energy". quality.py: recall
#: and company false positives unchanged; at four letters, 10 more false positives ("Opto
#: Electronics" inside every "... Optoelectronics Co."). Of 5,000 batch queries, 2 flag one
#: more name ("Islamic Jihad Group" holds the listed "The Jihad Group").
MIN_CONTAINED_LETTERS_BESIDE_GENERIC = 5

#: Distinctive letters below which a name is too short to stand for a longer one (see
#: score_alignment): two-letter aliases such as "SL" (Shining Path) matched "SL Science
#: Holding" at 0.9 because "Science" and "Holding" are generic. ZTE (three letters) still
#: matches "ZTE Corporation": legal forms are not words of the name.
SHORT_NAME_LETTERS = 4

#: Distinctive words a query needs before it can count as contained in a longer listed name:
#: one word of a query inside a listed name is the listed name's containment, not the query's.
QUERY_CONTAINED_WORDS = 2

#: Letters of a single distinctive word that stands for a longer listed name on its own, when
#: it is no ordinary word: "Oystercredit" for "Oystercredit Ltd Ogb", "National Supercomputing
#: Center Tianjin" (one distinctive word among generic and place words) for the same name with
#: "(NSCC-TJ)". Short words are common inside longer names ("Popular" in "Banco Popular ..."),
#: long coined ones are not. quality.py: truncation 478 -> 481 of 528, company false
#: positives unchanged (41); the same at twelve letters; at eight, 481 and 42 ("Williams
#: Companies" inside the SDN name "Randy Lew Williams").
QUERY_LONG_WORD_LETTERS = 10

#: Least weight of a word one name has and the other lacks, when both names have such words.
#: Generic words weigh 0.5 so that "Dahua Technology" still matches "Dahua"; but "Bank of
#: America" and "Bank for Development", or "Universal Logistics Holdings" and "Universal
#: Logistics Systems", differ exactly in those words, and there they count as evidence against.
#: At 2.0 one distinctive word (weight about 9) outweighed two such words: "Landstar Systems"
#: matched "Landstar Technology" and "Beijing Beetech" matched "Wuxi Beetech" at 0.83; at 4.0
#: they score 0.69, clear (quality.py: 51 -> 42 false positives, two truncations lost).
CONFLICT_WEIGHT = 4.0

#: Cost of one edit, in the share of a word's letters it changes. Above 1 so that a typo counts
#: a little more than the letters it touches: one edit in a four-letter word ("IDEX" / "IDEK")
#: gives 0.70, below review, while one in six letters ("Huawai", "Megvi") gives 0.80, review.
TYPO_COST = 1.2

#: Further cost of two words that differ in their first letter. Few spelling errors are made
#: in a word's first character (Yannakoudakis and Fawthrop, "The rules of spelling errors",
#: 1983), so such words are less likely one misspelt: "Cisco" is not ZISCO, "Ramaco" not
#: ARMACO, "Radcom" not ADCOM. Set so that a slip in the first letter of a word of six
#: letters or fewer, matched alone, falls below review (1 - 1.2/6 - 0.06 = 0.74), while a
#: longer word still reaches it (0.77 in seven letters). quality.py: false positives 44 ->
#: 37 of 10,548, typo recall 887 -> 885 of 916 (first-letter typos of five or six letters:
#: "oelkom" / Melkom, "tIman" / Iman).
FIRST_LETTER_COST = 0.06

#: First letters that romanisations trade for one another, which FIRST_LETTER_COST leaves
#: alone: vowels ("Osama" / "Usama", "Ibadan" / "Abadan"), C, K and Q ("Cargo" / "Kargo",
#: "Qasim" / "Kasim"), G and J ("Gamal" / "Jamal"), J, I and Y ("Yusuf" / "Jusuf"), V and W
#: ("Vladimir" / "Wladimir").
_ALIKE_FIRST_LETTERS = tuple(frozenset(group) for group in ("aeiouy", "ckq", "gj", "ijy", "vw"))

#: Letters of a word whose typo counts only beside a distinctive word the names share exactly
#: (see :func:`supported`). Three: a three-letter word is as often an acronym as a name part,
#: and acronyms one letter apart are other parties ("ATN" / "ATE International", "RUM" /
#: "RCM Group", both flagged without this rule); but "Luo Jgie" is still "Luo Jie" and "Lim
#: Yong Nafm" "Lim Yong Nam". On quality.py, typo recall 90.4% -> 94.4%, pairs F1 0.835 ->
#: 0.846, false positives unchanged (41); without the rule, 44.
SHORT_TYPO_LETTERS = 3

#: Edits tolerated when an adjacent pair of tokens is read as one word: split words are
#: joined ("Hik Vision", "Hi-Silicon"), not also corrected. Without this bound "HWH
#: International" read as "hwhinternational" matched "International" within three edits; at
#: zero, pairs need no fuzzy look-up at all (see index.py).
PAIR_MAX_EDITS = 0


#: Least consonants of a :func:`skeleton`: "h*s*n" (Hassan, Husayn) still counts; "*l" (Ali)
#: or "s*n" (Sun, Sina, Sean) is shared by too many words.
SKELETON_LETTERS = 3

#: Similarity of two words that share a :func:`skeleton` and are no closer by edits: as much
#: as one typo in four letters, so that one such word beside an exact one reaches review
#: ("Saddam Husayn" / "Saddam Hussein") but never matches alone.
SKELETON_SIMILARITY = 0.7

#: Similarity of a query's initial ("V." in "V. Putin") to a listed word it may stand for
#: ("Vladimir"), and of a listed initial ("Yuri A. Krasheninnikov") to a query word. An
#: initial says one letter, so it also counts for no more than its own weight on the other
#: side, only for one word, only for a word matched no better otherwise, and only beside a
#: distinctive word the names share exactly (:func:`supported`): "V. Putin" reaches review
#: against "Vladimir Putin" and "Yuri Alexandrovich Krasheninnikov" against "Yuri A.
#: Krasheninnikov", "V." alone matches nothing, and "A. Nazarbayev" (not "N.") stays below
#: "Nursultan Nazarbayev".
INITIAL_SIMILARITY = 0.9

#: Letters the last word of a query needs before it may be read as a distinctive listed word
#: cut short: supplier masters cut names at a fixed width ("Shandong Sheenr" in a field of 35
#: characters), and three letters begin too many words. It must also be half that word or
#: more, and unused by the list: "Anne" is a name of its own, not "Annexfield" cut short. A
#: generic word ("Bureau", "Electronics") may be cut to two letters, by a word the list does
#: not use (see :func:`cut_alignments`).
CUT_WORD_LETTERS = 4

#: Similarity of a query's last word to a longer listed word it begins (see
#: :func:`cut_alignments`): less than a close typo, as only part of the word is seen. The cut
#: word weighs what the listed word weighs, as a misspelt one does.
CUT_SIMILARITY = 0.85

#: Letters of the shortest words that may be misspelt (see :func:`max_edits`): a typo in
#: two letters is one in half the word, so it needs more than support (see
#: :func:`typo_may_count`). Typo recall on quality.py 885 -> 892 of 916, pairs F1 0.869 ->
#: 0.873, company false positives unchanged (37). Without the rule that the query's word be
#: unused by the list it was 894, but 37 of 5,000 batch queries changed the names they flagged
#: (9 with it), mostly "al" read as "ali" or "adl" in Arabic names.
TWO_LETTER_WORD = 2

_VOWEL_RUNS = re.compile("[aeiouy]+")
_ROMAN_NUMERAL = re.compile("[ivx]+")

#: No token positions: most names have no initials to keep track of.
_NO_WORDS: frozenset[int] = frozenset()


def max_edits(length: int) -> int:
    """Edits tolerated between two tokens whose shorter one has ``length`` characters.

    A letter must match exactly. One typo in two to seven letters ("Luo Jgie", "Megvi",
    "Huawai"); but three-letter acronyms (ZTE, TSS) differ by one letter, so a typo in three
    letters or fewer counts only beside a distinctive word the names share
    (:func:`supported`), and one in two letters only in a query word the list does not use
    (:func:`typo_may_count`). Two typos in eight to eleven letters ("Hikivsion"); three
    beyond. :data:`TYPO_COST` keeps short near misses below review on their own.
    """
    if length <= 1:
        return 0
    if length <= 7:
        return 1
    if length <= 11:
        return 2
    return 3


def typo_may_count(query_unit: str, name_unit: str, weights: TokenWeights | None) -> bool:
    """Whether an inexact match of a query unit with a listed one may count at all.

    Always, unless one of them has :data:`TWO_LETTER_WORD` letters. Such a typo ("Yip Ku
    Kuan" for Yip Kum Kuan, "Je Shih" for Joe Shih, "Ace Hb System") counts only in a query
    word no listed name uses (every word, without the list's ``weights``): "Al" and "Ali",
    "Li" and "Liu" are each a name of their own, which the list uses by the thousand. Nor
    between two Roman numerals ("Bicentenario VI" is not "Bicentenario VII"). It also needs
    support, as any typo in three letters or fewer (:func:`supported`).
    """
    if min(len(query_unit), len(name_unit)) != TWO_LETTER_WORD:
        return True
    if _ROMAN_NUMERAL.fullmatch(query_unit) and _ROMAN_NUMERAL.fullmatch(name_unit):
        return False
    return _unlisted(query_unit, weights)


def token_similarity(a: str, b: str, *, pair: bool = False) -> float:
    """Similarity in [0, 1] of two units; 0.0 when they are too far apart.

    ``pair`` says that one of them is two tokens read as one (see :data:`PAIR_MAX_EDITS`).
    Two single tokens with the same :func:`skeleton` are at least
    :data:`SKELETON_SIMILARITY` alike, however many vowels tell them apart. A word is as
    close to a canonical word as to the nearest of its other
    :data:`~partyscreen.vocabulary.SPELLINGS` ("tolding" is one typo from "holdings",
    written "holding").
    """
    if a == b:
        return 1.0
    k = max_edits(min(len(a), len(b)))
    if pair:
        return _edit_similarity(a, b, min(k, PAIR_MAX_EDITS))
    sim = _edit_similarity(a, b, k)
    if sim < SKELETON_SIMILARITY and skeleton(a) == skeleton(b) != "":
        sim = SKELETON_SIMILARITY
    for word, canonical in ((a, b), (b, a)):
        if word in ORDINARY_WORDS:
            continue  # a word, not a misspelling: "electric" is not "electronic"
        for spelling in SPELLINGS.get(canonical, ()):
            if spelling != word:
                edits = max_edits(min(len(word), len(spelling)))
                sim = max(sim, _edit_similarity(word, spelling, edits))
    return sim


def _edit_similarity(a: str, b: str, k: int) -> float:
    """Similarity of two different units within ``k`` edits, else 0.0."""
    if k == 0 or abs(len(a) - len(b)) > k:
        return 0.0
    d = OSA.distance(a, b, score_cutoff=k)
    if d > k:
        return 0.0
    return edit_similarity(d, max(len(a), len(b)), alike_start=same_start(a, b))


def same_start(a: str, b: str) -> bool:
    """Whether two words begin alike: with one letter, or with two that romanisations trade
    (see :data:`FIRST_LETTER_COST`)."""
    first, second = a[:1], b[:1]
    return first == second or any(
        first in group and second in group for group in _ALIKE_FIRST_LETTERS
    )


@lru_cache(maxsize=1 << 16)
def skeleton(token: str) -> str:
    """A word with each run of vowels as one ``*``, doubled letters once and final vowels
    dropped: what romanisations of one name share ("h*s*n").

    "Husayn" and "Hussein", "Tufayli" and "Tufeili", "Dmitrii" and "Dmitry", "Schulze" and
    "Scholz" differ only in which vowels they write. Where the vowels stand still counts:
    "Mohammed" (m*h*m*d) and "Mahmoud" (m*hm*d) are two names, not two spellings of one;
    a key of consonants alone gave them one key, and on the SDN list's Arabic names made the
    candidate search a third slower. Empty when fewer than :data:`SKELETON_LETTERS`
    consonants are left, or for a word with digits: a short skeleton is shared by too many
    words.
    """
    if not token.isalpha():
        return ""
    out = "".join(letter for letter, _ in groupby(_VOWEL_RUNS.sub("*", token))).rstrip("*")
    return out if len(out) - out.count("*") >= SKELETON_LETTERS else ""


def match_kind(query_unit: str, name_unit: str, similarity: float) -> str:
    """How two matched units (a token, or two tokens written with a space) came to match:
    ``exact``, ``joined`` (a word split in two on one side, "hik vision" / "hikvision"),
    ``initial`` ("v" / "vladimir" either way round, see :func:`initial_alignments`),
    ``romanisation`` (only the vowels differ, see :func:`skeleton`), ``cut`` (the query's last
    word cut short, see :func:`cut_alignments`) or ``typo``."""
    if similarity == 1.0:
        return "exact" if query_unit == name_unit else "joined"
    for letter, word in ((query_unit, name_unit), (name_unit, query_unit)):
        if is_initial(letter) and len(word) > 1 and word[0] == letter:
            return "initial"
    if (
        similarity == SKELETON_SIMILARITY
        and skeleton(query_unit) == skeleton(name_unit) != ""
        and _edit_similarity(query_unit, name_unit, max_edits(min(len(query_unit), len(name_unit))))
        < SKELETON_SIMILARITY
    ):
        return "romanisation"
    if (
        similarity == CUT_SIMILARITY
        and len(name_unit) > len(query_unit)
        and name_unit.startswith(query_unit)
    ):
        return "cut"
    return "typo"


def edit_similarity(distance: int, longest: int, *, alike_start: bool = True) -> float:
    """Similarity of two units ``distance`` edits apart (within bounds), the longer ``longest``
    letters long, ``alike_start`` when they begin alike (:func:`same_start`): what
    :func:`token_similarity` gives once it knows the distance."""
    cost = TYPO_COST * distance / longest + (0.0 if alike_start else FIRST_LETTER_COST)
    return max(0.0, 1.0 - cost)


def units(tokens: Sequence[str]) -> list[tuple[int, int, str]]:
    """The units of a token sequence: ``(start, end, text)`` of each token and adjacent pair."""
    out = [(i, i + 1, t) for i, t in enumerate(tokens)]
    out.extend((i, i + 2, tokens[i] + tokens[i + 1]) for i in range(len(tokens) - 1))
    return out


#: A matched pair of units: query span, name span, similarity.
Alignment = tuple[int, int, int, int, float]


def align(
    query: Sequence[str], name: Sequence[str], weights: TokenWeights | None = None
) -> list[Alignment]:
    """Every pair of units with a non-zero similarity (a pair of two pairs is never needed),
    the query's last word read as cut short (:func:`cut_alignments`, by the list's
    ``weights``), and, when there is any, the initials of either name
    (:func:`initial_alignments`)."""
    out: list[Alignment] = []
    for qs, qe, qt in units(query):
        for cs, ce, ct in units(name):
            q_pair, c_pair = qe - qs == 2, ce - cs == 2
            if q_pair and c_pair:
                continue
            sim = token_similarity(qt, ct, pair=q_pair or c_pair)
            if sim == 1.0 or (sim > 0.0 and typo_may_count(qt, ct, weights)):
                out.append((qs, qe, cs, ce, sim))
    out.extend(cut_alignments(query, name, weights))
    if out:
        out.extend(initial_alignments(query, name))
    return out


def cut_alignments(
    query: Sequence[str], name: Sequence[str], weights: TokenWeights | None = None
) -> list[Alignment]:
    """The last word of a query of two words or more read as cut short: aligned (at
    :data:`CUT_SIMILARITY`) with each longer word of the name that it begins and that is
    generic ("... Optics and Electr"; from two letters when no listed name uses the word:
    "... Public Security Bu", but not "Al" or "El"), or, when no listed name uses the word and
    it has :data:`CUT_WORD_LETTERS` letters or more, that is at most twice as long ("...
    Sheenr"). Without the list's ``weights``, every word is taken as unused and none as
    generic."""
    if len(query) < 2 or not may_be_cut(cut := query[-1], weights):
        return []
    last = len(query) - 1
    return [
        (last, last + 1, cs, cs + 1, CUT_SIMILARITY)
        for cs, word in enumerate(name)
        if is_cut_from(cut, word, weights)
    ]


def may_be_cut(cut: str, weights: TokenWeights | None) -> bool:
    """Whether a query's last word may be read as cut short at all: with
    :data:`CUT_WORD_LETTERS` letters or more, or two or more that no listed name uses."""
    return len(cut) >= CUT_WORD_LETTERS or (len(cut) >= 2 and _unlisted(cut, weights))


def is_cut_from(cut: str, word: str, weights: TokenWeights | None) -> bool:
    """Whether ``cut``, a last word that :func:`may_be_cut`, is ``word`` cut short (see
    :func:`cut_alignments`): a generic word it begins, or a longer word at most twice as long
    when ``cut`` has :data:`CUT_WORD_LETTERS` letters or more and no listed name uses it."""
    if len(word) <= len(cut) or not word.startswith(cut):
        return False
    if weights is not None and weights.weight(word) <= GENERIC_WEIGHT:
        return True
    return len(cut) >= CUT_WORD_LETTERS and _unlisted(cut, weights) and len(word) <= 2 * len(cut)


def _unlisted(word: str, weights: TokenWeights | None) -> bool:
    """Whether no listed name uses ``word`` (every word, without the list's ``weights``)."""
    return weights is None or word not in weights.doc_freq


def is_initial(token: str) -> bool:
    """Whether a token is an initial: one letter."""
    return len(token) == 1 and token.isalpha()


def initial_alignments(query: Sequence[str], name: Sequence[str]) -> list[Alignment]:
    """Each initial of the query aligned with each longer word of the name it may stand for
    (at :data:`INITIAL_SIMILARITY`), and each initial of the name with each longer word of
    the query ("Yuri A. Krasheninnikov" listed, "Yuri Alexandrovich Krasheninnikov" asked).
    Never evidence alone: :func:`align` adds them only to a name that shares something else
    with the query."""
    return [
        (qs, qs + 1, cs, cs + 1, INITIAL_SIMILARITY)
        for qs, letter in enumerate(query)
        if is_initial(letter)
        for cs, word in enumerate(name)
        if len(word) > 1 and word[0] == letter
    ] + [
        (qs, qs + 1, cs, cs + 1, INITIAL_SIMILARITY)
        for cs, letter in enumerate(name)
        if is_initial(letter)
        for qs, word in enumerate(query)
        if len(word) > 1 and word[0] == letter
    ]


@attrs.frozen
class Score:
    """A score and the features that made it."""

    score: float
    symmetric: float
    containment: float
    query_coverage: float
    name_coverage: float
    conflict: bool
    token_matches: tuple[tuple[str, str, float, float], ...]
    penalties: tuple[tuple[str, float], ...] = ()

    def penalised(self, reason: str, factor: float) -> Score:
        """The same score times ``factor``, with the reason recorded."""
        return attrs.evolve(
            self, score=self.score * factor, penalties=(*self.penalties, (reason, factor))
        )

    def features(self) -> dict[str, object]:
        return {
            "symmetric": round(self.symmetric, 4),
            "containment": round(self.containment, 4),
            "query_coverage": round(self.query_coverage, 4),
            "name_coverage": round(self.name_coverage, 4),
            "conflicting_words": self.conflict,
            "penalties": {reason: factor for reason, factor in self.penalties},
            "tokens": [
                {
                    "query": q,
                    "name": n,
                    "similarity": round(s, 4),
                    "weight": round(w, 4),
                    "kind": match_kind(q, n, s),
                }
                for q, n, s, w in self.token_matches
            ],
        }


def _distinctive(tokens: Sequence[str], weights: Sequence[float]) -> tuple[int, int]:
    """How many distinctive (not generic) words a name has, and their letters."""
    words = letters = 0
    for t, w in zip(tokens, weights, strict=True):
        if w > GENERIC_WEIGHT:
            words += 1
            letters += len(t)
    return words, letters


def _contained(
    tokens: Sequence[str], weights: Sequence[float], sims: Sequence[float], *, min_words: int
) -> bool:
    """Whether a name stands whole inside the other: every word matched, and distinctive."""
    if 0.0 in sims:
        return False
    return can_stand_inside(tokens, weights, min_words=min_words)


def query_can_stand_inside(query: Sequence[str], weights: Sequence[float]) -> bool:
    """Whether a query is distinctive enough to count as contained in a longer listed name, all
    its words matched: :data:`QUERY_CONTAINED_WORDS` distinctive words, or one of
    :data:`QUERY_LONG_WORD_LETTERS` letters or more that is no ordinary word. As with
    :func:`can_stand_inside`, lowering weights never makes a query pass that failed with its
    own weights, so the index may decide it before scoring."""
    return _query_stands_inside(query, weights, *_distinctive(query, weights))


def _query_stands_inside(
    query: Sequence[str], weights: Sequence[float], words: int, letters: int
) -> bool:
    """:func:`query_can_stand_inside`, given the query's distinctive words and letters."""
    if words == 1 and letters >= QUERY_LONG_WORD_LETTERS:
        return not any(
            w > GENERIC_WEIGHT and t in ORDINARY_WORDS for t, w in zip(query, weights, strict=True)
        )
    return words >= QUERY_CONTAINED_WORDS and letters >= MIN_CONTAINED_LETTERS


def can_stand_inside(tokens: Sequence[str], weights: Sequence[float], *, min_words: int) -> bool:
    """Whether a name is distinctive enough to count as contained in another, all its words
    matched: ``min_words`` distinctive words and :data:`MIN_CONTAINED_LETTERS` letters in
    them, or :data:`MIN_CONTAINED_LETTERS_BESIDE_GENERIC` beside a generic word. Scoring only
    ever lowers weights, and a word lowered to generic takes its letters from the count, so a
    name that fails with its own weights never counts as contained; the index skips the
    containment bound for it."""
    words, letters = _distinctive(tokens, weights)
    return words >= min_words and (
        letters >= MIN_CONTAINED_LETTERS
        or (letters >= MIN_CONTAINED_LETTERS_BESIDE_GENERIC and len(tokens) > words)
    )


def upper_bound(
    query_weights: Sequence[float],
    name_weights: Sequence[float],
    alignments: Sequence[Alignment],
    *,
    query: Sequence[str] | None = None,
    name: Sequence[str] | None = None,
) -> float:
    """A cheap bound that :func:`score_alignment` never exceeds, for skipping candidates.

    Similarities are at most 1; a misspelt word's weight is only ever lowered, which lowers
    the symmetric ratio; contradicting words only add to its denominator; and containment
    needs every word of the contained name aligned. So the symmetric score is at most
    ``(aligned query weight + aligned name weight) / (all query weight + all name weight)``,
    and containment at most :data:`CONTAINMENT_SCORE` when one side is aligned whole, and,
    with its tokens given, :func:`can_stand_inside`. When neither side is aligned whole,
    their unaligned words contradict each other and each weighs at least
    :data:`CONFLICT_WEIGHT` in the denominator. :meth:`partyscreen.index.NameIndex.candidates`
    computes the same bound from bit masks.
    """
    q_aligned: set[int] = set()
    n_aligned: set[int] = set()
    for qs, qe, cs, ce, _ in alignments:
        q_aligned.update(range(qs, qe))
        n_aligned.update(range(cs, ce))
    a = sum(query_weights[i] for i in q_aligned)
    b = sum(name_weights[j] for j in n_aligned)
    total = sum(query_weights) + sum(name_weights)
    bound = (a + b) / total if total else 0.0
    q_whole = len(q_aligned) == len(query_weights)
    n_whole = len(n_aligned) == len(name_weights)
    q_inside = query is None or query_can_stand_inside(query, query_weights)
    n_inside = name is None or can_stand_inside(name, name_weights, min_words=1)
    if (q_whole and q_inside) or (n_whole and n_inside):
        bound = max(bound, CONTAINMENT_SCORE)
    elif not q_whole and not n_whole:
        unmatched = sum(
            max(w, CONFLICT_WEIGHT) for i, w in enumerate(query_weights) if i not in q_aligned
        ) + sum(max(w, CONFLICT_WEIGHT) for j, w in enumerate(name_weights) if j not in n_aligned)
        bound = min(bound, (a + b) / (a + b + unmatched))
    return min(1.0, bound)


def similarity_bound(
    query: Sequence[str],
    name: Sequence[str],
    alignments: Sequence[Alignment],
    query_weights: Sequence[float],
    name_weights: Sequence[float],
    *,
    query_inside: bool = True,
    name_inside: bool = True,
) -> float:
    """A bound that :func:`score_alignment` never exceeds, tighter than :func:`upper_bound`:
    each word counts at its best similarity. For names and queries without initials (whose
    alignments the score weighs apart); ``query_inside`` and ``name_inside`` say whether the
    query, and the name, may count as contained at all (False only when known not to).

    A word matched with a typo counts as the score counts it: its similarity times its
    weight, on the query side the weight of the listed word it is matched to when that is
    lower. An ordinary word's weight may be lowered further (capped, see
    :func:`score_alignment`), which can raise the ratio: a word aligned only with ordinary
    words and never exactly is capped for sure, and counts at its capped weight; a word that
    may or may not be counts whole, at its full weight, as in :func:`upper_bound`. (Counting
    a word whole at a higher weight never gives less than the score: ``(x + d) / (y + d) >=
    x / y`` for ``x <= y``.) Containment is :data:`CONTAINMENT_SCORE` times the coverage of a
    side aligned whole, so bounded the same way, and counts only where the score lets it: the
    query as distinctive as its misspelt words' listed words allow, the name with a word of
    its own (words aligned only with ordinary words are not). When neither side is aligned
    whole, their unaligned words contradict each other (see :func:`upper_bound`).
    """
    q_sim = [0.0] * len(query)
    n_sim = [0.0] * len(name)
    q_weight = list(query_weights)  # a misspelt word weighs what its listed word weighs
    # Aligned with an ordinary word (its weight may be capped), and with a word that is not.
    q_whole = [False] * len(query)
    n_whole = [False] * len(name)
    q_plain = [False] * len(query)
    n_plain = [False] * len(name)
    for qs, qe, cs, ce, sim in alignments:
        q_unit = query[qs] if qe - qs == 1 else query[qs] + query[qs + 1]
        n_unit = name[cs] if ce - cs == 1 else name[cs] + name[cs + 1]
        ordinary = q_unit in ORDINARY_WORDS or n_unit in ORDINARY_WORDS
        for i in range(qs, qe):
            if sim > q_sim[i]:
                q_sim[i] = sim
            if ordinary:
                q_whole[i] = True
            else:
                q_plain[i] = True
        for j in range(cs, ce):
            if sim > n_sim[j]:
                n_sim[j] = sim
            if ordinary:
                n_whole[j] = True
            else:
                n_plain[j] = True
        if qe - qs == 1 and ce - cs == 1 and name_weights[cs] < q_weight[qs]:
            q_weight[qs] = name_weights[cs]
    # A word aligned only with ordinary words and never exactly is capped for sure: it counts
    # at its capped weight. One that may or may not be counts whole.
    a = q_total = 0.0
    for w, lowered, sim, whole, plain in zip(
        query_weights, q_weight, q_sim, q_whole, q_plain, strict=True
    ):
        if sim == 0.0:
            q_total += w
        elif sim < 1.0 and not plain:
            capped = min(lowered, COMMON_WORD_WEIGHT)
            q_total += capped
            a += sim * capped
        elif sim == 1.0 or whole:
            q_total += w
            a += w
        else:
            q_total += lowered
            a += sim * lowered
    b = n_total = 0.0
    for w, sim, whole, plain in zip(name_weights, n_sim, n_whole, n_plain, strict=True):
        if sim and sim < 1.0 and not plain:
            capped = min(w, COMMON_WORD_WEIGHT)
            n_total += capped
            b += sim * capped
        else:
            n_total += w
            if sim == 1.0 or whole:
                b += w
            else:
                b += sim * w
    total = q_total + n_total
    bound = (a + b) / total if total else 0.0
    q_unmatched, n_unmatched = 0.0 in q_sim, 0.0 in n_sim
    if q_unmatched and n_unmatched:
        unmatched = sum(
            max(w, CONFLICT_WEIGHT) for w, sim in zip(query_weights, q_sim, strict=True) if not sim
        ) + sum(
            max(w, CONFLICT_WEIGHT) for w, sim in zip(name_weights, n_sim, strict=True) if not sim
        )
        bound = min(bound, (a + b) / (a + b + unmatched))
    # Each side counts as contained only as score_alignment allows it (looked at only when it
    # would raise the bound): the query with its misspelt words at their listed words'
    # weights, the name without the words whose every alignment is with an ordinary word
    # (their best one is, so they are not its own).
    if query_inside and not q_unmatched and q_total:
        contained = CONTAINMENT_SCORE * a / q_total
        if contained > bound and query_can_stand_inside(query, q_weight):
            bound = contained
    if name_inside and not n_unmatched and n_total:
        contained = CONTAINMENT_SCORE * b / n_total
        if contained > bound and can_stand_inside(
            name,
            [w if plain else 0.0 for w, plain in zip(name_weights, n_plain, strict=True)],
            min_words=1,
        ):
            bound = contained
    return min(1.0, bound)


def query_containment_bound(
    weights: Sequence[float], least: Sequence[float], sims: Sequence[float]
) -> float:
    """A bound that the containment :func:`score_alignment` gives a query without initials
    never exceeds, its words matched at no more than ``sims`` (0 for a word not matched), each
    word matched inexactly weighing at least ``least`` (the least of its own weight and those
    of the listed words it may be matched to, and no more than :data:`COMMON_WORD_WEIGHT` where
    one of those or the word is an ordinary word, as the score may cap it).

    The score's query coverage is a mean of its words' similarities weighed by their weights.
    Words found exactly count at most whole, at most at their own weights (a lower weight
    never raises a mean of values at most 1 that holds them at 1). The others are at most the
    best of their similarities, ``top``, and at that similarity weighing them less only
    raises the mean: it is at most ``(top * spread + full) / (spread + full)``, ``spread``
    their least weights and ``full`` the others' own. (A listed initial only ever takes
    containment away from the query, and the query's own initials are left to the caller.)
    """
    full = spread = top = 0.0
    for weight, low, sim in zip(weights, least, sims, strict=True):
        if sim >= 1.0:
            full += weight
        else:
            spread += low
            top = max(top, sim)
    if not spread:
        return CONTAINMENT_SCORE
    return CONTAINMENT_SCORE * (top * spread + full) / (spread + full)


def supported(
    query: Sequence[str],
    name: Sequence[str],
    alignments: Sequence[Alignment],
    name_weights: Sequence[float],
) -> Sequence[Alignment]:
    """The alignments without typo matches of short words that nothing else supports.

    A typo in a word of :data:`SHORT_TYPO_LETTERS` letters counts only when the names also
    share a distinctive word exactly ("Luo Jgie" is "Luo Jie"); alone, or beside generic
    words, it is another acronym ("ATN International" is not "ATE International"). Leaving
    alignments out only lowers the score and its :func:`upper_bound`, so the index may bound
    a name by the alignments kept. Returns ``alignments`` itself when it keeps them all.
    """
    short_typo = backed = False
    for qs, qe, cs, ce, sim in alignments:
        if sim < 1.0:
            short_typo = short_typo or _short_typo(query, name, qs, qe, cs, ce)
        elif not backed:
            backed = name_weights[cs] > GENERIC_WEIGHT or (
                ce - cs == 2 and name_weights[cs + 1] > GENERIC_WEIGHT
            )
    if backed or not short_typo:
        return alignments
    return [a for a in alignments if a[4] == 1.0 or not _short_typo(query, name, *a[:4])]


def _short_typo(
    query: Sequence[str], name: Sequence[str], qs: int, qe: int, cs: int, ce: int
) -> bool:
    """Whether an inexact alignment is of two single tokens, one of them short."""
    return qe - qs == 1 and ce - cs == 1 and typo_needs_support(query[qs], name[cs])


def typo_needs_support(a: str, b: str) -> bool:
    """Whether a typo between tokens ``a`` and ``b`` counts only with support (see
    :func:`supported`): one of them has :data:`SHORT_TYPO_LETTERS` letters or fewer."""
    return min(len(a), len(b)) <= SHORT_TYPO_LETTERS


def _credit_initials(
    found: dict[int, tuple[float, int, int, int, int]],
    sims: list[float],
    word_weights: Sequence[float],
    initial_weights: Sequence[float],
    initial_at: Callable[[int, int, int, int], int | None],
) -> tuple[set[int], set[int]]:
    """Cap, in place, the words of one name whose best match is an initial of the other
    (``initial_at`` gives the initial's position for such an alignment, else None): an
    initial stands for the first such word by position, counted for no more than the initial
    weighs, and later ones lose the match. Returns those words and the initials credited."""
    words: set[int] = set()
    credited: set[int] = set()
    for k in sorted(found):
        sim, qs, qe, cs, ce = found[k]
        letter = initial_at(qs, qe, cs, ce)
        if letter is None:
            continue
        words.add(k)
        if letter in credited:
            sims[k] = 0.0
            del found[k]
        else:
            credited.add(letter)
            own = word_weights[k]
            sims[k] = sim * min(1.0, initial_weights[letter] / own) if own else sim
    return words, credited


def score_alignment(
    query: Sequence[str],
    name: Sequence[str],
    alignments: Sequence[Alignment],
    weights: TokenWeights,
    *,
    name_weights: Sequence[float] | None = None,
    query_weights: Sequence[float] | None = None,
    contained_min_words: int = 1,
    explain: bool = True,
) -> Score:
    """Score a query against a listed name from their unit alignments.

    ``contained_min_words`` is how many distinctive words the listed name needs before it
    counts as contained in a longer query: 2 for a person, whose single name ("Martin", an
    alias of an SDN individual) stands inside "Lockheed Martin" by chance. ``name_weights``
    and ``query_weights`` may be given when already known; ``explain=False`` leaves out the
    token-by-token detail (the score is the same), for candidates that will be dropped.
    """
    qw = list(query_weights) if query_weights is not None else weights.weights_of(query)
    # (A listed name's words weigh as the list has them, wherever they stand: the rules of
    # weights_of read queries.)
    nw = list(name_weights) if name_weights is not None else list(map(weights.weight, name))
    alignments = supported(query, name, alignments, nw)
    qsim = [0.0] * len(query)
    nsim = [0.0] * len(name)
    best: dict[int, tuple[float, int, int, int, int]] = {}
    name_best: dict[int, tuple[float, int, int, int, int]] = {}
    # Each token's best unit; of equally good ones the first by position, so that the score
    # does not depend on the order the alignments come in (the index's differs from align's).
    # An initial's alignment (one letter against a longer word) only stands in for a word
    # matched no other way: "Aristedis A." is a typo of "Aristeidis A.", not its initial.
    # (Looked for with len first, which is cheap: most names have no one-letter word.)
    has_initials = 1 in map(len, query) and any(map(is_initial, query))
    name_initials = 1 in map(len, name) and any(map(is_initial, name))
    letters = has_initials or name_initials
    by_letter: list[Alignment] = []
    for alignment in alignments:
        qs, qe, cs, ce, sim = alignment
        if (
            letters
            and qe - qs == 1
            and ce - cs == 1
            and (len(query[qs]) == 1) != (len(name[cs]) == 1)
        ):
            by_letter.append(alignment)
            continue
        for i in range(qs, qe):
            if sim > qsim[i] or (sim == qsim[i] and (qs, qe, cs, ce) < best[i][1:]):
                qsim[i] = sim
                best[i] = (sim, qs, qe, cs, ce)
        for j in range(cs, ce):
            if sim > nsim[j] or (sim == nsim[j] and (qs, qe, cs, ce) < name_best[j][1:]):
                nsim[j] = sim
                name_best[j] = (sim, qs, qe, cs, ce)
        if qe - qs == 1 and ce - cs == 1 and nw[cs] < qw[qs]:
            # A misspelt word weighs what the word it stands for weighs: "Technologief" is
            # "Technology", generic, not a rare word never seen in the list. (An initial, and
            # a word a listed initial stands for, keep their own weights: set aside above.)
            qw[qs] = nw[cs]
    if by_letter:
        matched_q, matched_n = set(best), set(name_best)
        for qs, qe, cs, ce, sim in by_letter:
            if qs not in matched_q and (qs not in best or (qs, qe, cs, ce) < best[qs][1:]):
                qsim[qs] = sim
                best[qs] = (sim, qs, qe, cs, ce)
            if cs not in matched_n and (
                cs not in name_best or (qs, qe, cs, ce) < name_best[cs][1:]
            ):
                nsim[cs] = sim
                name_best[cs] = (sim, qs, qe, cs, ce)
    # An initial stands for one word of the name at most, and counts there for no more than
    # it weighs itself: "V." for "Vladimir" says a letter, not a name.
    # Nor does it put the word in the query: a name is not contained through its initials.
    by_initial: set[int] = set()
    if has_initials:
        by_initial, _ = _credit_initials(
            name_best,
            nsim,
            nw,
            qw,
            lambda qs, qe, cs, ce: (
                qs
                if qe - qs == 1 and ce - cs == 1 and len(name[cs]) > 1 and is_initial(query[qs])
                else None
            ),
        )
    # The same the other way round: a listed initial ("A." in "Yuri A. Krasheninnikov")
    # stands for one word of the query, which counts for no more than the initial weighs.
    # Neither name is contained through it, and an initial whose query word is better matched
    # elsewhere stands for nothing: "I. Ivanovich" is not all found in "Petr Ivanovich"
    # because Ivanovich starts with I.
    query_by_initial: set[int] | frozenset[int] = _NO_WORDS
    if name_initials:

        def listed_initial(qs: int, qe: int, cs: int, ce: int) -> int | None:
            if qe - qs == 1 and ce - cs == 1 and len(query[qs]) > 1 and is_initial(name[cs]):
                return cs
            return None

        query_by_initial, credited = _credit_initials(best, qsim, qw, nw, listed_initial)
        by_initial |= credited
        for j in sorted(name_best):
            if j not in credited and listed_initial(*name_best[j][1:]) is not None:
                nsim[j] = 0.0
                del name_best[j]
    # The words a query is contained by, before ordinary words are weakened (below): a
    # truncated name ("Federal Security Service" for the FSB's full entry) is still that name.
    q_words, q_letters = _distinctive(query, qw)
    contained_query = (
        0.0 not in qsim
        and not query_by_initial
        and _query_stands_inside(query, qw, q_words, q_letters)
    )
    # A very short name ("SL", "HUA") cannot carry a longer one: the other's extra words,
    # however generic, count as if they contradicted it ("SL Science Holding" is not "SL").
    # (Needed only when one side has a word unmatched and the other not; the similarities are
    # final here, and the weights as this rule reads them.)
    q_unmatched, n_unmatched = 0.0 in qsim, 0.0 in nsim
    short = (q_unmatched != n_unmatched) and (
        q_letters < SHORT_NAME_LETTERS or _distinctive(name, nw)[1] < SHORT_NAME_LETTERS
    )
    # An ordinary word ("Martin", "Dynamics", "Galaxy") is weak evidence: many unrelated
    # companies share it. It weighs no more than a generic word when it is matched only with
    # a typo ("Galaxy" is a word, not a misspelling of "Galax"), or when the names share no
    # word of substance but ordinary ones ("General Dynamics" / "Creative Dynamics", "Nova
    # Ltd." / "Nova Technologies").
    q_ordinary = [False] * len(query)
    n_ordinary = [False] * len(name)
    ordinary_words = ORDINARY_WORDS
    for found, flags in ((best, q_ordinary), (name_best, n_ordinary)):
        for k, (_, qs, qe, cs, ce) in found.items():
            # Whether either unit (a token, or a pair read as one word) is an ordinary word.
            q_unit = query[qs] if qe - qs == 1 else query[qs] + query[qs + 1]
            n_unit = name[cs] if ce - cs == 1 else name[cs] + name[cs + 1]
            # An initial's match is capped already; its words keep their weights ("A" is
            # an ordinary word, "Anna" stays a name).
            flags[k] = (q_unit in ordinary_words or n_unit in ordinary_words) and not (
                (has_initials and ce - cs == 1 and len(n_unit) > 1 and is_initial(q_unit))
                or (name_initials and qe - qs == 1 and len(q_unit) > 1 and is_initial(n_unit))
            )
    only_ordinary = True
    for i, (q_sim, q_weight, q_ord) in enumerate(zip(qsim, qw, q_ordinary, strict=True)):
        # (An initial is no word of substance: "L. Martin" is not "Lockheed Martin"; nor is a
        # word found only as a listed initial.)
        if (
            q_sim > 0.0
            and q_weight > GENERIC_WEIGHT
            and not q_ord
            and not (has_initials and is_initial(query[i]))
            and i not in query_by_initial
        ):
            only_ordinary = False
            break
    for w, flags, sims in ((qw, q_ordinary, qsim), (nw, n_ordinary, nsim)):
        for k, ordinary in enumerate(flags):
            if ordinary and (only_ordinary or sims[k] < 1.0):
                w[k] = min(w[k], COMMON_WORD_WEIGHT)
    conflict = (q_unmatched and n_unmatched) or short
    a = sum(map(mul, qw, qsim))
    b = sum(map(mul, nw, nsim))
    if conflict:
        wq = a + sum(max(w, CONFLICT_WEIGHT) * (1 - s) for w, s in zip(qw, qsim, strict=True))
        wn = b + sum(max(w, CONFLICT_WEIGHT) * (1 - s) for w, s in zip(nw, nsim, strict=True))
    else:
        wq, wn = sum(qw), sum(nw)
    symmetric = (a + b) / (wq + wn) if wq + wn else 0.0
    name_coverage = b / sum(nw) if nw else 0.0
    query_coverage = a / sum(qw) if qw else 0.0
    # A listed name inside a longer query needs a word of its own, not only ordinary words:
    # "Chemical Industry Company" or "Security Technologies" stand inside many company names.
    # (Only a name with every word matched can be; most candidates have one unmatched.)
    own = (
        [0.0 if o else w for w, o in zip(nw, n_ordinary, strict=True)]
        if not (n_unmatched or by_initial)
        else nw
    )
    containment = max(
        CONTAINMENT_SCORE * name_coverage
        if not by_initial and _contained(name, own, nsim, min_words=contained_min_words)
        else 0.0,
        CONTAINMENT_SCORE * query_coverage if contained_query else 0.0,
    )
    matches = []
    for i in sorted(best) if explain else ():
        sim, qs, qe, cs, ce = best[i]
        q_text = query[qs] if qe - qs == 1 else " ".join(query[qs:qe])
        n_text = name[cs] if ce - cs == 1 else " ".join(name[cs:ce])
        matches.append((q_text, n_text, sim, qw[i]))
    return Score(
        score=min(1.0, max(symmetric, containment)),
        symmetric=symmetric,
        containment=containment,
        query_coverage=query_coverage,
        name_coverage=name_coverage,
        conflict=conflict,
        token_matches=tuple(dict.fromkeys(matches)),
    )
