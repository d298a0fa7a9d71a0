"""Worker processes for bulk screening: a pool whose workers each hold the screener once.

A result refers to the list's own entity objects and to the whole lists; pickled as they are
they would carry the list with every result. Workers pickle them as references (list number,
entity number) instead, and the parent resolves those to its own objects: the worker's
screener is the parent's (inherited by fork, with its licences, decisions and restriction)
or rebuilt from the same lists, records and restriction (spawn: see :class:`ScreenerRecipe`).

Each worker also holds a :class:`NameScreening`: the cache by normalised name and, for
``partyscreen batch``, the summariser that turns a result into the few fields a CSV row
needs (so that a task's answer is a few bytes a row, not whole results). The parent sends raw
names and never normalises them itself: the normalisation is half the cost of screening a name
and is done once, in the worker.

Each worker is a pool of one process, and a name always goes to the same worker
(:func:`worker_for`), so that two spellings of one name are screened once, by one worker's
cache, not once in each.

The engine that sends names to the workers, caches and orders the results is
:mod:`partyscreen.bulk`.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import pickle
import re
import signal
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from multiprocessing.pool import Pool
from typing import IO, Any, TypeVar

import attrs

from partyscreen.errors import EmptyNameError
from partyscreen.licencefile import Licences
from partyscreen.model import ScreeningList
from partyscreen.normalize import query_readings
from partyscreen.result import ScreeningResult
from partyscreen.screener import Screener
from partyscreen.suppression import Decisions
from partyscreen.vocabulary import LEGAL_FORM_TOKENS

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "CacheKey",
    "NameScreening",
    "Outcome",
    "ScreenCache",
    "ScreenerRecipe",
    "Summariser",
    "load_outcomes",
    "screen_one",
    "screen_task",
    "start_pools",
    "worker_for",
]

#: What screening one name gives: a result, or the reason the name cannot be screened.
Outcome = ScreeningResult | EmptyNameError

#: Results kept by a cache (a clear result is a few hundred bytes, a match a few kB; a batch
#: row's summary a few dozen bytes).
DEFAULT_CACHE_SIZE = 1 << 14

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


def load_outcomes(data: bytes, screener: Screener) -> Any:
    """Parent side: a task's answer, references resolved to ``screener``'s objects."""
    return _RefUnpickler(io.BytesIO(data), screener).load()


#: A cache key: the normalised name's text (in a worker, or screening in-process; each cache
#: serves one set of screening options), or the name as given (in the parent of workers).
CacheKey = Hashable


_Key = TypeVar("_Key", bound=Hashable)


class ScreenCache:
    """A bounded LRU cache of screening results."""

    def __init__(self, maxsize: int = DEFAULT_CACHE_SIZE) -> None:
        self.maxsize = max(0, maxsize)
        self._data: OrderedDict[CacheKey, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: CacheKey) -> bool:
        return key in self._data

    def get(self, key: CacheKey) -> Any:
        result = self._data.get(key)
        if result is None:
            self.misses += 1
            return None
        self.hits += 1
        self._data.move_to_end(key)
        return result

    def put(self, key: CacheKey, result: Any) -> None:
        if self.maxsize == 0:
            return
        self._data[key] = result
        self._data.move_to_end(key)
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def missing(self, keys: Iterable[_Key]) -> list[_Key]:
        """The keys not cached (one look-up each, not counted as hits or misses)."""
        data = self._data
        return [key for key in keys if key not in data]

    def get_many(self, keys: Sequence[CacheKey]) -> list[Any]:
        """:meth:`get` of each key, in one call (None for a key not cached)."""
        data = self._data
        found = [data.get(key) for key in keys]
        move = data.move_to_end
        hits = 0
        for key, value in zip(keys, found, strict=True):
            if value is not None:
                move(key)
                hits += 1
        self.hits += hits
        self.misses += len(keys) - hits
        return found


#: Turns a result into what is kept and sent back for it (e.g. a CSV row's fields); it must be
#: a module-level function, so that a worker started without fork can unpickle it.
Summariser = Callable[[ScreeningResult], Any]


#: Appended to the cache key of a name that had a legal form; no normalised name holds it.
_LEGAL_FORM_MARK = "\x00legal-form"
#: Joins a name's other readings (without a parenthesised short word) to its cache key.
_READING_MARK = "\x00or "


class NameScreening:
    """Screens names one at a time through a bounded cache by normalised name.

    The cache key is what a result depends on besides the options, in one compact string:
    the text of each of the name's :func:`~partyscreen.normalize.query_readings` (its tokens
    joined by spaces; "Megvii Technology (MGT)" is also read without "(MGT)", "Megvii
    Technology MGT" is not), marked when
    the name had a legal form, since a company's name is penalised against a person's
    ("Viktor GOLOVANOV" and "Viktor Golovanov Ltd" normalise alike but score differently),
    and with all its legal forms when one of them is a word of a listed person's name (not
    penalised against that person unless it has another: "Khun Sa", "Khun Ltd" and "Khun Sa
    Ltd" differ too). A
    name read like one screened before gets that result (with its own spelling as
    ``query``), or that summary. The screening options are the same for every name, so they
    are not part of the key. The readings are cached themselves, so ``screen()`` does not
    normalise again.
    """

    def __init__(
        self,
        screener: Screener,
        screen_kwargs: Mapping[str, Any],
        *,
        cache_size: int,
        summarise: Summariser | None = None,
    ) -> None:
        self.screener = screener
        self.person_forms = screener.person_legal_forms
        self.screen_kwargs = dict(screen_kwargs)
        self.summarise = summarise
        self.cache = ScreenCache(cache_size)
        self.screened = 0

    def outcome(self, name: str) -> Any:
        """The name's summary (or result), or the :class:`EmptyNameError` saying why not."""
        readings = query_readings(name)
        normalized = readings[0]
        key = _READING_MARK.join(r.text for r in readings) if len(readings) > 1 else normalized.text
        if normalized.legal_forms:
            # With all its legal forms when one is a word of a listed person's name: whether
            # the query is penalised against that person turns on all of them (Screener).
            key += _LEGAL_FORM_MARK
            if not self.person_forms.isdisjoint(normalized.legal_forms):
                key += " ".join(sorted(set(normalized.legal_forms)))
        if not normalized:  # nothing to screen: screen() says why, in its own words
            return screen_one(self.screener, name, self.screen_kwargs)
        found = self.cache.get(key)
        if found is None:
            outcome = screen_one(self.screener, name, self.screen_kwargs)
            self.screened += 1
            if isinstance(outcome, EmptyNameError):
                return outcome
            found = outcome if self.summarise is None else self.summarise(outcome)
            self.cache.put(key, found)
        elif self.summarise is None and found.query != name:
            found = attrs.evolve(found, query=name)
        return found


def _init_worker(
    screener: Screener | None,
    recipe: ScreenerRecipe | None,
    screen_kwargs: dict[str, Any],
    cache_size: int,
    summarise: Summariser | None,
) -> None:
    """Pool initializer: get (fork) or build (spawn) the screener, once per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if screener is None:
        if recipe is None:  # pragma: no cover - a bug, never silently
            msg = "internal error: a worker needs the screener or the recipe to build it"
            raise RuntimeError(msg)
        screener = recipe.build()
    _WORKER_STATE["screening"] = NameScreening(
        screener, screen_kwargs, cache_size=cache_size, summarise=summarise
    )
    _WORKER_STATE["refs"] = _object_refs(screener) if summarise is None else None


def screen_one(screener: Screener, name: str, screen_kwargs: Mapping[str, Any]) -> Outcome:
    """Screen one name; the :class:`EmptyNameError` of a name that cannot be screened."""
    try:
        return screener.screen(name, **screen_kwargs)
    except EmptyNameError as exc:
        return exc


def screen_task(names: list[str]) -> bytes:
    """Worker side: screen a task's names; (outcomes, names screened, cache hits), pickled.

    Summaries are plain data, pickled as they are (C speed); results are pickled with
    references to the list's objects.
    """
    screening: NameScreening = _WORKER_STATE["screening"]
    screened, hits = screening.screened, screening.cache.hits
    outcomes = [screening.outcome(name) for name in names]
    answer = (outcomes, screening.screened - screened, screening.cache.hits - hits)
    refs = _WORKER_STATE["refs"]
    if refs is None:
        return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    buffer = io.BytesIO()
    _RefPickler(buffer, refs).dump(answer)
    return buffer.getvalue()


_ROUTE_WORD = re.compile(r"[^\W_]+")
_ROUTE_SKIPPED = frozenset(LEGAL_FORM_TOKENS)


def worker_for(name: str, workers: int) -> int:
    """The worker (0 to ``workers`` - 1) that screens ``name``.

    Spellings that normalise alike should go to one worker, whose cache then screens them once;
    the parent cannot normalise (it would cost as much as the screening), so it routes by a
    sketch of the normalised name: the words in lower case without the legal forms. On the
    throughput benchmark's million rows (312,211 spellings of 147,208 normalised names), 2
    workers fed at random screened 200,182 names, and so routed would screen 151,688. A
    whole-name hash spreads names evenly, even a supplier master whose names all begin
    "Shenzhen".
    """
    words = [w for w in _ROUTE_WORD.findall(name.casefold()) if w not in _ROUTE_SKIPPED]
    return hash(" ".join(words)) % workers


def start_pools(
    screener: Screener,
    workers: int,
    screen_kwargs: dict[str, Any],
    *,
    cache_size: int,
    summarise: Summariser | None = None,
) -> list[Pool]:
    """``workers`` pools of one process each (see :func:`worker_for`), each holding
    ``screener``, the screening options and a cache of ``cache_size`` results (or
    summaries)."""
    ctx: Any
    if "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        initargs: tuple[Any, ...] = (screener, None, screen_kwargs, cache_size, summarise)
    else:  # platforms without fork rebuild the screener from its lists and records
        ctx = multiprocessing.get_context("spawn")
        initargs = (None, ScreenerRecipe.of(screener), screen_kwargs, cache_size, summarise)
    # Objects alive now (the lists, the index) are moved out of the collector's sight while the
    # workers fork, so that collections in a worker neither walk nor copy the shared heap.
    gc.freeze()
    pools: list[Pool] = []
    try:
        for _ in range(workers):
            pools.append(ctx.Pool(1, initializer=_init_worker, initargs=initargs))
    except BaseException:
        for pool in pools:
            pool.terminate()
        raise
    finally:
        gc.unfreeze()
    return pools
