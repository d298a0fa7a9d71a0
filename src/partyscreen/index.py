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

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from partyscreen.scoring import Alignment, max_edits, token_similarity, units
from partyscreen.weights import TokenWeights

__all__ = ["LOOKUP_CACHE_SIZE", "NameIndex"]

#: Fuzzy look-ups cached per index: batch queries repeat words ("technology", "inc") a lot.
LOOKUP_CACHE_SIZE = 1 << 16

#: A posting: (name number, start, end) of a unit in that name.
Posting = tuple[int, int, int]


class NameIndex:
    """An index over normalised names (token tuples), numbered in the order given."""

    def __init__(self, names: Sequence[tuple[str, ...]]) -> None:
        self.names: tuple[tuple[str, ...], ...] = tuple(names)
        self.weights = TokenWeights.from_token_sets(self.names)
        self.name_weights: tuple[tuple[float, ...], ...] = tuple(
            tuple(self.weights.weight(t) for t in name) for name in self.names
        )
        postings: dict[str, list[Posting]] = defaultdict(list)
        for number, name in enumerate(self.names):
            for start, end, text in units(name):
                postings[text].append((number, start, end))
        self.postings: dict[str, tuple[Posting, ...]] = {k: tuple(v) for k, v in postings.items()}
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in self.postings:
            by_length[len(word)].append(word)
        self._by_length = {n: tuple(sorted(words)) for n, words in by_length.items()}
        self.similar = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._similar)

    def __len__(self) -> int:
        return len(self.names)

    def _similar(self, unit: str) -> tuple[tuple[str, float], ...]:
        """Vocabulary words within max_edits of ``unit``, with their similarity."""
        found: list[tuple[str, float]] = []
        if unit in self.postings:
            found.append((unit, 1.0))
        n = len(unit)
        for length, words in self._by_length.items():
            k = max_edits(min(n, length))
            if k == 0 or abs(length - n) > k:
                continue
            hits = process.extract(unit, words, scorer=OSA.distance, score_cutoff=k, limit=None)
            for word, _dist, _idx in hits:
                if word != unit:
                    found.append((word, token_similarity(unit, word)))
        return tuple(found)

    def candidates(self, query: Sequence[str]) -> dict[int, list[Alignment]]:
        """Every name sharing a unit with the query, with all its unit alignments."""
        out: dict[int, list[Alignment]] = defaultdict(list)
        for qs, qe, text in units(query):
            pair = qe - qs == 2
            for word, sim in self.similar(text):
                for number, cs, ce in self.postings[word]:
                    if pair and ce - cs == 2:
                        continue
                    out[number].append((qs, qe, cs, ce, sim))
        return out
