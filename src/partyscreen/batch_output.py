"""The output of a batch run: the input columns, then :data:`OUTPUT_FIELDS` with a ``ps_``
prefix (``ps2_``, ... when the input has such columns already), one CSV row per input row; or
one JSON object per input row with the full result (``--format jsonl``). Rows are encoded as
UTF-8 bytes and written to an :class:`OutputFile` through a running sha256, so that the run can
commit (and a resume verify) exactly what was written.

A CSV row needs only a few fields of its result: :func:`summarise` keeps those (a
:data:`Summary`), where the result is screened, so that workers send and caches hold a few
dozen bytes a name, and the many results without a match share one summary,
:data:`NO_MATCHES`.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from partyscreen.batch_input import InputColumns, Row
from partyscreen.result import ScreeningResult

__all__ = [
    "NO_MATCHES",
    "OUTPUT_FIELDS",
    "RESULT_FIELDS",
    "OutputFile",
    "OutputRows",
    "Summary",
    "open_output",
    "output_prefix",
    "summarise",
    "summary_counts",
]

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


def output_prefix(header: Sequence[str]) -> str:
    """``ps_``, or ``ps2_``, ``ps3_``, ... if an output column would repeat an input column."""
    taken = {h.casefold() for h in header}
    prefix, number = "ps_", 1
    while any(f"{prefix}{field}" in taken for field in OUTPUT_FIELDS):
        number += 1
        prefix = f"ps{number}_"
    return prefix


#: The output fields a screened row's result gives: all but ``row`` and ``error``.
RESULT_FIELDS = OUTPUT_FIELDS[1:-1]
_SUPPRESSED = RESULT_FIELDS.index("suppressed")

#: What a CSV row keeps of its result: the values of :data:`RESULT_FIELDS`, in order.
Summary = tuple[str, ...]

#: The summary of every result without matches (most rows): one shared object, which the
#: workers' pickles then send as a back-reference.
NO_MATCHES: Summary = ("clear", *("",) * (len(RESULT_FIELDS) - 3), "0", "0")


def summarise(result: ScreeningResult) -> Summary:
    """The values of :data:`RESULT_FIELDS` for ``result``: all a CSV output row needs of it,
    a few dozen bytes where the result is kilobytes (workers send these, not results)."""
    matches = result.matches
    if not matches:
        return NO_MATCHES
    # Matches a reviewer suppressed are listed by screen() but do not decide.
    suppressed = sum(m.suppressed is not None for m in matches)
    best = result.best
    fields = dict.fromkeys(RESULT_FIELDS, "")
    fields["decision"] = result.decision
    fields["coverage"] = result.coverage or ""
    fields["more_matches"] = str(max(0, len(matches) - suppressed - 1))
    fields["suppressed"] = str(suppressed)
    if best is not None:
        entity = best.entity
        fields.update(
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
    return tuple(fields.values())


def summary_counts(outcome: Summary | ScreeningResult) -> tuple[str, int]:
    """(decision, matches suppressed) of a row's summary or result."""
    if isinstance(outcome, ScreeningResult):
        return outcome.decision, len(outcome.suppressed)
    return outcome[0], int(outcome[_SUPPRESSED])


#: A row to write: the input row, its summary (csv) or result (jsonl), or None when it could
#: not be screened, and the error.
Written = tuple[Row, Summary | ScreeningResult | None, str | None]


@attrs.frozen
class OutputRows:
    """How rows are written: the format (csv or jsonl), the delimiter and the columns."""

    input: InputColumns
    format: str
    delimiter: str
    prefix: str
    #: The CSV header: the input columns, then the output fields with the prefix.
    columns: list[str]
    #: Whether the input's header names a column twice (a JSON line's "input" then keeps
    #: only the last of them).
    names_repeat: bool

    @classmethod
    def of(cls, input: InputColumns, *, format: str, delimiter: str) -> OutputRows:
        prefix = output_prefix(input.header)
        columns = [*input.header, *(prefix + f for f in OUTPUT_FIELDS)]
        return cls(
            input=input,
            format=format,
            delimiter=delimiter,
            prefix=prefix,
            columns=columns,
            names_repeat=len(set(input.header)) != input.width,
        )

    @property
    def summariser(self) -> Callable[[ScreeningResult], Summary] | None:
        """What the screening keeps of each result: a CSV row's summary; the whole result for
        JSON lines (None)."""
        return summarise if self.format == "csv" else None

    def header_bytes(self) -> bytes:
        """What an output file starts with: the header row (CSV), or nothing (JSON lines)."""
        return self._csv_bytes([self.columns]) if self.format == "csv" else b""

    def encode(self, rows: Iterable[Written]) -> bytes:
        if self.format == "csv":
            return self._csv_bytes(self._csv_rows(rows))
        return "".join(self._json_row(*written) for written in rows).encode("utf-8")

    def _csv_bytes(self, rows: Iterable[Sequence[str]]) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8")

    def _csv_rows(self, rows: Iterable[Written]) -> Iterator[list[str]]:
        width = self.input.width
        error_fields = ("error", *("",) * (len(RESULT_FIELDS) - 1))
        for row, summary, error in rows:
            fields = row.fields
            if len(fields) != width:
                fields = (fields + [""] * width)[:width]
            if summary is None:
                yield [*fields, str(row.number), *error_fields, error or ""]
            else:
                if isinstance(summary, ScreeningResult):  # pragma: no cover - a bug
                    summary = summarise(summary)
                yield [*fields, str(row.number), *summary, ""]

    def _json_row(
        self, row: Row, result: Summary | ScreeningResult | None, error: str | None
    ) -> str:
        if not (result is None or isinstance(result, ScreeningResult)):  # pragma: no cover
            msg = "internal error: JSON lines need whole results, not CSV summaries"
            raise TypeError(msg)
        header, width, id_index = self.input.header, self.input.width, self.input.id_index
        data: dict[str, Any] = {
            "row": row.number,
            "line": row.line,
            "input": dict(zip(header, row.fields, strict=False)),
        }
        if len(row.fields) != width or self.names_repeat:
            # (Every value as read, when "input" cannot hold them: a short or long record,
            # or a header naming two columns alike, of which "input" keeps the last.)
            data["input_fields"] = row.fields
        if id_index is not None:
            data["id"] = row.fields[id_index] if id_index < len(row.fields) else None
        data["decision"] = result.decision if result is not None else "error"
        data["result"] = result.to_dict() if result is not None else None
        data["error"] = error if result is None else None
        return json.dumps(data, ensure_ascii=False) + "\n"


class OutputFile:
    """The output file being written: the bytes go through a running sha256."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.digest.update(data)

    def flush(self) -> tuple[int, str]:
        """Hand what was written to the OS (not yet synced: see :class:`~partyscreen.
        checkpoint.Committer`); (its size, its sha256)."""
        self.handle.flush()
        return self.handle.tell(), self.digest.copy().hexdigest()

    def fileno(self) -> int:
        return self.handle.fileno()

    def _rehash(self, length: int) -> None:
        remaining = length
        while remaining:
            chunk = self.handle.read(min(1 << 20, remaining))
            if not chunk:
                break
            self.digest.update(chunk)
            remaining -= len(chunk)


@contextlib.contextmanager
def open_output(path: Path, *, resume: bool, committed: int, header: bytes) -> Iterator[OutputFile]:
    """The output file, started afresh with ``header``; or, to ``resume`` an interrupted run,
    continued after the ``committed`` bytes (hashed again, and the rest cut off)."""
    mode = "r+b" if resume else "wb"
    if mode == "r+b" and not path.exists():
        mode = "wb"
    with path.open(mode) as handle:
        out = OutputFile(handle)
        if mode == "r+b":
            out._rehash(committed)
            handle.truncate(committed)
            handle.seek(committed)
        else:
            out.write(header)
        yield out
