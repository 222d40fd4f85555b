"""Running tests against mutants: forked children of a warm parent, in copies of the tree.

The parent imports pytest, Hypothesis, pint and Qt once and never ivigcalc, so each child
imports the module under test afresh from its own copy of the repository (one per job, so
two mutants can run at once) and pays for its tests, not for a Python start-up. A traced
run of the unmutated module first records which tests execute each line, so a mutant runs
only the tests that reach it, fastest first.
"""

from __future__ import annotations

import ast
import compileall
import json
import math
import os
import py_compile
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PYTEST_ARGS = ("-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "--no-header",
               "--hypothesis-profile", "mutation",
               # pytest cannot rewrite asserts in the plugins preloaded before the fork: fine.
               "-W", "ignore::pytest.PytestAssertRewriteWarning")
TIMED_OUT = 87  # a child's exit status when a test overran its CPU budget
MEMORY = 8 * 2**30  # bytes of address space per child (Qt's libraries map about 1 GiB)
# Caches that would hide a test's use of a line from the trace (an earlier test filled them).
MEMOS = (("ivigcalc.check.facts", "_memos"),)


def copy_tree(root: Path, tree: Path) -> None:
    """The repository's files (committed or not, ignored ones left out) copied to `tree`."""
    if tree.exists():
        shutil.rmtree(tree)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=root, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = root / rel
        if src.is_file():
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, tree / rel)
    # The package's data from this copy too (installed, resources/ is ivigcalc.resources):
    # the working tree's may change under a long run.
    (tree / "ivigcalc" / "resources").symlink_to("../resources", target_is_directory=True)
    # Hash-checked byte code: a mutant is recompiled even when it keeps the file's size and
    # mtime second; every unchanged module loads from its .pyc.
    compileall.compile_dir(tree / "ivigcalc", quiet=1,
                           invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    _rewrite_tests_once(tree)


def _rewrite_tests_once(tree: Path) -> None:
    """Fill pytest's cache of assert-rewritten test modules in `tree`.

    Where PYTHONDONTWRITEBYTECODE is set, pytest rewrites every test module it collects in
    every child, about 40% of a child's CPU; it still reads a cache that exists. The tests
    never change during a run, so one collection here writes it (the package's own byte
    code is already there, hash-checked, and is not rewritten)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly",
                    "-p", "no:cacheprovider", "tests"], cwd=tree, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def preload() -> None:
    """Import the slow third-party packages once, before any fork (never ivigcalc itself)."""
    import hypothesis  # noqa: F401
    import pint  # noqa: F401
    import pytest  # noqa: F401
    import pytestqt.plugin  # noqa: F401
    from PySide6 import QtCore, QtGui, QtTest, QtWidgets  # noqa: F401

    assert not any(m == "ivigcalc" or m.startswith("ivigcalc.") for m in sys.modules)


def _clear_caches() -> None:
    """Empty ivigcalc's lru caches and memos (not the catalog's): each test traces afresh."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("ivigcalc.") or name == "ivigcalc.data.catalog":
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    for name, attr in MEMOS:
        if name in sys.modules:
            getattr(sys.modules[name], attr).clear()


def _trace_and_test(tree: Path, tests: list[str], target: Path, out: Path) -> int:
    """In a child: run the tests and write which lines of `target` each one executed."""
    import pytest

    filename = str(target)
    current: list[str | None] = [None]
    hits: dict[int, set[str]] = {}
    at_import: set[int] = set()
    durations: dict[str, float] = {}

    def local(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            test = current[0]
            if test is None:
                at_import.add(frame.f_lineno)
            else:
                hits.setdefault(frame.f_lineno, set()).add(test)
        return local

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename != filename:
            return None
        return local(frame, "line", arg)

    class Recorder:
        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> Any:
            _clear_caches()
            current[0] = item.nodeid
            start = time.perf_counter()
            try:
                return (yield)
            finally:
                durations[item.nodeid] = time.perf_counter() - start
                current[0] = None

    sys.settrace(tracer)
    try:
        code = int(pytest.main([*tests, *PYTEST_ARGS], plugins=[Recorder()]))
    finally:
        sys.settrace(None)
    out.write_text(json.dumps({"hits": {str(k): sorted(v) for k, v in hits.items()},
                               "at_import": sorted(at_import), "durations": durations}))
    return code


class _Budget:
    """Each test gets CPU seconds in proportion to its clean run; past them the mutant has
    made it loop or crawl, and the child ends at once as timed out (not the whole run's
    limit: one slow test would burn it all)."""

    def __init__(self, budgets: dict[str, float]) -> None:
        self.budgets = budgets
        signal.signal(signal.SIGPROF, lambda signum, frame: os._exit(TIMED_OUT))

    def pytest_runtest_call(self, item: Any) -> Any:
        budget = self.budgets.get(item.nodeid)
        if budget is not None:
            signal.setitimer(signal.ITIMER_PROF, budget)

    def pytest_runtest_teardown(self, item: Any) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0)


def _child(tree: Path, tests: list[str], log: Path, trace: tuple[Path, Path] | None,
           cpu_limit: float, budgets: dict[str, float] | None) -> None:
    """The forked child: pytest in `tree`, output to `log`; never returns."""
    code = 99
    try:
        os.setpgid(0, 0)
        # A mutant that loops or builds a huge table is stopped by its own CPU time (SIGXCPU),
        # whatever else the machine is doing, and cannot take the machine's memory.
        seconds = math.ceil(cpu_limit)
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.chdir(tree)
        sys.path.insert(0, str(tree))
        if trace is not None:
            code = _trace_and_test(tree, tests, *trace)
        else:
            import pytest

            code = int(pytest.main([*tests, *PYTEST_ARGS], plugins=[_Budget(budgets or {})]))
    except BaseException:  # the child must never return into the parent's loop
        import traceback

        traceback.print_exc()
    os._exit(code)


@dataclass
class Running:
    pid: int
    deadline: float
    job: Any


class Pool:
    """Up to len(trees) children at once, each in its own copy of the repository."""

    def __init__(self, trees: list[Path], log_dir: Path) -> None:
        self.free = list(trees)
        self.log_dir = log_dir
        self.running: dict[Path, Running] = {}
        self.cpu = 0.0  # CPU seconds of every child: the cost on an idle machine

    def start(self, tree: Path, tests: list[str], cpu_limit: float, job: Any,
              trace: tuple[Path, Path] | None = None,
              budgets: dict[str, float] | None = None) -> None:
        """Run `tests` in `tree`; past `cpu_limit` CPU seconds the mutant has timed out (a
        wall-clock limit of ten times that, for a machine busy with other work, backs it)."""
        self.free.remove(tree)
        log = self.log_dir / f"{tree.name}.log"
        pid = os.fork()
        if pid == 0:
            _child(tree, tests, log, trace, cpu_limit, budgets)
        self.running[tree] = Running(pid, time.monotonic() + 10 * cpu_limit + 60, job)

    def wait(self) -> Iterator[tuple[Path, Any, str]]:
        """(tree, job, 'passed' | 'failed' | 'timeout') for each child that has ended."""
        while True:
            for tree, run in list(self.running.items()):
                done, status, usage = os.wait4(run.pid, os.WNOHANG)
                if not done and time.monotonic() > run.deadline:
                    os.killpg(run.pid, signal.SIGKILL)
                    _, status, usage = os.wait4(run.pid, 0)
                    outcome = "timeout"
                elif not done:
                    continue
                else:
                    outcome = _outcome(status)
                self.cpu += usage.ru_utime + usage.ru_stime
                del self.running[tree]
                self.free.append(tree)
                yield tree, run.job, outcome
                return
            time.sleep(0.01)

    def stop(self) -> None:
        for run in self.running.values():
            os.killpg(run.pid, signal.SIGKILL)
            os.waitpid(run.pid, 0)
        self.running.clear()


def _outcome(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code in (TIMED_OUT, -signal.SIGXCPU, -signal.SIGKILL):
        return "timeout"
    return "passed" if code == 0 else "failed"


class Coverage:
    """Which tests execute a statement, from a traced run of the unmutated module."""

    def __init__(self, data: dict[str, Any], source: str, all_tests: list[str]) -> None:
        self.hits = {int(k): set(v) for k, v in data["hits"].items()}
        self.at_import = set(data["at_import"])
        self.durations: dict[str, float] = data["durations"]
        self.all_tests = all_tests
        self.statements = [(n.lineno, _header_end(n)) for n in ast.walk(ast.parse(source))
                           if isinstance(n, ast.stmt)]

    def tests_for(self, line: int) -> list[str]:
        """The tests that run the statement holding `line`, fastest first ([] = none)."""
        spans = [(a, b) for a, b in self.statements if a <= line <= b]
        low, high = min(spans, key=lambda s: s[1] - s[0]) if spans else (line, line)
        lines = range(low, high + 1)
        if any(n in self.at_import for n in lines):
            chosen = set(self.all_tests)  # module-level: every test depends on it
        else:
            chosen = set().union(*(self.hits.get(n, set()) for n in lines))
        return sorted(chosen, key=lambda t: (self.durations.get(t, 0.0), t))


def _header_end(node: ast.stmt) -> int:
    """The last line of a statement, or of its header for a compound one (if/for/def...)."""
    body = getattr(node, "body", None)
    if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
        return max(node.lineno, body[0].lineno - 1)
    return node.end_lineno or node.lineno
