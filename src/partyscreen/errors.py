"""Errors raised by partyscreen.

Every error subclasses :class:`PartyscreenError` and a built-in exception, so callers may catch
either ``PartyscreenError`` or the built-in they already handle (``ValueError``, ``OSError``).
"""

from __future__ import annotations

__all__ = [
    "DealError",
    "DecisionsFileError",
    "EmptyNameError",
    "EntityNotFoundError",
    "LicenceFileError",
    "ListFormatError",
    "ListNotFoundError",
    "OptionError",
    "PartyscreenError",
]


class PartyscreenError(Exception):
    """Base class of every error partyscreen raises on purpose."""


class ListFormatError(PartyscreenError, ValueError):
    """A list file is malformed; the message names the file, the line or entry, and the field."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        entry: str | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.entry = entry
        self.field = field
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if entry is not None:
            where.append(f"entry {entry!r}")
        if field is not None:
            where.append(f"field {field!r}")
        self.reason = message
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class ListNotFoundError(PartyscreenError, FileNotFoundError):
    """A list file or a named source list does not exist."""


class EmptyNameError(PartyscreenError, ValueError):
    """A name to screen is empty, or nothing of it is left after normalisation."""


class LicenceFileError(ListFormatError):
    """A licences file is malformed; the message names the file, the licence and the field."""


class DecisionsFileError(ListFormatError):
    """A review decisions file is malformed; the message names the file, the line and the field."""


class OptionError(PartyscreenError, ValueError):
    """An option of a screening (threshold, limit, date, lists) is not valid; the message
    names the option, the value given and what it takes."""


class DealError(PartyscreenError, ValueError):
    """A deal's item classification or date is not valid."""


class EntityNotFoundError(PartyscreenError, LookupError):
    """No listed entity has the id (and list code) given, or more than one has it."""
