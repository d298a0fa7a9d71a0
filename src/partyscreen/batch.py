"""Batch screening of a file: ``partyscreen batch IN.csv -o OUT.csv`` as a function,
:func:`run_batch`.

It streams the input (memory stays flat), writes one output row per input record in input order
(the input columns, then :data:`OUTPUT_FIELDS` with a ``ps_`` prefix, or one JSON object per
record), commits the output in chunks (write, flush, fsync, then atomically replace a checkpoint
file beside the output) so that ``--resume`` continues an interrupted run without losing or
repeating a row, and writes a manifest beside the output: input sha256, encoding and delimiter,
lists with their versions and sha256s, the licences and decisions files, settings, counts, times.

Compliance options are applied as ``partyscreen screen`` applies them: the user's licences
(``licence_paths``) and the deal (``item``, ``purpose``, dated ``as_of``) give each row its
``coverage``; reviewed false positives (``decisions_path``) suppress matches, which are counted
(per row and in the summary and manifest), never dropped. ``since`` names an older version of
the lists: only matches with the entities added or changed since then are reported
(:func:`partyscreen.diff.changed_entity_keys` between that file and all the entities of the
lists in use taken together, so that with several lists in use, entities of lists the older
file does not hold count as added and nothing is missed).

This module runs the batch and reports on it; its parts are modules of their own:

* :mod:`partyscreen.batch_options`: the options, checked, and :class:`BatchError`;
* :mod:`partyscreen.batch_input` and :mod:`partyscreen.batch_output`: rows in, rows out;
* :mod:`partyscreen.bulk`: screening many names (:func:`screen_many`, :func:`screen_iter`, the
  engine and its cache), in worker processes (:mod:`partyscreen.worker_pool`);
* :mod:`partyscreen.batch_screener`: the lists and records files, and ``--since``;
* :mod:`partyscreen.checkpoint`: commits and resuming; :mod:`partyscreen.manifest`: the manifest;
* :mod:`partyscreen.batch_messages`: what the run says on the error stream.

Their public names are importable from here too, as they always were.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter, deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from partyscreen import checkpoint
from partyscreen.batch_input import NAME_COLUMNS, InputColumns, Row, read_header
from partyscreen.batch_messages import Console
from partyscreen.batch_options import (
    BatchError,
    BatchOptions,
    cache_size,
    check_options,
    same_file,
)
from partyscreen.batch_output import (
    NO_MATCHES,
    OUTPUT_FIELDS,
    OutputFile,
    OutputRows,
    Written,
    open_output,
    summary_counts,
)
from partyscreen.batch_screener import check_given_screener, load_screener, restrict_since
from partyscreen.bulk import (
    CHUNK_NAMES,
    DEFAULT_CACHE_SIZE,
    Handle,
    Outcome,
    ScreenCache,
    ScreeningEngine,
    screen_iter,
    screen_many,
)
from partyscreen.checkpoint import Progress, checkpoint_path
from partyscreen.csvio import InputFile, field_size_limit, open_records, scan_input, sniff_delimiter
from partyscreen.errors import EmptyNameError, OptionError
from partyscreen.licensing import Deal
from partyscreen.manifest import build_manifest, complete_run, manifest_path
from partyscreen.screener import Screener, parse_day

# Tests patch the worker pool's recipe class through this module, as before the split.
from partyscreen.worker_pool import ScreenerRecipe as _ScreenerRecipe  # noqa: F401

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

#: Exit statuses of a batch run.
EXIT_OK, EXIT_FAIL_ON, EXIT_USAGE = 0, 1, 2


@attrs.frozen
class BatchReport:
    """What a batch run did."""

    exit_status: int
    counts: dict[str, int]
    output: Path
    manifest_path: Path
    manifest: dict[str, Any]


class _Run:
    """One batch session: set up, resume or start, stream, commit, finish."""

    def __init__(self, options: BatchOptions, screener: Screener | None, stderr: TextIO) -> None:
        self.options = options
        self.console = Console(stderr, quiet=options.quiet)
        check_options(options)
        # The deal's terms, checked now (a bad --item is exit 2 before any work); dated as_of.
        self.deal_terms = Deal(classification=options.item, purpose=options.purpose or "")
        self.source: InputFile = scan_input(options.input)
        self.delimiter = options.delimiter or sniff_delimiter(self.source)
        if screener is None:
            screener = load_screener(options, self.console.say)
        else:
            check_given_screener(options, screener)
        #: What --since compared, for the manifest (None without --since).
        self.since: dict[str, Any] | None = None
        if options.since:
            screener, self.since = restrict_since(screener, options.since)
        try:  # (a --source no list uses would report every row clear)
            screener.wanted_lists(options.sources)
        except OptionError as exc:
            msg = f"--source: {exc}"
            raise BatchError(msg) from exc
        self.screener = screener
        self.checkpoint_file = checkpoint_path(options.output)
        self.manifest_file = manifest_path(options.output)
        for side_file, what in (
            (self.checkpoint_file, "checkpoint"),
            (self.manifest_file, "manifest"),
        ):
            if same_file(options.input, side_file):  # (it would be overwritten or deleted)
                msg = f"the input {options.input} is the run's {what} file: choose another output"
                raise BatchError(msg)

    # -- set-up

    def _settings(self, as_of: str) -> dict[str, Any]:
        o, columns = self.options, self.input_columns
        return {
            "column": columns.header[columns.name_index],
            "id_column": columns.header[columns.id_index] if columns.id_index is not None else None,
            "format": o.format,
            "delimiter": self.delimiter,
            "threshold": o.threshold,
            "as_of": as_of,
            "sources": list(o.sources),
            "item": self.deal_terms.classification,
            "purpose": self.deal_terms.purpose or None,
            "match_settings": self.screener.settings.with_threshold(o.threshold).to_dict(),
        }

    def _fingerprint(self, as_of: str) -> dict[str, Any]:
        """What must be the same for a run to be resumed, with these settings, as of then."""
        return checkpoint.fingerprint(
            source=self.source,
            screener=self.screener,
            since=self.since,
            settings=self._settings(as_of),
        )

    # -- the run

    def run(self) -> BatchReport:
        o = self.options
        session_start = time.monotonic()
        started_at = checkpoint.utc_now()
        text, reader = open_records(self.source, self.delimiter)
        with text, field_size_limit():
            header = read_header(reader, o.input)
            self.input_columns = InputColumns.find(
                header, column=o.column, id_column=o.id_column, path=o.input
            )
            self.output_rows = OutputRows.of(
                self.input_columns, format=o.format, delimiter=self.delimiter
            )
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
            self.console.announce(
                path=o.input,
                source=self.source,
                delimiter=self.delimiter,
                columns=self.input_columns,
                screener=self.screener,
                since=self.since,
                resumed_after=state.rows_done if state.records_done else None,
            )
            with ScreeningEngine(
                self.screener,
                workers=o.workers,
                cache_size=cache_size(o),
                screen_kwargs=screen_kwargs,
                summarise=self.output_rows.summariser,
            ) as engine:
                self._stream(reader, engine, state, header_line=reader.line_num)
                cache_hits = engine.cache_hits
                screened = engine.screened
        elapsed = time.monotonic() - session_start
        return self._finish(state, started_at, elapsed, cache_hits, screened)

    def _start_or_resume(self, started_at: str) -> tuple[Progress | None, Any]:
        """(progress, as_of) of a new or resumed run; (None, manifest) when it is complete."""
        o = self.options
        if o.resume and self.checkpoint_file.exists():
            state, as_of = checkpoint.resume_checkpoint(
                self.checkpoint_file, o, started_at, self._fingerprint
            )
        elif o.resume and o.output.exists():
            manifest = complete_run(self.manifest_file, o, self.checkpoint_file, self._fingerprint)
            return None, manifest
        else:
            as_of = parse_day(o.as_of).isoformat()
            state = Progress(started_at=started_at)
        self.fingerprint = self._fingerprint(as_of)
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
        self._write_checkpoint(state, first=True)
        return state, as_of

    def _write_checkpoint(self, state: Progress, *, first: bool = False) -> None:
        checkpoint.write_checkpoint(
            self.checkpoint_file, self.options, self.fingerprint, state, first=first
        )

    # -- streaming

    def _stream(
        self, reader: Any, engine: ScreeningEngine, state: Progress, header_line: int
    ) -> None:
        o = self.options
        bar = self.console.progress_bar(
            o.progress, source=self.source, delimiter=self.delimiter, initial=state.rows_done
        )
        with (
            open_output(
                o.output,
                resume=bool(state.records_done),
                committed=state.output_bytes,
                header=self.output_rows.header_bytes(),
            ) as out,
            checkpoint.Committer(out.fileno(), self._write_checkpoint) as committer,
        ):
            pending: deque[tuple[list[Row | None], Handle]] = deque()
            since_commit = 0
            chunks = self.input_columns.chunks(
                reader,
                header_line,
                o.input,
                max(1, min(CHUNK_NAMES, o.commit_every)),
                skip=state.records_done,  # what the interrupted run committed
            )
            while True:
                chunk = next(chunks, None)
                if chunk is not None:
                    names = [r.name for r in chunk if r is not None and r.name is not None]
                    pending.append((chunk, engine.submit(names)))
                while pending and (chunk is None or len(pending) > engine.lookahead):
                    done, handle = pending.popleft()
                    written = self._write_rows(out, done, engine.collect(handle), state)
                    since_commit += written
                    if bar is not None:
                        bar.update(written)
                    if since_commit >= o.commit_every:
                        self._commit(out, state, committer)
                        since_commit = 0
                if chunk is None:
                    break
            self._commit(out, state, committer)
        if bar is not None:
            bar.close()

    def _write_rows(
        self,
        out: OutputFile,
        chunk: Sequence[Row | None],
        outcomes: Sequence[Any],
        state: Progress,
    ) -> int:
        """Count and write a chunk of rows (None: a blank line) with their outcomes (a CSV
        row's summary or a result, or the EmptyNameError of a name that cannot be screened)."""
        written: list[Written] = []
        append = written.append
        counts = state.counts
        decisions: Counter[str] = Counter()
        blank = no_matches = taken = 0
        for row in chunk:
            if row is None:
                blank += 1
                continue
            if row.name is None:  # a record of the wrong width
                self._row_error(row, row.error, decisions)
                append((row, None, row.error))
                continue
            outcome = outcomes[taken]
            taken += 1
            # Most rows: clear, nothing suppressed (from a worker, an equal copy of it).
            if outcome is NO_MATCHES or outcome == NO_MATCHES:
                no_matches += 1
            elif isinstance(outcome, EmptyNameError):
                error = str(outcome)
                self._row_error(row, error, decisions)
                append((row, None, error))
                continue
            else:
                decision, suppressed = summary_counts(outcome)
                decisions[decision] += 1
                if suppressed:  # counted, never silently dropped
                    counts["suppressed"] += suppressed
                    counts["suppressed_rows"] += 1
            append((row, outcome, None))
        if taken != len(outcomes):  # pragma: no cover - a bug, never silently
            msg = "internal error: more outcomes than rows"
            raise RuntimeError(msg)
        out.write(self.output_rows.encode(written))
        decisions["clear"] += no_matches
        for key, number in decisions.items():
            counts[key] = counts.get(key, 0) + number
        counts["rows"] += len(written)
        counts["blank_lines"] += blank
        state.records_done += len(chunk)
        state.rows_done += len(written)
        return len(written)

    def _row_error(self, row: Row, error: str | None, decisions: Counter[str]) -> None:
        self.console.row_error(row, error or "", self.input_columns.id_index)
        decisions["errors"] += 1

    def _commit(self, out: OutputFile, state: Progress, committer: checkpoint.Committer) -> None:
        """Commit what was written: synced and vouched for by the checkpoint (in the
        committer's thread, while the run goes on)."""
        state.output_bytes, state.output_sha256 = out.flush()
        committer.commit(state.snapshot())

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
        self.console.already_complete(
            self.options.output, counts.get("rows", 0), self.manifest_file
        )
        return BatchReport(
            exit_status=self._exit_status(counts),
            counts=counts,
            output=self.options.output,
            manifest_path=self.manifest_file,
            manifest=manifest,
        )

    def _finish(
        self, state: Progress, started_at: str, elapsed: float, cache_hits: int, screened: int
    ) -> BatchReport:
        o = self.options
        if (change := self.source.changed()) is not None:
            # The rows were read from a file other than the one hashed: the manifest would
            # vouch for what was not screened. (The checkpoint is left: a resume refuses.)
            msg = (
                f"{o.input}: the input changed while it was screened ({change}); the output "
                "may not match the input's hash, so no manifest was written: screen it again"
            )
            raise BatchError(msg)
        counts = state.counts
        finished_at = checkpoint.utc_now()
        session_rows = state.end_session(finished_at, elapsed, screened, cache_hits)
        status = self._exit_status(counts)
        manifest = build_manifest(
            options=o,
            source=self.source,
            rows=self.output_rows,
            screener=self.screener,
            since=self.since,
            settings=self.settings,
            state=state,
            exit_status=status,
            finished_at=finished_at,
            fingerprint=self.fingerprint,
        )
        checkpoint.write_json_atomic(self.manifest_file, manifest)
        self.checkpoint_file.unlink(missing_ok=True)
        checkpoint.fsync_dir(self.checkpoint_file.parent)
        self.console.summary(
            counts,
            session_rows=session_rows,
            resumed=len(state.sessions) > 1,
            elapsed=elapsed,
            screened=screened,
            cache_hits=cache_hits,
            decisions_applied=self.screener.decisions is not None,
            since=self.since,
            output=o.output,
            manifest_file=self.manifest_file,
        )
        return BatchReport(
            exit_status=status,
            counts=dict(counts),
            output=o.output,
            manifest_path=self.manifest_file,
            manifest=manifest,
        )


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
