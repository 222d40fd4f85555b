"""Issue 9 in the window: the Check page never shows a verdict for input it did not check,
and any broken site catalog falls back with its reason shown as plain text."""

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ivigcalc.data.catalog import load
from ivigcalc.gui.app import create_window
from ivigcalc.gui.check.page import CheckPage


@pytest.fixture
def page(qtbot: QtBot) -> CheckPage:
    widget = CheckPage(load().catalog)
    qtbot.addWidget(widget)
    widget.dateInput.setDate(QDate(2026, 1, 5))
    widget.productInput.setCurrentIndex(widget.productInput.findData("gamunex-c"))
    return widget


@pytest.mark.parametrize("typed", ["1" + "0" * 5000 + " g", "27.3 g\x1b", "٢٧ g", "2000 g"])
def test_the_verdict_goes_as_soon_as_the_input_changes(page: CheckPage, typed: str) -> None:
    page.vialsInput.setText("3 x 10 g")
    page.linesInput.setPlainText("J1561 JA 55\nJ1561 JA JW 5")
    page.administeredInput.setText("27.3 g")
    assert page.result is not None and page.findingsView.rowCount() > 0
    page.administeredInput.setText(typed)
    assert page.result is None
    assert page.findingsView.rowCount() == 0 and page.expectedView.toPlainText() == ""
    assert "⚠" in page.statusLabel.text()
    assert "\n" not in page.statusLabel.text()


@pytest.mark.parametrize("data", [
    '[catalog]\nname = "Hôtel-Dieu"\n'.encode("latin-1"),
    '[catalog]\nname = "x"\n'.encode("utf-16"),
    b"[products.privigen]\nvial_sizes_g = [1e5000]\n",
    b'[catalog]\nname = "<b>bold</b> <img src=x>"\nnote = 5\n',
])
def test_any_broken_site_catalog_falls_back_with_a_plain_reason(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    site = tmp_path / "site.toml"
    site.write_bytes(data)
    monkeypatch.setenv("IVIGCALC_CATALOG", str(site))
    window = create_window()
    qtbot.addWidget(window)
    problem = window.findChild(QLabel, "catalogProblem")
    assert problem is not None and "Site catalog not used" in problem.text()
    assert problem.textFormat() == Qt.TextFormat.PlainText
    version = window.findChild(QLabel, "catalogVersion")
    assert version is not None and "site catalog" not in version.text()
