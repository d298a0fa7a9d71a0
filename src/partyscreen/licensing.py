"""Licences on record, a deal's context, and which licences cover a deal with a listed party.

A *deal* (:class:`Deal`) is what a screen may say about the transaction: the item's
classification (``EAR99`` or an ECCN), its purpose and its date. :func:`assess` checks each
licence, exception or approval on record for a matched entity (those its list file records and
those of the user's licences files) against the deal: in force on the deal's date, covering
the item's classification. What is recorded only as text (a scope in words, a purpose) is never
judged: it is shown as a condition for a reviewer. From the listed license requirement and
policy it also derives what the list says for that item
(:func:`partyscreen.license_terms.item_policy`). It reports what is on record; it does not give
legal advice.

The user's licences are read by :mod:`partyscreen.licencefile`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from partyscreen.errors import DealError
from partyscreen.license_terms import ItemPolicy, covers, item_policy, normalize_classification
from partyscreen.model import LicenseException, ListedEntity

__all__ = [
    "COVERAGE_STATES",
    "Coverage",
    "Deal",
    "RecordCheck",
    "assess",
    "check_record",
    "overall_coverage",
]

#: How a licence on record stands against a deal: every recorded fact fits the deal; some fact
#: that would decide it is not recorded or not given; or a recorded fact rules it out.
APPLIES, MAY_APPLY, DOES_NOT_APPLY = "applies", "may apply", "does not apply"

#: A match's coverage: a licence on record applies; one may apply; none does. A result with
#: several matches of different coverage is ``partly covered``.
COVERED, POSSIBLY_COVERED, NOT_COVERED = "covered", "possibly covered", "not covered"
PARTLY_COVERED = "partly covered"
COVERAGE_STATES = (COVERED, POSSIBLY_COVERED, NOT_COVERED, PARTLY_COVERED)

#: Where a record comes from: the list file that holds the entity, or a user's licences file.
FROM_LIST, FROM_LICENCES = "list", "licences file"

#: Said with every coverage.
COVERAGE_NOTE = (
    "Checks the licences and exceptions on record against the deal as given (date and item "
    "classification); purposes and scopes in words are for a reviewer to compare. Not legal advice."
)


def _classification(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return normalize_classification(value)
    except ValueError as exc:
        msg = f"deal classification: {exc}"
        raise DealError(msg) from exc


def _day(value: dt.date | str | None) -> dt.date | None:
    if isinstance(value, dt.datetime):  # (a date too, but not comparable with one)
        return value.date()
    if value is None or isinstance(value, dt.date):
        return value
    msg = f"deal date must be a date, or a string like 2020-02-24, not {value!r}"
    if not isinstance(value, str):
        raise DealError(msg)
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise DealError(msg) from exc


def _text(value: str | None) -> str:
    return " ".join(str(value or "").split())


@attrs.frozen
class Deal:
    """What a screen knows of the deal: item classification, purpose, date (all optional).

    ``classification`` is ``EAR99`` or an ECCN (``1A004.c``), normalised; ``date`` defaults to
    the date the screen is run as of.
    """

    classification: str | None = attrs.field(default=None, converter=_classification)
    purpose: str = attrs.field(default="", converter=_text)
    date: dt.date | None = attrs.field(default=None, converter=_day)

    def to_dict(self) -> dict[str, Any]:
        return {
            "classification": self.classification,
            "purpose": self.purpose or None,
            "date": self.date.isoformat() if self.date else None,
        }


@attrs.frozen
class RecordCheck:
    """One licence or exception on record, checked against a deal."""

    record: LicenseException
    origin: str
    status: str
    reasons: tuple[str, ...]
    conditions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.record.id,
            "origin": self.origin,
            "status": self.status,
            "reasons": list(self.reasons),
            "conditions": list(self.conditions),
        }


@attrs.frozen
class Coverage:
    """Whether the licences on record cover a deal with one matched entity, and why."""

    status: str
    deal: Deal
    day: dt.date
    checks: tuple[RecordCheck, ...]
    review_policy: ItemPolicy | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "date": self.day.isoformat(),
            "classification": self.deal.classification,
            "on_record": [c.to_dict() for c in self.checks],
            "review_policy": self.review_policy.to_dict() if self.review_policy else None,
            "note": COVERAGE_NOTE,
        }


def _check_dates(record: LicenseException, day: dt.date) -> tuple[list[str], list[str], bool]:
    facts: list[str] = []
    open_points: list[str] = []
    start, end = record.valid_from, record.valid_to
    ruled_out = False
    if start is not None and day < start:
        facts.append(f"not yet valid on {day}: valid from {start}")
        ruled_out = True
    elif start is None and record.approved_on is not None and day < record.approved_on:
        facts.append(f"not yet approved on {day}: approved on {record.approved_on}")
        ruled_out = True
    elif start is None and record.applied_on is not None and day < record.applied_on:
        facts.append(f"not yet applied for on {day}: applied for on {record.applied_on}")
        ruled_out = True
    if end is not None and day > end:
        facts.append(f"expired: valid to {end}, before {day}")
        ruled_out = True
    if not ruled_out:
        if start is not None and end is not None:
            facts.append(f"in force on {day}: valid from {start} to {end}")
        if start is None:
            open_points.append("start of validity not recorded")
        if end is None:
            open_points.append("end of validity not recorded")
    return facts, open_points, ruled_out


def _check_items(record: LicenseException, item: str | None) -> tuple[list[str], list[str], bool]:
    listed = ", ".join(record.items)
    if not record.items:
        return [], [f"items covered not recorded as classifications; scope: {record.scope}"], False
    if item is None:
        return [], [f"no item classification given for the deal; it covers {listed}"], False
    found = {named: covers(named, item) for named in record.items}
    inside = [named for named, hit in found.items() if hit]
    if inside:
        return [f"covers {item} (listed item {inside[0]})"], [], False
    partial = [named for named, hit in found.items() if hit is None]
    if partial:
        return [], [f"covers {', '.join(partial)}: part of {item}, depends on the item"], False
    return [f"out of scope: covers {listed}, not {item}"], [], True


def check_record(record: LicenseException, origin: str, deal: Deal, day: dt.date) -> RecordCheck:
    """Check one licence or exception on record against a deal dated ``day``."""
    date_facts, date_open, expired = _check_dates(record, day)
    item_facts, item_open, outside = _check_items(record, deal.classification)
    conditions = [f"purpose on record: {record.purpose}"]
    if deal.purpose:
        conditions.append(f"deal purpose as given: {deal.purpose} (for a reviewer to compare)")
    if expired or outside:
        status = DOES_NOT_APPLY
    elif date_open or item_open:
        status = MAY_APPLY
    else:
        status = APPLIES
    return RecordCheck(
        record=record,
        origin=origin,
        status=status,
        reasons=tuple(date_facts + item_facts + date_open + item_open),
        conditions=tuple(conditions),
    )


def assess(
    entity: ListedEntity, licences: Sequence[LicenseException], deal: Deal, day: dt.date
) -> Coverage:
    """Check the entity's exceptions on record and the user's licences for it against a deal."""
    records = [(r, FROM_LIST) for r in entity.exceptions] + [(r, FROM_LICENCES) for r in licences]
    checks = tuple(check_record(r, origin, deal, day) for r, origin in records)
    states = {c.status for c in checks}
    if APPLIES in states:
        status = COVERED
    elif MAY_APPLY in states:
        status = POSSIBLY_COVERED
    else:
        status = NOT_COVERED
    policy = None
    if deal.classification is not None:
        policy = item_policy(entity.license.requirement, entity.license.policy, deal.classification)
    return Coverage(status=status, deal=deal, day=day, checks=checks, review_policy=policy)


def overall_coverage(states: Iterable[str]) -> str | None:
    """One coverage for several matches: theirs when they agree, else ``partly covered``."""
    distinct = set(states)
    if not distinct:
        return None
    return distinct.pop() if len(distinct) == 1 else PARTLY_COVERED
