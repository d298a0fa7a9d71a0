"""Checkpoints of a batch run, so that ``--resume`` continues it without losing or repeating a
row: what was committed (:class:`Progress`), written beside the output as ``OUT.checkpoint.json``
at every commit (write, flush, fsync, then atomically replace the file), and the checks a resume
passes first: the same input and settings (the :func:`fingerprint`), and an output that still
holds the committed bytes, unchanged.

The durable JSON writes here serve the manifest (:mod:`partyscreen.manifest`) too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from partyscreen._version import __version__
from partyscreen.batch_options import BatchError, BatchOptions
from partyscreen.csvio import InputFile
from partyscreen.screener import Screener, parse_day

__all__ = [
    "CHECKPOINT_VERSION",
    "COUNTS",
    "DECISION_COUNTS",
    "Committer",
    "FingerprintAsOf",
    "Progress",
    "check_committed_output",
    "check_same_run",
    "checkpoint_path",
    "file_sha256",
    "fingerprint",
    "fsync_dir",
    "read_json",
    "record_files",
    "recorded_as_of",
    "resume_checkpoint",
    "utc_now",
    "write_checkpoint",
    "write_json_atomic",
]

#: Version of the checkpoint file layout.
CHECKPOINT_VERSION = 1

DECISION_COUNTS = ("clear", "review", "match")

#: What a run counts: rows, their decisions, rows that could not be screened, blank lines
#: skipped, matches suppressed by a review and the rows that had one.
COUNTS = ("rows", *DECISION_COUNTS, "errors", "blank_lines", "suppressed", "suppressed_rows")


def checkpoint_path(output: Path) -> Path:
    """``OUT.csv`` -> ``OUT.csv.checkpoint.json``: present while a run is unfinished."""
    return output.with_name(output.name + ".checkpoint.json")


# --------------------------------------------------------------------------------------------
# Durable files


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def write_json_atomic(path: Path, data: Mapping[str, Any], *, sync_dir: bool = True) -> None:
    """Write JSON to ``path`` so that a reader (or a crash) sees the old or the new file whole;
    with ``sync_dir``, the new one survives a crash (the rename is made durable too)."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
    if sync_dir:
        fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets one open a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{path}: cannot read the {what}: {exc}"
        raise BatchError(msg) from exc
    if not isinstance(data, dict):
        msg = f"{path}: the {what} is not a JSON object"
        raise BatchError(msg)
    return data


def file_sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# Progress and the checkpoint file


@attrs.define
class Progress:
    """Progress of a run, as the checkpoint records it."""

    records_done: int = 0  # input records consumed (blank lines included), after the header
    rows_done: int = 0  # output rows written
    output_bytes: int = 0
    output_sha256: str = hashlib.sha256().hexdigest()
    counts: dict[str, int] = attrs.field(factory=lambda: dict.fromkeys(COUNTS, 0))
    sessions: list[dict[str, Any]] = attrs.field(factory=list)
    started_at: str = ""

    @classmethod
    def from_checkpoint(cls, data: Mapping[str, Any], started_at: str) -> Progress:
        """The progress a checkpoint file records (``started_at`` if it has none)."""
        return cls(
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

    def snapshot(self) -> Progress:
        """A copy that later changes to this progress leave as it is."""
        return attrs.evolve(
            self, counts=dict(self.counts), sessions=[dict(x) for x in self.sessions]
        )

    def end_session(self, finished_at: str, elapsed: float, screened: int, cache_hits: int) -> int:
        """Record the end of this session; the rows it wrote."""
        session = self.sessions[-1]
        rows: int = self.rows_done - session["from_row"]
        session.update(
            finished_at=finished_at,
            rows=rows,
            seconds=round(elapsed, 3),
            names_screened=screened,
            cache_hits=cache_hits,
        )
        return rows


def write_checkpoint(
    path: Path,
    options: BatchOptions,
    fingerprint: Mapping[str, Any],
    state: Progress,
    *,
    first: bool = False,
) -> None:
    data = {
        "checkpoint_version": CHECKPOINT_VERSION,
        "output": str(options.output),
        "input": str(options.input),
        "fingerprint": fingerprint,
        "records_done": state.records_done,
        "rows_done": state.rows_done,
        "output_bytes": state.output_bytes,
        "output_sha256": state.output_sha256,
        "counts": state.counts,
        "started_at": state.started_at,
        "sessions": state.sessions,
        "updated_at": utc_now(),
    }
    # The folder is not synced at every commit (a third fsync each time): after a crash the
    # checkpoint found is this one or an earlier one, whole, and an earlier one is as good a
    # place to resume from (the output only grows after the bytes it vouches for, and a
    # resume cuts it back to them). The first checkpoint of a run is synced with its folder.
    write_json_atomic(path, data, sync_dir=first)


class Committer:
    """Makes commits durable in a background thread, in order, while the run goes on.

    A commit is two ``fsync`` calls (the output, then the new checkpoint file), several
    milliseconds each on a busy disk, which the run would otherwise wait for at every chunk.
    :meth:`commit` takes what was written so far (already handed to the OS) and a copy of the
    progress, and returns at once; the thread syncs the output, then writes the checkpoint
    that vouches for it, so a checkpoint never claims bytes that are not on disk. An error in
    the thread is raised by the next :meth:`commit` or by :meth:`close`, which waits for every
    commit handed over (also when the run is interrupted: what was written is kept).
    Close it before the output file.
    """

    def __init__(
        self,
        fileno: int,
        write: Callable[[Progress], None],
    ) -> None:
        self._fileno = fileno
        self._write = write
        self._queue: queue.Queue[Progress | None] = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="partyscreen-commit", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (state := self._queue.get()) is not None:
            if self._error is not None:
                continue  # after a failure nothing more is vouched for
            try:
                os.fsync(self._fileno)
                self._write(state)
            except BaseException as exc:  # raised again in the run's thread
                self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def commit(self, state: Progress) -> None:
        """Make ``state`` (a copy: the caller goes on changing its own) durable, soon."""
        self._raise()
        self._queue.put(state)

    def close(self) -> None:
        """Wait for every commit handed over; raise the error of one that failed."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._raise()

    def __enter__(self) -> Committer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        if exc_type is None:
            self.close()
            return
        with contextlib.suppress(Exception):  # the run's own error is the one to report
            self.close()


# --------------------------------------------------------------------------------------------
# What a resume checks


def record_files(screener: Screener) -> list[dict[str, Any]]:
    """The licences and reviewed-decisions files a screener applies, if it has any."""
    files = getattr(screener, "record_files", ())
    return [f.to_dict() if hasattr(f, "to_dict") else {"sha256": str(f)} for f in files]


def fingerprint(
    *,
    source: InputFile,
    screener: Screener,
    since: Mapping[str, Any] | None,
    settings: Mapping[str, Any],
) -> dict[str, Any]:
    """What must be the same for a run to be resumed (not the workers: they change speed)."""
    return {
        "input_sha256": source.sha256,
        "input_size": source.size,
        "lists": [sl.sha256 for sl in screener.lists],
        "record_files": [f["sha256"] for f in record_files(screener)],
        "since": since["sha256"] if since is not None else None,
        "settings": dict(settings),
        "partyscreen_version": __version__,
    }


#: The fingerprint of the run about to start, screening as of the day given.
FingerprintAsOf = Callable[[str], dict[str, Any]]


def recorded_as_of(options: BatchOptions, recorded: Mapping[str, Any]) -> str:
    """The day a resumed run screens as of: ``--as-of``, or the day the fingerprint records."""
    return parse_day(options.as_of or recorded.get("settings", {}).get("as_of")).isoformat()


def resume_checkpoint(
    path: Path, options: BatchOptions, started_at: str, fingerprint_as_of: FingerprintAsOf
) -> tuple[Progress, str]:
    """(progress, as_of) of the interrupted run the checkpoint at ``path`` records, once it is
    known to be this run (the same fingerprint) and the output to hold the committed bytes."""
    data = read_json(path, "checkpoint")
    recorded = data.get("fingerprint", {})
    as_of = recorded_as_of(options, recorded)
    check_same_run(recorded, fingerprint_as_of(as_of), output=options.output, described_by=path)
    state = Progress.from_checkpoint(data, started_at)
    check_committed_output(options.output, state)
    return state, as_of


def check_same_run(
    recorded: Mapping[str, Any], current: Mapping[str, Any], *, output: Path, described_by: Path
) -> None:
    """Refuse to resume ``output`` unless the fingerprint ``described_by`` records is
    ``current``; the message names every difference."""
    differences = []
    for key, value in current.items():
        if key == "settings":
            old = recorded.get("settings", {})
            differences += [
                f"{k}: {old.get(k)!r} then, {v!r} now" for k, v in value.items() if old.get(k) != v
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
            f"cannot resume {output}: the earlier run (see {described_by}) "
            f"had a different input or settings: {'; '.join(differences)}; run without "
            "--resume to start again (the output is then overwritten)"
        )
        raise BatchError(msg)


def check_committed_output(output: Path, state: Progress) -> None:
    """The output must still hold the committed bytes, unchanged."""
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
