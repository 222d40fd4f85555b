"""Which vials to open: the least waste, then the fewest vials, then the larger sizes.

MACs expect the combination that covers the dose with the least waste (CGS: bill as if
from "the smallest vial available ... to minimize wastage"; Noridian: "excess wastage due
to non-optimal vial sizes will be denied").

Exact for any sizes (Cutaquig's 0.99 g included): sizes and dose are Fractions, scaled to
whole multiples of the sizes' greatest common step, and a dynamic programme over those
steps finds, for every total, the fewest vials reaching it exactly. The least-waste total
is the first reachable one at or above the dose; it is always below dose + smallest size,
because whole vials of the smallest size alone reach that far.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from ivigcalc import text
from ivigcalc.data import bounds
from ivigcalc.data.catalog import Product
from ivigcalc.errors import InputError
from ivigcalc.result import VialPlan


def check_sizes(sizes: Iterable[Fraction], product: Product, field: str) -> None:
    """Refuse a size the product does not come in (a typing slip, or a size a site catalog
    must add first): the plan, the waste and the units depend on the labeled sizes."""
    labeled = set(_ratios((*product.vial_sizes_mg, *product.labeled_sizes_mg)))
    unknown = [size for size in sizes if size.as_integer_ratio() not in labeled]
    if unknown:
        known = ", ".join(text.grams(s) for s in sorted(product.vial_sizes_mg))
        if product.labeled_sizes_mg:
            known += ("; labeled, without a CMS NDC: "
                      + ", ".join(text.grams(s) for s in sorted(product.labeled_sizes_mg)))
        raise InputError(field, f"{', '.join(text.grams(s) for s in unknown)} is not a size "
                         f"of {product.name} (sizes: {known}); a site catalog can add sizes")


def _ratios(sizes_mg: Iterable[Fraction]) -> tuple[tuple[int, int], ...]:
    """Each size as (numerator, denominator): equal exactly when the sizes are, and hashed
    and compared in C, where a Fraction's hash and == run Python (a modular inverse for the
    hash) on every row of a batch."""
    return tuple(size.as_integer_ratio() for size in sizes_mg)


_GROWING = threading.Lock()
_KEPT_STEPS = 100_000  # a longer table (fine sizes, a huge dose) is built for its plan only
SOURCE = ("CGS and Noridian discarded-drug articles: least waste from the sizes available "
          "(CGS; Noridian)")


def _extend(fewest: list[int], sizes: tuple[int, ...], length: int) -> list[int]:
    """Grow fewest[t] = fewest vials totalling exactly t steps (-1: unreachable) to `length`.

    Each entry depends only on the entries before it, so a table grown for a larger dose
    starts with exactly the table a smaller dose would build.
    """
    for total in range(len(fewest), length):
        best = -1
        for size in sizes:
            if size <= total:
                before = fewest[total - size]
                if before >= 0 and (best < 0 or before + 1 < best):
                    best = before + 1
        fewest.append(best)
    return fewest


def _fewest_vials(sizes: tuple[int, ...], length: int) -> list[int]:
    return _extend([0], sizes, length)


@dataclass
class _Table:
    """One set of sizes on their common step, with the fewest-vials table built so far."""

    step: Fraction
    sizes: tuple[int, ...]
    order: tuple[int, ...]  # indexes of the sizes, largest first
    fewest: list[int]

    def upto(self, length: int) -> list[int]:
        """The table at least `length` long (kept when small, built for one plan when not).

        Grown under a lock: two threads appending to one table would shift its entries.
        """
        if length > _KEPT_STEPS:
            return _extend(list(self.fewest), self.sizes, length)
        with _GROWING:
            return _extend(self.fewest, self.sizes, length)


@lru_cache(maxsize=64)
def _table(ratios: tuple[tuple[int, int], ...]) -> _Table | str:
    """Per set of sizes (as _ratios), once: a batch plans thousands of doses from the same
    few products.

    Sizes that cannot be planned quickly give bounds.sizes_problem's reason instead.
    """
    sizes_mg = tuple(Fraction(*ratio) for ratio in ratios)
    problem = bounds.sizes_problem(sizes_mg)
    if problem:
        return problem
    step, sizes = bounds.grid(sizes_mg)
    order = tuple(sorted(range(len(sizes)), key=lambda i: sizes[i], reverse=True))
    return _Table(step, sizes, order, [0])


def check_cost(amount_mg: Fraction, sizes_mg: tuple[Fraction, ...], amount_field: str,
               sizes_field: str) -> _Table:
    """Refuse, by name and before any work, a plan that would be slow (bounds.py says why);
    else the sizes' table.

    The amount is blamed when it is beyond any day's dose; the sizes when there are too
    many or their common step is too fine. `catalog check` applies the same bound.
    """
    if amount_mg > bounds.MAX_PLAN_MG:
        raise InputError(amount_field, f"{text.grams(amount_mg)} is more than the "
                         f"{text.grams(bounds.MAX_PLAN_MG)} a day's vial plan covers; check "
                         "the amount typed")
    # Sizes that pass sizes_problem plan within MAX_WORK at MAX_PLAN_MG, so at any smaller
    # amount too (the work grows with the amount): one answer per set of sizes is enough.
    table = _table(_ratios(sizes_mg))
    if isinstance(table, str):
        raise InputError(sizes_field, f"{table}; check the sizes typed")
    return table


@lru_cache(maxsize=4096)
def plan_vials(dose_mg: Fraction, sizes_mg: tuple[Fraction, ...], field: str = "vials",
               amount_field: str = "dose") -> VialPlan:
    """The vials for one day's dose: least waste, then fewest vials, then larger sizes."""
    if dose_mg <= 0 or not sizes_mg:
        raise ValueError("a plan needs a positive dose and at least one size")
    table = check_cost(dose_mg, sizes_mg, amount_field, field)
    total, fewest = _least_waste_steps(table, dose_mg)
    return _plan_of(table, total, fewest, dose_mg, sizes_mg)


def _plan_of(table: _Table, total: int, fewest: list[int], dose_mg: Fraction,
             sizes_mg: tuple[Fraction, ...]) -> VialPlan:
    """The fewest vials reaching `total` steps exactly, larger sizes first."""
    sizes, order = table.sizes, table.order
    counts = [0] * len(sizes)
    while total:
        # Taking the largest size that still lies on a fewest-vials path maximises the count
        # of the largest size, then the next: the deterministic "larger vials first" rule.
        for i in order:
            size = sizes[i]
            if size <= total and fewest[total - size] == fewest[total] - 1:
                counts[i] += 1
                total -= size
                break
    vials = tuple((sizes_mg[i], counts[i]) for i in order if counts[i])
    return VialPlan(dose_mg=dose_mg, vials=vials)


MAX_PREFERENCE_UNITS = 50  # a site's vial_preference_units: at most this many more units


@dataclass(frozen=True)
class Preferred:
    """The plan a site's preference chooses, and the other one the window shows.

    extra_units: how many more billing units `plan` discards than the least-waste plan
    (0 when it is that plan). `other`: the least-waste plan when `plan` is not it, else the
    fewest-vials plan within one largest vial above the least waste, if it opens fewer
    vials (with `other_extra_units`, what it would discard more); None: no other worth
    showing.
    """

    plan: VialPlan
    extra_units: int
    other: VialPlan | None
    other_extra_units: int


def plan_preferring(dose_mg: Fraction, sizes_mg: tuple[Fraction, ...], unit_mg: Fraction,
                    allowance_units: int) -> Preferred:
    """The plan with the fewest vials among those discarding at most `allowance_units`
    more billing units than the least-waste plan (0: the least-waste plan, today's rule),
    then the least waste; and the alternative the window shows beside it."""
    if not 0 <= allowance_units <= MAX_PREFERENCE_UNITS:
        raise InputError("vial_preference_units", f"'{allowance_units}' is not accepted; "
                         f"accepts a whole number from 0 to {MAX_PREFERENCE_UNITS}")
    least = plan_vials(dose_mg, sizes_mg)
    table = check_cost(dose_mg, sizes_mg, "dose", "vials")
    step = table.step
    best_total = least.drawn_mg / step
    assert best_total.denominator == 1
    low = int(best_total)
    given_units = math.ceil(dose_mg / unit_mg)  # billed as administered

    def wasted_units(total: int) -> int:
        return math.floor(total * step / unit_mg) - given_units

    floor_units = wasted_units(low)
    # Totals that waste at most `allowance` more units, and one largest vial above the least
    # waste for the alternative: both end before this many steps.
    limit_mg = (math.floor(low * step / unit_mg) + allowance_units + 1) * unit_mg
    high = max(math.ceil(limit_mg / step), low + max(table.sizes) + 1)
    fewest = table.upto(high + 1)
    reach = [t for t in range(low, high) if fewest[t] >= 0]
    allowed = [t for t in reach if wasted_units(t) <= floor_units + allowance_units]
    chosen = min(allowed, key=lambda t: (fewest[t], t)) if allowance_units else low
    plan = least if chosen == low else _plan_of(table, chosen, fewest, dose_mg, sizes_mg)
    if chosen != low:
        return Preferred(plan, wasted_units(chosen) - floor_units, least, 0)
    fewer = [t for t in reach if t <= low + max(table.sizes) and fewest[t] < fewest[low]]
    if not fewer:
        return Preferred(plan, 0, None, 0)
    other_total = min(fewer, key=lambda t: (fewest[t], t))
    other = _plan_of(table, other_total, fewest, dose_mg, sizes_mg)
    return Preferred(plan, 0, other, wasted_units(other_total) - floor_units)


def least_waste_mg(dose_mg: Fraction, sizes_mg: tuple[Fraction, ...], field: str = "vials",
                   amount_field: str = "dose") -> Fraction:
    """plan_vials(...).drawn_mg without choosing the vials: what the least-waste plan opens.

    A claim check compares every row's waste with the best plan's and needs the plan itself
    only to word a finding.
    """
    if dose_mg <= 0 or not sizes_mg:
        raise ValueError("a plan needs a positive dose and at least one size")
    table = check_cost(dose_mg, sizes_mg, amount_field, field)
    return _least_waste_steps(table, dose_mg)[0] * table.step


def _least_waste_steps(table: _Table, dose_mg: Fraction) -> tuple[int, list[int]]:
    """The first total (in steps) at or above the dose that whole vials reach exactly, and
    the fewest-vials table that reaches it."""
    step = table.step  # ceil(dose ÷ step) on integers: a Fraction division costs more
    dose_steps = -(-dose_mg.numerator * step.denominator // (dose_mg.denominator * step.numerator))
    length = dose_steps + min(table.sizes)
    fewest = table.upto(length)
    return next(t for t in range(dose_steps, length) if fewest[t] >= 0), fewest


def nearest_reachable(target_mg: Fraction, sizes_mg: tuple[Fraction, ...],
                      tolerance: Fraction = Fraction(1, 10),
                      amount_field: str = "dose") -> Fraction | None:
    """The whole-vial total nearest `target_mg` within ±tolerance (ties go down), or None."""
    if tolerance > bounds.REACH - 1:
        raise ValueError("the cost bound covers a tolerance of at most 10%")
    check_cost(target_mg, sizes_mg, amount_field, "vials")
    step, sizes = bounds.grid(sizes_mg)
    high = math.floor(target_mg * (1 + tolerance) / step)
    low = math.ceil(target_mg * (1 - tolerance) / step)
    if high < 1:
        return None
    fewest = _fewest_vials(sizes, high + min(sizes))
    candidates = [t * step for t in range(max(low, 1), high + 1) if fewest[t] >= 0]
    if not candidates:
        return None
    return min(candidates, key=lambda total: (abs(total - target_mg), total))
