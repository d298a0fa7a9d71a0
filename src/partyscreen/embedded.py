"""The embedded default list: the files in ``lists/``, shipped inside the package.

In a wheel the files sit in ``partyscreen/lists``; in an editable install of a checkout they are
read from the checkout's ``lists/``. The default screener is built once, on first use.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from partyscreen.errors import ListNotFoundError
from partyscreen.listfile import load_list_file
from partyscreen.model import ScreeningList
from partyscreen.screener import Screener

__all__ = ["default_lists", "default_screener", "lists_dir"]


def lists_dir() -> Path:
    """The folder of the embedded list files."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "lists", here.parents[1] / "lists"):
        if candidate.is_dir() and any(candidate.glob("*.toml")):
            return candidate
    msg = f"the embedded lists are missing: no *.toml in {here / 'lists'} (broken install?)"
    raise ListNotFoundError(msg)


@lru_cache(maxsize=1)
def default_lists() -> tuple[ScreeningList, ...]:
    """Every embedded list file, loaded and validated, in file-name order."""
    return tuple(load_list_file(p) for p in sorted(lists_dir().glob("*.toml")))


@lru_cache(maxsize=1)
def default_screener() -> Screener:
    """The screener over the embedded lists, built once and shared."""
    return Screener(default_lists())
