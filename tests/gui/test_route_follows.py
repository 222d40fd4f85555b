"""The route follows the product, and a preset tied to a route sets it (issue 24 item 2).

Gamunex-C → Hizentra → Gamunex-C once left Route on SC: the order billed J1561 JB JZ with
"rate: see the label", and the IV Kawasaki preset then blocked on "a subcutaneous product".
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ivigcalc.gui.window import MainWindow
from tests.gui.window_helpers import choose, claim_rows, type_into, widget


def pick_preset(window: MainWindow, key: str | None) -> None:
    presets = widget(window, "presetInput")
    presets.setCurrentIndex(presets.findData(key))
    presets.activated.emit(presets.currentIndex())  # as a person's choice does


def test_gamunex_hizentra_gamunex_is_intravenous_again(
        qtbot: QtBot, window: MainWindow) -> None:
    form = window.calculatePage.form
    type_into(qtbot, window, "weightInput", "30")
    type_into(qtbot, window, "doseInput", "0.7")
    choose(window, "productInput", "gamunex-c")
    assert form.routeInput.currentData() == "iv"
    choose(window, "productInput", "hizentra")
    assert form.routeInput.currentData() == "sc"
    choose(window, "productInput", "gamunex-c")
    assert form.routeInput.currentData() == "iv"
    # Then the IV administration lines (96365/96366, not SC's 96369), estimated.
    assert [row[:2] for row in claim_rows(window)] == [("J1561", "JA JZ"), ("96365", "none"),
                                                       ("96366", "none")]


def test_a_route_chosen_by_hand_goes_back_to_the_products_first_on_a_new_product(
        window: MainWindow) -> None:
    form = window.calculatePage.form
    choose(window, "productInput", "gamunex-c")
    choose(window, "routeInput", "sc")
    choose(window, "productInput", "gammagard-liquid")
    assert form.routeInput.currentData() == "iv"


def test_the_iv_kawasaki_preset_sets_iv_on_gamunex_left_on_sc(
        qtbot: QtBot, window: MainWindow) -> None:
    form = window.calculatePage.form
    type_into(qtbot, window, "weightInput", "18")
    choose(window, "productInput", "gamunex-c")
    choose(window, "routeInput", "sc")
    pick_preset(window, "kawasaki")
    assert form.routeInput.currentData() == "iv"
    page = window.calculatePage
    assert page.result is not None  # not blocked on "a subcutaneous product"
    assert claim_rows(window)[0][:2] == ("J1561", "JA JZ")


def test_an_sc_preset_sets_sc_and_a_new_product_keeps_it_when_the_product_has_it(
        window: MainWindow) -> None:
    form = window.calculatePage.form
    choose(window, "productInput", "gamunex-c")
    pick_preset(window, "cidp-sc-maintenance")
    assert form.routeInput.currentData() == "sc"
    choose(window, "productInput", "gammagard-liquid")  # IV and SC: the regimen's SC stays
    assert form.routeInput.currentData() == "sc"
    assert "⚠" not in form.presetHint.text()


def test_a_preset_the_product_cannot_give_says_why_plainly(window: MainWindow) -> None:
    form = window.calculatePage.form
    choose(window, "productInput", "gamunex-c")
    pick_preset(window, "cidp-sc-maintenance")
    choose(window, "productInput", "privigen")  # IV only
    assert form.routeInput.currentData() == "iv"
    hint = form.presetHint.text()
    assert form.presetHint.isVisibleTo(form)
    assert "given subcutaneously, and Privigen only intravenously" in hint
    assert "the preset was cleared" in hint
    assert form.presetInput.currentData() is None and form.indication is None


def test_hyqvia_takes_iv_regimens_on_its_own_route(window: MainWindow) -> None:
    """HyQvia is given SC and dosed like IV: an IV preset fits it, with no warning."""
    form = window.calculatePage.form
    choose(window, "productInput", "hyqvia")
    pick_preset(window, "pid-iv")
    assert form.routeInput.currentData() == "sc"
    assert "⚠" not in form.presetHint.text()
