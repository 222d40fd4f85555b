"""What the Check page copies and prints, and the batch it opens from a CSV file.

Why a module of its own: the page reasons about one claim; this holds what leaves it. The
window's Ctrl+Shift+C and Ctrl+P call `copy` and `print_to` here, so one claim's findings
and expected lines, or an opened batch (summary and rows, as sorted), reach the clipboard
as plain text and HTML, or paper, from the engine's own text (check.report, check.summary).
It knows the page by its layout (CheckFields: catalog, result, status line), so the page
imports it and not the other way round.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QObject, QStandardPaths, Signal
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import QFileDialog, QPushButton

from ivigcalc.check import batch, report
from ivigcalc.check.summary import summarize
from ivigcalc.errors import IvigcalcError
from ivigcalc.gui.check.batch_view import BatchPanel
from ivigcalc.gui.check.layout import CheckFields

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter



class CheckReports(QObject):
    """The page's batch panel and its copy/print; `changed` when there is more or less to
    copy (a batch opened or closed)."""

    changed = Signal()

    def __init__(self, page: CheckFields) -> None:
        super().__init__(page)
        self.page = page
        self.panel = BatchPanel(page)
        self.panel.hide()
        self.panel.closeButton.clicked.connect(self.changed)
        self.button = QPushButton("Check a CSV &file…", page)
        self.button.setObjectName("checkBatchButton")
        self.button.setAccessibleName("Check a CSV file of claims")
        self.button.setToolTip("Check every claim in a CSV export (columns id, date, payer, "
                               "product, code, route, administered, vials, lines, kx, "
                               "stocked…)")
        self.button.clicked.connect(self.choose)

    # --- the batch ------------------------------------------------------------------------

    def choose(self) -> None:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getOpenFileName(self.page, "Check a CSV file of claims", folder,
                                              "CSV files (*.csv);;All files (*)")
        if path:
            self.open_batch(path)

    def open_batch(self, path: str) -> bool:
        """Check every row of the file and show it; a file that cannot be read is said on
        the page's status line (rows that are wrong are reported in the table)."""
        catalog = self.page.catalog
        try:
            handle, reader, _ = batch.open_rows(path)
            with handle:
                reports = list(batch.check_rows(reader, catalog, batch.Defaults()))
        except (IvigcalcError, csv.Error) as error:
            self.page.statusLabel.setText(f"⚠ The batch could not be read: {error}")
            return False
        summary = summarize(reports, catalog.cms_history)
        self.panel.show_batch(Path(path).name, reports, summary)
        self.changed.emit()
        return True

    # --- copy and print -------------------------------------------------------------------

    def has_report(self) -> bool:
        return self.panel.isVisibleTo(self.page) or self.page.result is not None

    def _texts(self) -> tuple[str, str] | None:
        if self.panel.isVisibleTo(self.page):
            return self.panel.report_text(), self.panel.report_html()
        result = self.page.result
        if result is None:
            return None
        return report.findings_text(result), report.findings_html(result)

    def mime(self) -> QMimeData | None:
        texts = self._texts()
        if texts is None:
            return None
        mime = QMimeData()
        mime.setText(texts[0])
        mime.setHtml(texts[1])
        return mime

    def copy(self) -> bool:
        """The findings and expected lines (or the batch) as plain text and HTML."""
        mime = self.mime()
        if mime is None:
            return False
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def document(self) -> QTextDocument | None:
        texts = self._texts()
        if texts is None:
            return None
        doc = QTextDocument()
        doc.setHtml(texts[1])
        return doc

    def print_to(self, printer: QPrinter) -> int:
        """Print what would be copied; returns the number of pages (0: nothing to print)."""
        doc = self.document()
        if doc is None:
            return 0
        doc.documentLayout().setPaintDevice(printer)
        doc.setPageSize(printer.pageRect(printer.Unit.DevicePixel).size())
        doc.print_(printer)
        return doc.pageCount()
