"""The administration lines on a billed claim (9636x, 96372, 96374): route, add-on, units.

Why here, apart from the drug's rules: these lines are billed by time, not by amount. The
route and add-on rules need only the lines, so they run on every claim (an 837 carries no
times); the units are checked against the documented minutes when the record has them,
with the same rule `calc` bills by (billing/admin.py), and a note says when it has none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ivigcalc import text
from ivigcalc.billing import admin
from ivigcalc.check.facts import Claim
from ivigcalc.check.findings import Finding, find
from ivigcalc.check.reading import BilledLine
from ivigcalc.check.record import ClaimRecord
from ivigcalc.data.catalog import ROUTE_NAMES
from ivigcalc.result import AdminLine, ClaimLine

# Each add-on and the initial service it follows (CPT: "list separately in addition to").
INITIAL_OF = {"96366": "96365", "96370": "96369", "96371": "96369"}
INITIALS = frozenset(INITIAL_OF.values())
ROLE_OF = {code: role for codes in admin.CODES.values()
           for role, code in codes._asdict().items() if code}


def admin_lines(billed: Sequence[BilledLine]) -> list[BilledLine]:
    """The readable billed lines whose code is an administration code."""
    return [b for b in billed if b.parsed is not None and b.parsed.code in admin.ADMIN_CODES]


def _same_role(code: str, route: str) -> str | None:
    """The route's code for what `code` bills (96365 on SC is 96369), if it has one."""
    return getattr(admin.CODES[route], ROLE_OF[code])  # type: ignore[no-any-return]


def findings(record: ClaimRecord, claim: Claim,
             billed: Sequence[BilledLine]) -> tuple[list[Finding], tuple[ClaimLine, ...]]:
    """The administration findings and the administration lines the claim should carry."""
    lines = admin_lines(billed)
    if not lines and record.times is None:  # most claims: nothing to check, nothing expected
        return [], ()
    out = _route(claim, lines) + _add_ons(claim, lines)
    if record.times is None:
        if lines:
            out.append(find("admin-minutes-not-given", "The infusion's start and stop were "
                            "not given (an 837 carries none): the administration units were "
                            "not checked against the minutes, only their route and order; "
                            "give the documented times (--times, the times column) to check "
                            "them"))
        return out, _carried(claim, lines)
    expected = _expected(record, claim)
    out += _units(record, claim, lines, expected)
    return out, tuple(ClaimLine(line.code, (), line.units) for line in expected
                      if line.date_of_service == claim.date_of_service)


def _route(claim: Claim, lines: list[BilledLine]) -> list[Finding]:
    out = []
    for b in lines:
        assert b.parsed is not None
        code = b.parsed.code
        belongs = admin.ROUTE_OF[code]
        if belongs == claim.route:
            continue
        fits = _same_role(code, claim.route)
        out.append(find("admin-route-mismatch", f"{code} is billed for an "
                        f"{admin.ROUTE_WORDS[belongs].split()[0]} administration, and the "
                        f"claim's route is {ROUTE_NAMES[claim.route]}"
                        + (f": bill {fits}" if fits else
                           f": {ROUTE_NAMES[claim.route]} infusions have no such code")
                        + (f" ({claim.product.name})" if claim.product else ""), b.number))
    return out


def _add_ons(claim: Claim, lines: list[BilledLine]) -> list[Finding]:
    billed = {b.parsed.code for b in lines if b.parsed is not None}
    out = []
    for b in lines:
        assert b.parsed is not None
        initial = INITIAL_OF.get(b.parsed.code)
        if initial is None or initial in billed:
            continue
        out.append(find("admin-add-on-without-initial", f"{b.parsed.code} is an add-on to "
                        f"{initial}, and no {initial} is billed on "
                        f"{claim.date_of_service.isoformat()}; bill the initial service, or, "
                        "for the hour after midnight of an infusion begun the day before, "
                        "check that day's claim has it", b.number))
    return out


def _expected(record: ClaimRecord, claim: Claim) -> tuple[AdminLine, ...]:
    spans = record.times or ()
    minutes = sum(span.minutes for span in spans)
    return admin.lines(claim.route, minutes, claim.date_of_service, claim.payer, spans=spans)


def _units(record: ClaimRecord, claim: Claim, lines: list[BilledLine],
           expected: tuple[AdminLine, ...]) -> list[Finding]:
    """Each administration code's units against the documented minutes (96371, an added
    pump set-up, is not a matter of minutes: left as billed)."""
    day = claim.date_of_service
    want: Counter[str] = Counter()
    later = []
    for line in expected:
        if line.date_of_service == day:
            want[line.code] += line.units
        else:
            later.append(line)
    have: Counter[str] = Counter()
    first: dict[str, BilledLine] = {}
    for b in lines:
        assert b.parsed is not None
        if b.parsed.code == "96371":
            continue
        have[b.parsed.code] += b.parsed.units
        first.setdefault(b.parsed.code, b)
    spans = record.times or ()
    minutes = sum(span.minutes for span in spans)
    why = (f"{text.count(minutes, 'minute')} documented"
           + (f"; {claim.payer.name} bills no administration lines" if not
              claim.payer.administration else ""))
    should = ", ".join(f"{code} × {n}" for code, n in want.items()) or "no administration line"
    wrong = [code for code in sorted(set(want) | set(have)) if want[code] != have[code]]
    out = []
    if wrong:
        billed = ", ".join(f"{code} × {n}" for code, n in have.items()) or \
            "no administration line"
        at = next((first[code] for code in wrong if code in first), None)
        out.append(find("admin-units-mismatch", f"{billed} billed; {why}: bill {should} on "
                        f"{day.isoformat()}", at.number if at else None))
    for line in later:
        out.append(find("admin-units-mismatch", f"{line.code} × {line.units} began after "
                        f"midnight: bill it on {line.date_of_service.isoformat()}, the date "
                        "that hour began", severity="note"))
    return out


def _carried(claim: Claim, lines: list[BilledLine]) -> tuple[ClaimLine, ...]:
    """Without minutes, the billed administration lines, each on the claim's route."""
    out = []
    for b in lines:
        assert b.parsed is not None
        code = b.parsed.code
        fits = code if admin.ROUTE_OF[code] == claim.route else _same_role(code, claim.route)
        if fits is not None:
            out.append(ClaimLine(fits, (), b.parsed.units))
    return tuple(out)
