"""The window never blocks on a big batch (issue 25): checked and copied in the worker, the
table filling as rows arrive, with progress and Cancel; a cancelled batch keeps its rows,
marked partial, and nothing is saved.

The heartbeat test holds the GUI thread's longest stall, while a 100,000-row batch loads,
to a generous 1 s (bench/bench_batch_heartbeat.py measures it against the 200 ms target).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from ivigcalc.errors import InputError
from ivigcalc.gui.check import reports as check_reports
from ivigcalc.gui.widgets import worker
from ivigcalc.gui.window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_batch_heartbeat import write_batch


class Heartbeat:
    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = 0
        self.longest = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now


def test_a_100000_row_batch_loads_without_blocking_the_window(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    path = write_batch(tmp_path / "big.csv", 100_000)
    page = window.check_page()
    seen: list[int] = []
    page.reports.panel.model.rowsInserted.connect(
        lambda *_: seen.append(page.reports.panel.model.rowCount()))
    beat = Heartbeat()
    assert page.reports.open_batch(str(path))
    qtbot.waitUntil(lambda: not page.reports.busy, timeout=300_000)
    beat.tick()
    beat.timer.stop()
    panel = page.reports.panel
    assert beat.longest < 1000, f"the window stalled {beat.longest} ms"
    assert len(seen) > 10 and seen[0] < 100_000  # the table filled as rows arrived
    assert panel.summary is not None and panel.summary.rows == 100_000
    assert "100000 claims checked" in panel.summaryLabel.text()
    assert panel.partial == "" and not panel.progress.isVisible()
    rows = panel.model.rows()
    numbers = [int(r[0]) for r in rows]
    assert numbers == sorted(numbers) and numbers[0] == 1  # file order
    assert rows[-1][1] == "B-99999"


def test_cancel_keeps_the_rows_marked_partial_and_saves_nothing(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, isolated_settings: Path) -> None:
    path = write_batch(tmp_path / "batch.csv", 30_000)
    page = window.check_page()
    window.tabs.setCurrentIndex(1)  # the Check page shown, its Cancel button with it
    window.prefs.settings.sync()
    saved = {p: p.read_bytes() for p in isolated_settings.rglob("*") if p.is_file()}
    before = sorted(tmp_path.iterdir())
    assert page.reports.open_batch(str(path))
    panel = page.reports.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=60_000)
    assert panel.cancelButton.isVisible() and panel.progress.isVisible()
    panel.cancelButton.click()
    qtbot.waitUntil(lambda: not page.reports.busy, timeout=60_000)
    assert panel.summary is not None and 0 < panel.summary.rows < 30_000
    assert panel.partial.startswith(f"cancelled after {panel.summary.rows:,} of 30,000")
    assert "(PARTIAL: cancelled after" in panel.title.text()
    assert panel.summaryLabel.text().startswith("Partial batch: cancelled after")
    assert panel.model.rowCount() > 0 and panel.isVisible()
    assert not panel.cancelButton.isVisible()
    window.prefs.settings.sync()
    assert {p: p.read_bytes() for p in isolated_settings.rglob("*") if p.is_file()} == saved
    assert sorted(tmp_path.iterdir()) == before  # no report or state written anywhere
    assert window.copy_summary()  # what is shown copies, marked partial
    qtbot.waitUntil(lambda: not page.reports.busy, timeout=60_000)
    copied = QGuiApplication.clipboard().mimeData().text()
    assert "Partial batch: cancelled after" in copied.splitlines()[1]


def test_a_large_batch_is_copied_in_the_worker(qtbot: QtBot, window: MainWindow,
                                               tmp_path: Path) -> None:
    path = write_batch(tmp_path / "batch.csv", 3_000)
    page = window.check_page()
    window.tabs.setCurrentIndex(1)
    assert page.reports.open_batch(str(path))
    qtbot.waitUntil(lambda: not page.reports.busy, timeout=60_000)
    rows = page.reports.panel.model.rowCount()
    assert rows > check_reports.COPY_IN_WORKER
    assert window.copy_summary()
    assert page.reports.busy  # written out in the worker
    qtbot.waitUntil(lambda: not page.reports.busy, timeout=60_000)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text().count("\n") == rows + 9 or mime.text().endswith("\n")
    assert f"B-{2_999}" in mime.text()
    assert mime.hasHtml() == (rows <= check_reports.TABLE_ROWS)
    assert page.statusLabel.text().startswith(f"Batch copied ({rows:,} rows")


def test_a_file_refused_in_the_worker_is_said_on_the_status_line(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(b"id,lines\n1,\xff\n")
    page = window.check_page()
    assert page.reports.open_batch(str(path))
    qtbot.waitUntil(lambda: not page.reports.busy, timeout=60_000)
    assert "could not be read" in page.statusLabel.text() and "not UTF-8" in \
        page.statusLabel.text()
    assert not page.reports.panel.isVisibleTo(page)


# --- the worker itself: any function over rows, results in order --------------------------


def run_job(qtbot: QtBot, produce: worker.Producer) -> tuple[list[object], list[tuple[int, int]],
                                                             tuple[str, str]]:
    got: list[object] = []
    progress: list[tuple[int, int]] = []
    ended: list[tuple[str, str]] = []
    job = worker.Job(produce)
    job.arrived.connect(got.extend)
    job.progress.connect(lambda done, total: progress.append((done, total)))
    job.finished.connect(lambda outcome, message: ended.append((outcome, message)))
    job.start()
    qtbot.waitUntil(lambda: bool(ended), timeout=30_000)
    assert not job.running and job.outcome == ended[0][0]
    return got, progress, ended[0]


def test_a_job_delivers_every_item_in_order_with_progress(qtbot: QtBot) -> None:
    def produce(task: worker.Task) -> object:
        task.total = 50_000
        return (n * n for n in range(50_000))

    got, progress, ended = run_job(qtbot, produce)
    assert got == [n * n for n in range(50_000)]
    assert ended == (worker.DONE, "")
    assert progress[-1] == (50_000, 50_000)


@pytest.mark.parametrize(("error", "message"), [
    (InputError("csv", "row 3 is bad"), "csv: row 3 is bad"),
    (OSError(5, "Input/output error"), "[Errno 5] Input/output error"),
    (KeyError("x"), "KeyError: 'x'"),
])
def test_a_failing_producer_ends_the_job_with_one_line(qtbot: QtBot, error: Exception,
                                                       message: str) -> None:
    def produce(task: worker.Task) -> object:
        yield 1
        raise error

    got, _, ended = run_job(qtbot, produce)
    assert got == [1] and ended == (worker.FAILED, message)


def test_cancel_stops_the_producer_after_its_current_item(qtbot: QtBot) -> None:
    made: list[int] = []

    def produce(task: worker.Task) -> object:
        for n in range(10**9):
            made.append(n)
            if n == 100:
                task.cancel()  # as a Cancel button would, mid-run
            yield n

    got, _, ended = run_job(qtbot, produce)
    assert ended == (worker.CANCELLED, "")
    assert got == list(range(101)) and len(made) == 101
