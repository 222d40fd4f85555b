"""Write resources/site-catalog.schema.json from the catalog's declared fields.

    .venv/bin/python scripts/site_schema.py          # regenerate
    .venv/bin/python scripts/site_schema.py --check  # exit 1 when the file is out of date

tests/test_catalog_schema.py runs the check, so the file cannot drift from tables.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ivigcalc.data.site_schema import site_json_schema

PATH = Path(__file__).resolve().parent.parent / "resources" / "site-catalog.schema.json"


def text() -> str:
    return json.dumps(site_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if "--check" in argv:
        current = PATH.read_text(encoding="utf-8") if PATH.exists() else ""
        if current != text():
            print(f"{PATH.name} is out of date: run .venv/bin/python scripts/site_schema.py",
                  file=sys.stderr)
            return 1
        return 0
    PATH.write_text(text(), encoding="utf-8")
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
