"""What a screen returns: the decision and the matches, each with its listing and licence facts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import attrs

from partyscreen.license_terms import parse_policy, parse_requirement
from partyscreen.licensing import Coverage, Deal, overall_coverage
from partyscreen.model import License, LicenseException, ListedEntity, RecordFile, ScreeningList
from partyscreen.scoring import Score
from partyscreen.suppression import Suppression

__all__ = ["DECISIONS", "Match", "ScreeningResult"]

#: The decisions a result can carry, weakest first.
DECISIONS = ("clear", "review", "match")

#: Said in every result: it reports what is on record and is not legal advice.
DISCLAIMER = (
    "partyscreen reports list entries and licences on record; it is not legal advice. "
    "A reviewer decides."
)


def license_dict(listed: License) -> dict[str, Any]:
    """A listing's license requirement and policy as listed, and in structured form."""
    return {
        **listed.to_dict(),
        "structured": {
            "requirement": parse_requirement(listed.requirement).to_dict(),
            "policy": parse_policy(listed.policy).to_dict(),
            "note": "read by partyscreen from the listed text, which is authoritative",
        },
    }


@attrs.frozen
class Match:
    """One listed entity a query matched, through one of its names.

    ``suppressed`` is the review that marked this name as not this entity (the match is shown
    but does not drive the decision); ``earlier_reviews`` are reviews of the same name and
    entity made against an earlier version of the entry, which no longer hold. ``licences``
    are the user's licences on record for the entity (its list's exceptions are on the
    entity); ``coverage`` checks them all against the deal.
    """

    entity: ListedEntity
    matched_name: str
    matched_name_kind: str
    score: float
    decision: str
    normalized_query: str
    normalized_name: str
    detail: Score
    suppressed: Suppression | None = None
    earlier_reviews: tuple[Suppression, ...] = ()
    licences: tuple[LicenseException, ...] = ()
    coverage: Coverage | None = None

    def explanation(self) -> dict[str, Any]:
        return {
            "matched_name_kind": self.matched_name_kind,
            "normalized_query": self.normalized_query,
            "normalized_name": self.normalized_name,
            "features": self.detail.features(),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity.to_dict(),
            "matched_name": self.matched_name,
            "score": round(self.score, 4),
            "decision": self.decision,
            "explanation": self.explanation(),
            "license": license_dict(self.entity.license),
            "exceptions": [e.to_dict() for e in self.entity.exceptions],
            "licences": [e.to_dict() for e in self.licences],
            "coverage": self.coverage.to_dict() if self.coverage else None,
            "suppressed": self.suppressed.to_dict() if self.suppressed else None,
            "earlier_reviews": [r.to_dict() for r in self.earlier_reviews],
            "entity_hash": self.entity.content_hash,
        }


@attrs.frozen
class ScreeningResult:
    """The answer to one screen: a decision, the matches best first, and the audit facts.

    ``decision`` is that of the best match not suppressed by a review (``clear`` when none);
    ``screened_at`` is when (UTC); ``files`` are the licences and decisions files in use;
    ``restricted_to`` says when only part of the lists' entities could match.
    """

    query: str
    decision: str
    matches: tuple[Match, ...]
    as_of: date
    lists: tuple[ScreeningList, ...]
    settings: dict[str, Any]
    version: str
    deal: Deal | None = None
    files: tuple[RecordFile, ...] = ()
    restricted_to: str | None = None
    screened_at: datetime = attrs.field(factory=lambda: datetime.now(UTC))

    @property
    def best(self) -> Match | None:
        """The best match raised (not suppressed), or None."""
        return next((m for m in self.matches if m.suppressed is None), None)

    @property
    def suppressed(self) -> tuple[Match, ...]:
        """The matches a review suppressed: shown, counted, not raised."""
        return tuple(m for m in self.matches if m.suppressed is not None)

    @property
    def coverage(self) -> str | None:
        """The licence coverage of the raised matches (None when none is raised)."""
        return overall_coverage(
            m.coverage.status for m in self.matches if m.suppressed is None and m.coverage
        )

    def __bool__(self) -> bool:
        """True when the query needs attention (review or match)."""
        return self.decision != "clear"

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "decision": self.decision,
            "coverage": self.coverage,
            "suppressed_matches": len(self.suppressed),
            "as_of": self.as_of.isoformat(),
            "deal": self.deal.to_dict() if self.deal else None,
            "matches": [m.to_dict() for m in self.matches],
            "lists": [
                {"name": sl.name, "version": sl.version, "sha256": sl.sha256, "source": sl.source}
                for sl in self.lists
            ],
            "files": [f.to_dict() for f in self.files],
            "restricted_to": self.restricted_to,
            "settings": self.settings,
            "partyscreen_version": self.version,
            "screened_at": self.screened_at.isoformat(timespec="seconds"),
            "disclaimer": DISCLAIMER,
        }
