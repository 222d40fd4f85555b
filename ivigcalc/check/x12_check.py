"""`check --x12 FILE`: every claim of an 837P/837I file checked, duplicates across claims
marked, and the report as text (one block per claim), JSON or CSV.

Why its own report: an 837 groups lines into claims (CLM01) and numbers them (LX01), and a
coder fixes a claim by its id and line number, so the report is per claim, each with its
lines (checked or not) and its findings; the summary is the CSV batch's (claims, findings
by rule, money at stake), from the same RowReports.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import IO, Any

from ivigcalc import __version__
from ivigcalc.check import after_midnight, x12_claims, x12_file
from ivigcalc.check.batch import neutralised
from ivigcalc.check.findings import RULES, Finding
from ivigcalc.check.row_report import RowReport
from ivigcalc.check.rules import CheckResult, check
from ivigcalc.check.x12_claims import ServiceLine, X12Claim
from ivigcalc.data.catalog import Catalog
from ivigcalc.errors import IvigcalcError

REPORT_COLUMNS = ("claim", "claim_id", "status", "severity", "rule", "line", "message",
                  "expected_lines")


@dataclass(frozen=True)
class ClaimReport:
    """One claim's outcome: a check per date of service, or why it could not be read."""

    number: int  # the claim's place in the file, from 1
    claim: X12Claim
    payer: str = ""
    results: tuple[CheckResult, ...] = ()
    not_checked: tuple[ServiceLine, ...] = ()
    error: str | None = None
    extra: tuple[Finding, ...] = ()  # across claims: duplicate-claim

    @property
    def findings(self) -> tuple[Finding, ...]:
        return (*self.extra, *(f for r in self.results for f in r.findings))

    @property
    def status(self) -> str:
        if self.error is not None:
            return "invalid"
        if not self.results:
            return "not checked"
        severities = {f.severity for f in self.findings}
        if "error" in severities:
            return "errors"
        return "warnings" if "warning" in severities else "ok"

    def rows(self) -> list[RowReport]:
        """As the CSV batch's RowReports (one per date of service): the summary adds them."""
        if self.error is not None:
            return [RowReport(self.number, self.claim.claim_id, field="x12", error=self.error)]
        out = []
        for index, result in enumerate(self.results):
            extra = self.extra if index == 0 else ()
            out.append(RowReport(self.number, self.claim.claim_id,
                                 replace(result, findings=(*extra, *result.findings))))
        return out


def read(path: str, label: str | None = None) -> list[X12Claim]:
    """The file's claims (X12FileError for a file that cannot be read as X12)."""
    name = label or path
    return x12_claims.claims(x12_file.transactions(x12_file.read_text(path, name), name))


def check_claims(claims: Iterable[X12Claim], catalog: Catalog) -> Iterator[ClaimReport]:
    """Check each claim, then mark duplicates across claims."""
    return _mark_duplicates(_check_each(claims, catalog))


def _check_each(claims: Iterable[X12Claim], catalog: Catalog) -> Iterator[ClaimReport]:
    for number, claim in enumerate(claims, 1):
        read = x12_claims.records_of(claim, catalog)
        if read.problem is not None:
            yield ClaimReport(number, claim, error=read.problem)
            continue
        payer = read.records[0].payer if read.records else x12_claims.payer_of(claim, catalog)
        try:
            # An added hour after midnight follows its initial on the claim's day before.
            results = after_midnight.within_claim(check(record, catalog)
                                                  for record in read.records)
        except IvigcalcError as error:
            yield ClaimReport(number, claim, payer, error=f"segment {claim.segment}: {error}")
            continue
        yield ClaimReport(number, claim, payer, results, tuple(read.not_checked))


def _mark_duplicates(reports: Iterable[ClaimReport]) -> Iterator[ClaimReport]:
    """The same claim id twice, or the same person, payer, date, codes and units: payers
    deny the second (CARC 18). A replacement or void (CLM05-3 = 7 or 8) is not a duplicate."""
    by_id: dict[str, int] = {}
    by_claim: dict[tuple[Any, ...], int] = {}
    for report in reports:
        if report.claim.replaces or not report.results:
            yield report
            continue
        messages = []
        first = by_id.setdefault(report.claim.claim_id, report.number)
        if first != report.number:
            messages.append(f"claim id {report.claim.claim_id} is also claim {first}")
        for result in report.results:
            billed = sorted((b.parsed.code, b.parsed.units) for b in result.billed if b.parsed)
            key = (report.claim.member, report.payer, result.claim.date_of_service,
                   tuple(billed))
            earlier = by_claim.setdefault(key, report.number)
            if earlier != report.number:
                lines = ", ".join(f"{code} × {units}" for code, units in billed)
                messages.append(f"claim {earlier} bills the same {lines} on "
                                f"{result.claim.date_of_service.isoformat()}")
        if messages:
            finding = Finding("error", "duplicate-claim",
                              f"Duplicate claim: {'; '.join(messages)}; payers deny the second "
                              "as a duplicate (a correction goes as a replacement, CLM05-3 = "
                              "7)", None, RULES["duplicate-claim"].source)
            report = replace(report, extra=(finding,))
        yield report


def _line_dict(line: ServiceLine, checked: bool) -> dict[str, Any]:
    return {"line": line.number, "code": line.code, "modifiers": list(line.modifiers),
            "units": line.units, "date": line.day.isoformat() if line.day else None,
            "ndc": line.ndc.text if line.ndc else None, "checked": checked}


def claim_dict(report: ClaimReport) -> dict[str, Any]:
    from ivigcalc.check.report import expected_dict, finding_dict

    claim = report.claim
    out: dict[str, Any] = {"claim": report.number, "claim_id": claim.claim_id,
                           "type": claim.kind, "status": report.status,
                           "payer": report.payer or None,
                           "replaces": claim.replaces}
    if report.error is not None:
        out["error"] = report.error
        return out
    unchecked = {line.number for line in report.not_checked}
    out["lines"] = [_line_dict(line, line.number not in unchecked) for line in claim.lines]
    out["findings"] = [finding_dict(f) for f in report.findings]
    out["expected_lines"] = [expected_dict(e) for r in report.results for e in r.expected]
    out["dates_of_service"] = [r.claim.date_of_service.isoformat() for r in report.results]
    return out


def write_json(reports: Iterable[ClaimReport], out: IO[str], catalog: Catalog) -> Counter[str]:
    from ivigcalc.check.report import JSON_SCHEMA
    from ivigcalc.check.summary import BatchSummary, summary_dict

    totals = BatchSummary(cms=catalog.cms_history)
    tally: Counter[str] = Counter()
    claims = []
    for report in reports:
        tally[report.status] += 1
        for row in report.rows():
            totals.add(row)
        claims.append(claim_dict(report))
    json.dump({"schema": JSON_SCHEMA, "claims": claims,
               "summary": {"claims": len(claims), "not_checked": tally["not checked"],
                           **summary_dict(totals)},
               "app_version": __version__, "catalog_version": catalog.version}, out, indent=2)
    out.write("\n")
    return tally


def table_rows(report: ClaimReport, *, with_lines: bool = False) -> list[tuple[Any, ...]]:
    """The claim as report rows (claim, id, status, severity, rule, line, message, expected
    lines): one per finding (or one 'ok'), one per line not checked; `with_lines` starts
    with a row listing the claim's lines (the window's table)."""
    head = (report.number, report.claim.claim_id, report.status)
    if report.error is not None:
        return [(*head, "", "invalid-input", "", report.error, "")]
    expected = " | ".join(e.text for r in report.results for e in r.expected)
    rows: list[tuple[Any, ...]] = []
    if with_lines:
        rows.append((*head, "", "lines", "", " | ".join(
            f"{line.number}. {line.text}" for line in report.claim.lines), expected))
    if not report.findings and report.results:
        rows.append((*head, "", "", "", "", expected))
    rows += [(*head, f.severity, f.rule, "" if f.line is None else f.line, f.message, expected)
             for f in report.findings]
    rows += [(*head, "", "not-checked", line.number, f"{line.text}: not an immune globulin "
              "or administration line", expected) for line in report.not_checked]
    return rows


def write_csv(reports: Iterable[ClaimReport], out: IO[str]) -> Counter[str]:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    tally: Counter[str] = Counter()
    for report in reports:
        tally[report.status] += 1
        writer.writerows(tuple(neutralised(cell) for cell in row)
                         for row in table_rows(report))
    return tally


def claim_text(report: ClaimReport) -> str:
    claim = report.claim
    kind = f"{claim.kind}, replacement" if claim.frequency == "7" else \
        f"{claim.kind}, void" if claim.frequency == "8" else claim.kind
    out = [f"Claim {claim.claim_id} ({kind}; claim {report.number} in the file): "
           f"{report.status}"]
    if report.error is not None:
        out.append(f"  Unreadable: {report.error}")
        return "\n".join(out) + "\n"
    days = ", ".join(r.claim.date_of_service.isoformat() for r in report.results)
    if report.results:
        out.append(f"  Payer {report.payer}; date of service {days}")
    unchecked = {line.number for line in report.not_checked}
    for line in claim.lines:
        mark = "  (not checked)" if line.number in unchecked else ""
        out.append(f"  {line.number}. {line.text}{mark}")
    for f in report.findings:
        where = f"line {f.line}" if f.line is not None else "claim"
        out.append(f"  {f.severity.upper():<7} {where:<8} {f.rule}: {f.message}")
    if report.results:
        expected = " | ".join(e.text for r in report.results for e in r.expected)
        out.append(f"  Expected: {expected}")
    elif report.status == "not checked":
        out.append("  No immune globulin line to check.")
    return "\n".join(out) + "\n"


def write_text(reports: Iterable[ClaimReport], out: IO[str], catalog: Catalog, *,
               claims: bool = True) -> Counter[str]:
    """One block per claim (unless `claims` is False: the summary alone), then the summary."""
    from ivigcalc.check.summary import BatchSummary, summary_lines

    totals = BatchSummary(cms=catalog.cms_history)
    tally: Counter[str] = Counter()
    for report in reports:
        tally[report.status] += 1
        for row in report.rows():
            totals.add(row)
        if claims:
            out.write(claim_text(report) + "\n")
    out.write("Summary\n")
    out.write("".join(f"  {line}\n" for line in summary_lines(totals)))
    if tally["not checked"]:
        out.write(f"  Claims with no immune globulin line (listed, not checked): "
                  f"{tally['not checked']}\n")
    out.write(f"ivigcalc {__version__} · catalog {catalog.version}\n")
    return tally


def write_summary(reports: Iterable[ClaimReport], out: IO[str],
                  catalog: Catalog) -> Counter[str]:
    """`--format summary`: the CSV batch's summary for a manager, over the file's claims."""
    return write_text(reports, out, catalog, claims=False)


def report_string(path: str, catalog: Catalog, fmt: str = "text") -> str:
    """The whole report as text (tests, small files)."""
    buffer = io.StringIO()
    reports = check_claims(read(path), catalog)
    if fmt == "json":
        write_json(reports, buffer, catalog)
    elif fmt == "csv":
        write_csv(reports, buffer)
    else:
        write_text(reports, buffer, catalog)
    return buffer.getvalue()
