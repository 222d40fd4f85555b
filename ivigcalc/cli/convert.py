"""`ivigcalc convert`: the weekly SC dose for an IV regimen, and HyQvia's ramp-up."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ivigcalc.cli.main import add_catalog_option

    p = sub.add_parser("convert", help="IV regimen to a weekly SC dose (per product label)",
                       description="The weekly subcutaneous dose for an IV regimen: IV dose × "
                       "the product's label factor ÷ weeks between IV doses; for HyQvia, the "
                       "label's ramp-up to the IV dose and interval.")
    p.add_argument("--iv-dose", required=True, metavar="TEXT", help="e.g. '30 g'")
    p.add_argument("--interval", required=True, metavar="TEXT",
                   help="weeks between IV doses, e.g. '4 weeks' or '28 days'")
    p.add_argument("--product", required=True, metavar="KEY", help="e.g. hizentra")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_catalog_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ivigcalc.cli.main import open_catalog
    from ivigcalc.data import rates  # loaded for `convert` only (start-up of the others)
    from ivigcalc.dose import convert

    result = convert.convert(args.iv_dose, args.interval, args.product,
                             open_catalog(args.catalog), rates.load())
    if args.format == "json":
        sys.stdout.write(json.dumps(convert.as_dict(result), indent=2, ensure_ascii=False)
                         + "\n")
    else:
        sys.stdout.write("\n".join(convert.lines(result)) + "\n")
    return 0
