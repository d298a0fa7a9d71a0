"""Benchmark corpora, read in place from ../shared/data, and seeded name perturbations.

Shared by the quality and throughput benchmarks. Nothing here is copied into the repository:
every function reads the files where they lie.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from partyscreen.csl import load_csl
from partyscreen.embedded import default_lists
from partyscreen.model import ListedEntity, ScreeningList

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = SHARED / "data"

CSL_SAMPLE = DATA / "csl" / "csl_2023-11-30_sample.csv"
CSL_EXCERPT = DATA / "csl" / "csl_2025_entity_list_excerpt_huawei_and_84FR54002.csv"


def require_shared() -> None:
    if not DATA.is_dir():
        msg = f"benchmarks need ../shared/data beside the checkout ({DATA} is missing)"
        raise SystemExit(msg)


def read_csv(path: Path, **kwargs: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, **kwargs))  # type: ignore[arg-type]


def screening_lists() -> list[ScreeningList]:
    """The benchmark list: the 2023 CSL sample (13 source lists) and the embedded list."""
    return [load_csl(CSL_SAMPLE).screening_list, *default_lists()]


# --- real company names -------------------------------------------------------------------


@attrs.frozen
class Company:
    corpus: str
    name: str
    code: str  # ticker or exchange code, for deciding whether the company is really listed


def companies() -> list[Company]:
    out = [
        Company("sp500", r["Security"], r["Symbol"])
        for r in read_csv(DATA / "companies" / "sp500_constituents.csv")
    ]
    out += [
        Company("nasdaq", r["Company Name"], r["Symbol"])
        for r in read_csv(DATA / "companies" / "nasdaq_listed_symbols.csv")
        if r["ETF"] != "Y" and r["Test Issue"] != "Y"
    ]
    for r in read_csv(DATA / "companies" / "szse_a_share_list_2025-12.csv"):
        code = r["A股代码"].strip().zfill(6)
        out.append(Company("szse_en", r["英文名称"], code))
        out.append(Company("szse_zh", r["公司全称"], code))
    return [c for c in out if c.name.strip()]


def listed_tickers() -> set[str]:
    """Tickers of companies really on a list: CMIC equity tickers in the CSL sample, and the
    SZSE codes the embedded list cites for Entity List companies."""
    tickers: set[str] = set()
    for row in read_csv(CSL_SAMPLE):
        for m in re.finditer(r"Equity Ticker, ([A-Z0-9.]+) (CN|US)", row.get("ids") or ""):
            tickers.add(m.group(1).zfill(6) if m.group(2) == "CN" else m.group(1))
    for entity in default_lists()[0].entities:
        for source in entity.sources:
            tickers.update(re.findall(r"code (\d{6})", source))
    return tickers


# --- perturbations of listed names ---------------------------------------------------------

HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у",
              "A": "Α", "B": "В", "E": "Ε", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
              "T": "Т", "X": "Х"}  # fmt: skip
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u00ad"]
ABBREVIATE = [
    ("Technologies", "Techs"), ("Technology", "Tech"), ("Science", "Sci"),
    ("Information", "Info"), ("International", "Intl"), (" and ", " & "),
    ("Company", "Co"), ("Limited", "Ltd"), ("Corporation", "Corp"),
    ("Public Security Bureau", "PSB"), ("Industries", "Inds"), ("Engineering", "Eng"),
]  # fmt: skip
LEGAL_FORMS = ["Co., Ltd.", "Company Limited", "Corp", "Inc", "GmbH", "LLC", "JSC", "ООО",
               "有限公司", "Ltd", "S.A.", "Limited"]  # fmt: skip
_LEGAL_TAIL = re.compile(
    r"[,.\s]*(co\.?,?\s*ltd\.?|company limited|corporation|corp\.?|inc\.?|l\.?l\.?c\.?|"
    r"limited|ltd\.?|gmbh|jsc|s\.a\.?|co\.?)\s*$",
    re.IGNORECASE,
)


def _typo(rng: random.Random, name: str) -> str | None:
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 4:
        return None
    i = rng.choice(letters)
    op = rng.choice(["delete", "insert", "substitute", "transpose"])
    if op == "delete":
        return name[:i] + name[i + 1 :]
    if op == "insert":
        return name[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + name[i:]
    if op == "substitute":
        return (
            name[:i]
            + rng.choice("abcdefghijklmnopqrstuvwxyz".replace(name[i].lower(), ""))
            + name[i + 1 :]
        )
    if i + 1 < len(name) and name[i + 1].isalpha() and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return None


def _order(rng: random.Random, name: str) -> str | None:
    words = name.replace(",", " ").split()
    if len(set(words)) < 2:
        return None
    shuffled = words[:]
    while shuffled == words:
        rng.shuffle(shuffled)
    return " ".join(shuffled)


def _legal_form(rng: random.Random, name: str) -> str | None:
    stem = _LEGAL_TAIL.sub("", name).strip(" ,.")
    if not stem:
        return None
    return f"{stem} {rng.choice(LEGAL_FORMS)}" if rng.random() < 0.7 or stem == name else stem


def _abbreviation(rng: random.Random, name: str) -> str | None:
    options = [(a, b) for a, b in ABBREVIATE if a.lower() in name.lower()]
    if not options:
        return None
    out = name
    for long, short in rng.sample(options, k=rng.randint(1, len(options))):
        out = re.sub(re.escape(long), short, out, flags=re.IGNORECASE)
    return out


def _spacing(rng: random.Random, name: str) -> str | None:
    words = name.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    choice = rng.choice(["join", "split", "dots"])
    if choice == "join" and len(words) >= 2:
        i = rng.randrange(len(words) - 1)
        return " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])
    if not long_words:
        return None
    i = rng.choice(long_words)
    w = words[i]
    if choice == "dots":
        words[i] = ".".join(w)
    else:
        cut = rng.randint(2, len(w) - 2)
        words[i] = w[:cut] + rng.choice([" ", "-"]) + w[cut:]
    return " ".join(words)


def _homoglyph(rng: random.Random, name: str) -> str | None:
    spots = [i for i, ch in enumerate(name) if ch in HOMOGLYPHS]
    if not spots:
        return None
    chars = list(name)
    for i in rng.sample(spots, k=min(len(spots), rng.randint(1, 3))):
        chars[i] = HOMOGLYPHS[chars[i]]
    return "".join(chars)


def _zero_width(rng: random.Random, name: str) -> str | None:
    chars = list(name)
    for _ in range(rng.randint(1, 3)):
        chars.insert(rng.randrange(1, len(chars)), rng.choice(INVISIBLE))
    return "".join(chars)


def _truncation(rng: random.Random, name: str) -> str | None:
    stem = _LEGAL_TAIL.sub("", name).strip(" ,.")
    words = stem.split()
    if len(words) < 3:
        return None
    return " ".join(words[: len(words) - rng.randint(1, max(1, len(words) // 3))])


#: The width a supplier master may cut a name to: SAP's vendor name field (NAME1) holds 35
#: characters, and names longer than that are cut wherever the width ends, mid-word too.
FIXED_WIDTH = 35


def _fixed_width(rng: random.Random, name: str) -> str | None:
    """The name cut to :data:`FIXED_WIDTH` characters, if longer (no randomness: the other
    classes' variants stay as they were)."""
    return name[:FIXED_WIDTH].rstrip() if len(name) > FIXED_WIDTH else None


PERTURBATIONS: dict[str, Callable[[random.Random, str], str | None]] = {
    "typo": _typo,
    "order": _order,
    "legal_form": _legal_form,
    "abbreviation": _abbreviation,
    "spacing": _spacing,
    "homoglyph": _homoglyph,
    "zero_width": _zero_width,
    "truncation": _truncation,
    "fixed_width": _fixed_width,
}


@attrs.frozen
class Variant:
    kind: str
    query: str
    source: str
    entity: ListedEntity


def entity_list_rows() -> list[ListedEntity]:
    """The Entity List rows of the shared CSL files (the 2023 sample and the 2025 excerpt)."""
    rows = [e for e in load_csl(CSL_SAMPLE).screening_list.entities if e.list_code == "EL"]
    return rows + list(load_csl(CSL_EXCERPT).screening_list.entities)


def perturbed_variants(seed: int = 20191009) -> Iterator[Variant]:
    """One variant per class for every Entity List name, where the class applies to it.

    Truncation applies to organisations only: a company name cut short ("Xiamen Meiya Pico
    Information Co") still names the company, a person's name without its surname ("Dmitriy V"
    for "Dmitriy V Lukhanin") names nobody in particular. A fixed-width cut applies to every
    name longer than :data:`FIXED_WIDTH`, as an ERP export does.
    """
    rng = random.Random(seed)
    for entity in entity_list_rows():
        for kind, make in PERTURBATIONS.items():
            if kind == "truncation" and entity.entity_type == "individual":
                continue
            query = make(rng, entity.name)
            if query and query.strip() and query != entity.name:
                yield Variant(kind, query, entity.name, entity)
