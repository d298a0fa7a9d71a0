"""The command-line tool: argument parsing and output only; the work is done by the library."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence

from partyscreen._version import __version__
from partyscreen.errors import OptionError, PartyscreenError
from partyscreen.result import DISCLAIMER, Match, ScreeningResult
from partyscreen.screener import Screener

__all__ = ["main"]

#: Exit status for bad usage or unreadable input.
EXIT_USAGE = 2


def _screener(paths: Sequence[str] | None) -> Screener:
    if paths:
        return Screener.from_paths(paths)
    from partyscreen.embedded import default_screener

    return default_screener()


def _with_records(screener: Screener, args: argparse.Namespace) -> Screener:
    """The screener with the files of ``--licences`` and ``--decisions``, if any."""
    from partyscreen.licencefile import load_licences
    from partyscreen.suppression import load_decisions

    licences = load_licences(args.licences) if args.licences else None
    decisions = load_decisions(args.decisions) if args.decisions else None
    if licences is None and decisions is None:
        return screener
    if licences is not None:
        for record in licences.unattached(screener.entities):
            print(f"partyscreen: warning: licence {record.id} names no entity of the lists in "
                  f"use: {record.entity_id!r}", file=sys.stderr)  # fmt: skip
    return screener.with_records(licences=licences, decisions=decisions)


def _print_compliance(m: Match) -> None:
    """A match's review, licences on record, coverage and derived review policy."""
    if m.suppressed is not None:
        s = m.suppressed
        print(f"         SUPPRESSED: reviewed as not this entity by {s.reviewer} on "
              f"{s.date.isoformat()}: {s.reason}")  # fmt: skip
    for s in m.earlier_reviews:
        print(f"         earlier review no longer holds (the entry changed since): "
              f"{s.reviewer}, {s.date.isoformat()}: {s.reason}")  # fmt: skip
    for x in m.licences:
        valid = f"valid {x.valid_from} to {x.valid_to}"
        print(f"         licence on record: {x.id} ({x.granted_by}, {valid}): {x.scope}")
    coverage = m.coverage
    if coverage is None or not (coverage.checks or coverage.deal.classification):
        return
    print(f"         coverage on {coverage.day.isoformat()}: {coverage.status}")
    for check in coverage.checks:
        print(f"           {check.record.id} ({check.origin}): {check.status}: "
              f"{'; '.join(check.reasons + check.conditions)}")  # fmt: skip
    policy = coverage.review_policy
    if policy is not None:
        unless = "".join(f"; {r.policy} if {r.items.text}" for r in policy.unless)
        print(f"         review policy for {policy.item} (derived from the listed text, not a "
              f"determination): licence required: {policy.licence_required}; "
              f"{policy.policy}{unless}")  # fmt: skip


def _print_result(result: ScreeningResult) -> None:
    head = f"{result.query}: {result.decision.upper()} (as of {result.as_of.isoformat()})"
    if result.coverage is not None:
        head += f"; coverage: {result.coverage}"
    if result.suppressed:
        head += f"; {len(result.suppressed)} match(es) suppressed by review"
    print(head)
    if result.restricted_to:
        print(f"  restricted to {result.restricted_to}")
    for m in result.matches:
        e = m.entity
        print(f"  {m.score:.3f}  {m.decision:<6} {e.name}  [{e.list_code}]  id {e.id}")
        print(f"         matched {m.matched_name!r} ({m.matched_name_kind}):"
              f" {m.normalized_query!r} ~ {m.normalized_name!r}")  # fmt: skip
        listed = e.listed_on.isoformat() if e.listed_on else "date unknown"
        removed = f", removed {e.removed_on.isoformat()}" if e.removed_on else ""
        print(f"         listed {listed}{removed}; {'; '.join(e.citations)}")
        if e.license.requirement or e.license.policy:
            print(f"         license requirement: {e.license.requirement}")
            print(f"         license policy: {e.license.policy}")
        for x in e.exceptions:
            when = x.approved_on or x.applied_on
            print(f"         on record: {x.granted_by} -> {x.granted_to}"
                  f" ({when.isoformat() if when else 'date unknown'}): {x.scope}")  # fmt: skip
            print(f"           source: {x.source}")
        _print_compliance(m)
    for sl in result.lists:
        print(f"  list: {sl.name} (version {sl.version or 'unknown'}, sha256 {sl.sha256[:16]}...)")
    for f in result.files:
        print(f"  {f.kind}: {f.path} ({f.records} records, sha256 {f.sha256[:16]}...)")
    print(f"  {DISCLAIMER}")


def _cmd_screen(args: argparse.Namespace) -> int:
    from partyscreen.licensing import Deal

    screener = _with_records(_screener(args.list), args)
    deal = None
    if args.item or args.purpose:
        deal = Deal(classification=args.item, purpose=args.purpose)
    result = screener.screen(
        args.name,
        threshold=args.threshold,
        limit=args.limit,
        as_of=args.as_of,
        lists=args.source or None,
        deal=deal,
    )
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_result(result)
    return 0


def _cmd_lists(args: argparse.Namespace) -> int:
    screener = _screener(args.list)
    if args.json:
        print(json.dumps([sl.to_dict() for sl in screener.lists], ensure_ascii=False, indent=2))
        return 0
    for sl in screener.lists:
        print(f"{sl.name}")
        print(f"  version {sl.version or 'unknown'}; {len(sl.entities)} entities; "
              f"source lists {', '.join(sl.list_codes)}")  # fmt: skip
        print(f"  sha256 {sl.sha256}")
        print(f"  source {sl.source}")
        for reason in sl.rows_left_out:
            print(f"  row left out: {reason}")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from datetime import date

    from partyscreen.normalize import normalize_name
    from partyscreen.suppression import find_entity, record_review

    # (The arguments are checked as arguments: record_review's errors name the decisions
    # file's next line, which a bad argument never reaches.)
    if not normalize_name(args.name):
        msg = f"NAME {args.name!r}: nothing to record, it is empty after normalisation"
        raise OptionError(msg)
    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError as exc:
        msg = f"--date must be a date like 2026-01-15, not {args.date!r} ({exc})"
        raise OptionError(msg) from exc
    entity = find_entity(_screener(args.list).entities, args.entity, list_code=args.source)
    record = record_review(
        args.decisions,
        name=args.name,
        entity=entity,
        reviewer=args.reviewer,
        reason=args.reason,
        day=day,
    )
    print(f"recorded in {args.decisions}: {record.name!r} is not {entity.name} "
          f"[{entity.list_code}] id {entity.id} (entry sha256 {record.entity_hash[:16]}...), "
          f"reviewed by {record.reviewer} on {record.date.isoformat()}")  # fmt: skip
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from partyscreen.diff import diff_lists
    from partyscreen.loaders import load_path

    found = diff_lists(load_path(args.old), load_path(args.new))
    if args.json:
        print(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(found.to_text())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partyscreen", description="Restricted-party screening against export-control lists."
    )
    parser.add_argument("--version", action="version", version=f"partyscreen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    list_help = "a list file to screen against (repeatable); default: the embedded list"
    p = sub.add_parser("screen", help="screen one name")
    p.add_argument("name", help="the name to screen")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument("--as-of", metavar="DATE", help="screen as of this date (YYYY-MM-DD)")
    p.add_argument("--list", metavar="PATH", action="append", help=list_help)
    p.add_argument("--source", metavar="CODE", action="append",
                   help="only entries of this source list, e.g. EL (repeatable)")  # fmt: skip
    p.add_argument("--threshold", type=float, help="review threshold in [0, 1]")
    p.add_argument("--limit", type=int, default=5, help="matches to show (default 5)")
    p.add_argument("--item", metavar="ECCN",
                   help="the deal's item classification: EAR99 or an ECCN (1A004.c)")  # fmt: skip
    p.add_argument("--purpose", metavar="TEXT", help="the deal's purpose, shown beside licences")
    p.add_argument("--licences", metavar="PATH", action="append",
                   help="a licences file (TOML, [[licence]] tables; repeatable)")  # fmt: skip
    p.add_argument("--decisions", metavar="FILE",
                   help="reviewed false positives (JSON Lines; see 'review')")  # fmt: skip
    p.set_defaults(func=_cmd_screen)

    p = sub.add_parser("review", help="record that a name is not a listed entity",
                       description="Append to FILE that NAME is not the listed entity ID; later "
                       "screens with --decisions FILE show that match as suppressed until the "
                       "entity's entry or the name changes.")  # fmt: skip
    p.add_argument("name", help="the name as screened")
    p.add_argument("--entity", metavar="ID", required=True, help="the listed entity's id")
    p.add_argument("--source", metavar="CODE",
                   help="its list code, when the id is used in several source lists")  # fmt: skip
    p.add_argument("--reviewer", metavar="WHO", required=True, help="who reviewed it")
    p.add_argument("--reason", metavar="TEXT", required=True, help="why it is not that entity")
    p.add_argument("--decisions", metavar="FILE", required=True,
                   help="the decisions file to append to (created if missing)")  # fmt: skip
    p.add_argument("--date", metavar="DATE", help="date of the review (default today)")
    p.add_argument("--list", metavar="PATH", action="append", help=list_help)
    p.set_defaults(func=_cmd_review)

    p = sub.add_parser("diff", help="entities added, removed and changed between two list files")
    p.add_argument("old", help="the older list file (TOML, CSL CSV or JSON)")
    p.add_argument("new", help="the newer list file")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser("lists", help="show the lists in use")
    p.add_argument("--list", metavar="PATH", action="append", help=list_help)
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=_cmd_lists)

    p = sub.add_parser(
        "batch",
        help="screen every row of a CSV file",
        description="Screen every row of a CSV file (UTF-8, or UTF-16 with BOM; delimiter "
        "sniffed) into OUT: the input columns, then ps_decision, ps_entity_id, ... ps_coverage, "
        "ps_suppressed, ps_error. "
        "Writes OUT.manifest.json beside it. Exit 0, 1 with --fail-on when a row reached that "
        "decision, 2 on bad usage or input.",
    )
    p.add_argument("input", metavar="IN.csv", help="the CSV file to screen (it needs a header)")
    p.add_argument("-o", "--output", metavar="OUT", required=True,
                   help="the output file (overwritten unless --resume)")  # fmt: skip
    p.add_argument("--column", metavar="NAME",
                   help="the column of names (default: one named like name, company, "
                        "supplier_name or party)")  # fmt: skip
    p.add_argument("--id-column", metavar="ID", help="a column identifying rows in messages")
    p.add_argument("--list", metavar="PATH", action="append", help=list_help)
    p.add_argument("--source", metavar="CODE", action="append",
                   help="only entries of this source list, e.g. EL (repeatable)")  # fmt: skip
    p.add_argument("--threshold", type=float, help="review threshold in [0, 1]")
    p.add_argument("--as-of", metavar="DATE", help="screen as of this date (YYYY-MM-DD)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv",
                   help="csv: one row per input row; jsonl: one JSON object per input row "
                        "with the full result")  # fmt: skip
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted run of the same input and settings")  # fmt: skip
    p.add_argument("--fail-on", choices=["review", "match"],
                   help="exit 1 when a row reached this decision "
                        "(review: review or match)")  # fmt: skip
    p.add_argument("--delimiter", choices=[",", ";", "\t", "|"], metavar="CHAR",
                   type=lambda s: "\t" if s in ("tab", "\\t") else s,
                   help="the input's delimiter: , ; tab or | (default: sniffed)")  # fmt: skip
    p.add_argument("--commit-every", type=int, default=2000, metavar="N",
                   help="rows between two commits of the output (default 2000)")  # fmt: skip
    p.add_argument("--since", metavar="OLD",
                   help="an older list file: report only matches with entities added or "
                        "changed since then (vs. all the lists in use)")  # fmt: skip
    p.add_argument("--item", metavar="ECCN",
                   help="the deal's item classification: EAR99 or an ECCN (1A004.c)")  # fmt: skip
    p.add_argument("--purpose", metavar="TEXT", help="the deal's purpose, shown beside licences")
    p.add_argument("--licences", metavar="PATH", action="append",
                   help="a licences file (TOML, [[licence]] tables; repeatable)")  # fmt: skip
    p.add_argument("--decisions", metavar="FILE",
                   help="reviewed false positives (JSON Lines; see 'review'): suppressed and "
                        "counted")  # fmt: skip
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=_cmd_batch)
    return parser


def _cmd_batch(args: argparse.Namespace) -> int:
    from partyscreen.batch import BatchOptions, run_batch

    options = BatchOptions(
        input=args.input,
        output=args.output,
        column=args.column,
        id_column=args.id_column,
        list_paths=args.list or (),
        sources=args.source or (),
        threshold=args.threshold,
        as_of=args.as_of,
        workers=args.workers,
        format=args.format,
        resume=args.resume,
        fail_on=args.fail_on,
        delimiter=args.delimiter,
        commit_every=args.commit_every,
        since=args.since,
        licence_paths=args.licences or (),
        decisions_path=args.decisions,
        item=args.item,
        purpose=args.purpose,
        progress=False if args.quiet else None,
        quiet=args.quiet,
    )
    # The lists, licences and decisions as `partyscreen screen` reads them; the batch run adds
    # the deal (dated --as-of) and --since.
    screener = _with_records(_screener(args.list), args)
    try:
        return run_batch(options, screener=screener, stderr=sys.stderr).exit_status
    except KeyboardInterrupt:
        print("partyscreen: interrupted; the rows committed so far are kept: run the same "
              "command with --resume to continue", file=sys.stderr)  # fmt: skip
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except (PartyscreenError, ValueError, OSError, csv.Error) as exc:
        print(f"partyscreen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return status
