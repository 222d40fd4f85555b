"""Typing an order into the window: live results, tables, summary and the clipboard.

Expected figures come from the domain reference's worked examples (§2.1, §3.4), worked by
hand in the comments, and from the CLI, which the issue says the summary must match.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from window_helpers import (
    choose,
    claim_rows,
    stock_only,
    summary,
    type_into,
    vial_boxes,
    vial_rows,
    widget,
)

from ivigcalc import cli
from ivigcalc.gui.app import create_window
from ivigcalc.gui.check.page import CheckPage
from ivigcalc.gui.window import MainWindow

# The administration lines the window estimates from the rate plan, after the drug's: at
# 0.7 g/kg Gamunex-C runs 2 h 32 min (96366 × 2), at 350 mg/kg 1 h 48 min (96366 × 1).
EST = "admin, estimated"
IV_152_MIN = [("96365", "none", "1", EST), ("96366", "none", "2", EST)]
IV_108_MIN = [("96365", "none", "1", EST), ("96366", "none", "1", EST)]


def test_30_kg_at_0_7_g_per_kg_of_gamunex_c_is_42_units_and_reaches_the_clipboard(
        qtbot: QtBot, window: MainWindow) -> None:
    # 0.7 g/kg × 30 kg is exactly 21 g = 42 units of 500 mg; floating point would say 43.
    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "weightInput", "30")
    type_into(qtbot, window, "doseInput", "0.7")
    assert "J1561 JA JZ × 42" in summary(window)
    assert claim_rows(window) == [("J1561", "JA JZ", "42", "administered"), *IV_152_MIN]

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(widget(window, "doseInput"), Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    mime = QGuiApplication.clipboard().mimeData()
    assert "J1561 JA JZ × 42" in mime.text()
    assert mime.hasHtml()
    assert "<table" in mime.html() and "<td" in mime.html()
    assert ">42<" in mime.html().replace(" ", "")


def test_summary_is_exactly_what_the_cli_prints(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    stock_only(window, "10 g")
    type_into(qtbot, window, "weightInput", "78 kg")
    type_into(qtbot, window, "doseInput", "350 mg/kg")
    printed = io.StringIO()
    with redirect_stdout(printed):
        code = cli.main(["calc", "--weight", "78 kg", "--dose", "350 mg/kg", "--product",
                         "gamunex-c", "--vials", "10 g", "--date", "2026-11-28"])
    assert code == 0
    assert summary(window) == printed.getvalue()


def test_worked_example_27_3_g_from_10_g_vials_bills_a_jw_line(qtbot: QtBot,
                                                                window: MainWindow) -> None:
    # Domain §2.1: 27.3 g → 55 units; 3 × 10 g opened = 60 units, so JW × 5.
    choose(window, "productInput", "gamunex-c")
    stock_only(window, "10 g")
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "350 mg/kg")
    assert claim_rows(window) == [("J1561", "JA", "55", "administered"),
                                  ("J1561", "JA JW", "5", "discarded"), *IV_108_MIN]
    assert vial_rows(window) == [("3", "10 g"), ("3", "30 g in all")]
    waste = widget(window, "wasteView").text()
    assert "Administered 27.3 g" in waste and "discarded 2.7 g of 30 g" in waste
    assert widget(window, "wasteBar").accessibleDescription() == waste
    assert widget(window, "volumeView").text() == "273 mL"  # 27.3 g at 10% (100 mg/mL)


def test_worked_example_27_3_g_from_mixed_vials_needs_no_jw(qtbot: QtBot,
                                                             window: MainWindow) -> None:
    # Domain §2.1: from 10 + 10 + 5 + 2.5 g (27.5 g = 55 units) one line, 55 units, JZ.
    choose(window, "productInput", "gamunex-c")
    stock_only(window, "2.5 g", "5 g", "10 g")
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "350 mg/kg")
    assert claim_rows(window) == [("J1561", "JA JZ", "55", "administered"), *IV_108_MIN]
    assert vial_rows(window) == [("2", "10 g"), ("1", "5 g"), ("1", "2.5 g"),
                                 ("4", "27.5 g in all")]


def test_every_keystroke_recomputes(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "doseInput", "0.7")
    edit = widget(window, "weightInput")
    edit.setFocus()
    with qtbot.waitSignal(window.calculatePage.recomputed):
        qtbot.keyClick(edit, Qt.Key.Key_3)
    # 3 kg × 0.7 g/kg = 2.1 g → ceil(4.2) = 5 units; one 2.5 g vial leaves 0.4 g: JZ.
    assert claim_rows(window) == [("J1561", "JA JZ", "5", "administered"), *IV_152_MIN]
    with qtbot.waitSignal(window.calculatePage.recomputed):
        qtbot.keyClick(edit, Qt.Key.Key_0)
    assert claim_rows(window) == [("J1561", "JA JZ", "42", "administered"), *IV_152_MIN]


def test_pounds_typed_win_over_the_kg_selector(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "weightUnit", "kg")
    type_into(qtbot, window, "weightInput", "154 lb")
    type_into(qtbot, window, "doseInput", "0.4")
    # 154 lb × 0.45359237 = 69.85322498 kg, shown to three places.
    assert widget(window, "dosingWeightView").text() == "69.9 kg"


def test_a_bare_number_takes_the_selected_units(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    choose(window, "weightUnit", "lb")
    choose(window, "doseUnit", "mg/kg")
    type_into(qtbot, window, "weightInput", "154")
    type_into(qtbot, window, "doseInput", "400")
    assert widget(window, "dosingWeightView").text() == "69.9 kg"
    # 0.4 g/kg × 69.85322498 kg = 27.941289992 g → ceil(55.88) = 56 units.
    assert claim_rows(window)[0][2] == "56"


def test_vial_checkboxes_are_the_products_sizes(window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    assert list(vial_boxes(window)) == ["1 g", "2.5 g", "5 g", "10 g", "20 g", "40 g"]
    choose(window, "productInput", "cutaquig")  # labeled grams, CMS crosswalk BILLUNITS
    assert list(vial_boxes(window)) == ["1 g", "2 g", "3.3 g", "4 g", "8 g"]


def test_products_are_grouped_ivig_then_scig(window: MainWindow) -> None:
    combo = widget(window, "productInput")
    texts = [combo.itemText(i) for i in range(combo.count())]
    keys = [combo.itemData(i) for i in range(combo.count())]
    ivig, scig = texts.index("Intravenous (IVIG)"), texts.index("Subcutaneous (SCIG)")
    assert ivig == 0 and keys[ivig] is None and keys[scig] is None
    assert texts.index("Privigen") < scig < texts.index("Hizentra")
    header = combo.model().index(scig, 0)
    assert not combo.model().flags(header) & Qt.ItemFlag.ItemIsSelectable


def test_scig_product_bills_100_mg_units_subcutaneously(qtbot: QtBot,
                                                        window: MainWindow) -> None:
    # 70 kg × 0.2 g/kg = 14 g of Hizentra = 140 units of 100 mg; 10 + 4 g leave nothing.
    choose(window, "productInput", "hizentra")
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "0.2")
    route = widget(window, "routeInput")
    assert [route.itemData(i) for i in range(route.count())] == ["sc"]
    assert claim_rows(window) == [("J1559", "JZ", "140", "administered"),
                                  ("96369", "none", "1", EST)]  # 56 min at 3 sites


def test_preset_fills_dose_per_and_days_which_stay_editable(qtbot: QtBot,
                                                            window: MainWindow) -> None:
    presets = widget(window, "presetInput")
    presets.setFocus()
    index = presets.findData("itp-2-day")
    while presets.currentIndex() < index:
        qtbot.keyClick(presets, Qt.Key.Key_Down)
    assert widget(window, "doseInput").text() == "1"
    assert widget(window, "doseUnit").currentData() == "g/kg"
    assert widget(window, "perInput").currentData() == "day"
    assert widget(window, "daysInput").value() == 2
    type_into(qtbot, window, "weightInput", "50")
    # 1 g/kg × 50 kg = 50 g a day for 2 days, each day its own 100-unit line.
    # ITP's rates: 3 h 9 min a day, 96365 + 96366 × 2 each day.
    assert claim_rows(window) == [
        ("2026-11-28", "J1561", "JA JZ", "100", "administered"),
        ("", "96365", "none", "1", EST), ("", "96366", "none", "2", EST),
        ("2026-11-29", "J1561", "JA JZ", "100", "administered"),
        ("", "96365", "none", "1", EST), ("", "96366", "none", "2", EST),
        ("Course", "", "", "200", "course total, not a line")]
    type_into(qtbot, window, "doseInput", "0.8")
    assert claim_rows(window)[0][3] == "80"


def test_payer_policy_suggests_the_adjusted_weight(qtbot: QtBot, window: MainWindow) -> None:
    # Commercial profile: adjusted weight when actual > 120% of IBW (domain §3.1).
    # Female 165 cm: IBW = 45.5 + 2.3 × (165 / 2.54 − 60) = 56.909 kg; 118 kg is 207%;
    # adjusted = 56.909 + 0.4 × (118 − 56.909) = 81.346 kg.
    choose(window, "payerInput", "commercial")
    assert widget(window, "heightInput").isVisibleTo(window)
    type_into(qtbot, window, "weightInput", "118")
    type_into(qtbot, window, "heightInput", "165")
    choose(window, "sexInput", "female")
    hint = widget(window, "basisHint").text()
    assert "adjusted weight (81.3 kg) is suggested" in hint
    assert widget(window, "basisInput").currentData() == "actual"  # a suggestion only
    choose(window, "basisInput", "policy")
    type_into(qtbot, window, "doseInput", "1")
    assert widget(window, "dosingWeightView").text() == "81.3 kg"


def test_height_and_sex_appear_only_when_needed(window: MainWindow) -> None:
    choose(window, "payerInput", "medicare")  # doses on the actual weight
    choose(window, "basisInput", "actual")
    assert not widget(window, "heightInput").isVisibleTo(window)
    assert not widget(window, "sexInput").isVisibleTo(window)
    choose(window, "basisInput", "ideal")
    assert widget(window, "heightInput").isVisibleTo(window)
    assert widget(window, "sexInput").isVisibleTo(window)


def test_soft_limit_warning_is_shown_prominently(qtbot: QtBot, window: MainWindow) -> None:
    # 2.4 g/kg per course is above the default soft limit of 2 g/kg per course.
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "2.4")
    choose(window, "perInput", "course")
    warnings = window.calculatePage.results.warnings_text()
    assert "Check before preparing" in warnings
    assert "above the soft limit of 2 g/kg per course" in warnings
    assert "J1561" in summary(window)  # a soft limit warns; it does not block
    assert "Warnings:" in summary(window)


def test_no_dialog_opens_while_typing(qtbot: QtBot, window: MainWindow) -> None:
    for text in ("abc", "70,5", "-3", "0", "1e3", "70 kilograms of"):
        type_into(qtbot, window, "weightInput", text)
    assert QApplication.activeModalWidget() is None
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]


def test_the_check_a_claim_tab_hosts_the_claim_checker(qtbot: QtBot,
                                                       window: MainWindow) -> None:
    tabs = window.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Ca&lculate", "Check a clai&m"]
    tabs.setCurrentIndex(1)
    page = window.check_page()
    assert isinstance(page, CheckPage)
    assert tabs.currentWidget().widget() is page
    assert not window.copyAction.isEnabled()  # the summary actions belong to Calculate


def test_a_broken_site_catalog_falls_back_and_says_so(qtbot: QtBot, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "site.toml"
    broken.write_text("[products.gamunex-c]\nvial_sizes_g = 'ten'\n")
    monkeypatch.setenv("IVIGCALC_CATALOG", str(broken))
    window = create_window()
    qtbot.addWidget(window)
    problem = widget(window, "catalogProblem").text()
    assert "Site catalog not used" in problem and "vial_sizes_g" in problem
    assert "site catalog" not in widget(window, "catalogVersion").text()
    assert widget(window, "productInput").findData("gamunex-c") >= 0  # bundled data works
