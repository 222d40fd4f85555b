"""The PySide6 window, the only Qt code. May import every stage but cli.

`create_window()` is how the app, `--self-test` and the tests all build the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from ivigcalc.data.catalog import Catalog
    from ivigcalc.gui.window import MainWindow


def create_window(catalog: Catalog | None = None,
                  settings: QSettings | None = None) -> MainWindow:
    """The main window, preferences loaded, ready to show.

    catalog: the bundled catalog merged with $IVIGCALC_CATALOG when not given (a broken
    site file falls back to the bundled data and the status bar says why).
    settings: where preferences live (default: the per-user ivigcalc settings).
    """
    from PySide6.QtWidgets import QApplication

    from ivigcalc.data import catalog as catalogs
    from ivigcalc.gui.app import make_application
    from ivigcalc.gui.prefs import Preferences, default_settings
    from ivigcalc.gui.window import MainWindow

    if QApplication.instance() is None:
        make_application()
    problem = None
    if catalog is None:
        catalog, problem = catalogs.load_with_fallback(catalogs.site_path_from_env())
    window = MainWindow(catalog, Preferences(settings or default_settings()), problem)
    window.restore_geometry()
    return window


__all__ = ["create_window"]
