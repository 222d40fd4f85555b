"""The mouse wheel never changes an input without the focus; it scrolls the page (issue 24
item 1: scrolling over the product box once changed Gamunex-C to Gammaked)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateEdit,
    QScrollArea,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ivigcalc.gui.window import MainWindow

DOWN = -120  # one notch towards the user


def wheel(widget: QWidget, notches: int = 1) -> None:
    """A wheel event over the middle of `widget`, as the mouse sends it."""
    from PySide6.QtGui import QWheelEvent

    middle = QPointF(widget.rect().center())
    event = QWheelEvent(middle, QPointF(widget.mapToGlobal(middle)), QPoint(),
                        QPoint(0, DOWN * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def state(widget: QWidget) -> object:
    if isinstance(widget, QComboBox):
        return widget.currentIndex(), widget.currentText()
    if isinstance(widget, QDateEdit):
        return widget.date()
    if isinstance(widget, QSpinBox):
        return widget.value()
    assert isinstance(widget, QAbstractSpinBox)
    return widget.text()


def test_the_wheel_over_the_unfocused_product_box_scrolls_the_page(
        window: MainWindow, qtbot: QtBot) -> None:
    window.resize(900, 420)  # the page is taller than the window: it scrolls
    form = window.calculatePage.form
    form.weightInput.setFocus()
    qtbot.waitUntil(form.weightInput.hasFocus)
    box = form.productInput
    bar = window.findChild(QScrollArea, "calculateScroll").verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    before, top = state(box), bar.value()
    wheel(box, 3)
    assert state(box) == before  # still Gamunex-C
    assert bar.value() > top  # the page moved instead
    assert form.productInput.currentData() is not None


def test_a_focused_box_still_takes_the_wheel(window: MainWindow, qtbot: QtBot) -> None:
    """The control can fail: the same event changes the box once it has the focus."""
    box = window.calculatePage.form.productInput
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    before = state(box)
    wheel(box)
    assert state(box) != before


def test_no_input_on_either_page_changes_under_the_wheel(
        window: MainWindow, qtbot: QtBot) -> None:
    """Every drop-down, spin box and date of both pages (Route, days, date of service, the
    Check page's payer...), and the line edit inside an editable combo."""
    window.tabs.setCurrentIndex(1)
    check = window.check_page()
    window.tabs.setCurrentIndex(0)
    window.statusBar().setFocus()
    inputs = [w for page in (window.calculatePage, check)
              for w in page.findChildren(QWidget) if isinstance(w, (QComboBox, QAbstractSpinBox))]
    assert len(inputs) >= 15
    names = {w.objectName() for w in inputs}
    assert {"productInput", "routeInput", "daysInput", "dateInput", "presetInput",
            "checkPayerInput", "checkDateInput"} <= names
    for widget in inputs:
        assert not widget.hasFocus()
        before = state(widget)
        wheel(widget)
        wheel(widget, -1)
        assert state(widget) == before, widget.objectName()
    code = window.calculatePage.form.codeInput.lineEdit()
    before_code = window.calculatePage.form.codeInput.currentText()
    wheel(code)
    assert window.calculatePage.form.codeInput.currentText() == before_code
