"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from hypothesis import strategies as st

#: Letters-only words, like the distinctive part of a company name.
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=12)

#: Generic and place words, which weigh little and which the index treats apart.
GENERIC = ["Technology", "International", "Group", "Hangzhou", "Digital", "Trading", "Tech",
           "Industrial", "Systems", "Beijing", "Information", "Science", "Holding",
           "Electronic"]  # fmt: skip

#: Legal forms with a typo ("jLC" for LLC), which weigh little at either end of a query when
#: no listed name uses them.
MISSPELT_LEGAL = ["Jlc", "Lt", "Sdg", "Wjsc"]

#: Countries, which weigh little when they close a query (a subsidiary's qualifier).
COUNTRIES = ["USA", "India", "UK"]

#: A name's words: mostly distinctive, sometimes generic, a misspelt legal form or a country.
name_words = st.lists(
    st.one_of(words, words, st.sampled_from(GENERIC + MISSPELT_LEGAL + COUNTRIES)),
    min_size=1,
    max_size=5,
)

#: Organisation-like names: a few words, sometimes a legal form, mixed case.
LEGAL = ["Co., Ltd.", "Inc.", "GmbH", "LLC", "Corporation", "Limited", "JSC", ""]
names = st.builds(
    lambda ws, legal, upper: " ".join(w.upper() if upper else w.title() for w in ws) + " " + legal,
    name_words,
    st.sampled_from(LEGAL),
    st.booleans(),
)

#: Any text at all, including scripts, symbols and control characters.
any_text = st.text(max_size=60)

#: Characters the normaliser must make vanish.
INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u00ad",
]
invisible = st.sampled_from(INVISIBLE)
