"""The soft-limit acknowledgement: who confirmed the order, and why (smart-pump style).

A soft limit does not stop the calculation, but the summary does not leave the window
(copy, print, PDF) until someone has said why the dose is right. The reason and the name go
on the summary and the worksheet; they are held in memory only and never written to disk.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ivigcalc.result import Acknowledgement

REASONS = (
    "Confirmed with the prescriber",
    "The dose follows the protocol for this indication",
    "The patient has had this dose before without problems",
)


class AcknowledgeDialog(QDialog):
    """Lists every soft limit broken; OK needs a reason and a name."""

    def __init__(self, warnings: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("acknowledgeDialog")
        self.setWindowTitle("Acknowledge the soft limits")
        self._warnings = warnings
        layout = QVBoxLayout(self)
        intro = QLabel("<b>Check before preparing.</b> The order passes these soft limits:"
                       "<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
                       + "</ul>", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.reasonInput = QComboBox(self)
        self.reasonInput.setObjectName("reasonInput")
        self.reasonInput.setEditable(True)
        self.reasonInput.addItems(["", *REASONS])
        edit = self.reasonInput.lineEdit()
        assert edit is not None  # the box is editable
        edit.setPlaceholderText("why the dose is right")
        self.reasonInput.setAccessibleName("Reason")
        self.byInput = QLineEdit(self)
        self.byInput.setObjectName("byInput")
        self.byInput.setPlaceholderText("your name or initials")
        self.byInput.setAccessibleName("Acknowledged by")
        form.addRow("&Reason", self.reasonInput)
        form.addRow("Acknowledged &by", self.byInput)
        layout.addLayout(form)
        note = QLabel("Shown on the summary and the worksheet; kept in this window only, "
                      "never saved.", self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                        QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reasonInput.editTextChanged.connect(self._check)
        self.byInput.textChanged.connect(self._check)
        self._check()
        self.reasonInput.setFocus()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.acknowledgement() is not None)

    def acknowledgement(self) -> Acknowledgement | None:
        """The acknowledgement typed so far, or None while the reason or name is missing."""
        reason = " ".join(self.reasonInput.currentText().split())
        by = " ".join(self.byInput.text().split())
        if len(reason) < 3 or len(by) < 2:
            return None
        return Acknowledgement(by=by, reason=reason, warnings=self._warnings)
