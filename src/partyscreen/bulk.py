"""Bulk screening: many names through the API, with a result cache and worker processes.

:func:`screen_many` (also :meth:`Screener.screen_many`) screens names in order and returns one
outcome per name; :func:`screen_iter` does the same as a stream. Both

* screen each distinct name once: results are cached by the normalised name
  (``normalize_name(name).tokens``) and the screening options, in a bounded LRU cache
  (:class:`ScreenCache`); a cached result is returned with the caller's own spelling as its
  ``query``;
* screen in worker processes with ``workers=N`` (each worker gets the screener once, from a pool
  initializer, and screens tasks of a few hundred names; results come back in input order; see
  :mod:`partyscreen.worker_pool`);
* with ``errors="raise"`` (the default) raise :class:`~partyscreen.EmptyNameError` for the first
  name that cannot be screened (empty, or nothing left after normalisation, such as "!!!"), its
  message naming the name's position; with ``errors="return"`` put that exception in the
  name's place in the results instead, so that no name is lost.

:class:`ScreeningEngine` is what they run on, and what ``partyscreen batch``
(:mod:`partyscreen.batch`) feeds its rows through.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, Literal

import attrs

from partyscreen.errors import EmptyNameError
from partyscreen.normalize import normalize_name
from partyscreen.result import ScreeningResult
from partyscreen.screener import Screener
from partyscreen.worker_pool import Outcome, load_outcomes, screen_one, screen_task, start_pool

__all__ = [
    "CHUNK_NAMES",
    "DEFAULT_CACHE_SIZE",
    "TASK_NAMES",
    "CacheKey",
    "Handle",
    "Outcome",
    "ScreenCache",
    "ScreeningEngine",
    "screen_iter",
    "screen_many",
]

#: Results kept by the batch cache (a clear result is a few hundred bytes, a match a few kB).
DEFAULT_CACHE_SIZE = 1 << 14

#: Names per task sent to a worker process.
TASK_NAMES = 256

#: Names (rows) submitted to the engine at a time; with workers, a few such chunks are in flight.
CHUNK_NAMES = 500


# --------------------------------------------------------------------------------------------
# The cache


def _freeze(value: Any) -> Any:
    """A hashable, order-stable stand-in for a screening option's value."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(_freeze(v) for v in value))
    if isinstance(value, date):
        return value.isoformat()
    return value


#: A cache key: the normalised name's tokens and the frozen screening options.
CacheKey = tuple[tuple[str, ...], Any]


class ScreenCache:
    """A bounded LRU cache of screening results."""

    def __init__(self, maxsize: int = DEFAULT_CACHE_SIZE) -> None:
        self.maxsize = max(0, maxsize)
        self._data: OrderedDict[CacheKey, ScreeningResult] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: CacheKey) -> bool:
        return key in self._data

    def get(self, key: CacheKey) -> ScreeningResult | None:
        result = self._data.get(key)
        if result is None:
            self.misses += 1
            return None
        self.hits += 1
        self._data.move_to_end(key)
        return result

    def put(self, key: CacheKey, result: ScreeningResult) -> None:
        if self.maxsize == 0:
            return
        self._data[key] = result
        self._data.move_to_end(key)
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)


# --------------------------------------------------------------------------------------------
# The engine: cache, dedup, workers, order


class _Job:
    """Names screened together: in this process (lazily) or as one task of the pool."""

    def __init__(self, engine: ScreeningEngine, names: list[str]) -> None:
        self._engine = engine
        self._names = names
        self._async: AsyncResult[bytes] | None = None
        self._outcomes: list[Outcome] | None = None
        if engine.pool is not None:
            self._async = engine.pool.apply_async(screen_task, (names,))

    def outcome(self, number: int) -> Outcome:
        if self._outcomes is None:
            if self._async is None:
                screener, kwargs = self._engine.screener, self._engine.screen_kwargs
                self._outcomes = [screen_one(screener, n, kwargs) for n in self._names]
            else:
                self._outcomes = load_outcomes(self._async.get(), self._engine.screener)
            self._engine.screened += len(self._names)
        return self._outcomes[number]


@attrs.frozen
class Handle:
    """A chunk of names submitted to a :class:`ScreeningEngine`, to collect in order."""

    names: tuple[str, ...]
    keys: tuple[CacheKey | None, ...]


class ScreeningEngine:
    """Screens names through a bounded cache, in this process or in a pool of workers.

    :meth:`submit` hands over a chunk of names (with workers, their screening starts at once)
    and :meth:`collect` returns their outcomes in order; submit a few chunks ahead (see
    :attr:`lookahead`) to keep the workers busy. Use it as a context manager (the pool is
    closed on exit).
    """

    def __init__(
        self,
        screener: Screener,
        *,
        workers: int | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        screen_kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        workers = 1 if workers is None else workers
        if workers < 1:
            msg = f"workers must be 1 or more, not {workers}"
            raise ValueError(msg)
        self.screener = screener
        self.screen_kwargs = dict(screen_kwargs or {})
        # Bad options (a threshold of 2, an unknown keyword) fail here, once, not per name.
        screener.screen("partyscreen", **self.screen_kwargs)
        self._options = _freeze(self.screen_kwargs)
        self.cache = ScreenCache(cache_size)
        self.workers = workers
        self.screened = 0
        self._inflight: dict[CacheKey, tuple[_Job, int]] = {}
        self.pool: Pool | None = None
        if workers > 1:
            self.pool = start_pool(screener, workers, self.screen_kwargs)

    @property
    def lookahead(self) -> int:
        """Chunks to keep submitted ahead of the one being collected."""
        return 0 if self.pool is None else self.workers + 1

    def __enter__(self) -> ScreeningEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def submit(self, names: Iterable[str]) -> Handle:
        names = tuple(names)
        keys: list[CacheKey | None] = []
        todo: dict[CacheKey, str] = {}
        for name in names:
            tokens = normalize_name(name).tokens
            if not tokens:
                keys.append(None)
                continue
            key = (tokens, self._options)
            keys.append(key)
            if key not in self.cache and key not in self._inflight:
                todo.setdefault(key, name)
        todo_keys, todo_names = list(todo), list(todo.values())
        for start in range(0, len(todo_names), TASK_NAMES):
            job = _Job(self, todo_names[start : start + TASK_NAMES])
            for number, key in enumerate(todo_keys[start : start + TASK_NAMES]):
                self._inflight[key] = (job, number)
        return Handle(names=names, keys=tuple(keys))

    def collect(self, handle: Handle) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for name, key in zip(handle.names, handle.keys, strict=True):
            if key is None:  # nothing to screen: screen() says why, in its own words
                outcomes.append(screen_one(self.screener, name, self.screen_kwargs))
                continue
            result = self.cache.get(key)
            if result is None:
                entry = self._inflight.pop(key, None)
                if entry is not None:
                    outcome = entry[0].outcome(entry[1])
                else:  # evicted from the cache since it was submitted: screen it again
                    outcome = screen_one(self.screener, name, self.screen_kwargs)
                    self.screened += 1
                if not isinstance(outcome, ScreeningResult):
                    outcomes.append(outcome)
                    continue
                result = outcome
                self.cache.put(key, result)
            outcomes.append(result if result.query == name else attrs.evolve(result, query=name))
        return outcomes


# --------------------------------------------------------------------------------------------
# The API


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def screen_iter(
    screener: Screener,
    names: Iterable[str],
    *,
    workers: int | None = None,
    errors: Literal["raise", "return"] = "raise",
    cache_size: int = DEFAULT_CACHE_SIZE,
    **screen_kwargs: Any,
) -> Iterator[Outcome]:
    """Screen ``names`` in order, as a stream; see :func:`screen_many`."""
    if errors not in ("raise", "return"):
        msg = f'errors must be "raise" or "return", not {errors!r}'
        raise ValueError(msg)
    position = 0
    with ScreeningEngine(
        screener, workers=workers, cache_size=cache_size, screen_kwargs=screen_kwargs
    ) as engine:
        pending: deque[Handle] = deque()

        def drain(keep: int) -> Iterator[Outcome]:
            nonlocal position
            while len(pending) > keep:
                for outcome in engine.collect(pending.popleft()):
                    if errors == "raise" and isinstance(outcome, EmptyNameError):
                        msg = f"name {position}: {outcome}"
                        raise EmptyNameError(msg) from outcome
                    position += 1
                    yield outcome

        for chunk in _chunks(names, CHUNK_NAMES):
            pending.append(engine.submit(chunk))
            yield from drain(engine.lookahead)
        yield from drain(0)


def screen_many(
    screener: Screener,
    names: Iterable[str],
    *,
    workers: int | None = None,
    errors: Literal["raise", "return"] = "raise",
    cache_size: int = DEFAULT_CACHE_SIZE,
    **screen_kwargs: Any,
) -> list[Outcome]:
    """Screen many names; one outcome per name, in order.

    ``screen_kwargs`` are :meth:`Screener.screen`'s options (``threshold``, ``limit``,
    ``as_of``, ``lists``), the same for every name. ``workers`` > 1 screens in that many worker
    processes. Each distinct normalised name is screened once (an LRU cache of ``cache_size``).
    A name that cannot be screened raises :class:`EmptyNameError` (``errors="raise"``) or
    stands as that exception in the returned list (``errors="return"``).
    """
    return list(
        screen_iter(
            screener,
            names,
            workers=workers,
            errors=errors,
            cache_size=cache_size,
            **screen_kwargs,
        )
    )
