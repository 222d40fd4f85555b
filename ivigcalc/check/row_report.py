"""One row's outcome in a batch: its claim's check, or why the row could not be read.

Why a module of its own: the batch (check/batch.py) makes these and the summary
(check/summary.py) adds them up; both import this, so neither imports the other back.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivigcalc.check.rules import CheckResult


@dataclass(frozen=True)
class RowReport:
    row: int
    id: str
    result: CheckResult | None = None
    field: str | None = None
    error: str | None = None

    @property
    def status(self) -> str:
        if self.result is None:
            return "invalid"
        severities = {f.severity for f in self.result.findings}
        if "error" in severities:
            return "errors"
        return "warnings" if "warning" in severities else "ok"
