"""The data model: listed entities, their names, licences and exceptions, and their lists.

All classes are frozen attrs classes: a loaded list can be shared between threads and cached,
and a result refers to the very objects the list holds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

__all__ = [
    "ALIAS_KINDS",
    "Alias",
    "License",
    "LicenseException",
    "ListedEntity",
    "RecordFile",
    "ScreeningList",
]

#: The kinds of alternative name an entity may carry.
#: ``aka``: also known as; ``fka``: formerly known as; ``native``: the name in its own script
#: (Chinese characters, Cyrillic, ...); ``romanisation``: a Latin-script transcription of a
#: native name or place name (pinyin, Uyghur spellings); ``short``: a short or brand name;
#: ``derived``: split off the listed name by a loader (a parenthesised acronym, an affiliate).
ALIAS_KINDS = frozenset({"aka", "fka", "native", "romanisation", "short", "derived"})


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


@attrs.frozen
class Alias:
    """One alternative name of an entity, kept with its kind and, where known, its source."""

    name: str
    kind: str = attrs.field(default="aka")
    source: str = ""

    @kind.validator
    def _check_kind(self, _attribute: attrs.Attribute[str], value: str) -> None:
        if value not in ALIAS_KINDS:
            msg = f"alias kind {value!r} is not one of {sorted(ALIAS_KINDS)}"
            raise ValueError(msg)


@attrs.frozen
class License:
    """The license requirement and license review policy of a listing, as the list states them."""

    requirement: str = ""
    policy: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"requirement": self.requirement, "policy": self.policy}


@attrs.frozen
class LicenseException:
    """A licence, exception or approval on record for a listed entity.

    It records who granted it, to whom, when it was applied for and approved, what it covers
    (``scope``, and ``items``: the classifications it covers, ``EAR99`` or ECCNs, where
    recorded), what for (``purpose``) and the source that reports it. ``list_code``, when set,
    ties it to the entity of that source list only (CSL ids repeat across source lists).
    """

    id: str
    entity_id: str
    granted_by: str
    granted_to: str
    scope: str
    purpose: str
    source: str
    applied_on: date | None = None
    approved_on: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    source_url: str = ""
    notes: str = ""
    items: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    list_code: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "entity_id": self.entity_id,
            "granted_by": self.granted_by,
            "granted_to": self.granted_to,
            "applied_on": _iso(self.applied_on),
            "approved_on": _iso(self.approved_on),
            "valid_from": _iso(self.valid_from),
            "valid_to": _iso(self.valid_to),
            "list_code": self.list_code,
            "scope": self.scope,
            "items": list(self.items),
            "purpose": self.purpose,
            "source": self.source,
            "source_url": self.source_url,
            "notes": self.notes,
        }


@attrs.frozen
class ListedEntity:
    """One entry of a restricted-party list.

    ``list_code`` is the short code of the source list (``EL`` for the Entity List, ``SDN``,
    ``DPL``, ...) and ``list_name`` its full name, so that a user can screen against one source
    list or all of them. ``removed_on`` is set when the entry was removed from the list (or its
    order expired); screening as of a date uses ``listed_on`` and ``removed_on``.
    """

    id: str
    name: str
    list_code: str
    list_name: str
    aliases: tuple[Alias, ...] = attrs.field(default=(), converter=_tuple)
    entity_type: str = ""
    addresses: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    citations: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    listed_on: date | None = None
    removed_on: date | None = None
    license: License = attrs.field(factory=License)
    exceptions: tuple[LicenseException, ...] = attrs.field(default=(), converter=_tuple)
    programs: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    remarks: str = ""
    source_url: str = ""
    sources: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    @property
    def names(self) -> tuple[str, ...]:
        """The primary name followed by every alias, without repeats, in list order."""
        seen: dict[str, None] = {self.name: None}
        for alias in self.aliases:
            seen.setdefault(alias.name, None)
        return tuple(seen)

    def is_listed_on(self, day: date) -> bool:
        """True when the entry was on its list on ``day`` (unknown dates count as listed)."""
        if self.listed_on is not None and day < self.listed_on:
            return False
        return not (self.removed_on is not None and day >= self.removed_on)

    @property
    def content_hash(self) -> str:
        """sha256 of the entry's content: it changes whenever any field of the entry changes."""
        blob = json.dumps(self.to_dict(full=True), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def to_dict(self, *, full: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "aliases": [alias.name for alias in self.aliases],
            "list": self.list_code,
            "list_name": self.list_name,
            "type": self.entity_type,
            "addresses": list(self.addresses),
            "citations": list(self.citations),
            "listed_on": _iso(self.listed_on),
            "removed_on": _iso(self.removed_on),
        }
        if full:
            data["alias_kinds"] = [[a.name, a.kind, a.source] for a in self.aliases]
            data["license"] = self.license.to_dict()
            data["exceptions"] = [e.to_dict() for e in self.exceptions]
            data["programs"] = list(self.programs)
            data["remarks"] = self.remarks
            data["source_url"] = self.source_url
            data["sources"] = list(self.sources)
        return data


@attrs.frozen
class ScreeningList:
    """A loaded list file: its name, version date, content hash and entities.

    One file may hold several source lists (the Consolidated Screening List holds thirteen);
    each entity keeps its own ``list_code``.
    """

    name: str
    sha256: str
    entities: tuple[ListedEntity, ...] = attrs.field(converter=_tuple)
    version: str | None = None
    source: str = ""
    #: Why each row of the file that could not be read was left out (file, line, field), as
    #: :func:`~partyscreen.loaders.load_path` also warns; kept for a caller that loads the
    #: file again in one process, where Python shows a repeated warning only once.
    rows_left_out: tuple[str, ...] = attrs.field(default=(), converter=_tuple)

    @property
    def list_codes(self) -> tuple[str, ...]:
        return tuple(sorted({e.list_code for e in self.entities}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "source": self.source,
            "entities": len(self.entities),
            "list_codes": list(self.list_codes),
            "rows_left_out": len(self.rows_left_out),
        }


@attrs.frozen
class RecordFile:
    """A file of records a screener reads besides its lists, named in every result for audit.

    ``kind`` is ``licences`` (licences on record) or ``decisions`` (reviewed false positives);
    ``records`` is how many records it held when read.
    """

    kind: str
    path: str
    sha256: str
    records: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "sha256": self.sha256,
            "records": self.records,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
