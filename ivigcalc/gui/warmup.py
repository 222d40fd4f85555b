"""Load the engine and pint's registry in the background once the window has painted.

Before the first paint the window builds only what the form shows (issue 14: first paint
within 1.3× of a bare window): the engine that computes (ivigcalc.calc, with the ICD-10,
necessity, payment and infusion tables it pulls in), the text it renders (ivigcalc.render)
and pint's registry (ivigcalc.dose.units.registry, about 0.15 s) all wait. They load on the
main thread as soon as the window has painted, before the pharmacist's first keystroke is
handled (keystrokes typed meanwhile are queued by Qt, never lost).

Not in a thread: Python's garbage collector runs in whichever thread allocates, and from a
worker it can free Qt objects the main thread owns; that crashed the process (a segfault
while the Check page was being built beside the warm-up).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer


def warm() -> None:
    # PySide's Qt namespace, kept from the first paint (gui/qt_numbers.py), is made here
    # (on import), before the first keystroke that needs it.
    from PySide6.QtCore import Qt  # noqa: F401
    try:
        import ivigcalc.calc
        import ivigcalc.render  # noqa: F401 - imported for later, not used here
        from ivigcalc.data import rates
        from ivigcalc.dose import units

        units.warm_up()
        rates.load()  # the label rate table (about 10 ms), read before the first order
    except Exception:  # the same error surfaces, with its message, on first use
        return


def start() -> None:
    """Queue the warm-up behind the events already waiting (the first paint's); the
    registry is cached, so a second run costs nothing."""
    QTimer.singleShot(0, warm)


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
