"""A batch of claims on the Check page: the summary, a sortable table, findings by rule.

Why: a coder or a pharmacy manager opens a month's CSV export and wants to sort by rule or
status and see at a glance which mistakes are common. The table is a real Qt model over
the engine's batch report (the same rows `ivigcalc check --csv` writes), sorted through a
proxy on numeric keys; the chart is a few QPainter bars (no QtCharts dependency).
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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


class BatchModel(QAbstractTableModel):
    """One row per finding, as the CSV report: row, id, status, severity, rule, line…"""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[Any, ...]] = []

    def set_reports(self, reports: list[RowReport]) -> None:
        self.beginResetModel()
        self._rows = report_rows(reports)
        self.endResetModel()

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple(str(cell) for cell in row) for row in self._rows]

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
        if role == SORT_ROLE:  # numbers as numbers, severities and statuses by weight
            if column in _NUMERIC:
                return int(value) if str(value).isdigit() else -1
            if column == _SEVERITY:
                return SEVERITIES.index(value) if value in SEVERITIES else len(SEVERITIES)
            if column == 2:
                return _STATUS_ORDER.get(str(value), 9)
            return str(value)
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
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
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
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
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
        chart_box = QVBoxLayout()
        chart_box.addWidget(QLabel("Findings by rule", self))
        chart_box.addWidget(self.chart)
        chart_box.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
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
        self.path, self.summary = path, summary
        self.model.set_reports(reports)
        self.view.resizeColumnsToContents()
        for column in (6, 7):  # the message and expected lines: readable, not page-wide
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), 420))
        self.title.setText(f"Batch: {path}")
        self.summaryLabel.setText("\n".join(summary_lines(summary)))
        self.chart.set_counts(summary.by_rule)
        self.show()

    def sorted_rows(self) -> list[tuple[str, ...]]:
        """The rows in the order shown (after the user's sort)."""
        proxy = self.proxy
        return [tuple(str(proxy.index(r, c).data()) for c in range(proxy.columnCount()))
                for r in range(proxy.rowCount())]

    def report_text(self) -> str:
        """The summary and the rows as shown, tab-separated (pastes into a spreadsheet, so
        each cell is neutralised as in the CSV report: no cell runs as a formula)."""
        lines = [f"Batch: {self.path}", *(summary_lines(self.summary) if self.summary else []),
                 "", "\t".join(HEADERS)]
        lines += ["\t".join(str(neutralised(cell)).replace("\t", " ") for cell in row)
                  for row in self.sorted_rows()]
        return "\n".join(lines) + "\n"

    def report_html(self) -> str:
        esc = html.escape
        summary = "".join(f"<p>{esc(line)}</p>"
                          for line in (summary_lines(self.summary) if self.summary else []))
        return (f"<h3>Batch: {esc(self.path)}</h3>{summary}"
                + render._table(list(HEADERS), [list(row) for row in self.sorted_rows()]))
