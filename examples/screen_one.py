"""Screen one name against the embedded default list and print what a reviewer needs.

python examples/screen_one.py "Hikivision"
"""

from __future__ import annotations

import json
import sys

from partyscreen import screen


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "Hikivision"
    result = screen(name)
    print(f"{name!r}: {result.decision}")
    if result.best is not None:
        best = result.best
        print(f"  best match: {best.entity.name} (score {best.score:.3f})")
        print(f"  matched name: {best.matched_name}")
        print(f"  license policy: {best.entity.license.policy}")
        for exception in best.entity.exceptions:
            print(f"  on record: {exception.scope} ({exception.source})")
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2)[:2000])


if __name__ == "__main__":
    main()
