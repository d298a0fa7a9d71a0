"""What ``partyscreen batch`` is told (:class:`BatchOptions`), checked before any work, and the
error a batch run stops with (:class:`BatchError`, exit status 2).

The run itself is :mod:`partyscreen.batch`; the modules it is made of (input, output,
checkpoint, manifest) raise :class:`BatchError` too.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from partyscreen.bulk import DEFAULT_CACHE_SIZE
from partyscreen.csvio import DELIMITERS
from partyscreen.errors import OptionError, PartyscreenError
from partyscreen.settings import MatchSettings

__all__ = [
    "CSV_CACHE_SIZE",
    "DEFAULT_COMMIT_EVERY",
    "FAIL_ON",
    "FORMATS",
    "BatchError",
    "BatchOptions",
    "cache_size",
    "check_options",
]

#: Rows between two commits of a batch output (write, fsync, checkpoint).
DEFAULT_COMMIT_EVERY = 2000

#: Cache entries of a CSV run, whose caches keep of each result only the output row's fields
#: (one shared tuple for the many results without a match): with its key an entry is some
#: 150 bytes, so 2**18 of them take about 40 MB per process and hold every distinct name of
#: most supplier files; repeats anywhere in a file of millions of rows are then not screened
#: again. (A JSON lines run caches whole results, a kilobyte or more: DEFAULT_CACHE_SIZE.)
CSV_CACHE_SIZE = 1 << 18

FORMATS = ("csv", "jsonl")
FAIL_ON = ("review", "match")


class BatchError(PartyscreenError, ValueError):
    """A batch run cannot start or go on: bad options, input or resume state (exit status 2)."""


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
    #: Entries of the result caches (the parent's and each worker's); None: by format, see
    #: :func:`cache_size`.
    cache_size: int | None = None
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


def cache_size(o: BatchOptions) -> int:
    """The cache size of a run: the one given, else by format."""
    if o.cache_size is not None:
        return o.cache_size
    return CSV_CACHE_SIZE if o.format == "csv" else DEFAULT_CACHE_SIZE


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same path, a symbolic or a hard link."""
    if a.resolve() == b.resolve():
        return True
    try:
        return a.samefile(b)
    except OSError:  # (one of them does not exist)
        return False


def check_options(o: BatchOptions) -> None:
    """Raise :class:`BatchError` naming every option that is wrong (all of them, at once)."""
    problems = []
    if o.workers < 1:
        problems.append(f"--workers must be 1 or more, not {o.workers}")
    if o.format not in FORMATS:
        problems.append(f"--format must be one of {', '.join(FORMATS)}, not {o.format!r}")
    if o.fail_on is not None and o.fail_on not in FAIL_ON:
        problems.append(f"--fail-on must be one of {', '.join(FAIL_ON)}, not {o.fail_on!r}")
    if o.delimiter is not None and o.delimiter not in DELIMITERS:
        problems.append(f"--delimiter must be one of {DELIMITERS!r}, not {o.delimiter!r}")
    try:  # (as screen() checks it)
        MatchSettings().with_threshold(o.threshold)
    except OptionError as exc:
        problems.append(f"--{exc}")
    if o.commit_every < 1:
        problems.append(f"--commit-every must be 1 or more, not {o.commit_every}")
    if same_file(o.input, o.output):
        problems.append(f"the output {o.output} is the input file")
    if not o.output.parent.resolve().is_dir():
        problems.append(f"the output folder {o.output.parent} does not exist")
    elif o.output.exists() and not o.output.is_file():
        problems.append(
            f"the output {o.output} is not a regular file (a folder or a device): the run "
            "writes its rows there, and its checkpoint and manifest beside it"
        )
    if problems:
        raise BatchError("; ".join(problems))
