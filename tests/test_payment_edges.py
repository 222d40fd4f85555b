"""Payment allowance limits on claim lines: attached, said when missing, summed per kind,
rounded half-up to cents (issue 16). The limit is CMS's own (the catalog's ASP quarter)."""

import dataclasses
from decimal import Decimal

from ivigcalc.billing import payment
from ivigcalc.data.catalog import load
from ivigcalc.result import ClaimLine, Trail

CMS = load().catalog.cms
assert CMS is not None
LIMIT = CMS.payments["J1561"].limit
LINES = (ClaimLine("J1561", ("JA",), 55), ClaimLine("J1561", ("JA", "JW"), 5))


def test_lines_carry_the_quarters_limit_and_the_working_says_it() -> None:
    trail = Trail()
    priced = payment.price(LINES, CMS, "J1561", trail)
    assert [line.payment_limit_usd for line in priced] == [LIMIT, LIMIT]
    assert [line.text for line in priced] == [line.text for line in LINES]
    (step,) = [s for s in trail.steps if s.topic == "Payment limit"]
    given = Decimal(LIMIT) * 55
    assert step.text.startswith(f"55 × {LIMIT} USD = {given} → "
                                f"{given.quantize(Decimal('0.01'))} USD; 5 × {LIMIT} USD = ")
    assert step.text.endswith(" (half-up to cents)")
    assert step.source == f"CMS ASP pricing file {CMS.quarter} ({CMS.pricing})"


def test_no_cms_data_leaves_the_lines_alone_silently() -> None:
    trail = Trail()
    assert payment.price(LINES, None, "J1561", trail) is LINES
    assert trail.steps == [] and trail.notices == []


def test_a_code_without_a_limit_is_said_and_not_priced() -> None:
    trail = Trail()
    unpriced = dataclasses.replace(CMS, payments={})
    assert payment.price(LINES, unpriced, "J1561", trail) is LINES
    (note,) = trail.notices
    assert note.message == (f"CMS's ASP pricing file for {CMS.quarter} gives no payment "
                            "allowance limit for J1561: no amount is shown.")
    assert trail.steps == []


def priced(units: int, limit: str, *modifiers: str) -> ClaimLine:
    return dataclasses.replace(ClaimLine("J1561", modifiers, units), payment_limit_usd=limit)


def test_amounts_round_half_up_to_cents() -> None:
    assert priced(1, "0.125").amount_usd == Decimal("0.13")  # half-up, not half-even 0.12
    assert priced(1, "0.135").amount_usd == Decimal("0.14")
    assert priced(3, "48.964").amount_usd == Decimal("146.89")  # 146.892
    assert priced(1, "48.964").amount_usd == Decimal("48.96")


def test_totals_per_kind_of_line() -> None:
    lines = (priced(55, "48.964", "JA"), priced(5, "48.964", "JA", "JW"))
    assert payment.total(lines, discarded=False) == Decimal("2693.02")  # 2693.020
    assert payment.total(lines, discarded=True) == Decimal("244.82")
    assert payment.total(lines[:1], discarded=True) is None  # no JW line: no amount
    half = (priced(1, "0.125"), priced(1, "0.125"))
    assert payment.total(half, discarded=False) == Decimal("0.26")  # each line rounds first


def test_a_total_with_an_unpriced_line_is_none() -> None:
    lines = (priced(55, "48.964"), ClaimLine("J1561", (), 5))
    assert payment.total(lines, discarded=False) is None


def test_usd_for_people() -> None:
    assert payment.usd(Decimal("2693.02")) == "2,693.02 USD"
    assert payment.usd(Decimal("0.5")) == "0.50 USD"

