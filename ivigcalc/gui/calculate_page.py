"""The "Calculate" page: the order form on the left, the results on the right.

Every edit recomputes at once (no Calculate button): the page builds a CalcRequest from the
form, calls the engine's `calculate`, and hands the Result to the results panel. It does no
arithmetic of its own. Problems go beside their field and the results say why there are none.
"""

from __future__ import annotations

import dataclasses
import logging
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ivigcalc import text
from ivigcalc.data.catalog import Catalog
from ivigcalc.errors import InputError, IvigcalcError, Refusal
from ivigcalc.gui import clipboard
from ivigcalc.gui.form import OrderForm
from ivigcalc.gui.prefs import Preferences
from ivigcalc.gui.results import ResultsPanel
from ivigcalc.gui.service_dates import ServiceDates
from ivigcalc.result import Result

if TYPE_CHECKING:
    from ivigcalc.calc import CalcRequest

log = logging.getLogger(__name__)

_NEEDED = {"weight": "the weight", "dose": "the dose", "height": "the height",
           "sex": "the sex"}


class CalculatePage(QWidget):
    """Form + results. `recomputed` fires after every recompute, with or without a result."""

    recomputed = Signal()
    check_requested = Signal()  # "Check this claim": the window carries the order across

    def __init__(self, catalog: Catalog, prefs: Preferences,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.result: Result | None = None
        self.form = OrderForm(catalog, prefs, self)
        self.results = ResultsPanel(self)
        self.copySummaryButton = QPushButton("&Copy summary", self)
        self.copySummaryButton.setObjectName("copySummaryButton")
        self.copySummaryButton.setAccessibleName("Copy the billing summary")
        self.copySummaryButton.setToolTip("Copy the summary as text and as a table "
                                          "(Ctrl+Shift+C)")
        self.printButton = QPushButton("&Print…", self)
        self.printButton.setObjectName("printButton")
        self.printButton.setAccessibleName("Print the worksheet")
        self.printButton.setToolTip("Print the one-page pharmacist worksheet (Ctrl+P)")
        self.savePdfButton = QPushButton("Sav&e as PDF…", self)
        self.savePdfButton.setObjectName("savePdfButton")
        self.savePdfButton.setAccessibleName("Save the worksheet as PDF")
        self.savePdfButton.setToolTip("Save the worksheet as a PDF file (Ctrl+Shift+S)")
        self.copyClaimButton = QPushButton("Copy claim lines", self)
        self.copyClaimButton.setObjectName("copyClaimButton")
        self.copyClaimButton.setAccessibleName("Copy the claim lines")
        self.copyClaimButton.setToolTip("Copy only what goes on the claim: one block per date "
                                        "of service, plain ASCII (and a table)")
        self.copyClaimButton.clicked.connect(self.copy_claim_lines)
        self.checkClaimButton = QPushButton("Check this claim", self)
        self.checkClaimButton.setObjectName("checkClaimButton")
        self.checkClaimButton.setAccessibleName("Check a claim for this order")
        self.checkClaimButton.setToolTip("Open the Check page with this order's first day of "
                                         "service filled in; paste the billed lines there")
        self.checkClaimButton.clicked.connect(self.check_requested)
        self._buttons = (self.copySummaryButton, self.copyClaimButton, self.checkClaimButton,
                         self.printButton, self.savePdfButton)
        for button in self._buttons:
            self.results.summary_bar.addWidget(button)
        self.dates = ServiceDates(self.form.dateInput, self.form.daysInput, self)
        self.dates.changed.connect(self.recompute)
        self.dates.rebuilt.connect(self._fix_tab_order)

        left = QVBoxLayout()
        left.addWidget(self.form, 1)
        left.addWidget(self.dates)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(12)
        layout.addLayout(left, 0)
        layout.addWidget(self.results, 1)
        self._fix_tab_order()
        self.form.changed.connect(self.recompute)
        self.form.presetInput.currentIndexChanged.connect(self.recompute)
        self.results.infusionPanel.changed.connect(self.recompute)
        self.recompute()

    def _fix_tab_order(self) -> None:
        panel = self.results.infusionPanel
        chain = [*self.form.focus_chain(), *self.dates.boxes(), self.results.vialPlanView,
                 self.results.claimLinesView, panel.atRiskInput, panel.firstInfusionInput,
                 self.results.infusionView, *self._buttons, self.results.summaryView]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def request(self) -> CalcRequest:
        """The form's order with each day's date of service and the plan's choices (the
        preset picks the label's rate protocol)."""
        panel = self.results.infusionPanel
        return dataclasses.replace(self.form.request(), dates=self.dates.dates(),
                                   indication=self.form.presetInput.currentData(),
                                   at_risk=panel.atRiskInput.isChecked(),
                                   first_infusion=panel.firstInfusionInput.isChecked())

    def copy_claim_lines(self) -> bool:
        if self.result is None:
            return False
        clipboard.copy_claim(self.result)
        return True

    def recompute(self) -> None:
        """Read the form, ask the engine, show the answer or the reason there is none."""
        missing, problems = self.form.precheck()
        if missing or problems:
            self.form.show_problems(problems)
            if "code" in problems:  # a wrong code blocks whatever else is typed
                self._show(None, problems["code"], blocked=True)
                return
            lines = [f"No results: {_qualified(field, message)}"
                     for field, message in problems.items()]
            if missing:
                lines.append(f"Enter {text.joined([_NEEDED[f] for f in missing])} to see the "
                             "vial plan and the claim lines.")
            self._show(None, "\n".join(lines))
            return
        from ivigcalc.calc import calculate  # the engine loads after the first paint

        try:
            result = calculate(self.request(), self.catalog)
        except (InputError, Refusal) as error:
            field, blocked = error.field, isinstance(error, Refusal)
            self.form.show_problems({field: str(error)} if field else {})
            self.dates.show_problem(error.detail if isinstance(error, InputError) and
                                    field == "dates" else "")
            self._show(None, str(error) if blocked else f"No results: {error}", blocked=blocked)
            return
        except IvigcalcError as error:
            self.form.show_problems({})
            self._show(None, str(error), blocked=True)
            return
        except Exception as error:  # a bug: say so in the window instead of losing the edit
            log.exception("calculation failed")
            self.form.show_problems({})
            self._show(None, f"an internal error occurred ({error!r}); please report it with "
                       "the inputs", blocked=True)
            return
        self.form.show_problems({})
        self.dates.show_problem("")
        self._show(result, "")

    def _show(self, result: Result | None, reason: str, *, blocked: bool = False) -> None:
        self.result = result
        self.results.show_result(result, reason, blocked=blocked)
        for button in self._buttons:
            button.setEnabled(result is not None)
        self.recomputed.emit()

    def restyle(self) -> None:
        self.form.restyle()
        self.results.restyle()


def _qualified(field: str, message: str) -> str:
    """'weight: could not read…' (the engine's messages mostly name the field already)."""
    return message if message.lower().startswith(f"{field}:") else f"{field}: {message}"
