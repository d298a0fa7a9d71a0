"""Audit: every result names what it screened against, and the same input gives the same output.

"The same input and lists give the same output, byte for byte apart from times": results are
compared as ``json.dumps(result.to_dict(), sort_keys=True)`` without ``screened_at``, screened
twice in this process and once in a fresh process with another hash seed (so that no set or
dict order can leak into the output).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from partyscreen import Deal, Screener, __version__, screen
from partyscreen.embedded import lists_dir
from partyscreen.suppression import find_entity, record_review
from tests.conftest import shared_path

#: The 2023 CSL sample's truncated last record is reported with a warning on every load.
pytestmark = pytest.mark.filterwarnings("ignore:row left out")

#: Result fields that hold the time of the screen; everything else must repeat exactly.
TIME_FIELDS = ("screened_at",)

NAMES = [
    "Hikivision", "Hikvision", "Dahua Tech", "科大讯飞", "iFlytek", "Megvi", "SenseTime Group",
    "Huawei", "Huawei Technologies", "HiSilicon", "ZTE Corporation", "Kashgar PSB",
    "Hangzhou Digital Technology Co., Ltd.", "Gazprombank", "Rosneft Trade", "Bank", "Trading",
]  # fmt: skip
AS_OF = "2024-06-01"
DEAL = {"classification": "EAR99", "purpose": "spare parts", "date": "2024-06-01"}

LICENCE = """
[[licence]]
number = "D7654321"
entity = "EL-84FR54002-dahua"
granted_by = "US Department of Commerce, Bureau of Industry and Security"
scope = "Spare parts"
items = ["EAR99"]
purpose = "Maintenance"
valid_from = 2024-01-01
valid_to = 2025-12-31
"""

#: Run in a fresh interpreter: the same screens, printed one JSON document per line.
SCRIPT = """
import json, sys
from partyscreen import Deal, Screener
lists, licences, decisions, names = json.loads(sys.argv[1])
screener = Screener.from_paths(lists, licence_paths=licences, decisions_path=decisions)
for name in names:
    data = screener.screen(name, as_of={as_of!r}, limit=None, deal=Deal(**{deal!r})).to_dict()
    del data["screened_at"]
    print(json.dumps(data, sort_keys=True, ensure_ascii=False))
"""


def canonical(data: dict[str, Any]) -> str:
    data = dict(data)
    for field in TIME_FIELDS:
        del data[field]
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str], str]:
    folder = tmp_path_factory.mktemp("audit")
    lists = [
        str(lists_dir() / "entity_list.toml"),
        str(shared_path("data", "csl", "csl_2023-11-30_sample.csv")),
    ]
    licences = folder / "licences.toml"
    licences.write_text(LICENCE, encoding="utf-8")
    decisions = folder / "decisions.jsonl"
    screener = Screener.from_paths(lists)
    hik = find_entity(screener.entities, "EL-84FR54002-hikvision")
    record_review(decisions, name="Hikvision", entity=hik, reviewer="a", reason="r",
                  day=date(2024, 1, 2))  # fmt: skip
    return lists, [str(licences)], str(decisions)


def screen_all(setup: tuple[list[str], list[str], str]) -> list[str]:
    lists, licences, decisions = setup
    screener = Screener.from_paths(lists, licence_paths=licences, decisions_path=decisions)
    return [
        canonical(screener.screen(n, as_of=AS_OF, limit=None, deal=Deal(**DEAL)).to_dict())
        for n in NAMES
    ]


def test_same_input_same_output_in_one_process(setup: tuple[list[str], list[str], str]) -> None:
    first, second = screen_all(setup), screen_all(setup)
    assert first == second
    parsed = [json.loads(line) for line in first]
    assert any(p["suppressed_matches"] for p in parsed)  # the comparison covers reviews,
    coverages = [m["coverage"]["status"] for p in parsed for m in p["matches"]]
    assert "covered" in coverages  # licences,
    assert sum(len(p["matches"]) for p in parsed) > len(NAMES)  # and many matches


@pytest.mark.parametrize("seed", ["0", "4242"])
def test_same_output_in_a_fresh_process(setup: tuple[list[str], list[str], str], seed: str) -> None:
    lists, licences, decisions = setup
    script = SCRIPT.format(as_of=AS_OF, deal=DEAL)
    argument = json.dumps([lists, licences, decisions, NAMES])
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script, argument],
        capture_output=True, text=True, encoding="utf-8", env=env, check=True, timeout=120,
    )  # fmt: skip
    assert done.stdout.splitlines() == screen_all(setup)


def test_every_result_names_what_it_screened_against() -> None:
    before = datetime.now(UTC)
    data = screen("Hikivision", as_of="2024-06-01").to_dict()
    assert data["partyscreen_version"] == __version__
    assert data["as_of"] == "2024-06-01"
    [listed] = data["lists"]
    assert listed["name"] == "US Entity List (partyscreen embedded excerpt)"
    assert listed["version"] == "2026-11-22"
    assert listed["sha256"] == _sha256(lists_dir() / "entity_list.toml")
    assert {"review_threshold", "match_threshold"} <= set(data["settings"])
    screened_at = datetime.fromisoformat(data["screened_at"])
    assert screened_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= screened_at <= datetime.now(UTC)
    assert data["files"] == []
    assert data["restricted_to"] is None
    assert "not legal advice" in data["disclaimer"]
    match = data["matches"][0]
    entity = find_entity(Screener.from_paths([lists_dir() / "entity_list.toml"]).entities,
                         match["entity"]["id"])  # fmt: skip
    assert match["entity_hash"] == entity.content_hash


def test_records_files_are_named_with_their_hashes(
    setup: tuple[list[str], list[str], str],
) -> None:
    lists, licences, decisions = setup
    screener = Screener.from_paths(lists, licence_paths=licences, decisions_path=decisions)
    files = screener.screen("Dahua", as_of=AS_OF).to_dict()["files"]
    assert files == [
        {"kind": "licences", "path": licences[0], "sha256": _sha256(Path(licences[0])),
         "records": 1},
        {"kind": "decisions", "path": decisions, "sha256": _sha256(Path(decisions)),
         "records": 1},
    ]  # fmt: skip


def test_zte_result_says_the_date_screened_as_of() -> None:
    listed = screen("ZTE Corporation", as_of="2016-06-01")
    removed = screen("ZTE Corporation", as_of="2017-03-29")  # the day of the removal
    assert (listed.decision, listed.to_dict()["as_of"]) == ("match", "2016-06-01")
    assert (removed.decision, removed.to_dict()["as_of"]) == ("clear", "2017-03-29")


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
