"""Dosing weight, the dose per day and per course, optional rounding, and dose limits.

Rules and sources (each constant below names its primary source):
- Ideal body weight, Devine (1974): male 50 kg, female 45.5 kg, + 2.3 kg per inch over 60 in,
  height in inches = cm ÷ 2.54 exactly.
- Adjusted ("dose-determining") weight = IBW + 0.4 × (actual − IBW).
- Never dose on more than the actual weight.
- When to adjust is a policy from data (policies.toml), shown with its reason.
- Rounding is opt-in and shown next to the ordered dose with its percent change (HOPA and
  payer policies: nearest whole vial within ±10%; Ontario: nearest 5 g).
"""

from __future__ import annotations

from fractions import Fraction

from ivigcalc import text
from ivigcalc.data.catalog import Limit, Limits, Policy
from ivigcalc.dose.vials import nearest_reachable
from ivigcalc.errors import InputError, Refusal
from ivigcalc.result import DosingWeight, Rounding, Trail

BASES = ("actual", "ideal", "adjusted", "policy")
ROUNDINGS = ("none", "nearest-vial", "nearest-5g")
SEXES = ("male", "female")
DEVINE_MIN_CM = Fraction(1524, 10)  # 60 in: the formula starts there
DEVINE_SOURCE = "Devine BJ, Drug Intell Clin Pharm 1974;8:650"
ADJUSTED_SOURCE = ("Adjusted (dose-determining) weight = IBW + 0.4 × (actual − IBW): Ontario "
                   "Regional Blood Coordinating Network IVIG dosing guidance")
ROUNDING_SOURCES = {
    "nearest-vial": "HOPA dose-rounding guideline and payer policies: nearest whole vial "
                    "within ±10%",
    "nearest-5g": "Ontario Regional Blood Coordinating Network IVIG guidance: round to the "
                  "nearest 5 g",
}
LIMITS_SOURCE_PREFIX = "limits.toml"


def ideal_body_weight(height_cm: Fraction, sex: str) -> Fraction:
    """Devine IBW in kg (exact); only meaningful from 152.4 cm (60 in)."""
    inches = height_cm / Fraction(254, 100)
    base = Fraction(50) if sex == "male" else Fraction(455, 10)
    return base + Fraction(23, 10) * (inches - 60)


def adjusted_body_weight(actual_kg: Fraction, ibw_kg: Fraction) -> Fraction:
    return ibw_kg + Fraction(4, 10) * (actual_kg - ibw_kg)


def body_mass_index(actual_kg: Fraction, height_cm: Fraction) -> Fraction:
    metres = height_cm / 100
    return actual_kg / (metres * metres)


def dosing_weight(actual_kg: Fraction, height_cm: Fraction | None, sex: str | None,
                  basis: str, policy: Policy, trail: Trail) -> DosingWeight:
    """The weight to dose on, which basis was used, and why."""
    if basis not in BASES:
        raise InputError("basis", f"'{basis}' is not a basis; accepts {', '.join(BASES)}")
    if basis == "actual" or (basis == "policy" and policy.rule == "actual"):
        why = ("actual weight, as chosen" if basis == "actual"
               else f"actual weight, per policy '{policy.name}'")
        trail.step("Dosing weight", f"{text.kg(actual_kg)}: {why}",
                   policy.source if basis == "policy" else "")
        return DosingWeight(actual_kg, "actual", why, actual_kg,
                            policy=policy.key if basis == "policy" else None)
    if height_cm is None:
        raise InputError("height", f"is needed for the '{basis}' basis; accepts a height in "
                         "cm, m, in or ft, e.g. '170 cm' or '5 ft 7 in'")
    if sex not in SEXES:
        raise InputError("sex", f"is needed for the '{basis}' basis (ideal body weight "
                         "differs by sex); accepts male or female")
    if height_cm < DEVINE_MIN_CM:
        short = f"height {text.decimal(height_cm, 1)} cm is under 152.4 cm (60 in), where " \
                "the Devine formula does not apply"
        if basis == "policy":
            why = f"per policy '{policy.name}': actual weight, {short}"
            trail.note("Height under 152.4 cm: the policy doses on the actual weight.",
                       DEVINE_SOURCE)
        else:
            why = f"actual weight: {short}"
            trail.warn(f"Height under 152.4 cm: the {basis} weight is not defined; dosing on "
                       f"the actual weight.", DEVINE_SOURCE)
        trail.step("Dosing weight", f"{text.kg(actual_kg)}: {why}", DEVINE_SOURCE)
        return DosingWeight(actual_kg, "actual", why, actual_kg,
                            policy=policy.key if basis == "policy" else None)

    ibw = ideal_body_weight(height_cm, sex)
    inches = height_cm / Fraction(254, 100)
    base = "50" if sex == "male" else "45.5"
    trail.step("Ideal body weight",
               f"IBW = {base} kg + 2.3 kg × ({text.decimal(inches)} in − 60 in) = "
               f"{text.kg(ibw)} (height {text.decimal(height_cm, 1)} cm ÷ 2.54)", DEVINE_SOURCE)
    adjusted = adjusted_body_weight(actual_kg, ibw)
    bmi = body_mass_index(actual_kg, height_cm)

    by_policy = basis == "policy"
    if by_policy:
        basis, why = _policy_choice(actual_kg, height_cm, sex, ibw, bmi, policy, trail)
    else:
        why = f"{basis} weight, as chosen"

    if basis == "actual":
        chosen = actual_kg
    elif basis == "ideal":
        chosen = ibw
    else:
        chosen = adjusted
        trail.step("Adjusted weight",
                   f"{text.kg(ibw)} + 0.4 × ({text.kg(actual_kg)} − {text.kg(ibw)}) = "
                   f"{text.kg(adjusted)}", ADJUSTED_SOURCE)
    if chosen > actual_kg:
        why += f"; the {basis} weight {text.kg(chosen)} is more than the actual weight, so " \
               f"the actual weight is used (never dose above actual)"
        chosen, basis = actual_kg, "actual"
    trail.step("Dosing weight", f"{text.kg(chosen)}: {why}", policy.source if by_policy else "")
    return DosingWeight(chosen, basis, why, actual_kg, ibw, adjusted, bmi,
                        policy.key if by_policy else None)


def _policy_choice(actual_kg: Fraction, height_cm: Fraction, sex: str, ibw: Fraction,
                   bmi: Fraction, policy: Policy, trail: Trail) -> tuple[str, str]:
    """(basis, reason) under a data-driven policy."""
    name = f"'{policy.name}'"
    if policy.min_height_cm is not None and height_cm < policy.min_height_cm:
        return "actual", (f"per policy {name}: actual weight, height under "
                          f"{text.decimal(policy.min_height_cm, 1)} cm")
    floor = policy.min_weight_kg_male if sex == "male" else policy.min_weight_kg_female
    if floor is not None and actual_kg <= floor:
        return "actual", f"per policy {name}: actual weight, {text.kg(actual_kg)} is not " \
                         f"over {text.kg(floor)}"
    if policy.rule == "bmi":
        value, shown = bmi, f"BMI {text.decimal(bmi, 1)}"
        trail.step("BMI", f"{text.kg(actual_kg)} ÷ ({text.decimal(height_cm / 100)} m)² = "
                   f"{text.decimal(bmi, 1)} kg/m²", policy.source)
    else:
        value = actual_kg * 100 / ibw
        shown = f"actual weight {text.decimal(value, 1)}% of IBW"
    limit = f"{policy.comparison} {text.decimal(policy.threshold or 0)}"
    if policy.rule == "percent-ibw":
        limit += "%"
    if policy.passes(value):
        return "adjusted", f"per policy {name}: {shown} {limit}, so the adjusted weight"
    return "actual", f"per policy {name}: {shown}, not {limit}, so the actual weight"


def daily_dose(dose_mg_per_kg: Fraction, weight_kg: Fraction, per: str, days: int,
               trail: Trail) -> Fraction:
    """The ordered dose for one infusion day, in mg (a course is divided evenly)."""
    if per not in ("day", "course"):
        raise InputError("per", f"'{per}' is not accepted; accepts day or course")
    if days < 1:
        raise InputError("days", f"'{days}' is not accepted; accepts a whole number of 1 or more")
    amount = dose_mg_per_kg * weight_kg
    shown = f"{text.dose_per_kg(dose_mg_per_kg)} × {text.kg(weight_kg)} = {text.grams(amount)}"
    if per == "day":
        trail.step("Dose", f"{shown} per day × {text.count(days, 'day')} = "
                   f"{text.grams(amount * days)} per course")
        return amount
    trail.step("Dose", f"{shown} per course ÷ {text.count(days, 'day')} = "
               f"{text.grams(amount / days)} per day")
    return amount / days


def round_dose(ordered_mg: Fraction, policy: str, sizes_mg: tuple[Fraction, ...],
               trail: Trail) -> Rounding:
    """Opt-in rounding of the daily dose; the ordered dose is always kept beside it."""
    if policy not in ROUNDINGS:
        raise InputError("round", f"'{policy}' is not accepted; accepts {', '.join(ROUNDINGS)}")
    if policy == "none":
        return Rounding(policy, ordered_mg, ordered_mg, False)
    source = ROUNDING_SOURCES[policy]
    if policy == "nearest-5g":
        fives = ordered_mg / 5000
        whole = int(fives) + (1 if fives - int(fives) > Fraction(1, 2) else 0)  # ties go down
        rounded = Fraction(whole * 5000) if whole else None
        if rounded is None:
            trail.note(f"Rounding to the nearest 5 g would give 0 g; the dose of "
                       f"{text.grams(ordered_mg)} is unchanged.", source)
            return Rounding(policy, ordered_mg, ordered_mg, False)
    else:
        rounded = nearest_reachable(ordered_mg, sizes_mg)
        if rounded is None:
            trail.note(f"No whole-vial total is within ±10% of {text.grams(ordered_mg)}; the "
                       f"dose is unchanged.", source)
            return Rounding(policy, ordered_mg, ordered_mg, False)
    result = Rounding(policy, ordered_mg, rounded, rounded != ordered_mg)
    trail.step("Rounding", f"{policy}: ordered {text.grams(ordered_mg)} per day → "
               f"{text.grams(rounded)} ({text.signed_percent(result.percent_change)})", source)
    if result.applied:
        trail.note(f"Dose rounded ({policy}) from {text.grams(ordered_mg)} to "
                   f"{text.grams(rounded)} per day ({text.signed_percent(result.percent_change)}).",
                   source)
    return result


def check_limits(limits: Limits, actual_kg: Fraction, dosing_kg: Fraction,
                 per_day_mg: Fraction, days: int, trail: Trail) -> None:
    """Soft limits warn; hard limits refuse (as smart-pump drug libraries do)."""
    per_kg_day = per_day_mg / dosing_kg / 1000
    checks = (
        ("weight", "weight_kg", limits.weight_kg, actual_kg, "kg"),
        ("dose", "g_per_kg_per_day", limits.g_per_kg_per_day, per_kg_day, "g/kg per day"),
        ("dose", "g_per_kg_per_course", limits.g_per_kg_per_course, per_kg_day * days,
         "g/kg per course"),
        ("dose", "grams_per_day", limits.grams_per_day, per_day_mg / 1000, "g per day"),
    )
    for field, name, limit, value, unit in checks:
        _check_one(field, name, limit, value, unit, _source(limits), trail)


def _source(limits: Limits) -> str:
    return f"{LIMITS_SOURCE_PREFIX} [{limits.key}]: {limits.source}"


def check_weight_first(limits: Limits, actual_kg: Fraction) -> None:
    """Refuse a weight past its hard limits before it reaches rounding or the vial plan, so
    '1000000 kg' is blamed on the weight, not on the plan it would make (check_limits later
    records the soft-limit warnings)."""
    _check_one("weight", "weight_kg", limits.weight_kg, actual_kg, "kg", _source(limits),
               Trail())


def check_height(limits: Limits, height_cm: Fraction, trail: Trail) -> None:
    """A height outside the limits is a typing slip (17 cm, 1700 cm): refuse it before IBW."""
    _check_one("height", "height_cm", limits.height_cm, height_cm, "cm", _source(limits), trail)


# The slip each field's hard limits most often catch, named in the refusal.
_SLIPS = {"weight": "lb typed as kg, or g as kg?", "height": "in typed as cm, or m as cm?",
          "dose": "mg/kg typed as g/kg, or the other way round?"}


def _check_one(field: str, name: str, limit: Limit, value: Fraction, unit: str, source: str,
               trail: Trail) -> None:
    """`name` is the limits.toml entry, so a site knows which line to change."""
    shown = f"{text.decimal(value, 3 if value >= Fraction(1, 100) else 6)} {unit}"
    check = f"check the entry ({_SLIPS[field]}); limits.toml {name}"
    if limit.hard_max is not None and value > limit.hard_max:
        raise Refusal(f"{field}: {shown} is above the hard limit of "
                      f"{text.decimal(limit.hard_max)} {unit}; {check}",
                      field=field, source=source)
    if limit.hard_min is not None and value < limit.hard_min:
        raise Refusal(f"{field}: {shown} is below the hard limit of "
                      f"{text.decimal(limit.hard_min)} {unit}; {check}",
                      field=field, source=source)
    if limit.soft_max is not None and value > limit.soft_max:
        trail.warn(f"{shown} is above the soft limit of {text.decimal(limit.soft_max)} {unit}: "
                   "confirm the order before preparing.", source)
    if limit.soft_min is not None and value < limit.soft_min:
        trail.warn(f"{shown} is below the soft limit of {text.decimal(limit.soft_min)} {unit}: "
                   "confirm the order before preparing.", source)
