"""Which vials to open: the least waste, then the fewest vials, then the larger sizes.

MACs expect the combination that covers the dose with the least waste (CGS: bill as if
from "the smallest vial available ... to minimize wastage"; Noridian: "excess wastage due
to non-optimal vial sizes will be denied"); domain reference §2.3.

Exact for any sizes (Cutaquig's 0.99 g included): sizes and dose are Fractions, scaled to
whole multiples of the sizes' greatest common step, and a dynamic programme over those
steps finds, for every total, the fewest vials reaching it exactly. The least-waste total
is the first reachable one at or above the dose; it is always below dose + smallest size,
because whole vials of the smallest size alone reach that far.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache

from ivigcalc.errors import InputError
from ivigcalc.result import VialPlan

MAX_STEPS = 2_000_000  # a table this long takes ~1 s; finer sizes are a typing slip

SOURCE = ("CGS and Noridian discarded-drug articles: least waste from the sizes available "
          "(domain reference §2.3)")


def _grid(sizes_mg: Sequence[Fraction]) -> tuple[Fraction, tuple[int, ...]]:
    """The common step (mg) and each size as a whole number of steps."""
    denominator = math.lcm(*(s.denominator for s in sizes_mg))
    whole = [int(s * denominator) for s in sizes_mg]
    step = math.gcd(*whole)
    return Fraction(step, denominator), tuple(w // step for w in whole)


def _fewest_vials(sizes: tuple[int, ...], length: int) -> list[int]:
    """fewest[t] = fewest vials totalling exactly t steps (-1: unreachable)."""
    fewest = [-1] * length
    fewest[0] = 0
    for total in range(1, length):
        best = -1
        for size in sizes:
            if size <= total:
                before = fewest[total - size]
                if before >= 0 and (best < 0 or before + 1 < best):
                    best = before + 1
        fewest[total] = best
    return fewest


def _table_length(dose_steps: int, sizes: tuple[int, ...], field: str) -> int:
    length = dose_steps + min(sizes)
    if length > MAX_STEPS:
        raise InputError(field, "these vial sizes have no common step coarse enough to plan "
                         "(e.g. 1 g and 0.001 g); check the sizes typed")
    return length


@lru_cache(maxsize=4096)
def plan_vials(dose_mg: Fraction, sizes_mg: tuple[Fraction, ...],
               field: str = "vials") -> VialPlan:
    """The vials for one day's dose: least waste, then fewest vials, then larger sizes."""
    if dose_mg <= 0 or not sizes_mg:
        raise ValueError("a plan needs a positive dose and at least one size")
    step, sizes = _grid(sizes_mg)
    order = sorted(range(len(sizes)), key=lambda i: sizes[i], reverse=True)
    dose_steps = math.ceil(dose_mg / step)
    fewest = _fewest_vials(sizes, _table_length(dose_steps, sizes, field))
    total = next(t for t in range(dose_steps, len(fewest)) if fewest[t] >= 0)
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


def nearest_reachable(target_mg: Fraction, sizes_mg: tuple[Fraction, ...],
                      tolerance: Fraction = Fraction(1, 10)) -> Fraction | None:
    """The whole-vial total nearest `target_mg` within ±tolerance (ties go down), or None."""
    step, sizes = _grid(sizes_mg)
    high = math.floor(target_mg * (1 + tolerance) / step)
    low = math.ceil(target_mg * (1 - tolerance) / step)
    if high < 1:
        return None
    fewest = _fewest_vials(sizes, _table_length(high, sizes, "vials"))
    candidates = [t * step for t in range(max(low, 1), high + 1) if fewest[t] >= 0]
    if not candidates:
        return None
    return min(candidates, key=lambda total: (abs(total - target_mg), total))
