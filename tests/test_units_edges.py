"""The units boundary on its edges: every refusal by its whole message, fractional inches,
numbers at the edge of the pattern, and the bare-number default (issue 16)."""

from fractions import Fraction

import pint
import pytest

from ivigcalc.dose.units import (
    DOSE_ACCEPTS,
    HEIGHT_ACCEPTS,
    MASS_ACCEPTS,
    VIAL_ACCEPTS,
    WEIGHT_ACCEPTS,
    as_entered,
    parse_dose,
    parse_height,
    parse_mass,
    parse_vial_sizes,
    parse_weight,
    registry,
)
from ivigcalc.errors import InputError

INCH = Fraction("2.54")


@pytest.mark.parametrize(("typed", "cm"), [
    ("5 ft 4.5 in", Fraction("64.5") * INCH),
    ("5' 4.5\"", Fraction("64.5") * INCH),
    ("5'4.5''", Fraction("64.5") * INCH),
    ("64.25 in", Fraction("64.25") * INCH),
    ("5.5 ft", Fraction(66) * INCH),
    ("0 ft 66 in", Fraction(66) * INCH),
    ("5 ft 0 in", Fraction(60) * INCH),
    ("0 ft 1 in", INCH),  # tiny, and refused later by the height limits, but not zero
    ("0 ft 0.5 in", INCH / 2),
    (".5 m", Fraction(50)),
])
def test_heights_in_fractional_inches_and_feet(typed: str, cm: Fraction) -> None:
    assert parse_height(typed) == cm


@pytest.mark.parametrize(("typed", "message"), [
    ("", f"weight: nothing entered; enter {WEIGHT_ACCEPTS}"),
    ("   ", f"weight: nothing entered; enter {WEIGHT_ACCEPTS}"),
    ("70,5 kg", "weight: '70,5 kg' has a comma; use a point for decimals and no thousands "
                f"separators (e.g. '70.5 kg'); accepts {WEIGHT_ACCEPTS}"),
    ("NaN kg", f"weight: 'NaN kg' is not a finite number; accepts {WEIGHT_ACCEPTS}"),
    ("infinity kg", f"weight: 'infinity kg' is not a finite number; accepts {WEIGHT_ACCEPTS}"),
    ("-70 kg", "weight: '-70 kg' is negative; it must be more than zero"),
    ("70 - 5 kg", "weight: '70 - 5 kg' looks like arithmetic; enter one number and a unit, "
                  f"{WEIGHT_ACCEPTS}"),
    ("(70) kg", "weight: '(70) kg' looks like arithmetic; enter one number and a unit, "
                f"{WEIGHT_ACCEPTS}"),
    ("0 kg", "weight: '0 kg' is zero; it must be more than zero"),
    ("5. kg", f"weight: could not read '5. kg'; accepts {WEIGHT_ACCEPTS}"),
    ("70", f"weight: '70' has no unit; accepts {WEIGHT_ACCEPTS}"),
    ("70 mg", f"weight: 'mg' is not an accepted unit here; accepts {WEIGHT_ACCEPTS}"),
])
def test_weight_refusals_in_full(typed: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_weight(typed)
    assert str(caught.value) == message


@pytest.mark.parametrize(("typed", "message"), [
    ("0 ft 0 in", "height: '0 ft 0 in' is zero; it must be more than zero"),
    ("170,5 cm", "height: '170,5 cm' has a comma; use a point for decimals and no thousands "
                 f"separators (e.g. '70.5 kg'); accepts {HEIGHT_ACCEPTS}"),
    ("170 kg", f"height: 'kg' is not an accepted unit here; accepts {HEIGHT_ACCEPTS}"),
    ("5 ft 7 cm", f"height: could not read '5 ft 7 cm'; accepts {HEIGHT_ACCEPTS}"),
])
def test_height_refusals_in_full(typed: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_height(typed)
    assert str(caught.value) == message


@pytest.mark.parametrize(("typed", "message"), [
    ("0.4 g/kg per day", f"dose: could not read '0.4 g/kg per day'; accepts {DOSE_ACCEPTS}"),
    ("0.4 g/kg/day", "dose: '0.4 g/kg/day': give the dose as g/kg or mg/kg and choose per day "
                     "or per course separately"),
    ("0.4", f"dose: '0.4' has no unit; accepts {DOSE_ACCEPTS}"),
    ("0.4 g", f"dose: 'g' is not an accepted unit here; accepts {DOSE_ACCEPTS}"),
    ("0 mg/kg", "dose: '0 mg/kg' is zero; it must be more than zero"),
    ("", f"dose: nothing entered; enter {DOSE_ACCEPTS}"),
])
def test_dose_refusals_in_full(typed: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_dose(typed)
    assert str(caught.value) == message


def test_dose_units_ignore_case_and_spaces() -> None:
    assert parse_dose("0.4 G / KG") == 400
    assert parse_dose("400 MG/kg") == 400
    assert parse_dose("0.4", default_unit="g/kg") == 400


@pytest.mark.parametrize(("typed", "message"), [
    ("10,5 g", "vials: '10' has no unit (commas separate sizes; use a point for decimals); "
               f"accepts {VIAL_ACCEPTS}"),
    ("10 g, 5", "vials: '5' has no unit (commas separate sizes; use a point for decimals); "
                f"accepts {VIAL_ACCEPTS}"),
    ("10", f"vials: '10' has no unit; accepts {VIAL_ACCEPTS}"),  # one size: no comma hint
    ("10 g,", f"vials: '10 g,' has an empty entry; accepts {VIAL_ACCEPTS}"),
    ("  ", f"vials: '  ' has an empty entry; accepts {VIAL_ACCEPTS}"),
    ("10 kg", f"vials: 'kg' is not an accepted unit here; accepts {VIAL_ACCEPTS}"),
])
def test_vial_refusals_in_full(typed: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_vial_sizes(typed)
    assert str(caught.value) == message


def test_vial_sizes_largest_first_without_repeats() -> None:
    assert parse_vial_sizes("500 mg, 1 g, 0.5 g") == (1000, 500)
    assert parse_vial_sizes("20 g") == (20000,)


def test_mass_in_mg_with_a_default_unit() -> None:
    assert parse_mass("27.3", default_unit="g") == 27300
    assert parse_mass("27300 mg") == 27300
    with pytest.raises(InputError) as caught:
        parse_mass("27.3")
    assert str(caught.value) == f"amount: '27.3' has no unit; accepts {MASS_ACCEPTS}"


def test_the_field_name_is_the_callers() -> None:
    with pytest.raises(InputError) as caught:
        parse_weight("70", field="actual weight")
    assert str(caught.value).startswith("actual weight: '70' has no unit")


@pytest.mark.parametrize(("typed", "unit", "shown"), [
    ("154", "lb", "154 lb"),
    ("  154 ", "lb", "154 lb"),
    ("154 kg", "lb", "154 kg"),  # the typed unit wins
    ("154", None, "154"),
    ("about 154", "lb", "about 154"),
])
def test_as_entered_adds_the_selectors_unit_to_a_bare_number(typed: str, unit: str | None,
                                                              shown: str) -> None:
    assert as_entered(typed, unit) == shown


def test_registry_refuses_units_it_does_not_define() -> None:
    with pytest.raises(pint.errors.UndefinedUnitError, match=r"'kilogauss' is not defined"):
        registry().Unit("kilogauss")
    assert registry().Quantity(Fraction(1), "in").to("cm").magnitude == INCH
