"""Colours and fonts that follow the system palette, light or dark.

Everything takes its colours from palette roles. The only fixed colours are the semantic
accents for warnings and errors, and even those come in a light-theme and a dark-theme
shade so that they keep their contrast on either background.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QWidget

# role -> (shade on a light background, shade on a dark background)
_ACCENTS = {
    "error": ("#b3261e", "#ff8a80"),
    "warning": ("#8a4b00", "#ffc266"),
    "waste": ("#d9822b", "#e0a050"),
}


def contrast(one: QColor, two: QColor) -> float:
    """WCAG 2 contrast ratio, 1 (same) to 21 (black on white); text wants 4.5 or more."""
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
                + 0.0722 * channel(colour.blueF()))
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def accent(role: str, palette: QPalette) -> QColor:
    """The shade of the warning/error accent that reads best on this palette's window."""
    background = palette.color(QPalette.ColorRole.Window)
    return max((QColor(shade) for shade in _ACCENTS[role]),
               key=lambda shade: contrast(shade, background))


def tint(role: str, palette: QPalette, alpha: int = 28) -> str:
    """A faint wash of an accent over the base colour, as a style-sheet rgba()."""
    colour = accent(role, palette)
    return f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, {alpha})"


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    """The widget's own font, larger or smaller, so that it scales with the system."""
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font
