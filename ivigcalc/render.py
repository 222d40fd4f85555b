"""Plain text, HTML, JSON and claim-block renderings of one Result.

The plain text pastes cleanly into an EHR note (no tabs, no markup); the HTML is the same
content as tables for Word or Outlook; the JSON is the CLI contract (schema 1); the claim
block is only what goes on the claim, in ASCII, one block per date of service.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ivigcalc import infusion_text, text
from ivigcalc.billing import multiple_ndc, payment
from ivigcalc.data.catalog import ROUTE_NAMES
from ivigcalc.result import AdminLine, ClaimLine, Day, Result

JSON_SCHEMA = 1


def vials_text(day: Day) -> str:
    return " + ".join(f"{n} × {text.grams(size)}" for size, n in day.plan.vials)


def dose_line(result: Result) -> str:
    """The dose as people read it (ISMP: weight to 0.1 kg, dose to 0.1 g; exact in the working)."""
    weight = result.dosing
    per_day = text.dose_g(result.per_day_mg)
    course = text.dose_g(result.course_mg)
    days = text.count(result.day_count, "day")
    sign = text.adds_up(per_day, result.day_count, course)  # '≈' when shown figures differ
    line = (f"{text.dose_per_kg(result.dose_mg_per_kg)} per {result.per} × "
            f"{text.weight(weight.kg)} → {per_day} per day × {days} {sign} {course} per "
            f"{'week' if result.per == 'week' else 'course'}")
    rounding = result.rounding
    if rounding.applied:
        ordered, _ = text.dose_change(rounding.ordered_mg, rounding.final_mg)
        line += (f" (ordered {ordered} per day, rounded "
                 f"{rounding.policy}, {text.signed_percent(rounding.percent_change)})")
    return line


def day_heading(result: Result, day: Day) -> str:
    """Vial contents are labeled amounts, shown exactly; the dose and discard to 0.1 g."""
    volume = f" ({text.volume(day.volume_ml)})" if day.volume_ml is not None else ""
    return (f"administer {text.dose_g(day.administered_mg)}{volume}; open "
            f"{vials_text(day)} = {text.grams(day.plan.drawn_mg)}; discard "
            f"{text.dose_g(day.plan.wasted_mg)}")


def line_text(line: ClaimLine) -> str:
    """'J1561 JA × 55 units', 'J1561 JA JW × 1 unit'."""
    return " ".join((line.code, *line.modifiers)) + f" × {text.units(line.units)}"


def admin_text(day: Day, line: AdminLine) -> str:
    """'96366 × 1 unit (administration, 91 min; 2026-03-03)': the minutes it was counted
    from, whether they are an estimate, and its date when not the day's own."""
    how = f"estimated: {line.minutes} min from the rate plan, bill from the documented times" \
        if line.estimated else f"{line.minutes} min documented"
    when = f"; date of service {line.date_of_service.isoformat()}" \
        if line.date_of_service != day.date_of_service else ""
    return f"{line.code} × {text.units(line.units)} (administration, {how}{when})"


def day_groups(result: Result) -> list[tuple[str, Day]]:
    """One group per infusion day, headed with its date: each day is its own date of service
    (opened vials are discarded daily), so identical days are never merged into one."""
    return [(f"Day {d.number}, {d.date_of_service.isoformat()}", d) for d in result.days]


def plan_groups(result: Result) -> list[tuple[str, Day]]:
    """Days with the same vial plan written once ('Days 1–3, each day'): what a pharmacist
    prepares. Billing never groups days: use day_groups for anything with claim lines."""
    first = result.days[0]
    if len(result.days) > 1 and all(d.plan == first.plan for d in result.days):
        return [(f"Days 1–{len(result.days)}, each day", first)]
    return day_groups(result)


@dataclass(frozen=True)
class CourseTotal:
    """The course added up, for the record: never a claim line (each date bills its own)."""

    administered_mg: Fraction
    drawn_mg: Fraction
    vial_count: int
    administered_units: int
    discarded_units: int

    @property
    def wasted_mg(self) -> Fraction:
        return self.drawn_mg - self.administered_mg


def course_total(result: Result) -> CourseTotal:
    lines = [line for day in result.days for line in day.claim_lines]
    return CourseTotal(
        administered_mg=sum((d.administered_mg for d in result.days), Fraction(0)),
        drawn_mg=sum((d.plan.drawn_mg for d in result.days), Fraction(0)),
        vial_count=sum(d.plan.vial_count for d in result.days),
        administered_units=sum(ln.units for ln in lines if "JW" not in ln.modifiers),
        discarded_units=sum(ln.units for ln in lines if "JW" in ln.modifiers))


def course_lines(result: Result) -> list[str]:
    """The course total in two lines (only for a course of several days)."""
    if result.day_count == 1:
        return []
    total = course_total(result)
    first, last = result.days[0].date_of_service, result.days[-1].date_of_service
    units = f"{total.administered_units} administered"
    if total.discarded_units:
        units += (f" + {total.discarded_units} discarded (JW) = "
                  f"{total.administered_units + total.discarded_units}")
    return [f"Course, {text.count(result.day_count, 'day')} ({first.isoformat()} to "
            f"{last.isoformat()}): administer {text.grams(total.administered_mg)}; open "
            f"{text.count(total.vial_count, 'vial')} = {text.grams(total.drawn_mg)}; discard "
            f"{text.grams(total.wasted_mg)}",
            f"Course units: {units} over {text.count(result.day_count, 'date')} of service "
            "(a total for the record, not a claim line)"]


def dates_text(result: Result) -> str:
    dates = [d.date_of_service.isoformat() for d in result.days]
    return f"date{'s' if len(dates) > 1 else ''} of service {', '.join(dates)}"


def header_lines(result: Result) -> list[str]:
    weight = result.dosing
    return [
        f"Product: {result.product_name}{_strength(result)}, {result.code}, "
        f"{ROUTE_NAMES[result.route]} ({result.route.upper()})",
        f"Payer: {result.payer_name}; {dates_text(result)}",
        f"Dosing weight: {text.weight(weight.kg)} ({weight.reason})",
        *([f"Indication: {result.preset}"] if result.preset else []),
        f"Dose: {dose_line(result)}",
        *necessity_lines(result),
        *([f"CMS data: {cms_quarters_text(result)}"] if result.cms is not None else []),
    ]


def cms_quarters_text(result: Result) -> str:
    """'2025-Q2' or '2025-Q2 (2025-05-12), 2025-Q3 (2025-07-01 to 2025-07-02)': the quarter
    whose NDCs, limits and OPPS status each date of service is coded and priced by."""
    assert result.cms is not None
    by_quarter: dict[str, list[str]] = {}
    for day in result.days:
        by_quarter.setdefault(day.cms_quarter or result.cms["quarter"], []).append(
            day.date_of_service.isoformat())
    if len(by_quarter) == 1:
        return f"quarter {next(iter(by_quarter))}"
    return "quarters " + ", ".join(
        f"{q} ({d[0]}{f' to {d[-1]}' if len(d) > 1 else ''})" for q, d in by_quarter.items())


def necessity_rows(result: Result) -> list[tuple[str, str]]:
    """Diagnoses with their descriptions, and what the payer requires (prior auth, KX)."""
    out = []
    if result.diagnoses:
        out.append(("Diagnoses", "; ".join(f"{d.code} {d.description}"
                                           for d in result.diagnoses)))
    if result.prior_auth:
        out.append(("Prior authorization", result.prior_auth))
    elif result.prior_auth_required:
        out.append(("Prior authorization", "required by the payer, number not given"))
    if result.kx_attested:
        out.append(("KX", "the medical policy's documentation requirements are attested as met"))
    return out


def necessity_lines(result: Result) -> list[str]:
    return [f"{label}: {value}" for label, value in necessity_rows(result)]


def _strength(result: Result) -> str:
    """' 10%' after the product's name, unless the name says it ('Octagam 10%')."""
    mg_per_ml = result.concentration_mg_per_ml
    strength = f"{text.decimal(mg_per_ml / 10, 1)}%" if mg_per_ml is not None else ""
    return f" {strength}" if strength and strength not in result.product_name else ""


def payment_lines(result: Result, day: Day) -> list[str]:
    """Each line's amount at Medicare's payment allowance limit, labelled as such."""
    if result.cms is None:
        return []
    if all(line.payment_limit_usd is None for line in day.claim_lines):
        return [f"{payment.LABEL}: none shown for {result.code} (see the notes)."]
    out = [f"{payment.LABEL}, CMS {day.cms_quarter or result.cms['quarter']}:"]
    for line in day.claim_lines:
        kind = "discarded units (JW)" if line.discarded else "administered units"
        out.append(f"  {line.units} {kind} × {line.payment_limit_usd} USD = {usd_text(line)}")
    return out


def usd_text(line: ClaimLine) -> str:
    """'2,693.02 USD', or 'none' where CMS gives no limit."""
    return payment.usd(line.amount_usd) if line.amount_usd is not None else "none"


def ndc_text(result: Result, day: Day) -> list[str]:
    """The N4 line of each vial size opened ('N413533080071 UN3'), or why there is none."""
    out = []
    for line in day.ndc_lines:
        other = (f" (or {', '.join(line.alternatives)}: use the NDC on the vial)"
                 if line.alternatives else "")
        out.append(f"  {line.text}  {line.ndc}, {text.grams(line.size_mg)}{other}")
    missing = [size for size, ndcs in day.ndcs if not ndcs]
    if missing and result.cms is not None:
        out.append(f"  no NDC in CMS's {day.cms_quarter or result.cms['quarter']} crosswalk for "
                   f"{', '.join(text.grams(s) for s in missing)} of {result.product_name}")
    return ["NDC (N4) lines:", *out] if out else []


def footer(result: Result) -> str:
    return f"ivigcalc {result.app_version} · catalog {result.catalog_version}"


def summary_text(result: Result, *, working: bool = True) -> str:
    """The billing summary as plain text (what `ivigcalc calc` prints)."""
    out = ["IG billing summary", *header_lines(result), ""]
    for heading, day in day_groups(result):
        out.append(f"{heading}: {day_heading(result, day)}")
        out.append(f"Claim lines, date of service {day.date_of_service.isoformat()}:")
        out.extend(f"  {line_text(line)}" for line in day.claim_lines)
        out.extend(f"  {admin_text(day, line)}" for line in day.admin_lines)
        out.extend(ndc_text(result, day))
        out.extend(payment_lines(result, day))
        out.append("")
    if result.day_count > 1:
        out.extend([*course_lines(result), ""])
    out.extend(infusion_text.text_lines(result))
    warnings = [n for n in result.notices if n.level == "warning"]
    notes = [n for n in result.notices if n.level == "note"]
    if warnings:
        out.append("Warnings:")
        out.extend(f"  ! {n.message}" for n in warnings)
        if result.acknowledgement is not None:
            out.append(f"  {result.acknowledgement.text}")
        out.append("")
    if notes:
        out.append("Notes:")
        out.extend(f"  - {n.message}" for n in notes)
        out.append("")
    if working:
        out.append("Working:")
        for number, step in enumerate(result.steps, 1):
            out.append(f"  {number}. {step.topic}: {step.text}")
            if step.source:
                out.append(f"     Source: {step.source}")
        out.append("")
    out.append(footer(result))
    return "\n".join(out) + "\n"


_CELL = 'style="border:1px solid #888;padding:2px 6px"'


def _table(head: list[str], rows: list[list[str]]) -> str:
    return table_head(head) + table_rows(rows) + "</table>"


def table_head(head: list[str]) -> str:
    """An HTML table's opening and header row (table_rows, then "</table>", follow): a
    large table is written in parts, by a worker that can stop between them."""
    top = "".join(f"<th {_CELL}>{html.escape(h)}</th>" for h in head)
    return f'<table style="border-collapse:collapse"><tr>{top}</tr>'


def table_rows(rows: list[list[str]]) -> str:
    return "".join("<tr>" + "".join(f"<td {_CELL}>{html.escape(c)}</td>" for c in row)
                   + "</tr>" for row in rows)


def summary_html(result: Result, *, working: bool = True) -> str:
    """The same summary as HTML tables (pastes as a table into Word or Outlook)."""
    esc = html.escape
    parts = ["<h3>IG billing summary</h3>"]
    parts += [f"<p>{esc(line)}</p>" for line in header_lines(result)]
    for heading, day in day_groups(result):
        parts.append(f"<p><b>{esc(heading)}</b>: {esc(day_heading(result, day))}</p>")
    parts.append(claim_table_html(result))
    if result.cms is not None:
        parts.append(f"<p>{esc(payment.LABEL)}, CMS {esc(cms_quarters_text(result))}.</p>")
    parts += [f"<p>{esc(line.strip())}</p>" for line in ndc_text(result, result.days[0])]
    parts += [f"<p>{esc(line)}</p>" for line in course_lines(result)]
    parts.append(infusion_text.html_block(result, 'style="border:1px solid #888;padding:2px 6px"'))
    if result.notices:
        parts.append("<ul>" + "".join(
            f"<li>{'<b>Warning:</b> ' if n.level == 'warning' else ''}{esc(n.message)}</li>"
            for n in result.notices) + "</ul>")
    if result.acknowledgement is not None:
        parts.append(f"<p><b>{esc(result.acknowledgement.text)}</b></p>")
    if working:
        parts.append("<p><b>Working</b></p>")
        parts.append(_table(["Step", "Working", "Source"],
                            [[s.topic, s.text, s.source] for s in result.steps]))
    parts.append(f"<p><small>{esc(footer(result))}</small></p>")
    return "\n".join(parts)


def claim_rows(result: Result) -> list[list[str]]:
    """Date of service, code, modifiers, units, payment limit and amount: one row per line,
    the drug's first, then the administration lines (no payment limit: 'n/a'; an estimate
    says so in the modifiers column)."""
    return [*([day.date_of_service.isoformat(), line.code, " ".join(line.modifiers),
               str(line.units), line.payment_limit_usd or "none", usd_text(line)]
              for day in result.days for line in day.claim_lines),
            *([line.date_of_service.isoformat(), line.code,
               "estimated" if line.estimated else "", str(line.units), "n/a", "n/a"]
              for day in result.days for line in day.admin_lines)]


def claim_table_html(result: Result) -> str:
    return _table(["Date of service", "Code", "Modifiers", "Units",
                   "Payment limit per unit (USD)", "Amount at the limit"], claim_rows(result))


def claim_text(result: Result) -> str:
    """The claim lines a coder keys in, one block per date of service, plain ASCII only:
    the date, then code, modifiers and units per line, then the N4 line of each vial size
    opened (CMS-1500 item 24, shaded area) where the catalog's CMS crosswalk has its NDC
    (for a payer that takes a second NDC in the line note, the first size's, and the others
    on an 'Item 19' line: billing/multiple_ndc.py), then the administration lines dated that
    day (an added hour past midnight opens the next date's block), an estimate marked as one
    (`--format claim`, "Copy claim lines").
    Nothing else: no prose, no totals, no symbols.
    """
    rows: dict[dt.date, list[str]] = {}
    for day in result.days:
        rows.setdefault(day.date_of_service, []).extend(
            [*(" ".join((line.code, *line.modifiers, text.units(line.units)))
               for line in day.claim_lines), *_n4_lines(result, day)])
    for day in result.days:
        for admin in day.admin_lines:
            mark = " (estimated, not documented)" if admin.estimated else ""
            rows.setdefault(admin.date_of_service, []).append(
                f"{admin.code} {text.units(admin.units)}{mark}")
    blocks = ["\n".join((f"Date of service {date.isoformat()}", *lines))
              for date, lines in sorted(rows.items())]
    out = "\n\n".join(blocks) + "\n"
    out.encode("ascii")  # codes, modifiers, digits and ISO dates only: never anything else
    return out


def _n4_lines(result: Result, day: Day) -> list[str]:
    """The day's N4 lines for the paper claim: one per size, or (a payer taking a second NDC
    in the note) the first size's and the others after 'Item 19:'."""
    if result.multiple_ndc != multiple_ndc.NOTE or len(day.ndc_lines) < 2:
        return [line.text for line in day.ndc_lines]
    first, others = multiple_ndc.first_and_others(day.ndc_lines, dict(day.plan.vials))
    return [first.text, f"Item 19: {' '.join(line.text for line in others)}"]


_mg = text.json_number


def as_dict(result: Result) -> dict[str, Any]:
    """The JSON contract (schema 1): masses in mg to 0.001, units exact integers."""
    weight = result.dosing
    return {
        "schema": JSON_SCHEMA,
        "product": result.product_key,
        "code": result.code,
        "route": result.route,
        "payer": result.payer_key,
        "date_of_service": result.date_of_service.isoformat(),
        "dosing_weight": {"kg": _mg(weight.kg), "basis": weight.basis, "reason": weight.reason,
                          "actual_kg": _mg(weight.actual_kg),
                          "ideal_kg": _mg(weight.ibw_kg) if weight.ibw_kg else None,
                          "adjusted_kg": _mg(weight.adjusted_kg) if weight.adjusted_kg else None},
        "dose_mg_per_kg": _mg(result.dose_mg_per_kg),
        "per": result.per,
        "vial_preference": vial_preference_dict(result),
        "ordered_dose_per_day_mg": _mg(result.rounding.ordered_mg),
        "rounding": result.rounding.policy,
        "preset": result.preset or None,
        "dose_per_day_mg": _mg(result.per_day_mg),
        "total_dose_mg": _mg(result.course_mg),
        "days": [
            {"day": day.number, "date_of_service": day.date_of_service.isoformat(),
             "administered_mg": _mg(day.administered_mg),
             "drawn_mg": _mg(day.plan.drawn_mg), "wasted_mg": _mg(day.plan.wasted_mg),
             "volume_ml": _mg(day.volume_ml) if day.volume_ml is not None else None,
             "vials": [{"size_mg": _mg(size), "count": n, "ndcs": list(day.ndcs_of(size))}
                       for size, n in day.plan.vials],
             "claim_lines": [{"code": line.code, "modifiers": list(line.modifiers),
                              "units": line.units,
                              "payment_limit_usd": line.payment_limit_usd,
                              "cms_quarter": line.cms_quarter,
                              "amount_usd": (str(line.amount_usd)
                                             if line.amount_usd is not None else None)}
                             for line in day.claim_lines],
             "ndc_lines": [line.text for line in day.ndc_lines],
             "admin_lines": [admin_dict(line) for line in day.admin_lines]}
            for day in result.days
        ],
        "course": _course_dict(result),
        "infusion": infusion_text.as_dict(result.infusion),
        "diagnoses": [{"code": d.code, "description": d.description, "covered": d.covered,
                       "coverage_list": d.coverage_list} for d in result.diagnoses],
        "prior_authorization": {"required": result.prior_auth_required,
                                "reference": result.prior_auth},
        "cms": result.cms,
        "warnings": list(result.warnings),
        "notes": list(result.notes),
        "working": [{"step": s.topic, "text": s.text, "source": s.source}
                    for s in result.steps],
        "catalog": result.catalog_version,
        "version": result.app_version,
    }


def admin_dict(line: AdminLine) -> dict[str, Any]:
    """An administration line in the JSON contract: code, units, date, minutes, estimated."""
    return {"code": line.code, "units": line.units,
            "date_of_service": line.date_of_service.isoformat(), "minutes": line.minutes,
            "estimated": line.estimated}


def vial_preference_dict(result: Result) -> dict[str, Any]:
    """The site's vial preference, the extra units the plan discards for it, and the other
    plan (least waste, or fewer vials) with its extra units."""
    other = result.vial_other
    return {"units": result.vial_preference_units, "extra_units": result.vial_extra_units,
            "other_plan": None if other is None else {
                "vials": [{"size_mg": _mg(size), "count": n} for size, n in other.vials],
                "vial_count": other.vial_count,
                "extra_units": result.vial_other_extra_units}}


def other_plan_text(result: Result) -> str:
    """The plan not chosen, as the window shows it under the vials ('' when none)."""
    other = result.vial_other
    if other is None:
        return ""
    vials = " + ".join(f"{n} × {text.grams(s)}" for s, n in other.vials)
    count = text.count(other.vial_count, "vial")
    if result.vial_extra_units:
        return (f"Least waste would open {vials} ({count}): "
                f"{text.count(result.vial_extra_units, 'unit')} less discarded. Fewer vials "
                f"are chosen by the site's preference (within "
                f"{text.count(result.vial_preference_units, 'unit')}).")
    more = result.vial_other_extra_units
    site = result.vial_preference_units
    why = ("the site prefers the least waste" if site == 0 else
           f"more than the site's {text.count(site, 'unit')}")
    return (f"Fewer vials: {vials} ({count}) would discard "
            f"{text.count(more, 'more unit') if more else 'no more units'}; {why}.")


def _course_dict(result: Result) -> dict[str, Any]:
    total = course_total(result)
    return {"days": result.day_count, "administered_mg": _mg(total.administered_mg),
            "drawn_mg": _mg(total.drawn_mg), "wasted_mg": _mg(total.wasted_mg),
            "administered_units": total.administered_units,
            "discarded_units": total.discarded_units}


def summary_json(result: Result) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
