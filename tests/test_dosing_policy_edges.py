"""Dosing-weight policies and rounding on their edges, in the words a pharmacist reads: a
short patient's BMI just under a threshold, a policy's own minimum height met exactly, the
digits a value needs beside its threshold, and rounding exactly on the cap (issue 16).

Checked by hand: at 150 cm (1.5 m, 2.25 m²) BMI 30 is 67.5 kg and 67.41 kg is BMI 29.96;
4 ft 11 in is 59 × 2.54 = 149.86 cm; 10 g is exactly +10% of 100/11 g.
"""

from fractions import Fraction

import pytest

from ivigcalc.data.catalog import Policy, load
from ivigcalc.dose import dosing
from ivigcalc.dose.units import parse_height
from ivigcalc.errors import InputError, Refusal
from ivigcalc.result import DosingWeight, Trail

POLICIES = load().catalog.policies
BMI_30 = POLICIES["bmi-30"]  # BMI ≥ 30, no minimum height
ONTARIO = POLICIES["ontario"]  # BMI > 30, from 152.4 cm


def weigh(actual: str, height: Fraction, sex: str, basis: str,
          policy: Policy = BMI_30) -> DosingWeight:
    return dosing.dosing_weight(Fraction(actual), height, sex, basis, policy, Trail())


def test_a_short_patients_bmi_just_under_the_threshold_says_so() -> None:
    # 29.96 to one decimal is "30": the reason shows the digits that tell it from 30.
    result = weigh("67.41", Fraction(150), "female", "policy")
    assert (result.kg, result.basis) == (Fraction("67.41"), "actual")
    assert result.reason == (f"per policy '{BMI_30.name}': BMI 29.96, not ≥ 30, so the "
                             "actual weight")
    assert result.bmi == Fraction("29.96")


def test_a_short_patient_exactly_on_an_inclusive_bmi_threshold_needs_a_weight() -> None:
    # BMI exactly 30 passes "≥ 30": the policy wants the adjusted weight, which needs a
    # Devine weight that 150 cm does not have.
    with pytest.raises(Refusal, match=r"^basis: the payer's policy 'Adjusted weight when BMI "
                       r"≥ 30' needs the ideal body weight, .*the height is 150 cm\. Ask the "
                       r"prescriber which weight to dose on, or choose Actual body weight to "
                       r"dose on 67\.5 kg\.$") as caught:
        weigh("67.5", Fraction(150), "female", "policy")
    assert caught.value.field == "basis"


SHORT_MINIMUM = ONTARIO._replace(min_height_cm=Fraction(150))


def test_a_short_patient_exactly_on_the_policys_own_minimum_height() -> None:
    # A site's policy may start below 152.4 cm. Exactly on its minimum the patient is tall
    # enough for the policy, and BMI 40 (90 kg at 150 cm) asks for the adjusted weight.
    with pytest.raises(Refusal, match=r"^basis: the payer's policy .* the height is 150 cm\. "):
        weigh("90", Fraction(150), "male", "policy", SHORT_MINIMUM)
    # Just under it (4 ft 11 in), the policy itself says: actual weight.
    under = weigh("90", parse_height("4 ft 11 in"), "male", "policy", SHORT_MINIMUM)
    assert (under.kg, under.basis, under.policy) == (90, "actual", "ontario")
    assert under.reason == f"per policy '{ONTARIO.name}': actual weight, height under 150 cm"


def test_a_policys_minimum_height_is_shown_as_set() -> None:
    # 58 in = 147.32 cm: the reason names the policy's minimum to its last digit.
    policy = ONTARIO._replace(min_height_cm=Fraction("147.32"))
    result = weigh("70", Fraction(147), "female", "policy", policy)
    assert result.reason == (f"per policy '{ONTARIO.name}': actual weight, height under "
                             "147.32 cm")


def test_the_ideal_basis_refusal_shows_the_height_to_a_tenth() -> None:
    with pytest.raises(Refusal, match=r"^basis: the ideal body weight needs the Devine ideal "
                       r"weight, which has no value under 152\.4 cm \(60 in\); the height is "
                       r"149\.9 cm\. "):
        weigh("70", parse_height("4 ft 11 in"), "female", "ideal")


@pytest.mark.parametrize(("value", "shown"), [
    (Fraction("29.96"), "29.96"),  # 0.1 would read 30
    (Fraction("30.034"), "≈30.03"),  # one more digit than 0.1, not two
    (Fraction("29.9996"), "29.9996"),  # four decimals: still tells it from 30
    (Fraction("30.00001"), "≈30"),  # never more than four
    (Fraction("30.5"), "30.5"),
])
def test_a_value_beside_its_threshold_gets_the_digits_that_tell(value: Fraction,
                                                               shown: str) -> None:
    assert dosing._beside(value, Fraction(30)) == shown


def test_a_bmi_with_four_decimals_in_the_reason() -> None:
    # 1.6383 m tall (64.5 in): 80.5198… kg is BMI 29.9996…; 80.5208 kg is 30.00003…
    height = Fraction("163.83")
    under = dosing.dosing_weight(Fraction("80.5198"), height, "male", "policy", ONTARIO,
                                 Trail())
    assert under.reason == (f"per policy '{ONTARIO.name}': BMI ≈29.9996, not > 30, so the "
                            "actual weight")


# --- rounding exactly on the cap -------------------------------------------------------


def test_nearest_vial_exactly_on_the_cap_rounds() -> None:
    trail = Trail()
    result = dosing.round_dose(Fraction(100000, 11), "nearest-vial", (Fraction(10000),), trail)
    assert (result.final_mg, result.applied) == (10000, True)
    assert result.percent_change == 10
    assert [s.text for s in trail.steps] == [
        "nearest-vial: ordered ≈9.091 g per day → 10 g (+10%; at most ±10%, ties down)"]
    assert trail.notices == []
    over = dosing.round_dose(Fraction(100000, 11) - 1, "nearest-vial", (Fraction(10000),),
                             Trail())
    assert (over.final_mg, over.applied) == (Fraction(100000, 11) - 1, False)


def test_a_site_cap_is_shown_as_it_is_set() -> None:
    cap = Fraction(29, 4)  # 7.25%
    trail = Trail()
    five = dosing.round_dose(Fraction(27300), "nearest-5g", (Fraction(10000),), trail, cap)
    assert (five.final_mg, five.applied) == (27300, False)  # 25 g would be −8.4%
    assert [n.message for n in trail.notices] == [
        "Not rounded: the nearest 5 g is 25 g, −8.4% from the ordered 27.3 g, and a rounding "
        "may move a dose by at most 7.25%. The dose stays as ordered."]
    trail = Trail()
    vial = dosing.round_dose(Fraction(27300), "nearest-vial", (Fraction(10000),), trail, cap)
    assert (vial.final_mg, vial.applied) == (27300, False)  # 30 g would be +9.9%
    assert [n.message for n in trail.notices] == [
        "Not rounded: no whole-vial total from the vials in stock is within ±7.25% of the "
        "ordered 27.3 g. The dose stays as ordered."]


def test_ontario_at_bmi_30_point_4_adjusts() -> None:
    # 160 cm (2.56 m²): 77.824 kg is BMI 30.4 exactly, between 30 and 31, over 30.
    # A man's IBW at 160 cm: 50 + 2.3 × (160 ÷ 2.54 − 60) = 50 + 2.3 × 760/254 kg.
    ibw = 50 + Fraction(23, 10) * Fraction(760, 254)
    result = weigh("77.824", Fraction(160), "male", "policy", ONTARIO)
    assert result.bmi == Fraction("30.4")
    assert (result.basis, result.kg) == ("adjusted",
                                         ibw + Fraction(4, 10) * (Fraction("77.824") - ibw))
    assert result.reason == (f"per policy '{ONTARIO.name}': BMI 30.4 > 30, so the adjusted "
                             "weight")


@pytest.mark.parametrize(("height", "sex", "message"), [
    (None, "male", "height: is needed for the 'adjusted' basis; accepts a height in cm, m, in "
                   "or ft, e.g. '170 cm' or '5 ft 7 in'"),
    (Fraction(170), None, "sex: is needed for the 'adjusted' basis (ideal body weight differs "
                          "by sex); accepts male or female"),
    (Fraction(170), "x", "sex: is needed for the 'adjusted' basis (ideal body weight differs "
                         "by sex); accepts male or female"),
])
def test_the_adjusted_basis_names_what_it_needs(height: Fraction | None, sex: str | None,
                                                message: str) -> None:
    with pytest.raises(InputError) as caught:
        dosing.dosing_weight(Fraction(80), height, sex, "adjusted", BMI_30, Trail())
    assert str(caught.value) == message
