"""The batch summary a manager reads: claims that will deny, findings by rule, money."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from ivigcalc.check import batch
from ivigcalc.check.summary import summarize, summary_lines, units_billed, units_expected
from ivigcalc.cli.main import main
from ivigcalc.data.catalog import load

CATALOG = load().catalog
SAMPLE = Path(__file__).parent / "data" / "check_claims_synthetic.csv"


def reports(path: Path = SAMPLE) -> list[batch.RowReport]:
    handle, reader, _ = batch.open_rows(path)
    with handle:
        return list(batch.check_rows(reader, CATALOG, batch.Defaults()))


def test_counts_and_rules_match_the_report_rows() -> None:
    rows = reports()
    summary = summarize(rows)
    assert summary.rows == len(rows) == 6
    assert summary.will_deny == sum(1 for r in rows if r.status == "errors") == 2
    findings = sum(len(r.result.findings) for r in rows if r.result)
    invalid = sum(1 for r in rows if r.result is None)
    assert sum(summary.by_rule.values()) == findings + invalid


def test_units_over_are_billed_minus_expected(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("id,date,product,administered,vials,lines\n"
                    "over,2025-11-03,gamunex-c,27.3 g,3 x 10 g,J1561 JA 60; J1561 JA JW 5\n"
                    "under,2025-11-04,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55\n"
                    "right,2025-11-05,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55; J1561 JA JW 5\n")
    rows = reports(path)
    assert [units_billed(r.result) - units_expected(r.result) for r in rows if r.result] == \
        [5, -5, 0]
    # J1561 in CMS's 2025-Q4 ASP pricing file: 48.964 USD per unit (the claims' quarter).
    assert CATALOG.cms_history is not None
    assert CATALOG.cms_history["2025-Q4"].payments["J1561"].limit == "48.964"
    summary = summarize(rows, CATALOG.cms_history)
    assert (summary.units_over, summary.units_under) == (5, 5)
    assert summary.money_over == Decimal("244.820") and summary.money_under == Decimal("244.820")
    assert summary.outside == 0
    lines = summary_lines(summary)
    assert ("Money at stake at Medicare's payment allowance limit (not the price paid, not a "
            "charge), CMS 2025-Q4: 244.82 USD billed over, 244.82 USD left unbilled") in lines


def test_a_code_without_a_limit_is_counted_not_priced(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"  # J1599 (NOS) has no payment limit in the 2025-Q4 file
    path.write_text("id,date,code,administered,vials,lines\n"
                    "nos,2025-11-03,J1599,27.3 g,3 x 10 g,J1599 55; J1599 JW 7\n")
    summary = summarize(reports(path), CATALOG.cms_history)
    assert summary.units_over == 2 and summary.money_over == 0 and "J1599" in summary.unpriced
    assert any(line.startswith("No payment limit for J1599") for line in summary_lines(summary))


def test_each_claim_is_priced_by_its_own_quarter(tmp_path: Path) -> None:
    """J1561: 48.345 USD a unit in 2025-Q2, 48.964 in 2025-Q4 (CMS's ASP pricing files)."""
    path = tmp_path / "claims.csv"
    path.write_text("id,date,product,administered,vials,lines\n"
                    "q2,2025-05-12,gamunex-c,27.3 g,3 x 10 g,J1561 JA 60; J1561 JA JW 5\n"
                    "q4,2025-11-04,gamunex-c,27.3 g,3 x 10 g,J1561 JA 60; J1561 JA JW 5\n")
    assert CATALOG.cms_history is not None
    q2 = CATALOG.cms_history["2025-Q2"].payments["J1561"].limit
    summary = summarize(reports(path), CATALOG.cms_history)
    assert summary.money_over == 5 * Decimal(q2) + 5 * Decimal("48.964")
    assert summary.quarter == "2025-Q2, 2025-Q4" and summary.outside == 0
    assert not any(line.startswith("cms-data-stale") for line in summary_lines(summary))


def test_claims_after_the_newest_quarter_are_counted_once_in_the_summary(
        tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("id,date,product,administered,vials,lines\n"
                    "a,2026-08-03,gamunex-c,27.3 g,3 x 10 g,J1561 JA 60; J1561 JA JW 5\n"
                    "b,2026-05-04,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55; J1561 JA JW 5\n"
                    "c,2026-02-02,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55; J1561 JA JW 5\n")
    summary = summarize(reports(path), CATALOG.cms_history)
    assert summary.outside == 2  # 2026-Q2 and 2026-Q3 are not held; 2026-Q1 is
    assert summary.money_over == 5 * Decimal("49.076")  # priced with 2026-Q1, the nearest
    stale = [line for line in summary_lines(summary) if line.startswith("cms-data-stale")]
    assert stale == ["cms-data-stale: 2 claims dated in a quarter the catalog lacks, coded and "
                     "priced with the nearest quarter held (newest CMS data 2026-Q1; "
                     "2026-08-03 is in 2026-Q3); update the CMS data (ivigcalc catalog "
                     "import-cms)"]


def test_cli_summary_format(capsys) -> None:
    assert main(["check", "--csv", str(SAMPLE), "--format", "summary",
                 "--date", dt.date(2026, 1, 5).isoformat()]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Batch summary\n  6 claims checked: ")
    assert "Claims that will deny (errors): 2" in out
    assert "Findings by rule: invalid-input " in out


def test_json_report_summary_adds_what_a_manager_reads(capsys) -> None:
    import json

    assert main(["check", "--csv", str(SAMPLE), "--format", "json"]) == 1
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert (summary["rows"], summary["errors"], summary["will_deny"]) == (6, 2, 2)
    assert summary["by_rule"]["invalid-input"] == 2
    # A-3 bills 54 + 5 + 5 = 64 units where 55 + 5 are expected: 4 × 49.076 USD (its date
    # 2026-01-05 is in 2026-Q1).
    assert (summary["units_over"], summary["money_over_usd"]) == (4, "196.30")
    assert summary["money_quarter"] == "2026-Q1" and summary["outside_quarter"] == 0
    assert summary["cms_data_stale"] is None
