"""The window's infusion start and stop per day (issue 22): documented administration lines,
estimated ones when empty, the field's message when wrong, New patient clears them."""

from __future__ import annotations

import datetime as dt

from pdf_pages import as_read
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from window_helpers import (
    choose,
    claim_rows,
    stock_only,
    summary,
    type_into,
    widget,
)

from ivigcalc.gui.window import MainWindow
from ivigcalc.worksheet import content


def order(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    stock_only(window, "10 g")
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "350 mg/kg")


def status(window: MainWindow) -> str:
    label = widget(window, "resultStatus")
    return label.text() if label.isVisibleTo(window) else ""


def admin_rows(window: MainWindow) -> list[tuple[str, ...]]:
    return [row for row in claim_rows(window) if row[0].startswith("963")]


def test_empty_times_are_estimated_from_the_rate_plan(qtbot: QtBot, window: MainWindow) -> None:
    order(qtbot, window)
    assert widget(window, "infusionTimes").isVisibleTo(window)
    # 1 h 48 min from the rate plan: the first hour and one added hour, marked estimated.
    assert admin_rows(window) == [("96365", "none", "1", "admin, estimated"),
                                  ("96366", "none", "1", "admin, estimated")]
    assert "96365 × 1 unit (administration, estimated: 108 min" in summary(window)


def test_documented_times_bill_91_minutes_as_96365_and_96366(qtbot: QtBot,
                                                             window: MainWindow) -> None:
    order(qtbot, window)
    type_into(qtbot, window, "timeStart1", "09:00")
    type_into(qtbot, window, "timeStop1", "10:31")
    assert admin_rows(window) == [("96365", "none", "1", "admin"),
                                  ("96366", "none", "1", "admin")]
    type_into(qtbot, window, "timeStop1", "10:30")
    assert admin_rows(window) == [("96365", "none", "1", "admin")]
    page = window.calculatePage
    assert page.copy_claim_lines()
    copied = QGuiApplication.clipboard().mimeData().text()
    assert copied.endswith("N413533080071 UN3\n96365 1 unit\n")


def test_past_midnight_the_added_hour_shows_its_own_date(qtbot: QtBot,
                                                        window: MainWindow) -> None:
    order(qtbot, window)
    type_into(qtbot, window, "timeStart1", "23:30")
    type_into(qtbot, window, "timeStop1", "01:15")
    model = widget(window, "claimLinesView").model()
    rows = [tuple(model.index(r, c).data() for c in range(model.columnCount()))
            for r in range(model.rowCount())]
    assert ("2026-11-29", "96366", "none", "1", "admin", "n/a") in rows


def test_a_wrong_time_is_explained_under_the_fields(qtbot: QtBot, window: MainWindow) -> None:
    order(qtbot, window)
    type_into(qtbot, window, "timeStart1", "09:00")
    type_into(qtbot, window, "timeStop1", "24:10")
    page = window.calculatePage
    assert page.result is None
    message = widget(window, "timesMessage")
    assert message.isVisibleTo(window)
    assert "24:10, which is not a time of day" in message.accessibleDescription()
    assert status(window) == "No results: see the message beside the infusion times."
    type_into(qtbot, window, "timeStop1", "10:31")
    assert page.result is not None and not message.isVisibleTo(window)


def test_a_half_filled_day_says_what_is_missing(qtbot: QtBot, window: MainWindow) -> None:
    order(qtbot, window)
    type_into(qtbot, window, "timeStart1", "09:00")
    assert window.calculatePage.result is None
    assert "'09:00-' is not a range" in widget(window, "timesMessage").accessibleDescription()


def test_one_row_per_day_and_an_empty_day_is_estimated(qtbot: QtBot,
                                                       window: MainWindow) -> None:
    order(qtbot, window)
    window.calculatePage.form.daysInput.setValue(2)
    assert len(window.calculatePage.times.rows()) == 2
    type_into(qtbot, window, "timeStart1", "09:00")
    type_into(qtbot, window, "timeStop1", "10:30")
    result = window.calculatePage.result
    assert result is not None
    assert [(ln.code, ln.estimated) for d in result.days for ln in d.admin_lines] == [
        ("96365", False), ("96365", True), ("96366", True)]


def test_new_patient_clears_the_times(qtbot: QtBot, window: MainWindow) -> None:
    order(qtbot, window)
    type_into(qtbot, window, "timeStart1", "09:00")
    type_into(qtbot, window, "timeStop1", "10:31")
    window.calculatePage.new_patient()
    assert [edit.text() for edit in window.calculatePage.times.edits()] == ["", ""]


def test_the_worksheet_has_start_and_stop_to_fill_in(qtbot: QtBot, window: MainWindow) -> None:
    order(qtbot, window)
    page = window.calculatePage
    assert page.result is not None
    sheet = content.body_html(page.result, page.form.describe(page.result),
                              dt.datetime(2026, 11, 28, 9, 30))
    assert "Infusion start and stop" in sheet and ">start<" in sheet and ">stop<" in sheet
    assert ">96365<" in sheet and ">96366<" in sheet and "admin, estimated" in sheet
    type_into(qtbot, window, "timeStart1", "09:00")
    type_into(qtbot, window, "timeStop1", "10:31")
    assert page.result is not None
    sheet = as_read(content.body_html(page.result, page.form.describe(page.result),
                                      dt.datetime(2026, 11, 28, 9, 30)))
    assert ">91 min<" in sheet and "admin, estimated" not in sheet


def test_each_row_names_its_date_of_service(qtbot: QtBot, window: MainWindow) -> None:
    order(qtbot, window)
    page = window.calculatePage
    page.form.daysInput.setValue(2)
    captions = [widget(window, "infusionTimes").layout().itemAtPosition(row, 0).widget().text()
                for row in range(2)]
    assert captions == ["Day 1, 2026-11-28", "Day 2, 2026-11-29"]
    page.dates.boxes()[0].setDate(page.dates.boxes()[0].date().addDays(6))  # weekly
    assert widget(window, "infusionTimes").layout().itemAtPosition(1, 0).widget().text() == \
        "Day 2, 2026-12-05"
