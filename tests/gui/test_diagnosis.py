"""The window's diagnosis and prior-authorization fields (issue 15)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from window_helpers import choose, message, summary, type_into, widget

from ivigcalc.gui.window import MainWindow


def _order(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "privigen")
    type_into(qtbot, window, "weightInput", "70")
    type_into(qtbot, window, "doseInput", "0.4")


def test_a_code_shows_its_description_and_coverage(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "payerInput", "medicare-home")
    _order(qtbot, window)
    type_into(qtbot, window, "dxInput", "D80.0")
    assert "Diagnoses: D80.0 Hereditary hypogammaglobulinemia" in summary(window)
    result = window.calculatePage.result
    assert result is not None and result.diagnoses[0].covered is True
    type_into(qtbot, window, "dxInput", "D80.1")
    result = window.calculatePage.result
    assert result is not None and result.diagnoses[0].covered is False
    assert any("is not covered by Medicare home" in w for w in result.warnings)


def test_a_category_is_named_beside_the_field(qtbot: QtBot, window: MainWindow) -> None:
    _order(qtbot, window)
    type_into(qtbot, window, "dxInput", "D80")
    assert message(window, "dx").startswith("D80 (Immunodeficiency with predominantly antibody "
                                            "defects) is a category")
    assert window.calculatePage.result is None


def test_prior_authorization_goes_on_the_summary(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "payerInput", "commercial")
    _order(qtbot, window)
    assert "Prior authorization: required by the payer, number not given" in summary(window)
    type_into(qtbot, window, "priorAuthInput", "PA-2026-0042")
    assert "Prior authorization: PA-2026-0042" in summary(window)
    type_into(qtbot, window, "priorAuthInput", "PA 42")
    assert message(window, "prior-auth").startswith("accepts letters, digits and hyphens")


def test_new_patient_clears_the_diagnosis_and_the_number(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    _order(qtbot, window)
    type_into(qtbot, window, "dxInput", "D80.0")
    type_into(qtbot, window, "priorAuthInput", "PA-1")
    window.newPatientAction.trigger()
    assert widget(window, "dxInput").text() == ""  # type: ignore[attr-defined]
    assert widget(window, "priorAuthInput").text() == ""  # type: ignore[attr-defined]
