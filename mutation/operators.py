"""Mutation operators the money and dose code needs beyond cosmic-ray's classic set.

cosmic-ray swaps operators, comparisons, numbers, booleans and break/continue; it never
turns a rounding the other way or drops a guard, and those are the slips that cost money
here (ceil → floor under-bills a unit; a missing raise doses on the wrong weight).
"""

from __future__ import annotations

from typing import Any

from cosmic_ray.operators.operator import Example, Operator
from parso.python.tree import Keyword, Name


class SwapCeilFloor(Operator):
    """`math.ceil` ↔ `math.floor`: rounds a billing or vial amount the wrong way."""

    def mutation_positions(self, node: Any) -> Any:
        if (isinstance(node, Name) and node.value in ("ceil", "floor")
                and node.parent is not None and node.parent.type == "trailer"):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        node.value = "floor" if node.value == "ceil" else "ceil"
        return node

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("math.ceil(x)", "math.floor(x)"),
                Example("math.floor(x)", "math.ceil(x)"))


class DeleteRaise(Operator):
    """`raise E(...)` → `pass; E(...)`: the guard's exception is built and never raised."""

    def mutation_positions(self, node: Any) -> Any:
        if isinstance(node, Keyword) and node.value == "raise":
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        node.value = "pass;"
        return node

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("raise ValueError('x')", "pass; ValueError('x')"),)


EXTRA = {"ivigcalc/SwapCeilFloor": SwapCeilFloor, "ivigcalc/DeleteRaise": DeleteRaise}
