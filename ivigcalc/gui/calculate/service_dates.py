"""Each infusion day's date of service, editable: one date box per later day of a course.

Why: opened vials are discarded at the end of each day, so each day of a course is its own
date of service with its own claim lines; courses are often weekly or skip a weekend, so
the dates must be editable. Day 1 is the order form's date of service; the later days
follow it (consecutive by default) and keep their spacing when it moves. The engine checks
the dates (one per day, ascending); a problem is shown under the boxes.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDateEdit, QGridLayout, QGroupBox, QLabel, QSpinBox, QWidget

from ivigcalc.gui.widgets import fields

COLUMNS = 3


class ServiceDates(QGroupBox):
    """Dates of service for days 2…N, following `first` (a QDateEdit) and `days`.

    `changed` fires when a date is edited; `rebuilt` when the boxes are made again (the
    page then sets the Tab order again)."""

    changed = Signal()
    rebuilt = Signal()

    def __init__(self, first: QDateEdit, days: QSpinBox, parent: QWidget | None = None) -> None:
        super().__init__("Dates of service, one per infusion day (editable)", parent)
        self.setObjectName("serviceDates")
        self.setAccessibleName("Dates of service")
        self._first = first
        self._days = days
        self._offsets: list[int] = []  # days after day 1, for days 2…N
        self._boxes: list[QDateEdit] = []
        self._grid = QGridLayout(self)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(4)
        # Each box beside its label, the spare width after the last column (at 125-150%
        # the columns shared it and the boxes drifted away from their labels).
        self._grid.setColumnStretch(COLUMNS * 2, 1)
        self.firstLabel = QLabel(self)
        self.firstLabel.setObjectName("serviceDateFirst")
        self.message = QLabel(self)
        self.message.setObjectName("datesMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Dates of service problem")
        first.dateChanged.connect(self._follow_first)
        days.valueChanged.connect(self._rebuild)
        self._rebuild()

    def boxes(self) -> list[QDateEdit]:
        return list(self._boxes)

    def dates(self) -> tuple[dt.date, ...] | None:
        """Every day's date of service, or None for a single day (the form's date).

        Worked out from the form's day 1 and the days' distances from it, not read from
        the boxes: the form announces its own edits before the boxes have followed them."""
        count = self._days.value()
        if count == 1:
            return None
        first = self._first.date()
        start = dt.date(first.year(), first.month(), first.day())
        return (start, *(start + dt.timedelta(days=n) for n in self._offsets_for(count)))

    def _offsets_for(self, count: int) -> list[int]:
        """The later days' distances from day 1; a new day follows the last one."""
        del self._offsets[max(0, count - 1):]
        while len(self._offsets) < count - 1:
            self._offsets.append((self._offsets[-1] if self._offsets else 0) + 1)
        return self._offsets

    def show_problem(self, message: str) -> None:
        fields.show_message(self.message, message)

    # --- keeping up with the form ---------------------------------------------------------

    def _rebuild(self) -> None:
        count = self._days.value()
        self._offsets_for(count)
        for box in self._boxes:
            box.setParent(None)
            box.deleteLater()
        self._boxes = []
        for index in range(self._grid.count() - 1, -1, -1):
            item = self._grid.takeAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None and widget not in (self.firstLabel, self.message):
                widget.setParent(None)
                widget.deleteLater()
        self._grid.addWidget(self.firstLabel, 0, 0, 1, 2)
        for number, offset in enumerate(self._offsets, 2):
            box = QDateEdit(self)
            box.setObjectName(f"serviceDate{number}")
            box.setAccessibleName(f"Day {number} date of service")
            box.setCalendarPopup(True)
            box.setDisplayFormat("yyyy-MM-dd")
            fields.date_range(box, later_day=True)
            box.setDate(self._first.date().addDays(offset))
            box.dateChanged.connect(self._edited)
            caption = QLabel(f"Day {number}", self)
            caption.setBuddy(box)
            row, column = divmod(number - 1, COLUMNS)  # day 1's label takes the first cell
            self._grid.addWidget(caption, row, column * 2)
            self._grid.addWidget(box, row, column * 2 + 1)
            self._boxes.append(box)
        self._grid.addWidget(self.message, count // COLUMNS + 1, 0, 1, COLUMNS * 2)
        self._show_first()
        self.show_problem("")
        self.setVisible(count > 1)
        self.rebuilt.emit()

    def _follow_first(self) -> None:
        """Day 1 moved: the later days keep their distance from it."""
        for box, offset in zip(self._boxes, self._offsets, strict=True):
            box.blockSignals(True)
            box.setDate(self._first.date().addDays(offset))
            box.blockSignals(False)
        self._show_first()

    def _edited(self) -> None:
        first = self._first.date()
        self._offsets = [first.daysTo(box.date()) for box in self._boxes]
        self.changed.emit()

    def _show_first(self) -> None:
        self.firstLabel.setText(f"Day 1 {self._first.date().toString('yyyy-MM-dd')}")
        self.firstLabel.setToolTip("Day 1 is the date of service above; the later days "
                                   "follow it, consecutive unless changed")
