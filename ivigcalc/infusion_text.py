"""The rate table, written once: the rows the summary, the HTML, the window and the worksheet
show, and the JSON `infusion` object. Exact values are rounded here, for display only.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ivigcalc import text
from ivigcalc.text import SEE_LABEL

if TYPE_CHECKING:  # the window imports this module before its first paint; the engine after
    from ivigcalc.result import Infusion, InfusionStep, Result

HEADERS = ("Start", "Run for", "Rate", "Pump rate", "Volume")
NUMERIC = frozenset({2, 3, 4})


def clock(minutes: Fraction) -> str:
    """Elapsed time as h:mm from the start of the infusion ('1:30')."""
    whole = int(minutes)  # step starts fall on whole minutes except after the last step
    return f"{whole // 60}:{whole % 60:02d}"


def _length(step: InfusionStep) -> str:
    if step.until_done:
        return f"until empty (≈ {text.minutes(step.minutes)})"
    return text.minutes(step.minutes)


def rows(infusion: Infusion) -> list[tuple[str, ...]]:
    """One row per rate step, as a pharmacist programs the pump."""
    return [(clock(s.start_min), _length(s), text.mg_per_kg_min(s.rate_mg_per_kg_min),
             text.ml_per_h(s.rate_ml_per_h), text.ml(s.volume_ml)) for s in infusion.steps]


def heading(infusion: Infusion) -> str:
    """'Privigen, primary humoral immunodeficiency: 21 → 336 mL/h, 2 h 22 min in all'."""
    total = text.minutes(infusion.total_minutes)
    if infusion.route == "sc" and infusion.sites is not None:
        per_site = text.plain(infusion.ml_per_h_per_site or 0)
        return (f"{infusion.title}: {text.count(infusion.sites, 'site')} × "
                f"{text.ml(infusion.ml_per_site or 0)} at {per_site} mL/h/site "
                f"({text.ml_per_h(infusion.max_rate_ml_per_h)} in all), {total}")
    first = infusion.steps[0].rate_ml_per_h
    return (f"{infusion.title}: starts at {text.ml_per_h(first)}, maximum "
            f"{text.ml_per_h(infusion.max_rate_ml_per_h)}, {total} in all")


def source_line(infusion: Infusion, *, short: bool = False) -> str:
    """The label and the date the row was checked; short: the document alone (worksheet)."""
    mark = " (verify against the current label)" if infusion.verify else ""
    source = infusion.source.split(": ", 1)[0] if short else infusion.source
    return f"{source}; checked {infusion.checked.isoformat()}{mark}"


def text_lines(result: Result) -> list[str]:
    """The rate table for the plain-text summary (or the reason there is none)."""
    infusion = result.infusion
    if infusion is None:
        return [f"Infusion: {SEE_LABEL}", ""]
    table = [HEADERS, *rows(infusion)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADERS))]
    lines = [f"Infusion: {heading(infusion)}"]
    if infusion.route == "sc":
        lines.append(f"  Site limit: {infusion.limit_text}")
    for row in table:
        cells = [cell.rjust(w) if i in NUMERIC else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  " + "  ".join(cells).rstrip())
    lines += [f"  Source: {source_line(infusion)}", ""]
    return lines


def html_block(result: Result, cell: str, *, with_source: bool = True) -> str:
    """The rate table as HTML, with the caller's cell style (summary or worksheet)."""
    import html  # html.entities is large: the window imports this module before it paints

    infusion = result.infusion
    if infusion is None:
        return f"<p><b>Infusion</b>: {html.escape(SEE_LABEL)}</p>"
    esc = html.escape
    head = "".join(f"<th {cell}>{esc(h)}</th>" for h in HEADERS)
    right = ' align="right"'
    body = "".join("<tr>" + "".join(
        f"<td {cell}{right if i in NUMERIC else ''}>{esc(c)}</td>"
        for i, c in enumerate(row)) + "</tr>" for row in rows(infusion))
    return (f"<p><b>Infusion</b>: {esc(heading(infusion))}</p>"
            f'<table style="border-collapse:collapse"><tr>{head}</tr>{body}</table>'
            + (f"<p><small>{esc(source_line(infusion))}</small></p>" if with_source else ""))


_num = text.json_number


def as_dict(infusion: Infusion | None) -> dict[str, Any] | None:
    """The JSON `infusion` object (issue 12); None where no rate is on record."""
    if infusion is None:
        return None
    out: dict[str, Any] = {
        "protocol": infusion.protocol,
        "steps": [{"start_min": _num(s.start_min),
                   "minutes": None if s.until_done else _num(s.minutes),
                   "rate_mg_per_kg_min": _num(s.rate_mg_per_kg_min),
                   "rate_ml_per_h": _num(s.rate_ml_per_h),
                   "volume_ml": _num(s.volume_ml)} for s in infusion.steps],
        "max_rate_ml_per_h": _num(infusion.max_rate_ml_per_h),
        "total_minutes": _num(infusion.total_minutes),
        "source": source_line(infusion),
    }
    if infusion.route == "sc":
        out["sites"] = infusion.sites
        out["ml_per_site"] = _num(infusion.ml_per_site or Fraction(0))
    return out
