"""Exact numbers written for people: '27.3 g', '69.853 kg', '≈' only when a value was rounded.

Display is the one place a value is rounded, and it says so, so an auditor recomputing a
figure from the summary never mistakes a displayed 3-decimal value for the exact one.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

SEE_LABEL = "rate: see the label"  # what a product with no infusion rate on record shows


def decimal(value: Fraction | int, places: int = 3) -> str:
    """`value` to at most `places` decimals, prefixed '≈' when that rounds it."""
    if isinstance(value, int):
        return str(int(value))
    return _ratio(value.numerator, value.denominator, places)


def _ratio(numerator: int, denominator: int, places: int) -> str:
    """decimal(numerator / denominator) on integers: a batch formats thousands of amounts,
    and building a Fraction for each product and rounding costs more than the rest."""
    whole, remainder = divmod(numerator, denominator)
    if not remainder:
        return str(whole)
    # round(Fraction(numerator * 10**places, denominator)): half to even, exactly.
    scaled, remainder = divmod(numerator * 10**places, denominator)
    if 2 * remainder > denominator or (2 * remainder == denominator and scaled % 2):
        scaled += 1
    text = _fixed(scaled, places)
    return "≈" + text if remainder else text


_WHOLE = re.compile(r"\d+")


def _grouped(number: str) -> str:
    """'≈12345.6' as '≈12,345.6': amounts shown with a unit get thousands separators from
    1,000 (ISMP). Its first run of digits is the whole part; field texts and machine
    columns use `decimal`/`plain`, which a parser reads back, so they stay ungrouped."""
    if len(number.partition(".")[0].lstrip("≈-")) < 4:  # most amounts: nothing to group
        return number
    return _WHOLE.sub(lambda m: f"{int(m.group()):,}", number, count=1)


def plain(value: Fraction | int, places: int = 3) -> str:
    """Like `decimal` without the '≈' (for places where the rounding is stated nearby)."""
    return decimal(value, places).lstrip("≈")


def _fixed(scaled: int, places: int) -> str:
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(places + 1, "0")
    whole, frac = digits[:-places] if places else digits, digits[-places:] if places else ""
    frac = frac.rstrip("0")
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


def grams(mg: Fraction | int) -> str:
    """A drug amount in g (IG doses are read in grams)."""
    if isinstance(mg, int):
        return f"{_grouped(_ratio(mg, 1000, 3))} g"
    return f"{_grouped(_ratio(mg.numerator, mg.denominator * 1000, 3))} g"


def mg(value: Fraction | int) -> str:
    return f"{_grouped(decimal(value))} mg"


def kg(value: Fraction | int) -> str:
    return f"{_grouped(decimal(value))} kg"


def ml(value: Fraction | int) -> str:
    return f"{_grouped(decimal(value, 1))} mL"


# --- display by ISMP rules (domain rules §3.7): the exact value stays in the Result and in
# the working; these show no more digits than the measurement has, and no '≈'.

def _shown(value: Fraction | int, places: int) -> str:
    """`value` to `places` decimals, half away from zero, no trailing zeros, leading zero."""
    value = Fraction(value)
    scaled = abs(value) * 10**places
    whole = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    return ("-" if value < 0 and whole else "") + _grouped(_fixed(whole, places))


def weight(kg_value: Fraction | int) -> str:
    """A body weight to 0.1 kg: 172 lb is '78 kg', not '≈78.018 kg'."""
    return f"{_shown(kg_value, 1)} kg"


def dose_g(mg_value: Fraction | int) -> str:
    """A dose to 0.1 g (0.01 g under 1 g, where 0.1 g would be a tenth of the dose)."""
    g = Fraction(mg_value) / 1000
    return f"{_shown(g, 1 if g >= 1 else 2)} g"


def dose_change(before_mg: Fraction | int, after_mg: Fraction | int) -> tuple[str, str]:
    """Two doses as `dose_g` shows them, or to the mg when that would hide the change
    ('from 16.3 g to 16.3 g' says nothing; 'from 16.287 g to 16.32 g' does)."""
    pair = (dose_g(before_mg), dose_g(after_mg))
    if pair[0] == pair[1] and before_mg != after_mg:
        pair = (grams(before_mg).lstrip("≈"), grams(after_mg).lstrip("≈"))
    return pair


def _as_shown(shown: str) -> Fraction | None:
    """The number a figure shows ('1,164.3 g' -> 1164.3); None for an approximate one."""
    number = shown.split(" ", 1)[0].replace(",", "")
    if not number or number.startswith("≈") or len(number) > 40:
        return None
    try:
        return Fraction(number)
    except ValueError:
        return None


def adds_up(left: str, factor: Fraction | int, right: str) -> str:
    """'=' when the figures as shown multiply out (41.05 g shown as 41.1 g, × 2 days, is
    82.1 g: '='), else '≈' (82.1 g × 2 shown as 164.3 g: the reader's sum would differ). A
    figure that already says ≈ (≈46.667 g) keeps '=': the ≈ is said once, on it."""
    if left.startswith("≈") or right.startswith("≈"):
        return "="
    a, b = _as_shown(left), _as_shown(right)
    return "=" if a is not None and b is not None and a * factor == b else "≈"


def volume(ml_value: Fraction | int) -> str:
    """A volume to the mL (0.1 mL under 10 mL, where a whole mL is over a tenth)."""
    value = Fraction(ml_value)
    return f"{_shown(value, 0 if value >= 10 else 1)} mL"


def units(n: int) -> str:
    """'1 unit', '42 units' (spelled out, as ISMP asks)."""
    return count(n, "unit")


def count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def dose_per_kg(mg_per_kg: Fraction) -> str:
    """Doses read as g/kg when ≥ 0.1 g/kg (0.4 g/kg), else mg/kg (50 mg/kg)."""
    if mg_per_kg >= 100:
        return f"{decimal(mg_per_kg / 1000)} g/kg"
    return f"{decimal(mg_per_kg)} mg/kg"


def signed_percent(value: Fraction) -> str:
    """A change as '+9.9%' / '−8.4%' (one decimal; the exact figures are shown beside it)."""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{plain(abs(value), 1)}%"


def joined(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c': lists in messages read as sentences."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def mg_per_kg_min(value: Fraction) -> str:
    """An infusion rate as labels print it: '0.5 mg/kg/min'."""
    return f"{decimal(value, 2)} mg/kg/min"


def ml_per_h(value: Fraction) -> str:
    """A pump rate to 0.1 mL/h: '336 mL/h'."""
    return f"{_grouped(decimal(value, 1))} mL/h"


def minutes(value: Fraction) -> str:
    """'2 h 5 min' (whole minutes rounded up, so a plan is never read as shorter)."""
    whole = math.ceil(value)
    hours, rest = divmod(whole, 60)
    if not hours:
        return f"{whole} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def json_number(value: Fraction | int) -> float:
    """An exact amount for JSON output, to 0.001 (rounded from the Fraction, once, at the
    edge: nothing computes with the float)."""
    return float(round(Fraction(value), 3))
