"""The PySide6 window, the only Qt code. May import every stage but cli.

`create_window()` is how the app, `--self-test` and the tests all build the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from ivigcalc.data.catalog import Catalog
    from ivigcalc.gui.window import MainWindow


def load_catalog() -> tuple[Catalog, str | None]:
    """The window's catalog: the bundled one merged with $IVIGCALC_CATALOG (a broken site
    file falls back to the bundled data, with the reason), its checked rows kept in the
    app's cache folder for the next start."""
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    from ivigcalc.data import catalog as catalogs

    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return catalogs.load_with_fallback(catalogs.site_path_from_env(),
                                       cache_folder=Path(folder) if folder else None)


def create_window(catalog: Catalog | None = None,
                  settings: QSettings | None = None) -> MainWindow:
    """The main window, preferences loaded, ready to show.

    catalog: load_catalog()'s when not given (the status bar says why a site file was
    not used).
    settings: where preferences live (default: the per-user ivigcalc settings).
    """
    from PySide6.QtWidgets import QApplication

    from ivigcalc.gui.app import make_application
    from ivigcalc.gui.prefs import Preferences, default_settings
    from ivigcalc.gui.window import MainWindow

    if QApplication.instance() is None:
        make_application()
    problem = None
    if catalog is None:
        catalog, problem = load_catalog()
    window = MainWindow(catalog, Preferences(settings or default_settings()), problem)
    window.restore_geometry()
    return window


__all__ = ["create_window", "load_catalog"]
