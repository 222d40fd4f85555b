"""Preferences persist (product, payer, stocked sizes per product, height and dose units);
patient data and the weight unit never."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from window_helpers import choose, type_into, vial_boxes, widget

from ivigcalc.gui.prefs import allowed_key, default_settings
from ivigcalc.gui.window import MainWindow


def ticked(window: MainWindow) -> list[str]:
    return [label for label, box in vial_boxes(window).items() if box.isChecked()]


def test_choices_come_back_in_the_next_session(
        make_window: Callable[[], MainWindow]) -> None:
    first = make_window()
    choose(first, "productInput", "privigen")
    vial_boxes(first)["40 g"].setChecked(False)
    choose(first, "productInput", "hizentra")
    vial_boxes(first)["1 g"].setChecked(False)
    choose(first, "payerInput", "commercial")
    choose(first, "weightUnit", "lb")
    choose(first, "heightUnit", "in")
    choose(first, "doseUnit", "mg/kg")
    first.close()

    second = make_window()
    assert widget(second, "productInput").currentData() == "hizentra"
    assert ticked(second) == ["2 g", "4 g", "10 g"]
    assert widget(second, "payerInput").currentData() == "commercial"
    assert widget(second, "weightUnit").currentData() == "kg"  # never restored: kg works
    assert widget(second, "heightUnit").currentData() == "in"
    assert widget(second, "doseUnit").currentData() == "mg/kg"
    choose(second, "productInput", "privigen")  # each product keeps its own shelf
    assert ticked(second) == ["5 g", "10 g", "20 g"]
    choose(second, "productInput", "gamunex-c")  # never set: every size
    assert ticked(second) == ["1 g", "2.5 g", "5 g", "10 g", "20 g", "40 g"]


def test_no_patient_data_reaches_the_settings(qtbot: QtBot, isolated_settings: Path,
                                              make_window: Callable[[], MainWindow]) -> None:
    window = make_window()
    choose(window, "payerInput", "commercial")  # shows height and sex
    type_into(qtbot, window, "weightInput", "83.7")
    type_into(qtbot, window, "heightInput", "172.4")
    choose(window, "sexInput", "female")
    type_into(qtbot, window, "doseInput", "0.45")
    widget(window, "dateInput").setDate(QDate(2026, 10, 19))
    widget(window, "kxInput").setChecked(True)
    assert window.calculatePage.result is not None
    window.close()

    settings = default_settings()
    settings.sync()
    keys = settings.allKeys()
    assert keys, "the preferences were not written at all"
    assert [key for key in keys if not allowed_key(key)] == []
    values = " ".join(str(settings.value(key)) for key in keys)
    raw = "".join(path.read_text(errors="replace") for path in isolated_settings.rglob("*")
                  if path.is_file())
    for patient_fact in ("83.7", "172.4", "female", "2026-10-19", "0.45"):
        assert patient_fact not in values, patient_fact
        assert patient_fact not in raw, patient_fact


def test_a_stale_preference_falls_back_to_the_default(
        make_window: Callable[[], MainWindow]) -> None:
    settings = default_settings()
    settings.setValue("product", "no-such-product")
    settings.setValue("weight_unit", "stone")
    settings.setValue("stocked_vials/gamunex-c", "999999")
    settings.sync()
    window = make_window()
    assert widget(window, "productInput").currentData() == "gamunex-c"
    assert widget(window, "weightUnit").currentData() == "kg"
    assert ticked(window) == ["1 g", "2.5 g", "5 g", "10 g", "20 g", "40 g"]


def test_tests_never_touch_the_real_settings_file(isolated_settings: Path) -> None:
    path = Path(default_settings().fileName())
    assert isolated_settings in path.parents
