"""Exact numbers written for people: '27.3 g', '69.853 kg', '≈' only when a value was rounded.

Display is the one place a value is rounded, and it says so, so an auditor recomputing a
figure from the summary never mistakes a displayed 3-decimal value for the exact one.
"""

from __future__ import annotations

from fractions import Fraction


def decimal(value: Fraction | int, places: int = 3) -> str:
    """`value` to at most `places` decimals, prefixed '≈' when that rounds it."""
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    scaled = value * 10**places
    rounded = round(scaled)  # exact: Fraction rounding, half to even
    text = _fixed(rounded, places)
    return text if scaled == rounded else "≈" + text


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
    return f"{decimal(Fraction(mg) / 1000)} g"


def mg(value: Fraction | int) -> str:
    return f"{decimal(value)} mg"


def kg(value: Fraction | int) -> str:
    return f"{decimal(value)} kg"


def ml(value: Fraction | int) -> str:
    return f"{decimal(value, 1)} mL"


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
