"""Medicare's payment allowance limit on each claim line, from the quarter's ASP pricing file.

The limit is per billing unit, exactly as CMS writes it ("48.964"); a line's amount is
units × limit rounded half-up to cents (Decimal, never float). The JW line is paid too,
which is why waste is audited. It is the payment allowance limit, not the price paid and
not the provider's charge: every face labels it so (LABEL). Where CMS gives no limit
(J1572, J1599 in 2025-Q4) the line carries none, and the summary says so.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from ivigcalc.data.cms.model import CmsData
from ivigcalc.result import CENT, ClaimLine, Trail

LABEL = "Medicare payment allowance limit (not the price paid, not a charge)"


def source(cms: CmsData) -> str:
    return f"CMS ASP pricing file {cms.quarter} ({cms.pricing})"


def price(lines: tuple[ClaimLine, ...], cms: CmsData | None, code: str,
          trail: Trail) -> tuple[ClaimLine, ...]:
    """The lines with the quarter's limit attached (unchanged when CMS gives none)."""
    payment = cms.payments.get(code) if cms else None
    if cms is None:
        return lines
    if payment is None:
        trail.note(f"CMS's ASP pricing file for {cms.quarter} gives no payment allowance limit "
                   f"for {code}: no amount is shown.", source(cms))
        return lines
    priced = tuple(dataclasses.replace(line, payment_limit_usd=payment.limit) for line in lines)
    trail.step("Payment limit", "; ".join(
        f"{line.units} × {payment.limit} USD = {line.units * Decimal(payment.limit)} → "
        f"{line.amount_usd} USD" for line in priced) + " (half-up to cents)", source(cms))
    return priced


def total(lines: tuple[ClaimLine, ...], discarded: bool) -> Decimal | None:
    """The administered (or discarded) lines' amounts added up; None when unpriced."""
    amounts = [line.amount_usd for line in lines if line.discarded == discarded]
    if not amounts or any(a is None for a in amounts):
        return None
    return sum((a for a in amounts if a is not None), Decimal(0)).quantize(CENT)


def usd(amount: Decimal) -> str:
    """'2,693.02 USD' for people (thousands separators); JSON keeps '2693.02'."""
    return f"{amount:,.2f} USD"
