"""The batch check's cost per row with the MUE rule (issue 21: no slower per row), counted
in instructions by valgrind (steady on a busy machine; CPU time when valgrind is missing).

Three variants in the same run, each a fresh process checking the same rows of
bench_check.py's generator ("patients" and "distinct"), minus the same process on no rows:
  without the rule   mue_rules.findings replaced by one returning nothing: what the check did
                     before the rule (the previous commit);
  no MUE tables      the rule, and a catalog without MUE tables (every site until it imports);
  MUE tables         the rule, and a site catalog holding the three MUE tables of nine
                     quarters for every immune globulin code: made-up values (synthetic,
                     written here by `import-mue` from CSVs in CMS's layout, never kept),
                     high enough that no row passes them (the rule's own cost), or low
                     enough that many do (the findings' cost too).
Plain script, prints numbers: python bench/bench_mue.py [ROWS]
"""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_check  # the same rows as the batch benchmark
import bench_quarters  # its instruction count

from ivigcalc.data.catalog import load

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
SCRIPT = """
import io, time
from ivigcalc.check import batch, mue_rules, rules
from ivigcalc.data import catalog
if {without}:
    rules.mue_rules.findings = lambda *args: []
loaded = catalog.load({site!r}).catalog
source = __import__("pathlib").Path({csv!r})
t = time.process_time()
handle, reader, _ = batch.open_rows(source)
with handle:
    batch.write_report(reader, source, loaded, batch.Defaults(), "csv", io.StringIO())
print(time.process_time() - t)
"""
TITLES = {"PractitionerServices": "Practitioner Services",
          "OutpatientHospitalServices": "Outpatient Hospital Services",
          "DMESupplierServices": "DME Supplier Services"}


def measure(code: str) -> float:
    """Instructions (bench_quarters.py's count), or the median CPU seconds without valgrind."""
    if shutil.which("valgrind") is None:
        return bench_quarters.cpu(code)
    return bench_quarters.instructions(code)


def synthetic_site(folder: Path, low: int, high: int) -> Path:
    """Nine quarters of the three MUE tables, made-up values from `low` to `high` units,
    imported as a site would."""
    codes = [k for k, c in load().catalog.codes.items() if c.immune_globulin]
    rng = random.Random(21)
    paths = []
    folder = folder / f"mue-{low}"
    folder.mkdir()
    for year, quarter in [(y, q) for y in (2024, 2025) for q in (1, 2, 3, 4)] + [(2026, 1)]:
        for key, title in TITLES.items():
            path = folder / f"synthetic-MCR_MUE_{key}_Eff_{quarter * 3 - 2:02d}-01-{year}.csv"
            rows = ['"SYNTHETIC: made-up values.\nNot CMS\'s."', "",
                    f'"HCPCS/\nCPT Code","{title} MUE Values","MUE Adjudication Indicator",'
                    '"MUE Rationale"']
            rows += [f"{code},{rng.randint(low, high)},3 Date of Service Edit: Clinical,"
                     "Clinical: Data" for code in codes]
            path.write_text("\r\n".join(rows) + "\r\n", encoding="latin-1")
            paths.append(str(path))
    site = folder / "site.toml"
    subprocess.run([sys.executable, "-m", "ivigcalc", "catalog", "import-mue", *paths,
                    "--output", str(site)], check=True, capture_output=True)
    return site


def main() -> None:
    unit = "instructions" if shutil.which("valgrind") else "s CPU"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        passed = synthetic_site(folder, 60, 400)  # many of the rows' days pass these
        within = synthetic_site(folder, 5000, 9000)  # none does: the rule's own cost
        for label, patients, seed in (("patients", 400, 20261128),
                                      ("distinct", None, 20261129)):
            rows = bench_check.make_rows(ROWS, random.Random(seed), patients=patients)
            files = {}
            for count in (0, ROWS):
                path = folder / f"{label}-{count}.csv"
                with path.open("w", encoding="utf-8", newline="") as handle:
                    writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                    writer.writeheader()
                    writer.writerows(rows[:count])
                files[count] = str(path)
            base = None
            for variant, without, catalog in (("without the rule", True, None),
                                              ("no MUE tables", False, None),
                                              ("MUE tables, none passed", False, str(within)),
                                              ("MUE tables, some passed", False, str(passed))):
                full, empty = (measure(SCRIPT.format(without=without, site=catalog, csv=path))
                               for path in (files[ROWS], files[0]))
                per_row = (full - empty) / ROWS
                base = base or per_row
                print(f"{label}: {variant:<25} {per_row:12,.0f} {unit} a row  "
                      f"{per_row / base:.3f}x")


if __name__ == "__main__":
    main()
