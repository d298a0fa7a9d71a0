"""Screen a small supplier CSV with the library and write one result row per input row.

    python examples/screen_suppliers.py examples/suppliers.csv results.csv

Every input row gives exactly one output row; a row whose name cannot be screened gets its
error in the ``error`` column instead of being dropped.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from partyscreen import PartyscreenError, default_screener

FIELDS = ["decision", "entity_id", "entity_name", "matched_name", "score", "list",
          "license_policy", "exceptions", "error"]  # fmt: skip


def main(source: Path, target: Path) -> None:
    screener = default_screener()
    with (
        source.open(newline="", encoding="utf-8-sig") as fin,
        target.open("w", newline="", encoding="utf-8") as fout,
    ):
        reader = csv.DictReader(fin)
        writer = csv.DictWriter(fout, fieldnames=[*(reader.fieldnames or []), *FIELDS])
        writer.writeheader()
        for row in reader:
            out = dict(row)
            try:
                result = screener.screen(row["supplier_name"])
            except PartyscreenError as exc:
                out["error"] = str(exc)
            else:
                out["decision"] = result.decision
                if result.best is not None:
                    best = result.best
                    out.update(
                        entity_id=best.entity.id,
                        entity_name=best.entity.name,
                        matched_name=best.matched_name,
                        score=f"{best.score:.3f}",
                        list=best.entity.list_code,
                        license_policy=best.entity.license.policy,
                        exceptions="; ".join(e.id for e in best.entity.exceptions),
                    )
            writer.writerow(out)
            print(f"{row['supplier_id']}: {out.get('decision') or 'error'}")


if __name__ == "__main__":
    here = Path(__file__).parent
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else here / "suppliers.csv",
        Path(sys.argv[2]) if len(sys.argv) > 2 else Path("results.csv"),
    )
