"""The vial plan: least waste, then fewest vials, then larger sizes; never beaten by brute force."""

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from ivigcalc.data.catalog import load
from ivigcalc.dose.vials import _table, least_waste_mg, nearest_reachable, plan_vials

G = 1000  # mg per g


def sizes_g(*grams: str) -> tuple[Fraction, ...]:
    return tuple(sorted((Fraction(g) * G for g in grams), reverse=True))


GAMUNEX = sizes_g("1", "2.5", "5", "10", "20", "40")
CUTAQUIG = sizes_g("0.99", "1.65", "1.98", "3.3", "3.96", "7.92")


def test_domain_example_from_ten_gram_vials_only() -> None:
    plan = plan_vials(Fraction(27300), sizes_g("10"))
    assert plan.vials == ((10000, 3),)
    assert plan.drawn_mg == 30000
    assert plan.wasted_mg == 2700


def test_domain_example_from_all_sizes_wastes_only_point_two_grams() -> None:
    plan = plan_vials(Fraction(27300), GAMUNEX)
    assert plan.drawn_mg == 27500  # 27.5 g, as 10+10+5+2.5 in the domain file...
    assert plan.vial_count == 3  # ...but 20+5+2.5 opens one vial fewer
    assert plan.vials == ((20000, 1), (5000, 1), (2500, 1))


def test_exact_dose_has_no_waste() -> None:
    plan = plan_vials(Fraction(21000), GAMUNEX)
    assert plan.wasted_mg == 0
    assert plan.vials == ((20000, 1), (1000, 1))


def test_ties_in_vial_count_prefer_larger_sizes() -> None:
    # 20 g from {10, 5}: 2×10 (2 vials) beats 4×5; from {10, 20}: 1×20.
    assert plan_vials(Fraction(20000), sizes_g("5", "10")).vials == ((10000, 2),)
    # 6 g from {1, 2, 3, 4}: two vials either 4+2 or 3+3; larger first gives 4+2.
    assert plan_vials(Fraction(6000), sizes_g("1", "2", "3", "4")).vials == ((4000, 1),
                                                                             (2000, 1))


def test_cutaquig_fractional_vials_are_exact() -> None:
    plan = plan_vials(Fraction(10000), CUTAQUIG)
    assert plan.drawn_mg == Fraction(10230)  # 31 × 330 mg: the first reachable total ≥ 10 g
    assert sum(size * n for size, n in plan.vials) == plan.drawn_mg


def test_800_gram_plan() -> None:
    assert plan_vials(Fraction(800000), GAMUNEX).vials == ((40000, 20),)
    cutaquig = plan_vials(Fraction(800000), CUTAQUIG)
    assert 0 <= cutaquig.wasted_mg < 990


def test_nearest_reachable_rounding() -> None:
    assert nearest_reachable(Fraction(27300), GAMUNEX) == 27500  # 0.2 g up beats 0.3 g down
    assert nearest_reachable(Fraction(27200), GAMUNEX) == 27000  # 0.2 g down beats 0.3 g up
    assert nearest_reachable(Fraction(27300), sizes_g("10")) == 30000  # +9.9%
    assert nearest_reachable(Fraction(3000), sizes_g("10")) is None
    # Tie: 25 g is 2.5 g from both 22.5 g... use {5}: 27.5 g is halfway between 25 and 30.
    assert nearest_reachable(Fraction(27500), sizes_g("5")) == 25000  # ties go down


def brute_force(dose: Fraction, sizes: tuple[Fraction, ...]) -> tuple[Fraction, int, tuple]:
    """Best (waste, vials, counts-largest-first) by trying every count up to the bound."""
    best = None
    bounds = [int(dose // s) + 1 for s in sizes]
    for counts in itertools.product(*(range(b + 1) for b in bounds)):
        total = sum(s * c for s, c in zip(sizes, counts, strict=True))
        if total < dose:
            continue
        key = (total - dose, sum(counts), tuple(-c for c in counts))
        if best is None or key < best:
            best = key
    assert best is not None
    return best


size_choices = st.lists(
    st.sampled_from([Fraction(x) for x in ("500", "990", "1000", "1650", "2000", "2500",
                                           "3300", "4000", "5000", "10000")]),
    min_size=1, max_size=4, unique=True,
).map(lambda xs: tuple(sorted(xs, reverse=True)))
doses = st.integers(min_value=1, max_value=12000).map(Fraction)


@settings(max_examples=150, deadline=None)
@given(dose=doses, sizes=size_choices)
def test_plan_is_never_beaten_by_brute_force(dose: Fraction, sizes: tuple) -> None:
    plan = plan_vials(dose, sizes)
    counts = dict(plan.vials)
    ours = (plan.wasted_mg, plan.vial_count, tuple(-counts.get(s, 0) for s in sizes))
    assert ours == brute_force(dose, sizes)


@settings(max_examples=300, deadline=None)
@given(dose=st.integers(min_value=1, max_value=400000).map(Fraction), sizes=size_choices)
def test_waste_is_less_than_the_smallest_stocked_vial(dose: Fraction, sizes: tuple) -> None:
    plan = plan_vials(dose, sizes)
    assert plan.drawn_mg >= dose
    assert 0 <= plan.wasted_mg < min(sizes)


def test_every_catalog_product_plans_a_typical_dose() -> None:
    for product in load().catalog.products.values():
        plan = plan_vials(Fraction(35000), product.vial_sizes_mg)
        assert plan.wasted_mg < min(product.vial_sizes_mg), product.key


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=800), min_size=2, max_size=6))
def test_a_shared_table_plans_as_a_fresh_one(doses_g_tenths: list[int]) -> None:
    """The fewest-vials table is kept per size set and grown; order of doses never matters."""
    doses = [Fraction(d * 100) for d in doses_g_tenths]
    plan_vials.cache_clear()
    shared = [plan_vials(d, CUTAQUIG) for d in doses]
    fresh = []
    for d in doses:
        plan_vials.cache_clear()
        _table.cache_clear()
        fresh.append(plan_vials(d, CUTAQUIG))
    assert shared == fresh


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=6000), st.sampled_from([GAMUNEX, CUTAQUIG]))
def test_least_waste_total_is_the_plans(dose_g_hundredths: int,
                                        sizes: tuple[Fraction, ...]) -> None:
    dose = Fraction(dose_g_hundredths * 10)
    assert least_waste_mg(dose, sizes) == plan_vials(dose, sizes).drawn_mg
