"""Pick the right loader for a list file by its name and content."""

from __future__ import annotations

import warnings
from os import PathLike
from pathlib import Path

from partyscreen.errors import ListNotFoundError
from partyscreen.listfile import load_list_file
from partyscreen.model import ScreeningList

__all__ = ["load_path"]


def load_path(path: str | PathLike[str]) -> ScreeningList:
    """Load a list file: ``.toml`` in partyscreen's format, ``.csv``/``.json`` as the CSL.

    Rows of an official list that cannot be read are reported with a warning each (file, line,
    field) and left out; everything else loads.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"no list file at {path}"
        raise ListNotFoundError(msg)
    if path.suffix.lower() == ".toml":
        return load_list_file(path)
    from partyscreen.csl import load_csl

    loaded = load_csl(path)
    for error in loaded.errors:
        warnings.warn(f"row left out: {error}", stacklevel=2)
    return loaded.screening_list
