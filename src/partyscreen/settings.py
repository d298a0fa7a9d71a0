"""Matcher settings: the decision thresholds, named and documented, recorded in every result."""

from __future__ import annotations

from typing import Any

import attrs

from partyscreen import scoring, weights
from partyscreen.errors import OptionError

__all__ = [
    "DEFAULT_LIMIT",
    "MATCH_THRESHOLD",
    "ORG_VS_INDIVIDUAL",
    "REVIEW_THRESHOLD",
    "WITHOUT_SHORT_GROUP",
    "MatchSettings",
]

#: At or above this score a result is ``review``: plausible, a person should look. Typos of a
#: distinctive name ("Hikivision", "Megvi"), a listed name inside a longer one (containment
#: scores 0.8) and a Chinese short name against the full legal name land here; a query that
#: shares only generic and place words with a listed name ("Hangzhou Digital Technology")
#: stays below it.
REVIEW_THRESHOLD = 0.75

#: At or above this score a result is ``match``: the same name up to normalisation, or one typo
#: in a long distinctive name.
MATCH_THRESHOLD = 0.9

#: Factor on the score of an individual's name when the query carries a legal form ("Inc.",
#: "Co., Ltd.", "股份有限公司"): a company is not a person. Set so that a person's name matched
#: exactly stays at review (0.8) while a near miss ("Snail, Inc." against the SDN alias
#: "SMAIL", 0.8 before) falls below it.
ORG_VS_INDIVIDUAL = 0.8

#: Factor on a score reached by reading the query, or the listed name, without a short word in
#: parentheses (see :func:`~partyscreen.normalize.query_readings`), once for each side so
#: read: that side said more than the other, and may name a subsidiary of the other ("Huawei
#: Technologies (UK) Co., Ltd." read as Huawei). Set so that a name matched whole that way
#: lands in review (0.85), as a misspelt name does ("Higher Institute of Applied Science and
#: Technology (HImAST)", 0.39 before), while "PJSC VTB Bank (Kiev) Holdings" read as "VTB Bank
#: Holdings" (0.77 against PJSC Bank VVB) and two sides both so read ("(HZ)" against
#: "(Thailand)", 0.72) fall below it. (A country in parentheses closing a query weighs little
#: read whole too: "(UK)" against the listed name read without "(Thailand)" is 0.82.)
WITHOUT_SHORT_GROUP = 0.85

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
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, int | float)
            or not 0.0 <= threshold <= 1.0
        ):
            msg = f"threshold must be a number in [0, 1], not {threshold!r}"
            raise OptionError(msg)
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
            "generic_weight": weights.GENERIC_WEIGHT,
            "conflict_weight": scoring.CONFLICT_WEIGHT,
            "common_word_weight": scoring.COMMON_WORD_WEIGHT,
            "min_contained_letters": scoring.MIN_CONTAINED_LETTERS,
            "min_contained_letters_beside_generic": scoring.MIN_CONTAINED_LETTERS_BESIDE_GENERIC,
            "pair_max_edits": scoring.PAIR_MAX_EDITS,
            "typo_cost": scoring.TYPO_COST,
            "first_letter_cost": scoring.FIRST_LETTER_COST,
            "skeleton_similarity": scoring.SKELETON_SIMILARITY,
            "cut_similarity": scoring.CUT_SIMILARITY,
            "cut_word_letters": scoring.CUT_WORD_LETTERS,
            "query_long_word_letters": scoring.QUERY_LONG_WORD_LETTERS,
            "org_vs_individual": ORG_VS_INDIVIDUAL,
            "without_short_group": WITHOUT_SHORT_GROUP,
        }
