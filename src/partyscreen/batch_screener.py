"""The screener a batch run uses: the lists (or the embedded default) with the licences and
decisions files the options name, or the screener given to :func:`partyscreen.batch.run_batch`
(checked to apply those files), restricted with ``--since`` to the entities added or changed
since an older version of the lists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from partyscreen.batch_input import quoted
from partyscreen.batch_options import BatchError, BatchOptions
from partyscreen.checkpoint import file_sha256
from partyscreen.diff import changed_entity_keys, diff_lists
from partyscreen.licencefile import load_licences
from partyscreen.model import ScreeningList
from partyscreen.screener import Screener
from partyscreen.suppression import load_decisions

__all__ = ["check_given_screener", "load_screener", "restrict_since", "since_text"]


def load_screener(options: BatchOptions, say: Callable[[str], None]) -> Screener:
    """The lists (or the embedded default), with the licences and decisions files; ``say``
    warns of a licence that names no entity of the lists."""
    o = options
    if o.list_paths:
        screener = Screener.from_paths(o.list_paths)
    else:
        from partyscreen.embedded import default_screener

        screener = default_screener()
    if not (o.licence_paths or o.decisions_path):
        return screener
    licences = load_licences(o.licence_paths) if o.licence_paths else None
    decisions = load_decisions(o.decisions_path) if o.decisions_path else None
    for record in licences.unattached(screener.entities) if licences is not None else ():
        say(
            f"partyscreen batch: warning: licence {record.id} names no entity of the lists "
            f"in use: {record.entity_id!r}"
        )
    return screener.with_records(licences=licences, decisions=decisions)


def check_given_screener(options: BatchOptions, screener: Screener) -> None:
    """A screener given to run_batch must apply the records files the options name."""
    o = options
    named = [*o.licence_paths, *([o.decisions_path] if o.decisions_path else [])]
    applied = {f.path for f in screener.record_files}
    missing = [p for p in named if str(Path(p)) not in applied]
    if missing:
        msg = (
            f"the screener given does not apply {quoted(missing)}, named in the options: "
            "give it those records (Screener.with_records) or give no screener"
        )
        raise BatchError(msg)


def restrict_since(screener: Screener, since: str) -> tuple[Screener, dict[str, Any]]:
    """The screener reporting only the entities added or changed since ``since``, and what
    was compared (for the manifest).

    The older file is compared with all the entities in use taken together: with several
    lists in use, entities of lists it does not hold count as added (screened, not missed).
    Entities removed since then need no screening.
    """
    path = Path(since)
    from partyscreen.loaders import load_path

    old = load_path(path)
    if len(screener.lists) == 1:
        in_use = screener.lists[0]
    else:
        combined = hashlib.sha256("".join(sl.sha256 for sl in screener.lists).encode())
        in_use = ScreeningList(
            name="the lists in use",
            sha256=combined.hexdigest(),
            entities=screener.entities,
            source="; ".join(sl.name for sl in screener.lists),
        )
    found = diff_lists(old, in_use)
    keys = changed_entity_keys(old, in_use)
    sha256 = file_sha256(path) or old.sha256
    reason = (
        f"added or changed since {path.name} (version {old.version or 'unknown'}, "
        f"sha256 {sha256[:16]}...)"
    )
    restricted = screener.restricted_to(keys, reason=reason)
    compared = {
        "path": str(path.resolve()),
        "sha256": sha256,
        "name": old.name,
        "version": old.version,
        "entities": len(old.entities),
        "compared_with": [sl.name for sl in screener.lists],
        "added": len(found.added),
        "changed": len(found.changed),
        "removed": len(found.removed),
        "entities_screened": sum((e.list_code, e.id) in keys for e in screener.entities),
        "entities_in_use": len(screener.entities),
        "restricted_to": restricted.restriction,
    }
    return restricted, compared


def since_text(since: Mapping[str, Any]) -> str:
    """What ``--since`` compared, in a sentence."""
    return (
        f"since {Path(since['path']).name} (version {since['version'] or 'unknown'}): "
        f"{since['added']} entities added, {since['changed']} changed, {since['removed']} "
        f"removed; only matches with the {since['entities_screened']} added or changed (of "
        f"{since['entities_in_use']} in use) are reported"
    )
