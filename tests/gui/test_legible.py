"""Legible and honest (issue 24 item 9): secondary text at 4.5:1 or more, the reason an
action is disabled beside it, and shown sums that add up or say ≈ (the dialogs' folder:
test_save_folder.py; --help and the README: tests/test_help_and_readme.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from ivigcalc.gui import theme
from ivigcalc.gui.window import MainWindow
from tests.gui.window_helpers import type_into, widget

ROLE = QPalette.ColorRole


@pytest.fixture
def keep_palette(qapp: QApplication) -> Iterator[None]:
    saved = QPalette(QGuiApplication.palette())
    yield
    QGuiApplication.setPalette(saved)


def secondary_labels(page: QWidget) -> list[QLabel]:
    return [label for label in page.findChildren(QLabel)
            if label.foregroundRole() == ROLE.PlaceholderText]


def readable(widget_: QWidget) -> float:
    palette = widget_.palette()
    shade = palette.color(ROLE.PlaceholderText)
    return min(theme.contrast(shade, palette.color(ROLE.Window)),
               theme.contrast(shade, palette.color(ROLE.Base)))


def test_help_text_is_at_least_4_5_to_1(window: MainWindow, keep_palette: None) -> None:
    labels = secondary_labels(window.calculatePage) + secondary_labels(window.check_page())
    assert len(labels) >= 5  # the hints under the fields, the sources
    assert all(readable(label) >= 4.5 for label in labels)


def test_the_platforms_grey_was_not_and_dark_mode_is_fixed_too(
        qtbot: QtBot, window: MainWindow, keep_palette: None) -> None:
    dark = QPalette()
    for role, colour in ((ROLE.Window, "#2b2b2b"), (ROLE.Base, "#1e1e1e"),
                         (ROLE.WindowText, "#f0f0f0"), (ROLE.Text, "#f0f0f0"),
                         (ROLE.PlaceholderText, "#5a5a5a")):
        dark.setColor(role, QColor(colour))
    assert theme.contrast(QColor("#5a5a5a"), QColor("#2b2b2b")) < 3  # what the desktop gave
    QGuiApplication.setPalette(dark)  # a switch to dark mode
    qtbot.waitUntil(lambda: readable(window.calculatePage.form.presetHint) >= 4.5)
    assert QGuiApplication.palette().color(ROLE.Window) == QColor("#2b2b2b")


def test_secondary_moves_no_further_than_needed() -> None:
    light = QPalette()
    for role, colour in ((ROLE.Window, "#ffffff"), (ROLE.Base, "#ffffff"),
                         (ROLE.WindowText, "#000000"), (ROLE.PlaceholderText, "#999999")):
        light.setColor(role, QColor(colour))
    shade = theme.secondary(light)
    assert 4.5 <= theme.contrast(shade, QColor("#ffffff")) < 6  # still muted, not black
    light.setColor(ROLE.PlaceholderText, shade)
    assert theme.legible(light) is None  # already legible: left alone


def test_why_print_is_disabled_sits_right_under_it(qtbot: QtBot, window: MainWindow) -> None:
    page = window.calculatePage
    why = widget(window, "ackView")
    assert not page.printButton.isEnabled()
    assert why.isVisibleTo(page) and "wait for a complete order" in why.text()
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "2.5")  # above the soft limit
    assert page.result is not None and not page.printButton.isEnabled()
    assert "wait until the soft limits are acknowledged" in why.text()
    assert "wait until the soft limits are acknowledged" in page.printButton.toolTip()
    button = page.savePdfButton.geometry()
    below = why.geometry()
    assert why.parentWidget() is page.savePdfButton.parentWidget()
    assert 0 <= below.top() - button.bottom() <= 20  # the next row of the same grid
    page.acknowledge("A. Pharmacist", "Confirmed with the prescriber")
    assert page.printButton.isEnabled()
    assert "wait" not in page.printButton.toolTip()


def test_the_windows_shown_sums_add_up_or_say_approximately(
        qtbot: QtBot, window: MainWindow) -> None:
    """82.13 g a day shows as 82.1 g and the 2-day course (164.26 g) as 164.3 g: the window's
    dose working says ≈, not =; 82.1 kg's figures multiply out and keep =."""
    from tests.gui.window_helpers import choose

    choose(window, "productInput", "privigen")
    window.calculatePage.form.daysInput.setValue(2)
    type_into(qtbot, window, "doseInput", "1")
    type_into(qtbot, window, "weightInput", "82.13")
    working = widget(window, "doseWorkingView")
    assert "82.1 g per day × 2 days ≈ 164.3 g per course" in working.text()
    assert "82.1 g per day × 2 days ≈ 164.3 g per course" in widget(
        window, "summaryView").toPlainText()
    type_into(qtbot, window, "weightInput", "82.1")
    assert "82.1 g per day × 2 days = 164.2 g per course" in working.text()
