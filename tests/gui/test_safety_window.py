"""The window's safety pass (issue 13): what a pharmacist meets, typed as a pharmacist would.

kg as the working unit, rounding within its cap, route-tied presets and SC limits, the
soft-limit acknowledgement, New patient, focus and mnemonics, each message once and every
limit at once, no ideal weight under 152.4 cm, ISMP display and a page that fits at 150%.
docs/safety/hazard-log.md cites these tests by id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from window_helpers import choose, message, summary, type_into, vial_boxes, widget

from ivigcalc.gui.prefs import default_settings
from ivigcalc.gui.window import MainWindow
from ivigcalc.worksheet import content

ALT = Qt.KeyboardModifier.AltModifier


def results_text(window: MainWindow) -> str:
    return window.calculatePage.results.warnings_text()


def activate(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


# --- 1. kg is the working unit -------------------------------------------------------------

def test_every_window_starts_in_kg_whatever_the_settings_say(
        make_window: Callable[[], MainWindow]) -> None:
    settings = default_settings()
    settings.setValue("weight_unit", "lb")  # what an older version saved
    settings.sync()
    window = make_window()
    assert widget(window, "weightUnit").currentData() == "kg"


def test_a_weight_in_lb_shows_the_kg_it_means(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "weightUnit", "lb")
    type_into(qtbot, window, "weightInput", "172")
    kg = widget(window, "weightKgView")
    assert kg.isVisibleTo(window) and kg.text() == "= 78 kg"
    type_into(qtbot, window, "doseInput", "0.4")
    result = window.calculatePage.result
    assert result is not None
    assert ("Weight", "172 lb (= 78 kg)") in window.calculatePage.form.describe(result)
    choose(window, "weightUnit", "kg")
    type_into(qtbot, window, "weightInput", "172 lb")  # typed in full: still shown in kg
    assert kg.text() == "= 78 kg"
    type_into(qtbot, window, "weightInput", "78")
    assert not kg.isVisibleTo(window)


# --- 2. rounding never past its cap --------------------------------------------------------

def test_nearest_5g_keeps_a_3_g_dose_and_says_why(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, "weightInput", "7.5")
    type_into(qtbot, window, "doseInput", "0.4")
    choose(window, "roundingInput", "nearest-5g")
    assert widget(window, "doseView").text() == "3 g per day"
    assert "Not rounded: the nearest 5 g is 5 g, +66.7%" in results_text(window)


# --- 3. limits per route and kind ----------------------------------------------------------

def test_presets_are_listed_under_their_route(window: MainWindow) -> None:
    presets = widget(window, "presetInput")
    labels = [presets.itemText(i) for i in range(presets.count())]
    assert labels.index("Intravenous regimens") < labels.index("CIDP loading, 2 g/kg over "
                                                               "2–4 days")
    assert labels.index("Subcutaneous regimens") < labels.index(
        "CIDP maintenance (subcutaneous), 0.2 g/kg weekly")


def test_cidp_loading_on_hizentra_is_blocked(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "hizentra")
    type_into(qtbot, window, "weightInput", "70.8")
    presets = widget(window, "presetInput")
    assert presets.findData("cidp-loading") == -1  # IV regimens are not offered (issue 24)
    type_into(qtbot, window, "doseInput", "2")  # the loading dose typed by hand, per course
    choose(window, "perInput", "course")
    widget(window, "daysInput").setValue(2)
    assert window.calculatePage.result is None
    assert "per week subcutaneously is above the hard limit" in message(window, "dose")
    assert not window.copyAction.isEnabled()


# --- 4. soft limits need an acknowledgement --------------------------------------------------

def test_soft_limit_holds_copy_print_and_pdf_until_acknowledged(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, isolated_settings: Path) -> None:
    page = window.calculatePage
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "2.5")  # above the 2 g/kg/day soft limit
    assert page.result is not None and page.result.unacknowledged
    for action in (window.copyAction, window.printAction, window.savePdfAction):
        assert not action.isEnabled()
    assert not widget(window, "copySummaryButton").isEnabled()
    assert window.save_pdf(str(tmp_path / "early.pdf")) is None
    assert widget(window, "acknowledgeButton").isVisibleTo(window)

    def fill_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "acknowledgeDialog"
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # a reason and a name are both needed
        dialog.reasonInput.setCurrentText("Confirmed with the prescriber")
        assert not ok.isEnabled()
        dialog.byInput.setText("A. Pharmacist")
        assert ok.isEnabled()
        ok.click()

    QTimer.singleShot(0, fill_dialog)  # the dialog is modal: fill it once it is open
    window.acknowledgeAction.trigger()
    assert page.ready and window.copyAction.isEnabled() and window.savePdfAction.isEnabled()
    ack = "Soft limits acknowledged by A. Pharmacist: Confirmed with the prescriber"
    assert ack in summary(window)
    assert ack in widget(window, "ackView").text()
    assert page.result is not None
    sheet = content.body_html(page.result, page.form.describe(page.result),
                              dt.datetime(2026, 11, 28, 9, 0))
    assert ack in sheet
    window.close()
    raw = "".join(p.read_text(errors="replace") for p in isolated_settings.rglob("*")
                  if p.is_file())
    assert "Pharmacist" not in raw and "prescriber" not in raw


def test_a_changed_order_needs_a_new_acknowledgement(qtbot: QtBot, window: MainWindow) -> None:
    page = window.calculatePage
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "2.5")
    assert page.acknowledge("AP", "Confirmed with the prescriber")
    assert page.ready
    type_into(qtbot, window, "doseInput", "2.6")
    assert not page.ready and "acknowledged by" not in summary(window)


def test_hard_limits_block_and_cannot_be_acknowledged(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "4")
    page = window.calculatePage
    assert page.result is None and not page.acknowledge("AP", "because")
    assert not window.acknowledgeAction.isEnabled() and not window.copyAction.isEnabled()


# --- 5. the form ---------------------------------------------------------------------------

def test_new_patient_clears_patient_and_order_and_keeps_product_payer_stock(
        qtbot: QtBot, window: MainWindow) -> None:
    form = window.calculatePage.form
    choose(window, "productInput", "privigen")
    choose(window, "payerInput", "commercial")
    vial_boxes(window)["40 g"].setChecked(False)
    choose(window, "basisInput", "ideal")
    choose(window, "weightUnit", "lb")
    type_into(qtbot, window, "weightInput", "172")
    type_into(qtbot, window, "heightInput", "170")
    choose(window, "sexInput", "male")
    presets = widget(window, "presetInput")
    presets.setCurrentIndex(presets.findData("itp-2-day"))
    presets.activated.emit(presets.currentIndex())
    choose(window, "roundingInput", "nearest-vial")
    form.kxInput.setChecked(True)
    assert window.calculatePage.result is not None
    activate(qtbot, window)
    widget(window, "doseInput").setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert (form.weightInput.text(), form.heightInput.text(), form.doseInput.text()) == \
        ("", "", "")
    assert form.weightUnit.currentData() == "kg" and form.basisInput.currentData() == "actual"
    assert form.sexInput.currentData() is None and form.presetInput.currentData() is None
    assert (form.perInput.currentData(), form.daysInput.value()) == ("day", 1)
    assert form.roundingInput.currentData() == "none" and not form.kxInput.isChecked()
    assert form.productInput.currentData() == "privigen"
    assert form.payerInput.currentData() == "commercial"
    assert "40 g" not in [b.text() for b in vial_boxes(window).values() if b.isChecked()]
    assert window.calculatePage.result is None
    assert QApplication.focusWidget() is form.weightInput
    assert window.newPatientAction in window.menuBar().actions()[0].menu().actions()


def test_the_weight_has_the_focus_at_launch(qtbot: QtBot, window: MainWindow) -> None:
    activate(qtbot, window)
    assert QApplication.focusWidget() is widget(window, "weightInput")
    qtbot.keyClicks(QApplication.focusWidget(), "78")  # the first keystrokes are kept
    assert widget(window, "weightInput").text() == "78"


def test_alt_v_focuses_the_vials_and_never_unticks_or_saves_stock(
        qtbot: QtBot, window: MainWindow) -> None:
    activate(qtbot, window)
    boxes = list(vial_boxes(window).values())
    before = [box.isChecked() for box in boxes]
    stored = default_settings().value("stocked_vials/gamunex-c")
    qtbot.keyClick(window, Qt.Key.Key_V, ALT)
    assert QApplication.focusWidget() is boxes[0]
    assert [box.isChecked() for box in boxes] == before
    assert default_settings().value("stocked_vials/gamunex-c") == stored
    qtbot.keyClick(window, Qt.Key.Key_K, ALT)  # &KX: focus, never an attestation
    assert QApplication.focusWidget() is widget(window, "kxInput")
    assert not widget(window, "kxInput").isChecked()


def test_every_limit_broken_is_shown_once_and_at_once(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "basisInput", "ideal")
    type_into(qtbot, window, "heightInput", "1700")
    choose(window, "sexInput", "male")
    type_into(qtbot, window, "doseInput", "0.4")
    type_into(qtbot, window, "weightInput", "780")
    assert "hard limit of 350 kg" in message(window, "weight")
    assert "hard limit of 250 cm" in message(window, "height")
    box = results_text(window)
    assert box.startswith("Blocked: see the message beside the height and weight")
    assert "350 kg" not in box and summary(window) == ""  # each message once
    assert "limits.toml" not in message(window, "weight") + message(window, "height")


def test_the_preset_label_is_cleared_when_the_dose_is_edited(
        qtbot: QtBot, window: MainWindow) -> None:
    presets = widget(window, "presetInput")
    presets.setCurrentIndex(presets.findData("cidp-loading"))
    presets.activated.emit(presets.currentIndex())
    type_into(qtbot, window, "weightInput", "70")
    assert "Indication: CIDP loading" in summary(window)
    type_into(qtbot, window, "doseInput", "0.4")
    assert presets.currentData() is None
    assert "Preset cleared" in widget(window, "presetHint").text()
    assert "CIDP loading" not in summary(window)  # the preset's order is not claimed
    result = window.calculatePage.result
    assert result is not None
    assert not any(label == "Indication"
                   for label, _ in window.calculatePage.form.describe(result))
    # ... but the indication stays for the label's rate protocol (test_indication_kept.py)
    assert "Gamunex-C, CIDP: starts at" in summary(window)


def test_ideal_weight_under_152_cm_is_a_choice_not_a_fallback(
        qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "basisInput", "ideal")
    type_into(qtbot, window, "weightInput", "60")
    type_into(qtbot, window, "heightInput", "150")
    choose(window, "sexInput", "female")
    type_into(qtbot, window, "doseInput", "0.4")
    assert window.calculatePage.result is None
    assert "Actual body weight to dose on 60 kg" in message(window, "basis")
    choose(window, "basisInput", "actual")  # the pharmacist's explicit choice
    assert window.calculatePage.result is not None
    assert widget(window, "doseView").text() == "24 g per day"


# --- 6. display ----------------------------------------------------------------------------

def test_figures_follow_ismp_and_units_are_spelled(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, "weightInput", "172 lb")
    type_into(qtbot, window, "doseInput", "0.4")
    assert widget(window, "dosingWeightView").text() == "78 kg"
    assert widget(window, "doseView").text() == "31.2 g per day"
    assert widget(window, "volumeView").text() == "312 mL"
    out = summary(window)
    figures = [line for line in out.splitlines()
               if line.startswith(("Dosing weight:", "Dose:", "Day 1"))]
    assert len(figures) == 3 and not any("≈" in line for line in figures), figures
    assert "J1561 JA JZ × 63 units" in out and "1 units" not in out


def test_at_150_percent_on_1366x768_the_page_scrolls_down_and_clips_nothing(
        qtbot: QtBot, window: MainWindow) -> None:
    # 1366×768 at 150% leaves about 910×480 logical pixels for the window.
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "0.4")
    window.resize(910, 480)
    qtbot.waitUntil(lambda: window.width() == 910)
    QApplication.processEvents()
    scroll = widget(window, "calculateScroll")
    page = window.calculatePage
    assert page.width() <= scroll.viewport().width()  # never wider: no right edge cut off
    assert not scroll.horizontalScrollBar().isVisible()
    volume = widget(window, "volumeView")
    assert volume.text() == "312 mL"
    assert volume.width() >= volume.fontMetrics().horizontalAdvance("312 mL")
    right = volume.mapTo(page, volume.rect().topRight()).x()
    assert right <= scroll.viewport().width()


def test_the_check_pages_kx_mnemonic_focuses_and_never_attests(
        qtbot: QtBot, window: MainWindow) -> None:
    activate(qtbot, window)
    window.tabs.setCurrentIndex(1)
    page = window.check_page()
    kx = widget(window, "checkKxInput")
    page.dateInput.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K, ALT)
    assert QApplication.focusWidget() is kx and not kx.isChecked()
