"""Editing a preset's dose keeps its indication for the rates and the dose range: the
pharmacist who picked ITP and changed 1 g/kg to 0.9 g/kg is still treating ITP."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from window_helpers import choose, type_into, widget

from ivigcalc.gui.window import MainWindow


def _max_rate(window: MainWindow) -> object:
    result = window.calculatePage.result
    assert result is not None and result.infusion is not None
    return result.infusion.max_rate_ml_per_h


def test_the_itp_ceiling_survives_a_dose_edit(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "privigen")
    type_into(qtbot, window, "weightInput", "70")
    choose(window, "presetInput", "itp-2-day")
    box = widget(window, "presetInput")
    box.activated.emit(box.currentIndex())  # type: ignore[attr-defined]  # as a user picks it
    assert _max_rate(window) == 168  # 4 mg/kg/min × 70 kg × 60 ÷ 100 mg/mL
    type_into(qtbot, window, "doseInput", "0.9")
    assert widget(window, "presetInput").currentData() is None  # type: ignore[attr-defined]
    assert _max_rate(window) == 168
    hint = widget(window, "presetHint").text()  # type: ignore[attr-defined]
    assert "Rates and dose range stay those of" in hint


def test_new_patient_forgets_the_indication(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "privigen")
    choose(window, "presetInput", "itp-2-day")
    window.newPatientAction.trigger()
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "0.4")
    assert _max_rate(window) == 336  # the PI ceiling, 8 mg/kg/min
    assert window.calculatePage.form.indication is None


def test_a_diagnosis_names_the_rate_protocol(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "privigen")
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "1")
    assert _max_rate(window) == 336
    type_into(qtbot, window, "dxInput", "D69.3")
    assert _max_rate(window) == 168
