"""`ivigcalc check`: a coder's claim check, for one claim or a CSV batch.

One claim (exit 0 no errors, 1 errors found, 2 invalid input):
    ivigcalc check --administered "27.3 g" --vials "3 x 10 g" --product gamunex-c \\
        --date 2026-01-05 --line "J1561 JA 55" --line "J1561 JA JW 5" [--format text|json]
A batch (columns in ivigcalc/batch.py; exit 1 when any row has errors or is invalid):
    ivigcalc check --csv claims.csv [--format csv|json] [--output report.csv [--force]]
An X12 837P/837I file (check/x12_claims.py; exit 1 when any claim has errors or is unreadable):
    ivigcalc check --x12 claims.837 [--validate] [--format text|json|csv|summary]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from contextlib import AbstractContextManager
from typing import IO, TYPE_CHECKING

from ivigcalc.cli import output
from ivigcalc.errors import InputError

if TYPE_CHECKING:
    from ivigcalc.check.record import ClaimRecord
    from ivigcalc.check.x12_claims import X12Claim

# The check itself is imported by the run functions, not here: `ivigcalc calc` and the
# other commands register this parser without paying for it, and a batch does not import
# the single-claim report.

EPILOG = ("Billed lines: 'J1561 JA 55', 'J1561-JA-JW x5' or 'J1561 JA JW 5 units', optionally "
          "followed by an NDC segment 'N412345678901 UN1'. Batch columns: id, date, payer, "
          "product, code, route, administered, vials, lines (separated by ';' or '|'), kx, dx, "
          "weight, prior_auth, stocked, times, 340b (JG or TB). "
          "Exit codes: 0 no errors, 1 errors found (or invalid rows), 2 invalid input.")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ivigcalc.cli.main import add_340b_option, add_catalog_option, add_necessity_options

    p = sub.add_parser("check", help="check a claim's units and modifiers (or a CSV of claims)",
                       description="Check billed IG claim lines against the amount given and "
                       "the vials opened: units, JW/JZ, JA/JB, KX, codes and vial choice.",
                       epilog=EPILOG)
    p.add_argument("--administered", metavar="TEXT", help="amount given, e.g. '27.3 g'")
    p.add_argument("--vials", metavar="TEXT",
                   help="vials opened, e.g. '3 x 10 g', '10 g, 10 g, 10 g', '2 x 10 g + 1 x 5 g'")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--product", metavar="KEY", help="e.g. gamunex-c")
    which.add_argument("--code", metavar="CODE", help="the HCPCS code when the product is "
                       "not known, e.g. J1561")
    p.add_argument("--route", choices=("iv", "sc"),
                   help="default: the product's first route (IV for dual-route products)")
    p.add_argument("--payer", default="medicare", metavar="KEY", help="default: medicare")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="date of service (default: today; in a batch, for rows without one)")
    p.add_argument("--line", dest="lines", action="append", metavar="TEXT",
                   help="a billed line, e.g. 'J1561 JA 55'; repeat for each line")
    p.add_argument("--kx", action="store_true",
                   help="attest that the medical policy's documentation is complete")
    p.add_argument("--stocked", metavar="SIZES",
                   help="vial sizes on the shelf, e.g. '10 g' or '5 g,10 g': non-optimal-vials "
                        "is judged against these (default: every size of the product)")
    add_necessity_options(p)
    add_340b_option(p)
    p.add_argument("--weight", metavar="TEXT",
                   help="the patient's weight, e.g. '70 kg': the day's dose is then checked "
                        "against the diagnosis's labeled range")
    p.add_argument("--times", metavar="RANGES",
                   help="the infusion's documented start and stop, e.g. '09:00-10:31' ('+' "
                        "joins ranges around a pause): the administration lines (96365/96366, "
                        "96369/96370) are checked against these minutes")
    files = p.add_mutually_exclusive_group()
    files.add_argument("--csv", metavar="FILE", help="check every row of a CSV file")
    files.add_argument("--x12", metavar="FILE", help="check every claim of an X12 5010 837P "
                       "or 837I file (an 837P labelled 005010X222A2 is read as A1)")
    p.add_argument("--validate", action="store_true",
                   help="with --x12: validate the file against the implementation guide "
                   "with pyx12 first (about 15 times slower than the check)")
    p.add_argument("--format", choices=("text", "json", "csv", "summary"),
                   help="text or json for one claim (default text); csv, json or summary "
                        "(for a manager: what will deny, findings by rule, money at stake) "
                        "for --csv (default csv); text, json, csv or summary for --x12 "
                        "(default text)")
    output.add_output_options(p)
    add_catalog_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.validate and not args.x12:
        raise InputError("validate", "--validate goes with --x12 FILE")
    if args.x12:
        return _run_x12(args)
    return _run_batch(args) if args.csv else _run_one(args)


def _report(args: argparse.Namespace) -> AbstractContextManager[IO[str]]:
    return output.report(args.output, force=args.force,
                         inputs=(args.csv, args.x12, args.catalog))


def _from_file_only(args: argparse.Namespace, option: str) -> None:
    """Refuse the one-claim flags next to a file: its columns or segments give them."""
    given = [flag for flag, value in (("--administered", args.administered),
                                      ("--vials", args.vials), ("--line", args.lines),
                                      ("--kx", args.kx), ("--dx", args.dx),
                                      ("--weight", args.weight),
                                      ("--prior-auth", args.prior_auth),
                                      ("--times", args.times)) if value]
    if given:
        where = "the file's columns" if option == "csv" else "the 837's segments"
        raise InputError(option, f"{', '.join(given)} come from {where} with --{option}")


def _run_x12(args: argparse.Namespace) -> int:
    from ivigcalc.check import x12_check, x12_file
    from ivigcalc.cli.main import open_catalog

    fmt = args.format or "text"
    _from_file_only(args, "x12")
    others = [flag for flag, value in (("--product", args.product), ("--code", args.code),
                                       ("--route", args.route), ("--date", args.date),
                                       ("--stocked", args.stocked)) if value]
    if others:
        raise InputError("x12", f"{', '.join(others)} come from the 837's segments with --x12")
    catalog = open_catalog(args.catalog)
    text = x12_file.read_text(args.x12)
    if args.validate:
        x12_file.validate(text, args.x12)
    claims = x12_file_claims(text, args.x12)
    reports = x12_check.check_claims(claims, catalog)
    with _report(args) as out:
        if fmt == "json":
            tally = x12_check.write_json(reports, out, catalog)
        elif fmt == "csv":
            tally = x12_check.write_csv(reports, out)
        elif fmt == "summary":
            tally = x12_check.write_summary(reports, out, catalog)
        else:
            tally = x12_check.write_text(reports, out, catalog)
    print(f"ivigcalc check: {sum(tally.values())} claims: {tally['ok']} ok, "
          f"{tally['warnings']} with warnings, {tally['errors']} with errors, "
          f"{tally['invalid']} unreadable, {tally['not checked']} with nothing to check",
          file=sys.stderr)
    return 1 if tally["errors"] or tally["invalid"] else 0


def x12_file_claims(text: str, label: str) -> list[X12Claim]:
    from ivigcalc.check import x12_claims, x12_file

    return x12_claims.claims(x12_file.transactions(text, label))


def _run_one(args: argparse.Namespace) -> int:
    from ivigcalc.check import report
    from ivigcalc.check.rules import check
    from ivigcalc.cli.main import open_catalog

    fmt = args.format or "text"
    if fmt in ("csv", "summary"):
        raise InputError("format", f"{fmt} is for --csv FILE batch reports; accepts text or "
                         "json")
    record = record_from_args(args)
    result = check(record, open_catalog(args.catalog))
    body = report.report_json(result) if fmt == "json" else report.report_text(result)
    with _report(args) as out:
        out.write(body)
    return 1 if result.has_errors else 0


def record_from_args(args: argparse.Namespace) -> ClaimRecord:
    """The flags read into the claim record, once (InputError names the first bad flag)."""
    from ivigcalc.check.record import CheckRequest, read
    from ivigcalc.cli.main import parse_date

    for name, example in (("administered", "'27.3 g'"), ("vials", "'3 x 10 g'"),
                          ("lines", "'J1561 JA 55'")):
        if not getattr(args, name):
            flag = "--line" if name == "lines" else f"--{name}"
            raise InputError(name, f"{flag} is required (e.g. {flag} {example}) unless --csv "
                             "FILE is given")
    if not args.product and not args.code:
        raise InputError("product", "--product KEY or --code CODE is required")
    return read(CheckRequest(
        administered=args.administered, vials=args.vials, lines=tuple(args.lines),
        date_of_service=parse_date(args.date), product=args.product, code=args.code,
        route=args.route, payer=args.payer, kx=args.kx, stocked=args.stocked,
        dx=args.dx, weight=args.weight, prior_auth=args.prior_auth, times=args.times,
        site_340b=args.site_340b,
    ))


def _run_batch(args: argparse.Namespace) -> int:
    from ivigcalc.check import batch
    from ivigcalc.cli.main import open_catalog, parse_date

    fmt = args.format or "csv"
    if fmt == "text":
        raise InputError("format", "a batch report is csv or json")
    _from_file_only(args, "csv")
    catalog = open_catalog(args.catalog)
    defaults = batch.Defaults(
        date=parse_date(args.date) if args.date else None, payer=args.payer,
        product=args.product, code=args.code, route=args.route, stocked=args.stocked,
        site_340b=args.site_340b)
    handle, reader, ignored = batch.open_rows(args.csv)
    with handle, _report(args) as out:
        if fmt == "summary":
            from ivigcalc.check import summary

            tally = summary.write_summary(batch.check_rows(reader, catalog, defaults),
                                          args.csv, out, catalog.cms_history)
        else:
            tally = batch.write_report(reader, args.csv, catalog, defaults, fmt, out)
    if ignored:
        print(f"ivigcalc check: note: columns ignored: {', '.join(ignored)}", file=sys.stderr)
    print(f"ivigcalc check: {_summary(tally)}", file=sys.stderr)
    return 1 if tally["errors"] or tally["invalid"] else 0


def _summary(tally: Counter[str]) -> str:
    from ivigcalc.check import batch

    counts = batch.summary(tally)
    return (f"{counts['rows']} rows: {counts['ok']} ok, {counts['warnings']} with warnings, "
            f"{counts['errors']} with errors, {counts['invalid']} invalid")
