"""Loader for OFAC's SDN list in its legacy CSV format.

OFAC publishes the Specially Designated Nationals list as four header-less CSV files that join
on ``ent_num``:

* ``sdn.csv``: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage,
  GRT, Vess_flag, Vess_owner, Remarks;
* ``alt.csv``: ent_num, alt_num, alt_type (``aka``, ``fka``, ``nka``), alt_name, alt_remarks;
* ``add.csv``: ent_num, Add_num, Address, City/State/Province/Postal Code, Country,
  Add_remarks;
* ``sdn_comments.csv`` (optional): ent_num, Remarks_Extended, the rest of a Remarks cell cut
  at 1,000 characters; it is appended to the remarks as it stands (it continues mid-word).

``-0-`` (OFAC writes ``-0- ``, with a trailing space) marks an empty cell, and each file ends
with a line holding only the ``\\x1a`` (Ctrl-Z) end-of-file marker; both are read as nothing.

:func:`load_ofac` takes the directory of the files, or the path of ``sdn.csv`` with the others
beside it (file names are matched without regard to case: OFAC also serves ``SDN.CSV``).
``alt.csv`` and ``add.csv`` are required: an SDN list without its aliases would screen short.
``ScreeningList.sha256`` is the sha256 of the concatenated bytes of sdn.csv, alt.csv, add.csv
and, when present, sdn_comments.csv, in that order; ``source`` names the files read.

Each SDN entry becomes an entity with id ``SDN-<ent_num>``, list code ``SDN``, its type in
lower case (``individual``, ``vessel``, ``aircraft``; ``entity`` when empty), its programs
(``[SDGT] [IRGC]`` -> ``SDGT``, ``IRGC``), its aliases (kind ``aka`` for aka and nka, ``fka``
for fka; the alias's ``source`` names its alt_num and OFAC type), its addresses (the non-empty
parts joined with ``", "``, Add_remarks in parentheses) and its remarks. Individuals are listed
"LAST, First"; the name is kept as listed and "First LAST" is added as a ``derived`` alias, for
the listed name and for each alias so written. Title, Call_Sign and the vessel columns have no
field in the model and are not kept.

A row that cannot be read (wrong number of fields, an ent_num that is not a number or repeats,
an empty name, an unknown alt_type, an alias, address or comment whose ent_num is not in
sdn.csv) becomes a :class:`~partyscreen.errors.ListFormatError` naming the file, line and field,
and the rest loads. Alias, address and comment rows of an SDN row that was left out are dropped
with it, without an error of their own.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from partyscreen.errors import ListFormatError, ListNotFoundError
from partyscreen.loading import ListLoad, decode_utf8
from partyscreen.model import Alias, ListedEntity, ScreeningList

__all__ = [
    "OFAC_FILES",
    "SDN_LIST_CODE",
    "SDN_LIST_NAME",
    "OfacLoad",
    "find_ofac_files",
    "is_ofac_path",
    "load_ofac",
    "person_name_order",
    "split_programs",
]

#: The list code and name of every entity loaded (the names the CSL gives the SDN list).
SDN_LIST_CODE = "SDN"
SDN_LIST_NAME = "Specially Designated Nationals (SDN) - Treasury Department"

#: The files of the legacy format, in the order they are hashed; the last one is optional.
OFAC_FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")

#: Columns of each file (OFAC's names), which errors name as fields.
SDN_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = (
    "ent_num",
    "Add_num",
    "Address",
    "City/State/Province/Postal Code",
    "Country",
    "Add_remarks",
)
COMMENTS_COLUMNS = ("ent_num", "Remarks_Extended")

#: OFAC's empty-cell marker (written ``-0- ``; compared without surrounding blanks).
NULL_MARKER = "-0-"

#: The end-of-file marker (Ctrl-Z) that ends each file on a line of its own.
EOF_MARKER = "\x1a"

#: Alias kind of each OFAC alt_type ("now known as" is an alias like any other).
ALT_TYPE_KINDS = {"aka": "aka", "fka": "fka", "nka": "aka"}

#: Entity type of an entry whose SDN_Type is empty.
DEFAULT_ENTITY_TYPE = "entity"

#: The SDN_Type of people, whose "LAST, First" names get a "First LAST" alias.
INDIVIDUAL = "individual"

#: Separator of the programs in a Program cell: ``SDGT] [IRGC`` (OFAC's brackets, cut by CSV).
PROGRAM_SEPARATOR_RE = re.compile(r"\]\s*\[")

#: Generational suffixes that may follow or precede the given names: "X, John, Jr.".
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

#: Separator of the parts of an address.
ADDRESS_SEPARATOR = ", "


#: The result of loading: the list, and one error per row left out of it.
OfacLoad = ListLoad


@attrs.define
class _Entry:
    """One sdn.csv row, and the aliases, addresses and comments joined to it."""

    ent_num: int
    name: str
    entity_type: str
    programs: tuple[str, ...]
    remarks: str
    aliases: list[Alias] = attrs.field(factory=list)
    addresses: list[str] = attrs.field(factory=list)


class _Collector:
    """Errors of a load: raised at once when strict, else kept."""

    def __init__(self, *, strict: bool) -> None:
        self.strict = strict
        self.errors: list[ListFormatError] = []

    def add(self, error: ListFormatError) -> None:
        if self.strict:
            raise error
        self.errors.append(error)


# --------------------------------------------------------------------------------------------
# Public API


def load_ofac(
    path: str | os.PathLike[str], *, strict: bool = False, version: str | None = None
) -> OfacLoad:
    """Load the SDN list from its directory, or from the path of its ``sdn.csv``.

    ``version`` is kept as given (the legacy files carry no date). With ``strict=True`` the
    first bad row raises :class:`ListFormatError`; otherwise bad rows are returned in
    ``OfacLoad.errors``. Missing files raise :class:`ListNotFoundError`; a file that is not
    UTF-8 raises :class:`ListFormatError`.
    """
    files = find_ofac_files(path)
    blobs = [file.read_bytes() for file in files]
    collector = _Collector(strict=strict)
    columns = (SDN_COLUMNS, ALT_COLUMNS, ADD_COLUMNS, COMMENTS_COLUMNS)
    sdn, alt, add, *comments = (
        _Table(blob, str(file), table_columns)
        for blob, file, table_columns in zip(blobs, files, columns, strict=False)
    )
    for table in (sdn, alt, add):
        if table.is_blank():  # (as required as a missing one: see find_ofac_files)
            msg = (
                "the file is empty, without even OFAC's end-of-file mark (a failed "
                "download?): the SDN list would load without its "
                + ("entries" if table is sdn else "aliases" if table is alt else "addresses")
            )
            raise ListFormatError(msg, path=table.where, line=1)
    entries, left_out = _read_sdn(sdn, collector)
    _join_aliases(alt, entries, left_out, collector)
    _join_addresses(add, entries, left_out, collector)
    for table in comments:
        _join_comments(table, entries, left_out, collector)
    digest = hashlib.sha256()
    for blob in blobs:
        digest.update(blob)
    screening_list = ScreeningList(
        name=SDN_LIST_NAME,
        sha256=digest.hexdigest(),
        entities=[_entity(entry) for entry in entries.values()],
        version=version,
        source=", ".join(file.name for file in files),
    )
    return OfacLoad(screening_list=screening_list, errors=tuple(collector.errors))


def find_ofac_files(path: str | os.PathLike[str]) -> tuple[Path, ...]:
    """sdn.csv, alt.csv, add.csv and (when present) sdn_comments.csv of a directory or sdn.csv.

    Raises :class:`ListNotFoundError` when sdn.csv, alt.csv or add.csv is missing.
    """
    given = Path(path)
    directory = given if given.is_dir() else given.parent
    if not given.is_dir() and not given.is_file():
        msg = f"OFAC SDN file not found: {given}"
        raise ListNotFoundError(msg)
    names = {child.name.lower(): child for child in directory.iterdir() if child.is_file()}
    if not given.is_dir():
        names[OFAC_FILES[0]] = given
    found: list[Path] = []
    for name in OFAC_FILES:
        file = names.get(name)
        if file is not None:
            found.append(file)
        elif name != OFAC_FILES[-1]:
            msg = f"OFAC SDN list: {name} not found in {directory}"
            raise ListNotFoundError(msg)
    return tuple(found)


def is_ofac_path(path: str | os.PathLike[str]) -> bool:
    """True for a file named sdn.csv, or a directory holding one (any case)."""
    given = Path(path)
    if given.is_file():
        return given.name.lower() == OFAC_FILES[0]
    if given.is_dir():
        return any(
            child.name.lower() == OFAC_FILES[0] and child.is_file() for child in given.iterdir()
        )
    return False


def split_programs(text: str) -> tuple[str, ...]:
    """The programs of a Program cell: ``[SDGT] [IRGC]``, ``SDGT] [IRGC`` or ``CUBA``."""
    core = text.strip()
    core = core.removeprefix("[").removesuffix("]")
    parts = (" ".join(part.split()) for part in PROGRAM_SEPARATOR_RE.split(core))
    return tuple(part for part in parts if part)


def person_name_order(name: str) -> str | None:
    """The name in the order "First LAST" when it is listed "LAST, First", else None.

    A generational suffix stays last: "LAST, First, Jr." and "LAST, Jr., First" give
    "First LAST Jr.".

    Names with more commas than a suffix explains, or with an empty part, give None.
    """
    parts = [" ".join(part.split()) for part in name.split(",")]
    if len(parts) < 2 or not all(parts):
        return None
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and _is_suffix(parts[2]):
        return f"{parts[1]} {parts[0]} {parts[2]}"
    if len(parts) == 3 and _is_suffix(parts[1]):
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return None


# --------------------------------------------------------------------------------------------
# Reading the files


class _Table:
    """The rows of one header-less OFAC CSV file, with their line numbers."""

    def __init__(self, data: bytes, where: str, columns: Sequence[str]) -> None:
        self.where = where
        self.name = Path(where).name
        self.columns = tuple(columns)
        self.text = decode_utf8(data, where)
        #: The ent_num (and line) of each row left out for its number of fields, when its
        #: first cell reads as one: the rows of other files joined to it go without a word.
        self.dropped: dict[int, int] = {}

    def is_blank(self) -> bool:
        """Whether the file holds nothing but blanks: OFAC ends even a file of no rows with
        its end-of-file mark."""
        return not self.text.strip(" \t\r\n")

    def rows(self, collector: _Collector) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) of each well-formed row, ``-0-`` cells empty, others as they stand."""
        text = self.text.removesuffix(EOF_MARKER)
        reader = csv.reader(io.StringIO(text, newline=""))
        end = 0
        try:
            for row in reader:
                start, end = end + 1, reader.line_num
                if all(not cell.strip(" \t\r\n" + EOF_MARKER) for cell in row):
                    continue
                if len(row) != len(self.columns):
                    collector.add(self._count_error(row, start))
                    first = row[0].strip() if row else ""
                    if first.isascii() and first.isdigit():
                        self.dropped.setdefault(int(first), start)
                    continue
                yield start, [_cell(cell) for cell in row]
        except csv.Error as exc:
            msg = f"unreadable CSV: {exc}"
            raise ListFormatError(msg, path=self.where, line=reader.line_num) from exc

    def error(self, message: str, line: int, field: str) -> ListFormatError:
        return ListFormatError(message, path=self.where, line=line, field=field)

    def ent_num(self, cells: Sequence[str], line: int, collector: _Collector) -> int | None:
        """The row's ent_num, or None (and an error) when it is not a number."""
        text = cells[0].strip()
        if text.isascii() and text.isdigit():
            return int(text)
        collector.add(self.error(f"ent_num {text!r} is not a number", line, "ent_num"))
        return None

    def _count_error(self, row: Sequence[str], line: int) -> ListFormatError:
        field = self.columns[len(row)] if len(row) < len(self.columns) else None
        msg = f"row has {len(row)} fields, expected {len(self.columns)}"
        return ListFormatError(msg, path=self.where, line=line, field=field)


def _read_sdn(table: _Table, collector: _Collector) -> tuple[dict[int, _Entry], dict[int, int]]:
    """The entries of sdn.csv by ent_num, and the ent_nums of rows left out (with their line)."""
    entries: dict[int, _Entry] = {}
    lines: dict[int, int] = {}
    left_out: dict[int, int] = {}
    for line, cells in table.rows(collector):
        ent_num = table.ent_num(cells, line, collector)
        if ent_num is None:
            continue
        if ent_num in lines:
            msg = f"ent_num {ent_num} repeats the row of line {lines[ent_num]}"
            collector.add(table.error(msg, line, "ent_num"))
            continue
        lines[ent_num] = line
        name = _collapse(cells[1])
        if not name:
            collector.add(table.error("empty SDN_Name", line, "SDN_Name"))
            left_out[ent_num] = line
            continue
        entries[ent_num] = _Entry(
            ent_num=ent_num,
            name=name,
            entity_type=_collapse(cells[2]).lower() or DEFAULT_ENTITY_TYPE,
            programs=split_programs(cells[3]),
            remarks=cells[11],
        )
    for ent_num, line in table.dropped.items():
        if ent_num not in entries:
            left_out.setdefault(ent_num, line)
    return entries, left_out


def _joined_entry(
    table: _Table,
    cells: Sequence[str],
    line: int,
    entries: dict[int, _Entry],
    left_out: dict[int, int],
    collector: _Collector,
) -> _Entry | None:
    """The sdn.csv entry a row of another file belongs to, or None (with an error if due)."""
    ent_num = table.ent_num(cells, line, collector)
    if ent_num is None or ent_num in left_out:
        return None
    entry = entries.get(ent_num)
    if entry is None:
        msg = f"ent_num {ent_num} is not in sdn.csv"
        collector.add(table.error(msg, line, "ent_num"))
    return entry


def _join_aliases(
    table: _Table, entries: dict[int, _Entry], left_out: dict[int, int], collector: _Collector
) -> None:
    for line, cells in table.rows(collector):
        entry = _joined_entry(table, cells, line, entries, left_out, collector)
        if entry is None:
            continue
        alt_type = cells[2].strip().lower()
        kind = ALT_TYPE_KINDS.get(alt_type)
        if kind is None:
            msg = f"alt_type {cells[2]!r} is not one of {', '.join(ALT_TYPE_KINDS)}"
            collector.add(table.error(msg, line, "alt_type"))
            continue
        name = _collapse(cells[3])
        if not name:
            collector.add(table.error("empty alt_name", line, "alt_name"))
            continue
        source = f"{table.name} alt_num {cells[1].strip()} ({alt_type})"
        remarks = _collapse(cells[4])
        if remarks:
            source += f": {remarks}"
        entry.aliases.append(Alias(name=name, kind=kind, source=source))


def _join_addresses(
    table: _Table, entries: dict[int, _Entry], left_out: dict[int, int], collector: _Collector
) -> None:
    for line, cells in table.rows(collector):
        entry = _joined_entry(table, cells, line, entries, left_out, collector)
        if entry is None:
            continue
        address = ADDRESS_SEPARATOR.join(_collapse(c) for c in cells[2:5] if _collapse(c))
        remarks = _collapse(cells[5])
        if remarks:
            address = f"{address} ({remarks})" if address else remarks
        if address and address not in entry.addresses:
            entry.addresses.append(address)


def _join_comments(
    table: _Table, entries: dict[int, _Entry], left_out: dict[int, int], collector: _Collector
) -> None:
    for line, cells in table.rows(collector):
        entry = _joined_entry(table, cells, line, entries, left_out, collector)
        if entry is not None:
            entry.remarks += cells[1]


# --------------------------------------------------------------------------------------------
# Building entities


def _entity(entry: _Entry) -> ListedEntity:
    return ListedEntity(
        id=f"{SDN_LIST_CODE}-{entry.ent_num}",
        name=entry.name,
        list_code=SDN_LIST_CODE,
        list_name=SDN_LIST_NAME,
        aliases=_aliases(entry),
        entity_type=entry.entity_type,
        addresses=entry.addresses,
        programs=entry.programs,
        remarks=entry.remarks.strip(),
    )


def _aliases(entry: _Entry) -> tuple[Alias, ...]:
    """The listed aliases, without repeats, then (for individuals) their "First LAST" forms."""
    seen = {entry.name.casefold()}
    aliases: list[Alias] = []
    for alias in entry.aliases:
        if alias.name.casefold() not in seen:
            seen.add(alias.name.casefold())
            aliases.append(alias)
    if entry.entity_type == INDIVIDUAL:
        for listed in [entry.name, *(alias.name for alias in aliases)]:
            reordered = person_name_order(listed)
            if reordered is not None and reordered.casefold() not in seen:
                seen.add(reordered.casefold())
                source = f"name order of {listed!r}"
                aliases.append(Alias(name=reordered, kind="derived", source=source))
    return tuple(aliases)


# --------------------------------------------------------------------------------------------
# Helpers


def _cell(text: str) -> str:
    return "" if text.strip() == NULL_MARKER else text


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _is_suffix(part: str) -> bool:
    return part.casefold().rstrip(".") in NAME_SUFFIXES
