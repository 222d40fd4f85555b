"""CMS's MUE tables read into a site catalog's [mue."2026-Q1".practitioner] rows.

The files as CMS publishes them (Medicare NCCI "Medically Unlikely Edits"): a CSV, or the
quarterly zip holding it, Latin-1, opening with the AMA copyright notice in quoted cells
over several lines; then the header `"HCPCS/\\nCPT Code"` (a line break inside the cell),
`<table> MUE Values`, `MUE Adjudication Indicator`, `MUE Rationale`; the MAI as text
("3 Date of Service Edit: Clinical"). The table (practitioner, outpatient hospital, DME)
comes from the header, the quarter from the file's name or `--quarter`. Only the catalog's
immune globulin codes are kept: the rest of CMS's ~15,000 rows a table is not billed here.
Every cell's length is bounded before it is read as a number; anything unexpected refuses
the whole import in one line naming the file (cms/read.py's ImportRefused).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ivigcalc.data import mue
from ivigcalc.data.cms import read
from ivigcalc.data.cms.history import quarter_of
from ivigcalc.data.cms.read import ImportRefused
from ivigcalc.errors import printable

HEADER_SEARCH_ROWS = 100  # the AMA notice takes a few rows; the header follows it
_SPACES = re.compile(r"\s+")
_CODE = re.compile(mue.CODE.regex)
_UNITS = re.compile(r"[0-9]{1,6}")  # at most MAX_UNITS: text bounded before int()
# CMS writes the MAI as text; a bare digit is what a file cut mid-cell leaves.
_MAI = {"1 line edit": 1, "2 date of service edit: policy": 2,
        "3 date of service edit: clinical": 3}
_VALUES = {f"{title} mue values".lower(): key for key, title in mue.TITLES.items()}
# A quarter in a file name, as (pattern, the groups of year and quarter): 2026-Q1, Q1_2026.
_QUARTER_IN_NAME = (
    (re.compile(r"(?<![0-9])(20[0-9]{2})[ _-]?q([1-4])(?![0-9])", re.I), (1, 2)),
    (re.compile(r"(?<![0-9a-z])q([1-4])[ _-]?(20[0-9]{2})(?![0-9])", re.I), (2, 1)),
)
# An effective date, as (pattern, the groups of year, month and day): Eff_01-01-2026.
_DATE_IN_NAME = (
    (re.compile(r"(?<![0-9])([01][0-9])[-_]([0-3][0-9])[-_](20[0-9]{2})(?![0-9])"), (3, 1, 2)),
    (re.compile(r"(?<![0-9])(20[0-9]{2})[-_]([01][0-9])[-_]([0-3][0-9])(?![0-9])"), (1, 2, 3)),
)


@dataclass(frozen=True)
class MueTable:
    """One MUE table as imported: its quarter and table, where it came from, the rows of
    the immune globulin codes (as the site catalog holds them) and how many rows it had."""

    quarter: str
    table: str
    origin: str
    rows: dict[str, dict[str, Any]]
    listed: int

    @property
    def title(self) -> str:
        return f"{self.quarter} {mue.TITLES[self.table]}"


def _norm(cell: str) -> str:
    return _SPACES.sub(" ", cell).strip().lower()


def quarter_from_name(name: str) -> str | None:
    """'2026-Q1' from 'MCR_MUE_PractitionerServices_Eff_01-01-2026.csv', '...2026Q1...',
    '...Q1_2026...', or None when the name says no quarter (or two)."""
    found = {f"{m[year]}-Q{m[q]}" for pattern, (year, q) in _QUARTER_IN_NAME
             for m in pattern.finditer(name)}
    for pattern, groups in _DATE_IN_NAME:
        for m in pattern.finditer(name):
            year, month, day = (int(m[g]) for g in groups)
            try:
                found.add(quarter_of(dt.date(year, month, day)))
            except ValueError:
                continue  # not a date
    return found.pop() if len(found) == 1 else None


def _header(table: read.Table) -> tuple[int, str]:
    """The header row's index and the table it names; refused when it is missing or its
    columns are not CMS's."""
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        if row and _norm(row[0]).replace("/ ", "/") == "hcpcs/cpt code":
            cells = [_norm(c) for c in row]
            kind = _VALUES.get(cells[1]) if len(cells) > 1 else None
            if kind is None or cells[2:] != ["mue adjudication indicator", "mue rationale"]:
                found = " | ".join(printable(c, 40) for c in row[:6])
                raise ImportRefused(
                    f"{table.origin}: the MUE header changed: expected 'HCPCS/CPT Code | "
                    "<Practitioner Services, Outpatient Hospital Services or DME Supplier "
                    f"Services> MUE Values | MUE Adjudication Indicator | MUE Rationale', "
                    f"found '{found}'")
            return index, kind
    raise ImportRefused(f"{table.origin}: no MUE header (HCPCS/CPT Code, ... MUE Values, MUE "
                        f"Adjudication Indicator, MUE Rationale) in its first "
                        f"{HEADER_SEARCH_ROWS} rows: not one of CMS's MUE tables")


def _row(row: Sequence[str], number: int, origin: str) -> tuple[str, int, int, str]:
    """(code, units, MAI, rationale) of one data row, each cell bounded before it is read."""
    where = f"{origin}: row {number}"
    if len(row) < 3:
        raise ImportRefused(f"{where} has {len(row)} of the 4 columns (code, MUE value, MAI, "
                            "rationale): the file is truncated or not CMS's table")
    code, units, mai = row[0], row[1], _norm(row[2][:80])
    if not _CODE.fullmatch(code):
        raise ImportRefused(f"{where}: '{printable(code, 20)}' is not a HCPCS/CPT code")
    if not _UNITS.fullmatch(units) or int(units) > mue.MAX_UNITS:
        raise ImportRefused(f"{where}: the MUE value '{printable(units, 20)}' of {code} is not "
                            f"a whole number of units from 0 to {mue.MAX_UNITS}")
    if mai not in _MAI:
        raise ImportRefused(f"{where}: the MAI '{printable(row[2], 40)}' of {code} is not "
                            "'1 Line Edit', '2 Date of Service Edit: Policy' or '3 Date of "
                            "Service Edit: Clinical' (a truncated file ends mid-row)")
    rationale = row[3] if len(row) > 3 else ""
    if len(row) > 4 or len(rationale) > 200:
        raise ImportRefused(f"{where}: more than the 4 columns, or a rationale over 200 "
                            f"characters ({code}): not CMS's table")
    return code, int(units), _MAI[mai], _SPACES.sub(" ", rationale)


def read_table(table: read.Table, quarter: str, keep: Iterable[str],
               checked: dt.date) -> MueTable:
    """One CMS MUE table: the rows of the codes in `keep` (the immune globulin codes)."""
    start, kind = _header(table)
    wanted = set(keep)
    source = f"CMS NCCI MUE, {mue.TITLES[kind]} table {quarter} ({table.name})"
    seen: dict[str, int] = {}
    rows: dict[str, dict[str, Any]] = {}
    for number, row in enumerate(table.rows[start + 1:], start + 2):
        if not row:
            continue
        code, units, mai, rationale = _row(row, number, table.origin)
        if code in seen:
            raise ImportRefused(f"{table.origin}: {code} is listed twice (rows {seen[code]} "
                                f"and {number}): the file disagrees with itself")
        seen[code] = number
        if code in wanted:
            rows[code] = {"units": units, "mai": mai,
                          **({"rationale": rationale} if rationale else {}),
                          "source": source, "checked": checked}
    if not seen:
        raise ImportRefused(f"{table.origin}: the MUE table has a header and no rows: the "
                            "file is truncated")
    return MueTable(quarter, kind, table.origin, dict(sorted(rows.items())), len(seen))


def import_files(paths: Sequence[str], quarter: str | None, keep: Iterable[str],
                 checked: dt.date) -> list[MueTable]:
    """Every MUE table in the files (a zip may hold several); one (quarter, table) once."""
    keep = tuple(keep)
    out: list[MueTable] = []
    for path in paths:
        for table in read.tables(path):
            label = quarter or quarter_from_name(table.name) or quarter_from_name(
                Path(path).name)
            if label is None:
                raise ImportRefused(f"{table.origin}: the file's name gives no quarter (like "
                                    "2026-Q1 or Eff_01-01-2026); add --quarter YYYY-Qn")
            got = read_table(table, label, keep, checked)
            for other in out:
                if (other.quarter, other.table) == (got.quarter, got.table):
                    raise ImportRefused(f"{got.origin}: {got.title} is also in "
                                        f"{other.origin}; import one of them")
            out.append(got)
    return out


def merged(old: Mapping[str, Any], tables: Sequence[MueTable]
           ) -> tuple[dict[str, Any], list[str]]:
    """The site file's tables with `tables` added under [mue], and one line per table
    saying what it changes (the same quarter's table replaced, an older one kept beside)."""
    out = dict(old)
    if "catalog" not in out:
        out = {"catalog": {"name": "Site catalog", "note": "CMS's MUE tables imported by "
                           "`ivigcalc catalog import-mue`"}, **out}
    held: dict[str, dict[str, Any]] = {q: dict(t) for q, t in out.get(mue.TABLE, {}).items()}
    said = []
    for table in tables:
        previous = _previous(held, table)
        kept = f"{len(table.rows)} immune globulin code{'s' if len(table.rows) != 1 else ''}"
        if table.table in held.get(table.quarter, {}):
            verb = "replaces the site catalog's"
        else:
            verb = "added"
        said.append(f"{table.title} ({table.origin}): {table.listed} rows, {kept} kept; "
                    f"{verb}")
        if not table.rows:
            said.append(f"  no immune globulin code in it (CMS keeps some MUE values "
                        f"confidential): {table.title} sets no MUE")
        said += _changes(previous, table)
        held.setdefault(table.quarter, {})[table.table] = table.rows
    out[mue.TABLE] = {q: {t: held[q][t] for t in mue.TITLES if t in held[q]}
                      for q in sorted(held)}
    return out, said


def _previous(held: Mapping[str, Mapping[str, Any]], table: MueTable
              ) -> tuple[str, Mapping[str, Any]] | None:
    """The latest earlier quarter's same table, what this one is compared with."""
    earlier = sorted(q for q in held if q < table.quarter and table.table in held[q])
    return (earlier[-1], held[earlier[-1]][table.table]) if earlier else None


def _changes(previous: tuple[str, Mapping[str, Any]] | None, table: MueTable) -> list[str]:
    if previous is None:
        return [f"  {code}: {row['units']} units, MAI {row['mai']}"
                for code, row in table.rows.items()]
    label, rows = previous
    out: list[str] = []
    for code in sorted(set(rows) | set(table.rows)):
        old, new = rows.get(code), table.rows.get(code)
        if new is None:
            out.append(f"  {code}: listed in {label}, not in {table.quarter}")
        elif old is None:
            out.append(f"  {code}: new, {new['units']} units, MAI {new['mai']}")
        elif (old["units"], old["mai"]) != (new["units"], new["mai"]):
            out.append(f"  {code}: {old['units']} units, MAI {old['mai']} in {label} -> "
                       f"{new['units']} units, MAI {new['mai']}")
    return out or [f"  no MUE of an immune globulin code changed since {label}"]
