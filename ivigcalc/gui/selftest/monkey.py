"""A monkey at the real window (issue 24): random events, and after each one the window must
show what the engine computes for the form as it stands.

Why: the soak types what a person would; the monkey does what nobody plans: wheel over any
input (focused or not), clicks on inputs, random keys into the focused field, product and
preset changes, New patient, the acknowledgement dialog answered or closed. The oracle is
the engine run on the visible form (`CalculatePage.request()`): a stale result, a field
changed without a recompute, or a summary that is not the engine's is a MonkeyFailure.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QWidget,
)

from ivigcalc import render
from ivigcalc.calc import calculate
from ivigcalc.errors import IvigcalcError
from ivigcalc.gui.window import MainWindow

KEYS = "0123456789.,gkml /-abcDJ"  # digits, units, slips, a code's letters
PROGRESS_EVERY = 1000


class MonkeyFailure(AssertionError):
    """The window showed something other than the engine's answer for its visible form."""


@dataclass
class MonkeyReport:
    events: int = 0
    answers: int = 0  # states with a result, compared with the engine's summary
    refusals: int = 0  # states the engine refused: the window must show no result
    dialogs: int = 0

    def line(self) -> str:
        return (f"{self.events} events, {self.answers} answers and {self.refusals} "
                f"refusals checked against the engine, {self.dialogs} dialogs answered")


class Monkey:
    """Drives one window with `events` random events; `run()` raises MonkeyFailure."""

    def __init__(self, window: MainWindow, events: int, seed: int = 24) -> None:
        self.window = window
        self.page = window.calculatePage
        self.form = window.calculatePage.form
        self.rng = random.Random(seed)
        self.target = events
        self.report = MonkeyReport()
        self.actions: list[tuple[int, Callable[[], None]]] = [
            (5, self.wheel), (4, self.click), (5, self.keys), (8, self.order),
            (3, self.product), (2, self.preset), (2, self.new_patient), (2, self.acknowledge),
        ]

    # --- the events ------------------------------------------------------------------------

    def _inputs(self) -> list[QWidget]:
        return [w for w in self.page.findChildren(QWidget)
                if isinstance(w, QComboBox | QAbstractSpinBox | QLineEdit | QCheckBox)
                and w.isVisibleTo(self.page) and w.isEnabled()
                and not isinstance(w.parentWidget(), QComboBox | QAbstractSpinBox)]

    def wheel(self) -> None:
        inputs = [w for w in self._inputs() if isinstance(w, QComboBox | QAbstractSpinBox)]
        target = self.rng.choice(inputs)
        if self.rng.random() < 0.3:
            target.setFocus()  # a focused input may take the wheel
        middle = QPointF(target.rect().center())
        notches = self.rng.choice((-2, -1, 1, 2))
        QApplication.sendEvent(target, QWheelEvent(
            middle, QPointF(target.mapToGlobal(middle)), QPoint(), QPoint(0, 120 * notches),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase, False))

    def click(self) -> None:
        target = self.rng.choice(self._inputs())
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         target.rect().center())
        self._close_popups()

    def keys(self) -> None:
        edits = [w for w in self._inputs() if isinstance(w, QLineEdit)]
        main = (self.form.weightInput, self.form.doseInput)
        target = self.rng.choice(main if self.rng.random() < 0.7 else edits)
        target.setFocus()
        for _ in range(self.rng.randint(1, 4)):
            if self.rng.random() < 0.2:
                QTest.keyClick(target, Qt.Key.Key_Backspace)
            else:
                QTest.keyClicks(target, self.rng.choice(KEYS))

    def order(self) -> None:
        """A whole weight or dose retyped, as a person starts again (most events must leave
        a form the engine answers, or the oracle checks only refusals)."""
        if self.rng.random() < 0.5:
            edit, text = self.form.weightInput, f"{self.rng.randint(8, 120)}"
        else:
            edit = self.form.doseInput
            text = self.rng.choice(("0.4", "1", "2", "0.2", "2.5", "400 mg/kg", "0.7"))
        edit.setFocus()
        edit.selectAll()
        QTest.keyClick(edit, Qt.Key.Key_Backspace)
        QTest.keyClicks(edit, text)
        if self.rng.random() < 0.5:  # and a slip elsewhere fixed: that field emptied
            others = [w for w in self._inputs() if isinstance(w, QLineEdit) and w.text()
                      and w not in (self.form.weightInput, self.form.doseInput)]
            if others:
                other = self.rng.choice(others)
                other.setFocus()
                other.selectAll()
                QTest.keyClick(other, Qt.Key.Key_Backspace)

    def product(self) -> None:
        box = self.form.productInput
        choices = [i for i in range(box.count()) if box.itemData(i) is not None]
        box.setCurrentIndex(self.rng.choice(choices))

    def preset(self) -> None:
        box = self.form.presetInput
        index = self.rng.choice([i for i in range(box.count())
                                 if box.itemData(i) is not None or i == 0])
        box.setCurrentIndex(index)
        box.activated.emit(index)  # as a person's choice

    def new_patient(self) -> None:
        self.window.newPatientAction.trigger()

    def acknowledge(self) -> None:
        """Ctrl+K's dialog, answered with a reason and a name, or closed."""
        if self.page.result is None or not self.page.result.unacknowledged:
            return
        answer = self.rng.random() < 0.6
        QTimer.singleShot(0, lambda: self._answer(answer))
        self.page.acknowledge_dialog()

    def _answer(self, accept: bool) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            return
        self.report.dialogs += 1
        if accept:
            edits = dialog.findChildren(QLineEdit)
            for edit, words in zip(edits, ("Confirmed with the prescriber", "A. Monkey"),
                                   strict=False):
                edit.setText(words)
            dialog.accept()
        else:
            dialog.reject()

    def _close_popups(self) -> None:
        for _ in range(3):
            popup = QApplication.activePopupWidget()
            if popup is None:
                return
            popup.close()

    # --- the oracle ------------------------------------------------------------------------

    def verify(self, what: str) -> None:
        """The window shows the engine's answer for the form as it stands."""
        request = self.page.request()
        try:
            expected = calculate(request, self.window.catalog)
        except IvigcalcError:
            if self.page.result is not None:
                raise MonkeyFailure(f"after {what}: the engine refuses the visible form, "
                                    "and the window shows a result") from None
            self.report.refusals += 1
            return
        shown = self.page.result
        if shown is None:
            raise MonkeyFailure(f"after {what}: the engine answers the visible form, and the "
                                "window shows no result")
        expected = dataclasses.replace(expected, acknowledgement=shown.acknowledgement)
        want = render.summary_text(expected)
        have = self.page.results.summaryView.toPlainText()
        if have != want:
            raise MonkeyFailure(f"after {what}: the summary shown is not the engine's for "
                                f"the visible form:\n{have[:400]}\n---\n{want[:400]}")
        self.report.answers += 1

    def run(self) -> MonkeyReport:
        weights = [w for w, _ in self.actions]
        while self.report.events < self.target:
            (_, action), = self.rng.choices(self.actions, weights)
            action()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            QApplication.processEvents()
            self.report.events += 1
            if self.report.events % PROGRESS_EVERY == 0:
                print(f"ivigcalc self-test: monkey at {self.report.events} events", flush=True)
            self.verify(f"event {self.report.events} ({action.__name__})")
        return self.report
