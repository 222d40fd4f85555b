"""The rows of the three kinds that concern the catalog's codes, as typed records.

Cells are checked as they are read (an NDC must be 5-4-2, BILLUNITS a positive number, a
payment limit a plain decimal), and a bad cell refuses the file naming its row: a number
that cannot be read is never skipped silently, because a missing NDC row changes a claim.
Values keep CMS's own text where the catalog shows it ("48.964", "500 MG").
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction

from ivigcalc.data import untrusted
from ivigcalc.data.cms.kinds import TITLES, Recognised
from ivigcalc.data.cms.read import ImportRefused

_NDC = re.compile(r"^\d{5}-\d{4}-\d{2}$")
# Numbers are bounded by their patterns before they are parsed (a CMS cell can be any text).
_MONEY = re.compile(r"^\$?\s*(\d{1,12}(?:\.\d{1,6})?)$")
_DOSAGE = re.compile(r"^(\d{1,9}(?:\.\d{1,6})?)\s*(MG|G)$", re.IGNORECASE)


@dataclass(frozen=True)
class CrosswalkRow:
    code: str
    description: str
    labeler: str
    ndc: str  # 5-4-2 with hyphens, as CMS writes NDC2
    drug_name: str
    dosage: str
    pkg_size: str
    pkg_qty: str
    billunits: Fraction

    @property
    def labeler_product(self) -> str:
        return self.ndc[:10]


@dataclass(frozen=True)
class PricingRow:
    code: str
    description: str
    dosage: str
    limit: str  # USD per billing unit, as CMS writes it
    coinsurance: str


@dataclass(frozen=True)
class StatusRow:
    code: str
    description: str
    si: str
    apc: str
    rate: str  # USD, '$' dropped; '' when the code has no separate payment


def dosage_mg(text: str) -> Fraction | None:
    """'500 MG' -> 500, '1 G' -> 1000; None when the dosage is not a mass."""
    found = _DOSAGE.match(text.strip())
    if not found:
        return None
    value = Fraction(found.group(1))
    return value * 1000 if found.group(2).upper() == "G" else value


def _cell(row: tuple[str, ...], index: int) -> str:
    return row[index] if index < len(row) else ""


def _bad(rec: Recognised, line: int, what: str) -> ImportRefused:
    return ImportRefused(f"{rec.table.origin}: {TITLES[rec.kind]} data row {line}: {what}")


def _positive(rec: Recognised, line: int, name: str, text: str) -> Fraction:
    value = untrusted.decimal(text)
    if value is None:  # 'x', 'NaN', '1e999999999' (bounded before it is parsed)
        raise _bad(rec, line, f"{name} '{untrusted.shown(text)}' is not a number") from None
    if value <= 0:
        raise _bad(rec, line, f"{name} '{text}' must be more than zero")
    return value


def crosswalk(rec: Recognised, codes: Collection[str]) -> list[CrosswalkRow]:
    out = []
    for line, row in enumerate(rec.data, 1):
        code = row[0].upper()
        if code not in codes:
            continue
        ndc = _cell(row, 3)
        if not _NDC.match(ndc):
            raise _bad(rec, line, f"NDC2 '{untrusted.shown(ndc)}' of {code} is not a 5-4-2 "
                       "NDC")
        out.append(CrosswalkRow(
            code=code, description=_cell(row, 1), labeler=_cell(row, 2), ndc=ndc,
            drug_name=_cell(row, 4), dosage=_cell(row, 5), pkg_size=_cell(row, 6),
            pkg_qty=_cell(row, 7),
            billunits=_positive(rec, line, f"BILLUNITS of {ndc}", _cell(row, 8))))
    return out


def pricing(rec: Recognised, codes: Collection[str]) -> list[PricingRow]:
    out = []
    for line, row in enumerate(rec.data, 1):
        code = row[0].upper()
        if code not in codes:
            continue
        limit = _cell(row, 3)
        if not _MONEY.match(limit) or limit.startswith("$"):
            raise _bad(rec, line, f"Payment Limit '{untrusted.shown(limit)}' of {code} is not "
                       "a plain number")
        out.append(PricingRow(code, _cell(row, 1), _cell(row, 2), limit, _cell(row, 4)))
    return out


def addendum_b(rec: Recognised, codes: Collection[str]) -> list[StatusRow]:
    out = []
    for line, row in enumerate(rec.data, 1):
        code = row[0].upper()
        if code not in codes:
            continue
        si = _cell(row, 2).upper()
        if not re.fullmatch(r"[A-Z][A-Z0-9]?", si):
            raise _bad(rec, line, f"SI '{untrusted.shown(si)}' of {code} is not a status "
                       "indicator")
        rate = _cell(row, 5)
        money = _MONEY.match(rate)
        if rate and not money:
            raise _bad(rec, line, f"Payment Rate '{untrusted.shown(rate)}' of {code} is not an "
                       "amount")
        out.append(StatusRow(code, _cell(row, 1), si, _cell(row, 3),
                             money.group(1) if money else ""))
    return out
