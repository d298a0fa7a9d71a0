"""List changes: ``diff`` between two list versions, and re-screening against only the changes.

Real versions: the CSL samples of 2023 and 2025 in ``../shared/data/csl``, a copy of the 2023
sample in the 2019 layout (no ``_id`` column: the loader derives ids from content), and edited
copies of both (a row added, a row removed, a row changed), all written to ``tmp_path``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partyscreen import Screener
from partyscreen.cli import main
from partyscreen.csl import load_csl
from partyscreen.diff import changed_entity_keys, diff_lists
from partyscreen.embedded import default_lists, lists_dir
from partyscreen.model import Alias, ListedEntity, ScreeningList
from partyscreen.normalize import normalize_name
from tests.conftest import shared_path

SAMPLE_2023 = "csl_2023-11-30_sample.csv"
SAMPLE_2025 = "csl_2025_cslustest_sample.csv"
EL_EXCERPT = "csl_2025_entity_list_excerpt_huawei_and_84FR54002.csv"

#: The EL row of the 2023 sample that the edited copies change, and the one they remove.
CHANGED_NAME = "Beijing 8-Star International Co."
REMOVED_LIST = "DPL"


def read_rows(name: str) -> tuple[list[str], list[list[str]]]:
    with shared_path("data", "csl", name).open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, [row for row in rows if row != header]


def write_rows(path: Path, header: list[str], rows: list[list[str]], *, with_id: bool) -> Path:
    keep = [i for i, column in enumerate(header) if with_id or column != "_id"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow([header[i] for i in keep])
        writer.writerows([[row[i] for i in keep if i < len(row)] for row in rows])
    return path


def edited(header: list[str], rows: list[list[str]]) -> tuple[list[list[str]], str, str, str]:
    """Rows with one added (from the 2025 EL excerpt), one removed and one address changed."""
    col = {column: i for i, column in enumerate(header)}
    excerpt_header, excerpt_rows = read_rows(EL_EXCERPT)
    assert excerpt_header == header
    added = excerpt_rows[0]
    [removed] = [r for r in rows if r[col["source"]].endswith("(DPL) - Bureau of Industry and "
                                                             "Security")][:1]  # fmt: skip
    out = []
    for row in rows:
        if row is removed:
            continue
        if row[col["name"]] == CHANGED_NAME:
            row = list(row)
            row[col["addresses"]] = "1 New Street, Beijing, CN"
        out.append(row)
    out.append(added)
    return (
        out,
        " ".join(added[col["name"]].split()),
        " ".join(removed[col["name"]].split()),
        (CHANGED_NAME),
    )


@pytest.fixture(scope="module")
def csl_2023() -> ScreeningList:
    return load_csl(shared_path("data", "csl", SAMPLE_2023)).screening_list


def test_2019_layout_copy_pairs_every_entity_by_name(
    tmp_path: Path, csl_2023: ScreeningList
) -> None:
    header, rows = read_rows(SAMPLE_2023)
    old = load_csl(write_rows(tmp_path / "csl_2019.csv", header, rows, with_id=False))
    assert all(e.id.startswith("csl-") for e in old.screening_list.entities)
    found = diff_lists(old.screening_list, csl_2023)
    assert not found
    assert (found.added, found.removed, found.changed) == ((), (), ())
    assert found.unchanged == len(csl_2023.entities)
    assert len(found.reidentified) == len(csl_2023.entities)  # every id differs
    assert {c.matched_by for c in found.reidentified} == {"name"}


def test_edited_2019_layout_copies(tmp_path: Path) -> None:
    header, rows = read_rows(SAMPLE_2023)
    new_rows, added, removed, changed = edited(header, rows)
    old = load_csl(write_rows(tmp_path / "old.csv", header, rows, with_id=False)).screening_list
    new = load_csl(write_rows(tmp_path / "new.csv", header, new_rows, with_id=False)).screening_list
    found = diff_lists(old, new)
    assert [e.name for e in found.added] == [added]
    assert [e.name for e in found.removed] == [removed]
    [change] = found.changed
    assert (change.new.name, change.matched_by) == (changed, "name")
    assert change.old.id != change.new.id  # the derived id follows the address
    [field] = change.fields
    assert field.field == "addresses"
    assert field.new == ["1 New Street, Beijing, CN"]
    assert found.unchanged == len(old.entities) - 2


def test_edited_2023_copies_pair_by_id(tmp_path: Path, csl_2023: ScreeningList) -> None:
    header, rows = read_rows(SAMPLE_2023)
    new_rows, added, removed, changed = edited(header, rows)
    new = load_csl(write_rows(tmp_path / "new.csv", header, new_rows, with_id=True)).screening_list
    found = diff_lists(csl_2023, new)
    assert [e.name for e in found.added] == [added]
    assert [e.name for e in found.removed] == [removed]
    [change] = found.changed
    assert (change.new.name, change.matched_by, change.old.id) == (changed, "id", change.new.id)
    assert [f.field for f in change.fields] == ["addresses"]
    assert found.reidentified == ()
    # the reverse diff swaps added and removed
    back = diff_lists(new, csl_2023)
    assert (back.added, back.removed) == (found.removed, found.added)


def test_two_real_versions_2023_and_2025(csl_2023: ScreeningList) -> None:
    csl_2025 = load_csl(shared_path("data", "csl", SAMPLE_2025)).screening_list
    found = diff_lists(csl_2023, csl_2025)
    assert {(e.list_code, e.id) for e in found.added} == {
        ("EL", "99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"),
        ("SDN", "52291"),
    }
    fields = {c.key: [f.field for f in c.fields] for c in found.changed}
    assert fields == {
        ("FSE", "26182"): ["source_url"],
        ("PLC", "9651"): ["source_url"],
        ("PLC", "9673"): ["source_url"],
        ("SSI", "18283"): ["remarks", "source_url"],
        ("SSI", "18300"): ["remarks", "source_url"],
        ("SSI", "28603"): ["name", "programs", "remarks", "source_url"],
    }
    assert {c.matched_by for c in found.changed} == {"id"}
    # Two entries whose CSL _id changed between the versions, paired by name
    assert {(c.new.list_code, c.new.name) for c in found.reidentified} == {
        ("DTC", "Cesareo Estanislao Benitez"),
        ("MEU", "Academy of Aerospace Solid Propulsion Technology (AASPT)"),
    }
    assert found.unchanged == 5
    assert len(found.removed) == len(csl_2023.entities) - 6 - 5
    assert changed_entity_keys(csl_2023, csl_2025) == {
        (e.list_code, e.id) for e in found.added
    } | set(fields)


def test_changed_keys_restrict_a_rescreen(tmp_path: Path, csl_2023: ScreeningList) -> None:
    header, rows = read_rows(SAMPLE_2023)
    new_rows, added, _, changed = edited(header, rows)
    new = load_csl(write_rows(tmp_path / "new.csv", header, new_rows, with_id=True)).screening_list
    keys = changed_entity_keys(csl_2023, new)
    assert len(keys) == 2
    full = Screener([new])
    since = full.restricted_to(keys, reason="changed since csl_2023-11-30_sample.csv")
    for name in (added, changed):
        result = since.screen(name)
        assert result.decision == "match", name
        assert result.restricted_to == f"2 of {len(new.entities)} entities: changed since " \
            "csl_2023-11-30_sample.csv"  # fmt: skip
        assert result.best is not None
        assert (result.best.entity.list_code, result.best.entity.id) in keys
        reference = full.screen(name).best
        assert reference is not None
        assert result.best.score == reference.score  # same index and weights
    unchanged = "Gazprombank Joint Stock Company"
    assert full.screen(unchanged).decision == "match"
    assert since.screen(unchanged).decision == "clear"
    assert full.screen(unchanged).restricted_to is None


def test_diff_of_toml_lists_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = lists_dir() / "entity_list.toml"
    text = original.read_text(encoding="utf-8")
    marker = 'id = "EL-81FR12004-beijing-8-star"'
    assert marker in text
    head, tail = text.split(marker, 1)
    tail = tail.replace(
        "listed_on = 2016-03-08\n", "listed_on = 2016-03-08\nremoved_on = 2024-01-01\n", 1
    )
    newer = tmp_path / "entity_list.toml"
    newer.write_text(head + marker + tail, encoding="utf-8")
    assert main(["diff", str(original), str(newer)]) == 0
    out = capsys.readouterr().out
    assert "added 0, removed 0, changed 1, unchanged 52" in out
    assert "~ [EL] EL-81FR12004-beijing-8-star" in out
    assert '    removed_on: null -> "2024-01-01"' in out
    assert main(["diff", str(original), str(newer), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["changed"] == 1
    [change] = data["changed"]
    assert (change["matched_by"], change["fields"][0]["field"]) == ("id", "removed_on")
    assert data["old"]["sha256"] != data["new"]["sha256"]


def test_diff_cli_reads_csl_files(capsys: pytest.CaptureFixture[str]) -> None:
    old = shared_path("data", "csl", SAMPLE_2025)
    new = shared_path("data", "csl", EL_EXCERPT)
    assert main(["diff", str(old), str(new), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["added"] == 47
    assert main(["diff", str(old), str(tmp_missing := old.with_name("missing.csv"))]) == 2
    assert str(tmp_missing) in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# Invariants

CODES = st.sampled_from(["EL", "SDN", "DPL"])
WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta", "trading", "bank"])


@st.composite
def entities(draw: st.DrawFn) -> ListedEntity:
    return ListedEntity(
        id=draw(st.sampled_from(["1", "2", "3", "4", "5", "6"])),
        name=" ".join(draw(st.lists(WORDS, min_size=1, max_size=2))),
        list_code=draw(CODES),
        list_name="a list",
        aliases=[Alias(n) for n in draw(st.lists(WORDS, max_size=1))],
        addresses=draw(st.lists(st.sampled_from(["Beijing", "Tehran", "Moscow"]), max_size=1)),
    )


screening_lists = st.lists(entities(), max_size=8).map(
    lambda es: ScreeningList(name="l", sha256="0" * 64, entities=es)
)


def keyed(found: tuple[ListedEntity, ...]) -> list[str]:
    return sorted(json.dumps(e.to_dict(full=True), sort_keys=True) for e in found)


@settings(max_examples=200)
@given(screening_lists)
def test_a_list_has_no_changes_from_itself(listed: ScreeningList) -> None:
    found = diff_lists(listed, listed)
    assert not found
    assert found.unchanged == len(listed.entities)


@settings(max_examples=200)
@given(screening_lists, screening_lists)
def test_diff_is_antisymmetric(old: ScreeningList, new: ScreeningList) -> None:
    forward, backward = diff_lists(old, new), diff_lists(new, old)
    assert keyed(forward.added) == keyed(backward.removed)
    assert keyed(forward.removed) == keyed(backward.added)
    assert len(forward.changed) == len(backward.changed)
    assert forward.unchanged == backward.unchanged
    # every entity is accounted for exactly once on each side
    assert len(old.entities) == len(forward.removed) + len(forward.changed) + forward.unchanged
    assert len(new.entities) == len(forward.added) + len(forward.changed) + forward.unchanged


@given(screening_lists, screening_lists)
def test_changed_keys_are_the_new_side_of_additions_and_changes(
    old: ScreeningList, new: ScreeningList
) -> None:
    keys = changed_entity_keys(old, new)
    new_keys = {(e.list_code, e.id) for e in new.entities}
    assert keys <= new_keys
    found = diff_lists(old, new)
    for entity in found.added:
        assert (entity.list_code, entity.id) in keys
    for change in found.changed:
        assert change.key in keys
    assert changed_entity_keys(new, new) == frozenset()


def test_embedded_list_changes_through_attrs(tmp_path: Path) -> None:
    [embedded] = default_lists()
    hik = "EL-84FR54002-hikvision"
    changed = tuple(
        attrs.evolve(e, citations=(*e.citations, "90 FR 1")) if e.id == hik else e
        for e in embedded.entities
    )
    found = diff_lists(embedded, attrs.evolve(embedded, entities=changed))
    [change] = found.changed
    assert change.key == ("EL", hik)
    assert [f.field for f in change.fields] == ["citations"]
    assert normalize_name(change.new.name).text
    assert "~ [EL] EL-84FR54002-hikvision" in found.to_text()
