"""Batch screening: many names through the API, and CSV files in, CSV or JSON lines out.

The API
-------
:func:`screen_many` (also :meth:`Screener.screen_many`) screens names in order and returns one
outcome per name; :func:`screen_iter` does the same as a stream. Both

* screen each distinct name once: results are cached by the normalised name
  (``normalize_name(name).tokens``) and the screening options, in a bounded LRU cache; a cached
  result is returned with the caller's own spelling as its ``query``;
* screen in worker processes with ``workers=N`` (each worker gets the screener once, from a pool
  initializer, and screens tasks of a few hundred names; results come back in input order);
* with ``errors="raise"`` (the default) raise :class:`~partyscreen.EmptyNameError` for the first
  name that cannot be screened (empty, or nothing left after normalisation, such as "!!!"), its
  message naming the name's position; with ``errors="return"`` put that exception in the
  name's place in the results instead, so that no name is lost.

The batch run
-------------
:func:`run_batch` is ``partyscreen batch IN.csv -o OUT.csv``: it streams the input (memory stays
flat), writes one output row per input record in input order (the input columns, then
:data:`OUTPUT_FIELDS` with a ``ps_`` prefix, or one JSON object per record), commits the output
in chunks (write, flush, fsync, then atomically replace a checkpoint file beside the output)
so that ``--resume`` continues an interrupted run without losing or repeating a row, and
writes a manifest beside the output: input sha256, encoding and delimiter, lists with their
versions and sha256s, the licences and decisions files, settings, counts, times.

Compliance options are applied as ``partyscreen screen`` applies them: the user's licences
(``licence_paths``) and the deal (``item``, ``purpose``, dated ``as_of``) give each row its
``coverage``; reviewed false positives (``decisions_path``) suppress matches, which are counted
(per row and in the summary and manifest), never dropped. ``since`` names an older version of
the lists: only matches with the entities added or changed since then are reported
(:func:`partyscreen.diff.changed_entity_keys` between that file and all the entities of the
lists in use taken together, so that with several lists in use, entities of lists the older
file does not hold count as added and nothing is missed).
"""

from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import io
import itertools
import json
import multiprocessing
import os
import pickle
import signal
import sys
import time
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import IO, Any, Literal, TextIO

import attrs

from partyscreen._version import __version__
from partyscreen.csvio import (
    DELIMITER_NAMES,
    DELIMITERS,
    InputFile,
    count_records,
    field_size_limit,
    open_records,
    scan_input,
    sniff_delimiter,
)
from partyscreen.diff import changed_entity_keys, diff_lists
from partyscreen.errors import EmptyNameError, PartyscreenError
from partyscreen.licencefile import Licences, load_licences
from partyscreen.licensing import Deal
from partyscreen.model import ScreeningList
from partyscreen.normalize import normalize_name
from partyscreen.result import DISCLAIMER, ScreeningResult
from partyscreen.screener import Screener, parse_day
from partyscreen.suppression import Decisions, load_decisions

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "NAME_COLUMNS",
    "OUTPUT_FIELDS",
    "BatchError",
    "BatchOptions",
    "BatchReport",
    "Outcome",
    "ScreenCache",
    "ScreeningEngine",
    "checkpoint_path",
    "manifest_path",
    "run_batch",
    "screen_iter",
    "screen_many",
]

#: What screening one name gives: a result, or the reason the name cannot be screened.
Outcome = ScreeningResult | EmptyNameError

#: Results kept by the batch cache (a clear result is a few hundred bytes, a match a few kB).
DEFAULT_CACHE_SIZE = 1 << 14

#: Names per task sent to a worker process.
TASK_NAMES = 256

#: Names (rows) submitted to the engine at a time; with workers, a few such chunks are in flight.
CHUNK_NAMES = 500

#: Rows between two commits of a batch output (write, fsync, checkpoint).
DEFAULT_COMMIT_EVERY = 2000

#: Output columns added after the input columns (each with the output prefix, ``ps_``).
OUTPUT_FIELDS = (
    "row",  # the record's number among the input's data records, from 1
    "decision",  # clear, review, match; "error" when the row could not be screened
    "score",  # the best match's score, 4 decimals
    "entity_id",
    "entity_name",
    "matched_name",  # the name or alias of the entity that matched
    "matched_name_kind",  # primary, aka, native, romanisation, ...
    "list",  # the source list code of the entity (EL, SDN, ...)
    "listed_on",
    "license_requirement",
    "license_policy",
    "exceptions",  # ids of the licence exceptions on record, "; "-separated
    "coverage",  # the licence coverage of the matches raised (covered, ..., partly covered)
    "more_matches",  # how many further entities matched (above the review threshold)
    "suppressed",  # how many matches a review suppressed (see partyscreen.suppression)
    "error",  # why the row could not be screened
)

#: Column names taken as the name to screen when ``--column`` is not given, by preference.
#: Headers compare case-insensitively, with spaces and hyphens read as underscores.
NAME_COLUMNS = (
    "name",
    "company",
    "company_name",
    "supplier_name",
    "supplier",
    "party",
    "party_name",
    "counterparty",
    "counterparty_name",
    "vendor_name",
    "vendor",
    "customer_name",
    "entity_name",
    "legal_name",
    "organisation_name",
    "organization_name",
    "organisation",
    "organization",
)

FORMATS = ("csv", "jsonl")
FAIL_ON = ("review", "match")
DECISION_COUNTS = ("clear", "review", "match")

#: What a run counts: rows, their decisions, rows that could not be screened, blank lines
#: skipped, matches suppressed by a review and the rows that had one.
COUNTS = ("rows", *DECISION_COUNTS, "errors", "blank_lines", "suppressed", "suppressed_rows")

#: Exit statuses of a batch run.
EXIT_OK, EXIT_FAIL_ON, EXIT_USAGE = 0, 1, 2

#: Version of the checkpoint file layout.
CHECKPOINT_VERSION = 1


class BatchError(PartyscreenError, ValueError):
    """A batch run cannot start or go on: bad options, input or resume state (exit status 2)."""


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
# Worker processes
#
# A result refers to the list's own entity objects and to the whole lists; pickled as they are
# they would carry the list with every result. Workers pickle them as references (list number,
# entity number) instead, and the parent resolves those to its own objects: the worker's
# screener is the parent's (inherited by fork, with its licences, decisions and restriction)
# or rebuilt from the same lists, records and restriction (spawn: see _ScreenerRecipe).

_WORKER_STATE: dict[str, Any] = {}


@attrs.frozen
class _ScreenerRecipe:
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
    def of(cls, screener: Screener) -> _ScreenerRecipe:
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


def _init_worker(
    screener: Screener | None,
    recipe: _ScreenerRecipe | None,
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


def _screen_one(screener: Screener, name: str, screen_kwargs: Mapping[str, Any]) -> Outcome:
    try:
        return screener.screen(name, **screen_kwargs)
    except EmptyNameError as exc:
        return exc


def _screen_task(names: list[str]) -> bytes:
    """Worker side: screen a task's names, return the outcomes pickled with references."""
    screener: Screener = _WORKER_STATE["screener"]
    kwargs: dict[str, Any] = _WORKER_STATE["kwargs"]
    outcomes = [_screen_one(screener, name, kwargs) for name in names]
    buffer = io.BytesIO()
    _RefPickler(buffer, _WORKER_STATE["refs"]).dump(outcomes)
    return buffer.getvalue()


def _start_pool(screener: Screener, workers: int, screen_kwargs: dict[str, Any]) -> Pool:
    ctx: Any
    if "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        initargs: tuple[Any, ...] = (screener, None, screen_kwargs)
    else:  # platforms without fork rebuild the screener from its lists and records
        ctx = multiprocessing.get_context("spawn")
        initargs = (None, _ScreenerRecipe.of(screener), screen_kwargs)
    # Objects alive now (the lists, the index) are moved out of the collector's sight while the
    # workers fork, so that collections in a worker neither walk nor copy the shared heap.
    gc.freeze()
    try:
        pool: Pool = ctx.Pool(workers, initializer=_init_worker, initargs=initargs)
    finally:
        gc.unfreeze()
    return pool


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
            self._async = engine.pool.apply_async(_screen_task, (names,))

    def outcome(self, number: int) -> Outcome:
        if self._outcomes is None:
            if self._async is None:
                screener, kwargs = self._engine.screener, self._engine.screen_kwargs
                self._outcomes = [_screen_one(screener, n, kwargs) for n in self._names]
            else:
                data = self._async.get()
                self._outcomes = _RefUnpickler(io.BytesIO(data), self._engine.screener).load()
            self._engine.screened += len(self._names)
        return self._outcomes[number]


@attrs.frozen
class _Handle:
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
            self.pool = _start_pool(screener, workers, self.screen_kwargs)

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

    def submit(self, names: Iterable[str]) -> _Handle:
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
        return _Handle(names=names, keys=tuple(keys))

    def collect(self, handle: _Handle) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for name, key in zip(handle.names, handle.keys, strict=True):
            if key is None:  # nothing to screen: screen() says why, in its own words
                outcomes.append(_screen_one(self.screener, name, self.screen_kwargs))
                continue
            result = self.cache.get(key)
            if result is None:
                entry = self._inflight.pop(key, None)
                if entry is not None:
                    outcome = entry[0].outcome(entry[1])
                else:  # evicted from the cache since it was submitted: screen it again
                    outcome = _screen_one(self.screener, name, self.screen_kwargs)
                    self.screened += 1
                if not isinstance(outcome, ScreeningResult):
                    outcomes.append(outcome)
                    continue
                result = outcome
                self.cache.put(key, result)
            outcomes.append(result if result.query == name else attrs.evolve(result, query=name))
        return outcomes


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
        pending: deque[_Handle] = deque()

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


# --------------------------------------------------------------------------------------------
# The batch run: options, columns, checkpoint, manifest


@attrs.frozen
class BatchOptions:
    """Everything ``partyscreen batch`` is told (see ``partyscreen batch --help``)."""

    input: Path = attrs.field(converter=Path)
    output: Path = attrs.field(converter=Path)
    column: str | None = None
    id_column: str | None = None
    list_paths: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    sources: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    threshold: float | None = None
    as_of: str | None = None
    workers: int = 1
    format: str = "csv"
    resume: bool = False
    fail_on: str | None = None
    delimiter: str | None = None
    commit_every: int = DEFAULT_COMMIT_EVERY
    cache_size: int = DEFAULT_CACHE_SIZE
    #: An older version of the lists (any file ``load_path`` reads): report only matches with
    #: the entities added or changed since then.
    since: str | None = None
    #: The user's licences files (TOML), checked against the deal for each match.
    licence_paths: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    #: Reviewed false positives (JSON Lines, ``partyscreen review``): matches suppressed.
    decisions_path: str | None = None
    #: The deal: the item's classification (EAR99 or an ECCN) and purpose; dated ``as_of``.
    item: str | None = None
    purpose: str | None = None
    #: Show a progress bar: None shows it when the error stream is a terminal.
    progress: bool | None = None
    #: No summary on the error stream (errors are still reported).
    quiet: bool = False


@attrs.frozen
class BatchReport:
    """What a batch run did."""

    exit_status: int
    counts: dict[str, int]
    output: Path
    manifest_path: Path
    manifest: dict[str, Any]


def manifest_path(output: Path) -> Path:
    """``OUT.csv`` -> ``OUT.csv.manifest.json``."""
    return output.with_name(output.name + ".manifest.json")


def checkpoint_path(output: Path) -> Path:
    """``OUT.csv`` -> ``OUT.csv.checkpoint.json``: present while a run is unfinished."""
    return output.with_name(output.name + ".checkpoint.json")


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _header_key(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "_" for ch in text.strip().casefold())
    return "_".join(part for part in out.split("_") if part)


def _find_column(header: Sequence[str], wanted: str, *, what: str, path: Path) -> int:
    if wanted in header:
        return header.index(wanted)
    matches = [i for i, h in enumerate(header) if _header_key(h) == _header_key(wanted)]
    if matches:
        return matches[0]
    msg = f"{path}: no {what} {wanted!r}; the columns are: {_quoted(header)}"
    raise BatchError(msg)


def _guess_name_column(header: Sequence[str], path: Path) -> int:
    keys = [_header_key(h) for h in header]
    for candidate in NAME_COLUMNS:
        if candidate in keys:
            return keys.index(candidate)
    msg = (
        f"{path}: no name column found (looked for a column named like "
        f"{', '.join(NAME_COLUMNS[:8])}, ...); choose one with --column; "
        f"the columns are: {_quoted(header)}"
    )
    raise BatchError(msg)


def _quoted(items: Sequence[str]) -> str:
    return ", ".join(repr(h) for h in items) if items else "(none)"


def _output_prefix(header: Sequence[str]) -> str:
    taken = {h.casefold() for h in header}
    prefix, number = "ps_", 1
    while any(f"{prefix}{field}" in taken for field in OUTPUT_FIELDS):
        number += 1
        prefix = f"ps{number}_"
    return prefix


def _write_json_atomic(path: Path, data: Mapping[str, Any]) -> None:
    """Write JSON to ``path`` so that a reader (or a crash) sees the old or the new file whole."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets one open a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{path}: cannot read the {what}: {exc}"
        raise BatchError(msg) from exc
    if not isinstance(data, dict):
        msg = f"{path}: the {what} is not a JSON object"
        raise BatchError(msg)
    return data


@attrs.define
class _Row:
    number: int
    line: int
    fields: list[str]
    name: str | None = None
    error: str | None = None


@attrs.define
class _State:
    """Progress of a run, as the checkpoint records it."""

    records_done: int = 0  # input records consumed (blank lines included), after the header
    rows_done: int = 0  # output rows written
    output_bytes: int = 0
    output_sha256: str = hashlib.sha256().hexdigest()
    counts: dict[str, int] = attrs.field(factory=lambda: dict.fromkeys(COUNTS, 0))
    sessions: list[dict[str, Any]] = attrs.field(factory=list)
    started_at: str = ""


class _Run:
    """One batch session: set up, resume or start, stream, commit, finish."""

    def __init__(self, options: BatchOptions, screener: Screener | None, stderr: TextIO) -> None:
        self.options = options
        self.stderr = stderr
        self._check_options()
        # The deal's terms, checked now (a bad --item is exit 2 before any work); dated as_of.
        self.deal_terms = Deal(classification=options.item, purpose=options.purpose or "")
        self.source: InputFile = scan_input(options.input)
        self.delimiter = options.delimiter or sniff_delimiter(self.source)
        if screener is None:
            screener = self._load_screener()
        else:
            self._check_given_screener(screener)
        #: What --since compared, for the manifest (None without --since).
        self.since: dict[str, Any] | None = None
        self.screener = self._restrict_since(screener) if options.since else screener
        self.checkpoint_file = checkpoint_path(options.output)
        self.manifest_file = manifest_path(options.output)
        self.errors_shown = 0

    # -- set-up

    def _check_options(self) -> None:
        o = self.options
        problems = []
        if o.workers < 1:
            problems.append(f"--workers must be 1 or more, not {o.workers}")
        if o.format not in FORMATS:
            problems.append(f"--format must be one of {', '.join(FORMATS)}, not {o.format!r}")
        if o.fail_on is not None and o.fail_on not in FAIL_ON:
            problems.append(f"--fail-on must be one of {', '.join(FAIL_ON)}, not {o.fail_on!r}")
        if o.delimiter is not None and o.delimiter not in DELIMITERS:
            problems.append(f"--delimiter must be one of {DELIMITERS!r}, not {o.delimiter!r}")
        if o.commit_every < 1:
            problems.append(f"--commit-every must be 1 or more, not {o.commit_every}")
        if o.input.resolve() == o.output.resolve():
            problems.append(f"the output {o.output} is the input file")
        if not o.output.parent.resolve().is_dir():
            problems.append(f"the output folder {o.output.parent} does not exist")
        if problems:
            raise BatchError("; ".join(problems))

    def _load_screener(self) -> Screener:
        """The lists (or the embedded default), with the licences and decisions files."""
        o = self.options
        if o.list_paths:
            screener = Screener.from_paths(o.list_paths)
        else:
            from partyscreen.embedded import default_screener

            screener = default_screener()
        if not (o.licence_paths or o.decisions_path):
            return screener
        licences = load_licences(o.licence_paths) if o.licence_paths else None
        decisions = load_decisions(o.decisions_path) if o.decisions_path else None
        for record in licences.unattached(screener.entities) if licences is not None else ():
            self._say(
                f"partyscreen batch: warning: licence {record.id} names no entity of the lists "
                f"in use: {record.entity_id!r}"
            )
        return screener.with_records(licences=licences, decisions=decisions)

    def _check_given_screener(self, screener: Screener) -> None:
        """A screener given to run_batch must apply the records files the options name."""
        o = self.options
        named = [*o.licence_paths, *([o.decisions_path] if o.decisions_path else [])]
        applied = {f.path for f in screener.record_files}
        missing = [p for p in named if str(Path(p)) not in applied]
        if missing:
            msg = (
                f"the screener given does not apply {_quoted(missing)}, named in the options: "
                "give it those records (Screener.with_records) or give no screener"
            )
            raise BatchError(msg)

    def _restrict_since(self, screener: Screener) -> Screener:
        """The screener reporting only the entities added or changed since ``--since``.

        The older file is compared with all the entities in use taken together: with several
        lists in use, entities of lists it does not hold count as added (screened, not missed).
        Entities removed since then need no screening.
        """
        path = Path(self.options.since or "")
        from partyscreen.loaders import load_path

        old = load_path(path)
        if len(screener.lists) == 1:
            in_use = screener.lists[0]
        else:
            combined = hashlib.sha256("".join(sl.sha256 for sl in screener.lists).encode())
            in_use = ScreeningList(
                name="the lists in use",
                sha256=combined.hexdigest(),
                entities=screener.entities,
                source="; ".join(sl.name for sl in screener.lists),
            )
        found = diff_lists(old, in_use)
        keys = changed_entity_keys(old, in_use)
        sha256 = _file_sha256(path) or old.sha256
        reason = (
            f"added or changed since {path.name} (version {old.version or 'unknown'}, "
            f"sha256 {sha256[:16]}...)"
        )
        restricted = screener.restricted_to(keys, reason=reason)
        self.since = {
            "path": str(path.resolve()),
            "sha256": sha256,
            "name": old.name,
            "version": old.version,
            "entities": len(old.entities),
            "compared_with": [sl.name for sl in screener.lists],
            "added": len(found.added),
            "changed": len(found.changed),
            "removed": len(found.removed),
            "entities_screened": sum((e.list_code, e.id) in keys for e in screener.entities),
            "entities_in_use": len(screener.entities),
            "restricted_to": restricted.restriction,
        }
        return restricted

    def _settings(self, as_of: str) -> dict[str, Any]:
        o = self.options
        return {
            "column": self.header[self.name_index],
            "id_column": self.header[self.id_index] if self.id_index is not None else None,
            "format": o.format,
            "delimiter": self.delimiter,
            "threshold": o.threshold,
            "as_of": as_of,
            "sources": list(o.sources),
            "item": self.deal_terms.classification,
            "purpose": self.deal_terms.purpose or None,
            "match_settings": self.screener.settings.with_threshold(o.threshold).to_dict(),
        }

    def _fingerprint(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """What must be the same for a run to be resumed (not the workers: they change speed)."""
        return {
            "input_sha256": self.source.sha256,
            "input_size": self.source.size,
            "lists": [sl.sha256 for sl in self.screener.lists],
            "record_files": [f["sha256"] for f in _record_files(self.screener)],
            "since": self.since["sha256"] if self.since is not None else None,
            "settings": dict(settings),
            "partyscreen_version": __version__,
        }

    # -- the run

    def run(self) -> BatchReport:
        o = self.options
        session_start = time.monotonic()
        started_at = _utc_now()
        text, reader = open_records(self.source, self.delimiter)
        with text, field_size_limit():
            header: list[str] | None = None
            try:
                for record in reader:
                    if record:
                        header = record
                        break
            except csv.Error as exc:
                raise self._csv_error(reader.line_num, exc) from exc
            if header is None:
                msg = f"{o.input}: the file is empty: no header row"
                raise BatchError(msg)
            self.header = header
            self.width = len(header)
            self.name_index = (
                _find_column(header, o.column, what="column", path=o.input)
                if o.column is not None
                else _guess_name_column(header, o.input)
            )
            self.id_index = (
                _find_column(header, o.id_column, what="id column", path=o.input)
                if o.id_column is not None
                else None
            )
            self.prefix = _output_prefix(header)
            self.columns = [*header, *(self.prefix + f for f in OUTPUT_FIELDS)]
            state, as_of = self._start_or_resume(started_at)
            if state is None:
                return self._already_complete(as_of)
            self.settings = self._settings(as_of)
            deal = None
            if o.item or o.purpose:  # as `partyscreen screen` does; the deal is dated as_of
                deal = attrs.evolve(self.deal_terms, date=as_of)
            screen_kwargs: dict[str, Any] = {
                "threshold": o.threshold,
                "as_of": as_of,
                "lists": list(o.sources) or None,
                "limit": None,
                "deal": deal,
            }
            self._announce(state)
            with ScreeningEngine(
                self.screener,
                workers=o.workers,
                cache_size=o.cache_size,
                screen_kwargs=screen_kwargs,
            ) as engine:
                self._stream(reader, engine, state, header_line=reader.line_num)
                cache_hits = engine.cache.hits
                screened = engine.screened
        elapsed = time.monotonic() - session_start
        return self._finish(state, started_at, elapsed, cache_hits, screened)

    def _csv_error(self, line: int, exc: csv.Error) -> BatchError:
        msg = (
            f"{self.options.input}: line {line}: cannot read the CSV record: {exc} "
            "(an unclosed quote swallowing the rest of the file?)"
        )
        return BatchError(msg)

    def _start_or_resume(self, started_at: str) -> tuple[_State | None, Any]:
        """(progress, as_of) of a new or resumed run; (None, manifest) when it is complete."""
        o = self.options
        checkpoint = self.checkpoint_file
        if o.resume and checkpoint.exists():
            data = _read_json(checkpoint, "checkpoint")
            recorded = data.get("fingerprint", {})
            as_of = o.as_of or recorded.get("settings", {}).get("as_of")
            as_of = parse_day(as_of).isoformat()
            fingerprint = self._fingerprint(self._settings(as_of))
            self._check_same_run(recorded, fingerprint, checkpoint)
            state = _State(
                records_done=int(data["records_done"]),
                rows_done=int(data["rows_done"]),
                output_bytes=int(data["output_bytes"]),
                output_sha256=str(data["output_sha256"]),
                counts={
                    **dict.fromkeys(COUNTS, 0),
                    **{k: int(v) for k, v in data["counts"].items()},
                },
                sessions=list(data.get("sessions", [])),
                started_at=str(data.get("started_at", started_at)),
            )
            self._check_output_prefix(state)
        elif o.resume and o.output.exists():
            return None, self._complete_run()
        else:
            as_of = parse_day(o.as_of).isoformat()
            state = _State(started_at=started_at)
        self.fingerprint = self._fingerprint(self._settings(as_of))
        state.sessions.append(
            {
                "started_at": started_at,
                "from_row": state.rows_done,
                "workers": o.workers,
                "pid": os.getpid(),
            }
        )
        if state.records_done == 0:
            # A fresh start: no manifest until the new output is complete.
            self.manifest_file.unlink(missing_ok=True)
        self._write_checkpoint(state)
        return state, as_of

    def _check_same_run(
        self, recorded: Mapping[str, Any], current: Mapping[str, Any], checkpoint: Path
    ) -> None:
        differences = []
        for key, value in current.items():
            if key == "settings":
                old = recorded.get("settings", {})
                differences += [
                    f"{k}: {old.get(k)!r} then, {v!r} now"
                    for k, v in value.items()
                    if old.get(k) != v
                ]
            elif recorded.get(key) != value:
                what = {
                    "input_sha256": "the input file's content (sha256)",
                    "input_size": "the input file's size",
                    "lists": "the lists (sha256)",
                    "record_files": "the licences or decisions files (sha256)",
                    "since": "the --since list (sha256)",
                    "partyscreen_version": "the partyscreen version",
                }[key]
                differences.append(f"{what}: {recorded.get(key)!r} then, {value!r} now")
        if differences:
            msg = (
                f"cannot resume {self.options.output}: the earlier run (see {checkpoint}) "
                f"had a different input or settings: {'; '.join(differences)}; run without "
                "--resume to start again (the output is then overwritten)"
            )
            raise BatchError(msg)

    def _complete_run(self) -> dict[str, Any]:
        """The manifest of a complete run of this input with these settings, or a refusal."""
        o = self.options
        refusal = (
            f"cannot resume {o.output}: it exists but has no checkpoint "
            f"({self.checkpoint_file.name}), so it is not an interrupted batch run"
        )
        if not self.manifest_file.exists():
            msg = f"{refusal}; run without --resume to overwrite it"
            raise BatchError(msg)
        manifest = _read_json(self.manifest_file, "manifest")
        recorded = manifest.get("fingerprint", {})
        as_of = parse_day(o.as_of or recorded.get("settings", {}).get("as_of")).isoformat()
        self._check_same_run(recorded, self._fingerprint(self._settings(as_of)), self.manifest_file)
        output = manifest.get("output", {})
        if _file_sha256(o.output) != output.get("sha256"):
            msg = (
                f"{refusal}, and it differs from the complete output that "
                f"{self.manifest_file.name} describes; run without --resume to redo it"
            )
            raise BatchError(msg)
        return manifest

    def _check_output_prefix(self, state: _State) -> None:
        """The output must still hold the committed bytes, unchanged."""
        output = self.options.output
        try:
            size = output.stat().st_size
        except FileNotFoundError:
            size = -1
        if size < state.output_bytes:
            msg = (
                f"cannot resume {output}: it holds {max(size, 0)} bytes, fewer than the "
                f"{state.output_bytes} the checkpoint says were written; run without --resume"
            )
            raise BatchError(msg)
        digest = hashlib.sha256()
        with output.open("rb") as handle:
            remaining = state.output_bytes
            while remaining:
                chunk = handle.read(min(1 << 20, remaining))
                digest.update(chunk)
                remaining -= len(chunk)
        if digest.hexdigest() != state.output_sha256:
            msg = (
                f"cannot resume {output}: its first {state.output_bytes} bytes changed since "
                "they were written (sha256 differs from the checkpoint); run without --resume"
            )
            raise BatchError(msg)

    def _checkpoint_data(self, state: _State) -> dict[str, Any]:
        return {
            "checkpoint_version": CHECKPOINT_VERSION,
            "output": str(self.options.output),
            "input": str(self.options.input),
            "fingerprint": self.fingerprint,
            "records_done": state.records_done,
            "rows_done": state.rows_done,
            "output_bytes": state.output_bytes,
            "output_sha256": state.output_sha256,
            "counts": state.counts,
            "started_at": state.started_at,
            "sessions": state.sessions,
            "updated_at": _utc_now(),
        }

    def _write_checkpoint(self, state: _State) -> None:
        _write_json_atomic(self.checkpoint_file, self._checkpoint_data(state))

    def _announce(self, state: _State) -> None:
        if self.options.quiet:
            return
        o = self.options
        delimiter = DELIMITER_NAMES.get(self.delimiter, self.delimiter)
        column = self.header[self.name_index]
        where = f"column {column!r} ({self.name_index + 1} of {self.width})"
        resumed = f"; resuming after {state.rows_done} rows" if state.records_done else ""
        lists = ", ".join(f"{sl.name} ({sl.version or 'undated'})" for sl in self.screener.lists)
        records = "".join(
            f"; {f.kind}: {f.path} ({f.records} records)" for f in self.screener.record_files
        )
        self._say(
            f"partyscreen batch: {o.input}: {self.source.encoding}, {delimiter}-separated, "
            f"names in {where}; lists: {lists}{records}{resumed}"
        )
        if self.since is not None:
            self._say(f"partyscreen batch: {self._since_text()}")

    def _since_text(self) -> str:
        since = self.since or {}
        return (
            f"since {Path(since['path']).name} (version {since['version'] or 'unknown'}): "
            f"{since['added']} entities added, {since['changed']} changed, {since['removed']} "
            f"removed; only matches with the {since['entities_screened']} added or changed (of "
            f"{since['entities_in_use']} in use) are reported"
        )

    def _say(self, text: str) -> None:
        print(text, file=self.stderr, flush=True)

    # -- streaming

    def _records(self, reader: Any, header_line: int) -> Iterator[_Row | None]:
        """Rows after the header (None for a blank line), skipping what a resume has done."""
        number = 0
        line_before = header_line
        try:
            for record in reader:
                if not record:
                    line_before = reader.line_num
                    yield None
                    continue
                number += 1
                row = _Row(number=number, line=line_before + 1, fields=record)
                line_before = reader.line_num
                if len(record) != self.width:
                    row.error = self._width_error(record)
                else:
                    row.name = record[self.name_index]
                yield row
        except csv.Error as exc:
            raise self._csv_error(reader.line_num, exc) from exc

    def _width_error(self, record: Sequence[str]) -> str:
        text = (
            f"the record has {len(record)} fields where the header has {self.width}: "
            "it cannot be screened"
        )
        if len(record) > self.width:
            extra = json.dumps(list(record[self.width :]), ensure_ascii=False)
            text += f"; fields beyond the header: {extra}"
        return text

    def _stream(
        self, reader: Any, engine: ScreeningEngine, state: _State, header_line: int
    ) -> None:
        o = self.options
        records = self._records(reader, header_line)
        for _ in range(state.records_done):  # what the interrupted run committed
            if next(records, StopIteration) is StopIteration:
                msg = f"cannot resume: {o.input} has fewer records than the checkpoint says"
                raise BatchError(msg)
        bar = self._progress_bar(state)
        mode = "r+b" if state.records_done else "wb"
        if mode == "r+b" and not o.output.exists():
            mode = "wb"
        digest = hashlib.sha256()
        with o.output.open(mode) as out:
            if mode == "r+b":
                self._rehash(out, state.output_bytes, digest)
                out.truncate(state.output_bytes)
                out.seek(state.output_bytes)
            elif o.format == "csv":
                self._write(out, digest, self._csv_bytes([self.columns]))
            self.out_bytes = out.tell()
            pending: deque[tuple[list[_Row | None], _Handle]] = deque()
            since_commit = 0
            chunk_size = max(1, min(CHUNK_NAMES, o.commit_every))
            while True:
                chunk = list(itertools.islice(records, chunk_size))
                if chunk:
                    names = [r.name for r in chunk if r is not None and r.name is not None]
                    pending.append((chunk, engine.submit(names)))
                while pending and (not chunk or len(pending) > engine.lookahead):
                    done, handle = pending.popleft()
                    since_commit += self._write_rows(
                        out, digest, done, engine.collect(handle), state
                    )
                    if bar is not None:
                        bar.update(sum(r is not None for r in done))
                    if since_commit >= o.commit_every:
                        self._commit(out, digest, state)
                        since_commit = 0
                if not chunk:
                    break
            self._commit(out, digest, state)
        if bar is not None:
            bar.close()

    def _progress_bar(self, state: _State) -> Any:
        o = self.options
        show = o.progress if o.progress is not None else _is_terminal(self.stderr)
        if not show:
            return None
        from tqdm import tqdm

        total = count_records(self.source, self.delimiter)
        return tqdm(
            total=total,
            initial=state.rows_done,
            unit=" rows",
            file=self.stderr,
            dynamic_ncols=True,
            mininterval=0.5,
            desc="screening",
        )

    def _rehash(self, out: IO[bytes], length: int, digest: Any) -> None:
        remaining = length
        while remaining:
            chunk = out.read(min(1 << 20, remaining))
            if not chunk:
                break
            digest.update(chunk)
            remaining -= len(chunk)

    def _write(self, out: IO[bytes], digest: Any, data: bytes) -> None:
        out.write(data)
        digest.update(data)

    def _csv_bytes(self, rows: Iterable[Sequence[str]]) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8")

    def _write_rows(
        self,
        out: IO[bytes],
        digest: Any,
        chunk: Sequence[_Row | None],
        outcomes: Sequence[Outcome],
        state: _State,
    ) -> int:
        found = iter(outcomes)
        lines: list[Any] = []
        counts = state.counts
        written = 0
        for row in chunk:
            state.records_done += 1
            if row is None:
                counts["blank_lines"] += 1
                continue
            outcome: Outcome | None = next(found) if row.name is not None else None
            error = row.error
            if isinstance(outcome, EmptyNameError):
                error = str(outcome)
            result = outcome if isinstance(outcome, ScreeningResult) else None
            counts["rows"] += 1
            if result is not None:
                counts[result.decision] = counts.get(result.decision, 0) + 1
                suppressed = len(result.suppressed)
                if suppressed:  # counted, never silently dropped
                    counts["suppressed"] = counts.get("suppressed", 0) + suppressed
                    counts["suppressed_rows"] = counts.get("suppressed_rows", 0) + 1
            else:
                counts["errors"] += 1
                self._note_error(row, error or "")
            if self.options.format == "csv":
                lines.append(self._csv_row(row, result, error))
            else:
                lines.append(self._json_row(row, result, error))
            written += 1
        if self.options.format == "csv":
            data = self._csv_bytes(lines)
        else:
            data = "".join(lines).encode("utf-8")
        self._write(out, digest, data)
        state.rows_done += written
        if next(found, None) is not None:  # pragma: no cover - a bug, never silently
            msg = "internal error: more outcomes than rows"
            raise RuntimeError(msg)
        return written

    def _note_error(self, row: _Row, error: str) -> None:
        self.errors_shown += 1
        if self.options.quiet or self.errors_shown > 5:
            return
        ident = ""
        if self.id_index is not None and self.id_index < len(row.fields):
            ident = f", id {row.fields[self.id_index]!r}"
        shown = error if len(error) <= 300 else error[:300] + "..."
        self._say(f"  row {row.number} (line {row.line}{ident}): {shown}")

    def _csv_row(self, row: _Row, result: ScreeningResult | None, error: str | None) -> list[str]:
        fields = (row.fields + [""] * self.width)[: self.width]
        extra = dict.fromkeys(OUTPUT_FIELDS, "")
        extra["row"] = str(row.number)
        if result is None:
            extra["decision"] = "error"
            extra["error"] = error or ""
        else:
            extra["decision"] = result.decision
            # Matches a reviewer suppressed are listed by screen() but do not decide.
            suppressed = len(result.suppressed)
            extra["more_matches"] = str(max(0, len(result.matches) - suppressed - 1))
            extra["suppressed"] = str(suppressed)
            extra["coverage"] = result.coverage or ""
            best = result.best
            if best is not None:
                entity = best.entity
                extra.update(
                    score=f"{best.score:.4f}",
                    entity_id=entity.id,
                    entity_name=entity.name,
                    matched_name=best.matched_name,
                    matched_name_kind=best.matched_name_kind,
                    list=entity.list_code,
                    listed_on=entity.listed_on.isoformat() if entity.listed_on else "",
                    license_requirement=entity.license.requirement,
                    license_policy=entity.license.policy,
                    exceptions="; ".join(x.id for x in entity.exceptions),
                )
        return [*fields, *(extra[f] for f in OUTPUT_FIELDS)]

    def _json_row(self, row: _Row, result: ScreeningResult | None, error: str | None) -> str:
        data: dict[str, Any] = {
            "row": row.number,
            "line": row.line,
            "input": dict(zip(self.header, row.fields, strict=False)),
        }
        if len(row.fields) != self.width:
            data["input_fields"] = row.fields
        if self.id_index is not None:
            data["id"] = row.fields[self.id_index] if self.id_index < len(row.fields) else None
        data["decision"] = result.decision if result is not None else "error"
        data["result"] = result.to_dict() if result is not None else None
        data["error"] = error if result is None else None
        return json.dumps(data, ensure_ascii=False) + "\n"

    def _commit(self, out: IO[bytes], digest: Any, state: _State) -> None:
        out.flush()
        os.fsync(out.fileno())
        state.output_bytes = out.tell()
        state.output_sha256 = digest.copy().hexdigest()
        self._write_checkpoint(state)

    # -- the end

    def _exit_status(self, counts: Mapping[str, int]) -> int:
        fail_on = self.options.fail_on
        if fail_on == "review":
            failing = counts.get("review", 0) + counts.get("match", 0)
        elif fail_on == "match":
            failing = counts.get("match", 0)
        else:
            failing = 0
        return EXIT_FAIL_ON if failing else EXIT_OK

    def _already_complete(self, manifest: dict[str, Any]) -> BatchReport:
        counts = {k: int(v) for k, v in manifest.get("counts", {}).items()}
        if not self.options.quiet:
            self._say(
                f"partyscreen batch: nothing to resume: {self.options.output} is complete for "
                f"this input and these settings ({counts.get('rows', 0)} rows; see "
                f"{self.manifest_file.name})"
            )
        return BatchReport(
            exit_status=self._exit_status(counts),
            counts=counts,
            output=self.options.output,
            manifest_path=self.manifest_file,
            manifest=manifest,
        )

    def _finish(
        self, state: _State, started_at: str, elapsed: float, cache_hits: int, screened: int
    ) -> BatchReport:
        o = self.options
        counts = state.counts
        session_rows = state.rows_done - state.sessions[-1]["from_row"]
        finished_at = _utc_now()
        state.sessions[-1].update(
            finished_at=finished_at,
            rows=session_rows,
            seconds=round(elapsed, 3),
            names_screened=screened,
            cache_hits=cache_hits,
        )
        status = self._exit_status(counts)
        manifest: dict[str, Any] = {
            "partyscreen_version": __version__,
            "command": "batch",
            "input": {
                "path": str(o.input.resolve()),
                "sha256": self.source.sha256,
                "bytes": self.source.size,
                "encoding": self.source.encoding,
                "codec": self.source.codec,
                "bom": self.source.bom,
                "delimiter": self.delimiter,
                "columns": self.header,
                "name_column": self.header[self.name_index],
                "id_column": self.settings["id_column"],
            },
            "output": {
                "path": str(o.output.resolve()),
                "format": o.format,
                "sha256": state.output_sha256,
                "bytes": state.output_bytes,
                "encoding": "UTF-8",
                "delimiter": self.delimiter if o.format == "csv" else None,
                "columns": self.columns if o.format == "csv" else None,
                "prefix": self.prefix,
            },
            "lists": [sl.to_dict() for sl in self.screener.lists],
            "record_files": _record_files(self.screener),
            "since": self.since,
            "settings": {
                **self.settings,
                "workers": o.workers,
                "fail_on": o.fail_on,
                "cache_size": o.cache_size,
                "commit_every": o.commit_every,
            },
            "counts": counts,
            "exit_status": status,
            "started_at": state.started_at,
            "finished_at": finished_at,
            "resumed": len(state.sessions) > 1,
            "sessions": state.sessions,
            "fingerprint": self.fingerprint,
            "disclaimer": DISCLAIMER,
        }
        _write_json_atomic(self.manifest_file, manifest)
        self.checkpoint_file.unlink(missing_ok=True)
        _fsync_dir(self.checkpoint_file.parent)
        if not o.quiet:
            rate = session_rows / elapsed if elapsed > 0 else 0.0
            resumed = f" ({session_rows} in this session)" if len(state.sessions) > 1 else ""
            self._say(
                f"partyscreen batch: {counts['rows']} rows{resumed}: {counts['clear']} clear, "
                f"{counts['review']} review, {counts['match']} match, {counts['errors']} errors"
                + (
                    f", {counts['blank_lines']} blank lines skipped"
                    if counts["blank_lines"]
                    else ""
                )
                + (
                    f", {counts['suppressed']} matches suppressed by review (in "
                    f"{counts['suppressed_rows']} rows)"
                    if counts["suppressed"] or self.screener.decisions is not None
                    else ""
                )
                + f"; {elapsed:.1f} s, {rate:,.0f} rows/s; {screened} distinct names screened"
                f", {cache_hits} from cache"
            )
            if self.since is not None:
                self._say(f"partyscreen batch: {self._since_text()}")
            self._say(f"partyscreen batch: wrote {o.output} and {self.manifest_file.name}")
        return BatchReport(
            exit_status=status,
            counts=dict(counts),
            output=o.output,
            manifest_path=self.manifest_file,
            manifest=manifest,
        )


def _record_files(screener: Screener) -> list[dict[str, Any]]:
    """The licences and reviewed-decisions files a screener applies, if it has any."""
    files = getattr(screener, "record_files", ())
    return [f.to_dict() if hasattr(f, "to_dict") else {"sha256": str(f)} for f in files]


def _file_sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def run_batch(
    options: BatchOptions,
    *,
    screener: Screener | None = None,
    stderr: TextIO | None = None,
) -> BatchReport:
    """Run ``partyscreen batch``: screen every record of ``options.input`` into ``options.output``.

    Raises :class:`BatchError` (or another :class:`PartyscreenError`, ``ValueError`` or
    ``OSError``) for bad options, unreadable input or a refused resume. ``screener`` replaces
    the one built from ``options.list_paths`` (or the embedded default list).
    """
    return _Run(options, screener, stderr if stderr is not None else sys.stderr).run()
