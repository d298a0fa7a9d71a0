"""Loader for the BIS Denied Persons List (DPL) in BIS's tab-separated text format.

BIS publishes the DPL as one tab-separated, double-quoted file with a header row: ``Name,
Street_Address, City, State, Country, Postal_Code, Effective_Date, Expiration_Date,
Standard_Order, Last_Update, Action, FR_Citation``. The reader is driven by the header (any
order; ``Name`` is required, the other columns optional), dates are ``MM/DD/YYYY``.

One denial order often names a person at several addresses, one row each. Rows are merged
into one entity when they have the same name (blanks collapsed, case ignored), the same
Effective_Date and the same Expiration_Date, that is the same person under the same order;
the merge is lossless: every row's address, each of its citations and its Standard_Order /
Last_Update / Action (in the remarks) are kept, without repeats. Rows with another date stay
separate entities (an order renewed, or another order).

Each entity has list code ``DPL``; ``listed_on`` is the Effective_Date and ``removed_on`` the
Expiration_Date (the order's expiry); ``citations`` split the FR_Citation text into one
citation each, keeping the publication date written after it ("68 F.R. 38290 6/27/03", as the
CSL loader does); the address joins street, city, state, postal code and country with ``", "``
(the CSL's order). Its id is ``DPL-`` and 20 hex digits of the sha1 of the merge key (the
collapsed, case-folded name and both dates): it stays the same when an address or a citation
of the order is added, so list diffs show such entries as changed rather than replaced.

``version`` is the argument, else a YYYY-MM-DD date in the file name, else None (the file
carries no publication date).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

import attrs

from partyscreen.errors import ListFormatError, ListNotFoundError
from partyscreen.loading import ListLoad, check_distinct_columns, decode_utf8, version_from_name
from partyscreen.model import ListedEntity, ScreeningList

__all__ = [
    "DPL_COLUMNS",
    "DPL_LIST_CODE",
    "DPL_LIST_NAME",
    "DplLoad",
    "load_dpl",
    "looks_like_dpl",
    "parse_us_date",
    "split_dpl_citations",
]

DPL_LIST_CODE = "DPL"
DPL_LIST_NAME = "Denied Persons List (DPL) - Bureau of Industry and Security"

#: The columns of BIS's file, in its order.
DPL_COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)

#: Columns a header must have.
REQUIRED_COLUMNS = ("Name",)

#: Address parts, in the order they are joined (as the CSL renders DPL addresses).
ADDRESS_COLUMNS = ("Street_Address", "City", "State", "Postal_Code", "Country")

#: Columns kept, per row, in the remarks.
REMARK_COLUMNS = ("Standard_Order", "Last_Update", "Action")

#: Header cells that identify a DPL file, in any order (quotes and case aside).
HEADER_SIGNATURE = frozenset({"name", "street_address"})

#: How many bytes :func:`looks_like_dpl` reads.
SNIFF_BYTES = 4096

#: Prefix and length (hex digits of a sha1) of an entity id.
ID_PREFIX = "DPL-"
ID_HEX_DIGITS = 20

#: A US date, MM/DD/YYYY (one-digit month and day allowed).
US_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

#: Where a new Federal Register citation starts: a volume number and "F.R." / "FR" / "F.R",
#: written tightly or loosely ("81.F.R.", "83F.R."), or, when BIS left the volume out, "F.R."
#: followed by a page number (so that "NEW F.R. NOTICE TO BE PUBLISHED" stays whole).
CITATION_START_RE = re.compile(
    r"(?<![\w/.])\d+\s*\.?\s*F\.?\s?R\b|(?<![\w.])F\.?\s?R\b\.?(?=\s*\d)"
)

#: Separators trimmed from the end of a citation when the text is cut before the next one.
CITATION_TRAILER_RE = re.compile(r"(?:[\s,;]|(?<=\d)\.|\band\b)+$")

#: Separators between the parts of merged remarks, and between a row's remark fields.
REMARKS_SEPARATOR = " | "
REMARK_FIELD_SEPARATOR = "; "


#: The result of loading: the list, and one error per row left out of it.
DplLoad = ListLoad


@attrs.define
class _Order:
    """One entity being built: the rows of one person under one order."""

    name: str
    listed_on: date | None
    removed_on: date | None
    addresses: list[str] = attrs.field(factory=list)
    citations: list[str] = attrs.field(factory=list)
    remarks: list[str] = attrs.field(factory=list)

    def add(self, values: Mapping[str, str]) -> None:
        parts = (_collapse(values.get(column, "")) for column in ADDRESS_COLUMNS)
        address = ", ".join(part for part in parts if part)
        _append_new(self.addresses, [address] if address else [])
        _append_new(self.citations, split_dpl_citations(values.get("FR_Citation", "")))
        remark = REMARK_FIELD_SEPARATOR.join(
            f"{column}: {_collapse(values[column])}"
            for column in REMARK_COLUMNS
            if _collapse(values.get(column, ""))
        )
        _append_new(self.remarks, [remark] if remark else [])


# --------------------------------------------------------------------------------------------
# Public API


def load_dpl(
    path: str | os.PathLike[str], *, strict: bool = False, version: str | None = None
) -> DplLoad:
    """Load a DPL text file.

    With ``strict=True`` the first bad row raises :class:`ListFormatError`; otherwise bad rows
    are returned in ``DplLoad.errors``. A file without a ``Name`` column or not in UTF-8 always
    raises.
    """
    file_path = Path(path)
    try:
        data = file_path.read_bytes()
    except FileNotFoundError as exc:
        msg = f"DPL file not found: {file_path}"
        raise ListNotFoundError(msg) from exc
    where = str(file_path)
    orders: dict[str, _Order] = {}
    errors: list[ListFormatError] = []
    for line, values in _rows(decode_utf8(data, where), where, errors, strict=strict):
        try:
            key, order = _order_of(values, line, where)
        except ListFormatError as error:
            if strict:
                raise
            errors.append(error)
            continue
        orders.setdefault(key, order).add(values)
    entities = [_entity(key, order) for key, order in orders.items()]
    screening_list = ScreeningList(
        name=DPL_LIST_NAME,
        sha256=hashlib.sha256(data).hexdigest(),
        entities=entities,
        version=version if version is not None else version_from_name(file_path.name),
        source=file_path.name,
    )
    return DplLoad(screening_list=screening_list, errors=tuple(errors))


def looks_like_dpl(path: str | os.PathLike[str]) -> bool:
    """True when the file's first line is a DPL header: tab-separated cells among which are
    Name and Street_Address ("Name<TAB>Street_Address...", in any order, as :func:`load_dpl`
    reads them)."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    first = head.decode("utf-8-sig", errors="replace").lstrip("\r\n").split("\n", 1)[0]
    cells = [cell.strip().strip('"').strip().lower() for cell in first.split("\t")]
    return set(cells) >= HEADER_SIGNATURE


def parse_us_date(text: str) -> date:
    """A ``MM/DD/YYYY`` date; raises ValueError for any other text or an impossible date."""
    match = US_DATE_RE.match(text.strip())
    if match is None:
        raise ValueError(text)
    month, day, year = (int(group) for group in match.groups())
    return date(year, month, day)


def split_dpl_citations(text: str) -> tuple[str, ...]:
    """One Federal Register citation each, as BIS writes them in FR_Citation.

    The text is cut where a new "N F.R." citation starts; separators left at a cut (blanks,
    commas, semicolons, "and", a full stop after a number) are dropped:
    "67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02" -> "67 F.R. 56530 9/4/02",
    "67 F.R. 10890 3/11/02". Pages without their own "F.R." stay with the citation before
    them ("82 F.R. 16788, 16789 4/6/2017").
    """
    starts = [match.start() for match in CITATION_START_RE.finditer(text)]
    cuts = [0, *(start for start in starts if start > 0), len(text)]
    pieces = (text[begin:end] for begin, end in itertools.pairwise(cuts))
    citations = (_collapse(CITATION_TRAILER_RE.sub("", piece)) for piece in pieces)
    return tuple(citation for citation in citations if citation)


# --------------------------------------------------------------------------------------------
# Reading


def _rows(
    text: str, where: str, errors: list[ListFormatError], *, strict: bool
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, values by canonical column name) of each row with the header's field count."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"')
    try:
        header = _header(reader, where)
        end = reader.line_num
        for row in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                field = header[len(row)] if len(row) < len(header) else None
                msg = f"row has {len(row)} fields, the header has {len(header)}"
                error = ListFormatError(msg, path=where, line=start, field=field)
                if strict:
                    raise error
                errors.append(error)
                continue
            yield start, dict(zip(header, row, strict=True))
    except csv.Error as exc:
        msg = f"unreadable tab-separated text: {exc}"
        raise ListFormatError(msg, path=where, line=reader.line_num) from exc


def _header(reader: Iterator[list[str]], where: str) -> list[str]:
    """The header row, with BIS's column names (matched without regard to case)."""
    canonical = {column.lower(): column for column in DPL_COLUMNS}
    for row in reader:
        if any(cell.strip() for cell in row):
            cells = [cell.strip().lstrip("\ufeff") for cell in row]
            header = [canonical.get(cell.lower(), cell) for cell in cells]
            missing = [column for column in REQUIRED_COLUMNS if column not in header]
            if missing:
                msg = f"header lacks column(s) {', '.join(missing)}"
                raise ListFormatError(msg, path=where, line=1, field=missing[0])
            check_distinct_columns(header, where)
            return header
    msg = "empty file: no header row"
    raise ListFormatError(msg, path=where, line=1)


def _order_of(values: Mapping[str, str], line: int, where: str) -> tuple[str, _Order]:
    """The merge key of a row, and a new (empty) entity for it."""
    name = _collapse(values.get("Name", ""))
    if not name:
        msg = "empty Name"
        raise ListFormatError(msg, path=where, line=line, field="Name")
    listed_on = _date(values, "Effective_Date", line, where)
    removed_on = _date(values, "Expiration_Date", line, where)
    if listed_on and removed_on and removed_on < listed_on:  # (never in force on any day)
        msg = f"Expiration_Date {removed_on} is before Effective_Date {listed_on}"
        raise ListFormatError(msg, path=where, line=line, field="Expiration_Date")
    key = json.dumps([name.casefold(), _iso(listed_on), _iso(removed_on)], ensure_ascii=False)
    return key, _Order(name=name, listed_on=listed_on, removed_on=removed_on)


def _date(values: Mapping[str, str], field: str, line: int, where: str) -> date | None:
    text = values.get(field, "").strip()
    if not text:
        return None
    try:
        return parse_us_date(text)
    except ValueError:
        msg = f"{field} {text!r} is not a MM/DD/YYYY date"
        raise ListFormatError(msg, path=where, line=line, field=field) from None


def _entity(key: str, order: _Order) -> ListedEntity:
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:ID_HEX_DIGITS]
    return ListedEntity(
        id=ID_PREFIX + digest,
        name=order.name,
        list_code=DPL_LIST_CODE,
        list_name=DPL_LIST_NAME,
        addresses=order.addresses,
        citations=order.citations,
        listed_on=order.listed_on,
        removed_on=order.removed_on,
        remarks=REMARKS_SEPARATOR.join(order.remarks),
    )


# --------------------------------------------------------------------------------------------
# Helpers


def _append_new(items: list[str], new: Sequence[str]) -> None:
    for item in new:
        if item not in items:
            items.append(item)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""
