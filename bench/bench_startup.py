"""Time to first paint: the ivigcalc window against a bare PySide6 QMainWindow.

Each sample is a fresh Python process. The parent notes time.perf_counter() just before it
starts the child; the child prints time.perf_counter() when its window receives its first
paint event and exits at once. On Linux (and on Windows and macOS) perf_counter reads a
system-wide monotonic clock, so the difference is the time from process start to first
paint, interpreter start-up and imports included. The two kinds of window alternate, so
drift in the machine's load affects both alike. Target (issues 3 and 14): ratio <= 1.3.
Each child also reports the CPU time it used by its first paint (time.process_time): on a
machine shared with other work that ratio moves far less than the wall-clock one, and the
least of the samples least of all (contention only ever adds to it).

Like an installed app (pip and PyInstaller compile bytecode at install), the children run
with bytecode cached: PYTHONDONTWRITEBYTECODE is dropped and the .pyc files go to a
throw-away PYTHONPYCACHEPREFIX, filled by an uncounted first run. That run also fills the
window's catalog cache (the checked catalog rows, kept between starts) in a throw-away
XDG_CACHE_HOME. --cold-bytecode measures a source checkout that compiles every module on
every start instead.

    .venv/bin/python bench/bench_startup.py                 # offscreen without a display
    xvfb-run -a .venv/bin/python bench/bench_startup.py     # a real X server
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            pint = "pint" in sys.modules
            cpu = time.process_time()
            sys.stdout.write(f"{time.perf_counter()!r} {int(pint)} {cpu!r}\\n")
            sys.stdout.flush()
            os._exit(0)
        return False
"""

BARE = PROBE + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1340, 690)
probe = FirstPaint()
window.installEventFilter(probe)
window.show()
app.exec()
"""

IVIGCALC = PROBE + """
from PySide6.QtCore import QSettings
from ivigcalc.gui.app import create_window
from ivigcalc.gui.app import make_application
app = make_application()
window = create_window(settings=QSettings(sys.argv[1], QSettings.Format.IniFormat))
probe = FirstPaint()
window.installEventFilter(probe)
window.show()
app.exec()
"""


# --phases: one fresh process, the clock read between the steps that build the window, so
# the time before first paint can be split into interpreter + Qt, our imports, the catalog,
# building the window and the paint itself.
PHASES = """
import os, sys, time
marks = [("start", float(sys.argv[2]), 0.0)]
def mark(name): marks.append((name, time.perf_counter(), time.process_time()))
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication
mark("import PySide6 (QtCore, QtGui, QtWidgets)")
from ivigcalc.gui.app import make_application
app = make_application()
mark("QApplication")
import ivigcalc.gui.window
mark("import ivigcalc.gui.window (the form, results, engine modules)")
from ivigcalc.gui.app import load_catalog
loaded, _ = load_catalog()
mark("catalog: its modules, the checked rows (cached) or the TOML checked")
from ivigcalc.gui.prefs import Preferences
settings = QSettings(sys.argv[1], QSettings.Format.IniFormat)
window = ivigcalc.gui.window.MainWindow(loaded, Preferences(settings))
window.restore_geometry()
mark("build the window")
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            mark("show, lay out, first paint")
            previous, used = marks[0][1], marks[0][2]
            print("    wall       CPU")
            for name, at, cpu in marks[1:]:
                print(f"{(at - previous) * 1000:8.1f} {(cpu - used) * 1000:8.1f} ms  {name}")
                previous, used = at, cpu
            print(f"{(previous - marks[0][1]) * 1000:8.1f} {used * 1000:8.1f} ms  "
                  "total to first paint")
            sys.stdout.flush()
            import os; os._exit(0)
        return False
probe = FirstPaint()
window.installEventFilter(probe)
window.show()
app.exec()
"""


def phases(settings: str, env: dict[str, str], *, show: bool = True) -> None:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PHASES, settings, repr(started)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"child failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    if show:
        print(done.stdout, end="")


def child_env(folder: str, cold_bytecode: bool) -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not cold_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
    env["XDG_CACHE_HOME"] = str(Path(folder) / "cache")  # the catalog cache (Linux)
    return env


def sample(code: str, settings: str, env: dict[str, str]) -> tuple[float, bool, float]:
    """(seconds from process start to first paint, pint already imported then, CPU
    seconds the process used by then)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, settings], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=60, check=False)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"child failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    painted, pint, cpu = lines[-1].split()
    return float(painted) - started, pint == "1", float(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9, help="samples of each (default 9)")
    parser.add_argument("--cold-bytecode", action="store_true",
                        help="compile every module on every start (a source checkout)")
    parser.add_argument("--phases", action="store_true",
                        help="split one start into its steps instead (after a warm-up run)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = str(Path(folder) / "bench.ini")
        env = child_env(folder, args.cold_bytecode)
        if args.phases:
            phases(settings, env, show=False)  # fills the bytecode cache
            for _ in range(args.reps):
                print()
                phases(settings, env)
            return 0
        sample(BARE, settings, env)  # fill the disk and bytecode caches; not counted
        sample(IVIGCALC, settings, env)
        bare, ours, pint_seen, bare_cpu, ours_cpu = [], [], [], [], []
        for _ in range(args.reps):
            seconds, _, cpu = sample(BARE, settings, env)
            bare.append(seconds)
            bare_cpu.append(cpu)
            seconds, pint, cpu = sample(IVIGCALC, settings, env)
            ours.append(seconds)
            ours_cpu.append(cpu)
            pint_seen.append(pint)
    platform = os.environ.get("QT_QPA_PLATFORM") or (
        "offscreen" if not os.environ.get("DISPLAY") else "xcb")
    bare_ms, ours_ms = statistics.median(bare) * 1000, statistics.median(ours) * 1000
    cache = "compiled on every start" if args.cold_bytecode else "cached, as installed"
    print(f"platform: {platform}; bytecode {cache}; {args.reps} samples each; median time "
          "from process start to first paint")
    print(f"bare QMainWindow:  {bare_ms:7.1f} ms  (min {min(bare) * 1000:.1f}, "
          f"max {max(bare) * 1000:.1f})")
    print(f"ivigcalc window:   {ours_ms:7.1f} ms  (min {min(ours) * 1000:.1f}, "
          f"max {max(ours) * 1000:.1f})")
    print(f"ratio:             {ours_ms / bare_ms:7.2f}  (target <= 1.30)")
    cpu_ratio = statistics.median(ours_cpu) / statistics.median(bare_cpu)
    print(f"CPU time to first paint (steadier on a shared machine): bare "
          f"{statistics.median(bare_cpu) * 1000:.0f} ms, ivigcalc "
          f"{statistics.median(ours_cpu) * 1000:.0f} ms, ratio {cpu_ratio:.2f}")
    print(f"least CPU time of the samples (contention only adds): bare "
          f"{min(bare_cpu) * 1000:.0f} ms, ivigcalc {min(ours_cpu) * 1000:.0f} ms, ratio "
          f"{min(ours_cpu) / min(bare_cpu):.2f}")
    print(f"pint imported before first paint: {sum(pint_seen)} of {len(pint_seen)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
