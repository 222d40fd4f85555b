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

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from ivigcalc import render, text
from ivigcalc.dose.infusion import TOPICS as INFUSION_TOPICS
from ivigcalc.gui.models import COURSE_NOT_A_LINE, ClaimLinesModel, VialPlanModel
from ivigcalc.result import Result

MARGIN_MM = 12
BASE_POINT_SIZE = 8.5
_CELL = 'style="padding: 1px 5px;"'


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], *, widths: Sequence[int] = (),
           bold_rows: frozenset[int] = frozenset(),
           numeric: frozenset[int] = frozenset()) -> str:
    def cell(tag: str, value: str, column: int, bold: bool = False) -> str:
        width = f' width="{widths[column]}%"' if column < len(widths) else ""
        align = ' align="right"' if column in numeric else ""
        content = f"<b>{html.escape(value)}</b>" if bold else html.escape(value)
        return f"<{tag}{width}{align} {_CELL}>{content}</{tag}>"

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
                     if row[-1].endswith(" in all") or row[-1] == COURSE_NOT_A_LINE)
    return _table(head, rows, bold_rows=bold, numeric=numeric)


def _result_rows(result: Result) -> list[tuple[str, str]]:
    weight = result.dosing
    rows = [("Dosing weight", f"{text.kg(weight.kg)} ({weight.reason})"),
            ("Dose", render.dose_line(result))]
    rows += render.necessity_rows(result)
    for heading, day in render.plan_groups(result):
        rows.append((heading, render.day_heading(result, day)))
    if result.day_count > 1:
        rows.append(("Course", "\n".join(render.course_lines(result))))
    return rows


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
        _side_by_side(_heading("Inputs as entered") + _table((), inputs, widths=(36, 64)),
                      _heading("Result") + _table((), _result_rows(result), widths=(20, 80)),
                      40),
        _side_by_side(_heading("Vials to open") + _model_table(VialPlanModel(), result),
                      _heading("Claim lines") + _model_table(ClaimLinesModel(), result), 36),
        _heading("Warnings"),
    ]
    warnings = [n.message for n in result.notices if n.level == "warning"]
    notes = [n.message for n in result.notices if n.level == "note"]
    out += [f'<p style="margin: 0;">⚠ <b>{esc(w)}</b></p>' for w in warnings] or \
        ['<p style="margin: 0;">None.</p>']
    out += [f'<p style="margin: 0;">Note: {esc(n)}</p>' for n in notes]
    out.append(_heading("Working"))
    working = [step for step in result.steps if step.topic not in INFUSION_TOPICS]
    out.append(_table(("#", "Step", "Working"), [
        (str(number), step.topic, step.text) for number, step in enumerate(working, 1)
    ], widths=(4, 16, 80), numeric=frozenset({0})))
    sources = sorted({step.source for step in working if step.source})
    if sources:
        out.append(f'<p style="{small} margin-top: 3px;">Sources: '
                   + "; ".join(esc(s) for s in sources) + "</p>")
    out.append(
        '<table width="100%" cellspacing="0" cellpadding="4" style="margin-top: 16px;">'
        f"<tr><td>Prepared by: {'_' * 34}</td><td>Date/time: {'_' * 22}</td></tr>"
        f"<tr><td>Checked by: {'_' * 34}&nbsp;</td><td>Date/time: {'_' * 22}</td></tr>"
        "</table>")
    out.append(f'<p style="{small} margin-top: 8px;">{esc(render.footer(result))} · '
               f"printed {printed.strftime('%Y-%m-%d %H:%M')}. Check every figure against the "
               "order and the vial labels before preparing.</p>")
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
    if page_size is not None:
        printer.setPageSize(QPageSize(page_size))
    return print_worksheet(printer, result, inputs)
