"""A shift at the window in seconds: thousands of keystrokes, every answer checked.

Why it exists: PySide6 6.12.0 on Python 3.11 leaks references to None on ordinary widget
calls until the interpreter aborts ("Fatal Python error: none_dealloc") after about 125
keystrokes, losing everything typed. Only a long run of real key events finds that, so the
soak types at the real window with QTest the way a pharmacist and a coder do: slips fixed
with Backspace, whole values retyped, product, unit and payer switched by keyboard, the
summary copied, the worksheet saved, and the Check page given the Calculate page's answer.

The oracle is the engine, not the window: the soak keeps its own record of what it typed,
builds the engine's request from that record, and requires the window to show exactly what
`calculate` and `check` return. A dropped or doubled keystroke, a stale field or a wrong
number is a failure (SoakFailure); a dead process is one too, seen by whoever started it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.check import report
from ivigcalc.check.rules import CheckRequest, CheckResult, check, read
from ivigcalc.errors import IvigcalcError
from ivigcalc.gui.window import MainWindow
from ivigcalc.result import Result

Key = Qt.Key
CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)
SLIPS = "0123456789.,x "  # what a finger hits next to the intended key
# A fixed order with a known answer, checked once a cycle: 0.7 g/kg × 30 kg = 21 g = 42
# units of J1561 (0.5 g each), all of it given from a 20 g and a 1 g vial, so JZ.
PROGRESS_EVERY = 1000
PAINT_SHARE = 0.25  # of the fields typed, how many the window paints after
KNOWN = ("gamunex-c", "medicare", "30", "0.7", "J1561 JA JZ × 42")


class SoakFailure(AssertionError):
    """The window showed something the engine did not compute (or did not show it)."""


@dataclass
class SoakReport:
    keystrokes: int = 0
    answers: int = 0  # Calculate-page states compared with the engine
    refusals: int = 0  # of those, inputs the engine refused (the window must show none)
    checks: int = 0  # Check-page round trips
    copies: int = 0
    worksheets: int = 0

    def line(self) -> str:
        return (f"{self.keystrokes} keystrokes, {self.answers} answers checked against the "
                f"engine ({self.refusals} refused), {self.checks} claim checks, "
                f"{self.copies} copies, {self.worksheets} worksheets")


def _values(rng: random.Random, weight_unit: str, dose_unit: str) -> tuple[str, str]:
    """A plausible weight and dose as a person types them, in the units selected."""
    if weight_unit == "kg":
        weight = f"{rng.randint(8, 120)}" + rng.choice(["", f".{rng.randint(0, 9)}"])
    else:
        weight = f"{rng.randint(18, 260)}" + rng.choice(["", ".5"])
    if dose_unit == "g/kg":
        dose = rng.choice(["0.2", "0.4", "0.5", "1", "2"]) if rng.random() < 0.3 else \
            f"0.{rng.randint(2, 9)}{rng.choice('05')}".rstrip("0")
    else:
        dose = f"{rng.randint(2, 20) * 50}"
    return weight, dose


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _grams_or_mg(mg: Fraction) -> str:
    grams = mg / 1000
    return f"{grams} g" if grams.denominator == 1 else f"{mg} mg"


class Soak:
    """Drives one window; `run()` returns the report or raises SoakFailure."""

    def __init__(self, window: MainWindow, keystrokes: int, folder: Path, seed: int = 8) -> None:
        self.window = window
        self.page = window.calculatePage
        self.form = window.calculatePage.form
        self.catalog = window.catalog
        self.target = keystrokes
        self.folder = folder
        self.rng = random.Random(seed)
        self.report = SoakReport()
        self.typed = {"weight": "", "dose": ""}

    # --- the keyboard -------------------------------------------------------------------

    def key(self, widget: QWidget, key: Key | str,
            modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        if isinstance(key, str):  # one character, as typed
            QTest.keyClicks(widget, key, modifier)
        else:
            QTest.keyClick(widget, key, modifier)
        self.report.keystrokes += 1
        if self.report.keystrokes % PROGRESS_EVERY == 0:  # how far it got, if it dies
            print(f"ivigcalc self-test: soak at {self.report.keystrokes} keystrokes",
                  flush=True)
        # Widgets deleted later (a product's old vial boxes) go now, as between two real
        # key presses; left over, offscreen Qt makes one of them the active window.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def settle(self) -> None:
        """Let the window lay out and paint, after a share of the fields only: painting all
        1340×690 pixels after every field would triple the soak's time, and nothing it
        checks is read from pixels."""
        if self.rng.random() < PAINT_SHARE:
            QApplication.processEvents()

    def type_text(self, widget: QWidget, text: str) -> None:
        """Key by key, with the occasional slip taken back with Backspace."""
        for char in text:
            if self.rng.random() < 0.1:
                self.key(widget, self.rng.choice(SLIPS))
                self.key(widget, Key.Key_Backspace)
            self.key(widget, Key.Key_Return if char == "\n" else char)

    def retype(self, edit: QLineEdit | QPlainTextEdit, text: str) -> None:
        """Select all, then type over it (or clear it first, as some people do)."""
        edit.setFocus()
        self.key(edit, Key.Key_A, CTRL)
        if self.rng.random() < 0.5:
            self.key(edit, Key.Key_Backspace)
        self.type_text(edit, text)
        self.settle()
        current = edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()
        if current != text:
            raise SoakFailure(f"{edit.objectName()} holds {current!r} after typing {text!r}")

    def step(self, combo: QComboBox) -> None:
        """Down or Up on a closed combo box, as a keyboard user switches a choice."""
        combo.setFocus()
        for _ in range(self.rng.randint(1, 3)):
            self.key(combo, self.rng.choice([Key.Key_Down, Key.Key_Up]))
        self.settle()

    def tab(self, mnemonic: Key, index: int) -> None:
        self.key(self.window.focusWidget() or self.window, mnemonic, ALT)
        QApplication.processEvents()
        if self.window.tabs.currentIndex() != index:
            raise SoakFailure(f"Alt+{mnemonic.name[-1]} did not open page {index}")

    # --- the Calculate page -------------------------------------------------------------

    def engine_result(self) -> Result | None:
        """What the engine answers for what the soak typed and chose (None: refused)."""
        form = self.form
        request = CalcRequest(
            weight=self.typed["weight"], dose=self.typed["dose"],
            product=form.productInput.currentData(Qt.ItemDataRole.UserRole),
            date_of_service=form.date_of_service(), route=form.routeInput.currentData(),
            payer=form.payerInput.currentData(), weight_unit=form.weightUnit.currentData(),
            dose_unit=form.doseUnit.currentData())
        try:
            return calculate(request, self.catalog)
        except IvigcalcError:
            return None

    def expect_calculation(self) -> Result | None:
        """The window shows exactly the engine's answer for what was typed, or no answer."""
        self.report.answers += 1
        for field, edit in (("weight", self.form.weightInput), ("dose", self.form.doseInput)):
            if edit.text() != self.typed[field]:
                raise SoakFailure(f"the {field} field shows {edit.text()!r}, typed "
                                  f"{self.typed[field]!r}")
        expected = self.engine_result()
        shown = self.page.result
        rows = [row[1:4] for row in self.page.results.claim_model.rows()]
        state = f"{self.typed} {self.form.product().key} {self.form.payerInput.currentData()}"
        if expected is None:
            self.report.refusals += 1
            if shown is not None or rows:
                raise SoakFailure(f"the window shows an answer the engine refuses: {state}")
            return None
        if shown is not None and shown.acknowledgement is not None:
            # Kept from an earlier identical order: it must answer exactly these warnings.
            expected = dataclasses.replace(expected, acknowledgement=shown.acknowledgement)
            if expected.unacknowledged:
                raise SoakFailure(f"an acknowledgement outlived its warnings: {state}")
        want = [row for day in expected.days for row in (
            *((line.code, " ".join(line.modifiers) or "none", str(line.units))
              for line in day.claim_lines),
            *((admin.code, "none", str(admin.units)) for admin in day.admin_lines))]
        summary = self.page.results.summaryView.toPlainText()
        if shown is None or summary != render.summary_text(expected) or rows != want:
            raise SoakFailure(f"the window's answer differs from the engine's for {state}: "
                              f"claim lines {rows} against {want}")
        return expected

    def enter_order(self) -> Result | None:
        """Switch what a person switches, type weight and dose, sometimes a wrong one first."""
        form = self.form
        for combo, chance in ((form.productInput, 0.6), (form.payerInput, 0.3),
                              (form.weightUnit, 0.25), (form.doseUnit, 0.2)):
            if self.rng.random() < chance:
                self.step(combo)
        weight, dose = _values(self.rng, form.weightUnit.currentData(),
                               form.doseUnit.currentData())
        if self.rng.random() < 0.3:  # a doubled digit, seen in the answer, then fixed
            self.typed["weight"] = weight + weight[-1]
            self.retype(form.weightInput, self.typed["weight"])
            self.expect_calculation()
        self.typed["weight"] = weight
        self.retype(form.weightInput, weight)
        self.expect_calculation()
        self.typed["dose"] = dose
        self.retype(form.doseInput, dose)
        return self.expect_calculation()

    def known_answer(self) -> None:
        """The fixed order must give the answer worked out by hand, not just the engine's."""
        product, payer, weight, dose, line = KNOWN
        form = self.form
        form.productInput.setCurrentIndex(form.productInput.findData(product,
                                                                      Qt.ItemDataRole.UserRole))
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        form.payerInput.setCurrentIndex(form.payerInput.findData(payer))
        form.weightUnit.setCurrentIndex(form.weightUnit.findData("kg"))
        form.doseUnit.setCurrentIndex(form.doseUnit.findData("g/kg"))
        form.routeInput.setCurrentIndex(form.routeInput.findData("iv"))
        self.typed = {"weight": weight, "dose": dose}
        self.retype(form.weightInput, weight)
        self.retype(form.doseInput, dose)
        result = self.expect_calculation()
        lines = [item.text for day in result.days for item in day.claim_lines] if result else []
        if lines != [line]:
            raise SoakFailure(f"30 kg × 0.7 g/kg of Gamunex-C gives {lines}, not [{line!r}]")

    def acknowledged(self, result: Result) -> Result:
        """A soft limit holds copy and PDF until acknowledged: check that it does, then
        acknowledge as a pharmacist would, and return the result the summary now carries."""
        if not result.unacknowledged:
            return result
        QGuiApplication.clipboard().clear()
        self.key(self.window.focusWidget() or self.window, Key.Key_C, CTRL | SHIFT)
        QApplication.processEvents()
        if QGuiApplication.clipboard().text():
            raise SoakFailure("Ctrl+Shift+C copied a summary whose soft limits were not "
                              "acknowledged")
        self.page.acknowledge("Soak test", "Confirmed with the prescriber")
        if self.page.result is None or self.page.result.unacknowledged:
            raise SoakFailure("the acknowledgement did not release the summary")
        return self.page.result

    def copy(self, result: Result) -> None:
        result = self.acknowledged(result)
        self.key(self.window.focusWidget() or self.window, Key.Key_C, CTRL | SHIFT)
        QApplication.processEvents()
        copied = QGuiApplication.clipboard().text()
        if copied != render.summary_text(result):
            raise SoakFailure("Ctrl+Shift+C did not copy the summary the engine wrote")
        self.report.copies += 1

    def worksheet(self, result: Result) -> None:
        self.acknowledged(result)
        path = self.window.save_pdf(str(self.folder / f"sheet-{self.report.worksheets}.pdf"))
        if path is None or not path.read_bytes().startswith(b"%PDF") \
                or path.stat().st_size < 1000:
            raise SoakFailure(f"the worksheet was not saved as a PDF ({path})")
        path.unlink()
        self.report.worksheets += 1

    # --- the Check page -----------------------------------------------------------------

    def check_claim(self, result: Result) -> None:
        """Type the Calculate page's answer as the claim: the checker must agree with it."""
        day = result.days[0]
        if day.administered_mg.denominator != 1:  # the page reads decimals, not fractions
            return
        page = self.window.check_page()
        self.tab(Key.Key_M, 1)
        page.productInput.setCurrentIndex(page.productInput.findData(result.product_key))
        page.payerInput.setCurrentIndex(page.payerInput.findData(result.payer_key))
        page.routeInput.setCurrentIndex(page.routeInput.findData(result.route))
        page.dateInput.setDate(_qdate(result.date_of_service))
        administered = _grams_or_mg(day.administered_mg)
        vials = " + ".join(f"{count} x {_grams_or_mg(size)}" for size, count in day.plan.vials)
        lines = "\n".join(f"{' '.join((item.code, *item.modifiers))} {item.units}"
                          for item in day.claim_lines)
        self.retype(page.administeredInput, administered)
        self.retype(page.vialsInput, vials)
        self.retype(page.linesInput, lines)
        expected = check(read(CheckRequest(
            administered=administered, vials=vials, lines=tuple(lines.splitlines()),
            date_of_service=result.date_of_service, product=result.product_key, code=None,
            route=result.route, payer=result.payer_key, kx=False)), self.catalog)
        self._agree(page.result, expected, result)
        self.report.checks += 1
        self.tab(Key.Key_L, 0)

    def _agree(self, shown: CheckResult | None, expected: CheckResult, result: Result) -> None:
        want = report.expected_text(expected).rstrip("\n")
        if shown is None or report.expected_text(shown).rstrip("\n") != want:
            raise SoakFailure(f"the Check page's expected lines differ from the engine's: {want}")
        if self.window.check_page().expectedView.toPlainText() != want:
            raise SoakFailure("the Check page shows other expected lines than it computed")
        calculated = [item.text for day in result.days for item in day.claim_lines]
        if expected.has_errors or want.splitlines() != calculated:
            raise SoakFailure(f"the claim the Calculate page wrote ({calculated}) fails the "
                              f"check: {[f.message for f in expected.findings]}")

    # --- the shift ----------------------------------------------------------------------

    def run(self) -> SoakReport:
        self.form.dateInput.setDate(QDate(2026, 11, 28))
        cycle = 0
        try:
            while self.report.keystrokes < self.target:
                if cycle % 10 == 0:
                    self.known_answer()
                result = self.enter_order()
                if result is not None:
                    if self.rng.random() < 0.3:
                        self.copy(result)
                    if cycle % 25 == 5:
                        self.worksheet(result)
                    if self.rng.random() < 0.3:
                        self.check_claim(result)
                cycle += 1
        finally:
            QGuiApplication.clipboard().clear()  # rich text left there crashes offscreen Qt
        return self.report
