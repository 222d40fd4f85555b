"""Typing into the window the way a person does, and reading back what it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from ivigcalc.gui.window import MainWindow


def widget(window: MainWindow, name: str) -> QWidget:
    found = window.findChild(QWidget, name)
    assert found is not None, f"no widget named {name}"
    return found


def type_into(qtbot: QtBot, window: MainWindow, name: str, text: str) -> None:
    """Select what is in the field, then type `text` key by key (each key recomputes)."""
    edit = widget(window, name)
    if isinstance(edit, QComboBox):
        edit = edit.lineEdit()
    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def choose(window: MainWindow, name: str, data: object) -> None:
    combo = widget(window, name)
    assert isinstance(combo, QComboBox)
    index = combo.findData(data)
    assert index >= 0, f"{name} has no item {data!r}"
    combo.setCurrentIndex(index)


def vial_boxes(window: MainWindow) -> dict[str, QCheckBox]:
    container = widget(window, "vialSizesInput")
    return {box.text(): box for box in container.findChildren(QCheckBox)}


def stock_only(window: MainWindow, *labels: str) -> None:
    boxes = vial_boxes(window)
    for label in labels:
        boxes[label].setChecked(True)
    for label, box in boxes.items():
        box.setChecked(label in labels)


def summary(window: MainWindow) -> str:
    return widget(window, "summaryView").toPlainText()


def claim_rows(window: MainWindow) -> list[tuple[str, ...]]:
    """The claim-lines table as shown (Code, Modifiers, Units, Billed for), read from its model
    (the payment column is read by tests/gui/test_cms_results.py)."""
    view = widget(window, "claimLinesView")
    model = view.model()
    columns = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)
               and model.headerData(c, Qt.Orientation.Horizontal) != "At Medicare limit"]
    return [tuple(model.index(row, c).data() for c in columns) for row in range(model.rowCount())]


def vial_rows(window: MainWindow) -> list[tuple[str, ...]]:
    """The vial table as shown, without the NDC column (tests/gui/test_cms_results.py)."""
    view = widget(window, "vialPlanView")
    model = view.model()
    columns = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)
               and model.headerData(c, Qt.Orientation.Horizontal) != "NDC"]
    return [tuple(model.index(row, c).data() for c in columns) for row in range(model.rowCount())]


def message(window: MainWindow, field: str) -> str:
    """The problem shown beside a field ('' when the field is fine or hidden)."""
    label = widget(window, f"{field}Message")
    return label.accessibleDescription() if label.isVisibleTo(window) else ""
