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


SECONDARY_CONTRAST = 4.6  # WCAG AA for text is 4.5; a little over, for rounding on screen


def _rgb(colour: QColor) -> tuple[float, float, float]:
    return colour.redF(), colour.greenF(), colour.blueF()


def _mix(one: QColor, two: QColor, share: float) -> QColor:
    """`share` of `one` and the rest of `two`, opaque."""
    r, g, b = (share * a + (1 - share) * b for a, b in zip(_rgb(one), _rgb(two), strict=True))
    return QColor.fromRgbF(r, g, b)


def _over(colour: QColor, background: QColor) -> QColor:
    """`colour` (perhaps translucent) as it shows on `background`."""
    return _mix(colour, background, colour.alphaF())


def secondary(palette: QPalette) -> QColor:
    """The muted colour for help text, sources and placeholders, at least 4.5:1 against
    both the window and the fields' base (the platform's own is often about 3.5:1): the
    palette's placeholder colour, moved towards the text colour only as far as needed."""
    window = palette.color(QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.WindowText)
    muted = _over(palette.color(QPalette.ColorRole.PlaceholderText), window)
    for step in range(21):
        share = step / 20
        shade = _mix(text, muted, share)
        if min(contrast(shade, window), contrast(shade, base)) >= SECONDARY_CONTRAST:
            return shade
    return text


def legible(palette: QPalette) -> QPalette | None:
    """The palette with its placeholder (secondary text) colour made legible, or None when
    it already is."""
    shade = secondary(palette)
    groups = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
    if all(palette.color(group, QPalette.ColorRole.PlaceholderText) == shade
           for group in groups):
        return None
    fixed = QPalette(palette)
    for group in groups:
        fixed.setColor(group, QPalette.ColorRole.PlaceholderText, shade)
    return fixed
