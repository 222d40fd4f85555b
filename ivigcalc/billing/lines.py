"""Claim lines for one day: units, and the JW / JZ / JA / JB / KX modifiers.

Rules (CMS Medicare Claims Processing Manual ch. 17 §40; CMS
"Discarded Drugs and Biologicals" JW/JZ FAQ; CGS, NGS and Noridian articles 2023–2025):
- administered units = ceil(administered ÷ billing unit): round up, never to nearest;
- billable discarded units = floor(labeled contents opened ÷ unit) − administered units,
  never below 0, so administered + discarded never exceed the labeled contents;
- JW: a separate line for the discarded units when they are 1 or more;
- JZ: on the single line when no billable units were discarded (including waste under one
  unit), where the payer requires it on the date of service;
- JA / JB: when one code covers both IV and SC (J1561, J1569);
- KX: only when the user attests the policy's requirements are met and the payer uses it.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from ivigcalc import text
from ivigcalc.data.catalog import ROUTE_NAMES, Catalog, Code, Payer, Product
from ivigcalc.errors import Refusal
from ivigcalc.result import ClaimLine, Trail

UNITS_SOURCE = "CMS Medicare Claims Processing Manual ch. 17 §40 (discarded drugs and biologicals)"
JW_JZ_SOURCE = ("CMS Discarded Drugs and Biologicals JW/JZ FAQ; Noridian and CGS articles "
                "(JW/JZ)")
ROUTE_SOURCE = ("HCPCS Level II modifiers JA (administered intravenously) and JB (administered "
                "subcutaneously), for codes covering both routes")
KX_SOURCE = "HCPCS Level II modifier KX: requirements specified in the medical policy have been met"
SOURCE_340B = ("CMS, Part B inflation rebate guidance (revised March 2023): 340B covered entities "
               "report JG (or TB) on each separately payable Part B drug line from 2024-01-01")
MODIFIERS_340B = ("JG", "TB")
MAX_MODIFIERS = 4  # the 837P's SV101-3 ... SV101-6 and the CMS-1500's item 24D
ROUTE_MODIFIER = {"iv": "JA", "sc": "JB"}
NOS_IV_LIQUID = "J1599"


def administered_units(administered_mg: Fraction, unit_mg: Fraction) -> int:
    """ceil(administered ÷ unit), exact."""
    top, bottom = _over(administered_mg, unit_mg)
    return -(-top // bottom)


def labeled_units(drawn_mg: Fraction, unit_mg: Fraction) -> int:
    """floor(labeled contents ÷ unit), exact: what the vials opened hold."""
    top, bottom = _over(drawn_mg, unit_mg)
    return top // bottom


def discarded_units(drawn_mg: Fraction, administered: int, unit_mg: Fraction) -> int:
    """floor(labeled contents ÷ unit) − administered units, never below zero."""
    return max(0, labeled_units(drawn_mg, unit_mg) - administered)


def _over(amount_mg: Fraction | int, unit_mg: Fraction | int) -> tuple[int, int]:
    """amount ÷ unit as (numerator, denominator > 0), not reduced: floor and ceiling
    division of the two is exact, and in a batch several times cheaper than a Fraction."""
    return (amount_mg.numerator * unit_mg.denominator,
            amount_mg.denominator * unit_mg.numerator)


def explain_non_ig(code: Code, product: Product | None, day: dt.date) -> str:
    """What a non-IG code really is and which code fits (the seed's J1611 mistake)."""
    fits = f"for {product.name} bill {product.code_on(day)}" if product else \
        "bill the product's own immune globulin code"
    return (f"{code.key} is not an immune globulin code: it is {code.descriptor}. "
            f"{fits[0].upper() + fits[1:]}; an IV liquid immune globulin without a code of "
            f"its own is {NOS_IV_LIQUID}.")


def check_route(product: Product, route: str) -> None:
    if route not in ROUTE_NAMES:
        raise Refusal(f"route: '{route}' is not accepted; accepts iv or sc", field="route")
    if route not in product.routes:
        allowed = " or ".join(ROUTE_NAMES[r] for r in product.routes)
        only = " only" if len(product.routes) == 1 else ""
        raise Refusal(f"route: {product.name} is {allowed}{only}; it cannot be given or "
                      f"billed as {ROUTE_NAMES[route]} ({route})", field="route",
                      source=product.source)


def resolve_code(catalog: Catalog, product: Product, requested: str | None, route: str,
                 day: dt.date, trail: Trail) -> Code:
    """The code to bill: the product's own unless one is asked for, and only if it fits."""
    own = product.code_on(day)
    key = (requested or own).strip().upper()
    code = catalog.codes.get(key)
    if code is None:
        raise Refusal(f"code: {key} is not in the catalog ({catalog.quarter}); "
                      f"{product.name} bills {own}", field="code")
    if not code.immune_globulin:
        raise Refusal(f"code: {explain_non_ig(code, product, day)}", field="code",
                      source=code.source)
    not_billable = code.not_billable_on(day)
    if not_billable:
        raise Refusal(f"code: {not_billable}; {product.name} bills {own}", field="code",
                      source=code.source)
    own_code = catalog.codes[own]
    if code.unit_mg != own_code.unit_mg:
        raise Refusal(f"code: {key} is billed per {text.mg(code.unit_mg)} "
                      f"({code.descriptor}); {product.name} bills {own} per "
                      f"{text.mg(own_code.unit_mg)}", field="code", source=code.source)
    if route not in code.routes:
        raise Refusal(f"code: {key} covers {', '.join(code.routes)} only, not {route}",
                      field="code", source=code.source)
    if key != own:
        trail.warn(f"{product.name} has its own code {own}; {key} was chosen instead. "
                   f"Payers deny a NOS or other product's code when a specific one exists.",
                   code.source)
    if code.verify:
        trail.note(f"{key} is newer than the 2020 CMS extract in the catalog: verify it "
                   f"against the current CMS quarterly HCPCS file.", code.source)
    return code


def claim_lines(code: Code, administered_mg: Fraction, drawn_mg: Fraction, route: str,
                payer: Payer, day: dt.date, kx: bool,
                trail: Trail | None, packaged: bool = False,
                site_340b: str | None = None) -> tuple[ClaimLine, ...]:
    """The lines for one day of service, with the working on `trail`.

    packaged: an OPPS-packaged code (billing.opps): one line, neither JW nor JZ.
    site_340b: JG or TB when the site is a 340B covered entity (None: not 340B): on the
    separately payable lines of a payer that takes it, from its date, beside JW/JZ.

    trail None: the lines alone. A batch check needs only them for most rows, and writing
    the working costs more than the arithmetic; Claim.steps writes it when it is read.
    """
    unit = code.unit_mg
    given = administered_units(administered_mg, unit)
    labeled = labeled_units(drawn_mg, unit)
    waste = max(0, labeled - given)
    prefix = (ROUTE_MODIFIER[route],) if code.dual_route else ()
    mark = (site_340b,) if site_340b and not packaged and payer.takes_340b(day) else ()
    suffix = (*mark, "KX") if kx and payer.kx else mark
    jw = waste >= 1 and payer.jw_applies(day) and not packaged
    jz = waste < 1 and payer.jz_required(day) and not packaged
    if trail is not None:
        _explain(trail, code, administered_mg, drawn_mg, route, payer, day, kx,
                 (given, labeled, waste), jw, jz, packaged)
        if mark:
            trail.step("340B", f"{site_340b}: a 340B-acquired, separately payable drug line "
                       f"({payer.name}, from {payer.modifier_340b_from})", SOURCE_340B)
    if jw:
        return (ClaimLine(code.key, (*prefix, *suffix), given),
                ClaimLine(code.key, (*prefix, "JW", *suffix), waste))
    return (ClaimLine(code.key, (*prefix, *(("JZ",) if jz else ()), *suffix), given),)


def _explain(trail: Trail, code: Code, administered_mg: Fraction, drawn_mg: Fraction,
             route: str, payer: Payer, day: dt.date, kx: bool, units: tuple[int, int, int],
             jw: bool, jz: bool, packaged: bool = False) -> None:
    """claim_lines' working, step by step, for the lines it chose."""
    unit = code.unit_mg
    given, labeled, waste = units
    trail.step("Code", f"{code.key}: {code.descriptor}; 1 unit = {text.mg(unit)}", code.source)
    trail.step("Administered units",
               f"ceil({text.mg(administered_mg)} ÷ {text.mg(unit)}) = "
               f"ceil({text.decimal(Fraction(administered_mg) / unit)}) = {given}", UNITS_SOURCE)
    trail.step("Discarded units",
               f"floor({text.mg(drawn_mg)} ÷ {text.mg(unit)}) − {given} = {labeled} − {given}"
               f" = {waste}", UNITS_SOURCE)
    if given * unit > drawn_mg:
        trail.note(f"The {given} administered units ({text.mg(given * unit)}) round up past the "
                   f"{text.mg(drawn_mg)} labeled in the vials opened: administered units "
                   f"always round up, and no waste is billed. A payer comparing units with the "
                   f"NDC quantity may query it.", UNITS_SOURCE)
    if code.dual_route:
        trail.step("Route modifier", f"{code.key} covers IV and SC: {ROUTE_MODIFIER[route]} "
                   f"({ROUTE_NAMES[route]})", ROUTE_SOURCE)
    if kx and payer.kx:
        trail.step("KX", "documentation attested complete; the payer uses KX", KX_SOURCE)
    elif kx:
        trail.warn(f"KX left off: {payer.name} does not use the KX modifier.", KX_SOURCE)
    if jw:
        trail.step("JW", f"{waste} discarded units ≥ 1: a separate JW line", JW_JZ_SOURCE)
    elif waste >= 1 and not packaged:
        trail.note(f"{payer.name} takes no JW line on {day.isoformat()}: the {waste} "
                   f"discarded units are not billed.", payer.source)
    elif jz:
        wasted = Fraction(drawn_mg) - Fraction(administered_mg)
        why = ("nothing discarded" if wasted == 0
               else f"{text.mg(wasted)} discarded is less than one billing unit")
        trail.step("JZ", f"{why}: JZ on the single line ({payer.name} requires JZ from "
                   f"{payer.jz_required_from.isoformat() if payer.jz_required_from else ''})",
                   JW_JZ_SOURCE)
