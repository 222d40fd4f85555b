"""The claim check's rule ids, severities and sources, and the Finding each rule reports.

Rule ids are a contract (issue 4): RULES lists them, the issue's fifteen first and this
tool's additions after. Severities: error = the payer will deny, return or overpay;
warning = a likely query; note = worth knowing, nothing wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ivigcalc.billing.admin import SOURCE as ADMIN_SOURCE
from ivigcalc.billing.lines import (
    JW_JZ_SOURCE,
    KX_SOURCE,
    ROUTE_SOURCE,
    SOURCE_340B,
    UNITS_SOURCE,
)
from ivigcalc.billing.ndc import SOURCE as NDC_SOURCE
from ivigcalc.check.reading import BilledLine
from ivigcalc.data.mue import SOURCE as MUE_SOURCE
from ivigcalc.dose.vials import SOURCE as VIALS_SOURCE

SEVERITIES = ("error", "warning", "note")
CODES_SOURCE = "CMS HCPCS Level II file; CMS ASP pricing file 2025-Q4 (codes and billing units)"
LATERALITY_SOURCE = ("HCPCS modifiers RT/LT: right/left side of paired body parts; never an "
                     "infusion (HCPCS Level II modifier descriptors)")
DUPLICATE_SOURCE = ("Payer duplicate-line edits: the same code, modifiers and units on one "
                    "date of service are read as a duplicate (MAC duplicate-claim edits)")
MODIFIERS_SOURCE = "HCPCS Level II modifier descriptors (GA, GZ, GY, JG, TB)"
# Modifiers this check reasons about; any other is carried onto the expected lines unchecked.
CHECKED_MODIFIERS = frozenset({"JA", "JB", "JW", "JZ", "KX", "RT", "LT", "JG", "TB"})
OTHER_MODIFIERS = {"GA": "advance beneficiary notice on file", "GZ": "denial expected, no ABN",
                   "GY": "statutorily excluded"}  # HCPCS Level II modifier descriptors



@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    source: str


CROSSWALK_SOURCE = ("CMS ASP NDC-HCPCS crosswalk of the date of service's quarter (HCPCS code "
                    "and BILLUNITS per NDC)")
NECESSITY_SOURCE = ("CMS-1500 item 21 / 837P HI segment (diagnosis codes); the payer's "
                    "coverage lists (resources/coverage.toml)")

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
    Rule("ndc-code-mismatch", "error", "a billed NDC that CMS's crosswalk lists under another "
         "code (a warning when it lists it under none, or under another product)",
         CROSSWALK_SOURCE),
    Rule("ndc-units-mismatch", "error", "the NDC's vial (CMS BILLUNITS) is none of the sizes "
         "opened", CROSSWALK_SOURCE),
    Rule("ndc-quantity-mismatch", "warning", "an NDC quantity that is not the vials of that "
         "NDC opened", f"{NDC_SOURCE}; CMS ASP NDC-HCPCS crosswalk"),
    Rule("dose-limit", "warning", "an amount above the catalog's grams-per-day limits",
         "limits.toml [default] grams_per_day (FDA prescribing information of the IG products)"),
    # Medical necessity (check/necessity.py; each finding names its coverage list's source).
    Rule("dx-not-covered", "error", "a diagnosis the payer's coverage list does not include",
         NECESSITY_SOURCE),
    Rule("dx-missing", "warning", "no diagnosis code where the payer's list settles coverage",
         NECESSITY_SOURCE),
    Rule("dx-unknown-coverage", "note", "no shipped coverage list settles the diagnosis",
         NECESSITY_SOURCE),
    Rule("dose-indication", "warning", "the day's dose is outside the indication's labeled "
         "range", NECESSITY_SOURCE),
    Rule("prior-auth-missing", "warning", "the payer requires prior authorization and no "
         "number is given", NECESSITY_SOURCE),
    Rule("340b-modifier-missing", "error", "a 340B site's separately payable drug line "
         "without its JG or TB (from 2024-01-01, payers that take it)", SOURCE_340B),
    Rule("340b-modifier-wrong", "error", "JG where the site reports TB, or TB where it "
         "reports JG", SOURCE_340B),
    Rule("340b-modifier-not-expected", "error", "JG or TB on a line that takes none: not a "
         "340B site, a packaged (status N) line, before 2024-01-01, or a payer that takes "
         "neither", SOURCE_340B),
    Rule("too-many-modifiers", "warning", "a line that would need a fifth modifier (a claim "
         "line carries four)", "ASC X12 837P SV101-3 to SV101-6; CMS-1500 item 24D (four "
         "modifiers)"),
    Rule("labeled-size-no-ndc", "note", "a vial size on the label that no CMS crosswalk "
         "lists: accepted, but no N4 line can be made for it", "FDA prescribing information "
         "(How Supplied) of the product; CMS ASP NDC-HCPCS crosswalks 2024-Q1 to 2026-Q1"),
    Rule("mue-exceeded", "error", "units over the MUE the site imported for the payer's "
         "table: one line's (MAI 1), or all lines of the code on the date, JW included "
         "(MAI 2, 3)", MUE_SOURCE),
    Rule("cms-data-stale", "warning", "the date of service is in a quarter the catalog's CMS "
         "data lacks: checked and priced with the nearest quarter held (a batch counts these "
         "once in its summary)", "CMS ASP pricing files and NDC-HCPCS crosswalks, one per "
         "quarter of effect"),
    # Administration lines (issue 22; check/admin_rules.py, the rule in billing/admin.py).
    Rule("admin-units-mismatch", "error", "administration units other than the documented "
         "minutes bill (90 minutes is 96365 alone, 91 adds 96366)", ADMIN_SOURCE),
    Rule("admin-route-mismatch", "error", "IV administration codes for an SC product or "
         "route, or the reverse", ADMIN_SOURCE),
    Rule("admin-add-on-without-initial", "error", "96366/96370/96371 with no initial "
         "service (96365/96369) on the date", ADMIN_SOURCE),
    Rule("admin-minutes-not-given", "note", "administration lines billed, and no start and "
         "stop given to check their units", ADMIN_SOURCE),
    Rule("duplicate-claim", "error", "the same claim id, or the same date, code and units, "
         "twice in a batch", "Payer duplicate-claim edits (MAC duplicate-claim denials, claim "
         "adjustment reason code 18)"),
)}


@dataclass(frozen=True)
class Finding:
    severity: str
    rule: str
    message: str
    line: int | None = None  # the billed line (from 1), None for the claim as a whole
    source: str = ""


def find(rule: str, message: str, line: int | None = None, severity: str | None = None,
         source: str | None = None) -> Finding:
    """A finding of `rule`, with the rule's severity and source unless overridden."""
    spec = RULES[rule]
    return Finding(severity or spec.severity, rule, message, line,
                   spec.source if source is None else source)


def cap(sentence: str) -> str:
    """The sentence with a capital first letter (messages start with a value's own words)."""
    return sentence[:1].upper() + sentence[1:]


def on_lines(lines: Sequence[BilledLine]) -> str:
    """' on lines 1 and 2' when a finding spans lines ('' for one: the finding names it)."""
    return "" if len(lines) == 1 else f" on {line_numbers(lines)}"


def line_numbers(lines: Sequence[BilledLine]) -> str:
    """'line 2', 'lines 1, 2 and 3'."""
    numbers = [str(b.number) for b in lines]
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    return "lines " + ", ".join(numbers[:-1]) + " and " + numbers[-1]
