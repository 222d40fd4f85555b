"""Dosing weight (Devine IBW, adjusted weight, policies), dose per day/course, rounding, limits.

Heights are chosen so the arithmetic can be checked by hand: 177.8 cm = 70 in exactly, so a
man's IBW is 50 + 2.3 × 10 = 73 kg; 162.56 cm = 64 in, so a woman's is 45.5 + 2.3 × 4 = 54.7 kg.
"""

from fractions import Fraction

import pytest

from ivigcalc.data.catalog import load
from ivigcalc.dose import dosing
from ivigcalc.errors import InputError, Refusal
from ivigcalc.result import Trail

CATALOG = load().catalog
POLICIES = CATALOG.policies
MAN_70_IN = Fraction("177.8")
WOMAN_64_IN = Fraction("162.56")


def weigh(actual: str, height: Fraction | None, sex: str | None, basis: str,
          policy: str = "actual"):
    trail = Trail()
    result = dosing.dosing_weight(Fraction(actual), height, sex, basis, POLICIES[policy], trail)
    return result, trail


def test_devine_ideal_body_weight() -> None:
    assert dosing.ideal_body_weight(MAN_70_IN, "male") == 73
    assert dosing.ideal_body_weight(WOMAN_64_IN, "female") == Fraction("54.7")
    assert dosing.ideal_body_weight(Fraction("152.4"), "male") == 50


def test_ideal_and_adjusted_bases() -> None:
    ideal, _ = weigh("120", MAN_70_IN, "male", "ideal")
    assert (ideal.kg, ideal.basis) == (73, "ideal")
    adjusted, trail = weigh("120", MAN_70_IN, "male", "adjusted")
    assert adjusted.kg == Fraction("91.8")  # 73 + 0.4 × (120 − 73)
    assert adjusted.basis == "adjusted"
    assert any("91.8 kg" in s.text for s in trail.steps)


def test_never_dose_above_actual_weight() -> None:
    for basis in ("ideal", "adjusted"):
        result, _ = weigh("60", MAN_70_IN, "male", basis)
        assert result.kg == 60
        assert result.basis == "actual"
        assert "never dose above actual" in result.reason


def test_short_patients_are_refused_not_dosed_on_the_actual_weight() -> None:
    # Under 152.4 cm there is no Devine weight; the actual weight is the largest dose, so
    # the pharmacist must choose it (or the prescriber's weight) on purpose.
    for basis in ("ideal", "adjusted"):
        with pytest.raises(Refusal, match=r"^basis: .*152\.4 cm.*150 cm.*Actual body weight "
                           r"to dose on 90 kg") as caught:
            weigh("90", Fraction(150), "female", basis)
        assert caught.value.field == "basis"


def test_ideal_basis_needs_height_and_sex() -> None:
    with pytest.raises(InputError, match=r"^height: is needed"):
        weigh("80", None, "male", "ideal")
    with pytest.raises(InputError, match=r"^sex: is needed"):
        weigh("80", MAN_70_IN, None, "adjusted")


@pytest.mark.parametrize(
    ("policy", "actual", "height", "sex", "expected_kg", "basis"),
    [
        ("ontario", "120", MAN_70_IN, "male", Fraction("91.8"), "adjusted"),  # BMI 38
        ("ontario", "80", MAN_70_IN, "male", Fraction(80), "actual"),  # BMI 25.3
        ("ontario", "45", Fraction(150), "female", Fraction(45), "actual"),  # under 152.4 cm
        # 88 / 73 = 120.5% > 120%: adjusted = 73 + 0.4 × 15 = 79 kg.
        ("over-120-percent-ibw", "88", MAN_70_IN, "male", Fraction(79), "adjusted"),
        ("over-120-percent-ibw", "87.6", MAN_70_IN, "male", Fraction("87.6"), "actual"),  # =120%
        ("over-120-percent-ibw", "100", MAN_70_IN, "male", Fraction("83.8"), "adjusted"),
        ("bmi-30", "40", Fraction(140), "male", Fraction(40), "actual"),  # BMI 20.4, 140 cm
        ("actual", "120", MAN_70_IN, "male", Fraction(120), "actual"),
    ],
)
def test_policies(policy: str, actual: str, height: Fraction, sex: str,
                  expected_kg: Fraction, basis: str) -> None:
    result, _ = weigh(actual, height, sex, "policy", policy)
    assert result.kg == expected_kg
    assert result.basis == basis
    assert POLICIES[policy].name in result.reason


def test_bmi_30_policy_is_inclusive_and_ontario_is_strict() -> None:
    # 1.6 m tall: BMI 30 exactly at 76.8 kg.
    height = Fraction(160)
    at_30, _ = weigh("76.8", height, "male", "policy", "bmi-30")
    assert at_30.basis == "adjusted"
    ontario, _ = weigh("76.8", height, "male", "policy", "ontario")
    assert ontario.basis == "actual"
    assert "BMI 30" in ontario.reason


def test_ontario_weight_floor_by_sex() -> None:
    # A 152.4 cm woman of 45.5 kg is not over 45.5 kg: actual weight whatever the BMI.
    result, _ = weigh("45.5", Fraction("152.4"), "female", "policy", "ontario")
    assert result.basis == "actual"
    assert "not over 45.5 kg" in result.reason


def test_dose_per_day_and_per_course() -> None:
    trail = Trail()
    assert dosing.daily_dose(Fraction(400), Fraction(70), "day", 5, trail) == 28000
    assert dosing.daily_dose(Fraction(2000), Fraction(50), "course", 2, trail) == 50000
    assert dosing.daily_dose(Fraction(2000), Fraction(70), "course", 3, trail) == \
        Fraction(140000, 3)


GAMUNEX = CATALOG.products["gamunex-c"].vial_sizes_mg


@pytest.mark.parametrize(
    ("policy", "ordered", "final", "applied"),
    [
        ("none", 27300, 27300, False),
        ("nearest-5g", 27300, 25000, True),
        ("nearest-5g", 27500, 25000, True),  # halfway: ties go down
        ("nearest-5g", 27600, 30000, True),
        ("nearest-5g", 2000, 2000, False),  # would round to 0 g: unchanged
        ("nearest-vial", 27300, 27500, True),
        ("nearest-vial", 27000, 27000, False),  # already whole vials
    ],
)
def test_rounding(policy: str, ordered: int, final: int, applied: bool) -> None:
    trail = Trail()
    result = dosing.round_dose(Fraction(ordered), policy, GAMUNEX, trail)
    assert result.final_mg == final
    assert result.applied is applied
    assert result.ordered_mg == ordered


def test_nearest_vial_outside_ten_percent_leaves_the_dose_and_says_so() -> None:
    trail = Trail()
    ten_only = (Fraction(10000),)
    result = dosing.round_dose(Fraction(26000), "nearest-vial", ten_only, trail)
    assert result.final_mg == 26000  # 30 g is +15%, 20 g is −23%
    assert any("within ±10%" in n.message for n in trail.notices)
    up = dosing.round_dose(Fraction(27300), "nearest-vial", ten_only, Trail())
    assert up.final_mg == 30000
    assert up.percent_change == Fraction(2700 * 100, 27300)


LIMITS = CATALOG.limits["default"]


def limit_check(actual: str, per_day_mg: int, days: int = 1, dosing_kg: str | None = None):
    trail = Trail()
    dosing.check_limits(LIMITS, Fraction(actual), Fraction(dosing_kg or actual),
                        Fraction(per_day_mg), days, trail)
    return [n.message for n in trail.notices if n.level == "warning"]


def test_limits_soft_warn_and_hard_refuse() -> None:
    assert limit_check("70", 28000) == []  # 0.4 g/kg
    assert any("g/kg per day" in w for w in limit_check("70", 175000))  # 2.5 g/kg: soft
    with pytest.raises(Refusal, match="hard limit of 3 g/kg per day"):
        limit_check("70", 245000)  # 3.5 g/kg
    with pytest.raises(Refusal, match=r"0\.0004 g/kg per day is below .*in g/kg entered as mg/kg"):
        limit_check("70", 28)  # 0.4 mg/kg typed where g/kg was meant
    warned = limit_check("70", 56000, days=5)  # 0.8 g/kg × 5 = 4 g/kg per course: soft
    assert any("g/kg per course" in w for w in warned)
    with pytest.raises(Refusal, match="g/kg per course"):
        limit_check("70", 84000, days=5)  # 1.2 × 5 = 6 g/kg
    assert any("kg is above the soft limit" in w for w in limit_check("250", 50000))
    with pytest.raises(Refusal, match=r"^weight: 400 kg is above the hard limit"):
        limit_check("400", 50000)
    with pytest.raises(Refusal, match="g per day"):
        limit_check("200", 401000, dosing_kg="200")
