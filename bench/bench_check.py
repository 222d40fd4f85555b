"""Rows per second of `ivigcalc check --csv` (targets: 30,000 in-process, 20,000 via the CLI).

Generates synthetic 10,000-row claims files in a temporary directory and times each:
  patients  a site's quarter: 400 patients, each with one product, payer, dose and vial
            choice, infusing on many days (inputs repeat, as real claims do);
  distinct  every row a new product/amount/vial choice: the caches never help (worst case).
In both, most billed lines are right, some are wrong (units, a dropped JW line, a repeated
line) and about 3% of rows cannot be read (bad date, vials, amount, line or payer).
Each file is timed in-process (catalog loaded once, CSV report written to a file) and
through the real command, `python -m ivigcalc check --csv FILE --output FILE`, start-up
included. The command starts as an installed one does, from compiled bytecode: a warm-up
run fills a bytecode cache in the temporary folder (PYTHONPYCACHEPREFIX), even where
PYTHONDONTWRITEBYTECODE is set, which would otherwise compile ~50 modules on every start.
Wall and CPU time are both printed: on a busy machine compare CPU.
Plain script, prints numbers: python bench/bench_check.py [ROWS]
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from ivigcalc.check import batch, facts
from ivigcalc.check.rules import CheckRequest, expected_only, read
from ivigcalc.data.catalog import Product, load
from ivigcalc.dose.vials import plan_vials
from ivigcalc.errors import IvigcalcError

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
TARGET = 30_000  # rows/s in-process (issue 14)
CLI_TARGET = 20_000  # rows/s through the command, start-up included
CATALOG = load().catalog
BAD_CELLS = {"date": "2026-02-30", "vials": "3 x", "administered": "27,3 g",
             "lines": "J1561 JA fifty-five", "payer": "acme"}


def grams(mg: Fraction) -> str:
    return f"{float(mg) / 1000:g} g"


def make_patient(rng: random.Random, products: list[Product]) -> dict[str, str]:
    """One patient's usual infusion: product, payer, amount and the vials opened for it."""
    product = rng.choice(products)
    payer = rng.choice(list(CATALOG.payers))
    administered = Fraction(rng.randrange(20, 600) * 100)  # 2 to 60 g in 0.1 g steps
    vials = plan_vials(administered, product.vial_sizes_mg).vials
    if rng.random() < 0.3:  # a wasteful choice: one more of the smallest size
        vials = (*vials, (min(product.vial_sizes_mg), 1))
    vials_text = " + ".join(f"{n} x {grams(size)}" for size, n in vials)
    day = dt.date(2026, 1, 5)
    try:
        result = expected_only(read(CheckRequest(grams(administered), vials_text, (), day,
                                            product=product.key, payer=payer)), CATALOG)
        lines = [" ".join((e.line.code, *e.line.modifiers, str(e.line.units)))
                 for e in result.expected]
    except IvigcalcError:
        lines = ["J1561 JA 55"]
    return {"payer": payer, "product": product.key, "code": "", "route": product.routes[0],
            "administered": grams(administered), "vials": vials_text,
            "lines": "; ".join(lines), "kx": "no"}


def make_rows(count: int, rng: random.Random, patients: int | None) -> list[dict[str, str]]:
    """`patients` recurring patients on dates within a quarter, or (None) all distinct."""
    products = [p for p in CATALOG.products.values() if p.key != "alyglo"]
    people = [make_patient(rng, products) for _ in range(patients or 0)]
    rows = []
    for number in range(1, count + 1):
        usual = rng.choice(people) if people else make_patient(rng, products)
        day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(90))
        row = {"id": f"SYNTH-{number}", "date": day.isoformat(), **usual}
        lines = row["lines"].split("; ")
        roll = rng.random()
        if roll < 0.10:  # units rounded the wrong way
            code_and_mods, units = lines[0].rsplit(" ", 1)
            lines[0] = f"{code_and_mods} {max(1, int(units) - 1)}"
        elif roll < 0.15:  # waste line dropped
            lines = lines[:1]
        elif roll < 0.18:  # the same line twice
            lines = [*lines, lines[0]]
        row["lines"] = "; ".join(lines)
        if rng.random() < 0.03:  # an unreadable row
            field = rng.choice(list(BAD_CELLS))
            row[field] = BAD_CELLS[field]
        rows.append(row)
    return rows


def clear_caches() -> None:
    """Start each file cold, as a fresh command would: every functools cache in ivigcalc."""
    for name, module in list(sys.modules.items()):
        if name == "ivigcalc" or name.startswith("ivigcalc."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    facts._memos.clear()


def time_file(name: str, rows: list[dict[str, str]], folder: Path) -> float:
    source = folder / f"{name}.csv"
    target = folder / f"{name}-report.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    clear_caches()
    start, cpu = time.perf_counter(), time.process_time()
    handle, reader, _ = batch.open_rows(source)
    with handle, target.open("w", encoding="utf-8", newline="") as out:
        tally = batch.write_report(reader, source, CATALOG, batch.Defaults(), "csv", out)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rate = len(rows) / seconds
    print(f"{name}: {len(rows)} rows {batch.summary(tally)}")
    print(f"  in-process: {seconds:.3f} s = {rate:,.0f} rows/s "
          f"(target {TARGET:,}/s: {'met' if rate >= TARGET else 'NOT met'}; "
          f"CPU {cpu:.3f} s = {len(rows) / cpu:,.0f} rows/s, for a busy machine)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    command = [sys.executable, "-m", "ivigcalc", "check", "--csv", str(source), "--output",
               str(target), "--force"]
    subprocess.run(command, capture_output=True, check=False, env=env)  # warm-up: bytecode
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    cli_rate = len(rows) / seconds
    print(f"  command line, start-up included: {seconds:.3f} s = {cli_rate:,.0f} rows/s "
          f"(target {CLI_TARGET:,}/s: {'met' if cli_rate >= CLI_TARGET else 'NOT met'}; "
          f"CPU {cpu:.3f} s = {len(rows) / cpu:,.0f} rows/s; exit {done.returncode}; {last})")
    return rate


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        time_file("patients", make_rows(ROWS, random.Random(20261128), patients=400),
                  Path(folder))
        time_file("distinct", make_rows(ROWS, random.Random(20261129), patients=None),
                  Path(folder))


if __name__ == "__main__":
    main()
