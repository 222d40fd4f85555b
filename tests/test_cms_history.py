"""Every date of service coded and priced by its own CMS quarter (2024-Q1 ... 2026-Q1).

The figures are CMS's, read off the bundled quarters (generated from tests/fixtures/cms by
the importer): J1459 Privigen 49.179 USD a unit in the 2025-Q2 pricing file, J1556 Bivigam
K in the 2024-Q1 Addendum B and N in 2025's.
"""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from cms_slices import synthetic_quarter
from helpers import run_cli

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data.catalog import load
from ivigcalc.data.cms.history import CmsHistory, quarter_of
from ivigcalc.result import STALE_CMS

CATALOG = load().catalog
HISTORY = CATALOG.cms_history
QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3",
            "2025-Q4", "2026-Q1"]


def calc(day: dt.date, **kwargs: object):
    request = {"weight": "70 kg", "dose": "1 g/kg", "product": "privigen",
               "date_of_service": day, **kwargs}
    return calculate(CalcRequest(**request), CATALOG)  # type: ignore[arg-type]


def test_the_bundled_history_holds_every_quarter_in_the_cms_files() -> None:
    assert HISTORY is not None and list(HISTORY.labels) == QUARTERS
    for label in QUARTERS:
        cms = HISTORY[label]
        assert cms.quarter == label and quarter_of(cms.effective) == label
        assert cms.payments["J1459"].source == f"CMS ASP pricing file {label}"


def test_privigen_on_2025_05_12_is_priced_by_2025_q2(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    """The issue's worked example: J1459 JZ × 140 at 49.179 = 6,885.06 (not 2025-Q4's
    50.737, which gave 7,103.18)."""
    result = calc(dt.date(2025, 5, 12))
    (line,) = result.days[0].claim_lines
    assert (line.text, line.payment_limit_usd, line.amount_usd, line.cms_quarter) == (
        "J1459 JZ × 140", "49.179", Decimal("6885.06"), "2025-Q2")
    assert result.warnings == ()  # its own quarter is held: nothing stale
    code, out, err = run_cli(capsys, "calc", "--weight", "70 kg", "--dose", "1 g/kg",
                             "--product", "privigen", "--date", "2025-05-12")
    assert code == 0, err
    assert "J1459 JZ × 140 units" in out
    assert "CMS data: quarter 2025-Q2" in out
    assert ("Medicare payment allowance limit (not the price paid, not a charge), CMS 2025-Q2:\n"
            "  140 administered units × 49.179 USD = 6,885.06 USD") in out
    data = json.loads(render.summary_json(result))
    assert data["days"][0]["claim_lines"][0]["cms_quarter"] == "2025-Q2"
    assert data["days"][0]["claim_lines"][0]["amount_usd"] == "6885.06"
    assert (data["cms"]["quarter"], data["cms"]["quarters"]) == ("2025-Q2", ["2025-Q2"])
    assert data["cms"]["pricing"] == "section 508 version of APR 2025 ASP Pricing File 032725.csv"


def test_hizentra_in_august_2024_takes_2024_q3s_limit() -> None:
    assert HISTORY is not None
    limit = HISTORY["2024-Q3"].payments["J1559"].limit
    assert limit != HISTORY["2025-Q4"].payments["J1559"].limit
    result = calc(dt.date(2024, 8, 20), weight="50 kg", dose="0.2 g/kg", product="hizentra")
    assert {line.payment_limit_usd for line in result.days[0].claim_lines} == {limit}


def test_a_course_across_two_quarters_prices_each_date_by_its_own() -> None:
    result = calc(dt.date(2025, 6, 30), days=2)
    first, second = result.days
    assert (first.cms_quarter, second.cms_quarter) == ("2025-Q2", "2025-Q3")
    assert first.claim_lines[0].payment_limit_usd == "49.179"
    assert second.claim_lines[0].payment_limit_usd == "50.432"
    assert result.cms is not None and result.cms["quarters"] == ["2025-Q2", "2025-Q3"]
    assert result.cms["quarter"] == "2025-Q2"  # the first date's
    text = render.summary_text(result)
    assert "CMS data: quarters 2025-Q2 (2025-06-30), 2025-Q3 (2025-07-01)" in text
    assert "not a charge), CMS 2025-Q3:\n  140 administered units × 50.432 USD" in text
    assert any(n.startswith("Day 2 (2025-07-01) is coded and priced with CMS 2025-Q3 data: "
                            "J1459 JZ × 140 at 50.432 USD = 7,060.48 USD") for n in result.notes)


@pytest.mark.parametrize(("day", "si", "lines"), [
    (dt.date(2024, 5, 6), "K", ["J1556 × 133", "J1556 JW × 7"]),  # 2024-Q1's Addendum B
    (dt.date(2025, 5, 6), "N", ["J1556 × 133"]),  # 2025-Q1's: packaged, no JW line
])
def test_opps_status_comes_from_the_dates_addendum_b(day: dt.date, si: str,
                                                     lines: list[str]) -> None:
    """Bivigam (J1556) was K in the 2024-Q1 Addendum B and N in 2025: a 2024 claim under
    medicare-opps keeps its JW line. 2024-Q2 and 2025-Q2 have no Addendum B of their own."""
    result = calc(day, product="bivigam", payer="medicare-opps", vials="10 g",
                  dose="0.95 g/kg")  # 66.5 g from 7 × 10 g
    assert [line.text for line in result.days[0].claim_lines] == lines
    cms = CATALOG.cms_on(day)
    assert cms is not None and cms.opps["J1556"].si == si
    source = f"{day.year}-Q1"
    assert cms.status_from == source
    assert (f"CMS published no OPPS Addendum B for {cms.quarter}: its status indicators are "
            f"{source}'s, the last published.") in result.notes


def test_quarters_without_addendum_b_keep_the_last_published_status() -> None:
    assert HISTORY is not None
    expected = {"2024-Q1": "", "2024-Q2": "2024-Q1", "2024-Q3": "2024-Q1",
                "2024-Q4": "2024-Q1", "2025-Q1": "", "2025-Q2": "2025-Q1", "2025-Q3": "",
                "2025-Q4": "", "2026-Q1": "2025-Q4"}
    assert {label: HISTORY[label].status_from for label in QUARTERS} == expected
    for label, source in expected.items():
        cms = HISTORY[label]
        assert cms.status_quarter == (source or label)
        assert cms.opps["J1561"].source == f"CMS OPPS Addendum B {source or label}"
        assert bool(cms.addendum_b) == (not source)


def test_dates_outside_every_quarter_use_the_nearest_and_say_so() -> None:
    assert HISTORY is not None
    assert HISTORY.label_on(dt.date(2026, 8, 3)) == "2026-Q1"
    assert HISTORY.gap(dt.date(2026, 8, 3)) == "newest CMS data 2026-Q1; 2026-08-03 is in 2026-Q3"
    assert HISTORY.label_on(dt.date(2023, 12, 29)) == "2024-Q1"
    assert HISTORY.gap(dt.date(2023, 12, 29)) == (
        "oldest CMS data 2024-Q1; 2023-12-29 is in 2023-Q4")
    assert HISTORY.gap(dt.date(2026, 3, 31)) == "" and HISTORY.gap(dt.date(2024, 1, 1)) == ""
    early = calc(dt.date(2023, 12, 29))
    assert [n.message for n in early.notices if n.topic == STALE_CMS] == [
        "oldest CMS data 2024-Q1; 2023-12-29 is in 2023-Q4: its NDCs, payment limits and OPPS "
        "status are 2024-Q1's; update the CMS data (ivigcalc catalog import-cms)."]


def test_a_hole_in_a_history_uses_the_quarter_before_it() -> None:
    assert HISTORY is not None
    held = {label: (lambda c=HISTORY[label]: c) for label in ("2024-Q1", "2024-Q4")}
    history = CmsHistory(held)
    assert history.label_on(dt.date(2024, 8, 1)) == "2024-Q1"
    assert history.gap(dt.date(2024, 8, 1)) == (
        "no CMS data for 2024-Q3; 2024-08-01 is priced with 2024-Q1")
    assert history.on(dt.date(2024, 11, 1)) is HISTORY["2024-Q4"]
    with pytest.raises(ValueError):
        CmsHistory({})


def test_each_quarter_is_read_when_a_date_first_needs_it() -> None:
    """Nine quarters cost a load what one does: none is read until a date asks for it."""
    loaded = load().catalog
    history = loaded.cms_history
    assert history is not None
    untouched = [label for label in history.labels
                 if history._loaders[label].cache_info().currsize == 0]  # type: ignore[attr-defined]
    assert untouched == QUARTERS
    history.on(dt.date(2025, 5, 12))
    assert [label for label in history.labels
            if history._loaders[label].cache_info().currsize] == ["2025-Q2"]  # type: ignore[attr-defined]


def test_a_site_quarter_joins_the_history_and_older_dates_keep_theirs(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A synthetic 2026-Q2 (a copy of CMS's 2026-Q1 files with new dates and a changed
    J1459 limit): its dates are priced by it, 2025-05-12 keeps 2025-Q2."""
    files = synthetic_quarter(tmp_path / "synthetic-2026-Q2",
                              limits={"J1459": ("50.281", "51.500")})
    site = tmp_path / "site.toml"
    code, _, err = run_cli(capsys, "catalog", "import-cms", *map(str, files),
                             "--output", str(site), "--checked", "2026-12-01")
    assert code == 0, err
    loaded = load(site).catalog
    assert loaded.cms_history is not None and loaded.cms_history.labels[-1] == "2026-Q2"
    late = calculate(CalcRequest(weight="70 kg", dose="1 g/kg", product="privigen",
                                 date_of_service=dt.date(2026, 5, 4)), loaded)
    assert late.days[0].claim_lines[0].payment_limit_usd == "51.500"
    assert late.warnings == ()
    early = calculate(CalcRequest(weight="70 kg", dose="1 g/kg", product="privigen",
                                  date_of_service=dt.date(2025, 5, 12)), loaded)
    assert early.days[0].claim_lines[0].payment_limit_usd == "49.179"


def test_a_single_claim_check_after_the_newest_quarter_is_never_a_bare_pass(
        capsys: pytest.CaptureFixture[str]) -> None:
    base = ["check", "--administered", "27.5 g", "--product", "gamunex-c", "--vials",
            "1 x 20 g, 1 x 5 g, 1 x 2.5 g", "--line", "J1561 JA JZ 55"]
    code, out, err = run_cli(capsys, *base, "--date", "2025-11-03")
    assert code == 0, err
    assert "cms-data-stale" not in out and "No problems found" in out
    code, out, err = run_cli(capsys, *base, "--date", "2026-08-03")
    assert code == 0, err
    assert "No problems found" not in out
    assert ("WARNING claim    cms-data-stale: newest CMS data 2026-Q1; 2026-08-03 is in "
            "2026-Q3: the NDCs, billing units, payment limits and OPPS status checked are "
            "2026-Q1's; update the CMS data (ivigcalc catalog import-cms)") in out


def test_a_batch_says_it_once_in_its_summary_not_on_every_row(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text("id,date,product,administered,vials,lines\n"
                      "a,2026-08-03,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55; J1561 JA JW 5\n"
                      "b,2026-09-01,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55; J1561 JA JW 5\n"
                      "c,2025-11-03,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55; J1561 JA JW 5\n",
                      encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "--csv", str(claims), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    rules = [f["rule"] for row in data["rows"] for f in row["findings"]]
    assert "cms-data-stale" not in rules
    assert data["summary"]["outside_quarter"] == 2
    assert data["summary"]["cms_data_stale"] == (
        "newest CMS data 2026-Q1; 2026-09-01 is in 2026-Q3")
    code, out, err = run_cli(capsys, "check", "--csv", str(claims), "--format", "summary")
    assert out.count("cms-data-stale") == 1 and "2 claims dated in a quarter" in out
