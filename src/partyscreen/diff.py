"""Changes between two versions of a list: entities added, removed and changed, field by field.

Entities are paired by (list code, id) first. Files of the CSL's 2019 layout carry no ``_id``
and the loader derives ids from content, so an entity whose entry changed gets a new id there;
entities left unpaired by id are then paired by (list code, normalised primary name). Where a
key is shared by several entities on a side, those with identical content pair first, and a
single one left on each side pairs next; the rest count as added and removed. Each change says
which key paired it.

:func:`changed_entity_keys` gives the (list code, id) keys of what is new or changed, for
re-screening against only those (:meth:`partyscreen.Screener.restricted_to`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import attrs

from partyscreen.model import ListedEntity, ScreeningList
from partyscreen.normalize import normalize_name

__all__ = ["EntityChange", "FieldChange", "ListDiff", "changed_entity_keys", "diff_lists"]

#: The keys entities are paired by, in the order tried.
BY_ID, BY_NAME = "id", "name"

#: Entry fields left out of the comparison: the id is the pairing key, not content.
NOT_COMPARED = ("id",)


def _content(entity: ListedEntity) -> dict[str, Any]:
    data = entity.to_dict(full=True)
    for field in NOT_COMPARED:
        data.pop(field, None)
    return data


def _signature(entity: ListedEntity) -> str:
    return json.dumps(_content(entity), sort_keys=True, ensure_ascii=False)


@attrs.frozen
class FieldChange:
    """One field of an entry, before and after."""

    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@attrs.frozen
class EntityChange:
    """An entity in both versions whose entry differs (or whose id alone differs)."""

    old: ListedEntity
    new: ListedEntity
    matched_by: str
    fields: tuple[FieldChange, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.new.list_code, self.new.id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "list": self.new.list_code,
            "id": self.new.id,
            "old_id": self.old.id,
            "name": self.new.name,
            "matched_by": self.matched_by,
            "fields": [f.to_dict() for f in self.fields],
        }


def _field_changes(old: ListedEntity, new: ListedEntity) -> tuple[FieldChange, ...]:
    before, after = _content(old), _content(new)
    changed = [k for k in sorted(before.keys() | after.keys()) if before.get(k) != after.get(k)]
    if "aliases" in changed and "alias_kinds" in changed:
        changed.remove("alias_kinds")  # the same change, seen twice
    return tuple(FieldChange(k, before.get(k), after.get(k)) for k in changed)


@attrs.frozen
class ListDiff:
    """What changed from one version of a list to another."""

    old: ScreeningList
    new: ScreeningList
    added: tuple[ListedEntity, ...]
    removed: tuple[ListedEntity, ...]
    changed: tuple[EntityChange, ...]
    unchanged: int
    #: Entities paired by name whose entry is the same but whose id differs (in ``unchanged``).
    reidentified: tuple[EntityChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "counts": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "unchanged": self.unchanged,
                "reidentified": len(self.reidentified),
            },
            "added": [e.to_dict() for e in self.added],
            "removed": [e.to_dict() for e in self.removed],
            "changed": [c.to_dict() for c in self.changed],
            "reidentified": [
                {"list": c.new.list_code, "old_id": c.old.id, "id": c.new.id, "name": c.new.name}
                for c in self.reidentified
            ],
        }

    def to_text(self) -> str:
        """A readable report: counts, then each entity added, removed and changed."""
        lines = []
        for label, sl in (("old", self.old), ("new", self.new)):
            lines.append(
                f"{label}: {sl.source or sl.name} (version {sl.version or 'unknown'}, "
                f"{len(sl.entities)} entities, sha256 {sl.sha256[:16]}...)"
            )
        lines.append(
            f"added {len(self.added)}, removed {len(self.removed)}, changed {len(self.changed)}, "
            f"unchanged {self.unchanged} ({len(self.reidentified)} of them under a new id)"
        )
        for mark, entities in (("+", self.added), ("-", self.removed)):
            lines.extend(f"{mark} [{e.list_code}] {e.id}  {e.name}" for e in entities)
        for change in self.changed:
            new = change.new
            renamed = f", was id {change.old.id}" if change.old.id != new.id else ""
            lines.append(
                f"~ [{new.list_code}] {new.id}  {new.name}  (paired by {change.matched_by}"
                f"{renamed})"
            )
            for f in change.fields:
                old = json.dumps(f.old, ensure_ascii=False)
                lines.append(f"    {f.field}: {old} -> {json.dumps(f.new, ensure_ascii=False)}")
        return "\n".join(lines)


def _pair(
    olds: Sequence[ListedEntity],
    news: Sequence[ListedEntity],
    old_left: Sequence[int],
    new_left: Sequence[int],
    key: Callable[[ListedEntity], Hashable | None],
) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of entities sharing ``key``, as the module docstring says."""
    old_groups: dict[Hashable, list[int]] = {}
    new_groups: dict[Hashable, list[int]] = {}
    for groups, entities, left in ((old_groups, olds, old_left), (new_groups, news, new_left)):
        for number in left:
            k = key(entities[number])
            if k is not None:
                groups.setdefault(k, []).append(number)
    pairs: list[tuple[int, int]] = []
    for k, old_numbers in old_groups.items():
        new_numbers = list(new_groups.get(k, ()))
        if not new_numbers:
            continue
        rest: list[int] = []
        if len(old_numbers) > 1 or len(new_numbers) > 1:
            by_signature: dict[str, list[int]] = {}
            for number in new_numbers:
                by_signature.setdefault(_signature(news[number]), []).append(number)
            for number in old_numbers:
                same = by_signature.get(_signature(olds[number]))
                if same:
                    partner = same.pop(0)
                    new_numbers.remove(partner)
                    pairs.append((number, partner))
                else:
                    rest.append(number)
        else:
            rest = list(old_numbers)
        if len(rest) == 1 and len(new_numbers) == 1:
            pairs.append((rest[0], new_numbers[0]))
    return pairs


def _id_key(entity: ListedEntity) -> Hashable:
    return (entity.list_code, entity.id)


def _name_key(entity: ListedEntity) -> Hashable | None:
    text = normalize_name(entity.name).text
    return (entity.list_code, text) if text else None


def _order(entity: ListedEntity) -> tuple[str, str, str]:
    return (entity.list_code, entity.name, entity.id)


def diff_lists(old: ScreeningList, new: ScreeningList) -> ListDiff:
    """Entities added, removed and changed from ``old`` to ``new``."""
    olds, news = old.entities, new.entities
    old_left, new_left = list(range(len(olds))), list(range(len(news)))
    changed: list[EntityChange] = []
    reidentified: list[EntityChange] = []
    unchanged = 0
    for matched_by, key in ((BY_ID, _id_key), (BY_NAME, _name_key)):
        pairs = _pair(olds, news, old_left, new_left, key)
        for o, n in pairs:
            change = EntityChange(olds[o], news[n], matched_by, _field_changes(olds[o], news[n]))
            if change.fields:
                changed.append(change)
            else:
                unchanged += 1
                if olds[o].id != news[n].id:
                    reidentified.append(change)
        paired_old, paired_new = {o for o, _ in pairs}, {n for _, n in pairs}
        old_left = [o for o in old_left if o not in paired_old]
        new_left = [n for n in new_left if n not in paired_new]
    return ListDiff(
        old=old,
        new=new,
        added=tuple(sorted((news[n] for n in new_left), key=_order)),
        removed=tuple(sorted((olds[o] for o in old_left), key=_order)),
        changed=tuple(sorted(changed, key=lambda c: _order(c.new))),
        unchanged=unchanged,
        reidentified=tuple(sorted(reidentified, key=lambda c: _order(c.new))),
    )


def changed_entity_keys(old: ScreeningList, new: ScreeningList) -> frozenset[tuple[str, str]]:
    """(list code, id) of every entity of ``new`` that is added or changed since ``old``."""
    found = diff_lists(old, new)
    return frozenset((e.list_code, e.id) for e in found.added) | {c.key for c in found.changed}
