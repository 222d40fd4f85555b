"""Each billed line on its own: readable, repeated, its code, and its route, side and KX.

The lines that pass (the claim's billing unit) are sorted into SortedLines for the unit
rules (unit_rules.py) and the expected lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ivigcalc import text
from ivigcalc.billing import multiple_ndc
from ivigcalc.billing.admin import ADMIN_CODES
from ivigcalc.billing.lines import ROUTE_MODIFIER, administered_units, explain_non_ig
from ivigcalc.check import slips
from ivigcalc.check.facts import Claim
from ivigcalc.check.findings import CHECKED_MODIFIERS, OTHER_MODIFIERS, Finding, cap, find
from ivigcalc.check.reading import BilledLine, ParsedLine
from ivigcalc.data.catalog import ROUTE_NAMES, Catalog, Payer
from ivigcalc.result import ClaimLine


def _shown(parsed: ParsedLine) -> str:
    return ClaimLine(parsed.code, parsed.modifiers, parsed.units).text



@dataclass
class SortedLines:
    """The billed lines sorted for the rules."""

    same_unit: list[BilledLine]  # IG codes on the claim's billing unit: modifiers are read
    given: list[BilledLine]  # the claim's code without JW: the administered units
    waste: list[BilledLine]  # the claim's code with JW: the discarded units
    unmarked: slips.UnmarkedWaste | None = None  # in `waste`: the discarded units sans JW


def unreadable(billed: Sequence[BilledLine]) -> list[Finding]:
    out = []
    for b in billed:
        if b.problem is not None:
            out.append(find(b.problem.rule, f"Cannot be read: {b.problem}",
                            b.number))
        elif b.parsed is not None and b.parsed.ndc_problem is not None:
            out.append(find(b.parsed.ndc_problem.rule,
                            cap(str(b.parsed.ndc_problem)), b.number))
        elif b.parsed is not None and b.parsed.ndc is not None and b.parsed.ndc.converted:
            segment = b.parsed.ndc
            out.append(find("ndc-format", f"NDC {segment.written} is "
                            f"{segment.hyphenated} as 11 digits (5-4-2); on the claim: "
                            f"{segment.text}", b.number))
    return out


def duplicates(billed: Sequence[BilledLine], payer: Payer | None = None
               ) -> tuple[list[Finding], list[BilledLine]]:
    """Exact repeats are reported and set aside; same code and modifiers twice is a query.

    Lines of one code that name different NDCs are one line per NDC: what a payer taking
    multiple_ndc = "lines" wants, so no query; a payer taking the second NDC in the line
    note ("nte") denies them as duplicates, which the query says with its source."""
    findings: list[Finding] = []
    kept: list[BilledLine] = []
    per_ndc = payer is None or payer.multiple_ndc == multiple_ndc.LINES
    seen: dict[tuple[object, ...], BilledLine] = {}
    similar: dict[tuple[object, ...], BilledLine] = {}
    for b in billed:
        if b.parsed is None:
            continue
        ndc = (b.parsed.ndc.ndc11 if b.parsed.ndc else None,) if per_ndc else ()
        first = seen.get((*b.parsed.key, *ndc))
        if first is not None:
            findings.append(find("duplicate-line", f"Repeats line {first.number}"
                                 f" ({_shown(b.parsed)}): remove it; a payer "
                                 "denies it as a duplicate or pays the drug twice", b.number))
            continue
        seen[(*b.parsed.key, *ndc)] = b
        earlier = similar.get((*b.parsed.key[:2], *ndc))
        if earlier is not None and earlier.parsed is not None:
            findings.append(_similar(earlier, b, payer))
        similar.setdefault((*b.parsed.key[:2], *ndc), b)
        kept.append(b)
    return findings, kept


def _similar(earlier: BilledLine, b: BilledLine, payer: Payer | None) -> Finding:
    assert earlier.parsed is not None and b.parsed is not None
    total = earlier.parsed.units + b.parsed.units
    shown = " ".join((b.parsed.code, *b.parsed.modifiers))
    units = f"({earlier.parsed.units} and {b.parsed.units} units)"
    ndcs = {p.ndc.ndc11 for p in (earlier.parsed, b.parsed) if p.ndc}
    if payer is not None and payer.multiple_ndc == multiple_ndc.NOTE and len(ndcs) > 1:
        return find("duplicate-line", f"Lines {earlier.number} and {b.number} both bill {shown} "
                    f"{units}, one per NDC: {payer.name} takes one line with the first NDC in "
                    "loop 2410 and the other in its line note (837P NTE*ADD; paper: item 19) and "
                    f"denies the second line as a duplicate; bill the {total} units on one line",
                    b.number, severity="warning", source=payer.multiple_ndc_source or None)
    return find("duplicate-line", f"Lines {earlier.number} and {b.number} both bill {shown} "
                f"{units}: payers' duplicate edits deny the second line; bill the {total} units "
                "on one line", b.number, severity="warning")


def codes(claim: Claim, kept: Sequence[BilledLine], catalog: Catalog) -> tuple[list[Finding],
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
        if code is own and own.immune_globulin:  # the claim's own code: nothing to say
            drug.append(b)
            continue
        if key in ADMIN_CODES:  # the infusion's administration: check/admin_rules.py
            continue
        if code is None:
            if key.isdigit():
                findings.append(find("unknown-code", f"{key} is a CPT code "
                                     "(e.g. the infusion's administration), not a drug code; "
                                     "not checked here", b.number, severity="note"))
            else:
                findings.append(find("unknown-code", f"{key} is not in the "
                                     f"catalog ({catalog.quarter}); {whose} bills {own.key}",
                                     b.number))
            continue
        if not code.immune_globulin:
            findings.append(find("non-ig-code", explain_non_ig(code, claim.product, day),
                                 b.number, source=code.source))
            continue
        if code.unit_mg != own.unit_mg:
            wrong = administered_units(claim.administered_mg, code.unit_mg)
            kind = "an IVIG product" if own.unit_mg > code.unit_mg else "a SCIG product"
            subject = f"{claim.product.name} is {kind}, billed" if claim.product else \
                "The claim's code is billed"
            findings.append(find(
                "unit-size-mismatch", f"{key} is billed per "
                f"{text.mg(code.unit_mg)} ({code.descriptor}). {subject} per "
                f"{text.mg(own.unit_mg)} under {own.key}: {text.grams(claim.administered_mg)} "
                f"is {claim.administered_units} units of {own.key}, not {wrong} units of {key}",
                b.number, source=code.source))
            continue
        if key != own.key:
            when = code.not_billable_on(day)
            findings.append(find(
                "wrong-product-code", f"{key} is {code.descriptor}; {whose} "
                f"bills {own.key} on {day.isoformat()}" + (f" ({when})" if when else ""),
                b.number, source=code.source))
        drug.append(b)
    return findings, drug


def _modifiers_340b(claim: Claim, mods: set[str], number: int) -> list[Finding]:
    """JG/TB: the site's one on each separately payable drug line of a payer that takes it
    (from 2024-01-01), and on no other line."""
    given = sorted(mods & {"JG", "TB"})
    site = claim.site_340b
    if claim.expects_340b and site is not None:
        if not given:
            return [find("340b-modifier-missing", f"The site is a 340B covered entity "
                         f"reporting {site}, and line {number} is a separately payable drug "
                         f"line ({claim.payer.name}, from {claim.payer.modifier_340b_from}): "
                         f"add {site}", number)]
        if given != [site]:
            return [find("340b-modifier-wrong", f"{' and '.join(given)} on line {number}, "
                         f"but the site reports {site}: use {site} only", number)]
        return []
    if given:
        why = ("the site is not a 340B covered entity (give --340b JG or TB if it is)"
               if site is None else
               f"{claim.code.key} is packaged under the OPPS (status N): no separate payment"
               if claim.packaged else
               f"{claim.payer.name} takes no JG/TB on {claim.date_of_service.isoformat()}")
        return [find("340b-modifier-not-expected", f"{' and '.join(given)} on line {number}, "
                     f"but {why}; remove it", number)]
    return []


def modifiers(claim: Claim, lines: SortedLines, catalog: Catalog) -> list[Finding]:
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
        dual = code.dual_route
        if dual and want not in mods:
            has = (f"it has {other}, which says {ROUTE_NAMES['sc' if other == 'JB' else 'iv']}"
                   if other in mods else "it has neither")
            out.append(find("route-modifier-missing", f"{code.key} covers IV "
                            f"and SC, so line {b.number} needs {want} ({route_name}); {has}",
                            b.number))
        elif dual and other in mods:
            out.append(find("route-modifier-missing", "Both JA and JB; "
                            f"the route is {route_name}: keep {want} only", b.number))
        elif not dual and mods & {"JA", "JB"}:
            out.append(find("route-modifier-not-needed", "JA/JB are needed "
                            f"only when one code covers both routes; {code.key} covers "
                            f"{' and '.join(code.routes).upper()} only", b.number))
        sides = set() if lines.unmarked and b is lines.unmarked.line else mods & {"RT", "LT"}
        for side in sorted(sides):
            out.append(find("laterality-not-applicable", f"{side} marks the "
                            "side of a paired body part; it never applies to an infusion. "
                            "Remove it", b.number))
        out += _modifiers_340b(claim, mods, b.number)
        if "KX" in mods and not claim.payer.kx:
            out.append(find("kx-unsupported", f"{claim.payer.name} does not "
                            "use the KX modifier; remove it", b.number))
        elif "KX" in mods and not claim.kx:
            out.append(find("kx-unsupported", "KX attests that the medical "
                            "policy's documentation requirements are met, and that has not "
                            "been attested; remove KX or attest once the record is complete",
                            b.number))
        elif "KX" not in mods and claim.kx and claim.payer.kx:
            out.append(find("kx-missing", "The documentation is attested complete and "
                            f"{claim.payer.name} uses KX, but line {b.number} has no KX",
                            b.number))
        for modifier in parsed.modifiers:
            if modifier not in CHECKED_MODIFIERS:
                meaning = OTHER_MODIFIERS.get(modifier)
                out.append(find("modifier-not-checked", f"{modifier}"
                                + (f" ({meaning})" if meaning else "")
                                + " is not checked here; it is kept on the expected lines",
                                b.number))
    return out
