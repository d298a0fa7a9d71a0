"""Candidate search: find the listed names a query could match without comparing it with all.

The index keeps a vocabulary of every *unit* of every listed name (each token, and each pair of
adjacent tokens read as one; see :mod:`partyscreen.scoring`), with postings that say which
names hold the unit and where. A query's units are looked up in the vocabulary: exactly, and
within :func:`~partyscreen.scoring.max_edits` by rapidfuzz over the vocabulary words of
compatible length only. The look-up yields, for every name that shares anything with the
query, the very unit alignments :func:`~partyscreen.scoring.align` would compute by brute
force, so no candidate is lost and no pair of strings is compared twice.

The vocabulary grows far slower than the list (names share words), and the per-query cost is
one fuzzy look-up per query unit plus the postings of the units found.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from partyscreen.scoring import (
    CONTAINMENT_SCORE,
    PAIR_MAX_EDITS,
    Alignment,
    max_edits,
    token_similarity,
    units,
)
from partyscreen.weights import GENERIC_WEIGHT, TokenWeights

__all__ = ["LOOKUP_CACHE_SIZE", "NameIndex"]

#: Fuzzy look-ups cached per index: batch queries repeat words ("technology", "inc") a lot.
LOOKUP_CACHE_SIZE = 1 << 16

#: A posting: (name number, start, end) of a unit in that name.
Posting = tuple[int, int, int]


def _deletions(word: str) -> set[str]:
    """The word and every string made by deleting one of its letters."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


class NameIndex:
    """An index over normalised names (token tuples), numbered in the order given.

    Postings of *light* units (generic words, weight at most
    :data:`~partyscreen.weights.GENERIC_WEIGHT`) are sorted by the weight of the rest of each
    name. A name that shares only light words with a query cannot score above a bound that
    falls as that rest grows (:meth:`_light_cutoff`), so :meth:`candidates` reads such a
    posting list only as far as the bound allows: "Technology" no longer pulls in every
    technology company of the list, and nothing that could reach the threshold is lost.
    """

    def __init__(self, names: Sequence[tuple[str, ...]]) -> None:
        self.names: tuple[tuple[str, ...], ...] = tuple(names)
        self.weights = TokenWeights.from_token_sets(self.names)
        self.name_weights: tuple[tuple[float, ...], ...] = tuple(
            tuple(self.weights.weight(t) for t in name) for name in self.names
        )
        self.name_totals: tuple[float, ...] = tuple(sum(w) for w in self.name_weights)
        light_weight: list[float] = []
        heavy_weight: list[float] = []
        for weights in self.name_weights:
            light_weight.append(sum(w for w in weights if w <= GENERIC_WEIGHT))
            heavy_weight.append(sum(w for w in weights if w > GENERIC_WEIGHT))
        self._units: tuple[tuple[tuple[int, int, str], ...], ...] = tuple(
            tuple(units(name)) for name in self.names
        )
        postings: dict[str, list[Posting]] = defaultdict(list)
        light_words: set[str] = set()
        for number, name_units in enumerate(self._units):
            weights = self.name_weights[number]
            for start, end, text in name_units:
                postings[text].append((number, start, end))
                if all(w <= GENERIC_WEIGHT for w in weights[start:end]):
                    light_words.add(text)
        self.postings: dict[str, tuple[Posting, ...]] = {}
        # For light words: postings sorted by the name's heavy weight, that weight beside
        # each, and the largest light weight of any of those names.
        self._light: dict[str, tuple[tuple[float, ...], float]] = {}
        for word, found in postings.items():
            if word in light_words:
                found.sort(key=lambda p: heavy_weight[p[0]])
                self._light[word] = (
                    tuple(heavy_weight[p[0]] for p in found),
                    max(light_weight[p[0]] for p in found),
                )
            self.postings[word] = tuple(found)
        # Fuzzy look-up structures over single tokens (pairs are joined split words and only
        # ever match exactly): every token and each of its one-letter deletions, which finds
        # all tokens one edit away without a scan (a deletion neighbourhood, as in SymSpell);
        # and the long tokens by length, scanned for two or three edits.
        tokens = {t for name in self.names for t in name}
        deletions: dict[str, list[str]] = defaultdict(list)
        long_by_length: dict[int, list[str]] = defaultdict(list)
        for token in tokens:
            if max_edits(len(token)) == 0:
                continue
            for key in _deletions(token):
                deletions[key].append(token)
            if max_edits(len(token)) >= 2:
                long_by_length[len(token)].append(token)
        self._deletions: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in deletions.items()}
        self._long = {n: tuple(sorted(words)) for n, words in long_by_length.items()}
        self.similar = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._similar)

    def __len__(self) -> int:
        return len(self.names)

    def _similar(self, unit: str) -> tuple[tuple[str, int, float], ...]:
        """Vocabulary words ``unit`` may match: (word, distance, similarity).

        Exact matches of any unit; for a single token, also the tokens within max_edits.
        """
        found: dict[str, tuple[str, int, float]] = {}
        if unit in self.postings:
            found[unit] = (unit, 0, 1.0)
        n = len(unit)
        if max_edits(n) == 0:
            return tuple(found.values())
        for key in _deletions(unit):
            for word in self._deletions.get(key, ()):
                if word not in found and OSA.distance(unit, word, score_cutoff=1) == 1:
                    found[word] = (word, 1, token_similarity(unit, word))
        if max_edits(n) >= 2:
            for length, words in self._long.items():
                k = max_edits(min(n, length))
                if abs(length - n) > k:
                    continue
                hits = process.extract(unit, words, scorer=OSA.distance, score_cutoff=k, limit=None)
                for word, dist, _idx in hits:
                    if dist >= 2 and word not in found:
                        found[word] = (word, int(dist), token_similarity(unit, word))
        return tuple(found.values())

    @staticmethod
    def _light_cutoff(light_q: float, heavy_q: float, light_n: float, threshold: float) -> float:
        """Largest heavy weight a name may have and still reach ``threshold`` on light words.

        With only light words matched, a query whose light part weighs at most ``light_q`` and
        whose heavy part at least ``heavy_q``, against a name of light weight at most
        ``light_n`` and heavy weight ``h``, scores at most the largest of
        ``(light_q + light_n) / (light_q + heavy_q + light_n + h)`` (symmetric),
        ``CONTAINMENT_SCORE * light_n / (light_n + h)`` (the name inside the query) and
        ``CONTAINMENT_SCORE * light_q / (light_q + heavy_q)`` (the query inside the name).
        All fall as ``h`` grows; this solves each for ``h``.
        """
        if threshold <= 0.0:
            return math.inf
        if light_q + heavy_q > 0 and CONTAINMENT_SCORE * light_q / (light_q + heavy_q) >= threshold:
            return math.inf
        symmetric = (light_q + light_n) / threshold - (light_q + heavy_q + light_n)
        contained = CONTAINMENT_SCORE * light_n / threshold - light_n
        return max(symmetric, contained)

    def candidates(
        self, query: Sequence[str], *, threshold: float = 0.0
    ) -> dict[int, list[Alignment]]:
        """Every name that can score ``threshold`` or more, with all its unit alignments.

        With ``threshold`` 0 that is every name sharing a unit with the query.
        """
        query_units = units(query)
        matches = [self.similar(text) for _, _, text in query_units]
        # What of the query a name could match through light words alone: the light tokens,
        # tokens close to a light word (a misspelt word then weighs what the light word
        # weighs), and, at their full weight, tokens of a pair read as one light word.
        q_weights = [self.weights.weight(t) for t in query]
        light_part = [min(w, GENERIC_WEIGHT) if w <= GENERIC_WEIGHT else 0.0 for w in q_weights]
        for (qs, qe, _), found in zip(query_units, matches, strict=True):
            if not any(word in self._light for word, _, _ in found):
                continue
            for i in range(qs, qe):
                light_part[i] = q_weights[i] if qe - qs == 2 else min(q_weights[i], GENERIC_WEIGHT)
        light_q = sum(light_part)
        heavy_q = sum(w for w, part in zip(q_weights, light_part, strict=True) if part == 0.0)

        chosen: set[int] = set()
        by_word: dict[str, list[tuple[int, int, int, float]]] = defaultdict(list)
        for (qs, qe, _), found in zip(query_units, matches, strict=True):
            for word, dist, sim in found:
                by_word[word].append((qs, qe, dist, sim))
                light = self._light.get(word)
                if light is None:
                    chosen.update(p[0] for p in self.postings[word])
                    continue
                heavy_weights, light_n = light
                cutoff = self._light_cutoff(light_q, heavy_q, light_n, threshold)
                stop = bisect_right(heavy_weights, cutoff)
                chosen.update(p[0] for p in self.postings[word][:stop])

        out: dict[int, list[Alignment]] = {}
        for number in chosen:
            found_here: list[Alignment] = []
            for cs, ce, text in self._units[number]:
                c_pair = ce - cs == 2
                for qs, qe, dist, sim in by_word.get(text, ()):
                    q_pair = qe - qs == 2
                    if q_pair and c_pair:
                        continue
                    if (q_pair or c_pair) and dist > PAIR_MAX_EDITS:
                        continue
                    found_here.append((qs, qe, cs, ce, sim))
            if found_here:
                out[number] = found_here
        return out
