"""Fixtures for the window's tests: a clean preferences file per test, a clean clipboard.

Every test gets its own settings directory (QSettings.setPath plus Qt's test mode for
QStandardPaths), so nothing reads or writes the developer's real preferences and no test
sees another's. The clipboard is cleared after each test: rich text left on it makes the
offscreen platform crash at exit (pytest would then exit 139 with every test green).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings, QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ivigcalc.gui.app import create_window
from ivigcalc.gui.window import MainWindow

# A fixed date of service: Medicare requires JZ from 2023-07-01 (domain reference §2.2).
DATE_OF_SERVICE = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, qapp: QApplication) -> Iterator[Path]:
    """Point every QSettings the app makes at a fresh folder for this test."""
    QStandardPaths.setTestModeEnabled(True)
    folder = tmp_path / "settings"
    folder.mkdir()
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder


@pytest.fixture(autouse=True)
def clean_clipboard(qapp: QApplication) -> Iterator[None]:
    yield
    QGuiApplication.clipboard().clear()


@pytest.fixture
def make_window(qtbot: QtBot) -> Callable[[], MainWindow]:
    """Build windows the way the app does (create_window), shown, with a fixed date, and
    what waits for the first paint (the actions' keys, the Check page...) done."""
    def build() -> MainWindow:
        window = create_window()
        qtbot.addWidget(window)
        window.resize(1340, 690)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.settled, timeout=60_000)
        window.calculatePage.form.dateInput.setDate(QDate(DATE_OF_SERVICE))
        return window
    return build


@pytest.fixture
def window(make_window: Callable[[], MainWindow]) -> MainWindow:
    return make_window()
