"""Reading supplier CSV files safely: encoding by byte-order mark, delimiter sniffing, hashing.

A batch input is read twice, both times as a stream (memory stays flat however large it is):

1. :func:`scan_input` reads the raw bytes once: it hashes them (sha256, for the manifest and for
   ``--resume``), chooses the encoding from the byte-order mark, and checks that every byte
   decodes. UTF-8 (with or without BOM) and UTF-16 with a BOM (LE or BE) are read; anything
   else (latin-1 or cp1252 with accented characters, UTF-16 without BOM, UTF-32) is an
   :class:`InputFileError` naming the file, the byte offset and the line, never mojibake.
2. :func:`open_records` then streams the records with the :mod:`csv` module (quoted fields may
   hold delimiters, quotes and newlines).

The delimiter (``,`` ``;`` tab ``|``) is sniffed from the first records by
:func:`sniff_delimiter`: the candidate that splits the header into the most fields while
splitting the following records into as many fields as the header wins.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from partyscreen.errors import PartyscreenError

__all__ = [
    "DELIMITERS",
    "FIELD_SIZE_LIMIT",
    "InputFile",
    "InputFileError",
    "count_records",
    "detect_bom",
    "field_size_limit",
    "open_records",
    "scan_input",
    "sniff_delimiter",
]

#: The delimiters we sniff for, in order of preference when two explain the sample equally well.
DELIMITERS = (",", ";", "\t", "|")

#: Names for the delimiters in messages and manifests.
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

#: Largest field a record may hold (the csv module's default is 128 KiB). A name of 100 kB is
#: read and screened; a field of megabytes is almost always an unclosed quote swallowing the
#: rest of the file, which we report rather than screen.
FIELD_SIZE_LIMIT = 8 * 1024 * 1024

#: Bytes read at a time.
CHUNK_BYTES = 1 << 20

#: Characters of decoded text the delimiter is sniffed from.
SNIFF_CHARS = 1 << 16

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 marks first: the UTF-32 LE mark starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE (BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE (BOM)"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE (BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE (BOM)"),
)
_SUPPORTED = {"utf-8", "utf-16-le", "utf-16-be"}

_SAVE_AS = "save it as UTF-8 (in Excel: 'CSV UTF-8') or as UTF-16 with a byte-order mark"


class InputFileError(PartyscreenError, ValueError):
    """A batch input cannot be read: the message names the file and where (offset, line)."""


@attrs.frozen
class InputFile:
    """What :func:`scan_input` learned about an input file."""

    path: Path
    size: int
    sha256: str
    #: The Python codec the text is decoded with (after the BOM): utf-8, utf-16-le, utf-16-be.
    codec: str
    #: How the encoding is reported: "UTF-8", "UTF-8 with BOM", "UTF-16 LE (BOM)", ...
    encoding: str
    bom_length: int
    #: The file's modification time when it was hashed (ns), to tell whether it has changed.
    modified_ns: int = 0

    @property
    def bom(self) -> bool:
        return self.bom_length > 0

    def changed(self) -> str | None:
        """How the file differs now from when it was hashed (its size or modification
        time), or None."""
        try:
            info = self.path.stat()
        except OSError as exc:
            return f"it can no longer be read ({exc.strerror})"
        if info.st_size != self.size:
            return f"its size went from {self.size} to {info.st_size} bytes"
        if info.st_mtime_ns != self.modified_ns:
            return "it was modified (same size)"
        return None


def detect_bom(head: bytes) -> tuple[str, str, int]:
    """(codec, description, BOM length) for a file starting with ``head`` (its first bytes)."""
    for bom, codec, description in _BOMS:
        if head.startswith(bom):
            return codec, description, len(bom)
    return "utf-8", "UTF-8", 0


def scan_input(path: str | os.PathLike[str]) -> InputFile:
    """Hash ``path``, choose its encoding and check every byte decodes, in one streaming pass.

    Raises :class:`InputFileError` for a missing, unreadable, non-regular or undecodable file.
    """
    file_path = Path(path)
    try:
        info = file_path.stat()
    except FileNotFoundError as exc:
        msg = f"{file_path}: no such input file"
        raise InputFileError(msg) from exc
    if not stat.S_ISREG(info.st_mode):
        msg = (
            f"{file_path}: not a regular file; batch reads its input twice (to hash and check "
            "it, then to screen it), so give it a file, not a pipe"
        )
        raise InputFileError(msg)
    digest = hashlib.sha256()
    with file_path.open("rb") as handle:
        head = handle.read(4)
        codec, description, bom_length = detect_bom(head)
        if codec not in _SUPPORTED:
            msg = f"{file_path}: the file is {description}, which is not read; {_SAVE_AS}"
            raise InputFileError(msg)
        digest.update(head)
        decoder = codecs.getincrementaldecoder(codec)("strict")
        data = head[bom_length:]
        position = bom_length  # the file offset of data[0]
        final = False
        while not final:
            chunk = handle.read(CHUNK_BYTES)
            digest.update(chunk)
            data += chunk
            final = not chunk
            buffered = decoder.getstate()[0]
            try:
                text = decoder.decode(data, final=final)
            except UnicodeDecodeError as exc:
                offset = position - len(buffered) + exc.start
                raise _decode_error(file_path, codec, offset, exc) from None
            nul = text.find("\0")
            if nul >= 0:
                offset = position - len(buffered) + len(text[:nul].encode(codec))
                msg = (
                    f"{file_path}: a NUL character at byte offset {offset} (line "
                    f"{_line_at(file_path, codec, offset)}): this is not a text CSV file, or it is "
                    f"UTF-16/UTF-32 without a byte-order mark; {_SAVE_AS}"
                )
                raise InputFileError(msg)
            position += len(data)
            data = b""
    found = InputFile(
        path=file_path,
        size=info.st_size,
        sha256=digest.hexdigest(),
        codec=codec,
        encoding=description,
        bom_length=bom_length,
        modified_ns=info.st_mtime_ns,
    )
    if (change := found.changed()) is not None:
        msg = f"{file_path}: the file changed while it was read: {change}"
        raise InputFileError(msg)
    return found


def _decode_error(path: Path, codec: str, offset: int, exc: UnicodeDecodeError) -> InputFileError:
    line = _line_at(path, codec, offset)
    bad = exc.object[exc.start : exc.start + 4].hex(" ")
    if codec == "utf-8":
        msg = (
            f"{path}: not UTF-8 (and no UTF-16 byte-order mark): invalid byte(s) {bad} at byte "
            f"offset {offset} (line {line}); the file may be latin-1 or cp1252, which are not "
            f"guessed because a wrong guess garbles names; {_SAVE_AS}"
        )
    else:
        msg = (
            f"{path}: invalid {codec.upper()} at byte offset {offset} (line {line}): "
            f"bytes {bad} ({exc.reason}); {_SAVE_AS}"
        )
    return InputFileError(msg)


def _line_at(path: Path, codec: str, offset: int) -> int:
    """The 1-based line number of the byte at ``offset`` (the lines before it, plus one)."""
    decoder = codecs.getincrementaldecoder(codec)("replace")
    lines = 1
    after_cr = False  # (a CRLF split between two chunks is one line break)
    with path.open("rb") as handle:
        remaining = offset
        while remaining > 0:
            chunk = handle.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            text = decoder.decode(chunk)
            # Line breaks as the reader counts them: LF, CRLF and a lone CR.
            lines += text.count("\n") + text.count("\r") - text.count("\r\n")
            if after_cr and text.startswith("\n"):
                lines -= 1
            if text:
                after_cr = text.endswith("\r")
            remaining -= len(chunk)
    return lines


@contextmanager
def field_size_limit(limit: int = FIELD_SIZE_LIMIT) -> Iterator[None]:
    """Raise the csv module's (process-wide) field size limit for a while, then restore it."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, limit))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def open_text(source: InputFile) -> io.TextIOWrapper:
    """The input as text, after its BOM, with newlines left for the csv module to read."""
    raw = source.path.open("rb")
    raw.seek(source.bom_length)
    return io.TextIOWrapper(raw, encoding=source.codec, errors="strict", newline="")


def sniff_delimiter(source: InputFile) -> str:
    """The delimiter among :data:`DELIMITERS` that best explains the first records.

    Each candidate parses a sample; it scores by whether it splits the header at all, then by
    the share of records with as many fields as the header, then by the header's field count.
    A file whose header no candidate splits (one column) is read as comma-separated.
    """
    with open_text(source) as text:
        sample = text.read(SNIFF_CHARS)
        truncated = bool(text.read(1))
    best = ","
    best_key: tuple[bool, float, int] | None = None
    for delimiter in DELIMITERS:
        lines = io.StringIO(sample, newline="")  # (as the file is read: CR ends a line too)
        records = [r for r in csv.reader(lines, delimiter=delimiter) if r]
        if truncated and len(records) > 1:
            records = records[:-1]  # the sample may have cut the last record
        if not records:
            continue
        width = len(records[0])
        rest = records[1:]
        consistent = sum(len(r) == width for r in rest) / len(rest) if rest else 1.0
        key = (width > 1, consistent, width)
        if best_key is None or key > best_key:
            best, best_key = delimiter, key
    return best


def open_records(source: InputFile, delimiter: str) -> tuple[io.TextIOWrapper, Any]:
    """(text stream, csv reader) over the input; the caller closes the stream."""
    text = open_text(source)
    return text, csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True)


def count_records(source: InputFile, delimiter: str) -> int:
    """The number of non-blank data records (after the header), in a fast streaming pass."""
    text, reader = open_records(source, delimiter)
    with text, field_size_limit():
        count = -1  # the header
        try:
            for record in reader:
                if record:
                    count += 1
        except csv.Error:
            return max(count, 0)  # the screening pass reports where
    return max(count, 0)
