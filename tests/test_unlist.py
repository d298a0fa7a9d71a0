"""Tests of the UN Security Council Consolidated List loader, on the real XML file in
``shared/data/other_lists``.

The shared file is read in place (skips, or fails in CI, when ../shared is absent; see
conftest). Files with bad records are small files written to ``tmp_path``.
"""

from __future__ import annotations

import hashlib
import tempfile
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partyscreen.cli import main
from partyscreen.errors import ListFormatError, ListNotFoundError
from partyscreen.loaders import load_path
from partyscreen.model import ListedEntity
from partyscreen.screener import Screener
from partyscreen.unlist import (
    UN_LIST_CODE,
    UN_LIST_NAME,
    UnLoad,
    has_non_latin_letters,
    load_un,
    looks_like_un,
)
from tests.conftest import shared_path

INDIVIDUALS = 730
ENTITIES = 273
#: NAME_ORIGINAL_SCRIPT values kept as native aliases (378 in the file; one, of
#: JAMAAH ANSHARUT DAULAH, repeats the Latin name and is not kept twice).
ORIGINAL_SCRIPT_NAMES = 377
#: ALIAS_NAMEs with a non-Latin letter (Arabic, Cyrillic, Chinese), some "Latin (native)".
NON_LATIN_ALIAS_NAMES = 39
#: Every alias with a non-Latin letter: the above, and the native halves of paired aliases.
NON_LATIN_ALIASES = 442


def un_file() -> Path:
    return shared_path("data", "other_lists", "un_consolidated.xml")


@pytest.fixture(scope="module")
def un() -> UnLoad:
    return load_un(un_file())


@pytest.fixture(scope="module")
def entities(un: UnLoad) -> dict[str, ListedEntity]:
    return {entity.id: entity for entity in un.screening_list.entities}


def aliases(entity: ListedEntity, kind: str | None = None) -> list[str]:
    return [alias.name for alias in entity.aliases if kind is None or alias.kind == kind]


# --------------------------------------------------------------------------------------------
# The real file


def test_counts_and_metadata(un: UnLoad) -> None:
    screening_list = un.screening_list
    assert un.errors == ()
    types = Counter(entity.entity_type for entity in screening_list.entities)
    assert types == {"individual": INDIVIDUALS, "entity": ENTITIES}
    assert len({entity.id for entity in screening_list.entities}) == INDIVIDUALS + ENTITIES
    assert {(e.list_code, e.list_name) for e in screening_list.entities} == {
        (UN_LIST_CODE, UN_LIST_NAME)
    }
    assert screening_list.version == "2026-02-27"  # dateGenerated="2026-02-27T00:00:09.554Z"
    assert screening_list.sha256 == hashlib.sha256(un_file().read_bytes()).hexdigest()
    assert screening_list.source == "un_consolidated.xml"
    assert load_un(un_file(), version="v1").screening_list.version == "v1"


def test_every_entity_has_names_a_reference_and_a_listing_date(un: UnLoad) -> None:
    for entity in un.screening_list.entities:
        assert entity.name
        assert entity.name == " ".join(entity.name.split())
        assert all(alias.name for alias in entity.aliases)
        assert all(alias.name == alias.name.strip() for alias in entity.aliases)
        assert entity.id == f"UN-{entity.citations[0]}"
        assert entity.listed_on is not None
        assert len(entity.programs) == 1


def test_a_known_individual(entities: dict[str, ListedEntity]) -> None:
    saddam = entities["UN-IQi.001"]
    assert saddam.name == "SADDAM HUSSEIN AL-TIKRITI"  # FIRST, SECOND and THIRD_NAME
    assert saddam.entity_type == "individual"
    assert saddam.listed_on == date(2003, 6, 27)
    assert saddam.citations == ("IQi.001",)
    assert saddam.programs == ("Iraq",)
    assert [(a.name, a.kind, a.source) for a in saddam.aliases] == [
        ("صدام حسين التكريتي", "native", "NAME_ORIGINAL_SCRIPT"),
        ("Abu Ali", "aka", "UN alias, QUALITY Low"),  # low-quality aliases are kept
    ]


def test_a_known_entity(entities: dict[str, ListedEntity]) -> None:
    adf = entities["UN-CDe.001"]
    assert adf.name == "ADF"
    assert adf.entity_type == "entity"
    assert aliases(adf, "aka") == ["Allied Democratic Forces"]
    assert aliases(adf, "fka") == [
        "Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda",
        "ADF/NALU",
        "NALU",
    ]
    assert adf.addresses == ("North Kivu, Democratic Republic of the Congo",)
    assert adf.remarks.startswith("ADF founder and leader, Jamil Mukulu (CDi.015)")
    # a FIRST_NAME naming two companies gives each, and their short forms, as aliases
    cagl = entities["UN-CDe.003"]
    assert cagl.name == (
        "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)"
    )
    assert aliases(cagl, "derived") == [
        "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)",
        "GREAT LAKES BUSINESS COMPANY (GLBC)",
        "GLBC",
    ]
    assert aliases(cagl, "aka") == ["CAGL"]


def test_native_script_aliases(un: UnLoad, entities: dict[str, ListedEntity]) -> None:
    every = [alias for entity in un.screening_list.entities for alias in entity.aliases]
    original = [a for a in every if a.source == "NAME_ORIGINAL_SCRIPT"]
    assert len(original) == ORIGINAL_SCRIPT_NAMES
    assert all(a.kind == "native" and has_non_latin_letters(a.name) for a in original)
    listed = [a for a in every if a.source.startswith("UN alias")]
    assert sum(has_non_latin_letters(a.name) for a in listed) == NON_LATIN_ALIAS_NAMES
    non_latin = [a for a in every if has_non_latin_letters(a.name)]
    assert len(non_latin) == NON_LATIN_ALIASES
    scripts = Counter(
        unicodedata.name(next(c for c in a.name if c.isalpha() and ord(c) > 0x24F)).split()[0]
        for a in non_latin
    )
    assert set(scripts) == {"ARABIC", "CYRILLIC", "CJK"}
    # "Jin Tiesan (金铁三)": kept whole, and its halves
    kim = entities["UN-KPi.035"]
    assert kim.name == "KIM CHOL SAM"
    assert [(a.name, a.kind) for a in kim.aliases] == [
        ("Jin Tiesan (金铁三)", "aka"),
        ("金铁三", "native"),
        ("Jin Tiesan", "derived"),
    ]


def test_odd_values(entities: dict[str, ListedEntity]) -> None:
    # <LISTED_ON>2015-04-07-04:00</LISTED_ON>: a date with a time zone
    assert entities["UN-QDi.352"].listed_on == date(2015, 4, 7)
    # <REFERENCE_NUMBER>KPe.023 </REFERENCE_NUMBER>: the blank is dropped
    assert entities["UN-KPe.023"].citations == ("KPe.023",)


# --------------------------------------------------------------------------------------------
# Screening


@pytest.fixture(scope="module")
def screener(un: UnLoad) -> Screener:
    return Screener([un.screening_list])


@pytest.mark.parametrize(
    ("query", "entity_id", "matched"),
    [
        ("Saddam Hussein Al-Tikriti", "UN-IQi.001", "SADDAM HUSSEIN AL-TIKRITI"),
        ("صدام حسين التكريتي", "UN-IQi.001", "صدام حسين التكريتي"),
        ("Allied Democratic Forces", "UN-CDe.001", "Allied Democratic Forces"),
        (
            "Great Lakes Business Company (GLBC)",
            "UN-CDe.003",
            "GREAT LAKES BUSINESS COMPANY (GLBC)",
        ),
        ("金铁三", "UN-KPi.035", None),
        ("Frank Kakorere", "UN-CDi.002", "FRANK KAKORERE"),
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


def test_load_path_and_cli(un: UnLoad, capsys: pytest.CaptureFixture[str]) -> None:
    assert looks_like_un(un_file())
    assert load_path(un_file()).sha256 == un.screening_list.sha256
    status = main(["screen", "Allied Democratic Forces", "--list", str(un_file())])
    out, _ = capsys.readouterr()
    assert status == 0
    assert out.startswith("Allied Democratic Forces: MATCH")
    assert "ADF" in out


# --------------------------------------------------------------------------------------------
# Small files

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<CONSOLIDATED_LIST dateGenerated="2024-01-02T03:04:05Z">'
)


def record(tag: str, *children: str) -> str:
    return f"<{tag}>\n" + "\n".join(f"  {child}" for child in children) + f"\n</{tag}>"


def write_un(path: Path, individuals: list[str], entities: list[str]) -> Path:
    body = [HEAD, "<INDIVIDUALS>", *individuals, "</INDIVIDUALS>", "<ENTITIES>", *entities]
    path.write_text("\n".join([*body, "</ENTITIES>", "</CONSOLIDATED_LIST>\n"]), encoding="utf-8")
    return path


def test_bad_records_are_named_and_the_rest_loads(tmp_path: Path) -> None:
    individuals = [
        record(  # lines 4-9
            "INDIVIDUAL",
            "<DATAID>1</DATAID>",
            "<FIRST_NAME>ANNA</FIRST_NAME>",
            "<REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER>",
            "<LISTED_ON>2020-01-02</LISTED_ON>",
        ),
        record(  # lines 10-15: no name
            "INDIVIDUAL",
            "<DATAID>2</DATAID>",
            "<FIRST_NAME/>",
            "<REFERENCE_NUMBER>XXi.002</REFERENCE_NUMBER>",
            "<LISTED_ON>2020-01-02</LISTED_ON>",
        ),
        record(  # lines 16-21: bad date
            "INDIVIDUAL",
            "<DATAID>3</DATAID>",
            "<FIRST_NAME>BORIS</FIRST_NAME>",
            "<REFERENCE_NUMBER>XXi.003</REFERENCE_NUMBER>",
            "<LISTED_ON>yesterday</LISTED_ON>",
        ),
        record(  # lines 22-26: repeats XXi.001
            "INDIVIDUAL",
            "<DATAID>4</DATAID>",
            "<FIRST_NAME>CARLA</FIRST_NAME>",
            "<REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER>",
        ),
    ]
    entities = [
        record(  # lines 29-32: no REFERENCE_NUMBER: the DATAID stands in
            "ENTITY", "<DATAID>5</DATAID>", "<FIRST_NAME>DELTA LLC</FIRST_NAME>"
        ),
        record("ENTITY", "<FIRST_NAME>NO IDS</FIRST_NAME>"),  # lines 33-35
    ]
    path = write_un(tmp_path / "un.xml", individuals, entities)
    load = load_un(path)
    assert [(e.id, e.name) for e in load.screening_list.entities] == [
        ("UN-XXi.001", "ANNA"),
        ("UN-5", "DELTA LLC"),
    ]
    assert load.screening_list.version == "2024-01-02"
    assert [(e.path, e.line, e.entry, e.field) for e in load.errors] == [
        (str(path), 12, "XXi.002", "FIRST_NAME"),
        (str(path), 20, "XXi.003", "LISTED_ON"),
        (str(path), 25, "XXi.001", "REFERENCE_NUMBER"),
        (str(path), 33, None, "REFERENCE_NUMBER"),
    ]
    assert str(load.errors[1]) == (
        f"{path}, line 20, entry 'XXi.003', field 'LISTED_ON': "
        "LISTED_ON 'yesterday' is not a YYYY-MM-DD date"
    )
    with pytest.raises(ListFormatError, match="line 12"):
        load_un(path, strict=True)
    with pytest.warns(UserWarning, match="row left out"):
        assert len(load_path(path).entities) == 2


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(ListNotFoundError):
        load_un(tmp_path / "missing.xml")
    broken = tmp_path / "broken.xml"
    broken.write_text(HEAD + "\n<INDIVIDUALS>\n<INDIVIDUAL>\n</INDIVIDUALS>\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="malformed XML") as caught:
        load_un(broken)
    assert caught.value.line == 5
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?>\n<sdnList>\n</sdnList>\n', encoding="utf-8")
    assert not looks_like_un(other)
    with pytest.raises(ListFormatError, match="root element is 'sdnList'"):
        load_un(other)
    # Any .xml goes to the UN loader, whose errors say what the file is not (the CSL reader's
    # said its header lacked CSL columns).
    with pytest.raises(ListFormatError, match="root element is 'sdnList'"):
        load_path(other)
    with pytest.raises(ListFormatError, match="malformed XML"):
        load_path(broken)
    assert not looks_like_un(broken.with_name("absent.xml"))
    # A record out of its place (no INDIVIDUALS around it, or one more level) is not dropped.
    anna = record("INDIVIDUAL", "<DATAID>1</DATAID>", "<FIRST_NAME>ANNA</FIRST_NAME>")
    for layout, line in [
        ([HEAD, anna, "</CONSOLIDATED_LIST>"], 3),
        (
            [
                HEAD,
                "<INDIVIDUALS>",
                "<GROUP>",
                anna,
                "</GROUP>",
                "</INDIVIDUALS>",
                "</CONSOLIDATED_LIST>",
            ],
            5,
        ),
    ]:
        misplaced = tmp_path / "misplaced.xml"
        misplaced.write_text("\n".join(layout) + "\n", encoding="utf-8")
        with pytest.raises(ListFormatError, match="an INDIVIDUAL record out of place") as caught:
            load_un(misplaced)
        assert (caught.value.line, caught.value.field) == (line, "INDIVIDUAL")


#: Name parts as XML can carry them (no control characters, no surrogates).
name_part = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")).filter(
        lambda char: char not in "\ufffe\uffff"
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(name_part, min_size=1, max_size=4), st.lists(name_part, max_size=3))
def test_names_and_aliases_round_trip(parts: list[str], alias_names: list[str]) -> None:
    """A record's name is its name parts, blanks collapsed; every alias name is kept or is a
    repeat; a record without any name is an error, never an entity with an empty name."""
    root = ET.Element("CONSOLIDATED_LIST")
    record_element = ET.SubElement(ET.SubElement(root, "INDIVIDUALS"), "INDIVIDUAL")
    ET.SubElement(record_element, "REFERENCE_NUMBER").text = "XXi.001"
    tags = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    for tag, part in zip(tags, parts, strict=False):
        ET.SubElement(record_element, tag).text = part
    for alias_name in alias_names:
        alias = ET.SubElement(record_element, "INDIVIDUAL_ALIAS")
        ET.SubElement(alias, "ALIAS_NAME").text = alias_name
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "un.xml"
        ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
        load = load_un(path)
    expected = " ".join(" ".join(parts).split())
    if not expected:
        assert load.screening_list.entities == ()
        assert [e.field for e in load.errors] == ["FIRST_NAME"]
        return
    (entity,) = load.screening_list.entities
    assert entity.name == expected
    kept = {alias.name.casefold() for alias in entity.aliases} | {expected.casefold()}
    for alias_name in alias_names:
        collapsed = " ".join(alias_name.split())
        assert not collapsed or collapsed.casefold() in kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jin Tiesan (金铁三)", True),
        ("صدام حسين", True),
        ("Олег", True),
        ("Forces Démocratiques Alliées", False),
        ("Hawaiʻi Nº 5 ª", False),
        ("ABU 123 !", False),
    ],
)
def test_has_non_latin_letters(text: str, expected: bool) -> None:
    assert has_non_latin_letters(text) is expected
