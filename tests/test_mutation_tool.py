"""The mutation tool itself (mutation/): its own operators make the mutants they should, and
a mutant declared equivalent in mutation/equivalent.toml must still be made and survive.

The operators run on small snippets, every mutant listed; the equivalence check runs
mutation/run.py's check_file against a pool that plays the tests (no fork, no pytest)."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cosmic_ray.mutating import mutate_code
from cosmic_ray.operators.operator import Operator

from mutation import operators as ops
from mutation.mutants import mutants
from mutation.run import MODULES, ROOT, Stale, Tally, check_file, equivalents, problems, selected


def every_mutant(operator: Operator, code: str) -> list[str]:
    """Each mutant the operator makes of `code`, in cosmic-ray's occurrence order."""
    out = []
    while (mutated := mutate_code(code, operator, len(out))) is not None:
        out.append(mutated)
    return out


# --- the operators, each on a snippet -------------------------------------------------------


def test_each_operand_of_and_or_is_dropped_in_turn() -> None:
    assert every_mutant(ops.DropBoolOperand(), "x = a and b or not c\n") == [
        "x = not c\n",  # the `or`'s operands first: `a and b` dropped
        "x = a and b\n",  # `not c` dropped
        "x = b or not c\n",  # then the `and`'s
        "x = a or not c\n",
    ]


def test_a_dropped_operand_takes_its_line_break_or_keeps_the_layout() -> None:
    code = ("jz = (waste < 1 and payer.jz(day)\n"
            "      and not packaged)\n"
            "if a and \\\n"
            "        b:\n"
            "    pass\n")
    assert every_mutant(ops.DropBoolOperand(), code) == [
        code.replace("waste < 1 and ", ""),
        code.replace(" and payer.jz(day)", ""),  # the next `and` keeps its line break
        code.replace("\n      and not packaged", ""),
        code.replace("if a and \\\n        b:", "if b:"),
        code.replace("if a and \\\n        b:", "if a:"),
    ]
    for mutant in every_mutant(ops.DropBoolOperand(), code):
        ast.parse(mutant)


def test_if_and_elif_conditions_become_true_then_false() -> None:
    code = "if a > 1:\n    x = 1\nelif b or c:\n    x = 2\nelse:\n    x = 3\n"
    assert every_mutant(ops.IfTrue(), code) == [
        "if True:\n    x = 1\nelif b or c:\n    x = 2\nelse:\n    x = 3\n",
        "if a > 1:\n    x = 1\nelif True:\n    x = 2\nelse:\n    x = 3\n",
    ]
    assert every_mutant(ops.IfFalse(), code) == [
        "if False:\n    x = 1\nelif b or c:\n    x = 2\nelse:\n    x = 3\n",
        "if a > 1:\n    x = 1\nelif False:\n    x = 2\nelse:\n    x = 3\n",
    ]


def test_a_conditional_expression_or_comprehension_is_not_an_if_statement() -> None:
    code = "x = [y for y in z if y] if a else b\n"
    assert every_mutant(ops.IfTrue(), code) == []
    assert every_mutant(ops.IfFalse(), code) == []


def test_each_return_becomes_pass() -> None:
    code = ("def f(a, b):\n"
            "    if a:\n"
            "        return\n"
            "    return a + b\n")
    assert every_mutant(ops.ReturnToPass(), code) == [
        code.replace("        return\n", "        pass\n"),
        code.replace("return a + b", "pass"),
    ]


def test_the_operators_examples_hold() -> None:
    """cosmic-ray's own convention: each operator documents its mutations as examples."""
    for name, operator in ops.EXTRA.items():
        for example in operator.examples():
            assert mutate_code(example.pre_mutation_code, operator(),
                               example.occurrence) == example.post_mutation_code, name


def test_the_new_operators_are_in_the_set_and_skip_type_hints(tmp_path: Path) -> None:
    source = tmp_path / "snippet.py"
    source.write_text("from __future__ import annotations\n\n\n"
                      "def f(a: int, b: int) -> int:\n"
                      "    if a and b:\n"
                      "        return a\n"
                      "    return b\n", encoding="utf-8")
    made = {(m.operator, m.before, m.after) for m in mutants("snippet", source, "snippet.py")
            if m.operator.startswith("ivigcalc/")}
    assert made == {
        ("ivigcalc/DropBoolOperand", "if a and b:", "if b:"),
        ("ivigcalc/DropBoolOperand", "if a and b:", "if a:"),
        ("ivigcalc/IfTrue", "if a and b:", "if True:"),
        ("ivigcalc/IfFalse", "if a and b:", "if False:"),
        ("ivigcalc/ReturnToPass", "return a", "pass"),
        ("ivigcalc/ReturnToPass", "return b", "pass"),
    }


def test_every_dropped_operand_of_the_unit_rules_compiles() -> None:
    """Its conditions run over lines in parentheses and after a backslash."""
    source = (ROOT / "ivigcalc/check/unit_rules.py").read_text(encoding="utf-8")
    made = every_mutant(ops.DropBoolOperand(), source)
    assert len(made) >= 20
    # jw-too-many's condition goes on after a backslash: its last operand dropped with it
    assert any("billed_waste > waste_units:\n" in mutant for mutant in made)
    for mutant in made:
        ast.parse(mutant)


# --- a declared-equivalent mutant must be made and survive ------------------------------------

SNIPPET = ("def f(a, b):\n"
           "    if a > b:\n"
           "        return a\n"
           "    return b\n")
TEST = "tests/test_snippet.py::test_f"


class PlayedPool:
    """mutation.children.Pool's interface, without forking: `kills` decides each outcome."""

    def __init__(self, trees: list[Path], log_dir: Path, kills: Callable[[str], bool]) -> None:
        self.free, self.log_dir, self.kills = list(trees), log_dir, kills
        self.running: dict[Path, Any] = {}
        self.cpu = 0.0

    def start(self, tree: Path, tests: list[str], cpu_limit: float, job: Any,
              trace: tuple[Path, Path] | None = None, budgets: Any = None) -> None:
        self.free.remove(tree)
        if trace is not None:  # the traced clean run: the test runs every line
            lines = range(1, len(SNIPPET.splitlines()) + 1)
            trace[1].write_text(json.dumps({"hits": {str(n): [TEST] for n in lines},
                                            "at_import": [], "durations": {TEST: 0.1}}))
            outcome = "passed"
        else:
            killed = self.kills((tree / "pkg" / "mod.py").read_text(encoding="utf-8"))
            outcome = "failed" if killed else "passed"
        (self.log_dir / f"{tree.name}.log").write_text(
            f"FAILED {TEST} - AssertionError\n" if outcome == "failed" else "1 passed\n")
        self.running[tree] = (job, outcome)

    def wait(self) -> Iterator[tuple[Path, Any, str]]:
        tree, (job, outcome) = next(iter(self.running.items()))
        del self.running[tree]
        self.free.append(tree)
        yield tree, job, outcome

    def stop(self) -> None:
        self.running.clear()


def audit(tmp_path: Path, listed: dict[tuple[str, str], str],
          kills: Callable[[str], bool]) -> Tally:
    tree = tmp_path / "tree-0"
    (tree / "pkg").mkdir(parents=True)
    (tree / "pkg" / "mod.py").write_text(SNIPPET, encoding="utf-8")
    pool = PlayedPool([tree], tmp_path, kills)
    return check_file("pkg/mod.py", [TEST], pool, [tree], listed, [],  # type: ignore[arg-type]
                      lambda line: None)


def test_a_declared_mutant_that_survives_is_equivalent(tmp_path: Path) -> None:
    tally = audit(tmp_path, {("return b", "pass"): "f's caller ignores it (made up)"},
                  kills=lambda source: "pass" not in source)
    assert [(m.before, m.after, why) for m, why in tally.equivalent] == [
        ("return b", "pass", "f's caller ignores it (made up)")]
    assert tally.stale == []
    assert problems({"pkg/mod.py": tally}, min_score=0) == []


def test_a_declared_mutant_now_killed_is_stale_and_fails_the_run(tmp_path: Path) -> None:
    tally = audit(tmp_path, {("return b", "pass"): "believed harmless"}, kills=lambda s: True)
    assert tally.equivalent == []
    assert tally.stale == [Stale("return b", "pass", f"killed by {TEST}")]
    assert ("return b", "pass") not in {(m.before, m.after) for m in tally.killed}
    assert problems({"pkg/mod.py": tally}, min_score=0) == [
        "pkg/mod.py: 1 stale declaration(s) in mutation/equivalent.toml"]


def test_a_declared_mutant_no_longer_made_is_stale(tmp_path: Path) -> None:
    tally = audit(tmp_path, {("return c", "pass"): "the line was rewritten since"},
                  kills=lambda s: True)
    assert tally.stale == [Stale("return c", "pass", "no longer made")]
    assert problems({"pkg/mod.py": tally}, min_score=0) != []


def test_undeclared_survivors_are_scored(tmp_path: Path) -> None:
    tally = audit(tmp_path, {}, kills=lambda source: "if False" not in source)
    assert [(m.before, m.after) for m in tally.survived] == [("if a > b:", "if False:")]
    assert problems({"pkg/mod.py": tally}, min_score=99) == ["pkg/mod.py: below 99%"]


# --- the declarations and the module list ---------------------------------------------------


def test_every_declaration_gives_a_reason_and_names_a_module_file() -> None:
    files = {path for path, _ in selected(list(MODULES))}
    for path, entries in equivalents().items():
        assert path in files
        assert all(reason.strip() for reason in entries.values())


def test_one_file_of_a_module_is_run_with_its_modules_tests() -> None:
    assert selected(["ivigcalc/check/unit_rules.py"]) == [
        ("ivigcalc/check/unit_rules.py", MODULES["check"][1])]
    assert [path for path, _ in selected(["check"])] == list(MODULES["check"][0])
    assert selected(["ivigcalc/nowhere.py"]) == []

