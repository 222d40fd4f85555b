"""MUE in the window: with a site catalog holding an imported MUE table, the Calculate page
warns about a day over it and the Check page reports `mue-exceeded`. The table is made up
(tests/data/mue/synthetic-*, its J1561 value lowered here to 50 units for 2026-Q4)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from window_helpers import choose, stock_only, type_into, widget

from ivigcalc.cli.main import main
from ivigcalc.data.catalog import load
from ivigcalc.gui.check.page import CheckPage
from ivigcalc.gui.window import MainWindow

SYNTHETIC = (Path(__file__).resolve().parent.parent / "data" / "mue" /
             "synthetic-MCR_MUE_PractitionerServices_Eff_01-01-2026.csv")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    table = tmp_path / "synthetic-MCR_MUE_PractitionerServices_Eff_10-01-2026.csv"
    table.write_bytes(SYNTHETIC.read_bytes().replace(b"J1561,120", b"J1561,50"))
    path = tmp_path / "site.toml"
    assert main(["catalog", "import-mue", str(table), "--output", str(path)]) == 0
    return path


def test_the_calculate_page_warns_of_a_day_over_the_mue(
        qtbot: QtBot, site: Path, monkeypatch: pytest.MonkeyPatch,
        make_window: Callable[[], MainWindow]) -> None:
    monkeypatch.setenv("IVIGCALC_CATALOG", str(site))
    window = make_window()  # its date of service: 2026-11-28, in 2026-Q4
    choose(window, "productInput", "gamunex-c")
    stock_only(window, "10 g")
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "350 mg/kg")  # 55 units + JW 5: 60 on the date
    shown = widget(window, "warningsView").text()
    assert "Over the MUE on 2026-11-28: J1561: 60 units on the date of service" in shown
    assert "MUE 50 units (MAI 2, date of service edit, policy; Practitioner Services, " \
           "2026-Q4)" in shown and "N362" in shown


def test_the_check_page_reports_mue_exceeded(qtbot: QtBot, site: Path) -> None:
    page = CheckPage(load(site).catalog)
    qtbot.addWidget(page)
    page.dateInput.setDate(QDate(2026, 11, 28))
    page.productInput.setCurrentIndex(page.productInput.findData("gamunex-c"))
    page.administeredInput.setText("27.3 g")
    page.vialsInput.setText("3 x 10 g")
    page.linesInput.setPlainText("J1561 JA 55\nJ1561 JA JW 5")
    view = page.findingsView
    rows = [" ".join(view.item(r, c).text() for c in range(view.columnCount()))
            for r in range(view.rowCount())]
    assert any("mue-exceeded" in row and "lines 1 and 2, the JW line included" in row
               for row in rows), rows
