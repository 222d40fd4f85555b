"""The site's vial preference in the window (issue 24 item 8): shown, read-only unless the
site allows, and the other plan with its extra waste under the vials."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from ivigcalc.data.catalog import load
from ivigcalc.gui.app import create_window
from ivigcalc.gui.window import MainWindow
from tests.gui.conftest import DATE_OF_SERVICE
from tests.gui.window_helpers import choose, type_into, vial_boxes, widget


def site_window(qtbot: QtBot, tmp_path: Path, units: int, editable: bool) -> MainWindow:
    path = tmp_path / "site.toml"
    path.write_text(f"[catalog]\nvial_preference_units = {units}\n"
                    f"vial_preference_editable = {'true' if editable else 'false'}\n",
                    encoding="utf-8")
    window = create_window(load(path).catalog)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.settled, timeout=60_000)
    window.calculatePage.form.dateInput.setDate(QDate(DATE_OF_SERVICE))
    return window


def order_8_02_g(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    for box in vial_boxes(window).values():
        box.setChecked(True)
    type_into(qtbot, window, "weightInput", "80.2")
    type_into(qtbot, window, "doseInput", "0.1")


def test_the_sites_setting_is_shown_read_only(qtbot: QtBot, tmp_path: Path) -> None:
    window = site_window(qtbot, tmp_path, 5, editable=False)
    box = widget(window, "vialPreferenceInput")
    assert box.value() == 5 and not box.isEnabled()
    assert "only the site catalog changes it" in box.toolTip()
    order_8_02_g(qtbot, window)
    result = window.calculatePage.result
    assert result is not None and result.days[0].plan.vial_count == 1
    other = widget(window, "vialOtherView")
    assert other.isVisibleTo(window.calculatePage)
    assert other.text().startswith("Least waste would open 1 × 5 g + 1 × 2.5 g + 1 × 1 g "
                                   "(3 vials): 3 units less discarded")


def test_an_editable_setting_is_the_workstations_own(qtbot: QtBot, tmp_path: Path) -> None:
    window = site_window(qtbot, tmp_path, 0, editable=True)
    box = widget(window, "vialPreferenceInput")
    assert box.isEnabled() and box.value() == 0
    order_8_02_g(qtbot, window)
    page = window.calculatePage
    assert page.result is not None and page.result.days[0].plan.vial_count == 3
    assert widget(window, "vialOtherView").text().startswith(
        "Fewer vials: 1 × 10 g (1 vial) would discard 3 more units; the site prefers the "
        "least waste")
    box.setValue(3)
    assert page.result is not None and page.result.days[0].plan.vial_count == 1
    assert window.prefs.get("vial_preference_units") == "3"


def test_the_bundled_catalog_shows_least_waste(window: MainWindow) -> None:
    box = widget(window, "vialPreferenceInput")
    assert box.value() == 0 and box.text() == "no: least waste" and not box.isEnabled()
