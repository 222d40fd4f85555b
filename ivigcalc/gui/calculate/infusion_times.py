"""Each infusion day's documented start and stop, for the administration lines (issue 22).

Why here: the nurse's start and stop decide 96365/96366 (or 96369/96370); a day left empty
is estimated from the rate plan and marked so everywhere. The engine reads what is typed
(billing/admin_times.py), so the window never counts minutes itself; its refusal for
`times` is shown under the fields. The times belong to one patient: never saved, and
cleared by New patient.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QSpinBox, QWidget

from ivigcalc.gui.widgets import fields

TITLE = "Infusion times, documented (empty: estimated from the rate plan)"


class InfusionTimes(QGroupBox):
    """A start and a stop (HH:MM) per infusion day, following `days`. `changed` fires on
    every edit; `rebuilt` when the rows are made again (the page sets the Tab order)."""

    changed = Signal()
    rebuilt = Signal()

    def __init__(self, days: QSpinBox, dates: Callable[[], Sequence[dt.date]],
                 parent: QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self.setObjectName("infusionTimes")
        self.setAccessibleName("Documented infusion times")
        self.setToolTip("The start and stop the nurse documented, e.g. 09:00 and 10:31; a stop "
                        "earlier than the start crossed midnight. Empty: the administration "
                        "lines are estimated from the rate plan.")
        self._days = days
        self._dates = dates  # each day's date of service, as the page has them
        self._rows: list[tuple[QLineEdit, QLineEdit]] = []
        self._captions: list[QLabel] = []
        self._grid = QGridLayout(self)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(4)
        self.message = QLabel(self)
        self.message.setObjectName("timesMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Infusion times problem")
        days.valueChanged.connect(self._rebuild)
        self._rebuild()

    def edits(self) -> list[QLineEdit]:
        return [edit for row in self._rows for edit in row]

    def rows(self) -> list[tuple[QLineEdit, QLineEdit]]:
        return list(self._rows)

    def times(self) -> tuple[str | None, ...] | None:
        """Each day's 'HH:MM-HH:MM', None for a day left empty; None when all are empty.
        A half-filled day goes to the engine as typed, which says what is missing."""
        # As many days as the spin box says, even before the rows have followed it.
        typed = [(start.text().strip(), stop.text().strip())
                 for start, stop in self._rows[:self._days.value()]]
        typed += [("", "")] * (self._days.value() - len(typed))
        if not any(start or stop for start, stop in typed):
            return None
        return tuple(f"{start}-{stop}" if start or stop else None for start, stop in typed)

    def show_problem(self, message: str) -> None:
        fields.show_message(self.message, message)

    def clear(self) -> None:
        for edit in self.edits():
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self.show_problem("")

    def _rebuild(self) -> None:
        count = self._days.value()
        kept = [(start.text(), stop.text()) for start, stop in self._rows]
        for index in range(self._grid.count() - 1, -1, -1):
            item = self._grid.takeAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.message:
                widget.setParent(None)
                widget.deleteLater()
        self._rows, self._captions = [], []
        for number in range(1, count + 1):
            caption = QLabel(f"Day {number}", self)
            self._captions.append(caption)
            start = self._edit(f"timeStart{number}", f"Day {number} infusion start")
            stop = self._edit(f"timeStop{number}", f"Day {number} infusion stop")
            if number <= len(kept):
                start.setText(kept[number - 1][0])
                stop.setText(kept[number - 1][1])
            caption.setBuddy(start)
            self._grid.addWidget(caption, number - 1, 0)
            self._grid.addWidget(QLabel("start", self), number - 1, 1)
            self._grid.addWidget(start, number - 1, 2)
            self._grid.addWidget(QLabel("stop", self), number - 1, 3)
            self._grid.addWidget(stop, number - 1, 4)
            self._rows.append((start, stop))
        self._grid.setColumnStretch(5, 1)
        self._grid.addWidget(self.message, count, 0, 1, 6)
        self.show_problem("")
        self.show_dates()
        self.rebuilt.emit()

    def show_dates(self) -> None:
        """Each row's caption with its date of service ('Day 2, 2026-11-29')."""
        dates = list(self._dates())
        for number, caption in enumerate(self._captions, 1):
            on = f", {dates[number - 1].isoformat()}" if number <= len(dates) else ""
            caption.setText(f"Day {number}{on}")

    def _edit(self, name: str, accessible: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText("HH:MM")
        metrics = edit.fontMetrics()
        edit.setFixedWidth(metrics.horizontalAdvance("HH:MM") + 3 * metrics.height())
        edit.setAccessibleName(accessible)
        edit.setMaxLength(5)
        edit.textChanged.connect(self.changed)
        return edit
