"""The infusion plan for one day's bag: the label's rate steps (IV) or sites and volumes (SC).

mL/h = mg/kg/min × kg × 60 ÷ mg per mL, on the dosing weight and the product's
concentration. Every figure is an exact Fraction: the step volumes add up to the bag to the
last drop, and the last step runs until the bag is empty. Display rounds; this never does.
A product with no rate on record gets no plan and a note, never an invented rate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ivigcalc import text
from ivigcalc.data.catalog import Product
from ivigcalc.data.rates import (
    Group,
    IvProtocol,
    RateBook,
    ScProtocol,
    SiteLimit,
    Titration,
    to_mg_per_kg_min,
)
from ivigcalc.result import Infusion, InfusionStep, Trail
from ivigcalc.text import SEE_LABEL

RISK_TOPIC = "Risk of thrombosis or renal failure"
# The working topics this module writes (the worksheet shows them as its rate table).
TOPICS = frozenset({"Infusion rate", "Rate steps", RISK_TOPIC, "Infusion time",
                    "Infusion sites"})


def ml_per_h(mg_per_kg_min: Fraction, kg: Fraction, mg_per_ml: Fraction) -> Fraction:
    return mg_per_kg_min * kg * 60 / mg_per_ml


def ladder(protocol: IvProtocol, rule: Titration, mg_per_ml: Fraction,
           at_risk: bool) -> list[tuple[Fraction, int]]:
    """The rates (mg/kg/min) the plan climbs, each with the minutes it holds, up to the ceiling.

    The label's own ladder or fixed increase when it gives one, else the titration rule
    (doubling). At risk of thrombosis or renal failure, the label's lower ceiling applies;
    `at_risk_below` means the rate must stay under it, so the ladder stops short of it.
    """
    ceiling, below = protocol.max, False
    if at_risk and protocol.at_risk_max is not None:
        ceiling, below = min(ceiling, protocol.at_risk_max), protocol.at_risk_below
    if protocol.rates:
        kept = [r for r in protocol.rates if r < ceiling]
    else:
        kept, rate = [], protocol.initial
        while rate < ceiling:
            kept.append(rate)
            rate = rate + protocol.add if protocol.add else rate * 2
    if not below:
        kept.append(ceiling)
    step = protocol.step_minutes or rule.step_minutes
    first = protocol.initial_minutes or step
    return [(to_mg_per_kg_min(r, protocol.unit, mg_per_ml), first if i == 0 else step)
            for i, r in enumerate(kept)]


def uses_rule(protocol: IvProtocol) -> bool:
    """True when the label leaves the increments or their timing to the titration rule."""
    return not (protocol.rates or protocol.add) or protocol.step_minutes is None


def iv_plan(protocol: IvProtocol, title: str, rule: Titration, kg: Fraction,
            mg_per_ml: Fraction, volume_ml: Fraction, at_risk: bool) -> Infusion:
    rungs = ladder(protocol, rule, mg_per_ml, at_risk)
    steps: list[InfusionStep] = []
    start, left = Fraction(0), volume_ml
    for index, (rate, minutes) in enumerate(rungs):
        hourly = ml_per_h(rate, kg, mg_per_ml)
        volume = hourly * minutes / 60
        if index == len(rungs) - 1 or volume >= left:
            steps.append(InfusionStep(start, left * 60 / hourly, rate, hourly, left, True))
            break
        steps.append(InfusionStep(start, Fraction(minutes), rate, hourly, volume))
        start, left = start + minutes, left - volume
    top = rungs[-1][0]
    return Infusion(protocol=protocol.key, title=title, route="iv", steps=tuple(steps),
                    max_rate_mg_per_kg_min=top, max_rate_ml_per_h=ml_per_h(top, kg, mg_per_ml),
                    volume_ml=volume_ml, weight_kg=kg, source=protocol.source,
                    checked=protocol.checked, verify=protocol.verify)


def sc_plan(protocol: ScProtocol, title: str, kg: Fraction, actual_kg: Fraction,
            mg_per_ml: Fraction, volume_ml: Fraction, first: bool) -> Infusion:
    """Fewest sites within the label's volume per site; all sites run at once."""
    limit, which = protocol.limit(actual_kg, first)
    shown = f"{which}: {_limit_text(limit)}"
    if not first and protocol.first is not None:
        early, early_which = protocol.limit(actual_kg, True)
        shown += f" ({early_which.split(',')[0]}: {_limit_text(early)})"
    if protocol.note:
        shown += f". {protocol.note}"
    sites = math.ceil(volume_ml / limit.ml_per_site)
    per_site = volume_ml / sites
    minutes = per_site * 60 / limit.ml_per_h_per_site
    hourly = limit.ml_per_h_per_site * sites
    rate = hourly * mg_per_ml / (kg * 60)
    step = InfusionStep(Fraction(0), minutes, rate, hourly, volume_ml, True)
    return Infusion(protocol=protocol.key, title=title, route="sc", steps=(step,),
                    max_rate_mg_per_kg_min=rate, max_rate_ml_per_h=hourly,
                    volume_ml=volume_ml, weight_kg=kg, source=protocol.source,
                    checked=protocol.checked, verify=protocol.verify, sites=sites,
                    ml_per_site=per_site, ml_per_h_per_site=limit.ml_per_h_per_site,
                    limit_text=shown)


def _limit_text(limit: SiteLimit) -> str:
    spread = (f"{text.plain(limit.ml_per_h_per_site_from)}–" if limit.ml_per_h_per_site_from
              else "≤ ")
    return (f"≤ {text.plain(limit.ml_per_site)} mL/site at {spread}"
            f"{text.plain(limit.ml_per_h_per_site)} mL/h/site")


def _named(indication: str | None, presets: Mapping[str, Any]) -> str | None:
    """The name of an indication chosen by a preset that no rate group holds (Kawasaki,
    GBS): no label gives rates for it, so the plan must say which protocol it uses."""
    if indication is None or not indication.strip():
        return None
    from ivigcalc.data import necessity  # the indications' names: read on this need only

    key = indication.strip().lower()
    named = necessity.bundled().indication_of_preset(key)
    if named is not None:
        return named.name
    preset = presets.get(key)
    return str(preset.name) if preset is not None else indication.strip()


def _pick(rows: tuple[Any, ...], group: Group | None, ungrouped: str | None,
          product: Product, book: RateBook, trail: Trail) -> Any:
    """The row for the indication; without one, the product's first (usually PI).

    ungrouped: an indication chosen that has no rate group of its own (its name); the plan
    warns that it uses the product's first protocol, as for a group the label lacks."""
    for row in rows:
        if group is not None and row.group == group.key:
            return row
    chosen = rows[0]
    shown = book.groups[chosen.group].name
    wanted = group.name if group is not None else ungrouped
    if wanted is not None:
        trail.warn(f"{product.name}'s label gives no rate for {wanted}: the plan uses "
                   f"its rates for {shown}. Check the rate with the prescriber.", chosen.source)
    elif len(rows) > 1:
        trail.note(f"Rates for {shown}; choose the indication for another protocol.",
                   chosen.source)
    return chosen


def plan_for(product: Product, route: str, indication: str | None, kg: Fraction,
             actual_kg: Fraction, dose_mg: Fraction, *, at_risk: bool,
             first_infusion: bool, book: RateBook, presets: Mapping[str, Any],
             trail: Trail) -> Infusion | None:
    """The plan for the day's dose, with its working in `trail`; None (and a note) if no rate."""
    book.check_indication(indication, presets)
    rows = (book.iv if route == "iv" else book.sc).get(product.key, ())
    mg_per_ml = product.concentration_mg_per_ml
    if not rows or mg_per_ml is None:
        why = ("no infusion rate is on record" if not rows else
               "a powder: the rate in mL/h depends on the reconstitution")
        trail.note(f"{product.name} ({route.upper()}): {why}; {SEE_LABEL}.", product.source)
        return None
    volume_ml = dose_mg / mg_per_ml
    group = book.group_of(indication)
    row = _pick(rows, group, _named(indication, presets) if group is None else None, product,
                book, trail)
    title = f"{product.name}, {book.groups[row.group].name}"
    if isinstance(row, ScProtocol):
        plan = sc_plan(row, title, kg, actual_kg, mg_per_ml, volume_ml, first_infusion)
        _sc_working(row, plan, trail)
    else:
        plan = iv_plan(row, title, book.titration, kg, mg_per_ml, volume_ml, at_risk)
        _iv_working(row, plan, book.titration, mg_per_ml, at_risk, trail)
    if row.verify:
        trail.warn(f"The {title} rates could not be checked against the current label "
                   f"text: verify them before use.", row.source)
    return plan


def _iv_working(row: IvProtocol, plan: Infusion, rule: Titration, mg_per_ml: Fraction,
                at_risk: bool, trail: Trail) -> None:
    first = plan.steps[0]
    kg = text.kg(plan.weight_kg)
    strength = f"{text.decimal(mg_per_ml)} mg/mL"
    label_max = to_mg_per_kg_min(row.max, row.unit, mg_per_ml)
    label_max_ml_h = ml_per_h(label_max, plan.weight_kg, mg_per_ml)
    start = text.mg_per_kg_min(first.rate_mg_per_kg_min)
    trail.step("Infusion rate", f"{plan.title}: starts at {start} × {kg} × 60 ÷ {strength} = "
               f"{text.ml_per_h(first.rate_ml_per_h)} (the initial rate, as for a first "
               f"infusion or a product switch); maximum {text.mg_per_kg_min(label_max)} = "
               f"{text.ml_per_h(label_max_ml_h)}", row.source)
    if uses_rule(row) and len(plan.steps) > 1:
        trail.step("Rate steps", f"every {row.step_minutes or rule.step_minutes} min the rate "
                   f"doubles, up to the maximum", rule.source)
    if at_risk:
        if row.at_risk_max is not None:
            ceiling = to_mg_per_kg_min(row.at_risk_max, row.unit, mg_per_ml)
            bound = "below" if row.at_risk_below else "at most"
            trail.step(RISK_TOPIC, f"{bound} {text.mg_per_kg_min(ceiling)}: "
                       f"the plan stops at {text.mg_per_kg_min(plan.max_rate_mg_per_kg_min)} = "
                       f"{text.ml_per_h(plan.max_rate_ml_per_h)}", row.source)
        else:
            trail.warn("At risk of thrombosis or renal failure: the label asks for the minimum "
                       "infusion rate practicable and gives no figure; the plan shows the "
                       "label's rates; go no faster than the patient needs.", row.source)
    count = len(plan.steps)
    trail.step("Infusion time", f"{text.ml(plan.volume_ml)} in {text.count(count, 'step')}"
               f"{', the last' if count > 1 else ''} until the bag is empty: "
               f"{text.minutes(plan.total_minutes)} in all")


def _sc_working(row: ScProtocol, plan: Infusion, trail: Trail) -> None:
    assert plan.sites is not None  # sc_plan sets all three: this tells the type checker
    assert plan.ml_per_site is not None
    assert plan.ml_per_h_per_site is not None
    trail.step("Infusion sites", f"{plan.title}, {plan.limit_text}: {text.ml(plan.volume_ml)}"
               f" needs {text.count(plan.sites, 'site')} of {text.ml(plan.ml_per_site)}, "
               f"{text.minutes(plan.total_minutes)} at "
               f"{text.plain(plan.ml_per_h_per_site)} mL/h/site", row.source)
    if row.max_sites is not None and plan.sites > row.max_sites:
        trail.warn(f"{text.count(plan.sites, 'site')} needed but the label allows up to "
                   f"{row.max_sites} at once: split the dose over more infusions.", row.source)
