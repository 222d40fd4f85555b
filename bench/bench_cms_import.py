"""CMS import and catalog-load timings (issue 10's targets).

Run: python bench/bench_cms_import.py. Prints medians:
- importing one quarter's three files (2025-Q4, whole, from tests/fixtures/cms/): target
  at most 1 s;
- loading the bundled catalog with its NDC table, in fresh interpreters (what a cold start
  pays; interpreter start-up subtracted): target at most 15 ms. The window does not pay it
  before its first paint: the NDC table is read on first use (tests/gui/test_cms_results.py).
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUARTER = ROOT / "tests" / "fixtures" / "cms" / "2025-Q4"
REPEATS = 7

# In a fresh interpreter, after `from ivigcalc.data import catalog`: the load, then the NDC
# table (read on first use of .cms). CPU time beside wall time: on a shared machine the
# wall clock also counts other processes.
COLD = ("import time; from ivigcalc.data import catalog\n"
        "w, c = time.perf_counter(), time.process_time(); cat = catalog.load().catalog\n"
        "w1, c1 = time.perf_counter(), time.process_time(); n = len(cat.cms.ndcs)\n"
        "w2, c2 = time.perf_counter(), time.process_time()\n"
        "print(w1 - w, c1 - c, w2 - w1, c2 - c1, n)")


def cold() -> list[float]:
    """Medians of: load wall, load CPU, NDC table wall, NDC table CPU (seconds)."""
    runs = []
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout.split()
        runs.append([float(v) for v in out[:4]])
    return [statistics.median(run[i] for run in runs) for i in range(4)]


def main() -> int:
    from ivigcalc.data import catalog
    from ivigcalc.data.cms import importer

    current = catalog.load().catalog
    facts = importer.load_facts()
    files = sorted(QUARTER.glob("*.csv"))
    size = sum(p.stat().st_size for p in files)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        importer.import_files(files, current.codes, facts, dt.date(2026, 12, 1))
        times.append(time.perf_counter() - start)
    imported = statistics.median(times)
    load_wall, load_cpu, ndc_wall, ndc_cpu = cold()
    print(f"import one quarter (3 files, {size / 1e6:.1f} MB): {imported * 1000:.0f} ms "
          f"(target ≤ 1000 ms)")
    print(f"catalog load, cold: {load_wall * 1000:.1f} ms wall, {load_cpu * 1000:.1f} ms CPU")
    print(f"  + NDC table on first use: {ndc_wall * 1000:.1f} ms wall, {ndc_cpu * 1000:.1f} ms "
          f"CPU")
    total = load_cpu + ndc_cpu
    print(f"catalog with the NDC table: {total * 1000:.1f} ms CPU (target ≤ 15 ms); the window "
          "reads the NDC table after its first paint")
    return 0 if imported <= 1 and total <= 0.015 else 1


if __name__ == "__main__":
    sys.exit(main())
