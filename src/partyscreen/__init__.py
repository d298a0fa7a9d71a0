"""partyscreen: restricted-party screening against export-control and sanctions lists.

>>> from partyscreen import screen
>>> screen("Hikvision").decision
'match'
>>> screen("Hikvision", as_of="2019-10-08").decision  # the day before it was listed
'clear'
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from partyscreen._version import __version__
from partyscreen.errors import (
    EmptyNameError,
    ListFormatError,
    ListNotFoundError,
    OptionError,
    PartyscreenError,
)
from partyscreen.licensing import Deal
from partyscreen.model import Alias, License, LicenseException, ListedEntity, ScreeningList
from partyscreen.result import Match, ScreeningResult
from partyscreen.screener import Screener
from partyscreen.settings import MatchSettings

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "Alias",
    "Deal",
    "EmptyNameError",
    "License",
    "LicenseException",
    "ListFormatError",
    "ListNotFoundError",
    "ListedEntity",
    "Match",
    "MatchSettings",
    "OptionError",
    "PartyscreenError",
    "Screener",
    "ScreeningList",
    "ScreeningResult",
    "__version__",
    "default_screener",
    "screen",
]


def default_screener() -> Screener:
    """The screener over the embedded default list (built on first use, then shared)."""
    from partyscreen.embedded import default_screener as build

    return build()


def screen(
    name: str,
    /,
    *,
    threshold: float | None = None,
    limit: int | None = 5,
    as_of: date | str | None = None,
    lists: Sequence[str] | None = None,
    deal: Deal | None = None,
) -> ScreeningResult:
    """Screen one name against the embedded default list; see :meth:`Screener.screen`."""
    return default_screener().screen(
        name, threshold=threshold, limit=limit, as_of=as_of, lists=lists, deal=deal
    )
