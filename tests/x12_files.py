"""X12 test files written from parts: 837P, 837I and 835 (5010), for the tests, the examples
and the bench. Every file a test stands on is validated with pyx12 first (validate()).

The people and organisations are made up (TEST names, the NPI test pattern, Medicare's
sample MBI format); the NDCs come from the catalog's CMS crosswalk, never typed by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ivigcalc.check.x12_file import validation_errors
from ivigcalc.data.catalog import Catalog

ISA_SENDER = "IVIGTEST".ljust(15)
ISA_RECEIVER = "PAYERTEST".ljust(15)
STAMP = dt.datetime(2026, 2, 2, 9, 30)


@dataclass(frozen=True)
class Line:
    """One service line: code, modifiers, units; the NDC (11 digits) and its quantity."""

    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    charge: str = "100"
    day: dt.date = dt.date(2026, 1, 5)
    ndc11: str | None = None
    quantity: str | None = None
    qualifier: str = "UN"
    pointers: str = "1"
    revenue: str = "0636"  # 837I only


@dataclass(frozen=True)
class Claim:
    claim_id: str
    lines: tuple[Line, ...]
    dx: tuple[str, ...] = ("D800",)
    payer_id: str = "00952"
    payer_name: str = "MEDICARE PART B"
    sbr09: str = "MB"
    prior_auth: str | None = None
    frequency: str = "1"  # CLM05-3: 1 original, 7 replacement, 8 void
    member: str = "1EG4TE5MK73"  # a made-up id in Medicare's MBI format
    body: str = ""  # service-line loops as written elsewhere (calc --format x12), if no lines


def ndc11(catalog: Catalog, product: str, size_mg: int) -> str:
    """The first NDC of one of the product's vial sizes in the catalog's CMS crosswalk."""
    assert catalog.cms is not None
    code = catalog.products[product].code_on(dt.date(2026, 1, 5))
    unit = catalog.codes[code].unit_mg
    found = catalog.cms.ndcs_for(product, code, unit, Fraction(size_mg))
    assert found, f"no NDC for {product} {size_mg} mg"
    return found[0].replace("-", "")


def _isa(functional: str, control: int) -> list[str]:
    stamp = STAMP
    isa = (f"ISA*00*{' ' * 10}*00*{' ' * 10}*ZZ*{ISA_SENDER}*ZZ*{ISA_RECEIVER}*"
           f"{stamp:%y%m%d}*{stamp:%H%M}*^*00501*{control:09d}*0*T*:")
    assert len(isa) == 105, len(isa)  # + the segment terminator: 106
    return [isa, f"GS*{functional}*IVIGTEST*PAYERTEST*{stamp:%Y%m%d}*{stamp:%H%M}*{control}*X*"]


def _close(segments: list[str], st_at: int, control: int) -> list[str]:
    count = len(segments) - st_at + 1
    return [*segments, f"SE*{count}*{control:04d}", f"GE*1*{control}", f"IEA*1*{control:09d}"]


def _text(segments: Sequence[str]) -> str:
    return "".join(f"{s}~\n" for s in segments)


def _sv1(line: Line) -> str:
    composite = ":".join(("HC", line.code, *line.modifiers))
    return f"SV1*{composite}*{line.charge}*UN*{line.units}***{line.pointers}"


def _drug(line: Line) -> list[str]:
    if line.ndc11 is None:
        return []
    return [f"LIN**N4*{line.ndc11}", f"CTP****{line.quantity}*{line.qualifier}"]


def _charge(claim: Claim) -> str:
    if claim.body:  # the SV102/SV203 charges of the loops given
        amounts = [part.split("*")[2 if part.startswith("SV1") else 3]
                   for part in claim.body.replace("\n", "").split("~")
                   if part.startswith(("SV1*", "SV2*"))]
        return str(sum(Fraction(a) for a in amounts))
    return str(sum(Fraction(line.charge) for line in claim.lines))


def _body(claim: Claim) -> list[str]:
    """Loops given as text: one segment a line, each ending in '~'."""
    return [line.rstrip("~") for line in claim.body.splitlines() if line.strip()]


def build_837p(claims: Sequence[Claim], version: str = "005010X222A1",
               control: int = 1) -> str:
    """An 837P interchange with one subscriber loop per claim."""
    head = _isa("HC", control)
    head[1] += version
    segments = [*head, f"ST*837*{control:04d}*{version}",
                f"BHT*0019*00*BATCH{control}*{STAMP:%Y%m%d}*{STAMP:%H%M}*CH",
                "NM1*41*2*IVIG TEST CLINIC*****46*IVIGTEST", "PER*IC*BILLING OFFICE*TE*5555550100",
                "NM1*40*2*TEST PAYER*****46*PAYERTEST", "HL*1**20*1",
                "NM1*85*2*IVIG TEST CLINIC*****XX*1234567893", "N3*100 TEST STREET",
                "N4*SPRINGFIELD*IL*627010000", "REF*EI*123456789"]
    st_at = 2  # ISA, GS, then ST
    for number, claim in enumerate(claims, 2):
        segments += [f"HL*{number}*1*22*0", f"SBR*P*18*******{claim.sbr09}",
                     f"NM1*IL*1*TESTPATIENT*ALPHA****MI*{claim.member}", "N3*1 TEST LANE",
                     "N4*SPRINGFIELD*IL*627010000", "DMG*D8*19600101*F",
                     f"NM1*PR*2*{claim.payer_name}*****PI*{claim.payer_id}",
                     f"CLM*{claim.claim_id}*{_charge(claim)}***11:B:{claim.frequency}*Y*A*Y*Y"]
        if claim.prior_auth:
            segments.append(f"REF*G1*{claim.prior_auth}")
        if claim.frequency in ("7", "8"):
            segments.append(f"REF*F8*ORIG{claim.claim_id}")
        qualifiers = ["ABK", *["ABF"] * (len(claim.dx) - 1)]
        segments.append("HI*" + "*".join(f"{q}:{d}" for q, d in zip(qualifiers, claim.dx,
                                                                      strict=True)))
        segments += _body(claim)
        for lx, line in enumerate(claim.lines, 1):
            segments += [f"LX*{lx}", _sv1(line), f"DTP*472*D8*{line.day:%Y%m%d}", *_drug(line)]
    return _text(_close(segments, st_at, control))


def build_837i(claims: Sequence[Claim], control: int = 1) -> str:
    """An 837I (hospital outpatient, type of bill 131) interchange, one claim per subscriber."""
    version = "005010X223A2"
    head = _isa("HC", control)
    head[1] += version
    segments = [*head, f"ST*837*{control:04d}*{version}",
                f"BHT*0019*00*BATCH{control}*{STAMP:%Y%m%d}*{STAMP:%H%M}*CH",
                "NM1*41*2*IVIG TEST HOSPITAL*****46*IVIGTEST",
                "PER*IC*BILLING OFFICE*TE*5555550100",
                "NM1*40*2*TEST PAYER*****46*PAYERTEST", "HL*1**20*1",
                "NM1*85*2*IVIG TEST HOSPITAL*****XX*1234567893", "N3*100 TEST STREET",
                "N4*SPRINGFIELD*IL*627010000", "REF*EI*123456789"]
    st_at = 2  # ISA, GS, then ST
    for number, claim in enumerate(claims, 2):
        days = [line.day for line in claim.lines] or [
            dt.date(int(d[:4]), int(d[4:6]), int(d[6:8])) for d in
            (part.split("*")[3] for part in _body(claim) if part.startswith("DTP*472"))]
        first, last = min(days), max(days)
        segments += [f"HL*{number}*1*22*0", f"SBR*P*18*******{claim.sbr09}",
                     f"NM1*IL*1*TESTPATIENT*ALPHA****MI*{claim.member}", "N3*1 TEST LANE",
                     "N4*SPRINGFIELD*IL*627010000", "DMG*D8*19600101*F",
                     f"NM1*PR*2*{claim.payer_name}*****PI*{claim.payer_id}",
                     f"CLM*{claim.claim_id}*{_charge(claim)}***13:A:{claim.frequency}**A*Y*Y",
                     f"DTP*434*RD8*{first:%Y%m%d}-{last:%Y%m%d}", "CL1*3**01"]
        if claim.prior_auth:
            segments.append(f"REF*G1*{claim.prior_auth}")
        if claim.frequency in ("7", "8"):
            segments.append(f"REF*F8*ORIG{claim.claim_id}")
        segments.append(f"HI*ABK:{claim.dx[0]}")
        if len(claim.dx) > 1:
            segments.append("HI*" + "*".join(f"ABF:{d}" for d in claim.dx[1:]))
        segments += ["NM1*71*1*TESTDOCTOR*BETA****XX*1234567893", *_body(claim)]
        for lx, line in enumerate(claim.lines, 1):
            composite = ":".join(("HC", line.code, *line.modifiers))
            segments += [f"LX*{lx}", f"SV2*{line.revenue}*{composite}*{line.charge}*UN*"
                         f"{line.units}", f"DTP*472*D8*{line.day:%Y%m%d}", *_drug(line)]
    return _text(_close(segments, st_at, control))


@dataclass(frozen=True)
class Adjustment:
    group: str
    carc: str
    amount: str


@dataclass(frozen=True)
class Paid:
    """One 835 service line: what was billed and paid, its adjustments and remarks."""

    code: str
    modifiers: tuple[str, ...]
    units: int
    charge: str
    paid: str
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[str, ...] = ()
    day: dt.date = dt.date(2026, 1, 5)


@dataclass(frozen=True)
class Payment:
    claim_id: str
    lines: tuple[Paid, ...]
    status: str = "1"  # CLP02: 1 processed as primary, 4 denied
    patient_share: str = "0"
    icn: str = "ICN0001"
    claim_adjustments: tuple[Adjustment, ...] = field(default=())


def build_835(payments: Sequence[Payment], control: int = 1) -> str:
    """An 835 remittance with one CLP per payment."""
    version = "005010X221A1"
    head = _isa("HP", control)
    head[1] += version
    total = sum(Decimal(line.paid) for p in payments for line in p.lines)
    segments = [*head, f"ST*835*{control:04d}",
                f"BPR*I*{total}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*"
                f"98765*{STAMP:%Y%m%d}",
                f"TRN*1*EFT{control}*1512345678", f"DTM*405*{STAMP:%Y%m%d}",
                "N1*PR*TEST MEDICARE CONTRACTOR", "N3*1 PAYER PLAZA",
                "N4*SPRINGFIELD*IL*627010000", "PER*BL*PROVIDER SERVICES*TE*5555550199",
                "N1*PE*IVIG TEST CLINIC*XX*1234567893", "LX*1"]
    st_at = 2  # ISA, GS, then ST
    for payment in payments:
        charge = sum(Decimal(line.charge) for line in payment.lines)
        paid = sum(Decimal(line.paid) for line in payment.lines)
        segments += [f"CLP*{payment.claim_id}*{payment.status}*{charge}*{paid}*"
                     f"{payment.patient_share}*MB*{payment.icn}*11",
                     *[f"CAS*{a.group}*{a.carc}*{a.amount}" for a in payment.claim_adjustments],
                     "NM1*QC*1*TESTPATIENT*ALPHA****MI*1EG4TE5MK73",
                     f"DTM*232*{payment.lines[0].day:%Y%m%d}"]
        for line in payment.lines:
            composite = ":".join(("HC", line.code, *line.modifiers))
            segments += [f"SVC*{composite}*{line.charge}*{line.paid}**{line.units}",
                         f"DTM*472*{line.day:%Y%m%d}"]
            segments += [f"CAS*{a.group}*{a.carc}*{a.amount}" for a in line.adjustments]
            segments += [f"LQ*HE*{remark}" for remark in line.remarks]
    return _text(_close(segments, st_at, control))


def validate(text: str) -> list[str]:
    """pyx12's full validation of an X12 text: its errors (empty: valid), as the check's
    --validate reads them (no 999 is written)."""
    return validation_errors(text)
