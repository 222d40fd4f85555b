"""The medicare-opps payer: Addendum B status N (packaged) takes one line and no JW/JZ."""

import datetime as dt

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.check.record import CheckRequest, read
from ivigcalc.check.rules import check
from ivigcalc.data.catalog import load

CATALOG = load().catalog
DAY = dt.date(2025, 11, 3)


def lines(product: str, payer: str, vials: str = "10 g") -> list[str]:
    result = calculate(CalcRequest(weight="78 kg", dose="350 mg/kg", product=product,
                                   vials=vials, payer=payer, date_of_service=DAY), CATALOG)
    return [line.text for line in result.days[0].claim_lines]


def test_2025_q4_status_indicators() -> None:
    assert CATALOG.cms is not None
    assert CATALOG.cms.opps["J1556"].si == "N"
    assert CATALOG.cms.opps["J1561"].si == "K"


def test_packaged_code_takes_one_line_with_the_administered_units() -> None:
    """Bivigam (J1556, N): 27.3 g from 3 × 10 g is 55 units, the 5 discarded are not billed."""
    assert lines("bivigam", "medicare") == ["J1556 × 55", "J1556 JW × 5"]
    assert lines("bivigam", "medicare-opps") == ["J1556 × 55"]
    result = calculate(CalcRequest(weight="78 kg", dose="350 mg/kg", product="bivigam",
                                   vials="10 g", payer="medicare-opps", date_of_service=DAY),
                       CATALOG)
    assert any("packaged under the OPPS" in n and "no JW/JZ" in n for n in result.notes)
    assert result.days[0].claim_lines[0].payment_limit_usd is None
    # Nothing discarded, still no JZ: packaged drugs take neither modifier.
    assert lines("bivigam", "medicare-opps", "5 g") == ["J1556 × 55"]
    assert "none shown for J1556" in render.summary_text(result)


def test_separately_paid_code_keeps_jw_and_jz() -> None:
    assert lines("gamunex-c", "medicare-opps") == ["J1561 JA × 55", "J1561 JA JW × 5"]
    assert lines("gamunex-c", "medicare-opps", "20 g,5 g,2.5 g") == ["J1561 JA JZ × 55"]


def test_the_claim_check_expects_the_same_for_opps() -> None:
    ok = check(read(CheckRequest(administered="27.3 g", vials="3 x 10 g", lines=["J1556 55"],
                            date_of_service=DAY, product="bivigam", payer="medicare-opps")),
               CATALOG)
    assert [e.line.text for e in ok.expected] == ["J1556 × 55"]
    assert not [f for f in ok.findings if f.rule in ("jw-missing", "jz-missing")]


def test_a_jw_line_on_a_packaged_code_is_not_allowed() -> None:
    result = check(read(CheckRequest(administered="27.3 g", vials="3 x 10 g",
                                lines=["J1556 55", "J1556 JW 5"], date_of_service=DAY,
                                product="bivigam", payer="medicare-opps")), CATALOG)
    (finding,) = [f for f in result.findings if f.rule == "jw-not-allowed"]
    assert finding.line == 2 and "packaged under the OPPS" in finding.message
