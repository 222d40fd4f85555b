"""What the first screen gives Qt by number (gui/qt_numbers.py) is Qt's own value, and the
window paints without PySide building the Qt namespace (a fifth of a bare window's start)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from ivigcalc.gui import qt_numbers


def test_every_number_is_qts_own() -> None:
    expected = {
        "DISPLAY_ROLE": Qt.ItemDataRole.DisplayRole, "TOOLTIP_ROLE": Qt.ItemDataRole.ToolTipRole,
        "FONT_ROLE": Qt.ItemDataRole.FontRole,
        "TEXT_ALIGNMENT_ROLE": Qt.ItemDataRole.TextAlignmentRole,
        "ACCESSIBLE_TEXT_ROLE": Qt.ItemDataRole.AccessibleTextRole,
        "USER_ROLE": Qt.ItemDataRole.UserRole,
        "ALIGN_LEFT": Qt.AlignmentFlag.AlignLeft, "ALIGN_RIGHT": Qt.AlignmentFlag.AlignRight,
        "ALIGN_TOP": Qt.AlignmentFlag.AlignTop, "ALIGN_VCENTER": Qt.AlignmentFlag.AlignVCenter,
        "TEXT_SELECTABLE_BY_MOUSE": Qt.TextInteractionFlag.TextSelectableByMouse,
        "PLAIN_TEXT": Qt.TextFormat.PlainText, "RICH_TEXT": Qt.TextFormat.RichText,
        "SCROLL_BAR_ALWAYS_OFF": Qt.ScrollBarPolicy.ScrollBarAlwaysOff,
        "NO_FOCUS": Qt.FocusPolicy.NoFocus, "STRONG_FOCUS": Qt.FocusPolicy.StrongFocus,
    }
    numbers = {name: value for name, value in vars(qt_numbers).items() if name.isupper()}
    assert numbers.keys() == expected.keys()
    for name, value in expected.items():
        assert numbers[name] == value.value, name


def test_a_property_set_by_number_reads_back_as_qts_value(qapp: QApplication) -> None:
    label = QLabel()
    qt_numbers.set_property(label, "textInteractionFlags", qt_numbers.TEXT_SELECTABLE_BY_MOUSE)
    qt_numbers.set_property(label, "alignment", qt_numbers.ALIGN_LEFT | qt_numbers.ALIGN_TOP)
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
    assert label.alignment() == Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
    with pytest.raises(ValueError, match="alignement"):
        qt_numbers.set_property(label, "alignement", 1)  # a typo is never a silent no-op


PROBE = """
import os, sys
from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QSettings
from ivigcalc.gui.app import create_window
window = create_window(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat))
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("made" if "Qt" in vars(QtCore) else "not made", flush=True)
            os._exit(0)
        return False
probe = FirstPaint()
window.installEventFilter(probe)
window.show()
QtCore.QCoreApplication.instance().exec()
"""


def test_the_window_paints_before_the_qt_namespace_is_made(tmp_path: os.PathLike[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env |= {"QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path) + "/p.ini"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "not made"
