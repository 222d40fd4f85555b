"""The monkey test of the real window (issue 24 item 10): about 1,000 random events, the
engine's answer for the visible form checked after each; `--self-test --monkey N` runs more."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ivigcalc.gui.selftest import monkey
from ivigcalc.gui.window import MainWindow

EVENTS = 1000


def test_a_thousand_random_events_and_every_answer_is_the_engines(window: MainWindow) -> None:
    report = monkey.Monkey(window, EVENTS).run()
    assert report.events == EVENTS
    assert report.answers >= 150 and report.refusals >= 100  # both kinds of state checked


def test_the_oracle_sees_a_summary_that_is_not_the_engines(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    real = monkey.calculate

    def other(request, catalog):  # the engine the window did not use
        return dataclasses.replace(real(request, catalog), product_name="Something else")

    monkeypatch.setattr(monkey, "calculate", other)
    with pytest.raises(monkey.MonkeyFailure, match="not the engine's"):
        monkey.Monkey(window, 300).run()


def test_the_oracle_sees_a_stale_window(window: MainWindow, qtbot: QtBot) -> None:
    window.calculatePage.form.changed.disconnect()  # edits no longer recompute
    with pytest.raises(monkey.MonkeyFailure, match="after event"):
        monkey.Monkey(window, 300).run()


def test_the_command_line_runs_the_monkey(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env |= {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "ivigcalc", "--self-test", "--monkey", "60"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ivigcalc self-test: monkey ok (60 events" in done.stdout
    refused = subprocess.run([sys.executable, "-m", "ivigcalc", "--monkey", "5"],
                             capture_output=True, text=True, env=env, timeout=120, check=False)
    assert refused.returncode == 2 and "--monkey N needs --self-test" in refused.stderr
