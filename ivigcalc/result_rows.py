"""The vial plan and the claim lines as rows of text, written once: the window's tables and
the worksheet show the same rows. Each row carries the tooltip that explains it and whether
it is a total (shown bold). Each infusion day is its own date of service with its own claim
lines (days with the same vial plan share their rows), and a course of several days ends
with its total, as the text summary writes them.

The window reads the headers at start-up; the engine's formatting (render) loads with the
first result, not before the first paint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ivigcalc import text

if TYPE_CHECKING:
    from ivigcalc.result import AdminLine, ClaimLine, Result

VIAL_HEADERS = ("Day", "Vials", "Vial size", "NDC")
VIAL_NUMERIC = frozenset({1})
# Medicare's payment allowance limit × units: never the price paid or a charge (the tooltip
# and the summary say so in full).
LIMIT_HEADER = "At Medicare limit"
CLAIM_HEADERS = ("Date of service", "Code", "Modifiers", "Units", "Billed for", LIMIT_HEADER)
CLAIM_NUMERIC = frozenset({3, 5})
COURSE_NOT_A_LINE = "course total, not a line"


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    tip: str = ""
    total: bool = False


def vial_rows(result: Result) -> list[Row]:
    """Vials to open: one row per size per day group, then the total opened."""
    from ivigcalc import render

    rows = []
    for heading, day in render.plan_groups(result):
        first = True
        for size, count in day.plan.vials:
            ndcs = day.ndcs_of(size)
            shown = ndcs[0] + (f" (+{len(ndcs) - 1})" if len(ndcs) > 1 else "") \
                if ndcs else "none listed"
            rows.append(Row((heading if first else "", str(count), text.grams(size), shown),
                            f"{heading}: open {count} × {text.grams(size)}; NDC "
                            f"{' or '.join(ndcs) or 'none in the CMS crosswalk'}"))
            first = False
        rows.append(Row(("", str(day.plan.vial_count), f"{text.grams(day.plan.drawn_mg)} in all",
                         ""), f"{heading}: {render.day_heading(result, day)}", total=True))
    if result.day_count > 1:
        total = render.course_total(result)
        rows.append(Row(("Course", str(total.vial_count), f"{text.grams(total.drawn_mg)} in all",
                         ""), render.course_lines(result)[0], total=True))
    return rows


def line_purpose(line: ClaimLine) -> str:
    """What a claim line bills: the dose given, or the billable discard (JW)."""
    return "discarded" if "JW" in line.modifiers else "administered"


def admin_purpose(line: AdminLine) -> str:
    """An administration line, and whether its minutes are an estimate."""
    return "admin, estimated" if line.estimated else "admin"


def claim_rows(result: Result) -> list[Row]:
    """Claim lines: code, modifiers and units, per date of service (the drug's, then the
    administration lines), then the course total."""
    from ivigcalc import render
    from ivigcalc.billing.payment import LABEL

    rows = []
    for day in result.days:
        date = day.date_of_service.isoformat()
        for number, line in enumerate(day.claim_lines):
            amount = render.usd_text(line)
            paid = (f"; {LABEL}: {line.units} × {line.payment_limit_usd} USD = {amount}"
                    if line.amount_usd is not None else "")
            rows.append(Row((date if number == 0 else "", line.code,
                             " ".join(line.modifiers) or "none", str(line.units),
                             line_purpose(line), amount),
                            f"Date of service {date}: {line.text}{paid}"))
        for admin in day.admin_lines:  # after the drug's lines; no payment limit
            on = admin.date_of_service.isoformat()
            rows.append(Row((on if on != date else "", admin.code, "none", str(admin.units),
                             admin_purpose(admin), "n/a"),
                            f"Date of service {on}: {render.admin_text(day, admin)}"))
    if result.day_count > 1:
        total = render.course_total(result)
        units = total.administered_units + total.discarded_units
        rows.append(Row(("Course", "", "", str(units), COURSE_NOT_A_LINE, ""),
                        render.course_lines(result)[1], total=True))
    return rows
