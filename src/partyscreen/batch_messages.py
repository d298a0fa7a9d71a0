"""What a batch run tells its user on the error stream: what it is about to screen (the input,
its column of names, the lists and records files, ``--since``), the first rows it cannot screen,
a progress bar, and a summary at the end. ``quiet`` keeps the announcement, the rows and the
summary to itself; warnings are always shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from partyscreen.batch_input import InputColumns, Row
from partyscreen.batch_screener import since_text
from partyscreen.csvio import DELIMITER_NAMES, InputFile, count_records
from partyscreen.screener import Screener

__all__ = ["Console"]

#: Rows that cannot be screened shown on the error stream (all are in the output).
ROW_ERRORS_SHOWN = 5


class Console:
    """The error stream of a batch run."""

    def __init__(self, stream: TextIO, *, quiet: bool) -> None:
        self.stream = stream
        self.quiet = quiet
        self.errors_shown = 0

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def announce(
        self,
        *,
        path: Path,
        source: InputFile,
        delimiter: str,
        columns: InputColumns,
        screener: Screener,
        since: Mapping[str, Any] | None,
        resumed_after: int | None,
    ) -> None:
        """What the run screens: ``resumed_after`` rows done before (None on a fresh start)."""
        if self.quiet:
            return
        delimiter = DELIMITER_NAMES.get(delimiter, delimiter)
        column = columns.header[columns.name_index]
        where = f"column {column!r} ({columns.name_index + 1} of {columns.width})"
        resumed = f"; resuming after {resumed_after} rows" if resumed_after is not None else ""
        lists = ", ".join(f"{sl.name} ({sl.version or 'undated'})" for sl in screener.lists)
        records = "".join(
            f"; {f.kind}: {f.path} ({f.records} records)" for f in screener.record_files
        )
        self.say(
            f"partyscreen batch: {path}: {source.encoding}, {delimiter}-separated, "
            f"names in {where}; lists: {lists}{records}{resumed}"
        )
        if since is not None:
            self.say(f"partyscreen batch: {since_text(since)}")

    def row_error(self, row: Row, error: str, id_index: int | None) -> None:
        """A row that cannot be screened (the first few)."""
        self.errors_shown += 1
        if self.quiet or self.errors_shown > ROW_ERRORS_SHOWN:
            return
        ident = ""
        if id_index is not None and id_index < len(row.fields):
            ident = f", id {row.fields[id_index]!r}"
        shown = error if len(error) <= 300 else error[:300] + "..."
        self.say(f"  row {row.number} (line {row.line}{ident}): {shown}")

    def progress_bar(
        self, show: bool | None, *, source: InputFile, delimiter: str, initial: int
    ) -> Any:
        """A tqdm bar over the input's records, or None; ``show`` None: on a terminal."""
        if not (show if show is not None else _is_terminal(self.stream)):
            return None
        from tqdm import tqdm

        total = count_records(source, delimiter)
        return tqdm(
            total=total,
            initial=initial,
            unit=" rows",
            file=self.stream,
            dynamic_ncols=True,
            mininterval=0.5,
            desc="screening",
        )

    def already_complete(self, output: Path, rows: int, manifest_file: Path) -> None:
        if not self.quiet:
            self.say(
                f"partyscreen batch: nothing to resume: {output} is complete for "
                f"this input and these settings ({rows} rows; see {manifest_file.name})"
            )

    def summary(
        self,
        counts: Mapping[str, int],
        *,
        session_rows: int,
        resumed: bool,
        elapsed: float,
        screened: int,
        cache_hits: int,
        decisions_applied: bool,
        since: Mapping[str, Any] | None,
        output: Path,
        manifest_file: Path,
    ) -> None:
        """The end of a run: the counts, and ``session_rows`` written in this session."""
        if self.quiet:
            return
        rate = session_rows / elapsed if elapsed > 0 else 0.0
        session = f" ({session_rows} in this session)" if resumed else ""
        self.say(
            f"partyscreen batch: {counts['rows']} rows{session}: {counts['clear']} clear, "
            f"{counts['review']} review, {counts['match']} match, {counts['errors']} errors"
            + (f", {counts['blank_lines']} blank lines skipped" if counts["blank_lines"] else "")
            + (
                f", {counts['suppressed']} matches suppressed by review (in "
                f"{counts['suppressed_rows']} rows)"
                if counts["suppressed"] or decisions_applied
                else ""
            )
            + f"; {elapsed:.1f} s, {rate:,.0f} rows/s; {screened} distinct names screened"
            f", {cache_hits} from cache"
        )
        if since is not None:
            self.say(f"partyscreen batch: {since_text(since)}")
        self.say(f"partyscreen batch: wrote {output} and {manifest_file.name}")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
