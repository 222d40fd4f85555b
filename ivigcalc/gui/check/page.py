"""The "Check a claim" page (issue 4): the facts of the day on the left, the verdict on the right.

A coder pastes the billed lines; every edit re-checks at once (no button, no pop-ups). The
page reads its fields once into the claim record (check.record.read_form) and calls
check.rules.check, which does all the reasoning;
this module only shows the findings (severity by icon, word and colour, readable in light and
dark palettes), the lines the claim should carry, and each input's problem beside it.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QPalette,
    QStandardItemModel,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QStyle,
    QTableWidgetItem,
    QWidget,
)

from ivigcalc import text
from ivigcalc.billing.lines import explain_non_ig
from ivigcalc.check import report
from ivigcalc.check.rules import (
    CheckRequest,
    CheckResult,
    check,
    expected_only,
    input_problems,
    read_form,
)
from ivigcalc.data.catalog import Catalog
from ivigcalc.errors import IvigcalcError
from ivigcalc.gui import theme
from ivigcalc.gui.check.layout import CheckFields
from ivigcalc.gui.check.reports import CheckReports
from ivigcalc.gui.prefs import Preferences
from ivigcalc.gui.widgets import fields

SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "note": "Note"}
_ICONS = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical,
          "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
          "note": QStyle.StandardPixmap.SP_MessageBoxInformation}
_NEEDED = {"administered": "the amount administered", "vials": "the vials opened"}
ANY_PRODUCT = "Any product: check by code"


class CheckPage(CheckFields):
    """Inputs + findings + expected lines. `checked` fires after every re-check."""

    checked = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None,
                 prefs: Preferences | None = None) -> None:
        super().__init__(catalog, parent, prefs)
        self.reports = CheckReports(self)  # copy, print, and a batch from a CSV file
        self._inputs.grid.addWidget(self.reports.button, self._reports_row, 1)
        self._outer.addWidget(self.reports.panel, 1)
        self.findingsView.currentCellChanged.connect(self._show_line)
        self.copyButton.clicked.connect(self.copy_expected)
        self._fix_tab_order()

        self.set_catalog(catalog)
        self.dateInput.dateChanged.connect(self._date_changed)
        self.payerInput.currentIndexChanged.connect(self.recheck)
        self.productInput.currentIndexChanged.connect(self._product_changed)
        self.codeInput.editTextChanged.connect(self._code_changed)
        self.routeInput.currentIndexChanged.connect(self.recheck)
        self.administeredInput.textChanged.connect(self.recheck)
        self.vialsInput.textChanged.connect(self.recheck)
        self.shelfInput.toggled.connect(self.recheck)
        self.kxInput.toggled.connect(self.recheck)
        self.linesInput.textChanged.connect(self.recheck)
        self.recheck()

    def set_catalog(self, catalog: Catalog) -> None:
        """Use another catalog (a site file loaded); keeps the choices that still exist."""
        self.catalog = catalog
        payer, product = self.payerInput.currentData(), self.productInput.currentData()
        code = self.codeInput.currentText()
        self._filling = True
        try:
            self.payerInput.clear()
            for key, payer_entry in catalog.payers.items():
                self.payerInput.addItem(payer_entry.name, key)
            self.productInput.clear()
            self.productInput.addItem(ANY_PRODUCT, None)
            for key, product_entry in catalog.products.items():
                self.productInput.addItem(product_entry.label, key)
            self.codeInput.clear()
            for key, entry in catalog.codes.items():
                if entry.immune_globulin:
                    self.codeInput.addItem(key, key)
                    self.codeInput.setItemData(self.codeInput.count() - 1, entry.descriptor,
                                               Qt.ItemDataRole.ToolTipRole)
            self.payerInput.setCurrentIndex(max(0, self.payerInput.findData(payer)))
            chosen = self.productInput.findData(product) if product else -1
            self.productInput.setCurrentIndex(chosen if chosen >= 0 else
                                              min(1, self.productInput.count() - 1))
            self.codeInput.setEditText(code)
        finally:
            self._filling = False
        self._product_changed()

    # --- reading the inputs ---------------------------------------------------------------

    def date(self) -> dt.date:
        day = self.dateInput.date()
        return dt.date(day.year(), day.month(), day.day())

    def request(self) -> CheckRequest:
        product = self.productInput.currentData()
        return CheckRequest(
            administered=self.administeredInput.text(), vials=self.vialsInput.text(),
            lines=tuple(self.linesInput.toPlainText().splitlines()),
            date_of_service=self.date(), product=product, stocked=self.shelfInput.shelf(),
            code=None if product else self.codeInput.currentText(),
            route=self.routeInput.currentData(), payer=self.payerInput.currentData() or "",
            kx=self.kxInput.isChecked(),
            # The site's 340B setting (chosen on the Calculate page, kept as a preference).
            site_340b=(self.prefs.get("site_340b") or None) if self.prefs else None,
        )

    def _product_changed(self) -> None:
        """A product fixes the code and the routes it may be given by."""
        if self._filling:
            return
        key = self.productInput.currentData()
        product = self.catalog.products.get(key) if key else None
        self.shelfInput.show_product(product)
        self.shelfInput.setVisible(product is not None)
        self._shelf_caption.setVisible(product is not None)
        self._fix_tab_order()
        self._filling = True
        try:
            self.codeInput.setEnabled(product is None)
            if product is not None:
                self.codeInput.setEditText(product.code_on(self.date()))
            self._fit_route()
        finally:
            self._filling = False
        self.recheck()

    def reload_shelf(self) -> None:
        """Tick the shelf as remembered now: the Calculate page keeps the same preference
        and may have changed it since this page last showed the product."""
        self.shelfInput.product = None
        self._product_changed()

    def _fix_tab_order(self) -> None:
        """Reading order, again after the shelf's checkboxes are rebuilt."""
        boxes = self.shelfInput.boxes()
        if boxes:
            self.shelfInput.setFocusProxy(boxes[0])
        chain = [self.dateInput, self.payerInput, self.productInput, self.codeInput,
                 self.routeInput, self.administeredInput, self.vialsInput, *boxes,
                 self.kxInput, self.linesInput, self.reports.button, self.findingsView,
                 self.copyButton, self.expectedView, self.reports.panel.view,
                 self.reports.panel.closeButton]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _code_changed(self) -> None:
        if self._filling:
            return
        self._filling = True
        try:
            self._fit_route()
        finally:
            self._filling = False
        self.recheck()

    def _date_changed(self) -> None:
        self._product_changed()  # a product's code can change on a date (Alyglo: J1552)

    def _fit_route(self) -> None:
        """Offer only the routes the product (or code) covers; keep the choice if allowed."""
        key = self.productInput.currentData()
        product = self.catalog.products.get(key) if key else None
        code = self.catalog.codes.get(self.codeInput.currentText().strip().upper())
        routes = product.routes if product else (code.routes if code else ("iv", "sc"))
        routes = tuple(r for r in routes if r in ("iv", "sc")) or ("iv", "sc")
        model = self.routeInput.model()
        assert isinstance(model, QStandardItemModel)  # a plain QComboBox's own model
        for index in range(self.routeInput.count()):
            model.item(index).setEnabled(self.routeInput.itemData(index) in routes)
        if self.routeInput.currentData() not in routes:
            self.routeInput.setCurrentIndex(self.routeInput.findData(routes[0]))

    # --- checking -------------------------------------------------------------------------

    def recheck(self) -> None:
        """Read the inputs, ask the engine, show the verdict or what is still needed.

        The old verdict goes first, so that whatever happens next it never stays on screen
        beside input it was not computed for.
        """
        if self._filling:
            return
        self.result = None
        self._show_result(None, "", announce=False)
        request = self.request()
        reading = read_form(request)  # the form read once, into the claim record
        empty = {field for field, text in (("administered", request.administered),
                                           ("vials", request.vials)) if not text.strip()}
        if self.productInput.currentData() is None and not (request.code or "").strip():
            empty.add("code")
        problems = {field: message for field, message in
                    input_problems(request, reading, self.catalog).items()
                    if field not in empty and field != "lines"}
        if problems.get("product") and "code" in empty:
            problems.pop("product")
        self._show_problems(problems)
        self.result = None
        wrong = self._wrong_code(request.code) if "code" in problems else None
        if wrong:  # J1611 by code alone: the claim's code is the mistake, not the fields
            self._show_result(None, wrong, level="error")
            return
        if empty or problems:
            needed = [_NEEDED[f] for f in ("administered", "vials") if f in empty]
            if "code" in empty:
                needed.insert(0, "the code")
            status = (f"Enter {text.joined(needed)} to check the claim." if needed and not problems
                      else "Fix the fields marked ⚠ to check the claim.")
            self._show_result(None, status)
            return
        record = reading.record
        assert record is not None  # every field read (no problems)
        has_lines = bool(record.lines)
        try:
            # Stale CMS data is said once, in the window's banner.
            result = check(record, self.catalog, say_stale=False) if has_lines else \
                expected_only(record, self.catalog, say_stale=False)
        except IvigcalcError as error:
            field = getattr(error, "field", None)
            if field in self._messages:
                self._show_problems({field: str(error)})
            self._show_result(None, f"⚠ {error}")
            return
        self.result = result
        self._show_result(result, report.verdict(result) if has_lines else
                          "Paste the billed lines to check them; the lines the claim should "
                          "carry are below.")

    def _wrong_code(self, key: str | None) -> str | None:
        """The verdict for a code that is in the catalog but is not immune globulin."""
        code = self.catalog.codes.get((key or "").strip().upper())
        if self.productInput.currentData() is not None or code is None or code.immune_globulin:
            return None
        return f"✗ Wrong code (non-ig-code): {explain_non_ig(code, None, self.date())}"

    # --- showing --------------------------------------------------------------------------

    def _show_problems(self, problems: dict[str, str]) -> None:
        for field, label in self._messages.items():
            message = problems.get(field, "")
            if message.startswith(f"{field}: "):
                message = message[len(field) + 2:]
            fields.show_message(label, message)

    def message(self, field: str) -> str:
        """The problem shown beside a field, as plain text ('' when none)."""
        return self._messages[field].accessibleDescription()

    def _show_result(self, result: CheckResult | None, status: str, *,
                     announce: bool = True, level: str | None = None) -> None:
        self._status = status
        self._level = level
        self.statusLabel.setText(status)
        self._colour_status(result)
        self.findingsView.setRowCount(0)
        if result is None:
            self.factsLabel.setText("")
            self.expectedView.setPlainText("")
            self.copyButton.setEnabled(False)
            if announce:
                self.checked.emit()
            return
        self.factsLabel.setText("\n".join([report.heading(result),
                                           *report.arithmetic_lines(result)]))
        self._fill_findings(result)
        self.expectedView.setPlainText(report.expected_text(result).rstrip("\n"))
        self.copyButton.setEnabled(bool(result.expected))
        self.checked.emit()

    def _colour_status(self, result: CheckResult | None) -> None:
        palette = self.statusLabel.palette()
        role = QPalette.ColorRole.WindowText
        if (result is not None and result.has_errors) or self._level == "error":
            palette.setColor(role, theme.accent("error", self.palette()))
        elif result is not None and result.count("warning"):
            palette.setColor(role, theme.accent("warning", self.palette()))
        else:
            palette.setColor(role, self.palette().color(role))
        self.statusLabel.setPalette(palette)

    def _fill_findings(self, result: CheckResult) -> None:
        view = self.findingsView
        view.setRowCount(len(result.findings))
        texts = {b.number: b.text for b in result.billed}
        for row, finding in enumerate(result.findings):
            severity = QTableWidgetItem(self.style().standardIcon(_ICONS[finding.severity]),
                                        SEVERITY_LABELS[finding.severity])
            severity.setForeground(self.severity_colour(finding.severity))
            rule = QTableWidgetItem(finding.rule)
            line = QTableWidgetItem("—" if finding.line is None else str(finding.line))
            line.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            line.setToolTip(texts.get(finding.line or 0, "the claim as a whole"))
            line.setData(Qt.ItemDataRole.UserRole, finding.line)
            message = QTableWidgetItem(finding.message)
            tip = finding.message + (f"\nSource: {finding.source}" if finding.source else "")
            for item in (severity, rule, message):
                item.setToolTip(tip)
            for column, item in enumerate((severity, rule, line, message)):
                view.setItem(row, column, item)
        view.resizeRowsToContents()

    def severity_colour(self, severity: str) -> QColor:
        """The severity's colour on this page's palette (notes use the ordinary text colour)."""
        if severity in ("error", "warning"):
            return theme.accent(severity, self.palette())
        return self.palette().color(QPalette.ColorRole.Text)

    def _show_line(self, row: int, *_: int) -> None:
        """Selecting a finding selects its billed line in the text box (blank lines skipped)."""
        item = self.findingsView.item(row, 2) if row >= 0 else None
        number = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not number:
            return
        block = self.linesInput.document().firstBlock()
        count = 0
        while block.isValid():
            if block.text().strip():
                count += 1
                if count == number:
                    cursor = QTextCursor(block)
                    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                        QTextCursor.MoveMode.KeepAnchor)
                    self.linesInput.setTextCursor(cursor)
                    return
            block = block.next()

    # --- copying --------------------------------------------------------------------------

    def expected_mime(self) -> QMimeData | None:
        if self.result is None or not self.result.expected:
            return None
        mime = QMimeData()
        mime.setText(report.expected_text(self.result))
        mime.setHtml(report.expected_html(self.result))
        return mime

    def copy_expected(self) -> bool:
        """Put the expected lines on the clipboard as plain text and as an HTML table."""
        mime = self.expected_mime()
        if mime is None:
            return False
        QGuiApplication.clipboard().setMimeData(mime)
        self.statusLabel.setText(f"{self._status} Copied the expected lines.")
        return True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._show_problems({f: label.accessibleDescription()
                                 for f, label in self._messages.items()})
            if self.result is not None:
                self._fill_findings(self.result)
            self._colour_status(self.result)
        super().changeEvent(event)
