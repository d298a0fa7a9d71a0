"""Bulk screening: many names through the API, with a result cache and worker processes.

:func:`screen_many` (also :meth:`Screener.screen_many`) screens names in order and returns one
outcome per name; :func:`screen_iter` does the same as a stream. Both

* screen each distinct name once: results are cached by the normalised name
  (``normalize_name(name).text``, marked when it had a legal form, with the reading without a
  parenthesised short word when there is one), in a bounded LRU cache
  (:class:`ScreenCache`); a cached result is returned with the caller's own spelling as its
  ``query``;
* screen in worker processes with ``workers=N`` (each worker gets the screener once, from a pool
  initializer, and screens tasks of a few hundred names with its own cache by normalised name;
  a name always goes to the same worker, so that spellings that normalise alike meet in one
  cache; the parent caches by the name as given, so that it never normalises; results come
  back in input order; see :mod:`partyscreen.worker_pool`);
* with ``errors="raise"`` (the default) raise :class:`~partyscreen.EmptyNameError` for the first
  name that cannot be screened (empty, or nothing left after normalisation, such as "!!!"), its
  message naming the name's position; with ``errors="return"`` put that exception in the
  name's place in the results instead, so that no name is lost.

:class:`ScreeningEngine` is what they run on, and what ``partyscreen batch``
(:mod:`partyscreen.batch`) feeds its rows through, with a summariser that keeps of each result
only what an output row needs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, Literal

import attrs

from partyscreen.errors import EmptyNameError
from partyscreen.screener import Screener
from partyscreen.worker_pool import (
    DEFAULT_CACHE_SIZE,
    CacheKey,
    NameScreening,
    Outcome,
    ScreenCache,
    Summariser,
    load_outcomes,
    screen_task,
    start_pools,
    worker_for,
)

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

#: Names per task sent to a worker process. A task costs the pool a few hundred microseconds
#: (pickling, two queues, a result thread); at 50 to 100 microseconds a name, 512 names keep
#: that near 1 per cent, while a chunk (:data:`CHUNK_NAMES`) still gives each of 2 workers
#: 2 tasks.
TASK_NAMES = 512

#: Names (rows) submitted to the engine at a time; with workers, a few such chunks are in flight.
#: Bigger chunks mean fewer, larger writes; the batch commits at most every chunk.
CHUNK_NAMES = 2048


# --------------------------------------------------------------------------------------------
# The engine: cache, dedup, workers, order


class _Job:
    """Names screened together as one task of the pool."""

    def __init__(self, engine: ScreeningEngine, pool: Pool, names: list[str]) -> None:
        self._engine = engine
        self._outcomes: list[Any] | None = None
        self._async: AsyncResult[bytes] = pool.apply_async(screen_task, (names,))

    def outcome(self, number: int) -> Any:
        if self._outcomes is None:
            outcomes, screened, hits = load_outcomes(self._async.get(), self._engine.screener)
            self._outcomes = outcomes
            self._engine.screened_by_workers += screened
            self._engine.worker_hits += hits
        return self._outcomes[number]


@attrs.frozen
class Handle:
    """A chunk of names submitted to a :class:`ScreeningEngine`, to collect in order."""

    names: tuple[str, ...]


class ScreeningEngine:
    """Screens names through a bounded cache, in this process or in a pool of workers.

    :meth:`submit` hands over a chunk of names (with workers, their screening starts at once)
    and :meth:`collect` returns their outcomes in order; submit a few chunks ahead (see
    :attr:`lookahead`) to keep the workers busy. Use it as a context manager (the pools are
    closed on exit).

    An outcome is the :class:`~partyscreen.ScreeningResult` (its ``query`` the name given), or
    ``summarise(result)`` when a summariser is given, or the :class:`EmptyNameError` of a name
    that cannot be screened.

    In this process, :attr:`cache` is keyed by normalised name. With workers, each worker has
    such a cache and :attr:`cache` (in this process) is keyed by the name as given: this
    process never normalises, which would cost as much as the workers' screening.
    """

    def __init__(
        self,
        screener: Screener,
        *,
        workers: int | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        screen_kwargs: Mapping[str, Any] | None = None,
        summarise: Summariser | None = None,
    ) -> None:
        workers = 1 if workers is None else workers
        if workers < 1:
            msg = f"workers must be 1 or more, not {workers}"
            raise ValueError(msg)
        self.screener = screener
        self.screen_kwargs = dict(screen_kwargs or {})
        # Bad options (a threshold of 2, an unknown keyword) fail here, once, not per name.
        screener.screen("partyscreen", **self.screen_kwargs)
        self._local = NameScreening(
            screener, self.screen_kwargs, cache_size=cache_size, summarise=summarise
        )
        self.workers = workers
        #: Cache hits in the workers (their caches by normalised name).
        self.worker_hits = 0
        #: Names screened in the workers.
        self.screened_by_workers = 0
        self._inflight: dict[str, tuple[_Job, int]] = {}
        #: One pool of one process per worker (see partyscreen.worker_pool.worker_for).
        self.pools: list[Pool] = []
        self.cache = self._local.cache
        if workers > 1:
            self.pools = start_pools(
                screener, workers, self.screen_kwargs, cache_size=cache_size, summarise=summarise
            )
            self.cache = ScreenCache(cache_size)  # by the name as given

    @property
    def screened(self) -> int:
        """Names screened (not found in a cache), here and in the workers."""
        return self._local.screened + self.screened_by_workers

    @property
    def cache_hits(self) -> int:
        """Names answered from a cache, here and in the workers."""
        hits = self.cache.hits + self.worker_hits
        if self.cache is not self._local.cache:
            hits += self._local.cache.hits
        return hits

    @property
    def lookahead(self) -> int:
        """Chunks to keep submitted ahead of the one being collected."""
        return self.workers + 1 if self.pools else 0

    def __enter__(self) -> ScreeningEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        pools, self.pools = self.pools, []
        for pool in pools:
            pool.terminate()
        for pool in pools:
            pool.join()

    def submit(self, names: Iterable[str]) -> Handle:
        names = tuple(names)
        if self.pools:
            inflight, pools = self._inflight, self.pools
            shares: list[list[str]] = [[] for _ in pools]
            for name in self.cache.missing(dict.fromkeys(names)):
                if name not in inflight:
                    shares[worker_for(name, len(pools))].append(name)
            for pool, share in zip(pools, shares, strict=True):
                for start in range(0, len(share), TASK_NAMES):
                    task = share[start : start + TASK_NAMES]
                    job = _Job(self, pool, task)
                    inflight.update((name, (job, number)) for number, name in enumerate(task))
        return Handle(names=names)

    def collect(self, handle: Handle) -> list[Any]:
        names = handle.names
        if not self.pools:
            outcome = self._local.outcome
            return [outcome(name) for name in names]
        cache, inflight = self.cache, self._inflight
        outcomes = cache.get_many(names)
        for i, found in enumerate(outcomes):
            if found is not None:
                continue
            name = names[i]
            entry = inflight.pop(name, None)
            if entry is not None:
                found = entry[0].outcome(entry[1])
            else:  # a repeat within the chunk, or evicted since it was submitted
                found = cache.get(name)
                if found is None:
                    found = self._local.outcome(name)
            if not isinstance(found, EmptyNameError):
                cache.put(name, found)
            outcomes[i] = found
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
