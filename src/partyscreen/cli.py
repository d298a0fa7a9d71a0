"""The command-line tool: argument parsing and output only; the work is done by the library."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from partyscreen._version import __version__
from partyscreen.errors import PartyscreenError
from partyscreen.result import DISCLAIMER, ScreeningResult
from partyscreen.screener import Screener

__all__ = ["main"]

#: Exit status for bad usage or unreadable input.
EXIT_USAGE = 2


def _screener(paths: Sequence[str] | None) -> Screener:
    if paths:
        return Screener.from_paths(paths)
    from partyscreen.embedded import default_screener

    return default_screener()


def _print_result(result: ScreeningResult) -> None:
    print(f"{result.query}: {result.decision.upper()} (as of {result.as_of.isoformat()})")
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
    for sl in result.lists:
        print(f"  list: {sl.name} (version {sl.version or 'unknown'}, sha256 {sl.sha256[:16]}...)")
    print(f"  {DISCLAIMER}")


def _cmd_screen(args: argparse.Namespace) -> int:
    screener = _screener(args.list)
    result = screener.screen(
        args.name,
        threshold=args.threshold,
        limit=args.limit,
        as_of=args.as_of,
        lists=args.source or None,
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
    p.set_defaults(func=_cmd_screen)

    p = sub.add_parser("lists", help="show the lists in use")
    p.add_argument("--list", metavar="PATH", action="append", help=list_help)
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=_cmd_lists)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except (PartyscreenError, ValueError, OSError) as exc:
        print(f"partyscreen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return status
