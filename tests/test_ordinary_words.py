"""Ordinary English words are weak evidence: the word list, the scoring rule, and the index
invariants on names made of such words."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partyscreen.index import NameIndex
from partyscreen.normalize import normalize_name
from partyscreen.scoring import (
    CONTAINMENT_SCORE,
    align,
    can_stand_inside,
    is_initial,
    query_can_stand_inside,
    score_alignment,
    similarity_bound,
    upper_bound,
)
from partyscreen.settings import REVIEW_THRESHOLD
from partyscreen.vocabulary import ORDINARY_WORDS
from partyscreen.weights import TokenWeights
from tests.strategies import words

#: Ordinary words that name companies, generic words, and coined ones, mixed in the names below.
ORDINARY = ["Martin", "Nova", "Dynamics", "Chemical", "Solid", "Galaxy", "Star", "Security"]
GENERIC = ["Technology", "Industries", "Group", "Beijing", "Systems"]
COINED = ["Hikvision", "Norinco", "Megvii", "Landstar", "Beetech"]

mixed_words = st.lists(
    st.one_of(st.sampled_from(ORDINARY), st.sampled_from(GENERIC), st.sampled_from(COINED), words),
    min_size=1,
    max_size=5,
)
mixed_names = st.builds(" ".join, mixed_words)


def tokens(name: str) -> tuple[str, ...]:
    return normalize_name(name).tokens


def score(query: str, name: str, *others: str) -> float:
    q, n = tokens(query), tokens(name)
    weights = TokenWeights.from_token_sets([n, *(tokens(o) for o in others)])
    return score_alignment(q, n, align(q, n), weights).score


def test_the_list_holds_ordinary_words_not_brands_or_proper_names() -> None:
    assert {"martin", "nova", "interface", "dynamics", "chemical", "galaxy"} <= ORDINARY_WORDS
    assert not {"hikvision", "huawei", "norinco", "megvii", "hudson", "dahua"} & ORDINARY_WORDS
    assert all(w.isalpha() and w.islower() for w in ORDINARY_WORDS)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("General Dynamics", "Creative Dynamics"),  # one shared ordinary word, both have more
        ("Nova Ltd.", "Nova Technologies"),  # an ordinary word and a generic one
        ("Loop Industries, Inc.", "Loop SA"),
        ("Galaxy Digital Inc.", "Galax Inc."),  # a word, not a misspelling of "Galax"
        ("Moderna", "Modern Technologies"),
        ("Lockheed Martin", "Martin"),  # ordinary listed name inside a longer query
        ("North Huajin Chemical Industries", "Chemical Industry Company"),
    ],
)
def test_a_match_on_ordinary_words_alone_stays_below_review(query: str, name: str) -> None:
    assert score(query, name, "Hikvision", "Dahua Technology") < REVIEW_THRESHOLD


@pytest.mark.parametrize(
    ("query", "name", "least"),
    [
        ("Megvi", "Megvii", REVIEW_THRESHOLD),  # a typo of a coined word is still a typo
        ("Landstar Tech", "Landstar Technologies", 0.9),  # a coined word carries a name
        ("Nova Technologies", "Nova Technologies", 1.0),  # the same name is the same name
        ("Nuclear Research", "Nuclear Research Center", CONTAINMENT_SCORE),  # truncated
        ("Federal Security Service", "Federal Security Service (FSB)", CONTAINMENT_SCORE),
        ("Atomic Energy Organization of Iran", "Atomic Energy Organization of Iran (AEOI)", 0.8),
    ],
)
def test_ordinary_words_still_match_a_whole_name(query: str, name: str, least: float) -> None:
    assert score(query, name, "Hikvision", "Dahua Technology") >= least - 1e-9


@settings(max_examples=200, deadline=None)
@given(st.lists(mixed_names, min_size=1, max_size=12), mixed_names)
def test_upper_bound_holds_with_ordinary_words(listed: list[str], query_name: str) -> None:
    index = NameIndex([t for t in (tokens(n) for n in listed) if t])
    query = tokens(query_name)
    if not len(index) or not query:
        return
    qw = index.weights.weights_of(query)
    for number, alignments in index.candidates(query).items():
        nw = index.name_weights[number]
        s = score_alignment(query, index.names[number], alignments, index.weights)
        bound = upper_bound(qw, nw, alignments, query=query, name=index.names[number])
        assert bound >= s.score - 1e-9
        assert 0.0 <= s.score <= 1.0
        name = index.names[number]
        if not any(map(is_initial, (*query, *name))):
            closer = similarity_bound(
                query,
                name,
                alignments,
                qw,
                nw,
                query_inside=query_can_stand_inside(query, qw),
                name_inside=can_stand_inside(name, nw, min_words=1),
            )
            assert bound + 1e-9 >= closer >= s.score - 1e-9


def test_similarity_bound_counts_an_ordinary_word_whole() -> None:
    # "Galaxy" matched to "Galax" with a typo is capped to a generic word's weight, which
    # raises the ratio above the similarity-weighted one (0.89): the bound counts it whole.
    listed = [("alpha", "galax")] + [("alpha", f"x{i}") for i in range(3)]
    listed += [(f"filler{i}", "co") for i in range(50)]
    weights = TokenWeights.from_token_sets(listed)
    query, name = ("alpha", "galaxy"), ("alpha", "galax")
    alignments = align(query, name, weights)
    qw, nw = weights.weights_of(query), [weights.weight(t) for t in name]
    score = score_alignment(query, name, alignments, weights).score
    assert score == pytest.approx(0.9)
    assert similarity_bound(query, name, alignments, qw, nw) >= score


def test_similarity_bound_knows_a_capped_word_and_a_name_without_a_word_of_its_own() -> None:
    # "Galaxy" is an ordinary word matched only with a typo: capped for sure, so the bound is
    # the score (0.4), and "Galaxi", aligned only with it, has no word of its own to stand
    # inside the query with. (Counting it whole, as upper_bound does, gave 0.92.)
    listed = [("galaxi",)] + [(f"filler{i}", "co") for i in range(50)]
    weights = TokenWeights.from_token_sets(listed)
    query, name = ("galaxy", "trading", "partners"), ("galaxi",)
    alignments = align(query, name, weights)
    qw, nw = weights.weights_of(query), [weights.weight(t) for t in name]
    score = score_alignment(query, name, alignments, weights).score
    assert score == pytest.approx(0.4)
    assert similarity_bound(query, name, alignments, qw, nw) == pytest.approx(score)
    assert upper_bound(qw, nw, alignments, query=query, name=name) > 0.9


def test_similarity_bound_holds_for_ordinary_and_plain_spellings_side_by_side() -> None:
    # A word aligned with an ordinary word ("nova") and with one that is not ("novi") is capped
    # only if its best alignment is the ordinary one: the bound may not assume it is. Every
    # query of one such word against names of two of them (capping on "any ordinary
    # alignment" broke it: ("novu", "alpha") against ("novi", "nova") scores 0.45, bound 0.36).
    words = ["galaxy", "galaxi", "nova", "novi", "novu", "martin", "martyn"]
    filler = [(f"filler{i}", "co") for i in range(50)]
    for pair in itertools.permutations(words, 2):
        for name in (pair, (*pair, "alpha")):
            weights = TokenWeights.from_token_sets([name, *filler])
            nw = [weights.weight(t) for t in name]
            for word in words:
                for query in ((word,), (word, "alpha"), (word, "beta")):
                    alignments = align(query, name, weights)
                    score = score_alignment(query, name, alignments, weights).score
                    qw = weights.weights_of(query)
                    assert similarity_bound(query, name, alignments, qw, nw) >= score - 1e-9


@settings(max_examples=150, deadline=None)
@given(st.lists(mixed_names, min_size=1, max_size=15), st.randoms(use_true_random=False), st.data())
def test_index_agrees_with_brute_force_on_ordinary_words(
    listed: list[str], rng: random.Random, data: st.DataObject
) -> None:
    index = NameIndex([t for t in (tokens(n) for n in listed) if t])
    if not len(index):
        return
    words_ = data.draw(st.sampled_from(listed)).split()
    rng.shuffle(words_)
    query = tokens(" ".join(words_[: rng.randint(1, len(words_))]))
    if not query:
        return
    threshold = data.draw(st.sampled_from([0.0, 0.5, 0.75, 0.9]))
    expected = {
        number: score_alignment(query, name, al, index.weights).score
        for number, name in enumerate(index.names)
        if (al := align(query, name, index.weights))
    }
    got = {
        number: score_alignment(
            query, index.names[number], al, index.weights, name_weights=index.name_weights[number]
        ).score
        for number, al in index.candidates(query, threshold=threshold).items()
    }
    for number, value in expected.items():
        if value >= threshold and value > 0.0:
            assert got[number] == pytest.approx(value)
    for number, value in got.items():
        assert value == pytest.approx(expected[number])
