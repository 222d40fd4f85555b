"""Medical necessity for one order: each diagnosis against the payer's coverage lists, the
dose against the indication's labeled range, and the payer's prior-authorization and KX
requirements. The findings become warnings (calc) or findings (check)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ivigcalc import text
from ivigcalc.data.icd10 import Diagnosis
from ivigcalc.data.necessity_model import Indication, Necessity
from ivigcalc.errors import InputError
from ivigcalc.result import Assessed

_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,29}$")

KX_SOURCE = "CMS: KX modifier, requirements specified in the medical policy have been met"


@dataclass(frozen=True)
class Problem:
    rule: str  # a check rule id: dx-not-covered, dx-missing, dose-indication, ...
    severity: str  # error, warning, note
    message: str
    source: str


@dataclass(frozen=True)
class Outcome:
    diagnoses: tuple[Assessed, ...]
    problems: tuple[Problem, ...]
    indication: Indication | None
    prior_auth: str | None  # the reference typed by the user, never stored
    prior_auth_required: bool


def _assess(d: Diagnosis, payer_name: str, data: Necessity, payer: str) -> tuple[Assessed,
                                                                                 Problem | None]:
    rules = data.for_payer(payer)
    if rules is None:
        return Assessed(d.code, d.description, None, None), Problem(
            "dx-unknown-coverage", "note",
            f"{d.code}: no coverage list is on record for {payer_name}; check the payer's "
            "policy (a site catalog can add it)", "")
    for key in rules.lists:
        if d.code in data.lists[key].codes:
            return Assessed(d.code, d.description, True, key), None
    if rules.complete:
        named = "; ".join(data.lists[k].name for k in rules.lists)
        sources = "; ".join(data.lists[k].source for k in rules.lists)
        return Assessed(d.code, d.description, False, rules.lists[0] if rules.lists else None), \
            Problem("dx-not-covered", "error",
                    f"{d.code} {d.description} is not covered by {payer_name}: it is not on "
                    f"the list of {named}", sources)
    return Assessed(d.code, d.description, None, None), Problem(
        "dx-unknown-coverage", "note",
        f"{d.code} is on no national coverage list shipped for {payer_name}; the MAC's LCD "
        "billing article (or the payer's policy) decides, and a site catalog can add it",
        rules.source)


def _dose_problem(indication: Indication, course_mg: Fraction, weight_kg: Fraction | None,
                  route: str) -> Problem | None:
    if route != "iv" or weight_kg is None:
        return None  # the labeled ranges are IV regimens; SC doses are weekly
    g_per_kg = course_mg / 1000 / weight_kg
    if indication.min_g_per_kg <= g_per_kg <= indication.max_g_per_kg:
        return None
    side = "above" if g_per_kg > indication.max_g_per_kg else "below"
    return Problem("dose-indication", "warning",
                   f"{text.decimal(g_per_kg, 2)} g/kg per course is {side} the labeled range "
                   f"for {indication.name.lower()} ({indication.range})", indication.source)


def assess(diagnoses: Sequence[Diagnosis], *, payer: str, payer_name: str, data: Necessity,
           course_mg: Fraction, weight_kg: Fraction | None, route: str, preset: str | None = None,
           prior_auth: str | None = None) -> Outcome:
    """Everything medical necessity says about one order (nothing is stored)."""
    assessed: list[Assessed] = []
    problems: list[Problem] = []
    for d in diagnoses:
        one, problem = _assess(d, payer_name, data, payer)
        assessed.append(one)
        if problem:
            problems.append(problem)
    rules = data.for_payer(payer)
    if not diagnoses and rules and rules.complete:
        lists = "; ".join(data.lists[k].name for k in rules.lists)
        problems.append(Problem("dx-missing", "warning",
                                f"no diagnosis code: {payer_name} covers immune globulin only "
                                f"for the diagnoses of the {lists}; give the ICD-10-CM code",
                                "; ".join(data.lists[k].source for k in rules.lists)))
    indication = next((i for d in diagnoses if (i := data.indication_for(d.code))), None)
    if indication is None and preset:
        indication = data.indication_of_preset(preset)
    if indication is not None:
        problem = _dose_problem(indication, course_mg, weight_kg, route)
        if problem:
            problems.append(problem)
    required = bool(rules and rules.prior_auth)
    reference = prior_auth.strip() if prior_auth and prior_auth.strip() else None
    if required and reference is None:
        problems.append(Problem("prior-auth-missing", "warning",
                                f"{payer_name} requires prior authorization: type the "
                                "authorization number", rules.source if rules else ""))
    return Outcome(tuple(assessed), tuple(problems), indication, reference, required)


def read_reference(typed: str | None, field: str) -> str | None:
    """A prior-authorization number: letters, digits and hyphens, at most 30."""
    if typed is None or not typed.strip():
        return None
    value = typed.strip()
    if not _REFERENCE.match(value):
        raise InputError(field, "accepts letters, digits and hyphens, at most 30 characters, "
                         "e.g. PA-2026-0042")
    return value
