"""Administration lines: the infusion itself billed by time, beside the drug.

The rule (AMA CPT time rule for the hydration, therapeutic and injection codes; CMS 2006
OPPS final rule on C8950/C8951, "more than 30 minutes must have passed"):
- 15 minutes or less is a push, not an infusion: 96374 (IV push), 96372 (SC injection);
- otherwise one initial service per encounter, 96365 (IV) or 96369 (SC), up to one hour;
- each added hour, 96366 (IV) or 96370 (SC), only when more than 30 minutes pass beyond the
  last full hour: 16–90 minutes is the initial alone, 91–150 one added hour, 151–210 two;
- the initial is dated on the day the infusion began; each added hour on the day that
  hour began, so an infusion past midnight bills its later hours on the next date.
What varies by payer is data in its profile (payers.toml): the push threshold, whether it
takes 96371 (an added pump set-up with new SC sites, billed only when recorded) and whether
it bills administration at all (the Medicare home IVIG benefit does not).
Pure and exact: whole minutes (int) only; a plan's Fraction minutes are rounded up first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

from ivigcalc import text
from ivigcalc.billing.admin_times import DAY_MINUTES, Span
from ivigcalc.data.catalog import Payer
from ivigcalc.result import AdminLine, Trail

SOURCE = ("AMA CPT time rule for infusion codes 96365–96371 (an added hour needs more than "
          "30 minutes beyond the last full hour; 15 minutes or less is a push); CMS OPPS "
          "final rule 2006 (C8950/C8951); CMS transmittal R1702CP (one initial service per "
          "encounter)")
TOPIC = "Administration"  # the working's topic (the worksheet shows these lines on their own)
ROUTE_WORDS = {"iv": "IV infusion", "sc": "SC infusion"}
ESTIMATED = "estimated from the rate plan: bill from the documented times"


class Codes(NamedTuple):
    """A route's administration codes."""

    initial: str
    added_hour: str
    push: str
    pump_setup: str | None = None


CODES = {"iv": Codes("96365", "96366", "96374"),
         "sc": Codes("96369", "96370", "96372", "96371")}
ADMIN_CODES = frozenset(c for codes in CODES.values() for c in codes if c is not None)
ROUTE_OF = {code: route for route, codes in CODES.items() for code in codes if code}


def added_hours(minutes: int) -> int:
    """Added hours after the first: one for each hour begun with more than 30 minutes past
    the last full hour (90 → 0, 91 → 1, 150 → 1, 151 → 2)."""
    return max(0, -(-(minutes - 90) // 60))


def hour_starts(spans: Sequence[Span], hours: int) -> list[int]:
    """The minute (after midnight of the first day) at which each added hour began: the
    60k-th infused minute, pauses skipped."""
    starts: list[int] = []
    done = 0
    for span in spans:
        while len(starts) < hours and done + span.minutes > 60 * (len(starts) + 1):
            starts.append(span.start + 60 * (len(starts) + 1) - done)
        done += span.minutes
    return starts


def lines(route: str, minutes: int, day: dt.date, payer: Payer, *,
          spans: Sequence[Span] | None = None, pump_setup: bool = False,
          trail: Trail | None = None) -> tuple[AdminLine, ...]:
    """One encounter's administration lines. spans None: the minutes are the rate plan's
    estimate, all dated `day`; else the documented ranges date each added hour."""
    codes = CODES[route]
    estimated = spans is None
    if not payer.administration:
        if trail is not None:
            trail.note(f"{payer.name} bills no administration lines "
                       f"({payer.administration_note or 'the profile says so'}).",
                       payer.administration_source or payer.source)
        return ()
    if minutes <= payer.push_max_minutes:
        out = [AdminLine(codes.push, 1, day, minutes, estimated)]
        added = 0
    else:
        added = added_hours(minutes)
        dates = [day] * added if spans is None else \
            [day + dt.timedelta(days=start // DAY_MINUTES) for start in hour_starts(spans, added)]
        out = [AdminLine(codes.initial, 1, day, minutes, estimated)]
        out += [AdminLine(codes.added_hour, n, on, minutes, estimated)
                for on, n in sorted(Counter(dates).items())]
    if pump_setup:
        out += _pump_setup(codes, route, day, minutes, payer, trail)
    if trail is not None:
        _explain(trail, route, minutes, added, tuple(out), payer, spans)
    return tuple(out)


def _pump_setup(codes: Codes, route: str, day: dt.date, minutes: int, payer: Payer,
                trail: Trail | None) -> list[AdminLine]:
    if codes.pump_setup is None:
        raise ValueError(f"no pump set-up code for route {route}")  # refused upstream
    if not payer.pump_setup:
        if trail is not None:
            trail.note(f"{payer.name} takes no {codes.pump_setup} line: the added pump set-up "
                       "recorded is not billed.", payer.administration_source or payer.source)
        return []
    return [AdminLine(codes.pump_setup, 1, day, minutes, False)]


def _explain(trail: Trail, route: str, minutes: int, added: int,
             out: tuple[AdminLine, ...], payer: Payer, spans: Sequence[Span] | None) -> None:
    if spans is None:
        how = f"{minutes} min, {ESTIMATED}"
    else:
        ranges = " + ".join(f"{_clock(s.start)}–{_clock(s.stop)}" for s in spans)
        how = f"{ranges} = {minutes} min documented"
    if minutes <= payer.push_max_minutes:
        why = f"{payer.push_max_minutes} min or less is a push, not an infusion"
    else:
        full, rest = divmod(minutes - 60, 60)
        parts = [text.count(full, "full hour")] if full > 0 else []
        if rest and full >= 0:
            parts.append(f"{rest} min (more than 30: an added hour)" if rest > 30
                         else f"{rest} min (not more than 30: not billed)")
        why = (f"the first hour, then {' + '.join(parts)}: "
               f"{text.count(added, 'added hour')}" if parts else "up to one hour")
    first = out[0].date_of_service
    billed = ", ".join(f"{line.code} × {line.units}"
                       + (f" on {line.date_of_service.isoformat()}"
                          if line.date_of_service != first else "") for line in out)
    trail.step(TOPIC, f"{ROUTE_WORDS[route]} {how}; {why}: {billed}", SOURCE)
    if any(line.date_of_service != first for line in out):
        trail.note("The infusion ran past midnight: each added hour is billed on the date it "
                   "began (an add-on after its initial, not one without it).", SOURCE)


def _clock(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def estimate_minutes(total: Fraction) -> int:
    """A rate plan's total time rounded up to the whole minute (never billed shorter)."""
    return math.ceil(total)
