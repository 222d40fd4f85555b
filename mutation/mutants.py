"""The mutants of one module: cosmic-ray's classic operators plus ours, none in type hints."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutation.operators import EXTRA

# Each arithmetic operator to its inverse, each comparison to its boundary twin and its
# negation, booleans, numbers ±1, loops. cosmic-ray's full cross product (every operator to
# every other, ~13 per `+`) would triple the run with mutants any test kills at once.
BINARY = {"Add": ("Sub",), "Sub": ("Add",), "Mul": ("Div",), "Div": ("Mul", "FloorDiv"),
          "FloorDiv": ("Div",), "Mod": ("FloorDiv",), "Pow": ("Mul",),
          "BitAnd": ("BitOr",), "BitOr": ("BitAnd",)}
COMPARISON = {"Lt": ("LtE", "GtE"), "LtE": ("Lt", "Gt"), "Gt": ("GtE", "LtE"),
              "GtE": ("Gt", "Lt"), "Eq": ("NotEq",), "NotEq": ("Eq",), "Is": ("IsNot",),
              "IsNot": ("Is",)}
OTHERS = ("AddNot", "ReplaceTrueWithFalse", "ReplaceFalseWithTrue", "ReplaceAndWithOr",
          "ReplaceOrWithAnd", "ReplaceBreakWithContinue", "ReplaceContinueWithBreak",
          "NumberReplacer", "ZeroIterationForLoop", "ExceptionReplacer",
          "ReplaceUnaryOperator_USub_UAdd", "ReplaceUnaryOperator_Delete_Not",
          "ReplaceUnaryOperator_Delete_USub")


@dataclass(frozen=True)
class Mutant:
    module: str
    operator: str
    occurrence: int
    line: int  # the first changed line, from 1
    before: str  # the changed line(s), stripped, as equivalent.toml names them
    after: str
    source: str
    diff: str


def classic(name: str) -> bool:
    """Whether a cosmic-ray operator ('core/ReplaceBinaryOperator_Add_Sub') is in the set."""
    kind, _, rest = name.removeprefix("core/").partition("_")
    pair = tuple(rest.split("_"))
    if kind == "ReplaceBinaryOperator":
        return pair[1] in BINARY.get(pair[0], ())
    if kind == "ReplaceComparisonOperator":
        return pair[1] in COMPARISON.get(pair[0], ())
    return name.removeprefix("core/") in OTHERS


def operators() -> dict[str, Any]:
    import cosmic_ray.plugins

    found = {name: cosmic_ray.plugins.get_operator(name)
             for name in cosmic_ray.plugins.operator_names() if classic(name)}
    found.update(EXTRA)
    return found


def _annotations(tree: Any) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The (start, end) of every type hint in a parso tree: never evaluated here
    (`from __future__ import annotations`), so mutating them cannot change behaviour."""
    from cosmic_ray.ast import ast_nodes

    found = []
    for node in ast_nodes(tree):
        hint = None
        if node.type in ("param", "funcdef"):
            hint = node.annotation
        elif node.type == "annassign":
            hint = node.children[1]
        if hint is not None:
            found.append((hint.start_pos, hint.end_pos))
    return found


def mutants(name: str, path: Path, label: str) -> list[Mutant]:
    """Every mutant of one module, in a stable order (operator, then occurrence)."""
    from cosmic_ray.ast import ast_nodes, get_ast
    from cosmic_ray.mutating import mutate_code

    original = path.read_text(encoding="utf-8")
    old_lines = original.split("\n")
    hints = _annotations(get_ast(original))
    out = []
    for op_name, op_class in operators().items():
        operator = op_class()
        positions = [start for node in ast_nodes(get_ast(original))
                     for start, _ in operator.mutation_positions(node)]
        for occurrence, start in enumerate(positions):
            if any(low <= start < high for low, high in hints):
                continue
            try:
                source = mutate_code(original, operator, occurrence)
            except (AttributeError, AssertionError):
                continue  # cosmic-ray's ExceptionReplacer cannot rewrite a dotted name
            if source is None or source == original:
                continue
            new_lines = source.split("\n")
            matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
            _, a0, a1, b0, b1 = next(op for op in matcher.get_opcodes() if op[0] != "equal")
            before = " / ".join(s.strip() for s in old_lines[a0:a1])
            after = " / ".join(s.strip() for s in new_lines[b0:b1])
            diff = "\n".join(difflib.unified_diff(old_lines, new_lines, f"a/{label}",
                                                  f"b/{label}", n=1, lineterm=""))
            out.append(Mutant(name, op_name, occurrence, a0 + 1, before, after, source, diff))
    return out
