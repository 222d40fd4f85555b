"""Dosing weight, the dose per day and per course, optional rounding, and dose limits.

Rules and sources (each constant below names its primary source):
- Ideal body weight, Devine (1974): male 50 kg, female 45.5 kg, + 2.3 kg per inch over 60 in,
  height in inches = cm ÷ 2.54 exactly.
- Adjusted ("dose-determining") weight = IBW + 0.4 × (actual − IBW).
- Never dose on more than the actual weight.
- When to adjust is a policy from data (policies.toml), shown with its reason.
- Rounding is opt-in and shown next to the ordered dose with its percent change (HOPA and
  payer policies: nearest whole vial within ±10%; Ontario: nearest 5 g); no rounding moves
  a dose by more than the cap (10% unless the site's limits say otherwise), ties go down.
- Below 152.4 cm there is no Devine ideal weight: ideal and adjusted bases are refused
  rather than quietly dosed on the actual (the largest) weight.
- Limits: every soft and hard limit broken is reported at once; SC doses are checked
  against the weekly SC range.
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
DEFAULT_CAP_PERCENT = Fraction(10)


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
    by_policy = basis == "policy"
    bmi = body_mass_index(actual_kg, height_cm)
    if height_cm < DEVINE_MIN_CM:
        return _short_patient(actual_kg, height_cm, sex, basis, policy, bmi, trail)

    ibw = ideal_body_weight(height_cm, sex)
    inches = height_cm / Fraction(254, 100)
    base = "50" if sex == "male" else "45.5"
    trail.step("Ideal body weight",
               f"IBW = {base} kg + 2.3 kg × ({text.decimal(inches)} in − 60 in) = "
               f"{text.kg(ibw)} (height {text.decimal(height_cm, 1)} cm ÷ 2.54)", DEVINE_SOURCE)
    adjusted = adjusted_body_weight(actual_kg, ibw)

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


def _short_patient(actual_kg: Fraction, height_cm: Fraction, sex: str, basis: str,
                   policy: Policy, bmi: Fraction, trail: Trail) -> DosingWeight:
    """Under 152.4 cm (60 in) the Devine formula gives no ideal weight.

    Falling back to the actual weight would quietly give the largest possible dose when the
    order asked for a smaller one, so it is refused: the pharmacist chooses the actual weight
    on purpose, or asks the prescriber for a dosing weight. Only a policy that itself says
    "actual weight under this height" (Ontario) decides without asking, and says so.
    """
    shown = f"{text.plain(height_cm, 1)} cm"
    if basis == "policy":
        why = _under_min_height(policy, height_cm)
        if not why and policy.rule == "bmi" and not policy.passes(bmi):
            why = _threshold_reason(policy, bmi, f"BMI {_beside(bmi, policy.threshold)}")[1]
        if not why:
            raise Refusal(
                f"basis: the payer's policy '{policy.name}' needs the ideal body weight, and "
                f"the Devine formula has none under 152.4 cm (60 in); the height is {shown}. "
                "Ask the prescriber which weight to dose on, or choose Actual body weight "
                f"to dose on {text.weight(actual_kg)}.", field="basis", source=DEVINE_SOURCE)
        trail.step("Dosing weight", f"{text.kg(actual_kg)}: {why}", policy.source)
        return DosingWeight(actual_kg, "actual", why, actual_kg, bmi=bmi, policy=policy.key)
    raise Refusal(
        f"basis: the {basis} body weight needs the Devine ideal weight, which has no value "
        f"under 152.4 cm (60 in); the height is {shown}. Ask the prescriber which weight to "
        f"dose on, or choose Actual body weight to dose on {text.weight(actual_kg)} (the "
        "larger dose).", field="basis", source=DEVINE_SOURCE)


def _policy_choice(actual_kg: Fraction, height_cm: Fraction, sex: str, ibw: Fraction,
                   bmi: Fraction, policy: Policy, trail: Trail) -> tuple[str, str]:
    """(basis, reason) under a data-driven policy."""
    under = _under_min_height(policy, height_cm)
    if under:
        return "actual", under
    floor = policy.min_weight_kg_male if sex == "male" else policy.min_weight_kg_female
    if floor is not None and actual_kg <= floor:
        return "actual", f"per policy '{policy.name}': actual weight, {text.kg(actual_kg)} " \
                         f"is not over {text.kg(floor)}"
    if policy.rule == "bmi":
        value, shown = bmi, f"BMI {_beside(bmi, policy.threshold)}"
        trail.step("BMI", f"{text.kg(actual_kg)} ÷ ({text.decimal(height_cm / 100)} m)² = "
                   f"{_beside(bmi, policy.threshold)} kg/m²", policy.source)
    else:
        value = actual_kg * 100 / ibw
        shown = f"actual weight {_beside(value, policy.threshold)}% of IBW"
    return _threshold_reason(policy, value, shown)


def _under_min_height(policy: Policy, height_cm: Fraction) -> str:
    """The policy's reason for the actual weight when the patient is under its minimum
    height (the minimum itself is tall enough), or ''."""
    if policy.min_height_cm is None or height_cm >= policy.min_height_cm:
        return ""
    return (f"per policy '{policy.name}': actual weight, height under "
            f"{text.decimal(policy.min_height_cm)} cm")


def _threshold_reason(policy: Policy, value: Fraction, shown: str) -> tuple[str, str]:
    """(basis, reason) from the policy's threshold test on `value` (a BMI, or the actual
    weight as % of IBW), which the reason shows as `shown`."""
    assert policy.threshold is not None  # the catalog requires one for these rules
    limit = f"{policy.comparison} {text.decimal(policy.threshold)}"
    if policy.rule == "percent-ibw":
        limit += "%"
    if policy.passes(value):
        return "adjusted", f"per policy '{policy.name}': {shown} {limit}, so the adjusted weight"
    return "actual", f"per policy '{policy.name}': {shown}, not {limit}, so the actual weight"


def _beside(value: Fraction, threshold: Fraction | None, places: int = 1) -> str:
    """`value` to `places` decimals, or with up to three more where fewer would read as the
    threshold itself (a BMI of 30.03 is "30.03 > 30", never "≈30 > 30")."""
    most = places + 3
    while threshold is not None and value != threshold and places < most and \
            text.plain(value, places) == text.plain(Fraction(threshold), places):
        places += 1
    return text.decimal(value, places)


def daily_dose(dose_mg_per_kg: Fraction, weight_kg: Fraction, per: str, days: int,
               trail: Trail) -> Fraction:
    """The ordered dose for one infusion day, in mg (a course is divided evenly)."""
    if per not in PERS:
        raise InputError("per", f"'{per}' is not accepted; accepts day, course or week")
    if days < 1:
        raise InputError("days", f"'{days}' is not accepted; accepts a whole number of 1 or more")
    amount = dose_mg_per_kg * weight_kg
    given = text.grams(amount)
    shown = f"{text.dose_per_kg(dose_mg_per_kg)} × {text.kg(weight_kg)} = {given}"
    if per == "day":
        course = text.grams(amount * days)
        trail.step("Dose", f"{shown} per day × {text.count(days, 'day')} "
                   f"{text.adds_up(given, days, course)} {course} per course")
        return amount
    daily = text.grams(amount / days)
    trail.step("Dose", f"{shown} per {per} ÷ {text.count(days, 'day')} "
               f"{text.adds_up(daily, days, given)} {daily} per day")
    return amount / days


PERS = ("day", "course", "week")
WEEK_DAYS = 7


def check_per_week(kind: str, days: int, product: str) -> None:
    """Per week is for subcutaneous regimens: the week's dose, given on `days` infusion days
    of that week (1 to 7); an IV dose is per day or per course."""
    if kind != "sc":
        raise InputError("per", f"per week is for subcutaneous regimens, and {product} is "
                         "dosed as IV here; accepts day or course")
    if days > WEEK_DAYS:
        raise InputError("days", f"'{days}' infusion days in a week is not accepted; accepts "
                         f"1 to {WEEK_DAYS} with the dose per week")


def round_dose(ordered_mg: Fraction, policy: str, sizes_mg: tuple[Fraction, ...],
               trail: Trail, cap_percent: Fraction = DEFAULT_CAP_PERCENT) -> Rounding:
    """Opt-in rounding of the daily dose; the ordered dose is always kept beside it.

    No rule may move the dose by more than `cap_percent` (the site's policy, 10% by
    default): nearest-5g on a 3 g dose would give 5 g (+66.7%), a dosing error and not a
    rounding, so past the cap the dose stays as ordered and a warning says why. Ties go down.
    """
    if policy not in ROUNDINGS:
        raise InputError("round", f"'{policy}' is not accepted; accepts {', '.join(ROUNDINGS)}")
    if policy == "none":
        return Rounding(policy, ordered_mg, ordered_mg, False)
    source = ROUNDING_SOURCES[policy]
    cap = text.plain(cap_percent)  # the site's cap as it is set: 7.25%, not "7.2%"
    if policy == "nearest-5g":
        fives = ordered_mg / 5000
        whole = int(fives) + (1 if fives - int(fives) > Fraction(1, 2) else 0)  # ties go down
        rounded = Fraction(whole * 5000)
        change = abs(rounded - ordered_mg) * 100 / ordered_mg
        if change > cap_percent:
            trail.warn(f"Not rounded: the nearest 5 g is {text.dose_g(rounded)}, "
                       f"{text.signed_percent((rounded - ordered_mg) * 100 / ordered_mg)} from "
                       f"the ordered {text.dose_g(ordered_mg)}, and a rounding may move a dose "
                       f"by at most {cap}%. The dose stays as ordered.", source)
            trail.step("Rounding", f"{policy}: {text.grams(ordered_mg)} → "
                       f"{text.grams(rounded)} would move the dose more than {cap}%; "
                       "not rounded", source)
            return Rounding(policy, ordered_mg, ordered_mg, False)
    else:
        found = nearest_reachable(ordered_mg, sizes_mg, cap_percent / 100)
        if found is None:
            trail.warn(f"Not rounded: no whole-vial total from the vials in stock is within "
                       f"±{cap}% of the ordered {text.dose_g(ordered_mg)}. The dose stays as "
                       "ordered.", source)
            return Rounding(policy, ordered_mg, ordered_mg, False)
        rounded = found
    result = Rounding(policy, ordered_mg, rounded, rounded != ordered_mg)
    trail.step("Rounding", f"{policy}: ordered {text.grams(ordered_mg)} per day → "
               f"{text.grams(rounded)} ({text.signed_percent(result.percent_change)}; at most "
               f"±{cap}%, ties down)", source)
    # No separate note: the dose line says "ordered X, rounded, ±N%" once, where it is read.
    return result


# What each limited quantity is called, and the slip a hard limit most often catches, by
# direction: a pharmacist reads "was it typed in lb?", not a configuration key.
_NAMES = {"weight": "Weight", "height": "Height", "dose": "Dose"}
_SLIPS = {
    ("weight", "max"): "was it weighed in lb, or typed in g?",
    ("weight", "min"): "was it typed in g, or in the wrong field?",
    ("height", "max"): "was it typed in mm, or in inches as cm?",
    ("height", "min"): "was it typed in m, or in feet?",
    ("dose", "max"): "was a dose in mg/kg entered as g/kg?",
    ("dose", "min"): "was a dose in g/kg entered as mg/kg?",
    ("sc", "max"): "is this an intravenous regimen on a subcutaneous product?",
    ("sc", "min"): "was a dose in g/kg entered as mg/kg?",
}


class LimitCheck:
    """Checks every limit and reports every breach at once, as a smart pump's library does.

    Soft limits warn (the window asks for an acknowledgement with a reason); hard limits are
    collected and refused together by `refuse()`, so a person fixing a slip sees each limit
    it broke, not one at a time.
    """

    def __init__(self, limits: Limits, trail: Trail) -> None:
        self.limits = limits
        self.trail = trail
        self.hard: dict[str, list[tuple[str, str]]] = {}  # field -> (breach, likely slip)
        self.source = f"Dose limits '{limits.name}': {limits.source}"

    def height(self, height_cm: Fraction) -> None:
        self._one("height", "height", self.limits.height_cm, height_cm, "cm")

    def weight(self, actual_kg: Fraction) -> None:
        self._one("weight", "weight", self.limits.weight_kg, actual_kg, "kg")

    def dose(self, kind: str, dosing_kg: Fraction, per_day_mg: Fraction, days: int,
             per: str = "day") -> None:
        """`kind` is iv or sc (the product's dosed_as): SC doses against the weekly range."""
        self.dose_per_kg(kind, per_day_mg / dosing_kg / 1000, days, per)
        self.grams_per_day(per_day_mg)

    def grams_per_day(self, per_day_mg: Fraction) -> None:
        """The day's grams alone (`convert`'s IV dose, which has no weight, shares it)."""
        self._one("dose", "dose", self.limits.grams_per_day, per_day_mg / 1000, "g per day")

    def dose_per_kg(self, kind: str, per_kg_day: Fraction, days: int,
                    per: str = "day") -> None:
        """The g/kg limits alone: they need no weight, so they are checked (and named) even
        when the weight itself is refused."""
        limits = self.limits
        if kind == "sc" and limits.sc_g_per_kg_per_week != Limit():
            # Equal daily doses: any 7 days hold at most min(days, 7) of them (per week: the
            # week's total, its days at most 7).
            week = per_kg_day * min(days, WEEK_DAYS)
            self._one("dose", "sc", limits.sc_g_per_kg_per_week, week, "g/kg per week")
        else:
            day, course = limits.g_per_kg_per_day, limits.g_per_kg_per_course
            # A one-day course is that day: check it once, in the words of the order
            # (per day or per course), unless the other limit is the tighter one.
            one_day = days == 1
            if not one_day or per == "day" or _tighter(day, course):
                self._one("dose", "dose", day, per_kg_day, "g/kg per day")
            if not one_day or per == "course" or _tighter(course, day):
                self._one("dose", "dose", course, per_kg_day * days, "g/kg per course")

    def refuse(self) -> None:
        """Raise one Refusal naming every hard limit broken so far (field by field)."""
        if self.hard:
            problems = {}
            for field, breaches in self.hard.items():
                slips = list(dict.fromkeys(slip for _, slip in breaches))
                problems[field] = (text.joined([breach for breach, _ in breaches]) + ": "
                                   + " ".join(slips))
            raise Refusal("; ".join(f"{field}: {message}" for field, message in
                                    problems.items()),
                          field=next(iter(problems)), source=self.source, problems=problems)

    def _one(self, field: str, slip: str, limit: Limit, value: Fraction, unit: str) -> None:
        places = 3 if value >= Fraction(1, 100) else 6
        name = "Subcutaneous dose" if slip == "sc" else _NAMES[field]
        for bound, hard, soft, above in (("max", limit.hard_max, limit.soft_max, True),
                                         ("min", limit.hard_min, limit.soft_min, False)):
            side = "above" if above else "below"
            if hard is not None and (value > hard if above else value < hard):
                # With the digits that tell it from the limit: never "3 is above 3".
                shown = f"{_beside(value, hard, places).lstrip('≈')} {unit}"
                what = f"{shown} subcutaneously" if slip == "sc" else shown
                self.hard.setdefault(field, []).append(
                    (f"{what} is {side} the hard limit of {text.plain(hard)} {unit}",
                     _SLIPS[(slip, bound)]))
            elif soft is not None and (value > soft if above else value < soft):
                shown = f"{_beside(value, soft, places).lstrip('≈')} {unit}"
                self.trail.soft_limit(
                    f"{name} {shown} is {side} the soft limit of {text.plain(soft)} {unit}: "
                    "confirm with the prescriber.",
                    self.source)


def _tighter(limit: Limit, than: Limit) -> bool:
    """Whether any bound of `limit` is stricter than (or missing from) `than`'s."""
    for bound in ("soft_max", "hard_max"):
        mine, theirs = getattr(limit, bound), getattr(than, bound)
        if mine is not None and (theirs is None or mine < theirs):
            return True
    for bound in ("soft_min", "hard_min"):
        mine, theirs = getattr(limit, bound), getattr(than, bound)
        if mine is not None and (theirs is None or mine > theirs):
            return True
    return False


def check_limits(limits: Limits, actual_kg: Fraction, dosing_kg: Fraction,
                 per_day_mg: Fraction, days: int, trail: Trail, kind: str = "iv") -> None:
    """Every limit on one order at once: soft limits warn, hard limits refuse together."""
    check = LimitCheck(limits, trail)
    check.weight(actual_kg)
    check.dose(kind, dosing_kg, per_day_mg, days)
    check.refuse()


def check_height(limits: Limits, height_cm: Fraction, trail: Trail) -> None:
    """A height outside the limits is a typing slip (17 cm, 1700 cm): refuse it before IBW."""
    check = LimitCheck(limits, trail)
    check.height(height_cm)
    check.refuse()
