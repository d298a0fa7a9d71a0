"""The manifest of a batch run, written beside the output as ``OUT.manifest.json`` when the run
is complete: what was screened (the input's sha256, encoding, delimiter and columns), against
what (the lists with their versions and sha256s, the licences and decisions files, ``--since``),
how (the settings), what came out (the output's sha256, the counts, the exit status), when (the
sessions of an interrupted and resumed run) and the fingerprint a resume compares.

``--resume`` of a run that is complete finds its manifest (:func:`complete_run`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from partyscreen._version import __version__
from partyscreen.batch_options import BatchError, BatchOptions, cache_size
from partyscreen.batch_output import OutputRows
from partyscreen.checkpoint import (
    FingerprintAsOf,
    Progress,
    check_same_run,
    file_sha256,
    read_json,
    record_files,
    recorded_as_of,
)
from partyscreen.csvio import InputFile
from partyscreen.result import DISCLAIMER
from partyscreen.screener import Screener

__all__ = ["build_manifest", "complete_run", "manifest_path"]


def manifest_path(output: Path) -> Path:
    """``OUT.csv`` -> ``OUT.csv.manifest.json``."""
    return output.with_name(output.name + ".manifest.json")


def build_manifest(
    *,
    options: BatchOptions,
    source: InputFile,
    rows: OutputRows,
    screener: Screener,
    since: Mapping[str, Any] | None,
    settings: Mapping[str, Any],
    state: Progress,
    exit_status: int,
    finished_at: str,
    fingerprint: Mapping[str, Any],
) -> dict[str, Any]:
    """The manifest of the run that wrote ``rows`` from ``source``, as ``state`` has it now."""
    o = options
    columns = rows.input
    return {
        "partyscreen_version": __version__,
        "command": "batch",
        "input": {
            "path": str(o.input.resolve()),
            "sha256": source.sha256,
            "bytes": source.size,
            "encoding": source.encoding,
            "codec": source.codec,
            "bom": source.bom,
            "delimiter": rows.delimiter,
            "columns": columns.header,
            "name_column": columns.header[columns.name_index],
            "id_column": settings["id_column"],
        },
        "output": {
            "path": str(o.output.resolve()),
            "format": o.format,
            "sha256": state.output_sha256,
            "bytes": state.output_bytes,
            "encoding": "UTF-8",
            "delimiter": rows.delimiter if o.format == "csv" else None,
            "columns": rows.columns if o.format == "csv" else None,
            "prefix": rows.prefix,
        },
        "lists": [sl.to_dict() for sl in screener.lists],
        "record_files": record_files(screener),
        "since": since,
        "settings": {
            **settings,
            "workers": o.workers,
            "fail_on": o.fail_on,
            "cache_size": cache_size(o),
            "commit_every": o.commit_every,
        },
        "counts": state.counts,
        "exit_status": exit_status,
        "started_at": state.started_at,
        "finished_at": finished_at,
        "resumed": len(state.sessions) > 1,
        "sessions": state.sessions,
        "fingerprint": fingerprint,
        "disclaimer": DISCLAIMER,
    }


def complete_run(
    path: Path, options: BatchOptions, checkpoint_file: Path, fingerprint_as_of: FingerprintAsOf
) -> dict[str, Any]:
    """The manifest at ``path`` of a complete run of this input with these settings, whose
    output is unchanged; or a refusal to resume an output that has no checkpoint."""
    o = options
    refusal = (
        f"cannot resume {o.output}: it exists but has no checkpoint "
        f"({checkpoint_file.name}), so it is not an interrupted batch run"
    )
    if not path.exists():
        msg = f"{refusal}; run without --resume to overwrite it"
        raise BatchError(msg)
    manifest = read_json(path, "manifest")
    recorded = manifest.get("fingerprint", {})
    as_of = recorded_as_of(o, recorded)
    check_same_run(recorded, fingerprint_as_of(as_of), output=o.output, described_by=path)
    output = manifest.get("output", {})
    if file_sha256(o.output) != output.get("sha256"):
        msg = (
            f"{refusal}, and it differs from the complete output that "
            f"{path.name} describes; run without --resume to redo it"
        )
        raise BatchError(msg)
    return manifest
