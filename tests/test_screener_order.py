"""The screener's answer does not depend on the order the index finds candidates in.

Batch ``--resume`` relies on it: a resumed run, or a worker started afresh, must report the
same matched name as the first run, and the order of the index's candidates follows set
iteration over strings, which changes with the hash seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import pytest

from partyscreen import Alias, ListedEntity, Screener, ScreeningList
from partyscreen.index import NameIndex
from partyscreen.scoring import Alignment, Score, score_alignment


def screener() -> Screener:
    entity = ListedEntity(
        id="SDN-1",
        name="RI, Song Un",
        list_code="SDN",
        list_name="SDN",
        entity_type="individual",
        aliases=[Alias("Song Un RI", kind="derived"), Alias("Un Song Ri")],
    )
    return Screener([ScreeningList(name="t", sha256="0" * 64, entities=[entity])])


@pytest.mark.parametrize("reverse", [False, True])
def test_equal_scores_report_the_first_listed_name_in_any_candidate_order(
    monkeypatch: pytest.MonkeyPatch, reverse: bool
) -> None:
    found = NameIndex.candidates

    def reordered(
        self: NameIndex,
        query: Sequence[str],
        *,
        threshold: float = 0.0,
        query_weights: Sequence[float] | None = None,
    ) -> dict[int, list[Alignment]]:
        out = found(self, query, threshold=threshold, query_weights=query_weights)
        return dict(sorted(out.items(), reverse=reverse))

    monkeypatch.setattr(NameIndex, "candidates", reordered)
    best = screener().screen("Song Un Ri").best
    assert best is not None
    assert best.score == pytest.approx(1.0)
    assert best.matched_name == "RI, Song Un"


def test_cached_results_tell_a_company_query_from_a_person_query() -> None:
    # "Song Un RI Ltd" normalises like "Song Un RI" but is penalised as a company against a
    # person; the bulk cache must not hand one's result to the other, in either order.
    names = ["Song Un RI Ltd", "Song Un RI", "Song Un RI Ltd"]
    one_by_one = [screener().screen(n) for n in names]
    assert one_by_one[0].best is not None
    assert one_by_one[1].best is not None
    assert one_by_one[0].best.score < one_by_one[1].best.score
    for order in (names, names[::-1]):
        many = screener().screen_many(order)
        expected = {n: r.best.score for n, r in zip(names, one_by_one, strict=True) if r.best}
        for name, result in zip(order, many, strict=True):
            assert result.best is not None
            assert result.best.score == pytest.approx(expected[name])


def test_equal_scores_rank_the_entity_spelt_as_the_query_first() -> None:
    # Two entries whose names hold the same words in another order both score 1.0 against
    # either spelling; the one listed as written comes first, whatever their names' order.
    def person(id_: str, name: str) -> ListedEntity:
        return ListedEntity(
            id=id_, name=name, list_code="SDN", list_name="SDN", entity_type="individual"
        )

    entities = [
        person("SDN-1", "Luqman Yasin Yunus Shgragi"),
        person("SDN-2", "Yunus Luqman Yasin Shgragi"),
    ]
    screener = Screener([ScreeningList(name="t", sha256="0" * 64, entities=entities)])
    for query, expected in [
        ("Yunus Luqman Yasin Shgragi", "SDN-2"),
        ("Luqman Yasin Yunus Shgragi", "SDN-1"),
        ("Yunus Lyqman Yasin Shgragi", "SDN-2"),
    ]:
        result = screener.screen(query)
        first, second = result.matches
        assert first.score == pytest.approx(second.score)
        assert first.entity.id == expected, query


def test_scores_a_rounding_apart_are_equal(monkeypatch: pytest.MonkeyPatch) -> None:
    # One name's words weighed in another order sum to scores a rounding apart. The name
    # listed first is still the one reported, and entities a rounding apart still rank by
    # spelling, not by the last bit of their scores.
    later = {"song un ri", "yunus luqman yasin shgragi"}

    def noisy(query: Sequence[str], name: Sequence[str], *args: Any, **kwargs: Any) -> Score:
        detail = score_alignment(query, name, *args, **kwargs)
        if " ".join(name) in later:  # a later name, or a later entity: a rounding higher
            return attrs.evolve(detail, score=detail.score + 1e-15)
        return detail

    monkeypatch.setattr("partyscreen.screener.score_alignment", noisy)
    best = screener().screen("Song Un Ri").best
    assert best is not None
    assert best.matched_name == "RI, Song Un"
    test_equal_scores_rank_the_entity_spelt_as_the_query_first()
