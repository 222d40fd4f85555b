"""The vial planner's rules as fixed examples, and its guards (issue 16).

The brute-force property in test_vials.py finds a planner that opens one vial too many
only now and then; these examples find it every time.
"""

from fractions import Fraction

import pytest

from ivigcalc.data import bounds
from ivigcalc.data.catalog import load
from ivigcalc.dose.vials import (
    _KEPT_STEPS,
    _ratios,
    _Table,
    _table,
    check_sizes,
    least_waste_mg,
    nearest_reachable,
    plan_vials,
)
from ivigcalc.errors import InputError


def grams(*values: str) -> tuple[Fraction, ...]:
    return tuple(sorted((Fraction(v) * 1000 for v in values), reverse=True))


def test_fewest_vials_for_the_least_waste() -> None:
    # 10.556 g from 2.5 / 2 / 0.5 g: the least waste is 11 g (0.444 g over), and 11 g takes
    # five vials at the fewest, 2 × 2.5 + 3 × 2 (4 × 2.5 + 2 × 0.5 is six).
    plan = plan_vials(Fraction(10556), grams("2.5", "2", "0.5"))
    assert plan.vials == ((2500, 2), (2000, 3))
    assert plan.vial_count == 5
    assert plan.drawn_mg == 11000


def test_larger_vials_first_among_plans_of_equal_count() -> None:
    # 6 g from 3 g and 2 g: two vials of 3 g, not three of 2 g.
    assert plan_vials(Fraction(6000), grams("3", "2")).vials == ((3000, 2),)
    # 12 g from 5 / 4 / 3 g: 5 + 4 + 3 and 4 + 4 + 4 both open three; the 5 g comes first.
    assert plan_vials(Fraction(12000), grams("5", "4", "3")).vials == (
        (5000, 1), (4000, 1), (3000, 1))
    # 15 g from 10 / 7 / 2.5 / 1 g: 10 + 2.5 + 2.5 and 7 + 7 + 1 both open three; the plan
    # with the most of the largest size wins, not the one with the most of the smallest.
    assert plan_vials(Fraction(15000), grams("10", "7", "2.5", "1")).vials == (
        (10000, 1), (2500, 2))
    # 8.5 g from 2.5 / 2 / 1 g: 3 × 2.5 + 1 and 2.5 + 3 × 2 both open four; as many of the
    # largest as a fewest-vials plan allows, each time a vial is chosen.
    assert plan_vials(Fraction(8500), grams("2.5", "2", "1")).vials == ((2500, 3), (1000, 1))
    # The order the sizes are given in does not matter.
    assert plan_vials(Fraction(12000), tuple(reversed(grams("5", "4", "3")))).vials == (
        (5000, 1), (4000, 1), (3000, 1))


@pytest.mark.parametrize(("dose_mg", "vials"), [
    (Fraction(10000), ((10000, 1),)),  # exactly one vial: nothing wasted
    (Fraction(100001, 10), ((10000, 1), (1000, 1))),  # 0.1 mg over: one more vial
    (Fraction(9999), ((10000, 1),)),
    (Fraction(1), ((1000, 1),)),
])
def test_dose_on_and_beside_a_vial_total(dose_mg: Fraction, vials: tuple) -> None:
    assert plan_vials(dose_mg, grams("10", "1")).vials == vials


def test_fractional_sizes_plan_on_their_common_step() -> None:
    # 2.5 mg steps: 7.5 mg is 5 + 2.5 exactly, and 7.6 mg needs the next step, 10 mg.
    sizes = (Fraction(5), Fraction(5, 2))
    assert plan_vials(Fraction(15, 2), sizes).vials == ((5, 1), (Fraction(5, 2), 1))
    assert plan_vials(Fraction(38, 5), sizes).vials == ((5, 2),)


@pytest.mark.parametrize("dose_mg", [Fraction(0), Fraction(-1)])
def test_a_plan_needs_a_positive_dose(dose_mg: Fraction) -> None:
    with pytest.raises(ValueError, match=r"^a plan needs a positive dose and at least one size$"):
        plan_vials(dose_mg, grams("10"))


def test_a_plan_needs_a_size() -> None:
    with pytest.raises(ValueError, match=r"^a plan needs a positive dose and at least one size$"):
        plan_vials(Fraction(1000), ())


def test_sizes_without_a_coarse_common_step_are_refused() -> None:
    # 1 g and 0.001 mg: a table of a billion steps.
    with pytest.raises(InputError, match=r"^vials: these sizes share a step of only "
                       r"0\.001 mg, too fine to plan quickly .*; check the sizes typed$"):
        plan_vials(Fraction(10_000), (Fraction(1000), Fraction(1, 1000)))


def test_a_plan_up_to_the_largest_day_and_no_further() -> None:
    # bounds.MAX_PLAN_MG (1,000 g) is planned; a milligram more is refused by name.
    forty = grams("40")
    assert plan_vials(bounds.MAX_PLAN_MG, forty).vials == ((40000, 25),)
    assert nearest_reachable(bounds.MAX_PLAN_MG, forty) == bounds.MAX_PLAN_MG
    with pytest.raises(InputError, match=r"^dose: 1,000\.001 g is more than the 1,000 g a day's "
                       r"vial plan covers; check the amount typed$"):
        plan_vials(bounds.MAX_PLAN_MG + 1, forty)
    with pytest.raises(InputError, match=r"^amount: 1,000\.001 g is more than"):
        plan_vials(bounds.MAX_PLAN_MG + 1, forty, amount_field="amount")
    with pytest.raises(InputError, match=r"^dose: 1,000\.001 g is more than"):
        nearest_reachable(bounds.MAX_PLAN_MG + 1, forty)


def test_nearest_reachable_looks_at_most_ten_percent_away() -> None:
    with pytest.raises(ValueError, match=r"^the cost bound covers a tolerance of at most 10%$"):
        nearest_reachable(Fraction(10000), grams("10"), Fraction(11, 100))
    assert nearest_reachable(Fraction(10000), grams("10"), Fraction(1, 10)) == 10000


def test_nearest_reachable_within_exactly_ten_percent() -> None:
    ten = grams("10")
    assert nearest_reachable(Fraction(100000, 11), ten) == 10000  # 10 g is exactly +10%
    assert nearest_reachable(Fraction(100000, 11) - 1, ten) is None  # just over +10%
    assert nearest_reachable(Fraction(100000, 9), ten) == 10000  # 10 g is exactly −10%
    assert nearest_reachable(Fraction(100000, 9) + 1, ten) is None  # just over −10%


def test_nearest_reachable_for_a_dose_far_under_the_smallest_vial() -> None:
    assert nearest_reachable(Fraction(1), grams("10")) is None
    assert nearest_reachable(Fraction(9000), grams("10")) is None  # 10 g would be +11.1%


def test_nearest_reachable_skips_totals_no_vials_make() -> None:
    # 10 g and 4 g share a 2 g step, but 6 g is not a whole-vial total: 6.2 g has none
    # within ±10% (5.58 to 6.82 g), while 8.1 g rounds to 4 + 4 g.
    assert nearest_reachable(Fraction(6200), grams("10", "4")) is None
    assert nearest_reachable(Fraction(8100), grams("10", "4")) == 8000


def test_a_size_the_product_does_not_come_in_is_refused() -> None:
    gamunex = load().catalog.products["gamunex-c"]
    check_sizes(gamunex.vial_sizes_mg, gamunex, "vials")  # its own sizes: no refusal
    with pytest.raises(InputError, match=r"^stocked: 3 g, 7 g is not a size of Gamunex-C "
                       r"\(sizes: 1 g, 2\.5 g, 5 g, 10 g, 20 g, 40 g\); a site catalog can "
                       r"add sizes$"):
        check_sizes((Fraction(3000), Fraction(10000), Fraction(7000)), gamunex, "stocked")


# --- least_waste_mg: the claim check's shortcut keeps the planner's guards --------------


@pytest.mark.parametrize("dose_mg", [Fraction(0), Fraction(-1), Fraction(-1, 2)])
def test_least_waste_needs_a_positive_dose(dose_mg: Fraction) -> None:
    with pytest.raises(ValueError, match=r"^a plan needs a positive dose and at least one size$"):
        least_waste_mg(dose_mg, grams("10", "1"))


def test_least_waste_needs_a_size() -> None:
    with pytest.raises(ValueError, match=r"^a plan needs a positive dose and at least one size$"):
        least_waste_mg(Fraction(1000), ())


@pytest.mark.parametrize(("dose_mg", "drawn_mg"), [
    (Fraction(1), Fraction(1000)),  # 1 mg still opens a whole 1 g vial
    (Fraction(1, 2), Fraction(1000)),
    (Fraction(10000), Fraction(10000)),  # on a vial total: nothing wasted
    (Fraction(10001), Fraction(11000)),
    (Fraction(10556), Fraction(11000)),
])
def test_least_waste_on_and_beside_a_vial_total(dose_mg: Fraction, drawn_mg: Fraction) -> None:
    assert least_waste_mg(dose_mg, grams("10", "1")) == drawn_mg


def test_least_waste_names_the_callers_fields() -> None:
    with pytest.raises(InputError, match=r"^billed: 1,000\.001 g is more than the 1,000 g"):
        least_waste_mg(bounds.MAX_PLAN_MG + 1, grams("40"), "stocked", "billed")
    with pytest.raises(InputError, match=r"^stocked: these sizes share a step of only "
                       r"0\.001 mg, too fine to plan quickly .*; check the sizes typed$"):
        least_waste_mg(Fraction(10_000), (Fraction(1000), Fraction(1, 1000)), "stocked",
                       "billed")


# --- the fewest-vials table: kept per set of sizes up to a bound ----------------------


def test_a_table_is_kept_up_to_its_bound_and_built_for_one_plan_past_it() -> None:
    """A batch plans thousands of doses from the same sizes, so each set of sizes keeps its
    table; one plan past _KEPT_STEPS entries builds its own, so no cached table grows without
    bound. 15 mg and 10 mg vials share a 5 mg step (sizes 3 and 2 steps): a dose of d steps
    needs a table of d + 2 entries."""
    sizes = (Fraction(15), Fraction(10))
    _table.cache_clear()
    plan_vials.cache_clear()
    kept = _table(_ratios(sizes))
    assert isinstance(kept, _Table)
    assert kept.fewest == [0]
    assert plan_vials(Fraction(100), sizes).vials == ((15, 6), (10, 1))  # 20 steps
    assert len(kept.fewest) == 22
    # 99,998 steps (499.99 g) + 2 = exactly _KEPT_STEPS: still kept.
    assert plan_vials(Fraction(499_990), sizes).vials == ((15, 33332), (10, 1))
    assert len(kept.fewest) == _KEPT_STEPS == 100_000
    # One step more (499.995 g = 33,333 × 15 mg): built for this plan only.
    assert plan_vials(Fraction(499_995), sizes).vials == ((15, 33333),)
    assert len(kept.fewest) == _KEPT_STEPS
    plan_vials.cache_clear()
    assert plan_vials(Fraction(100), sizes).vials == ((15, 6), (10, 1))  # from the kept table
