"""The embedded default list: it validates, holds what the issue requires, and screens itself."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partyscreen import default_screener, screen
from partyscreen.embedded import default_lists

ENTITIES = default_screener().entities
BY_ID = {e.id: e for e in ENTITIES}


def find(fragment: str) -> list[str]:
    return [e.id for e in ENTITIES if fragment.casefold() in e.name.casefold()]


def test_every_entry_cites_its_sources_and_license() -> None:
    for entity in ENTITIES:
        assert entity.sources, entity.id
        assert entity.citations, entity.id
        assert entity.listed_on is not None, entity.id
        assert entity.license.requirement, entity.id
        assert entity.license.policy, entity.id


def test_the_whole_84_fr_54002_rule_is_there() -> None:
    rule = [e for e in ENTITIES if e.listed_on == date(2019, 10, 9)]
    assert len(rule) == 28
    bureaus = [e for e in rule if "public security bureau" in e.name.casefold()]
    assert len(bureaus) == 19  # the XUAR PSB and eighteen subordinate bureaus
    assert sum("police college" in e.name.casefold() for e in rule) == 1
    for name in ("Hikvision", "Dahua", "IFLYTEK", "Megvii", "Sensetime", "Yitu", "Meiya Pico",
                 "Yixin", "Kizilsu", "Xinjiang Uighur Autonomous Region"):  # fmt: skip
        assert find(name), name


def test_huawei_family_and_zte() -> None:
    assert find("Huawei Technologies Co., Ltd.")
    assert find("HiSilicon")
    (zte,) = [e for e in ENTITIES if e.name.casefold().startswith("zte corporation")]
    assert zte.listed_on == date(2016, 3, 8)
    assert zte.removed_on is not None
    assert zte.removed_on.year == 2017


def test_native_names_and_romanisations() -> None:
    kinds = {a.kind for e in ENTITIES for a in e.aliases}
    assert {"native", "romanisation", "short"} <= kinds
    names = {a.name for e in ENTITIES for a in e.aliases}
    assert "杭州海康威视数字技术股份有限公司" in names
    assert "科大讯飞股份有限公司" in names


def test_iflytek_exception_is_on_iflytek_only() -> None:
    holders = [e for e in ENTITIES if e.exceptions]
    assert len(holders) == 1
    (exception,) = holders[0].exceptions
    assert "iflytek" in holders[0].name.casefold()
    assert exception.applied_on == date(2020, 2, 7)
    assert "medical" in exception.scope.casefold() or "medical" in exception.purpose.casefold()


def test_list_metadata() -> None:
    (listed,) = default_lists()
    assert listed.version is not None
    assert len(listed.sha256) == 64
    assert listed.list_codes == ("EL",)


ALL_NAMES = sorted({(e.id, n) for e in ENTITIES for n in e.names})


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ALL_NAMES))
def test_every_listed_name_screens_to_its_own_entity(pair: tuple[str, str]) -> None:
    entity_id, name = pair
    entity = BY_ID[entity_id]
    day = entity.listed_on or date.today()
    result = screen(name, as_of=day, limit=None)
    assert result.decision == "match"
    top = [m for m in result.matches if m.score == result.matches[0].score]
    assert entity_id in {m.entity.id for m in top}
    assert max(m.score for m in result.matches if m.entity.id == entity_id) == pytest.approx(1.0)
