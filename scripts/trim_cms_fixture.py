"""Copy CMS quarterly files into tests/fixtures/cms/, whole or trimmed to the IG rows.

Why: the tests and CI must not depend on a folder outside the repository, and the full
files of eight quarters are 16 MB. A trimmed file keeps CMS's bytes line for line (the
preamble, the header, the first data rows, every immune globulin and glucagon row, and
any row with a line break inside a cell), so the importer meets the same encoding,
padding and quirks as in the full file. One quarter is copied whole.

    python scripts/trim_cms_fixture.py SRC_QUARTER_DIR DEST_DIR [--whole]
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
from pathlib import Path

KEEP_CODES = {"J1459", "J1551", "J1552", "J1554", "J1555", "J1556", "J1557", "J1558", "J1559",
              "J1561", "J1566", "J1568", "J1569", "J1572", "J1575", "J1576", "J1599", "J1610",
              "J1611"}
FIRST_ROWS = 3


def _first_cell(line: bytes) -> str:
    row = next(csv.reader(io.StringIO(line.decode("latin-1"))), [])
    return row[0].strip() if row else ""


def trim(data: bytes) -> bytes:
    lines = data.split(b"\r\n")
    end = lines.pop() if lines and lines[-1] == b"" else None
    header = next(i for i, line in enumerate(lines)
                  if _first_cell(line).upper() in {"HCPCS CODE"} or
                  _first_cell(line).upper().endswith("_CODE"))
    kept = lines[:header + 1]
    data_rows = lines[header + 1:]
    kept += data_rows[:FIRST_ROWS]
    kept += [line for line in data_rows[FIRST_ROWS:]
             if _first_cell(line) in KEEP_CODES or b"\n" in line]
    return b"\r\n".join(kept) + (b"\r\n" if end is not None else b"")


def main(argv: list[str]) -> int:
    source, dest = Path(argv[0]), Path(argv[1])
    whole = "--whole" in argv
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.csv")):
        data = path.read_bytes()
        (dest / path.name).write_bytes(data if whole else trim(data))
        how = "whole" if whole else "trimmed"
        print(f"{hashlib.sha256(data).hexdigest()}  {path.name}  ({how})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
