"""Dose limits on their edges: which g/kg limits a one-day order is checked against, the
weekly subcutaneous range, soft minimums exactly on the limit, and which of two limits is
the tighter (issue 16).

The default limits (resources/limits.toml): intravenous 0.01 (hard) and 0.05 (soft) to 2
(soft) and 3 (hard) g/kg per day, 2 (soft) and 5 (hard) g/kg per course; subcutaneous 0.01
(hard) to 0.4 (soft) and 1 (hard) g/kg per week. Every expected value below is that
arithmetic, done by hand.
"""

from fractions import Fraction

import pytest

from ivigcalc.billing.lines import administered_units
from ivigcalc.data.catalog import Limit, Limits, load
from ivigcalc.dose import dosing
from ivigcalc.dose.units import parse_dose, parse_weight
from ivigcalc.errors import Refusal
from ivigcalc.result import Trail

LIMITS = load().catalog.limits["default"]
SOFT = ": confirm with the prescriber."


def per_kg_check(limits: Limits, kind: str, g_per_kg_day: str, days: int,
                 per: str) -> list[str]:
    """The g/kg limits alone, as the calculation checks them: the warnings, in order."""
    trail = Trail()
    check = dosing.LimitCheck(limits, trail)
    check.dose_per_kg(kind, Fraction(g_per_kg_day), days, per)
    check.refuse()
    return [n.message for n in trail.notices]


def order_check(limits: Limits, kind: str, kg: str, per_day_mg: str, days: int) -> list[str]:
    trail = Trail()
    dosing.check_limits(limits, Fraction(kg), Fraction(kg), Fraction(per_day_mg), days, trail,
                        kind)
    return [n.message for n in trail.notices]


def day_and_course(day: Limit, course: Limit) -> Limits:
    return LIMITS._replace(g_per_kg_per_day=day, g_per_kg_per_course=course)


# --- a one-day course is that day: checked once, in the words of the order -------------


def test_a_one_day_order_per_day_under_the_default_limits() -> None:
    # The per-day limits (hard 3) are tighter than the per-course ones (hard 5): a one-day
    # order is checked per day however it was written, and per course only when so written.
    assert per_kg_check(LIMITS, "iv", "2.5", 1, "day") == [
        f"Dose 2.5 g/kg per day is above the soft limit of 2 g/kg per day{SOFT}"]
    assert per_kg_check(LIMITS, "iv", "2.5", 1, "course") == [
        f"Dose 2.5 g/kg per day is above the soft limit of 2 g/kg per day{SOFT}",
        f"Dose 2.5 g/kg per course is above the soft limit of 2 g/kg per course{SOFT}"]


def test_a_course_of_two_days_is_checked_per_day_and_per_course() -> None:
    # 1.5 g/kg a day for 2 days: quiet per day, 3 g/kg per course over the soft 2.
    assert per_kg_check(LIMITS, "iv", "1.5", 2, "day") == [
        f"Dose 3 g/kg per course is above the soft limit of 2 g/kg per course{SOFT}"]


EQUAL = Limit(soft_max=Fraction(2), hard_max=Fraction(3))


@pytest.mark.parametrize(("per", "words"), [("day", "g/kg per day"),
                                             ("course", "g/kg per course")])
def test_equal_limits_check_a_one_day_order_once_in_its_own_words(per: str,
                                                                   words: str) -> None:
    limits = day_and_course(EQUAL, EQUAL)
    assert per_kg_check(limits, "iv", "2.5", 1, per) == [
        f"Dose 2.5 {words} is above the soft limit of 2 {words}{SOFT}"]


def test_equal_limits_check_a_longer_course_both_ways() -> None:
    # 2.5 g/kg a day for 2 days: the day warns (soft 2), the course of 5 g/kg is refused
    # (hard 3), whichever way the order was written.
    limits = day_and_course(EQUAL, EQUAL)
    for per in ("day", "course"):
        trail = Trail()
        check = dosing.LimitCheck(limits, trail)
        check.dose_per_kg("iv", Fraction(5, 2), 2, per)
        assert [n.message for n in trail.notices] == [
            f"Dose 2.5 g/kg per day is above the soft limit of 2 g/kg per day{SOFT}"]
        with pytest.raises(Refusal, match=r"^dose: 5 g/kg per course is above the hard limit "
                           r"of 3 g/kg per course: was a dose in mg/kg entered as g/kg\?$"):
            check.refuse()


def test_a_tighter_course_limit_applies_to_a_one_day_order_per_day() -> None:
    limits = day_and_course(Limit(soft_max=Fraction(3)), Limit(soft_max=Fraction(2)))
    assert per_kg_check(limits, "iv", "2.5", 1, "day") == [
        f"Dose 2.5 g/kg per course is above the soft limit of 2 g/kg per course{SOFT}"]
    assert per_kg_check(limits, "iv", "2.5", 1, "course") == [
        f"Dose 2.5 g/kg per course is above the soft limit of 2 g/kg per course{SOFT}"]


def test_a_tighter_minimum_counts_too() -> None:
    # Only the course has a minimum: a one-day order per day is checked against it as well.
    limits = day_and_course(Limit(), Limit(soft_min=Fraction(1, 10)))
    assert per_kg_check(limits, "iv", "0.05", 1, "day") == [
        f"Dose 0.05 g/kg per course is below the soft limit of 0.1 g/kg per course{SOFT}"]
    assert per_kg_check(limits, "iv", "0.1", 1, "day") == []  # exactly on it


@pytest.mark.parametrize(("limit", "than", "tighter"), [
    (Limit(), Limit(), False),
    (Limit(soft_max=Fraction(2)), Limit(soft_max=Fraction(2)), False),  # equal is not tighter
    (Limit(soft_max=Fraction(2)), Limit(soft_max=Fraction(3)), True),
    (Limit(soft_max=Fraction(3)), Limit(soft_max=Fraction(2)), False),
    (Limit(soft_max=Fraction(3)), Limit(), True),  # a bound the other lacks
    (Limit(), Limit(soft_max=Fraction(3)), False),
    (Limit(hard_max=Fraction(3)), Limit(hard_max=Fraction(5)), True),
    (Limit(hard_max=Fraction(5)), Limit(hard_max=Fraction(3)), False),
    (Limit(hard_min=Fraction(1)), Limit(hard_min=Fraction(1)), False),
    (Limit(hard_min=Fraction(2)), Limit(hard_min=Fraction(1)), True),
    (Limit(hard_min=Fraction(1)), Limit(hard_min=Fraction(2)), False),
    (Limit(soft_min=Fraction(1)), Limit(), True),
    (Limit(), Limit(soft_min=Fraction(1)), False),
    # Looser above but tighter below: tighter somewhere is enough.
    (Limit(soft_min=Fraction(2), soft_max=Fraction(9)),
     Limit(soft_min=Fraction(1), soft_max=Fraction(5)), True),
])
def test_which_limit_is_tighter(limit: Limit, than: Limit, tighter: bool) -> None:
    assert dosing._tighter(limit, than) is tighter


# --- subcutaneous: one week's infusion days against the weekly range ------------------


def test_subcutaneous_doses_are_checked_per_week() -> None:
    # 70 kg, 7 g a day = 0.1 g/kg a day: 5 days in a week are 0.5 g/kg, over the soft 0.4.
    assert order_check(LIMITS, "sc", "70", "7000", 5) == [
        f"Subcutaneous dose 0.5 g/kg per week is above the soft limit of 0.4 g/kg per week"
        f"{SOFT}"]
    # The same dose as an IV order is well inside the IV limits (0.1 a day, 0.5 a course).
    assert order_check(LIMITS, "iv", "70", "7000", 5) == []


def test_a_week_holds_at_most_seven_infusion_days() -> None:
    # 0.055 g/kg a day (3.85 g at 70 kg) for 10 days: any week holds 7 of them, 0.385 g/kg,
    # under the soft 0.4 (8 of them would be 0.44, over it).
    assert order_check(LIMITS, "sc", "70", "3850", 10) == []
    # 4 g a day for 7 days at 70 kg is exactly 0.4 g/kg a week: on the soft limit, quiet.
    assert order_check(LIMITS, "sc", "70", "4000", 7) == []
    assert order_check(LIMITS, "sc", "70", "4010", 7) == [
        f"Subcutaneous dose 0.401 g/kg per week is above the soft limit of 0.4 g/kg per week"
        f"{SOFT}"]


def test_subcutaneous_hard_limits_name_the_route_slip() -> None:
    # 1 g/kg in one week (70 g once) is on the hard limit: allowed, with the soft warning.
    assert order_check(LIMITS, "sc", "70", "70000", 1) == [
        f"Subcutaneous dose 1 g/kg per week is above the soft limit of 0.4 g/kg per week"
        f"{SOFT}"]
    # 0.2 g/kg a day for 7 days is 1.4 g/kg a week: an IV regimen on an SC product.
    with pytest.raises(Refusal, match=r"^dose: 1\.4 g/kg per week subcutaneously is above the "
                       r"hard limit of 1 g/kg per week: is this an intravenous regimen on a "
                       r"subcutaneous product\?$"):
        order_check(LIMITS, "sc", "70", "14000", 7)
    # 0.35 g once at 70 kg is 0.005 g/kg a week, under the hard minimum of 0.01.
    with pytest.raises(Refusal, match=r"^dose: 0\.005 g/kg per week subcutaneously is below "
                       r"the hard limit of 0\.01 g/kg per week: was a dose in g/kg entered "
                       r"as mg/kg\?$"):
        order_check(LIMITS, "sc", "70", "350", 1)


def test_limits_without_a_subcutaneous_range_check_sc_doses_as_iv() -> None:
    # 0.5 g/kg a day for 5 days (35 g a day at 70 kg): 2.5 g/kg a week would be refused
    # against the SC range (hard 1); without one, the IV course limit warns (soft 2).
    no_sc = LIMITS._replace(sc_g_per_kg_per_week=Limit())
    assert order_check(no_sc, "sc", "70", "35000", 5) == [
        f"Dose 2.5 g/kg per course is above the soft limit of 2 g/kg per course{SOFT}"]
    with pytest.raises(Refusal, match=r"^dose: 2\.5 g/kg per week subcutaneously is above"):
        order_check(LIMITS, "sc", "70", "35000", 5)


# --- exactly on a soft minimum, and the grams per day -----------------------------------


def test_dose_exactly_on_the_soft_minimum_is_quiet() -> None:
    assert order_check(LIMITS, "iv", "100", "5000", 1) == []  # 0.05 g/kg
    assert order_check(LIMITS, "iv", "100", "4900", 1) == [
        f"Dose 0.049 g/kg per day is below the soft limit of 0.05 g/kg per day{SOFT}"]


def test_grams_per_day_exactly_on_the_soft_limit_is_quiet() -> None:
    assert order_check(LIMITS, "iv", "100", "140000", 1) == [
        # 1.4 g/kg a day is inside its limits; 140 g is exactly the soft limit: quiet.
    ]
    assert order_check(LIMITS, "iv", "100", "141000", 1) == [
        f"Dose 141 g per day is above the soft limit of 140 g per day{SOFT}"]


def test_tiny_doses_keep_their_digits_and_a_hundredth_keeps_three() -> None:
    # Exactly 0.01 g/kg is shown as 0.01; under it, six places keep the digits that matter.
    assert order_check(LIMITS, "iv", "100", "1000", 1) == [
        f"Dose 0.01 g/kg per day is below the soft limit of 0.05 g/kg per day{SOFT}"]
    with pytest.raises(Refusal, match=r"^dose: 0\.009999 g/kg per day is below the hard limit"):
        order_check(LIMITS, "iv", "100", "999.9", 1)


# --- exact arithmetic on a billing-unit boundary ---------------------------------------


def test_point_seven_g_per_kg_for_30_kg_is_21_g_and_42_units() -> None:
    # 0.7 × 30 = 21 g exactly; in floating point 21.000000000000004 g, which a ceiling bills
    # as 43 units of 500 mg instead of 42.
    per_day = dosing.daily_dose(parse_dose("0.7 g/kg"), parse_weight("30 kg"), "day", 1,
                                Trail())
    assert per_day == 21000
    assert isinstance(per_day, Fraction)
    assert administered_units(per_day, Fraction(500)) == 42
    # 2 g/kg over 3 days for 31.5 kg: 21 g a day, exactly, from a course that divides.
    course = dosing.daily_dose(parse_dose("2 g/kg"), parse_weight("31.5 kg"), "course", 3,
                               Trail())
    assert course == 21000
    assert administered_units(course, Fraction(500)) == 42
    assert administered_units(course + Fraction(1, 1000), Fraction(500)) == 43


# --- a value just past a limit is shown with the digits that tell it from the limit ----


def test_just_over_a_soft_limit_never_reads_as_the_limit() -> None:
    # 200.04 g at 100 kg is 2.0004 g/kg: to three decimals "2", which is the limit itself.
    assert order_check(LIMITS, "iv", "100", "200040", 1) == [
        f"Dose 2.0004 g/kg per day is above the soft limit of 2 g/kg per day{SOFT}",
        f"Dose 200.04 g per day is above the soft limit of 140 g per day{SOFT}"]
    # 4.999 g at 100 kg is 0.04999 g/kg, just under the soft minimum of 0.05.
    assert order_check(LIMITS, "iv", "100", "4999", 1) == [
        f"Dose 0.04999 g/kg per day is below the soft limit of 0.05 g/kg per day{SOFT}"]
    # Three digits more at most: 2.0000001 g/kg is shown as 2 (the breach is still named).
    assert order_check(LIMITS, "iv", "100", "200000.01", 1)[0] == (
        f"Dose 2 g/kg per day is above the soft limit of 2 g/kg per day{SOFT}")


def test_just_over_a_hard_limit_never_reads_as_the_limit() -> None:
    with pytest.raises(Refusal, match=r"^dose: 3\.000004 g/kg per day is above the hard limit "
                       r"of 3 g/kg per day: "):
        order_check(LIMITS, "iv", "100", "300000.4", 1)
    with pytest.raises(Refusal, match=r"^weight: 350\.0001 kg is above the hard limit of "
                       r"350 kg"):
        order_check(LIMITS, "iv", "350.0001", "35000", 1)


def test_tiny_doses_are_shown_to_six_places() -> None:
    # 0.0101 g/kg (1.01 g at 100 kg) reads 0.01 at three places, far from the soft 0.05.
    assert order_check(LIMITS, "iv", "100", "1010", 1) == [
        f"Dose 0.01 g/kg per day is below the soft limit of 0.05 g/kg per day{SOFT}"]
    # A weight typed in g where kg was meant: 9.95 g is 0.00995 kg, six places, not "0.01".
    with pytest.raises(Refusal, match=r"^weight: 0\.00995 kg is below the hard limit of "
                       r"0\.5 kg: was it typed in g, or in the wrong field\?$"):
        order_check(LIMITS, "iv", "0.00995", "1", 1)
    # 12.345 mg at 100 kg: 0.00012345 g/kg, shown to six places.
    with pytest.raises(Refusal, match=r"^dose: 0\.000123 g/kg per day is below the hard limit "
                       r"of 0\.01 g/kg per day"):
        order_check(LIMITS, "iv", "100", "12.345", 1)
