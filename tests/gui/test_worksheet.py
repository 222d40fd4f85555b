"""The pharmacist worksheet: one page, the inputs and working, and a real PDF file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QPageSize
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from window_helpers import choose, stock_only, type_into

from ivigcalc.gui import worksheet
from ivigcalc.gui.window import MainWindow


def fill_sample(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    stock_only(window, "10 g")
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "350 mg/kg")


def fill_long(qtbot: QtBot, window: MainWindow) -> None:
    """The longest worksheet: adjusted weight, a 3-day course, rounding, KX, warnings."""
    choose(window, "payerInput", "commercial")
    choose(window, "basisInput", "policy")
    choose(window, "productInput", "cutaquig")
    type_into(qtbot, window, "weightInput", "118")
    type_into(qtbot, window, "heightInput", "165")
    choose(window, "sexInput", "female")
    type_into(qtbot, window, "doseInput", "2.4")
    choose(window, "perInput", "course")
    window.calculatePage.form.daysInput.setValue(3)
    choose(window, "roundingInput", "nearest-vial")
    window.calculatePage.form.kxInput.setChecked(True)
    result = window.calculatePage.result
    assert result is not None and result.warnings and len(result.steps) >= 10


def pdf_pages(path: Path) -> int:
    counts = re.findall(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", path.read_bytes(), re.S)
    assert counts, "no page tree in the PDF"
    return int(counts[0])


def test_save_as_pdf_writes_a_one_page_pdf(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fill_sample(qtbot, window)
    target = tmp_path / "worksheet"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "PDF files (*.pdf)")))
    window.savePdfAction.trigger()
    written = tmp_path / "worksheet.pdf"  # .pdf is added when missing
    assert written.read_bytes().startswith(b"%PDF-")
    assert pdf_pages(written) == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_reads_as_a_worksheet(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    fill_sample(qtbot, window)
    path = window.save_pdf(str(tmp_path / "sheet.pdf"))
    assert path is not None
    words = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    for expected in ("Immune globulin dose worksheet", "Inputs as entered", "78 kg",
                     "350 mg/kg", "Vials to open", "Claim lines", "JA JW", "Working",
                     "ceil(27300 mg ÷ 500 mg) = ceil(54.6) = 55", "Prepared by:",
                     "Checked by:", "catalog 2025-Q4, checked 2026-12-01", "printed 20"):
        assert expected in words, expected


@pytest.mark.parametrize("page", [QPageSize.PageSizeId.Letter, QPageSize.PageSizeId.A4])
def test_the_longest_worksheet_still_fits_one_page(qtbot: QtBot, window: MainWindow,
                                                   tmp_path: Path,
                                                   page: QPageSize.PageSizeId) -> None:
    fill_long(qtbot, window)
    result = window.calculatePage.result
    assert result is not None
    path = tmp_path / "long.pdf"
    pages = worksheet.save_pdf(str(path), result, window.calculatePage.form.describe(), page)
    assert pages == 1
    assert pdf_pages(path) == 1


def test_worksheet_holds_inputs_warnings_and_sign_off(qtbot: QtBot,
                                                      window: MainWindow) -> None:
    import datetime as dt

    fill_long(qtbot, window)
    result = window.calculatePage.result
    assert result is not None
    sheet = worksheet.worksheet_html(result, window.calculatePage.form.describe(),
                                     dt.datetime(2026, 11, 28, 9, 30))
    for expected in ("Height", "165 cm", "Female", "As the payer&#x27;s policy says",
                     "soft limit", "KX attested", "Prepared by", "Checked by",
                     "printed 2026-11-28 09:30", result.catalog_version):
        assert expected in sheet, expected


def test_print_and_save_do_nothing_without_a_result(window: MainWindow,
                                                    tmp_path: Path) -> None:
    assert not window.printAction.isEnabled()
    assert window.save_pdf(str(tmp_path / "nothing.pdf")) is None
    assert not (tmp_path / "nothing.pdf").exists()
