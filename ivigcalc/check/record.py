"""The claim record: one day of service, typed, as every reader hands it to the check.

Why one record: a claim reaches the check from a CSV row, the command line's flags or the
window's form (and an X12 file). Each reader turns its text into this record once, at its
boundary (untrusted.py's limits, then the strict readers here); the check and its rules
then work on exact values only and never read text again. The readers of each field are
cached by the text they read: a batch repeats the same amounts, vials and lines.

Here: ClaimRecord, the Opened vials, `read` (a claim as typed: one InputError naming the
first unreadable field) and `read_form` (the window: every field's problem at once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple, TypeVar

from ivigcalc.billing import admin_times
from ivigcalc.billing.admin_times import Span
from ivigcalc.billing.necessity import read_reference
from ivigcalc.check.reading import BilledLine, parse_mass, parse_vials_opened, read_lines
from ivigcalc.data import untrusted
from ivigcalc.data.icd10 import Diagnosis, parse_list
from ivigcalc.dose.units import parse_vial_sizes, parse_weight
from ivigcalc.errors import InputError, IvigcalcError
from ivigcalc.result import contents_mg

T = TypeVar("T")


class CheckRequest(NamedTuple):
    """One day of service as a person types it (the form, the flags): text, read by `read`.

    Defaults follow the CLI contract. `stocked` may be typed ("10 g, 5 g") or already exact
    (the window's shelf, in mg); None means every size of the product is stocked.
    """

    administered: str
    vials: str
    lines: Sequence[str]
    date_of_service: dt.date
    product: str | None = None
    code: str | None = None
    route: str | None = None
    payer: str = "medicare"
    kx: bool = False  # the coder attests the medical policy's documentation is complete
    stocked: str | Sequence[Fraction] | None = None
    dx: str | None = None  # ICD-10-CM codes on the claim
    weight: str | None = None  # the patient's weight (the dose against the indication)
    prior_auth: str | None = None
    times: str | None = None  # the infusion's documented start and stop, 'HH:MM-HH:MM[+...]'
    site_340b: str | None = None  # JG or TB: the site is a 340B covered entity (a setting)


class Opened(NamedTuple):
    """The vials opened: ((size_mg, count), ...) largest first, and their labeled contents.

    `key` is the same vials as integers: the check's memo keys hash it in C (a Fraction's
    hash runs Python code on every row of a batch).
    """

    vials: tuple[tuple[Fraction, int], ...]
    contents_mg: Fraction
    key: tuple[int, ...]


class ClaimRecord(NamedTuple):
    """One day of service as the check reads it: every value exact, every line parsed.

    `payer`, `product`, `code` and `route` are catalog keys (resolved against the catalog
    by check/facts.py, which says when one is unknown); `lines` are numbered as billed.
    """

    date_of_service: dt.date
    administered_mg: Fraction
    opened: Opened
    lines: tuple[BilledLine, ...]
    payer: str = "medicare"
    product: str | None = None
    code: str | None = None
    route: str | None = None
    kx: bool = False
    stocked: tuple[Fraction, ...] | None = None  # the shelf; None: every size assumed
    dx: tuple[Diagnosis, ...] = ()
    weight_kg: Fraction | None = None
    prior_auth: str | None = None
    claim_id: str = ""  # the reader's reference (a CSV id, an 837's CLM01), never a name
    # The documented infusion ranges (billing/admin_times.py); None: not given (an 837).
    times: tuple[Span, ...] | None = None
    site_340b: str | None = None  # JG or TB (a 340B covered entity); None: not 340B


@lru_cache(maxsize=4096)
def read_opened(typed: str) -> Opened:
    """The vials opened, as typed ('3 x 10 g + 1 x 5 g'), read once per distinct text."""
    return opened_from(parse_vials_opened(typed, "vials"))


def opened_from(vials: tuple[tuple[Fraction, int], ...]) -> Opened:
    """Vials already exact (a reader that counts them itself, e.g. from NDC quantities)."""
    key: list[int] = []
    for size, count in vials:
        key += (*size.as_integer_ratio(), count)
    return Opened(vials, contents_mg(vials), tuple(key))


def _stocked(given: str | Sequence[Fraction] | None) -> tuple[Fraction, ...] | None:
    if given is None or (isinstance(given, str) and not given.strip()):
        return None
    if isinstance(given, str):
        return parse_vial_sizes(given, "stocked")
    return tuple(sorted({Fraction(s) for s in given}, reverse=True))


def _key(typed: str | None) -> str | None:
    """A catalog key or code as typed, stripped; None when empty."""
    return typed.strip() or None if typed else None


def _weight(typed: str | None) -> Fraction | None:
    return parse_weight(typed, "weight") if typed and typed.strip() else None


def read_340b(typed: str | None) -> str | None:
    """JG or TB (any case), None when empty: whether the site is a 340B covered entity."""
    if not typed or not typed.strip():
        return None
    value = typed.strip().upper()
    if value not in ("JG", "TB"):
        raise InputError("340b", f"'{untrusted.shown(typed.strip())}' is not accepted; "
                         "accepts JG or TB (empty: not a 340B site)")
    return value


def read(request: CheckRequest, claim_id: str = "") -> ClaimRecord:
    """The record, or InputError naming the first field that cannot be read."""
    return read_fields(
        request.date_of_service, request.administered, request.vials, tuple(request.lines),
        _key(request.payer) or "", _key(request.product), _key(request.code),
        _key(request.route), request.kx, request.stocked, request.dx, request.weight,
        request.prior_auth, claim_id, request.times, request.site_340b)


def read_times(typed: str | None) -> tuple[Span, ...] | None:
    """One day's documented ranges, or None when not given (the minutes are then unknown)."""
    if not typed or not typed.strip():
        return None
    (spans,) = admin_times.parse(typed, 1)
    assert spans is not None  # parse gives None only for a day left empty in a sequence
    return spans


def read_fields(day: dt.date, administered: str, vials: str, lines: tuple[str, ...],
                payer: str, product: str | None, code: str | None, route: str | None,
                kx: bool, stocked: str | Sequence[Fraction] | None, dx: str | None,
                weight: str | None, prior_auth: str | None, claim_id: str,
                times: str | None = None, site_340b: str | None = None) -> ClaimRecord:
    """`read` for a reader whose keys are already stripped (a CSV row's cells): the same
    field readers, called once per row without a CheckRequest in between."""
    return ClaimRecord(
        day, parse_mass(administered, "administered"), read_opened(vials), read_lines(lines),
        payer, product, code, route, kx, _stocked(stocked) if stocked else None,
        parse_list(dx, "dx") if dx else (), _weight(weight) if weight else None,
        read_reference(prior_auth, "prior-auth") if prior_auth else None, claim_id,
        read_times(times), read_340b(site_340b))


class FormReading(NamedTuple):
    """Every field of a form read once: the record when all are readable, else None, and
    each field's problem; the amounts that did read, for the catalog's own checks."""

    record: ClaimRecord | None
    problems: dict[str, str]
    administered_mg: Fraction | None
    opened: Opened | None
    stocked: tuple[Fraction, ...] | None


def read_form(request: CheckRequest) -> FormReading:
    """`read`, field by field, keeping every problem (the window shows each by its field)."""
    problems: dict[str, str] = {}

    def attempt(field: str, step: Callable[[], T]) -> T | None:
        try:
            return step()
        except IvigcalcError as error:
            problems.setdefault(getattr(error, "field", None) or field, detail(error))
            return None

    administered = attempt("administered",
                           lambda: parse_mass(request.administered, "administered"))
    opened = attempt("vials", lambda: read_opened(request.vials))
    stocked = attempt("stocked", lambda: _stocked(request.stocked))
    dx = attempt("dx", lambda: parse_list(request.dx, "dx"))
    weight = attempt("weight", lambda: _weight(request.weight))
    reference = attempt("prior-auth", lambda: read_reference(request.prior_auth, "prior-auth"))
    times = attempt("times", lambda: read_times(request.times))
    site_340b = attempt("340b", lambda: read_340b(request.site_340b))
    record = None
    if not problems and administered is not None and opened is not None and dx is not None:
        record = ClaimRecord(
            request.date_of_service, administered, opened, read_lines(request.lines),
            _key(request.payer) or "", _key(request.product), _key(request.code),
            _key(request.route), request.kx, stocked, dx, weight, reference, times=times,
            site_340b=site_340b)
    return FormReading(record, problems, administered, opened, stocked)


def detail(error: IvigcalcError) -> str:
    """The message without its 'field: ' prefix (the window shows it beside the field)."""
    message = str(error)
    field = getattr(error, "field", None)
    if field and message.startswith(f"{field}: "):
        return message[len(field) + 2:]
    return message


def require_lines(record: ClaimRecord) -> None:
    """InputError when the record has no billed line (a check needs at least one)."""
    if not record.lines:
        raise InputError("lines", "nothing entered; give the billed lines, e.g. 'J1561 JA 55' "
                         "(in a CSV cell, separated by ';' or '|')")
