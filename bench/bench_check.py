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

Then the same claims as an 837P (issue 23; target: at least 0.8 x the CSV's claims per
second, start-up included): claims of one vial size, payer medicare or commercial, until
they hold 10,000 service lines, written both as an 837P (tests/x12_files.py) and as a CSV,
each checked through the command, `check --x12` and `check --csv`, in the same run; and
pyx12's full validation of that 837P, timed alone, for comparison.
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
from typing import Any

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


def make_rows(count: int, rng: random.Random, patients: int | None,
              bad: bool = True) -> list[dict[str, str]]:
    """`patients` recurring patients on dates within a quarter, or (None) all distinct;
    `bad`: about 3% of rows unreadable."""
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
        if bad and rng.random() < 0.03:  # an unreadable row
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
    command = [sys.executable, "-m", "ivigcalc", "check", "--csv", str(source), "--output",
               str(target), "--force"]
    seconds, cpu, code, last = time_command(command, folder)
    cli_rate = len(rows) / seconds
    print(f"  command line, start-up included: {seconds:.3f} s = {cli_rate:,.0f} rows/s "
          f"(target {CLI_TARGET:,}/s: {'met' if cli_rate >= CLI_TARGET else 'NOT met'}; "
          f"CPU {cpu:.3f} s = {len(rows) / cpu:,.0f} rows/s; exit {code}; {last})")
    return rate


def x12_claims(rows: list[dict[str, str]], lines_wanted: int) -> tuple[list[Any], list[dict[
        str, str]]]:
    """The rows an 837P can carry as they are (one vial size, a Medicare or commercial
    payer), as 837 claims and as CSV rows, until the claims hold `lines_wanted` lines."""
    from x12_files import Claim, Line, ndc11

    claims: list[Any] = []
    kept: list[dict[str, str]] = []
    total = 0
    for number, row in enumerate(rows):
        vials = row["vials"].split(" + ")
        if len(vials) != 1 or row["payer"] not in ("medicare", "commercial"):
            continue
        count, size = vials[0].split(" x ")
        try:
            ndc = ndc11(CATALOG, row["product"], int(float(size.split()[0]) * 1000))
        except AssertionError:
            continue  # no NDC for that size in the crosswalk
        day = dt.date.fromisoformat(row["date"])
        lines = []
        for text in row["lines"].split("; "):
            code, *modifiers, units = text.split()
            lines.append(Line(code, tuple(modifiers), int(units), "100", day=day, ndc11=ndc,
                              quantity=count))
        claims.append(Claim(row["id"], tuple(lines), dx=("L100",),
                            sbr09="MB" if row["payer"] == "medicare" else "CI",
                            member=f"M{number:010d}"))
        # The CSV row says the same: each line's NDC and quantity, and the diagnosis.
        kept.append({**row, "dx": "L10.0", "lines": "; ".join(
            f"{text} N4{ndc} UN{count}" for text in row["lines"].split("; "))})
        total += len(lines)
        if total >= lines_wanted:
            break
    return claims, kept


def time_command(command: list[str], folder: Path) -> tuple[float, float, int, str]:
    """Wall and CPU seconds of one run of the command (after a warm-up run that fills the
    bytecode cache), its exit code and its last line on stderr."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    subprocess.run(command, capture_output=True, check=False, env=env)  # warm-up: bytecode
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return seconds, cpu, done.returncode, last


def time_x12(folder: Path) -> None:
    """The same claims as an 837P and as a CSV, through the command, in the same run."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from x12_files import build_837p

    rows = [{k: v for k, v in row.items()} for row in
            make_rows(8 * ROWS, random.Random(20261130), patients=400, bad=False)]
    claims, kept = x12_claims(rows, ROWS)
    lines = sum(len(c.lines) for c in claims)
    x12 = folder / "claims.837"
    x12.write_text(build_837p(claims), encoding="utf-8")
    table = folder / "same-claims.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(kept[0]))
        writer.writeheader()
        writer.writerows(kept)
    print(f"837P: {len(claims)} claims, {lines} service lines, {x12.stat().st_size:,} bytes")
    rates = {}
    for name, option, path in (("csv", "--csv", table), ("x12", "--x12", x12)):
        command = [sys.executable, "-m", "ivigcalc", "check", option, str(path), "--format",
                   "csv", "--output", str(folder / f"{name}-report.csv"), "--force"]
        seconds, cpu, _, last = time_command(command, folder)
        rates[name] = (len(claims) / seconds, len(claims) / cpu)
        print(f"  {name}: {seconds:.3f} s = {rates[name][0]:,.0f} claims/s (CPU {cpu:.3f} s = "
              f"{rates[name][1]:,.0f} claims/s), start-up included; {last}")
    wall, cpu = (rates["x12"][i] / rates["csv"][i] for i in (0, 1))
    print(f"  837P / CSV claims per second: {wall:.2f} wall, {cpu:.2f} CPU (target 0.8: "
          f"{'met' if cpu >= 0.8 else 'NOT met'})")
    from ivigcalc.check import x12_file

    start = time.process_time()
    errors = x12_file.validation_errors(x12.read_text(encoding="utf-8"))
    cpu = time.process_time() - start
    print(f"  pyx12 full validation alone: CPU {cpu:.3f} s = {len(claims) / cpu:,.0f} claims/s "
          f"({len(errors)} errors)")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        time_file("patients", make_rows(ROWS, random.Random(20261128), patients=400),
                  Path(folder))
        time_file("distinct", make_rows(ROWS, random.Random(20261129), patients=None),
                  Path(folder))
        time_x12(Path(folder))


if __name__ == "__main__":
    main()
