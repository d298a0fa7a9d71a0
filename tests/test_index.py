"""The candidate index: never loses a name that can reach the threshold.

The index prunes with bounds (light units read only as far as a cut, and past their own
word's cut, like heavy units past theirs, only for names another unit finds; units summed
before any alignment is built, anchors for names made of light words, names holding every
query word). On the real lists
most words are heavy; here ``common_names`` is set low so that many words are light and every
pruning path is taken on small random lists.
"""

from __future__ import annotations

import random
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from partyscreen.index import (
    CONTAINED_APART,
    SCAN_WORDS_MAX,
    NameIndex,
    _deletions,
    _deletions2,
    _EditNeighbours,
    _keys,
)
from partyscreen.normalize import normalize_name
from partyscreen.scoring import (
    align,
    max_edits,
    score_alignment,
    token_similarity,
    typo_may_count,
)
from partyscreen.vocabulary import ORDINARY_WORDS
from tests.strategies import names

THRESHOLDS = [0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0]

#: Words that no word of the letters a to e comes near (none of their letters: a distance of
#: the longer one's length, more than max_edits allows at any length), enough of them that a
#: fuzzy look-up among them builds deletion keys instead of scanning.
FAR_WORDS = ["".join(letters) for letters in product("vwxyz", repeat=4)][: SCAN_WORDS_MAX + 1]


def tokens(name: str) -> tuple[str, ...]:
    return normalize_name(name).tokens


def scores(index: NameIndex, query: tuple[str, ...], threshold: float) -> dict[int, float]:
    return {
        number: score_alignment(
            query, index.names[number], al, index.weights, name_weights=index.name_weights[number]
        ).score
        for number, al in index.candidates(query, threshold=threshold).items()
    }


def brute_force(index: NameIndex, query: tuple[str, ...]) -> dict[int, float]:
    out = {}
    for number, name in enumerate(index.names):
        alignments = align(query, name, index.weights)
        if alignments:
            out[number] = score_alignment(query, name, alignments, index.weights).score
    return out


def mixed_query(rng: random.Random, listed: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Words from one or two listed names, sometimes misspelt, re-voweled, dropped, shuffled
    or glued."""
    words = list(rng.choice(listed))
    if rng.random() < 0.5:
        other = rng.choice(listed)
        words += rng.sample(other, rng.randint(0, len(other)))
    out = []
    for w in words:
        roll = rng.random()
        if roll < 0.15 and len(w) > 3:
            i = rng.randrange(len(w))
            w = w[:i] + w[i + 1 :]
        elif roll < 0.25:
            continue
        elif roll < 0.35:
            # Other vowels, or none: another romanisation, matched by its consonant skeleton.
            w = "".join(rng.choice(["", "a", "ou", "y"]) if c in "aeiouy" else c for c in w) or w
        out.append(w)
    if rng.random() < 0.3:
        rng.shuffle(out)
    if len(out) > 1 and rng.random() < 0.2:
        out[0:2] = [out[0] + out[1]]
    return tuple(out) or listed[0]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(names, min_size=1, max_size=30),
    st.sampled_from([1, 2, 3, 4, 50]),
    st.sampled_from([1, 2, CONTAINED_APART]),
    st.randoms(use_true_random=False),
)
def test_pruned_candidates_keep_every_name_at_or_above_the_threshold(
    listed_names: list[str], common: int, apart: int, rng: random.Random
) -> None:
    listed = [t for t in (tokens(n) for n in listed_names) if t]
    if not listed:
        return
    index = NameIndex(listed, common_names=common, contained_apart=apart)
    for _ in range(5):
        query = mixed_query(rng, listed)
        expected = brute_force(index, query)
        assert set(index.candidates(query)) == set(expected)
        for threshold in THRESHOLDS:
            pruned = scores(index, query, threshold)
            for number, score in expected.items():
                if score >= threshold:
                    assert number in pruned, (query, index.names[number], score, threshold)
                    assert pruned[number] == pytest.approx(score)


#: Short words, ordinary and not: one letter off, a four-letter word is found at 0.7, below
#: the review threshold; names of a few of them share most words, which a small
#: ``common_names`` makes light.
_SHORT_WORDS = ["bank", "star", "zone", "gold", "tech", "kar", "vol", "zorb", "mirt", "alba"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_SHORT_WORDS), min_size=1, max_size=4), min_size=2, max_size=40
    ),
    st.sampled_from([2, 3, 5, 50]),
    st.randoms(use_true_random=False),
)
def test_names_of_light_words_misspelt_are_kept_at_or_above_the_threshold(
    listed: list[list[str]], common: int, rng: random.Random
) -> None:
    # Light words found with typos lift a name less than they would exactly (the index cuts
    # their postings at their similarities); every name the score lifts is still found.
    index = NameIndex([tuple(dict.fromkeys(name)) for name in listed], common_names=common)
    for _ in range(5):
        words = list(rng.choice(listed)) + rng.sample(_SHORT_WORDS, rng.randint(0, 2))
        query = []
        for w in words:
            roll = rng.random()
            if roll < 0.3:
                i = rng.randrange(len(w))
                w = w[:i] + w[i + 1 :]
            elif roll < 0.5:
                i = rng.randrange(len(w))
                w = w[:i] + rng.choice("aeioubdkx") + w[i + 1 :]
            elif roll < 0.6 and len(w) > 1:
                w = w[0]  # an initial
            query.append(w)
        query_tokens = tuple(dict.fromkeys(query))
        expected = brute_force(index, query_tokens)
        for threshold in THRESHOLDS:
            pruned = scores(index, query_tokens, threshold)
            for number, score in expected.items():
                if score >= threshold:
                    assert number in pruned, (query_tokens, index.names[number], score, threshold)


def test_common_person_tokens_are_cut_but_a_real_hit_is_kept() -> None:
    # "al" in many names: a query sharing only "al" with them reads none of them in full.
    listed = [("al", f"name{i:03d}x", "trading") for i in range(120)]
    listed.append(("al", "khalidi", "faisal"))
    index = NameIndex(listed, common_names=50)
    found = index.candidates(("al", "khalidi", "faisal"), threshold=0.75)
    assert set(found) == {120}


def test_a_name_two_distinctive_words_lift_is_kept_and_one_alone_cannot_lift_is_not() -> None:
    # Neither "alpha" nor "beta" alone lifts a name of three distinctive words to 0.75 (it is
    # beyond the cut of each heavy posting); together they do ("alpha gamma beta": 0.8; not
    # side by side, so that the pair "alphabeta" does not find it), while "alpha kappa sigma",
    # found through "alpha" alone, is never bounded in full.
    listed = [("alpha", "gamma", "beta"), ("alpha", "kappa", "sigma")]
    listed += [(f"filler{i:03d}", "company") for i in range(100)]
    index = NameIndex(listed)
    query = ("alpha", "beta")
    found = index.candidates(query, threshold=0.75)
    assert set(found) == {0}
    assert scores(index, query, 0.75)[0] == pytest.approx(0.8)
    assert brute_force(index, query)[1] < 0.75
    assert {0, 1} <= set(index.candidates(query, threshold=0.0))


def test_a_name_whose_pair_spells_its_own_word_is_kept() -> None:
    # "a bb" read as one word is "abb", as is its third word: the query's "abb" matches both,
    # so the posting of "abb" holds the name twice and gives it twice what it gives a name
    # holding it once. Read past its cut, it was once kept as if found once, and lost
    # (found by hypothesis; the score is 0.88).
    index = NameIndex([("a", "bb", "abb")])
    query = ("aa", "abb")
    assert brute_force(index, query)[0] >= 0.75
    assert 0 in index.candidates(query, threshold=0.75)


def test_a_name_whose_pair_spells_its_own_light_word_is_kept() -> None:
    # The same for a light word: "star zone" read as one word is "starzone", the name's last
    # word too, so the light posting of "starzone" holds the name twice. Past the cut of what
    # one light word lifts alone, the rest of its posting is read only for names another
    # posting holds; this name must count twice there too (found by a random search of lists
    # of short words; the score is 0.8).
    listed = [
        ("kar", "star", "zone", "starzone"),
        ("bank",),
        ("starzone",),
        ("star",),
        ("starzone", "bank"),
        ("starzone", "bank"),
        ("banktech",),
        ("star",),
        ("banktech", "bank"),
        ("star",),
        ("banktech", "starzone"),
        ("banktech",),
        ("banktech",),
        ("star", "kar"),
        ("bank",),
    ]
    index = NameIndex(listed, common_names=5)
    query = ("zone", "baktech", "gold", "bank", "starzone", "kar")
    assert brute_force(index, query)[0] >= 0.6
    assert 0 in index.candidates(query, threshold=0.6)


def test_a_light_word_cut_allows_for_the_query_initials() -> None:
    # "vol", in every name, and "zone" are light: "mirt vol" scores 0.67 against "zone vol m",
    # lifted by "vol" and by the initial "m" for "mirt", which no posting holds. The cut of
    # what "vol" alone lifts (below the one light cut, since "zone" is found too) must allow
    # for the initial, as the light cut does (found by a random search).
    index = NameIndex([("mirt", "vol"), ("zone", "vol"), ("vol",)], common_names=3)
    query = ("zone", "vol", "m")
    assert brute_force(index, query)[0] >= 0.6
    assert 0 in index.candidates(query, threshold=0.6)


def test_a_long_posting_keeps_the_names_its_word_holds_whole() -> None:
    # A distinctive word in more than CONTAINED_APART names: past its cut only the names it
    # holds whole (but for light words the query finds) are read, and plain names only when
    # the word is found closely enough for containment to reach the threshold.
    rng = random.Random(7)

    def word() -> str:
        return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))

    listed = [("zorblax",), ("zorblax", "group"), ("zorblax", "holdings")]
    listed += [("zorblax", word()) for _ in range(CONTAINED_APART + 6)]
    listed += [(word(), word()) for _ in range(500)]
    index = NameIndex(listed, common_names=100)
    # "pinatubo", a word no name has, weighs much: each name is contained in the query, past
    # the cut of what "zorblax" can lift otherwise.
    expected = {
        ("zorblax", "pinatubo", "group"): {0, 1},
        ("zorblax", "pinatubo", "holdings"): {0, 2},
        ("pinatubo", "zorblax"): {0},
    }
    for query, found in expected.items():
        reached = {n for n, score in brute_force(index, query).items() if score >= 0.75}
        assert reached == found
        assert found <= set(scores(index, query, 0.75)), query


def test_a_misspelt_ordinary_word_counts_whole_before_alignment() -> None:
    # The index bounds the names it reaches by their words' similarities before aligning them,
    # but counts a match of an ordinary word whole, as similarity_bound does: the score caps
    # such a word's weight when it is misspelt ("silvr" for "silver"), which raises the score
    # when the rest matches exactly. Counted at its similarity, on either side, this name was
    # lost at 0.9.
    assert "silver" in ORDINARY_WORDS
    for listed_word, query_word in [("silver", "silvr"), ("silvr", "silver")]:
        rng = random.Random(3)

        def word(rng: random.Random = rng) -> str:
            return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))

        listed = [("zorblax", listed_word)] + [("zorblax", word()) for _ in range(100)]
        listed += [(word(), word()) for _ in range(300)]
        index = NameIndex(listed)
        query = ("zorblax", query_word)
        assert brute_force(index, query)[0] == pytest.approx(0.968, abs=1e-3)
        assert 0 in scores(index, query, 0.9), query


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="abcde", min_size=1, max_size=15), min_size=1, max_size=40),
    st.text(alphabet="abcde", min_size=1, max_size=15),
    st.booleans(),
)
def test_fuzzy_lookup_finds_every_similar_token_with_its_similarity(
    vocabulary: list[str], word: str, padded: bool
) -> None:
    # A small alphabet makes near words common: the scan of a small vocabulary, or (padded
    # with far words) deletion neighbourhoods of one and two letters and the scan of the
    # longest words, are all exercised against token_similarity itself (and the rule for a
    # typo in two letters, which asks whether the list uses the word).
    index = NameIndex([(t,) for t in vocabulary + (FAR_WORDS if padded else [])])
    found = {w: sim for w, _, sim in index.similar(word) if sim > 0.0}
    expected = {t: token_similarity(word, t) for t in set(vocabulary)}
    assert found == {
        t: s
        for t, s in expected.items()
        if s == 1.0 or (s > 0.0 and typo_may_count(word, t, index.weights))
    }


def within_max_edits(unit: str, words: list[str]) -> dict[str, int]:
    """The words but ``unit`` within max_edits of it (of the shorter), with their distances."""
    distances = {word: OSA.distance(unit, word) for word in set(words) - {unit}}
    return {w: d for w, d in distances.items() if d <= max_edits(min(len(unit), len(w)))}


@st.composite
def edited(draw: st.DrawFn, word: str) -> str:
    """``word`` with one to three letters dropped, added, changed or swapped with the next."""
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, max(0, len(word) - 1)))
        edit = draw(st.sampled_from(["drop", "add", "change", "swap"]))
        letter = draw(st.sampled_from("abcde"))
        if edit == "drop":
            word = word[:i] + word[i + 1 :]
        elif edit == "add":
            word = word[:i] + letter + word[i:]
        elif edit == "change":
            word = word[:i] + letter + word[i + 1 :]
        else:
            word = word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :]
    return word or letter


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.text(alphabet="abcde", min_size=1, max_size=18), max_size=40),
    # (Every length alike: each is a bound of max_edits or of the look-up's.)
    st.integers(1, 18).flatmap(lambda n: st.text(alphabet="abcde", min_size=n, max_size=n)),
    st.data(),
    st.booleans(),
)
def test_edit_neighbours_are_the_words_within_max_edits(
    words: list[str], unit: str, data: st.DataObject, padded: bool
) -> None:
    # Both ways of looking up, the scan of a few words and deletion keys among many (padded
    # with far words), against the definition; words one to three edits from the look-up, of
    # every length near its own, test each bound on the lengths.
    words = words + data.draw(st.lists(edited(unit), max_size=8))
    neighbours = _EditNeighbours(words + FAR_WORDS if padded else words)
    assert neighbours.scans is not padded
    expected = within_max_edits(unit, words)
    assert neighbours.near(unit) == expected
    assert neighbours.near(unit, _keys(unit)) == expected


@pytest.mark.parametrize("padded", [False, True])
def test_edit_neighbours_at_every_length(padded: bool) -> None:
    # A look-up of each length among words one to four letters shorter or longer, or with
    # letters changed: every bound of max_edits, and of the lengths a look-up reads.
    rng = random.Random(7)
    for n in range(1, 20):
        unit = "".join(rng.choice("abcde") for _ in range(n))
        words = [unit[:1] + "e" * (n - 1)]
        for edits in range(1, 5):
            words += [unit[edits:], unit[:-edits], unit + "a" * edits, "b" * edits + unit]
            words.append(
                "".join(rng.choice("abcde") if i < edits else c for i, c in enumerate(unit))
            )
        neighbours = _EditNeighbours(words + FAR_WORDS if padded else words)
        assert neighbours.near(unit) == within_max_edits(unit, words), unit


@given(st.text(alphabet="abc", max_size=12))
def test_deletion_keys_are_the_word_less_one_or_two_letters(word: str) -> None:
    # The look-up keys by their definition: the fuzzy look-up is exact only if they are whole.
    one = {word[:i] + word[i + 1 :] for i in range(len(word))}
    two = {shorter[:j] + shorter[j + 1 :] for shorter in one for j in range(len(shorter))}
    assert _deletions(word) == {word} | one
    assert _deletions2(word) == {word} | one | two


def test_containment_is_bounded_only_for_names_that_can_be_contained() -> None:
    # "SL" matched whole inside a longer query scores no containment (too few letters), so the
    # index need not bound it at 0.8 and score it; "Huawei" (six letters) can be contained.
    listed = [("sl",), ("huawei",), ("science", "park"), ("holding", "group")]
    index = NameIndex(listed)
    short = ("sl", "science", "holding")
    assert 0 not in index.candidates(short, threshold=0.75)
    assert brute_force(index, short)[0] < 0.75
    found = index.candidates(("huawei", "cloud", "computing"), threshold=0.75)
    assert 1 in found
    assert scores(index, ("huawei", "cloud", "computing"), 0.75)[1] >= 0.75
