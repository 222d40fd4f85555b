"""The Check page opens X12 files in its batch panel, read and checked in the worker: an
837's claims with their lines and findings, an 835's lines with their explanations."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ivigcalc.gui.check import reports as check_reports
from ivigcalc.gui.window import MainWindow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def opened(qtbot: QtBot, window: MainWindow, path: Path) -> list[tuple[str, ...]]:
    page = window.check_page()
    assert page.reports.open_batch(str(path))
    assert page.reports.job is not None  # read in the worker, not on the window's thread
    qtbot.waitUntil(lambda: not page.reports.busy, timeout=60_000)
    return page.reports.panel.sorted_rows()


def test_an_837_lists_each_claim_with_its_lines_and_findings(qtbot: QtBot,
                                                              window: MainWindow) -> None:
    rows = opened(qtbot, window, EXAMPLES / "claims.837")
    by_claim = {}
    for row in rows:
        by_claim.setdefault(row[1], []).append(row)
    assert list(by_claim) == ["RIGHT-1", "JWMISSING-2", "WRONGNDC-3", "JZWASTE-4"]
    first = by_claim["RIGHT-1"][0]
    assert first[4] == "lines" and "1. J1459 55" in first[6] and "3. 96365 1" in first[6]
    assert any(r[4] == "jw-missing" for r in by_claim["JWMISSING-2"])
    assert [r[5] for r in by_claim["WRONGNDC-3"] if r[4] == "ndc-code-mismatch"] == ["1", "2"]
    panel = window.check_page().reports.panel
    assert "4 claims checked" in panel.summaryLabel.text()


def test_an_835_lists_its_lines_with_what_each_code_means(qtbot: QtBot,
                                                          window: MainWindow) -> None:
    rows = opened(qtbot, window, EXAMPLES / "remittance.835")
    denied = [r for r in rows if r[2] == "denied"]
    assert {r[1] for r in denied} == {"JWMISSING-2", "WRONGNDC-3"}
    ndc = next(r for r in denied if r[1] == "WRONGNDC-3")
    assert "CO-16" in ndc[4] and "M119" in ndc[4]
    assert "the NDC is missing, invalid, withdrawn" in ndc[6]
    text = window.check_page().reports.panel.summaryLabel.text()
    assert "paid 786.00 USD" in text and "CO-16: 2,300.00 USD" in text


def test_a_file_that_is_not_x12_says_so_on_the_status_line(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are not claims\n", encoding="utf-8")
    page = window.check_page()
    assert page.reports.open_batch(str(path))
    qtbot.waitUntil(lambda: not page.reports.busy, timeout=60_000)
    assert "does not start with ISA" in page.statusLabel.text()
    assert not page.reports.panel.isVisible()


def test_the_dialog_offers_edi_files() -> None:
    for suffix in (".837", ".835", ".x12", ".txt"):
        assert f"*{suffix}" in check_reports.X12_PATTERNS
