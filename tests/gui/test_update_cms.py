"""File → Update CMS data…: the change report, Save to the site catalog, the offer to use it."""

import tomllib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from window_helpers import widget

from ivigcalc.gui.cms.update import UpdateCmsDialog
from ivigcalc.gui.window import MainWindow

FIXTURES = Path(__file__).parent.parent / "fixtures" / "cms"


def files(quarter: str) -> list[str]:
    return sorted(str(p) for p in (FIXTURES / quarter).glob("*.csv"))


def test_the_menu_and_the_banner_open_it(window: MainWindow, qtbot: QtBot,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.updateCmsAction.text() == "&Update CMS data…"
    assert window.cmsBanner is not None
    button = window.cmsBanner.updateButton
    assert button.text() == "Update CMS data…" and button.isVisibleTo(window.cmsBanner)
    chosen: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *args, **kwargs: (chosen, ""))
    button.click()  # nothing chosen: nothing opens
    assert window.findChild(UpdateCmsDialog) is None
    chosen[:] = files("2025-Q3")
    dialog = window.update_cms_dialog()
    assert isinstance(dialog, UpdateCmsDialog)
    qtbot.addWidget(dialog)
    assert "CMS data for 2025-Q3" in dialog.heading.text()
    report = dialog.report.toPlainText()
    assert "read ASP NDC-HCPCS crosswalk 2025-Q3" in report
    assert "2025-Q3 changes nothing against the catalog in use (2025-Q3)." in report
    dialog.close()


def test_save_writes_the_site_catalog_and_offers_it(window: MainWindow, qtbot: QtBot,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = UpdateCmsDialog(window.catalog, files("2025-Q1") + files("2025-Q2"), window)
    qtbot.addWidget(dialog)
    target = tmp_path / "site.toml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    assert window.save_cms(dialog) == target
    assert list(tomllib.loads(target.read_text("utf-8"))["quarters"]) == ["2025-Q1", "2025-Q2"]
    assert "2025-Q2: added to the site catalog" in dialog.report.toPlainText()
    assert not dialog.saveButton.isEnabled()
    assert window.prefs.get("site_catalog") == str(target.resolve())
    assert "used from the next start" in window.statusBar().currentMessage()


def test_files_it_refuses_are_said_in_one_line_and_nothing_is_saved(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    crosswalk = [f for f in files("2025-Q4") if "Crosswalk" in f]
    dialog = UpdateCmsDialog(window.catalog, crosswalk, window)
    qtbot.addWidget(dialog)
    assert dialog.heading.text().startswith("⚠ Not imported: the ASP pricing file of the "
                                            "quarter is missing")
    assert not dialog.saveButton.isEnabled() and dialog.report.toPlainText() == ""


def test_a_file_that_is_not_a_site_catalog_is_not_replaced(
        window: MainWindow, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "notes.toml"
    target.write_text("not a catalog\n", encoding="utf-8")
    dialog = UpdateCmsDialog(window.catalog, files("2025-Q3"), window)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), ""))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text: warned.append(text))
    assert window.save_cms(dialog) is None
    assert warned and "notes.toml exists and is not a site catalog" in warned[0]
    assert target.read_text("utf-8") == "not a catalog\n"
    assert window.prefs.get("site_catalog") == ""
    assert widget(window, "cmsStatus") is not None


def test_the_chosen_site_catalog_is_used_from_the_next_start(
        make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ivigcalc.cli.main import main
    from ivigcalc.gui import prefs

    site = tmp_path / "site.toml"
    assert main(["catalog", "import-cms", *files("2025-Q3"), "--output", str(site),
                 "--checked", "2026-12-01"]) == 0
    monkeypatch.delenv("IVIGCALC_CATALOG", raising=False)
    prefs.Preferences(prefs.default_settings()).set("site_catalog", str(site))
    window = make_window()
    assert window.catalog.site_path == str(site)
    monkeypatch.setenv("IVIGCALC_CATALOG", str(tmp_path / "missing.toml"))
    second = make_window()  # the environment comes first (here: a file that is not there)
    assert second.catalog.site_path is None


def test_a_labeled_size_without_an_ndc_is_offered_unticked(window: MainWindow,
                                                            qtbot: QtBot) -> None:
    from window_helpers import choose, vial_boxes

    choose(window, "productInput", "panzyga")
    boxes = vial_boxes(window)
    assert "1 g (no NDC)" in boxes and not boxes["1 g (no NDC)"].isChecked()
    assert "no N4 line can be made" in boxes["1 g (no NDC)"].toolTip()
    assert boxes["10 g"].isChecked()


def test_the_340b_site_setting_is_remembered_and_reaches_both_pages(
        window: MainWindow, qtbot: QtBot, make_window) -> None:
    from window_helpers import choose, type_into

    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "350 mg/kg")
    choose(window, "site340bInput", "JG")
    result = window.calculatePage.result
    assert result is not None
    assert [line.text for line in result.days[0].claim_lines][:1] == ["J1561 JA JZ JG × 55"]
    assert window.prefs.get("site_340b") == "JG"
    again = make_window()  # a site setting, remembered (not patient data)
    assert again.calculatePage.form.site340bInput.currentData() == "JG"
    page = window.check_page()
    page.productInput.setCurrentIndex(page.productInput.findData("gamunex-c"))
    page.administeredInput.setText("27.5 g")
    page.vialsInput.setText("1 x 20 g, 1 x 5 g, 1 x 2.5 g")
    page.linesInput.setPlainText("J1561 JA JZ 55")
    assert page.result is not None
    assert [f.rule for f in page.result.findings] == ["340b-modifier-missing"]
