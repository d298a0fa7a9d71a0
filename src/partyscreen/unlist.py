"""Loader for the UN Security Council Consolidated List in its XML format (sc-sanctions.xsd).

The file is ``CONSOLIDATED_LIST`` (attribute ``dateGenerated``) holding ``INDIVIDUALS/
INDIVIDUAL`` and ``ENTITIES/ENTITY`` records: DATAID, REFERENCE_NUMBER (e.g. ``QDi.001``),
FIRST_NAME to FOURTH_NAME, NAME_ORIGINAL_SCRIPT, UN_LIST_TYPE (the sanctions regime), LISTED_ON,
COMMENTS1, INDIVIDUAL_ALIAS / ENTITY_ALIAS (QUALITY, ALIAS_NAME), INDIVIDUAL_ADDRESS /
ENTITY_ADDRESS, and details the model has no field for (designation, nationality, dates and
places of birth, documents, LAST_DAY_UPDATED), which are not kept.

The file is parsed as a stream with :class:`xml.etree.ElementTree.XMLPullParser`, fed a line at
a time so that errors name the line of the record or field at fault; each record is dropped
once read. Each record becomes an entity with list code ``UN``, id ``UN-<REFERENCE_NUMBER>``
(``UN-<DATAID>`` when it has no reference number), its name the non-empty FIRST..FOURTH_NAME
joined with blanks, type ``individual`` or ``entity``, ``listed_on`` from LISTED_ON (a trailing
time zone, "2015-04-07-04:00", is ignored), the REFERENCE_NUMBER as its citation, UN_LIST_TYPE
as its program and COMMENTS1 (blanks collapsed) as its remarks. Aliases:

* NAME_ORIGINAL_SCRIPT, kind ``native``;
* every ALIAS_NAME, kind ``fka`` for QUALITY "f.k.a.", else ``aka``; "Low" quality aliases are
  kept too, and the alias's ``source`` records the QUALITY ("UN alias, QUALITY Low");
* an alias written "Latin (native)" or "native (Latin)" also gives its two halves, the
  non-Latin one as ``native``, the Latin one (split on ";") as ``derived``;
* for entities, the names of a FIRST_NAME listing several ("A (AB) ; B (BC)") and the short
  forms :func:`partyscreen.csl.derive_aliases` finds, as ``derived``.

``version`` is the argument, else the date of ``dateGenerated`` (YYYY-MM-DD), else None.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import attrs

from partyscreen.csl import derive_aliases
from partyscreen.errors import ListFormatError, ListNotFoundError
from partyscreen.loading import ListLoad
from partyscreen.model import Alias, ListedEntity, ScreeningList

__all__ = [
    "UN_LIST_CODE",
    "UN_LIST_NAME",
    "UN_ROOT",
    "UnLoad",
    "has_non_latin_letters",
    "load_un",
    "looks_like_un",
]

UN_LIST_CODE = "UN"
UN_LIST_NAME = "United Nations Security Council Consolidated List"

#: The root element of the format.
UN_ROOT = "CONSOLIDATED_LIST"

#: Record elements, under INDIVIDUALS and ENTITIES, and the entity type each gives.
RECORD_TYPES = {"INDIVIDUAL": "individual", "ENTITY": "entity"}
#: Where records are, counting the root as 1 (CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL); one
#: found elsewhere is an error, not a record dropped.
RECORD_DEPTH = 3

#: The elements whose texts make the name, in order.
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")

#: Alias elements of each record type.
ALIAS_TAGS = ("INDIVIDUAL_ALIAS", "ENTITY_ALIAS")

#: Address elements, and the parts joined (in order) to write one.
ADDRESS_TAGS = ("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS")
ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")

#: The QUALITY that marks a former name.
FORMER_NAME_QUALITY = "f.k.a."

#: A YYYY-MM-DD date at the start of LISTED_ON or dateGenerated.
DATE_PREFIX_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:$|[T+\-Z ])")

#: "X (Y)": a name followed by another in parentheses.
PAIRED_NAME_RE = re.compile(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)$")

#: Separator of several names in one FIRST_NAME or inside a paired alias.
NAME_SEPARATOR = ";"

#: The last code point of the Latin-1, Latin Extended-A and -B blocks; and the names of other
#: letters that do not make a text non-Latin (Latin Extended Additional, modifier letters).
LATIN_END = 0x24F
LATIN_NAMES = ("LATIN", "MODIFIER LETTER")

#: How many bytes :func:`looks_like_un` reads at most to find the root element.
SNIFF_BYTES = 65536


#: The result of loading: the list, and one error per row left out of it.
UnLoad = ListLoad


# --------------------------------------------------------------------------------------------
# Public API


def load_un(
    path: str | os.PathLike[str], *, strict: bool = False, version: str | None = None
) -> UnLoad:
    """Load a UN Security Council Consolidated List XML file.

    With ``strict=True`` the first bad record raises :class:`ListFormatError`; otherwise bad
    records are returned in ``UnLoad.errors``. Malformed XML or another root element always
    raises.
    """
    file_path = Path(path)
    where = str(file_path)
    digest = hashlib.sha256()
    entities: list[ListedEntity] = []
    errors: list[ListFormatError] = []
    seen: dict[str, int] = {}
    try:
        handle = file_path.open("rb")
    except FileNotFoundError as exc:
        msg = f"UN list file not found: {file_path}"
        raise ListNotFoundError(msg) from exc
    with handle:
        stream = _Stream(_hashed(handle, digest), where)
        for record in stream.records():
            try:
                entity = _entity(record, where)
                _check_unique(entity, record, seen, where)
            except ListFormatError as error:
                if strict:
                    raise
                errors.append(error)
                continue
            entities.append(entity)
    screening_list = ScreeningList(
        name=UN_LIST_NAME,
        sha256=digest.hexdigest(),
        entities=entities,
        version=version if version is not None else _date_prefix(stream.generated),
        source=file_path.name,
    )
    return UnLoad(screening_list=screening_list, errors=tuple(errors))


def looks_like_un(path: str | os.PathLike[str]) -> bool:
    """True when the file's root element is ``CONSOLIDATED_LIST``."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start",))
    try:
        with Path(path).open("rb") as handle:
            parser.feed(handle.read(SNIFF_BYTES))
            for _event, element in _events(parser):
                return element.tag == UN_ROOT
    except (OSError, ET.ParseError):
        return False
    return False


def has_non_latin_letters(text: str) -> bool:
    """True when ``text`` has a letter of a script other than Latin (Arabic, Han, Cyrillic...).

    Latin letters, ordinal indicators (ª, º) and modifier letters (ʻ, ʼ) do not count.
    """
    return any(
        char.isalpha()
        and ord(char) > LATIN_END
        and not unicodedata.name(char, "").startswith(LATIN_NAMES)
        for char in text
    )


# --------------------------------------------------------------------------------------------
# Streaming the records


@attrs.frozen
class _Record:
    """One INDIVIDUAL or ENTITY element, read whole, with the line of each of its elements."""

    element: ET.Element
    line: int
    lines: dict[int, int]

    def line_of(self, tag: str) -> int:
        found = self.element.find(tag)
        return self.lines.get(id(found), self.line) if found is not None else self.line

    def entry(self) -> str | None:
        return _text(self.element, "REFERENCE_NUMBER") or _text(self.element, "DATAID") or None


class _Stream:
    """The records of a file fed a line at a time, and its ``dateGenerated``."""

    def __init__(self, lines: Iterable[bytes], where: str) -> None:
        self.lines = lines
        self.where = where
        self.generated = ""

    def records(self) -> Iterator[_Record]:
        parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
        depth = 0
        lines: dict[int, int] = {}
        start = 0
        try:
            for number, line in enumerate(self.lines, 1):
                parser.feed(line)
                for event, element in _events(parser):
                    if event == "end":
                        depth -= 1
                        if depth == RECORD_DEPTH - 1 and element.tag in RECORD_TYPES:
                            yield _Record(element, start, lines)
                            element.clear()
                        continue
                    depth += 1
                    if depth == 1:
                        _check_root(element, self.where, number)
                        self.generated = element.get("dateGenerated", "")
                    elif element.tag in RECORD_TYPES:
                        if depth != RECORD_DEPTH:  # (read only there: it would be dropped)
                            msg = (
                                f"an {element.tag} record out of place: the UN list holds "
                                "them in CONSOLIDATED_LIST/INDIVIDUALS and .../ENTITIES"
                            )
                            raise ListFormatError(
                                msg, path=self.where, line=number, field=str(element.tag)
                            )
                        lines, start = {}, number
                    lines[id(element)] = number
            parser.close()
        except ET.ParseError as exc:
            msg = f"malformed XML: {exc}"
            raise ListFormatError(msg, path=self.where, line=exc.position[0]) from exc


def _events(parser: ET.XMLPullParser[ET.Element]) -> Iterator[tuple[str, ET.Element]]:
    """The parser's (event, element) pairs (start and end events carry an element)."""
    for event in parser.read_events():
        element = event[-1]
        if isinstance(element, ET.Element):
            yield event[0], element


def _check_root(element: ET.Element, where: str, line: int) -> None:
    if element.tag != UN_ROOT:
        msg = f"root element is {element.tag!r}, not {UN_ROOT!r}"
        raise ListFormatError(msg, path=where, line=line, field=str(element.tag))


# --------------------------------------------------------------------------------------------
# Building entities


def _entity(record: _Record, where: str) -> ListedEntity:
    element = record.element
    entity_type = RECORD_TYPES[element.tag]

    def error(message: str, field: str) -> ListFormatError:
        line = record.line_of(field)
        return ListFormatError(message, path=where, line=line, entry=record.entry(), field=field)

    name = " ".join(part for part in (_text(element, tag) for tag in NAME_PARTS) if part)
    if not name:
        msg = "no name: FIRST_NAME to FOURTH_NAME are empty"
        raise error(msg, "FIRST_NAME")
    reference = _text(element, "REFERENCE_NUMBER")
    key = reference or _text(element, "DATAID")
    if not key:
        msg = "neither REFERENCE_NUMBER nor DATAID"
        raise error(msg, "REFERENCE_NUMBER")
    listed_text = _text(element, "LISTED_ON")
    listed_on = None
    if listed_text:
        listed = _date_prefix(listed_text)
        if listed is None:
            msg = f"LISTED_ON {listed_text!r} is not a YYYY-MM-DD date"
            raise error(msg, "LISTED_ON")
        listed_on = date.fromisoformat(listed)
    program = _text(element, "UN_LIST_TYPE")
    return ListedEntity(
        id=f"{UN_LIST_CODE}-{key}",
        name=name,
        list_code=UN_LIST_CODE,
        list_name=UN_LIST_NAME,
        aliases=_aliases(element, name, entity_type),
        entity_type=entity_type,
        addresses=_addresses(element),
        citations=(reference,) if reference else (),
        listed_on=listed_on,
        programs=(program,) if program else (),
        remarks=_text(element, "COMMENTS1"),
    )


def _check_unique(entity: ListedEntity, record: _Record, seen: dict[str, int], where: str) -> None:
    """Record ``entity``'s id as seen, or raise when an earlier record had it."""
    if entity.id in seen:
        msg = f"id {entity.id} repeats the record of line {seen[entity.id]}"
        field = "REFERENCE_NUMBER"
        raise ListFormatError(
            msg, path=where, line=record.line_of(field), entry=record.entry(), field=field
        )
    seen[entity.id] = record.line


def _aliases(element: ET.Element, name: str, entity_type: str) -> tuple[Alias, ...]:
    found: list[Alias] = []
    native = _text(element, "NAME_ORIGINAL_SCRIPT")
    if native:
        found.append(Alias(name=native, kind="native", source="NAME_ORIGINAL_SCRIPT"))
    for tag in ALIAS_TAGS:
        for alias_element in element.iterfind(tag):
            alias_name = _text(alias_element, "ALIAS_NAME")
            if not alias_name:
                continue
            quality = _text(alias_element, "QUALITY")
            kind = "fka" if quality.lower() == FORMER_NAME_QUALITY else "aka"
            source = f"UN alias, QUALITY {quality}" if quality else "UN alias"
            found.append(Alias(name=alias_name, kind=kind, source=source))
            found.extend(_script_halves(alias_name))
    if entity_type == "entity":
        parts = _split_names(name)
        listed = parts if len(parts) > 1 else []
        derived = [*listed, *(short for part in parts for short in derive_aliases(part))]
        found.extend(Alias(name=d, kind="derived", source="derived from the name") for d in derived)
    seen = {name.casefold()}
    unique: list[Alias] = []
    for alias in found:
        if alias.name.casefold() not in seen:
            seen.add(alias.name.casefold())
            unique.append(alias)
    return tuple(unique)


def _script_halves(alias_name: str) -> list[Alias]:
    """The halves of "Latin (native)" or "native (Latin)", when one half only is non-Latin."""
    match = PAIRED_NAME_RE.match(alias_name)
    if match is None:
        return []
    outer, inner = match.group("outer").strip(), match.group("inner").strip()
    if has_non_latin_letters(outer) == has_non_latin_letters(inner):
        return []
    native, latin = (outer, inner) if has_non_latin_letters(outer) else (inner, outer)
    source = f"half of the alias {alias_name!r}"
    halves = [Alias(name=native, kind="native", source=source)]
    halves.extend(Alias(name=part, kind="derived", source=source) for part in _split_names(latin))
    return halves


def _addresses(element: ET.Element) -> tuple[str, ...]:
    addresses: list[str] = []
    for tag in ADDRESS_TAGS:
        for address in element.iterfind(tag):
            parts = (_text(address, part) for part in ADDRESS_PARTS)
            text = ", ".join(part for part in parts if part)
            note = _text(address, "NOTE")
            if note:
                text = f"{text} ({note})" if text else note
            if text and text not in addresses:
                addresses.append(text)
    return tuple(addresses)


# --------------------------------------------------------------------------------------------
# Helpers


def _hashed(lines: Iterable[bytes], digest: Any) -> Iterator[bytes]:
    """The lines, each added to ``digest`` (a hashlib object) as it is read."""
    for line in lines:
        digest.update(line)
        yield line


def _text(element: ET.Element, tag: str) -> str:
    """The text of the child ``tag``, blanks collapsed ("" when absent or empty)."""
    return " ".join((element.findtext(tag) or "").split())


def _split_names(text: str) -> list[str]:
    parts = (" ".join(part.split()) for part in text.split(NAME_SEPARATOR))
    return [part for part in parts if part]


def _date_prefix(text: str) -> str | None:
    match = DATE_PREFIX_RE.match(text.strip())
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None
