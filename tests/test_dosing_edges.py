"""Dosing on its edges: a BMI just over a threshold, fractional inches, doses exactly on a
limit, rounding ties, and a refusal for every choice that is not one (issue 16).

64.5 in = 163.83 cm keeps the arithmetic checkable by hand: a man's IBW is
50 + 2.3 × 4.5 = 60.35 kg, a woman's 45.5 + 2.3 × 4.5 = 55.85 kg, and BMI 30 at that height
is 30 × 1.6383² = 80.52 kg (to the gram: 80.5208067 kg).
"""

from fractions import Fraction

import pytest

from ivigcalc.data.catalog import load
from ivigcalc.dose import dosing
from ivigcalc.dose.units import parse_height
from ivigcalc.errors import InputError, Refusal
from ivigcalc.result import DosingWeight, Trail

CATALOG = load().catalog
POLICIES = CATALOG.policies
LIMITS = CATALOG.limits["default"]
HEIGHT = Fraction("163.83")  # 64.5 in


def weigh(actual: str, height: Fraction | None, sex: str | None, basis: str,
          policy: str = "actual") -> tuple[DosingWeight, Trail]:
    trail = Trail()
    result = dosing.dosing_weight(Fraction(actual), height, sex, basis, POLICIES[policy], trail)
    return result, trail


def test_fractional_inches_typed_and_in_the_ideal_weight() -> None:
    assert parse_height("5 ft 4.5 in") == HEIGHT
    assert parse_height("64.5 in") == HEIGHT
    assert dosing.ideal_body_weight(HEIGHT, "male") == Fraction("60.35")
    assert dosing.ideal_body_weight(HEIGHT, "female") == Fraction("55.85")
    result, trail = weigh("70", HEIGHT, "female", "ideal")
    assert (result.kg, result.basis) == (Fraction("55.85"), "ideal")
    working = next(s.text for s in trail.steps if s.topic == "Ideal body weight")
    assert working == ("IBW = 45.5 kg + 2.3 kg × (64.5 in − 60 in) = 55.85 kg "
                       "(height ≈163.8 cm ÷ 2.54)")


def test_adjusted_weight_at_fractional_inches() -> None:
    result, trail = weigh("80.6", HEIGHT, "male", "adjusted")
    assert result.kg == Fraction("68.45")  # 60.35 + 0.4 × (80.6 − 60.35)
    assert any(s.text == "60.35 kg + 0.4 × (80.6 kg − 60.35 kg) = 68.45 kg"
               for s in trail.steps)


@pytest.mark.parametrize(("actual", "basis"), [
    ("80.5", "actual"),  # BMI 29.99
    ("80.52", "actual"),  # BMI 29.9997: still not over 30
    ("80.53", "adjusted"),  # BMI 30.0003
    ("80.6", "adjusted"),  # BMI 30.03
    ("81.9", "adjusted"),  # BMI 30.51: between 30 and 31, where floor division says 30
])
def test_ontario_adjusts_just_over_bmi_30(actual: str, basis: str) -> None:
    result, _ = weigh(actual, HEIGHT, "male", "policy", "ontario")
    assert result.basis == basis
    if basis == "adjusted":
        assert result.kg == Fraction("60.35") + Fraction(4, 10) * (Fraction(actual)
                                                                   - Fraction("60.35"))
        assert "so the adjusted weight" in result.reason
    else:
        assert result.kg == Fraction(actual)
        assert ", not > 30, so the actual weight" in result.reason


def test_bmi_is_exact_not_floored() -> None:
    assert dosing.body_mass_index(Fraction("81.9"), HEIGHT) > 30
    assert dosing.body_mass_index(Fraction("81.9"), HEIGHT) < 31
    assert dosing.body_mass_index(Fraction(64), Fraction(160)) == 25


def test_bmi_step_is_shown_for_a_bmi_policy() -> None:
    _, trail = weigh("80.6", HEIGHT, "male", "policy", "ontario")
    bmi = [s.text for s in trail.steps if s.topic == "BMI"]
    assert len(bmi) == 1
    assert bmi[0].startswith("80.6 kg ÷ (≈1.638 m)² = ")


def test_devine_starts_exactly_at_60_inches() -> None:
    result, trail = weigh("70", Fraction("152.4"), "male", "ideal")  # exactly 60 in: applies
    assert (result.basis, result.kg) == ("ideal", 50)
    assert not [n for n in trail.notices if n.level == "warning"]
    # Just under: no ideal weight, and no quiet fallback to the (larger) actual weight.
    with pytest.raises(Refusal, match=r"^basis: .*152\.3 cm"):
        weigh("70", Fraction("152.3"), "male", "ideal")


def test_ontario_on_its_minimum_height_adjusts() -> None:
    # 152.4 cm and 80 kg: BMI 34.4, tall enough (the minimum is inclusive), over 50 kg.
    result, _ = weigh("80", Fraction("152.4"), "male", "policy", "ontario")
    assert result.basis == "adjusted"
    assert result.kg == 50 + Fraction(4, 10) * 30


def test_ontario_weight_floor_for_men_is_50_kg() -> None:
    # 50 kg is not over the floor: actual weight, and the reason says the floor, not the BMI.
    result, _ = weigh("50", Fraction("152.4"), "male", "policy", "ontario")
    assert result.basis == "actual"
    assert "50 kg is not over 50 kg" in result.reason


def test_percent_of_ibw_just_over_120() -> None:
    # 60.35 kg × 120% = 72.42 kg.
    at, _ = weigh("72.42", HEIGHT, "male", "policy", "over-120-percent-ibw")
    over, _ = weigh("72.43", HEIGHT, "male", "policy", "over-120-percent-ibw")
    assert at.basis == "actual"
    assert "actual weight 120% of IBW, not > 120%" in at.reason
    assert over.basis == "adjusted"


# --- guards -----------------------------------------------------------------------------


def test_an_unknown_basis_is_refused() -> None:
    with pytest.raises(InputError, match=r"^basis: 'lean' is not a basis; accepts actual, "
                       r"ideal, adjusted, policy$"):
        weigh("70", HEIGHT, "male", "lean")


def test_an_unknown_sex_is_refused_for_an_ideal_basis() -> None:
    with pytest.raises(InputError, match=r"^sex: is needed for the 'ideal' basis"):
        weigh("70", HEIGHT, "other", "ideal")


def test_per_must_be_day_course_or_week() -> None:
    with pytest.raises(InputError, match=r"^per: 'month' is not accepted; accepts day, "
                       r"course or week$"):
        dosing.daily_dose(Fraction(400), Fraction(70), "month", 1, Trail())


def test_days_must_be_one_or_more() -> None:
    with pytest.raises(InputError, match=r"^days: '0' is not accepted; accepts a whole number "
                       r"of 1 or more$"):
        dosing.daily_dose(Fraction(400), Fraction(70), "day", 0, Trail())
    assert dosing.daily_dose(Fraction(2000), Fraction(70), "course", 1, Trail()) == 140000


def test_the_dose_working_per_day_and_per_course() -> None:
    trail = Trail()
    dosing.daily_dose(Fraction(400), Fraction(70), "day", 5, trail)
    dosing.daily_dose(Fraction(2000), Fraction(70), "course", 2, trail)
    assert [s.text for s in trail.steps] == [
        "0.4 g/kg × 70 kg = 28 g per day × 5 days = 140 g per course",
        "2 g/kg × 70 kg = 140 g per course ÷ 2 days = 70 g per day",
    ]


def test_an_unknown_rounding_is_refused() -> None:
    with pytest.raises(InputError, match=r"^round: 'nearest-10g' is not accepted; accepts "
                       r"none, nearest-vial, nearest-5g$"):
        dosing.round_dose(Fraction(27300), "nearest-10g", (Fraction(10000),), Trail())


@pytest.mark.parametrize(("ordered", "final"), [
    (32500, 30000),  # exactly halfway: ties go down
    (32501, 35000),
    (35000, 35000),  # already on 5 g
    (37499, 35000),
])
def test_nearest_5g_around_the_halfway_point(ordered: int, final: int) -> None:
    trail = Trail()
    result = dosing.round_dose(Fraction(ordered), "nearest-5g", (Fraction(10000),), trail)
    assert result.final_mg == final
    assert result.applied is (final != ordered)
    assert any(s.topic == "Rounding" for s in trail.steps)
    # Within the cap (at most 7.7% here): no "not rounded" warning; the change is in the step.
    assert not any("Not rounded" in n.message for n in trail.notices)


# --- limits: exactly on a limit is allowed; just past it is not ------------------------


def limit_check(actual: str, per_day_mg: str, days: int = 1) -> list[str]:
    trail = Trail()
    dosing.check_limits(LIMITS, Fraction(actual), Fraction(actual), Fraction(per_day_mg), days,
                        trail)
    return [n.message for n in trail.notices if n.level == "warning"]


def test_dose_exactly_on_the_hard_limit_warns_and_is_allowed() -> None:
    # 3 g/kg per day for 50 kg = 150 g: the soft limits (2 g/kg; 140 g per day) warn.
    warned = limit_check("50", "150000")
    assert any("3 g/kg per day is above the soft limit of 2 g/kg per day" in w for w in warned)
    assert any("150 g per day is above the soft limit of 140 g per day" in w for w in warned)
    with pytest.raises(Refusal, match=r"^dose: 3\.001 g/kg per day is above the hard limit of "
                       r"3 g/kg per day: was a dose in mg/kg entered as g/kg\?$"):
        limit_check("50", "150050")


def test_dose_exactly_on_the_soft_limit_is_quiet() -> None:
    assert limit_check("50", "100000") == []  # 2 g/kg, 100 g, 2 g/kg per course


def test_course_exactly_on_its_hard_limit() -> None:
    warned = limit_check("100", "100000", days=5)  # 1 g/kg × 5 = 5 g/kg per course
    assert any("5 g/kg per course is above the soft limit" in w for w in warned)
    with pytest.raises(Refusal, match=r"^dose: 5\.002 g/kg per course is above the hard "
                       r"limit of 5 g/kg per course"):
        limit_check("100", "100050", days=5)


def test_grams_per_day_exactly_on_its_hard_limit() -> None:
    limit_check("200", "400000")  # 2 g/kg, 400 g: allowed
    with pytest.raises(Refusal, match=r"^dose: 400\.001 g per day is above the hard limit of "
                       r"400 g per day"):
        limit_check("200", "400001")


def test_dose_exactly_on_the_hard_minimum() -> None:
    warned = limit_check("100", "1000")  # 0.01 g/kg: allowed, under the soft minimum 0.05
    assert any("0.01 g/kg per day is below the soft limit of 0.05 g/kg per day" in w
               for w in warned)
    with pytest.raises(Refusal, match=r"^dose: 0\.009 g/kg per day is below the hard limit of "
                       r"0\.01 g/kg per day"):
        limit_check("100", "900")


def test_weight_exactly_on_its_limits() -> None:
    assert any("350 kg is above the soft limit of 200 kg" in w
               for w in limit_check("350", "35000"))
    with pytest.raises(Refusal, match=r"^weight: 350\.1 kg is above the hard limit of 350 kg: "
                       r"was it weighed in lb, or typed in g\?$"):
        limit_check("350.1", "35000")
    assert any("0.5 kg is below the soft limit of 2 kg" in w for w in limit_check("0.5", "200"))
    with pytest.raises(Refusal, match=r"^weight: 0\.499 kg is below the hard limit of 0\.5 kg"):
        limit_check("0.499", "200")


@pytest.mark.parametrize("height", ["30", "250"])
def test_height_exactly_on_its_limits_is_allowed(height: str) -> None:
    trail = Trail()
    dosing.check_height(LIMITS, Fraction(height), trail)
    assert trail.notices == []


@pytest.mark.parametrize(("height", "says"), [
    ("250.1", r"^height: 250\.1 cm is above the hard limit of 250 cm: was it typed in mm, "
              r"or in inches as cm\?$"),
    ("29.9", r"^height: 29\.9 cm is below the hard limit of 30 cm"),
])
def test_height_past_its_limits_is_refused(height: str, says: str) -> None:
    with pytest.raises(Refusal, match=says):
        dosing.check_height(LIMITS, Fraction(height), Trail())


def test_tiny_values_keep_their_digits() -> None:
    with pytest.raises(Refusal, match=r"^dose: 0\.000004 g/kg per day is below"):
        limit_check("100", "0.4")


def test_a_course_over_days_that_do_not_divide_it_stays_exact() -> None:
    trail = Trail()
    per_day = dosing.daily_dose(Fraction(2000), Fraction(70), "course", 3, trail)
    assert per_day == Fraction(140000, 3)
    assert [s.text for s in trail.steps] == [
        "2 g/kg × 70 kg = 140 g per course ÷ 3 days = ≈46.667 g per day"]


def test_a_bmi_just_over_the_threshold_is_shown_with_the_digits_that_tell() -> None:
    from ivigcalc.dose.dosing import _beside

    assert _beside(Fraction(3003, 100), Fraction(30)) == "30.03"
    assert _beside(Fraction(29996, 1000), Fraction(30)) == "29.996"
    assert _beside(Fraction(3806, 100), Fraction(30)) == "≈38.1"
    assert _beside(Fraction(30), Fraction(30)) == "30"
