"""Scoring one query against one listed name: token alignment, weighted both ways.

Both names are token sequences from :func:`~partyscreen.normalize.normalize_name`. They are
aligned by *units*: a single token, or two adjacent tokens read as one ("Hik Vision" against
"Hikvision", "Sense Time" against "SenseTime"). Two units match when their edit distance
(with transpositions) is within :func:`max_edits` of their length; the match's similarity is
``1 - distance / length``. Every token takes the best similarity of any unit that covers it.

From those similarities and the token weights (see :mod:`partyscreen.weights`):

- ``query_coverage``: the share of the query's weight found in the listed name;
- ``name_coverage``: the share of the listed name's weight found in the query;
- ``symmetric``: both together, ``(matched query weight + matched name weight) / (all weight)``;
- ``containment``: :data:`CONTAINMENT_SCORE` times ``name_coverage``, when the listed name is
  distinctive enough (:data:`MIN_CONTAINED_WEIGHT`): the listed name stands whole inside a
  longer query ("speech recognition firm iFlytek Co").

The score is the larger of ``symmetric`` and ``containment``, in [0, 1], and 1.0 exactly when
both names have the same tokens.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from rapidfuzz.distance import OSA

from partyscreen.weights import TokenWeights

__all__ = [
    "CONTAINMENT_SCORE",
    "MIN_CONTAINED_WEIGHT",
    "Alignment",
    "Score",
    "align",
    "max_edits",
    "score_alignment",
    "token_similarity",
    "units",
]

#: Score given to a listed name found whole inside a longer query. Below the match threshold
#: and above the review threshold: a person should look ("Huawei Cloud Computing" holds
#: "Huawei"), but the extra words may well make it another party.
CONTAINMENT_SCORE = 0.8

#: Least total weight a listed name needs before containment counts: a name made of generic
#: words only (weight 0.5 each) is contained in too many queries to mean anything.
MIN_CONTAINED_WEIGHT = 2.0


def max_edits(length: int) -> int:
    """Edits tolerated between two units whose shorter one has ``length`` characters.

    Three letters or fewer must match exactly (acronyms: ZTE is not ZTC); one typo in four to
    seven letters ("Megvi", "Huawai"); two in eight to eleven ("Hikivsion"); three beyond.
    """
    if length <= 3:
        return 0
    if length <= 7:
        return 1
    if length <= 11:
        return 2
    return 3


def token_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two units; 0.0 when they are more than max_edits apart."""
    if a == b:
        return 1.0
    k = max_edits(min(len(a), len(b)))
    if k == 0 or abs(len(a) - len(b)) > k:
        return 0.0
    d = OSA.distance(a, b, score_cutoff=k)
    if d > k:
        return 0.0
    return 1.0 - d / max(len(a), len(b))


def units(tokens: Sequence[str]) -> list[tuple[int, int, str]]:
    """The units of a token sequence: ``(start, end, text)`` of each token and adjacent pair."""
    out = [(i, i + 1, t) for i, t in enumerate(tokens)]
    out.extend((i, i + 2, tokens[i] + tokens[i + 1]) for i in range(len(tokens) - 1))
    return out


#: A matched pair of units: query span, name span, similarity.
Alignment = tuple[int, int, int, int, float]


def align(query: Sequence[str], name: Sequence[str]) -> list[Alignment]:
    """Every pair of units with a non-zero similarity (a pair of two pairs is never needed)."""
    out: list[Alignment] = []
    for qs, qe, qt in units(query):
        for cs, ce, ct in units(name):
            if qe - qs == 2 and ce - cs == 2:
                continue
            sim = token_similarity(qt, ct)
            if sim > 0.0:
                out.append((qs, qe, cs, ce, sim))
    return out


@attrs.frozen
class Score:
    """A score and the features that made it."""

    score: float
    symmetric: float
    containment: float
    query_coverage: float
    name_coverage: float
    token_matches: tuple[tuple[str, str, float, float], ...]

    def features(self) -> dict[str, object]:
        return {
            "symmetric": round(self.symmetric, 4),
            "containment": round(self.containment, 4),
            "query_coverage": round(self.query_coverage, 4),
            "name_coverage": round(self.name_coverage, 4),
            "tokens": [
                {"query": q, "name": n, "similarity": round(s, 4), "weight": round(w, 4)}
                for q, n, s, w in self.token_matches
            ],
        }


def score_alignment(
    query: Sequence[str],
    name: Sequence[str],
    alignments: Sequence[Alignment],
    weights: TokenWeights,
    *,
    name_weights: Sequence[float] | None = None,
) -> Score:
    """Score a query against a listed name from their unit alignments."""
    qsim = [0.0] * len(query)
    nsim = [0.0] * len(name)
    best: dict[int, tuple[float, int, int, int, int]] = {}
    for qs, qe, cs, ce, sim in alignments:
        for i in range(qs, qe):
            if sim > qsim[i]:
                qsim[i] = sim
                best[i] = (sim, qs, qe, cs, ce)
        for j in range(cs, ce):
            nsim[j] = max(nsim[j], sim)
    qw = [weights.weight(t) for t in query]
    nw = list(name_weights) if name_weights is not None else [weights.weight(t) for t in name]
    wq, wn = sum(qw), sum(nw)
    a = sum(w * s for w, s in zip(qw, qsim, strict=True))
    b = sum(w * s for w, s in zip(nw, nsim, strict=True))
    symmetric = (a + b) / (wq + wn) if wq + wn else 0.0
    name_coverage = b / wn if wn else 0.0
    containment = CONTAINMENT_SCORE * name_coverage if wn >= MIN_CONTAINED_WEIGHT else 0.0
    matches = []
    for i in sorted(best):
        sim, qs, qe, cs, ce = best[i]
        matches.append((" ".join(query[qs:qe]), " ".join(name[cs:ce]), sim, qw[i]))
    return Score(
        score=min(1.0, max(symmetric, containment)),
        symmetric=symmetric,
        containment=containment,
        query_coverage=a / wq if wq else 0.0,
        name_coverage=name_coverage,
        token_matches=tuple(dict.fromkeys(matches)),
    )
