"""Tests of the OFAC SDN legacy CSV loader, on the real files in ``shared/data/ofac``.

The shared files are read in place (they skip, or fail in CI, when ../shared is absent; see
conftest). Files with bad rows are small files written to ``tmp_path``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partyscreen.cli import main
from partyscreen.errors import ListFormatError, ListNotFoundError
from partyscreen.loaders import load_path
from partyscreen.model import ListedEntity
from partyscreen.ofac import (
    SDN_LIST_CODE,
    SDN_LIST_NAME,
    OfacLoad,
    is_ofac_path,
    load_ofac,
    person_name_order,
    split_programs,
)
from partyscreen.screener import Screener
from tests.conftest import shared_path

#: Rows of the 2021-07 snapshot (PROVENANCE.md), each file without its Ctrl-Z line.
SDN_ROWS = 8976
ALT_ROWS = 11910
#: alt.csv rows that repeat the entry's name (4) or another of its aliases (2): not kept twice.
ALT_REPEATS = 6
ADD_ROWS = 13837
#: add.csv rows whose Address, City... and Country are all ``-0-``: no address to keep.
ADD_EMPTY_ROWS = 2397


def ofac_dir() -> Path:
    return shared_path("data", "ofac")


@pytest.fixture(scope="module")
def sdn() -> OfacLoad:
    return load_ofac(ofac_dir())


@pytest.fixture(scope="module")
def entities(sdn: OfacLoad) -> dict[str, ListedEntity]:
    return {entity.id: entity for entity in sdn.screening_list.entities}


@pytest.fixture(scope="module")
def screener(sdn: OfacLoad) -> Screener:
    return Screener([sdn.screening_list])


def aliases(entity: ListedEntity, kind: str | None = None) -> list[str]:
    return [alias.name for alias in entity.aliases if kind is None or alias.kind == kind]


# --------------------------------------------------------------------------------------------
# The real files


def test_counts(sdn: OfacLoad) -> None:
    entities = sdn.screening_list.entities
    assert sdn.errors == ()
    assert len(entities) == SDN_ROWS
    assert len({entity.id for entity in entities}) == SDN_ROWS
    kinds = Counter(alias.kind for entity in entities for alias in entity.aliases)
    assert kinds["aka"] + kinds["fka"] == ALT_ROWS - ALT_REPEATS
    assert kinds["fka"] == 369
    assert sum(len(entity.addresses) for entity in entities) == ADD_ROWS - ADD_EMPTY_ROWS
    assert Counter(entity.entity_type for entity in entities) == {
        "individual": 4620,
        "entity": 3673,
        "vessel": 406,
        "aircraft": 277,
    }
    assert {entity.list_code for entity in entities} == {SDN_LIST_CODE}
    assert {entity.list_name for entity in entities} == {SDN_LIST_NAME}


def test_list_metadata(sdn: OfacLoad) -> None:
    files = [ofac_dir() / name for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")]
    blob = b"".join(file.read_bytes() for file in files)
    screening_list = sdn.screening_list
    assert screening_list.sha256 == hashlib.sha256(blob).hexdigest()
    assert screening_list.source == "sdn.csv, alt.csv, add.csv, sdn_comments.csv"
    assert screening_list.version is None
    assert screening_list.name == SDN_LIST_NAME
    assert load_ofac(ofac_dir(), version="2021-07-07").screening_list.version == "2021-07-07"


def test_given_the_path_of_sdn_csv(sdn: OfacLoad) -> None:
    load = load_ofac(ofac_dir() / "sdn.csv", strict=True)
    assert load.screening_list.sha256 == sdn.screening_list.sha256
    assert len(load.screening_list.entities) == SDN_ROWS


def test_aliases_of_known_entries(entities: dict[str, ListedEntity]) -> None:
    bnc = entities["SDN-306"]
    assert bnc.name == "BANCO NACIONAL DE CUBA"
    assert [(a.name, a.kind, a.source) for a in bnc.aliases] == [
        ("NATIONAL BANK OF CUBA", "aka", "alt.csv alt_num 220 (aka)")
    ]
    assert bnc.programs == ("CUBA",)
    assert bnc.remarks == "a.k.a. 'BNC'."
    assert bnc.addresses[:2] == (
        "Zweierstrasse 35, Zurich CH-8022, Switzerland",
        "Avenida de Concha Espina 8, Madrid E-28036, Spain",
    )
    # "now known as" is an alias like any other; its source keeps OFAC's type
    nuevo = entities["SDN-8244"]
    nka = [a for a in nuevo.aliases if a.source.endswith("(nka)")]
    assert [a.name for a in nka][:2] == ["NUEVO CONTINENTE S.A.", "NUEVOCONTINENTE S.A."]
    assert {a.kind for a in nka} == {"aka"}
    assert "INDUSTRIA AVICOLA PALMASECA S.A." in aliases(entities["SDN-4359"], "fka")


def test_the_ctrl_z_line_is_skipped(sdn: OfacLoad) -> None:
    for name in ("sdn.csv", "alt.csv", "add.csv"):
        assert (ofac_dir() / name).read_bytes().endswith(b"\r\n\x1a")
    assert not any("\x1a" in entity.name for entity in sdn.screening_list.entities)
    assert sdn.errors == ()


def test_null_markers_become_empty(entities: dict[str, ListedEntity]) -> None:
    aero = entities["SDN-36"]  # 36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,...,-0-
    assert aero.entity_type == "entity"
    assert aero.remarks == ""
    assert aero.addresses == ("Havana, Cuba",)  # Address is -0-
    # "-0-" inside a value stays ("US FEIN CH-660-0-469-982-0"); as a value of its own, never
    assert not any(
        re.search(r"(?:^|\s)-0-(?:\s|$)", text)
        for entity in entities.values()
        for text in (entity.name, entity.remarks, *entity.addresses, *aliases(entity))
    )


def test_individuals_are_typed_and_get_a_first_last_alias(
    entities: dict[str, ListedEntity],
) -> None:
    noriega = entities["SDN-1572"]
    assert noriega.entity_type == "individual"
    assert noriega.name == "NORIEGA, Manuel Antonio"  # kept as listed
    assert aliases(noriega, "derived") == ["Manuel Antonio NORIEGA"]
    reyes = entities["SDN-10851"]
    assert reyes.name == "DELOS REYES, Feliciano Semborio, Jr."
    derived = aliases(reyes, "derived")
    assert derived[0] == "Feliciano Semborio DELOS REYES Jr."
    assert "Feleciano Semborio DELOS REYES" in derived  # from the alias "DELOS REYES, Feleciano..."
    knowles = entities["SDN-7223"]  # alias "KNOWLES, JR., Samuel"
    assert "Samuel KNOWLES JR." in aliases(knowles, "derived")
    # organisations keep their commas: no reordering
    assert aliases(entities["SDN-480"], "derived") == []  # "CECOEX, S.A."
    assert entities["SDN-4234"].entity_type == "vessel"
    assert entities["SDN-15431"].entity_type == "aircraft"


def test_programs_are_split(entities: dict[str, ListedEntity]) -> None:
    assert entities["SDN-4632"].programs == ("IRAN", "SDGT", "IRGC", "IFSR")
    irgc = entities["SDN-10391"].programs
    assert irgc == (
        "FTO",
        "SDGT",
        "NPWMD",
        "IRGC",
        "IFSR",
        "IRAN-HR",
        "HRIT-IR",
        "ELECTION-EO13848",
    )


def test_extended_remarks_are_appended(entities: dict[str, ListedEntity]) -> None:
    # sdn.csv cuts the remarks at 1,000 characters, mid-word; sdn_comments.csv continues them
    remarks = entities["SDN-28264"].remarks
    assert len(remarks) > 1000
    assert "Phone Number 8613314257947" in remarks  # spans the cut ("...P" + "hone Number...")
    assert remarks.endswith("Linked To: LAZARUS GROUP.")
    assert "a.k.a. 'snowsjohn'" in entities["SDN-28263"].remarks


# --------------------------------------------------------------------------------------------
# Screening


@pytest.mark.parametrize(
    ("query", "entity_id", "matched"),
    [
        ("BANCO NACIONAL DE CUBA", "SDN-306", "BANCO NACIONAL DE CUBA"),
        ("National Bank of Cuba", "SDN-306", "NATIONAL BANK OF CUBA"),
        ("Manuel Antonio Noriega", "SDN-1572", None),
        ("Islamic Revolutionary Guard Corps", "SDN-10391", "ISLAMIC REVOLUTIONARY GUARD CORPS"),
        ("Aero-Caribbean", "SDN-36", "AERO-CARIBBEAN"),
    ],
)
def test_screen_finds_real_entries(
    screener: Screener, query: str, entity_id: str, matched: str | None
) -> None:
    result = screener.screen(query)
    assert result.decision == "match"
    assert result.best is not None
    assert result.best.entity.id == entity_id
    if matched is not None:
        assert result.best.matched_name == matched


def test_load_path_and_screener_from_a_directory(sdn: OfacLoad) -> None:
    assert is_ofac_path(ofac_dir())
    assert is_ofac_path(ofac_dir() / "sdn.csv")
    assert not is_ofac_path(ofac_dir() / "alt.csv")
    assert load_path(ofac_dir()).sha256 == sdn.screening_list.sha256
    assert load_path(ofac_dir() / "sdn.csv").sha256 == sdn.screening_list.sha256


def test_cli_screens_against_the_directory(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["screen", "National Bank of Cuba", "--list", str(ofac_dir())])
    out, _ = capsys.readouterr()
    assert status == 0
    assert out.startswith("National Bank of Cuba: MATCH")
    assert "BANCO NACIONAL DE CUBA" in out


# --------------------------------------------------------------------------------------------
# Bad rows (small files written to tmp_path)

SDN_GOOD = [
    '10,"ALPHA TRADING LLC",-0- ,"[SDGT] [IRGC]",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
    '11,"SMITH, John","individual","CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1950."',
]


def write_ofac(
    directory: Path,
    sdn: list[str],
    alt: list[str],
    add: list[str],
    comments: list[str] | None = None,
    *,
    eof: bytes = b"\r\n\x1a",
) -> Path:
    directory.mkdir(exist_ok=True)
    files = {"sdn.csv": sdn, "alt.csv": alt, "add.csv": add}
    if comments is not None:
        files["sdn_comments.csv"] = comments
    for name, lines in files.items():
        (directory / name).write_bytes("\r\n".join(lines).encode("utf-8") + eof)
    return directory


def test_a_small_good_set(tmp_path: Path) -> None:
    directory = write_ofac(
        tmp_path / "ofac",
        SDN_GOOD,
        ['11,1,"aka","SMITH, Johnny",-0- ', '10,2,"fka","ALPHA LLC",-0- '],
        ['10,1,"1 Main St","Dubai","United Arab Emirates","Suite 2"', "11,2,-0- ,-0- ,-0- ,-0- "],
        ['11," Born in Havana."'],
    )
    load = load_ofac(directory, strict=True)
    alpha, smith = load.screening_list.entities
    assert alpha.id == "SDN-10"
    assert alpha.programs == ("SDGT", "IRGC")
    assert alpha.addresses == ("1 Main St, Dubai, United Arab Emirates (Suite 2)",)
    assert [(a.name, a.kind) for a in alpha.aliases] == [("ALPHA LLC", "fka")]
    assert smith.remarks == "DOB 1950. Born in Havana."
    assert smith.addresses == ()
    assert [(a.name, a.kind) for a in smith.aliases] == [
        ("SMITH, Johnny", "aka"),
        ("John SMITH", "derived"),
        ("Johnny SMITH", "derived"),
    ]


@pytest.mark.parametrize("eof", [b"\r\n\x1a", b"\x1a", b"\r\n\x1a\r\n", b"\n", b""])
def test_the_end_of_file_marker_in_any_place_is_skipped(tmp_path: Path, eof: bytes) -> None:
    alt = ['11,1,"aka","SMITH, J.",-0- ']
    add = ['10,1,"1 Main St","Town","Country",-0- ']
    directory = write_ofac(tmp_path / "ofac", SDN_GOOD, alt, add, eof=eof)
    load = load_ofac(directory, strict=True)
    assert [entity.name for entity in load.screening_list.entities] == [
        "ALPHA TRADING LLC",
        "SMITH, John",
    ]
    assert load.screening_list.entities[-1].remarks == "DOB 1950."
    assert aliases(load.screening_list.entities[1], "aka") == ["SMITH, J."]
    assert load.screening_list.entities[0].addresses == ("1 Main St, Town, Country",)


def test_bad_rows_are_named_and_the_rest_loads(tmp_path: Path) -> None:
    sdn = [
        *SDN_GOOD,
        '12,"SHORT ROW",-0- ,"CUBA"',  # line 3: 4 fields
        'x13,"BAD NUMBER",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',  # line 4
        '10,"REPEATED",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',  # line 5
        '14,-0- ,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',  # line 6: no name
        '15,"GOOD AFTER",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
    ]
    alt = [
        '10,1,"aka","ALPHA",-0- ',
        '99,2,"aka","ORPHAN ALIAS",-0- ',  # line 2: no entry 99
        '11,3,"xyz","SMITHY",-0- ',  # line 3: unknown alt_type
        '14,4,"aka","OF THE NAMELESS ROW",-0- ',  # dropped with its entry, no error
        '12,6,"aka","OF THE SHORT ROW",-0- ',  # the same: its entry's row is reported
        '15,5,"aka","AFTER",-0- ',
    ]
    add = ['98,1,"Somewhere","Town","Country",-0- ', '15,2,-0- ,"Town","Country",-0- ']
    comments = ['97,"orphan comment"']
    directory = write_ofac(tmp_path / "ofac", sdn, alt, add, comments)
    load = load_ofac(directory)
    names = {entity.id: entity for entity in load.screening_list.entities}
    assert sorted(names) == ["SDN-10", "SDN-11", "SDN-15"]
    assert aliases(names["SDN-10"]) == ["ALPHA"]
    assert aliases(names["SDN-15"]) == ["AFTER"]
    assert names["SDN-15"].addresses == ("Town, Country",)
    where = {name: str(directory / name) for name in ("sdn.csv", "alt.csv", "add.csv")}
    where["sdn_comments.csv"] = str(directory / "sdn_comments.csv")
    assert [(e.path, e.line, e.field) for e in load.errors] == [
        (where["sdn.csv"], 3, "Title"),
        (where["sdn.csv"], 4, "ent_num"),
        (where["sdn.csv"], 5, "ent_num"),
        (where["sdn.csv"], 6, "SDN_Name"),
        (where["alt.csv"], 2, "ent_num"),
        (where["alt.csv"], 3, "alt_type"),
        (where["add.csv"], 1, "ent_num"),
        (where["sdn_comments.csv"], 1, "ent_num"),
    ]
    assert str(load.errors[4]) == (
        f"{where['alt.csv']}, line 2, field 'ent_num': ent_num 99 is not in sdn.csv"
    )
    assert "repeats the row of line 1" in str(load.errors[2])
    with pytest.raises(ListFormatError, match="line 3") as caught:
        load_ofac(directory, strict=True)
    assert caught.value.field == "Title"


def test_load_path_warns_for_each_row_left_out(tmp_path: Path) -> None:
    directory = write_ofac(tmp_path / "ofac", SDN_GOOD, ['99,1,"aka","ORPHAN",-0- '], [])
    with pytest.warns(UserWarning, match=r"row left out: .*alt\.csv, line 1, field 'ent_num'"):
        screening_list = load_path(directory)
    assert len(screening_list.entities) == 2


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(ListNotFoundError):
        load_ofac(tmp_path / "nowhere")
    directory = write_ofac(tmp_path / "ofac", SDN_GOOD, [], [])
    (directory / "add.csv").unlink()
    with pytest.raises(ListNotFoundError, match=r"add\.csv not found"):
        load_ofac(directory)
    with pytest.raises(ListNotFoundError, match="no list file"):
        load_path(tmp_path)  # a directory without sdn.csv
    # A file of no bytes (a download that failed) is no file of no rows, which has the mark.
    for name in ("sdn.csv", "alt.csv", "add.csv"):
        blank = write_ofac(tmp_path / f"blank-{name}", SDN_GOOD, [], [])
        (blank / name).write_bytes(b"\r\n")
        with pytest.raises(ListFormatError, match="the file is empty, without even") as caught:
            load_ofac(blank)
        assert caught.value.path == str(blank / name)
    latin = write_ofac(tmp_path / "latin", SDN_GOOD, [], [])
    (latin / "alt.csv").write_bytes(b'10,1,"aka","ALPHA",-0- \r\n11,2,"aka","Soci\xe9t\xe9",-0- ')
    with pytest.raises(ListFormatError, match="not UTF-8") as caught:
        load_ofac(latin)
    assert caught.value.line == 2


def test_upper_case_file_names(tmp_path: Path) -> None:
    directory = tmp_path / "ofac"
    directory.mkdir()
    (directory / "SDN.CSV").write_text("\r\n".join(SDN_GOOD) + "\r\n\x1a", encoding="utf-8")
    (directory / "ALT.CSV").write_text('11,1,"aka","SMITH, J.",-0- \r\n\x1a', encoding="utf-8")
    (directory / "ADD.CSV").write_text("\x1a", encoding="utf-8")
    load = load_ofac(directory, strict=True)
    assert load.screening_list.source == "SDN.CSV, ALT.CSV, ADD.CSV"
    assert aliases(load.screening_list.entities[1], "aka") == ["SMITH, J."]
    assert is_ofac_path(directory / "SDN.CSV")


# --------------------------------------------------------------------------------------------
# Helpers


@pytest.mark.parametrize(
    ("text", "programs"),
    [
        ("[SDGT] [IRGC]", ("SDGT", "IRGC")),
        ("SDGT] [IRGC", ("SDGT", "IRGC")),
        ("CUBA", ("CUBA",)),
        (" [IRAN-EO13902] ", ("IRAN-EO13902",)),
        ("", ()),
    ],
)
def test_split_programs(text: str, programs: tuple[str, ...]) -> None:
    assert split_programs(text) == programs


@pytest.mark.parametrize(
    ("name", "reordered"),
    [
        ("NORIEGA, Manuel Antonio", "Manuel Antonio NORIEGA"),
        ("DELOS REYES, Feliciano Semborio, Jr.", "Feliciano Semborio DELOS REYES Jr."),
        ("KNOWLES, JR., Samuel", "Samuel KNOWLES JR."),
        ("MARUF, Taha, Muhyi al-Din", None),  # two commas, no suffix: ambiguous
        ("ABU ZUBAYDAH", None),
        ("SMITH,", None),
    ],
)
def test_person_name_order(name: str, reordered: str | None) -> None:
    assert person_name_order(name) == reordered


#: Program codes as OFAC writes them: capitals, digits and hyphens.
program_code = st.from_regex(r"[A-Z][A-Z0-9-]{0,15}", fullmatch=True)


@given(st.lists(program_code, max_size=6), st.booleans())
def test_split_programs_round_trip(codes: list[str], outer: bool) -> None:
    text = "] [".join(codes)
    assert split_programs(f"[{text}]" if outer else text) == tuple(codes)


@given(st.text())
def test_split_programs_never_loses_a_character(text: str) -> None:
    def squeeze(value: str) -> str:
        return re.sub(r"[\s\[\]]", "", value)

    assert squeeze("".join(split_programs(text))) == squeeze(text)


@given(st.text(max_size=40))
def test_person_name_order_keeps_every_word(name: str) -> None:
    reordered = person_name_order(name)
    if reordered is not None:
        assert sorted(reordered.split()) == sorted(name.replace(",", " ").split())
