"""When something goes wrong in the window: a dialog instead of a silent exit, and a trace.

A Python exception that reaches Qt's event loop (a bug in a slot or an event handler) would
otherwise print to a console nobody sees while the window carries on or vanishes. The hook
below shows it in a dialog that says what happened and that nothing was saved, and leaves
the window running so what was typed can be read again.

A native crash (Qt, the binding, the interpreter) cannot be caught; faulthandler then
writes the Python stack of every thread: to stderr for the command line and --self-test
(ivigcalc/cli/main.py), and for the window to crash-trace.txt in the user's app-data
folder (a double-clicked app has no console). The trace holds file names, line numbers and
function names only, never a value, so no patient data reaches the disk; the dialog, too,
is only shown, never saved.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import os
import stat
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication

CRASH_FILE = "crash-trace.txt"
KEEP_OLD_TRACES = 5
_trace_file: IO[str] | None = None  # kept open: faulthandler writes to its descriptor
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # a link swapped in after the check: refused too
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def crash_folder() -> Path:
    """The per-user app-data folder (needs the application's names set first)."""
    return Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation))


def _regular_or_missing(path: Path) -> bool:
    """True for a regular file or none; a symlink, FIFO or device is never written."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except FileNotFoundError:
        return True


def trace_to_file(folder: Path | None = None) -> Path | None:
    """Native crashes of the window go to crash-trace.txt; a trace left by an earlier
    crash is kept beside it under its date, so starting again does not erase it. A
    crash-trace.txt that is a symlink or not a regular file is left alone (no trace file
    this session): the trace is never written through a link, nor blocks on a FIFO."""
    global _trace_file
    folder = folder or crash_folder()
    path = folder / CRASH_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not _regular_or_missing(path):
            return None
        if path.is_file() and path.stat().st_size:
            when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
            path.replace(folder / f"crash-trace-{when}.txt")
            for old in sorted(folder.glob("crash-trace-*.txt"))[:-KEEP_OLD_TRACES]:
                if _regular_or_missing(old):
                    old.unlink()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW | _NONBLOCK,
                     0o666)
        trace = os.fdopen(fd, "w", encoding="utf-8")
    except OSError:  # an unwritable profile must not stop the app (stderr may still get it)
        return None
    if _trace_file is not None:
        _trace_file.close()
    _trace_file = trace
    faulthandler.enable(file=trace, all_threads=True)
    return path


def message(error: BaseException) -> str:
    """What the dialog says: what happened, that nothing was saved, what to do now."""
    where = traceback.extract_tb(error.__traceback__)
    place = f" in {where[-1].name}()" if where else ""
    return (f"ivigcalc hit an internal error{place} and could not finish what it was doing:"
            f"\n\n{type(error).__name__}: {error}\n\nNothing was saved: ivigcalc writes no "
            "orders or patient data to disk, and the preferences are as they were. Check "
            "the results on screen again before using them, and report the error with "
            "what you were doing (the details below help).")


_showing = False


def _hook(kind: type[BaseException], error: BaseException,
          tb: TracebackType | None) -> None:
    global _showing
    sys.__excepthook__(kind, error, tb)  # the console keeps the full report too
    app = QApplication.instance()
    if _showing or not isinstance(app, QApplication) or issubclass(kind, KeyboardInterrupt):
        return
    _showing = True
    try:
        # Not at import: the app imports this module before its first paint.
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Critical, "ivigcalc: internal error",
                          message(error.with_traceback(tb)), QMessageBox.StandardButton.Ok,
                          app.activeWindow())
        box.setObjectName("internalErrorDialog")
        box.setDetailedText("".join(traceback.format_exception(kind, error, tb)))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.finished.connect(_done)
        box.open()  # not exec(): the hook may run inside Qt's dispatch; keep the loop going
    except Exception:  # the dialog itself failed: the console has the report
        _showing = False


def _done(_result: int) -> None:
    global _showing
    _showing = False


def install_excepthook() -> None:
    """Exceptions that reach the event loop show the dialog (and still print)."""
    sys.excepthook = _hook
