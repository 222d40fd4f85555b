"""Building blocks of a form: labelled rows with a message line, hints, fields.

Each row is `label | field(s)`, the label a buddy with a mnemonic, and under it a message
line that stays hidden while the field is fine. Messages are looked up by the engine's
field names ("weight", "dose", "code"…), so an InputError or Refusal lands beside the
field it names.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from ivigcalc.data import untrusted
from ivigcalc.gui import qt_numbers, theme
from ivigcalc.gui.qt_numbers import ALIGN_LEFT, ALIGN_TOP, TEXT_SELECTABLE_BY_MOUSE


def plain(label: str) -> str:
    """'Dosing &basis' -> 'Dosing basis' (for accessible names and the worksheet)."""
    return label.replace("&", "")


def line_edit(parent: QWidget, name: str, placeholder: str, widest: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    # The clear button is added after the first paint (add_clear_buttons).
    # Never narrower than a typical entry and the clear button: typed text stays in view.
    # The size hint is ignored because it grows when the clear button appears, and the
    # whole form would shift sideways at the first key press.
    metrics = edit.fontMetrics()
    edit.setMinimumWidth(metrics.horizontalAdvance(widest) + 2 * metrics.height() + 16)
    edit.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    return edit


def add_clear_buttons(edits: list[QLineEdit]) -> None:
    """Each field's clear (×) button. Added once the window has painted: the first one
    searches the icon theme on disk (3% of the start-up's instructions), and an empty
    field, as every field is at first, shows none."""
    for edit in edits:
        edit.setClearButtonEnabled(True)


def combo(parent: QWidget, name: str, items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName(name)
    for label, data in items:
        box.addItem(label, data)
    return box


class FocusCheckBox(QCheckBox):
    """A checkbox whose mnemonic (Alt+K) moves the focus to it and never ticks it.

    Qt's buttons click on their mnemonic; for an attestation or the stock on the shelf a
    stray Alt+letter would change a claim or the site's stock unseen. Space still ticks.
    """

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut:
            from PySide6.QtCore import Qt  # not before the first paint: see qt_numbers

            self.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return super().event(event)


def date_range(box: QDateEdit, later_day: bool = False) -> None:
    """Dates of service from untrusted.FIRST_DATE to LAST_DATE (a course's later days to
    LAST_COURSE_DATE), as the engine takes them: never near the end of Python's calendar."""
    first = untrusted.FIRST_DATE
    last = untrusted.LAST_COURSE_DATE if later_day else untrusted.LAST_DATE
    box.setDateRange(QDate(first.year, first.month, first.day),
                     QDate(last.year, last.month, last.day))


def show_message(label: QLabel, message: str) -> None:
    """Show `message` in the error accent with a warning sign, or hide the line if empty."""
    label.setAccessibleDescription(message)
    label.setVisible(bool(message))
    if not message:  # as every field is at first: no colour to work out, no markup
        label.setText("")
        return
    import html  # html.entities, which it loads, is large: not before the first paint

    colour = theme.accent("error", label.palette()).name()
    label.setText(f'<span style="color:{colour}">⚠ {html.escape(message)}</span>')


class FieldGroup(QGroupBox):
    """A titled group of rows. Messages and captions are recorded in the caller's dicts."""

    def __init__(self, title: str, parent: QWidget, messages: dict[str, QLabel],
                 captions: dict[QWidget, QLabel]) -> None:
        super().__init__(title, parent)
        self._messages = messages
        self._captions = captions
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(1, 1)
        self.grid.setContentsMargins(8, 6, 8, 6)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(5)

    def row(self, label: str, widgets: list[QWidget], field: str | None = None, *,
            accessible: str | None = None, compact: bool = False,
            top: bool = False) -> QLabel:
        """label | widgets (the first one stretches unless compact), then a message line.
        The label fills its cell, its text centred on the row, or at its top."""
        row = self.grid.rowCount()
        caption = QLabel(label, self)
        caption.setBuddy(widgets[0])
        if top:
            qt_numbers.set_property(caption, "alignment", ALIGN_LEFT | ALIGN_TOP)
        self.grid.addWidget(caption, row, 0)
        widgets[0].setAccessibleName(accessible or plain(label))
        if len(widgets) == 1 and not compact:
            self.grid.addWidget(widgets[0], row, 1)
        else:
            line = QHBoxLayout()
            line.setSpacing(5)
            for widget in widgets:
                line.addWidget(widget, 1 if widget is widgets[0] and not compact else 0)
            if compact:
                line.addStretch(1)
            self.grid.addLayout(line, row, 1)
        for widget in widgets:
            self._captions[widget] = caption
        if field is not None:
            self.message_row(field, plain(label))
        return caption

    def message_row(self, field: str, label: str) -> QLabel:
        message = QLabel(self)
        message.setObjectName(f"{field}Message")
        message.setWordWrap(True)
        message.setAccessibleName(f"{label} problem")
        qt_numbers.set_property(message, "textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)
        message.hide()
        self.grid.addWidget(message, self.grid.rowCount(), 1)
        self._messages[field] = message
        return message

    def hint(self, name: str, accessible: str) -> QLabel:
        """A muted line of help under the row above (hidden until there is something)."""
        hint = QLabel(self)
        hint.setObjectName(name)
        hint.setWordWrap(True)
        hint.setAccessibleName(accessible)
        hint.setFont(theme.scaled_font(self, 0.92))
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted in light and dark
        hint.hide()
        self.grid.addWidget(hint, self.grid.rowCount(), 1)
        return hint

    def full_row(self, widget: QWidget) -> None:
        self.grid.addWidget(widget, self.grid.rowCount(), 0, 1, 2)
