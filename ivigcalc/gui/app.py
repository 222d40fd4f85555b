"""`ivigcalc`, `ivigcalc gui`, `python -m ivigcalc` and `ivigcalc-gui`: run the window.

The application, the window built with its catalog and preferences (`create_window`, as the
app, `--self-test` and the tests build it), and the run. The window never imports this
module: the shell sits below the application that makes it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from ivigcalc.gui import prefs

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from ivigcalc.data.catalog import Catalog
    from ivigcalc.gui.window import MainWindow

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


def load_catalog(site: str | None = None) -> tuple[Catalog, str | None]:
    """The window's catalog: the bundled one merged with $IVIGCALC_CATALOG, else with `site`
    (the workstation's preference), a broken site file falling back to the bundled data with
    the reason; its checked rows kept in the app's cache folder for the next start."""
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    from ivigcalc.data import catalog as catalogs

    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return catalogs.load_with_fallback(catalogs.site_path_from_env() or site or None,
                                       cache_folder=Path(folder) if folder else None)


def create_window(catalog: Catalog | None = None,
                  settings: QSettings | None = None) -> MainWindow:
    """The main window, preferences loaded, ready to show.

    catalog: load_catalog()'s when not given (the status bar says why a site file was
    not used).
    settings: where preferences live (default: the per-user ivigcalc settings, unless
    their file is a symlink, a FIFO or the like: then a private file, with a note).
    """
    from ivigcalc.gui.window import MainWindow

    if QApplication.instance() is None:
        make_application()
    note = None
    if settings is None:
        settings, note = prefs.open_settings()
    preferences = prefs.Preferences(settings, note)
    problem = None
    if catalog is None:
        catalog, problem = load_catalog(preferences.get("site_catalog"))
    window = MainWindow(catalog, preferences, problem)
    window.restore_geometry()
    return window


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window and run until it is closed (exit code 0)."""
    from ivigcalc.gui import failsafe

    app = make_application(argv)
    failsafe.trace_to_file()  # after make_application: the folder is named after the app
    failsafe.install_excepthook()
    window = create_window()
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
