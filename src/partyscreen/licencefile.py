"""The user's licences files: TOML, one ``[[licence]]`` table per licence, validated on load.

A licence names the listed entity it is for by id (and, optionally, list code: CSL ids repeat
across source lists), who granted it, its scope in words and the classifications it covers
(``items``: ``EAR99`` or ECCNs), its purpose and its validity (``valid_from`` and ``valid_to``,
both days included). Every error names the file, the licence and the field. The records are
:class:`~partyscreen.model.LicenseException` objects, checked against deals by
:mod:`partyscreen.licensing`.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from partyscreen.errors import LicenceFileError, ListNotFoundError
from partyscreen.license_terms import normalize_classification
from partyscreen.listfile import _Checker
from partyscreen.model import LicenseException, ListedEntity, RecordFile

__all__ = ["Licences", "load_licences", "parse_licences_bytes"]

#: Fields of a ``[[licence]]`` table: True when required.
_LICENCE_KEYS = {
    "number": True, "entity": True, "list": False, "granted_by": True, "granted_to": False,
    "scope": True, "items": False, "purpose": True, "valid_from": True, "valid_to": True,
    "approved_on": False, "source": False, "notes": False,
}  # fmt: skip


class _LicenceChecker(_Checker):
    def fail(self, field: str, message: str) -> None:
        raise LicenceFileError(message, path=self.path, entry=self.entry, field=field)


def _licence(path: str, raw: Any, number: int) -> LicenseException:
    if not isinstance(raw, dict):
        msg = "must be a table"
        raise LicenceFileError(msg, path=path, entry=f"licence #{number}")
    check = _LicenceChecker(path, raw, _LICENCE_KEYS, f"licence {raw.get('number', f'#{number}')}")
    items = check.texts("items")
    try:
        items = tuple(normalize_classification(i) for i in items)
    except ValueError as exc:
        check.fail("items", str(exc))
    valid_from, valid_to = check.day("valid_from"), check.day("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        check.fail("valid_to", f"{valid_to} is before valid_from {valid_from}")
    return LicenseException(
        id=check.text("number"),
        entity_id=check.text("entity"),
        list_code=check.text("list"),
        granted_by=check.text("granted_by"),
        granted_to=check.text("granted_to"),
        scope=check.text("scope"),
        items=items,
        purpose=check.text("purpose"),
        valid_from=valid_from,
        valid_to=valid_to,
        approved_on=check.day("approved_on"),
        source=check.text("source", default=f"licences file {path}"),
        notes=check.text("notes"),
    )


def parse_licences_bytes(data: bytes, *, path: str) -> tuple[LicenseException, ...]:
    """Parse and validate a licences file; ``path`` is only used in messages.

    The file holds ``[[licence]]`` tables with ``number``, ``entity`` (the listed entity's id),
    ``granted_by``, ``scope``, ``purpose``, ``valid_from`` and ``valid_to`` (TOML dates, both
    inclusive), and optionally ``list`` (the entity's list code), ``granted_to``, ``items``
    (classifications covered: ``EAR99`` or ECCNs), ``approved_on``, ``source`` and ``notes``.
    """
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))  # (a BOM, as other loaders allow)
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 ({exc.reason})"
        raise LicenceFileError(msg, path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        msg = f"not valid TOML: {exc}"
        raise LicenceFileError(msg, path=path) from exc
    except RecursionError as exc:
        msg = "not a licences file: nested too deeply to read"
        raise LicenceFileError(msg, path=path) from exc
    for key in doc:
        if key != "licence":
            msg = "unknown top-level key (expected [[licence]] tables)"
            raise LicenceFileError(msg, path=path, field=key)
    raw = doc.get("licence", [])
    if not isinstance(raw, list):
        msg = "must be an array of tables: [[licence]]"
        raise LicenceFileError(msg, path=path, field="licence")
    records = tuple(_licence(path, item, n) for n, item in enumerate(raw, 1))
    seen: set[tuple[str, str, str]] = set()
    for record in records:
        ident = (record.id, record.entity_id, record.list_code)
        if ident in seen:
            msg = "the same licence number is recorded twice for this entity"
            raise LicenceFileError(msg, path=path, entry=f"licence {record.id}", field="number")
        seen.add(ident)
    return records


@attrs.frozen
class Licences:
    """The licences read from users' licences files, found by entity."""

    records: tuple[LicenseException, ...] = ()
    files: tuple[RecordFile, ...] = ()
    _by_entity: Mapping[str, tuple[LicenseException, ...]] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        by_entity: dict[str, list[LicenseException]] = {}
        for record in self.records:
            by_entity.setdefault(record.entity_id, []).append(record)
        object.__setattr__(self, "_by_entity", {k: tuple(v) for k, v in by_entity.items()})

    def for_entity(self, entity: ListedEntity) -> tuple[LicenseException, ...]:
        """The licences naming this entity (and its list, where a licence names one, in any
        case: "el" is the Entity List, as ``--source el`` is)."""
        code = entity.list_code.casefold()
        return tuple(
            r
            for r in self._by_entity.get(entity.id, ())
            if not r.list_code or r.list_code.casefold() == code
        )

    def unattached(self, entities: Iterable[ListedEntity]) -> tuple[LicenseException, ...]:
        """The licences that name none of these entities (a typo, or another list's id)."""
        attached = {id(r) for e in entities for r in self.for_entity(e)}
        return tuple(r for r in self.records if id(r) not in attached)


def load_licences(paths: Iterable[str | PathLike[str]]) -> Licences:
    """Read licences files; each one is named, with its sha256, in every result."""
    records: list[LicenseException] = []
    files: list[RecordFile] = []
    for given in paths:
        path = Path(given)
        if not path.is_file():
            msg = f"no licences file at {path}"
            raise ListNotFoundError(msg)
        data = path.read_bytes()
        found = parse_licences_bytes(data, path=str(path))
        records.extend(found)
        sha256 = hashlib.sha256(data).hexdigest()
        files.append(RecordFile("licences", str(path), sha256, len(found)))
    return Licences(records=tuple(records), files=tuple(files))
