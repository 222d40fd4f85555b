"""`ivigcalc calc`: one order in, the billing summary (text or JSON) out, and on request the
pharmacist worksheet as a PDF (--worksheet)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ivigcalc.cli import output
from ivigcalc.data import files, untrusted
from ivigcalc.dose.dosing import BASES, ROUNDINGS, SEXES
from ivigcalc.errors import InputError

if TYPE_CHECKING:
    from ivigcalc.calc import CalcRequest
    from ivigcalc.data.catalog import Catalog
    from ivigcalc.result import Result


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ivigcalc.cli.main import add_340b_option, add_catalog_option, add_necessity_options

    p = sub.add_parser("calc", help="dose, vial plan and claim lines for one order",
                       description="Dose, vial plan and claim lines for one order. Every "
                       "quantity needs its unit: '78 kg', '350 mg/kg', '170 cm'.")
    p.add_argument("--weight", required=True, metavar="TEXT", help="e.g. '78 kg' or '154 lb'")
    p.add_argument("--dose", required=True, metavar="TEXT", help="e.g. '0.4 g/kg' or '400 mg/kg'")
    p.add_argument("--product", required=True, metavar="KEY", help="e.g. gamunex-c")
    p.add_argument("--height", metavar="TEXT", help="e.g. '170 cm' or '5 ft 7 in'")
    p.add_argument("--sex", choices=SEXES)
    p.add_argument("--basis", choices=BASES, default="actual",
                   help="dosing weight (default: actual)")
    p.add_argument("--policy", metavar="KEY",
                   help="dosing-weight policy for --basis policy (default: the payer's)")
    p.add_argument("--per", choices=("day", "course", "week"), default="day",
                   help="the dose is per day, per course, or per week (subcutaneous: the "
                        "week's dose, given on --days infusion days of that week) "
                        "(default: day)")
    p.add_argument("--days", default="1", metavar="N", help="infusion days, 1 to 31 (default 1)")
    p.add_argument("--vials", metavar="SIZES",
                   help="stocked sizes, e.g. '1 g,2.5 g' (default: all of the product's)")
    p.add_argument("--code", metavar="CODE", help="HCPCS code (default: the product's own)")
    p.add_argument("--route", choices=("iv", "sc"),
                   help="default: the product's first route (IV for dual-route products)")
    p.add_argument("--payer", default="medicare", metavar="KEY", help="default: medicare")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="the first day's date of service (default: today); later days follow")
    p.add_argument("--dates", metavar="LIST",
                   help="one date of service per infusion day, ascending, e.g. "
                        "2026-03-02,2026-03-09 (default: consecutive days from --date)")
    p.add_argument("--round", dest="rounding", choices=ROUNDINGS, default="none")
    p.add_argument("--kx", action="store_true",
                   help="attest that the medical policy's documentation is complete")
    add_340b_option(p)
    p.add_argument("--indication", metavar="KEY",
                   help="picks the label's rate protocol: a preset key (e.g. itp-2-day) or "
                        "a group (pi, itp, cidp, mmn, dm); default: the product's first")
    p.add_argument("--at-risk", action="store_true",
                   help="risk of thrombosis or renal failure: the label's lower rate ceiling")
    p.add_argument("--first-infusion", action="store_true",
                   help="SC: use the label's site limits for first infusions")
    p.add_argument("--times", metavar="RANGES",
                   help="documented infusion start and stop, one HH:MM-HH:MM per infusion day "
                        "separated by commas ('+' joins the ranges of one day around a pause; "
                        "a stop before the start crossed midnight), e.g. '09:00-10:31'; "
                        "bills 96365/96366 (IV) or 96369/96370 (SC) from them (default: "
                        "estimated from the rate plan and marked so)")
    p.add_argument("--pump-setup", metavar="DAYS",
                   help="SC: the infusion days (e.g. 1 or 1,2) on which an added pump set-up "
                        "with new sites was recorded (96371, where the payer takes it)")
    add_necessity_options(p)
    p.add_argument("--format", choices=("text", "json", "claim", "x12"), default="text",
                   help="text (the summary), json, claim (the claim lines alone, ASCII, one "
                        "block per date of service) or x12 (the 837 service-line loops, SV2 "
                        "for a hospital outpatient payer; needs --dx)")
    p.add_argument("--worksheet", metavar="FILE.pdf",
                   help="also write the pharmacist worksheet (the window's Print and Save as "
                        "PDF) to this PDF file; written whole or not at all, never over an "
                        "input")
    p.add_argument("--paper", choices=("letter", "a4"),
                   help="the worksheet's paper (default: the locale's, Letter in the US and "
                        "Canada, else A4)")
    p.add_argument("--force", action="store_true",
                   help="replace --worksheet FILE if it exists")
    add_catalog_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # The engine and its formatting load only for `calc`: every subcommand registers at
    # start-up, and `check --csv` must not wait for them.
    from ivigcalc import render
    from ivigcalc.calc import CalcRequest, calculate
    from ivigcalc.cli.main import open_catalog, parse_date, parse_dates

    if args.worksheet is not None:  # refused before anything is worked out or written
        files.check_target(args.worksheet, force=args.force, inputs=[args.catalog],
                           field="worksheet")
    elif args.paper is not None or args.force:
        raise InputError("worksheet", "--paper and --force go with --worksheet FILE.pdf")
    current = open_catalog(args.catalog)
    dates = parse_dates(args.dates) if args.dates is not None else None
    if dates and args.date is not None and parse_date(args.date) != dates[0]:
        raise InputError("dates", f"--date {args.date} is not the first of --dates "
                         f"({dates[0].isoformat()}); give one or the other")
    request = CalcRequest(
        weight=args.weight, dose=args.dose, product=args.product,
        date_of_service=dates[0] if dates else parse_date(args.date), dates=dates,
        height=args.height, sex=args.sex,
        basis=args.basis, per=args.per,
        days=untrusted.whole_number(args.days, "days", 1, 31), vials=args.vials, code=args.code,
        route=args.route, payer=args.payer, rounding=args.rounding, kx=args.kx,
        site_340b=args.site_340b, policy=args.policy, indication=args.indication,
        at_risk=args.at_risk,
        first_infusion=args.first_infusion,
        dx=args.dx, prior_auth=args.prior_auth, times=args.times,
        pump_setup_days=_day_numbers(args.pump_setup, "pump-setup"),
    )
    if args.format == "x12" and not (args.dx or "").strip():
        raise InputError("dx", "--format x12 needs --dx CODES: each service line points at "
                         "the claim's diagnoses (SV107), e.g. --dx D80.0")
    result = calculate(request, current)
    if args.worksheet is not None:
        write_worksheet(args.worksheet, request, result, current, paper=args.paper,
                        force=args.force, inputs=[args.catalog])
    if args.format == "x12":
        from ivigcalc import x12_lines

        output.stdout().write(x12_lines.service_lines(
            result, dx_count=len(result.diagnoses),
            institutional=current.payers[result.payer_key].opps, charges=current.charges))
        return 0
    faces = {"json": render.summary_json, "claim": render.claim_text, "text": render.summary_text}
    output.stdout().write(faces[args.format](result))
    return 0


def write_worksheet(path: str, request: CalcRequest, result: Result, current: Catalog, *,
                    paper: str | None, force: bool, inputs: Sequence[str | None]) -> int:
    """The window's worksheet as a PDF at `path`, through the one atomic writer; returns
    the number of pages. Qt's text layout loads here only (the import contracts' one
    exception), headless: the worksheet's paper module starts Qt offscreen."""
    from ivigcalc.worksheet.inputs import describe

    try:
        from ivigcalc.gui.output import paper as sheet
    except ImportError as error:  # a Python without the Qt binding: the rest still works
        raise InputError("worksheet", f"needs Qt (PySide6), which cannot be loaded here "
                         f"({error})") from None
    try:
        with files.replacing(path, force=force, inputs=inputs, field="worksheet") as temp:
            return sheet.write_pdf(temp, result, describe(request, result, current),
                                   sheet.PAPERS[paper] if paper else None)
    except OSError as error:  # a full disk, a PDF cut short: the old file is unchanged
        raise InputError("worksheet", f"{path} was not written ({error.strerror or error}); "
                         "any file already there is unchanged") from None


def _day_numbers(value: str | None, field: str) -> tuple[int, ...]:
    """'1,3': infusion day numbers (the engine checks them against --days)."""
    if value is None:
        return ()
    parts = untrusted.clean(value, field).split(",")
    return tuple(untrusted.whole_number(part, field, 1, 31) for part in parts)
