"""Small CMS files cut from the real 2025-Q4 ones (tests/fixtures/cms/2025-Q4), for fast tests.

A slice keeps CMS's bytes line for line: the preamble, the header row and the data rows
asked for (Latin-1, CRLF, the padding to ~250 columns). Rows are picked by their first
cells, so a test names the real products it reads ("J1561", "13533-0800-71").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ivigcalc.data.catalog import load

Q4 = Path(__file__).parent / "fixtures" / "cms" / "2025-Q4"
CHECKED = dt.date(2026, 12, 1)
CATALOG = load().catalog
CODES = CATALOG.codes
FILES = {"crosswalk": "*Crosswalk*.csv", "pricing": "*Pricing*.csv",
         "addendum-b": "*Addendum*.csv"}
HEADS = {"crosswalk": b"_2025_CODE,", "pricing": b"HCPCS Code,Short Description,",
         "addendum-b": b"HCPCS Code,Short Descriptor,"}


@cache
def lines(kind: str) -> tuple[bytes, ...]:
    """The file's rows as CMS wrote them (CRLF-separated; a bare LF stays inside a cell)."""
    return tuple(next(Q4.glob(FILES[kind])).read_bytes().split(b"\r\n"))


def header_index(kind: str) -> int:
    return next(i for i, line in enumerate(lines(kind)) if line.startswith(HEADS[kind]))


def preamble(kind: str) -> list[bytes]:
    """The preamble and the header row."""
    return list(lines(kind)[:header_index(kind) + 1])


def data_rows(kind: str, *starts: str) -> list[bytes]:
    """The data rows whose first cell is one of `starts` (a code), or whose NDC2 is.

    Codes and NDCs are never quoted in CMS's files, so plain byte tests find them (a CSV
    parse of every row would cost each test run a fifth of a second)."""
    codes = tuple(s.encode() + b"," for s in starts)
    ndcs = [b"," + s.encode() + b"," for s in starts if kind == "crosswalk" and "-" in s]
    return [line for line in lines(kind)[header_index(kind) + 1:]
            if line.startswith(codes) or any(n in line for n in ndcs)]


def sliced(kind: str, *starts: str, rows: Iterable[bytes] = ()) -> bytes:
    """Preamble + header + the named real rows (+ any `rows` given), CRLF line ends."""
    return b"\r\n".join([*preamble(kind), *data_rows(kind, *starts), *rows]) + b"\r\n"


def write(folder: Path, kind: str, *starts: str, rows: Iterable[bytes] = (),
          name: str | None = None, data: bytes | None = None) -> Path:
    """A slice written under CMS's own file name (or `name`)."""
    path = folder / (name or next(Q4.glob(FILES[kind])).name)
    path.write_bytes(sliced(kind, *starts, rows=rows) if data is None else data)
    return path


def synthetic_quarter(folder: Path, *, limits: dict[str, tuple[str, str]] | None = None,
                      drop: Iterable[str] = ()) -> list[Path]:
    """A made-up 2026-Q2, marked synthetic in its file names: CMS's real 2026-Q1 files
    (tests/fixtures/cms/2026-Q1) with April's dates, `limits` changed (code -> (old, new)
    payment limit text) and the crosswalk rows of the NDCs in `drop` removed. No real
    2026-Q2 is used or claimed."""
    source = Q4.parent / "2026-Q1"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for path in sorted(source.glob("*.csv")):
        data = path.read_bytes().replace(b"January 1, 2026 through March 31, 2026",
                                         b"April 1, 2026 through June 30, 2026")
        crosswalk = b"Crosswalk" in path.name.encode()
        for code, (old, new) in ({} if crosswalk else limits or {}).items():
            row = next(line for line in data.split(b"\r\n") if line.startswith(code.encode()))
            assert f",{old},".encode() in row, (code, old)
            data = data.replace(row, row.replace(f",{old},".encode(), f",{new},".encode()))
        for ndc in drop if crosswalk else ():
            lines = data.split(b"\r\n")
            kept = [line for line in lines if f",{ndc},".encode() not in line]
            assert len(kept) == len(lines) - 1, ndc
            data = b"\r\n".join(kept)
        name = "synthetic " + path.name.replace("January", "April")
        (folder / name).write_bytes(data)
        out.append(folder / name)
    return out
