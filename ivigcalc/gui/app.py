"""`ivigcalc`, `ivigcalc gui`, `python -m ivigcalc` and `ivigcalc-gui`: run the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.resources import files

from PySide6.QtWidgets import QApplication

from ivigcalc.gui import prefs

_app: QApplication | None = None  # kept alive for create_window() callers without an app


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (created once), named so QSettings and the desktop know the app."""
    global _app
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setOrganizationName(prefs.ORGANIZATION)
    QApplication.setApplicationName(prefs.APPLICATION)
    QApplication.setApplicationDisplayName("ivigcalc")
    QApplication.setDesktopFileName("ivigcalc")
    _app = QApplication(list(sys.argv[:1] if argv is None else argv))
    return _app


def set_icon() -> None:
    """The title bar's and task switcher's icon (the installers set their own). The window
    sets it once it has painted: QIcon and the PNG cost more than the icon is worth to the
    first paint."""
    from PySide6.QtGui import QIcon

    icon = files("ivigcalc.resources") / "icons" / "ivigcalc.png"
    existing = QApplication.instance()
    if icon.is_file() and isinstance(existing, QApplication):
        existing.setWindowIcon(QIcon(str(icon)))


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window and run until it is closed (exit code 0)."""
    from ivigcalc.gui import create_window, failsafe

    app = make_application(argv)
    failsafe.trace_to_file()  # after make_application: the folder is named after the app
    failsafe.install_excepthook()
    window = create_window()
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
