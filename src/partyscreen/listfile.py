"""partyscreen's own list format: TOML, one ``[[entity]]`` table per entry, validated on load.

The format is documented in ``lists/README.md``. A file holds a ``[list]`` header (name,
default list code, list name, version date, source), ``[[entity]]`` entries and
``[[exception]]`` records (licences and exceptions on record, tied to an entity by id).
Validation is strict: an unknown key, a missing required field, a value of the wrong type, a
repeated id or an exception naming no entity raises :class:`~partyscreen.errors.ListFormatError`
naming the file, the entry and the field.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs

from partyscreen.errors import ListFormatError, ListNotFoundError
from partyscreen.model import (
    ALIAS_KINDS,
    Alias,
    License,
    LicenseException,
    ListedEntity,
    ScreeningList,
)

__all__ = ["load_list_file", "parse_list_bytes"]

_ID = re.compile(r"^[A-Za-z0-9._-]+$")

_LIST_KEYS = {"name": True, "code": True, "list_name": True, "version": True, "source": True}
_ENTITY_KEYS = {
    "id": True, "name": True, "type": False, "code": False, "list_name": False,
    "aliases": False, "addresses": False, "citations": True, "listed_on": True,
    "removed_on": False, "license_requirement": True, "license_policy": True,
    "sources": True, "remarks": False, "programs": False, "source_url": False,
}  # fmt: skip
_ALIAS_KEYS = {"name": True, "kind": True, "source": False}
_EXCEPTION_KEYS = {
    "id": True, "entity": True, "granted_by": True, "granted_to": True, "scope": True,
    "purpose": True, "source": True, "applied_on": False, "approved_on": False,
    "valid_from": False, "valid_to": False, "source_url": False, "notes": False,
}  # fmt: skip


class _Checker:
    """Reads typed fields out of one TOML table, raising errors that say where."""

    def __init__(self, path: str, table: Mapping[str, Any], keys: Mapping[str, bool], entry: str):
        self.path, self.table, self.entry = path, table, entry
        for key in table:
            if key not in keys:
                self.fail(key, f"unknown field (expected one of {sorted(keys)})")
        for key, required in keys.items():
            if required and key not in table:
                self.fail(key, "required field is missing")

    def fail(self, field: str, message: str) -> None:
        raise ListFormatError(message, path=self.path, entry=self.entry, field=field)

    def text(self, key: str, *, default: str = "") -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str):
            self.fail(key, f"must be a string, not {type(value).__name__}")
        if key in self.table and not value.strip():
            self.fail(key, "must not be empty")
        return " ".join(value.split())

    def day(self, key: str) -> date | None:
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, date) or isinstance(value, datetime):
            self.fail(key, f"must be a TOML date like 2019-10-09, not {value!r}")
        day: date = value
        return day

    def texts(self, key: str, *, nonempty: bool = False) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, "must be a list of non-empty strings")
        if nonempty and not value:
            self.fail(key, "must not be empty")
        return tuple(" ".join(v.split()) for v in value)


def _aliases(path: str, entity_id: str, raw: Any) -> tuple[Alias, ...]:
    if not isinstance(raw, list):
        msg = "must be a list of tables"
        raise ListFormatError(msg, path=path, entry=entity_id, field="aliases")
    out = []
    for number, item in enumerate(raw, 1):
        where = f"{entity_id} alias {number}"
        if not isinstance(item, dict):
            msg = "must be a table"
            raise ListFormatError(msg, path=path, entry=where, field="aliases")
        check = _Checker(path, item, _ALIAS_KEYS, where)
        kind = check.text("kind")
        if kind not in ALIAS_KINDS:
            check.fail("kind", f"{kind!r} is not one of {sorted(ALIAS_KINDS)}")
        out.append(Alias(name=check.text("name"), kind=kind, source=check.text("source")))
    return tuple(out)


def _entity(path: str, raw: Any, header: Mapping[str, str], number: int) -> ListedEntity:
    entry = str(raw.get("id", f"#{number}")) if isinstance(raw, dict) else f"#{number}"
    if not isinstance(raw, dict):
        msg = "must be a table"
        raise ListFormatError(msg, path=path, entry=entry)
    check = _Checker(path, raw, _ENTITY_KEYS, entry)
    entity_id = check.text("id")
    if not _ID.match(entity_id):
        check.fail("id", "may hold only letters, digits, '.', '_' and '-'")
    listed_on, removed_on = check.day("listed_on"), check.day("removed_on")
    if listed_on and removed_on and removed_on < listed_on:
        check.fail("removed_on", f"{removed_on} is before listed_on {listed_on}")
    return ListedEntity(
        id=entity_id,
        name=check.text("name"),
        list_code=check.text("code", default=header["code"]),
        list_name=check.text("list_name", default=header["list_name"]),
        aliases=_aliases(path, entity_id, raw.get("aliases", [])),
        entity_type=check.text("type", default="entity"),
        addresses=check.texts("addresses"),
        citations=check.texts("citations", nonempty=True),
        listed_on=listed_on,
        removed_on=removed_on,
        license=License(
            requirement=check.text("license_requirement"), policy=check.text("license_policy")
        ),
        programs=check.texts("programs"),
        remarks=check.text("remarks"),
        source_url=check.text("source_url"),
        sources=check.texts("sources", nonempty=True),
    )


def _exception(path: str, raw: Any, number: int) -> LicenseException:
    entry = str(raw.get("id", f"#{number}")) if isinstance(raw, dict) else f"#{number}"
    if not isinstance(raw, dict):
        msg = "must be a table"
        raise ListFormatError(msg, path=path, entry=entry)
    check = _Checker(path, raw, _EXCEPTION_KEYS, f"exception {entry}")
    return LicenseException(
        id=check.text("id"),
        entity_id=check.text("entity"),
        granted_by=check.text("granted_by"),
        granted_to=check.text("granted_to"),
        scope=check.text("scope"),
        purpose=check.text("purpose"),
        source=check.text("source"),
        applied_on=check.day("applied_on"),
        approved_on=check.day("approved_on"),
        valid_from=check.day("valid_from"),
        valid_to=check.day("valid_to"),
        source_url=check.text("source_url"),
        notes=check.text("notes"),
    )


def parse_list_bytes(data: bytes, *, path: str) -> ScreeningList:
    """Parse and validate a list file's content; ``path`` is only used in messages."""
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))  # (a BOM, as other loaders allow)
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 ({exc.reason})"
        raise ListFormatError(msg, path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        msg = f"not valid TOML: {exc}"
        raise ListFormatError(msg, path=path) from exc
    except RecursionError as exc:
        msg = "not a list file: nested too deeply to read"
        raise ListFormatError(msg, path=path) from exc
    for key in doc:
        if key not in ("list", "entity", "exception"):
            msg = "unknown top-level table"
            raise ListFormatError(msg, path=path, field=key)
    for key in ("entity", "exception"):
        if not isinstance(doc.get(key, []), list):
            msg = f"must be an array of tables, each [[{key}]]"
            raise ListFormatError(msg, path=path, field=key)
    if not isinstance(doc.get("list"), dict):
        msg = "the [list] header is missing"
        raise ListFormatError(msg, path=path, field="list")
    head = _Checker(path, doc["list"], _LIST_KEYS, "[list]")
    header = {"code": head.text("code"), "list_name": head.text("list_name")}
    version = head.day("version")
    entities = [_entity(path, raw, header, n) for n, raw in enumerate(doc.get("entity", []), 1)]
    by_id: dict[str, ListedEntity] = {}
    for entity in entities:
        if entity.id in by_id:
            msg = "repeated id"
            raise ListFormatError(msg, path=path, entry=entity.id, field="id")
        by_id[entity.id] = entity
    exceptions: dict[str, list[LicenseException]] = {}
    seen: set[str] = set()
    for number, raw in enumerate(doc.get("exception", []), 1):
        record = _exception(path, raw, number)
        if record.id in seen:
            msg = "repeated id"
            raise ListFormatError(msg, path=path, entry=record.id, field="id")
        seen.add(record.id)
        if record.entity_id not in by_id:
            msg = f"names no entity of this file: {record.entity_id!r}"
            raise ListFormatError(
                msg,
                path=path, entry=f"exception {record.id}", field="entity",
            )  # fmt: skip
        exceptions.setdefault(record.entity_id, []).append(record)
    final = tuple(
        attrs.evolve(e, exceptions=tuple(exceptions[e.id])) if e.id in exceptions else e
        for e in entities
    )
    return ScreeningList(
        name=head.text("name"),
        sha256=hashlib.sha256(data).hexdigest(),
        entities=final,
        version=version.isoformat() if version else None,
        source=head.text("source"),
    )


def load_list_file(path: str | Path) -> ScreeningList:
    """Load and validate one list file in partyscreen's TOML format; errors name its path."""
    path = Path(path)
    if not path.is_file():
        msg = f"no list file at {path}"
        raise ListNotFoundError(msg)
    return parse_list_bytes(path.read_bytes(), path=str(path))
