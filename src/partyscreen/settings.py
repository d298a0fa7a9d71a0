"""Matcher settings: the decision thresholds, named and documented, recorded in every result."""

from __future__ import annotations

from typing import Any

import attrs

from partyscreen import scoring, weights

__all__ = ["DEFAULT_LIMIT", "MATCH_THRESHOLD", "REVIEW_THRESHOLD", "MatchSettings"]

#: At or above this score a result is ``review``: plausible, a person should look. Typos of a
#: distinctive name ("Hikivision", "Megvi"), a listed name inside a longer one (containment
#: scores 0.8) and a Chinese short name against the full legal name land here; a query that
#: shares only generic and place words with a listed name ("Hangzhou Digital Technology")
#: stays below it.
REVIEW_THRESHOLD = 0.75

#: At or above this score a result is ``match``: the same name up to normalisation, or one typo
#: in a long distinctive name.
MATCH_THRESHOLD = 0.9

#: How many matches a result lists by default, best first.
DEFAULT_LIMIT = 5


@attrs.frozen
class MatchSettings:
    """The settings a screen ran with; ``to_dict`` goes into every result for the audit trail."""

    review_threshold: float = REVIEW_THRESHOLD
    match_threshold: float = MATCH_THRESHOLD

    def with_threshold(self, threshold: float | None) -> MatchSettings:
        """Settings with a caller's review threshold (the match threshold never drops below it)."""
        if threshold is None:
            return self
        if not 0.0 <= threshold <= 1.0:
            msg = f"threshold must lie in [0, 1], not {threshold!r}"
            raise ValueError(msg)
        return MatchSettings(
            review_threshold=threshold, match_threshold=max(threshold, self.match_threshold)
        )

    def decide(self, score: float) -> str:
        if score >= self.match_threshold:
            return "match"
        if score >= self.review_threshold:
            return "review"
        return "clear"

    def to_dict(self) -> dict[str, Any]:
        return {
            "review_threshold": self.review_threshold,
            "match_threshold": self.match_threshold,
            "containment_score": scoring.CONTAINMENT_SCORE,
            "min_contained_weight": scoring.MIN_CONTAINED_WEIGHT,
            "generic_weight": weights.GENERIC_WEIGHT,
        }
