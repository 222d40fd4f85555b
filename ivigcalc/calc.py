"""The calculation: units → dosing weight → dose → vial plan → claim lines → one Result.

Pure: no Qt, no clock (the caller supplies the date of service), no I/O beyond the catalog
it is handed. The CLI and the window both call `calculate` and render what it returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import pairwise
from typing import Any

from ivigcalc import __version__, text
from ivigcalc.billing import admin, admin_times, mue, multiple_ndc, ndc, necessity, opps, payment
from ivigcalc.billing.lines import MODIFIERS_340B, check_route, claim_lines, resolve_code
from ivigcalc.data import icd10, rates, untrusted
from ivigcalc.data import necessity as coverage
from ivigcalc.data.catalog import (
    ROUTE_NAMES,
    Catalog,
    Code,
    Limits,
    Payer,
    Policy,
    Preset,
    Product,
)
from ivigcalc.data.cms.model import CmsData
from ivigcalc.dose import dosing, units
from ivigcalc.dose.infusion import plan_for
from ivigcalc.dose.vials import SOURCE as VIAL_SOURCE
from ivigcalc.dose.vials import check_sizes, plan_preferring
from ivigcalc.errors import InputError, Refusal
from ivigcalc.result import STALE_CMS, ClaimLine, Day, Infusion, Result, Trail

UNITS_SOURCE = ("Exact conversions: 1 lb = 0.45359237 kg, 1 oz = 1/16 lb, 1 in = 2.54 cm "
                "(International Yard and Pound Agreement, 1959)")


@dataclass(frozen=True)
class CalcRequest:
    """What a person asked for, as typed. Defaults follow the CLI contract."""

    weight: str
    dose: str
    product: str
    date_of_service: dt.date  # the first infusion day
    height: str | None = None
    sex: str | None = None
    basis: str = "actual"
    per: str = "day"
    days: int = 1
    vials: str | Sequence[Fraction] | None = None  # text, sizes in mg, or all sizes
    code: str | None = None
    route: str | None = None
    payer: str = "medicare"
    rounding: str = "none"
    kx: bool = False
    policy: str | None = None  # overrides the payer's dosing-weight policy
    limits: str = "default"
    preset: str | None = None  # the indication preset the order was filled from
    # A bare number takes these units (the window's selectors); None refuses bare numbers.
    weight_unit: str | None = None
    height_unit: str | None = None
    dose_unit: str | None = None
    # One date of service per infusion day; None: consecutive days from date_of_service.
    dates: Sequence[dt.date] | None = None
    # The infusion plan (issue 12): a preset or group key picks the label's protocol.
    indication: str | None = None
    at_risk: bool = False  # of thrombosis or renal failure: the label's lower ceiling
    first_infusion: bool = False  # SC: the label's first-infusion site limits
    # Medical necessity: ICD-10-CM codes as typed and the payer's prior-authorization
    # number. Shown on the summary, never stored.
    dx: str | None = None
    prior_auth: str | None = None
    # A 340B covered entity's modifier, JG or TB (None: not 340B): a site setting.
    site_340b: str | None = None
    # Documented infusion times (issue 22): 'HH:MM-HH:MM[+...]' per day, commas between
    # days; or one entry per day, None where not documented. None: every day estimated
    # from the rate plan. pump_setup_days: the days (1, 2...) an added SC pump set-up with
    # new sites was recorded (96371; never estimated).
    times: str | Sequence[str | None] | None = None
    pump_setup_days: Sequence[int] = ()
    # Prefer fewer vials within this many more discarded units (issue 24); None: the site
    # catalog's vial_preference_units (the window passes its own only where the site allows).
    vial_preference_units: int | None = None


def stocked_sizes(request: CalcRequest, product: Product) -> tuple[Fraction, ...]:
    """The sizes on the shelf (mg, largest first): all of the product's unless given."""
    if request.vials is None:
        return product.vial_sizes_mg
    if isinstance(request.vials, str):
        sizes = units.parse_vial_sizes(request.vials)
    else:
        sizes = tuple(sorted({Fraction(s) for s in request.vials}, reverse=True))
        if not sizes:
            raise InputError("vials", "no vial size is ticked; tick at least one size in stock")
    check_sizes(sizes, product, "vials")
    return sizes


def service_dates(first: dt.date, days: int,
                  dates: Sequence[dt.date] | None = None) -> tuple[dt.date, ...]:
    """Each infusion day's own date of service: consecutive from `first` unless given.

    Opened vials are discarded at the end of each day, so each day is billed on its own
    date; the given dates must be one per day and strictly ascending (two infusions on one
    date would be one date of service, billed as one day's lines).
    """
    if dates is None:
        return tuple(first + dt.timedelta(days=n) for n in range(days))
    given = tuple(dates)
    if len(given) != days:
        raise InputError("dates", f"{text.count(len(given), 'date')} given for "
                         f"{text.count(days, 'infusion day')}; accepts one date per day, "
                         "e.g. 2026-03-02,2026-03-09")
    for earlier, later in pairwise(given):
        if later <= earlier:
            raise InputError("dates", f"{later.isoformat()} does not come after "
                             f"{earlier.isoformat()}; accepts dates in ascending order, "
                             "one per infusion day")
    return given


def _choice(field: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise InputError(field, f"'{value}' is not accepted; accepts {', '.join(choices)}")
    return value


def calculate(request: CalcRequest, catalog: Catalog) -> Result:
    """Everything a pharmacist and a coder need for one order. Raises IvigcalcError."""
    trail = Trail()
    product: Product = catalog.pick("products", request.product, "product")
    payer: Payer = catalog.pick("payers", request.payer, "payer")
    policy: Policy = catalog.pick("policies", request.policy or payer.dosing_policy, "policy")
    limits: Limits = catalog.pick("limits", request.limits, "limits")
    route = request.route or product.routes[0]
    _choice("route", route, ["iv", "sc"])
    check_route(product, route)
    if request.sex is not None:
        _choice("sex", request.sex, dosing.SEXES)
    _choice("basis", request.basis, dosing.BASES)
    _choice("per", request.per, dosing.PERS)
    _choice("round", request.rounding, dosing.ROUNDINGS)
    if isinstance(request.days, bool) or not isinstance(request.days, int) or not \
            1 <= request.days <= 31:
        raise InputError("days", f"'{request.days}' is not accepted; accepts a whole number "
                         "from 1 to 31")
    if request.per == "week":
        dosing.check_per_week(product.dosed_as(route), request.days, product.name)
    untrusted.in_range(request.date_of_service)
    for given in request.dates or ():
        untrusted.in_range(given, "dates", untrusted.LAST_COURSE_DATE)
    dates = service_dates(request.date_of_service, request.days, request.dates)
    day = dates[0]
    documented = (admin_times.parse(request.times, request.days) if request.times is not None
                  else (None,) * request.days)
    _check_pump_setups(request, route)

    actual = units.parse_weight(request.weight, "weight", request.weight_unit)
    height = (units.parse_height(request.height, "height", request.height_unit)
              if request.height and request.height.strip() else None)
    # Every limit at once: height and weight first, before anything is planned (a slip there
    # makes the rest moot, and '1000000 kg' is blamed on the weight, not on the plan it would
    # make), then the dose on the dosing weight; all hard limits broken are refused together.
    check = dosing.LimitCheck(limits, trail)
    if height is not None:
        check.height(height)
    check.weight(actual)
    if check.hard:  # name the dose's g/kg limits too: they need no weight
        _dose_per_kg_limits(check, request, product.dosed_as(route))
    check.refuse()
    dose = units.parse_dose(request.dose, "dose", request.dose_unit)
    sizes = stocked_sizes(request, product)
    code = resolve_code(catalog, product, request.code, route, day, trail)

    typed = units.as_entered(request.weight, request.weight_unit)
    if typed.replace(" ", "").lower() != text.kg(actual).replace(" ", ""):
        trail.step("Weight", f"{typed} = {text.kg(actual)}", UNITS_SOURCE)
    kind = product.dosed_as(route)
    preset = _preset(catalog, request, product, route, kind, trail)
    weight = dosing.dosing_weight(actual, height, request.sex, request.basis, policy, trail)
    ordered = dosing.daily_dose(dose, weight.kg, request.per, request.days, trail)
    rounding = dosing.round_dose(ordered, request.rounding, sizes, trail,
                                 limits.rounding_cap_percent)
    per_day = rounding.final_mg
    check.dose(kind, weight.kg, per_day, request.days, request.per)
    check.refuse()

    allowance = (catalog.vial_preference_units if request.vial_preference_units is None
                 else request.vial_preference_units)
    preferred = plan_preferring(per_day, sizes, code.unit_mg, allowance)
    plan = preferred.plan
    stocked = ", ".join(text.grams(s) for s in sorted(sizes))
    drawn = " + ".join(f"{n} × {text.grams(s)}" for s, n in plan.vials)
    trail.step("Vial plan", f"from {stocked}: {drawn} = {text.grams(plan.drawn_mg)} for "
               f"{text.grams(per_day)}; {text.grams(plan.wasted_mg)} discarded", VIAL_SOURCE)
    if preferred.extra_units and preferred.other is not None:
        trail.note(f"Fewer vials by the site's preference: {text.count(plan.vial_count, 'vial')} "
                   f"instead of {preferred.other.vial_count}, "
                   f"{text.count(preferred.extra_units, 'more unit')} discarded than the least "
                   f"waste (vial_preference_units = {allowance}); MACs may deny excess wastage.",
                   VIAL_SOURCE)
    volume = None
    strength = product.concentration_mg_per_ml
    if strength is not None:
        volume = per_day / strength
        trail.step("Volume", f"{text.grams(per_day)} ÷ {text.decimal(strength)} mg/mL = "
                   f"{text.ml(volume)}", product.source)
    else:
        trail.note(f"{product.name} is a powder: the volume depends on the reconstitution.",
                   product.source)
    first = catalog.cms_on(day)
    site_340b = _choice("340b", request.site_340b.strip().upper(), MODIFIERS_340B) \
        if request.site_340b else None
    lines = _billed(code, per_day, plan.drawn_mg, route, payer, day, request.kx, first, trail,
                    site_340b)
    sizes_ndcs, ndc_lines = ndc.vial_lines(plan.vials, first, product.key, code.key,
                                           code.unit_mg, payer.ndc_qualifier)
    ndc.say_missing(sizes_ndcs, first, product, day, trail)
    multiple_ndc.explain(ndc_lines, dict(plan.vials), payer.multiple_ndc,
                         payer.multiple_ndc_source, payer.name, code.key, trail)
    said = {first.quarter if first else ""}
    _stale(catalog, dates, trail)

    def day_on(number: int, date: dt.date) -> Day:
        """A later day: the first day's lines unless its CMS quarter or the payer's JW/JZ
        rules differ then (each date of service is coded and priced by its own quarter)."""
        cms = catalog.cms_on(date)
        same_rules = (payer.jw_applies(date), payer.jz_required(date),
                      payer.takes_340b(date)) == \
            (payer.jw_applies(day), payer.jz_required(day), payer.takes_340b(day))
        own, ndcs, n4 = lines, sizes_ndcs, ndc_lines
        if cms is not first or not same_rules:
            own = _billed(code, per_day, plan.drawn_mg, route, payer, date, request.kx, cms,
                          Trail(), site_340b)
        if cms is not first:
            ndcs, n4 = ndc.vial_lines(plan.vials, cms, product.key, code.key, code.unit_mg,
                                      payer.ndc_qualifier)
            if cms is not None and cms.quarter not in said:  # once per quarter
                said.add(cms.quarter)
                ndc.say_missing(ndcs, cms, product, date, trail)
            trail.note(f"Day {number} ({date.isoformat()}) is coded and priced with CMS "
                       f"{cms.quarter if cms else 'no'} data: "
                       f"{'; '.join(_priced(line) for line in own)}.",
                       payment.source(cms) if cms else "")
        elif not same_rules:
            trail.note(f"Day {number} ({date.isoformat()}): {payer.name}'s JW/JZ rules differ "
                       f"from the first day's: {'; '.join(line.text for line in own)}.",
                       payer.source)
        return Day(number, per_day, plan, volume, own, date, ndcs, n4)

    days = (Day(1, per_day, plan, volume, lines, day, sizes_ndcs, ndc_lines),
            *(day_on(n, date) for n, date in enumerate(dates[1:], 2)))
    if request.days > 1:
        trail.note(f"Each of the {request.days} infusion days opens its own vials and is its "
                   f"own date of service with its own claim lines "
                   f"({dates[0].isoformat()} to {dates[-1].isoformat()}); never bill the course "
                   "on one line.", VIAL_SOURCE)
    if request.code is None and product.code_on(dates[-1]) != code.key:
        trail.warn(f"{product.name}'s code changes during the course: {code.key} on "
                   f"{day.isoformat()}, {product.code_on(dates[-1])} on "
                   f"{dates[-1].isoformat()}; calculate the later days separately.",
                   product.source)
    infusion = plan_for(product, route, _rate_indication(request, catalog), weight.kg, actual,
                        per_day,
                        at_risk=request.at_risk, first_infusion=request.first_infusion,
                        book=rates.load(), presets=catalog.presets, trail=trail)
    mue.say_over(days, catalog, payer, code.key, trail)
    days = _administration(days, documented, request, route, payer, infusion, trail)
    need = _necessity(request, catalog, payer, per_day * request.days, weight.kg, route, trail)
    return Result(
        product_key=product.key, product_name=product.name, code=code.key, route=route,
        payer_key=payer.key, payer_name=payer.name, date_of_service=day,
        dose_mg_per_kg=dose, per=request.per, day_count=request.days, dosing=weight,
        rounding=rounding, days=days, steps=tuple(trail.steps), notices=tuple(trail.notices),
        catalog_version=catalog.version, app_version=__version__, unit_mg=code.unit_mg,
        concentration_mg_per_ml=product.concentration_mg_per_ml, infusion=infusion,
        diagnoses=need.diagnoses, prior_auth=need.prior_auth,
        prior_auth_required=need.prior_auth_required,
        kx_attested=request.kx and payer.kx,
        cms=_cms_used(first, days),
        preset=preset.name if preset is not None else "",
        vial_preference_units=allowance, vial_extra_units=preferred.extra_units,
        vial_other=preferred.other, vial_other_extra_units=preferred.other_extra_units,
        multiple_ndc=payer.multiple_ndc,
    )


def _administration(days: tuple[Day, ...], documented: admin_times.Days,
                    request: CalcRequest, route: str, payer: Payer, infusion: Infusion | None,
                    trail: Trail) -> tuple[Day, ...]:
    """Each day's administration lines: from its documented times, else estimated from the
    rate plan's total time, else none (no rate on record) and a note."""
    out, missing, explained = [], False, False
    for each, spans in zip(days, documented, strict=True):
        if spans is not None:
            minutes = sum(span.minutes for span in spans)
        elif infusion is not None:
            minutes = admin.estimate_minutes(infusion.total_minutes)
        else:
            missing = True
            out.append(each)
            continue
        # An estimate is the same every day: its working is written once.
        said = spans is None and explained
        explained = explained or spans is None
        lines = admin.lines(route, minutes, each.date_of_service, payer, spans=spans,
                            pump_setup=each.number in request.pump_setup_days,
                            trail=None if said else trail)
        out.append(replace(each, admin_lines=lines))
    if missing and payer.administration:
        trail.note("No infusion rate on record, so no administration lines are estimated: "
                   "give the documented start and stop times to bill them.", admin.SOURCE)
    return tuple(out)


def _check_pump_setups(request: CalcRequest, route: str) -> None:
    for number in request.pump_setup_days:
        if isinstance(number, bool) or not isinstance(number, int) or \
                not 1 <= number <= request.days:
            raise InputError("pump-setup", f"day '{number}' is not accepted; accepts infusion "
                             f"day numbers from 1 to {request.days}, e.g. 1 or 1,2")
    if request.pump_setup_days and route != "sc":
        raise InputError("pump-setup", "an added pump set-up (96371) is for subcutaneous "
                         "infusions; this order is intravenous")


def _billed(code: Code, per_day: Fraction, drawn_mg: Fraction, route: str, payer: Payer,
            date: dt.date, kx: bool, cms: CmsData | None, trail: Trail,
            site_340b: str | None = None) -> tuple[ClaimLine, ...]:
    """One date's lines: OPPS status, JW/JZ, 340B, and payment limits from the date's
    quarter."""
    packaged = opps.packaged(payer, cms, code.key, trail)
    lines = claim_lines(code, per_day, drawn_mg, route, payer, date, kx, trail, packaged,
                        site_340b)
    if cms is None:
        return lines
    if not packaged:
        lines = payment.price(lines, cms, code.key, trail)
    return tuple(replace(line, cms_quarter=cms.quarter) for line in lines)


def _priced(line: ClaimLine) -> str:
    if line.payment_limit_usd is None:
        return line.text
    return f"{line.text} at {line.payment_limit_usd} USD = {payment.usd(line.amount_usd)}" \
        if line.amount_usd is not None else line.text


def _stale(catalog: Catalog, dates: Sequence[dt.date], trail: Trail) -> None:
    """One warning when a date of service has no CMS quarter of its own in the catalog."""
    history = catalog.cms_history
    if history is None:
        return
    gaps = [(date, gap) for date in dates if (gap := history.gap(date))]
    if not gaps:
        return
    more = f" (and {text.count(len(gaps) - 1, 'later date')})" if len(gaps) > 1 else ""
    used = history.on(gaps[0][0])
    trail.warn(f"{gaps[0][1]}{more}: its NDCs, "
               f"payment limits and OPPS status are {used.quarter}'s; update the CMS data "
               "(ivigcalc catalog import-cms).", payment.source(used), topic=STALE_CMS)


def _cms_used(first: CmsData | None, days: Sequence[Day]) -> dict[str, Any] | None:
    """The JSON `cms` object: the first date's quarter and every quarter the course used."""
    if first is None:
        return None
    quarters = sorted({d.cms_quarter for d in days if d.cms_quarter} | {first.quarter})
    return {**first.describe(), "quarters": quarters}


def _rate_indication(request: CalcRequest, catalog: Catalog) -> str | None:
    """The indication whose rate protocol applies: as chosen, else what the diagnosis names
    (D69.3 is ITP, whose maximum rate is lower than primary immunodeficiency's)."""
    if request.indication or not request.dx:
        return request.indication
    data = coverage.for_catalog(catalog)
    for d in icd10.parse_list(request.dx, "dx"):
        named = data.indication_for(d.code)
        if named is not None and (named.rate_groups or named.presets):
            # An indication no label gives rates for (Kawasaki: M30.3) is named by its preset,
            # so the plan warns which protocol it uses instead of asking for the indication.
            return (named.rate_groups or named.presets)[0]
    return None


def _necessity(request: CalcRequest, catalog: Catalog, payer: Payer, course_mg: Fraction,
               weight_kg: Fraction, route: str, trail: Trail) -> necessity.Outcome:
    """Diagnoses, coverage, the dose against the indication, prior authorization."""
    reference = necessity.read_reference(request.prior_auth, "prior-auth")
    diagnoses = icd10.parse_list(request.dx, "dx")
    outcome = necessity.assess(diagnoses, payer=payer.key, payer_name=payer.name,
                               data=coverage.for_catalog(catalog), course_mg=course_mg,
                               weight_kg=weight_kg, route=route,
                               preset=request.indication or request.preset,
                               prior_auth=reference)
    for d in outcome.diagnoses:
        trail.step("Diagnosis", f"{d.code} {d.description}", icd10.code_set().release)
    for problem in outcome.problems:
        if problem.rule == "prior-auth-missing":
            continue  # the summary's "Prior authorization" line says it; check reports it
        if problem.severity == "note":
            trail.note(problem.message, problem.source)
        else:
            trail.warn(problem.message, problem.source)
    return outcome


def _dose_per_kg_limits(check: dosing.LimitCheck, request: CalcRequest, kind: str) -> None:
    try:
        dose = units.parse_dose(request.dose, "dose", request.dose_unit)
    except InputError:
        return  # the weight's refusal comes first; the dose's message follows its fix
    per_day = dose / 1000 if request.per == "day" else dose / 1000 / request.days
    check.dose_per_kg(kind, per_day, request.days, request.per)


def _preset(catalog: Catalog, request: CalcRequest, product: Product, route: str, kind: str,
            trail: Trail) -> Preset | None:
    """The window's indication preset (a label only while the order is exactly the preset's),
    and for it or an --indication naming a preset, a soft limit when its route is not how
    this product is dosed: an IV regimen on a subcutaneous product is a likely product slip.
    """
    preset: Preset | None = None
    if request.preset:
        preset = catalog.pick("presets", request.preset, "preset")
        order = (units.parse_dose(request.dose, "dose", request.dose_unit), request.per,
                 request.days)
        if order != (preset.dose_g_per_kg * 1000, preset.per, preset.days):
            raise InputError("preset", f"'{preset.name}' is {text.plain(preset.dose_g_per_kg)} "
                             f"g/kg per {preset.per} × {text.count(preset.days, 'day')}, and "
                             "the order is not; drop the preset or enter its dose")
    regimen = preset or catalog.presets.get((request.indication or "").strip().lower())
    if regimen is not None and regimen.route != kind:
        article = "an" if regimen.route == "iv" else "a"
        trail.soft_limit(f"{regimen.name} is {article} {ROUTE_NAMES[regimen.route]} regimen, "
                         f"and {product.name} is given {ROUTE_NAMES[route]}ly here: check the "
                         "product and the order.", regimen.source)
    return preset


__all__ = ["CalcRequest", "Refusal", "calculate", "service_dates"]
