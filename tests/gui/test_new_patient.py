"""New patient (Ctrl+N) clears everything of the last patient's order on the Calculate page
(issue 24 item 4): after it the form still said "Preset cleared: the order is no longer CIDP
loading… Rates and dose range stay those of CIDP"."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDateEdit
from pytestqt.qtbot import QtBot

from ivigcalc.gui.window import MainWindow
from tests.gui.conftest import DATE_OF_SERVICE
from tests.gui.window_helpers import choose, type_into, widget


def pick_preset(window: MainWindow, key: str) -> None:
    presets = widget(window, "presetInput")
    presets.setCurrentIndex(presets.findData(key))
    presets.activated.emit(presets.currentIndex())


def test_new_patient_leaves_nothing_of_the_last_order(qtbot: QtBot, window: MainWindow) -> None:
    page, form = window.calculatePage, window.calculatePage.form
    panel = page.results.infusionPanel
    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "weightInput", "70")
    choose(window, "routeInput", "sc")
    type_into(qtbot, window, "doseInput", "0.2")
    qtbot.waitUntil(panel.firstInfusionInput.isVisible)
    panel.firstInfusionInput.setChecked(True)
    pick_preset(window, "cidp-loading")  # IV: the route follows it
    type_into(qtbot, window, "doseInput", "1.5")  # no longer the preset's: the label goes
    assert "Preset cleared" in form.presetHint.text()
    form.daysInput.setValue(3)
    day3 = widget(window, "serviceDate3")
    assert isinstance(day3, QDateEdit)
    day3.setDate(QDate(DATE_OF_SERVICE).addDays(9))  # a skipped week
    panel.atRiskInput.setChecked(True)
    form.dateInput.setDate(QDate(DATE_OF_SERVICE))
    assert page.result is not None, page.results.status.text()
    assert form.routeInput.currentData() == "iv"

    window.activateWindow()
    form.doseInput.setFocus()
    qtbot.keyClick(form.doseInput, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert not form.presetHint.isVisibleTo(form) and form.presetHint.text() == ""
    assert form.indication is None and form.presetInput.currentData() is None
    assert form.routeInput.currentData() == "iv"  # the product's first route
    assert not panel.atRiskInput.isChecked() and not panel.firstInfusionInput.isChecked()
    assert form.daysInput.value() == 1 and form.dateInput.date() == QDate.currentDate()
    form.daysInput.setValue(3)  # the skipped week was the last order's: consecutive again
    day3 = widget(window, "serviceDate3")
    assert isinstance(day3, QDateEdit)
    assert day3.date() == form.dateInput.date().addDays(2)
    messages = [label.text() for label in form._messages.values()]
    assert all(not message for message in messages)
    assert form.productInput.currentData() == "gamunex-c"
    assert QApplication.focusWidget() is form.weightInput


def test_new_patient_leaves_the_check_page_alone(qtbot: QtBot, window: MainWindow) -> None:
    check = window.check_page()
    check.administeredInput.setText("27.3 g")
    window.newPatientAction.trigger()
    assert check.administeredInput.text() == "27.3 g"
