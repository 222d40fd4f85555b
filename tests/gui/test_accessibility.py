"""Screen readers and keyboards: names on everything, mnemonics, Tab in reading order."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QWidget,
)
from pytestqt.qtbot import QtBot
from window_helpers import choose, summary, type_into, vial_boxes, widget

from ivigcalc.gui import theme
from ivigcalc.gui.window import MainWindow

INPUTS = ("weightInput", "weightUnit", "heightInput", "heightUnit", "sexInput", "basisInput",
          "presetInput", "doseInput", "doseUnit", "perInput", "daysInput", "dxInput",
          "productInput", "vialSizesInput", "codeInput", "routeInput", "payerInput",
          "priorAuthInput", "dateInput", "roundingInput", "kxInput")
RESULTS = ("summaryView", "claimLinesView", "vialPlanView", "warningsView", "resultStatus",
           "dosingWeightView", "doseView", "volumeView", "wasteView", "wasteBar",
           "copySummaryButton", "printButton", "savePdfButton")
# With a mnemonic (the diagnosis and prior-authorization fields have none: no letter is left).
LABELLED = ("weightInput", "basisInput", "heightInput", "sexInput", "presetInput", "doseInput",
            "daysInput", "productInput", "codeInput", "routeInput", "payerInput", "dateInput",
            "roundingInput")


def test_every_input_and_result_has_an_accessible_name(window: MainWindow) -> None:
    for name in (*INPUTS, *RESULTS):
        assert widget(window, name).accessibleName().strip(), name
    for box in vial_boxes(window).values():
        assert box.accessibleName().endswith("vials in stock"), box.text()


def test_labels_carry_mnemonics_for_their_fields(window: MainWindow) -> None:
    buddies = {label.buddy(): label.text() for label in window.findChildren(QLabel)
               if label.buddy() is not None}
    for name in LABELLED:
        text = buddies.get(widget(window, name))
        assert text is not None and re.search(r"&\w", text), f"{name}: {text!r}"
    # The vial label's buddy is the container (focus only), never a checkbox (Qt clicks it).
    assert "&V" in buddies[widget(window, "vialSizesInput")]
    assert "&K" in widget(window, "kxInput").text()


def test_mnemonics_are_unique_on_the_calculate_page(window: MainWindow) -> None:
    page = window.calculatePage
    texts = [label.text() for label in page.findChildren(QLabel) if label.buddy() is not None]
    texts += [b.text() for b in page.findChildren(QAbstractButton)
              if not isinstance(b, QCheckBox) or b is widget(window, "kxInput")]
    texts += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    texts += [action.text() for action in window.menuBar().actions()]
    letters = [m.group(1).lower() for t in texts if (m := re.search(r"&(\w)", t))]
    assert len(letters) >= 20
    assert sorted(letters) == sorted(set(letters)), sorted(letters)


def _owner(focused: QWidget, names: set[str]) -> str:
    """The named input a focused child belongs to (a combo's or date edit's line edit)."""
    current: QWidget | None = focused
    while current is not None:
        if current.objectName() in names or isinstance(current, QCheckBox):
            return current.objectName() or f"vial {current.text()}"
        current = current.parentWidget()
    return focused.objectName() or type(focused).__name__


def test_tab_walks_the_form_in_reading_order(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "privigen")  # the vial checkboxes are rebuilt
    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "weightInput", "30")
    type_into(qtbot, window, "doseInput", "0.7")
    names = set(INPUTS) | set(RESULTS)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget(window, "weightInput").setFocus()
    seen = ["weightInput"]
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        name = _owner(QApplication.focusWidget(), names)
        if name == "weightInput":
            break
        seen.append(name)
    assert "summaryView" in seen and "copySummaryButton" in seen

    def position(name: str) -> tuple[int, int, int]:
        target = (widget(window, name) if not name.startswith("vial ")
                  else vial_boxes(window)[name[5:]])
        point = target.mapTo(window, QPoint(0, 0))
        column = 0 if target.isAncestorOf(window.calculatePage.form) or \
            window.calculatePage.form.isAncestorOf(target) else 1
        return column, point.y() // 8, point.x()  # rows within 8 px read as one line

    form_part = [n for n in seen if position(n)[0] == 0]
    assert form_part == sorted(form_part, key=position)
    assert form_part[:10] == ["weightInput", "weightUnit", "basisInput", "presetInput",
                              "doseInput", "doseUnit", "perInput", "daysInput", "dxInput",
                              "productInput"]


def test_the_whole_order_can_be_made_with_the_keyboard(qtbot: QtBot,
                                                       window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(window, Qt.Key.Key_R, alt)  # P&roduct
    assert QApplication.focusWidget() is widget(window, "productInput")
    qtbot.keyClick(window, Qt.Key.Key_W, alt)  # &Weight
    qtbot.keyClicks(QApplication.focusWidget(), "30")
    qtbot.keyClick(window, Qt.Key.Key_D, alt)  # &Dose
    qtbot.keyClicks(QApplication.focusWidget(), "0.7")
    assert widget(window, "weightInput").text() == "30"
    assert "J1561 JA JZ × 42" in summary(window)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "J1561 JA JZ × 42" in QGuiApplication.clipboard().text()


def test_combo_boxes_do_not_trap_the_tab_key(window: MainWindow) -> None:
    for combo in window.calculatePage.form.findChildren(QComboBox):
        assert combo.focusPolicy() & Qt.FocusPolicy.TabFocus, combo.objectName()


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert theme.contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21)
    assert theme.contrast(QColor("#777777"), QColor("#777777")) == pytest.approx(1)
    assert theme.contrast(QColor("#767676"), QColor("#ffffff")) == pytest.approx(4.54, abs=0.01)


def test_warning_and_error_accents_read_on_light_and_dark_backgrounds() -> None:
    for background in ("#ffffff", "#efefef", "#2b2b2b", "#1e1e1e"):
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        for role in ("error", "warning"):
            ratio = theme.contrast(theme.accent(role, palette), QColor(background))
            assert ratio >= 4.5, (role, background, ratio)
