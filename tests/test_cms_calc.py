"""What the calculation gains from CMS's files: NDCs per vial, N4 lines, payment limits."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data.catalog import load
from ivigcalc.result import STALE_CMS, ClaimLine

CATALOG = load().catalog
IN_QUARTER = dt.date(2025, 11, 3)


def calc(**kwargs):
    kwargs.setdefault("date_of_service", IN_QUARTER)
    return calculate(CalcRequest(**kwargs), CATALOG)


def test_cutaquig_bills_its_labeled_grams() -> None:
    """9.3 g from CMS's sizes is 4 + 3.3 + 2 g exactly: J1551 JZ × 93, nothing discarded."""
    result = calc(weight="93 kg", dose="100 mg/kg", product="cutaquig")
    (day,) = result.days
    assert day.plan.vials == ((4000, 1), (3300, 1), (2000, 1))
    assert [line.text for line in day.claim_lines] == ["J1551 JZ × 93"]
    assert day.ndcs_of(3300) == ("68982-0810-04",)
    assert day.ndcs_of(4000) == ("00069-1509-02", "68982-0810-05")


def test_n4_lines_in_the_text_summary_default_to_un() -> None:
    result = calc(weight="78 kg", dose="350 mg/kg", product="gamunex-c", vials="10 g")
    summary = render.summary_text(result)
    assert "  N413533080071 UN3  13533-0800-71, 10 g" in summary
    assert "Medicare payment allowance limit (not the price paid, not a charge), CMS 2025-Q4:" \
        in summary
    assert "  55 administered units × 48.964 USD = 2,693.02 USD" in summary
    assert "  5 discarded units (JW) × 48.964 USD = 244.82 USD" in summary
    html = render.summary_html(result)
    assert ">48.964<" in html and ">2,693.02 USD<" in html and "N413533080071 UN3" in html


def test_a_product_without_ndc_rows_or_limit_carries_none() -> None:
    """Flebogamma (J1572): no crosswalk rows and no ASP limit in 2025-Q4."""
    result = calc(weight="50 kg", dose="0.4 g/kg", product="flebogamma-10")
    data = json.loads(render.summary_json(result))
    (day,) = data["days"]
    assert all(v["ndcs"] == [] for v in day["vials"])
    assert {line["payment_limit_usd"] for line in day["claim_lines"]} == {None}
    assert {line["amount_usd"] for line in day["claim_lines"]} == {None}
    assert day["ndc_lines"] == []
    summary = render.summary_text(result)
    assert "none shown for J1572 (see the notes)" in summary
    assert "no NDC in CMS's 2025-Q4 crosswalk for 20 g of Flebogamma 10% DIF" in summary


def test_a_date_after_the_newest_quarter_warns_once_naming_both() -> None:
    inside = calc(weight="70 kg", dose="0.4 g/kg", product="privigen")
    assert not any("CMS data" in w for w in inside.warnings)
    outside = calc(weight="70 kg", dose="0.4 g/kg", product="privigen", days=3,
                   date_of_service=dt.date(2026, 8, 3))
    stale = [n for n in outside.notices if n.topic == STALE_CMS]
    assert [n.message for n in stale] == [
        "newest CMS data 2026-Q1; 2026-08-03 is in 2026-Q3 (and 2 later dates): its NDCs, "
        "payment limits and OPPS status are 2026-Q1's; update the CMS data (ivigcalc catalog "
        "import-cms)."]
    assert stale[0].level == "warning"
    assert {line.cms_quarter for day in outside.days for line in day.claim_lines} == {"2026-Q1"}


def test_several_ndcs_for_one_size_are_all_named() -> None:
    result = calc(weight="50 kg", dose="0.2 g/kg", product="hizentra", vials="10 g")
    summary = render.summary_text(result)
    assert "N444206045510 UN1  44206-0455-10, 10 g (or 44206-0455-25: use the NDC on the " \
        "vial)" in summary


def test_ml_qualifier_uses_the_crosswalk_volume_only_when_it_agrees(tmp_path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[payers.medicare]\nndc_qualifier = "ML"\n', encoding="utf-8")
    catalog = load(site).catalog
    good = calculate(CalcRequest(weight="78 kg", dose="350 mg/kg", product="gamunex-c",
                                 vials="10 g", date_of_service=IN_QUARTER), catalog)
    assert [line.text for line in good.days[0].ndc_lines] == ["N413533080071 ML300"]
    # Privigen 44206-0437-10 says 110 mL for a 10 g vial: no guessed volume, UN instead.
    bad = calculate(CalcRequest(weight="50 kg", dose="0.2 g/kg", product="privigen",
                                vials="10 g", date_of_service=IN_QUARTER), catalog)
    assert [line.text for line in bad.days[0].ndc_lines] == ["N444206043710 UN1"]


@given(units=st.integers(min_value=1, max_value=10_000),
       mills=st.integers(min_value=1, max_value=999_999))
def test_amount_is_units_times_limit_half_up_to_cents(units: int, mills: int) -> None:
    limit = f"{mills // 1000}.{mills % 1000:03d}"
    line = ClaimLine("J1561", (), units, payment_limit_usd=limit)
    exact = units * Decimal(limit)
    assert line.amount_usd is not None
    assert abs(line.amount_usd - exact) <= Decimal("0.005")
    assert line.amount_usd.as_tuple().exponent == -2
    if (exact * 1000) % 10 == 5:  # a half cent always rounds up
        assert line.amount_usd > exact


@pytest.mark.parametrize(("units", "limit", "amount"), [
    (55, "48.964", "2693.02"), (5, "48.964", "244.82"), (1, "0.005", "0.01"),
    (3, "14.845", "44.54"),  # 44.535 rounds up
])
def test_worked_amounts(units: int, limit: str, amount: str) -> None:
    assert str(ClaimLine("J1561", (), units, payment_limit_usd=limit).amount_usd) == amount


def test_no_user_visible_source_cites_an_internal_note() -> None:
    """Sources are primary documents (CMS files, manuals, labels), never internal notes."""
    sources = [row.source for table in ("codes", "products", "payers", "policies", "limits",
                                        "presets") for row in getattr(CATALOG, table).values()]
    assert CATALOG.cms is not None
    sources += [row.source for row in CATALOG.cms.ndcs.values()]
    # Cutaquig is subcutaneous: 1 g/kg in a week is past its hard limit, so 0.3 g/kg.
    for product, dose in (("gamunex-c", "1 g/kg"), ("cutaquig", "0.3 g/kg"),
                          ("flebogamma-5", "1 g/kg")):
        result = calc(weight="80 kg", dose=dose, product=product, height="170 cm",
                      sex="male", basis="adjusted", rounding="nearest-vial")
        sources += [step.source for step in result.steps] + [n.source for n in result.notices]
    for source in sources:
        assert "domain" not in source.lower() and "ivig-rules" not in source, source
