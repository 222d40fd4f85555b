"""The units boundary: what people type becomes an exact value, or a message naming the field.

Input is checked against a strict pattern and a per-field unit whitelist *before* pint sees
it, because pint alone accepts too much: "70,5 kg" reads as 705 kg, "5 units" as 5 micro-nits,
"2*3 kg" is evaluated. pint then does what it is good at: dimension checking and conversion,
on `Fraction` magnitudes with our own small definitions file (resources/units.txt), so that
1 lb = 0.45359237 kg and 1 in = 2.54 cm stay exact and the registry loads in milliseconds.
"""

from __future__ import annotations

import re
import threading
from fractions import Fraction
from functools import lru_cache
from importlib.resources import files
from typing import Any

from ivigcalc.data import untrusted
from ivigcalc.errors import InputError

_NUMBER = r"([0-9]+(?:\.[0-9]+)?|\.[0-9]+)"  # ASCII digits only (untrusted.clean says why)

# Spelling people type -> pint unit name. Matching is case-insensitive here, in our own
# table, so pint itself stays case-sensitive ("kg" can never become kilogauss).
_MASS = {
    "mg": "mg", "milligram": "mg", "milligrams": "mg",
    "g": "g", "gm": "g", "gram": "g", "grams": "g",
    "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
    "oz": "oz", "ounce": "oz", "ounces": "oz",
}  # fmt: skip
_WEIGHT_UNITS = {k: v for k, v in _MASS.items() if v in {"kg", "g", "lb", "oz"}}
_VIAL_UNITS = {k: v for k, v in _MASS.items() if v in {"g", "mg"}}
_LENGTH = {
    "cm": "cm", "centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
    "m": "m", "meter": "m", "meters": "m", "metre": "m", "metres": "m",
    "in": "in", "inch": "in", "inches": "in", '"': "in",
    "ft": "ft", "foot": "ft", "feet": "ft", "'": "ft",
}  # fmt: skip
_DOSE_UNITS = {"g/kg": "g/kg", "gm/kg": "g/kg", "mg/kg": "mg/kg"}

_SIMPLE = re.compile(rf"^{_NUMBER}\s*([a-z\"']+)?$", re.IGNORECASE)
_DOSE = re.compile(rf"^{_NUMBER}\s*([a-z]+(?:\s*/\s*[a-z]+)*)?$", re.IGNORECASE)
_FEET_INCHES = re.compile(
    rf"^{_NUMBER}\s*(?:ft|feet|foot|')\s*{_NUMBER}\s*(?:in|inch|inches|\"|'')?$", re.IGNORECASE
)

_load_lock = threading.Lock()
_registry: Any = None


def registry() -> Any:
    """The one application registry (pint imported lazily; call `warm_up` to preload).

    Built once, under a lock, whichever thread asks first.
    """
    global _registry
    if _registry is None:
        with _load_lock:
            if _registry is None:
                import pint  # deferred: importing pint costs ~0.15 s; the window must not wait

                path = files("ivigcalc.resources") / "units.txt"
                _registry = pint.UnitRegistry(str(path), non_int_type=Fraction,
                                              cache_folder=None)
    return _registry


def warm_up() -> None:
    """Import pint and build the registry now (a GUI calls this from a background thread)."""
    registry().Quantity(Fraction(1), "kg").to("g")


def _reject_common_mistakes(field: str, text: str, accepts: str) -> None:
    """Name the specific mistake instead of a generic 'could not read'."""
    lowered = text.lower()
    if not text:
        raise InputError(field, f"nothing entered; enter {accepts}")
    if re.search(r"\d,\d", text):
        raise InputError(
            field, f"'{text}' has a comma; use a point for decimals and no thousands "
            f"separators (e.g. '70.5 kg'); accepts {accepts}"
        )
    if re.search(r"\b(nan|inf|infinity)\b", lowered):
        raise InputError(field, f"'{text}' is not a finite number; accepts {accepts}")
    if text.lstrip().startswith("-"):
        raise InputError(field, f"'{text}' is negative; it must be more than zero")
    if re.search(r"[*+^×()]|\d\s*[/-]\s*\d|\de", lowered):
        raise InputError(field, f"'{text}' looks like arithmetic; enter one number and a "
                         f"unit, {accepts}")


def _magnitude(field: str, number: str, text: str) -> Fraction:
    untrusted.check_digits(number, field, text)
    value = Fraction(number)
    if value <= 0:
        raise InputError(field, f"'{text}' is zero; it must be more than zero")
    return value


def _magnitude_or_zero(field: str, number: str, text: str) -> Fraction:
    untrusted.check_digits(number, field, text)
    return Fraction(number)


# g and mg, the units of every claim amount and vial size, convert by a power of ten: exact
# without pint, so a claim check never pays for importing it (tests/test_units.py checks
# each factor against pint).
EXACT_FACTORS: dict[tuple[str, str], int] = {("mg", "mg"): 1, ("g", "mg"): 1000}


@lru_cache(maxsize=4096)  # pure, and pint's conversion is the slowest step of a calculation
def _convert(value: Fraction, unit: str, target: str, dimension: str) -> Fraction:
    quantity = registry().Quantity(value, unit)
    if not quantity.check(dimension):  # belt and braces: the whitelist already implies it
        raise AssertionError(f"{unit} is not {dimension}")
    result = quantity.to(target).magnitude
    return result if isinstance(result, Fraction) else Fraction(result)


def _parse_simple(
    text: str, field: str, units: dict[str, str], target: str, dimension: str,
    accepts: str, default_unit: str | None,
) -> Fraction:
    text = untrusted.clean(text, field).strip()
    _reject_common_mistakes(field, text, accepts)
    match = _SIMPLE.match(text)
    if not match:
        raise InputError(field, f"could not read '{text}'; accepts {accepts}")
    number, word = match.groups()
    if word is None:
        if default_unit is None:
            raise InputError(field, f"'{text}' has no unit; accepts {accepts}")
        word = default_unit
    unit = units.get(word.lower())
    if unit is None:
        raise InputError(field, f"'{word}' is not an accepted unit here; accepts {accepts}")
    value = _magnitude(field, number, text)
    factor = EXACT_FACTORS.get((unit, target))
    if factor is not None:
        return value if factor == 1 else value * factor
    return _convert(value, unit, target, dimension)


WEIGHT_ACCEPTS = "a weight in kg, g, lb or oz, e.g. '70 kg' or '154 lb'"
HEIGHT_ACCEPTS = "a height in cm, m, in or ft, e.g. '170 cm', '67 in' or '5 ft 7 in'"
DOSE_ACCEPTS = "a dose in g/kg or mg/kg, e.g. '0.4 g/kg' or '400 mg/kg'"
VIAL_ACCEPTS = "vial sizes in g or mg separated by commas, e.g. '5 g, 10 g, 20 g'"
MASS_ACCEPTS = "an amount in g or mg, e.g. '27.3 g' or '27300 mg'"


def as_entered(text: str, default_unit: str | None) -> str:
    """What was typed, with the selector's unit added to a bare number ('154' -> '154 lb')."""
    stripped = text.strip()
    match = _SIMPLE.match(stripped)
    if match and match.group(2) is None and default_unit:
        return f"{stripped} {default_unit}"
    return stripped


def parse_weight(text: str, field: str = "weight", default_unit: str | None = None) -> Fraction:
    """Body weight in kg (exact)."""
    return _parse_simple(text, field, _WEIGHT_UNITS, "kg", "[mass]", WEIGHT_ACCEPTS,
                         default_unit)


def parse_mass(text: str, field: str = "amount", default_unit: str | None = None) -> Fraction:
    """A drug amount in mg (exact)."""
    return _parse_simple(text, field, _VIAL_UNITS, "mg", "[mass]", MASS_ACCEPTS, default_unit)


def parse_height(text: str, field: str = "height", default_unit: str | None = None) -> Fraction:
    """Height in cm (exact); also reads feet and inches ("5 ft 7 in", 5'7")."""
    stripped = untrusted.clean(text, field).strip()
    match = _FEET_INCHES.match(stripped)
    if match:
        feet, inches = (_magnitude_or_zero(field, n, stripped) for n in match.groups())
        if feet + inches <= 0:
            raise InputError(field, f"'{stripped}' is zero; it must be more than zero")
        return _convert(feet, "ft", "cm", "[length]") + _convert(inches, "in", "cm", "[length]")
    return _parse_simple(stripped, field, _LENGTH, "cm", "[length]", HEIGHT_ACCEPTS,
                         default_unit)


def parse_dose(text: str, field: str = "dose", default_unit: str | None = None) -> Fraction:
    """Dose in mg per kg of body weight (exact)."""
    text = untrusted.clean(text, field).strip()
    _reject_common_mistakes(field, text, DOSE_ACCEPTS)
    match = _DOSE.match(text)
    if not match:
        raise InputError(field, f"could not read '{text}'; accepts {DOSE_ACCEPTS}")
    number, word = match.groups()
    if word is not None and word.count("/") > 1:
        raise InputError(field, f"'{text}': give the dose as g/kg or mg/kg and choose "
                         "per day or per course separately")
    if word is None:
        if default_unit is None:
            raise InputError(field, f"'{text}' has no unit; accepts {DOSE_ACCEPTS}")
        word = default_unit
    unit = _DOSE_UNITS.get(re.sub(r"\s+", "", word.lower()))
    if unit is None:
        raise InputError(field, f"'{word}' is not an accepted unit here; accepts {DOSE_ACCEPTS}")
    return _convert(_magnitude(field, number, text), unit, "mg/kg", "[mass] / [mass]")


def parse_vial_sizes(text: str, field: str = "vials") -> tuple[Fraction, ...]:
    """Comma-separated vial sizes in mg, largest first, duplicates removed."""
    parts = untrusted.clean(text, field).split(",")
    if not text.strip() or any(not part.strip() for part in parts):
        raise InputError(field, f"'{text}' has an empty entry; accepts {VIAL_ACCEPTS}")
    sizes = set()
    for part in parts:
        if len(parts) > 1 and re.fullmatch(rf"\s*{_NUMBER}\s*", part):
            raise InputError(field, f"'{part.strip()}' has no unit (commas separate sizes; "
                             f"use a point for decimals); accepts {VIAL_ACCEPTS}")
        sizes.add(_parse_simple(part, field, _VIAL_UNITS, "mg", "[mass]", VIAL_ACCEPTS, None))
    return tuple(sorted(sizes, reverse=True))
