"""screen() on the embedded list: the seed mentions, as_of, filters, the result's shape."""

from __future__ import annotations

import csv
import gc
import json
import re
from datetime import date, datetime

import pytest

from partyscreen import (
    Deal,
    EmptyNameError,
    ListedEntity,
    OptionError,
    PartyscreenError,
    Screener,
    ScreeningList,
    __version__,
    default_screener,
    screen,
)
from partyscreen.settings import ORG_VS_INDIVIDUAL
from tests.conftest import shared_path


def seed_rows() -> list[dict[str, str]]:
    with shared_path("eval", "seed_mentions.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_seed_mentions_all_pass() -> None:
    failures = []
    for row in seed_rows():
        result = screen(row["query"], as_of=row["as_of"] or None)
        if row["expect"]:
            best = result.best
            ok = (
                best is not None
                and result.decision in ("review", "match")
                and any(re.search(row["expect"], n, re.IGNORECASE) for n in best.entity.names)
            )
        else:
            ok = result.decision == "clear"
        if not ok:
            failures.append(
                (row["query"], result.decision, result.best and result.best.entity.name)
            )
    assert failures == []


def test_zte_listed_then_removed() -> None:
    assert screen("ZTE Corporation", as_of="2016-06-01").decision == "match"
    assert screen("ZTE Corporation", as_of=date(2017, 6, 1)).decision == "clear"
    assert screen("ZTE Corporation").decision == "clear"
    assert screen("ZTE Corporation", as_of="2016-03-07").decision == "clear"  # before listing


def test_entity_listed_after_as_of_is_clear() -> None:
    assert screen("Hikvision").decision == "match"
    assert screen("Hikvision", as_of="2019-10-08").decision == "clear"
    assert screen("Huawei", as_of="2019-05-20").decision == "clear"


def test_to_dict_has_the_promised_keys_and_is_json() -> None:
    result = screen("Hikivision")
    data = json.loads(json.dumps(result.to_dict()))
    assert {"query", "decision", "matches", "lists", "partyscreen_version", "as_of"} <= set(data)
    assert data["partyscreen_version"] == __version__
    match = data["matches"][0]
    assert {"entity", "matched_name", "score", "explanation", "license", "exceptions"} <= set(match)
    assert {"id", "name", "aliases", "list", "citations", "listed_on", "removed_on"} <= set(
        match["entity"]
    )
    assert isinstance(match["entity"]["aliases"], list)
    assert {"requirement", "policy"} <= set(match["license"])
    assert 0.0 <= match["score"] <= 1.0
    assert match["explanation"]["normalized_query"] == "hikivision"
    for listed in data["lists"]:
        assert {"name", "version", "sha256"} <= set(listed)


def test_iflytek_result_carries_the_exception_and_others_do_not() -> None:
    iflytek = screen("iFlytek").best
    assert iflytek is not None
    assert iflytek.to_dict()["exceptions"]
    assert iflytek.to_dict()["exceptions"][0]["applied_on"] == "2020-02-07"
    for other in ("Hikvision", "Megvii", "Dahua Technology"):
        best = screen(other).best
        assert best is not None
        assert best.to_dict()["exceptions"] == []


def test_chinese_names_match() -> None:
    for query, fragment in [
        ("海康威视", "hikvision"),
        ("科大讯飞", "iflytek"),
        ("大华股份", "dahua"),
    ]:
        best = screen(query).best
        assert best is not None, query
        assert fragment in best.entity.name.casefold(), query


def test_threshold_limit_and_list_filter() -> None:
    wide = screen("Public Security Bureau", threshold=0.0, limit=None)
    assert len(wide.matches) > 5
    assert len(screen("Public Security Bureau", threshold=0.0, limit=3).matches) == 3
    assert screen("Hikvision", lists=["EL"]).decision == "match"
    assert screen("Hikvision", lists=["el"]).decision == "match"
    with pytest.raises(ValueError, match="threshold"):
        screen("Hikvision", threshold=1.5)
    with pytest.raises(ValueError, match="as_of"):
        screen("Hikvision", as_of="last tuesday")


def test_a_datetime_screens_as_its_day() -> None:
    # (A datetime is a date, but comparing one with the listing dates raised TypeError.)
    assert screen("Hikvision", as_of=datetime(2019, 10, 8, 23, 59)).decision == "clear"
    assert screen("Hikvision", as_of=datetime(2019, 10, 9, 0, 1)).decision == "match"
    deal = Deal(classification="EAR99", date=datetime(2019, 10, 9, 9))
    assert screen("Hikvision", deal=deal).as_of == date(2019, 10, 9)


def test_a_list_filter_keeps_only_that_list() -> None:
    other = ScreeningList(
        name="other",
        sha256="0" * 64,
        entities=(
            ListedEntity(id="S-1", name="Hikvisio Trading", list_code="SDN", list_name="SDN"),
        ),
    )
    screener = Screener((*default_screener().lists, other))
    both = screener.screen("Hikvision", limit=None)
    assert {m.entity.list_code for m in both.matches} == {"EL", "SDN"}
    only = screener.screen("Hikvision", lists=["SDN"], limit=None)
    assert {m.entity.list_code for m in only.matches} == {"SDN"}
    full_name = "Entity List (EL) - Bureau of Industry and Security"
    assert screener.screen("Hikvision", lists=[full_name.upper()]).best.entity.list_code == "EL"


@pytest.mark.parametrize(
    ("options", "says"),
    [
        # A filter naming no loaded list would leave nothing to match: every name clear.
        (
            {"lists": ["SDN"]},
            "no list has the code or name 'SDN'; the lists loaded have the codes EL",
        ),
        ({"lists": ["EL", "ELL"]}, "'ELL'"),
        ({"lists": "EL"}, "not a string"),  # (a string is a sequence of its letters)
        # No match listed would make the decision clear.
        ({"limit": 0}, "limit must be a whole number of 1 or more"),
        ({"limit": -1}, "not -1"),
        ({"limit": 2.5}, "not 2.5"),
        ({"threshold": 2}, "threshold must be a number in \\[0, 1\\], not 2"),
        ({"threshold": "0.5"}, "not '0.5'"),
        ({"threshold": float("nan")}, "not nan"),
        ({"as_of": "2019-13-01"}, "as_of must be a date, or a string like 2016-06-01"),
        ({"as_of": 20191008}, "not 20191008"),
    ],
)
def test_bad_options_raise_an_option_error_naming_them(
    options: dict[str, object], says: str
) -> None:
    with pytest.raises(OptionError, match=says) as raised:
        screen("Hikvision", **options)  # type: ignore[arg-type]
    assert isinstance(raised.value, PartyscreenError)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "!!!", "-"])
def test_empty_names_raise(name: str) -> None:
    with pytest.raises(EmptyNameError):
        screen(name)


def test_screener_from_lists_equals_default() -> None:
    screener = Screener(default_screener().lists)
    assert screener.screen("Megvii").to_dict()["matches"] == screen("Megvii").to_dict()["matches"]


@pytest.mark.parametrize("enabled", [True, False])
def test_building_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    # The build pauses the collector (see screener._collector_paused); a caller's setting
    # survives it, and so does an error raised inside it.
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        Screener(default_screener().lists)
        assert gc.isenabled() is enabled
        with pytest.raises(AttributeError):
            Screener([object()])  # type: ignore[list-item]
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_a_person_whose_name_holds_a_legal_form_is_found_as_listed() -> None:
    # "SA", "PAO", "Sae", "A.S." are legal forms and also words of listed people's names. A
    # query carrying no other legal form than the person's own is that person's name.
    def person(id_: str, name: str) -> ListedEntity:
        return ListedEntity(
            id=id_, name=name, list_code="SDN", list_name="SDN", entity_type="individual"
        )

    people = [person("P-1", "KHUN SA"), person("P-2", "Viktor Golovanov")]
    screener = Screener([ScreeningList(name="t", sha256="0" * 64, entities=people)])
    assert screener.person_legal_forms == {"sa"}
    for query in ("Khun Sa", "KHUN SA"):
        best = screener.screen(query).best
        assert best is not None
        assert (best.score, best.decision, best.detail.penalties) == (1.0, "match", ())
    # A company's name still counts against a person's.
    for query in ("Khun Ltd", "Khun Sa Co., Ltd.", "Viktor Golovanov Ltd", "Viktor Golovanov SA"):
        best = screener.screen(query).best
        assert best is not None
        assert best.detail.penalties == (("organisation_vs_individual", ORG_VS_INDIVIDUAL),)
    # Cached by normalised name ("khun" for all), the person and the companies stay apart,
    # in either order.
    names = ["Khun Sa", "Khun Ltd", "Khun Sa Ltd", "KHUN SA", "khun ltd.", "KHUN S.A. LTD"]
    expected = ["match", "review", "review", "match", "review", "review"]
    assert [screener.screen(name).decision for name in names] == expected
    assert [r.decision for r in screener.screen_many(names)] == expected
    assert [r.decision for r in screener.screen_many(names[::-1])] == expected[::-1]
