"""Loader for the trade.gov Consolidated Screening List (CSL).

The CSL merges thirteen US export-screening lists (Entity List, SDN, DPL, ...) into one file,
published as CSV (29 columns, multi-valued fields joined with ``"; "``) and as JSON in the shape
of the trade.gov search API (``{"total": N, "results": [...]}``, multi-valued fields as arrays).

:func:`load_csl` reads a file, :func:`parse_csl_bytes` parses a body already in memory (for
example a download). Both dispatch on content (JSON when the first non-blank byte is ``{`` or
``[``, else CSV) and return a :class:`CslLoad`: the :class:`~partyscreen.model.ScreeningList`
and one :class:`~partyscreen.errors.ListFormatError` per record that could not become an entity.

The CSV reader is header-driven, so the older layout without the ``_id`` column and reordered
columns load alike. A line repeating the header is skipped. Besides the listed alternative names
(alias kind ``aka``), a few conservative aliases are derived from the listed name (kind
``derived``): a parenthesised short form or acronym of the words before it, the affiliate of
an "X. Affiliated Entity: Y" entry and the name before a State Department "and any successor,
sub-unit, or subsidiary thereof" clause.

The model has no fields for ``ids``, ``dates_of_birth``, ``nationalities``, ``citizenships``,
``places_of_birth``, ``title`` or the vessel columns: they are read and type-checked (JSON) but
not kept on the entities.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from partyscreen.errors import ListFormatError, ListNotFoundError
from partyscreen.loading import ListLoad, check_distinct_columns, decode_utf8, version_from_name
from partyscreen.model import Alias, License, ListedEntity, ScreeningList
from partyscreen.normalize import phrase_before, spells

__all__ = [
    "CSL_NAME",
    "CslLoad",
    "derive_aliases",
    "list_code_of",
    "load_csl",
    "parse_csl_bytes",
    "split_citations",
    "split_multi",
    "split_series",
]

#: The name every loaded CSL carries (``ScreeningList.name``).
CSL_NAME = "Consolidated Screening List"

#: Columns a CSV header must have; every other column is optional.
REQUIRED_COLUMNS = ("source", "name")

#: Columns (and JSON keys) holding the record id: ``_id`` in the CSV, ``id`` in the search API.
ID_FIELDS = ("_id", "id")

#: Multi-valued fields: ``"; "``-joined in the CSV, arrays (or strings) in JSON.
MULTI_VALUED_FIELDS = (
    "addresses",
    "alt_names",
    "programs",
    "ids",
    "federal_register_notice",
    "dates_of_birth",
    "nationalities",
    "citizenships",
    "places_of_birth",
)

#: JSON objects allowed inside multi-valued fields, and the keys joined (in order) to render one.
JSON_OBJECT_PARTS: Mapping[str, tuple[str, ...]] = {
    "addresses": ("address", "city", "state", "postal_code", "country"),
    "ids": ("type", "number", "country"),
}

#: Separator between the parts of a rendered JSON address or id (as in the CSV rendering).
PART_SEPARATOR = ", "

#: Bytes that open a JSON document; any other first non-blank byte means CSV.
JSON_OPENERS = (b"{", b"[")

#: Prefix and length (hex digits of a sha1) of the id made for records without ``_id``.
STABLE_ID_PREFIX = "csl-"
STABLE_ID_HEX_DIGITS = 20

#: Separator of multi-valued CSV cells; whitespace around it is dropped.
MULTI_SEPARATOR = ";"

#: ``a; b; and c``: the conjunction left on an alternative name by list-style punctuation.
LEADING_AND_RE = re.compile(r"^and\s+")

#: A break between two Federal Register citations in one ``federal_register_notice`` part: a
#: comma or "and" ("84 FR 22961, 85 FR 29852"), or the blank after a date that BIS leaves between
#: citations ("67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02"); only before a new "N FR"/"N F.R."
#: citation, so "Vol. 88, No. 151, 08/08/2023" and "69 F.R. 7 2/1/04, 1 2/3/04" stay whole.
CITATION_BREAK_RE = re.compile(
    r"(?:,\s*|\s+and\s+|(?:(?<=\d/\d\d)|(?<=/\d{4}))\s+)(?=(?:\d+\s*\.?\s*)?F\.?\s?R\b)"
)

#: The list code in a CSL ``source``: "Entity List (EL) - Bureau ..." -> "EL".
LIST_CODE_RE = re.compile(r"\(([^()]+)\)")

#: Trailing word of some list codes: "Non-SDN Menu-Based Sanctions List (NS-MBS List)".
LIST_CODE_SUFFIX_RE = re.compile(r"\s+List$", re.IGNORECASE)

#: A YYYY-MM-DD date, optionally followed by a time part ("2019-05-21T00:00:00Z").
DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")

#: State Department (ISN) entries: "X; and any successor, sub-unit, or subsidiary thereof" and
#: the older wording "X, and its sub-units and successors": the clause, X being the text
#: before it less the separators.
SUCCESSOR_RE = re.compile(
    r"(?<=[\s;,])and\s+(?:any\s+successor,\s*sub-unit,?\s*or\s+subsidiary\s+thereof"
    r"|its\s+sub-units\s+and\s+successors)\.?$",
    re.IGNORECASE,
)

#: Entity List affiliates: "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Y".
AFFILIATE_RE = re.compile(r"^(?P<parent>.+?)\s+Affiliated\s+Entity:\s*(?P<affiliate>.+)$")

#: Text that may be a short form in parentheses: up to four words of letters, digits, ``&`` and
#: ``-`` ("XPCC", "CETC 29", "Huawei", "SANS FAB"); rules out "f.k.a. ...", "Pvt.", "A, B".
SHORT_FORM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9&-]*(?: [A-Za-z0-9&-]+){0,3}$")

#: Fewest letters and digits a derived short form needs: "HK", "UK", "GE", "S" are too ambiguous.
SHORT_FORM_MIN_CHARS = 3

#: A word of a phrase, for matching a short form against its initials.
WORD_RE = re.compile(r"[A-Za-z0-9]+")


#: The result of loading: the list, and one error per row left out of it.
CslLoad = ListLoad


@attrs.frozen
class _Record:
    """One CSV row or JSON result, normalised: single values as text, multi values split."""

    values: Mapping[str, str]
    lists: Mapping[str, tuple[str, ...]]
    line: int | None = None
    entry: str | None = None


# --------------------------------------------------------------------------------------------
# Public API


def load_csl(
    path: str | os.PathLike[str], *, strict: bool = False, version: str | None = None
) -> CslLoad:
    """Load a CSL file (CSV or JSON, told apart by content).

    ``version`` defaults to a YYYY-MM-DD date in the file name. With ``strict=True`` the first
    bad record raises :class:`ListFormatError`; otherwise bad records are returned in
    ``CslLoad.errors``. A file that cannot be read as a CSL at all (no header, not UTF-8,
    broken JSON) always raises.
    """
    file_path = Path(path)
    try:
        data = file_path.read_bytes()
    except FileNotFoundError as exc:
        msg = f"CSL file not found: {file_path}"
        raise ListNotFoundError(msg) from exc
    return parse_csl_bytes(
        data, name=file_path.name, strict=strict, version=version, origin=str(file_path)
    )


def parse_csl_bytes(
    data: bytes,
    *,
    name: str,
    strict: bool = False,
    version: str | None = None,
    origin: str | None = None,
) -> CslLoad:
    """Parse a CSL body held in memory.

    ``name`` is the file name (kept as ``ScreeningList.source`` and searched for a version
    date); ``origin`` is what errors name as their path (defaults to ``name``).
    """
    where = origin if origin is not None else name
    text = decode_utf8(data, where)
    as_json = _looks_like_json(data) or name.lower().endswith(".json")
    records = _json_records(text, where) if as_json else _csv_records(text, where)
    entities: list[ListedEntity] = []
    errors: list[ListFormatError] = []
    first_of: dict[tuple[str, str], int] = {}  # (list code, id): the entity's index
    for record in records:
        try:
            row = _unwrap(record)
            entity = _build_entity(row, where)
            # An id the file gives names one entity of its list: reviews and licences name
            # it so. (The ids made for files without them may repeat: the 2019 layout has
            # rows alike in source, name, addresses and date; they are kept.)
            key = (entity.list_code, entity.id)
            given = next((f for f in ID_FIELDS if row.values.get(f, "").strip()), None)
            if given is not None and key in first_of:
                first = entities[first_of[key]].name
                msg = f"repeats the id {entity.id!r} of {first!r} in list {entity.list_code}"
                raise _record_error(row, msg, given, where)
            first_of[key] = len(entities)
            entities.append(entity)
        except ListFormatError as error:
            if strict:
                raise
            errors.append(error)
    screening_list = ScreeningList(
        name=CSL_NAME,
        sha256=hashlib.sha256(data).hexdigest(),
        entities=entities,
        version=version if version is not None else version_from_name(name),
        source=name,
    )
    return CslLoad(screening_list=screening_list, errors=tuple(errors))


def list_code_of(source: str) -> str:
    """The short list code of a CSL ``source``: the text in its first parentheses, else itself."""
    text = _collapse(source)
    match = LIST_CODE_RE.search(text)
    if match is None:
        return text
    return LIST_CODE_SUFFIX_RE.sub("", match.group(1).strip()) or text


def split_multi(text: str) -> tuple[str, ...]:
    """Split a ``"; "``-joined cell: whitespace collapsed, empty parts dropped."""
    parts = (_collapse(part) for part in text.split(MULTI_SEPARATOR))
    return tuple(part for part in parts if part)


def split_series(text: str) -> tuple[str, ...]:
    """Split a series written as prose ("X; Y; and Z"), as in ``alt_names`` and ``addresses``.

    Like :func:`split_multi`, and drops the "and " that starts a part (usually the last one).
    """
    parts = (LEADING_AND_RE.sub("", part) for part in split_multi(text))
    return tuple(part for part in parts if part)


def split_citations(text: str) -> tuple[str, ...]:
    """Split ``federal_register_notice`` on ``;`` and where a new citation starts."""
    return tuple(
        citation
        for part in split_multi(text)
        for citation in (_collapse(piece) for piece in CITATION_BREAK_RE.split(part))
        if citation
    )


def derive_aliases(name: str) -> tuple[str, ...]:
    """Names the listed ``name`` states for the entity besides itself, most specific first.

    Only three patterns: the name before an ISN successor clause, the affiliate of an
    "Affiliated Entity:" entry, and a parenthesised short form or acronym that spells the
    start of the phrase before it ("Corps (XPCC)", "Huawei Technologies Co., Ltd. (Huawei)").
    """
    core = _collapse(name)
    derived: list[str] = []
    # (The clause is searched for, not the name before it matched: over a long run of ";" or
    # "," that took quadratic time.)
    successor = SUCCESSOR_RE.search(core)
    if successor is not None and (base := core[: successor.start()].rstrip(" ,;")):
        core = base
        derived.append(core)
    affiliate = AFFILIATE_RE.match(core)
    if affiliate is not None:
        core = affiliate.group("affiliate").strip()
        derived.append(core)
    derived.extend(_parenthesised_short_forms(core))
    return _unique(derived, exclude=_collapse(name))


# --------------------------------------------------------------------------------------------
# Decoding and dispatch


def _looks_like_json(data: bytes) -> bool:
    body = data.removeprefix(codecs.BOM_UTF8).lstrip()
    return body[:1] in JSON_OPENERS


def _unwrap(record: _Record | ListFormatError) -> _Record:
    if isinstance(record, ListFormatError):
        raise record
    return record


# --------------------------------------------------------------------------------------------
# CSV


def _csv_records(text: str, where: str) -> Iterator[_Record | ListFormatError]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _read_header(reader, where)
        end = reader.line_num
        for row in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row) or _normalise_header(row) == header:
                continue
            yield _csv_record(row, header, start, where)
    except csv.Error as exc:
        msg = f"unreadable CSV: {exc}"
        raise ListFormatError(msg, path=where, line=reader.line_num) from exc


def _read_header(reader: Iterator[list[str]], where: str) -> list[str]:
    for row in reader:
        if any(cell.strip() for cell in row):
            header = _normalise_header(row)
            missing = [column for column in REQUIRED_COLUMNS if column not in header]
            if missing:
                msg = f"header lacks column(s) {', '.join(missing)}"
                raise ListFormatError(msg, path=where, line=1, field=missing[0])
            check_distinct_columns(header, where)
            return header
    msg = "empty file: no header row"
    raise ListFormatError(msg, path=where, line=1)


def _normalise_header(row: Sequence[str]) -> list[str]:
    return [cell.strip().lstrip("\ufeff").lower() for cell in row]


def _csv_record(
    row: list[str], header: list[str], line: int, where: str
) -> _Record | ListFormatError:
    if len(row) != len(header):
        field = header[len(row)] if len(row) < len(header) else None
        msg = f"record has {len(row)} fields, the header has {len(header)}"
        return ListFormatError(msg, path=where, line=line, field=field)
    values = dict(zip(header, row, strict=True))
    lists = {
        field: _SPLITTERS.get(field, split_multi)(values.get(field, ""))
        for field in MULTI_VALUED_FIELDS
    }
    return _Record(values=values, lists=lists, line=line)


#: How each multi-valued field is split (default :func:`split_multi`).
_SPLITTERS: Mapping[str, Callable[[str], tuple[str, ...]]] = {
    "addresses": split_series,
    "alt_names": split_series,
    "federal_register_notice": split_citations,
}


# --------------------------------------------------------------------------------------------
# JSON


def _json_records(text: str, where: str) -> Iterator[_Record | ListFormatError]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON: {exc.msg}"
        raise ListFormatError(msg, path=where, line=exc.lineno) from exc
    except (ValueError, RecursionError) as exc:  # (a number of thousands of digits, deep nesting)
        msg = f"unreadable JSON: {exc}"
        raise ListFormatError(msg, path=where) from exc
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list):
        msg = "expected a list of results or an object with a 'results' list"
        raise ListFormatError(msg, path=where, field="results")
    for index, result in enumerate(results):
        try:
            yield _json_record(result, str(index), where)
        except ListFormatError as error:
            yield error


def _json_record(result: Any, entry: str, where: str) -> _Record:
    if not isinstance(result, dict):
        msg = f"result is a {type(result).__name__}, not an object"
        raise ListFormatError(msg, path=where, entry=entry)
    values: dict[str, str] = {}
    lists: dict[str, tuple[str, ...]] = {}
    for key, value in result.items():
        field = str(key)
        if field in MULTI_VALUED_FIELDS:
            lists[field] = _json_list(value, field, entry, where)
        else:
            values[field] = _json_text(value, field, entry, where)
    return _Record(values=values, lists=lists, entry=entry)


#: Half of a UTF-16 pair, alone: JSON may escape one ("\ud800"), but it is no character.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_text(value: Any, field: str, entry: str, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if (lone := _SURROGATE.search(value)) is not None:
            # ("\ud800" escaped in JSON: no character, and nothing can write it as UTF-8.)
            msg = f"a lone surrogate {lone.group()!r} at character {lone.start()}: not text"
            raise ListFormatError(msg, path=where, entry=entry, field=field)
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    msg = f"expected text, found {type(value).__name__}"
    raise ListFormatError(msg, path=where, entry=entry, field=field)


def _json_list(value: Any, field: str, entry: str, where: str) -> tuple[str, ...]:
    split = _SPLITTERS.get(field, split_multi)
    items = value if isinstance(value, list) else [value]
    parts: list[str] = []
    for item in items:
        if isinstance(item, dict):
            parts.extend(split(_json_object_text(item, field, entry, where)))
        else:
            parts.extend(split(_json_text(item, field, entry, where)))
    return tuple(parts)


def _json_object_text(item: Mapping[str, Any], field: str, entry: str, where: str) -> str:
    keys = JSON_OBJECT_PARTS.get(field)
    if keys is None:
        msg = "expected text, found an object"
        raise ListFormatError(msg, path=where, entry=entry, field=field)
    parts = (_collapse(_json_text(item.get(key), field, entry, where)) for key in keys)
    return PART_SEPARATOR.join(part for part in parts if part)


# --------------------------------------------------------------------------------------------
# Building entities


def _build_entity(record: _Record, where: str) -> ListedEntity:
    source = _required(record, "source", where)
    name = _required(record, "name", where)
    listed_on = _date_value(record, "start_date", where)
    removed_on = _date_value(record, "end_date", where)
    if listed_on and removed_on and removed_on < listed_on:  # (never listed on any day)
        msg = f"end_date {removed_on} is before start_date {listed_on}"
        raise _record_error(record, msg, "end_date", where)
    addresses = record.lists.get("addresses", ())
    return ListedEntity(
        id=_record_id(record) or _stable_id(source, name, addresses, listed_on),
        name=name,
        list_code=list_code_of(source),
        list_name=source,
        aliases=_aliases(name, record.lists.get("alt_names", ())),
        entity_type=_collapse(record.values.get("type", "")).lower(),
        addresses=addresses,
        citations=record.lists.get("federal_register_notice", ()),
        listed_on=listed_on,
        removed_on=removed_on,
        license=License(
            requirement=record.values.get("license_requirement", ""),
            policy=record.values.get("license_policy", ""),
        ),
        programs=record.lists.get("programs", ()),
        remarks=record.values.get("remarks", "").strip(),
        source_url=record.values.get("source_list_url", "").strip(),
    )


def _record_error(record: _Record, message: str, field: str, where: str) -> ListFormatError:
    return ListFormatError(message, path=where, line=record.line, entry=record.entry, field=field)


def _required(record: _Record, field: str, where: str) -> str:
    value = _collapse(record.values.get(field, ""))
    if not value:
        raise _record_error(record, f"empty {field}", field, where)
    return value


def _date_value(record: _Record, field: str, where: str) -> date | None:
    text = record.values.get(field, "").strip()
    if not text:
        return None
    match = DATE_RE.match(text)
    try:
        if match is None:
            raise ValueError(text)
        return date.fromisoformat(match.group(1))
    except ValueError:
        msg = f"{field} {text!r} is not a YYYY-MM-DD date"
        raise _record_error(record, msg, field, where) from None


def _record_id(record: _Record) -> str:
    for field in ID_FIELDS:
        value = record.values.get(field, "").strip()
        if value:
            return value
    return ""


def _stable_id(source: str, name: str, addresses: Sequence[str], listed_on: date | None) -> str:
    key = [source, name, list(addresses), listed_on.isoformat() if listed_on else ""]
    blob = json.dumps(key, ensure_ascii=False).encode("utf-8")
    return STABLE_ID_PREFIX + hashlib.sha1(blob).hexdigest()[:STABLE_ID_HEX_DIGITS]


def _aliases(name: str, alt_names: Sequence[str]) -> tuple[Alias, ...]:
    seen = {name.casefold()}
    aliases: list[Alias] = []
    for kind, names in (("aka", alt_names), ("derived", derive_aliases(name))):
        for alias in names:
            if alias.casefold() not in seen:
                seen.add(alias.casefold())
                aliases.append(Alias(name=alias, kind=kind))
    return tuple(aliases)


# --------------------------------------------------------------------------------------------
# Names


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _unique(names: Sequence[str], *, exclude: str) -> tuple[str, ...]:
    seen = {exclude.casefold()}
    unique: list[str] = []
    for name in names:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    return tuple(unique)


def _parenthesised_short_forms(name: str) -> Iterator[str]:
    """Top-level ``(...)`` groups of ``name`` that abbreviate the phrase just before them."""
    for start, end in _top_level_groups(name):
        inner = name[start + 1 : end].strip()
        phrase = phrase_before(name, start)
        if _is_short_form_of(inner, phrase):
            yield inner


def _top_level_groups(text: str) -> Iterator[tuple[int, int]]:
    """(open, close) indexes of parenthesised groups that are not nested and hold no group."""
    depth, opened, nested = 0, -1, False
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
            nested = nested or depth > 1
            opened = index if depth == 1 else opened
        elif char == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                if not nested:
                    yield opened, index
                nested = False


def _is_short_form_of(inner: str, phrase: str) -> bool:
    """True when ``inner`` is spelt by prefixes of words of ``phrase``, the first word first."""
    if not SHORT_FORM_RE.match(inner):
        return False
    letters = "".join(WORD_RE.findall(inner)).casefold()
    words = [word.casefold() for word in WORD_RE.findall(phrase)]
    return len(letters) >= SHORT_FORM_MIN_CHARS and spells(letters, words)
