"""partyscreen's own list format: a valid file loads; every kind of bad entry is named."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from partyscreen.errors import ListFormatError, ListNotFoundError
from partyscreen.listfile import load_list_file

HEADER = """\
[list]
name = "Test list"
code = "EL"
list_name = "Entity List (EL) - Bureau of Industry and Security"
version = 2026-11-22
source = "written by the test"
"""

ENTITY = """
[[entity]]
id = "EL-test-1"
name = "Example Widgets Co., Ltd."
aliases = [
  { name = "Example Widgets", kind = "short", source = "test" },
  { name = "示例", kind = "native", source = "test" },
]
addresses = ["1 Test Road, Testville, CN"]
citations = ["84 FR 54002"]
listed_on = 2019-10-09
license_requirement = "For all items subject to the EAR."
license_policy = "Presumption of denial."
sources = ["test"]
"""

EXCEPTION = """
[[exception]]
id = "x-1"
entity = "EL-test-1"
granted_by = "US Department of Commerce"
granted_to = "Example Widgets Co., Ltd."
applied_on = 2020-02-07
scope = "medical supplies"
purpose = "donation"
source = "a filing"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "list.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + ENTITY + EXCEPTION)
    loaded = load_list_file(path)
    assert loaded.name == "Test list"
    assert loaded.version == "2026-11-22"
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    (entity,) = loaded.entities
    assert entity.list_code == "EL"
    assert entity.listed_on == date(2019, 10, 9)
    assert [a.kind for a in entity.aliases] == ["short", "native"]
    assert entity.exceptions[0].applied_on == date(2020, 2, 7)
    assert entity.exceptions[0].entity_id == entity.id


@pytest.mark.parametrize(
    ("old", "new", "entry", "field"),
    [
        ('name = "Example Widgets Co., Ltd."\n', "", "EL-test-1", "name"),
        ("listed_on = 2019-10-09", 'listed_on = "9 Oct 2019"', "EL-test-1", "listed_on"),
        ('citations = ["84 FR 54002"]', "citations = []", "EL-test-1", "citations"),
        ('kind = "short"', 'kind = "nickname"', "EL-test-1 alias 1", "kind"),
        ('sources = ["test"]\n', 'sources = ["test"]\ncolour = "red"\n', "EL-test-1", "colour"),
        ('id = "EL-test-1"', 'id = "EL test 1"', "EL test 1", "id"),
        (
            "listed_on = 2019-10-09",
            "listed_on = 2019-10-09\nremoved_on = 2018-01-01",
            "EL-test-1",
            "removed_on",
        ),
        (
            'license_policy = "Presumption of denial."',
            'license_policy = ""',
            "EL-test-1",
            "license_policy",
        ),
    ],
)
def test_bad_entity_names_file_entry_and_field(
    tmp_path: Path, old: str, new: str, entry: str, field: str
) -> None:
    assert old in ENTITY
    path = write(tmp_path, HEADER + ENTITY.replace(old, new))
    with pytest.raises(ListFormatError) as info:
        load_list_file(path)
    err = info.value
    assert (err.path, err.entry, err.field) == (str(path), entry, field)  # (the whole path)
    assert str(path) in str(err)
    assert field in str(err)


def test_repeated_id(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="repeated id") as info:
        load_list_file(write(tmp_path, HEADER + ENTITY + ENTITY))
    assert info.value.entry == "EL-test-1"


def test_exception_for_unknown_entity(tmp_path: Path) -> None:
    bad = EXCEPTION.replace('entity = "EL-test-1"', 'entity = "EL-nobody"')
    with pytest.raises(ListFormatError, match="names no entity") as info:
        load_list_file(write(tmp_path, HEADER + ENTITY + bad))
    assert (info.value.entry, info.value.field) == ("exception x-1", "entity")


def test_missing_header_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match=r"\[list\] header"):
        load_list_file(write(tmp_path, ENTITY))
    with pytest.raises(ListFormatError, match="not valid TOML"):
        load_list_file(write(tmp_path, HEADER + "[[entity]\n"))


def test_entities_not_an_array_of_tables(tmp_path: Path) -> None:
    # Not a traceback (an int is not iterable), nor a table read as its keys.
    for body, field in [
        ("entity = 5\n", "entity"),
        ('entity = { id = "a" }\n', "entity"),
        ("exception = 2020-01-01\n", "exception"),
    ]:
        with pytest.raises(ListFormatError, match="must be an array of tables") as info:
            load_list_file(write(tmp_path, body + HEADER))
        assert info.value.field == field


def test_a_bom_is_allowed_and_deep_nesting_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + ENTITY).encode("utf-8"))
    assert [e.id for e in load_list_file(path).entities] == ["EL-test-1"]
    with pytest.raises(ListFormatError, match="nested too deeply"):
        load_list_file(write(tmp_path, HEADER + "x = " + "[" * 100_000 + "]" * 100_000 + "\n"))


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ListNotFoundError, match="no list file at"):
        load_list_file(tmp_path / "absent.toml")


def test_error_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"list\.toml"):
        load_list_file(write(tmp_path, HEADER + ENTITY.replace("citations", "citation")))
