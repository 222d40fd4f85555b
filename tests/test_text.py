"""Display of exact numbers: the integer fast path rounds exactly as round(Fraction) does."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from ivigcalc import text

fractions = st.fractions(min_value=-10**6, max_value=10**6, max_denominator=10**6)


def _by_fraction(value: Fraction, places: int) -> str:
    """The definition: round half to even at `places`, '≈' when that changed the value."""
    if value.denominator == 1:
        return str(value.numerator)
    scaled = value * 10**places
    rounded = round(scaled)
    sign = "-" if rounded < 0 else ""
    whole, frac = divmod(abs(rounded), 10**places)
    digits = str(frac).rjust(places, "0").rstrip("0") if places else ""
    shown = f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"
    return shown if scaled == rounded else "≈" + shown


@given(fractions, st.integers(min_value=0, max_value=4))
def test_decimal_matches_fraction_rounding(value: Fraction, places: int) -> None:
    assert text.decimal(value, places) == _by_fraction(value, places)


@given(st.fractions(min_value=0, max_value=10**7, max_denominator=1000))
def test_grams_is_the_mg_amount_over_1000(mg: Fraction) -> None:
    assert text.grams(mg) == f"{_with_commas(_by_fraction(mg / 1000, 3))} g"


def _with_commas(number: str) -> str:
    """Thousands separators in the whole part, as ISMP writes amounts from 1,000."""
    approx = "≈" if number.startswith("≈") else ""
    whole, dot, frac = number.removeprefix("≈").partition(".")
    return f"{approx}{int(whole):,}{dot}{frac}"


def test_amounts_with_a_unit_group_thousands_and_field_texts_do_not() -> None:
    assert text.ml(1000) == "1,000 mL"
    assert text.ml(999) == "999 mL"
    assert text.mg(27300) == "27,300 mg"
    assert text.grams(Fraction(1000001, 1)) == "1,000.001 g"
    assert text.grams(Fraction(10000001, 10)) == "≈1,000 g"
    assert text.kg(Fraction(-12345, 10)) == "-1,234.5 kg"
    assert text.ml_per_h(Fraction(12345, 10)) == "1,234.5 mL/h"
    assert text.volume(1234567) == "1,234,567 mL"
    # Three whole digits or fewer, with or without '≈' and '-', are left as they are.
    assert text.mg(Fraction(2999, 3)) == "≈999.667 mg"
    assert text.mg(Fraction(3001, 3)) == "≈1,000.333 mg"
    assert text.kg(Fraction(-9995, 10)) == "-999.5 kg"
    assert text.kg(Fraction(-10005, 10)) == "-1,000.5 kg"
    # A value typed back into a field or written to a machine column stays ungrouped.
    assert text.plain(Fraction(27300)) == "27300"
    assert text.decimal(Fraction(123456789, 100), 1) == "≈1234567.9"


def test_worked_examples() -> None:
    assert text.decimal(Fraction(2731, 100)) == "27.31"
    assert text.decimal(Fraction(1, 3)) == "≈0.333"
    assert text.decimal(Fraction(5, 2), 0) == "≈2"  # half to even
    assert text.decimal(Fraction(7, 2), 0) == "≈4"
    assert text.decimal(Fraction(-1, 8), 2) == "≈-0.12"
    assert text.grams(27300) == "27.3 g"
    assert text.grams(Fraction(990)) == "0.99 g"
