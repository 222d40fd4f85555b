"""Help → About and Help → Third-party notices: versions, the licence, what ivigcalc ships.

A hospital's IT department asks which Qt binding and Python a build carries (issue 8: the
binding decides whether the window survives a shift) and under which licences. The notices
file is generated from the installed packages' metadata by scripts/notices.py, and again
for the bundle by packaging/build.sh, so it lists what was actually installed.
"""

from __future__ import annotations

import platform
from importlib.resources import files

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ivigcalc import __version__

NOTICES = "third-party-notices.txt"


def binding() -> str:
    """'PySide6 6.11.3 (Qt 6.11.3)': the binding, and the Qt it runs on."""
    return f"PySide6 {PySide6.__version__} (Qt {qVersion()})"


def python() -> str:
    return f"Python {platform.python_version()} ({platform.python_implementation()})"


def notices_text() -> str:
    path = files("ivigcalc.resources") / NOTICES
    return path.read_text(encoding="utf-8") if path.is_file() else \
        "The third-party notices file is missing from this installation."


def show_about(parent: QWidget, catalog_version: str) -> None:
    QMessageBox.about(
        parent, "About ivigcalc",
        f"<p><b>ivigcalc {__version__}</b></p><p>Catalog {catalog_version}.<br>"
        f"{binding()} · {python()}</p><p>Immune globulin dose, vial plan and HCPCS billing "
        "units, exact to the unit. Check every result against the order and the current "
        "payer policy.</p><p>Licensed under the Apache License 2.0. The Qt libraries and "
        "PySide6 are used under the LGPL-3.0; see Help → Third-party notices.</p>")


def show_notices(parent: QWidget) -> QDialog:
    """The notices in a plain, searchable text view (non-modal, so the work stays usable)."""
    dialog = QDialog(parent)
    dialog.setObjectName("noticesDialog")
    dialog.setWindowTitle("Third-party notices")
    view = QPlainTextEdit(dialog)
    view.setObjectName("noticesView")
    view.setReadOnly(True)
    view.setAccessibleName("Third-party notices")
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    view.setPlainText(notices_text())
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(view)
    layout.addWidget(buttons)
    dialog.resize(720, 560)
    dialog.show()
    return dialog
