"""What every loader of an official list shares: its result, and decoding the file's bytes."""

from __future__ import annotations

import attrs

from partyscreen.errors import ListFormatError
from partyscreen.model import ScreeningList

__all__ = ["ListLoad", "decode_utf8"]


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
