"""Fault injection at the window (issue 25): its own files and the numbers in them.

The settings file, the catalog cache and crash-trace.txt live in the user's profile, where a
symlink, a FIFO or a forged value may be put: the window must start anyway (a child process
with a time limit shows a hang as a failure), never write through a link, and say what it
did not use. A PDF save that fails must say so and leave the old file whole.
"""

from __future__ import annotations

import errno
import os
import pickle
import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from window_helpers import choose, stock_only, type_into, widget

from ivigcalc.data import catalog_cache
from ivigcalc.gui import failsafe, prefs
from ivigcalc.gui.output import paper
from ivigcalc.gui.window import MainWindow

POSIX = sys.platform != "win32"
pytestmark = pytest.mark.skipif(not POSIX, reason="FIFOs and symlinks as POSIX makes them")

START = textwrap.dedent("""
    import sys
    from ivigcalc.gui.app import create_window
    window = create_window()
    notes = window.prefs.notes
    print("started", "|".join(notes))
    print(window.calculatePage.form.stocked_sizes())
""")


def start_window(tmp_path: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real window built in a child whose profile folders are under `tmp_path`."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", START], capture_output=True, text=True,
                          env=env, timeout=timeout, check=False)


def settings_file(tmp_path: Path) -> Path:
    folder = tmp_path / "config" / prefs.ORGANIZATION
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{prefs.APPLICATION}.ini"


def test_a_huge_stocked_vials_number_does_not_hang_the_start(tmp_path: Path) -> None:
    settings_file(tmp_path).write_text("[stocked_vials]\ngamunex-c=1e999999999\n",
                                       encoding="utf-8")
    done = start_window(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Preferences ignored (not as ivigcalc writes them): stocked_vials/gamunex-c" \
        in done.stdout
    assert "Fraction(1000, 1)" in done.stdout  # every size ticked, as on a first start


def test_a_fifo_in_place_of_the_settings_file_does_not_block(tmp_path: Path) -> None:
    path = settings_file(tmp_path)
    os.mkfifo(path)
    done = start_window(tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"Preferences not used: {path} is not a regular file" in done.stdout


def _forged_cache(folder: Path, number: object) -> Path:
    """A cache file with the right key and checksum whose payload makes a Fraction of
    `number` when unpickled (anyone who can write the folder can forge one)."""
    class Forged:
        def __reduce__(self) -> tuple[object, tuple[object, ...]]:
            return Fraction, (number,)

    resources = ("codes.toml",)
    payload = pickle.dumps(Forged())
    import hashlib

    data = (catalog_cache._MAGIC + catalog_cache.key(resources)
            + hashlib.sha256(payload).hexdigest().encode("ascii") + payload)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / catalog_cache.FILE).write_bytes(data)
    return folder


READ_CACHE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ivigcalc.data import catalog_cache
    print(catalog_cache.read(Path(sys.argv[1]), ("codes.toml",)))
""")


@pytest.mark.parametrize("number", ["1e999999999", 10**100_000], ids=["text", "int"])
def test_a_forged_catalog_cache_with_a_huge_number_is_refused_at_once(
        tmp_path: Path, number: object) -> None:
    folder = _forged_cache(tmp_path / "cache", number)
    done = subprocess.run([sys.executable, "-c", READ_CACHE, str(folder)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"  # refused: the caller checks the TOML again


def test_a_fifo_in_place_of_the_catalog_cache_is_refused_without_blocking(
        tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    os.mkfifo(folder / catalog_cache.FILE)
    done = subprocess.run([sys.executable, "-c", READ_CACHE, str(folder)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"


def test_a_symlinked_settings_file_is_never_written_through(
        qtbot: QtBot, isolated_settings: Path, make_window: object) -> None:
    victim = isolated_settings / "victim.txt"
    victim.write_text("someone else's file\n", encoding="utf-8")
    path = prefs.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(victim)
    window = make_window()  # type: ignore[operator]
    choose(window, "productInput", "privigen")
    window.prefs.settings.sync()
    window.close()
    assert victim.read_text(encoding="utf-8") == "someone else's file\n"
    assert path.is_symlink()
    note = widget(window, "preferencesProblem")
    assert isinstance(note, QLabel)
    assert f"Preferences not used: {path} is a symbolic link" in note.text()


def test_stored_values_out_of_bounds_are_ignored_with_a_note(isolated_settings: Path) -> None:
    settings = prefs.default_settings()
    settings.setValue("stocked_vials/gamunex-c", "1e999999999")
    settings.setValue("window/geometry", "A" * 10_000)
    settings.setValue("stocked_vials/privigen", "5000 10000")
    kept = prefs.Preferences(settings)
    assert kept.notes == ["Preferences ignored (not as ivigcalc writes them): "
                          "stocked_vials/gamunex-c, window/geometry"]
    sizes = (Fraction(1000), Fraction(5000), Fraction(10000))
    assert kept.stocked("gamunex-c", sizes) == sizes
    assert kept.stocked("privigen", sizes) == sizes[1:]
    assert kept.get("window/geometry") == ""


def test_a_symlinked_crash_trace_is_never_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file\n", encoding="utf-8")
    (tmp_path / failsafe.CRASH_FILE).symlink_to(victim)
    assert failsafe.trace_to_file(tmp_path) is None
    assert victim.read_text(encoding="utf-8") == "someone else's file\n"


def test_a_fifo_crash_trace_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / failsafe.CRASH_FILE)
    assert failsafe.trace_to_file(tmp_path) is None


def _sample(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    stock_only(window, "10 g")
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "350 mg/kg")


def test_a_pdf_save_on_a_full_disk_says_so_and_keeps_the_old_file(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _sample(qtbot, window)
    (tmp_path / "pdfs").mkdir()
    old = tmp_path / "pdfs" / "sheet.pdf"
    old.write_bytes(b"%PDF-1.4 the worksheet saved yesterday\n%%EOF\n")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    assert window.save_pdf(str(old)) is None
    assert old.read_bytes() == b"%PDF-1.4 the worksheet saved yesterday\n%%EOF\n"
    assert window.statusBar().currentMessage().startswith(
        f"Worksheet NOT saved to {old}: No space left on device")
    assert [p.name for p in old.parent.iterdir()] == ["sheet.pdf"]  # no temporary file left


def test_a_pdf_cut_short_is_not_saved(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """What the audit saw: Qt's printer wrote 4 kB and reported nothing."""
    _sample(qtbot, window)
    old = tmp_path / "sheet.pdf"
    old.write_bytes(b"%PDF-1.4 the worksheet saved yesterday\n%%EOF\n")
    real = paper.Sheet.paint

    def cut_short(sheet: paper.Sheet) -> int:
        pages = real(sheet)
        for leftover in tmp_path.glob(".ivigcalc-*.part"):
            with open(leftover, "r+b") as handle:
                handle.truncate(4096)
        return pages

    monkeypatch.setattr(paper.Sheet, "paint", cut_short)
    assert window.save_pdf(str(old)) is None
    assert old.read_bytes().endswith(b"yesterday\n%%EOF\n")
    assert "NOT saved" in window.statusBar().currentMessage()
    assert "cut short" in window.statusBar().currentMessage()
    monkeypatch.setattr(paper.Sheet, "paint", real)
    assert window.save_pdf(str(old)) == old
    assert old.read_bytes().startswith(b"%PDF-") and old.stat().st_size > 4096


def test_a_date_past_2099_cannot_be_entered_and_a_long_course_computes(
        qtbot: QtBot, window: MainWindow) -> None:
    """A course from 9999-12-30 overflowed Python's calendar (a traceback in a slot)."""
    _sample(qtbot, window)
    window.calculatePage.form.dateInput.setDate(QDate(9999, 12, 30))
    assert window.calculatePage.form.dateInput.date() == QDate(2099, 12, 31)
    window.calculatePage.form.daysInput.setValue(5)
    qtbot.waitUntil(lambda: window.calculatePage.result is not None
                    and len(window.calculatePage.result.days) == 5)
    result = window.calculatePage.result
    assert result is not None
    assert [d.date_of_service.isoformat() for d in result.days] == [
        "2099-12-31", "2100-01-01", "2100-01-02", "2100-01-03", "2100-01-04"]
