"""Engine timings: registry load, one full calculation, the 800 g vial plan, the rate plan.

Run: python bench/bench_engine.py. Prints medians; targets are ≤ 1 ms per calculation once
loaded and ≤ 5 ms for the 800 g plan. Registry loads are measured in fresh interpreters
because the point is what a cold start pays.
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import time
from fractions import Fraction

COLD_REPEATS = 5

PINT_DEFAULT = "import pint; pint.UnitRegistry().Quantity(1, 'kg').to('g')"
PINT_OURS = "from ivigcalc.dose.units import warm_up; warm_up()"


def cold(code: str) -> float:
    """Median seconds for `code` in fresh interpreters (interpreter start-up subtracted)."""
    times = []
    for _ in range(COLD_REPEATS):
        script = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True).stdout
        times.append(float(out))
    return statistics.median(times)


def warm(func, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from ivigcalc.calc import CalcRequest, calculate
    from ivigcalc.data.catalog import load
    from ivigcalc.dose.vials import plan_vials

    print(f"pint default registry, cold:      {cold(PINT_DEFAULT) * 1000:8.1f} ms")
    print(f"ivigcalc trimmed registry, cold:  {cold(PINT_OURS) * 1000:8.1f} ms")
    start = time.perf_counter()
    catalog = load().catalog
    print(f"catalog load (7 TOML files):      {(time.perf_counter() - start) * 1000:8.1f} ms")

    request = CalcRequest(weight="78 kg", dose="350 mg/kg", product="gamunex-c",
                          date_of_service=dt.date(2026, 11, 28), height="5 ft 10 in",
                          sex="male", basis="policy", payer="commercial", days=2)
    calculate(request, catalog)  # warm the registry and caches
    uncached = plan_vials.__wrapped__  # measure the programme, not the lru_cache

    def full() -> None:
        plan_vials.cache_clear()
        calculate(request, catalog)

    print(f"full calculation, median:         {warm(full, 2000) * 1000:8.3f} ms  (target ≤ 1)")
    sizes = catalog.products["gamunex-c"].vial_sizes_mg
    cutaquig = catalog.products["cutaquig"].vial_sizes_mg
    dose = Fraction(800_000)
    print(f"800 g plan, Gamunex-C sizes:      {warm(lambda: uncached(dose, sizes), 50) * 1000:8.3f}"
          " ms  (target ≤ 5)")
    print(f"800 g plan, Cutaquig sizes:       "
          f"{warm(lambda: uncached(dose, cutaquig), 50) * 1000:8.3f} ms")

    from ivigcalc.data import rates
    from ivigcalc.dose.infusion import iv_plan

    start = time.perf_counter()
    book = rates.load.__wrapped__()  # read and check afresh, past the process cache
    print(f"rates.toml load and check:        {(time.perf_counter() - start) * 1000:8.1f} ms")
    bivigam = book.iv["bivigam"][0]  # the longest ladder: +0.8 every 20 min up to 6
    strength = catalog.products["bivigam"].concentration_mg_per_ml

    def rate_plan() -> None:
        iv_plan(bivigam, "t", book.titration, Fraction(70), strength, Fraction(1000), False)

    print(f"rate plan, Bivigam 1 L bag:       {warm(rate_plan, 2000) * 1000:8.3f} ms")


if __name__ == "__main__":
    main()
