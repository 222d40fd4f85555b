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
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, QObject, QStandardPaths, Signal
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import QFileDialog, QPushButton

from ivigcalc.check import batch, remit, report, x12_check, x12_claims, x12_file
from ivigcalc.check.summary import BatchSummary, report_rows
from ivigcalc.errors import InputError
from ivigcalc.gui.check import batch_view
from ivigcalc.gui.check.batch_view import BatchPanel
from ivigcalc.gui.check.layout import CheckFields
from ivigcalc.gui.widgets import worker

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter



# EDI files: X12 837 claims and 835 remittances (clearinghouses often name them .txt).
X12_SUFFIXES = (".837", ".835", ".x12", ".edi", ".txt")
X12_PATTERNS = " ".join(f"*{suffix}" for suffix in X12_SUFFIXES)
COPY_IN_WORKER = 2_000  # rows: a larger batch is written out for the clipboard in the worker
# A batch of more rows is copied as tab-separated text only (it pastes into a spreadsheet);
# an HTML table of 100,000 rows is 30 MB no word processor wants, and slow to hand over.
TABLE_ROWS = 5_000


class CheckReports(QObject):
    """The page's batch panel and its copy/print; `changed` when there is more or less to
    copy (a batch opened or closed)."""

    changed = Signal()

    def __init__(self, page: CheckFields) -> None:
        super().__init__(page)
        self.page = page
        self.panel = BatchPanel(page)
        self.panel.hide()
        self.job: worker.Job | None = None  # the batch being checked or copied
        self.panel.closeButton.clicked.connect(self.changed)
        self.button = QPushButton("Check a &file of claims…", page)
        self.button.setObjectName("checkBatchButton")
        self.button.setAccessibleName("Check a file of claims: CSV, X12 837 or 835")
        self.button.setToolTip("Check every claim in a CSV export (columns id, date, payer, "
                               "product, code, route, administered, vials, lines, kx, "
                               "stocked…) or an X12 837; or read an 835 remittance")
        self.button.clicked.connect(self.choose)

    # --- the batch ------------------------------------------------------------------------

    def choose(self) -> None:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getOpenFileName(
            self.page, "Check a file of claims (CSV, X12 837) or a remittance (X12 835)",
            folder, f"Claims and remittances (*.csv {X12_PATTERNS});;CSV files (*.csv);;"
            f"X12 EDI files ({X12_PATTERNS});;All files (*)")
        if path:
            self.open_batch(path)

    @property
    def busy(self) -> bool:
        """True while a batch is being checked or copied in the worker."""
        return self.job is not None and self.job.running

    def open_batch(self, path: str) -> bool:
        """Check every row of the file in the worker, the table filling as rows are
        checked; False when a batch is already being worked on. A file that cannot be
        read is said on the page's status line (rows that are wrong are reported in the
        table); Cancel keeps the rows checked so far, marked as a partial batch."""
        if self.busy:
            return False
        if Path(path).suffix.lower() in X12_SUFFIXES:
            return self.open_x12(path)
        catalog = self.page.catalog
        summary = BatchSummary(cms=catalog.cms_history)

        def produce(task: worker.Task) -> Iterator[list[tuple[Any, ...]]]:
            try:
                handle, reader, _ = batch.open_rows(path)
                task.total = max(0, handle.getvalue().count("\n") - 1) \
                    if isinstance(handle, io.StringIO) else 0
                with handle:
                    for report in batch.check_rows(reader, catalog, batch.Defaults()):
                        summary.add(report)
                        yield report_rows([report])
            except csv.Error as error:
                raise InputError("csv", f"{path}: {error}") from None

        return self._start(path, "checking", produce,
                           lambda outcome, message, total: self._checked(
                               outcome, message, summary, total))

    def _start(self, path: str, busy: str,
               produce: Callable[[worker.Task], Iterator[list[tuple[Any, ...]]]],
               finished: Callable[[str, str, int], None]) -> bool:
        """Run `produce` in the worker, its rows filling the panel, Cancel wired."""
        self.panel.begin(Path(path).name, busy)
        self.page.statusLabel.setText("")
        self.job = job = worker.Job(produce, self)
        job.arrived.connect(lambda chunk: self.panel.add_rows(
            [row for rows in chunk for row in rows]))
        job.progress.connect(self.panel.set_progress)
        job.finished.connect(lambda outcome, message: finished(outcome, message,
                                                               job.task.total))
        self.panel.cancelButton.clicked.connect(job.cancel)
        job.start()
        self.changed.emit()
        return True

    def open_x12(self, path: str) -> bool:
        """An 837's claims checked, or an 835's immune globulin lines explained, in the
        worker: one row per finding (837: each claim's lines first) or per remitted line."""
        if self.busy:
            return False
        catalog = self.page.catalog
        summary = BatchSummary(cms=catalog.cms_history)
        remitted = remit.Summary()
        kinds: set[str] = set()

        def produce(task: worker.Task) -> Iterator[list[tuple[Any, ...]]]:
            sets = list(x12_file.transactions(x12_file.read_text(path), path))
            kinds.update(t.kind for t in sets)
            if kinds == {"835"}:
                claims835 = [c for t in sets for c in remit.claims_of(t, path)]
                task.total = len(claims835)
                for number, paid in enumerate(claims835, 1):
                    yield remit.table_rows(number, paid, catalog, remitted)
                return
            claims = x12_claims.claims(sets)
            task.total = len(claims)
            for checked in x12_check.check_claims(claims, catalog):
                for row in checked.rows():
                    summary.add(row)
                yield x12_check.table_rows(checked, with_lines=True)

        return self._start(path, "reading", produce,
                           lambda outcome, message, total: self._checked(
                               outcome, message, summary, total,
                               remit.summary_lines(remitted) if kinds == {"835"} else None))

    def _checked(self, outcome: str, message: str, summary: BatchSummary,
                 total: int, lines: list[str] | None = None) -> None:
        self.panel.cancelButton.clicked.disconnect()
        if outcome == worker.FAILED and not self.panel.model.rowCount():
            self.panel.working(False)
            self.panel.hide()
            self.page.statusLabel.setText(f"⚠ The batch could not be read: {message}")
        elif outcome == worker.DONE:
            self.panel.finish(summary, lines=lines)
        else:
            of = f" of {total:,}" if total else ""
            why = (f"cancelled after {summary.rows:,}{of} claims"
                   if outcome == worker.CANCELLED else f"stopped after {summary.rows:,}"
                   f"{of} claims: {message}")
            self.panel.finish(summary, why, lines)
        self.changed.emit()

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
        """The findings and expected lines (or the batch) as plain text and HTML; a batch
        of more than COPY_IN_WORKER rows is written out in the worker (progress, Cancel)
        and reaches the clipboard when it is done."""
        if self.busy:  # a batch still being checked or copied: nothing whole to copy yet
            return False
        if self.panel.isVisibleTo(self.page) and self.panel.model.rowCount() > \
                COPY_IN_WORKER:
            return self._copy_in_worker()
        mime = self.mime()
        if mime is None:
            return False
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def _copy_in_worker(self) -> bool:
        if self.busy:
            return False
        heading, rows = self.panel.heading(), self.panel.model.snapshot()
        step = 2_000
        table = len(rows) <= TABLE_ROWS

        def produce(task: worker.Task) -> Iterator[tuple[str, str] | None]:
            """The text (and the table) written out slice by slice, and joined, here: the
            window only hands the result to the clipboard."""
            task.total = len(rows) // step + 1
            text, markup = [batch_view.text_head(heading)], [batch_view.html_head(heading)]
            for start in range(0, len(rows), step):
                if task.cancelled:
                    return
                part = rows[start:start + step]
                text.append(batch_view.text_rows(part))
                if table:
                    markup.append(batch_view.html_rows(part))
                yield None
            yield "".join(text), "".join(markup) + batch_view.HTML_END if table else ""

        made: list[tuple[str, str]] = []
        self.job = job = worker.Job(produce, self)
        job.arrived.connect(lambda chunk: made.extend(m for m in chunk if m is not None))
        job.progress.connect(self.panel.set_progress)
        job.finished.connect(lambda outcome, message: self._copied(outcome, message, made))
        self.panel.working(True, "copying %p%")
        self.panel.cancelButton.clicked.connect(job.cancel)
        job.start()
        return True

    def _copied(self, outcome: str, message: str, made: list[tuple[str, str]]) -> None:
        self.panel.cancelButton.clicked.disconnect()
        self.panel.working(False)
        if outcome == worker.DONE and made:
            text, markup = made[-1]
            mime = QMimeData()
            mime.setText(text)
            if markup:
                mime.setHtml(markup)
            QGuiApplication.clipboard().setMimeData(mime)
            form = "plain text and table" if markup else "tab-separated text"
            self.page.statusLabel.setText(f"Batch copied ({self.panel.model.rowCount():,} "
                                          f"rows, {form}).")
        else:
            self.page.statusLabel.setText("Nothing copied: " + (
                "the copy was cancelled." if outcome == worker.CANCELLED else message))

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
