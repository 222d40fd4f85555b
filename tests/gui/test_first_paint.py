"""What waits until after the first paint (issue 14) never costs the pharmacist a keystroke:
the form and its first result are whole before the paint, and what the deferred part adds
(the fields' clear buttons) arrives without touching what was typed."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from window_helpers import message

from ivigcalc.data.catalog import load
from ivigcalc.gui.app import create_window


def test_keys_typed_before_the_deferred_part_are_kept(qtbot: QtBot) -> None:
    window = create_window()
    qtbot.addWidget(window)
    form = window.calculatePage.form
    # Before any paint: the first result already says what is needed, every field is there.
    assert window.calculatePage.results.status.text().startswith("Enter the weight")
    assert not form.weightInput.isClearButtonEnabled()
    window.show()
    QTest.keyClicks(form.weightInput, "70")  # delivered now, before the queued deferred part
    QTest.keyClicks(form.doseInput, "0.4")
    qtbot.waitUntil(lambda: form.weightInput.isClearButtonEnabled(), timeout=10_000)
    QCoreApplication.processEvents()
    assert (form.weightInput.text(), form.doseInput.text()) == ("70", "0.4")
    assert all(edit.isClearButtonEnabled() for edit in form.line_edits())
    qtbot.waitUntil(lambda: window.calculatePage.result is not None, timeout=60_000)


def test_the_products_own_code_is_checked_once_the_window_has_painted(qtbot: QtBot) -> None:
    # The first result, before the paint, leaves out the billing code's check (the billing
    # engine loads after the paint); the check follows at once, unasked. A site catalog
    # whose code for the product ended yesterday must then block the page.
    catalog = load().catalog
    product = catalog.products["gamunex-c"]
    own = product.code_on(dt.date.today())
    ended = catalog.codes[own]._replace(ended=dt.date.today() - dt.timedelta(days=1))
    window = create_window(dataclasses.replace(catalog, codes={**catalog.codes, own: ended}))
    qtbot.addWidget(window)
    page = window.calculatePage
    assert page.results.status.text().startswith("Enter the weight")
    assert not page.form.codeFixButton.isVisibleTo(window)
    window.show()
    qtbot.waitUntil(lambda: f"{own} ended on" in message(window, "code"), timeout=10_000)
    assert "Blocked" in page.results.warningsView.text()
    assert page.result is None


def test_the_actions_get_their_keys_once_the_window_has_painted(qtbot: QtBot) -> None:
    window = create_window()
    qtbot.addWidget(window)
    assert window.newPatientAction.shortcuts() == []  # not before the paint
    window.show()
    qtbot.waitUntil(lambda: window.settled, timeout=60_000)
    assert window.newPatientAction.shortcuts() == QKeySequence.keyBindings(
        QKeySequence.StandardKey.New)
    assert window.acknowledgeAction.shortcuts() == [QKeySequence("Ctrl+K")]
    # and they work: New patient (Ctrl+N here) clears what was typed
    QTest.keyClicks(window.calculatePage.form.weightInput, "70")
    QTest.keySequence(window.calculatePage.form.weightInput, QKeySequence("Ctrl+N"))
    assert window.calculatePage.form.weightInput.text() == ""
