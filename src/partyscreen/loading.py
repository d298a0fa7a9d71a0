"""What every loader of an official list shares: its result, and decoding the file's bytes."""

from __future__ import annotations

import re
from datetime import date

import attrs

from partyscreen.errors import ListFormatError
from partyscreen.model import ScreeningList

__all__ = [
    "FILE_DATE_RE",
    "ListLoad",
    "check_distinct_columns",
    "decode_utf8",
    "version_from_name",
]

#: A YYYY-MM-DD date in a file name ("csl_2023-11-30_sample.csv"), read as the list's version.
FILE_DATE_RE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


@attrs.frozen
class ListLoad:
    """A loaded list, and one error for every row that could not become an entity.

    Nothing is dropped silently: a row is either an entity of ``screening_list`` or an error
    naming its file, line (or entry) and field.
    """

    screening_list: ScreeningList
    errors: tuple[ListFormatError, ...] = ()


def decode_utf8(data: bytes, where: str) -> str:
    """The text of a list file in UTF-8 (a BOM is allowed), or an error naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        msg = f"not UTF-8 (byte {exc.start})"
        raise ListFormatError(msg, path=where, line=line) from exc


def check_distinct_columns(header: list[str], where: str) -> None:
    """Raise :class:`ListFormatError` if the header names a column twice (blank names aside):
    read into a mapping by name, each row would keep the last of them, silently."""
    seen: set[str] = set()
    for column in header:
        if column and column in seen:
            msg = f"header names the column {column!r} twice: which one holds it is unclear"
            raise ListFormatError(msg, path=where, line=1, field=column)
        seen.add(column)


def version_from_name(name: str) -> str | None:
    """The first valid YYYY-MM-DD date in a file name, or None."""
    for match in FILE_DATE_RE.finditer(name):
        try:
            return date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            continue
    return None
