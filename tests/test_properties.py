"""Properties over random valid orders: units cover the dose, billing never exceeds the vials."""

import datetime as dt
import math
from fractions import Fraction

from helpers import orders
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data.catalog import load
from ivigcalc.errors import Refusal
from ivigcalc.result import contents_mg

CATALOG = load().catalog


def run(order: dict):
    try:
        return calculate(CalcRequest(**order), CATALOG)
    except Refusal:
        assume(False)  # hard limits refuse some random orders; those are tested elsewhere
        raise


@settings(max_examples=300, deadline=None)
@given(order=orders)
def test_units_cover_the_dose_and_never_exceed_the_vials(order: dict) -> None:
    result = run(order)
    unit = result.unit_mg
    smallest = min(CATALOG.products[order["product"]].vial_sizes_mg)
    for day in result.days:
        administered_line = day.claim_lines[0]
        assert "JW" not in administered_line.modifiers
        # units × unit ≥ administered, and one unit fewer would not cover it
        assert administered_line.units * unit >= day.administered_mg
        assert (administered_line.units - 1) * unit < day.administered_mg
        billed = sum(line.units for line in day.claim_lines)
        jw = [line for line in day.claim_lines if "JW" in line.modifiers]
        if jw:
            assert billed * unit <= day.plan.drawn_mg  # waste never bills past the labels
            assert jw[0].units >= 1
        else:
            # Without JW only the administered units' round-up can pass the labeled contents
            # (0.95 g from a 0.99 g Cutaquig vial is 10 units), and by less than one unit.
            assert billed * unit < day.plan.drawn_mg + unit
        # waste is less than the smallest stocked vial
        assert 0 <= day.plan.wasted_mg < smallest
        # JZ only when no billable unit was discarded, never beside JW
        has_jz = any("JZ" in line.modifiers for line in day.claim_lines)
        assert not (has_jz and jw)
        if has_jz:
            assert math.floor(day.plan.drawn_mg / unit) <= administered_line.units
        for line in day.claim_lines:
            assert isinstance(line.units, int)


@settings(max_examples=100, deadline=None)
@given(kg_tenths=st.integers(min_value=50, max_value=2000),
       dose_g_tenths=st.integers(min_value=1, max_value=20))
def test_exact_doses_from_decimal_inputs(kg_tenths: int, dose_g_tenths: int) -> None:
    weight = f"{kg_tenths // 10}.{kg_tenths % 10} kg"
    dose = f"0.{dose_g_tenths}" if dose_g_tenths < 10 else f"{dose_g_tenths / 10}"
    order = {"weight": weight, "dose": f"{dose} g/kg", "product": "privigen",
             "date_of_service": dt.date(2026, 1, 1)}
    result = run(order)
    exact_mg = Fraction(kg_tenths, 10) * Fraction(dose_g_tenths, 10) * 1000
    assert result.per_day_mg == exact_mg
    assert result.days[0].claim_lines[0].units == math.ceil(exact_mg / 500)


sizes = st.fractions(min_value=Fraction(1, 1000), max_value=100_000, max_denominator=1000)


@settings(max_examples=60, deadline=None)
@given(vials=st.lists(st.tuples(sizes, st.integers(1, 999)), max_size=6))
def test_contents_summed_on_a_common_denominator_are_the_fraction_sum(vials: list) -> None:
    total = contents_mg(vials)
    assert total == sum((size * n for size, n in vials), Fraction(0))
    assert isinstance(total, Fraction)
