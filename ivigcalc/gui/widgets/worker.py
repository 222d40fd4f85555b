"""Long work off the window's thread: a function over rows or claims, run in Qt's thread
pool, its results arriving in order and in chunks, with progress and Cancel.

Why: the window must never block (issue 25). Checking 100,000 claims, or writing them out
to copy, takes seconds of pure Python; on the GUI thread that froze the window for 8-15 s.
Here the work runs in a QThreadPool task and the window only receives what it produced,
at most every CHUNK_SECONDS, so a heartbeat on the GUI thread keeps ticking (bench/
bench_batch_heartbeat.py measures the longest stall).

The worker never runs more than IN_FLIGHT chunks ahead of the window (backpressure): on an
idle machine it produces faster than the window adds rows, and Qt delivers every queued
chunk in one go before a timer may fire, so an unthrottled worker finished 100,000 claims
first and the window then stalled ~3 s on the backlog (and a Cancel came too late to cut
anything). Each chunk takes a credit; the window returns it once its slots have run.

Use (the Check page's batch of a CSV, and of X12 files, are the same shape):

    job = Job(produce)   # produce(task) -> Iterable[T]: sets task.total when it knows it,
                         # and may look at task.cancelled to stop early
    job.arrived.connect(add_rows)      # list[T], in order
    job.progress.connect(show)         # (done, total); total 0 while unknown
    job.finished.connect(settle)       # (DONE | CANCELLED | FAILED, message)
    job.start()
    job.cancel()                       # from a Cancel button: the task stops after the
                                       # item it is on; what arrived stays arrived

The producer must not touch widgets (it runs on another thread); what it reads (the
catalog, a file) it reads only.

Python's full garbage collection scans every object alive, and a batch leaves hundreds of
thousands (the check's memo, the rows shown): a full collection run by the worker held the
interpreter for up to 300 ms, and the window with it. So after each chunk the objects
alive are moved out of the collector's way (gc.freeze); they are freed as usual when
nothing refers to them, only cycles among them are no longer looked for.

An IvigcalcError or OSError the producer raises ends the job as FAILED with the error's
one line; any other exception too, with its type named.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ivigcalc.errors import IvigcalcError

DONE, CANCELLED, FAILED = "done", "cancelled", "failed"
CHUNK_SECONDS = 0.05  # how often results reach the window: 20 small updates a second
IN_FLIGHT = 2  # chunks sent to the window and not yet handled there, at most


class Task:
    """What the producer sees of its job: `total` to set, `cancelled` to look at."""

    def __init__(self) -> None:
        self.total = 0
        self._cancel = threading.Event()
        self._credits = threading.Semaphore(IN_FLIGHT)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def take_credit(self) -> None:
        """Wait until the window has room for another chunk, or the task is cancelled."""
        while not self._credits.acquire(timeout=0.05):
            if self.cancelled:
                return

    def return_credit(self) -> None:
        self._credits.release()


Producer = Callable[[Task], Iterable[Any]]


class Job(QObject):
    """One run of `produce` in the thread pool; its signals reach the GUI thread queued."""

    arrived = Signal(list)
    progress = Signal(int, int)
    finished = Signal(str, str)
    _sent = Signal(list)  # from the worker; re-emitted as `arrived`, then the credit returned

    def __init__(self, produce: Producer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.task = Task()
        self.running = False
        self.outcome = ""
        self._runnable = _Run(self, produce)
        self._sent.connect(self._deliver)
        self.finished.connect(self._settle)
        # A job whose window goes away (closed mid-batch) stops: nothing is left to receive.
        self.destroyed.connect(self.task.cancel)

    def start(self, pool: QThreadPool | None = None) -> None:
        self.running = True
        (pool or QThreadPool.globalInstance()).start(self._runnable)

    def cancel(self) -> None:
        self.task.cancel()

    def _deliver(self, chunk: list[Any]) -> None:
        try:
            self.arrived.emit(chunk)
        finally:
            self.task.return_credit()

    def _settle(self, outcome: str, _message: str) -> None:
        self.running = False
        self.outcome = outcome


class _Run(QRunnable):
    def __init__(self, job: Job, produce: Producer) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Job keeps it (PySide would free it under us)
        self.job = job
        self.produce = produce

    def run(self) -> None:
        try:
            self._run()
        except RuntimeError:  # the Job was deleted under us (its window closed): stop
            self.job.task.cancel()

    def _run(self) -> None:
        job, task = self.job, self.job.task
        chunk: list[Any] = []
        done, sent = 0, time.monotonic()
        try:
            for item in self.produce(task):
                chunk.append(item)
                done += 1
                now = time.monotonic()
                if now - sent >= CHUNK_SECONDS:
                    task.take_credit()
                    job._sent.emit(chunk)
                    job.progress.emit(done, task.total)
                    chunk, sent = [], now
                    gc.freeze()
                if task.cancelled:
                    break
        except Exception as error:  # the producer's refusal (one line), or a bug (named)
            if chunk:
                job._sent.emit(chunk)
            known = isinstance(error, IvigcalcError | OSError)
            job.finished.emit(FAILED, str(error) if known else
                              f"{type(error).__name__}: {error}")
            return
        if chunk:
            job._sent.emit(chunk)
        job.progress.emit(done, task.total)
        job.finished.emit(CANCELLED if task.cancelled else DONE, "")
