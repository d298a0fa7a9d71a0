"""Matching quality of partyscreen beside nomenklatura logic-v2 and brute-force rapidfuzz.

    python benchmarks/quality.py [--quick] [--no-nomenklatura] [--json PATH]

Four measurements, each on the same queries for every matcher, in one run:

1. seed mentions (../shared/eval/seed_mentions.csv) against the embedded list;
2. seeded perturbations of every Entity List name in ../shared/data/csl (typo, order, legal
   form, abbreviation, spacing, homoglyph, zero-width, truncation, and the name cut at a
   supplier master's fixed width of 35 characters, mid-word too) and the Chinese legal and
   short names of listed Shenzhen companies (cross-script), against the CSL sample plus the
   embedded list; recall = the source entity (or the same party on another list) is the top
   result at or above the matcher's default threshold;
3. real company names (S&P 500, NASDAQ, Shenzhen English and Chinese) against the same list;
   false positives = unlisted names at or above the default threshold, per 1,000 names;
   companies that really are listed (by equity ticker in the CSL, or cited in our list) are
   counted apart; a second figure also counts apart companies whose name, normalised, is a
   listed name (a true hit for a name screener), for every matcher alike;
4. labelled name pairs (../shared/data/pairs/name_match_pairs.csv): best F1 and recall at
   precision >= 0.99.

Peers (optional ``bench`` extra):
- nomenklatura ``logic-v2`` on followthemoney entities; candidates come from a whole-token
  blocking index like yente's (entities sharing a token, best 25 by shared-token IDF);
  threshold 0.7;
- rapidfuzz ``process.cdist`` with ``fuzz.WRatio`` over every list name, on unidecode'd
  lower-cased strings, ``workers=-1``; threshold 85.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from unidecode import unidecode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import (
    DATA,
    SHARED,
    Variant,
    companies,
    listed_tickers,
    perturbed_variants,
    read_csv,
    require_shared,
    screening_lists,
)
from partyscreen import Screener
from partyscreen.embedded import default_lists
from partyscreen.model import ListedEntity
from partyscreen.normalize import normalize_name
from partyscreen.scoring import align, score_alignment
from partyscreen.weights import TokenWeights

NK_THRESHOLD = 0.7
RF_THRESHOLD = 85.0
NK_CANDIDATES = 25

#: A matcher takes queries and returns, per query, (entity or None, score, at-or-above-threshold).
Hit = tuple[ListedEntity | None, float, bool]
Matcher = Callable[[Sequence[str]], list[Hit]]


def same_party(a: ListedEntity | None, b: ListedEntity) -> bool:
    if a is None:
        return False
    if a.id == b.id and a.list_code == b.list_code:
        return True
    names_a = {normalize_name(n).tokens for n in a.names}
    return any(normalize_name(n).tokens in names_a for n in b.names)


# --- the matchers ---------------------------------------------------------------------------


def partyscreen_matcher(screener: Screener) -> Matcher:
    def run(queries: Sequence[str]) -> list[Hit]:
        out: list[Hit] = []
        for q in queries:
            try:
                best = screener.screen(q, limit=1).best
            except ValueError:
                best = None
            out.append((best.entity, best.score, True) if best else (None, 0.0, False))
        return out

    return run


def _fold(text: str) -> str:
    return unidecode(text).lower().strip()


def rapidfuzz_matcher(entities: Sequence[ListedEntity]) -> Matcher:
    names = [(e, _fold(n)) for e in entities for n in e.names]
    choices = [n for _, n in names]

    def run(queries: Sequence[str]) -> list[Hit]:
        out: list[Hit] = []
        folded = [_fold(q) for q in queries]
        for start in range(0, len(folded), 500):
            scores = process.cdist(
                folded[start : start + 500], choices, scorer=fuzz.WRatio, workers=-1
            )
            for row in scores:
                j = int(np.argmax(row))
                score = float(row[j])
                out.append((names[j][0], score / 100, score >= RF_THRESHOLD))
        return out

    return run


def nomenklatura_matcher(entities: Sequence[ListedEntity]) -> Matcher | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
    except ImportError:
        return None
    algo = get_algorithm("logic-v2")
    assert algo is not None
    config = algo.default_config()
    proxies = []
    for number, e in enumerate(entities):
        proxy = model.make_entity("Person" if e.entity_type == "individual" else "Company")
        proxy.id = f"e{number}"
        proxy.add("name", e.name)
        for alias in e.aliases:
            proxy.add("alias", alias.name)
        proxies.append(proxy)
    token_re = re.compile(r"[a-z0-9]+")
    postings: dict[str, set[int]] = defaultdict(set)
    for number, e in enumerate(entities):
        for n in e.names:
            for tok in token_re.findall(_fold(n)):
                postings[tok].add(number)
    idf = {t: math.log(len(entities) / len(p)) for t, p in postings.items()}

    serial = itertools.count()

    def run(queries: Sequence[str]) -> list[Hit]:
        out: list[Hit] = []
        for q in queries:
            votes: Counter[int] = Counter()
            for tok in set(token_re.findall(_fold(q))):
                for number in postings.get(tok, ()):
                    votes[number] += idf[tok]
            query = model.make_entity("Company")
            # A fresh id per query: nomenklatura caches comparisons by entity id.
            query.id = f"query-{next(serial)}"
            query.add("name", q)
            best: tuple[float, int] = (0.0, -1)
            for number, _ in votes.most_common(NK_CANDIDATES):
                score = algo.compare(query, proxies[number], config).score
                best = max(best, (score, number))
            entity = entities[best[1]] if best[1] >= 0 else None
            out.append((entity, best[0], best[0] >= NK_THRESHOLD))
        return out

    return run


# --- the measurements -------------------------------------------------------------------------


def seed_mentions(matchers: dict[str, Matcher], embedded: Screener) -> dict[str, dict[str, int]]:
    rows = read_csv(SHARED / "eval" / "seed_mentions.csv")
    results: dict[str, dict[str, int]] = {}
    for label, run in matchers.items():
        right = Counter()
        hits = run([r["query"] for r in rows]) if label != "partyscreen" else None
        for i, row in enumerate(rows):
            if hits is None:  # partyscreen honours as_of
                best = embedded.screen(row["query"], as_of=row["as_of"] or None, limit=1).best
                entity, flagged = (best.entity, True) if best else (None, False)
            else:
                entity, _, flagged = hits[i]
            if row["expect"]:
                ok = (
                    flagged
                    and entity is not None
                    and any(re.search(row["expect"], n, re.I) for n in entity.names)
                )
                right["positives_right" if ok else "positives_wrong"] += 1
            else:
                right["negatives_right" if not flagged else "negatives_wrong"] += 1
        results[label] = dict(right)
    return results


def perturbed(
    matchers: dict[str, Matcher], variants: list[Variant]
) -> dict[str, dict[str, list[int]]]:
    out: dict[str, dict[str, list[int]]] = {}
    for label, run in matchers.items():
        hits = run([v.query for v in variants])
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for v, (entity, _score, flagged) in zip(variants, hits, strict=True):
            per[v.kind][1] += 1
            if flagged and same_party(entity, v.entity):
                per[v.kind][0] += 1
        out[label] = dict(per)
    return out


def cross_script_variants() -> list[Variant]:
    """Chinese legal and short names of Shenzhen-listed companies on the embedded list."""
    by_code: dict[str, ListedEntity] = {}
    for entity in default_lists()[0].entities:
        for source in entity.sources:
            for code in re.findall(r"code (\d{6})", source):
                by_code[code] = entity
    out = []
    for r in read_csv(DATA / "companies" / "szse_a_share_list_2025-12.csv"):
        code = r["A股代码"].strip().zfill(6)
        if code in by_code:
            for column in ("公司全称", "A股简称"):
                out.append(Variant("cross_script", r[column].strip(), r[column], by_code[code]))
    return out


def listed_names(entities: Sequence[ListedEntity]) -> set[tuple[str, ...]]:
    """Every listed name and alias, normalised: a company whose name is one of them is listed
    by name (the second rule of :func:`false_positives`)."""
    return {t for e in entities for n in e.names if (t := normalize_name(n).tokens)}


def false_positives(
    matchers: dict[str, Matcher], entities: Sequence[ListedEntity], step: int = 1
) -> dict[str, dict[str, Any]]:
    """False positives on real company names, by two rules for which companies are listed.

    Ticker rule (as before): a company is listed when its ticker is a CMIC equity ticker in
    the CSL or a code our list cites. Name rule: also when its name, normalised, is a listed
    name or alias ("Guangzhou Hangxin Aviation Technology Co., Ltd." is an MEU name): for a
    name screener that is a true hit whatever company it is. Both rules apply to every
    matcher alike; ``per_1000`` keeps the ticker rule, ``per_1000_name_rule`` the other.
    """
    corpus = companies()[::step]
    tickers = listed_tickers()
    names = listed_names(entities)
    by_name = [normalize_name(c.name).tokens in names for c in corpus]
    out: dict[str, dict[str, Any]] = {}
    for label, run in matchers.items():
        hits = run([c.name for c in corpus])
        per: dict[str, Counter[str]] = defaultdict(Counter)
        examples: list[list[object]] = []
        for c, named, (entity, score, flagged) in zip(corpus, by_name, hits, strict=True):
            listed = c.code in tickers
            per[c.corpus]["names"] += 1
            if listed:
                per[c.corpus]["listed"] += 1
                per[c.corpus]["listed_found"] += int(flagged)
            elif named:
                per[c.corpus]["listed_by_name"] += 1
                per[c.corpus]["listed_by_name_found"] += int(flagged)
            if not listed and flagged:
                per[c.corpus]["false_positives"] += 1
                per[c.corpus]["false_positives_name_rule"] += int(not named)
                examples.append(
                    [c.corpus, c.name, entity.name if entity else None, round(score, 3), named]
                )
        total = sum(p["names"] - p["listed"] for p in per.values())
        fps = sum(p["false_positives"] for p in per.values())
        total_named = total - sum(p["listed_by_name"] for p in per.values())
        fps_named = sum(p["false_positives_name_rule"] for p in per.values())
        out[label] = {
            "per_corpus": {k: dict(v) for k, v in per.items()},
            "false_positives": fps,
            "unlisted_names": total,
            "per_1000": round(1000 * fps / total, 2),
            "false_positives_name_rule": fps_named,
            "unlisted_names_name_rule": total_named,
            "per_1000_name_rule": round(1000 * fps_named / total_named, 2),
            "examples": examples,
        }
    return out


def pairs(include_nk: bool) -> dict[str, dict[str, float]]:
    rows = [
        r
        for r in read_csv(DATA / "pairs" / "name_match_pairs.csv")
        if r["expected_match"] in ("true", "false")
    ]
    labels = np.array([r["expected_match"] == "true" for r in rows])
    weights = TokenWeights.from_token_sets(
        {normalize_name(n).tokens for r in rows for n in (r["query"], r["candidate"])}
    )
    scores: dict[str, list[float]] = {"partyscreen": [], "rapidfuzz_wratio": []}
    for r in rows:
        q, c = normalize_name(r["query"]).tokens, normalize_name(r["candidate"]).tokens
        # As the screener scores an individual's name: one word of it inside a longer name is
        # not containment (see screener.py).
        min_words = 2 if r["schema"] == "Person" else 1
        scores["partyscreen"].append(
            score_alignment(q, c, align(q, c), weights, contained_min_words=min_words).score
            if q and c
            else 0.0
        )
        scores["rapidfuzz_wratio"].append(
            fuzz.WRatio(_fold(r["query"]), _fold(r["candidate"])) / 100
        )
    if include_nk:
        try:
            from followthemoney import model
            from nomenklatura.matching import get_algorithm
        except ImportError:
            pass
        else:
            algo = get_algorithm("logic-v2")
            assert algo is not None
            config = algo.default_config()
            nk = []
            for r in rows:
                schema = (
                    r["schema"]
                    if r["schema"] in ("Person", "Company", "Organization", "LegalEntity", "Vessel")
                    else "LegalEntity"
                )
                a, b = model.make_entity(schema), model.make_entity(schema)
                a.id, b.id = f"a{len(nk)}", f"b{len(nk)}"  # nomenklatura caches by id
                a.add("name", r["query"])
                b.add("name", r["candidate"])
                nk.append(algo.compare(a, b, config).score)
            scores["nomenklatura_logic_v2"] = nk
    out = {}
    for label, values in scores.items():
        s = np.array(values)
        best_f1, best_t, recall_at_99 = 0.0, 0.0, 0.0
        for t in sorted(set(values)):
            predicted = s >= t
            tp = int((predicted & labels).sum())
            fp = int((predicted & ~labels).sum())
            fn = int((~predicted & labels).sum())
            if tp == 0:
                continue
            precision, recall = tp / (tp + fp), tp / (tp + fn)
            f1 = 2 * precision * recall / (precision + recall)
            if f1 > best_f1:
                best_f1, best_t = f1, t
            if precision >= 0.99:
                recall_at_99 = max(recall_at_99, recall)
        out[label] = {
            "rows": len(rows),
            "best_f1": round(best_f1, 4),
            "at_threshold": round(best_t, 4),
            "recall_at_precision_0.99": round(recall_at_99, 4),
        }
    return out


# --- printing ---------------------------------------------------------------------------------


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))


def _ratio(right: int, wrong: int) -> str:
    return f"{right}/{right + wrong}"


def print_seed(seed: dict[str, dict[str, int]]) -> None:
    rows: list[list[object]] = [
        [
            label,
            _ratio(v.get("positives_right", 0), v.get("positives_wrong", 0)),
            _ratio(v.get("negatives_right", 0), v.get("negatives_wrong", 0)),
        ]
        for label, v in seed.items()
    ]
    table(
        "1. Seed mentions vs the embedded list (right / rows)",
        ["matcher", "positives", "negatives"],
        rows,
    )


def print_perturbed(pert: dict[str, dict[str, list[int]]], kinds: list[str]) -> None:
    rows: list[list[object]] = []
    for kind in kinds:
        cells = [
            f"{p[kind][0]}/{p[kind][1]} ({100 * p[kind][0] / p[kind][1]:.1f}%)"
            for p in pert.values()
        ]
        rows.append([kind, *cells])
    title = (
        "2. Perturbed Entity List names vs CSL sample + embedded list: recall (found / variants)"
    )
    table(title, ["class", *pert], rows)


def print_false_positives(fp: dict[str, dict[str, Any]]) -> None:
    corpora_names = sorted(next(iter(fp.values()))["per_corpus"])
    rows: list[list[object]] = []
    for label, v in fp.items():
        per = v["per_corpus"]
        flagged = [
            f"{per[c].get('false_positives', 0)}/{per[c]['names'] - per[c].get('listed', 0)}"
            for c in corpora_names
        ]
        found = sum(per[c].get("listed_found", 0) for c in per)
        listed = sum(per[c].get("listed", 0) for c in per)
        named_found = sum(per[c].get("listed_by_name_found", 0) for c in per)
        named = sum(per[c].get("listed_by_name", 0) for c in per)
        rows.append(
            [
                label,
                *flagged,
                v["per_1000"],
                f"{found}/{listed}",
                v["per_1000_name_rule"],
                f"{named_found}/{named}",
            ]
        )
    title = (
        "3. Real company names vs CSL sample + embedded list: false positives (flagged / unlisted)"
        "\n   ticker rule: listed = equity ticker in the CSL or cited; name rule: also listed when"
        " the name, normalised, is a listed name"
    )
    table(
        title,
        [
            "matcher",
            *corpora_names,
            "FP/1000 ticker rule",
            "listed found",
            "FP/1000 name rule",
            "listed by name found",
        ],
        rows,
    )


def print_pairs(pr: dict[str, dict[str, float]]) -> None:
    rows: list[list[object]] = [
        [k, v["rows"], v["best_f1"], v["at_threshold"], v["recall_at_precision_0.99"]]
        for k, v in pr.items()
    ]
    table(
        "4. Labelled name pairs",
        ["matcher", "rows", "best F1", "at threshold", "recall @ P>=0.99"],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every 5th variant and company only")
    parser.add_argument("--no-nomenklatura", action="store_true", help="skip the slow peer")
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "quality.json"
    )
    args = parser.parse_args()
    require_shared()

    embedded = Screener(default_lists())
    t0 = time.perf_counter()
    big = Screener(screening_lists())
    build = time.perf_counter() - t0
    entities = big.entities
    names = len(big.index)
    print(f"list: {len(entities)} entities, {names} distinct names; index built in {build:.2f} s")

    matchers: dict[str, Matcher] = {"partyscreen": partyscreen_matcher(big)}
    small: dict[str, Matcher] = {"partyscreen": partyscreen_matcher(embedded)}
    if not args.no_nomenklatura:
        nk_big, nk_small = nomenklatura_matcher(entities), nomenklatura_matcher(embedded.entities)
        if nk_big is not None and nk_small is not None:
            matchers["nomenklatura_logic_v2"] = nk_big
            small["nomenklatura_logic_v2"] = nk_small
    matchers["rapidfuzz_wratio"] = rapidfuzz_matcher(entities)
    small["rapidfuzz_wratio"] = rapidfuzz_matcher(embedded.entities)

    report: dict[str, object] = {}
    timings: dict[str, float] = {}

    t = time.perf_counter()
    report["seed_mentions"] = seed = seed_mentions(small, embedded)
    timings["seed_mentions"] = time.perf_counter() - t
    print_seed(seed)

    variants = list(perturbed_variants())
    if args.quick:
        variants = variants[::5]
    cross = cross_script_variants()
    t = time.perf_counter()
    report["perturbed"] = pert = perturbed(matchers, variants + cross)
    timings["perturbed"] = time.perf_counter() - t
    print_perturbed(pert, sorted({v.kind for v in variants + cross}))

    t = time.perf_counter()
    report["false_positives"] = fp = false_positives(
        matchers, entities, step=5 if args.quick else 1
    )
    timings["false_positives"] = time.perf_counter() - t
    print_false_positives(fp)

    report["pairs"] = pr = pairs(include_nk=not args.no_nomenklatura)
    print_pairs(pr)

    report["timings_s"] = {k: round(v, 1) for k, v in timings.items()}
    report["settings"] = big.settings.to_dict()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    print(f"\nwrote {args.json}; timings (all matchers): {report['timings_s']}")


if __name__ == "__main__":
    main()
