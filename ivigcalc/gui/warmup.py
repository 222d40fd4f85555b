"""Load pint's registry in the background once the window has painted.

The engine imports pint lazily (ivigcalc.dose.units.registry, about 0.15 s). Loading it before the
first paint would make the window appear late; loading it on the first keystroke would make
that keystroke lag. So the window paints first and a daemon thread builds the registry while
the pharmacist reads the form.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject

from ivigcalc.dose import units


def _warm() -> None:
    try:
        units.warm_up()
    except Exception:  # the same error surfaces, with its message, on first use
        return


def start() -> threading.Thread:
    """Start the warm-up now; the registry is cached, so a second call costs nothing."""
    thread = threading.Thread(target=_warm, name="ivigcalc-units-warm-up", daemon=True)
    thread.start()
    return thread


class AfterFirstPaint(QObject):
    """Event filter: call `then` once, when `target` first paints, then step aside."""

    def __init__(self, target: QObject, then: Callable[[], object] = start) -> None:
        super().__init__(target)
        self._then: Callable[[], object] | None = then
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            watched.removeEventFilter(self)
            then()
        return False
