"""A small bar: of the drug in the vials opened, how much is given and how much discarded.

The proportions are only for the eye; the exact figures are in the label beside the bar
and in the summary. Administered uses the palette's highlight, discarded the waste accent.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from ivigcalc.gui import theme


class WasteBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._given = Fraction(0)
        self._opened = Fraction(0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_amounts(self, given_mg: Fraction, opened_mg: Fraction) -> None:
        self._given, self._opened = given_mg, opened_mg
        self.update()

    def clear(self) -> None:
        self.set_amounts(Fraction(0), Fraction(0))

    def sizeHint(self) -> QSize:
        return QSize(200, max(10, self.fontMetrics().height() * 3 // 4))

    def minimumSizeHint(self) -> QSize:
        return QSize(60, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        from PySide6.QtCore import Qt  # the bar first shows with a result, after the
        from PySide6.QtGui import QPainter  # first paint: see qt_numbers

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        outline = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(outline, 3, 3)
        if self._opened > 0:
            inner = outline.adjusted(1.5, 1.5, -1.5, -1.5)
            share = float(self._given / self._opened)  # drawing only; never shown as a number
            given = QRectF(inner.left(), inner.top(), inner.width() * share, inner.height())
            wasted = QRectF(given.right(), inner.top(), inner.right() - given.right(),
                            inner.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(given)
            if wasted.width() > 0:
                painter.setBrush(theme.accent("waste", palette))
                painter.drawRect(wasted)
        painter.end()
