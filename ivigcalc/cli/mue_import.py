"""`ivigcalc catalog import-mue FILE... --output SITE.toml`: CMS's MUE tables into a site
catalog.

Each quarter a coder downloads the Medicare NCCI MUE tables (practitioner, outpatient
hospital, DME supplier), runs this, and reads what changed for the immune globulin codes.
The site catalog is updated in place as import-cms does it (.bak kept, atomic, no --force
for a site catalog); MUE values are never typed or shipped, only imported from CMS's file.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from ivigcalc.cli.cms_import import add_update_options, say_written, target
from ivigcalc.cli.main import add_catalog_option, open_catalog, parse_date
from ivigcalc.data import untrusted
from ivigcalc.errors import InputError


def register(actions: argparse._SubParsersAction[Any]) -> None:
    p = actions.add_parser(
        "import-mue", help="import CMS's MUE tables (practitioner, outpatient hospital, DME)",
        description="Read CMS's Medically Unlikely Edit tables (the CSV, or the zip CMS "
        "distributes) and add their immune globulin codes' MUE values and adjudication "
        "indicators to a site catalog, per quarter. The practitioner table applies to "
        "medicare, the outpatient hospital table to medicare-opps, the DME table to "
        "medicare-home; another payer takes a table when the site catalog sets its "
        "mue_table.")
    p.add_argument("files", metavar="FILE", nargs="+")
    p.add_argument("--output", metavar="SITE.toml", required=True,
                   help="the site catalog to add the tables to (made if missing; the "
                        "previous version kept as SITE.toml.bak)")
    p.add_argument("--quarter", metavar="YYYY-Qn",
                   help="the quarter the tables are for (default: from each file's name, "
                        "e.g. Eff_01-01-2026 or 2026-Q1)")
    add_update_options(p)
    add_catalog_option(p)
    p.set_defaults(run=run_import)


def _quarter(text: str | None) -> str | None:
    if text is None:
        return None
    value = untrusted.clean(text, "quarter", max_chars=7)
    from ivigcalc.data import mue

    try:
        return str(mue.QUARTER.convert(value.upper()))
    except ValueError:
        raise InputError("quarter", f"'{untrusted.shown(text)}' is not accepted; accepts a "
                         "quarter like 2026-Q1") from None


def run_import(args: argparse.Namespace) -> int:
    # The reader (zip, CSV) loads for `catalog import-mue` only.
    from ivigcalc.data import catalog, mue_import
    from ivigcalc.data.cms import site_file

    checked = parse_date(args.checked, "checked") if args.checked else dt.date.today()
    quarter = _quarter(args.quarter)
    output = target(args.output, args.files)
    site = site_file.read_existing(output, args.force, catalog.read_site)
    current = catalog.load(output).catalog if site[0] else open_catalog(args.catalog)
    keep = [key for key, code in current.codes.items() if code.immune_globulin]
    tables = mue_import.import_files(args.files, quarter, keep, checked)
    data, said = mue_import.merged(site[0], tables)
    body = site_file.leading_comments(site[1]) + site_file.text(data)
    return say_written(said, output, site_file.write(output, body, catalog.load, args.files))
