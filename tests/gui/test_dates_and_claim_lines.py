"""The Calculate page: each day's date of service, "Copy claim lines", "Check this claim".

Cost: about 2 s. The clipboard is cleared after each test (tests/gui/conftest.py).
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from window_helpers import claim_rows, stock_only, type_into, widget

from ivigcalc.gui.window import MainWindow


def three_day_course(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, "weightInput", "78")
    widget(window, "doseUnit").setCurrentIndex(widget(window, "doseUnit").findData("mg/kg"))
    type_into(qtbot, window, "doseInput", "350")
    stock_only(window, "10 g")
    window.calculatePage.form.daysInput.setValue(3)


def test_a_three_day_course_has_three_dated_blocks(qtbot: QtBot, window: MainWindow) -> None:
    three_day_course(qtbot, window)
    dates = window.calculatePage.dates
    assert dates.isVisibleTo(window) and len(dates.boxes()) == 2
    # Each day: the drug's two lines (administered, JW), then 96365 and 96366 (estimated).
    assert [row[0] for row in claim_rows(window)] == [
        "2026-11-28", "", "", "", "2026-11-29", "", "", "", "2026-11-30", "", "", "",
        "Course"]
    summary = window.calculatePage.results.summaryView.toPlainText()
    for day in ("2026-11-28", "2026-11-29", "2026-11-30"):
        assert f"Claim lines, date of service {day}:" in summary


def test_each_day_is_editable_and_follows_day_one(qtbot: QtBot, window: MainWindow) -> None:
    three_day_course(qtbot, window)
    page = window.calculatePage
    day2, day3 = page.dates.boxes()
    day2.setDate(QDate(2026, 12, 5))  # weekly: day 2 a week on
    day3.setDate(QDate(2026, 12, 12))
    assert page.result is not None
    assert [d.isoformat() for d in page.result.dates_of_service] == [
        "2026-11-28", "2026-12-05", "2026-12-12"]
    page.form.dateInput.setDate(QDate(2026, 11, 30))  # day 1 moves; the spacing stays
    assert [d.isoformat() for d in page.result.dates_of_service] == [
        "2026-11-30", "2026-12-07", "2026-12-14"]
    assert day2.date() == QDate(2026, 12, 7)
    page.form.daysInput.setValue(4)  # a new day follows the last one
    assert page.result.dates_of_service[-1].isoformat() == "2026-12-15"


def test_dates_out_of_order_are_named_and_give_no_result(qtbot: QtBot,
                                                        window: MainWindow) -> None:
    three_day_course(qtbot, window)
    page = window.calculatePage
    page.dates.boxes()[1].setDate(QDate(2026, 11, 28))
    assert page.result is None
    assert "does not come after" in page.dates.message.accessibleDescription()
    assert page.dates.message.isVisibleTo(window)
    page.dates.boxes()[1].setDate(QDate(2026, 12, 1))
    assert page.result is not None and page.dates.message.accessibleDescription() == ""


def test_copy_claim_lines_is_plain_ascii_per_date(qtbot: QtBot, window: MainWindow) -> None:
    three_day_course(qtbot, window)
    window.calculatePage.copyClaimButton.click()
    mime = QGuiApplication.clipboard().mimeData()
    text = mime.text()
    assert text.isascii()
    # The administration lines follow the drug's, estimated (no times typed) and marked so.
    assert text.split("\n\n")[1] == ("Date of service 2026-11-29\nJ1561 JA 55 units\n"
                                     "J1561 JA JW 5 units\nN413533080071 UN3\n"
                                     "96365 1 unit (estimated, not documented)\n"
                                     "96366 1 unit (estimated, not documented)")
    assert text.count("Date of service ") == 3
    assert "Date of service</th>" in mime.html()


def test_check_this_claim_carries_the_order_across(qtbot: QtBot, window: MainWindow) -> None:
    three_day_course(qtbot, window)
    window.calculatePage.form.kxInput.setChecked(True)
    window.calculatePage.checkClaimButton.click()
    page = window.check_page()
    assert window.tabs.currentIndex() == 1
    assert page.dateInput.date() == QDate(2026, 11, 28)
    assert page.productInput.currentData() == "gamunex-c"
    assert page.administeredInput.text() == "27300 mg"
    assert page.vialsInput.text() == "3 x 10 g"
    assert page.kxInput.isChecked()
    assert "Day 1 of 3 is carried" in page.statusLabel.text()
    assert page.expectedView.toPlainText() == "J1561 JA KX × 55\nJ1561 JA JW KX × 5"
    page.linesInput.setPlainText("J1561 JA KX 55\nJ1561 JA JW KX 5")
    assert page.result is not None and not page.result.findings  # the shelf came too


def test_carried_amounts_are_exact_where_decimals_can_be() -> None:
    from fractions import Fraction

    from ivigcalc.gui.check.from_order import exact_mg

    assert exact_mg(Fraction("27941.289992")) == "27941.289992 mg"
    assert exact_mg(Fraction(195050, 3)) == "65016.667 mg"  # a third: to 0.001 mg
