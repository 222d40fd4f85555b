"""Table models over one Result: the vial plan and the claim lines.

Real Qt models rather than hand-filled widgets, so the views sort, resize and read out
(screen readers walk model roles) like any other Qt table, and the tests read the same rows
the pharmacist sees. Each infusion day is its own date of service with its own claim lines
(days with the same vial plan share its rows), and a course of several days ends with a
course total, as the text summary writes them.

The cells live in a QStandardItemModel, in C++: a view sizing and painting its table asks
for every header and cell in several roles, and a Python model answered each of those
calls in Python (some 800 before the first paint, for three empty tables).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from ivigcalc import text
from ivigcalc.gui.qt_numbers import (
    ACCESSIBLE_TEXT_ROLE,
    ALIGN_LEFT,
    ALIGN_RIGHT,
    ALIGN_VCENTER,
    TEXT_ALIGNMENT_ROLE,
)

if TYPE_CHECKING:
    from ivigcalc.result import AdminLine, ClaimLine, Result

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


def admin_purpose(line: AdminLine) -> str:
    """An administration line, and whether its minutes are an estimate."""
    return "admin, estimated" if line.estimated else "admin"


COURSE_NOT_A_LINE = "course total, not a line"
# Medicare's payment allowance limit × units: never the price paid or a charge (the tooltip
# and the summary say so in full).
LIMIT_HEADER = "At Medicare limit"


class ClaimLinesModel(_ResultTable):
    """Claim lines: code, modifiers and units, per date of service (the drug's, then the
    administration lines), then the course total."""

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
            for admin in day.admin_lines:  # after the drug's lines; no payment limit
                on = admin.date_of_service.isoformat()
                self._add((on if on != date else "", admin.code, "none", str(admin.units),
                           admin_purpose(admin), "n/a"), f"Date of service {on}: "
                          f"{render.admin_text(day, admin)}")
        if result.day_count > 1:
            total = render.course_total(result)
            units = total.administered_units + total.discarded_units
            self._add(("Course", "", "", str(units), COURSE_NOT_A_LINE, ""),
                      render.course_lines(result)[1], bold=True)


ResultTable = _ResultTable  # the base other result tables (the rate table) build on
