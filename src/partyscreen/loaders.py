"""Pick the right loader for a list file by its name and content."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from os import PathLike
from pathlib import Path

import attrs

from partyscreen.errors import ListFormatError, ListNotFoundError
from partyscreen.listfile import load_list_file
from partyscreen.model import ScreeningList

__all__ = ["load_path"]


def load_path(path: str | PathLike[str]) -> ScreeningList:
    """Load a list file: ``.toml`` in partyscreen's format; OFAC's SDN CSV files (a directory
    holding ``sdn.csv``, or ``sdn.csv`` itself); the UN consolidated list (any ``.xml``: its
    errors say what else the file is); the BIS DPL (``.txt``/``.tsv`` whose tab-separated
    header holds ``Name`` and ``Street_Address``); any other file as the CSL (CSV, or JSON
    for ``.json`` or text opening with ``[`` or ``{``).

    Rows of an official list that cannot be read are reported with a warning each (file, line,
    field) and left out; everything else loads.
    """
    from partyscreen.dpl import load_dpl, looks_like_dpl
    from partyscreen.ofac import is_ofac_path, load_ofac
    from partyscreen.unlist import load_un

    path = Path(path)
    if is_ofac_path(path):
        loaded_ofac = load_ofac(path)
        return _reported(loaded_ofac.screening_list, loaded_ofac.errors)
    if not path.is_file():
        msg = f"no list file at {path}"
        raise ListNotFoundError(msg)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return load_list_file(path)
    if suffix == ".xml":  # (no other list we read is XML: the UN loader names what is wrong)
        loaded_un = load_un(path)
        return _reported(loaded_un.screening_list, loaded_un.errors)
    if suffix in {".txt", ".tsv"} and looks_like_dpl(path):
        loaded_dpl = load_dpl(path)
        return _reported(loaded_dpl.screening_list, loaded_dpl.errors)
    from partyscreen.csl import load_csl

    loaded = load_csl(path)
    return _reported(loaded.screening_list, loaded.errors)


def _reported(screening_list: ScreeningList, errors: Sequence[ListFormatError]) -> ScreeningList:
    """The list, holding each row left out of it (``rows_left_out``), after a warning for
    each (attributed to the caller)."""
    for error in errors:
        warnings.warn(f"row left out: {error}", stacklevel=3)
    return attrs.evolve(screening_list, rows_left_out=tuple(str(error) for error in errors))
