"""What a history of CMS quarters costs a load: nine bundled quarters against one.

Run: python bench/bench_quarters.py. Each figure is one fresh interpreter that imports the
catalog, loads it and prices one date of service (the first use of the CMS data, which the
window makes after its first paint), counted in instructions by valgrind (steady on a
shared machine, where CPU time varies by 20%), less a bare interpreter's start-up. Without
valgrind: the median CPU time of several runs. "one quarter" is the same code with only
2026-Q1 bundled, so the ratio is what the other eight quarters cost; the issue asks for
at most 1.2x.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys

REPEATS = 9
SCRIPT = """
import datetime as dt, time
t = time.process_time()
from ivigcalc.data import catalog
if {one}:
    catalog._bundled_quarters = lambda: ("2026-Q1",)
loaded = catalog.load().catalog
cms = loaded.cms_on(dt.date({day}))
assert cms is not None and cms.payments["J1459"].limit
print(time.process_time() - t)
"""
BARE = "import datetime as dt, time\nprint(0.0)\n"


def instructions(code: str) -> int:
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    assert found is not None, done.stderr
    return int(found.group(1))


def cpu(code: str) -> float:
    return statistics.median(
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout) for _ in range(REPEATS))


def main() -> None:
    counted = shutil.which("valgrind") is not None
    measure = instructions if counted else cpu
    bare = measure(BARE) if counted else 0
    one = measure(SCRIPT.format(one=True, day="2026, 2, 2")) - bare
    unit, scale = ("M instructions", 1e-6) if counted else ("ms CPU", 1000)
    print(f"load + price one date, fresh process ({unit}, start-up excluded)")
    print(f"  {'one quarter bundled, a 2026-Q1 date':<46} {one * scale:9.1f}")
    for label, day in (("a 2026-Q1 date", "2026, 2, 2"), ("a 2025-Q2 date", "2025, 5, 12"),
                       ("a 2026-Q3 date (after the newest)", "2026, 8, 3")):
        nine = measure(SCRIPT.format(one=False, day=day)) - bare
        print(f"  {'nine quarters bundled, ' + label:<46} {nine * scale:9.1f}  "
              f"{nine / one:.3f}x")


if __name__ == "__main__":
    main()
