"""Throughput, latency, memory and scaling of partyscreen, with peers on the same queries.

    python benchmarks/throughput.py                  # the default run (a few minutes, 2 cores)
    python benchmarks/throughput.py --rows 1000000   # a bigger batch
    python benchmarks/throughput.py --big-file-gb 1  # also a ~1 GB input, to see memory stay flat
    python benchmarks/throughput.py --scale 1000,10000,100000,300000

Prints a table and writes JSON to ``benchmarks/results/throughput.json`` (git-ignored). Times are
measured, never asserted. Everything is built from the real data in ``../shared/data``, read in
place:

* Lists: the embedded default list (53 entries), and the "csl" list: the trade.gov CSL sample
  of 2023-11-30 (``csl/csl_2023-11-30_sample.csv``, 4,226 entries of 13 source lists), the
  OFAC SDN legacy CSV with its aliases (``ofac/``, 8,976 entries) and the embedded list,
  about 30,000 distinct names, as the issue asks.
* Queries: real company names (S&P 500 ``Security``, Nasdaq ``Company Name``, SZSE A-share
  ``英文名称`` and ``公司全称``) plus seeded noisy variants of listed names (typos, case,
  punctuation, legal forms added or dropped, words swapped); repeated to ``--rows`` rows, a
  third of the repeats with light noise (case, spacing, punctuation, legal form) and one in
  twenty with a typo, as real supplier files repeat names with small differences.
* Batch: ``python -m partyscreen batch`` end to end, CSV in, CSV out, in a child process:
  wall time, rows/s and the peak memory of the child and its workers together (PSS, sampled).
* Latency: single :meth:`Screener.screen` calls on distinct queries not seen before (cold
  caches), median and p99.
* Peers on the same queries (a seeded subset, see the table): brute-force
  ``rapidfuzz.process.cdist(queries, names, scorer=fuzz.WRatio, score_cutoff=85,
  workers=-1)`` on unidecoded lower-cased names (every name and alias of the list), and, when
  ``nomenklatura`` is importable (``pip install -e ".[bench]"``), its ``logic-v2`` matcher on
  followthemoney ``Company`` entities, the candidates found by an inverted index over
  ``rigour.names.tokenize_name`` tokens (nomenklatura's own name tokeniser; its ``blocker.Index``
  needs a store and DuckDB), top 20 candidates by summed IDF.
* Scaling: lists of 1k, 10k and 100k names (``--scale``): the real CSL and embedded names
  first, then synthetic names that combine real name tokens (from the company files and the
  CSL) with a seeded generator: one to three distinctive tokens, sometimes a generic word, and
  a legal form. Each size is built in a fresh child process: index build time, the index's
  memory (resident memory after the build less before it, after a collection), the child's
  peak RSS, and per-query time of partyscreen (``--scale-queries``, 300) and of brute-force
  rapidfuzz (the first 100 of them).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = SHARED / "data"
CSL_SAMPLE = DATA / "csl" / "csl_2023-11-30_sample.csv"
OFAC_DIR = DATA / "ofac"
EMBEDDED_FILE = Path(__file__).resolve().parents[1] / "lists" / "entity_list.toml"
RESULTS = HERE / "results" / "throughput.json"

LEGAL_FORMS = [
    "Co., Ltd.",
    "Ltd",
    "Limited",
    "Inc.",
    "LLC",
    "GmbH",
    "Corporation",
    "JSC",
    "S.A.",
    "PLC",
    "Holdings",
    "Group",
    "Co",
]
GENERIC = [
    "Technology",
    "Trading",
    "International",
    "Industrial",
    "Electronics",
    "Import Export",
    "Logistics",
    "Engineering",
    "Shipping",
    "Investment",
    "Science",
    "Development",
]
WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")


# --------------------------------------------------------------------------------------------
# Data


def company_names() -> list[str]:
    """Real company names from the stock-exchange files, in file order, without repeats."""
    names: list[str] = []
    companies = DATA / "companies"
    with (companies / "sp500_constituents.csv").open(encoding="utf-8", newline="") as f:
        names += [row["Security"] for row in csv.DictReader(f)]
    with (companies / "nasdaq_listed_symbols.csv").open(encoding="utf-8", newline="") as f:
        names += [row["Company Name"] for row in csv.DictReader(f)]
    with (companies / "szse_a_share_list_2025-12.csv").open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            names += [row["英文名称"], row["公司全称"]]
    return [n for n in dict.fromkeys(n.strip() for n in names) if n]


def list_names(screener: Any) -> list[str]:
    """Every name and alias of a screener's entities."""
    return [n for e in screener.entities for n in e.names]


def typo(rng: random.Random, text: str) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0:  # drop
        return text[:i] + text[i + 1 :]
    if kind == 1:  # double
        return text[:i] + text[i] + text[i:]
    if kind == 2 and i + 1 < len(text):  # swap
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("aeiounrst") + text[i + 1 :]  # replace


def light_noise(rng: random.Random, text: str) -> str:
    """Changes a normaliser undoes: case, spacing, punctuation, legal forms."""
    kind = rng.randrange(5)
    if kind == 0:
        return text.upper()
    if kind == 1:
        return text.lower()
    if kind == 2:
        return "  " + text.replace(" ", "  ") + " "
    if kind == 3:
        return text.replace(",", "").replace(".", "")
    return f"{text} {rng.choice(LEGAL_FORMS)}"


def variant(rng: random.Random, name: str) -> str:
    """A noisy spelling of a listed name, as suppliers' files hold them."""
    words = name.split()
    kind = rng.randrange(6)
    if kind == 0:
        return typo(rng, name)
    if kind == 1 and len(words) > 1:
        rng.shuffle(words)
        return " ".join(words)
    if kind == 2:
        return f"{name} {rng.choice(LEGAL_FORMS)}"
    if kind == 3 and len(words) > 2:
        return " ".join(words[: rng.randrange(2, len(words))])
    if kind == 4:
        return typo(rng, light_noise(rng, name))
    return light_noise(rng, name)


def query_pool(companies: Sequence[str], listed: Sequence[str], seed: int) -> list[str]:
    """Real company names, then two noisy variants of each listed name (seeded), shuffled."""
    rng = random.Random(seed)
    pool = list(companies)
    for name in listed:
        pool += [variant(rng, name), variant(rng, name)]
    rng.shuffle(pool)
    return pool


def query_rows(pool: Sequence[str], rows: int, seed: int) -> Iterable[str]:
    """``rows`` queries: the pool once, then repeats, a third with light noise, 1/20 a typo."""
    rng = random.Random(seed + 1)
    for i in range(rows):
        if i < len(pool):
            yield pool[i]
            continue
        name = rng.choice(pool)
        roll = rng.random()
        if roll < 0.05:
            name = typo(rng, name)
        elif roll < 0.38:
            name = light_noise(rng, name)
        yield name


def write_queries(path: Path, names: Iterable[str]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["supplier_id", "supplier_name"])
        for count, name in enumerate(names, 1):
            writer.writerow([f"Q{count:08d}", name])
    return count


# --------------------------------------------------------------------------------------------
# Measuring


#: Queries per block in :func:`head_to_head`: short enough that both tools see the same
#: machine, long enough that the clock's resolution does not matter.
HEAD_TO_HEAD_BLOCK = 25

#: How often the child's memory is sampled (seconds). Reading PSS walks every page of the
#: child and its workers: every 0.05 s it took a fifth of a core (19 s of CPU in a 100 s run
#: on two cores), taken from the batch it measured. A batch's memory is flat once it streams.
MEMORY_SAMPLE_S = 0.2


def _descendants(pid: int) -> list[int]:
    """A process and its descendants (Linux /proc), itself first."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return out


def _memory_mb(pid: int) -> float:
    """A process's proportional set size (shared pages split among the processes sharing
    them, so forked workers are not counted twice), else its resident set; 0 once gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_child(argv: Sequence[str]) -> tuple[float, float, int, str]:
    """(wall seconds, peak memory MB, exit status, stderr) of a child process.

    The peak is the largest sum, over the child and its worker processes, of their memory
    (PSS), sampled every :data:`MEMORY_SAMPLE_S`. ``ru_maxrss`` cannot serve: it survives
    ``exec``, so it would report this benchmark's own memory at the fork. Where /proc is
    missing, ``ru_maxrss`` of the child is the fallback.
    """
    start = time.perf_counter()
    peak = 0.0
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        proc = Path("/proc").is_dir()
        while True:
            waited, status, usage = os.wait4(process.pid, os.WNOHANG)
            if waited:
                break
            if proc:
                peak = max(peak, sum(_memory_mb(p) for p in _descendants(process.pid)))
            time.sleep(MEMORY_SAMPLE_S)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    if not proc or not peak:
        peak = usage.ru_maxrss / 1024
    return wall, peak, process.returncode, text


def batch_run(source: Path, out: Path, workers: int, lists: Sequence[Path]) -> dict[str, Any]:
    argv = [
        sys.executable,
        "-m",
        "partyscreen",
        "batch",
        str(source),
        "-o",
        str(out),
        "--workers",
        str(workers),
        "--quiet",
    ]
    for path in lists:
        argv += ["--list", str(path)]
    wall, rss, status, err = run_child(argv)
    if status != 0:
        msg = f"batch failed ({status}): {err}"
        raise RuntimeError(msg)
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    session = manifest["sessions"][-1]
    return {
        "workers": workers,
        "rows": counts["rows"],
        "seconds": round(wall, 3),
        "rows_per_s": round(counts["rows"] / wall, 1),
        "peak_rss_mb": round(rss, 1),
        "counts": counts,
        "names_screened": session.get("names_screened"),
        "cache_hits": session.get("cache_hits"),
        "input_mb": round(source.stat().st_size / 1e6, 1),
    }


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """Time with what is alive now (every tool's lists and index, all in this one process)
    frozen out of the cyclic garbage collector's sight (``gc.freeze``), as a long-running
    service would after loading; each tool still pays for collecting its own new objects.
    Without it a full collection walks all the tools' heaps together (about 60 ms with the
    big list) and lands on whichever query triggers it: in the head to head, nomenklatura's
    allocations triggered most, and it ran at 155-163 queries/s instead of 206-214 (three
    and two runs), which had put partyscreen's speed-up at 12.4-12.9x instead of 9.6x."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def latency(screen: Callable[[str], Any], queries: Sequence[str]) -> dict[str, Any]:
    times: list[float] = []
    flagged = 0
    with heap_frozen():
        for q in queries:
            start = time.perf_counter()
            try:
                result = screen(q)
            except ValueError:  # EmptyNameError
                result = None
            times.append(time.perf_counter() - start)
            flagged += bool(result)
    times.sort()
    return {
        "queries": len(times),
        "median_us": round(statistics.median(times) * 1e6, 1),
        "p99_us": round(times[min(len(times) - 1, math.ceil(0.99 * len(times)) - 1)] * 1e6, 1),
        "queries_per_s": round(len(times) / sum(times), 1),
        "us_per_query": round(sum(times) / len(times) * 1e6, 1),
        "flagged": flagged,
    }


def rapidfuzz_peer(queries: Sequence[str], names: Sequence[str]) -> dict[str, Any]:
    from rapidfuzz import fuzz, process
    from unidecode import unidecode

    try:
        import numpy as np  # cdist returns a numpy matrix
    except ImportError:
        return {
            "queries": 0,
            "list_names": len(names),
            "seconds": 0,
            "queries_per_s": 0,
            "us_per_query": "-",
            "flagged": "-",
            "missing": "numpy (.[bench])",
        }

    choices = list(dict.fromkeys(unidecode(n).lower() for n in names))
    prepared = [unidecode(q).lower() for q in queries]
    flagged = 0
    with heap_frozen():
        start = time.perf_counter()
        for i in range(0, len(prepared), 500):  # in blocks: the score matrix is queries x names
            scores = process.cdist(
                prepared[i : i + 500],
                choices,
                scorer=fuzz.WRatio,
                score_cutoff=85,
                workers=-1,
                dtype=np.uint8,
            )
            flagged += int((scores.max(axis=1) >= 85).sum())
        seconds = time.perf_counter() - start
    return {
        "queries": len(queries),
        "list_names": len(choices),
        "seconds": round(seconds, 3),
        "queries_per_s": round(len(queries) / seconds, 1),
        "us_per_query": round(seconds / len(queries) * 1e6, 1),
        "flagged": flagged,
    }


def nomenklatura_matcher(screener: Any) -> Callable[[str, int], tuple[bool, int]] | None:
    """nomenklatura's logic-v2 over the screener's entities behind a whole-token index: a
    function of (query text, query number) giving (flagged at 0.7, comparisons made); None
    when nomenklatura is not installed."""
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from rigour.names import tokenize_name
    except ImportError:
        return None
    algo = get_algorithm("logic-v2")
    if algo is None:
        return None
    config = algo.default_config()

    def tokens(text: str) -> set[str]:
        return {t for t in tokenize_name(text.lower()) if len(t) > 1}

    candidates = []
    postings: dict[str, list[int]] = defaultdict(list)
    for number, entity in enumerate(screener.entities):
        proxy = model.make_entity("Company")
        proxy.id = f"e{number}"
        proxy.add("name", entity.name)
        proxy.add("alias", [a.name for a in entity.aliases])
        candidates.append(proxy)
        for token in set().union(*(tokens(n) for n in entity.names)):
            postings[token].append(number)
    idf = {t: math.log(len(candidates) / len(p)) for t, p in postings.items()}

    def match(text: str, number: int) -> tuple[bool, int]:
        # A new id per query: nomenklatura caches comparisons by entity id.
        query = model.make_entity("Company")
        query.id = f"q{number}"
        query.add("name", text)
        weight: Counter[int] = Counter()
        for token in tokens(text):
            for hit in postings.get(token, ()):
                weight[hit] += idf[token]
        best = 0.0
        compared = 0
        for hit, _ in weight.most_common(20):
            compared += 1
            best = max(best, algo.compare(query, candidates[hit], config).score)
        return best >= 0.7, compared

    return match


def nomenklatura_peer(
    queries: Sequence[str], match: Callable[[str, int], tuple[bool, int]] | None
) -> dict[str, Any] | None:
    if not queries or match is None:  # --nomenklatura-queries 0, or not installed
        return None
    flagged = 0
    compared = 0
    with heap_frozen():
        start = time.perf_counter()
        for number, text in enumerate(queries):
            hit, count = match(text, number)
            flagged += hit
            compared += count
        seconds = time.perf_counter() - start
    return {
        "algorithm": "logic-v2",
        "queries": len(queries),
        "comparisons": compared,
        "seconds": round(seconds, 3),
        "queries_per_s": round(len(queries) / seconds, 1),
        "us_per_query": round(seconds / len(queries) * 1e6, 1),
        "flagged_at_0.7": flagged,
    }


def head_to_head(
    queries: Sequence[str], screener: Any, match: Callable[[str, int], tuple[bool, int]] | None
) -> dict[str, Any] | None:
    """partyscreen's ``screen()`` and nomenklatura on the same queries, in alternating blocks
    of :data:`HEAD_TO_HEAD_BLOCK`, each tool first in every other block, so that a machine
    shared with other work slows both alike; the ratio of their times is the speed-up."""
    if not queries or match is None:
        return None
    ours = theirs = 0.0

    def run_ours(block: Sequence[str]) -> float:
        with heap_frozen():
            start = time.perf_counter()
            for text in block:
                with contextlib.suppress(ValueError):  # EmptyNameError
                    screener.screen(text)
            return time.perf_counter() - start

    def run_theirs(block: Sequence[str], first: int) -> float:
        with heap_frozen():
            start = time.perf_counter()
            for number, text in enumerate(block, first):
                match(text, number)
            return time.perf_counter() - start

    for i in range(0, len(queries), HEAD_TO_HEAD_BLOCK):
        block = queries[i : i + HEAD_TO_HEAD_BLOCK]
        if i // HEAD_TO_HEAD_BLOCK % 2:
            theirs += run_theirs(block, i)
            ours += run_ours(block)
        else:
            ours += run_ours(block)
            theirs += run_theirs(block, i)
    return {
        "queries": len(queries),
        "partyscreen_queries_per_s": round(len(queries) / ours, 1),
        "nomenklatura_queries_per_s": round(len(queries) / theirs, 1),
        "speedup": round(theirs / ours, 1),
    }


# --------------------------------------------------------------------------------------------
# Scaling (each size in a child process)


def synthetic_names(
    size: int, real: Sequence[str], vocabulary: Sequence[str], seed: int
) -> list[str]:
    """``size`` names: the real ones first, then seeded combinations of real name tokens."""
    rng = random.Random(seed)
    names = list(dict.fromkeys(real))[:size]
    seen = set(names)
    while len(names) < size:
        words = [rng.choice(vocabulary).title() for _ in range(rng.choice((1, 2, 2, 3)))]
        if rng.random() < 0.4:
            words.append(rng.choice(GENERIC))
        words.append(rng.choice(LEGAL_FORMS))
        name = " ".join(words)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def peak_rss_mb() -> float:
    """This process's peak resident memory: VmHWM (Linux; reset by exec, unlike
    ``ru_maxrss``, which would still hold the parent's memory at the fork), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """This process's resident memory now (Linux), else its peak so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def scale_child(size: int, seed: int, queries_path: Path) -> dict[str, Any]:
    import gc

    from partyscreen import ListedEntity, Screener, ScreeningList
    from partyscreen.csl import load_csl
    from partyscreen.embedded import default_lists

    csl = load_csl(CSL_SAMPLE).screening_list
    real = [e.name for sl in (*default_lists(), csl) for e in sl.entities]
    vocabulary = sorted({w.lower() for n in (*company_names(), *real) for w in WORD.findall(n)})
    names = synthetic_names(size, real, vocabulary, seed)
    queries = json.loads(queries_path.read_text(encoding="utf-8"))
    entities = [
        ListedEntity(id=f"S{i}", name=name, list_code="BENCH", list_name="benchmark")
        for i, name in enumerate(names)
    ]
    screening_list = ScreeningList(name=f"bench-{size}", sha256="0" * 64, entities=entities)
    del csl, real, vocabulary
    gc.collect()
    rss_before = current_rss_mb()
    start = time.perf_counter()
    screener = Screener([screening_list])
    build = time.perf_counter() - start
    gc.collect()
    rss_after = current_rss_mb()
    ours = latency(screener.screen, queries)
    peer = rapidfuzz_peer(queries[:100], names)
    return {
        "names": size,
        "vocabulary": len(screener.index.vocabulary),
        "build_s": round(build, 3),
        "rss_mb_before_build": round(rss_before, 1),
        "rss_mb_after_build": round(rss_after, 1),
        "index_mb": round(rss_after - rss_before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "partyscreen": ours,
        "rapidfuzz_wratio": peer,
    }


def scaling(sizes: Sequence[int], queries: Sequence[str], seed: int, work: Path) -> list[Any]:
    queries_path = work / "scale_queries.json"
    queries_path.write_text(json.dumps(list(queries)), encoding="utf-8")
    out = []
    for size in sizes:
        argv = [
            sys.executable,
            __file__,
            "--scale-child",
            str(size),
            "--seed",
            str(seed),
            "--scale-queries-file",
            str(queries_path),
        ]
        done = subprocess.run(argv, capture_output=True, text=True, check=True)
        out.append(json.loads(done.stdout))
    return out


# --------------------------------------------------------------------------------------------
# The big file


def write_big_file(path: Path, pool: Sequence[str], gigabytes: float, seed: int) -> int:
    target = int(gigabytes * 1e9)
    rng = random.Random(seed + 2)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["supplier_id", "supplier_name", "country", "notes"])
        while f.tell() < target:
            for _ in range(10_000):
                count += 1
                name = rng.choice(pool)
                if rng.random() < 0.3:
                    name = light_noise(rng, name)
                writer.writerow(
                    [
                        f"B{count:010d}",
                        name,
                        rng.choice(("CN", "US", "DE", "RU")),
                        "x" * rng.randrange(0, 40),
                    ]
                )
    return count


# --------------------------------------------------------------------------------------------
# Report


def table(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    body = [[str(c) for c in r] for r in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(header)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [f"\n{title}", line, "-" * len(line)]
    out += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    return "\n".join(out)


def report(results: dict[str, Any]) -> str:
    parts = []
    parts.append(
        table(
            "Batch, CSV in -> CSV out (python -m partyscreen batch)",
            [
                "list",
                "rows",
                "workers",
                "seconds",
                "rows/s",
                "peak MB",
                "screened",
                "cache hits",
                "review",
                "match",
                "errors",
            ],
            [
                [
                    b["list"],
                    b["rows"],
                    b["workers"],
                    b["seconds"],
                    f"{b['rows_per_s']:,.0f}",
                    b["peak_rss_mb"],
                    b["names_screened"],
                    b["cache_hits"],
                    b["counts"]["review"],
                    b["counts"]["match"],
                    b["counts"]["errors"],
                ]
                for b in results["batch"]
            ],
        )
    )
    parts.append(
        table(
            "Single screen() on distinct queries (cold caches)",
            ["list", "entities", "queries", "median us", "p99 us", "queries/s", "flagged"],
            [
                [
                    x["list"],
                    x["entities"],
                    x["queries"],
                    x["median_us"],
                    x["p99_us"],
                    f"{x['queries_per_s']:,.0f}",
                    x["flagged"],
                ]
                for x in results["latency"]
            ],
        )
    )
    peers = []
    for p in results["peers"]:
        peers.append(
            [
                p["list"],
                p["tool"],
                p["queries"],
                f"{p['queries_per_s']:,.0f}",
                p["us_per_query"],
                p["flagged"],
                p["note"],
            ]
        )
    parts.append(
        table(
            "Peers on the same queries (the first N of the seeded query pool)",
            ["list", "tool", "queries", "queries/s", "us/query", "flagged", "how"],
            peers,
        )
    )
    if results.get("head_to_head"):
        parts.append(
            table(
                "Head to head with nomenklatura: the next N distinct queries, alternating blocks"
                f" of {HEAD_TO_HEAD_BLOCK}",
                ["list", "queries", "partyscreen q/s", "nomenklatura q/s", "speed-up"],
                [
                    [
                        h["list"],
                        h["queries"],
                        f"{h['partyscreen_queries_per_s']:,.0f}",
                        f"{h['nomenklatura_queries_per_s']:,.0f}",
                        f"{h['speedup']}x",
                    ]
                    for h in results["head_to_head"]
                ],
            )
        )
    if results.get("scaling"):
        parts.append(
            table(
                "Scaling: list size (real names, then seeded combinations of real name tokens)",
                [
                    "names",
                    "vocabulary",
                    "build s",
                    "index MB (RSS delta)",
                    "peak MB",
                    "queries",
                    "median us",
                    "p99 us",
                    "rapidfuzz us/query (first 100 q)",
                ],
                [
                    [
                        s["names"],
                        s["vocabulary"],
                        s["build_s"],
                        s["index_mb"],
                        s["peak_rss_mb"],
                        s["partyscreen"]["queries"],
                        s["partyscreen"]["median_us"],
                        s["partyscreen"]["p99_us"],
                        s["rapidfuzz_wratio"]["us_per_query"],
                    ]
                    for s in results["scaling"]
                ],
            )
        )
    if results.get("big_file"):
        big = results["big_file"]
        parts.append(
            table(
                f"Big input ({big['input_mb']} MB)",
                ["workers", "rows", "seconds", "rows/s", "peak RSS MB"],
                [
                    [
                        b["workers"],
                        b["rows"],
                        b["seconds"],
                        f"{b['rows_per_s']:,.0f}",
                        b["peak_rss_mb"],
                    ]
                    for b in big["runs"]
                ],
            )
        )
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="batch rows (default 100000)")
    parser.add_argument(
        "--csl-rows",
        type=int,
        default=10_000,
        help="batch rows against the CSL sample (default 10000)",
    )
    parser.add_argument(
        "--peer-queries",
        type=int,
        default=1000,
        help="queries for latency and the rapidfuzz peer (default 1000)",
    )
    parser.add_argument(
        "--nomenklatura-queries",
        type=int,
        default=300,
        help="queries for nomenklatura logic-v2 (default 300)",
    )
    parser.add_argument(
        "--scale", default="1000,10000,100000", help="list sizes for the scaling table ('' to skip)"
    )
    parser.add_argument(
        "--scale-queries",
        type=int,
        default=300,
        help="queries per list size (rapidfuzz: at most 100; default 300)",
    )
    parser.add_argument(
        "--big-file-gb",
        type=float,
        default=0.0,
        help="also generate an input of this many GB and batch it",
    )
    parser.add_argument("--workers", default="1,2", help="batch worker counts (default 1,2)")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--workdir", type=Path, help="where to write inputs and outputs")
    parser.add_argument("--output", type=Path, default=RESULTS, help="the JSON results file")
    parser.add_argument("--scale-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scale-queries-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.scale_child:
        print(json.dumps(scale_child(args.scale_child, args.seed, args.scale_queries_file)))
        return 0
    if not CSL_SAMPLE.exists():
        print(f"benchmark data missing: {CSL_SAMPLE} (../shared beside the checkout)")
        return 2

    from partyscreen import __version__
    from partyscreen.csl import load_csl
    from partyscreen.embedded import default_screener
    from partyscreen.ofac import load_ofac
    from partyscreen.screener import Screener

    started = time.perf_counter()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="partyscreen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    embedded = default_screener()
    # The benchmark list: the CSL sample, the OFAC SDN list with its aliases and the
    # embedded list, about 30,000 names.
    full_lists = [load_csl(CSL_SAMPLE).screening_list, load_ofac(OFAC_DIR).screening_list]
    csl = Screener([*full_lists, *embedded.lists])
    listed = list(dict.fromkeys(list_names(embedded) + list_names(csl)))
    companies = company_names()
    pool = query_pool(companies, listed, args.seed)
    print(
        f"queries: {len(companies)} real company names + {len(pool) - len(companies)} noisy "
        f"variants of {len(listed)} listed names; work folder {work}",
        flush=True,
    )

    results: dict[str, Any] = {
        "partyscreen_version": __version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "seed": args.seed,
        "rows": args.rows,
        "query_pool": {"companies": len(companies), "variants": len(pool) - len(companies)},
        "batch": [],
        "latency": [],
        "peers": [],
        "head_to_head": [],
    }

    # Batch, end to end.
    workers = [int(w) for w in args.workers.split(",") if w]
    inputs = {}
    for label, rows in (("embedded", args.rows), ("csl", args.csl_rows)):
        path = work / f"queries_{rows}.csv"
        if not path.exists():
            write_queries(path, query_rows(pool, rows, args.seed))
        inputs[label] = path
    for label, lists in (("embedded", []), ("csl", [CSL_SAMPLE, OFAC_DIR, EMBEDDED_FILE])):
        for w in workers:
            print(f"batch: {label} list, {w} worker(s)...", flush=True)
            run = batch_run(inputs[label], work / f"out_{label}_{w}.csv", w, lists)
            results["batch"].append({"list": label, **run})

    # Latency and peers on the same distinct queries.
    distinct = list(dict.fromkeys(pool))
    sample = distinct[: args.peer_queries]
    for label, screener in (("embedded", embedded), ("csl", csl)):
        print(f"latency and peers: {label} list...", flush=True)
        ours = latency(screener.screen, sample)
        results["latency"].append({"list": label, "entities": len(screener.entities), **ours})
        results["peers"].append(
            {
                "list": label,
                "tool": "partyscreen screen()",
                "note": "index + weighted token scoring",
                **ours,
            }
        )
        fuzz = rapidfuzz_peer(sample, list_names(screener))
        results["peers"].append(
            {
                "list": label,
                "tool": "rapidfuzz cdist WRatio>=85",
                "note": fuzz.get("missing")
                or f"brute force vs {fuzz['list_names']} names, all cores",
                **fuzz,
            }
        )
        # nomenklatura's index over the same entities, built once for both measures.
        match = nomenklatura_matcher(screener) if args.nomenklatura_queries else None
        nk = nomenklatura_peer(sample[: args.nomenklatura_queries], match)
        # Then both on the same fresh queries, interleaved: the speed-up with drift cancelled.
        fresh = distinct[args.peer_queries : args.peer_queries + args.nomenklatura_queries]
        versus = head_to_head(fresh, screener, match)
        if versus is not None:
            results["head_to_head"].append({"list": label, **versus})
        if nk is None:
            results["peers"].append(
                {
                    "list": label,
                    "tool": "nomenklatura logic-v2",
                    "queries": 0,
                    "queries_per_s": 0,
                    "us_per_query": "-",
                    "flagged": "-",
                    "note": (
                        "not installed (.[bench])" if args.nomenklatura_queries else "not run"
                    ),
                }
            )
        else:
            results["peers"].append(
                {
                    "list": label,
                    "tool": "nomenklatura logic-v2>=0.7",
                    "note": f"top-20 token-index candidates, {nk['comparisons']} compares",
                    "flagged": nk["flagged_at_0.7"],
                    **nk,
                }
            )

    sizes = [int(s) for s in args.scale.split(",") if s]
    if sizes:
        print(f"scaling: {sizes}...", flush=True)
        queries = list(dict.fromkeys(pool))[: args.scale_queries]
        results["scaling"] = scaling(sizes, queries, args.seed, work)

    if args.big_file_gb:
        path = work / "big.csv"
        print(f"big file: writing {args.big_file_gb} GB...", flush=True)
        rows = write_big_file(path, pool, args.big_file_gb, args.seed)
        runs = [batch_run(path, work / f"big_out_{w}.csv", w, []) for w in workers]
        results["big_file"] = {
            "rows": rows,
            "input_mb": round(path.stat().st_size / 1e6),
            "runs": runs,
        }

    results["total_seconds"] = round(time.perf_counter() - started, 1)
    text = report(results)
    print(text)
    print(f"\ntotal {results['total_seconds']} s")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
