"""What the "Check a claim" page holds and how it is laid out: the claim's inputs on the
left, the verdict, findings and expected lines on the right, the reports below.

Only construction lives here; what the page does on each edit is in check_page.py.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import (
    QFontDatabase,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ivigcalc.check.rules import CheckResult
from ivigcalc.data.catalog import ROUTE_NAMES, Catalog
from ivigcalc.gui import theme
from ivigcalc.gui.check.shelf import Shelf
from ivigcalc.gui.prefs import Preferences
from ivigcalc.gui.widgets import fields


class CheckFields(QWidget):
    """The Check page's widgets, built and laid out; no behaviour."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None,
                 prefs: Preferences | None = None) -> None:
        super().__init__(parent)
        self.prefs = prefs  # the site settings (340B) the check reads
        self.setObjectName("checkPage")
        self.catalog = catalog
        self.result: CheckResult | None = None
        self._messages: dict[str, QLabel] = {}  # engine field name -> message line
        self._filling = False
        self._status = ""
        self._level: str | None = None  # the status colour when there is no result

        inputs = fields.FieldGroup("The claim", self, {}, {})
        self._inputs = inputs
        grid = inputs.grid

        self.dateInput = QDateEdit(QDate.currentDate(), self)
        fields.date_range(self.dateInput)
        self.dateInput.setObjectName("checkDateInput")
        self.dateInput.setCalendarPopup(True)
        self.dateInput.setDisplayFormat("yyyy-MM-dd")
        self._row("&Date of service", self.dateInput, "date")

        self.payerInput = QComboBox(self)
        self.payerInput.setObjectName("checkPayerInput")
        self._row("&Payer", self.payerInput, "payer")

        self.productInput = QComboBox(self)
        self.productInput.setObjectName("checkProductInput")
        self._row("Prod&uct", self.productInput, "product")

        self.codeInput = QComboBox(self)
        self.codeInput.setObjectName("checkCodeInput")
        self.codeInput.setEditable(True)
        self.codeInput.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        edit = self.codeInput.lineEdit()
        assert edit is not None  # the box is editable
        edit.setPlaceholderText("e.g. J1561")
        self._row("C&ode", self.codeInput, "code",
                  hint="Set by the product; choose “Any product” to check by code alone.")

        self.routeInput = QComboBox(self)
        self.routeInput.setObjectName("checkRouteInput")
        for key in ("iv", "sc"):
            self.routeInput.addItem(f"{ROUTE_NAMES[key].capitalize()} ({key.upper()})", key)
        self._row("Rou&te", self.routeInput, "route")

        self.administeredInput = QLineEdit(self)
        self.administeredInput.setObjectName("checkAdministeredInput")
        self.administeredInput.setPlaceholderText("e.g. 27.3 g")
        self._row("&Administered", self.administeredInput, "administered",
                  accessible="Amount administered")

        self.vialsInput = QLineEdit(self)
        self.vialsInput.setObjectName("checkVialsInput")
        self.vialsInput.setPlaceholderText("e.g. 3 x 10 g, or 2 x 10 g + 1 x 5 g")
        self._row("&Vials opened", self.vialsInput, "vials")
        self.shelfInput = Shelf(prefs, self)
        self._shelf_caption = self._row("Vials on s&helf", self.shelfInput, "stocked",
                                        accessible="Vial sizes stocked")

        self.kxInput = fields.FocusCheckBox("&KX: documentation attested complete", self)
        self.kxInput.setObjectName("checkKxInput")
        self.kxInput.setAccessibleName("KX attestation")
        self.kxInput.setToolTip("Tick only when the medical policy's documentation "
                                "requirements are met; KX says so on the claim.")
        grid.addWidget(self.kxInput, grid.rowCount(), 1)

        self.linesInput = QPlainTextEdit(self)
        self.linesInput.setObjectName("checkLinesInput")
        self.linesInput.setPlaceholderText("One billed line per line, e.g.\nJ1561 JA 55\n"
                                           "J1561-JA-JW x5\nJ1561 JA 55 N412345678901 UN1")
        self.linesInput.setTabChangesFocus(True)
        self.linesInput.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.linesInput.setMinimumHeight(120)
        self._row("&Billed lines", self.linesInput, "lines", accessible="Billed claim lines")
        grid.setRowStretch(grid.rowCount(), 1)

        self.statusLabel = QLabel(self)
        self.statusLabel.setObjectName("checkStatus")
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setAccessibleName("Check status")
        self.statusLabel.setFont(theme.scaled_font(self, 1.1, bold=True))
        self.factsLabel = QLabel(self)
        self.factsLabel.setObjectName("checkFacts")
        self.factsLabel.setWordWrap(True)
        self.factsLabel.setAccessibleName("The numbers the claim is checked against")
        self.factsLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.findingsView = QTableWidget(0, 4, self)
        self.findingsView.setObjectName("checkFindingsView")
        self.findingsView.setAccessibleName("Findings")
        self.findingsView.setHorizontalHeaderLabels(["Severity", "Rule", "Line", "Message"])
        self.findingsView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findingsView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.findingsView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.findingsView.setWordWrap(True)
        self.findingsView.setTabKeyNavigation(False)
        self.findingsView.verticalHeader().hide()
        header = self.findingsView.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Wrapped messages need their rows re-measured whenever the message column resizes.
        header.sectionResized.connect(lambda *_: self.findingsView.resizeRowsToContents())
        findings_label = QLabel("F&indings", self)
        findings_label.setBuddy(self.findingsView)

        self.expectedView = QPlainTextEdit(self)
        self.expectedView.setObjectName("checkExpectedView")
        self.expectedView.setAccessibleName("Expected claim lines")
        self.expectedView.setReadOnly(True)
        self.expectedView.setTabChangesFocus(True)
        self.expectedView.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        lines = self.expectedView.fontMetrics().lineSpacing()
        self.expectedView.setFixedHeight(lines * 4 + 14)
        expected_label = QLabel("E&xpected lines (what the claim should carry)", self)
        expected_label.setBuddy(self.expectedView)
        self.copyButton = QPushButton("&Copy expected lines", self)
        self.copyButton.setObjectName("checkCopyButton")
        self.copyButton.setAccessibleName("Copy the expected claim lines")
        self.copyButton.setToolTip("Copy the expected lines as text and as a table")

        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(self.statusLabel)
        right.addWidget(self.factsLabel)
        right.addWidget(findings_label)
        right.addWidget(self.findingsView, 1)
        expected_bar = QHBoxLayout()
        expected_bar.addWidget(expected_label, 1)
        expected_bar.addWidget(self.copyButton)
        right.addLayout(expected_bar)
        right.addWidget(self.expectedView)

        self._reports_row = grid.rowCount()  # the page adds its CSV button here
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(inputs, 2)
        top.addLayout(right, 3)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(10, 10, 10, 10)
        self._outer.addLayout(top, 1)  # the page adds the batch panel below

    def _row(self, label: str, widget: QWidget, field: str, *, accessible: str | None = None,
             hint: str | None = None) -> QLabel:
        """label | field, then the field's message line (the window's shared FieldGroup).

        The message line is named check<Field>Message so it never shares a name with the
        Calculate page's line for the same engine field in the same window.
        """
        name = f"check{field[:1].upper()}{field[1:]}"
        caption = self._inputs.row(label, [widget], name, accessible=accessible,
                                   top=isinstance(widget, QPlainTextEdit))
        message = self._inputs.findChild(QLabel, f"{name}Message")
        assert message is not None, name  # FieldGroup.row makes it
        self._messages[field] = message
        if hint:
            widget.setToolTip(hint)
        return caption
