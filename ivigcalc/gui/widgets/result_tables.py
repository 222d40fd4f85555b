"""Table models over one Result: the vial plan and the claim lines.

Real Qt models rather than hand-filled widgets, so the views sort, resize and read out
(screen readers walk model roles) like any other Qt table, and the tests read the same rows
the pharmacist sees. Each infusion day is its own date of service with its own claim lines
(days with the same vial plan share its rows), and a course of several days ends with a
course total, as the text summary writes them.

The rows are written once (ivigcalc/result_rows.py), for these tables and the worksheet.
The cells live in a QStandardItemModel, in C++: a view sizing and painting its table asks
for every header and cell in several roles, and a Python model answered each of those
calls in Python (some 800 before the first paint, for three empty tables).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from ivigcalc import result_rows
from ivigcalc.gui.qt_numbers import (
    ACCESSIBLE_TEXT_ROLE,
    ALIGN_LEFT,
    ALIGN_RIGHT,
    ALIGN_VCENTER,
    TEXT_ALIGNMENT_ROLE,
)

if TYPE_CHECKING:
    from ivigcalc.result import Result

_RIGHT = ALIGN_RIGHT | ALIGN_VCENTER
_LEFT = ALIGN_LEFT | ALIGN_VCENTER


class _ResultTable(QStandardItemModel):
    """Rows of display strings rebuilt whenever the result changes."""

    HEADERS: tuple[str, ...] = ()
    NUMERIC: frozenset[int] = frozenset()

    def __init__(self) -> None:
        super().__init__(0, len(self.HEADERS))
        self._rows: list[tuple[str, ...]] = []
        self._bold: QFont | None = None
        for column, title in enumerate(self.HEADERS):
            self.setHorizontalHeaderItem(column, self._cell(column, title))

    def _cell(self, column: int, value: str) -> QStandardItem:
        item = QStandardItem(value)
        item.setData(_RIGHT if column in self.NUMERIC else _LEFT, TEXT_ALIGNMENT_ROLE)
        item.setData(value, ACCESSIBLE_TEXT_ROLE)
        return item

    def set_result(self, result: Result | None) -> None:
        self.setRowCount(0)
        self._rows = []
        if result is not None:
            self._fill(result)

    def _fill(self, result: Result) -> None:
        raise NotImplementedError

    def _add(self, row: tuple[str, ...], tip: str = "", *, bold: bool = False) -> None:
        cells = [self._cell(column, value) for column, value in enumerate(row)]
        for cell in cells:
            cell.setEditable(False)  # selectable and enabled only, as a read-only table's
            cell.setDragEnabled(False)
            cell.setDropEnabled(False)
            if tip:
                cell.setToolTip(tip)
            if bold:
                cell.setFont(self._bold_font())
        self.appendRow(cells)
        self._rows.append(row)

    def _bold_font(self) -> QFont:
        if self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        return self._bold

    def rows(self) -> list[tuple[str, ...]]:
        """The rows as shown (for tests and the worksheet)."""
        return list(self._rows)


class VialPlanModel(_ResultTable):
    """Vials to open: one row per size per day group, then the total opened."""

    HEADERS = result_rows.VIAL_HEADERS
    NUMERIC = result_rows.VIAL_NUMERIC

    def _fill(self, result: Result) -> None:
        for row in result_rows.vial_rows(result):
            self._add(row.cells, row.tip, bold=row.total)


class ClaimLinesModel(_ResultTable):
    """Claim lines: code, modifiers and units, per date of service (the drug's, then the
    administration lines), then the course total."""

    HEADERS = result_rows.CLAIM_HEADERS
    NUMERIC = result_rows.CLAIM_NUMERIC

    def _fill(self, result: Result) -> None:
        for row in result_rows.claim_rows(result):
            self._add(row.cells, row.tip, bold=row.total)


ResultTable = _ResultTable  # the base other result tables (the rate table) build on
