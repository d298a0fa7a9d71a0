"""Worker processes for bulk screening: a pool whose workers each hold the screener once.

A result refers to the list's own entity objects and to the whole lists; pickled as they are
they would carry the list with every result. Workers pickle them as references (list number,
entity number) instead, and the parent resolves those to its own objects: the worker's
screener is the parent's (inherited by fork, with its licences, decisions and restriction)
or rebuilt from the same lists, records and restriction (spawn: see :class:`ScreenerRecipe`).

The engine that sends names to the pool, caches and orders the results is
:mod:`partyscreen.bulk`.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import pickle
import signal
from collections.abc import Mapping
from multiprocessing.pool import Pool
from typing import IO, Any

import attrs

from partyscreen.errors import EmptyNameError
from partyscreen.licencefile import Licences
from partyscreen.model import ScreeningList
from partyscreen.result import ScreeningResult
from partyscreen.screener import Screener
from partyscreen.suppression import Decisions

__all__ = [
    "Outcome",
    "ScreenerRecipe",
    "load_outcomes",
    "screen_one",
    "screen_task",
    "start_pool",
]

#: What screening one name gives: a result, or the reason the name cannot be screened.
Outcome = ScreeningResult | EmptyNameError

_WORKER_STATE: dict[str, Any] = {}


@attrs.frozen
class ScreenerRecipe:
    """What a worker started without fork needs to rebuild the parent's screener (its index
    holds caches that cannot be pickled): the lists, settings, the licences and decisions
    read (the records themselves, so a file changed since cannot make a worker differ), and
    the restriction of ``--since``."""

    lists: tuple[ScreeningList, ...]
    settings: Any
    licences: Licences
    decisions: Decisions | None
    only: frozenset[tuple[str, str]] | None
    restriction: str | None

    @classmethod
    def of(cls, screener: Screener) -> ScreenerRecipe:
        return cls(
            lists=screener.lists,
            settings=screener.settings,
            licences=screener.licences,
            decisions=screener.decisions,
            only=screener._only,  # no public accessor; restricted_to() sets it
            restriction=screener.restriction,
        )

    def build(self) -> Screener:
        screener = Screener(
            self.lists, settings=self.settings, licences=self.licences, decisions=self.decisions
        )
        if self.only is not None:
            screener = screener.restricted_to(self.only)
            screener.restriction = self.restriction
        return screener


def _object_refs(screener: Screener) -> dict[int, tuple[str, int]]:
    refs: dict[int, tuple[str, int]] = {id(sl): ("L", i) for i, sl in enumerate(screener.lists)}
    refs.update({id(entity): ("E", i) for i, entity in enumerate(screener.entities)})
    return refs


class _RefPickler(pickle.Pickler):
    def __init__(self, file: IO[bytes], refs: dict[int, tuple[str, int]]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._refs = refs

    def persistent_id(self, obj: Any) -> tuple[str, int] | None:
        return self._refs.get(id(obj))


class _RefUnpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes], screener: Screener) -> None:
        super().__init__(file)
        self._screener = screener

    def persistent_load(self, pid: Any) -> Any:
        kind, number = pid
        if kind == "L":
            return self._screener.lists[number]
        return self._screener.entities[number]


def load_outcomes(data: bytes, screener: Screener) -> list[Outcome]:
    """Parent side: a task's outcomes, their references resolved to ``screener``'s objects."""
    outcomes: list[Outcome] = _RefUnpickler(io.BytesIO(data), screener).load()
    return outcomes


def _init_worker(
    screener: Screener | None,
    recipe: ScreenerRecipe | None,
    screen_kwargs: dict[str, Any],
) -> None:
    """Pool initializer: get (fork) or build (spawn) the screener, once per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if screener is None:
        if recipe is None:  # pragma: no cover - a bug, never silently
            msg = "internal error: a worker needs the screener or the recipe to build it"
            raise RuntimeError(msg)
        screener = recipe.build()
    _WORKER_STATE["screener"] = screener
    _WORKER_STATE["kwargs"] = screen_kwargs
    _WORKER_STATE["refs"] = _object_refs(screener)


def screen_one(screener: Screener, name: str, screen_kwargs: Mapping[str, Any]) -> Outcome:
    """Screen one name; the :class:`EmptyNameError` of a name that cannot be screened."""
    try:
        return screener.screen(name, **screen_kwargs)
    except EmptyNameError as exc:
        return exc


def screen_task(names: list[str]) -> bytes:
    """Worker side: screen a task's names, return the outcomes pickled with references."""
    screener: Screener = _WORKER_STATE["screener"]
    kwargs: dict[str, Any] = _WORKER_STATE["kwargs"]
    outcomes = [screen_one(screener, name, kwargs) for name in names]
    buffer = io.BytesIO()
    _RefPickler(buffer, _WORKER_STATE["refs"]).dump(outcomes)
    return buffer.getvalue()


def start_pool(screener: Screener, workers: int, screen_kwargs: dict[str, Any]) -> Pool:
    """A pool of ``workers`` processes, each holding ``screener`` and the screening options."""
    ctx: Any
    if "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        initargs: tuple[Any, ...] = (screener, None, screen_kwargs)
    else:  # platforms without fork rebuild the screener from its lists and records
        ctx = multiprocessing.get_context("spawn")
        initargs = (None, ScreenerRecipe.of(screener), screen_kwargs)
    # Objects alive now (the lists, the index) are moved out of the collector's sight while the
    # workers fork, so that collections in a worker neither walk nor copy the shared heap.
    gc.freeze()
    try:
        pool: Pool = ctx.Pool(workers, initializer=_init_worker, initargs=initargs)
    finally:
        gc.unfreeze()
    return pool
