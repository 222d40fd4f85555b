"""`ivigcalc --self-test [--soak N]`: build the real window, run a sample order, check it.

The packaging smoke test and the start-up benchmark run it. Without a display (no DISPLAY
or WAYLAND_DISPLAY on Linux) it runs offscreen. It uses a throw-away settings file so that
it never changes the user's preferences. Only --soak touches the clipboard (it copies the
summary, as a person does, and clears the clipboard at the end): see ivigcalc/gui/selftest/soak.py.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ivigcalc.gui.window import MainWindow

SAMPLE = {"weight": "30", "weight_unit": "kg", "dose": "0.7", "dose_unit": "g/kg",
          "product": "gamunex-c"}
EXPECTED = "J1561 JA JZ × 42"  # 0.7 g/kg × 30 kg = exactly 21 g = 42 units (units round up)


def _needs_offscreen() -> bool:
    headless = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    return headless and sys.platform not in ("win32", "darwin")


def run(soak: int = 0, monkey: int = 0) -> int:
    """0 when the window computes the sample correctly (and survives `soak` keystrokes of
    typing and `monkey` random events, every answer checked against the engine), 1 with a
    message otherwise."""
    if _needs_offscreen():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        return (_check() or (_soak(soak) if soak > 0 else 0)
                or (_monkey(monkey) if monkey > 0 else 0))
    except Exception as error:  # any failure is a failed self-test, reported in one line
        print(f"ivigcalc self-test: FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


def _check() -> int:
    from PySide6.QtCore import QSettings

    from ivigcalc.gui.app import create_window, make_application

    app = make_application()
    with tempfile.TemporaryDirectory(prefix="ivigcalc-self-test-") as folder:
        settings = QSettings(str(Path(folder) / "self-test.ini"), QSettings.Format.IniFormat)
        window = create_window(settings=settings)
        form, page = window.calculatePage.form, window.calculatePage
        form.productInput.setCurrentIndex(form.productInput.findData(SAMPLE["product"]))
        form.weightUnit.setCurrentIndex(form.weightUnit.findData(SAMPLE["weight_unit"]))
        form.doseUnit.setCurrentIndex(form.doseUnit.findData(SAMPLE["dose_unit"]))
        form.weightInput.setText(SAMPLE["weight"])
        form.doseInput.setText(SAMPLE["dose"])
        window.show()
        app.processEvents()
        summary = page.results.summaryView.toPlainText()
        lines = [row[1:4] for row in page.results.claim_model.rows()]
        reason = page.results.status.text() or summary.strip() or "no summary"
        window.close()
        window.deleteLater()
        app.processEvents()
    if EXPECTED not in summary:
        print(f"ivigcalc self-test: FAILED: the summary does not contain '{EXPECTED}' "
              f"({reason})", file=sys.stderr)
        return 1
    # The drug's line, then the administration estimated from the rate plan (2 h 32 min).
    if lines != [("J1561", "JA JZ", "42"), ("96365", "none", "1"), ("96366", "none", "2")]:
        print(f"ivigcalc self-test: FAILED: the claim-lines table shows {lines}",
              file=sys.stderr)
        return 1
    if getattr(sys, "frozen", False) and not sys.flags.utf8_mode:
        print("ivigcalc self-test: FAILED: the bundle does not run in Python's UTF-8 mode "
              "(packaging/ivigcalc.spec passes X utf8)", file=sys.stderr)
        return 1
    print(f"ivigcalc self-test: ok (30 kg, 0.7 g/kg, Gamunex-C: {EXPECTED})")
    return 0


def _soak(keystrokes: int) -> int:
    from ivigcalc.gui.selftest.soak import Soak

    return _long_run("soak", lambda window, folder: Soak(window, keystrokes, folder).run())


def _monkey(events: int) -> int:
    from ivigcalc.gui.selftest.monkey import Monkey

    return _long_run("monkey", lambda window, _folder: Monkey(window, events).run())


class _Report(Protocol):
    def line(self) -> str: ...


def _long_run(name: str, drive: Callable[[MainWindow, Path], _Report]) -> int:
    """A soak or monkey run in the real window, with a throw-away settings file and
    folder; its failure (an AssertionError naming what differed) is one line and exit 1."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QGuiApplication

    from ivigcalc.gui.app import create_window, make_application

    app = make_application()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"ivigcalc-{name}-") as folder:
        settings = QSettings(str(Path(folder) / f"{name}.ini"), QSettings.Format.IniFormat)
        window = create_window(settings=settings)
        window.show()
        app.processEvents()
        try:
            report = drive(window, Path(folder))
        except AssertionError as failure:
            print(f"ivigcalc self-test: {name} FAILED: {failure}", file=sys.stderr)
            return 1
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
            QGuiApplication.clipboard().clear()
    print(f"ivigcalc self-test: {name} ok ({report.line()}; "
          f"{time.perf_counter() - started:.1f} s)")
    return 0
