"""The window's longest stall while a large batch loads (issue 25: target < 200 ms).

A heartbeat (a 10 ms QTimer on the GUI thread) records the gap between its ticks while
the Check page opens a ROWS-row CSV (default 100,000) in the worker, the table filling as
rows arrive; then while the batch is copied (in the worker too). The baseline, in the same
run, is what the window did before: the whole check on the GUI thread, one stall as long
as the check itself. Offscreen Qt; wall-clock times, so run it on a quiet machine.

    QT_QPA_PLATFORM=offscreen python bench/bench_batch_heartbeat.py [ROWS]
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
from PySide6.QtWidgets import QApplication

ROWS = 100_000
SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / \
    "check_claims_synthetic.csv"
TARGET_MS = 200


def write_batch(path: Path, rows: int) -> Path:
    """`rows` claims: the synthetic sample's rows again and again, each with its own id
    and a date of its own (so they are not all duplicates of each other)."""
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        sample = list(reader)
        names = list(reader.fieldnames or [])
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, names)
        writer.writeheader()
        for n in range(rows):
            row = dict(sample[n % len(sample)])
            row["id"] = f"B-{n}"
            row["date"] = f"2025-{1 + (n // 28) % 12:02d}-{1 + n % 28:02d}"
            writer.writerow(row)
    return path


class Heartbeat:
    """Ticks every 10 ms on the GUI thread; `longest` is the widest gap seen (ms)."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.longest = 0
        self.last = 0

    def start(self) -> None:
        self.longest = 0
        self.clock.start()
        self.last = 0
        self.timer.start()

    def tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> int:
        self.tick()
        self.timer.stop()
        return self.longest


def wait(app: QApplication, done: object, limit_s: float = 600) -> float:
    start = time.perf_counter()
    while not done() and time.perf_counter() - start < limit_s:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - start


def main(rows: int = ROWS) -> int:
    from ivigcalc.check import batch
    from ivigcalc.check.summary import summarize
    from ivigcalc.gui.app import create_window, make_application

    app = make_application()
    with tempfile.TemporaryDirectory() as folder:
        path = write_batch(Path(folder) / "batch.csv", rows)
        window = create_window(settings=QSettings(str(Path(folder) / "b.ini"),
                                                  QSettings.Format.IniFormat))
        window.show()
        page = window.check_page()
        wait(app, lambda: window.settled, 60)
        beat = Heartbeat()

        # Baseline: the check on the GUI thread, as the window did before issue 25.
        beat.start()
        QTimer.singleShot(0, lambda: _synchronous(page, path, batch, summarize))
        wait(app, lambda: beat.clock.elapsed() > 50 and page.reports.panel.summary is not None)
        before = beat.stop()
        page.reports.panel.hide()
        page.reports.panel.summary = None

        # Now: the worker.
        beat.start()
        page.reports.open_batch(str(path))
        load_s = wait(app, lambda: not page.reports.busy)
        loaded = beat.stop()
        shown = page.reports.panel.model.rowCount()

        beat.start()
        page.reports.copy()
        copy_s = wait(app, lambda: not page.reports.busy)
        copied = beat.stop()
        window.close()
    print(f"batch of {rows:,} claims ({shown:,} report rows), offscreen, wall clock:")
    print(f"  before (check on the GUI thread): longest stall {before:,} ms")
    print(f"  worker: loaded in {load_s:.1f} s, longest stall {loaded:,} ms "
          f"({before / max(loaded, 1):.0f}x shorter); target < {TARGET_MS} ms")
    print(f"  copy in the worker: {copy_s:.1f} s, longest stall {copied:,} ms")
    return 0 if max(loaded, copied) < TARGET_MS else 1


def _synchronous(page: object, path: Path, batch: object, summarize: object) -> None:
    """What open_batch did before: read, check and show the whole batch in one go."""
    handle, reader, _ = batch.open_rows(path)  # type: ignore[attr-defined]
    with handle:
        reports = list(batch.check_rows(reader, page.catalog,  # type: ignore[attr-defined]
                                        batch.Defaults()))  # type: ignore[attr-defined]
    page.reports.panel.show_batch(path.name, reports,  # type: ignore[attr-defined]
                                  summarize(reports, page.catalog.cms_history))  # type: ignore


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS))
