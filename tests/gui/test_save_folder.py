"""Where the worksheet's Save dialog opens (issue 24 item 9): Documents, or the worksheet
folder the site catalog sets; never the working folder, never the last patient's folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QStandardPaths
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from ivigcalc.data.catalog import load
from ivigcalc.gui.app import create_window
from ivigcalc.gui.window import MainWindow
from tests.gui.conftest import DATE_OF_SERVICE
from tests.gui.window_helpers import choose, type_into


def site_window(qtbot: QtBot, tmp_path: Path, folder: str) -> MainWindow:
    path = tmp_path / "site.toml"
    path.write_text(f"[catalog]\nworksheet_folder = '{folder}'\n", encoding="utf-8")
    window = create_window(load(path).catalog)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.settled, timeout=60_000)
    window.calculatePage.form.dateInput.setDate(QDate(DATE_OF_SERVICE))
    return window


def offered_folders(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                    save_to: Path | None = None) -> Callable[[], Path]:
    """Fill an order; return a function that opens the Save dialog and gives the folder it
    offered (the dialog 'saves' to `save_to` when given)."""
    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "0.4")
    offered: list[str] = []

    def dialog(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        offered.append(suggested)
        return (str(save_to / "chosen.pdf"), "") if save_to else ("", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))

    def open_dialog() -> Path:
        window.savePdfAction.trigger()
        return Path(offered[-1]).parent
    return open_dialog


def documents() -> Path:
    return Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation))


def test_the_dialog_opens_in_documents(qtbot: QtBot, window: MainWindow,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parent)  # not the working folder
    opened = offered_folders(qtbot, window, monkeypatch)()
    assert opened == documents() and opened != Path.cwd()


def test_the_dialog_opens_in_the_sites_worksheet_folder(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "worksheets"
    shared.mkdir()
    window = site_window(qtbot, tmp_path, str(shared))
    assert window.catalog.worksheet_folder == str(shared)
    elsewhere = tmp_path / "patient-folder"
    elsewhere.mkdir()
    open_dialog = offered_folders(qtbot, window, monkeypatch, save_to=elsewhere)
    assert open_dialog() == shared
    assert (elsewhere / "chosen.pdf").is_file()  # saved where the pharmacist chose
    # The next worksheet is offered the site's folder again, not the last one used, and the
    # preferences hold no folder at all.
    assert open_dialog() == shared
    settings = window.prefs.settings
    settings.sync()
    kept = " ".join(f"{key}={settings.value(key)}" for key in settings.allKeys())
    assert str(elsewhere) not in kept and "patient-folder" not in kept


def test_a_site_folder_that_cannot_be_reached_falls_back_to_documents_and_says_so(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "not-mounted"
    window = site_window(qtbot, tmp_path, str(missing))
    assert offered_folders(qtbot, window, monkeypatch)() == documents()
    assert f"worksheet folder {missing} cannot be reached" in window.statusBar().currentMessage()


def test_the_site_setting_is_one_line_of_text(tmp_path: Path) -> None:
    from ivigcalc.errors import CatalogError

    path = tmp_path / "site.toml"
    path.write_text("[catalog]\nworksheet_folder = ''\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="worksheet_folder"):
        load(path)
    path.write_text('[catalog]\nworksheet_folder = "a\\u0007b"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="control character"):
        load(path)
