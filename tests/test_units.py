"""The units boundary: exact values in, and a named refusal for every trap pint falls into."""

import subprocess
import sys
from fractions import Fraction

import pint
import pytest

from ivigcalc.dose import units
from ivigcalc.dose.units import (
    parse_dose,
    parse_height,
    parse_mass,
    parse_vial_sizes,
    parse_weight,
    registry,
)
from ivigcalc.errors import InputError


@pytest.mark.parametrize(
    ("typed", "kg"),
    [
        ("70 kg", Fraction(70)),
        ("70.5 kg", Fraction(141, 2)),
        ("70kg", Fraction(70)),
        ("70 KG", Fraction(70)),
        ("154 lb", Fraction(154) * Fraction("0.45359237")),
        ("1 lb", Fraction("0.45359237")),
        ("16 oz", Fraction("0.45359237")),
        ("3500 g", Fraction(7, 2)),
        ("  82 kilograms ", Fraction(82)),
    ],
)
def test_weight_is_exact_in_kg(typed: str, kg: Fraction) -> None:
    value = parse_weight(typed)
    assert isinstance(value, Fraction)
    assert value == kg


@pytest.mark.parametrize(
    ("typed", "cm"),
    [
        ("170 cm", Fraction(170)),
        ("1.7 m", Fraction(170)),
        ("67 in", Fraction(67) * Fraction("2.54")),
        ("5 ft 7 in", Fraction(67) * Fraction("2.54")),
        ("5'7\"", Fraction(67) * Fraction("2.54")),
        ("5 ft", Fraction(60) * Fraction("2.54")),
        ("6 feet 0.5 inches", Fraction("72.5") * Fraction("2.54")),
    ],
)
def test_height_is_exact_in_cm(typed: str, cm: Fraction) -> None:
    assert parse_height(typed) == cm


def test_dose_and_amounts() -> None:
    assert parse_dose("0.4 g/kg") == 400
    assert parse_dose("400 mg/kg") == 400
    assert parse_dose("0.7 g / kg") == 700
    assert parse_mass("27.3 g") == Fraction(27300)
    assert parse_vial_sizes("10 g, 2.5 g,0.99 g, 10 g") == (10000, 2500, 990)


def test_bare_number_uses_the_default_unit_only_when_one_is_given() -> None:
    assert parse_weight("154", default_unit="lb") == Fraction(154) * Fraction("0.45359237")
    assert parse_weight("154 kg", default_unit="lb") == 154  # typed unit wins
    with pytest.raises(InputError, match=r"^weight: '70' has no unit"):
        parse_weight("70")


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("70", "has no unit"),
        ("70,5 kg", "comma"),
        ("1,000 g", "comma"),
        ("2*3 kg", "arithmetic"),
        ("2 + 3 kg", "arithmetic"),
        ("1e3 g", "arithmetic"),
        ("1/2 kg", "arithmetic"),
        ("5 units", "'units' is not an accepted unit"),
        ("70 stone", "'stone' is not an accepted unit"),
        ("70 kilogauss", "'kilogauss' is not an accepted unit"),
        ("seventy kg", "could not read"),
        ("0 kg", "zero"),
        ("0.0 kg", "zero"),
        ("-70 kg", "negative"),
        ("nan kg", "not a finite number"),
        ("inf kg", "not a finite number"),
        ("", "nothing entered"),
        ("70 cm", "'cm' is not an accepted unit"),
    ],
)
def test_weight_refusals_name_the_field_and_what_it_accepts(typed: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_weight(typed)
    message = str(caught.value)
    assert message.startswith("weight: ")
    assert fragment in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("0.4", "has no unit"),
        ("0.4 g/kg/day", "per day or per course separately"),
        ("400 mg", "'mg' is not an accepted unit"),
        ("0.4 g/lb", "'g/lb' is not an accepted unit"),
        ("0,4 g/kg", "comma"),
        ("2*0.2 g/kg", "arithmetic"),
    ],
)
def test_dose_refusals(typed: str, fragment: str) -> None:
    with pytest.raises(InputError, match=r"^dose: ") as caught:
        parse_dose(typed)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [("10,5 g", "'10' has no unit (commas separate sizes; use a point for decimals)"),
     ("10 g,,5 g", "empty entry"), ("10 kg", "'kg' is not an accepted unit"),
     ("", "has an empty entry")],
)
def test_vial_refusals(typed: str, fragment: str) -> None:
    with pytest.raises(InputError, match=r"^vials: ") as caught:
        parse_vial_sizes(typed)
    assert fragment in str(caught.value)


def test_height_refusals() -> None:
    with pytest.raises(InputError, match=r"^height: .*'kg' is not an accepted unit"):
        parse_height("170 kg")
    with pytest.raises(InputError, match=r"^height: .*zero"):
        parse_height("0 ft 0 in")


def test_registry_is_one_trimmed_exact_registry() -> None:
    reg = registry()
    assert reg is registry()
    assert reg.Quantity(Fraction(1), "lb").to("kg").magnitude == Fraction("0.45359237")
    with pytest.raises(pint.errors.UndefinedUnitError, match=r"'kilogauss' is not defined"):
        reg.Unit("kilogauss")


@pytest.mark.parametrize(("unit", "target"), sorted(units.EXACT_FACTORS))
def test_exact_factors_are_pints(unit: str, target: str) -> None:
    """The g/mg shortcut that keeps pint out of a claim check converts as pint does."""
    by_pint = units.registry().Quantity(Fraction(1), unit).to(target).magnitude
    assert units.EXACT_FACTORS[(unit, target)] == by_pint


def test_amounts_in_g_and_mg_need_no_pint_and_warm_up_loads_it() -> None:
    """A claim check reads every amount and vial size without importing pint (start-up);
    warm_up then loads it, in a fresh interpreter, so no earlier test has done it already."""
    code = ("import sys; from ivigcalc.dose import units; "
            "assert units.parse_mass('27.3 g') == 27300; "
            "assert units.parse_vial_sizes('0.99 g, 500 mg') == (990, 500); "
            "assert 'pint' not in sys.modules, 'pint imported'; "
            "assert units._registry is None; "
            "units.warm_up(); "
            "assert 'pint' in sys.modules and units._registry is not None, 'not warmed up'; "
            "assert units.registry() is units._registry")
    subprocess.run([sys.executable, "-c", code], check=True)
