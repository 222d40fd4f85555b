"""`calc --format x12`: an order's claim as 837 service-line loops, one segment a line.

For each date of service: LX, SV1 (837P) or SV2 (837I: revenue code 0636 for the drug, 0260
for its administration), DTP*472, and for drug lines loop 2410's LIN**N4 and CTP. The lines
are the engine's (billing/lines.py), the NDCs the day's (CMS crosswalk of the date's quarter);
nothing is worked out again here.

A day that opens two vial sizes has two NDCs, and loop 2410 holds one per line; the payer's
multiple_ndc setting says which way (billing/multiple_ndc.py, with the sources):
- "lines" (ASC X12 837P 005010X222A1 and 837I 005010X223A2 loop 2410; NUCC 1500 Reference
  Instruction Manual item 24, shaded area): one pair of lines (administered, JW) per NDC,
  each with the HCPCS units that NDC's vials held: the administered units fill the largest
  vials first, the discarded units are what is left in each. The units add up to the
  unsplit lines. Each line's CTP carries its NDC's whole quantity (vials, or mL where the
  payer wants ML), repeated on the pair's JW line.
- "nte" (Palmetto GBA, Jurisdiction M Part B, "Reporting the National Drug Code",
  2024-10-25): the engine's lines as they are, one administered and one JW line per code,
  each with the first NDC in 2410 (CTP: that size's own quantity) and the other NDCs, each
  with its quantity, in the line note NTE*ADD (837P only: an 837I line has no such note).

Charges come from the site catalog's [charges] (USD per unit; 0 when none is set), exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ivigcalc.billing import multiple_ndc
from ivigcalc.result import ClaimLine, Day, NdcLine, Result

DRUG_REVENUE = "0636"  # drugs requiring detailed coding (NUBC revenue code)
ADMIN_REVENUE = "0260"  # IV therapy
CENT = Decimal("0.01")
DrugLine = tuple[ClaimLine, NdcLine | None, str]  # the line, its 2410 NDC, its note's text


def _charge(code: str, units: int, charges: Mapping[str, Fraction]) -> str:
    rate = charges.get(code, Fraction(0))
    amount = Decimal(rate.numerator) / Decimal(rate.denominator) * units
    return f"{amount.quantize(CENT, ROUND_HALF_UP):f}".rstrip("0").rstrip(".") or "0"


def _quantity(line: NdcLine) -> str:
    text = f"{line.quantity:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def split_by_ndc(day: Day, unit_mg: Fraction) -> list[tuple[ClaimLine, NdcLine | None]]:
    """The day's drug lines, one per NDC: (line, its NDC), units split by what each held."""
    if len(day.ndc_lines) <= 1:
        ndc = day.ndc_lines[0] if day.ndc_lines else None
        return [(line, ndc) for line in day.claim_lines]
    counts = dict(day.plan.vials)
    given = [line for line in day.claim_lines if "JW" not in line.modifiers]
    waste = [line for line in day.claim_lines if "JW" in line.modifiers]
    left = sum(line.units for line in given)
    out: list[tuple[ClaimLine, NdcLine | None]] = []
    pairs = []
    for ndc in sorted(day.ndc_lines, key=lambda n: n.size_mg, reverse=True):
        held = int(counts.get(ndc.size_mg, 0) * ndc.size_mg / unit_mg)
        used = min(left, held)
        left -= used
        pairs.append((ndc, used, held - used))
    if left and pairs:  # under a unit past the labeled contents: on the last NDC's line
        ndc, used, spare = pairs[-1]
        pairs[-1] = (ndc, used + left, spare)
    main = given[0] if given else None
    for ndc, used, spare in pairs:
        if main is not None and used:
            out.append((ClaimLine(main.code, main.modifiers, used), ndc))
        if waste and spare:
            out.append((ClaimLine(waste[0].code, waste[0].modifiers, spare), ndc))
    return out


def drug_lines(day: Day, unit_mg: Fraction, method: str) -> list[DrugLine]:
    """The day's drug lines as the payer takes two NDCs: split per NDC, or each line with
    the first NDC and the others in its note (billing/multiple_ndc.py)."""
    if method != multiple_ndc.NOTE or len(day.ndc_lines) < 2:
        return [(line, ndc, "") for line, ndc in split_by_ndc(day, unit_mg)]
    first, others = multiple_ndc.first_and_others(day.ndc_lines, dict(day.plan.vials))
    note = multiple_ndc.note_text(others)
    return [(line, first, note) for line in day.claim_lines]


def service_lines(result: Result, *, dx_count: int, institutional: bool,
                  charges: Mapping[str, Fraction]) -> str:
    """The order's service lines for every date of service, each segment ending in '~'."""
    pointers = ":".join(str(n) for n in range(1, min(dx_count, 4) + 1))
    method = multiple_ndc.LINES if institutional else result.multiple_ndc
    out: list[str] = []
    number = 0
    for day in result.days:
        drug = [(line, ndc, note, day.date_of_service)
                for line, ndc, note in drug_lines(day, result.unit_mg, method)]
        admin = [(ClaimLine(a.code, (), a.units), None, "", a.date_of_service)
                 for a in day.admin_lines]
        for line, ndc, note, when in drug + admin:
            number += 1
            composite = ":".join(("HC", line.code, *line.modifiers[:4]))
            charge = _charge(line.code, line.units, charges)
            if institutional:
                revenue = DRUG_REVENUE if ndc is not None or line.code == result.code \
                    else ADMIN_REVENUE
                service = f"SV2*{revenue}*{composite}*{charge}*UN*{line.units}"
            else:
                service = f"SV1*{composite}*{charge}*UN*{line.units}***{pointers}"
            out += [f"LX*{number}", service, f"DTP*472*D8*{when:%Y%m%d}"]
            if note:
                out.append(f"NTE*{multiple_ndc.NOTE_QUALIFIER}*{note}")
            if ndc is not None:
                out += [f"LIN**N4*{ndc.ndc.replace('-', '')}",
                        f"CTP****{_quantity(ndc)}*{ndc.qualifier}"]
    return "".join(f"{segment}~\n" for segment in out)
