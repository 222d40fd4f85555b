"""Which of CMS's three files a table is, told by its header row, and which quarter it covers.

Recognised by content, never by file name (CMS renames its files: "ASP Pricing File"
became "Medicare Part B Payment Limit File"). The header row sits under a preamble whose
length varies, so the first 60 rows are searched for it. A header is compared column by
column (case and spacing aside): a file whose header changed is refused, not guessed at,
because a moved column would put payment limits where billing units belong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ivigcalc.data.cms.read import ImportRefused, Table

CROSSWALK, PRICING, ADDENDUM_B = "crosswalk", "pricing", "addendum-b"
TITLES = {CROSSWALK: "ASP NDC-HCPCS crosswalk", PRICING: "ASP pricing file",
          ADDENDUM_B: "OPPS Addendum B"}
HEADERS = {
    CROSSWALK: ("_YYYY_CODE", "Short Description", "LABELER NAME", "NDC2", "Drug Name",
                "HCPCS dosage", "PKG SIZE", "PKG QTY", "BILLUNITS", "BILLUNITSPKG"),
    PRICING: ("HCPCS Code", "Short Description", "HCPCS Code Dosage", "Payment Limit",
              "Co-insurance Percentage", "Vaccine AWP%", "Vaccine Limit", "Blood AWP%",
              "Blood limit", "Clotting Factor", "Notes"),
    ADDENDUM_B: ("HCPCS Code", "Short Descriptor", "SI", "APC", "Relative Weight",
                 "Payment Rate", "National Unadjusted Copayment",
                 "Minimum Unadjusted Copayment", "IRA Coinsurance percentage",
                 "Adjusted Beneficiary Copayment",
                 "Drug and Device Pass-Through Expiration during Calendar Year", "Note",
                 "* Indicates a Change"),
}
SEARCH_ROWS = 60
_YEAR_CODE = re.compile(r"^_\d{4}_CODE$", re.IGNORECASE)
_MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
     ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
     ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], 1) for name in names}
_EFFECTIVE = re.compile(r"effective\s+([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\s+through\s+"
                        r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.IGNORECASE)
_CALENDAR_YEAR = re.compile(r"\bCY\s*(\d{4})\b")
# "January 2025 Web Addendum B", "January_Web_2024_Addendum_B": the quarter's first month.
_NAME_MONTH = re.compile(r"\b(jan(?:uary)?|apr(?:il)?|jul(?:y)?|oct(?:ober)?)[\s_.-]*"
                         r"(?:web[\s_.-]*)?(\d{4})(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Quarter:
    """A quarter of effect, '2025-Q4', with its first and last day."""

    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


@dataclass(frozen=True)
class Recognised:
    """A table known to be one of the three kinds, with its data rows and its period."""

    kind: str
    table: Table
    data: tuple[tuple[str, ...], ...]
    quarter: Quarter | None  # None for Addendum B when neither content nor name says it
    year: int
    effective: dt.date | None = None
    through: dt.date | None = None

    @property
    def described(self) -> str:
        when = self.quarter.label if self.quarter else f"CY {self.year}"
        return f"{TITLES[self.kind]} {when} ({self.table.name})"


def _norm(cell: str) -> str:
    return " ".join(cell.split()).casefold()


def _kind_of_header(row: tuple[str, ...]) -> str | None:
    if not row:
        return None
    first = _norm(row[0])
    if _YEAR_CODE.match(row[0].strip()):
        return CROSSWALK
    if first == "hcpcs code" and len(row) > 1:
        second = _norm(row[1])
        return {"short description": PRICING, "short descriptor": ADDENDUM_B}.get(second, "?")
    return None


def _check_header(kind: str, row: tuple[str, ...], origin: str) -> None:
    expected = HEADERS[kind]
    for index, want in enumerate(expected):
        got = row[index] if index < len(row) else ""
        if index == 0 and kind == CROSSWALK:
            continue
        if _norm(got) != _norm(want):
            raise ImportRefused(f"{origin}: the {TITLES[kind]} header changed: column "
                                f"{index + 1} is '{got}', expected '{want}'; check the file "
                                "against CMS's record layout before importing it")
    if len(row) > len(expected):
        raise ImportRefused(f"{origin}: the {TITLES[kind]} header changed: it has a new "
                            f"column {len(expected) + 1} '{row[len(expected)]}'")


def _day(month: str, day: str, year: str, origin: str) -> dt.date:
    try:
        return dt.date(int(year), _MONTHS[month.lower()], int(day))
    except (KeyError, ValueError):  # no month of that name; no such day in it
        raise ImportRefused(f"{origin}: cannot read the date '{month} {day}, {year}' in "
                            "its 'Effective ... through ...' line") from None


def _period(kind: str, preamble: list[tuple[str, ...]], table: Table
            ) -> tuple[Quarter | None, int, dt.date | None, dt.date | None]:
    text = " ".join(" ".join(row) for row in preamble)
    if kind == ADDENDUM_B:
        year = _CALENDAR_YEAR.search(text)
        if year is None:
            raise ImportRefused(f"{table.origin}: the OPPS Addendum B title names no calendar "
                                "year ('... for CY 2025')")
        hint = _NAME_MONTH.search(table.name)  # Addendum B states only the year inside
        quarter = None
        if hint and int(hint.group(2)) == int(year.group(1)):
            quarter = Quarter.of(dt.date(int(hint.group(2)), _MONTHS[hint.group(1).lower()], 1))
        return quarter, int(year.group(1)), None, None
    found = _EFFECTIVE.search(text)
    if found is None:
        raise ImportRefused(f"{table.origin}: the {TITLES[kind]} preamble has no "
                            "'Effective <date> through <date>' line, so its quarter is unknown")
    start = _day(found.group(1), found.group(2), found.group(3), table.origin)
    end = _day(found.group(4), found.group(5), found.group(6), table.origin)
    quarter = Quarter.of(start)
    if start != quarter.first_day or end != quarter.last_day:
        raise ImportRefused(f"{table.origin}: effective {start.isoformat()} through "
                            f"{end.isoformat()} is not one calendar quarter")
    return quarter, quarter.year, start, end


def recognise(table: Table) -> Recognised | None:
    """The table's kind and period; None when it is none of the three kinds."""
    for index, row in enumerate(table.rows[:SEARCH_ROWS]):
        kind = _kind_of_header(row)
        if kind is None:
            continue
        if kind == "?":
            raise ImportRefused(f"{table.origin}: a header starts 'HCPCS Code, {row[1]}', which "
                                "is neither the ASP pricing file's nor Addendum B's; the "
                                "header changed")
        _check_header(kind, row, table.origin)
        quarter, year, start, end = _period(kind, list(table.rows[:index]), table)
        data = tuple(r for r in table.rows[index + 1:] if r)
        return Recognised(kind, table, data, quarter, year, start, end)
    return None
