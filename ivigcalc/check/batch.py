"""Batch claim checks: a CSV of claims in, a report (CSV or JSON) with row numbers out.

Why a batch: coders audit a month of claims at once, exported from the billing system. One
bad row is reported and the rest are still checked; only a file that cannot be read at all
(missing, not UTF-8, no header, a required column absent) stops the run.

Input columns (header names, any case and order; other columns are ignored):
    id            optional; your reference for the row (claim number), echoed in the report.
                  Never a patient's name or other identifier.
    date          date of service, YYYY-MM-DD (empty: --date, else the row is invalid)
    payer         payer key, e.g. medicare, medicare-home, commercial (empty: --payer)
    product       product key, e.g. gamunex-c ...
    code          ... or just the HCPCS code, e.g. J1561 (both empty: --product/--code)
    route         iv or sc (empty: --route, else the product's first route)
    administered  required; amount given that day, e.g. 27.3 g or 27300 mg
    vials         required; vials opened, e.g. 3 x 10 g, 10 g, 10 g, 10 g or 2 x 10 g + 1 x 5 g
    lines         required; billed lines separated by ';' or '|' (or newlines inside the
                  quoted cell), e.g. J1561 JA 55; J1561 JA JW 5
    kx            yes or no (also y/n, true/false, 1/0, x for a ticked cell; empty: no):
                  the medical policy's documentation is attested complete (KX)
    dx            ICD-10-CM codes on the claim, e.g. D80.0 or D80.0, G61.81 (checked
                  against the payer's coverage lists)
    weight        the patient's weight, e.g. 70 kg (the day's dose against the indication)
    prior_auth    the payer's prior-authorization number, where the payer requires one
    stocked       the vial sizes on the shelf, e.g. "10 g, 5 g" (empty: --stocked, else
                  every size of the product): non-optimal-vials is judged against them
    times         the infusion's documented start and stop, e.g. 09:00-10:31 ('+' joins
                  ranges around a pause; empty: the administration units are not checked)
Rows are numbered from 1, the first row under the header. Rows whose cells are all empty
are skipped (spreadsheets export them) but still counted.

CSV report columns, one row per finding (a row without findings gets one line, status ok):
    row, id, status (ok | warnings | errors | invalid), severity, rule, line, message,
    expected_lines (joined with ' | '); an invalid row has rule invalid-input and the
    message says which field is wrong and what it accepts.
JSON report: {"schema": 1, "rows": [{"row", "id", "status", "findings", "expected_lines"}
or {"row", "id", "status": "invalid", "field", "error"}], "summary": {...}}.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from ivigcalc import __version__
from ivigcalc.check import after_midnight
from ivigcalc.check.reading import split_lines
from ivigcalc.check.record import ClaimRecord, read_fields
from ivigcalc.check.row_report import RowReport as RowReport  # re-exported: batch.RowReport
from ivigcalc.check.rules import RULES, CheckResult, Finding, check
from ivigcalc.data import files, untrusted
from ivigcalc.data.catalog import Catalog
from ivigcalc.data.cms.history import CmsHistory
from ivigcalc.errors import InputError, IvigcalcError, printable

COLUMNS = ("id", "date", "payer", "product", "code", "route", "administered", "vials", "lines",
           "kx", "dx", "weight", "prior_auth", "stocked", "times", "340b")
_KNOWN = frozenset(COLUMNS)
REQUIRED = ("administered", "vials", "lines")
REPORT_COLUMNS = ("row", "id", "status", "severity", "rule", "line", "message",
                  "expected_lines")
MULTILINE = ("lines", "vials")  # cells where a line break separates entries
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class Defaults:
    """Command-line values used where a row's cell is empty."""

    date: dt.date | None = None
    payer: str = "medicare"
    product: str | None = None
    code: str | None = None
    route: str | None = None
    stocked: str | None = None  # the vial sizes on the shelf, e.g. "10 g, 5 g"
    site_340b: str | None = None  # JG or TB: the site is a 340B covered entity


def _date(value: str, default: dt.date | None) -> dt.date:
    if not value:
        if default is None:
            raise InputError("date", "nothing entered; accepts YYYY-MM-DD (or give --date for "
                             "rows without one)")
        return default
    return _parse_date(value)


@lru_cache(maxsize=4096)
def _parse_date(value: str) -> dt.date:
    """untrusted.parse_date, once per distinct cell: a batch's rows share a few dates."""
    return untrusted.parse_date(value, "date")


def _kx(value: str) -> bool:
    lowered = value.lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise InputError("kx", f"'{untrusted.shown(value)}' is not accepted; accepts yes or no")


def record_for(cells: dict[str, str], defaults: Defaults) -> ClaimRecord:
    """One row's cells (stripped, '' when empty) read into the claim record, once."""
    get = cells.get
    product, code = get("product", ""), get("code", "")
    if not product and not code:
        product, code = defaults.product or "", defaults.code or ""
    return read_fields(
        _date(get("date", ""), defaults.date), get("administered", ""), get("vials", ""),
        split_lines(get("lines", "")), get("payer", "") or defaults.payer, product or None,
        code or None, get("route", "") or defaults.route, _kx(get("kx", "")),
        get("stocked", "") or defaults.stocked, get("dx", "") or None,
        get("weight", "") or None, get("prior_auth", "") or None, get("id", ""),
        get("times", "") or None, get("340b", "") or defaults.site_340b)


def open_rows(path: str | Path) -> tuple[IO[str], csv.DictReader[str], list[str]]:
    """The file, a reader and the header's unknown columns; InputError if unusable.

    The whole file is read at the boundary (a regular file, at most MAX_CSV_BYTES, UTF-8
    with or without a BOM) so that a bad byte is reported with its line and column and
    nothing is read twice.
    """
    try:
        text = files.decode(files.read_bytes(path, untrusted.MAX_CSV_BYTES), allow_bom=True)
    except files.UnreadableFile as error:
        raise InputError("csv", f"{path} {error}") from None
    # A long cell is refused for its row below, not for the whole file by csv's own limit.
    csv.field_size_limit(max(csv.field_size_limit(), untrusted.MAX_CSV_BYTES))
    handle = io.StringIO(text, newline="")
    reader = csv.DictReader(handle)
    try:
        header = reader.fieldnames
    except csv.Error as error:
        raise InputError("csv", f"{path}: the header cannot be read as CSV ({error})") from None
    if not header:
        raise InputError("csv", f"{path} is empty; the first row must name the columns "
                         f"({', '.join(COLUMNS)})")
    names = [name.strip().lower() for name in header]
    for number, name in enumerate(names, 1):
        if name and names.index(name) + 1 != number:
            raise InputError("csv", f"{path}: the column '{untrusted.shown(name)}' appears "
                             f"twice (columns {names.index(name) + 1} and {number}); keep one")
    reader.fieldnames = names
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InputError("csv", f"{path} has no {', '.join(missing)} column; the header "
                         f"needs {', '.join(REQUIRED)} (and date, payer, product or code, "
                         f"route, kx, id as needed)")
    return handle, reader, [untrusted.shown(name) for name in names if name not in COLUMNS]


def _cells(row: dict[str | Any, Any], joined: str | None = None) -> dict[str, str]:
    """A row's known cells, stripped and checked at the boundary (InputError names one).

    Most rows are short printable ASCII: one test of the whole row (`joined`, its cells
    end to end) then stands for untrusted.clean on each cell, which still reads any other
    row and words the refusal.
    """
    if joined is None:
        joined = "".join(filter(None, row.values()))
    if len(joined) <= untrusted.MAX_CELL_CHARS and joined.isascii() and joined.isprintable():
        return {key: value.strip() if value else "" for key, value in row.items()
                if key in _KNOWN}
    return {key: untrusted.clean(value or "", key, max_chars=untrusted.MAX_CELL_CHARS,
                                 line_breaks=key in MULTILINE).strip()
            for key, value in row.items() if key in _KNOWN}


def check_rows(reader: Iterable[dict[str | Any, Any]], catalog: Catalog,
               defaults: Defaults) -> Iterator[RowReport]:
    """Check each row, then mark claims billed twice (duplicate-claim)."""
    return _mark_duplicates(_after_midnight(_check_each(reader, catalog, defaults)))


def _after_midnight(reports: Iterable[RowReport]) -> Iterator[RowReport]:
    """An added hour billed alone on a date is the hour after midnight of an infusion begun
    the day before when an earlier row of the same claim id, dated that day, bills its
    initial service (check/after_midnight.py): admin-add-on-without-initial then goes."""
    initials: dict[tuple[str, dt.date], frozenset[str]] = {}
    for report in reports:
        result = report.result
        if result is None or not report.id:
            yield report
            continue
        day = result.claim.date_of_service
        if billed := after_midnight.initials_billed(result):
            initials[report.id, day] = initials.get((report.id, day), frozenset()) | billed
        before = initials.get((report.id, day - dt.timedelta(days=1)), frozenset())
        if (kept := after_midnight.cleared(result, before)) is not result:
            report = replace(report, result=kept)
        yield report


def _claim_key(result: CheckResult) -> tuple[Any, ...]:
    """The date of service with the billed code and units of every line: the duplicate edit."""
    billed = sorted((b.parsed.code, b.parsed.units) for b in result.billed if b.parsed)
    return (result.claim.date_of_service, tuple(billed))


def _mark_duplicates(reports: Iterable[RowReport]) -> Iterator[RowReport]:
    by_id: dict[str, int] = {}
    by_claim: dict[tuple[Any, ...], int] = {}
    for report in reports:
        if report.result is None:
            yield report
            continue
        messages = []
        if report.id and (first := by_id.setdefault(report.id, report.row)) != report.row:
            messages.append(f"claim id {report.id} is also row {first}")
        key = _claim_key(report.result)
        if (first := by_claim.setdefault(key, report.row)) != report.row:
            lines = ", ".join(f"{code} × {units}" for code, units in key[1])
            messages.append(f"row {first} bills the same {lines} on "
                            f"{key[0].isoformat()}")
        if messages:
            finding = Finding("error", "duplicate-claim",
                              f"Duplicate claim: {'; '.join(messages)}; payers deny the "
                              "second as a duplicate", None, RULES["duplicate-claim"].source)
            findings = (finding, *report.result.findings)
            report = replace(report, result=replace(report.result, findings=findings))
        yield report


def _check_each(reader: Iterable[dict[str | Any, Any]], catalog: Catalog,
                defaults: Defaults) -> Iterator[RowReport]:
    """Check each row; a bad row becomes an invalid report and the next row is read."""
    for number, row in enumerate(reader, 1):
        if None in row:
            extra = row[None]
            yield RowReport(number, _row_id(row), field="csv",
                            error=f"csv: row {number} has {len(extra)} more cell(s) than the "
                            "header")
            continue
        if number > untrusted.MAX_CSV_ROWS:
            raise InputError("csv", f"more than {untrusted.MAX_CSV_ROWS:,} rows; split the file")
        joined = "".join(filter(None, row.values()))
        if not joined.strip():  # every cell empty or blank
            continue
        try:
            cells = _cells(row, joined)
            result = check(record_for(cells, defaults), catalog, say_stale=False)
        except IvigcalcError as error:
            yield RowReport(number, _row_id(row), field=getattr(error, "field", None),
                            error=str(error))
            continue
        yield RowReport(number, cells.get("id", ""), result)


def _row_id(row: dict[str | Any, Any]) -> str:
    """The id cell as the report echoes it: one line, at most SHOWN_CHARS."""
    return untrusted.shown(str(row.get("id") or "").strip())


def neutralised(cell: object) -> object:
    """A report cell that a spreadsheet cannot run as a formula (OWASP, CSV injection).

    Text starting with = + - @ tab or CR gets a leading apostrophe, which spreadsheets show
    as plain text, and control characters are escaped so that a row stays one line;
    numbers (row, line) are left as they are.
    """
    if not isinstance(cell, str):
        return cell
    shown = cell if cell.isprintable() else printable(cell)  # isprintable: no control
    return "'" + shown if cell.startswith(_FORMULA_START) else shown


def write_csv(reports: Iterable[RowReport], out: IO[str]) -> Counter[str]:
    """The CSV report; returns how many rows had each status."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    tally: Counter[str] = Counter()
    for report in reports:
        status = report.status
        tally[status] += 1
        # The cells a row's lines share, neutralised once (row, line: numbers, left as they are).
        number, shared_id = report.row, neutralised(report.id)
        if report.result is None:
            writer.writerow((number, shared_id, status, "", "invalid-input", "",
                             neutralised(report.error), ""))
            continue
        expected = neutralised(" | ".join(e.text for e in report.result.expected))
        if not report.result.findings:
            writer.writerow((number, shared_id, status, "", "", "", "", expected))
        for f in report.result.findings:
            writer.writerow((number, shared_id, status, neutralised(f.severity),
                             neutralised(f.rule), "" if f.line is None else f.line,
                             neutralised(f.message), expected))
    return tally


def write_json(reports: Iterable[RowReport], out: IO[str], catalog_version: str,
               cms: CmsHistory | None = None) -> Counter[str]:
    """The JSON report; its summary adds what a manager reads (check/summary.py)."""
    # Here, not at the top: a CSV report (and the command's start-up) needs neither.
    from ivigcalc.check.report import JSON_SCHEMA, expected_dict, finding_dict
    from ivigcalc.check.summary import BatchSummary, summary_dict

    rows: list[dict[str, Any]] = []
    tally: Counter[str] = Counter()
    totals = BatchSummary(cms=cms)
    for report in reports:
        tally[report.status] += 1
        totals.add(report)
        row: dict[str, Any] = {"row": report.row, "id": report.id or None,
                               "status": report.status}
        if report.result is None:
            row.update(field=report.field, error=report.error)
        else:
            row.update(findings=[finding_dict(f) for f in report.result.findings],
                       expected_lines=[expected_dict(e) for e in report.result.expected])
        rows.append(row)
    json.dump({"schema": JSON_SCHEMA, "rows": rows,
               "summary": {**summary(tally), **summary_dict(totals)},
               "catalog": catalog_version, "version": __version__},
              out, indent=1, ensure_ascii=False)
    out.write("\n")
    return tally


def summary(tally: Counter[str]) -> dict[str, int]:
    return {"rows": sum(tally.values()), **{s: tally[s] for s in
                                           ("ok", "warnings", "errors", "invalid")}}


def write_report(reader: Iterable[dict[str | Any, Any]], path: str | Path, catalog: Catalog,
                 defaults: Defaults, fmt: str, out: IO[str]) -> Counter[str]:
    """Check every row of an opened file into `out` (csv or json); returns the tally."""
    reports = check_rows(reader, catalog, defaults)
    try:
        if fmt == "json":
            return write_json(reports, out, catalog.version, catalog.cms_history)
        return write_csv(reports, out)
    except csv.Error as error:
        raise InputError("csv", f"{path} cannot be read as CSV: {error}") from None


def report_string(path: str | Path, catalog: Catalog, defaults: Defaults,
                  fmt: str = "csv") -> str:
    """The whole report as text (tests, small files)."""
    buffer = io.StringIO()
    handle, reader, _ = open_rows(path)
    with handle:
        write_report(reader, path, catalog, defaults, fmt, buffer)
    return buffer.getvalue()
