"""Bad input: a message beside the field, the reason in the results, never a crash or a box.

And the seed text's J1611 mistake: J1611 is glucagon, not immune globulin (domain §1.1).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from window_helpers import choose, claim_rows, message, summary, type_into, vial_boxes, widget

from ivigcalc.gui.window import MainWindow


def status(window: MainWindow) -> str:
    label = widget(window, "resultStatus")
    return label.text() if label.isVisibleTo(window) else ""


def test_empty_form_asks_for_what_is_missing_without_complaining(window: MainWindow) -> None:
    assert message(window, "weight") == ""
    assert message(window, "dose") == ""
    assert status(window) == ("Enter the weight and the dose to see the vial plan and the "
                              "claim lines.")
    assert claim_rows(window) == []
    assert not widget(window, "copySummaryButton").isEnabled()
    assert not widget(window, "printButton").isEnabled()


def test_unreadable_weight_is_named_beside_the_field(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, "doseInput", "0.4")
    type_into(qtbot, window, "weightInput", "abc")
    assert message(window, "weight").startswith("could not read 'abc'; accepts a weight")
    # Said once, beside the field; the results only point there.
    assert status(window) == "No results: see the message beside the weight."
    assert claim_rows(window) == []
    assert summary(window) == ""


def test_decimal_comma_is_explained(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, "weightInput", "70,5")
    assert "has a comma; use a point for decimals" in message(window, "weight")


def test_zero_and_a_wrong_unit_are_refused(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, "weightInput", "0")
    assert "must be more than zero" in message(window, "weight")
    type_into(qtbot, window, "doseInput", "0.4 g/lb")
    assert "'g/lb' is not an accepted unit here" in message(window, "dose")


def test_fixing_the_field_clears_its_message(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, "doseInput", "0.4")
    type_into(qtbot, window, "weightInput", "7O")  # a letter O
    assert message(window, "weight")
    type_into(qtbot, window, "weightInput", "70")
    assert message(window, "weight") == ""
    assert claim_rows(window)


def test_hard_limit_blocks_the_summary_with_the_reason(qtbot: QtBot,
                                                       window: MainWindow) -> None:
    # 4 g/kg a day is above the default hard limit of 3 g/kg a day: refuse, say why.
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "4")
    assert "above the hard limit of 3 g/kg per day" in message(window, "dose")
    assert summary(window) == ""  # the reason is shown once, beside the dose
    blocked = window.calculatePage.results.warnings_text()
    assert blocked.startswith("Blocked: see the message beside the dose")
    assert "hard limit" not in blocked
    assert claim_rows(window) == []
    assert not window.copyAction.isEnabled()


def test_no_vial_ticked_is_named_beside_the_vials(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "0.4")
    for box in vial_boxes(window).values():
        box.setChecked(False)
    assert "no vial size is ticked" in message(window, "vials")
    assert status(window) == "No results: see the message beside the vials in stock."
    assert claim_rows(window) == []


def test_typing_j1611_says_it_is_glucagon_and_names_the_right_code(
        qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "weightInput", "30")
    type_into(qtbot, window, "doseInput", "0.7")
    type_into(qtbot, window, "codeInput", "J1611")
    explained = message(window, "code")
    assert explained.startswith("J1611 is not an immune globulin code: it is Injection, "
                                "glucagon hydrochloride")
    assert "For Gamunex-C bill J1561" in explained
    assert "J1599" in explained  # the IV liquid NOS code (domain §1.1)
    assert "J1611" not in "".join(cell for row in claim_rows(window) for cell in row)
    assert summary(window) == ""
    assert "beside the billing code" in window.calculatePage.results.warnings_text()

    fix = widget(window, "codeFixButton")
    assert fix.isVisibleTo(window) and "J1561" in fix.text()
    qtbot.mouseClick(fix, Qt.MouseButton.LeftButton)
    assert widget(window, "codeInput").currentText() == "J1561"
    assert message(window, "code") == ""
    assert claim_rows(window)[0] == ("J1561", "JA JZ", "42", "administered")
    assert [row[0] for row in claim_rows(window)[1:]] == ["96365", "96366"]  # estimated


def test_choosing_j1611_from_the_list_explains_it_even_before_a_weight(
        window: MainWindow) -> None:
    choose(window, "codeInput", "J1611")
    assert "not an immune globulin code" in message(window, "code")
    assert "glucagon" in message(window, "code")
    assert "glucagon" not in window.calculatePage.results.warnings_text()  # said once


def test_lower_case_code_is_read(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "weightInput", "30")
    type_into(qtbot, window, "doseInput", "0.7")
    type_into(qtbot, window, "codeInput", "j1561")
    assert message(window, "code") == ""
    assert claim_rows(window)[0][0] == "J1561"


def test_another_products_code_bills_with_a_warning(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    type_into(qtbot, window, "weightInput", "30")
    type_into(qtbot, window, "doseInput", "0.7")
    type_into(qtbot, window, "codeInput", "J1599")
    assert claim_rows(window)[0][0] == "J1599"
    assert "has its own code J1561" in window.calculatePage.results.warnings_text()


def test_changing_product_moves_an_untouched_code_along(window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    assert widget(window, "codeInput").currentText() == "J1561"
    choose(window, "productInput", "privigen")
    assert widget(window, "codeInput").currentText() == "J1459"
