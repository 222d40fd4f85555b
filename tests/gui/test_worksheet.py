"""The pharmacist worksheet (issue 24 item 6): the PDF read back with pypdfium2 (never
skipped): a one-day order on one page (Letter and A4), every page's header and "page n of
m", dates, NDCs and codes never broken across lines, and the window and `ivigcalc calc
--worksheet` making the same document."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pdf_pages import as_read, inked_fraction, page_count, page_texts, split_tokens
from PySide6.QtCore import QLocale
from PySide6.QtGui import QPageSize
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from window_helpers import choose, stock_only, type_into

from ivigcalc import text
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data.catalog import load
from ivigcalc.gui.output import paper
from ivigcalc.gui.window import MainWindow
from ivigcalc.result import Result
from ivigcalc.worksheet import content, inputs

CATALOG = load().catalog
ON = dt.date(2026, 12, 7)
PAPERS = [QPageSize.PageSizeId.Letter, QPageSize.PageSizeId.A4]
# One-day orders as a pharmacist's day brings them, each with its administration lines and
# the CMS quarter; "busy" has everything at once (adjusted weight, rounding, KX, prior
# authorization, two diagnoses, documented times, four warnings, two notes).
ONE_DAY = {
    "sample": CalcRequest(weight="78 kg", dose="350 mg/kg", product="gamunex-c",
                          vials="10 g", date_of_service=ON, dx="D80.0", times="09:00-12:31"),
    "kawasaki": CalcRequest(weight="18 kg", dose="2 g/kg", product="gamunex-c",
                            date_of_service=ON, indication="kawasaki", dx="M30.3"),
    "itp-adjusted": CalcRequest(weight="130 kg", height="165 cm", sex="female",
                                basis="adjusted", dose="1 g/kg", product="privigen",
                                date_of_service=ON, dx="D69.3", times="08:15-11:40"),
    "hizentra-week": CalcRequest(weight="70 kg", dose="0.2 g/kg", per="week",
                                 product="hizentra", date_of_service=ON, pump_setup_days=(1,),
                                 times="09:00-10:10", dx="D80.0"),
    "cidp-one-day": CalcRequest(weight="95 kg", dose="2 g/kg", product="octagam-10",
                                date_of_service=ON, indication="cidp-loading", dx="G61.81",
                                payer="commercial"),
    "busy": CalcRequest(weight="130 kg", height="165 cm", sex="female", basis="adjusted",
                        dose="1 g/kg", product="gammagard-liquid", date_of_service=ON,
                        dx="D69.3,D80.0", times="08:15-11:40", rounding="nearest-vial",
                        kx=True, prior_auth="PA-2026-0001234", payer="commercial"),
}
CIDP_5_DAY = CalcRequest(weight="82 kg", dose="2 g/kg", per="course", days=5,
                         product="gamunex-c", date_of_service=ON, indication="cidp-loading",
                         dx="G61.81")


def write(request: CalcRequest, path: Path, page: QPageSize.PageSizeId) -> tuple[Result, int]:
    result = calculate(request, CATALOG)
    pages = paper.write_pdf(path, result, inputs.describe(request, result, CATALOG), page,
                            printed=dt.datetime(2026, 12, 7, 9, 30))
    return result, pages


def tokens(result: Result) -> set[str]:
    """What must be read whole: each date of service, NDC (and its 11-digit N4 form), and
    each claim line's code with its modifiers."""
    found = {day.date_of_service.isoformat() for day in result.days} | {"2026-Q1"}
    for day in result.days:
        for size, _count in day.plan.vials:
            found.update(day.ndcs_of(size)[:1])
        found.update(" ".join((line.code, *line.modifiers)) for line in day.claim_lines)
    return found


def fill_sample(qtbot: QtBot, window: MainWindow) -> None:
    choose(window, "productInput", "gamunex-c")
    stock_only(window, "10 g")
    type_into(qtbot, window, "weightInput", "78")
    type_into(qtbot, window, "doseInput", "350 mg/kg")


def fill_long(qtbot: QtBot, window: MainWindow) -> None:
    """The longest worksheet: adjusted weight, a 3-day course, rounding, KX, warnings."""
    choose(window, "payerInput", "commercial")
    choose(window, "basisInput", "policy")
    choose(window, "productInput", "cutaquig")
    type_into(qtbot, window, "weightInput", "118")
    type_into(qtbot, window, "heightInput", "165")
    choose(window, "sexInput", "female")
    # 0.9 g/kg in a week is past the SC soft limit (not its hard limit, which refuses the
    # 2.4 g/kg IV course this sheet once used); only 2 g vials on the shelf: 13 a day.
    type_into(qtbot, window, "doseInput", "0.9")
    stock_only(window, "2 g")
    choose(window, "perInput", "course")
    window.calculatePage.form.daysInput.setValue(3)
    choose(window, "roundingInput", "nearest-vial")
    window.calculatePage.form.kxInput.setChecked(True)
    assert window.calculatePage.acknowledge("A. Pharmacist", "Confirmed with the prescriber")
    result = window.calculatePage.result
    assert result is not None and result.warnings and len(result.steps) >= 10
    assert result.acknowledgement is not None


def sheet_html(window: MainWindow) -> str:
    """The window's worksheet body, no-break spaces read as spaces."""
    page = window.calculatePage
    assert page.result is not None
    return as_read(content.body_html(page.result, page.form.describe(page.result),
                                     dt.datetime(2026, 11, 28, 9, 30)))


def test_save_as_pdf_writes_a_one_page_pdf(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fill_sample(qtbot, window)
    target = tmp_path / "worksheet"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "PDF files (*.pdf)")))
    window.savePdfAction.trigger()
    written = tmp_path / "worksheet.pdf"  # .pdf is added when missing
    assert written.read_bytes().startswith(b"%PDF-")
    assert page_count(written) == 1
    assert inked_fraction(written) > 0.02  # text and tables, not a blank page


def test_pdf_reads_as_a_worksheet(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    fill_sample(qtbot, window)
    path = window.save_pdf(str(tmp_path / "sheet.pdf"))
    assert path is not None
    words = " ".join(" ".join(page_texts(path)).split())
    for expected in ("Immune globulin dose worksheet", "page 1 of 1", "Patient:",
                     "MRN / date of birth:", "Inputs as entered", "78 kg",
                     "350 mg/kg", "Vials to open", "Claim lines", "JA JW", "Working",
                     "ceil(27,300 mg ÷ 500 mg) = ceil(54.6) = 55", "Prepared by:",
                     "Checked by:", "catalog 2026-Q1, checked 2026-12-01", "printed 20",
                     "Administer 27.3 g = 273 mL", "Infusion rate:", "46.8 mL/h",
                     "374.4 mL/h", "until empty", "Lot", "Expiry", "Beyond",
                     "10 g (3 of 3)", "Gamunex-C prescribing information",
                     "CMS data: quarter 2026-Q1", "96365", "96366"):
        assert expected in words, expected


@pytest.mark.parametrize("page", PAPERS, ids=["letter", "a4"])
@pytest.mark.parametrize("order", list(ONE_DAY))
def test_a_one_day_order_fits_one_page(tmp_path: Path, order: str,
                                       page: QPageSize.PageSizeId) -> None:
    """Administration lines, the CMS quarter, warnings and notes: still one page."""
    path = tmp_path / f"{order}.pdf"
    result, pages = write(ONE_DAY[order], path, page)
    assert result.day_count == 1 and any(day.admin_lines for day in result.days)
    assert pages == page_count(path) == 1
    (sheet,) = page_texts(path)
    assert "page 1 of 1" in sheet and "CMS data: quarter 2026-Q1" in sheet
    assert "Prepared by:" in sheet and "printed 2026-12-07 09:30" in sheet  # the end
    assert split_tokens(path, tokens(result)) == []
    assert all(token in sheet for token in tokens(result))
    assert inked_fraction(path) > 0.02


@pytest.mark.parametrize("page", PAPERS, ids=["letter", "a4"])
def test_every_page_of_a_course_has_the_header_and_says_page_n_of_m(
        tmp_path: Path, page: QPageSize.PageSizeId) -> None:
    """CIDP loading, 2 g/kg over 5 days: more than one page, each with the sheet's header
    (product, patient and MRN blanks) and its number; every date and NDC whole."""
    path = tmp_path / "cidp.pdf"
    result, pages = write(CIDP_5_DAY, path, page)
    texts = page_texts(path)
    assert pages == len(texts) >= 2
    for number, sheet in enumerate(texts, 1):
        head = sheet[:300]
        assert content.TITLE in head and f"page {number} of {pages}" in head
        assert "Product: Gamunex-C 10%, J1561, intravenous (IV)" in head
        assert "Patient: ____" in head and "MRN / date of birth: ____" in head
        assert inked_fraction(path, number - 1) > 0.01
    assert split_tokens(path, tokens(result)) == []
    whole = "\n".join(texts)
    dates = [day.date_of_service.isoformat() for day in result.days]
    assert dates == ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11"]
    ndcs = {ndc for day in result.days for size, _ in day.plan.vials for ndc in
            day.ndcs_of(size)[:1]}
    assert ndcs == {"13533-0800-24", "13533-0800-71", "13533-0800-12"}
    for token in (*dates, *ndcs, "J1561 JA JZ"):
        assert token in whole, token
    assert whole.count("Lot") >= 2  # the lot table's header row repeats on the next page
    first_row = texts[1][texts[1].index("Beyond use") + len("Beyond use"):].split()
    assert first_row[0] == "Day" and first_row[1].rstrip(",") in set("12345")


def test_tokens_are_kept_together_in_the_document() -> None:
    """The layout itself: a date in a column too narrow for it widens the column rather than
    breaking (Qt's default wrap breaks inside a word), codes keep their modifiers."""
    assert content.keep_together("J1561 JA JW × 5; Day 3: 2026-12-09; 27.3 g") == \
        "J1561\u00a0JA\u00a0JW × 5; Day\u00a03: 2026-12-09; 27.3\u00a0g"
    assert content.keep_together("96365 59 and 96366") == "96365\u00a059 and 96366"
    assert content.keep_together("2026-Q1's") == "2026-\u2060Q1's"


@pytest.mark.parametrize("page", PAPERS, ids=["letter", "a4"])
def test_the_longest_worksheet_leads_with_the_preparation(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, page: QPageSize.PageSizeId) -> None:
    """27 vials over 3 days each get a lot line, so the sheet runs on; page 1 still opens
    with the key figure and the rates, and the sign-off follows the last vial's line."""
    fill_long(qtbot, window)
    result = window.calculatePage.result
    assert result is not None
    path = tmp_path / "long.pdf"
    pages = paper.write_pdf(path, result, window.calculatePage.form.describe(result), page)
    texts = page_texts(path)
    assert pages == len(texts) <= 3
    first = texts[0]
    day = result.days[0]
    assert f"Administer {text.grams(day.administered_mg)} " in first
    assert "Infusion rate:" in first and "sites ×" in first
    assert "Day 1: 2026-11-28 · Day 2: 2026-11-29 · Day 3: 2026-11-30" in first
    words = "".join(texts)
    lot_lines = [f"{text.grams(size)} ({n} of {count})" for size, count in day.plan.vials
                 for n in range(1, count + 1)]
    assert day.plan.vial_count == len(lot_lines) > 10
    assert all(words.count(line) == 3 for line in lot_lines)  # each vial, each day
    assert words.rindex(lot_lines[-1]) < words.index("Prepared by:") < words.index("Working")
    assert all(f"page {n} of {pages}" in sheet for n, sheet in enumerate(texts, 1))


def test_the_window_and_the_command_line_make_the_same_document(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from ivigcalc.cli.main import main

    fill_sample(qtbot, window)
    result = window.calculatePage.result
    assert result is not None
    from_window = window.save_pdf(str(tmp_path / "window.pdf"))
    assert from_window is not None
    from_cli = tmp_path / "cli.pdf"
    assert main(["calc", "--weight", "78 kg", "--dose", "350 mg/kg", "--product",
                 "gamunex-c", "--vials", "10 g", "--date", result.date_of_service.isoformat(),
                 "--worksheet", str(from_cli)]) == 0

    def document(path: Path) -> list[str]:  # the minute it was printed aside
        return [re.sub(r"printed \d{4}-\d\d-\d\d \d\d:\d\d", "printed", sheet)
                for sheet in page_texts(path)]

    assert document(from_cli) == document(from_window)
    assert "Administer 27.3 g = 273 mL" in document(from_cli)[0]


def test_paper_follows_the_locale_and_the_file_name_holds_no_patient_data(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert paper.default_page_size(QLocale("en_US")) == QPageSize.PageSizeId.Letter
    assert paper.default_page_size(QLocale("en_CA")) == QPageSize.PageSizeId.Letter
    assert paper.default_page_size(QLocale("de_DE")) == QPageSize.PageSizeId.A4
    assert paper.default_page_size(QLocale("en_GB")) == QPageSize.PageSizeId.A4
    fill_sample(qtbot, window)
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda _parent, _title, suggested, _filter: (offered.append(suggested), ("", ""))[1]))
    window.savePdfAction.trigger()
    assert Path(offered[0]).name == "ig-dose-worksheet-gamunex-c.pdf"
    assert not re.search(r"\d", Path(offered[0]).name)  # no weight, dose or date in it


def test_worksheet_holds_inputs_warnings_and_sign_off(qtbot: QtBot,
                                                      window: MainWindow) -> None:
    fill_long(qtbot, window)
    result = window.calculatePage.result
    assert result is not None
    sheet = sheet_html(window)
    for expected in ("Height", "165 cm", "Female", "As the payer&#x27;s policy says",
                     "soft limit", "KX attested", "Prepared by", "Checked by",
                     "printed 2026-11-28 09:30", result.catalog_version):
        assert expected in sheet, expected


def test_print_and_save_do_nothing_without_a_result(window: MainWindow,
                                                    tmp_path: Path) -> None:
    assert not window.printAction.isEnabled()
    assert window.save_pdf(str(tmp_path / "nothing.pdf")) is None
    assert not (tmp_path / "nothing.pdf").exists()


def test_print_lays_out_the_same_sheet_on_the_printer(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+P: the printer the dialog accepted gets the same pages (here a PDF printer)."""
    from PySide6.QtPrintSupport import QPrintDialog

    from ivigcalc.gui.output import worksheet

    fill_sample(qtbot, window)
    printed = tmp_path / "printed.pdf"
    make_printer = worksheet.new_printer
    monkeypatch.setattr(worksheet, "new_printer", lambda: make_printer(str(printed)))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QPrintDialog.DialogCode.Accepted)
    window.printAction.trigger()
    assert "Worksheet sent to the printer" in window.statusBar().currentMessage()
    (sheet,) = page_texts(printed)
    assert content.TITLE in sheet and "page 1 of 1" in sheet and "13533-0800-71" in sheet
    assert "Administer 27.3 g = 273 mL" in sheet and inked_fraction(printed) > 0.02


def test_the_header_names_a_strength_once() -> None:
    """'Octagam 10% 10%' was on every page's header: a name that says its strength keeps it."""
    from ivigcalc import render

    octagam = calculate(ONE_DAY["cidp-one-day"], CATALOG)
    assert render.header_lines(octagam)[0].startswith("Product: Octagam 10%, J1568,")
    gamunex = calculate(ONE_DAY["sample"], CATALOG)
    assert render.header_lines(gamunex)[0].startswith("Product: Gamunex-C 10%, J1561,")
    assert content.header_html(octagam, 1, 1).count("10%") == 1


def test_a_long_one_day_order_is_condensed_rather_than_run_on(tmp_path: Path) -> None:
    """The busiest order with more and more diagnoses (each a row and a note): the first
    that would run onto a second Letter page gets its working and sources a point smaller
    and stays on one page; the orders before it, and the sample, are not condensed."""
    import dataclasses

    from PySide6.QtGui import QPdfWriter

    def laid_out(order: CalcRequest) -> tuple[paper.Sheet, int]:
        """The sheet, and the pages the uncondensed layout would take."""
        result = calculate(order, CATALOG)
        writer = QPdfWriter(str(tmp_path / "probe.pdf"))
        paper.set_paper(writer, QPageSize.PageSizeId.Letter)
        described = inputs.describe(order, result, CATALOG)
        sheet = paper.Sheet(writer, result, described)
        plain = sheet.lay_out(content.body_html(result, described, dt.datetime(2026, 12, 7)),
                              sheet.body.pageSize())
        return sheet, plain.pageCount()

    sheet, plain = laid_out(ONE_DAY["sample"])
    assert (sheet.condensed, plain, sheet.pages) == (False, 1, 1)
    codes = ["D69.3", "D80.0", "G61.81", "M30.3", "D80.1", "D83.9", "G70.00", "D81.9"]
    for count in range(2, len(codes) + 1):
        order = dataclasses.replace(ONE_DAY["busy"], dx=",".join(codes[:count]))
        sheet, plain = laid_out(order)
        assert sheet.condensed == (plain > 1)
        if sheet.condensed:
            assert sheet.pages == 1 and write(order, tmp_path / "a4.pdf", PAPERS[1])[1] == 1
            break
    else:
        pytest.fail("no order ran long enough to need condensing")
