"""Regenerate src/partyscreen/ordinary_words.txt: the ordinary English words the matcher weighs
as weak evidence (see partyscreen.vocabulary.ORDINARY_WORDS).

    python tools/ordinary_words.py [WORDLIST]

WORDLIST defaults to /usr/share/dict/american-english-small, Debian's ``wamerican-small``:
SCOWL (Spell Checker Oriented Word Lists, Kevin Atkinson) up to size 35, the words of an
ordinary English dictionary without the rare ones. Only lower-case alphabetic entries are
kept: capitalised entries are proper names ("Hudson"), and a brand is no ordinary word. The
list is a fact about English, not about any screening list or test corpus.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SOURCE = Path("/usr/share/dict/american-english-small")
TARGET = Path(__file__).resolve().parents[1] / "src" / "partyscreen" / "ordinary_words.txt"

HEADER = """\
# Ordinary English words: the lower-case alphabetic entries of SCOWL size 35
# (Debian package wamerican-small), made by tools/ordinary_words.py.
#
# SCOWL (Spell Checker Oriented Word Lists), Copyright 2000-2011 by Kevin Atkinson.
# Permission to use, copy, modify, distribute and sell these word lists, the associated
# scripts, the output created from the scripts, and its documentation for any purpose is
# hereby granted without fee, provided that the above copyright notice appears in all copies
# and that both that copyright notice and this permission notice appear in supporting
# documentation. Kevin Atkinson makes no representations about the suitability of this array
# for any purpose. It is provided "as is" without express or implied warranty.
# (Parts derive from the public-domain Moby Words II and 12Dicts lists; see the SCOWL README.)
"""


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    words = sorted(
        {w for w in source.read_text(encoding="utf-8").split() if re.fullmatch(r"[a-z]+", w)}
    )
    TARGET.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {TARGET}")


if __name__ == "__main__":
    main()
