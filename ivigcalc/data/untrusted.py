"""The one boundary for untrusted text: size limits first, then strict reading.

Why one place: every typed value, CSV cell, catalog field and setting passes here before any
parser, pint or tomllib sees it, so the same rules hold everywhere. Text is refused when it
is too long, holds control characters or non-ASCII digits, and a number when it has more
digits than any real one. Refusals are one line and name the field. Files themselves are
read (and written) at the file boundary, files.py.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

from ivigcalc.errors import CONTROL, InputError, printable

MAX_FIELD_CHARS = 200  # a typed quantity, key, date or billed line
MAX_CELL_CHARS = 10_000  # one CSV cell (a lines cell with many lines included)
MAX_DIGITS = 12  # digits in one typed number: more is a slip, and big ints are slow
# A site catalog: its own rows take a few kB; its CMS history and MUE tables the rest.
# Measured (import-cms and import-mue): nine quarters 2024-Q1..2026-Q1 take 239 kB, with the
# three MUE tables of each (the 17 immune globulin codes) 337 kB; 1 MiB holds that with
# room for the quarters a site adds for about four more years, and no more.
MAX_CATALOG_BYTES = 1 << 20
MAX_CSV_BYTES = 64 << 20  # ~300,000 claim rows
MAX_CSV_ROWS = 500_000
SHOWN_CHARS = 60  # how much of a refused value a message echoes
FIRST_DATE = dt.date(2000, 1, 1)  # dates of service (the window's date boxes share them)
LAST_DATE = dt.date(2099, 12, 31)  # a course's first day
LAST_COURSE_DATE = dt.date(2100, 12, 31)  # its later days: room for a year-long course

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A plain decimal numeral: no exponent, no inf or nan, at most 15 digits each side.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,15}(?:\.[0-9]{0,15})?|\.[0-9]{1,15})")
_DIGIT_RUN = re.compile(r"[0-9]+")


def shown(value: str) -> str:
    """A value as a message quotes it: one line, at most SHOWN_CHARS characters."""
    return printable(value, SHOWN_CHARS)


def clean(value: str, field: str, *, max_chars: int = MAX_FIELD_CHARS,
          line_breaks: bool = False) -> str:
    """`value` unchanged when it is short enough and has no control characters.

    `line_breaks` lets LF, CR and CRLF through for cells that hold several lines (Alt+Enter
    in a spreadsheet); tabs and other controls are refused even there.
    """
    if len(value) > max_chars:
        raise InputError(field, f"{len(value)} characters is too long; accepts at most "
                         f"{max_chars}")
    found = CONTROL.search(value.replace("\r", "").replace("\n", "") if line_breaks
                           else value)
    if found:
        raise InputError(field, f"'{shown(value)}' holds a control character "
                         f"({printable(found.group())}); type plain text")
    if not value.isascii():
        digit = next((c for c in value if c.isdigit() and not c.isascii()), None)
        if digit is not None:
            raise InputError(field, f"'{shown(value)}' has the digit '{digit}'; type the "
                             "digits 0-9")
    return value


def check_digits(number: str, field: str, text: str) -> None:
    """Refuse a number with more than MAX_DIGITS digits (a slip, and slow as an int)."""
    if sum(len(run) for run in _DIGIT_RUN.findall(number)) > MAX_DIGITS:
        raise InputError(field, f"'{shown(text)}' has more than {MAX_DIGITS} digits; "
                         "check the number typed")


def decimal(text: str) -> Fraction | None:
    """A plain decimal numeral read from a file ('48.964', '-3', '.5') as an exact
    Fraction, or None for anything else: checked by length and shape before it is
    parsed, since Fraction(Decimal('1e999999999')) would run for minutes."""
    return Fraction(text) if plain_decimal(text) else None


def plain_decimal(text: str) -> bool:
    """True for a decimal numeral without exponent, inf or nan, at most 15 digits a side
    (what `decimal` reads; an X12 amount is held to it before Decimal() sees it)."""
    return _DECIMAL.fullmatch(text) is not None


def parse_date(value: str, field: str = "date") -> dt.date:
    """A calendar date written YYYY-MM-DD, nothing else (no week dates, no 20250101), from
    FIRST_DATE to LAST_DATE: a course of up to 31 days from the last one still ends long
    before 9999-12-31, where Python's dates end."""
    text = clean(value, field).strip()
    if not _ISO_DATE.fullmatch(text):
        raise InputError(field, f"'{shown(text)}' is not a date; accepts YYYY-MM-DD, e.g. "
                         "2026-11-28")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(field, f"'{text}' is not a day of the calendar; accepts YYYY-MM-DD, "
                         "e.g. 2026-11-28") from None
    return in_range(day, field)


def in_range(day: dt.date, field: str = "date", last: dt.date = LAST_DATE) -> dt.date:
    """`day` if it is from FIRST_DATE to `last`, else InputError naming the field."""
    if not FIRST_DATE <= day <= last:
        raise InputError(field, f"{day.isoformat()} is out of range; accepts a date from "
                         f"{FIRST_DATE.isoformat()} to {last.isoformat()}")
    return day


def whole_number(value: str, field: str, low: int, high: int) -> int:
    """A whole number from `low` to `high`, written in ASCII digits only."""
    text = clean(value, field).strip()
    if not text.isdigit() or len(text) > MAX_DIGITS or not low <= int(text) <= high:
        raise InputError(field, f"'{shown(text)}' is not accepted; accepts a whole number "
                         f"from {low} to {high}")
    return int(text)
