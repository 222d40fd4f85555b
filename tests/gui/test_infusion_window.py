"""The rate table in the window, the preset picking the protocol, and the convert dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPlainTextEdit, QTableView
from pytestqt.qtbot import QtBot
from window_helpers import choose, type_into, widget

from ivigcalc.gui.window import MainWindow


def rate_rows(window: MainWindow) -> list[tuple[str, ...]]:
    view = widget(window, "infusionView")
    assert isinstance(view, QTableView)
    model = view.model()
    return [tuple(model.index(r, c).data() for c in range(model.columnCount()))
            for r in range(model.rowCount())]


def heading(window: MainWindow) -> str:
    label = widget(window, "infusionHeadingView")
    assert isinstance(label, QLabel)
    return label.text()


def test_privigen_70_kg_shows_21_to_336_ml_per_h(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "privigen")
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "0.4")
    rows = rate_rows(window)
    assert rows[0] == ("0:00", "30 min", "0.5 mg/kg/min", "21 mL/h", "10.5 mL")
    assert rows[-1][1].startswith("until empty") and rows[-1][3] == "336 mL/h"
    assert "maximum 336 mL/h" in heading(window)
    assert widget(window, "infusionView").isVisible()


def test_the_itp_preset_picks_the_itp_protocol(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "privigen")
    type_into(qtbot, window, "weightInput", "70")
    choose(window, "presetInput", "itp-2-day")
    form = window.calculatePage.form
    form.presetInput.activated.emit(form.presetInput.currentIndex())  # as a click does
    assert "chronic immune thrombocytopenia" in heading(window)
    assert "maximum 168 mL/h" in heading(window)
    assert rate_rows(window)[-1][3] == "168 mL/h"


def test_at_risk_lowers_the_ceiling(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "octagam-10")
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "1")
    assert "maximum 504 mL/h" in heading(window)  # 12 mg/kg/min × 70 kg × 60 ÷ 100
    box = widget(window, "atRiskInput")
    assert isinstance(box, QCheckBox)
    box.setChecked(True)
    assert "maximum 138.6 mL/h" in heading(window)  # 3.3 mg/kg/min × 70 kg × 60 ÷ 100


def test_no_rate_on_record_says_see_the_label(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "alyglo")
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "0.4")
    assert heading(window) == "Alyglo: rate: see the label"
    assert not widget(window, "infusionView").isVisible()


def test_sc_sites_and_first_infusion_limits(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "hizentra")
    type_into(qtbot, window, "weightInput", "60")
    type_into(qtbot, window, "doseInput", "0.2")
    assert "3 sites × 20 mL at 25 mL/h/site" in heading(window)
    box = widget(window, "firstInfusionInput")
    assert isinstance(box, QCheckBox) and box.isVisible()
    box.setChecked(True)
    assert "4 sites × 15 mL at 15 mL/h/site" in heading(window)


def test_convert_dialog_gives_the_weekly_dose(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "hizentra")
    window.convertAction.trigger()
    dialog = window.convert_dialog()
    dose, interval = (dialog.findChild(QLineEdit, n) for n in ("ivDoseInput", "intervalInput"))
    assert dose is not None and interval is not None
    qtbot.keyClicks(dose, "30 g")
    qtbot.keyClicks(interval, "4 weeks")
    out = dialog.findChild(QPlainTextEdit, "convertResultView")
    assert out is not None and out.toPlainText().startswith("Hizentra: 10.275 g per week")
    interval.setText("4 months")
    problem = dialog.findChild(QLabel, "convertProblemView")
    assert problem is not None and problem.text().startswith("interval: could not read")
    assert out.toPlainText() == ""
    dialog.close()
