"""The mouse wheel never changes an input that does not have the focus (issue 24).

Scrolling a page with the pointer passing over a drop-down once changed Gamunex-C to
Gammaked, and Route IV to SC, with no prompt. One filter on the application covers every
drop-down, spin box and date, on every page and dialog, now and later: over an input that
does not have the focus, the wheel scrolls the page (the nearest scroll area) instead; an
input with the focus (clicked or tabbed into: the person is working in it) still takes it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

_INPUTS = (QComboBox, QAbstractSpinBox)  # QDateEdit and QSpinBox are QAbstractSpinBoxes
_guard: WheelGuard | None = None


def guarded_input(widget: QObject) -> QWidget | None:
    """The drop-down, spin box or date a wheel event over `widget` would change, if any
    (the line edit inside an editable combo or a spin box is part of its input)."""
    if isinstance(widget, _INPUTS):
        return widget
    parent = widget.parent() if isinstance(widget, QWidget) else None
    return parent if isinstance(parent, _INPUTS) else None


class WheelGuard(QObject):
    """The application's event filter: wheel events over unfocused inputs go to the page."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel:
            return False
        target = guarded_input(watched)
        if target is None or target.hasFocus():
            return False
        assert isinstance(event, QWheelEvent)
        scroll_page(target, event)
        event.accept()  # handled here: Qt does not hand it to the input's parents as well
        return True


def scroll_page(widget: QWidget, event: QWheelEvent) -> None:
    """The wheel event, as if it were over the nearest scroll area around `widget`."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    if area is None:
        return
    viewport = area.viewport()
    position = viewport.mapFromGlobal(event.globalPosition())
    forwarded = QWheelEvent(position, event.globalPosition(), event.pixelDelta(),
                            event.angleDelta(), event.buttons(), event.modifiers(),
                            event.phase(), event.inverted())
    QApplication.sendEvent(viewport, forwarded)


def install() -> WheelGuard:
    """Filter the application's events (once; the window calls this after its first paint)."""
    global _guard
    app = QApplication.instance()
    if _guard is None or _guard.parent() is not app:
        _guard = WheelGuard(app)
        if app is not None:
            app.installEventFilter(_guard)
    return _guard
