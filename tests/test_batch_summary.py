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
                    "over,2026-01-05,gamunex-c,27.3 g,3 x 10 g,J1561 JA 60; J1561 JA JW 5\n"
                    "under,2026-01-05,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55\n"
                    "right,2026-01-05,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55; J1561 JA JW 5\n")
    rows = reports(path)
    assert [units_billed(r.result) - units_expected(r.result) for r in rows if r.result] == \
        [5, -5, 0]
    limits = {"J1561": "48.964"}
    summary = summarize(rows, limits.get, "2025-Q4")
    assert (summary.units_over, summary.units_under) == (5, 5)
    assert summary.money_over == Decimal("244.820") and summary.money_under == Decimal("244.820")
    lines = summary_lines(summary)
    assert ("Money at stake at Medicare's payment allowance limit (not the price paid, not a "
            "charge), CMS 2025-Q4: 244.82 USD billed over, 244.82 USD left unbilled") in lines


def test_a_code_without_a_limit_is_counted_not_priced(tmp_path: Path) -> None:
    rows = reports()
    summary = summarize(rows, {}.get, "2025-Q4")
    assert summary.money_over == 0 and "J1561" in summary.unpriced
    assert any(line.startswith("No payment limit for J1561") for line in summary_lines(summary))


def test_cli_summary_format(capsys) -> None:
    assert main(["check", "--csv", str(SAMPLE), "--format", "summary",
                 "--date", dt.date(2026, 1, 5).isoformat()]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Batch summary\n  6 claims checked: ")
    assert "Claims that will deny (errors): 2" in out
    assert "Findings by rule: invalid-input " in out
