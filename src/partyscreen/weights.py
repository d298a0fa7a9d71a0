"""How much each token of a name counts: derived from the list, capped for generic words.

A token's weight is its inverse document frequency among the names of the lists being
screened: a word that many listed names share ("Technology", "Public Security Bureau" on the
Entity List) says little about which entity is meant, a word found in one name ("Hikvision")
says much. On a small list the frequencies alone cannot know that "Hangzhou" or "Digital" are
generic, so words in :data:`~partyscreen.vocabulary.GENERIC_WORDS` and
:data:`~partyscreen.vocabulary.PLACE_WORDS` are capped at :data:`GENERIC_WEIGHT`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import attrs
from rapidfuzz.distance import OSA

from partyscreen.vocabulary import COUNTRY_WORDS, GENERIC_WORDS, LEGAL_FORM_TOKENS, PLACE_WORDS

__all__ = [
    "FULL_WEIGHT_LENGTH",
    "GENERIC_WEIGHT",
    "LEGAL_TYPO_CACHE_SIZE",
    "PRIOR_NAMES",
    "TokenWeights",
    "is_misspelt_legal_form",
]

#: Weight of a generic word or common place name, whatever its frequency in the list. The
#: smallest inverse document frequency is 1.0, so this is at most as much as the most common
#: word: enough that "Hangzhou Digital Technology" does not reach review against Hikvision's
#: full name, while generic words still separate "Dahua Technology" from "Dahua Vision".
GENERIC_WEIGHT = 0.5

#: Names added to every list's count as if they held none of its words. On a list of a few
#: names plain IDF hardly tells a rare word from a common one (with two names "Hikvision"
#: would weigh 1.4, barely above "Technology"); with this prior a word found in one name of a
#: tiny list weighs about 4.9, as on the embedded list. On lists of thousands it changes little.
PRIOR_NAMES = 100

#: Tokens shorter than this weigh in proportion to their length. Two or three letters match
#: by chance far more often than a long word ("HUA", "SB", "TSS" in the SDN list are also
#: syllables and initials of unrelated companies); a single letter says almost nothing.
FULL_WEIGHT_LENGTH = 4

_CAPPED = GENERIC_WORDS | PLACE_WORDS

#: Legal forms whose misspellings a query may hold at either end, where legal forms stand
#: (inside a name, a short word a letter from one is as often a brand: "Shenzhen SNC Opto
#: Electronic", SNC against INC). Not the two-letter ones ("SA", "AG"): every pair of letters
#: is a letter from one.
_LEGAL_FORMS = tuple(w for w in LEGAL_FORM_TOKENS if len(w) >= 3)

_VOWELS = frozenset("aeiouy")

#: The positions of a name's ends, first and last (one for a name of one token).
_ENDS = (0, -1)
_FIRST = (0,)


#: Words whose legal-form check is remembered. Only a query's end words that no listed name
#: uses and that have no vowel are checked (see TokenWeights.weights_of), so few need it.
LEGAL_TYPO_CACHE_SIZE = 4096


@lru_cache(maxsize=LEGAL_TYPO_CACHE_SIZE)
def is_misspelt_legal_form(token: str) -> bool:
    """Whether ``token`` reads as an abbreviated legal form with one typo ("jLC", "Lt",
    "Sdg", "wJSC"): one edit from one, and of consonants only, as abbreviations like LLC,
    JSC or Sdn are. A misspelling with a vowel is as often a name at the end of a person's
    ("Coe", "Karl", "Sara", "Tom" are a letter from COS, SARL, SARL and TOV)."""
    return (
        len(token) >= 2
        and token.isalpha()
        and _VOWELS.isdisjoint(token)
        and any(OSA.distance(token, w, score_cutoff=1) <= 1 for w in _LEGAL_FORMS)
    )


@attrs.frozen
class TokenWeights:
    """Token weights of one index; a token the list never uses weighs as the rarest one."""

    doc_freq: dict[str, int]
    n_names: int

    @classmethod
    def from_token_sets(cls, token_sets: Iterable[Iterable[str]]) -> TokenWeights:
        counts: Counter[str] = Counter()
        n = 0
        for tokens in token_sets:
            counts.update(set(tokens))
            n += 1
        return cls(doc_freq=dict(counts), n_names=n)

    def weight(self, token: str) -> float:
        idf = math.log((self.n_names + PRIOR_NAMES) / (self.doc_freq.get(token, 0) + 1)) + 1.0
        if token in _CAPPED:
            return min(idf, GENERIC_WEIGHT)
        if len(token) < FULL_WEIGHT_LENGTH:
            return idf * len(token) / FULL_WEIGHT_LENGTH
        return idf

    def weights_of(
        self, tokens: Sequence[str], weight: Callable[[str], float] | None = None
    ) -> list[float]:
        """The weights of a name's tokens, where they stand: as :meth:`weight`, but two kinds
        of word at the name's ends weigh as generic words. A word no listed name uses that
        opens or closes the name and is a legal form misspelt: "Avia Group jLC" is "Avia
        Group LLC", not a third word the listed name lacks. And the countries that close it
        (:data:`~partyscreen.vocabulary.COUNTRY_WORDS`): "Dahua Technology USA" is a
        subsidiary's name, which its group's listed name lacks only a qualifier of. (Listed
        names use all their words, so this reads queries only.) ``weight`` may be a cached
        :meth:`weight`."""
        out = list(map(weight or self.weight, tokens))
        # (Not the whole name: a query of countries alone keeps the weight of its first.)
        for i in range(len(tokens) - 1, 0, -1):
            if tokens[i] not in COUNTRY_WORDS:
                break
            out[i] = min(out[i], GENERIC_WEIGHT)
        doc_freq = self.doc_freq
        for i in _ENDS if len(tokens) > 1 else _FIRST if tokens else ():
            token = tokens[i]
            # (Vowels first: most words have one, and the check is cheap.)
            if not _VOWELS.isdisjoint(token) or token in doc_freq:
                continue
            if is_misspelt_legal_form(token):
                out[i] = min(out[i], GENERIC_WEIGHT)
        return out
