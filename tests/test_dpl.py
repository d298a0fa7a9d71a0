"""Tests of the BIS Denied Persons List loader, on the real file in ``shared/data/other_lists``.

The shared file is read in place (skips, or fails in CI, when ../shared is absent; see
conftest). Files with bad rows are small files written to ``tmp_path``.
"""

from __future__ import annotations

import csv
import hashlib
import re
import warnings
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partyscreen.cli import main
from partyscreen.dpl import (
    DPL_COLUMNS,
    DPL_LIST_CODE,
    DPL_LIST_NAME,
    DplLoad,
    load_dpl,
    looks_like_dpl,
    parse_us_date,
    split_dpl_citations,
)
from partyscreen.errors import ListFormatError, ListNotFoundError
from partyscreen.loaders import load_path
from partyscreen.model import ListedEntity
from partyscreen.screener import Screener
from tests.conftest import shared_path

#: Data rows of the 2023-11 file (PROVENANCE.md).
DPL_ROWS = 665
#: Entities once the rows of one person under one order (same name and dates) are merged.
DPL_ENTITIES = 549


def dpl_file() -> Path:
    return shared_path("data", "other_lists", "bis_dpl_2023-11.txt")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The data rows of a real DPL file, read with the csv module alone."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def dpl() -> DplLoad:
    return load_dpl(dpl_file())


@pytest.fixture(scope="module")
def by_name(dpl: DplLoad) -> dict[str, list[ListedEntity]]:
    found: dict[str, list[ListedEntity]] = {}
    for entity in dpl.screening_list.entities:
        found.setdefault(entity.name, []).append(entity)
    return found


# --------------------------------------------------------------------------------------------
# The real file


def test_counts_and_metadata(dpl: DplLoad) -> None:
    screening_list = dpl.screening_list
    assert dpl.errors == ()
    assert len(read_rows(dpl_file())) == DPL_ROWS
    assert len(screening_list.entities) == DPL_ENTITIES
    assert len({entity.id for entity in screening_list.entities}) == DPL_ENTITIES
    assert all(re.fullmatch(r"DPL-[0-9a-f]{20}", e.id) for e in screening_list.entities)
    assert {(e.list_code, e.list_name) for e in screening_list.entities} == {
        (DPL_LIST_CODE, DPL_LIST_NAME)
    }
    assert screening_list.sha256 == hashlib.sha256(dpl_file().read_bytes()).hexdigest()
    assert screening_list.source == "bis_dpl_2023-11.txt"
    assert (
        screening_list.version is None
    )  # no publication date in the file or a full one in its name
    assert load_dpl(dpl_file(), version="2023-11-30").screening_list.version == "2023-11-30"


def test_merging_is_lossless(dpl: DplLoad) -> None:
    """Every row's name, dates, address and citations are on exactly one entity."""
    index = {(e.name.casefold(), e.listed_on, e.removed_on): e for e in dpl.screening_list.entities}
    merged = Counter()
    for row in read_rows(dpl_file()):
        name = " ".join(row["Name"].split())
        listed = parse_us_date(row["Effective_Date"])
        removed = parse_us_date(row["Expiration_Date"]) if row["Expiration_Date"] else None
        entity = index[(name.casefold(), listed, removed)]
        merged[entity.id] += 1
        parts = [row[c] for c in ("Street_Address", "City", "State", "Postal_Code", "Country")]
        address = ", ".join(" ".join(part.split()) for part in parts if part.strip())
        assert address in entity.addresses
        assert set(split_dpl_citations(row["FR_Citation"])) <= set(entity.citations)
        assert f"Last_Update: {row['Last_Update']}" in entity.remarks
    assert sum(merged.values()) == DPL_ROWS
    assert len(merged) == DPL_ENTITIES
    assert Counter(merged.values()) == {1: 463, 2: 67, 3: 8, 4: 11}


def test_a_person_at_two_addresses_is_one_entity(by_name: dict[str, list[ListedEntity]]) -> None:
    (nasser,) = by_name["ABDULAH AL NASSER"]
    assert nasser.addresses == (
        "605 TRAIL LAKE DRIVE, RICHARDSON, TX, 75081, US",
        "908 AUDELIA ROAD, SUIE 200, PMB #245, RICHARDSON, TX, 75081, US",
    )
    assert nasser.citations == (
        "67 F.R. 56530 9/4/02",
        "67 F.R. 10890 3/11/02",
        "71 F.R. 38843 7/10/06",
    )
    assert nasser.listed_on == date(2002, 3, 4)
    assert nasser.removed_on == date(2056, 6, 29)
    assert nasser.remarks == "Standard_Order: Y; Last_Update: 2006-07-11; Action: 50 YEAR DENIAL"
    (sheng,) = by_name["ZIMO SHENG"]
    assert len(sheng.addresses) == 2
    assert sheng.addresses[1] == "JINXIUYUAN 17-403, CHANGSHU, JIANGSU, 215500, CN"


def test_other_expiry_dates_stay_apart(by_name: dict[str, list[ListedEntity]]) -> None:
    ramirez = by_name["JESUS ADRIAN RAMIREZ"]
    assert sorted(e.removed_on for e in ramirez if e.removed_on) == [
        date(2023, 12, 16),
        date(2030, 12, 16),
    ]
    assert len({e.id for e in ramirez}) == 2


def test_dates_and_citations(dpl: DplLoad, by_name: dict[str, list[ListedEntity]]) -> None:
    # " I. ASH" (so listed) is under two orders; this one is effective 06/19/2003
    (ash,) = [e for e in by_name["I. ASH"] if e.listed_on == date(2003, 6, 19)]
    assert ash.listed_on == date(2003, 6, 19)
    assert ash.removed_on == date(2056, 6, 29)
    assert ash.citations == (
        "68 F.R. 38290 6/27/03",
        "71 F.R. 38843 7/10/06",
        "72 F.R. 4236 1/30/07",
    )
    entities = dpl.screening_list.entities
    assert all(e.listed_on is not None for e in entities)
    assert sum(e.removed_on is None for e in entities) > 0  # 53 rows have no Expiration_Date
    assert all(c and c == " ".join(c.split()) for e in entities for c in e.citations)


# --------------------------------------------------------------------------------------------
# Screening


@pytest.fixture(scope="module")
def screener(dpl: DplLoad) -> Screener:
    return Screener([dpl.screening_list])


@pytest.mark.parametrize("query", ["Zimo Sheng", "Abdulah Al Nasser", "Ultra Trade Service LLC"])
def test_screen_finds_real_entries(screener: Screener, query: str) -> None:
    result = screener.screen(query, as_of="2023-12-01")
    assert result.decision == "match"
    assert result.best is not None
    assert result.best.entity.name.casefold() == query.casefold()


def test_screen_as_of_uses_the_order_dates(screener: Screener) -> None:
    # ULTRA TRADE SERVICE LLC: effective 08/28/2023, expires 02/24/2024
    assert screener.screen("Ultra Trade Service LLC", as_of="2023-12-01").decision == "match"
    assert screener.screen("Ultra Trade Service LLC", as_of="2024-03-01").decision == "clear"
    assert screener.screen("Ultra Trade Service LLC", as_of="2023-08-01").decision == "clear"


def test_load_path_and_cli(dpl: DplLoad, capsys: pytest.CaptureFixture[str]) -> None:
    assert looks_like_dpl(dpl_file())
    assert load_path(dpl_file()).sha256 == dpl.screening_list.sha256
    status = main(["screen", "Zimo Sheng", "--list", str(dpl_file()), "--as-of", "2023-12-01"])
    out, _ = capsys.readouterr()
    assert status == 0
    assert out.startswith("Zimo Sheng: MATCH")


# --------------------------------------------------------------------------------------------
# Small files


def write_dpl(path: Path, rows: list[list[str]], *, quoted: bool = True) -> Path:
    quoting = csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=quoting, lineterminator="\r\n")
        writer.writerow(DPL_COLUMNS)
        writer.writerows(rows)
    return path


def row(name: str, effective: str = "01/02/2020", expiration: str = "01/02/2030") -> list[str]:
    return [name, "1 Main St", "Town", "", "US", "12345", effective, expiration, "Y",
            "2020-01-03", "NEW", "85 F.R. 1 1/3/2020"]  # fmt: skip


def test_bad_rows_are_named_and_the_rest_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        row("GOOD ONE"),
        row("SHORT")[:5],  # line 3
        row("  "),  # line 4
        row("BAD START", effective="13/45/2020"),  # line 5
        row("BAD END", expiration="soon"),  # line 6
        row("ENDED FIRST", expiration="01/01/2020"),  # line 7: expired before in force
        row("GOOD TWO", expiration=""),
    ]
    path = write_dpl(tmp_path / "dpl.txt", rows)
    load = load_dpl(path)
    assert [e.name for e in load.screening_list.entities] == ["GOOD ONE", "GOOD TWO"]
    assert load.screening_list.entities[1].removed_on is None
    assert [(e.path, e.line, e.field) for e in load.errors] == [
        (str(path), 3, "Postal_Code"),
        (str(path), 4, "Name"),
        (str(path), 5, "Effective_Date"),
        (str(path), 6, "Expiration_Date"),
        (str(path), 7, "Expiration_Date"),
    ]
    assert str(load.errors[2]).endswith("Effective_Date '13/45/2020' is not a MM/DD/YYYY date")
    assert str(load.errors[4]).endswith("2020-01-01 is before Effective_Date 2020-01-02")
    with pytest.raises(ListFormatError, match="line 3"):
        load_dpl(path, strict=True)
    with pytest.warns(UserWarning, match="row left out"):
        assert len(load_path(path).entities) == 2
    # Loaded again in one process, where Python may show a repeated warning only once, the
    # list still says which rows it left out, and results and `lists` say how many.
    for _ in range(2):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            again = load_path(path)
        assert again.rows_left_out == tuple(str(error) for error in load.errors)
        assert again.to_dict()["rows_left_out"] == 5
    with pytest.warns(UserWarning, match="row left out"):
        assert main(["lists", "--list", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("  row left out: ") == 5
    assert f"row left out: {path}, line 3, field 'Postal_Code'" in out


def test_columns_in_another_order_are_found_by_load_path(tmp_path: Path) -> None:
    # (The header once had to start Name<TAB>Street_Address; the file then went to the CSL
    # reader, which said the header lacked CSL columns.)
    header, rows = DPL_COLUMNS, [row("ACME LTD")]
    order = [1, 0, *range(2, len(header))]
    path = tmp_path / "swapped.txt"
    path.write_text(
        "\n".join("\t".join(cells[i] for i in order) for cells in [list(header), *rows]) + "\n",
        encoding="utf-8",
    )
    assert looks_like_dpl(path)
    assert [(e.name, e.list_code) for e in load_path(path).entities] == [("ACME LTD", "DPL")]


def test_unquoted_header_and_version_from_the_file_name(tmp_path: Path) -> None:
    path = write_dpl(tmp_path / "dpl_2024-05-01.tsv", [row("ACME LTD")], quoted=False)
    assert path.read_text(encoding="utf-8").startswith("Name\tStreet_Address")
    assert looks_like_dpl(path)
    screening_list = load_path(path)
    assert screening_list.version == "2024-05-01"
    assert [e.list_code for e in screening_list.entities] == ["DPL"]


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(ListNotFoundError):
        load_dpl(tmp_path / "missing.txt")
    headless = tmp_path / "headless.txt"
    headless.write_text("Street_Address\tCity\n1 Main St\tTown\n", encoding="utf-8")
    assert not looks_like_dpl(headless)
    with pytest.raises(ListFormatError, match="lacks column") as caught:
        load_dpl(headless)
    assert caught.value.field == "Name"
    twice = tmp_path / "twice.txt"
    twice.write_text("Name\tStreet_Address\tNAME\nAcme\t1 Main St\tBOGUS\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="names the column 'Name' twice"):
        load_dpl(twice)


# --------------------------------------------------------------------------------------------
# Citations


@pytest.mark.parametrize(
    ("text", "citations"),
    [
        ("87 F.R. 52741 8/29/2022", ("87 F.R. 52741 8/29/2022",)),
        (
            "68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06",
            ("68 F.R. 38290 6/27/03", "71 F.R. 38843 7/10/06"),
        ),
        # real oddities: a full stop between citations, a cut-short year, no blank after "FR"
        (
            "87 F.R. 68123 11/14/2022. 88 F.R. 30078 5/10/2023",
            ("87 F.R. 68123 11/14/2022", "88 F.R. 30078 5/10/2023"),
        ),
        (
            "67 F.R. 10890 3/11/02 66 F.R. 47630 9/13/0 72 F.R. 4236 1/30/07",
            ("67 F.R. 10890 3/11/02", "66 F.R. 47630 9/13/0", "72 F.R. 4236 1/30/07"),
        ),
        ("83F.R. 28801 6/21/2018, 81.F.R. 22576", ("83F.R. 28801 6/21/2018", "81.F.R. 22576")),
        ("82 F.R. 16788, 16789 4/6/2017", ("82 F.R. 16788, 16789 4/6/2017",)),
        ("F.R. 30823 7/3/2017", ("F.R. 30823 7/3/2017",)),
        (
            "66 F.R. 47630 9/13/01, NEW F.R. NOTICE TO BE PUBLISHED SOON",
            ("66 F.R. 47630 9/13/01, NEW F.R. NOTICE TO BE PUBLISHED SOON",),
        ),
        ("70 F.R. 1 1/1/2005 and 71 F.R. 2", ("70 F.R. 1 1/1/2005", "71 F.R. 2")),
        ("", ()),
    ],
)
def test_split_dpl_citations(text: str, citations: tuple[str, ...]) -> None:
    assert split_dpl_citations(text) == citations


def test_every_real_citation_starts_with_its_volume_or_fr(dpl: DplLoad) -> None:
    for entity in dpl.screening_list.entities:
        for citation in entity.citations:
            assert re.match(r"(\d+\s*\.?\s*)?F\.?\s?R", citation), citation


#: Citation-like text: volumes, "F.R.", pages, dates, separators and words.
citation_text = st.lists(
    st.sampled_from(
        ["68", "F.R.", "FR", "38290", "6/27/03", ",", ";", ".", " ", "and", "NEW", "81.F.R.", "x"]
    ),
    max_size=14,
).map(" ".join)


@given(st.one_of(citation_text, st.text(max_size=40)))
def test_split_dpl_citations_is_lossless(text: str) -> None:
    """The citations are, in order, pieces of the text; only separators are left between."""
    collapsed = " ".join(text.split())
    position = 0
    for citation in split_dpl_citations(text):
        assert citation
        found = collapsed.find(citation, position)
        assert found >= 0
        assert re.fullmatch(r"(?:[\s,;.]|and)*", collapsed[position:found])
        position = found + len(citation)
    assert re.fullmatch(r"(?:[\s,;.]|and)*", collapsed[position:])
