"""The "Calculate" page: the order form on the left, the results on the right.

Every edit recomputes at once (no Calculate button): the page builds a CalcRequest from the
form, calls the engine's `calculate`, and hands the Result to the results panel. It does no
arithmetic of its own. Each problem is shown once, beside its field, and every one at once;
the results say only that (and where) something blocks them. Soft limits need an
acknowledgement (reason and name, held in memory only) before the summary can leave.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ivigcalc import text
from ivigcalc.data.catalog import Catalog
from ivigcalc.errors import InputError, IvigcalcError, Refusal
from ivigcalc.gui.calculate.form import OrderForm
from ivigcalc.gui.calculate.infusion_times import InfusionTimes
from ivigcalc.gui.calculate.results import ResultsPanel
from ivigcalc.gui.calculate.service_dates import ServiceDates
from ivigcalc.gui.output import clipboard
from ivigcalc.gui.prefs import Preferences
from ivigcalc.gui.widgets import fields

if TYPE_CHECKING:  # the engine and its types load after the first paint
    from ivigcalc.calc import CalcRequest
    from ivigcalc.result import Acknowledgement, Result

log = logging.getLogger(__name__)

_NEEDED = {"weight": "the weight", "dose": "the dose", "height": "the height",
           "sex": "the sex"}
# How the results name a field whose message sits beside it.
_FIELD_NAMES = {"weight": "weight", "height": "height", "sex": "sex", "dose": "dose",
                "days": "infusion days", "basis": "dosing basis", "code": "billing code",
                "vials": "vials in stock", "route": "route", "product": "product",
                "payer": "payer", "rounding": "rounding", "per": "dose", "round": "rounding",
                "policy": "dosing basis", "preset": "dose",
                "dates": "dates of service", "times": "infusion times"}


def _button(label: str, name: str, accessible: str, tip: str, parent: QWidget) -> QPushButton:
    button = QPushButton(parent)  # (label, parent) would make PySide load QIcon to rule out
    button.setText(label)         # the (icon, label) form: 2 ms before the first paint
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setToolTip(tip)
    return button


class CalculatePage(QWidget):
    """Form + results. `recomputed` fires after every recompute, with or without a result."""

    recomputed = Signal()
    check_requested = Signal()  # "Check this claim": the window carries the order across

    def __init__(self, catalog: Catalog, prefs: Preferences,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.result: Result | None = None
        self._ack: Acknowledgement | None = None  # memory only: never saved
        self._visible_width = 0  # what the scroll area last showed of the page
        self.form = OrderForm(catalog, prefs, self)
        self.results = ResultsPanel(self)
        self.ackView = QLabel(self)
        self.ackView.setObjectName("ackView")
        self.ackView.setAccessibleName("Soft-limit acknowledgement")
        self.ackView.setWordWrap(True)
        self.acknowledgeButton = _button(
            "Acknowledge…", "acknowledgeButton", "Acknowledge the soft limits",
            "Give the reason the dose is right, and your name (Ctrl+K)", self)
        self.copySummaryButton = _button(
            "&Copy summary", "copySummaryButton", "Copy the billing summary",
            "Copy the summary as text and as a table (Ctrl+Shift+C)", self)
        self.printButton = _button("&Print…", "printButton", "Print the worksheet",
                                   "Print the one-page pharmacist worksheet (Ctrl+P)", self)
        self.savePdfButton = _button("Sav&e as PDF…", "savePdfButton",
                                     "Save the worksheet as PDF",
                                     "Save the worksheet as a PDF file (Ctrl+Shift+S)", self)
        self.copyClaimButton = _button(
            "Copy claim lines", "copyClaimButton", "Copy the claim lines",
            "Copy only what goes on the claim: one block per date of service, plain ASCII "
            "(and a table)", self)
        self.copyClaimButton.clicked.connect(self.copy_claim_lines)
        self.checkClaimButton = _button(
            "Check this claim", "checkClaimButton", "Check a claim for this order",
            "Open the Check page with this order's first day of service filled in; paste the "
            "billed lines there", self)
        self.checkClaimButton.clicked.connect(self.check_requested)
        self._buttons = (self.acknowledgeButton, self.copySummaryButton, self.copyClaimButton,
                         self.checkClaimButton, self.printButton, self.savePdfButton)
        # What leaves the window waits for the soft limits' acknowledgement.
        self._outgoing = (self.copySummaryButton, self.copyClaimButton, self.printButton,
                          self.savePdfButton)
        # Three to a row: six buttons in one row would make the results too wide to sit
        # beside the form at 150% on a 1366×768 screen. Why Copy, Print and PDF are disabled
        # is said right under them (it once sat below the fold), and in their tooltips.
        grid = QGridLayout()
        grid.setSpacing(6)
        for number, button in enumerate(self._buttons):
            grid.addWidget(button, number // 3, number % 3)
        grid.addWidget(self.ackView, 2, 0, 1, 3)
        self.results.summary_bar.addLayout(grid)
        self._tips = {button: button.toolTip() for button in self._outgoing}
        self.dates = ServiceDates(self.form.dateInput, self.form.daysInput, self)
        self.dates.changed.connect(self.recompute)
        self.dates.rebuilt.connect(self._fix_tab_order)
        self.times = InfusionTimes(
            self.form.daysInput, lambda: self.dates.dates() or (self.form.date_of_service(),),
            self)
        self.dates.changed.connect(self.times.show_dates)
        self.form.dateInput.dateChanged.connect(self.times.show_dates)
        self.times.changed.connect(self.recompute)
        self.times.rebuilt.connect(self._fix_tab_order)

        left = QVBoxLayout()
        left.addWidget(self.form, 1)
        left.addWidget(self.dates)
        left.addWidget(self.times)
        self._left = QWidget(self)
        self._left.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)
        self._columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._columns.setContentsMargins(10, 10, 10, 10)
        self._columns.setSpacing(12)
        self._columns.addWidget(self._left, 0)
        self._columns.addWidget(self.results, 1)
        self._fix_tab_order()
        self.form.changed.connect(self.recompute)
        self.form.presetInput.currentIndexChanged.connect(self.recompute)
        self.results.infusionPanel.changed.connect(self.recompute)
        # Every window starts with the weight and dose empty (they are never kept), so the
        # first result is "enter the weight and the dose", known without the engine.
        self._recompute(check_code=False)

    def finish(self) -> None:
        """What the first paint can do without: run once the window shows (or on first
        need). The form and its first result are complete before it; this adds the fields'
        clear buttons and checks the product's own billing code (a site catalog could make
        it one the date of service cannot bill), which needs the billing engine."""
        fields.add_clear_buttons(self.form.line_edits())
        from ivigcalc.data import necessity  # the labels: which presets are off label

        self.form.use_labels(necessity.for_catalog(self.catalog))
        self.recompute()

    def _fix_tab_order(self) -> None:
        panel = self.results.infusionPanel
        chain = [*self.form.focus_chain(), *self.dates.boxes(), *self.times.edits(),
                 self.results.vialPlanView,
                 self.results.claimLinesView, panel.atRiskInput, panel.firstInfusionInput,
                 self.results.infusionView, *self._buttons, self.results.summaryView]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def fit_width(self, width: int) -> None:
        """Form and results side by side when both fit `width` (the visible width), else
        the results below the form: at 150% on a small screen the page then scrolls down
        only, and nothing is cut off at the right edge."""
        self._visible_width = width
        margins = self._columns.contentsMargins()
        needed = (self._left.minimumSizeHint().width() + self._columns.spacing() +
                  self.results.narrowest() + margins.left() + margins.right())
        direction = (QBoxLayout.Direction.LeftToRight if width >= needed
                     else QBoxLayout.Direction.TopToBottom)
        if self._columns.direction() != direction:
            self._columns.setDirection(direction)

    def request(self) -> CalcRequest:
        """The form's order with each day's date of service and the plan's choices (the
        preset picks the label's rate protocol)."""
        panel = self.results.infusionPanel
        return dataclasses.replace(self.form.request(), dates=self.dates.dates(),
                                   times=self.times.times(),
                                   indication=self.form.indication,
                                   at_risk=panel.atRiskInput.isChecked(),
                                   first_infusion=panel.firstInfusionInput.isChecked())

    def copy_claim_lines(self) -> bool:
        if self.result is None or not self.ready:
            return False
        clipboard.copy_claim(self.result)
        return True

    @property
    def ready(self) -> bool:
        """A result whose soft limits (if any) are acknowledged: copy, print, PDF may go."""
        return self.result is not None and not self.result.unacknowledged

    def recompute(self) -> None:
        """Read the form, ask the engine, show the answer or the reason there is none."""
        self._recompute(check_code=True)

    def _recompute(self, *, check_code: bool) -> None:
        missing, problems = self.form.precheck(code=check_code)
        if missing or problems:
            if "code" in problems:  # a wrong code blocks whatever else is typed
                self._blocked({"code": problems["code"]})
                return
            left = self.form.show_problems(problems)
            lines = [f"No results: {_qualified(f, m)}" for f, m in left.items()]
            if problems.keys() - left.keys():
                placed = [f for f in problems if f not in left]
                lines.append(f"No results: see the message beside the {_fields(placed)}.")
            if missing:
                lines.append(f"Enter {text.joined([_NEEDED[f] for f in missing])} to see the "
                             "vial plan and the claim lines.")
            self._show(None, "\n".join(lines))
            return
        from ivigcalc.calc import calculate  # the engine loads after the first paint

        try:
            result = calculate(self.request(), self.catalog)
        except Refusal as error:
            self._blocked(error.problems or {"": str(error)})
            return
        except InputError as error:
            # Dates and times are shown under their own boxes, beside the form.
            on_dates = error.field in ("dates", "times")
            self.dates.show_problem(error.detail if error.field == "dates" else "")
            self.times.show_problem(error.detail if error.field == "times" else "")
            left = self.form.show_problems({} if on_dates else {error.field: str(error)})
            self._show(None, f"No results: {error}" if left and not on_dates else
                       f"No results: see the message beside the {_fields([error.field])}.")
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
        self.times.show_problem("")
        pending = tuple(n.message for n in result.notices if n.needs_acknowledgement)
        if self._ack is not None and self._ack.warnings != pending:
            self._ack = None  # the order changed: its warnings need a new acknowledgement
        if self._ack is not None:
            result = dataclasses.replace(result, acknowledgement=self._ack)
        self._show(result, "")

    def _blocked(self, problems: dict[str, str]) -> None:
        """Each problem beside its field; the results say what is blocked and where."""
        left = self.form.show_problems({f: m for f, m in problems.items() if f})
        placed = [f for f in problems if f and f not in left]
        parts = [m for m in left.values()] + [m for f, m in problems.items() if not f]
        if placed:
            parts.insert(0, f"see the message beside the {_fields(placed)}")
        self._show(None, "; ".join(parts), blocked=True)

    def _show(self, result: Result | None, reason: str, *, blocked: bool = False) -> None:
        self.result = result
        self.results.show_result(result, reason, blocked=blocked)
        if self._visible_width:  # the tables' widths changed: beside the form, or below
            self.fit_width(self._visible_width)
        self._show_acknowledgement()
        self.recomputed.emit()

    def _show_acknowledgement(self) -> None:
        result = self.result
        pending = result.unacknowledged if result is not None else ()
        ack = result.acknowledgement if result is not None else None
        self.acknowledgeButton.setVisible(bool(pending))
        waiting = ""
        if pending:
            waiting = ("Copy, Print and PDF wait until the soft limits are acknowledged "
                       "(Acknowledge…, Ctrl+K).")
        elif result is None:
            waiting = "Copy, Print and PDF wait for a complete order (see the results above)."
        self.ackView.setText(waiting or (ack.text if ack is not None else ""))
        self.ackView.setVisible(bool(self.ackView.text()))
        for button in self._outgoing:
            button.setEnabled(self.ready)
            button.setToolTip(self._tips[button] + (f"\n{waiting}" if waiting else ""))
        self.checkClaimButton.setEnabled(result is not None)

    # --- acknowledging and starting again -------------------------------------------------

    def acknowledge(self, by: str, reason: str) -> bool:
        """Acknowledge the current soft limits (what the dialog's OK does)."""
        if self.result is None or not self.result.unacknowledged:
            return False
        from ivigcalc.result import Acknowledgement

        self._ack = Acknowledgement(by=by, reason=reason, warnings=self.result.unacknowledged)
        self.recompute()
        return True

    def acknowledge_dialog(self) -> None:
        if self.result is None or not self.result.unacknowledged:
            return
        from ivigcalc.gui.calculate.acknowledge import AcknowledgeDialog

        dialog = AcknowledgeDialog(self.result.unacknowledged, self)
        if dialog.exec() == AcknowledgeDialog.DialogCode.Accepted:
            ack = dialog.acknowledgement()
            if ack is not None:
                self.acknowledge(ack.by, ack.reason)

    def new_patient(self) -> None:
        """Clear everything of the last patient's order on this page: the form (with its
        hints and dates), the infusion times and switches (at risk, first SC infusion) and any
        acknowledgement; keep product, payer, stock and the site's settings. The weight has
        the focus. The Check page keeps its own claim and batch."""
        self._ack = None
        panel = self.results.infusionPanel
        for box in (panel.atRiskInput, panel.firstInfusionInput):
            box.blockSignals(True)  # one recompute, by the form, at the end
            box.setChecked(False)
            box.blockSignals(False)
        self.times.clear()  # before the form's reset recomputes: one patient's times
        self.form.new_patient()

    def restyle(self) -> None:
        self.form.restyle()
        self.results.restyle()


def _fields(fields: Iterable[str]) -> str:
    """'weight and dose', as the fields are called on screen."""
    return text.joined(list(dict.fromkeys(_FIELD_NAMES.get(f, f) for f in fields)))


def _qualified(field: str, message: str) -> str:
    """'weight: could not read…' (the engine's messages mostly name the field already)."""
    return message if message.lower().startswith(f"{field}:") else f"{field}: {message}"
