"""How much each token of a name counts: derived from the list, capped for generic words.

A token's weight is its inverse document frequency among the names of the lists being
screened: a word that many listed names share ("Technology", "Public Security Bureau" on the
Entity List) says little about which entity is meant, a word found in one name ("Hikvision")
says much. On a small list the frequencies alone cannot know that "Hangzhou" or "Digital" are
generic, so words in :data:`~partyscreen.vocabulary.GENERIC_WORDS` and
:data:`~partyscreen.vocabulary.PLACE_WORDS` are capped at :data:`GENERIC_WEIGHT`; so is a word
no listed name has that lies one letter from a legal form ("jLC", "Ina"): a mangled legal form,
not a rare name.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import attrs
from rapidfuzz import process
from rapidfuzz.distance import OSA

from partyscreen.vocabulary import (
    GENERIC_WORDS,
    LEGAL_FORM_PHRASES,
    LEGAL_FORM_TOKENS,
    PLACE_WORDS,
)

__all__ = [
    "FULL_WEIGHT_LENGTH",
    "GENERIC_WEIGHT",
    "MISSPELT_WORD_LETTERS",
    "PRIOR_NAMES",
    "TokenWeights",
    "misspelt_legal_form",
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

#: Letters a legal form needs before a word one edit from it, and found in no listed name, is
#: taken for its misspelling (see :meth:`TokenWeights.weight`). Three keeps "LLC", "Ltd",
#: "Inc", "JSC" and leaves out the two-letter forms ("AG", "Co"), one edit from which lies
#: nearly every short word. The misspelling itself may be a letter shorter ("Lt" for Ltd).
MISSPELT_WORD_LETTERS = 3

#: The words whose misspellings weigh as generic: legal forms and the words of legal-form
#: phrases. They are dropped from listed names, so nothing is left there to align a misspelt
#: one with. Not generic words: those stay in names and a misspelt one aligns with them; an
#: unlisted word one letter from one is as often a name ("Nata" / "data": quality.py flagged
#: one more unlisted company with them, none with legal forms alone).
_MISSPELLABLE = tuple(
    sorted(
        w
        for w in LEGAL_FORM_TOKENS | {word for phrase in LEGAL_FORM_PHRASES for word in phrase}
        if len(w) >= MISSPELT_WORD_LETTERS
    )
)

#: Every legal form above and every string one deletion from one: two words within one edit
#: (transpositions too) share such a string, so a word that shares none is skipped unchecked.
_MISSPELLING_KEYS = frozenset(
    key for w in _MISSPELLABLE for key in (w, *(w[:i] + w[i + 1 :] for i in range(len(w))))
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
        freq = self.doc_freq.get(token, 0)
        idf = math.log((self.n_names + PRIOR_NAMES) / (freq + 1)) + 1.0
        if token in _CAPPED or (freq == 0 and misspelt_legal_form(token)):
            return min(idf, GENERIC_WEIGHT)
        if len(token) < FULL_WEIGHT_LENGTH:
            return idf * len(token) / FULL_WEIGHT_LENGTH
        return idf


def misspelt_legal_form(token: str) -> bool:
    """Whether ``token`` is at most one edit from a legal form of
    :data:`MISSPELT_WORD_LETTERS` letters or more, or a word of a legal-form phrase.

    A word no listed name has that is one letter from "LLC", "Inc" or "Joint" ("Avia Group
    jLC", "EKT 2, Ina.", "Private Jpoint-Stock Company") is far likelier a mangled legal form
    than a distinctive name; at full weight it counted as a rare word the listed name lacks,
    and the listed party was missed (quality.py: typo recall 94.4% -> 95.2%, false positives
    41 -> 42 of 10,548: "Shenzhen SNC Opto Electronic", SNC read as Inc).
    """
    if len(token) < MISSPELT_WORD_LETTERS - 1 or token in _CAPPED:
        return False
    keys = _MISSPELLING_KEYS
    if token not in keys and not any(token[:i] + token[i + 1 :] in keys for i in range(len(token))):
        return False
    return process.extractOne(token, _MISSPELLABLE, scorer=OSA.distance, score_cutoff=1) is not None
