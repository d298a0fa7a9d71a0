"""The command-line tool, through main() and as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from partyscreen.cli import main
from tests.conftest import shared_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_screen_prints_a_readable_answer(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "screen", "Hikivision")
    assert status == 0
    assert out.startswith("Hikivision: REVIEW") or out.startswith("Hikivision: MATCH")
    assert "Hangzhou Hikvision Digital Technology" in out
    assert "84 FR 54002" in out
    assert "license policy" in out
    assert "not legal advice" in out


def test_screen_json_is_the_result_dict(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "screen", "iFlytek", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["decision"] == "match"
    assert data["matches"][0]["exceptions"][0]["applied_on"] == "2020-02-07"


def test_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "screen", "ZTE Corporation", "--as-of", "2016-06-01")
    assert "MATCH" in out.splitlines()[0]
    _, out, _ = run(capsys, "screen", "ZTE Corporation")
    assert "CLEAR" in out.splitlines()[0]


def test_threshold_and_source_filter(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "screen", "Hikvision", "--source", "EL")
    assert "MATCH" in out.splitlines()[0]
    # A source no list loaded uses is an error, not a clear result.
    status, out, err = run(capsys, "screen", "Hikvision", "--source", "SDN")
    assert (status, out) == (2, "")
    assert "no list has the code or name 'SDN'" in err
    status, out, err = run(capsys, "screen", "Hikvision", "--limit", "0")
    assert (status, out) == (2, "")
    assert "limit must be a whole number of 1 or more" in err
    _, out, _ = run(capsys, "screen", "Hangzhou Digital Technology", "--threshold", "0.3", "--json")
    assert json.loads(out)["matches"]


def test_bad_input_exits_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "screen", "")
    assert status == 2
    assert "nothing to screen" in err
    status, _, err = run(capsys, "screen", "Hikvision", "--as-of", "yesterday")
    assert status == 2
    assert "as_of" in err
    status, _, err = run(capsys, "screen", "Hikvision", "--list", "no/such/file.csv")
    assert status == 2
    assert "no list file" in err
    with pytest.raises(SystemExit) as info:
        main(["screen"])
    assert info.value.code == 2


def test_lists(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "lists")
    assert status == 0
    assert "US Entity List (partyscreen embedded excerpt)" in out
    assert "53 entities" in out
    status, out, _ = run(capsys, "lists", "--json")
    (listed,) = json.loads(out)
    assert len(listed["sha256"]) == 64


def test_screen_against_an_official_csl_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = shared_path("data", "csl", "csl_2023-11-30_sample.csv")
    with pytest.warns(UserWarning, match=r"line 4233.*8 fields"):  # the file's last record is cut
        status, out, _ = run(
            capsys, "screen", "Megvii Technology Limited", "--list", str(path), "--json"
        )
    assert status == 0
    data = json.loads(out)
    assert data["matches"][0]["entity"]["list"] == "CMIC"
    assert data["lists"][0]["version"] == "2023-11-30"
    with pytest.warns(UserWarning, match="row left out"):
        _, out, _ = run(capsys, "lists", "--list", str(path))
    assert "4226 entities" in out


def test_python_dash_m_runs_the_tool() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "partyscreen", "screen", "Megvi Technology Ltd", "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    assert json.loads(done.stdout)["matches"][0]["entity"]["name"] == "Megvii Technology"
