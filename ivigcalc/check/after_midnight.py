"""An added hour past midnight follows its initial on the day before (issue 22).

Why apart from the one-day check: a claim record is one date of service, so an added hour
billed alone on a date looks like an add-on without its initial (admin_rules.py). When
the same claim (an 837's CLM01, a batch row's claim id) bills that initial on the day
before, it is the hour after midnight of that infusion: the finding goes. Used by the CSV
batch and the X12 check, on results in date order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import replace

from ivigcalc.check.admin_rules import INITIAL_OF, INITIALS
from ivigcalc.check.rules import CheckResult

RULE = "admin-add-on-without-initial"


def initials_billed(result: CheckResult) -> frozenset[str]:
    """The initial services (96365, 96369) the result's billed lines carry."""
    return frozenset(b.parsed.code for b in result.billed if b.parsed) & INITIALS


def cleared(result: CheckResult, day_before: Collection[str]) -> CheckResult:
    """`result` without the add-on findings whose initial `day_before` bills."""
    if not day_before or not any(f.rule == RULE for f in result.findings):
        return result
    initial_of = {b.number: INITIAL_OF.get(b.parsed.code) for b in result.billed if b.parsed}
    kept = tuple(f for f in result.findings if not (
        f.rule == RULE and f.line is not None and initial_of.get(f.line) in day_before))
    return replace(result, findings=kept)


def within_claim(results: Iterable[CheckResult]) -> tuple[CheckResult, ...]:
    """One claim's results (one per date of service, any order), each cleared by the
    initials its claim bills on the day before."""
    given = tuple(results)
    by_date: dict[dt.date, frozenset[str]] = {}
    for result in given:
        day = result.claim.date_of_service
        by_date[day] = by_date.get(day, frozenset()) | initials_billed(result)
    return tuple(cleared(r, by_date.get(r.claim.date_of_service - dt.timedelta(days=1), ()))
                 for r in given)
