"""`ivigcalc --self-test`, the launch paths, and what the window may import before it paints."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pytestqt.qtbot import QtBot

from ivigcalc.dose import units
from ivigcalc.gui import warmup
from ivigcalc.gui.app import create_window
from ivigcalc.gui.selftest import run as selftest


def test_self_test_passes_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert selftest.run() == 0
    assert "self-test: ok" in capsys.readouterr().out


def test_self_test_reports_a_wrong_summary(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(selftest, "EXPECTED", "J1561 JA JZ × 43")  # the float answer
    assert selftest.run() == 1
    err = capsys.readouterr().err
    assert err.startswith("ivigcalc self-test: FAILED: the summary does not contain")
    assert "Traceback" not in err


def _headless_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = env.get("TMPDIR", "/tmp")
    return env


def test_cli_self_test_runs_offscreen_without_a_display() -> None:
    done = subprocess.run([sys.executable, "-m", "ivigcalc", "--self-test"],
                          capture_output=True, text=True, env=_headless_env(), timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "J1561 JA JZ × 42" in done.stdout


# What waits until after the first paint (issue 14): pint's registry (~0.15 s), the engine
# that computes and the text it renders, with the ICD-10, necessity, payment and infusion
# tables they pull in, and the Result types, dosing and billing rules the form's checks use
# once something is typed. The form itself needs only the catalog (and the rate table's
# headings).
AFTER_FIRST_PAINT = ("pint", "ivigcalc.calc", "ivigcalc.render", "ivigcalc.data.icd10",
                     "ivigcalc.data.necessity", "gzip", "ivigcalc.result",
                     "ivigcalc.billing.lines", "ivigcalc.dose.dosing", "ivigcalc.dose.vials")


def test_building_the_window_leaves_the_engine_for_after_the_first_paint() -> None:
    code = ("import sys\n"
            "from ivigcalc.gui.app import create_window\n"
            "from PySide6.QtCore import QSettings\n"
            "import tempfile, os\n"
            "path = os.path.join(tempfile.mkdtemp(), 'p.ini')\n"
            "window = create_window(settings=QSettings(path, QSettings.Format.IniFormat))\n"
            f"print([m for m in {AFTER_FIRST_PAINT!r} if m in sys.modules])\n")
    env = _headless_env() | {"QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"imported before the first paint: {done.stdout}"


def test_warm_up_starts_only_after_the_window_paints(qtbot: QtBot,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(warmup, "start", lambda: started.append(True))
    window = create_window()
    qtbot.addWidget(window)
    assert started == []
    window.show()
    qtbot.waitUntil(lambda: started == [True])


def test_warm_up_loads_the_engine_and_pint_on_the_event_loop(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    # Start from no registry, whatever earlier tests built: only the warm-up can make one.
    monkeypatch.setattr(units, "_registry", None)
    warmup.start()
    assert units._registry is None  # queued, not run: the first paint comes first
    qtbot.waitUntil(lambda: units._registry is not None, timeout=60_000)
    assert all(module in sys.modules for module in ("pint", "ivigcalc.calc", "ivigcalc.render"))
    built = units._registry
    assert built is not None
    assert units.registry() is built  # the first keystroke finds it ready
