"""Documented infusion times as typed: 'HH:MM-HH:MM[+HH:MM-HH:MM][,...]', one group per day.

Why its own reader: the administration codes are billed from these minutes, so a slip here
(a stop before the start read as a negative time, two ranges that overlap counted twice) is
a wrong claim. The text is bounded before it is read; every refusal names `times` and what
is accepted. Pure: no clock, no dates (the caller places each day on its date of service).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ivigcalc import text
from ivigcalc.data import untrusted
from ivigcalc.errors import InputError

FIELD = "times"
MAX_CHARS = 2000  # 31 days of several ranges each
DAY_MINUTES = 24 * 60
# A later range that would start more than 12 hours after the previous stop is read as
# going back over it (09:00-10:00+08:00-08:30), never as a next-day restart.
MAX_PAUSE = 12 * 60
ACCEPTS = ("accepts HH:MM-HH:MM per infusion day, separated by commas, '+' joining the "
           "ranges of one day (a pause), e.g. 09:00-10:31 or 09:00-10:00+10:20-11:05")
_RANGE = re.compile(r"([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})")


@dataclass(frozen=True)
class Span:
    """One documented range in minutes after midnight of the day the infusion began.

    A range that crosses midnight stops past 1440; a later range of the same day that
    begins after midnight starts past 1440 too."""

    start: int
    stop: int

    @property
    def minutes(self) -> int:
        return self.stop - self.start


def _clock(hours: str, minutes: str, typed: str) -> int:
    h, m = int(hours), int(minutes)
    if h > 23 or m > 59:
        raise InputError(FIELD, f"'{untrusted.shown(typed)}' has {hours}:{minutes}, which is "
                         "not a time of day (hours 00-23, minutes 00-59); " + ACCEPTS)
    return h * 60 + m


def _at_or_after(clock: int, floor: int) -> int:
    """The first minute at or after `floor` that reads `clock` on a 24-hour clock."""
    return floor + (clock - floor) % DAY_MINUTES


def _day(group: str) -> tuple[Span, ...]:
    """One day's ranges, placed in order: each range begins at the first moment at or after
    the previous one's stop with its clock time (a stop earlier than its start crossed
    midnight); the day's ranges must fit in 24 hours, so a range that goes back over an
    earlier one is refused as an overlap, never read as the next day."""
    spans: list[Span] = []
    for typed in group.split("+"):
        typed = typed.strip()
        found = _RANGE.fullmatch(typed)
        if found is None:
            raise InputError(FIELD, f"'{untrusted.shown(typed)}' is not a range; " + ACCEPTS)
        start = _clock(found[1], found[2], typed)
        stop = _clock(found[3], found[4], typed)
        if start == stop:
            raise InputError(FIELD, f"'{typed}' is a range of zero minutes; a range stops "
                             "after it starts (a stop earlier than the start means the "
                             "infusion crossed midnight)")
        if spans:
            start = _at_or_after(start, spans[-1].stop)
        stop = _at_or_after(stop, start + 1)
        first = spans[0].start if spans else start
        if (spans and start - spans[-1].stop > MAX_PAUSE) or stop - first > DAY_MINUTES:
            raise InputError(FIELD, f"'{untrusted.shown(group)}': the ranges of one day "
                             "overlap or are out of order; give each day's ranges in order, "
                             "each starting at or after the previous stop, within 24 hours "
                             "and pauses of at most 12 hours")
        spans.append(Span(start, stop))
    return tuple(spans)


Days = tuple[tuple[Span, ...] | None, ...]


def parse(value: str | Sequence[str | None], days: int) -> Days:
    """Each infusion day's documented ranges, None for a day left empty (the window's
    fields; the CLI's text has every day). InputError naming `times` when wrong."""
    if isinstance(value, str):
        typed = untrusted.clean(value, FIELD, max_chars=MAX_CHARS).strip()
        if not typed:
            raise InputError(FIELD, "is empty; " + ACCEPTS)
        groups: list[str | None] = [group.strip() for group in typed.split(",")]
        if not all(groups):
            raise InputError(FIELD, f"'{untrusted.shown(typed)}' has an empty entry; "
                             + ACCEPTS)
    else:
        groups = [untrusted.clean(g, FIELD).strip() or None if g else None for g in value]
    if len(groups) != days:
        raise InputError(FIELD, f"ranges for {text.count(len(groups), 'day')} given for "
                         f"{text.count(days, 'infusion day')}; {ACCEPTS}")
    return tuple(_day(group) if group else None for group in groups)
