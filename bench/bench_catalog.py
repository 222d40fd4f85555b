"""Catalog timings: what the declared validation (data/schema.py) costs a start and a load.

Run: python bench/bench_catalog.py. Prints medians of:
- importing ivigcalc.data.catalog in fresh interpreters (CPU time, steadier than the wall
  clock on a shared machine; interpreter start-up excluded);
- building every bundled row once (what a start pays, the TOML already parsed);
- load() again (bundled rows are built once per process and shared);
- load(site) with a small site catalog (read, checked and merged each time);
- the refusal of a hostile site catalog (300 vial sizes at 1 mg steps).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

COLD_REPEATS = 7
SITE = """[catalog]
name = "St Elsewhere"
[products.privigen]
vial_sizes_g = [10, 20]
[payers.bcbs-mi]
name = "BCBS Michigan"
jw = true
kx = false
dosing_policy = "bmi-30"
source = "Provider manual, IVIG policy, 2026"
checked = 2026-10-01
"""
HOSTILE = "[products.privigen]\nvial_sizes_g = [" + ", ".join(
    f"{10 + n / 1000:.3f}" for n in range(300)) + "]\n"


def cold_import() -> float:
    script = ("import time; t = time.process_time(); import ivigcalc.data.catalog; "
              "print(time.process_time() - t)")
    return statistics.median(
        float(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True).stdout) for _ in range(COLD_REPEATS))


def warm(func: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from ivigcalc.data import catalog
    from ivigcalc.errors import CatalogError

    catalog.load()

    def build_all() -> None:
        catalog._bundled_rows.cache_clear()
        catalog.load()

    def refuse(path: Path) -> None:
        try:
            catalog.load(path)
        except CatalogError:
            return
        raise AssertionError("the hostile catalog was accepted")

    with tempfile.TemporaryDirectory() as folder:
        site, hostile = Path(folder) / "site.toml", Path(folder) / "hostile.toml"
        site.write_text(SITE, encoding="utf-8")
        hostile.write_text(HOSTILE, encoding="utf-8")
        rows = [
            ("import ivigcalc.data.catalog (fresh process, CPU)", cold_import()),
            ("build every bundled row", warm(build_all, 30)),
            ("load() again", warm(catalog.load, 200)),
            ("load(site) with a 2-row site catalog", warm(lambda: catalog.load(site), 100)),
            ("refuse 300 sizes at 1 mg steps", warm(lambda: refuse(hostile), 30)),
        ]
    for label, seconds in rows:
        print(f"{label:<52} {seconds * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
