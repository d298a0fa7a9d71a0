"""What a screen returns: the decision and the matches, each with its listing and licence facts."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from partyscreen.model import ListedEntity, ScreeningList
from partyscreen.scoring import Score

__all__ = ["DECISIONS", "Match", "ScreeningResult"]

#: The decisions a result can carry, weakest first.
DECISIONS = ("clear", "review", "match")

#: Said in every result: it reports what is on record and is not legal advice.
DISCLAIMER = (
    "partyscreen reports list entries and licences on record; it is not legal advice. "
    "A reviewer decides."
)


@attrs.frozen
class Match:
    """One listed entity a query matched, through one of its names."""

    entity: ListedEntity
    matched_name: str
    matched_name_kind: str
    score: float
    decision: str
    normalized_query: str
    normalized_name: str
    detail: Score

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
            "license": self.entity.license.to_dict(),
            "exceptions": [e.to_dict() for e in self.entity.exceptions],
        }


@attrs.frozen
class ScreeningResult:
    """The answer to one screen: a decision, the matches best first, and the audit facts."""

    query: str
    decision: str
    matches: tuple[Match, ...]
    as_of: date
    lists: tuple[ScreeningList, ...]
    settings: dict[str, Any]
    version: str

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def __bool__(self) -> bool:
        """True when the query needs attention (review or match)."""
        return self.decision != "clear"

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "decision": self.decision,
            "as_of": self.as_of.isoformat(),
            "matches": [m.to_dict() for m in self.matches],
            "lists": [
                {"name": sl.name, "version": sl.version, "sha256": sl.sha256, "source": sl.source}
                for sl in self.lists
            ],
            "settings": self.settings,
            "partyscreen_version": self.version,
            "disclaimer": DISCLAIMER,
        }
