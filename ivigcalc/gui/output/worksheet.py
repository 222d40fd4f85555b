"""The worksheet from the window: printed on the printer the dialog chose, or saved as PDF.
What it says and how it is laid out on pages is ivigcalc/worksheet/ (the command line's
--worksheet makes the same document); here are only the printer and the form's inputs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter

from ivigcalc.gui.output import paper
from ivigcalc.result import Result


def new_printer(pdf_path: str | None = None) -> QPrinter:
    """A high-resolution printer with the sheet's margins (the Check page prints on it too)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageMargins(QMarginsF(paper.MARGIN_MM, paper.MARGIN_MM, paper.MARGIN_MM,
                                     paper.MARGIN_MM), QPageLayout.Unit.Millimeter)
    printer.setDocName("IG dose worksheet")
    if pdf_path is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(pdf_path)
    return printer


def print_worksheet(printer: QPrinter, result: Result,
                    inputs: Sequence[tuple[str, str]]) -> int:
    """Print on the paper the print dialog chose; returns the number of pages."""
    return paper.Sheet(printer, result, inputs).paint()


def save_pdf(path: str | os.PathLike[str], result: Result, inputs: Sequence[tuple[str, str]],
             printed: dt.datetime | None = None) -> int:
    """The PDF at `path` (the caller's temporary file), on the locale's paper."""
    return paper.write_pdf(path, result, inputs, printed=printed)
