"""Result views shown whole: the page scrolls, never a table or text box inside it (issue 24).

At 150% on a 1366×768 screen the claim lines of a five-day course (16 rows) sat in an
eight-row box with its own scroll bar, inside a page that scrolls too: the pharmacist
scrolled the page past half a table. Here a view takes the height of all its rows (or
lines) and the width of all its columns, and has no scroll bars of its own; the wheel over
it, having nothing to scroll, goes on to the page.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QPlainTextEdit, QTableView, QWidget

from ivigcalc.gui.qt_numbers import SCROLL_BAR_ALWAYS_OFF, set_property


def no_scroll_bars(view: QAbstractScrollArea) -> None:
    for bar in ("verticalScrollBarPolicy", "horizontalScrollBarPolicy"):
        set_property(view, bar, SCROLL_BAR_ALWAYS_OFF)  # by number: before the first paint


def columns_width(view: QTableView) -> int:
    """What the shown columns need side by side (header or widest cell), with the frame."""
    header = view.horizontalHeader()
    return (sum(max(header.sectionSizeHint(c), view.sizeHintForColumn(c))
                for c in range(header.count()) if not view.isColumnHidden(c))
            + 2 * view.frameWidth())


def fit_rows(view: QTableView) -> None:
    """As tall as the header and every row (one blank row when there are none)."""
    rows = view.verticalHeader()
    body = rows.length() if view.model().rowCount() else rows.defaultSectionSize()
    view.setFixedHeight(view.horizontalHeader().sizeHint().height() + body +
                        2 * view.frameWidth())


class WholeText(QPlainTextEdit):
    """A text box as tall as every line of its text, wrapped at its width (at least
    MIN_LINES high, so an empty one still reads as a box)."""

    MIN_LINES = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        no_scroll_bars(self)
        self.document().contentsChanged.connect(self.fit)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # the lines wrap anew
            # After the layout pass that resized it: a size set inside that pass would not
            # reach the layouts around it (the page would keep its old height).
            QTimer.singleShot(0, self.fit)

    def fit(self) -> None:
        # A plain text layout lays out only the lines in view (the rest count as one line
        # each, whatever their wrapping): asking each block's rectangle lays it out.
        document = self.document()
        layout = document.documentLayout()
        height = 0.0
        block = document.begin()
        while block.isValid():
            height += layout.blockBoundingRect(block).height()
            block = block.next()
        height = max(height, self.MIN_LINES * self.fontMetrics().lineSpacing())
        margins = self.contentsMargins()
        self.setFixedHeight(math.ceil(height + 2 * document.documentMargin()) +
                            margins.top() + margins.bottom())
