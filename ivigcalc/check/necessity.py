"""The claim check's medical-necessity rules: diagnoses against the payer's coverage lists,
the day's dose against the indication's labeled range, and prior authorization.

Memoised per catalog (facts.memo_for): a batch repeats the same diagnoses, payer and route
on most rows, and the amount matters only when a weight is given.
"""

from __future__ import annotations

from typing import cast

from ivigcalc.billing import necessity
from ivigcalc.check.facts import Claim, memo_for
from ivigcalc.check.findings import RULES, Finding
from ivigcalc.check.record import ClaimRecord
from ivigcalc.data import necessity as coverage
from ivigcalc.data.catalog import Catalog
from ivigcalc.dose import dosing
from ivigcalc.result import Trail


def findings(record: ClaimRecord, claim: Claim, catalog: Catalog) -> list[Finding]:
    """The problems as findings, each with its own severity and its list's source."""
    memo = memo_for(catalog)
    # What assess reads: the course only counts against an indication's range with a weight.
    weight = record.weight_kg
    key = ("necessity", tuple(d.code for d in record.dx) if record.dx else (),
           record.prior_auth, weight.as_integer_ratio() if weight is not None else None,
           claim.payer.key, claim.route,
           record.administered_mg.as_integer_ratio() if weight is not None else None)
    found = memo.get(key)
    if found is None:
        found = memo[key] = tuple(
            Finding(p.severity, p.rule, p.message, None, p.source or RULES[p.rule].source)
            for p in problems(record, claim, catalog))
    return list(cast(tuple[Finding, ...], found))


def problems(record: ClaimRecord, claim: Claim,
             catalog: Catalog) -> list[necessity.Problem]:
    """What medical necessity says of one day's claim (a Refusal for a weight past calc's
    hard limits: a slip there is refused here as it is in calc)."""
    if record.weight_kg is not None:
        check = dosing.LimitCheck(catalog.pick("limits", "default", "limits"), Trail())
        check.weight(record.weight_kg)
        check.refuse()
    outcome = necessity.assess(
        record.dx, payer=claim.payer.key, payer_name=claim.payer.name,
        data=coverage.for_catalog(catalog), course_mg=claim.administered_mg,
        weight_kg=record.weight_kg, route=claim.route, prior_auth=record.prior_auth)
    return list(outcome.problems)
