"""Qt's enum values as numbers, for what the window builds before its first paint.

PySide6 makes the whole Qt namespace (93 Python enums, 1,200 members: a fifth of a bare
window's start-up) the first time any Qt.* value is used. What the first screen needs of it
is given here by number: item roles to the APIs that take ints, enum properties through Qt's
property system (set_property). After the first paint Qt.* is used as usual; the warm-up
makes the namespace. tests/gui/test_qt_numbers.py checks every number against Qt's own.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

# Qt::ItemDataRole
DISPLAY_ROLE = 0
TOOLTIP_ROLE = 3
FONT_ROLE = 6
TEXT_ALIGNMENT_ROLE = 7
ACCESSIBLE_TEXT_ROLE = 11
USER_ROLE = 256
# Qt::AlignmentFlag
ALIGN_LEFT = 0x1
ALIGN_RIGHT = 0x2
ALIGN_TOP = 0x20
ALIGN_VCENTER = 0x80
# Qt::TextInteractionFlag
TEXT_SELECTABLE_BY_MOUSE = 0x1
# Qt::TextFormat
PLAIN_TEXT = 0
RICH_TEXT = 1
# Qt::ScrollBarPolicy
SCROLL_BAR_ALWAYS_OFF = 1
# Qt::FocusPolicy
NO_FOCUS = 0
STRONG_FOCUS = 11


def set_property(target: QObject, name: str, value: int) -> None:
    """`target.name = value` for one of Qt's enum-typed properties, given by number."""
    if not target.setProperty(name, value):  # False: no such property, or not written
        raise ValueError(f"{type(target).__name__} has no writable property {name!r}")
