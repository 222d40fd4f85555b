"""The claim check's medical-necessity rules: diagnoses against the payer's coverage lists,
the day's dose against the indication's labeled range, and prior authorization.

Memoised per catalog (facts.memo_for): a batch repeats the same diagnoses, payer and route
on most rows, and the amount matters only when a weight is given.
"""

from __future__ import annotations

from typing import cast

from ivigcalc.billing import necessity
from ivigcalc.check.facts import CheckRequest, Claim, memo_for
from ivigcalc.check.findings import RULES, Finding
from ivigcalc.data import icd10
from ivigcalc.data import necessity as coverage
from ivigcalc.data.catalog import Catalog
from ivigcalc.dose import units


def findings(request: CheckRequest, claim: Claim, catalog: Catalog) -> list[Finding]:
    """The problems as findings, each with its own severity and its list's source."""
    memo = memo_for(catalog)
    # What assess reads: the course only counts against an indication's range with a weight.
    key = ("necessity", request.dx, request.prior_auth, request.weight, claim.payer.key,
           claim.route, claim.administered_mg if request.weight else None)
    found = memo.get(key)
    if found is None:
        found = memo[key] = tuple(
            Finding(p.severity, p.rule, p.message, None, p.source or RULES[p.rule].source)
            for p in problems(request, claim, catalog))
    return list(cast(tuple[Finding, ...], found))


def problems(request: CheckRequest, claim: Claim,
             catalog: Catalog) -> list[necessity.Problem]:
    """What medical necessity says of one day's claim (InputError for an unreadable code)."""
    diagnoses = icd10.parse_list(request.dx, "dx")
    reference = necessity.read_reference(request.prior_auth, "prior-auth")
    weight = units.parse_weight(request.weight, "weight") if request.weight else None
    outcome = necessity.assess(
        diagnoses, payer=claim.payer.key, payer_name=claim.payer.name,
        data=coverage.for_catalog(catalog), course_mg=claim.administered_mg,
        weight_kg=weight, route=claim.route, prior_auth=reference)
    return list(outcome.problems)
