"""The one-page pharmacist worksheet: printed, or saved as PDF, through Qt's print support.

It holds what a second pharmacist needs to check the preparation: the inputs as entered,
the result and the engine's working (each step with its source), the vial plan and the
claim lines, the warnings, and "Prepared by / Checked by" lines, with the catalog version
and the date printed. The text is the engine's own (render, text) so the sheet, the screen
and the pasted summary cannot disagree. Paper is not themed: the sheet is black on white.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from PySide6.QtCore import QLocale, QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from ivigcalc import infusion_text, render, text
from ivigcalc.billing.admin import TOPIC as ADMIN_TOPIC
from ivigcalc.dose.infusion import TOPICS as INFUSION_TOPICS
from ivigcalc.gui.widgets.result_tables import COURSE_NOT_A_LINE, ClaimLinesModel, VialPlanModel
from ivigcalc.result import Result
from ivigcalc.text import SEE_LABEL

MARGIN_MM = 12
BASE_POINT_SIZE = 8.5
_CELL = 'style="padding: 1px 5px;"'
_TALL_CELL = 'style="padding: 3px 5px;"'  # room to write a lot number by hand


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], *, widths: Sequence[int] = (),
           bold_rows: frozenset[int] = frozenset(),
           numeric: frozenset[int] = frozenset(), tall: bool = False) -> str:
    def cell(tag: str, value: str, column: int, bold: bool = False) -> str:
        width = f' width="{widths[column]}%"' if column < len(widths) else ""
        align = ' align="right"' if column in numeric else ""
        content = f"<b>{html.escape(value)}</b>" if bold else html.escape(value)
        style = _TALL_CELL if tall and tag == "td" else _CELL
        return f"<{tag}{width}{align} {style}>{content or '&nbsp;'}</{tag}>"

    parts = ['<table border="1" cellspacing="0" cellpadding="2" width="100%" '
             'style="border-collapse: collapse; border-color: #777;">']
    if head:
        parts.append('<tr style="background-color: #e8e8e8;">' +
                     "".join(cell("th", h, i) for i, h in enumerate(head)) + "</tr>")
    for number, row in enumerate(rows):
        parts.append("<tr>" + "".join(cell("td", v, i, number in bold_rows)
                                      for i, v in enumerate(row)) + "</tr>")
    parts.append("</table>")
    return "".join(parts)


def _model_table(model: VialPlanModel | ClaimLinesModel, result: Result) -> str:
    """The same rows as the window's table (the day column only for a course of days)."""
    model.set_result(result)
    rows = model.rows()
    head: Sequence[str] = model.HEADERS
    numeric: frozenset[int] = model.NUMERIC
    if result.day_count == 1:
        rows = [row[1:] for row in rows]
        head, numeric = head[1:], frozenset(c - 1 for c in numeric)
    bold = frozenset(i for i, row in enumerate(rows)
                     if any(cell.endswith(" in all") or cell == COURSE_NOT_A_LINE
                            for cell in row))
    return _table(head, rows, bold_rows=bold, numeric=numeric)


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
            f"{html.escape(render.cms_quarters_text(result))}), not the price paid, not a "
            "charge.")


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
    # A course's dates (one day's is in the header already).
    dates = " · ".join(f"Day {d.number}: {d.date_of_service.isoformat()}" for d in result.days
                       ) if result.day_count > 1 else ""
    return (f'<p style="font-size: {BASE_POINT_SIZE + 8}pt; margin: 0;"><b>Administer '
            f"{html.escape(text.grams(first.administered_mg) + volume)}</b>"
            f'<span style="font-size: {BASE_POINT_SIZE + 2}pt;">{html.escape(each)}</span></p>'
            + (f'<p style="margin: 0 0 8px 0;">{html.escape(dates)}</p>' if dates else ""))


def _rate_heading(result: Result) -> str:
    infusion = result.infusion
    if infusion is None:
        return _heading("Infusion rate") + f'<p style="margin: 0;">{SEE_LABEL}</p>'
    if infusion.route == "sc":
        heading = f"{infusion_text.heading(infusion)}. Site limit: {infusion.limit_text}"
    else:  # the product is in the sheet's header; the table shows the start
        group = infusion.title.split(", ", 1)[-1]
        heading = (f"{group}, maximum {text.ml_per_h(infusion.max_rate_ml_per_h)}, "
                   f"{text.minutes(infusion.total_minutes)} in all")
    return (f'<p style="margin-top: 9px; margin-bottom: 2px;"><b>Infusion rate:</b> '
            f"{html.escape(heading)}</p>")


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
        label = f"Day {day.number}, {day.date_of_service.isoformat()}"
        for size, count in day.plan.vials:
            for number in range(1, count + 1):
                vial = f"{text.grams(size)} ({number} of {count})"
                rows.append((label, vial, "", "", "") if course else (vial, "", "", ""))
                label = ""
    head = ("Day", "Vial", "Lot", "Expiry", "Beyond use")
    return _table(head if course else head[1:], rows,
                  widths=(20, 18, 24, 16, 22) if course else (32, 26, 20, 22), tall=True)


def _infusion_and_lots(result: Result) -> str:
    """The rates, then a lot line per vial: side by side for one day (the sheet stays one
    page); a course's longer vial list goes below, under its own heading."""
    heading = _rate_heading(result)
    if result.day_count > 1 or result.infusion is None:
        return (heading + _rate_table(result) +
                _heading("Vials: lot, expiry, beyond-use date/time") + _lot_table(result))
    return heading + _side_by_side(_rate_table(result), _lot_table(result), 60)


def default_page_size(locale: QLocale | None = None) -> QPageSize.PageSizeId:
    """Letter where the locale's paper is Letter (the Americas' Letter countries), else A4."""
    territory = (locale or QLocale.system()).territory()
    return QPageSize.PageSizeId.Letter if territory in _LETTER else QPageSize.PageSizeId.A4


_LETTER = frozenset({QLocale.Country.UnitedStates, QLocale.Country.Canada,
                     QLocale.Country.Mexico, QLocale.Country.Philippines,
                     QLocale.Country.Chile, QLocale.Country.Colombia,
                     QLocale.Country.PuertoRico})


def file_name(result: Result) -> str:
    """What the file is, and nothing about the patient (no name, no date of service)."""
    return f"ig-dose-worksheet-{result.product_key}.pdf"


def _heading(title: str) -> str:
    return f'<p style="margin-top: 9px; margin-bottom: 2px;"><b>{html.escape(title)}</b></p>'


def _side_by_side(left: str, right: str, left_percent: int) -> str:
    return ('<table width="100%" cellspacing="0" cellpadding="0"><tr>'
            f'<td width="{left_percent}%" valign="top" style="padding-right: 10px;">{left}</td>'
            f'<td width="{100 - left_percent}%" valign="top">{right}</td></tr></table>')


def worksheet_html(result: Result, inputs: Sequence[tuple[str, str]],
                   printed: dt.datetime) -> str:
    """The worksheet as Qt rich text (the subset of HTML QTextDocument lays out)."""
    esc = html.escape
    small = f"font-size: {BASE_POINT_SIZE - 1.5}pt; color: #555;"
    product_line, payer_line = render.header_lines(result)[:2]
    blank = "_" * 30
    out = [
        f'<p style="font-size: {BASE_POINT_SIZE + 5}pt; margin: 0;"><b>Immune globulin '
        "dose worksheet</b></p>",
        f'<p style="margin: 2px 0 0 0;">{esc(product_line)}<br>{esc(payer_line)}</p>',
        # Written by hand: the app never holds a name or a record number.
        f'<p style="margin-top: 8px; margin-bottom: 8px;">Patient: {blank}'
        f"&nbsp;&nbsp;&nbsp;MRN / date of birth: {blank}</p>",
        _key_figure(result),
        # The claim lines (the drug's, then the administration lines) sit under the result,
        # beside the taller inputs; the vials to open beside the infusion start and stop.
        _side_by_side(_heading("Inputs as entered") + _table((), inputs, widths=(40, 60)),
                      _heading("Result") + _table((), _result_rows(result), widths=(20, 80))
                      + _heading("Claim lines") + _model_table(ClaimLinesModel(), result),
                      40),
        _side_by_side(_heading("Vials to open") + _model_table(VialPlanModel(), result),
                      _heading("Infusion start and stop") + _times_table(result), 50),
        _infusion_and_lots(result),
        # The soft-limit acknowledgement (reason, who) on the heading's line: never on disk.
        _heading("Warnings" + (f" · {result.acknowledgement.text}"
                               if result.acknowledgement is not None else "")),
    ]
    warnings = [n.message for n in result.notices if n.level == "warning"]
    notes = [n.message for n in result.notices if n.level == "note"]
    out += [f'<p style="margin: 0;">⚠ <b>{esc(w)}</b></p>' for w in warnings] or \
        ['<p style="margin: 0;">None.</p>']
    out += [f'<p style="margin: 0;">Note: {esc(n)}</p>' for n in notes]
    # Signed after the preparation it covers; the working below is for the checker.
    out.append(
        '<table width="100%" cellspacing="0" cellpadding="4" style="margin-top: 10px;">'
        f"<tr><td>Prepared by: {'_' * 34}</td><td>Date/time: {'_' * 22}</td></tr>"
        f"<tr><td>Checked by: {'_' * 34}&nbsp;</td><td>Date/time: {'_' * 22}</td></tr>"
        "</table>")
    out.append(_heading("Working"))
    working = [step for step in result.steps
               if step.topic not in INFUSION_TOPICS and step.topic != ADMIN_TOPIC]
    out.append(_table(("#", "Step", "Working"), [
        (str(number), step.topic, step.text) for number, step in enumerate(working, 1)
    ], widths=(4, 18, 78), numeric=frozenset({0})))
    sources = sorted({step.source for step in working if step.source})
    if result.infusion is not None:
        sources.append(infusion_text.source_line(result.infusion, short=True))
    if sources:
        out.append(f'<p style="{small} margin-top: 3px;">Sources: '
                   + "; ".join(esc(s) for s in sources) + "</p>")
    out.append(f'<p style="{small} margin-top: 8px;">{esc(render.footer(result))} · '
               f"printed {printed.strftime('%Y-%m-%d %H:%M')}. Check every figure against the "
               f"order and the vial labels before preparing.{_limit_caption(result)}</p>")
    return "\n".join(out)


def document(result: Result, inputs: Sequence[tuple[str, str]], printer: QPrinter,
             printed: dt.datetime | None = None) -> QTextDocument:
    """The worksheet laid out for this printer's page (so pageCount() is what prints)."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)
    font = QFont()
    font.setPointSizeF(BASE_POINT_SIZE)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(worksheet_html(result, inputs, printed or dt.datetime.now()))
    doc.setPageSize(printer.pageRect(QPrinter.Unit.DevicePixel).size())
    return doc


def new_printer(pdf_path: str | None = None) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                           QPageLayout.Unit.Millimeter)
    printer.setDocName("IG dose worksheet")
    if pdf_path is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(pdf_path)
    return printer


def print_worksheet(printer: QPrinter, result: Result,
                    inputs: Sequence[tuple[str, str]]) -> int:
    """Print (or write the PDF); returns the number of pages."""
    doc = document(result, inputs, printer)
    doc.print_(printer)
    return doc.pageCount()


def save_pdf(path: str, result: Result, inputs: Sequence[tuple[str, str]],
             page_size: QPageSize.PageSizeId | None = None) -> int:
    printer = new_printer(path)
    printer.setPageSize(QPageSize(page_size if page_size is not None else default_page_size()))
    return print_worksheet(printer, result, inputs)
