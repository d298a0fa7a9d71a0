"""``partyscreen batch`` end to end, on files written here: encodings, delimiters, bad rows,
exit codes, the manifest, JSON lines, workers, and resuming a run killed with SIGKILL."""

from __future__ import annotations

import codecs
import copy
import csv
import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partyscreen import __version__, default_screener
from partyscreen.batch import OUTPUT_FIELDS, BatchOptions, checkpoint_path, manifest_path, run_batch
from partyscreen.batch_options import BatchError
from partyscreen.cli import main
from tests import strategies

ROOT = Path(__file__).resolve().parents[1]

SUPPLIERS = [
    ["S-001", "Hikivision", "CN"],
    ["S-002", "Zhejiang Dahua Technology", "CN"],
    ["S-003", "Acme Widgets Inc.", "US"],
    ["S-004", "科大讯飞股份有限公司", "CN"],
    ["S-005", "Hangzhou Digital Technology Co. Ltd.", "CN"],
    ["S-006", "Megvi Technology Ltd", "CN"],
    ["S-007", "", "CN"],
    ["S-008", "Société Générale", "FR"],
]
HEADER = ["supplier_id", "supplier_name", "country"]
PS = [f"ps_{f}" for f in OUTPUT_FIELDS]


def csv_text(rows: Sequence[Sequence[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    # CRLF, as RFC 4180 and Excel: the writer then quotes a lone "\r" in a field too.
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_csv(
    path: Path,
    rows: Sequence[Sequence[str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bytes = b"",
) -> Path:
    path.write_bytes(bom + csv_text(rows, delimiter).encode(encoding))
    return path


def read_csv(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def batch(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    """Run ``partyscreen batch`` in this process; (exit status, stderr)."""
    status = main(["batch", *(str(a) for a in argv)])
    return status, capsys.readouterr().err


def by_column(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


# --------------------------------------------------------------------------------------------


def test_screens_every_row_into_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    out = tmp_path / "out.csv"
    status, err = batch(capsys, source, "-o", out)
    assert status == 0
    rows = read_csv(out)
    assert rows[0] == HEADER + PS
    assert [r[:3] for r in rows[1:]] == SUPPLIERS
    result = by_column(rows)
    assert [r["ps_row"] for r in result] == [str(i) for i in range(1, len(SUPPLIERS) + 1)]
    hik, dahua, acme, iflytek, hangzhou, megvii, empty, socgen = result
    assert hik["ps_decision"] in ("review", "match")
    assert hik["ps_entity_id"] == "EL-84FR54002-hikvision"
    assert hik["ps_entity_name"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert hik["ps_list"] == "EL"
    assert "presumption of denial" in hik["ps_license_policy"]
    assert float(hik["ps_score"]) >= 0.75
    assert iflytek["ps_decision"] == "match"
    assert iflytek["ps_matched_name"] == "科大讯飞股份有限公司"
    assert iflytek["ps_exceptions"] == "iflytek-2020-covid-medical-supplies"
    assert acme["ps_decision"] == hangzhou["ps_decision"] == socgen["ps_decision"] == "clear"
    assert acme["ps_entity_id"] == acme["ps_score"] == ""
    assert acme["ps_more_matches"] == "0"
    assert megvii["ps_decision"] == "review"
    assert dahua["ps_decision"] == "match"
    assert empty["ps_decision"] == "error"
    assert "nothing to screen" in empty["ps_error"]
    assert all(r["ps_error"] == "" for r in result if r is not empty)
    # The summary on stderr.
    assert "UTF-8, comma-separated" in err
    assert "column 'supplier_name'" in err
    decisions = [r["ps_decision"] for r in result]
    counts = ", ".join(f"{decisions.count(d)} {d}" for d in ("clear", "review", "match"))
    assert f"8 rows: {counts}, 1 errors" in err
    assert "rows/s" in err


@pytest.mark.parametrize(
    ("encoding", "bom", "label"),
    [
        ("utf-8", b"", "UTF-8"),
        ("utf-8", codecs.BOM_UTF8, "UTF-8 with BOM"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16 LE (BOM)"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16 BE (BOM)"),
    ],
)
def test_encodings(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    encoding: str,
    bom: bytes,
    label: str,
) -> None:
    reference = write_csv(tmp_path / "ref.csv", [HEADER, *SUPPLIERS])
    assert batch(capsys, reference, "-o", tmp_path / "ref.out.csv")[0] == 0
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS], encoding=encoding, bom=bom)
    out = tmp_path / "out.csv"
    status, err = batch(capsys, source, "-o", out)
    assert status == 0
    assert label in err
    assert out.read_bytes() == (tmp_path / "ref.out.csv").read_bytes()  # UTF-8, no BOM
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["input"]["encoding"] == label
    assert manifest["input"]["bom"] is bool(bom)
    assert manifest["input"]["columns"] == HEADER  # the BOM is not part of the first column


@pytest.mark.parametrize("ending", ["\r\n", "\r", "\n"])
def test_an_unknown_encoding_exits_2_naming_file_and_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ending: str
) -> None:
    text = csv_text([HEADER, *SUPPLIERS]).replace("\r\n", ending)
    data = text.encode("cp1252", errors="replace")
    source = tmp_path / "latin.csv"
    source.write_bytes(data)
    out = tmp_path / "out.csv"
    status, err = batch(capsys, source, "-o", out)
    assert status == 2
    assert str(source) in err
    assert f"byte offset {data.index('é'.encode('cp1252'))}" in err
    assert "line 9" in err  # (a lone CR ends a line, as the reader reads it)
    assert not out.exists()


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiters_are_sniffed_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], delimiter: str
) -> None:
    rows = [HEADER, *SUPPLIERS, ["S-009", "Acme; Widgets, Inc. | Tab\there", "US"]]
    source = write_csv(tmp_path / "in.csv", rows, delimiter=delimiter)
    out = tmp_path / "out.csv"
    assert batch(capsys, source, "-o", out)[0] == 0
    got = read_csv(out, delimiter)
    assert [r[:3] for r in got] == rows
    assert len(got[0]) == 3 + len(OUTPUT_FIELDS)
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["input"]["delimiter"] == manifest["output"]["delimiter"] == delimiter


@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n"])
def test_any_line_ending_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], delimiter: str, ending: str
) -> None:
    # A lone CR ends a line (old Mac files): the sniffer reads the sample as the reader does.
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=ending).writerows([HEADER, *SUPPLIERS])
    source = tmp_path / "in.csv"
    source.write_bytes(buffer.getvalue().encode("utf-8"))
    out = tmp_path / "out.csv"
    status, err = batch(capsys, source, "-o", out)
    assert status == 0, err
    got = read_csv(out, delimiter)
    assert [r[:3] for r in got] == [HEADER, *SUPPLIERS]
    assert [r[len(HEADER) + 1] for r in got[1:3]] == ["review", "match"]


def test_records_joined_by_a_quote_left_open_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The quote opened in record 1 closes in record 5: the csv module reads one record whose
    # name holds records 2 to 4 (Hikvision among them). Screening that text would report
    # none of them; the record is an error row naming its lines instead.
    lines = [
        "id,name,country",
        '1,"Acme Holdings,US',
        "2,Globex Trading,US",
        "3,Hikvision,CN",
        "4,Initech,US",
        '5,"Huawei",CN',
        "6,Umbrella Corp,US",
        '7,"Dahua Technology',
        'Hangzhou, Zhejiang",CN',  # a name over two lines, one with a comma: not a record
        '8,"Acme',
        "Unit 1, Block 2\u2028Gate 3, Road 4, Town",  # (U+2028 ends no line: one line of 4)
        'Works",CN',
    ]
    source = tmp_path / "in.csv"
    source.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    status, err = batch(capsys, source, "-o", out)
    assert status == 0
    got = by_column(read_csv(out))
    assert [r["id"] for r in got] == ["1", "6", "7", "8"]
    joined = got[0]
    assert (joined["ps_decision"], joined["ps_row"]) == ("error", "1")
    assert joined["ps_error"].startswith("lines 2 to 6: a field holds 3 lines that read as")
    assert "quote left open" in joined["ps_error"]
    assert [r["ps_decision"] for r in got[1:]] == ["clear", "match", "clear"]
    assert "1 error" in err


def test_quoted_newlines_empty_and_huge_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(7)
    words = ["Acme", "Global", "Trading", "Hikvision", "Widgets", "Pacific", "Holdings"]
    huge = " ".join(rng.choice(words) for _ in range(20_000))[:100_000]
    rows = [
        ["id", "name"],
        ["1", "Hik\nvision"],
        ["2", 'Dahua "Tech"\r\nCo., Ltd.'],
        ["3", ""],
        ["4", "   "],
        ["5", "!!! ... ---"],
        ["6", huge],
        ["7", "Megvii"],
    ]
    source = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.csv"
    status, _ = batch(capsys, source, "-o", out)
    assert status == 0
    got = by_column(read_csv(out))
    assert [[r["id"], r["name"]] for r in got] == rows[1:]
    assert got[0]["ps_decision"] == "match"
    assert got[1]["ps_entity_id"] == "EL-84FR54002-dahua"
    for row in got[2:5]:
        assert row["ps_decision"] == "error"
        assert "nothing to screen" in row["ps_error"]
    assert got[5]["ps_decision"] in ("review", "match")  # Hikvision inside 100 kB of words
    assert got[5]["ps_error"] == ""
    assert got[6]["ps_decision"] == "match"


def test_rows_with_too_many_or_too_few_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,name,country\n1,Hikvision,CN\n2,Dahua,CN,extra,more\n3,Megvii\n\n4,Acme,US\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    status, err = batch(capsys, source, "-o", out, "--id-column", "id")
    assert status == 0
    got = by_column(read_csv(out))
    assert [r["id"] for r in got] == ["1", "2", "3", "4"]
    assert [r["ps_decision"] for r in got] == ["match", "error", "error", "clear"]
    assert "5 fields where the header has 3" in got[1]["ps_error"]
    assert '["extra", "more"]' in got[1]["ps_error"]  # nothing dropped
    assert "2 fields where the header has 3" in got[2]["ps_error"]
    assert got[2]["country"] == ""
    assert "row 2 (line 3, id '2')" in err
    assert "1 blank lines skipped" in err
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["counts"] == {
        "rows": 4,
        "clear": 1,
        "review": 0,
        "match": 1,
        "errors": 2,
        "blank_lines": 1,
        "suppressed": 0,
        "suppressed_rows": 0,
    }


def test_the_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    out = tmp_path / "out.csv"
    status, _ = batch(capsys, source, "-o", out, "--threshold", "0.8", "--as-of", "2020-01-01")
    assert status == 0
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["partyscreen_version"] == __version__
    assert manifest["input"]["path"] == str(source.resolve())
    assert manifest["input"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert manifest["input"]["encoding"] == "UTF-8"
    assert manifest["input"]["delimiter"] == ","
    assert manifest["output"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert manifest["output"]["columns"] == HEADER + PS
    (listed,) = manifest["lists"]
    assert listed["name"] == "US Entity List (partyscreen embedded excerpt)"
    assert len(listed["sha256"]) == 64
    assert listed["version"]
    settings_ = manifest["settings"]
    assert settings_["threshold"] == 0.8
    assert settings_["match_settings"]["review_threshold"] == 0.8
    assert settings_["as_of"] == "2020-01-01"
    assert settings_["workers"] == 1
    assert settings_["column"] == "supplier_name"
    assert settings_["format"] == "csv"
    counts = manifest["counts"]
    assert counts["rows"] == len(SUPPLIERS)
    assert counts["rows"] == counts["clear"] + counts["review"] + counts["match"] + counts["errors"]
    assert counts["errors"] == 1
    assert manifest["started_at"].endswith("Z")
    assert manifest["finished_at"] >= manifest["started_at"]
    assert manifest["resumed"] is False
    assert not checkpoint_path(out).exists()


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    out = tmp_path / "out.csv"
    assert batch(capsys, source, "-o", out)[0] == 0
    assert batch(capsys, source, "-o", out, "--fail-on", "review")[0] == 1
    assert batch(capsys, source, "-o", out, "--fail-on", "match")[0] == 1
    clean = write_csv(tmp_path / "clean.csv", [HEADER, SUPPLIERS[2], SUPPLIERS[6]])
    assert batch(capsys, clean, "-o", out, "--fail-on", "review")[0] == 0
    megvii = write_csv(tmp_path / "megvii.csv", [HEADER, SUPPLIERS[5]])
    assert batch(capsys, megvii, "-o", out, "--fail-on", "match")[0] == 0
    assert batch(capsys, megvii, "-o", out, "--fail-on", "review")[0] == 1
    # Usage and input errors: 2, with a message.
    status, err = batch(capsys, source, "-o", out, "--column", "nope")
    assert status == 2
    assert "no column 'nope'" in err
    assert "'supplier_id', 'supplier_name', 'country'" in err
    status, err = batch(capsys, tmp_path / "missing.csv", "-o", out)
    assert (status, "no such input file" in err) == (2, True)
    status, err = batch(capsys, source, "-o", out, "--threshold", "1.5")
    assert (status, "threshold" in err) == (2, True)
    status, err = batch(capsys, source, "-o", out, "--as-of", "soon")
    assert (status, "as_of" in err) == (2, True)
    # A source no list uses would report every row clear: refused before anything is written.
    fresh = tmp_path / "fresh.csv"
    status, err = batch(capsys, source, "-o", fresh, "--source", "EL", "--source", "SDN")
    assert (status, "--source: no list has the code or name 'SDN'" in err) == (2, True)
    assert not fresh.exists()
    assert not manifest_path(fresh).exists()
    assert batch(capsys, source, "-o", fresh, "--source", "el")[0] == 0
    status, err = batch(capsys, source, "-o", source)
    assert (status, "is the input file" in err) == (2, True)
    # A hard link to the input is the input too (writing it would destroy what is read).
    linked = tmp_path / "linked.csv"
    os.link(source, linked)
    status, err = batch(capsys, source, "-o", linked)
    assert (status, "is the input file" in err) == (2, True)
    assert source.read_bytes() == csv_text([HEADER, *SUPPLIERS]).encode("utf-8")
    # An input named as the run's own checkpoint or manifest would be deleted or overwritten.
    for side in (checkpoint_path(out), manifest_path(out)):
        side.write_bytes(source.read_bytes())
        status, err = batch(capsys, side, "-o", out)
        assert (status, "file: choose another output" in err) == (2, True)
        assert side.read_bytes() == source.read_bytes()
        side.unlink()
    # A folder is no output; nothing is left beside it.
    folder = tmp_path / "folder"
    folder.mkdir()
    status, err = batch(capsys, source, "-o", folder)
    assert (status, "is not a regular file" in err) == (2, True)
    assert not checkpoint_path(folder).exists()
    status, err = batch(capsys, source, "-o", tmp_path / "no" / "dir" / "out.csv")
    assert (status, "does not exist" in err) == (2, True)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    status, err = batch(capsys, empty, "-o", out)
    assert (status, "no header" in err) == (2, True)
    with pytest.raises(SystemExit) as info:
        main(["batch", str(source)])  # no -o
    assert info.value.code == 2


def test_the_name_column_is_found_or_the_columns_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for header in (["ID", "Company Name"], ["party", "x"], ["Supplier-Name", "y"], ["NAME", "z"]):
        source = write_csv(tmp_path / "in.csv", [header, ["1", "Hikvision"]])
        status, err = batch(capsys, source, "-o", tmp_path / "out.csv")
        assert status == 0, err
        assert f"column {header[1] if header[0] == 'ID' else header[0]!r}" in err
    source = write_csv(tmp_path / "in.csv", [["code", "label"], ["1", "Hikvision"]])
    status, err = batch(capsys, source, "-o", tmp_path / "out.csv")
    assert status == 2
    assert "no name column" in err
    assert "'code', 'label'" in err
    status, _ = batch(capsys, source, "-o", tmp_path / "out.csv", "--column", "LABEL")
    assert status == 0


def test_output_columns_do_not_clash_with_input_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    assert batch(capsys, first, "-o", tmp_path / "once.csv")[0] == 0
    status, _ = batch(
        capsys, tmp_path / "once.csv", "-o", tmp_path / "twice.csv", "--column", "supplier_name"
    )
    assert status == 0
    header = read_csv(tmp_path / "twice.csv")[0]
    assert header == HEADER + PS + [f"ps2_{f}" for f in OUTPUT_FIELDS]


def test_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    out = tmp_path / "out.jsonl"
    status, _ = batch(capsys, source, "-o", out, "--format", "jsonl", "--id-column", "supplier_id")
    assert status == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(SUPPLIERS)
    records = [json.loads(line) for line in lines]
    assert [r["row"] for r in records] == list(range(1, len(SUPPLIERS) + 1))
    assert [r["id"] for r in records] == [s[0] for s in SUPPLIERS]
    assert [r["input"] for r in records] == [dict(zip(HEADER, s, strict=True)) for s in SUPPLIERS]
    hik = records[0]
    assert hik["result"]["query"] == "Hikivision"
    assert hik["result"]["matches"][0]["entity"]["id"] == "EL-84FR54002-hikvision"
    assert hik["result"]["lists"][0]["sha256"]
    assert hik["decision"] == hik["result"]["decision"]
    assert hik["error"] is None
    empty = records[6]
    assert (empty["decision"], empty["result"]) == ("error", None)
    assert "nothing to screen" in empty["error"]
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["settings"]["format"] == "jsonl"
    assert all("input_fields" not in r for r in records)


def test_an_input_changed_while_screened_gets_no_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The manifest vouches for the input's hash: rows read from a file changed since it was
    # hashed make the run fail (exit 2) without one. A resume then refuses too.
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    screener = copy.copy(default_screener())
    screen = screener.screen

    def screen_and_append(name: str, **options: Any) -> Any:
        if name == "Megvi Technology Ltd":  # (the sixth row: the rows before are read)
            with source.open("ab") as handle:
                handle.write(b"S-010,Extra Supplier,US\r\n")
        return screen(name, **options)

    monkeypatch.setattr(screener, "screen", screen_and_append)
    out = tmp_path / "out.csv"
    with pytest.raises(BatchError, match=r"the input changed while it was screened \(its size"):
        run_batch(BatchOptions(input=source, output=out), screener=screener, stderr=io.StringIO())
    assert not manifest_path(out).exists()
    assert checkpoint_path(out).exists()
    status, err = batch(capsys, source, "-o", out, "--resume")
    assert (status, "cannot resume" in err) == (2, True)


def test_jsonl_keeps_every_value_of_a_header_repeating_a_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["id", "name", "name"], ["1", "Hikvision", "alias-x"], ["2", "Acme", "Dahua"]]
    source = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.jsonl"
    assert batch(capsys, source, "-o", out, "--format", "jsonl", "--column", "name")[0] == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["input_fields"] for r in records] == rows[1:]
    assert [r["result"]["query"] for r in records] == ["Hikvision", "Acme"]


def test_workers_2_write_the_same_output_as_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(3)
    names = [s[1] for s in SUPPLIERS] + ["Huawei", "Hik Vision", "Dahua", "Sense Time", "!!"]
    rows = [["id", "name"]] + [
        [str(i), rng.choice(names) + rng.choice(["", " Ltd", f" {i % 97}"])] for i in range(3000)
    ]
    source = write_csv(tmp_path / "in.csv", rows)
    for fmt in ("csv", "jsonl"):
        one, two = tmp_path / f"one.{fmt}", tmp_path / f"two.{fmt}"
        assert batch(capsys, source, "-o", one, "--format", fmt)[0] == 0
        assert batch(capsys, source, "-o", two, "--format", fmt, "--workers", "2")[0] == 0
        if fmt == "csv":
            assert one.read_bytes() == two.read_bytes()
        else:  # the same but for when each name was screened
            assert untimed(one) == untimed(two)
    assert len(read_csv(tmp_path / "one.csv")) == len(rows)


def untimed(path: Path) -> list[dict[str, object]]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for record in records:
        if record["result"] is not None:
            record["result"].pop("screened_at", None)
    return records


def test_an_existing_output_is_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS[:2]])
    out = tmp_path / "out.csv"
    out.write_text("old content\n" * 1000, encoding="utf-8")
    assert batch(capsys, source, "-o", out)[0] == 0
    assert len(read_csv(out)) == 3


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    names=st.lists(
        st.one_of(
            strategies.names,
            strategies.any_text.map(lambda s: s.replace("\0", "")),  # NUL: not a text file
            st.sampled_from(["", " ", "\n", '"', "\r\n", "\ufeff"]),
        ),
        max_size=30,
    ),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_one_output_row_per_input_row_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], names: list[str], delimiter: str
) -> None:
    rows = [["id", "name"]] + [[str(i), name] for i, name in enumerate(names)]
    source = tmp_path / "in.csv"
    source.write_bytes(csv_text(rows, delimiter).encode("utf-8"))
    out = tmp_path / "out.csv"
    status, err = batch(capsys, source, "-o", out, "--delimiter", delimiter)
    assert status == 0, err
    got = read_csv(out, delimiter)
    assert [r[:2] for r in got[1:]] == rows[1:]
    assert [r[2] for r in got[1:]] == [str(i + 1) for i in range(len(names))]
    assert all(r[3] in ("clear", "review", "match", "error") for r in got[1:])


# --------------------------------------------------------------------------------------------
# Resume


def slow_rows(count: int, seed: int = 11) -> list[list[str]]:
    """Distinct long names (each screened, none cached) with a few listed ones among them."""
    rng = random.Random(seed)
    words = [
        "acme", "global", "pacific", "trading", "holdings", "widgets", "northern", "star",
        "river", "metals", "logistics", "orient", "bright", "future", "united", "ocean", "sun",
        "dragon", "golden", "harbour", "alpine", "summit", "delta",
    ]  # fmt: skip
    listed = ["Hikvision", "Dahua Technology", "Megvii", "iFlytek", "Huawei Device"]
    rows = [["id", "name", "note"]]
    for i in range(count):
        name = " ".join(rng.choice(words) for _ in range(24)) + f" {i}"
        if i % 97 == 0:
            name = f"{rng.choice(listed)} {name}"
        rows.append([f"R{i:05d}", name, 'quoted, "note"\nwith a newline' if i % 50 == 0 else ""])
    return rows


def run_cli(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "partyscreen", "batch", *(str(a) for a in argv)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_resume_after_sigkill_gives_the_uninterrupted_output(tmp_path: Path) -> None:
    rows = slow_rows(4000)
    source = write_csv(tmp_path / "in.csv", rows)
    reference = tmp_path / "reference.csv"
    done = run_cli(source, "-o", reference, "--commit-every", "50", "--as-of", "2024-01-01")
    assert done.returncode == 0, done.stderr

    out = tmp_path / "out.csv"
    checkpoint = checkpoint_path(out)
    process = subprocess.Popen(
        [sys.executable, "-m", "partyscreen", "batch", str(source), "-o", str(out),
         "--commit-every", "50", "--as-of", "2024-01-01"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    committed = 0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                committed = json.loads(checkpoint.read_text(encoding="utf-8"))["rows_done"]
            except (OSError, ValueError, KeyError):
                committed = 0
            if committed >= 100:
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    state = json.loads(checkpoint.read_text(encoding="utf-8"))
    assert 100 <= state["rows_done"] < len(rows) - 1
    assert out.stat().st_size >= state["output_bytes"]
    assert not manifest_path(out).exists()

    # A different input or different settings: refused, nothing touched.
    before = out.read_bytes()
    refused = run_cli(source, "-o", out, "--resume", "--threshold", "0.8", "--as-of", "2024-01-01")
    assert refused.returncode == 2
    assert "cannot resume" in refused.stderr
    assert "threshold" in refused.stderr
    refused = run_cli(source, "-o", out, "--resume", "--as-of", "2024-02-01")
    assert (refused.returncode, "as_of" in refused.stderr) == (2, True)
    other = write_csv(tmp_path / "other.csv", rows[:-1])
    refused = run_cli(other, "-o", out, "--resume")
    assert (refused.returncode, "sha256" in refused.stderr) == (2, True)
    assert out.read_bytes() == before

    # The same input and settings (as-of remembered), with other workers: continues.
    resumed = run_cli(source, "-o", out, "--resume", "--workers", "2", "--commit-every", "500")
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming after {state['rows_done']} rows" in resumed.stderr
    assert out.read_bytes() == reference.read_bytes()
    assert not checkpoint.exists()
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["resumed"] is True
    assert [s["from_row"] for s in manifest["sessions"]] == [0, state["rows_done"]]
    assert manifest["counts"] == json.loads(manifest_path(reference).read_text())["counts"]
    assert manifest["output"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()

    # Resuming a complete run does nothing and says so; a foreign file is not resumed.
    again = run_cli(source, "-o", out, "--resume")
    assert again.returncode == 0
    assert "nothing to resume" in again.stderr
    assert out.read_bytes() == reference.read_bytes()
    foreign = tmp_path / "foreign.csv"
    foreign.write_text("not ours\n", encoding="utf-8")
    refused = run_cli(source, "-o", foreign, "--resume")
    assert (refused.returncode, "no checkpoint" in refused.stderr) == (2, True)


def test_resume_without_an_output_starts_fresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    out = tmp_path / "out.csv"
    assert batch(capsys, source, "-o", out, "--resume")[0] == 0
    assert len(read_csv(out)) == len(SUPPLIERS) + 1


def test_python_m_partyscreen_batch(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    done = run_cli(source, "-o", tmp_path / "out.csv", "--fail-on", "match")
    assert done.returncode == 1
    assert "partyscreen batch:" in done.stderr
    assert "\r" not in done.stderr  # no progress bar when stderr is not a terminal
    assert done.stdout == ""
