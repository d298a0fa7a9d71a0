"""Reviewed false positives: "this name is not that entity", recorded and applied to later screens.

A reviewer's decision is a :class:`Suppression`: the name screened, the entity (id and list
code), the sha256 of the entity's entry as it was reviewed (:attr:`ListedEntity.content_hash`),
who reviewed it, when, and why. Later screens of a name that normalises the same way show that
match as suppressed, with the record, instead of raising it; once the entry changes (its hash
differs) or the name does, the match is raised again, and the earlier review is shown beside it.

The decisions file is JSON Lines, one record per line, appended to by :func:`record_review`
(``partyscreen review``)::

    {"date": "2026-01-15", "entity": "EL-84FR54002-hikvision", "entity_hash": "<sha256>",
     "entity_name": "Hangzhou Hikvision ...", "list": "EL", "name": "Hik Trading Ltd",
     "reason": "...", "reviewer": "a.smith"}

(one line in the file). Every error names the file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any, NoReturn

import attrs

from partyscreen.errors import DecisionsFileError, EntityNotFoundError, ListNotFoundError
from partyscreen.model import ListedEntity, RecordFile
from partyscreen.normalize import normalize_name

__all__ = [
    "Decisions",
    "Suppression",
    "find_entity",
    "load_decisions",
    "parse_decisions_bytes",
    "record_review",
]

#: Fields of a decisions record: True when required.
FIELDS = {
    "name": True, "entity": True, "list": True, "entity_hash": True, "reviewer": True,
    "date": True, "reason": True, "entity_name": False,
}  # fmt: skip

#: A sha256 in hex, as ListedEntity.content_hash gives it.
HASH_RE = re.compile(r"^[0-9a-f]{64}$")
#: What ends a line of a decisions file: LF, CRLF or CR.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

#: The key a suppression is found by: (normalised name, entity id, list code case-folded).
Key = tuple[str, str, str]


@attrs.frozen
class Suppression:
    """One reviewed false positive: ``name`` is not the entity ``entity_id`` of ``list_code``."""

    name: str
    entity_id: str
    list_code: str
    entity_hash: str
    reviewer: str
    date: dt.date
    reason: str
    entity_name: str = ""

    @property
    def key(self) -> Key:
        # (The list code in any case, as --source takes it.)
        return (normalize_name(self.name).text, self.entity_id, self.list_code.casefold())

    def to_dict(self) -> dict[str, Any]:
        """The record as a decisions-file line holds it."""
        return {
            "name": self.name,
            "entity": self.entity_id,
            "list": self.list_code,
            "entity_hash": self.entity_hash,
            "entity_name": self.entity_name,
            "reviewer": self.reviewer,
            "date": self.date.isoformat(),
            "reason": self.reason,
        }


def _record(raw: Any, path: str, line: int) -> Suppression:
    def fail(field: str | None, message: str) -> NoReturn:
        raise DecisionsFileError(message, path=path, line=line, field=field)

    if not isinstance(raw, dict):
        fail(None, f"must be a JSON object, not {type(raw).__name__}")
    for key in raw:
        if key not in FIELDS:
            fail(key, f"unknown field (expected one of {sorted(FIELDS)})")
    values: dict[str, str] = {}
    for key, required in FIELDS.items():
        value = raw.get(key, "")
        if not isinstance(value, str):
            fail(key, f"must be a string, not {type(value).__name__}")
        if required and not value.strip():
            fail(key, "required field is missing or empty")
        values[key] = " ".join(value.split())
    if not normalize_name(values["name"]):
        fail("name", "nothing is left of the name after normalisation")
    if not HASH_RE.match(values["entity_hash"]):
        fail("entity_hash", "must be a sha256 in lower-case hex (64 characters)")
    try:
        day = dt.date.fromisoformat(values["date"])
    except ValueError:
        fail("date", f"must be a date like 2026-01-15, not {values['date']!r}")
    return Suppression(
        name=values["name"],
        entity_id=values["entity"],
        list_code=values["list"],
        entity_hash=values["entity_hash"],
        reviewer=values["reviewer"],
        date=day,
        reason=values["reason"],
        entity_name=values["entity_name"],
    )


def parse_decisions_bytes(data: bytes, *, path: str) -> tuple[Suppression, ...]:
    """Parse and validate a decisions file's content; blank lines are skipped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = data.count(b"\n", 0, exc.start) + 1
        msg = f"not UTF-8 (byte {exc.start})"
        raise DecisionsFileError(msg, path=path, line=at) from exc
    records = []
    # (Not str.splitlines: U+2028 and the like may stand inside a JSON string.)
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            msg = f"not a JSON object: {exc.msg}"
            raise DecisionsFileError(msg, path=path, line=number) from exc
        except (ValueError, RecursionError) as exc:
            msg = f"not a JSON object: {exc}"
            raise DecisionsFileError(msg, path=path, line=number) from exc
        records.append(_record(raw, path, number))
    return tuple(records)


@attrs.frozen
class Decisions:
    """Reviewed false positives, found by (normalised name, entity id, list code)."""

    records: tuple[Suppression, ...] = ()
    files: tuple[RecordFile, ...] = ()
    _by_key: Mapping[Key, tuple[Suppression, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_key: dict[Key, list[Suppression]] = {}
        for record in self.records:
            by_key.setdefault(record.key, []).append(record)
        object.__setattr__(self, "_by_key", {k: tuple(v) for k, v in by_key.items()})

    def review_of(
        self, normalized_name: str, entity: ListedEntity
    ) -> tuple[Suppression | None, tuple[Suppression, ...]]:
        """The review that suppresses this match, if any, and earlier reviews that lapsed.

        A review holds while the entity's entry is unchanged (same content hash); of several
        that hold, the latest (by date, then file order) is given. Reviews of the same name and
        entity made against another version of the entry are returned as lapsed.
        """
        found = self._by_key.get((normalized_name, entity.id, entity.list_code.casefold()), ())
        if not found:
            return None, ()
        current = entity.content_hash
        holding = [r for r in found if r.entity_hash == current]
        lapsed = tuple(r for r in found if r.entity_hash != current)
        latest = max(enumerate(holding), key=lambda pair: (pair[1].date, pair[0]), default=None)
        return (latest[1] if latest else None), lapsed


def load_decisions(paths: str | PathLike[str] | Iterable[str | PathLike[str]]) -> Decisions:
    """Read one decisions file or several; each is named, with its sha256, in every result."""
    if isinstance(paths, str | PathLike):
        paths = [paths]
    records: list[Suppression] = []
    files: list[RecordFile] = []
    for given in paths:
        path = Path(given)
        if not path.is_file():
            msg = f"no decisions file at {path}"
            raise ListNotFoundError(msg)
        data = path.read_bytes()
        found = parse_decisions_bytes(data, path=str(path))
        records.extend(found)
        files.append(
            RecordFile("decisions", str(path), hashlib.sha256(data).hexdigest(), len(found))
        )
    return Decisions(records=tuple(records), files=tuple(files))


def record_review(
    path: str | PathLike[str],
    *,
    name: str,
    entity: ListedEntity,
    reviewer: str,
    reason: str,
    day: dt.date | None = None,
) -> Suppression:
    """Append "``name`` is not ``entity``" to a decisions file (created if missing)."""
    record = Suppression(
        name=" ".join(name.split()),
        entity_id=entity.id,
        list_code=entity.list_code,
        entity_hash=entity.content_hash,
        reviewer=" ".join(reviewer.split()),
        date=day or dt.date.today(),
        reason=" ".join(reason.split()),
        entity_name=entity.name,
    )
    target = Path(path)
    existing = target.read_bytes() if target.exists() else b""
    parse_decisions_bytes(existing, path=str(target))  # (never append to a file none can read)
    prefix = "\n" if existing and not existing.endswith(b"\n") else ""
    line = json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True)
    number = existing.count(b"\n") + len(prefix) + 1
    _record(json.loads(line), str(target), number)  # the checks a reader will make
    with target.open("a", encoding="utf-8") as handle:
        handle.write(f"{prefix}{line}\n")
    return record


def find_entity(
    entities: Iterable[ListedEntity], entity_id: str, *, list_code: str | None = None
) -> ListedEntity:
    """The one entity with this id (and list code, if given); CSL ids repeat across lists."""
    found = [
        e
        for e in entities
        if e.id == entity_id
        and (list_code is None or e.list_code.casefold() == list_code.casefold())
    ]
    if len(found) == 1:
        return found[0]
    where = f" in list {list_code}" if list_code else ""
    if not found:
        msg = f"no listed entity has id {entity_id!r}{where}"
    elif list_code is not None:  # (one list loaded twice, or one id given twice in a list)
        msg = (
            f"{len(found)} entities have id {entity_id!r}{where}: is that list loaded from more "
            "than one file?"
        )
    else:
        codes = ", ".join(sorted(e.list_code for e in found))
        msg = f"{len(found)} entities have id {entity_id!r} (lists {codes}): give the list code"
    raise EntityNotFoundError(msg)
