"""National Drug Codes on a claim line: 10 digits → 11 (5-4-2), and the N4 segment.

Why: a drug line may carry the NDC the payer reconciles against the HCPCS code, and payers
take only the 11-digit 5-4-2 form. A package label prints 10 digits in one of three shapes
(4-4-2, 5-3-2, 5-4-1); the missing digit is a leading zero in the short segment, which is
why a 10-digit NDC without hyphens cannot be converted: it does not say which segment is
short. Rules (NUCC 1500 Claim Form Reference Instruction Manual,
item 24 shaded area; state Medicaid NDC billing guides; CMS ASP NDC-HCPCS crosswalk):
- N4 then the 11 digits, no hyphens or spaces: "N412345012312";
- then a unit qualifier (F2 international unit, GR gram, ME milligram, ML millilitre,
  UN unit) followed immediately by the NDC quantity, at most 3 decimals: "UN1", "ML100".
NDC quantity and HCPCS units are different numbers; this module only reads and writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from ivigcalc import text
from ivigcalc.data.cms.model import CmsData
from ivigcalc.data.model import Product
from ivigcalc.errors import InputError
from ivigcalc.result import NdcLine, Trail

CROSSWALK = "CMS ASP NDC-HCPCS crosswalk {quarter} (the NDCs of each code, by quarter)"
SOURCE = ("NUCC 1500 Claim Form Reference Instruction Manual, item 24 (N4 qualifier, 11-digit "
          "5-4-2 NDC, unit qualifier and quantity); ASC X12 837P loop 2410 (LIN, CTP)")
QUALIFIERS = {"F2": "international unit", "GR": "gram", "ME": "milligram", "ML": "millilitre",
              "UN": "unit"}
# Which segment a 10-digit label NDC is short in, by its hyphenated shape.
_SHAPES = {(4, 4, 2): "4-4-2", (5, 3, 2): "5-3-2", (5, 4, 1): "5-4-1", (5, 4, 2): "5-4-2"}
NDC_ACCEPTS = ("an NDC of 11 digits (12345678901 or 12345-6789-01) or 10 digits with hyphens "
               "(4-4-2, 5-3-2 or 5-4-1)")
QUALIFIER_FIELD = "NDC qualifier"  # the one mistake with its own finding (unknown qualifier)
SEGMENT_ACCEPTS = ("N4 + NDC + unit qualifier (UN, ML, GR, ME, F2) + quantity, e.g. "
                   "'N412345678901 UN1'")
_QUANTITY = re.compile(r"^(\d{1,7}(?:\.\d{1,3})?|\.\d{1,3})$")
# The segment as coders type it: N4, the NDC (digits and hyphens), then qualifier + quantity.
SEGMENT = re.compile(r"\bN4\s*([\d-]{9,14})(?:\s*([A-Z][A-Z0-9])\s*(\S+))?", re.IGNORECASE)


@dataclass(frozen=True)
class NdcSegment:
    """A read N4 segment: the 11-digit NDC, how it was written, qualifier and quantity."""

    ndc11: str
    written: str
    qualifier: str
    quantity: Decimal

    @property
    def hyphenated(self) -> str:
        return f"{self.ndc11[:5]}-{self.ndc11[5:9]}-{self.ndc11[9:]}"

    @property
    def text(self) -> str:
        """The paper-claim form: 'N412345012312 UN1'."""
        return f"N4{self.ndc11} {self.qualifier}{quantity_text(self.quantity)}"

    @property
    def converted(self) -> bool:
        """True when the NDC was written in a 10-digit shape and zero-filled here."""
        return re.sub(r"\D", "", self.written) != self.ndc11


def quantity_text(quantity: Decimal) -> str:
    """The NDC quantity as claims print it: no trailing zeros, no exponent."""
    text = f"{quantity:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@lru_cache(maxsize=1024)
def normalize(text: str, field: str = "NDC") -> str:
    """The 11-digit 5-4-2 NDC (digits only) for an NDC as written on a label or a claim."""
    written = text.strip()
    if re.fullmatch(r"\d{11}", written):
        return written
    if re.fullmatch(r"\d{10}", written):
        raise InputError(field, f"'{written}' has 10 digits and no hyphens, so the missing "
                         f"zero cannot be placed; write it as on the label (4-4-2, 5-3-2 or "
                         f"5-4-1); accepts {NDC_ACCEPTS}")
    parts = written.split("-")
    shape = tuple(len(p) for p in parts)
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or shape not in _SHAPES:
        raise InputError(field, f"'{written}' is not an NDC; accepts {NDC_ACCEPTS}")
    labeler, product, package = parts
    return labeler.zfill(5) + product.zfill(4) + package.zfill(2)


def parse_segment(ndc: str, qualifier: str | None, quantity: str | None,
                  field: str = "NDC") -> NdcSegment:
    """Read an N4 segment's parts; InputError names what is wrong (NDC, qualifier, quantity)."""
    ndc11 = normalize(ndc, field)
    if qualifier is None or quantity is None:
        raise InputError(field, f"N4{ndc} has no unit qualifier and quantity; accepts "
                         f"{SEGMENT_ACCEPTS}")
    qualifier = qualifier.upper()
    if qualifier not in QUALIFIERS:
        raise InputError(QUALIFIER_FIELD, f"'{qualifier}' is not an NDC unit qualifier; accepts "
                         f"{', '.join(f'{k} ({v})' for k, v in QUALIFIERS.items())}")
    if not _QUANTITY.match(quantity) or Decimal(quantity) == 0:
        raise InputError("NDC quantity", f"'{quantity}' is not an NDC quantity; accepts a "
                         "number above zero with at most 3 decimals, e.g. UN1 or ML100.5")
    return NdcSegment(ndc11, ndc.strip(), qualifier, Decimal(quantity))


def vial_lines(vials: tuple[tuple[Fraction, int], ...], cms: CmsData | None, product: str,
               code: str, unit_mg: Fraction, qualifier: str
               ) -> tuple[tuple[tuple[Fraction, tuple[str, ...]], ...], tuple[NdcLine, ...]]:
    """Each vial size opened with its NDCs, and the N4 line for each size that has one.

    The NDCs come from the quarter's CMS crosswalk (never typed by hand). Quantity: the
    vials opened (UN), or their labeled millilitres (ML) from the crosswalk's PKG SIZE when
    that agrees with BILLUNITS; otherwise the vial count with UN, so no guessed volume is
    ever billed."""
    sizes: list[tuple[Fraction, tuple[str, ...]]] = []
    lines: list[NdcLine] = []
    for size, count in vials:
        ndcs = cms.ndcs_for(product, code, unit_mg, size) if cms else ()
        sizes.append((size, ndcs))
        if not ndcs:
            continue
        ml = cms.ndcs[ndcs[0]].labeled_ml if cms else None
        use, quantity = "UN", Decimal(count)
        if qualifier == "ML" and ml is not None:
            use, quantity = "ML", count * ml
        lines.append(NdcLine(ndcs[0], use, quantity, size, ndcs[1:]))
    return tuple(sizes), tuple(lines)


def say_missing(sizes: tuple[tuple[Fraction, tuple[str, ...]], ...], cms: CmsData | None,
                product: Product, day: dt.date, trail: Trail) -> None:
    """A size opened with no NDC in the date's quarter: a note for a labeled size no CMS
    crosswalk lists (product.labeled_sizes_mg), a warning when CMS lists the product but
    not that size then (withdrawn, or not yet listed), a note when it lists none of it."""
    label_only = [size for size, ndcs in sizes if not ndcs and size in product.labeled_sizes_mg]
    missing = [size for size, ndcs in sizes if not ndcs and size not in label_only]
    if label_only:
        shown = ", ".join(text.grams(size) for size in label_only)
        trail.note(f"{product.name} {shown}: a labeled size with no NDC in CMS's crosswalk, "
                   "so no N4 line can be made for it; the HCPCS lines stand.",
                   product.labeled_sizes_source)
    if cms is None or not missing:
        return
    shown = ", ".join(text.grams(size) for size in missing)
    source = CROSSWALK.format(quarter=cms.quarter)
    if cms.rows_of(product.key):
        trail.warn(f"{product.name} {shown}: no NDC in CMS's {cms.quarter} crosswalk, the "
                   f"quarter of {day.isoformat()}: no N4 line can be made for it. Check the "
                   "NDC on the vial: an NDC withdrawn by CMS is not billed after its last "
                   "quarter.", source)
    else:
        trail.note(f"CMS's {cms.quarter} crosswalk lists no NDC for {product.name}: no N4 "
                   "line can be made.", source)


def segment_for(cms: CmsData, ndc: str, count: int, qualifier: str) -> NdcSegment:
    """The N4 segment of `count` vials of one NDC (5-4-2): UN, or ML from the crosswalk's
    PKG SIZE where that agrees with BILLUNITS (else UN: no guessed volume is billed)."""
    ml = cms.ndcs[ndc].labeled_ml if qualifier == "ML" else None
    use, quantity = ("ML", count * ml) if ml is not None else ("UN", Decimal(count))
    digits = ndc.replace("-", "")
    return NdcSegment(digits, ndc, use, quantity)
