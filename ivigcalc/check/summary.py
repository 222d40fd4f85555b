"""A batch of claim checks summed up for a pharmacy manager: what will deny, and the money.

Why: a month of claims gives hundreds of finding rows; a manager wants the few numbers that
decide what to do first: how many claims will deny, which rules fire most, and what is at
stake. The money is (units billed − units expected) × the quarter's Medicare payment
allowance limit per unit: positive is billed over what the vials and dose support (paid and
then recouped, or denied), negative is left unbilled. It is the payment limit, not the price
paid or a charge, and rows whose code has no limit are counted, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

from ivigcalc import text
from ivigcalc.check.row_report import RowReport
from ivigcalc.check.rules import CheckResult
from ivigcalc.data.cms.history import CmsHistory
from ivigcalc.errors import InputError

CENT = Decimal("0.01")
MONEY_LABEL = "at Medicare's payment allowance limit (not the price paid, not a charge)"


def units_billed(result: CheckResult) -> int:
    """Every unit billed under the claim's code, repeats included (a payer may pay twice)."""
    return sum(b.parsed.units for b in result.billed
               if b.parsed is not None and b.parsed.code == result.claim.code.key)


def units_expected(result: CheckResult) -> int:
    return sum(e.line.units for e in result.expected)


@dataclass
class BatchSummary:
    rows: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    units_over: int = 0  # billed above expected, summed over the claims that do
    units_under: int = 0  # expected above billed
    money_over: Decimal = Decimal(0)
    money_under: Decimal = Decimal(0)
    unpriced: set[str] = field(default_factory=set)  # codes with a difference but no limit
    # The CMS quarters held: each claim's difference is priced by its own date's quarter.
    cms: CmsHistory | None = None
    quarters: set[str] = field(default_factory=set)  # the quarters that priced a difference
    # Claims dated in a quarter the catalog lacks (priced with the nearest one), and the
    # newest such gap ("newest CMS data 2026-Q1; 2026-08-03 is in 2026-Q3"): said once.
    outside: int = 0
    gap: str = ""
    gap_day: dt.date | None = None

    @property
    def quarter(self) -> str | None:
        """The quarters that priced the money at stake ('2025-Q2, 2025-Q3'), or the newest
        quarter held when no difference was priced; None without CMS data."""
        if self.cms is None:
            return None
        return ", ".join(sorted(self.quarters)) if self.quarters else self.cms.labels[-1]

    @property
    def will_deny(self) -> int:
        """Claims with an error: the payer will deny, return or overpay them."""
        return self.statuses["errors"]

    def add(self, report: RowReport) -> None:
        self.rows += 1
        self.statuses[report.status] += 1
        if report.result is None:
            self.by_rule["invalid-input"] += 1
            return
        self.by_rule.update(f.rule for f in report.result.findings)
        day = report.result.claim.date_of_service
        gap = self.cms.gap(day) if self.cms is not None else ""
        if gap:
            self.outside += 1
            if self.gap_day is None or day > self.gap_day:
                self.gap, self.gap_day = gap, day
        difference = units_billed(report.result) - units_expected(report.result)
        if difference == 0:
            return
        if difference > 0:
            self.units_over += difference
        else:
            self.units_under -= difference
        code = report.result.claim.code.key
        cms = self.cms.on(day) if self.cms is not None else None
        payment = cms.payments.get(code) if cms is not None else None
        if cms is None or payment is None:
            self.unpriced.add(code)
            return
        self.quarters.add(cms.quarter)
        amount = Decimal(difference) * Decimal(payment.limit)
        if amount > 0:
            self.money_over += amount
        else:
            self.money_under -= amount


def summarize(reports: Iterable[RowReport], cms: CmsHistory | None = None) -> BatchSummary:
    """Add up a batch; `cms` (the catalog's quarters) prices each claim's difference by the
    quarter of its date of service."""
    summary = BatchSummary(cms=cms)
    for report in reports:
        summary.add(report)
    return summary


def usd(amount: Decimal) -> str:
    return f"{amount.quantize(CENT, ROUND_HALF_UP):,.2f} USD"


def summary_lines(summary: BatchSummary) -> list[str]:
    """The summary in a few lines a manager reads top to bottom."""
    counts = summary.statuses
    out = [f"{text.count(summary.rows, 'claim')} checked: {counts['ok']} ok, "
           f"{counts['warnings']} with warnings, {counts['errors']} with errors, "
           f"{counts['invalid']} invalid",
           f"Claims that will deny (errors): {summary.will_deny}"]
    if summary.by_rule:
        ranked = sorted(summary.by_rule.items(), key=lambda item: (-item[1], item[0]))
        out.append("Findings by rule: " + ", ".join(f"{rule} {n}" for rule, n in ranked))
    units = (f"Units billed over expected: {summary.units_over}; "
             f"under expected: {summary.units_under}")
    out.append(units)
    if summary.quarter is None:
        out.append("Money at stake: no payment limits in the catalog (add the quarter's CMS "
                   "ASP pricing file to see it)")
    else:
        out.append(f"Money at stake {MONEY_LABEL}, CMS {summary.quarter}: "
                   f"{usd(summary.money_over)} billed over, {usd(summary.money_under)} "
                   "left unbilled")
    if summary.outside:
        out.append(f"cms-data-stale: {text.count(summary.outside, 'claim')} dated in a quarter "
                   f"the catalog lacks, coded and priced with the nearest quarter held "
                   f"({summary.gap}); update the CMS data (ivigcalc catalog import-cms)")
    if summary.unpriced and summary.quarter is not None:
        out.append(f"No payment limit for {', '.join(sorted(summary.unpriced))}: "
                   "their units are counted above, not priced")
    return out


def summary_dict(summary: BatchSummary) -> dict[str, object]:
    """For the JSON report: amounts as strings of cents (exact), counts as integers."""
    return {"rows": summary.rows, **{s: summary.statuses[s] for s in
                                     ("ok", "warnings", "errors", "invalid")},
            "will_deny": summary.will_deny, "by_rule": dict(sorted(summary.by_rule.items())),
            "units_over": summary.units_over, "units_under": summary.units_under,
            "money_quarter": summary.quarter,
            "money_over_usd": (str(summary.money_over.quantize(CENT, ROUND_HALF_UP))
                               if summary.quarter else None),
            "money_under_usd": (str(summary.money_under.quantize(CENT, ROUND_HALF_UP))
                                if summary.quarter else None),
            "outside_quarter": summary.outside, "cms_data_stale": summary.gap or None,
            "unpriced_codes": sorted(summary.unpriced)}


def report_rows(reports: Iterable[RowReport]) -> list[tuple[int, str, str, str, str, str, str,
                                                             str]]:
    """The batch report's rows as the CSV writes them: one per finding (row, id, status,
    severity, rule, line, message, expected lines); a clean claim gets one 'ok' row."""
    out = []
    for report in reports:
        if report.result is None:
            out.append((report.row, report.id, report.status, "", "invalid-input", "",
                        report.error or "", ""))
            continue
        expected = " | ".join(e.text for e in report.result.expected)
        if not report.result.findings:
            out.append((report.row, report.id, report.status, "", "", "", "", expected))
        out += [(report.row, report.id, report.status, f.severity, f.rule,
                 "" if f.line is None else str(f.line), f.message, expected)
                for f in report.result.findings]
    return out


def summary_text(summary: BatchSummary) -> str:
    return "Batch summary\n" + "\n".join(f"  {line}" for line in summary_lines(summary)) + "\n"


def write_summary(reports: Iterable[RowReport], path: str, out: IO[str],
                  cms: CmsHistory | None = None) -> Counter[str]:
    """`ivigcalc check --csv FILE --format summary`: check every row, print the summary."""
    try:
        summary = summarize(reports, cms)
    except csv.Error as error:
        raise InputError("csv", f"{path} cannot be read as CSV: {error}") from None
    out.write(summary_text(summary))
    return summary.statuses
