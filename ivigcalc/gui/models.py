"""Table models over one Result: the vial plan and the claim lines.

Real Qt models rather than hand-filled widgets, so the views sort, resize and read out
(screen readers walk model roles) like any other Qt table, and the tests read the same rows
the pharmacist sees. Each infusion day is its own date of service with its own claim lines
(days with the same vial plan share its rows), and a course of several days ends with a
course total, as the text summary writes them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ivigcalc import text
from ivigcalc.result import ClaimLine, Result

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class _ResultTable(QAbstractTableModel):
    """Rows of display strings rebuilt whenever the result changes."""

    HEADERS: tuple[str, ...] = ()
    NUMERIC: frozenset[int] = frozenset()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[str, ...]] = []
        self._bold: set[int] = set()
        self._tips: list[str] = []

    def set_result(self, result: Result | None) -> None:
        self.beginResetModel()
        self._rows, self._bold, self._tips = [], set(), []
        if result is not None:
            self._fill(result)
        self.endResetModel()

    def _fill(self, result: Result) -> None:
        raise NotImplementedError

    def _add(self, row: tuple[str, ...], tip: str = "", *, bold: bool = False) -> None:
        if bold:
            self._bold.add(len(self._rows))
        self._rows.append(row)
        self._tips.append(tip)

    def rows(self) -> list[tuple[str, ...]]:
        """The rows as shown (for tests and the worksheet)."""
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _RIGHT if section in self.NUMERIC else _LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._rows[row][column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in self.NUMERIC else _LEFT
        if role == Qt.ItemDataRole.FontRole and row in self._bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and self._tips[row]:
            return self._tips[row]
        return None


class VialPlanModel(_ResultTable):
    """Vials to open: one row per size per day group, then the total opened."""

    HEADERS = ("Day", "Vials", "Vial size", "NDC")
    NUMERIC = frozenset({1})

    def _fill(self, result: Result) -> None:
        from ivigcalc import render  # with the first result, not before the first paint

        for heading, day in render.plan_groups(result):
            first = True
            for size, count in day.plan.vials:
                ndcs = day.ndcs_of(size)
                shown = ndcs[0] + (f" (+{len(ndcs) - 1})" if len(ndcs) > 1 else "") \
                    if ndcs else "none listed"
                self._add((heading if first else "", str(count), text.grams(size), shown),
                          f"{heading}: open {count} × {text.grams(size)}; NDC "
                          f"{' or '.join(ndcs) or 'none in the CMS crosswalk'}")
                first = False
            self._add(("", str(day.plan.vial_count), f"{text.grams(day.plan.drawn_mg)} in all",
                       ""), f"{heading}: {render.day_heading(result, day)}", bold=True)
        if result.day_count > 1:
            total = render.course_total(result)
            self._add(("Course", str(total.vial_count), f"{text.grams(total.drawn_mg)} in all",
                       ""), render.course_lines(result)[0], bold=True)


def line_purpose(line: ClaimLine) -> str:
    """What a claim line bills: the dose given, or the billable discard (JW)."""
    return "discarded" if "JW" in line.modifiers else "administered"


COURSE_NOT_A_LINE = "course total, not a line"
# Medicare's payment allowance limit × units: never the price paid or a charge (the tooltip
# and the summary say so in full).
LIMIT_HEADER = "At Medicare limit"


class ClaimLinesModel(_ResultTable):
    """Claim lines: code, modifiers and units, per date of service, then the course total."""

    HEADERS = ("Date of service", "Code", "Modifiers", "Units", "Amount", LIMIT_HEADER)
    NUMERIC = frozenset({3, 5})

    def _fill(self, result: Result) -> None:
        from ivigcalc import render
        from ivigcalc.billing.payment import LABEL

        for day in result.days:
            date = day.date_of_service.isoformat()
            for number, line in enumerate(day.claim_lines):
                amount = render.usd_text(line)
                paid = (f"; {LABEL}: {line.units} × {line.payment_limit_usd} USD = {amount}"
                        if line.amount_usd is not None else "")
                self._add((date if number == 0 else "", line.code,
                           " ".join(line.modifiers) or "none", str(line.units),
                           line_purpose(line), amount),
                          f"Date of service {day.date_of_service.isoformat()}: {line.text}{paid}")
        if result.day_count > 1:
            total = render.course_total(result)
            units = total.administered_units + total.discarded_units
            self._add(("Course", "", "", str(units), COURSE_NOT_A_LINE, ""),
                      render.course_lines(result)[1], bold=True)


ResultTable = _ResultTable  # the base other result tables (the rate table) build on
