"""`ivigcalc remit FILE`: an 835 remittance's immune globulin lines explained.

    ivigcalc remit remittance.835 [--format text|json] [--output FILE [--force]]
Exit codes: 0 read (whatever the payer decided), 2 a file that cannot be read.
"""

from __future__ import annotations

import argparse

from ivigcalc.cli import output


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ivigcalc.cli.main import add_catalog_option

    p = sub.add_parser("remit", help="explain an 835 remittance's immune globulin lines",
                       description="Read an X12 835 remittance: for every immune globulin "
                       "line, what was billed and paid, each adjustment (group, CARC) and "
                       "remark (RARC) in plain words with what to fix, and the claim check's "
                       "rule that catches the cause; then paid, denied and adjusted amounts "
                       "by reason.")
    p.add_argument("file", metavar="FILE", help="an 835 file (X12 005010X221A1)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    output.add_output_options(p)
    add_catalog_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ivigcalc.check import remit
    from ivigcalc.cli.main import open_catalog

    catalog = open_catalog(args.catalog)
    claims = remit.read(args.file)
    with output.report(args.output, force=args.force, inputs=(args.file, args.catalog)) as out:
        if args.format == "json":
            remit.write_json(claims, out, catalog)
        else:
            remit.write_text(claims, out, catalog)
    return 0
