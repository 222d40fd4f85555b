"""What the worksheet says: the running header of every page and the body, as the subset
of HTML Qt's QTextDocument lays out. No Qt here: gui/output/paper.py lays it out on pages.

It holds what a second pharmacist needs to check the preparation: the inputs as entered,
the result and the engine's working (each step with its source), the vial plan and the
claim lines, the warnings, and "Prepared by / Checked by" lines, with the catalog version
and the date printed. The text is the engine's own (render, text, result_rows) so the sheet,
the screen and the pasted summary cannot disagree. Paper is not themed: black on white.

A token never breaks across lines (a date, an NDC, a code and its modifiers, a dose and its
unit): paper.py wraps at word boundaries only, and `_esc` joins the words of a token with
no-break spaces, so `2026-12-0` / `7` or `J1561 JB` / `JZ` cannot be misread.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence

from ivigcalc import infusion_text, render, result_rows, text
from ivigcalc.billing import multiple_ndc
from ivigcalc.billing.admin import TOPIC as ADMIN_TOPIC
from ivigcalc.dose.infusion import TOPICS as INFUSION_TOPICS
from ivigcalc.result import Result
from ivigcalc.text import SEE_LABEL

BASE_POINT_SIZE = 7.5
TITLE = "Immune globulin dose worksheet"
_CELL = 'style="padding: 0px 4px;"'
_TALL_CELL = 'style="padding: 2px 4px;"'  # room to write a lot number by hand
_BLANK = "_" * 28
NBSP = "\u00a0"
# Steps with a table of their own (the rate plan, the administration lines), and steps the
# Result table says in the same words (the dose, the diagnoses): not in the working.
_OWN_TABLE = frozenset({*INFUSION_TOPICS, ADMIN_TOPIC})
# Where a claim puts a second NDC (billing/multiple_ndc.py) is the coder's, not the
# preparer's: left to the summary and the claim outputs.
_CODERS = frozenset({multiple_ndc.TOPIC})
_IN_RESULT = frozenset({"Dose", "Diagnosis"})

# The words of one token: a code and its modifiers ('J1561 JA JW', '96365 59'), 'Day 3', a
# figure and its unit ('27.3 g', '46.8 mL/h'), a CMS quarter ('2026-Q1').
_CODE_AND_MODIFIERS = re.compile(r"\b(?:[A-Z]\d{4}|\d{5})(?: (?:[A-Z][A-Z0-9]|\d{2})\b)+")
_DAY = re.compile(r"\bDay (?=\d)")
_UNIT = re.compile(r"(?<=\d) (?=(?:g|mg|kg|mL|mL/h|mg/kg|g/kg|min|h|cm|lb|USD)\b)")
_QUARTER = re.compile(r"(?<=\d{4})-(?=Q[1-4]\b)")  # '2026-Q1': Qt breaks after a hyphen
WORD_JOINER = "\u2060"  # no break here, and nothing in the PDF's text


def keep_together(value: str) -> str:
    """`value` with the spaces inside each token made no-break spaces."""
    value = _CODE_AND_MODIFIERS.sub(lambda m: m.group(0).replace(" ", NBSP), value)
    value = _QUARTER.sub("-" + WORD_JOINER, value)
    return _UNIT.sub(NBSP, _DAY.sub("Day" + NBSP, value))


def _esc(value: str) -> str:
    return html.escape(keep_together(value)).replace(NBSP, "&nbsp;").replace("\n", "<br>")


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], *, widths: Sequence[int] = (),
           bold_rows: frozenset[int] = frozenset(),
           numeric: frozenset[int] = frozenset(), tall: bool = False,
           point_size: float | None = None) -> str:
    def cell(tag: str, value: str, column: int, bold: bool = False) -> str:
        width = f' width="{widths[column]}%"' if column < len(widths) else ""
        align = ' align="right"' if column in numeric else ""
        content = f"<b>{_esc(value)}</b>" if bold else _esc(value)
        if point_size is not None and content:
            content = f'<span style="font-size: {point_size}pt;">{content}</span>'
        style = _TALL_CELL if tall and tag == "td" else _CELL
        return f"<{tag}{width}{align} {style}>{content or '&nbsp;'}</{tag}>"

    parts = ['<table border="1" cellspacing="0" cellpadding="1" width="100%" '
             'style="border-collapse: collapse; border-color: #777;">']
    if head:  # a header row repeats where a table runs onto the next page
        parts.append('<thead><tr style="background-color: #e8e8e8;">' +
                     "".join(cell("th", h, i) for i, h in enumerate(head)) + "</tr></thead>")
    for number, row in enumerate(rows):
        parts.append("<tr>" + "".join(cell("td", v, i, number in bold_rows)
                                      for i, v in enumerate(row)) + "</tr>")
    parts.append("</table>")
    return "".join(parts)


def _rows_table(head: Sequence[str], numeric: frozenset[int],
                rows: Sequence[result_rows.Row], result: Result) -> str:
    """The window's table (result_rows), without the day column for a one-day order."""
    cells = [row.cells for row in rows]
    if result.day_count == 1:
        cells = [row[1:] for row in cells]
        head, numeric = head[1:], frozenset(c - 1 for c in numeric)
    return _table(head, cells, numeric=numeric,
                  bold_rows=frozenset(i for i, row in enumerate(rows) if row.total))


def _times_table(result: Result) -> str:
    """Each day's infusion start and stop, to write by hand when the sheet is printed before
    the infusion: the administration lines (after the drug's in the claim lines) are billed
    from them. A day whose times were typed shows the minutes they make instead."""
    rows = []
    for day in result.days:
        documented = [line for line in day.admin_lines if not line.estimated]
        day_label = f"Day {day.number} " if result.day_count > 1 else ""
        rows.append((f"{day_label}documented", f"{documented[0].minutes} min", "", "")
                    if documented else (f"{day_label}start", "", "stop", ""))
    return _table((), rows, widths=(26, 27, 20, 27), tall=True)


def _limit_caption(result: Result) -> str:
    """What 'At Medicare limit' is: units × the quarter's payment allowance limit."""
    if result.cms is None:
        return ""
    return (f" At Medicare limit: units × Medicare's payment allowance limit (CMS "
            f"{_esc(render.cms_quarters_text(result))}), not the price paid, not a charge.")


def _result_rows(result: Result) -> list[tuple[str, str]]:
    weight = result.dosing
    rows = [("Dosing weight", f"{text.weight(weight.kg)} ({weight.reason})"),
            ("Dose", render.dose_line(result))]
    rows += render.necessity_rows(result)
    for heading, day in render.plan_groups(result):
        rows.append((heading, render.day_heading(result, day)))
    if result.day_count > 1:
        rows.append(("Course", "\n".join(render.course_lines(result))))
    return rows


def _key_figure(result: Result) -> str:
    """The figure the pharmacist prepares, large: 'Administer 28 g = 280 mL'."""
    first = result.days[0]
    volume = " (volume per the reconstitution)"
    if first.volume_ml is not None:  # '≈' stands for '=' when the volume was rounded
        shown = text.ml(first.volume_ml)
        volume = f" ≈ {shown[1:]}" if shown.startswith("≈") else f" = {shown}"
    each = f" each day, {text.count(result.day_count, 'day')}" if result.day_count > 1 else ""
    # A course's dates (one day's is in the payer's line already).
    dates = " · ".join(f"Day {d.number}: {d.date_of_service.isoformat()}" for d in result.days
                       ) if result.day_count > 1 else ""
    return (f'<p style="font-size: {BASE_POINT_SIZE + 7}pt; margin: 4px 0 0 0;"><b>Administer '
            f"{_esc(text.grams(first.administered_mg) + volume)}</b>"
            f'<span style="font-size: {BASE_POINT_SIZE + 2}pt;">{_esc(each)}</span></p>'
            + (f'<p style="margin: 0 0 4px 0;">{_esc(dates)}</p>' if dates else ""))


def _rate_heading(result: Result) -> str:
    infusion = result.infusion
    if infusion is None:
        return _heading("Infusion rate") + f'<p style="margin: 0;">{_esc(SEE_LABEL)}</p>'
    if infusion.route == "sc":
        heading = f"{infusion_text.heading(infusion)}. Site limit: {infusion.limit_text}"
    else:  # the product is in the sheet's header; the table shows the start
        group = infusion.title.split(", ", 1)[-1]
        heading = (f"{group}, maximum {text.ml_per_h(infusion.max_rate_ml_per_h)}, "
                   f"{text.minutes(infusion.total_minutes)} in all")
    return (f'<p style="margin-top: 6px; margin-bottom: 2px;"><b>Infusion rate:</b> '
            f"{_esc(heading)}</p>")


def _rate_table(result: Result) -> str:
    """The label's rate steps for the pump ('' when no rate is on record)."""
    infusion = result.infusion
    if infusion is None:
        return ""
    return _table(infusion_text.HEADERS, infusion_text.rows(infusion),
                  bold_rows=frozenset({len(infusion.steps) - 1}),
                  numeric=infusion_text.NUMERIC)


def _lot_table(result: Result) -> str:
    """One line per vial opened, each day: lot, expiry and beyond-use written by hand."""
    course = result.day_count > 1
    rows = []
    for day in result.days:
        # Every row names its day (a day's rows may run onto the next page), the first its date.
        label = f"Day {day.number}, {day.date_of_service.isoformat()}"
        for size, count in day.plan.vials:
            for number in range(1, count + 1):
                vial = f"{text.grams(size)} ({number} of {count})"
                rows.append((label, vial, "", "", "") if course else (vial, "", "", ""))
                label = f"Day {day.number}"
    head = ("Day", "Vial", "Lot", "Expiry", "Beyond use")
    return _table(head if course else head[1:], rows,
                  widths=(20, 18, 24, 16, 22) if course else (32, 26, 20, 22), tall=True)


def _pairs_table(rows: Sequence[tuple[str, str]]) -> str:
    """Label and value pairs two to a row, down the first pair of columns, then the second."""
    half = (len(rows) + 1) // 2
    left, right = rows[:half], [*rows[half:], ("", "")]
    return _table((), [(*a, *b) for a, b in zip(left, right, strict=False)],
                  widths=(16, 34, 16, 34))


def _heading(title: str) -> str:
    return f'<p style="margin-top: 6px; margin-bottom: 2px;"><b>{_esc(title)}</b></p>'


def _side_by_side(left: str, right: str, left_percent: int) -> str:
    return ('<table width="100%" cellspacing="0" cellpadding="0"><tr>'
            f'<td width="{left_percent}%" valign="top" style="padding-right: 8px;">{left}</td>'
            f'<td width="{100 - left_percent}%" valign="top">{right}</td></tr></table>')


def header_html(result: Result, page: int, pages: int) -> str:
    """The running header of every page: the sheet, the product, blanks for the patient
    (the app never holds a name or a record number), and 'page n of m'."""
    product_line = render.header_lines(result)[0]
    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td><span style="font-size: {BASE_POINT_SIZE + 4}pt;"><b>{_esc(TITLE)}</b></span>'
        f"&nbsp;&nbsp; {_esc(product_line)}</td>"
        f'<td align="right" valign="top">{_esc(f"page {page} of {pages}")}</td></tr></table>'
        f'<p style="margin: 3px 0 0 0;">Patient: {_BLANK}&nbsp;&nbsp;&nbsp;'
        f"MRN / date of birth: {_BLANK}</p>"
        # The rule under the header: a cell's bottom border (Qt draws <hr> faint grey).
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 2px; '
        'border-collapse: collapse;"><tr><td style="border-bottom: 1px solid black;">'
        "</td></tr></table>")


def body_html(result: Result, inputs: Sequence[tuple[str, str]],
              printed: dt.datetime, *, condensed: bool = False) -> str:
    """The worksheet below the running header; `condensed`: the working and its sources a
    point smaller (paper.py asks for it when a one-day order would not fit one page)."""
    small = f"font-size: {BASE_POINT_SIZE - (2 if condensed else 1.5)}pt; color: #555;"
    payer_line = render.header_lines(result)[1]
    if result.cms is not None:  # the quarter whose NDCs and payment limits the lines use
        payer_line += f" · CMS data: {render.cms_quarters_text(result)}"
    rates = _rate_heading(result) + _rate_table(result)
    times = _heading("Infusion start and stop") + _times_table(result)
    lots = _heading("Vials: lot, expiry, beyond-use date/time") + _lot_table(result)
    out = [
        f'<p style="margin: 0;">{_esc(payer_line)}</p>',
        _key_figure(result),
        # Two columns, so that a one-day order fits one page: the inputs (two pairs a row)
        # beside the result; the claim lines (the drug's, then the administration lines)
        # beside the vials to open; a lot line per vial beside the rates and the infusion's
        # start and stop. A course's longer lot list goes below, under its own heading.
        _side_by_side(_heading("Inputs as entered") + _pairs_table(inputs),
                      _heading("Result") + _table((), _result_rows(result), widths=(20, 80)),
                      50),
        _side_by_side(_heading("Claim lines")
                      + _rows_table(result_rows.CLAIM_HEADERS, result_rows.CLAIM_NUMERIC,
                                    result_rows.claim_rows(result), result),
                      _heading("Vials to open")
                      + _rows_table(result_rows.VIAL_HEADERS, result_rows.VIAL_NUMERIC,
                                    result_rows.vial_rows(result), result),
                      55),
        *([_side_by_side(rates, times, 60), lots] if result.day_count > 1 else
          [_side_by_side(lots, rates + times, 40)]),
        # The soft-limit acknowledgement (reason, who) on the heading's line: never on disk.
        _heading("Warnings" + (f" · {result.acknowledgement.text}"
                               if result.acknowledgement is not None else "")),
    ]
    warnings = [n.message for n in result.notices if n.level == "warning"]
    notes = [n.message for n in result.notices if n.level == "note"]
    out += [f'<p style="margin: 0;">⚠ <b>{_esc(w)}</b></p>' for w in warnings] or \
        ['<p style="margin: 0;">None.</p>']
    out += [f'<p style="margin: 0;">Note: {_esc(n)}</p>' for n in notes]
    # Signed after the preparation it covers; the working below is for the checker.
    out.append(
        '<table width="100%" cellspacing="0" cellpadding="2" style="margin-top: 4px;">'
        f"<tr><td>Prepared by: {'_' * 34}</td><td>Date/time: {'_' * 22}</td></tr>"
        f"<tr><td>Checked by: {'_' * 34}&nbsp;</td><td>Date/time: {'_' * 22}</td></tr>"
        "</table>")
    out.append(_heading("Working"))
    steps = [step for step in result.steps if step.topic not in _OWN_TABLE | _CODERS]
    working = [step for step in steps if step.topic not in _IN_RESULT]
    out.append(_table(("#", "Step", "Working"), [
        (str(number), step.topic, step.text) for number, step in enumerate(working, 1)
    ], widths=(3, 15, 82), numeric=frozenset({0}),
        point_size=BASE_POINT_SIZE - 1 if condensed else None))
    sources = sorted({step.source for step in steps if step.source})
    if result.infusion is not None:
        sources.append(infusion_text.source_line(result.infusion, short=True))
    out.append(f'<p style="{small} margin-top: 3px;">'
               + (f"Sources: {'; '.join(_esc(s) for s in sources)}.<br>" if sources else "")
               + f"{_esc(render.footer(result))} · printed "
               f"{printed.strftime('%Y-%m-%d %H:%M')}. Check every figure against the order "
               f"and the vial labels before preparing.{_limit_caption(result)}</p>")
    return "\n".join(out)


def file_name(result: Result) -> str:
    """What the file is, and nothing about the patient (no name, no date of service)."""
    return f"ig-dose-worksheet-{result.product_key}.pdf"
