"""When something goes wrong: a dialog for Python errors, a trace for native crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from window_helpers import type_into

from ivigcalc.gui import failsafe
from ivigcalc.gui.output import clipboard
from ivigcalc.gui.window import MainWindow

WEIGHT = "73.4"  # typed before each crash: it must not appear in any trace


def _error_dialog() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "internalErrorDialog" and widget.isVisible():
            assert isinstance(widget, QMessageBox)
            return widget
    return None


@pytest.mark.qt_no_exception_capture  # this test is about what the app's own hook does
def test_an_exception_in_the_window_shows_a_dialog_and_the_window_stays(
        window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", failsafe._hook)
    type_into(qtbot, window, "weightInput", WEIGHT)
    type_into(qtbot, window, "doseInput", "0.4")

    def broken(*_: object) -> None:
        raise RuntimeError("the clipboard is gone")

    monkeypatch.setattr(clipboard, "copy_summary", broken)
    window.copyAction.trigger()  # Ctrl+Shift+C: the slot raises inside Qt's dispatch
    qtbot.waitUntil(lambda: _error_dialog() is not None)
    dialog = _error_dialog()
    assert dialog is not None
    assert "RuntimeError: the clipboard is gone" in dialog.text()
    assert "in broken()" in dialog.text()
    assert "Nothing was saved" in dialog.text()
    assert "Traceback" in dialog.detailedText()
    dialog.accept()
    assert window.isVisible() and window.calculatePage.result is not None  # work kept
    assert window.calculatePage.form.weightInput.text() == WEIGHT


def _crash_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return env | {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
                  "XDG_DATA_HOME": str(tmp_path / "data"),
                  "XDG_CONFIG_HOME": str(tmp_path / "config")}


# The window opens as `ivigcalc-gui` does (gui.app.main); once it shows, a weight is typed
# and the process is crashed natively, as a fault in Qt or the binding would.
GUI_CRASH = f"""
import faulthandler, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ivigcalc.gui import app

def crash_in_qt():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    window.calculatePage.form.weightInput.setText("{WEIGHT}")
    faulthandler._sigsegv()

made = app.make_application
def make_application(argv=None):
    application = made(argv)
    QTimer.singleShot(200, crash_in_qt)
    return application

app.make_application = make_application
sys.exit(app.main())
"""


def test_a_native_crash_of_the_window_leaves_a_trace_in_the_app_data_folder(
        tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", GUI_CRASH], capture_output=True, text=True,
                          env=_crash_env(tmp_path), timeout=120, check=False)
    assert done.returncode == -signal.SIGSEGV, done.stderr
    traces = list((tmp_path / "data").rglob(failsafe.CRASH_FILE))
    assert len(traces) == 1, f"no trace under {tmp_path / 'data'}: {done.stderr}"
    trace = traces[0].read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in trace
    assert "crash_in_qt" in trace and "in main" in trace  # the stack, down to app.main
    assert WEIGHT not in trace and WEIGHT not in done.stderr


def test_a_native_crash_on_the_command_line_prints_the_stack_on_stderr(
        tmp_path: Path) -> None:
    code = ("import faulthandler, sys\n"
            "from ivigcalc.cli.main import main\n"
            "from ivigcalc.gui.selftest import run as selftest\n"
            "selftest._check = faulthandler._sigsegv\n"
            "sys.exit(main(['--self-test']))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=_crash_env(tmp_path), timeout=120, check=False)
    assert done.returncode == -signal.SIGSEGV
    assert "Fatal Python error: Segmentation fault" in done.stderr
    assert "in run" in done.stderr and "in main" in done.stderr


def test_a_restart_keeps_the_last_crash_trace(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    enabled: list[object] = []
    monkeypatch.setattr(failsafe.faulthandler, "enable",
                        lambda file, all_threads: enabled.append(file))
    monkeypatch.setattr(failsafe, "_trace_file", None)
    first = failsafe.trace_to_file(tmp_path)
    assert first == tmp_path / failsafe.CRASH_FILE and enabled
    first.write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    failsafe.trace_to_file(tmp_path)  # the next start
    kept = list(tmp_path.glob("crash-trace-*.txt"))
    assert [p.read_text(encoding="utf-8") for p in kept] == [
        "Fatal Python error: Segmentation fault\n"]
    assert first.read_text(encoding="utf-8") == ""  # the new session's file starts empty
    failsafe.trace_to_file(tmp_path)  # an empty trace is not kept
    assert len(list(tmp_path.glob("crash-trace-*.txt"))) == 1
    failsafe._trace_file.close()
