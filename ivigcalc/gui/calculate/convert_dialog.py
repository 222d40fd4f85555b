"""The IV-to-SC conversion dialog: the same engine call and text as `ivigcalc convert`.

Every edit recomputes; a problem is said in one line naming the field, as on the command
line. Nothing typed here is stored.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ivigcalc.data import rates
from ivigcalc.data.catalog import Catalog
from ivigcalc.dose import convert
from ivigcalc.errors import InputError
from ivigcalc.gui import theme


class ConvertDialog(QDialog):
    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("convertDialog")
        self.setWindowTitle("IV to SC conversion")
        self.catalog = catalog
        self.book = rates.load()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.productInput = QComboBox(self)
        self.productInput.setObjectName("convertProductInput")
        for key in self.book.convert:
            self.productInput.addItem(catalog.products[key].name, key)
        self.ivDoseInput = QLineEdit(self)
        self.ivDoseInput.setObjectName("ivDoseInput")
        self.ivDoseInput.setPlaceholderText("e.g. 30 g")
        self.intervalInput = QLineEdit(self)
        self.intervalInput.setObjectName("intervalInput")
        self.intervalInput.setPlaceholderText("e.g. 4 weeks or 28 days")
        form.addRow("SC &product", self.productInput)
        form.addRow("Previous &IV dose", self.ivDoseInput)
        form.addRow("&Weeks between IV doses", self.intervalInput)
        layout.addLayout(form)
        self.problemView = QLabel(self)
        self.problemView.setObjectName("convertProblemView")
        self.problemView.setWordWrap(True)
        self.problemView.setStyleSheet(
            f"color: {theme.accent('error', self.palette()).name()};")
        layout.addWidget(self.problemView)
        self.resultView = QPlainTextEdit(self)
        self.resultView.setObjectName("convertResultView")
        self.resultView.setAccessibleName("SC dose")
        self.resultView.setReadOnly(True)
        self.resultView.setTabChangesFocus(True)
        self.resultView.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.resultView.setPlaceholderText("Enter the previous IV dose and the weeks between "
                                           "IV doses.")
        self.resultView.setMinimumSize(560, 200)
        layout.addWidget(self.resultView, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for edit in (self.ivDoseInput, self.intervalInput):
            edit.textChanged.connect(self.recompute)
        self.productInput.currentIndexChanged.connect(self.recompute)
        self.recompute()

    def recompute(self) -> None:
        dose, interval = self.ivDoseInput.text(), self.intervalInput.text()
        if not dose.strip() or not interval.strip():
            self.problemView.setText("")
            self.resultView.setPlainText("")
            return
        try:
            result = convert.convert(dose, interval, self.productInput.currentData(),
                                     self.catalog, self.book)
        except InputError as error:
            self.problemView.setText(str(error))
            self.resultView.setPlainText("")
            return
        self.problemView.setText("")
        self.resultView.setPlainText("\n".join(convert.lines(result)))

    def select_product(self, key: str) -> None:
        index = self.productInput.findData(key, Qt.ItemDataRole.UserRole)
        if index >= 0:
            self.productInput.setCurrentIndex(index)
