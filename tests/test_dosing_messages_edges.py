"""What dosing says, word for word: the reasons a pharmacist reads beside the dosing weight
and the rounding warnings (issue 16). Checked by hand: 64.5 in = 163.83 cm gives a man's
IBW of 60.35 kg; 80.6 kg there is BMI 30.03, 70 kg is BMI 26.08; 88 kg over a 73 kg IBW is
120.5%."""

from fractions import Fraction

import pytest

from ivigcalc.data.catalog import load
from ivigcalc.dose import dosing
from ivigcalc.errors import Refusal
from ivigcalc.result import DosingWeight, Trail

POLICIES = load().catalog.policies
ONTARIO = POLICIES["ontario"]
HEIGHT = Fraction("163.83")
MAN_70_IN = Fraction("177.8")


def weigh(actual: str, height: Fraction | None, sex: str | None, basis: str,
          policy: str = "actual") -> tuple[DosingWeight, Trail]:
    trail = Trail()
    return dosing.dosing_weight(Fraction(actual), height, sex, basis, POLICIES[policy],
                                trail), trail


def steps(trail: Trail) -> dict[str, tuple[str, str]]:
    return {s.topic: (s.text, s.source) for s in trail.steps}


def test_ontario_over_bmi_30_in_words() -> None:
    result, trail = weigh("80.6", HEIGHT, "male", "policy", "ontario")
    # 30.03…: shown with the digit that says why it is over 30 (not "≈30 > 30")
    why = f"per policy '{ONTARIO.name}': BMI ≈30.03 > 30, so the adjusted weight"
    assert (result.reason, result.policy) == (why, "ontario")
    assert steps(trail)["BMI"] == ("80.6 kg ÷ (≈1.638 m)² = ≈30.03 kg/m²", ONTARIO.source)
    assert steps(trail)["Dosing weight"] == (f"68.45 kg: {why}", ONTARIO.source)


def test_ontario_under_bmi_30_in_words() -> None:
    result, trail = weigh("70", HEIGHT, "male", "policy", "ontario")
    why = f"per policy '{ONTARIO.name}': BMI ≈26.1, not > 30, so the actual weight"
    assert (result.basis, result.reason) == ("actual", why)
    assert steps(trail)["BMI"][0] == "70 kg ÷ (≈1.638 m)² = ≈26.1 kg/m²"


def test_percent_of_ibw_in_words() -> None:
    result, _ = weigh("88", MAN_70_IN, "male", "policy", "over-120-percent-ibw")
    assert result.reason == ("per policy 'Adjusted weight when actual > 120% of IBW': actual "
                             "weight ≈120.5% of IBW > 120%, so the adjusted weight")


def test_a_chosen_basis_names_no_policy_and_no_source() -> None:
    result, trail = weigh("73", MAN_70_IN, "male", "ideal")  # IBW exactly the actual weight
    assert (result.basis, result.reason, result.policy) == ("ideal", "ideal weight, as chosen",
                                                            None)
    assert steps(trail)["Dosing weight"] == ("73 kg: ideal weight, as chosen", "")
    actual, trail = weigh("70", None, None, "actual")
    assert (actual.reason, actual.policy) == ("actual weight, as chosen", None)
    assert steps(trail)["Dosing weight"] == ("70 kg: actual weight, as chosen", "")


def test_an_actual_weight_policy_names_itself() -> None:
    result, trail = weigh("70", None, None, "policy", "actual")
    assert (result.reason, result.policy) == ("actual weight, per policy 'Actual body weight'",
                                              "actual")
    assert steps(trail)["Dosing weight"][1] == POLICIES["actual"].source


def test_ontario_under_its_minimum_height_in_words() -> None:
    result, trail = weigh("45", Fraction(150), "female", "policy", "ontario")
    why = f"per policy '{ONTARIO.name}': actual weight, height under 152.4 cm"
    assert (result.basis, result.reason, result.policy) == ("actual", why, "ontario")
    assert steps(trail)["Dosing weight"] == (f"45 kg: {why}", ONTARIO.source)


def test_short_patient_under_a_bmi_policy_without_a_minimum_height() -> None:
    policy = POLICIES["bmi-30"]
    assert policy.min_height_cm is None
    low, _ = weigh("50", Fraction(150), "male", "policy", "bmi-30")  # BMI 22.22…
    assert low.basis == "actual"
    assert low.reason == (f"per policy '{policy.name}': BMI ≈22.2, not ≥ 30, so the actual "
                          "weight")
    with pytest.raises(Refusal, match=r"^basis: the payer's policy 'Adjusted weight when BMI "
                       r"≥ 30' needs the ideal body weight, and the Devine formula has none "
                       r"under 152\.4 cm \(60 in\); the height is 150 cm\. "):
        weigh("90", Fraction(150), "male", "policy", "bmi-30")  # BMI 40


def rounding(ordered: Fraction, policy: str = "nearest-5g",
             cap: Fraction = Fraction(10)) -> tuple[dosing.Rounding, Trail]:
    trail = Trail()
    return dosing.round_dose(ordered, policy, (Fraction(10000),), trail, cap), trail


def test_nearest_5g_past_the_cap_is_refused_in_words() -> None:
    result, trail = rounding(Fraction(3000))
    assert (result.final_mg, result.applied) == (3000, False)
    assert [n.message for n in trail.notices] == [
        "Not rounded: the nearest 5 g is 5 g, +66.7% from the ordered 3 g, and a rounding "
        "may move a dose by at most 10%. The dose stays as ordered."]
    assert [s.text for s in trail.steps] == [
        "nearest-5g: 3 g → 5 g would move the dose more than 10%; not rounded"]


def test_nearest_5g_exactly_on_the_cap_rounds() -> None:
    result, trail = rounding(Fraction(50000, 11))  # 5 g is exactly +10%
    assert (result.final_mg, result.applied) == (5000, True)
    assert [s.text for s in trail.steps] == [
        "nearest-5g: ordered ≈4.545 g per day → 5 g (+10%; at most ±10%, ties down)"]
    over, _ = rounding(Fraction(50000, 11) - 1)
    assert over.applied is False


def test_a_site_cap_is_shown_to_its_decimal() -> None:
    result, trail = rounding(Fraction(27300), cap=Fraction(25, 2))
    assert result.final_mg == 25000
    assert [s.text for s in trail.steps] == [
        "nearest-5g: ordered 27.3 g per day → 25 g (−8.4%; at most ±12.5%, ties down)"]
    refused, trail = rounding(Fraction(3000), cap=Fraction(25, 2))
    assert refused.applied is False
    assert "may move a dose by at most 12.5%." in trail.notices[0].message
    vial, trail = rounding(Fraction(26000), "nearest-vial", Fraction(15, 2))
    assert (vial.final_mg, vial.applied) == (26000, False)  # 30 g would be +15.4%
    assert [n.message for n in trail.notices] == [
        "Not rounded: no whole-vial total from the vials in stock is within ±7.5% of the "
        "ordered 26 g. The dose stays as ordered."]
