"""IV → SC conversion: the weekly subcutaneous dose for an IV regimen, and HyQvia's ramp-up.

Weekly SC dose = previous IV dose (g) × the product's factor ÷ weeks between IV doses, the
factor per product from its label (rates.toml [convert]). HyQvia keeps the IV dose and
interval (factor 1) after a ramp-up of 1-, 2-, 3-... week doses in the label's weeks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ivigcalc import text
from ivigcalc.data import untrusted
from ivigcalc.data.catalog import Catalog, Product
from ivigcalc.data.rates import RateBook
from ivigcalc.dose import dosing, units
from ivigcalc.errors import InputError
from ivigcalc.result import Trail

INTERVAL_ACCEPTS = "a number of weeks or days, e.g. '4 weeks', 'every 3 weeks' or '28 days'"
_INTERVAL = re.compile(r"^(?:every\s+|q\s*)?([0-9]+(?:\.[0-9]+)?)\s*(weeks?|wks?|w|days?|d)$",
                       re.IGNORECASE)
MAX_WEEKS = 8  # IV regimens run every 1 to 8 weeks; more is a days/weeks slip


def parse_interval(value: str, field: str = "interval") -> Fraction:
    """Weeks between IV doses, exactly ('28 days' = 4 weeks)."""
    typed = untrusted.clean(value, field).strip()
    match = _INTERVAL.match(typed)
    if not match:
        raise InputError(field, f"could not read '{typed}'; accepts {INTERVAL_ACCEPTS}")
    untrusted.check_digits(match.group(1), field, typed)
    number, unit = Fraction(match.group(1)), match.group(2).lower()
    weeks = number / 7 if unit.startswith("d") else number
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(field, f"'{typed}' is {text.decimal(weeks, 2)} weeks; accepts 1 to "
                         f"{MAX_WEEKS} weeks between IV doses")
    return weeks


@dataclass(frozen=True)
class RampDose:
    week: int
    weeks_of_dose: int
    dose_mg: Fraction


@dataclass(frozen=True)
class Conversion:
    product_key: str
    product_name: str
    iv_dose_mg: Fraction
    interval_weeks: Fraction
    factor: Fraction
    weekly_dose_mg: Fraction
    mg_per_ml: Fraction | None
    ramp: tuple[RampDose, ...]
    source: str
    working: tuple[str, ...]

    @property
    def weekly_volume_ml(self) -> Fraction | None:
        return self.weekly_dose_mg / self.mg_per_ml if self.mg_per_ml else None


def convert(iv_dose: str, interval: str, product_key: str, catalog: Catalog,
            book: RateBook) -> Conversion:
    """The SC regimen for an IV one. Raises InputError naming the field."""
    product: Product = catalog.pick("products", product_key, "product")
    row = book.convert.get(product.key)
    if row is None:
        raise InputError("product", f"no IV-to-SC conversion is on record for {product.name}; "
                         f"accepts {', '.join(book.convert)}")
    dose_mg = units.parse_mass(iv_dose, "iv-dose")
    weeks = parse_interval(interval)
    trail = Trail()
    # The IV dose is held to calc's limits on a day's grams (a 10^12 g dose is a slip).
    check = dosing.LimitCheck(catalog.pick("limits", "default", "limits"), trail)
    check.grams_per_day(dose_mg)
    check.refuse()
    weekly = dose_mg * row.factor / weeks
    trail.step("Weekly dose", f"{text.grams(dose_mg)} × {text.plain(row.factor)} ÷ "
               f"{text.decimal(weeks, 2)} weeks = {text.grams(weekly)} per week", row.source)
    ramp: tuple[RampDose, ...] = ()
    if row.ramp_weeks:
        if weeks.denominator != 1 or weeks > len(row.ramp_weeks):
            raise InputError("interval", f"{product.name}'s ramp-up covers whole intervals of "
                             f"1 to {len(row.ramp_weeks)} weeks; '{interval.strip()}' is not one")
        ramp = tuple(RampDose(week, n, weekly * n)
                     for n, week in enumerate(row.ramp_weeks[:int(weeks)], 1))
        trail.step("Ramp-up", "; ".join(f"week {r.week}: {r.weeks_of_dose}-week dose "
                                        f"{text.grams(r.dose_mg)}" for r in ramp)
                   + f"; then {text.grams(dose_mg)} every {int(weeks)} weeks", row.source)
    if row.verify:
        trail.warn("This factor could not be checked against the current label: verify it.",
                   row.source)
    return Conversion(product.key, product.name, dose_mg, weeks, row.factor, weekly,
                      product.concentration_mg_per_ml, ramp, row.source,
                      tuple(f"{s.topic}: {s.text}" for s in trail.steps) +
                      tuple(f"Warning: {n.message}" for n in trail.notices))


def lines(result: Conversion) -> list[str]:
    """The conversion as plain text (the CLI and the window's dialog)."""
    volume = result.weekly_volume_ml
    shown = f" ({text.ml(volume)})" if volume is not None else ""
    out = [f"{result.product_name}: {text.grams(result.weekly_dose_mg)} per week{shown}"]
    if result.ramp:  # the IV dose and interval are kept; weekly is only the first dose
        out = [f"{result.product_name}: {text.grams(result.iv_dose_mg)} every "
               f"{text.count(int(result.interval_weeks), 'week')} after the ramp-up"]
        out.append("Ramp-up (hyaluronidase first, then the immune globulin):")
        out += [f"  week {r.week}: {text.grams(r.dose_mg)} ({r.weeks_of_dose}-week dose)"
                for r in result.ramp]
        out.append(f"  then {text.grams(result.iv_dose_mg)} every "
                   f"{text.count(int(result.interval_weeks), 'week')}")
    out += ["Working:", *(f"  {line}" for line in result.working), f"Source: {result.source}"]
    return out


def as_dict(result: Conversion) -> dict[str, Any]:
    num = text.json_number

    volume = result.weekly_volume_ml
    return {
        "product": result.product_key,
        "iv_dose_mg": num(result.iv_dose_mg),
        "interval_weeks": num(result.interval_weeks),
        "factor": num(result.factor),
        "weekly_dose_mg": num(result.weekly_dose_mg),
        "weekly_volume_ml": num(volume) if volume is not None else None,
        "ramp": [{"week": r.week, "weeks_of_dose": r.weeks_of_dose, "dose_mg": num(r.dose_mg)}
                 for r in result.ramp] or None,
        "working": list(result.working),
        "source": result.source,
    }
