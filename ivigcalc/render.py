"""Plain text, HTML and JSON renderings of one Result: the summary a coder pastes.

The plain text pastes cleanly into an EHR note (no tabs, no markup); the HTML is the same
content as tables for Word or Outlook; the JSON is the CLI contract (schema 1).
"""

from __future__ import annotations

import html
import json
from fractions import Fraction
from typing import Any

from ivigcalc import text
from ivigcalc.data.catalog import ROUTE_NAMES
from ivigcalc.result import Day, Result

JSON_SCHEMA = 1


def vials_text(day: Day) -> str:
    return " + ".join(f"{n} × {text.grams(size)}" for size, n in day.plan.vials)


def dose_line(result: Result) -> str:
    weight = result.dosing
    per_day = text.grams(result.per_day_mg)
    course = text.grams(result.course_mg)
    days = text.count(result.day_count, "day")
    line = (f"{text.dose_per_kg(result.dose_mg_per_kg)} per {result.per} × "
            f"{text.kg(weight.kg)} → {per_day} per day × {days} = {course} per course")
    rounding = result.rounding
    if rounding.applied:
        line += (f" (ordered {text.grams(rounding.ordered_mg)} per day, rounded "
                 f"{rounding.policy}, {text.signed_percent(rounding.percent_change)})")
    return line


def day_heading(result: Result, day: Day) -> str:
    volume = f" ({text.ml(day.volume_ml)})" if day.volume_ml is not None else ""
    return (f"administer {text.grams(day.administered_mg)}{volume}; open "
            f"{vials_text(day)} = {text.grams(day.plan.drawn_mg)}; discard "
            f"{text.grams(day.plan.wasted_mg)}")


def day_groups(result: Result) -> list[tuple[str, Day]]:
    """Identical days are written once ('Days 1–5, each')."""
    first = result.days[0]
    if len(result.days) > 1 and all(d.claim_lines == first.claim_lines and
                                    d.plan == first.plan for d in result.days):
        return [(f"Days 1–{len(result.days)}, each day", first)]
    return [(f"Day {d.number}", d) for d in result.days]


def header_lines(result: Result) -> list[str]:
    weight = result.dosing
    return [
        f"Product: {result.product_name}{_strength(result)}, {result.code}, "
        f"{ROUTE_NAMES[result.route]} ({result.route.upper()})",
        f"Payer: {result.payer_name}; date of service {result.date_of_service.isoformat()}",
        f"Dosing weight: {text.kg(weight.kg)} ({weight.reason})",
        f"Dose: {dose_line(result)}",
    ]


def _strength(result: Result) -> str:
    mg_per_ml = result.concentration_mg_per_ml
    return f" {text.decimal(mg_per_ml / 10, 1)}%" if mg_per_ml is not None else ""


def footer(result: Result) -> str:
    return f"ivigcalc {result.app_version} · catalog {result.catalog_version}"


def summary_text(result: Result, *, working: bool = True) -> str:
    """The billing summary as plain text (what `ivigcalc calc` prints)."""
    out = ["IG billing summary", *header_lines(result), ""]
    for heading, day in day_groups(result):
        out.append(f"{heading}: {day_heading(result, day)}")
        out.append("Claim lines:")
        out.extend(f"  {line.text} units" for line in day.claim_lines)
        out.append("")
    warnings = [n for n in result.notices if n.level == "warning"]
    notes = [n for n in result.notices if n.level == "note"]
    if warnings:
        out.append("Warnings:")
        out.extend(f"  ! {n.message}" for n in warnings)
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


def _table(head: list[str], rows: list[list[str]]) -> str:
    cell = 'style="border:1px solid #888;padding:2px 6px"'
    top = "".join(f"<th {cell}>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td {cell}>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f'<table style="border-collapse:collapse"><tr>{top}</tr>{body}</table>'


def summary_html(result: Result, *, working: bool = True) -> str:
    """The same summary as HTML tables (pastes as a table into Word or Outlook)."""
    esc = html.escape
    parts = ["<h3>IG billing summary</h3>"]
    parts += [f"<p>{esc(line)}</p>" for line in header_lines(result)]
    for heading, day in day_groups(result):
        parts.append(f"<p><b>{esc(heading)}</b>: {esc(day_heading(result, day))}</p>")
        parts.append(_table(["Code", "Modifiers", "Units"],
                            [[line.code, " ".join(line.modifiers), str(line.units)]
                             for line in day.claim_lines]))
    if result.notices:
        parts.append("<ul>" + "".join(
            f"<li>{'<b>Warning:</b> ' if n.level == 'warning' else ''}{esc(n.message)}</li>"
            for n in result.notices) + "</ul>")
    if working:
        parts.append("<p><b>Working</b></p>")
        parts.append(_table(["Step", "Working", "Source"],
                            [[s.topic, s.text, s.source] for s in result.steps]))
    parts.append(f"<p><small>{esc(footer(result))}</small></p>")
    return "\n".join(parts)


def _mg(value: Fraction) -> float:
    return float(round(value, 3))


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
        "ordered_dose_per_day_mg": _mg(result.rounding.ordered_mg),
        "rounding": result.rounding.policy,
        "dose_per_day_mg": _mg(result.per_day_mg),
        "total_dose_mg": _mg(result.course_mg),
        "days": [
            {"day": day.number, "administered_mg": _mg(day.administered_mg),
             "drawn_mg": _mg(day.plan.drawn_mg), "wasted_mg": _mg(day.plan.wasted_mg),
             "volume_ml": _mg(day.volume_ml) if day.volume_ml is not None else None,
             "vials": [{"size_mg": _mg(size), "count": n} for size, n in day.plan.vials],
             "claim_lines": [{"code": line.code, "modifiers": list(line.modifiers),
                              "units": line.units} for line in day.claim_lines]}
            for day in result.days
        ],
        "warnings": list(result.warnings),
        "notes": list(result.notes),
        "working": [{"step": s.topic, "text": s.text, "source": s.source}
                    for s in result.steps],
        "catalog": result.catalog_version,
        "version": result.app_version,
    }


def summary_json(result: Result) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
