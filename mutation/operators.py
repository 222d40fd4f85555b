"""Mutation operators the money and dose code needs beyond cosmic-ray's classic set.

cosmic-ray swaps operators, comparisons, numbers, booleans and break/continue; it never
turns a rounding the other way or drops a guard, and those are the slips that cost money
here (ceil → floor under-bills a unit; a missing raise doses on the wrong weight; a lost
`and not packaged` puts JZ on a packaged line). So: ceil ↔ floor, a raise not raised, one
operand of an `and`/`or` dropped, an `if` made constant (True and False), a `return` made
`pass`.
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


def _constant(value: str, near: Any) -> Keyword:
    """The keyword `value` where `near` stands, with its leading whitespace."""
    return Keyword(value, near.start_pos, prefix=near.get_first_leaf().prefix)


class DropBoolOperand(Operator):
    """`a and b` → `b`, and → `a` (one mutant per operand, `or` alike): a guard or a
    condition of the rule that no test needs. cosmic-ray only swaps `and` ↔ `or`, which a
    test passing through both sides at once cannot tell from the original either."""

    def mutation_positions(self, node: Any) -> Any:
        if node.type in ("and_test", "or_test"):
            for operand in node.children[::2]:
                yield (operand.start_pos, operand.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        children = list(node.children)
        # The operand and the `and`/`or` before it (after it, for the first operand).
        drop = slice(0, 2) if index == 0 else slice(2 * index - 1, 2 * index + 1)
        prefix = children[0].get_first_leaf().prefix
        del children[drop]
        children[0].get_first_leaf().prefix = prefix
        if len(children) == 1:
            children[0].parent = node.parent
            return children[0]
        node.children = children
        return node

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("x = a and b", "x = b"),
                Example("x = a and b", "x = a", occurrence=1),
                Example("x = a or b or c", "x = a or c", occurrence=1))


class _ConstantIf(Operator):
    """`if c:` / `elif c:` → `if VALUE:`: a branch taken always, or never."""

    value = ""

    def mutation_positions(self, node: Any) -> Any:
        if node.type == "if_stmt":
            for condition in _conditions(node):
                yield (condition.start_pos, condition.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        condition = _conditions(node)[index]
        constant = _constant(self.value, condition)
        constant.parent = node
        node.children[node.children.index(condition)] = constant
        return node


def _conditions(if_stmt: Any) -> list[Any]:
    """The conditions of an if_stmt: what follows each `if` and `elif`."""
    children = if_stmt.children
    return [children[n + 1] for n, child in enumerate(children)
            if isinstance(child, Keyword) and child.value in ("if", "elif")]


class IfTrue(_ConstantIf):
    """`if c:` → `if True:`: the branch runs whatever the condition (and no `elif` or
    `else` after it does)."""

    value = "True"

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("if a:\n    x()\nelif b:\n    y()\n",
                        "if True:\n    x()\nelif b:\n    y()\n"),
                Example("if a:\n    x()\nelif b:\n    y()\n",
                        "if a:\n    x()\nelif True:\n    y()\n", occurrence=1))


class IfFalse(_ConstantIf):
    """`if c:` → `if False:`: the branch never runs."""

    value = "False"

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("if a and b:\n    x()\n", "if False:\n    x()\n"),)


class ReturnToPass(Operator):
    """`return X` → `pass`: the function returns None there, or (a bare or an early
    `return`) goes on past it."""

    def mutation_positions(self, node: Any) -> Any:
        if node.type == "return_stmt" or (
                isinstance(node, Keyword) and node.value == "return"
                and node.parent.type != "return_stmt"):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        replaced = _constant("pass", node)
        replaced.parent = node.parent
        return replaced

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (Example("def f():\n    return 1\n", "def f():\n    pass\n"),
                Example("def f():\n    if a:\n        return\n    g()\n",
                        "def f():\n    if a:\n        pass\n    g()\n"))


EXTRA = {"ivigcalc/SwapCeilFloor": SwapCeilFloor, "ivigcalc/DeleteRaise": DeleteRaise,
         "ivigcalc/DropBoolOperand": DropBoolOperand, "ivigcalc/IfTrue": IfTrue,
         "ivigcalc/IfFalse": IfFalse, "ivigcalc/ReturnToPass": ReturnToPass}
