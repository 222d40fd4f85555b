"""The rate table in the window (issue 12): a Qt model over the Result's infusion plan.

The rows are the engine's own (ivigcalc.infusion_text), so the window, the pasted summary,
the JSON and the worksheet show the same steps. The two switches here change the plan, not
the dose: the label's lower ceiling for a patient at risk of thrombosis or renal failure,
and the label's first-infusion site limits for SC products.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from ivigcalc import infusion_text
from ivigcalc.gui import qt_numbers, theme
from ivigcalc.gui.widgets import whole
from ivigcalc.gui.widgets.result_tables import ResultTable
from ivigcalc.text import SEE_LABEL

if TYPE_CHECKING:
    from ivigcalc.result import Result


class InfusionModel(ResultTable):
    """One row per rate step: start, how long, mg/kg/min, pump rate in mL/h, volume."""

    HEADERS = infusion_text.HEADERS
    NUMERIC = infusion_text.NUMERIC

    def _fill(self, result: Result) -> None:
        if result.infusion is None:
            return
        steps = result.infusion.steps
        for step, row in zip(steps, infusion_text.rows(result.infusion), strict=True):
            self._add(row, "the last step runs until the bag is empty" if step.until_done
                      else "", bold=step.until_done)


class InfusionPanel(QWidget):
    """Heading, the rate table, its source, and the two switches that change the plan."""

    changed = Signal()

    def __init__(self, view: QTableView, model: InfusionModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view, self.model = view, model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        caption = QLabel("Infusion rate", self)
        caption.setFont(theme.scaled_font(self, 1.0, bold=True))
        top.addWidget(caption)
        top.addStretch(1)
        self.atRiskInput = QCheckBox("At risk of thrombosis or renal failure", self)
        self.atRiskInput.setObjectName("atRiskInput")
        self.atRiskInput.setToolTip("Use the label's lower maximum rate, where it gives one")
        self.firstInfusionInput = QCheckBox("First SC infusion", self)
        self.firstInfusionInput.setObjectName("firstInfusionInput")
        self.firstInfusionInput.setToolTip("Use the label's site limits for first infusions")
        for box in (self.atRiskInput, self.firstInfusionInput):
            box.toggled.connect(self.changed)
            top.addWidget(box)
        layout.addLayout(top)
        self.headingView = QLabel(self)
        self.headingView.setObjectName("infusionHeadingView")
        self.headingView.setAccessibleName("Infusion plan")
        self.headingView.setWordWrap(True)
        qt_numbers.set_property(self.headingView, "textInteractionFlags",
                                qt_numbers.TEXT_SELECTABLE_BY_MOUSE)
        layout.addWidget(self.headingView)
        layout.addWidget(view)
        self.sourceView = QLabel(self)
        self.sourceView.setObjectName("infusionSourceView")
        self.sourceView.setAccessibleName("Infusion rate source")
        self.sourceView.setWordWrap(True)
        self.sourceView.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.sourceView)

    def set_result(self, result: Result | None) -> None:
        self.model.set_result(result)
        infusion = result.infusion if result is not None else None
        self.firstInfusionInput.setVisible(result is not None and result.route == "sc")
        if infusion is None:
            self.view.hide()
            self.headingView.setText(f"{result.product_name}: {SEE_LABEL}" if result
                                     else "—")
            self.sourceView.setText("No infusion rate is on record for this product and "
                                    "route." if result else "")
            return
        self.headingView.setText(infusion_text.heading(infusion))
        if infusion.route == "sc":
            self.headingView.setText(f"{infusion_text.heading(infusion)}\nSite limit: "
                                     f"{infusion.limit_text}")
        self.sourceView.setText(infusion_text.source_line(infusion))
        self.view.show()
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)  # the steps read as one block, not spread out
        # Every step and every column whole (issue 24: at 150% on 1366×768 the Volume
        # column and the maximum-rate row were cut off behind the table's own scroll bars).
        self.view.setFixedWidth(whole.columns_width(self.view) + 2)
        whole.fit_rows(self.view)
