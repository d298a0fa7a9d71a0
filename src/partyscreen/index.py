"""Candidate search: find the listed names a query could match without comparing it with all.

The index keeps a vocabulary of every *unit* of every listed name (each token, and each pair of
adjacent tokens read as one; see :mod:`partyscreen.scoring`), with postings that say which
names hold the unit. A query's single tokens are looked up within
:func:`~partyscreen.scoring.max_edits` through deletion neighbourhoods (no scan of the
vocabulary but for the few longest words; a small list's few words are scanned instead), by
skeleton (the word with its vowels blurred), and through the other spellings of generic words
("tolding" finds "holdings" by "holding"); its pairs are looked up exactly. The look-up
yields, for every name that shares anything with the query, the very unit alignments
:func:`~partyscreen.scoring.align` would compute by brute force, so no pair of strings is
compared twice.

With a threshold, most names are never aligned at all: postings of common words are read only
as far as a bound allows, and the names of a posting that its word alone cannot lift to the
threshold (past a distinctive word's cut, or past a common word's own within that bound) are
kept only when another word of the query finds them too (or, in a long posting, when the word
may hold them whole). The cuts count a word found with a typo at its similarity. The names
reached are first bounded from the weights of the units they share, at the similarities they
were found with, before any alignment is built (see :class:`NameIndex`). A hypothesis test
checks against brute force that no name reaching the threshold is lost.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import combinations
from operator import itemgetter

from rapidfuzz import process
from rapidfuzz.distance import OSA

from partyscreen.scoring import (
    COMMON_WORD_WEIGHT,
    CONFLICT_WEIGHT,
    CONTAINMENT_SCORE,
    CUT_SIMILARITY,
    INITIAL_SIMILARITY,
    PAIR_MAX_EDITS,
    TWO_LETTER_WORD,
    Alignment,
    can_stand_inside,
    edit_similarity,
    initial_alignments,
    is_cut_from,
    is_initial,
    max_edits,
    may_be_cut,
    query_can_stand_inside,
    query_containment_bound,
    same_start,
    similarity_bound,
    skeleton,
    supported,
    token_similarity,
    typo_may_count,
    typo_needs_support,
    units,
)
from partyscreen.vocabulary import ORDINARY_WORDS, SPELLINGS
from partyscreen.weights import GENERIC_WEIGHT, TokenWeights

__all__ = [
    "COMMON_NAMES",
    "COMMON_SHARE",
    "CONTAINED_APART",
    "KEY_THRESHOLD",
    "LOOKUP_CACHE_SIZE",
    "SCAN_WORDS_MAX",
    "NameIndex",
]

#: Words up to which a fuzzy look-up scans them all (rapidfuzz's OSA distance over the words of
#: a length it may match, at C speed) instead of building its deletion keys and looking those
#: up. Building the keys of a word of eight letters or more (two edits: some 40 to 70 strings)
#: costs more than scanning a small list's words. Among words drawn from the batch benchmark's
#: names (listed names, noisy variants of them, company names), 400 query words from those
#: names (half of them misspelt) took 1.7 us a look-up against 4.9 among 50 words, 3.0 against
#: 5.1 among 150, 4.0 against 5.0 among 200, and lost among 400 (6.8 against 5.1). The
#: embedded list has 135 such words.
SCAN_WORDS_MAX = 200

#: Fuzzy look-ups cached per index: batch queries repeat words ("technology", "inc") a lot.
LOOKUP_CACHE_SIZE = 1 << 16

#: Names a token must be in before the index treats it as *light*, like a generic word. Person
#: names on the sanctions lists share a few tokens by the thousand ("al" is in 5,000 of the
#: 40,000 names of the CSL and SDN lists, "mohammed" in 1,900); reading every such posting
#: made a query with "Al-" cost 50 to 150 ms. Fifty names is far below those and far above
#: the words of any one company family ("huawei" is in 25), so the cut applies where it pays.
COMMON_NAMES = 50

#: Share of all names a token must be in before it is light, on lists so large that
#: :data:`COMMON_NAMES` is too few: on a million names nearly every word is in fifty, and a
#: split in which everything is light prunes nothing. A thousandth keeps ordinary distinctive
#: words heavy at that size and leaves lists of 50,000 names or fewer to ``COMMON_NAMES``.
COMMON_SHARE = 0.001

#: The threshold the light postings are ordered for (the default review threshold). Any other
#: threshold is still exact, with a looser cut below this one (see ``_light_cutoff``).
KEY_THRESHOLD = 0.75

#: Heavy postings at least this long keep apart the names their unit may hold whole (see
#: ``NameIndex._past_cut``). Past a posting's cut only containment can lift a name
#: through that unit, and most names there cannot be contained at all; reading them all had
#: made two thirds of the names a query reached on a million names. Shorter postings are read
#: on whole to the containment cut: a few names, for no memory. On a million names 12,951
#: postings hold 128 names or more (2.1 million entries), and postings of 16 to 127 names
#: hold 7,250 entries in all.
CONTAINED_APART = 64

#: An alignment's similarity.
_SIMILARITY = itemgetter(4)

#: Slack on the cut, so that a name exactly at the bound is not lost to rounding.
_EPSILON = 1e-9

#: The distance a word cut short is given from the words it begins: inexact, and never
#: matched to a pair of tokens read as one (those match exactly, PAIR_MAX_EDITS).
_CUT_DISTANCE = PAIR_MAX_EDITS + 1


def _deletions(word: str) -> set[str]:
    """The word and every string made by deleting one of its letters."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _deletions2(word: str) -> set[str]:
    """The word and every string made by deleting one or two of its letters."""
    out = _deletions(word)
    if len(word) >= 2:
        # The letters kept, in order, for each pair of positions left out (joined at C speed).
        out.update(map("".join, combinations(word, len(word) - 2)))
    return out


#: The shortest words allowed three edits (:func:`~partyscreen.scoring.max_edits`): the look-up
#: scans them by length, as they are few.
_THREE_EDITS = min(n for n in range(1, 64) if max_edits(n) >= 3)

#: The shortest look-up that only those words can be near: a word of ``m`` letters allowed
#: fewer edits is near no word more than ``max_edits(m)`` letters longer. (Fourteen letters:
#: "communications", and romanised Chinese names written as one word, whose deletion keys are
#: 106 strings or more. For the 56 distinct words of twelve letters or more in the scaling
#: benchmark's queries, against its 10,000-name list, building the keys took 24 us a word,
#: looking them up 42, and the scan of the longest words, then one call a length, 21.)
_ONLY_LONGEST_FROM = 1 + max(m + max_edits(m) for m in range(1, _THREE_EDITS))


def _keys(word: str) -> tuple[set[str], set[str]]:
    """A look-up's deletion keys: one-letter, and two-letter when two edits are allowed."""
    return _deletions(word), _deletions2(word) if max_edits(len(word)) >= 2 else set()


class _EditNeighbours:
    """Words within :func:`~partyscreen.scoring.max_edits` of a look-up, by deletion
    neighbourhoods as in SymSpell: two words within d edits (with transpositions) become equal
    after at most d deletions from each, so every word is filed under itself and its one-letter
    deletions, and the long words (two edits allowed) under their two-letter deletions too; a
    look-up then needs no scan. Only the longest words (three edits) are scanned, by length,
    and they are few; a look-up that only they can be near (:data:`_ONLY_LONGEST_FROM`) needs
    no deletion keys.

    Up to :data:`SCAN_WORDS_MAX` words (``scans``), a look-up scans instead the words of a
    length it may match, and needs no deletion keys either.
    """

    def __init__(self, words: Iterable[str]) -> None:
        fuzzy = {word for word in words if max_edits(len(word))}  # (one letter: exact only)
        #: Whether a look-up scans the words rather than build deletion keys.
        self.scans = len(fuzzy) <= SCAN_WORDS_MAX
        # The words a look-up scans, by length (its lengths a slice found by bisection): all of
        # them on a small list, else the longest.
        scanned = fuzzy if self.scans else {w for w in fuzzy if len(w) >= _THREE_EDITS}
        self._by_length = tuple(sorted(scanned, key=lambda w: (len(w), w)))
        self._lengths = tuple(map(len, self._by_length))
        deletions: dict[str, list[str]] = defaultdict(list)
        deletions2: dict[str, list[str]] = defaultdict(list)
        for word in () if self.scans else fuzzy:
            for key in _deletions(word):
                deletions[key].append(word)
            if max_edits(len(word)) >= 2:
                for key in _deletions2(word):
                    deletions2[key].append(word)
        self._deletions = {k: tuple(v) for k, v in deletions.items()}
        self._deletions2 = {k: tuple(v) for k, v in deletions2.items()}

    def needs_keys(self, unit: str) -> bool:
        """Whether a look-up of ``unit`` reads its deletion keys: not when it scans the few
        words of a small list, nor when only the longest words can be near it."""
        return not self.scans and len(unit) < _ONLY_LONGEST_FROM

    def near(self, unit: str, keys: tuple[set[str], set[str]] | None = None) -> dict[str, int]:
        """The words within max_edits of ``unit`` (but itself), with their distances. ``keys``
        may give the unit's :func:`_keys` when already known (a scan needs none)."""
        n = len(unit)
        out: dict[str, int] = {}
        if self.needs_keys(unit):
            one, two = keys if keys is not None else _keys(unit)
            # A word of seven letters or fewer is at most one edit away (max_edits of the
            # shorter): one-letter deletions find it. Longer words two edits away share a
            # two-letter one. The words filed under the keys are gathered first (set updates,
            # at C speed), then each is checked once.
            near: set[str] = set()
            near.update(*filter(None, map(self._deletions.get, one)))
            near.update(*filter(None, map(self._deletions2.get, two)))
            near.discard(unit)
            for word in near:
                k = max_edits(min(n, len(word)))
                d = OSA.distance(unit, word, score_cutoff=k)
                if d <= k:
                    out[word] = d
        if self.scans or n >= _THREE_EDITS:
            # A word within max_edits(min(n, m)) of the unit is at most that many letters
            # longer or shorter, and max_edits grows with the length: max_edits(n) bounds all.
            # (On a large list the longest words, for a unit that may be three edits from them;
            # a shorter unit finds them by its two-letter keys.)
            edits = max_edits(n)
            lengths = self._lengths
            words = self._by_length[
                bisect_left(lengths, n - edits) : bisect_right(lengths, n + edits)
            ]
            hits = process.extract(unit, words, scorer=OSA.distance, score_cutoff=edits, limit=None)
            for word, d, _ in hits:
                if word != unit and d <= max_edits(min(n, len(word))):
                    out[word] = int(d)
        return out


class NameIndex:
    """An index over normalised names (token tuples), numbered in the order given.

    Tokens are *light* when they say little: generic words (weight at most
    :data:`~partyscreen.weights.GENERIC_WEIGHT`) and tokens found in :data:`COMMON_NAMES` names
    or more ("al", "mohammed", "technology"); the others are *heavy*. A name that shares only
    light units with a query has all its heavy weight unmatched, which bounds its score (see
    :meth:`_light_cutoff`). So the postings of light units are sorted by a key that grows with
    the name's heavy weight and read only as far as the bound allows (each, past what its own
    word can lift, only for names another posting holds too), and :meth:`candidates` adds two
    small sets the bound does not cover: names made of light words only that could stand whole
    inside the query, kept under one *anchor* unit each, and names that hold every word of the
    query. Heavy postings are sorted by the same key: a name beyond a heavy unit's cut (see
    :meth:`_heavy_widening`) cannot reach the threshold through that unit alone, so it is kept
    only when another posting holds it too (found by set intersections, not name by name).
    That pays most on large lists, where a heavy word may be in a thousand names (see
    :data:`COMMON_SHARE`). Nothing that can reach the threshold is lost; a hypothesis test
    checks it against brute force.
    """

    def __init__(
        self,
        names: Sequence[tuple[str, ...]],
        *,
        common_names: int = COMMON_NAMES,
        token_weights: TokenWeights | None = None,
        contained_apart: int = CONTAINED_APART,
    ) -> None:
        self.names: tuple[tuple[str, ...], ...] = tuple(names)
        #: How much each token weighs: by default, from how many of ``names`` hold it.
        self.weights = token_weights or TokenWeights.from_token_sets(self.names)
        self.common_names = max(common_names, int(COMMON_SHARE * len(self.names)))
        self.name_weights: tuple[tuple[float, ...], ...] = tuple(
            tuple(self.weights.weight(t) for t in name) for name in self.names
        )
        self.name_totals: tuple[float, ...] = tuple(sum(w) for w in self.name_weights)
        #: Whether each name can count as contained in a query, all its words matched (the
        #: weakest rule, for a company: one distinctive word); if not, only the symmetric
        #: score can reach a threshold, and the bounds leave containment out.
        self._containable: tuple[bool, ...] = tuple(
            can_stand_inside(name, weights, min_words=1)
            for name, weights in zip(self.names, self.name_weights, strict=True)
        )
        light_tokens = {t for name in self.names for t in name if self._is_light(t)}
        # What a name's own initials ("Yuri A. Krasheninnikov") can add to its score: each
        # aligned to a query word at INITIAL_SIMILARITY, counted on both sides for no more
        # than the initial weighs. The index never looks for the words they stand for, so
        # its bounds allow for this gain: the light keys below, and the totals the bounds
        # compare with (lowered by the gain over KEY_THRESHOLD; candidates() widens both
        # for a lower threshold).
        # (Looked for with len first, which is cheap: most names have no one-letter word.)
        gains = [
            2
            * INITIAL_SIMILARITY
            * sum(w for t, w in zip(name, weights, strict=True) if is_initial(t))
            if 1 in map(len, name)
            else 0.0
            for name, weights in zip(self.names, self.name_weights, strict=True)
        ]
        # (Few names have initials: the others share their totals' float objects, so that
        # this costs a pointer per name.)
        self._initialled: frozenset[int] = frozenset(n for n, g in enumerate(gains) if g)
        self._initial_gain_max = max(gains, default=0.0)
        self._bound_totals: tuple[float, ...] = tuple(
            total - gain / KEY_THRESHOLD if gain else total
            for total, gain in zip(self.name_totals, gains, strict=True)
        )
        self._units: tuple[tuple[tuple[int, int, str], ...], ...] = tuple(
            tuple(units(name)) for name in self.names
        )
        heavy: dict[str, list[int]] = defaultdict(list)
        initialled_heavy: dict[str, list[int]] = defaultdict(list)  # (see candidates())
        # Names with two units of one text, heavy or light (a pair "a bb" and a token "abb"):
        # one query unit matches both, so one posting adds to such a name twice.
        doubled: set[int] = set()
        heavy_weight: dict[str, float] = defaultdict(float)
        light_weights: list[float] = []
        keys: list[float] = []
        light_unit_weight: dict[str, float] = defaultdict(float)
        light: dict[str, list[tuple[float, int]]] = defaultdict(list)
        light_initialled: dict[str, list[tuple[float, int]]] = defaultdict(list)
        light_max: dict[str, float] = defaultdict(float)
        anchors: dict[str, list[int]] = defaultdict(list)
        self._light_pairs: set[str] = set()
        # Each name's light units in 64 bits, a bit per light unit (assigned in turn, so that
        # units share bits): a query's light words rule out most names at once.
        light_bits: dict[str, int] = {}
        signatures = array("Q")
        for number, (name, name_units) in enumerate(zip(self.names, self._units, strict=True)):
            weights = self.name_weights[number]
            light_n = sum(w for t, w in zip(name, weights, strict=True) if t in light_tokens)
            heavy_n = self.name_totals[number] - light_n
            light_weights.append(light_n)
            key = (
                heavy_n
                - (1 - KEY_THRESHOLD) / KEY_THRESHOLD * light_n
                - gains[number] / KEY_THRESHOLD
            )
            keys.append(key)
            signature = 0
            for start, end, text in name_units:
                if all(t in light_tokens for t in name[start:end]):
                    bit = light_bits.get(text)
                    if bit is None:
                        bit = light_bits[text] = 1 << len(light_bits) % 64
                    signature |= bit
                    posting_l = light[text]
                    if posting_l and posting_l[-1][1] == number:
                        doubled.add(number)
                    posting_l.append((key, number))
                    if gains[number]:
                        light_initialled[text].append((key, number))
                    light_max[text] = max(light_max[text], light_n)
                    unit_weight = sum(weights[start:end])
                    light_unit_weight[text] = max(light_unit_weight[text], unit_weight)
                    if end - start == 2:
                        self._light_pairs.add(text)
                else:
                    posting = heavy[text]
                    if posting and posting[-1] == number:
                        doubled.add(number)
                    posting.append(number)
                    if gains[number]:
                        initialled_heavy[text].append(number)
                    heavy_weight[text] = max(heavy_weight[text], sum(weights[start:end]))
            signatures.append(signature)
            if self._containable[number] and all(t in light_tokens for t in name):
                # Only such a name can stand whole inside a query that reaches it through
                # light units alone; then its rarest token is matched, as a token or in a pair.
                rarest = min(range(len(name)), key=lambda i: self.weights.doc_freq[name[i]])
                for start, end, text in name_units:
                    if start <= rarest < end:
                        anchors[text].append(number)
        # Heavy postings are sorted by the same key as light ones (see candidates()), and
        # looked up by it without a copy of the keys (bisect with key=).
        self._heavy: dict[str, tuple[int, ...]] = {}
        key_of = keys.__getitem__
        for text, numbers in heavy.items():
            if len(numbers) > 1:
                numbers.sort(key=key_of)  # (stable: names of one key stay in order)
            self._heavy[text] = tuple(numbers)
        #: The names with initials of each heavy posting that has any, in the posting's order.
        self._initialled_heavy: dict[str, tuple[int, ...]] = {
            text: tuple(sorted(numbers, key=key_of)) for text, numbers in initialled_heavy.items()
        }
        self._light_weight_max = max(light_weights, default=0.0)
        self._light_bits = light_bits
        self._light_signatures = signatures
        self._doubled: frozenset[int] = frozenset(doubled)
        #: The most a heavy unit weighs in any name holding it (a pair may split differently).
        self._heavy_weight: dict[str, float] = dict(heavy_weight)
        self._light_weight: tuple[float, ...] = tuple(light_weights)
        self._light_unit_weight: dict[str, float] = dict(light_unit_weight)
        self._keys: tuple[float, ...] = tuple(keys)
        self._light: dict[str, tuple[tuple[float, ...], tuple[int, ...], float]] = {}
        for text, found in light.items():
            found.sort()
            self._light[text] = (
                tuple(k for k, _ in found),
                tuple(n for _, n in found),
                light_max[text],
            )
        #: The names with initials of each light posting that has any, with their keys.
        self._light_initialled: dict[str, tuple[tuple[float, ...], tuple[int, ...]]] = {}
        for text, held in light_initialled.items():
            held.sort()
            self._light_initialled[text] = (tuple(k for k, _ in held), tuple(n for _, n in held))
        self._anchors: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in anchors.items()}
        self._set_apart_contained(contained_apart)
        self.vocabulary: frozenset[str] = frozenset(self._heavy) | frozenset(self._light)
        # Fuzzy look-up over single tokens (pairs are joined split words and only ever match
        # exactly), and over the other spellings of the canonical words the names use
        # ("holding" for "holdings", see token_similarity).
        tokens = {t for name in self.names for t in name}
        self._tokens = _EditNeighbours(tokens)
        self._sorted_tokens: tuple[str, ...] = tuple(sorted(tokens))
        self._spelling_of: dict[str, str] = {
            spelling: word for word in tokens for spelling in SPELLINGS.get(word, ())
        }
        self._spellings = _EditNeighbours(self._spelling_of)
        # Tokens by skeleton: romanisations of one name that only their vowels tell apart.
        skeletons: dict[str, list[str]] = defaultdict(list)
        for token in tokens:
            if key_ := skeleton(token):
                skeletons[key_].append(token)
        self._skeletons: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in skeletons.items()}
        self.similar = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._similar)
        self.cut_from = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._cut_from)
        #: A token's weight, cached: queries ask for the same tokens' weights again and again.
        self.weight = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self.weights.weight)

    def _set_apart_contained(self, shortest: int) -> None:
        """Keep apart, for each heavy posting of ``shortest`` names or more, the names its unit
        may hold whole.

        A name can be contained through a heavy unit alone only if that unit carries all its
        heavy weight (as much as the unit weighs in any name, ``name_part``), so that its
        light words make up the rest. Three lists, sorted like the posting: names with
        neither light words nor initials (*plain*: their score is bounded by that one
        match's similarity), names that need no light word matched (the others of those),
        and names that need one of their light units found.
        """
        containable, initialled = self._containable, self._initialled
        totals, light_weight = self._bound_totals, self._light_weight
        self._apart: dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = {}
        self._apart_from = shortest
        for text, numbers in self._heavy.items():
            if len(numbers) < shortest:
                continue
            name_part = self._heavy_weight[text]
            plain: list[int] = []
            whole: list[int] = []
            with_light: list[int] = []
            for number in numbers:
                if not containable[number]:
                    continue
                light_n = light_weight[number]
                short = totals[number] - _EPSILON - name_part  # what light words must add
                if short <= 0.0:
                    if light_n or number in initialled:
                        whole.append(number)
                    else:
                        plain.append(number)
                elif short <= light_n:
                    with_light.append(number)
            self._apart[text] = (tuple(plain), tuple(whole), tuple(with_light))

    def _past_cut(
        self, word: str, cut: float, light_signature: int, *, plain: bool, query_inside: bool
    ) -> tuple[int, ...]:
        """The names of ``word``'s posting past ``cut`` (their key) that it may still lift to
        the threshold, by containment, for a posting long enough to keep them apart (see
        :data:`CONTAINED_APART`; the caller reads shorter ones on).

        Those are the names the unit holds whole but for light words the query found (by
        signature), and, when ``query_inside`` (the query may stand inside a name holding
        this unit and light units of the query), every name with a light unit the query
        found. Plain names are left out unless ``plain``. The caller leaves them out when the
        word was found with a similarity ``s`` such that ``CONTAINMENT_SCORE * s`` falls short
        of the threshold and the query has no initials: aligned only through this word, each
        of their words at no more than ``s``, such names are bounded below the threshold by
        :func:`~partyscreen.scoring.similarity_bound`, contained or not (the symmetric bound
        failed at the cut). Another query unit that finds the word more closely reads them.
        """
        plain_names, whole, with_light = self._apart[word]
        key = self._keys.__getitem__
        signatures = self._light_signatures
        if query_inside:
            heavy = self._heavy[word]
            found = tuple(
                number
                for number in heavy[bisect_right(heavy, cut, key=key) :]
                if signatures[number] & light_signature
            )
            # (The names needing a light unit found are among those; the others not yet.)
            found += tuple(
                number
                for number in whole[bisect_right(whole, cut, key=key) :]
                if not signatures[number] & light_signature
            )
        else:
            found = whole[bisect_right(whole, cut, key=key) :]
            if with_light and light_signature:
                found += tuple(
                    number
                    for number in with_light[bisect_right(with_light, cut, key=key) :]
                    if signatures[number] & light_signature
                )
        if plain and plain_names:
            found += plain_names[bisect_right(plain_names, cut, key=key) :]
        return found

    def __len__(self) -> int:
        return len(self.names)

    def _is_light(self, token: str) -> bool:
        return (
            self.weights.weight(token) <= GENERIC_WEIGHT
            or self.weights.doc_freq.get(token, 0) >= self.common_names
        )

    def _similar(self, unit: str) -> tuple[tuple[str, int, float], ...]:
        """Vocabulary words ``unit`` may match: (word, distance, similarity).

        Exact matches of any unit; for a single token, also the tokens within max_edits, those
        with its skeleton (:func:`~partyscreen.scoring.skeleton`), and those within max_edits
        of another spelling (:data:`~partyscreen.vocabulary.SPELLINGS`) of one or the other.
        """
        found: dict[str, tuple[str, int, float]] = {}
        if unit in self.vocabulary:
            found[unit] = (unit, 0, 1.0)
        key = skeleton(unit)
        if key:
            for word in self._skeletons.get(key, ()):
                if word != unit:
                    found[word] = (word, OSA.distance(unit, word), token_similarity(unit, word))
        if max_edits(len(unit)) == 0 or (
            len(unit) == TWO_LETTER_WORD and unit in self.weights.doc_freq
        ):
            return tuple(found.values())  # (a listed two-letter word: see typo_may_count)
        # (Both look-ups take the same deletion keys, built once if either needs them.)
        keyed = self._tokens.needs_keys(unit) or self._spellings.needs_keys(unit)
        keys = _keys(unit) if keyed else None
        for word, d in self._tokens.near(unit, keys).items():
            if word not in found:
                alike = same_start(unit, word)
                sim = edit_similarity(d, max(len(unit), len(word)), alike_start=alike)
                found[word] = (word, d, sim)
        # Other spellings (see token_similarity): the unit may misspell a spelling of a word
        # the names use ("tolding", "holdings"), or be a word whose spellings a name misspells.
        spelt = {self._spelling_of[s] for s in self._spellings.near(unit, keys)}
        for spelling in SPELLINGS.get(unit, ()):
            spelt.update(self._tokens.near(spelling))
        for word in spelt | (found.keys() & SPELLINGS.keys()):
            sim = token_similarity(unit, word)
            if sim > 0.0:
                found[word] = (word, found[word][1] if word in found else 1, sim)
        return tuple(
            hit
            for hit in found.values()
            if hit[2] == 1.0 or typo_may_count(unit, hit[0], self.weights)
        )

    def _cut_from(self, word: str) -> tuple[tuple[str, int, float], ...]:
        """The listed words that ``word`` may have been cut from (see
        :func:`~partyscreen.scoring.is_cut_from`), found among the sorted words it begins."""
        tokens = self._sorted_tokens
        found = []
        for i in range(bisect_left(tokens, word), len(tokens)):
            token = tokens[i]
            if not token.startswith(word):
                break
            if is_cut_from(word, token, self.weights):
                found.append((token, _CUT_DISTANCE, CUT_SIMILARITY))
        return tuple(found)

    def _exact(self, unit: str) -> tuple[tuple[str, int, float], ...]:
        """The vocabulary word ``unit`` itself, if any: pairs match only so."""
        return ((unit, 0, 1.0),) if unit in self.vocabulary else ()

    @staticmethod
    def _light_cutoff(lift: float, heavy_q: float, light_max: float, threshold: float) -> float:
        """Largest key a name may have and still reach ``threshold`` through light units.

        Such a name, of light weight ``L`` and heavy weight ``H`` (all unmatched), against a
        query whose light-matched part weighs at most ``light_q`` and whose other words
        weigh ``heavy_q``, has a symmetric score of at most
        ``(light_q + L) / (light_q + heavy_q + L + H)``. That reaches ``t`` only if
        ``H - r * L <= r * light_q - heavy_q`` with ``r = (1 - t) / t``: ``lift`` is
        ``r * light_q``, or less where the light words were found with typos (see
        :meth:`candidates`). The postings are sorted by ``H - r0 * L`` for ``r0`` at
        :data:`KEY_THRESHOLD`; for ``r <= r0`` the same cut holds, for ``r > r0`` it is
        widened by ``(r - r0) * light_max``, the largest ``L`` in the posting list.
        (Containment needs the name or the query matched whole; the caller covers those
        apart.)
        """
        r = (1 - threshold) / threshold
        r0 = (1 - KEY_THRESHOLD) / KEY_THRESHOLD
        return lift - heavy_q + max(0.0, r - r0) * light_max + _EPSILON

    def _heavy_widening(self, threshold: float) -> float:
        """What the cut of a heavy unit's posting adds to ``matched_over_slack / threshold``:
        the cut is the largest key a name in the posting may have and still reach
        ``threshold`` through that unit alone (and its light units); the same for every
        posting of a query.

        Such a name, of light weight ``L``, heavy weight ``H`` and initials' gain ``g`` (its
        bound total ``H + L - g / k0`` and key ``H - r0 * L - g / k0``, for ``k0`` at
        :data:`KEY_THRESHOLD` and ``r0 = (1 - k0) / k0``), matched through the unit for at most
        what it weighs in any name (``name_part``) and its part of the query, and through light
        units for at most the query's light part and ``L``, passes the symmetric bound of
        :meth:`candidates` only if the sum of those parts, less the query's slack
        (``matched_over_slack``), is at least ``threshold * (H + L - g / k0) - L``, that is
        ``threshold * (key + (r0 - r) * L)`` with ``r = (1 - threshold) / threshold``. For
        ``r > r0`` the cut widens by ``(r - r0)`` times the most any name's light words weigh.
        (A name is contained only if ``H - g / k0 <= name_part``, and its key is at most that:
        the caller widens the cut so far when containment counts. The query may stand inside
        a name whatever its key: the caller reads such postings whole.) A name beyond the cut
        reaches the threshold only through another posting as well.
        """
        r = (1 - threshold) / threshold
        r0 = (1 - KEY_THRESHOLD) / KEY_THRESHOLD
        return max(0.0, r - r0) * self._light_weight_max

    def candidates(
        self,
        query: Sequence[str],
        *,
        threshold: float = 0.0,
        query_weights: Sequence[float] | None = None,
    ) -> dict[int, list[Alignment]]:
        """Every name that can score ``threshold`` or more, with all its unit alignments.

        With ``threshold`` 0 that is every name sharing a unit with the query; above 0, names
        whose :func:`~partyscreen.scoring.upper_bound` or (without initials)
        :func:`~partyscreen.scoring.similarity_bound` falls below it are left out.
        ``query_weights`` may be given when already known (they must be
        ``self.weights.weights_of(query)``).
        """
        query_units = units(query)
        matches = [
            self.similar(text) if qe - qs == 1 or PAIR_MAX_EDITS else self._exact(text)
            for qs, qe, text in query_units
        ]
        if len(query) >= 2 and may_be_cut(query[-1], self.weights):
            # The last word may be cut short (its single unit is the last of the singles).
            matches[len(query) - 1] += self.cut_from(query[-1])
        weight = self.weight
        q_weights = (
            query_weights if query_weights is not None else self.weights.weights_of(query, weight)
        )
        # What each query token can weigh when matched to a light unit: in a single-token
        # match, no more than the light word (a misspelt word weighs what the word it stands
        # for weighs); in a match through a pair, its own weight.
        light_part = [0.0] * len(query)
        matched_light = [False] * len(query)
        # Each query token's best similarity to a light word, and whether one of those is an
        # ordinary word (the score may cap the token's weight).
        light_sims = [0.0] * len(query)
        light_ordinary = [False] * len(query)
        light_max = 0.0
        light_found: set[str] = set()
        light_cover: dict[str, int] = defaultdict(int)  # the query tokens each light word covers
        for (qs, qe, _), found in zip(query_units, matches, strict=True):
            for word, dist, sim in found:
                if word not in self._light or (qe - qs == 2 and dist > PAIR_MAX_EDITS):
                    continue
                light_max = max(light_max, self._light[word][2])
                light_found.add(word)
                light_cover[word] |= (1 << qe) - (1 << qs)
                whole = qe - qs == 2 or word in self._light_pairs
                ordinary = word in ORDINARY_WORDS
                for i in range(qs, qe):
                    matched_light[i] = True
                    part = q_weights[i] if whole else min(q_weights[i], weight(word))
                    light_part[i] = max(light_part[i], part)
                    light_sims[i] = max(light_sims[i], sim)
                    light_ordinary[i] = light_ordinary[i] or ordinary
        light_q = sum(light_part)
        heavy_q = sum(w for w, m in zip(q_weights, matched_light, strict=True) if not m)
        query_total = sum(q_weights)
        # The least the query can weigh once scored: a misspelt word takes the weight of the
        # word it is matched to, when that is lower.
        lowest = list(q_weights)
        for (qs, qe, _), found in zip(query_units, matches, strict=True):
            if qe - qs == 1:
                for word, _, _ in found:
                    lowest[qs] = min(lowest[qs], weight(word))
        query_least = sum(lowest)
        pruning = threshold > 0.0
        contained = pruning and threshold <= CONTAINMENT_SCORE
        # The query may stand whole inside a name it reaches only through light units beyond
        # the cut when every query word has a light match; otherwise such a name holds a
        # heavy unit of the query and is bounded with the others below.
        # Whether the query can count as contained in a name, and a name in the query.
        query_inside = contained and query_can_stand_inside(query, q_weights)
        # The query's initials ("V." in "V. Putin") are never looked up: they only add to the
        # names found otherwise, at most their own weight on each side (see
        # scoring.INITIAL_SIMILARITY). Every bound below allows for that gain.
        initials = [i for i, t in enumerate(query) if is_initial(t)]
        containable = self._containable
        # (An initial needs no light match: any word with its letter matches it.)
        whole_query = query_inside and (
            heavy_q == 0.0
            or all(m or is_initial(t) for t, m in zip(query, matched_light, strict=True))
        )
        # One cut for every light unit of this query, so that a name inside it is reached
        # through all the light units it shares with the query. A name reached through
        # light units alone, without initials, has each query token at no more than its best
        # light similarity s, weighing between the least it may weigh (the lowest of its
        # words found, capped where ordinary) and its light part: its term of the symmetric
        # score less the threshold, (s - t) * weight, is at most what it is at one of those.
        # Names with initials keep the cut of whole matches (their alignments are weighed
        # apart), and are read on to it.
        # Each query token's part of that lift, for the cut of each light word (below).
        cutoff = cutoff_initialled = 0.0
        lifts: list[float] = []
        if pruning:
            lift = (1 - threshold) / threshold * light_q
            lifts = [(1 - threshold) / threshold * part for part in light_part]
            cutoff = cutoff_initialled = self._light_cutoff(lift, heavy_q, light_max, threshold)
            if not initials and any(
                m and s < 1.0 for m, s in zip(matched_light, light_sims, strict=True)
            ):
                lift = 0.0
                for i, m in enumerate(matched_light):
                    if not m:
                        continue
                    s = light_sims[i]
                    if s >= threshold:
                        term = (s - threshold) * light_part[i]
                    elif light_ordinary[i] or query[i] in ORDINARY_WORDS:
                        term = (s - threshold) * min(lowest[i], COMMON_WORD_WEIGHT)
                    else:
                        term = (s - threshold) * lowest[i]
                    lift += term
                    lifts[i] = term / threshold
                cutoff = self._light_cutoff(lift / threshold, heavy_q, light_max, threshold)
        initial_mask = sum(1 << i for i in initials)
        initial_weight = sum(q_weights[i] for i in initials)
        gain = INITIAL_SIMILARITY * initial_weight
        # A name's own initials: its key and bound total allow for their gain at
        # KEY_THRESHOLD; a lower threshold needs more.
        listed_gain = self._initial_gain_max * max(0.0, 1.0 - threshold / KEY_THRESHOLD)
        # What the initials, the query's (on both sides) and the names', widen every light cut.
        widen = (2 * gain + listed_gain) / threshold if pruning else 0.0
        cutoff += widen
        cutoff_initialled += widen
        # A name without initials reached through one light word alone matches only the
        # query tokens that word covers; the others, unmatched, take from its score (their
        # terms above are at most 0 then). So each light word has its own cut, for the names
        # its posting lifts alone, no further than the one cut; the rest of the posting, to
        # that cut, is a tail, read for the names another posting holds too (as the heavy
        # tails below). Names with initials are read on to the one cut, as before.
        light_cuts: dict[str, float] = {}
        if pruning:
            covered = 0  # the tokens any light word covers
            for cover in light_cover.values():
                covered |= cover
            for word, cover in light_cover.items():
                if cover == covered:  # (its own cut is the one cut)
                    light_cuts[word] = cutoff
                    continue
                lift_w = sum(lifts[i] for i in range(len(query)) if cover >> i & 1)
                cut_w = self._light_cutoff(lift_w, heavy_q, self._light[word][2], threshold)
                light_cuts[word] = min(cutoff, cut_w + widen)

        light_weight, totals, name_keys = self._light_weight, self._bound_totals, self._keys
        query_whole = query_least - _EPSILON - initial_weight  # initials aligned count whole
        # The symmetric bound reaches the threshold when matched >= slack + threshold * total.
        slack = threshold * query_least - _EPSILON - 2 * gain - listed_gain

        heavy_widen = self._heavy_widening(threshold) if pruning else 0.0
        chosen: set[int] = set()  # names to align and bound in full
        anchored: set[int] = set()  # names that may stand whole inside the query
        initialled_heavy, light_initialled = self._initialled_heavy, self._light_initialled
        light_signature = 0  # the light units found, for _past_cut
        apart_from = self._apart_from
        for word in light_found:
            light_signature |= self._light_bits[word]
        # Names reached through heavy units or light units within the cut, with bounds on the
        # weight matched in the query and in the name: each unit found adds what it can weigh
        # in the query and the most it weighs in a name; and the same at the similarity it
        # was found with, as similarity_bound counts it (whole where the score may count it
        # whole: a match of an ordinary word; and for all, when the query has initials).
        reached: dict[int, list[float]] = {}  # [in the query, in the name, the same weighed]
        # The postings read, each with what it adds in the query and in a name, unweighed and
        # weighed.
        postings: list[tuple[Sequence[int], float, float, float, float]] = []
        # The rest of each heavy posting: names that cannot reach the threshold through that
        # unit alone, read only for the names found in another posting too (but for those
        # read apart, as _past_cut gives them).
        tails: list[tuple[Sequence[int], float, float, float, float, set[int] | None]] = []
        weigh = not initials  # (with initials, the mask bound alone applies: see below)
        by_word: dict[str, list[tuple[int, int, int, float, bool]]] = defaultdict(list)
        # For whole_query: which query tokens each word found covers, and the names of each.
        covers: dict[str, int] = defaultdict(int)
        per_token: list[list[tuple[int, ...]]] = [[] for _ in query] if whole_query else []
        for (qs, qe, q_text), found in zip(query_units, matches, strict=True):
            query_part = sum(q_weights[qs:qe])
            ordinary = q_text in ORDINARY_WORDS
            for word, dist, sim in found:
                if qe - qs == 2 and dist > PAIR_MAX_EDITS:
                    continue  # a pair read as one word only matches exactly
                factor = (
                    sim
                    if weigh and sim < 1.0 and not ordinary and word not in ORDINARY_WORDS
                    else 1.0
                )
                short = dist > 0 and qe - qs == 1 and typo_needs_support(query[qs], word)
                by_word[word].append((qs, qe, dist, sim, short))
                heavy = self._heavy.get(word, ())
                light = self._light.get(word)
                if whole_query:
                    covers[word] |= (1 << qe) - (1 << qs)
                    for i in range(qs, qe):
                        per_token[i].append(heavy)
                        if light is not None:
                            per_token[i].append(light[1])
                if not pruning:
                    chosen.update(heavy)
                    if light is not None:
                        chosen.update(light[1])
                    continue
                if heavy:
                    name_part = self._heavy_weight[word]
                    parts = (query_part, name_part, factor * query_part, factor * name_part)
                    read_apart: set[int] | None = None
                    # Past the cut only containment can lift a name through this unit alone:
                    # the query's, if it may stand inside names holding the unit and light
                    # units (if the unit alone covers it, inside any of them), or the name's.
                    query_in = query_inside and query_part + light_q >= query_whole
                    if query_in and sim < 1.0 and not initials and len(heavy) >= apart_from:
                        # Without initials, the query stands inside a name holding this
                        # unit, found with a typo, at no more than the unit's similarity (or
                        # a light word's, if better: a name matching it better through a
                        # heavy unit is read there), the rest of the query counted whole
                        # (scoring.query_containment_bound). (A short posting is read on to
                        # the names' containment cut anyway: reading it whole costs less.)
                        sims = [1.0] * len(query)
                        least = list(q_weights)
                        for i in range(qs, qe):
                            sims[i] = max(sim, light_sims[i])
                            ordinary_i = query[i] in ORDINARY_WORDS or any(
                                w in ORDINARY_WORDS for w, _, _ in matches[i]
                            )
                            least[i] = (
                                min(lowest[i], COMMON_WORD_WEIGHT) if ordinary_i else lowest[i]
                            )
                        bound = query_containment_bound(q_weights, least, sims)
                        query_in = bound >= threshold - _EPSILON
                    # The symmetric bound: names without initials are chosen on the sums
                    # weighed by similarity; those with initials on the sums unweighed, so
                    # they are read on to the cut of those (see below). The cut is what is
                    # matched over the slack, over the threshold, widened (_heavy_widening).
                    matched_here = query_part + name_part
                    cut = (factor * matched_here + light_q - slack) / threshold + heavy_widen
                    initialled_cut = (
                        (matched_here + light_q - slack) / threshold + heavy_widen
                        if factor < 1.0 and word in initialled_heavy
                        else None
                    )
                    if query_in and (query_part >= query_whole or len(heavy) < apart_from):
                        split = len(heavy)
                    elif len(heavy) < apart_from:  # a short posting: read on as far as it may
                        if contained:
                            cut = max(cut, name_part + _EPSILON)
                        split = bisect_right(heavy, cut, key=name_keys.__getitem__)
                    else:
                        split = bisect_right(heavy, cut, key=name_keys.__getitem__)
                        if split < len(heavy) and (
                            query_in or (contained and cut < name_part + _EPSILON)
                        ):
                            apart = self._past_cut(
                                word,
                                cut,
                                light_signature,
                                plain=bool(initials)
                                or CONTAINMENT_SCORE * sim >= threshold - _EPSILON,
                                query_inside=query_in,
                            )
                            if apart:
                                postings.append((apart, *parts))
                                read_apart = set(apart)
                    if initialled_cut is not None and initialled_cut > cut and split < len(heavy):
                        held = initialled_heavy[word]
                        past = held[
                            bisect_right(held, cut, key=name_keys.__getitem__) : bisect_right(
                                held, initialled_cut, key=name_keys.__getitem__
                            )
                        ]
                        if read_apart:
                            past = tuple(n for n in past if n not in read_apart)
                        if past:
                            postings.append((past, *parts))
                            read_apart = set(past) if read_apart is None else read_apart | set(past)
                    postings.append((heavy[:split], *parts))
                    if split < len(heavy):
                        tails.append((heavy[split:], *parts, read_apart))
                if light is None:
                    continue
                if qe - qs == 1 and word not in self._light_pairs:
                    part = min(query_part, weight(word))
                else:
                    part = query_part
                keys, numbers, _ = light
                name_part = self._light_unit_weight[word]
                parts = (part, name_part, factor * part, factor * name_part)
                end = bisect_right(keys, cutoff)
                cut_w = light_cuts[word]
                split = bisect_right(keys, cut_w, 0, end) if cut_w < cutoff else end
                postings.append((numbers[:split], *parts))
                if split < end:
                    held_apart: set[int] | None = None
                    if word in light_initialled:
                        held_keys, held = light_initialled[word]
                        past = held[
                            bisect_right(held_keys, cut_w) : bisect_right(held_keys, cutoff)
                        ]
                        if past:
                            postings.append((past, *parts))
                            held_apart = set(past)
                    tails.append((numbers[split:end], *parts, held_apart))
                if cutoff_initialled > cutoff and word in light_initialled:
                    held_keys, held = light_initialled[word]
                    start = bisect_right(held_keys, cutoff)
                    postings.append(
                        (held[start : bisect_right(held_keys, cutoff_initialled)], *parts)
                    )
                if contained:
                    anchored.update(self._anchors.get(word, ()))
        initialled, signatures = self._initialled, self._light_signatures
        units_of = self._units
        for number in anchored:
            # A name of light words alone may stand whole inside the query only if the words
            # found cover it (its alignments below are built from them; initials, on either
            # side, may cover it too). Otherwise it is bounded like any other name reached.
            if not initials and number not in initialled:
                mask = 0
                for cs, ce, text in units_of[number]:
                    if text in by_word:
                        mask |= (1 << ce) - (1 << cs)
                if mask != (1 << len(self.names[number])) - 1:
                    continue
            chosen.add(number)
        get = reached.get
        for numbers_read, part, name_part, part_w, name_part_w in postings:
            for number in numbers_read:
                acc = get(number)
                if acc is None:
                    reached[number] = [part, name_part, part_w, name_part_w]
                else:
                    acc[0] += part
                    acc[1] += name_part
                    acc[2] += part_w
                    acc[3] += name_part_w
        if tails:
            # A name in a tail needs another posting: one read above, or another tail. (Set
            # operations, at C speed: most names of the tails are in no other posting.)
            seen: set[int] = set()
            again: set[int] = set()
            for numbers_read, *_ in tails:
                again.update(seen.intersection(numbers_read))
                seen.update(numbers_read)
            again.update(reached.keys() & seen)
            # A name twice in one posting gets what two postings give (the cut assumes one),
            # and is added twice, as the postings read above add it.
            twice = self._doubled.intersection(seen)
            again.update(twice)
            if again:
                for numbers_read, part, name_part, part_w, name_part_w, read_apart in tails:
                    mine = again.intersection(numbers_read)
                    if read_apart:
                        mine -= read_apart  # (added with the postings read)
                    for number in mine:
                        times = numbers_read.count(number) if twice and number in twice else 1
                        acc = get(number)
                        if acc is None:
                            reached[number] = [
                                part * times,
                                name_part * times,
                                part_w * times,
                                name_part_w * times,
                            ]
                        else:
                            acc[0] += part * times
                            acc[1] += name_part * times
                            acc[2] += part_w * times
                            acc[3] += name_part_w * times
        if per_token:
            # Names holding every query word: the query may stand whole inside them. They are
            # among the names of the query word with the fewest; keep those that cover all.
            # An initial is matched by any word with its letter, so it narrows nothing.
            everything = (1 << len(query)) - 1
            lookable = [per_token[i] for i in range(len(query)) if not initial_mask >> i & 1]
            fewest = min(lookable, key=lambda lists: sum(map(len, lists))) if lookable else []
            for number in {n for names in fewest for n in names}:
                mask = 0
                for _, _, text in self._units[number]:
                    mask |= covers.get(text, 0)
                if mask | initial_mask == everything:
                    chosen.add(number)
        # A name beyond the cut reached through heavy units may also match light ones: up to
        # all its light weight and the query's light part; only when that could be enough are
        # its light units looked at. A side matched whole (containment) has matched at least
        # what it weighs.
        for number, (matched, matched_name, matched_w, matched_name_w) in reached.items():
            if number in chosen:
                continue
            name_total = totals[number]
            light_n = light_weight[number]
            key = name_keys[number]
            # (Names with initials were read on to their own cut.)
            if key > cutoff and light_n and (key > cutoff_initialled or number not in initialled):
                if not (
                    (
                        contained
                        and containable[number]
                        and matched_name + light_n >= name_total - _EPSILON
                    )
                    or (query_inside and matched + light_q >= query_whole)
                    or matched + light_q + matched_name + light_n >= slack + threshold * name_total
                ):
                    continue
                # Its light units were not read: weigh those the query found, if any (none,
                # when its signature and the query's share no bit).
                if signatures[number] & light_signature:
                    weights = self.name_weights[number]
                    extra = 0.0
                    for start, end, text in self._units[number]:
                        if text in light_found:
                            extra += (
                                weights[start]
                                if end - start == 1
                                else weights[start] + weights[start + 1]
                            )
                    if extra:
                        matched += light_q
                        matched_name += extra
                        matched_w += light_q
                        matched_name_w += extra
            if weigh and number not in initialled:
                # Without initials on either side the score is bounded by similarity_bound,
                # which the weighed sums bound: the name contained counts its coverage at the
                # similarities, and the symmetric score its words at theirs.
                if (
                    (
                        contained
                        and containable[number]
                        and matched_name >= name_total - _EPSILON
                        and CONTAINMENT_SCORE * matched_name_w
                        >= (threshold - _EPSILON) * name_total
                    )
                    or (query_inside and matched >= query_whole)
                    or matched_w + matched_name_w >= slack + threshold * name_total
                ):
                    chosen.add(number)
            elif (
                (contained and containable[number] and matched_name >= name_total - _EPSILON)
                or (query_inside and matched >= query_whole)
                or matched + matched_name >= slack + threshold * name_total
            ):
                chosen.add(number)

        out: dict[int, list[Alignment]] = {}
        name_weights, totals = self.name_weights, self.name_totals
        whole_q = (1 << len(query)) - 1
        for number in chosen:
            found_here: list[Alignment] = []
            q_seen = n_seen = 0  # the query and name tokens aligned, as bit masks
            short_typos = False
            for cs, ce, text in units_of[number]:
                hits = by_word.get(text)
                if hits is None:
                    continue
                c_pair = ce - cs == 2
                for qs, qe, dist, sim, short in hits:
                    q_pair = qe - qs == 2
                    if q_pair and c_pair:
                        continue
                    if (q_pair or c_pair) and dist > PAIR_MAX_EDITS:
                        continue
                    found_here.append((qs, qe, cs, ce, sim))
                    q_seen |= (1 << qe) - (1 << qs)
                    n_seen |= (1 << ce) - (1 << cs)
                    short_typos = short_typos or short
            if not found_here:
                continue
            if initials or number in initialled:
                # Never evidence alone, so looked at only here; short typos need support.
                for alignment in initial_alignments(query, self.names[number]):
                    found_here.append(alignment)
                    q_seen |= 1 << alignment[0]
                    n_seen |= 1 << alignment[2]
                    short_typos = True
            if pruning and short_typos:
                # The scorer leaves out typos of short words that nothing supports (see
                # scoring.supported); so may the bound. Unpruned, every shared unit is kept.
                kept = supported(query, self.names[number], found_here, name_weights[number])
                if kept is not found_here:
                    if not kept:
                        continue
                    found_here = list(kept)
                    q_seen = n_seen = 0
                    for qs, qe, cs, ce, _ in found_here:
                        q_seen |= (1 << qe) - (1 << qs)
                        n_seen |= (1 << ce) - (1 << cs)
            if pruning:
                # upper_bound(), from the masks: what is aligned on each side over all of both.
                weights = name_weights[number]
                whole_n = (1 << len(weights)) - 1
                if not (
                    (query_inside and q_seen == whole_q)
                    or (contained and containable[number] and n_seen == whole_n)
                ):
                    a = b = unmatched = 0.0
                    for i, w in enumerate(q_weights):
                        if q_seen >> i & 1:
                            a += w
                        else:
                            unmatched += w if w > CONFLICT_WEIGHT else CONFLICT_WEIGHT
                    for j, w in enumerate(weights):
                        if n_seen >> j & 1:
                            b += w
                        else:
                            unmatched += w if w > CONFLICT_WEIGHT else CONFLICT_WEIGHT
                    if min(1.0, (a + b) / (query_total + totals[number])) < threshold:
                        continue
                    # Words unmatched on both sides contradict each other: each weighs at
                    # least CONFLICT_WEIGHT in the score's denominator (see score_alignment).
                    if (
                        q_seen != whole_q
                        and n_seen != whole_n
                        and (a + b) / (a + b + unmatched) < threshold - _EPSILON
                    ):
                        continue
                # Closer: each word at its best similarity, containment at its coverage
                # (similarity_bound), where no initial's alignment is weighed apart. With every
                # alignment exact it adds little (its symmetric bound is the one above; only
                # its rules for containment could drop a name) for what it costs: not used.
                if (
                    not (initials or number in initialled)
                    and min(map(_SIMILARITY, found_here)) < 1.0
                    and similarity_bound(
                        query,
                        self.names[number],
                        found_here,
                        q_weights,
                        weights,
                        query_inside=query_inside,
                        name_inside=contained and containable[number],
                    )
                    < threshold - _EPSILON
                ):
                    continue
            out[number] = found_here
        return out
