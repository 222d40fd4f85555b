"""A shift at the window (issue 8): thousands of keystrokes, every answer against the engine.

The long run is a child process, so that an abort of the binding (PySide6 6.12.0 on Python
3.11 dies with "Fatal Python error: none_dealloc" after about 125 keystrokes) is seen as a
dead process instead of taking pytest down with it. The short runs prove that the soak
notices a wrong number and a lost keystroke, so that its "ok" means something.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from ivigcalc.calc import CalcRequest
from ivigcalc.calc import calculate as real_calculate
from ivigcalc.data.catalog import Catalog
from ivigcalc.gui.selftest import soak
from ivigcalc.gui.window import MainWindow
from ivigcalc.result import Result

KEYSTROKES = 5000  # about 20 s of CPU on the CI machine (the window recomputes on each key)


def test_the_window_survives_a_shift_of_typing_with_every_answer_right(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env |= {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "ivigcalc", "--self-test", "--soak",
                           str(KEYSTROKES)], capture_output=True, text=True, env=env,
                          timeout=900, check=False)
    progress = re.findall(r"soak at (\d+) keystrokes", done.stdout)
    assert done.returncode == 0, (f"exit {done.returncode} after {progress[-1:] or 'under'} "
                                  f"keystrokes: {done.stderr[-2000:]}")
    report = re.search(r"soak ok \((\d+) keystrokes, (\d+) answers checked against the engine "
                       r"\((\d+) refused\), (\d+) claim checks, (\d+) copies, (\d+) worksheets",
                       done.stdout)
    assert report, done.stdout
    keys, answers, refused, checks, copies, sheets = map(int, report.groups())
    assert keys >= KEYSTROKES
    assert answers >= 300 and 0 < refused < answers // 4  # mostly answers, some refusals
    assert checks >= 10 and copies >= 10 and sheets >= 3


def _soak(window: MainWindow, tmp_path: Path, keystrokes: int = 300) -> soak.Soak:
    return soak.Soak(window, keystrokes, tmp_path)


def test_a_short_soak_passes_in_process(window: MainWindow, tmp_path: Path) -> None:
    report = _soak(window, tmp_path).run()
    assert report.keystrokes >= 300 and report.answers > 10


def test_the_soak_notices_a_number_the_engine_did_not_compute(
        window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The soak's engine now doses 1 % more than the window's: the soak must see the window
    # "differ" on the very first answer, as it would a window that showed a wrong number.
    def one_percent_more(request: CalcRequest, catalog: Catalog) -> Result:
        heavier = request.weight + "1" if "." in request.weight else request.weight + ".1"
        return real_calculate(dataclasses.replace(request, weight=heavier), catalog)

    monkeypatch.setattr(soak, "calculate", one_percent_more)
    with pytest.raises(soak.SoakFailure, match=r"differs from the engine's|refuses"):
        _soak(window, tmp_path).run()


def test_the_soak_notices_a_lost_keystroke(window: MainWindow, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    real_click: Callable[..., None] = QTest.keyClicks  # how the soak types a character
    count = [0]

    def sometimes_lost(widget: object, *args: object) -> None:
        count[0] += isinstance(widget, QLineEdit)
        if count[0] != 40 or not isinstance(widget, QLineEdit):  # the 40th character is lost
            real_click(widget, *args)

    monkeypatch.setattr(soak.QTest, "keyClicks", sometimes_lost)
    with pytest.raises(soak.SoakFailure, match=r"holds .* after typing"):
        _soak(window, tmp_path).run()
