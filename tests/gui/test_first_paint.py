"""What waits until after the first paint (issue 14) never costs the pharmacist a keystroke:
the form and its first result are whole before the paint, and what the deferred part adds
(the fields' clear buttons) arrives without touching what was typed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ivigcalc.gui import create_window


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
