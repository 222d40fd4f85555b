"""The coder's claim check (issue 4): find wrong units and modifiers before the payer does.

A coder starts from a claim someone else built. This module takes the facts of one day of
service (date, payer, product or code, route, amount administered, vials opened), works out
the lines the claim should carry with the same engine `ivigcalc calc` uses
(billing.lines.claim_lines, vials.plan_vials), reads the billed lines, and names every
difference as a finding with a rule id, a severity, the numbers, the line and the rule's
source. Here: the result and the order the rules run in; facts.py works out the claim as
it should be, findings.py holds the rule ids, line_rules.py and unit_rules.py the rules.
Pure Python: no Qt, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivigcalc import __version__
from ivigcalc.billing.lines import MAX_MODIFIERS
from ivigcalc.billing.ndc import NdcSegment
from ivigcalc.check import (
    admin_rules,
    line_rules,
    mue_rules,
    ndc_rules,
    necessity,
    slips,
    unit_rules,
)
from ivigcalc.check.facts import Claim, input_problems, prepare
from ivigcalc.check.findings import CHECKED_MODIFIERS, RULES, SEVERITIES, Finding, Rule, find
from ivigcalc.check.line_rules import SortedLines
from ivigcalc.check.reading import BilledLine
from ivigcalc.check.record import CheckRequest, ClaimRecord, read, read_form, require_lines
from ivigcalc.data.catalog import Catalog
from ivigcalc.result import ClaimLine

__all__ = ["RULES", "CheckRequest", "CheckResult", "Claim", "ClaimRecord", "ExpectedLine",
           "Finding", "Rule", "check", "expected_only", "input_problems", "prepare", "read",
           "read_form"]


@dataclass(frozen=True)
class ExpectedLine:
    """A line the claim should carry, with an N4 segment per vial size opened when the claim
    carries NDCs (ndc_rules.expected_segments: never a flagged NDC)."""

    line: ClaimLine
    ndcs: tuple[NdcSegment, ...] = ()

    @property
    def ndc(self) -> NdcSegment | None:
        return self.ndcs[0] if self.ndcs else None

    @property
    def text(self) -> str:
        return "  ".join((self.line.text, *(segment.text for segment in self.ndcs)))


@dataclass(frozen=True)
class CheckResult:
    claim: Claim
    billed: tuple[BilledLine, ...]
    findings: tuple[Finding, ...]
    expected: tuple[ExpectedLine, ...]
    catalog_version: str
    app_version: str = __version__

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)



def _expected(claim: Claim, lines: SortedLines, catalog: Catalog,
              administration: tuple[ClaimLine, ...] = ()) -> tuple[ExpectedLine, ...]:
    """The engine's lines, with unchecked modifiers carried over and, where the claim
    carries NDCs, a right N4 segment per vial size opened; then the administration lines
    (check/admin_rules.py)."""
    carried: list[str] = []
    for b in lines.same_unit:
        assert b.parsed is not None
        for m in b.parsed.modifiers:  # a line never holds one modifier twice
            if m not in CHECKED_MODIFIERS and m not in carried:
                carried.append(m)
    given = ndc_rules.expected_segments(claim, _first_ndc(lines.given), catalog)
    waste = ndc_rules.expected_segments(claim, _first_ndc(lines.waste), catalog)
    out = []
    for line in claim.lines:
        is_waste = "JW" in line.modifiers
        full = ClaimLine(line.code, (*line.modifiers, *carried), line.units) if carried else line
        out.append(ExpectedLine(full, waste if is_waste else given))
    out += [ExpectedLine(line) for line in administration]
    return tuple(out)


def _four_modifiers(expected: tuple[ExpectedLine, ...]
                    ) -> tuple[tuple[ExpectedLine, ...], list[Finding]]:
    """A claim line carries at most four modifiers: a line that would need a fifth keeps
    the first four (the check's own, then the carried ones) and the finding says which."""
    out, findings = [], []
    for e in expected:
        mods = e.line.modifiers
        if len(mods) <= MAX_MODIFIERS:
            out.append(e)
            continue
        kept, dropped = mods[:MAX_MODIFIERS], mods[MAX_MODIFIERS:]
        line = ClaimLine(e.line.code, kept, e.line.units)
        findings.append(find("too-many-modifiers", f"{e.line.text} would need "
                             f"{len(mods)} modifiers; a claim line carries "
                             f"{MAX_MODIFIERS}: {line.text} keeps the first four, and "
                             f"{' '.join(dropped)} needs the payer's instructions"))
        out.append(ExpectedLine(line, e.ndcs))
    return tuple(out), findings


def _first_ndc(lines: list[BilledLine]) -> NdcSegment | None:
    for b in lines:
        if b.parsed and b.parsed.ndc:
            return b.parsed.ndc
    return None


def _order(finding: Finding) -> tuple[int, int]:
    return SEVERITIES.index(finding.severity), finding.line if finding.line is not None else 10**9


def stale_data(claim: Claim, catalog: Catalog) -> list[Finding]:
    """cms-data-stale when the date's own CMS quarter is not in the catalog: a check of such
    a date is never a bare pass (a batch says it once, in its summary, instead)."""
    history = catalog.cms_history
    gap = history.gap(claim.date_of_service) if history is not None else ""
    if not gap or history is None:
        return []
    used = history.label_on(claim.date_of_service)
    return [find("cms-data-stale", f"{gap}: the NDCs, billing units, payment limits and OPPS "
                 f"status checked are {used}'s; update the CMS data (ivigcalc catalog "
                 "import-cms)")]


def check(record: ClaimRecord, catalog: Catalog, *, say_stale: bool = True) -> CheckResult:
    """Every finding for one day's claim, and the lines it should carry.

    say_stale False: leave out cms-data-stale, said elsewhere once (a batch's summary counts
    those claims; the window has its banner).

    Raises InputError or Refusal (naming the field) when the catalog cannot place the
    record's keys or amounts; a billed line that could not be read is a finding, never an
    exception.
    """
    claim = prepare(record, catalog)
    billed = record.lines
    require_lines(record)
    findings = line_rules.unreadable(billed)
    repeated, kept = line_rules.duplicates(billed, claim.payer)
    findings += repeated
    by_code, same_unit = line_rules.codes(claim, kept, catalog)
    findings += by_code
    given: list[BilledLine] = []  # the claim's own code: without JW, and with it
    waste: list[BilledLine] = []
    for b in same_unit:
        if b.parsed and b.parsed.code == claim.code.key:
            (waste if "JW" in b.parsed.modifiers else given).append(b)
    slip = slips.unmarked_waste(claim, given, waste)
    if slip is not None:  # counted as the JW line it was meant to be, reported once
        given.remove(slip.line)
        waste.append(slip.line)
        findings = [f for f in findings if not (f.rule == "duplicate-line" and
                                                f.line == slip.line.number)]
        findings.append(find("jw-missing", slips.unmarked_waste_message(slip, claim.lines[-1]),
                             slip.line.number))
    lines = SortedLines(same_unit=same_unit, given=given, waste=waste, unmarked=slip)
    findings += line_rules.modifiers(claim, lines, catalog)
    findings += unit_rules.units(claim, lines)
    findings += unit_rules.vial_choice(claim, catalog)
    findings += unit_rules.dose_limit(claim, catalog)
    findings += necessity.findings(record, claim, catalog)
    findings += ndc_rules.findings(claim, lines, catalog)
    findings += ndc_rules.labeled_only(claim)
    findings += mue_rules.findings(claim, billed, catalog)
    if say_stale:
        findings += stale_data(claim, catalog)
    by_time, administration = admin_rules.findings(record, claim, kept)
    findings += by_time
    expected, crowded = _four_modifiers(_expected(claim, lines, catalog, administration))
    findings += crowded
    return CheckResult(claim, billed, tuple(sorted(findings, key=_order)), expected,
                       catalog.version)


def expected_only(record: ClaimRecord, catalog: Catalog, *, say_stale: bool = True
                  ) -> CheckResult:
    """The claim as it should be before any billed line is given (the window's first view)."""
    claim = prepare(record, catalog)
    empty = SortedLines([], [], [])
    findings = unit_rules.vial_choice(claim, catalog) + unit_rules.dose_limit(claim, catalog)
    if say_stale:
        findings += stale_data(claim, catalog)
    return CheckResult(claim, (), tuple(findings), _expected(claim, empty, catalog),
                       catalog.version)

