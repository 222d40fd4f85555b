"""What one vial plan may cost, decided before planning: one rule for the planner, the claim
check and `catalog check`, so a catalog that passes the check cannot make a keystroke slow.

The planner's dynamic programme fills one cell per (total step, size): its work is the
table's length (amount over the sizes' common step, plus the smallest size) times the
number of sizes. Real products need well under 1% of MAX_WORK (Cutaquig's 0.99 g family:
a 330 mg step, 6 sizes: 20,000 cells at MAX_PLAN_MG); a list of 300 sizes at 1 mg steps
would need 300 million.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

MAX_SIZES = 12  # distinct vial sizes in one plan (a product lists at most 6 today)
MAX_PLAN_MG = Fraction(1_000_000)  # 1,000 g a day: above every hard limit of grams_per_day
MAX_WORK = 1_500_000  # table cells; about 0.3 s of pure Python on a slow workstation
REACH = Fraction(11, 10)  # nearest-vial rounding looks up to 10% above the target


def grid(sizes_mg: Sequence[Fraction]) -> tuple[Fraction, tuple[int, ...]]:
    """The sizes' common step (mg) and each size as a whole number of steps."""
    denominator = math.lcm(*(s.denominator for s in sizes_mg))
    whole = [int(s * denominator) for s in sizes_mg]
    step = math.gcd(*whole)
    return Fraction(step, denominator), tuple(w // step for w in whole)


def plan_work(amount_mg: Fraction, sizes_mg: Sequence[Fraction]) -> int:
    """Table cells a plan (or a nearest-vial search) for `amount_mg` would fill."""
    step, sizes = grid(sizes_mg)
    return (math.ceil(amount_mg * REACH / step) + min(sizes)) * len(sizes)


def sizes_problem(sizes_mg: Sequence[Fraction]) -> str:
    """Why these sizes cannot be planned quickly at any amount up to MAX_PLAN_MG, or ''."""
    if len(sizes_mg) > MAX_SIZES:
        return f"{len(sizes_mg)} different sizes is more than the {MAX_SIZES} a plan takes"
    if plan_work(MAX_PLAN_MG, sizes_mg) > MAX_WORK:
        step, _ = grid(sizes_mg)
        return (f"these sizes share a step of only {_mg(step)}, too fine to plan quickly "
                f"(sizes on a step of {_mg(finest_step(len(sizes_mg)))} or coarser can be)")
    return ""


def finest_step(count: int) -> Fraction:
    """The finest common step `count` sizes may share and still plan within MAX_WORK."""
    return Fraction(math.ceil(MAX_PLAN_MG * REACH * count / MAX_WORK))


def _mg(value: Fraction) -> str:
    whole = value.numerator // value.denominator
    return f"{whole:,} mg" if value.denominator == 1 else f"{float(value):.4g} mg"
