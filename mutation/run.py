"""Mutation check of the money, dose and date code: `./dev mutate [MODULE ...]`.

Mutants come from cosmic-ray's classic operators plus ours (mutation/mutants.py,
mutation/operators.py) and run in copies of the repository under build/mutation, so the
working tree is never touched (mutation/children.py). Hypothesis runs under the
derandomized "mutation" profile (tests/conftest.py), so a run is repeatable. Mutants listed
in mutation/equivalent.toml cannot change behaviour and are left out of the score, but they
run too: a declaration whose mutant is no longer made, or is now killed, is stale. The
report (build/mutation/report.md) gives, per module, the mutants killed, survived and timed
out, the time taken, every survivor's diff and every stale declaration; the exit status is 1
when a module scores under --min-score or has a stale declaration.
"""

from __future__ import annotations

import argparse
import glob
import json
import signal
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mutation.children import Coverage, Pool, copy_tree, preload  # noqa: E402
from mutation.mutants import Mutant, mutants  # noqa: E402

HERE = ROOT / "mutation"
OUT = ROOT / "build" / "mutation"

# name: (its source files, the tests that guard them). Each file is mutated and scored on
# its own; a new module of money, dose or dates goes here with its tests.
MODULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "vials": (("ivigcalc/dose/vials.py",), ("tests/test_vials*.py",)),
    "units": (("ivigcalc/dose/units.py",), ("tests/test_units*.py",)),
    "dosing": (("ivigcalc/dose/dosing.py",), ("tests/test_dosing*.py",)),
    "infusion": (("ivigcalc/dose/infusion.py",), ("tests/test_infusion*.py",)),
    "lines": (("ivigcalc/billing/lines.py",), ("tests/test_billing*.py", "tests/test_340b.py")),
    "payment": (("ivigcalc/billing/payment.py",),
                ("tests/test_payment*.py", "tests/test_cms_calc.py",
                 "tests/test_batch_summary.py")),
    "check": (tuple(f"ivigcalc/check/{name}.py" for name in
                    ("rules", "line_rules", "unit_rules", "findings")),
              ("tests/test_claimcheck*.py",)),
    "cms": (tuple(f"ivigcalc/data/cms/{name}.py" for name in
                  ("importer", "kinds", "rows", "read", "model", "changes", "write")),
            ("tests/test_cms*.py",)),
}


@dataclass(frozen=True)
class Stale:
    """A declaration in equivalent.toml that no longer holds."""

    before: str
    after: str
    why: str  # "no longer made", "killed by tests/...", "timed out"


@dataclass
class Tally:
    killed: list[Mutant] = field(default_factory=list)
    survived: list[Mutant] = field(default_factory=list)
    uncovered: list[Mutant] = field(default_factory=list)  # survivors no test even runs
    timed_out: list[Mutant] = field(default_factory=list)
    equivalent: list[tuple[Mutant, str]] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)  # declared equivalent, and wrongly
    before: list[Mutant] = field(default_factory=list)  # killed without the --without tests
    seconds: float = 0.0  # wall clock, on a machine others may share
    cpu: float = 0.0  # CPU seconds of the test runs

    @property
    def scored(self) -> int:
        return (len(self.killed) + len(self.survived) + len(self.uncovered)
                + len(self.timed_out))

    @property
    def score(self) -> float:
        killed = len(self.killed) + len(self.timed_out)
        return 100.0 * killed / self.scored if self.scored else 100.0

    @property
    def score_before(self) -> float:
        return 100.0 * len(self.before) / self.scored if self.scored else 100.0


def equivalents() -> dict[str, dict[tuple[str, str], str]]:
    """equivalent.toml: per file, (line, mutant) -> why it cannot change behaviour."""
    data = tomllib.loads((HERE / "equivalent.toml").read_text(encoding="utf-8"))
    return {path: {(e["line"], e["mutant"]): e["reason"] for e in entries}
            for path, entries in data.items()}


@dataclass(frozen=True)
class Job:
    mutant: Mutant
    later: tuple[str, ...] = ()  # the --without tests, run only if the others let it live
    new_tests: bool = False  # running --without tests: a kill now was not one before
    declared: str | None = None  # equivalent.toml's reason: the mutant must survive


def tests_all(coverage: Coverage) -> list[str]:
    return list(coverage.durations)


def check_file(path: str, tests: list[str], pool: Pool, trees: list[Path],
               listed: dict[tuple[str, str], str], without: list[str],
               say: Callable[[str], None]) -> Tally:
    """Every mutant of one file against the tests that reach it."""
    tally = Tally()
    start, cpu = time.monotonic(), pool.cpu
    traced = pool.log_dir / f"{Path(path).stem}.trace.json"
    pool.start(trees[0], tests, 900, None, trace=(trees[0] / path, traced))
    _, _, outcome = next(pool.wait())
    if outcome != "passed":
        raise SystemExit(f"mutate: {path}: the tests fail without any mutant; see "
                         f"{pool.log_dir / trees[0].name}.log")
    baseline = time.monotonic() - start
    original = (trees[0] / path).read_text(encoding="utf-8")
    coverage = Coverage(json.loads(traced.read_text()), original, tests)
    found = mutants(path, trees[0] / path, path)
    say(f"{path}: {len(found)} mutants (traced run of {len(tests)} test files: "
        f"{baseline:.0f} s)")
    pending = []
    for mutant in found:
        reason = listed.get((mutant.before, mutant.after))
        chosen = coverage.tests_for(mutant.line)
        if reason is not None and not chosen:
            tally.equivalent.append((mutant, reason))  # survives: nothing runs it
        elif reason is not None:  # run every test that reaches it: it must survive them all
            pending.append((chosen, Job(mutant, declared=reason)))
        elif not chosen:
            tally.uncovered.append(mutant)
        else:
            later = [t for t in chosen if any(fnmatch(t.split("::")[0], w) for w in without)]
            first = [t for t in chosen if t not in later]
            job = Job(mutant, tuple(later)) if first else Job(mutant, new_tests=True)
            pending.append((first or later, job))

    def budget(test: str) -> float:
        """CPU seconds for one test: generous, since the traced durations are wall time on a
        busy machine and a plain run is faster than a traced one."""
        return 2 + 3 * coverage.durations.get(test, 1.0)

    budgets = {t: budget(t) for t in tests_all(coverage)}

    def timeout(tests: list[str]) -> float:
        return 10 + sum(budgets.get(t, 5.0) for t in tests)
    made = {(m.before, m.after) for m in found}
    tally.stale = [Stale(*key, "no longer made") for key in listed if key not in made]

    def finished(tree: Path, job: Job, outcome: str) -> None:
        if outcome == "passed" and job.later:  # survived the old tests: now the new ones
            pool.start(tree, list(job.later), timeout(list(job.later)),
                       Job(job.mutant, new_tests=True), budgets=budgets)
            return
        (tree / path).write_text(original, encoding="utf-8")
        if job.declared is not None:
            if outcome == "passed":
                tally.equivalent.append((job.mutant, job.declared))
            else:
                log = pool.log_dir / f"{tree.name}.log"
                why = "timed out" if outcome == "timeout" else f"killed by {_failed(log)}"
                tally.stale.append(Stale(job.mutant.before, job.mutant.after, why))
                say(f"  stale equivalent: line {job.mutant.line}: {job.mutant.before}  ->  "
                    f"{job.mutant.after}: {why}")
            return
        if outcome != "passed" and not job.new_tests:
            tally.before.append(job.mutant)
        {"failed": tally.killed, "passed": tally.survived,
         "timeout": tally.timed_out}[outcome].append(job.mutant)
        done = len(tally.killed) + len(tally.survived) + len(tally.timed_out)
        if done % 25 == 0:
            say(f"  {done}/{len(pending)} run, {pool.cpu - cpu:.0f} s CPU so far")
        if outcome == "passed":
            say(f"  survived: line {job.mutant.line}: {job.mutant.before}  ->  "
                f"{job.mutant.after}")

    try:
        for chosen, job in pending:
            while not pool.free:
                finished(*next(pool.wait()))
            tree = pool.free[0]
            (tree / path).write_text(job.mutant.source, encoding="utf-8")
            pool.start(tree, chosen, timeout(chosen), job, budgets=budgets)
        while pool.running:
            finished(*next(pool.wait()))
    finally:
        pool.stop()
        for tree in trees:
            (tree / path).write_text(original, encoding="utf-8")
    tally.seconds = time.monotonic() - start
    tally.cpu = pool.cpu - cpu
    return tally


def _failed(log: Path) -> str:
    """The first failing test named in a child's pytest output ('a test' if none is)."""
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split()[1]
    return "a test"


def report(tallies: dict[str, Tally], jobs: int, without: list[str]) -> str:
    rows = ["# Mutation report", "",
            f"{jobs} job(s) at once. Score = (killed + timed out) / (mutants − equivalent); "
            "the equivalent mutants, each with its reason, are in mutation/equivalent.toml. "
            "CPU is the test runs' CPU time: what the run costs on an otherwise idle "
            "machine." + (f" Before = the same mutants against the tests without "
                          f"{', '.join(without)}." if without else ""), "",
            "| file | mutants | killed | survived | no test runs it | timed out | equivalent "
            "| stale | " + ("before | " if without else "") + "score | wall | CPU |",
            "| --- " + "| ---: " * (10 + bool(without)) + "|"]
    for path, t in tallies.items():
        rows.append(f"| {path} | {t.scored + len(t.equivalent)} | {len(t.killed)} | "
                    f"{len(t.survived)} | {len(t.uncovered)} | {len(t.timed_out)} | "
                    f"{len(t.equivalent)} | {len(t.stale)} | "
                    + (f"{t.score_before:.1f}% | " if without else "")
                    + f"{t.score:.1f}% | {t.seconds:.0f} s | {t.cpu:.0f} s |")
    total_wall = sum(t.seconds for t in tallies.values())
    total_cpu = sum(t.cpu for t in tallies.values())
    rows += ["", f"Total: {total_wall:.0f} s wall, {total_cpu:.0f} s CPU.", ""]
    for path, t in tallies.items():
        if not (t.survived or t.uncovered or t.timed_out or t.stale):
            continue
        rows += [f"## {path}: {len(t.survived) + len(t.uncovered)} survivors, "
                 f"{len(t.stale)} stale declarations", ""]
        for label, group in (("survived", t.survived), ("no test runs it", t.uncovered)):
            for m in group:
                rows += [f"{label}: {m.operator} #{m.occurrence}, line {m.line}", "",
                         "```diff", m.diff, "```", ""]
        if t.timed_out:
            rows += ["Timed out (counted as killed): " + ", ".join(
                f"line {m.line} {m.operator}" for m in t.timed_out), ""]
        if t.stale:
            rows += ["Declared equivalent in mutation/equivalent.toml, but not (correct or "
                     "remove each; a killed one is a mutant a test tells apart):", ""]
            rows += [f"- `{s.before}` -> `{s.after}`: {s.why}" for s in t.stale] + [""]
    return "\n".join(rows)


def problems(tallies: dict[str, Tally], min_score: float) -> list[str]:
    """Why the run fails, one line a file: a score under min_score, a stale declaration."""
    out = []
    for path, t in tallies.items():
        if t.score < min_score:
            out.append(f"{path}: below {min_score:g}%")
        if t.stale:
            out.append(f"{path}: {len(t.stale)} stale declaration(s) in "
                       "mutation/equivalent.toml")
    return out


def selected(names: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(file, its module's test globs) for each name: a module's files, or one file."""
    out = []
    for name in names:
        for module, (files, patterns) in MODULES.items():
            out += [(path, patterns) for path in files if name in (module, path)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev mutate", description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE",
                        help=f"modules to check (default: all): {', '.join(MODULES)}; or one "
                             "file of a module (ivigcalc/check/unit_rules.py), with its tests")
    parser.add_argument("--jobs", type=int, default=2, help="mutants at once (default 2)")
    parser.add_argument("--min-score", type=float, default=90.0,
                        help="exit 1 when a file scores below this percentage (default 90)")
    parser.add_argument("--without", action="append", default=[], metavar="GLOB",
                        help="also score each file without these test files (e.g. "
                             "'tests/test_*_edges.py'), to show what they add")
    parser.add_argument("--report", type=Path, default=OUT / "report.md")
    parser.add_argument("--work", type=Path, default=OUT,
                        help="where the copies of the tree and the logs go (default "
                             "build/mutation; give each of two runs at once its own)")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if not selected([m])]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}; accepts {', '.join(MODULES)} "
                     "or a file of one of them")
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    listed = equivalents()
    trees = [args.work / f"tree-{n}" for n in range(max(1, args.jobs))]
    for tree in trees:
        copy_tree(ROOT, tree)
    preload()
    pool = Pool(list(trees), args.work)

    def say(line: str) -> None:
        print(f"mutate: {line}", flush=True)

    tallies: dict[str, Tally] = {}
    for path, patterns in selected(args.modules or list(MODULES)):
        tests = sorted({str(Path(p).relative_to(trees[0])) for pattern in patterns
                        for p in glob.glob(str(trees[0] / pattern))})
        tallies[path] = t = check_file(path, tests, pool, trees, listed.get(path, {}),
                                       args.without, say)
        before = f"{t.score_before:.1f}% before, " if args.without else ""
        say(f"{path}: {before}{t.score:.1f}% ({len(t.killed)} killed, "
            f"{len(t.survived)} survived, {len(t.uncovered)} not run by any test, "
            f"{len(t.timed_out)} timed out, {len(t.equivalent)} equivalent, "
            f"{len(t.stale)} stale) in "
            f"{t.seconds:.0f} s, {t.cpu:.0f} s CPU")
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report(tallies, len(trees), args.without) + "\n", encoding="utf-8")
    say(f"report written to {args.report}")
    failing = problems(tallies, args.min_score)
    for line in failing:
        say(line)
    return 1 if failing else 0


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    sys.exit(main())
