"""The Check page's shelf, verdict, copy, print and batch (issue 11), in the real window.

Cost: about 3 s. The clipboard is cleared after each test (tests/gui/conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from pdf_pages import page_texts
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot

from ivigcalc.gui.check.batch_view import SORT_ROLE
from ivigcalc.gui.check.page import ANY_PRODUCT, CheckPage
from ivigcalc.gui.window import MainWindow

SAMPLE = Path(__file__).parents[1] / "data" / "check_claims_synthetic.csv"


def open_check(window: MainWindow) -> CheckPage:
    window.tabs.setCurrentIndex(1)
    page = window.check_page()
    page.dateInput.setDate(QDate(2026, 1, 5))
    page.productInput.setCurrentIndex(page.productInput.findData("gamunex-c"))
    return page


def readme_claim(page: CheckPage) -> None:
    page.administeredInput.setText("27.3 g")
    page.vialsInput.setText("3 x 10 g")
    page.linesInput.setPlainText("J1561 JA 55\nJ1561 JA RT 5")


def rules(page: CheckPage) -> list[str]:
    view = page.findingsView
    return [view.item(row, 1).text() for row in range(view.rowCount())]


def shelf(page: CheckPage) -> dict[str, QCheckBox]:
    return {box.text(): box for box in page.shelfInput.findChildren(QCheckBox)}


def test_the_shelf_judges_the_vials_and_is_remembered(window: MainWindow) -> None:
    page = open_check(window)
    readme_claim(page)
    assert rules(page) == ["jw-missing", "non-optimal-vials"]  # one slip, one finding
    assert page.statusLabel.text().startswith("✗ The claim needs fixing")
    for label, box in shelf(page).items():
        box.setChecked(label == "10 g")
    assert rules(page) == ["jw-missing"]
    assert "sizes stocked (10 g)" in page.factsLabel.text()
    # The window remembers the shelf per product (the preference the Calculate page uses).
    page.productInput.setCurrentIndex(page.productInput.findData("privigen"))
    page.productInput.setCurrentIndex(page.productInput.findData("gamunex-c"))
    assert [label for label, box in shelf(page).items() if box.isChecked()] == ["10 g"]
    assert window.prefs.stocked("gamunex-c", (10000, 20000, 5000)) == (10000,)


def test_a_warning_is_never_called_harmless(window: MainWindow) -> None:
    page = open_check(window)
    page.administeredInput.setText("27.3 g")
    page.vialsInput.setText("3 x 10 g")
    page.linesInput.setPlainText("J1561 JA 55\nJ1561 JA JW 5")
    assert rules(page) == ["non-optimal-vials"]
    status = page.statusLabel.text()
    assert "deny" in status and "Nothing that will deny" not in status
    assert status.startswith("⚠ No errors, but 1 warning")


def test_j1611_by_code_is_the_wrong_code(window: MainWindow) -> None:
    page = open_check(window)
    page.productInput.setCurrentIndex(page.productInput.findText(ANY_PRODUCT))
    page.codeInput.setEditText("J1611")
    readme_claim(page)
    status = page.statusLabel.text()
    assert status.startswith("✗ Wrong code (non-ig-code): J1611 is not an immune globulin")
    assert "glucagon" in status and "J1599" in status and "Fix the fields" not in status


def test_ctrl_shift_c_copies_findings_and_expected_lines(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    page = open_check(window)
    readme_claim(page)
    assert window.copyAction.isEnabled() and window.printAction.isEnabled()
    assert not window.savePdfAction.isEnabled()  # only the worksheet is saved as PDF
    qtbot.keyClick(page.linesInput, Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    mime = QGuiApplication.clipboard().mimeData()
    plain = mime.text()
    assert "Error, line 2, jw-missing: Line 2 (J1561 JA RT × 5)" in plain
    assert "Expected lines:\n  J1561 JA × 55\n  J1561 JA JW × 5\n" in plain
    assert "<table" in mime.html() and "jw-missing" in mime.html()


def test_print_writes_the_findings(window: MainWindow, tmp_path: Path) -> None:
    page = open_check(window)
    readme_claim(page)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    path = tmp_path / "check.pdf"
    printer.setOutputFileName(str(path))
    assert page.reports.print_to(printer) == 1
    assert path.read_bytes().startswith(b"%PDF")


def test_open_show_sort_copy_and_print_a_batch(qtbot: QtBot, window: MainWindow,
                                               tmp_path: Path) -> None:
    page = open_check(window)
    assert page.reports.open_batch(str(SAMPLE))
    qtbot.waitUntil(lambda: not page.reports.busy)  # checked in the worker
    panel = page.reports.panel
    assert panel.isVisibleTo(page)
    model = panel.model
    assert model.rowCount() >= 6
    summary = panel.summaryLabel.text()
    assert "6 claims checked" in summary and "Claims that will deny (errors): 2" in summary
    assert dict(panel.chart.counts)["invalid-input"] == 2
    # Sort by severity: errors first, then warnings, notes, and rows without a finding.
    panel.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    severities = [row[3] for row in panel.sorted_rows()]
    weights = [panel.model.index(r, 3).data(SORT_ROLE) for r in range(panel.model.rowCount())]
    assert weights == sorted(weights) and severities[0] == "error"
    # Rows sort as numbers, not text ("10" after "9").
    panel.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    numbers = [int(row[0]) for row in panel.sorted_rows()]
    assert numbers == sorted(numbers, reverse=True)
    assert window.copy_summary()
    plain = QGuiApplication.clipboard().mimeData().text()
    assert plain.startswith("Batch: check_claims_synthetic.csv\n6 claims checked")
    assert re.search(r"^6\t", plain.split("Expected lines\n", 1)[1], re.M)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "batch.pdf"))
    assert page.reports.print_to(printer) >= 1
    panel.closeButton.click()
    assert not panel.isVisibleTo(page)


def test_a_file_that_is_not_csv_is_said_on_the_status_line(qtbot: QtBot, window: MainWindow,
                                                           tmp_path: Path) -> None:
    page = open_check(window)
    path = tmp_path / "empty.csv"
    path.write_text("")
    assert page.reports.open_batch(str(path))
    qtbot.waitUntil(lambda: not page.reports.busy)
    assert "could not be read" in page.statusLabel.text()
    assert not page.reports.panel.isVisibleTo(page)


def test_ctrl_p_on_the_check_page_prints_the_check(qtbot: QtBot, window: MainWindow,
                                                   tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtPrintSupport import QPrintDialog

    from ivigcalc.gui.output import worksheet

    page = open_check(window)
    readme_claim(page)
    pdf = tmp_path / "ctrl-p.pdf"
    make_printer = worksheet.new_printer
    monkeypatch.setattr(worksheet, "new_printer", lambda: make_printer(str(pdf)))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QPrintDialog.DialogCode.Accepted)
    qtbot.keyClick(page.linesInput, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Claim check sent to the printer" in window.statusBar().currentMessage()
    printed = " ".join(page_texts(pdf))  # read back with pypdfium2: never skipped
    assert "jw-missing" in printed and "J1561 JA JW × 5" in printed
