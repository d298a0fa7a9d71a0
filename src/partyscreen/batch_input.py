"""The input table of a batch run: its header, the column of names (given or guessed) and the
id column, and its records as rows to screen (a record whose width is not the header's is a
row that cannot be screened, reported as such; a blank line is skipped and counted).

Reading the file itself (encoding, delimiter) is :mod:`partyscreen.csvio`.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from partyscreen.batch_options import BatchError

__all__ = [
    "NAME_COLUMNS",
    "InputColumns",
    "Row",
    "csv_error",
    "quoted",
    "read_header",
]

#: Column names taken as the name to screen when ``--column`` is not given, by preference.
#: Headers compare case-insensitively, with spaces and hyphens read as underscores.
NAME_COLUMNS = (
    "name",
    "company",
    "company_name",
    "supplier_name",
    "supplier",
    "party",
    "party_name",
    "counterparty",
    "counterparty_name",
    "vendor_name",
    "vendor",
    "customer_name",
    "entity_name",
    "legal_name",
    "organisation_name",
    "organization_name",
    "organisation",
    "organization",
)


@attrs.define
class Row:
    """One data record of the input: its number (from 1), line, fields, and the name to
    screen or why it cannot be screened."""

    number: int
    line: int
    fields: list[str]
    name: str | None = None
    error: str | None = None


#: Fewest columns a file must have for a line inside a field to read as a record of it: with
#: one column every line would.
MIN_SWALLOW_WIDTH = 2
#: What ends a line of a CSV file: LF, CRLF or CR.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def quoted(items: Sequence[str]) -> str:
    return ", ".join(repr(h) for h in items) if items else "(none)"


def csv_error(path: Path, line: int, exc: csv.Error) -> BatchError:
    msg = (
        f"{path}: line {line}: cannot read the CSV record: {exc} "
        "(an unclosed quote swallowing the rest of the file?)"
    )
    return BatchError(msg)


def read_header(reader: Any, path: Path) -> list[str]:
    """The first record that is not a blank line."""
    header: list[str] | None = None
    try:
        for record in reader:
            if record:
                header = record
                break
    except csv.Error as exc:
        raise csv_error(path, reader.line_num, exc) from exc
    if header is None:
        msg = f"{path}: the file is empty: no header row"
        raise BatchError(msg)
    return header


def _header_key(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "_" for ch in text.strip().casefold())
    return "_".join(part for part in out.split("_") if part)


def _find_column(header: Sequence[str], wanted: str, *, what: str, path: Path) -> int:
    if wanted in header:
        return header.index(wanted)
    matches = [i for i, h in enumerate(header) if _header_key(h) == _header_key(wanted)]
    if matches:
        return matches[0]
    msg = f"{path}: no {what} {wanted!r}; the columns are: {quoted(header)}"
    raise BatchError(msg)


def _guess_name_column(header: Sequence[str], path: Path) -> int:
    keys = [_header_key(h) for h in header]
    for candidate in NAME_COLUMNS:
        if candidate in keys:
            return keys.index(candidate)
    msg = (
        f"{path}: no name column found (looked for a column named like "
        f"{', '.join(NAME_COLUMNS[:8])}, ...); choose one with --column; "
        f"the columns are: {quoted(header)}"
    )
    raise BatchError(msg)


@attrs.frozen
class InputColumns:
    """The input's header and which of its columns hold the names and the ids."""

    header: list[str]
    name_index: int
    id_index: int | None

    @classmethod
    def find(
        cls, header: list[str], *, column: str | None, id_column: str | None, path: Path
    ) -> InputColumns:
        """The columns named (``--column``, ``--id-column``), or the name column guessed."""
        name_index = (
            _find_column(header, column, what="column", path=path)
            if column is not None
            else _guess_name_column(header, path)
        )
        id_index = (
            _find_column(header, id_column, what="id column", path=path)
            if id_column is not None
            else None
        )
        return cls(header=header, name_index=name_index, id_index=id_index)

    @property
    def width(self) -> int:
        return len(self.header)

    def chunks(
        self, reader: Any, header_line: int, path: Path, size: int, *, skip: int = 0
    ) -> Iterator[list[Row | None]]:
        """Rows after the header (None for a blank line), ``size`` records at a time, after
        the first ``skip`` records (those a resumed run committed before; they are numbered
        all the same)."""
        width, name_index = self.width, self.name_index
        number = 0
        records = iter(reader)
        try:
            for _ in range(skip):
                record = next(records, None)
                if record is None:
                    msg = f"cannot resume: {path} has fewer records than the checkpoint says"
                    raise BatchError(msg)
                if record:
                    number += 1
            line_before = reader.line_num if skip else header_line
            chunk: list[Row | None] = []
            for record in records:
                if not record:
                    chunk.append(None)
                else:
                    number += 1
                    if len(record) != width:
                        row = Row(number, line_before + 1, record, None, self._width_error(record))
                    elif reader.line_num - line_before > 1 and (
                        swallowed := self._swallowed(record, reader.dialect.delimiter)
                    ):
                        lines = f"lines {line_before + 1} to {reader.line_num}"
                        row = Row(number, line_before + 1, record, None, f"{lines}: {swallowed}")
                    else:
                        row = Row(number, line_before + 1, record, record[name_index])
                    chunk.append(row)
                line_before = reader.line_num
                if len(chunk) >= size:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk
        except csv.Error as exc:
            raise csv_error(path, reader.line_num, exc) from exc

    def _swallowed(self, record: Sequence[str], delimiter: str) -> str | None:
        """Why a record that runs over several lines looks like several records joined by a
        quote left open ('1,"Acme,US' then '2,Globex,US' ...), or None.

        A quoted field may hold line breaks. One holding, between its first and last lines,
        a line that reads as a whole record of this file (as many fields as the header, which
        has two or more) most likely swallowed that record, and screening the joined text
        would report none of them. (Its first line is the end of the record that opened the
        quote, its last the start of the one that closed it; a name's second line may well
        hold a comma, "Dahua Technology / Co., Ltd.".)
        """
        if self.width < MIN_SWALLOW_WIDTH:
            return None
        for field in record:
            lines = _LINE_BREAK.split(field)  # (as the csv module breaks lines: not at U+2028)
            whole = sum(
                len(next(csv.reader([line], delimiter=delimiter), ())) == self.width
                for line in lines[1:-1]
            )
            if whole:
                lines_read = f"{whole} lines that read" if whole > 1 else "a line that reads"
                return (
                    f"a field holds {lines_read} as records of this file, most likely joined "
                    "to it by a quote left open: it was not screened; close the quote and "
                    "screen the file again"
                )
        return None

    def _width_error(self, record: Sequence[str]) -> str:
        width = self.width
        text = (
            f"the record has {len(record)} fields where the header has {width}: "
            "it cannot be screened"
        )
        if len(record) > width:
            extra = json.dumps(list(record[width:]), ensure_ascii=False)
            text += f"; fields beyond the header: {extra}"
        return text
