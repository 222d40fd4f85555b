"""Properties: what `calculate` bills passes the check; what differs from it never does."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from helpers import orders
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ivigcalc.billing import lines as billing
from ivigcalc.billing import opps
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.check.rules import CheckRequest, ClaimRecord, check, expected_only, read
from ivigcalc.data.catalog import load
from ivigcalc.errors import Refusal
from ivigcalc.result import ClaimLine, Trail

CATALOG = load().catalog


def mg_text(mg: Fraction) -> str:
    """An exact amount as a coder would type it, in mg; assume() away non-terminating ones."""
    value = Decimal(mg.numerator) / Decimal(mg.denominator)
    assume(Fraction(value) == mg)
    return f"{value:f} mg"


def vials_text(vials: tuple[tuple[Fraction, int], ...]) -> str:
    return " + ".join(f"{n} x {mg_text(size)}" for size, n in vials)


@settings(max_examples=300, deadline=None)
@given(order=orders)
def test_what_calculate_bills_has_no_error(order: dict) -> None:
    try:
        result = calculate(CalcRequest(**order), CATALOG)
    except Refusal:
        assume(False)  # hard limits refuse some random orders
        raise
    day = result.days[0]
    request = read(CheckRequest(
        administered=mg_text(day.administered_mg), vials=vials_text(day.plan.vials),
        lines=tuple(line.text for line in day.claim_lines), product=result.product_key,
        route=result.route, payer=result.payer_key, date_of_service=result.date_of_service,
        kx=order["kx"]))
    checked = check(request, CATALOG)
    errors = [f for f in checked.findings if f.severity == "error"]
    assert errors == []
    assert tuple(e.line for e in checked.expected) == day.claim_lines


claims = st.fixed_dictionaries({
    "product": st.sampled_from(sorted(CATALOG.products)),
    "administered_tenths": st.integers(min_value=1, max_value=1200),  # 0.1 g to 120 g
    "extra": st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=6),
    "payer": st.sampled_from(sorted(CATALOG.payers)),
    "kx": st.booleans(),
    "day": st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2027, 12, 31)),
})


def claim_request(claim: dict, lines: tuple[str, ...] = ()) -> ClaimRecord:
    """A random day: some dose, and vials of the product covering it (maybe wastefully)."""
    product = CATALOG.products[claim["product"]]
    administered = Fraction(claim["administered_tenths"] * 100)
    sizes = sorted(product.vial_sizes_mg)
    counts = [n for n in claim["extra"][:len(sizes)]]
    opened = sum(size * n for size, n in zip(sizes, counts, strict=False))
    # top up with the largest size until the vials cover the dose
    top_up = 0
    while opened + top_up * sizes[-1] < administered:
        top_up += 1
    counts = counts + [0] * (len(sizes) - len(counts))
    counts[-1] += top_up
    vials = tuple((size, n) for size, n in zip(sizes, counts, strict=True) if n)
    return read(CheckRequest(administered=mg_text(administered), vials=vials_text(vials),
                        lines=lines, product=claim["product"], payer=claim["payer"],
                        date_of_service=claim["day"], kx=claim["kx"]))


def as_typed(line: ClaimLine) -> str:
    return " ".join((line.code, *line.modifiers, str(line.units)))


@settings(max_examples=300, deadline=None)
@given(claim=claims)
def test_the_expected_lines_pasted_back_have_no_error(claim: dict) -> None:
    first = expected_only(claim_request(claim), CATALOG)
    lines = tuple(as_typed(e.line) for e in first.expected)
    again = check(claim_request(claim, lines), CATALOG)
    assert not again.has_errors, again.findings
    assert again.expected == first.expected


@settings(max_examples=300, deadline=None)
@given(claim=claims, shift=st.integers(min_value=-3, max_value=3).filter(bool))
def test_wrong_administered_units_are_always_an_error(claim: dict, shift: int) -> None:
    first = expected_only(claim_request(claim), CATALOG)
    main, *rest = first.expected
    assume(main.line.units + shift >= 1)
    wrong = ClaimLine(main.line.code, main.line.modifiers, main.line.units + shift)
    result = check(claim_request(claim, (as_typed(wrong), *(as_typed(e.line) for e in rest))),
                   CATALOG)
    assert any(f.rule == "units-rounding" and f.severity == "error" for f in result.findings)


@settings(max_examples=200, deadline=None)
@given(claim=claims)
def test_a_dropped_waste_line_is_always_an_error(claim: dict) -> None:
    first = expected_only(claim_request(claim), CATALOG)
    assume(len(first.expected) == 2)  # a JW line was due
    result = check(claim_request(claim, (as_typed(first.expected[0].line),)), CATALOG)
    assert [f.severity for f in result.findings if f.rule == "jw-missing"] == ["error"]


@settings(max_examples=300, deadline=None)
@given(payer=st.sampled_from(sorted(CATALOG.payers)),
       day=st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2027, 12, 31)),
       kx=st.booleans(), vials=st.sampled_from(["3 x 10 g", "10 g, 10 g, 5 g, 2.5 g"]))
def test_memoised_lines_are_the_engines_on_every_date(payer: str, day: dt.date, kx: bool,
                                                       vials: str) -> None:
    """The check memoises claim_lines across dates; it must equal a direct call on each."""
    result = check(read(CheckRequest("27.3 g", vials, ("J1561 JA 55",), day, product="gamunex-c",
                                payer=payer, kx=kx)), CATALOG)
    trail = Trail()
    packaged = opps.packaged(CATALOG.payers[payer], CATALOG.cms, "J1561", Trail())
    direct = billing.claim_lines(CATALOG.codes["J1561"], Fraction(27300),
                                 result.claim.opened_mg, "iv", CATALOG.payers[payer], day, kx,
                                 trail, packaged)
    assert result.claim.lines == direct
    assert result.claim.steps == tuple(trail.steps)
