"""837P and 837I claims in: each claim's immune globulin lines read into claim records.

Why here, once: the check works on ClaimRecords (check/record.py); an 837 carries what a
coder would otherwise type (X12 5010 837P loop 2400 SV1, 837I SV2; loop 2410 LIN/CTP; 2300
CLM, HI, REF*G1; 2000B SBR, 2010BB NM1*PR). An 837 gives units, not milligrams, so the
amount administered is the top of the interval the units allow (units × the billing unit,
never above what the vials held): every rule that compares units with units (JW, JZ, the
labeled contents, the NDC) then works exactly, and the units rounding is taken as billed.
The vials opened come from the NDC quantities and CMS's crosswalk for the quarter (the
NDC's BILLUNITS × the code's unit is one vial); a JW line's NDC quantity may repeat the
administered line's or carry the rest: both are read. A line note (2400 NTE*ADD or DCP) that
names N4 segments holds the other NDCs of a day that opened two sizes, for a payer that takes
them there (billing/multiple_ndc.py): their vials count with loop 2410's.

One record per claim and date of service: the IG lines of that date and its administration
lines (9636x, 96372, 96374: rules that need no times); every other line is listed as not
checked. A claim that cannot be read (a bad date, diagnosis or unit count) is marked
unreadable with the segment and the problem, and the rest of the file is still checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from typing import cast

from ivigcalc.billing import multiple_ndc
from ivigcalc.billing import ndc as ndc_module
from ivigcalc.billing.necessity import read_reference
from ivigcalc.check.facts import memo_for
from ivigcalc.check.reading import BilledLine, LineError, ParsedLine, line_of
from ivigcalc.check.record import ClaimRecord, Opened, opened_from
from ivigcalc.check.x12_file import Transaction
from ivigcalc.check.x12_file import element as _get
from ivigcalc.data import icd10, untrusted
from ivigcalc.data.catalog import Catalog, Code
from ivigcalc.data.cms.model import CmsData
from ivigcalc.errors import InputError, IvigcalcError, printable

ADMINISTRATION = frozenset({"96365", "96366", "96367", "96368", "96369", "96370", "96371",
                            "96372", "96374", "96375"})  # CPT: infusion, injection, push
MAX_NUMBER_CHARS = 18  # X12 R and N0 elements: at most 18 characters (5010 standard)
_DATE = re.compile(r"[0-9]{8}")
# The claim filing indicator (SBR09) and the claim type, when no payer id is mapped.
FALLBACK_PAYER = {("837P", "MB"): "medicare", ("837I", "MA"): "medicare-opps",
                  ("837I", "MB"): "medicare-opps"}
PAYER_SOURCE = ("837 2010BB NM1*PR payer id (the site catalog's x12_payer_ids), else "
                "2000B SBR09 claim filing indicator")


class ClaimProblem(Exception):
    """A claim that cannot be read: the segment (number in the file) and the problem."""

    def __init__(self, segment: int, message: str) -> None:
        self.segment = segment
        super().__init__(message)


@dataclass(slots=True)
class ServiceLine:
    """One LX loop: the service and, for drugs, its NDC (loop 2410)."""

    number: int  # LX01
    segment: int  # the SV1/SV2's number in the file
    code: str = ""
    modifiers: tuple[str, ...] = ()
    units: int = 0
    charge: str = "0"  # SV102/SV203 as written, bounded (the check reads no charge)
    revenue: str | None = None  # 837I SV201
    day: dt.date | None = None
    pointers: tuple[int, ...] = ()
    ndc: ndc_module.NdcSegment | None = None
    problem: LineError | None = None
    noted: tuple[ndc_module.NdcSegment, ...] = ()  # the line note's NDCs (NTE*ADD)

    @property
    def text(self) -> str:
        """The line as the check's reports show it: 'J1561 JA 55  N413533080071 UN3'."""
        parts = " ".join((self.code, *self.modifiers, str(self.units)))
        return parts + "".join(f"  {segment.text}" for segment in self.segments)

    @property
    def segments(self) -> tuple[ndc_module.NdcSegment, ...]:
        """Loop 2410's NDC, then the note's."""
        return (self.ndc, *self.noted) if self.ndc else self.noted


@dataclass
class X12Claim:
    """One CLM loop with the subscriber's payer; `records` is what the check runs on."""

    claim_id: str
    kind: str  # 837P or 837I
    segment: int  # the CLM's number in the file
    frequency: str = "1"  # CLM05-3: 7 replacement, 8 void
    payer_id: str = ""
    payer_name: str = ""
    filing: str = ""  # SBR09
    member: str = ""  # the subscriber's (or patient's) id: duplicates are per person; never shown
    prior_auth: str | None = None
    dx: list[str] = field(default_factory=list)
    statement: dt.date | None = None  # 837I DTP*434: the fallback date of service
    lines: list[ServiceLine] = field(default_factory=list)
    problem: ClaimProblem | None = None

    @property
    def replaces(self) -> bool:
        """A replacement or void (CLM05-3 = 7 or 8): never a duplicate of the original."""
        return self.frequency in ("7", "8")


def claims(transactions: Iterable[Transaction]) -> list[X12Claim]:
    """Every claim of every 837 transaction set, in file order (835s are not claims)."""
    out: list[X12Claim] = []
    for transaction in transactions:
        if transaction.kind in ("837P", "837I"):
            out += _claims_of(transaction)
    return out


# Segments the check reads (everything else in a claim is passed over unsplit).
_READ = frozenset({"HL", "SBR", "NM1", "CLM", "LX", "SV1", "SV2", "DTP", "REF", "HI", "LIN",
                   "CTP", "NTE"})
_LINE_SEGMENTS = frozenset({"SV1", "SV2", "DTP", "LIN", "CTP", "NTE"})


def _claims_of(transaction: Transaction) -> list[X12Claim]:
    """One pass over the set's segments, splitting only those it reads."""
    out: list[X12Claim] = []
    kind, ele = transaction.kind, transaction.element
    filing = payer_id = payer_name = member = ""
    claim: X12Claim | None = None
    line: ServiceLine | None = None
    read = _READ
    for number, seg_id, segment in transaction.segments:
        if seg_id not in read:
            continue
        try:
            if line is not None and seg_id in _LINE_SEGMENTS:
                if claim is None or claim.problem is not None:
                    continue
                if seg_id == "DTP":
                    qualifier, day = _dtp(segment, ele)
                    if qualifier == "472":
                        line.day = _day(day, number)
                elif seg_id == "LIN":
                    line.ndc, problem = _lin(segment, ele)
                    line.problem = problem or line.problem
                elif seg_id == "CTP":
                    if line.ndc is not None:
                        _ctp(line, segment, number, transaction)
                elif seg_id == "NTE":
                    line.noted, problem = _nte(segment, ele)
                    line.problem = line.problem or problem
                else:
                    _service(line, segment, number, transaction)
                continue
            elements = segment.split(ele)
            if seg_id == "DTP":  # a claim's date (837I statement period)
                if claim is not None and line is None and claim.problem is None and \
                        _get(elements, 1) == "434":
                    claim.statement = _day(_dtp(segment, ele)[1], number)
            elif seg_id == "LX":
                if claim is not None and claim.problem is None:
                    line = ServiceLine(_whole(_get(elements, 1), "LX01", number), number)
                    claim.lines.append(line)
            elif seg_id == "HL":
                claim = line = None
                if _get(elements, 3) == "22":  # a subscriber: a new payer follows
                    filing = payer_id = payer_name = member = ""
            elif seg_id == "CLM":
                claim = X12Claim(_get(elements, 1), kind, number, payer_id=payer_id,
                                 payer_name=payer_name, filing=filing, member=member)
                line = None
                out.append(claim)
                place = _parts(elements, 5, transaction)
                claim.frequency = place[2] if len(place) > 2 and place[2] else "1"
                if not claim.claim_id:
                    raise ClaimProblem(number, "CLM01 (the claim id) is empty")
            elif claim is None:
                if seg_id == "SBR":
                    filing = _get(elements, 9)
                elif seg_id == "NM1" and _get(elements, 1) == "PR":
                    payer_name, payer_id = _get(elements, 3), _get(elements, 9)
                elif seg_id == "NM1" and _get(elements, 1) in ("IL", "QC"):
                    member = _get(elements, 9) or member
            elif claim.problem is not None or line is not None:
                continue  # a line's other segments, or a claim already unreadable
            elif seg_id == "REF" and _get(elements, 1) == "G1":
                claim.prior_auth = _get(elements, 2)
            elif seg_id == "HI":
                claim.dx += _diagnoses(elements, transaction)
        except ClaimProblem as problem:
            if claim is not None:
                claim.problem = problem
        except IvigcalcError as error:
            if claim is not None:
                claim.problem = ClaimProblem(number, str(error))
    return out


def _parts(elements: list[str], index: int, transaction: Transaction) -> list[str]:
    return _get(elements, index).split(transaction.component)


def _whole(value: str, name: str, segment: int, high: int = 9_999_999) -> int:
    """A count (LX01, units): digits only, bounded before int() ever sees it; an 837 may
    write '55.0' or '55.000' for whole units."""
    text = value
    if "." in text:
        whole, _, fraction = text.partition(".")
        if fraction.strip("0"):
            raise ClaimProblem(segment, f"{name} '{printable(value, 20)}' is not whole: "
                               "HCPCS units are whole (the amount ÷ the billing unit, rounded "
                               "up)")
        text = whole
    if not text.isdigit() or len(text) > len(str(high)) or not 1 <= int(text) <= high:
        raise ClaimProblem(segment, f"{name} '{printable(value, 20)}' is not a whole number "
                           f"from 1 to {high:,}")
    return int(text)


def _decimal(value: str, name: str, segment: int) -> Decimal:
    """An X12 decimal (R): bounded in length, then read exactly."""
    if not value or len(value) > MAX_NUMBER_CHARS:
        raise ClaimProblem(segment, f"{name} '{printable(value, 20)}' is not an amount of at "
                           f"most {MAX_NUMBER_CHARS} characters")
    if not untrusted.plain_decimal(value):  # '1E999999999' is 11 characters: overflowed
        raise ClaimProblem(segment, f"{name} '{printable(value, 20)}' is not a plain "
                           "decimal number (no exponent)")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ClaimProblem(segment, f"{name} '{printable(value, 20)}' is not a number") \
            from None
    if not amount.is_finite() or amount < 0:
        raise ClaimProblem(segment, f"{name} '{printable(value, 20)}' is not an amount")
    return amount


@lru_cache(maxsize=4096)
def _dtp(segment: str, ele: str) -> tuple[str, dt.date | str]:
    """DTP: its qualifier (472 service, 434 statement) and its date, D8 CCYYMMDD or RD8
    CCYYMMDD-CCYYMMDD (its first day), or what is wrong with it; once per distinct segment."""
    elements = segment.split(ele)
    qualifier, form, value = (_get(elements, i) for i in (1, 2, 3))
    first = value.split("-")[0] if form == "RD8" else value
    if form not in ("D8", "RD8") or not _DATE.fullmatch(first):
        return qualifier, (f"DTP '{printable(form, 4)}*{printable(value, 20)}' is not a date; "
                           "accepts D8 CCYYMMDD (or RD8 CCYYMMDD-CCYYMMDD)")
    try:
        return qualifier, dt.date(int(first[:4]), int(first[4:6]), int(first[6:]))
    except ValueError:
        return qualifier, f"DTP {first} is not a day of the calendar"


def _day(day: dt.date | str, segment: int) -> dt.date:
    if isinstance(day, str):
        raise ClaimProblem(segment, day)
    return day


def _service(line: ServiceLine, segment: str, number: int, transaction: Transaction) -> None:
    """An SV1/SV2's parts (read once per distinct segment) onto its line."""
    parts = _sv(segment, transaction.element, transaction.component)
    if isinstance(parts, str):
        raise ClaimProblem(number, parts)
    line.segment = number
    (line.code, line.modifiers, line.units, line.charge, line.revenue, line.pointers,
     line.problem) = parts


ServiceParts = tuple[str, tuple[str, ...], int, str, str | None, tuple[int, ...],
                     LineError | None]


@lru_cache(maxsize=8192)
def _sv(segment: str, ele: str, component: str) -> ServiceParts | str:
    """SV1 (837P): HC:code:mods, charge, UN, units, …, pointers; SV2 (837I): the revenue
    code first, then the same from SV202. A claim's problem as text, a line's as LineError."""
    elements = segment.split(ele)
    revenue = None
    if elements[0] == "SV2":
        revenue = _get(elements, 1)
        elements = elements[1:]
    composite = _get(elements, 1).split(component)
    code = composite[1].upper() if len(composite) > 1 else ""
    modifiers = tuple(m.upper() for m in composite[2:6] if m)
    if len(composite) < 2 or composite[0] != "HC":
        return (code, modifiers, 0, "0", revenue, (), LineError(
            "malformed-line", f"'{printable(_get(elements, 1), 40)}': the procedure is not "
            "HC:code (HCPCS/CPT)"))
    charge = _get(elements, 2)
    if not charge or len(charge) > MAX_NUMBER_CHARS:  # read only where an amount is needed
        return (f"the charge '{printable(charge, 20)}' is not an amount of at most "
                f"{MAX_NUMBER_CHARS} characters")
    shown = " ".join((code, *modifiers))
    try:
        units = _whole(_get(elements, 4), "the units", 0)
    except ClaimProblem as problem:
        return code, modifiers, 0, charge, revenue, (), LineError(
            "malformed-line", f"'{shown}': {problem}")
    unit_kind = _get(elements, 3)
    if unit_kind != "UN":
        return code, modifiers, units, charge, revenue, (), LineError(
            "malformed-line", f"'{shown} {units}': units are measured in "
            f"'{printable(unit_kind, 4)}'; drug lines bill UN (units)")
    pointers = tuple(int(p) for p in elements[7].split(component) if p.isdigit() and
                     len(p) <= 2) if revenue is None and len(elements) > 7 else ()
    return code, modifiers, units, charge, revenue, pointers, _line_problem(code, modifiers,
                                                                           units)


@lru_cache(maxsize=4096)
def _line_problem(code: str, modifiers: tuple[str, ...], units: int) -> LineError | None:
    """reading.line_of's checks of a line's parts, once per distinct line."""
    try:
        line_of(" ".join((code, *modifiers, str(units))), code, modifiers, units)
    except LineError as error:
        return error
    return None


@lru_cache(maxsize=4096)
def _lin(segment: str, ele: str) -> tuple[ndc_module.NdcSegment | None, LineError | None]:
    """LIN**N4*NDC: the 11-digit NDC (2410); any other qualifier is not a drug's NDC."""
    elements = segment.split(ele)
    if _get(elements, 2) != "N4":
        return None, None
    written = _get(elements, 3)
    try:
        ndc11 = _normalized(written)
    except InputError as error:
        return None, LineError("ndc-malformed", f"LIN {printable(written, 20)}: "
                               f"{error.detail}")
    return ndc_module.NdcSegment(ndc11, written, "UN", Decimal(0)), None


@lru_cache(maxsize=4096)
def _normalized(written: str) -> str:
    """ndc.normalize, once per NDC written: a file repeats a few NDCs."""
    return ndc_module.normalize(written, "NDC")


@lru_cache(maxsize=4096)
def _nte(segment: str, ele: str) -> tuple[tuple[ndc_module.NdcSegment, ...], LineError | None]:
    """A line note (NTE*ADD or DCP): the N4 segments it names, the NDCs after loop 2410's."""
    elements = segment.split(ele)
    if _get(elements, 1) not in ("ADD", "DCP"):
        return (), None
    written = _get(elements, 2)
    try:
        return multiple_ndc.read_note(written), None
    except InputError as error:
        return (), LineError("ndc-malformed", f"NTE {printable(written, 80)}: {error.detail}")


def _ctp(line: ServiceLine, segment: str, number: int, transaction: Transaction) -> None:
    """CTP****quantity*qualifier: the NDC's quantity and its unit (UN, ML, GR, F2, ME)."""
    assert line.ndc is not None
    parts = _ctp_parts(segment, transaction.element, transaction.component)
    if isinstance(parts, LineError):
        line.problem = parts
        return
    if isinstance(parts, str):
        raise ClaimProblem(number, parts)
    line.ndc = ndc_module.NdcSegment(line.ndc.ndc11, line.ndc.written, *parts)


@lru_cache(maxsize=4096)
def _ctp_parts(segment: str, ele: str, component: str) -> tuple[str, Decimal] | LineError | str:
    elements = segment.split(ele)
    value = _get(elements, 4)
    try:
        quantity = _decimal(value, "CTP04 (the NDC quantity)", 0)
    except ClaimProblem as problem:
        return str(problem)
    qualifier = _get(elements, 5).split(component)[0]
    if qualifier not in ndc_module.QUALIFIERS:
        return LineError("ndc-unknown-qualifier", f"CTP05 '{printable(qualifier, 4)}' is not "
                         f"an NDC unit; accepts {', '.join(ndc_module.QUALIFIERS)}")
    return qualifier, quantity


def _diagnoses(elements: list[str], transaction: Transaction) -> list[str]:
    """HI: ABK (principal) and ABF (other) ICD-10-CM codes, in order; others are skipped."""
    out = []
    for element in elements[1:]:
        parts = element.split(transaction.component)
        if len(parts) >= 2 and parts[0] in ("ABK", "ABF", "BK", "BF"):
            out.append(parts[1])
    return out


# --- records --------------------------------------------------------------------------


@dataclass
class ClaimRecords:
    """A claim's records (one per date of service) and the lines left unchecked."""

    claim: X12Claim
    records: list[ClaimRecord]
    not_checked: list[ServiceLine]
    # Each record's lines as ServiceLines, by BilledLine number (= LX01).
    problem: str | None = None


def payer_of(claim: X12Claim, catalog: Catalog) -> str:
    """The catalog's payer: the site's x12_payer_ids, else SBR09 and the claim type."""
    for key, payer in catalog.payers.items():
        if claim.payer_id and claim.payer_id in payer.x12_payer_ids:
            return key
    fallback = FALLBACK_PAYER.get((claim.kind, claim.filing))
    if fallback is not None and fallback in catalog.payers:
        return fallback
    return "commercial" if "commercial" in catalog.payers else next(iter(catalog.payers))


def records_of(claim: X12Claim, catalog: Catalog) -> ClaimRecords:
    """The claim as the check reads it, or why it cannot be."""
    if claim.problem is not None:
        return ClaimRecords(claim, [], [], f"segment {claim.problem.segment}: "
                            f"{claim.problem}")
    drug: dict[dt.date, list[ServiceLine]] = {}
    administration: dict[dt.date, list[ServiceLine]] = {}
    others: list[ServiceLine] = []
    for line in claim.lines:
        day = line.day or claim.statement
        code = catalog.codes.get(line.code)
        if day is None and (line.problem is None and (line.code in ADMINISTRATION or
                                                      (code and code.immune_globulin))):
            return ClaimRecords(claim, [], [], f"segment {line.segment}: line {line.number} "
                                "has no date of service (DTP*472)")
        if code is not None and (line.problem is not None or code.immune_globulin):
            drug.setdefault(day or dt.date.min, []).append(line)
        elif line.code in ADMINISTRATION:
            administration.setdefault(day or dt.date.min, []).append(line)
        else:
            others.append(line)
    for day, lines in administration.items():
        if day not in drug:
            others += lines
    records = []
    try:
        payer = payer_of(claim, catalog)
        for day in sorted(drug):
            records.append(_record(claim, day, drug[day], administration.get(day, []),
                                   payer, catalog))
    except ClaimProblem as problem:
        return ClaimRecords(claim, [], [], f"segment {problem.segment}: {problem}")
    except IvigcalcError as error:
        return ClaimRecords(claim, [], [], f"segment {claim.segment}: {error}")
    return ClaimRecords(claim, records, sorted(others, key=lambda line: line.number))


_BILLED: dict[tuple[object, ...], BilledLine] = {}


def _billed(line: ServiceLine) -> BilledLine:
    """The line as the check reads it; BilledLines are immutable, so a file's repeated
    lines (a patient's every infusion) share one."""
    segment = line.ndc
    key = (line.number, line.code, line.modifiers, line.units, line.problem,
           (segment.ndc11, segment.qualifier, segment.quantity) if segment else None,
           line.noted)
    found = _BILLED.get(key)
    if found is None:
        if len(_BILLED) > 20_000:
            _BILLED.clear()
        shown = line.text
        found = _BILLED[key] = BilledLine(line.number, shown, None, line.problem) \
            if line.problem is not None else BilledLine(
                line.number, shown, ParsedLine(shown, line.code, line.modifiers, line.units,
                                               segment, None, line.noted))
    return found


def _record(claim: X12Claim, day: dt.date, drug: list[ServiceLine],
            administration: list[ServiceLine], payer: str, catalog: Catalog) -> ClaimRecord:
    readable = [line for line in drug if line.problem is None]
    given = [line for line in readable if "JW" not in line.modifiers]
    main = (given or readable or drug)[0]
    code = catalog.codes[main.code]
    product = _product(readable, code, catalog, day)
    administered_units = sum(line.units for line in given if line.code == code.key)
    waste_units = sum(line.units for line in readable
                      if line.code == code.key and "JW" in line.modifiers)
    opened, administered = _amounts(readable, code, catalog, day, administered_units,
                                    waste_units)
    route = "sc" if "JB" in main.modifiers else "iv" if "JA" in main.modifiers else None
    pointed = {p for line in drug for p in line.pointers}
    dx = [claim.dx[p - 1] for p in sorted(pointed) if 0 < p <= len(claim.dx)] \
        if pointed else claim.dx
    diagnoses = tuple(_diagnosis(code_) for code_ in dict.fromkeys(dx))
    lines = sorted([*drug, *administration], key=lambda line: line.number)
    return ClaimRecord(
        date_of_service=day, administered_mg=administered, opened=opened,
        lines=tuple(_billed(line) for line in lines), payer=payer,
        product=product, code=None if product else code.key, route=route,
        kx=any("KX" in line.modifiers for line in readable), dx=diagnoses,
        prior_auth=read_reference(claim.prior_auth, "prior-auth"), claim_id=claim.claim_id)


def _amounts(lines: list[ServiceLine], code: Code, catalog: Catalog, day: dt.date,
             administered_units: int, waste_units: int) -> tuple[Opened, Fraction]:
    """The vials opened and the amount administered (the top of the units' interval, never
    above what the vials held), worked out once per distinct set of NDC quantities."""
    memo = memo_for(catalog)
    cms = catalog.cms_on(day)
    key = ("x12-amounts", cms.quarter if cms else None, code.key, administered_units,
           waste_units,
           *((b.ndc.ndc11, b.ndc.qualifier, b.ndc.quantity, "JW" in b.modifiers, b.noted)
             if b.ndc else None for b in lines))
    found = memo.get(key)
    if found is None:
        opened = _opened(lines, code, catalog, cms, administered_units + waste_units)
        administered = min(Fraction(administered_units) * code.unit_mg, opened.contents_mg)
        if administered <= 0:  # no administered line could be read: what JW did not bill
            left = opened.contents_mg - waste_units * code.unit_mg
            administered = left if left > 0 else opened.contents_mg
        found = memo[key] = (opened, administered)
    return cast(tuple[Opened, Fraction], found)


@lru_cache(maxsize=4096)
def _diagnosis(code: str) -> icd10.Diagnosis:
    """icd10.lookup, once per code: a file's claims share a few diagnoses."""
    return icd10.lookup(code, "dx")


def _product(lines: list[ServiceLine], code: Code, catalog: Catalog,
             day: dt.date) -> str | None:
    """The product of the first NDC that CMS's crosswalk (of the day's quarter) lists under
    the claim's code."""
    cms = catalog.cms_on(day)
    if cms is None:
        return None
    by11 = cms.by_ndc11()
    for line in lines:
        row = by11.get(line.ndc.ndc11) if line.ndc else None
        if row is not None and row.code == code.key and row.product in catalog.products:
            return row.product
    return None


def _opened(lines: list[ServiceLine], code: Code, catalog: Catalog, cms: CmsData | None,
            billed: int) -> Opened:
    """The vials opened, from each NDC's quantity and its vial in CMS's crosswalk.

    Per NDC the JW line's quantity either repeats the administered line's (the same vials,
    said twice) or carries the rest (split): when both read alike, the reading whose vials
    hold the units billed is taken, else the repeat. Without a usable NDC the vials are not
    known, and the units billed stand for them (one 'vial' holding exactly those units).
    """
    by11 = cms.by_ndc11() if cms is not None else {}
    given: dict[str, Decimal] = {}
    waste: dict[str, Decimal] = {}
    sizes: dict[str, Fraction] = {}
    for line, segment in ((each, segment) for each in lines
                          for segment in each.segments or (None,)):
        row = by11.get(segment.ndc11) if segment else None
        if segment is None or row is None or row.code not in catalog.codes:
            return _as_billed(code, billed)
        size = row.billunits * catalog.codes[row.code].unit_mg
        if segment.qualifier == "UN":
            count = segment.quantity
        elif segment.qualifier == "ML" and row.labeled_ml:
            count = segment.quantity / Decimal(row.labeled_ml)
        else:
            return _as_billed(code, billed)
        if count != count.to_integral_value() or count < 1 or count > 999:
            return _as_billed(code, billed)
        target = waste if "JW" in line.modifiers else given
        target[segment.ndc11] = target.get(segment.ndc11, Decimal(0)) + count
        sizes[segment.ndc11] = size
    repeated: dict[Fraction, int] = {}
    split: dict[Fraction, int] = {}
    for ndc11, size in sizes.items():
        a, w = int(given.get(ndc11, 0)), int(waste.get(ndc11, 0))
        repeated[size] = repeated.get(size, 0) + (max(a, w) if a == w or not a or not w
                                                  else a + w)
        split[size] = split.get(size, 0) + a + w
    choice = repeated
    if repeated != split:
        held = sum(size * n for size, n in split.items()) / code.unit_mg
        if int(held) == billed:
            choice = split
    vials = tuple(sorted(((size, n) for size, n in choice.items() if n), reverse=True))
    return opened_from(vials) if vials else _as_billed(code, billed)


def _as_billed(code: Code, billed: int) -> Opened:
    return opened_from(((code.unit_mg * max(billed, 1), 1),))
