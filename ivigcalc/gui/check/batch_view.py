"""A batch of claims on the Check page: the summary, a sortable table, findings by rule.

Why: a coder or a pharmacy manager opens a month's CSV export and wants to sort by rule or
status and see at a glance which mistakes are common. The table is a real Qt model over
the engine's batch report (the same rows `ivigcalc check --csv` writes); it fills as the
worker's results arrive (reports.py), with a progress bar and Cancel, and sorts itself
on numeric keys with one Python sort (100,000 rows in well under 200 ms; a sort proxy
asked Python for every comparison and froze the window for seconds). The chart is a few
QPainter bars (no QtCharts dependency).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ivigcalc import render
from ivigcalc.check.batch import REPORT_COLUMNS, neutralised
from ivigcalc.check.findings import SEVERITIES
from ivigcalc.check.row_report import RowReport
from ivigcalc.check.summary import BatchSummary, report_rows, summary_lines
from ivigcalc.gui import theme

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole
HEADERS = tuple(name.replace("_", " ").capitalize() for name in REPORT_COLUMNS)
_NUMERIC = {0, 5}  # row, line
_SEVERITY = 3
_STATUS_ORDER = {"invalid": 0, "errors": 1, "warnings": 2, "ok": 3}
SIZING_ROWS = 50  # the rows the columns are sized on


def sort_key(column: int) -> Callable[[tuple[Any, ...]], Any]:
    """How a column sorts: numbers as numbers, severities and statuses by weight."""
    if column in _NUMERIC:
        return lambda row: int(row[column]) if str(row[column]).isdigit() else -1
    if column == _SEVERITY:
        return lambda row: (SEVERITIES.index(row[column]) if row[column] in SEVERITIES
                            else len(SEVERITIES))
    if column == 2:
        return lambda row: _STATUS_ORDER.get(str(row[column]), 9)
    return lambda row: str(row[column])


class BatchModel(QAbstractTableModel):
    """One row per finding, as the CSV report: row, id, status, severity, rule, line…"""

    FILE_ORDER = (0, Qt.SortOrder.AscendingOrder)  # by row: the order rows arrive in

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[Any, ...]] = []
        self._order: tuple[int, Qt.SortOrder] = self.FILE_ORDER

    def set_reports(self, reports: list[RowReport]) -> None:
        self.beginResetModel()
        self._rows = report_rows(reports)
        self._order = self.FILE_ORDER
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._order = self.FILE_ORDER
        self.endResetModel()

    def append_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """Rows from the worker, added at the end (they arrive in file order)."""
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """One Python sort (stable); none when the rows are already in that order (a
        batch just loaded is in file order: 200,000 rows need no 100 ms sort)."""
        if not 0 <= column < len(HEADERS) or (column, order) == self._order:
            return
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=sort_key(column),
                        reverse=order == Qt.SortOrder.DescendingOrder)
        self._order = (column, order)
        self.layoutChanged.emit()

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple(str(cell) for cell in row) for row in self._rows]

    def snapshot(self) -> list[tuple[Any, ...]]:
        """The rows as shown, for a worker to read while the table stays live."""
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return str(value)
        if role == Qt.ItemDataRole.ToolTipRole and column >= 6:
            return str(value)
        if role == SORT_ROLE:
            return sort_key(column)(self._rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RuleChart(QWidget):
    """Horizontal bars: how often each rule fired, most frequent first."""

    BAR = 16

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchChart")
        self.setAccessibleName("Findings by rule")
        self.counts: list[tuple[str, int]] = []

    def set_counts(self, counts: Counter[str]) -> None:
        self.counts = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        self.setAccessibleDescription(", ".join(f"{rule}: {n}" for rule, n in self.counts))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(340, max(3, len(self.counts)) * (self.BAR + 6) + 8)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = self.fontMetrics()
        label_width = max((metrics.horizontalAdvance(rule) for rule, _ in self.counts),
                          default=0) + 8
        number_width = metrics.horizontalAdvance("0000") + 6
        space = max(10, self.width() - label_width - number_width - 4)
        most = max((n for _, n in self.counts), default=1)
        bar = theme.accent("warning", palette)
        for row, (rule, n) in enumerate(self.counts):
            top = 4 + row * (self.BAR + 6)
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(QRectF(0, top, label_width - 6, self.BAR),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             rule)
            width = space * n / most
            painter.fillRect(QRectF(label_width, top + 2, width, self.BAR - 4), bar)
            painter.drawText(QRectF(label_width + width + 4, top, number_width, self.BAR),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             str(n))
        painter.end()


class BatchPanel(QWidget):
    """The summary, the table and the chart of one opened CSV; `closeButton` hides it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchPanel")
        self.path = ""
        self.summary: BatchSummary | None = None
        self.model = BatchModel()
        self.partial = ""  # why the rows shown are not the whole file ('' when they are)
        self.lines: list[str] | None = None  # a summary other than a check's (a remittance)
        self.title = QLabel(self)
        self.title.setObjectName("batchTitle")
        self.title.setFont(theme.scaled_font(self, 1.1, bold=True))
        self.summaryLabel = QLabel(self)
        self.summaryLabel.setObjectName("batchSummary")
        self.summaryLabel.setAccessibleName("Batch summary")
        self.summaryLabel.setWordWrap(True)
        self.summaryLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.view = QTableView(self)
        self.view.setObjectName("batchView")
        self.view.setAccessibleName("Batch report")
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setMinimumHeight(220)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.chart = RuleChart(self)
        self.closeButton = QPushButton("Close the &batch", self)
        self.closeButton.setObjectName("batchCloseButton")
        self.closeButton.clicked.connect(self.hide)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("batchProgress")
        self.progress.setAccessibleName("Batch progress")
        self.progress.setFormat("%v of %m claims")
        self.progress.setMinimumWidth(  # the count on one line, up to the row limit
            self.progress.fontMetrics().horizontalAdvance("888888 of 888888 claims") + 40)
        self.cancelButton = QPushButton("&Cancel", self)
        self.cancelButton.setObjectName("batchCancelButton")
        self.cancelButton.setToolTip("Stop here: the rows checked so far stay, marked as a "
                                     "partial batch")
        self.progress.hide()
        self.cancelButton.hide()
        chart_box = QVBoxLayout()
        chart_box.addWidget(QLabel("Findings by rule", self))
        chart_box.addWidget(self.chart)
        chart_box.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.progress)
        top.addWidget(self.cancelButton)
        top.addWidget(self.closeButton)
        body = QHBoxLayout()
        body.addWidget(self.view, 3)
        body.addLayout(chart_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summaryLabel)
        layout.addLayout(body, 1)

    def show_batch(self, path: str, reports: list[RowReport], summary: BatchSummary) -> None:
        """A whole batch at once (a small one, or one checked elsewhere)."""
        self.begin(path)
        self.add_rows(report_rows(reports))
        self.finish(summary)

    def begin(self, path: str, busy: str = "checking") -> None:
        """An empty table for `path`, the progress bar and Cancel shown."""
        self.path, self.summary, self.partial, self.lines = path, None, "", None
        self.model.clear()
        self.view.setSortingEnabled(False)  # rows arrive in file order; sorted when done
        self.title.setText(f"Batch: {path} ({busy}…)")
        self.summaryLabel.setText("")
        self.chart.set_counts(Counter())
        self.working(True)
        self.show()

    def working(self, busy: bool, what: str = "%v of %m claims") -> None:
        self.progress.setFormat(what)
        self.progress.setRange(0, 0)
        self.progress.setVisible(busy)
        self.cancelButton.setVisible(busy)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, done))
        self.progress.setValue(done)

    def add_rows(self, rows: list[tuple[Any, ...]]) -> None:
        first = self.model.rowCount() == 0
        self.model.append_rows(rows)
        if first and rows:  # sized on the first rows: later ones never resize the columns
            self._fit_columns(rows[:SIZING_ROWS])

    def _fit_columns(self, rows: list[tuple[Any, ...]]) -> None:
        """Column widths from the header and a sample of rows, measured here (Qt's
        resizeColumnsToContents asks the model for every role of every cell: 250 ms)."""
        metrics = self.view.fontMetrics()
        pad = 2 * metrics.horizontalAdvance("M")
        for column, header in enumerate(HEADERS):
            widest = max([metrics.horizontalAdvance(header),
                          *(metrics.horizontalAdvance(str(row[column])) for row in rows)])
            # The message and expected lines: readable, not page-wide.
            self.view.setColumnWidth(column, min(widest + pad, 420 if column >= 6 else 2000))

    def finish(self, summary: BatchSummary, partial: str = "",
               lines: list[str] | None = None) -> None:
        """The summary and chart; `partial` says why the rows are not the whole file;
        `lines` stand for the summary's own (a remittance's paid and denied amounts)."""
        self.summary, self.partial = summary, partial
        self.lines = lines
        self.working(False)
        self.title.setText(f"Batch: {self.path}" + (f" (PARTIAL: {partial})" if partial
                                                       else ""))
        lines = summary_lines(summary) if lines is None else list(lines)
        if partial:
            lines.insert(0, f"Partial batch: {partial}. Only the rows shown were checked.")
        self.summaryLabel.setText("\n".join(lines))
        self.chart.set_counts(summary.by_rule)
        self.view.setSortingEnabled(True)  # one Python sort, by row (the file's order)
        self.show()

    def sorted_rows(self) -> list[tuple[str, ...]]:
        """The rows in the order shown (after the user's sort)."""
        return self.model.rows()

    def heading(self) -> list[str]:
        """The title and summary lines a copy or a print starts with."""
        lines = (self.lines if self.lines is not None else
                 summary_lines(self.summary) if self.summary else [])
        if self.partial:
            lines = [f"Partial batch: {self.partial}. Only these rows were checked.", *lines]
        return [f"Batch: {self.path}", *lines]

    def report_text(self, rows: list[tuple[Any, ...]] | None = None) -> str:
        return report_text(self.heading(), self.model.snapshot() if rows is None else rows)

    def report_html(self, rows: list[tuple[Any, ...]] | None = None) -> str:
        return report_html(self.heading(), self.model.snapshot() if rows is None else rows)


def report_text(heading: list[str], rows: list[tuple[Any, ...]]) -> str:
    """The heading and the rows, tab-separated (pastes into a spreadsheet, so each cell is
    neutralised as in the CSV report: no cell runs as a formula)."""
    return text_head(heading) + text_rows(rows)


def report_html(heading: list[str], rows: list[tuple[Any, ...]]) -> str:
    return html_head(heading) + html_rows(rows) + HTML_END


# The same in parts (pure): a worker writes a large batch out slice by slice, able to stop
# between slices (reports.py).
HTML_END = "</table>"


def text_head(heading: list[str]) -> str:
    return "\n".join([*heading, "", "\t".join(HEADERS)]) + "\n"


def text_rows(rows: list[tuple[Any, ...]]) -> str:
    return "".join("\t".join(str(neutralised(cell)).replace("\t", " ") for cell in row)
                   + "\n" for row in rows)


def html_head(heading: list[str]) -> str:
    esc = html.escape
    title, *summary = heading
    return (f"<h3>{esc(title)}</h3>" + "".join(f"<p>{esc(line)}</p>" for line in summary)
            + render.table_head(list(HEADERS)))


def html_rows(rows: list[tuple[Any, ...]]) -> str:
    return render.table_rows([[str(cell) for cell in row] for row in rows])
