"""CMS's Medically Unlikely Edits (MUE) as a site imports them: the most units of a code
one beneficiary is billed on one date of service, per quarter and per table.

Why site data only: CMS publishes the MUE tables quarterly (Practitioner Services,
Outpatient Hospital Services, DME Supplier Services), some values are confidential, and
none may be typed or shipped here. `ivigcalc catalog import-mue` writes them to a site
catalog as [mue."2026-Q1".practitioner] with one row per immune globulin code. A payer
applies the table its `mue_table` names (payers.toml: medicare → practitioner,
medicare-opps → outpatient-hospital, medicare-home → dme); a date of service is judged by
its own quarter's table, else the nearest quarter imported, and says which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ivigcalc.data.cms.history import quarter_of
from ivigcalc.data.schema import Day, FieldError, Pattern, Record, Text, Whole
from ivigcalc.errors import CatalogError, printable
from ivigcalc.text import units

TABLE = "mue"  # the site catalog's table: [mue."2026-Q1".practitioner]
# The three tables CMS publishes, by the key a site catalog and a payer's mue_table use,
# and the words of their header's value column ("Practitioner Services MUE Values").
TITLES = {"practitioner": "Practitioner Services",
          "outpatient-hospital": "Outpatient Hospital Services",
          "dme": "DME Supplier Services"}
MAI = {1: "line edit: each line's units are compared",
       2: "date of service edit, policy: all the code's units on the date are summed",
       3: "date of service edit, clinical: all the code's units on the date are summed; "
          "payable above the value only with documentation on appeal"}
MAX_UNITS = 999_999  # an MUE value is a count of billing units; CMS's reach five digits
MAX_QUARTERS = 40  # as the CMS history: ten years
MAX_ROWS = 200  # rows kept per table: the catalog's immune globulin codes
SOURCE = ("CMS, Medicare NCCI Medically Unlikely Edits (MUE) tables; MAI 1 a claim-line "
          "edit, MAI 2 and 3 date-of-service edits (all lines of the code on the date summed)")
REMITTANCE = ("remittance CO-96 with N362 (Noridian), CARC 151 with MA01 (CGS), B5 with N362 "
              "(hospital 835s); an ABN does not cover an MUE denial")

QUARTER = Pattern(r"[0-9]{4}-Q[1-4]", "a quarter like 2026-Q1")
CODE = Pattern(r"[A-Z0-9][0-9]{3}[0-9A-Z]", "a HCPCS or CPT code like J1561 or 96365")
ROW = Record({"units": Whole(0, MAX_UNITS), "mai": Whole(1, 3), "rationale": Text(200),
              "source": Text(), "checked": Day()},
             required=frozenset({"units", "mai", "source", "checked"}),
             description="a code's MUE (units on one date of service), its adjudication "
                         "indicator (MAI) and CMS's rationale, as import-mue writes it")


@dataclass(frozen=True)
class Mue:
    """One code's MUE in one table and quarter."""

    code: str
    units: int
    mai: int
    table: str  # practitioner, outpatient-hospital or dme
    quarter: str  # the table's quarter
    source: str
    checked: dt.date
    rationale: str = ""

    def describe(self) -> str:
        """'MUE 300 units (MAI 3, date of service edit, clinical; Practitioner Services,
        2026-Q1)'."""
        kind = MAI[self.mai].split(":")[0]
        return (f"MUE {units(self.units)} (MAI {self.mai}, "
                f"{kind}; {TITLES[self.table]}, {self.quarter})")


@dataclass(frozen=True)
class MueTables:
    """Every MUE table a site imported: quarter → table → code → Mue."""

    quarters: Mapping[str, Mapping[str, Mapping[str, Mue]]]

    @cached_property
    def _labels(self) -> dict[str, list[str]]:
        """Each table's quarters in order (a batch asks once a row)."""
        return {name: sorted(q for q, tables in self.quarters.items() if name in tables)
                for name in TITLES}

    def on(self, table: str, code: str, day: dt.date) -> Mue | None:
        """The code's MUE in `table` for a date of service: the date's own quarter, else
        the nearest earlier one imported, else the oldest; None when that quarter's table
        lists no MUE for the code (or the table was never imported)."""
        labels = self._labels.get(table)
        if not labels:
            return None
        own = quarter_of(day)
        earlier = [label for label in labels if label <= own]
        used = earlier[-1] if earlier else labels[0]
        return self.quarters[used][table].get(code)


def from_site(data: Mapping[str, Any], file: str) -> MueTables | None:
    """The [mue.*] tables of a site catalog, every row checked; None when it has none."""
    raw = data.get(TABLE)
    if raw is None:
        return None
    shape = (f'must be at most {MAX_QUARTERS} tables like [mue."2026-Q1".practitioner] '
             f"(tables: {', '.join(TITLES)}) of rows like J1459 = {{ units = ..., mai = ..., "
             "source = ..., checked = ... }")
    if not isinstance(raw, dict) or len(raw) > MAX_QUARTERS:
        raise CatalogError(file, TABLE, None, shape)
    quarters: dict[str, dict[str, dict[str, Mue]]] = {}
    for label, tables in raw.items():
        where = _key(QUARTER, label, TABLE, file)
        if not isinstance(tables, dict) or set(tables) - set(TITLES) or \
                any(not isinstance(rows, dict) or len(rows) > MAX_ROWS
                    for rows in tables.values()):
            raise CatalogError(file, where, None, f"holds tables named {', '.join(TITLES)}, "
                               f"each of at most {MAX_ROWS} rows like J1459 = {{ units = ..., "
                               "mai = ..., source = ..., checked = ... }")
        quarters[label] = {name: _rows(rows, label, name, file)
                           for name, rows in tables.items()}
    return MueTables(quarters)


def _key(spec: Pattern, key: Any, parent: str, file: str) -> str:
    """The entry's name ('mue.2026-Q1'), once its key is checked against `spec`."""
    entry = f"{parent}.{printable(str(key), 20)}"
    try:
        spec.convert(key)
    except ValueError as error:
        raise CatalogError(file, entry, None, f"the key {error}") from None
    return entry


def _rows(rows: Mapping[str, Any], quarter: str, table: str, file: str) -> dict[str, Mue]:
    out = {}
    for code, row in rows.items():
        entry = _key(CODE, code, f"{TABLE}.{quarter}.{table}", file)
        try:
            out[code] = Mue(code=code, table=table, quarter=quarter, **ROW.values(row))
        except FieldError as error:
            raise CatalogError(file, entry, error.name, error.message) from None
    return out


def site_json_schema() -> dict[str, Any]:
    """[mue."2026-Q1".practitioner.J1459] in the site catalog's JSON Schema."""
    rows = {"type": "object", "maxProperties": MAX_ROWS, "propertyNames": CODE.json(),
            "additionalProperties": ROW.json()}
    return {TABLE: {"type": "object", "maxProperties": MAX_QUARTERS,
                    "propertyNames": QUARTER.json(),
                    "additionalProperties": {
                        "type": "object", "additionalProperties": False,
                        "properties": {name: rows for name in TITLES},
                        "description": "one quarter's MUE tables, as import-mue writes "
                                       "them (never typed: CMS's file is the authority)"}}}
