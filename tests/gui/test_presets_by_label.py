"""Presets by label in the window (issue 24 item 3): only the product's routes' presets,
off-label ones marked, and a rate protocol used for want of a labeled one warned."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ivigcalc.gui.window import MainWindow
from tests.gui.window_helpers import choose, type_into, widget


def listed(window: MainWindow) -> dict[str, str]:
    """preset key -> the text shown for it."""
    presets = widget(window, "presetInput")
    return {presets.itemData(i): presets.itemText(i) for i in range(presets.count())
            if presets.itemData(i) is not None}


def headings(window: MainWindow) -> list[str]:
    presets = widget(window, "presetInput")
    return [presets.itemText(i) for i in range(presets.count())
            if presets.itemData(i) is None and "regimens" in presets.itemText(i)]


def test_an_iv_only_product_lists_no_sc_regimen(window: MainWindow) -> None:
    choose(window, "productInput", "privigen")
    assert "cidp-sc-maintenance" not in listed(window)
    assert headings(window) == ["Intravenous regimens"]
    assert "cidp-loading" in listed(window)


def test_an_sc_product_lists_only_sc_regimens(window: MainWindow) -> None:
    choose(window, "productInput", "hizentra")
    assert list(listed(window)) == ["cidp-sc-maintenance"]
    assert "off label" not in listed(window)["cidp-sc-maintenance"]  # Hizentra carries CIDP
    choose(window, "productInput", "gamunex-c")  # IV and SC: both again
    assert headings(window) == ["Intravenous regimens", "Subcutaneous regimens"]


def test_hyqvia_dosed_like_iv_lists_the_iv_regimens(window: MainWindow) -> None:
    choose(window, "productInput", "hyqvia")
    shown = listed(window)
    assert "pid-iv" in shown and "off label" not in shown["pid-iv"]
    assert shown["kawasaki"].endswith("off label for HyQvia")


def test_off_label_presets_are_marked_for_the_product(window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    shown = listed(window)
    assert shown["kawasaki"] == "Kawasaki disease, 2 g/kg once · off label for Gamunex-C"
    assert shown["gbs"].endswith("off label for Gamunex-C")
    assert "off label" not in shown["cidp-loading"] and "off label" not in shown["itp-2-day"]
    presets = widget(window, "presetInput")
    tip = presets.itemData(presets.findData("kawasaki"), 3)  # the tooltip names the label
    assert "FDA prescribing information, Gamunex-C, section 1" in tip
    choose(window, "productInput", "gammagard-sd")  # the label that carries Kawasaki
    assert listed(window)["kawasaki"] == "Kawasaki disease, 2 g/kg once"


def test_kawasaki_on_gamunex_warns_about_the_rates(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "weightInput", "18")
    presets = widget(window, "presetInput")
    presets.setCurrentIndex(presets.findData("kawasaki"))
    presets.activated.emit(presets.currentIndex())
    page = window.calculatePage
    assert page.result is not None
    hint = widget(window, "presetHint").text()
    assert hint.startswith("Off label for Gamunex-C: its label does not carry Kawasaki disease.")
    warnings = page.results.warnings_text()
    assert ("Gamunex-C's label gives no rate for Kawasaki disease: the plan uses its rates "
            "for primary humoral immunodeficiency") in warnings


def test_per_week_in_the_window(qtbot: QtBot, window: MainWindow) -> None:
    """Issue 24 item 7: the window offers per week; the SC CIDP preset fills it."""
    choose(window, "productInput", "hizentra")
    type_into(qtbot, window, "weightInput", "70")
    presets = widget(window, "presetInput")
    presets.setCurrentIndex(presets.findData("cidp-sc-maintenance"))
    presets.activated.emit(presets.currentIndex())
    form = window.calculatePage.form
    assert form.perInput.currentData() == "week"
    form.daysInput.setValue(2)  # the preset's label goes: the days are the order's own
    type_into(qtbot, window, "doseInput", "0.4")
    page = window.calculatePage
    assert page.result is not None and page.result.per == "week"
    assert widget(window, "doseView").text() == "14 g per day, 28 g per week"
