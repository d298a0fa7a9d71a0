"""``partyscreen batch`` with the compliance options, end to end on files written here:
``--since`` (only what the list added or changed), ``--decisions`` (suppressed matches counted),
``--licences`` with ``--item`` and ``--purpose`` (``ps_coverage``), workers (fork, and the spawn
fallback), determinism, and resuming with these options."""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import pickle
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import partyscreen.batch as batch_module
from partyscreen import Deal, Screener
from partyscreen.batch import BatchOptions, checkpoint_path, manifest_path, run_batch
from partyscreen.cli import main
from partyscreen.embedded import default_screener, lists_dir
from partyscreen.licencefile import load_licences
from partyscreen.suppression import find_entity, load_decisions, record_review

HIKVISION = "EL-84FR54002-hikvision"
MEGVII = "EL-84FR54002-megvii"
DAHUA = "EL-84FR54002-dahua"

HEADER = ["supplier_id", "supplier_name"]
SUPPLIERS = [
    ["S-1", "Hikvision"],
    ["S-2", "Megvii Technology"],
    ["S-3", "Zhejiang Dahua Technology"],
    ["S-4", "Acme Widgets Inc."],
    ["S-5", "科大讯飞股份有限公司"],
    ["S-6", "Huawei Device Co., Ltd."],
    ["S-7", "Megvi Technology Ltd"],
    ["S-8", ""],
    ["S-9", "Hikvision"],
    ["S-10", "Zorblax Dynamics"],
]

LICENCES = """\
[[licence]]
number = "D1234567"
entity = "EL-84FR54002-megvii"
list = "EL"
granted_by = "US Department of Commerce, BIS"
scope = "Thermal imaging test equipment"
items = ["1A004.c"]
purpose = "Calibration of installed equipment"
valid_from = 2024-01-01
valid_to = 2027-12-31
"""

#: A second list file, with one entity the embedded list does not hold.
EXTRA_LIST = """\
[list]
name = "Test list"
code = "TEST"
list_name = "A list made for a test"
version = 2026-01-01
source = "written by tests/test_batch_compliance.py"

[[entity]]
id = "TEST-zorblax"
name = "Zorblax Dynamics"
citations = ["none"]
listed_on = 2020-01-01
license_requirement = "For all items subject to the EAR."
license_policy = "Presumption of denial"
sources = ["invented for a test"]
"""


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    return [dict(zip(header, row, strict=True)) for row in body]


def manifest_of(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    return data


def batch(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    """Run ``partyscreen batch`` in this process; (exit status, stderr)."""
    status = main(["batch", *(str(a) for a in argv)])
    return status, capsys.readouterr().err


def old_list(tmp_path: Path) -> Path:
    """The embedded list as it was "yesterday": no Megvii, and Dahua with another alias."""
    text = (lists_dir() / "entity_list.toml").read_text(encoding="utf-8")
    start = text.index(f'[[entity]]\nid = "{MEGVII}"')
    end = text.index("\n[[", start + 1) + 1
    text = text[:start] + text[end:]
    alias = '{ name = "Zhejiang Dahua Technology Co.,Ltd.", kind = "aka"'
    assert text.count(alias) == 1
    text = text.replace(alias, '{ name = "Dahua Old Name Co.,Ltd.", kind = "aka"')
    assert text.count("version = 2026-11-22") == 1
    text = text.replace("version = 2026-11-22", "version = 2026-01-01")
    path = tmp_path / "entity_list_2026-01-01.toml"
    path.write_text(text, encoding="utf-8")
    return path


def decisions_file(tmp_path: Path, name: str = "Hikvision", entity_id: str = HIKVISION) -> Path:
    """A decisions file (written afresh) saying that ``name`` is not that entity."""
    path = tmp_path / "decisions.jsonl"
    path.unlink(missing_ok=True)
    record_review(
        path,
        name=name,
        entity=find_entity(default_screener().entities, entity_id),
        reviewer="a.smith",
        reason="A reseller in Ohio of the same brand, not the listed company",
        day=date(2026, 1, 15),
    )
    return path


# --------------------------------------------------------------------------------------------
# --since


def test_since_flags_only_rows_matching_added_or_changed_entities(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    old = old_list(tmp_path)
    full, since = tmp_path / "full.csv", tmp_path / "since.csv"
    assert batch(capsys, source, "-o", full)[0] == 0
    status, err = batch(capsys, source, "-o", since, "--since", old)
    assert status == 0, err
    rows, everything = read_rows(since), read_rows(full)
    assert [r["supplier_id"] for r in rows] == [s[0] for s in SUPPLIERS]
    flagged = {r["supplier_name"]: r["ps_entity_id"] for r in rows if r["ps_entity_id"]}
    assert flagged == {
        "Megvii Technology": MEGVII,  # added since
        "Megvi Technology Ltd": MEGVII,
        "Zhejiang Dahua Technology": DAHUA,  # changed since (an alias)
    }
    for row, reference in zip(rows, everything, strict=True):
        if row["ps_entity_id"]:  # the same score as against the full list
            assert row["ps_score"] == reference["ps_score"]
            assert row["ps_decision"] == reference["ps_decision"]
        elif row["ps_decision"] != "error":
            assert row["ps_decision"] == "clear"
    # Unchanged entities (Hikvision, iFlytek, Huawei) matched in the full run, not in this one.
    assert {r["supplier_name"] for r in everything if r["ps_entity_id"]} > set(flagged)

    manifest = manifest_of(since)
    recorded = manifest["since"]
    assert recorded["path"] == str(old.resolve())
    assert recorded["sha256"] == hashlib.sha256(old.read_bytes()).hexdigest()
    assert recorded["version"] == "2026-01-01"
    assert (recorded["added"], recorded["changed"], recorded["removed"]) == (1, 1, 0)
    assert (recorded["entities_screened"], recorded["entities_in_use"]) == (2, 53)
    assert recorded["restricted_to"].startswith("2 of 53 entities: added or changed since")
    assert manifest["fingerprint"]["since"] == recorded["sha256"]
    assert manifest_of(full)["since"] is None
    assert "since entity_list_2026-01-01.toml (version 2026-01-01): 1 entities added, 1 " in err
    assert "only matches with the 2 added or changed (of 53 in use) are reported" in err


def test_since_in_jsonl_says_each_result_was_restricted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS[:3]])
    out = tmp_path / "out.jsonl"
    old = old_list(tmp_path)
    assert batch(capsys, source, "-o", out, "--since", old, "--format", "jsonl")[0] == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["decision"] for r in records] == ["clear", "match", "match"]
    for record in records:
        assert record["result"]["restricted_to"].startswith("2 of 53 entities: added or changed")


def test_since_with_several_lists_compares_all_the_entities_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    extra = tmp_path / "extra.toml"
    extra.write_text(EXTRA_LIST, encoding="utf-8")
    embedded = lists_dir() / "entity_list.toml"
    out = tmp_path / "out.csv"
    status, err = batch(
        capsys,
        source,
        "-o",
        out,
        "--list",
        embedded,
        "--list",
        extra,
        "--since",
        old_list(tmp_path),
    )
    assert status == 0, err
    flagged = {r["supplier_name"]: r["ps_entity_id"] for r in read_rows(out) if r["ps_entity_id"]}
    # The extra list's entity is not in OLD: added, so screened (never missed).
    assert flagged["Zorblax Dynamics"] == "TEST-zorblax"
    assert set(flagged) == {
        "Zorblax Dynamics",
        "Megvii Technology",
        "Megvi Technology Ltd",
        "Zhejiang Dahua Technology",
    }
    recorded = manifest_of(out)["since"]
    assert recorded["compared_with"] == [
        "US Entity List (partyscreen embedded excerpt)",
        "Test list",
    ]
    assert (recorded["added"], recorded["changed"], recorded["entities_screened"]) == (2, 1, 3)
    assert recorded["entities_in_use"] == 54


def test_since_an_identical_list_reports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    out = tmp_path / "out.csv"
    same = lists_dir() / "entity_list.toml"
    assert batch(capsys, source, "-o", out, "--since", same, "--fail-on", "review")[0] == 0
    assert {r["ps_decision"] for r in read_rows(out)} == {"clear", "error"}
    assert manifest_of(out)["since"]["entities_screened"] == 0


def test_since_an_unreadable_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    status, err = batch(capsys, source, "-o", tmp_path / "out.csv", "--since", tmp_path / "no.toml")
    assert status == 2
    assert "no.toml" in err


# --------------------------------------------------------------------------------------------
# --decisions


def test_decisions_suppress_a_reviewed_row_and_are_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    decisions = decisions_file(tmp_path)
    plain, reviewed = tmp_path / "plain.csv", tmp_path / "reviewed.csv"
    assert batch(capsys, source, "-o", plain)[0] == 0
    status, err = batch(capsys, source, "-o", reviewed, "--decisions", decisions)
    assert status == 0, err
    before, after = read_rows(plain), read_rows(reviewed)
    for old, new in zip(before, after, strict=True):
        if old["supplier_name"] == "Hikvision":  # both rows of the reviewed name
            assert old["ps_entity_id"] == HIKVISION
            assert old["ps_suppressed"] == "0"
            assert (new["ps_decision"], new["ps_entity_id"]) == ("clear", "")
            assert new["ps_suppressed"] == "1"  # shown as counted, not silently dropped
        else:
            assert new == old
    counts = manifest_of(reviewed)["counts"]
    assert (counts["suppressed"], counts["suppressed_rows"]) == (2, 2)
    assert counts["clear"] == manifest_of(plain)["counts"]["clear"] + 2
    assert (manifest_of(plain)["counts"]["suppressed"], manifest_of(plain)["counts"]["rows"]) == (
        0,
        len(SUPPLIERS),
    )
    assert "2 matches suppressed by review (in 2 rows)" in err
    [recorded] = manifest_of(reviewed)["record_files"]
    assert recorded["kind"] == "decisions"
    assert recorded["sha256"] == hashlib.sha256(decisions.read_bytes()).hexdigest()
    assert "decisions: " in err
    # The full result, with the review, in JSON lines.
    out = tmp_path / "reviewed.jsonl"
    assert batch(capsys, source, "-o", out, "--decisions", decisions, "--format", "jsonl")[0] == 0
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["result"]["suppressed_matches"] == 1
    assert first["result"]["matches"][0]["suppressed"]["reviewer"] == "a.smith"


def test_a_row_keeps_its_other_matches_when_one_is_suppressed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, reviewed = "HiSilicon", "EL-84FR22961-hisilicon-technologies"
    plain = default_screener().screen(name, limit=None)
    assert plain.best is not None
    assert plain.best.entity.id == reviewed
    assert len(plain.matches) >= 2
    decisions = decisions_file(tmp_path, name=name, entity_id=reviewed)
    source = write_csv(tmp_path / "in.csv", [HEADER, ["S-1", name]])
    out = tmp_path / "out.csv"
    assert batch(capsys, source, "-o", out, "--decisions", decisions)[0] == 0
    [row] = read_rows(out)
    expected = default_screener().with_records(decisions=load_decisions(decisions))
    result = expected.screen(name, limit=None)
    assert result.best is not None
    assert row["ps_entity_id"] == result.best.entity.id != reviewed
    assert row["ps_decision"] == result.decision
    assert row["ps_suppressed"] == "1"
    assert row["ps_more_matches"] == str(len(plain.matches) - 2)
    assert manifest_of(out)["counts"]["suppressed_rows"] == 1


# --------------------------------------------------------------------------------------------
# --licences, --item, --purpose


def test_licences_and_item_fill_coverage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    licences = tmp_path / "licences.toml"
    licences.write_text(LICENCES, encoding="utf-8")
    out = tmp_path / "out.csv"
    argv = ["--licences", licences, "--item", "1A004.c", "--purpose", "spare parts"]
    status, err = batch(capsys, source, "-o", out, "--as-of", "2024-06-01", *argv)
    assert status == 0, err
    rows = {r["supplier_id"]: r for r in read_rows(out)}
    assert rows["S-2"]["ps_coverage"] == "covered"  # Megvii: our licence, in force, 1A004.c
    assert rows["S-1"]["ps_coverage"] == "not covered"  # Hikvision: nothing on record
    assert rows["S-4"]["ps_coverage"] == ""  # clear: nothing to cover
    # Each row says what `partyscreen screen` says for that name, deal and licences.
    screener = default_screener().with_records(licences=load_licences([licences]))
    deal = Deal(classification="1A004.c", purpose="spare parts", date="2024-06-01")
    for supplier_id, name in SUPPLIERS:
        if not name:
            continue
        result = screener.screen(name, as_of="2024-06-01", deal=deal, limit=None)
        assert rows[supplier_id]["ps_coverage"] == (result.coverage or ""), name
    manifest = manifest_of(out)
    assert manifest["settings"]["item"] == "1A004.c"
    assert manifest["settings"]["purpose"] == "spare parts"
    [recorded] = manifest["record_files"]
    assert (recorded["kind"], recorded["records"]) == ("licences", 1)
    # Another item: the licence is out of scope.
    other = tmp_path / "other.csv"
    status, _ = batch(capsys, source, "-o", other, "--as-of", "2024-06-01",
                      "--licences", licences, "--item", "3A001")  # fmt: skip
    assert status == 0
    assert {r["supplier_id"]: r for r in read_rows(other)}["S-2"]["ps_coverage"] == "not covered"
    # The deal in the JSON lines is dated --as-of.
    jsonl = tmp_path / "out.jsonl"
    assert batch(capsys, source, "-o", jsonl, "--as-of", "2024-06-01", "--format", "jsonl",
                 *argv)[0] == 0  # fmt: skip
    megvii = json.loads(jsonl.read_text(encoding="utf-8").splitlines()[1])
    assert megvii["result"]["deal"] == {
        "classification": "1A004.c",
        "purpose": "spare parts",
        "date": "2024-06-01",
    }
    assert megvii["result"]["matches"][0]["licences"][0]["id"] == "D1234567"


def test_bad_compliance_options_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    out = tmp_path / "out.csv"
    status, err = batch(capsys, source, "-o", out, "--item", "not an eccn!")
    assert (status, "classification" in err) == (2, True)
    status, err = batch(capsys, source, "-o", out, "--licences", tmp_path / "missing.toml")
    assert (status, "no licences file" in err) == (2, True)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    status, err = batch(capsys, source, "-o", out, "--decisions", bad)
    assert (status, "bad.jsonl" in err) == (2, True)
    assert not out.exists()


def test_run_batch_applies_the_records_files_of_its_options(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", [HEADER, *SUPPLIERS])
    decisions = decisions_file(tmp_path)
    options = BatchOptions(
        input=source, output=tmp_path / "out.csv", decisions_path=str(decisions), quiet=True
    )
    report = run_batch(options)
    assert report.counts["suppressed"] == 2
    # A screener given without the records the options name is refused, not silently used.
    with pytest.raises(ValueError, match="does not apply"):
        run_batch(options, screener=default_screener())


# --------------------------------------------------------------------------------------------
# Workers, determinism, resume


def compliance_args(tmp_path: Path) -> list[str | Path]:
    licences = tmp_path / "licences.toml"
    licences.write_text(LICENCES, encoding="utf-8")
    return [
        "--as-of", "2024-06-01", "--licences", licences, "--item", "1A004.c",
        "--purpose", "spares", "--decisions", decisions_file(tmp_path, "Megvii", MEGVII),
    ]  # fmt: skip


def many_rows(count: int) -> list[list[str]]:
    names = [s[1] for s in SUPPLIERS] + ["Hik Vision", "Dahua", "Megvii", "Sense Time"]
    return [HEADER] + [[f"R{i}", f"{names[i % len(names)]} {i % 5 or ''}"] for i in range(count)]


def test_workers_and_reruns_give_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "in.csv", many_rows(1500))
    argv = [*compliance_args(tmp_path), "--since", old_list(tmp_path)]
    outputs = []
    for label, workers in (("a", "1"), ("b", "1"), ("c", "2")):
        out = tmp_path / f"{label}.csv"
        status, err = batch(capsys, source, "-o", out, "--workers", workers, *argv)
        assert status == 0, err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    rows = read_rows(tmp_path / "a.csv")
    assert {r["ps_entity_id"] for r in rows} == {"", MEGVII, DAHUA}
    assert any(r["ps_coverage"] == "covered" for r in rows)
    counts = [manifest_of(tmp_path / f"{x}.csv")["counts"] for x in "abc"]
    assert counts[0] == counts[1] == counts[2]


def test_workers_started_without_fork_rebuild_the_same_screener(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_csv(tmp_path / "in.csv", many_rows(600))
    argv = [*compliance_args(tmp_path), "--since", old_list(tmp_path)]
    one = tmp_path / "one.csv"
    assert batch(capsys, source, "-o", one, *argv)[0] == 0
    assert any(r["ps_suppressed"] == "1" for r in read_rows(one))
    # Without --since, so that suppressed matches reach the workers too.
    plain_argv = compliance_args(tmp_path)
    plain = tmp_path / "plain.csv"
    assert batch(capsys, source, "-o", plain, *plain_argv)[0] == 0
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    recipes: list[batch_module._ScreenerRecipe] = []
    of = batch_module._ScreenerRecipe.of

    def record(screener: Screener) -> batch_module._ScreenerRecipe:
        recipes.append(of(screener))
        return recipes[-1]

    monkeypatch.setattr(batch_module._ScreenerRecipe, "of", record)
    spawned, spawned_plain = tmp_path / "spawned.csv", tmp_path / "spawned_plain.csv"
    status, err = batch(capsys, source, "-o", spawned, "--workers", "2", *argv)
    assert status == 0, err
    status, err = batch(capsys, source, "-o", spawned_plain, "--workers", "2", *plain_argv)
    assert status == 0, err
    assert spawned.read_bytes() == one.read_bytes()
    assert spawned_plain.read_bytes() == plain.read_bytes()
    assert any(r["ps_suppressed"] == "1" for r in read_rows(spawned_plain))
    assert any(r["ps_coverage"] == "covered" for r in read_rows(spawned_plain))
    assert len(recipes) == 2  # the pools were started with spawn, from recipes


def test_a_screener_recipe_pickles_and_rebuilds_the_screener(tmp_path: Path) -> None:
    decisions = load_decisions(decisions_file(tmp_path))
    licences_path = tmp_path / "licences.toml"
    licences_path.write_text(LICENCES, encoding="utf-8")
    screener = default_screener().with_records(
        licences=load_licences([licences_path]), decisions=decisions
    )
    screener = screener.restricted_to({("EL", HIKVISION), ("EL", MEGVII)}, reason="a test")
    recipe = pickle.loads(pickle.dumps(batch_module._ScreenerRecipe.of(screener)))
    rebuilt = recipe.build()
    assert rebuilt.restriction == screener.restriction == "2 of 53 entities: a test"
    assert rebuilt.record_files == screener.record_files
    deal = Deal(classification="1A004.c", date="2024-06-01")
    for name in ("Hikvision", "Megvii", "Dahua", "Megvi Technology"):
        mine, theirs = screener.screen(name, deal=deal), rebuilt.screen(name, deal=deal)
        first, second = mine.to_dict(), theirs.to_dict()
        first.pop("screened_at")
        second.pop("screened_at")
        assert first == second, name


def interrupt_after(monkeypatch: pytest.MonkeyPatch, writes: int) -> None:
    """Make the batch run stop (as on Ctrl-C) after ``writes`` chunks were written."""
    original = batch_module._Run._write_rows
    calls = 0

    def write_rows(self: Any, *args: Any) -> int:
        nonlocal calls
        calls += 1
        if calls > writes:
            raise KeyboardInterrupt
        return original(self, *args)

    monkeypatch.setattr(batch_module._Run, "_write_rows", write_rows)


def test_resume_with_compliance_options_verifies_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_csv(tmp_path / "in.csv", many_rows(60))
    old = old_list(tmp_path)
    argv = [*compliance_args(tmp_path), "--since", old, "--commit-every", "4"]
    reference = tmp_path / "reference.csv"
    assert batch(capsys, source, "-o", reference, *argv)[0] == 0

    out = tmp_path / "out.csv"
    with monkeypatch.context() as patch:
        interrupt_after(patch, 3)
        status, err = batch(capsys, source, "-o", out, *argv)
    assert status == 130
    assert "--resume" in err
    state = json.loads(checkpoint_path(out).read_text(encoding="utf-8"))
    assert state["rows_done"] == 12
    before = out.read_bytes()

    # Other compliance options, or changed files: refused, the output untouched.
    decisions = tmp_path / "decisions.jsonl"
    without_since = [a for a in argv if a not in ("--since", old)]
    other_item = [("3A001" if a == "1A004.c" else a) for a in argv]
    for changed, why in (
        (without_since, "the --since list (sha256)"),
        (other_item, "item: '1A004.c' then, '3A001' now"),
        ([a for a in argv if a not in ("--decisions", decisions)], "decisions files"),
    ):
        status, err = batch(capsys, source, "-o", out, "--resume", *changed)
        assert status == 2, why
        assert why in err
    record_review(
        decisions,
        name="Megvii",
        entity=find_entity(default_screener().entities, MEGVII),
        reviewer="b.jones",
        reason="another review",
        day=date(2026, 2, 1),
    )
    status, err = batch(capsys, source, "-o", out, "--resume", *argv)
    assert (status, "decisions files (sha256)" in err) == (2, True)
    edited = old.read_text(encoding="utf-8").replace("version = 2026-01-01", "version = 2026-01-02")
    old.write_text(edited, encoding="utf-8")
    status, err = batch(capsys, source, "-o", out, "--resume", *argv)
    assert (status, "the --since list (sha256)" in err) == (2, True)
    assert out.read_bytes() == before

    # The same files and options again: the run goes on and gives the uninterrupted output.
    decisions_file(tmp_path, "Megvii", MEGVII)
    old_list(tmp_path)
    status, err = batch(capsys, source, "-o", out, "--resume", *argv)
    assert status == 0, err
    assert "resuming after 12 rows" in err
    assert out.read_bytes() == reference.read_bytes()
    manifest, expected = manifest_of(out), manifest_of(reference)
    assert manifest["counts"] == expected["counts"]
    assert manifest["counts"]["suppressed"] > 0
    assert manifest["since"] == expected["since"]
    assert manifest["record_files"] == expected["record_files"]
    assert manifest["resumed"] is True
    # Resuming the complete run checks them too.
    status, err = batch(capsys, source, "-o", out, "--resume", *argv)
    assert (status, "nothing to resume" in err) == (0, True)
    status, err = batch(capsys, source, "-o", out, "--resume", *other_item)
    assert (status, "item" in err) == (2, True)
