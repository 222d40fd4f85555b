"""The Check page's form reads into the same claim record as a CSV row and the flags."""

from fractions import Fraction

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from ivigcalc.check import batch
from ivigcalc.check.record import read_form
from ivigcalc.data.catalog import load
from ivigcalc.gui.check.page import CheckPage

CATALOG = load().catalog


def test_the_form_gives_the_record_a_csv_row_gives(qtbot: QtBot) -> None:
    page = CheckPage(CATALOG)
    qtbot.addWidget(page)
    page.dateInput.setDate(QDate(2026, 1, 5))
    page.productInput.setCurrentIndex(page.productInput.findData("gamunex-c"))
    page.routeInput.setCurrentIndex(page.routeInput.findData("iv"))
    page.administeredInput.setText("27.3 g")
    page.vialsInput.setText("3 x 10 g")
    page.linesInput.setPlainText("J1561 JA 55\nJ1561 JA JW 5")
    form = read_form(page.request())
    assert form.problems == {}
    shelf = page.request().stocked
    row = batch.record_for({
        "date": "2026-01-05", "payer": "medicare", "product": "gamunex-c", "route": "iv",
        "administered": "27.3 g", "vials": "3 x 10 g", "lines": "J1561 JA 55; J1561 JA JW 5",
        "stocked": ", ".join(f"{Fraction(size)} mg" for size in shelf or ()),
    }, batch.Defaults())
    assert form.record == row
    assert page.result is not None and not page.result.has_errors
