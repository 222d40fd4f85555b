"""The coder's claim check (issue 4): find wrong units and modifiers before the payer does.

A coder starts from a claim someone else built. This module takes the facts of one day of
service (date, payer, product or code, route, amount administered, vials opened), works out
the lines the claim should carry with the same engine `ivigcalc calc` uses
(billing.claim_lines, vials.plan_vials), reads the billed lines, and names every difference
as a finding with a rule id, a severity, the numbers, the line and the rule's source.

Severities: error = the payer will deny, return or overpay; warning = a likely query;
note = worth knowing, nothing wrong. Rule ids are a contract (issue 4); RULES lists them,
the issue's fifteen first and this tool's additions after. Pure Python: no Qt, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from ivigcalc import __version__, text
from ivigcalc.billing.lines import (
    JW_JZ_SOURCE,
    KX_SOURCE,
    ROUTE_MODIFIER,
    ROUTE_SOURCE,
    UNITS_SOURCE,
    administered_units,
    explain_non_ig,
)
from ivigcalc.billing.ndc import SOURCE as NDC_SOURCE
from ivigcalc.billing.ndc import NdcSegment
from ivigcalc.check.facts import CheckRequest, Claim, input_problems, memo_for, prepare, vials_text
from ivigcalc.check.reading import BilledLine, ParsedLine, read_lines
from ivigcalc.data.catalog import ROUTE_NAMES, Catalog
from ivigcalc.dose.vials import SOURCE as VIALS_SOURCE
from ivigcalc.errors import InputError
from ivigcalc.result import ClaimLine

__all__ = ["RULES", "CheckRequest", "CheckResult", "Claim", "ExpectedLine", "Finding", "Rule",
           "check", "expected_only", "input_problems", "prepare"]

SEVERITIES = ("error", "warning", "note")
CODES_SOURCE = "CMS HCPCS Level II file; domain reference §1 (codes and billing units)"
LATERALITY_SOURCE = ("HCPCS modifiers RT/LT: right/left side of paired body parts; never an "
                     "infusion (domain reference §1.1)")
DUPLICATE_SOURCE = ("Payer duplicate-line edits: the same code, modifiers and units on one "
                    "date of service are read as a duplicate (seed denial reasons; "
                    "domain reference §2)")
MODIFIERS_SOURCE = "Domain reference §2.2 (other modifiers a coder may meet)"
# Modifiers this check reasons about; any other is carried onto the expected lines unchecked.
CHECKED_MODIFIERS = frozenset({"JA", "JB", "JW", "JZ", "KX", "RT", "LT"})
OTHER_MODIFIERS = {"GA": "advance beneficiary notice on file", "GZ": "denial expected, no ABN",
                   "GY": "statutorily excluded", "JG": "340B-acquired drug",
                   "TB": "340B-acquired drug"}  # domain reference §2.2


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    source: str


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    # The rules (ids are part of the contract).
    Rule("units-rounding", "error", "administered units are not ceil(administered ÷ unit)",
         UNITS_SOURCE),
    Rule("jw-missing", "error", "billable waste of 1 unit or more but no JW line, or too few "
         "JW units", JW_JZ_SOURCE),
    Rule("jw-not-allowed", "error", "a JW line when the waste is under one billing unit, or on "
         "a payer/date where JW does not apply", JW_JZ_SOURCE),
    Rule("jz-missing", "error", "no waste line and no JZ where the payer and date require JZ",
         JW_JZ_SOURCE),
    Rule("jz-with-waste", "error", "JZ with a JW line, or JZ when billable waste exists",
         JW_JZ_SOURCE),
    Rule("over-labeled-contents", "error", "administered + JW units exceed what the opened "
         "vials hold", UNITS_SOURCE),
    Rule("non-optimal-vials", "warning", "more waste than the best plan from the product's "
         "sizes", VIALS_SOURCE),
    Rule("route-modifier-missing", "error", "J1561/J1569 without the JA or JB the route needs",
         ROUTE_SOURCE),
    Rule("laterality-not-applicable", "error", "RT/LT on an infusion line", LATERALITY_SOURCE),
    Rule("non-ig-code", "error", "a code that is not immune globulin (e.g. J1611, glucagon)",
         CODES_SOURCE),
    Rule("unit-size-mismatch", "error", "a 100 mg SCIG code for a 500 mg IVIG product, or the "
         "other way round", CODES_SOURCE),
    Rule("duplicate-line", "error", "the same line twice", DUPLICATE_SOURCE),
    Rule("unknown-code", "error", "a code not in the catalog (or not valid on the date)",
         CODES_SOURCE),
    Rule("kx-unsupported", "error", "KX without the attestation, or on a payer that does not "
         "use it", KX_SOURCE),
    Rule("malformed-line", "error", "a line that cannot be read", CODES_SOURCE),
    # Additions: differences the list does not name, so that every difference between
    # the billed and the expected lines is explained.
    Rule("jw-too-many", "error", "JW units above the billable waste", UNITS_SOURCE),
    Rule("jz-not-required", "note", "JZ where the payer does not require it", JW_JZ_SOURCE),
    Rule("kx-missing", "warning", "KX attested and used by the payer but not on the line",
         KX_SOURCE),
    Rule("wrong-product-code", "error", "another product's code (same billing unit)",
         CODES_SOURCE),
    Rule("route-modifier-not-needed", "note", "JA/JB on a code that covers one route only",
         ROUTE_SOURCE),
    Rule("modifier-not-checked", "note", "a modifier this check does not reason about (kept)",
         MODIFIERS_SOURCE),
    Rule("ndc-malformed", "error", "an NDC segment that cannot be read", NDC_SOURCE),
    Rule("ndc-unknown-qualifier", "error", "an NDC unit qualifier other than UN, ML, GR, ME, F2",
         NDC_SOURCE),
    Rule("ndc-format", "note", "an NDC written in a label form, shown as 11 digits",
         NDC_SOURCE),
    Rule("dose-limit", "warning", "an amount above the catalog's grams-per-day limits",
         "limits.toml [default] grams_per_day (domain reference §3.2)"),
)}


@dataclass(frozen=True)
class Finding:
    severity: str
    rule: str
    message: str
    line: int | None = None  # the billed line (from 1), None for the claim as a whole
    source: str = ""


@dataclass(frozen=True)
class ExpectedLine:
    """A line the claim should carry; the NDC segment is the billed one, in claim form."""

    line: ClaimLine
    ndc: NdcSegment | None = None

    @property
    def text(self) -> str:
        return self.line.text + (f"  {self.ndc.text}" if self.ndc else "")


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


# --- the rules -------------------------------------------------------------------------


def _find(rule: str, message: str, line: int | None = None, severity: str | None = None,
          source: str | None = None) -> Finding:
    spec = RULES[rule]
    return Finding(severity or spec.severity, rule, message, line,
                   spec.source if source is None else source)

def _shown(parsed: ParsedLine) -> str:
    return ClaimLine(parsed.code, parsed.modifiers, parsed.units).text


def _cap(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _on(lines: Sequence[BilledLine]) -> str:
    """' on lines 1 and 2' when a finding spans lines ('' for one: the finding names it)."""
    return "" if len(lines) == 1 else f" on {_numbers(lines)}"


def _numbers(lines: Sequence[BilledLine]) -> str:
    numbers = [str(b.number) for b in lines]
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    return "lines " + ", ".join(numbers[:-1]) + " and " + numbers[-1]


@dataclass
class _Lines:
    """The billed lines sorted for the rules."""

    same_unit: list[BilledLine]  # IG codes on the claim's billing unit: modifiers are read
    given: list[BilledLine]  # the claim's code without JW: the administered units
    waste: list[BilledLine]  # the claim's code with JW: the discarded units


def _unreadable(billed: Sequence[BilledLine]) -> list[Finding]:
    out = []
    for b in billed:
        if b.problem is not None:
            out.append(_find(b.problem.rule, f"Cannot be read: {b.problem}",
                             b.number))
        elif b.parsed is not None and b.parsed.ndc_problem is not None:
            out.append(_find(b.parsed.ndc_problem.rule,
                             _cap(str(b.parsed.ndc_problem)), b.number))
        elif b.parsed is not None and b.parsed.ndc is not None and b.parsed.ndc.converted:
            segment = b.parsed.ndc
            out.append(_find("ndc-format", f"NDC {segment.written} is "
                             f"{segment.hyphenated} as 11 digits (5-4-2); on the claim: "
                             f"{segment.text}", b.number))
    return out


def _duplicates(billed: Sequence[BilledLine]) -> tuple[list[Finding], list[BilledLine]]:
    """Exact repeats are reported and set aside; same code and modifiers twice is a query."""
    findings: list[Finding] = []
    kept: list[BilledLine] = []
    seen: dict[tuple[str, frozenset[str], int], BilledLine] = {}
    similar: dict[tuple[str, frozenset[str]], BilledLine] = {}
    for b in billed:
        if b.parsed is None:
            continue
        first = seen.get(b.parsed.key)
        if first is not None:
            findings.append(_find("duplicate-line", f"Repeats line {first.number}"
                                  f" ({_shown(b.parsed)}): remove it; a payer "
                                  "denies it as a duplicate or pays the drug twice", b.number))
            continue
        seen[b.parsed.key] = b
        earlier = similar.get(b.parsed.key[:2])
        if earlier is not None and earlier.parsed is not None:
            total = earlier.parsed.units + b.parsed.units
            findings.append(_find(
                "duplicate-line", f"Lines {earlier.number} and {b.number} both bill "
                f"{' '.join((b.parsed.code, *b.parsed.modifiers))} ({earlier.parsed.units} and "
                f"{b.parsed.units} units): payers' duplicate edits deny the second line; bill "
                f"the {total} units on one line", b.number, severity="warning"))
        similar.setdefault(b.parsed.key[:2], b)
        kept.append(b)
    return findings, kept


def _codes(claim: Claim, kept: Sequence[BilledLine], catalog: Catalog) -> tuple[list[Finding],
                                                                               list[BilledLine]]:
    """Each line's code: unknown, not IG, another unit size, another product's. Returns the
    findings and the lines on the claim's billing unit (whose modifiers are read)."""
    findings: list[Finding] = []
    drug: list[BilledLine] = []
    day = claim.date_of_service
    own = claim.code
    whose = claim.product.name if claim.product else "the claim"
    for b in kept:
        assert b.parsed is not None
        key = b.parsed.code
        code = catalog.codes.get(key)
        if code is None:
            if key.isdigit():
                findings.append(_find("unknown-code", f"{key} is a CPT code "
                                      "(e.g. the infusion's administration), not a drug code; "
                                      "not checked here", b.number, severity="note"))
            else:
                findings.append(_find("unknown-code", f"{key} is not in the "
                                      f"catalog ({catalog.quarter}); {whose} bills {own.key}",
                                      b.number))
            continue
        if not code.immune_globulin:
            findings.append(_find("non-ig-code", explain_non_ig(code, claim.product, day),
                                  b.number, source=code.source))
            continue
        if code.unit_mg != own.unit_mg:
            wrong = administered_units(claim.administered_mg, code.unit_mg)
            kind = "an IVIG product" if own.unit_mg > code.unit_mg else "a SCIG product"
            subject = f"{claim.product.name} is {kind}, billed" if claim.product else \
                "The claim's code is billed"
            findings.append(_find(
                "unit-size-mismatch", f"{key} is billed per "
                f"{text.mg(code.unit_mg)} ({code.descriptor}). {subject} per "
                f"{text.mg(own.unit_mg)} under {own.key}: {text.grams(claim.administered_mg)} "
                f"is {claim.administered_units} units of {own.key}, not {wrong} units of {key}",
                b.number, source=code.source))
            continue
        if key != own.key:
            when = code.not_billable_on(day)
            findings.append(_find(
                "wrong-product-code", f"{key} is {code.descriptor}; {whose} "
                f"bills {own.key} on {day.isoformat()}" + (f" ({when})" if when else ""),
                b.number, source=code.source))
        drug.append(b)
    return findings, drug


def _modifiers(claim: Claim, lines: _Lines, catalog: Catalog) -> list[Finding]:
    """Route (JA/JB), laterality, KX and the modifiers this check does not reason about."""
    out: list[Finding] = []
    want = ROUTE_MODIFIER[claim.route]
    other = "JB" if want == "JA" else "JA"
    route_name = ROUTE_NAMES[claim.route]
    for b in lines.same_unit:
        parsed = b.parsed
        assert parsed is not None
        mods = set(parsed.modifiers)
        code = catalog.codes[parsed.code]
        if code.dual_route and want not in mods:
            has = (f"it has {other}, which says {ROUTE_NAMES['sc' if other == 'JB' else 'iv']}"
                   if other in mods else "it has neither")
            out.append(_find("route-modifier-missing", f"{code.key} covers IV "
                             f"and SC, so the line needs {want} ({route_name}); {has}",
                             b.number))
        elif code.dual_route and other in mods:
            out.append(_find("route-modifier-missing", "Both JA and JB; "
                             f"the route is {route_name}: keep {want} only", b.number))
        elif not code.dual_route and mods & {"JA", "JB"}:
            out.append(_find("route-modifier-not-needed", "JA/JB are needed "
                             f"only when one code covers both routes; {code.key} covers "
                             f"{' and '.join(code.routes).upper()} only", b.number))
        for side in sorted(mods & {"RT", "LT"}):
            out.append(_find("laterality-not-applicable", f"{side} marks the "
                             "side of a paired body part; it never applies to an infusion. "
                             "Remove it", b.number))
        if "KX" in mods and not claim.payer.kx:
            out.append(_find("kx-unsupported", f"{claim.payer.name} does not "
                             "use the KX modifier; remove it", b.number))
        elif "KX" in mods and not claim.kx:
            out.append(_find("kx-unsupported", "KX attests that the medical "
                             "policy's documentation requirements are met, and that has not "
                             "been attested; remove KX or attest once the record is complete",
                             b.number))
        elif "KX" not in mods and claim.kx and claim.payer.kx:
            out.append(_find("kx-missing", "The documentation is attested "
                             f"complete and {claim.payer.name} uses KX, but the line has no KX",
                             b.number))
        for modifier in parsed.modifiers:
            if modifier not in CHECKED_MODIFIERS:
                meaning = OTHER_MODIFIERS.get(modifier)
                out.append(_find("modifier-not-checked", f"{modifier}"
                                 + (f" ({meaning})" if meaning else "")
                                 + " is not checked here; it is kept on the expected lines",
                                 b.number))
    return out


def _units(claim: Claim, lines: _Lines) -> list[Finding]:
    """Administered units, JW and JZ, and the labeled contents."""
    out: list[Finding] = []
    unit = claim.code.unit_mg

    def working() -> str:  # the messages' arithmetic, formatted only when a rule fires
        exact = claim.administered_mg / unit
        return (f"{text.grams(claim.administered_mg)} ÷ {text.mg(unit)} = "
                f"{text.decimal(exact)}" + ("" if exact.denominator == 1 else
                                            f", rounded up to {claim.administered_units}"))

    def opened() -> str:
        return (f"{vials_text(claim.opened)} = {text.grams(claim.opened_mg)} opened holds "
                f"{claim.labeled_units} units")

    billed_given = sum(b.parsed.units for b in lines.given if b.parsed)
    billed_waste = sum(b.parsed.units for b in lines.waste if b.parsed)
    waste_units = claim.discarded_units
    jw_applies = claim.payer.jw_applies(claim.date_of_service)
    expected_main = claim.lines[0]
    line_of = (lines.given[0].number if len(lines.given) == 1 else None)

    if not lines.given:
        out.append(_find("units-rounding", f"No administered line for {claim.code.key}: "
                         f"{working()}; bill {expected_main.text}"))
    elif billed_given != claim.administered_units:
        if billed_given == claim.labeled_units and waste_units and not lines.waste:
            why = (f", the whole {text.grams(claim.opened_mg)} opened: only the amount "
                   f"administered goes on this line ({working()}), the discarded units on a JW "
                   "line")
        elif billed_given < claim.administered_units:
            why = f"; {working()}: round up, never down or to the nearest"
        else:
            why = f", more than administered; {working()}"
        out.append(_find("units-rounding", f"{billed_given} units billed{_on(lines.given)}{why}",
                         line_of))

    if jw_applies and waste_units >= 1:
        if not lines.waste:
            out.append(_find("jw-missing", f"No JW line: {opened()}; {claim.labeled_units} − "
                             f"{claim.administered_units} administered = {waste_units} discarded "
                             f"units go on a separate line, {claim.lines[-1].text}"))
        elif billed_waste < waste_units:
            out.append(_find("jw-missing", f"JW bills {billed_waste} units{_on(lines.waste)}; "
                             f"{opened()}, so {claim.labeled_units} − "
                             f"{claim.administered_units} = {waste_units} discarded units",
                             lines.waste[0].number if len(lines.waste) == 1 else None))
    if lines.waste:
        for b in lines.waste:
            if not jw_applies:
                starts = claim.payer.jw_from
                when = (f"from {starts.isoformat()}" if claim.payer.jw and starts else "on no date")
                out.append(_find("jw-not-allowed", f"{claim.payer.name} takes "
                                 f"JW lines {when}; the date of service is "
                                 f"{claim.date_of_service.isoformat()}. Discarded units are not "
                                 "billed", b.number, source=claim.payer.source))
            elif waste_units == 0:
                wasted = claim.opened_mg - claim.administered_mg
                why = ("nothing was discarded" if wasted == 0 else
                       f"the {text.grams(wasted)} discarded is less than one billing unit "
                       f"({text.mg(unit)})")
                jz = " and the single line carries JZ" if "JZ" in expected_main.modifiers else ""
                out.append(_find("jw-not-allowed", f"{_cap(why)}, so JW is not "
                                 f"permitted{jz}: {expected_main.text}", b.number))
        total = billed_given + billed_waste
        if jw_applies and waste_units >= 1 and billed_waste > waste_units and \
                total <= claim.administered_units + waste_units:
            out.append(_find("jw-too-many", f"JW bills {billed_waste} units{_on(lines.waste)}; "
                             f"{opened()}, so {claim.labeled_units} − "
                             f"{claim.administered_units} administered = {waste_units} at most",
                             lines.waste[0].number if len(lines.waste) == 1 else None))

    jz_lines = [b for b in (*lines.given, *lines.waste) if b.parsed and "JZ" in b.parsed.modifiers]
    if lines.given and "JZ" in expected_main.modifiers and not any(
            b in jz_lines for b in lines.given):
        wasted = claim.opened_mg - claim.administered_mg
        why = ("nothing was discarded" if wasted == 0 else
               f"the {text.grams(wasted)} discarded is less than one billing unit")
        out.append(_find("jz-missing", f"{_cap(why)}{_on(lines.given)}, and "
                         f"{claim.payer.name} requires JZ from "
                         f"{_iso(claim.payer.jz_required_from)}: {expected_main.text}",
                         line_of, source=f"{JW_JZ_SOURCE}; {claim.payer.source}"))
    for b in jz_lines:
        if b in lines.waste:
            why = "JZ (nothing discarded) is on the JW line itself"
        elif lines.waste:
            why = f"JZ says nothing was discarded, but {_numbers(lines.waste)} bill JW"
        elif waste_units >= 1:
            why = (f"JZ says nothing was discarded, but {opened()}: {waste_units} billable "
                   "units were discarded")
        else:
            if "JZ" not in expected_main.modifiers:
                out.append(_find("jz-not-required", f"{claim.payer.name} does "
                                 f"not require JZ on {claim.date_of_service.isoformat()}; it "
                                 "does no harm where accepted", b.number,
                                 source=claim.payer.source))
            continue
        out.append(_find("jz-with-waste", why, b.number))

    # Administered units round up, so a dose within a unit of the labeled contents (0.95 g
    # from a 0.99 g vial: 10 units of 100 mg) may bill one unit over them, and no JW then.
    # JW lines already reported as not allowed do not count again here.
    allowed = claim.administered_units + waste_units
    counted_waste = billed_waste if jw_applies and waste_units >= 1 else 0
    total = billed_given + counted_waste
    if total > allowed:
        parts = f"{billed_given} + {counted_waste} = {total}" if counted_waste else str(total)
        out.append(_find("over-labeled-contents", f"{parts} units billed, but {opened()} of "
                         f"{text.mg(unit)}; at most {allowed} can be billed (overfill is never "
                         "billed)"))
    return out


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _vial_choice(claim: Claim) -> list[Finding]:
    amounts = claim.quantities
    if amounts.discarded_units == 0:
        return []  # no plan discards fewer than none: skip planning
    if amounts.discarded_units <= amounts.best_discarded_units:
        return []
    return [_find("non-optimal-vials", amounts.vial_message)]


def _dose_limit(claim: Claim, catalog: Catalog) -> list[Finding]:
    memo = memo_for(catalog)
    key = ("dose-limit", claim.administered_mg)
    found = memo.get(key)
    if found is None:
        found = memo[key] = tuple(_dose_limit_findings(claim, catalog))
    return list(cast(tuple[Finding, ...], found))


def _dose_limit_findings(claim: Claim, catalog: Catalog) -> list[Finding]:
    """The catalog's grams-per-day limits (soft: a query; hard: a likely mg/g slip)."""
    limits = catalog.limits.get("default")
    if limits is None:
        return []
    grams = claim.administered_mg / 1000
    limit = limits.grams_per_day
    source = f"limits.toml [{limits.key}] grams_per_day: {limits.source}"
    if limit.hard_max is not None and grams > limit.hard_max:
        return [_find("dose-limit", f"{text.grams(claim.administered_mg)} in one day is above "
                      f"the hard limit of {text.decimal(limit.hard_max)} g: check the amount "
                      "(mg/g slip?) before the claim goes out", severity="error", source=source)]
    if limit.soft_max is not None and grams > limit.soft_max:
        return [_find("dose-limit", f"{text.grams(claim.administered_mg)} in one day is above "
                      f"the soft limit of {text.decimal(limit.soft_max)} g: payers query doses "
                      "beyond what is reasonable; keep the order and weight on file",
                      source=source)]
    return []


def _expected(claim: Claim, lines: _Lines) -> tuple[ExpectedLine, ...]:
    """The engine's lines, with unchecked modifiers carried over and the billed NDC attached."""
    carried: list[str] = []
    for b in lines.same_unit:
        assert b.parsed is not None
        carried += [m for m in b.parsed.modifiers
                    if m not in CHECKED_MODIFIERS and m not in carried]
    given_ndc = next((b.parsed.ndc for b in lines.given if b.parsed and b.parsed.ndc), None)
    waste_ndc = next((b.parsed.ndc for b in lines.waste if b.parsed and b.parsed.ndc), None)
    out = []
    for line in claim.lines:
        is_waste = "JW" in line.modifiers
        full = ClaimLine(line.code, (*line.modifiers, *carried), line.units) if carried else line
        out.append(ExpectedLine(full, waste_ndc if is_waste else given_ndc))
    return tuple(out)


def _order(finding: Finding) -> tuple[int, int]:
    return SEVERITIES.index(finding.severity), finding.line if finding.line is not None else 10**9


def check(request: CheckRequest, catalog: Catalog) -> CheckResult:
    """Every finding for one day's claim, and the lines it should carry.

    Raises InputError or Refusal (naming the field) when the facts themselves cannot be read;
    a billed line that cannot be read is a finding, never an exception.
    """
    claim = prepare(request, catalog)
    billed = read_lines(request.lines)
    if not billed:
        raise InputError("lines", "nothing entered; give the billed lines, e.g. 'J1561 JA 55' "
                         "(in a CSV cell, separated by ';' or '|')")
    findings = _unreadable(billed)
    repeated, kept = _duplicates(billed)
    findings += repeated
    by_code, same_unit = _codes(claim, kept, catalog)
    findings += by_code
    own = [b for b in same_unit if b.parsed and b.parsed.code == claim.code.key]
    given = [b for b in own if b.parsed and "JW" not in b.parsed.modifiers]
    waste = [b for b in own if b.parsed and "JW" in b.parsed.modifiers]
    lines = _Lines(same_unit=same_unit, given=given, waste=waste)
    findings += _modifiers(claim, lines, catalog)
    findings += _units(claim, lines)
    findings += _vial_choice(claim)
    findings += _dose_limit(claim, catalog)
    return CheckResult(claim, billed, tuple(sorted(findings, key=_order)),
                       _expected(claim, lines), catalog.version)


def expected_only(request: CheckRequest, catalog: Catalog) -> CheckResult:
    """The claim as it should be before any billed line is given (the window's first view)."""
    claim = prepare(request, catalog)
    empty = _Lines([], [], [])
    return CheckResult(claim, (), tuple(_vial_choice(claim) + _dose_limit(claim, catalog)),
                       _expected(claim, empty), catalog.version)

