"""Two vial sizes on one day: the payer's multiple_ndc method, written by `calc --format x12`
and `--format claim`, and read back by the check (X12 and CSV) without false findings.

"nte" (Palmetto GBA JM Part B, Reporting the National Drug Code, 2024-10-25): one line per
code, the first NDC in loop 2410 and the others in NTE*ADD. "lines": one line per NDC."""

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import run_cli
from x12_files import Claim, build_837p, ndc11, validate

from ivigcalc.billing import multiple_ndc
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.check import batch as claimbatch
from ivigcalc.check import x12_check
from ivigcalc.data.catalog import load
from ivigcalc.errors import IvigcalcError
from ivigcalc.result import NdcLine

CATALOG = load().catalog
DAY = "2026-01-05"
# 27.3 g of Gamunex-C (70 kg × 390 mg/kg): 1 × 20 g + 1 × 5 g + 1 × 2.5 g, 55 units, no waste.
GAMUNEX = ("--weight", "70 kg", "--dose", "390 mg/kg", "--product", "gamunex-c")
# 28 g of Privigen (70 kg × 400 mg/kg): 1 × 20 g + 1 × 10 g, 56 units and 4 JW units.
PRIVIGEN = ("--weight", "70 kg", "--dose", "400 mg/kg", "--product", "privigen")
LINES_SITE = ('[payers.medicare]\nmultiple_ndc = "lines"\nmultiple_ndc_source = "a MAC that '
              'takes one line per NDC (test)"\n')


def calc(capsys: pytest.CaptureFixture[str], *args: str, form: str = "x12") -> str:
    code, out, err = run_cli(capsys, "calc", *args, "--date", DAY, "--dx", "D80.0",
                             "--format", form)
    assert code == 0, err
    return out


def checked(tmp_path: Path, body: str, catalog_path: Path | None = None) -> list[tuple[str, str]]:
    """The 837P made of `body`, valid for pyx12, checked: its errors and warnings (rule,
    severity); notes (the estimated administration, D80.0's coverage) are not about NDCs."""
    text = build_837p([Claim("TWO-NDC", (), dx=("D800",), body=body)])
    assert validate(text) == []
    path = tmp_path / "two.837"
    path.write_text(text, encoding="utf-8")
    catalog = load(catalog_path).catalog if catalog_path else CATALOG
    (report,) = x12_check.check_claims(x12_check.read(str(path)), catalog)
    assert report.status != "invalid", report.error
    return [(f.rule, f.severity) for f in report.findings if f.severity != "note"]


def site(tmp_path: Path) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(LINES_SITE, encoding="utf-8")
    return path


def test_the_payers_say_where_a_second_ndc_goes_with_a_source() -> None:
    medicare = CATALOG.payers["medicare"]
    assert medicare.multiple_ndc == "nte"
    assert "Palmetto GBA" in medicare.multiple_ndc_source
    assert "3V5O4QNAAH" in medicare.multiple_ndc_source  # the MAC's page, not our notes
    assert CATALOG.payers["medicare-opps"].multiple_ndc == "lines"  # 837I: no NTE*ADD
    for payer in CATALOG.payers.values():
        assert payer.multiple_ndc_source, payer.key


def test_nte_writes_one_line_per_code_with_the_others_in_its_note(
        capsys: pytest.CaptureFixture[str]) -> None:
    body = calc(capsys, *GAMUNEX)
    drug = [s for s in body.splitlines() if s.startswith("SV1*HC:J1561")]
    assert drug == ["SV1*HC:J1561:JA:JZ*0*UN*55***1~"]  # the unsplit line, units and all
    assert body.count("LIN**N4*") == 1
    first = ndc11(CATALOG, "gamunex-c", 20_000)  # the size holding the most drug: 2410
    assert f"LIN**N4*{first}~\nCTP****1*UN~" in body
    (note,) = re.findall(r"NTE\*ADD\*([^~]*)~", body)
    assert note == (f"N4{ndc11(CATALOG, 'gamunex-c', 5_000)} UN1 "
                    f"N4{ndc11(CATALOG, 'gamunex-c', 2_500)} UN1")
    # NTE comes before loop 2410 in 2400 (837P 005010X222A1): DTP, NTE, then LIN.
    assert body.index("DTP*472") < body.index("NTE*ADD") < body.index("LIN**N4")


def test_nte_gives_the_jw_line_the_same_ndcs(capsys: pytest.CaptureFixture[str]) -> None:
    body = calc(capsys, *PRIVIGEN)
    assert "SV1*HC:J1459*0*UN*56***1~" in body and "SV1*HC:J1459:JW*0*UN*4***1~" in body
    assert body.count("NTE*ADD*") == 2 and body.count("LIN**N4*") == 2


@pytest.mark.parametrize("payer", ["medicare", "commercial"])
@pytest.mark.parametrize("product", sorted(CATALOG.products))
def test_every_products_two_size_day_validates_either_way(
        capsys: pytest.CaptureFixture[str], product: str, payer: str) -> None:
    """27.3 g opens two or more sizes for most products: both methods are valid 837Ps, and
    the NDC quantities account for every vial opened, said once per NDC."""
    body = calc(capsys, "--weight", "70 kg", "--dose", "390 mg/kg", "--product", product,
                "--payer", payer)
    text = build_837p([Claim("TWO", (), dx=("D800",), body=body)])
    assert validate(text) == []
    result = calculate(CalcRequest(weight="70 kg", dose="390 mg/kg", product=product,
                                   date_of_service=dt.date(2026, 1, 5), payer=payer), CATALOG)
    day = result.days[0]
    drug = [s for s in body.splitlines() if s.startswith(f"SV1*HC:{result.code}")]
    named = set(re.findall(r"N4\*?(\d{11})", body))
    assert named == {n.ndc.replace("-", "") for n in day.ndc_lines}
    assert body.count("LIN**N4*") == (len(drug) if day.ndc_lines else 0)
    if payer == "medicare" and len(day.ndc_lines) > 1:
        assert len(drug) == len(day.claim_lines) == body.count("NTE*ADD*")
    else:
        assert "NTE" not in body


def test_a_palmetto_style_claim_passes_the_check_when_the_payer_says_nte(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert checked(tmp_path, calc(capsys, *GAMUNEX)) == []
    assert checked(tmp_path, calc(capsys, *PRIVIGEN)) == []


def test_a_split_claim_passes_the_check_when_the_payer_says_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = site(tmp_path)
    body = calc(capsys, *GAMUNEX, "--catalog", str(catalog))
    assert body.count("SV1*HC:J1561") == 3 and "NTE" not in body
    assert checked(tmp_path, body, catalog) == []
    body = calc(capsys, *PRIVIGEN, "--catalog", str(catalog))
    assert checked(tmp_path, body, catalog) == []


def test_a_split_claim_for_an_nte_payer_is_queried_with_the_macs_instruction(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = calc(capsys, *GAMUNEX, "--catalog", str(site(tmp_path)))
    assert checked(tmp_path, body) == [("duplicate-line", "warning")] * 2
    text = build_837p([Claim("SPLIT", (), dx=("D800",), body=body)])
    path = tmp_path / "split.837"
    path.write_text(text, encoding="utf-8")
    (report,) = x12_check.check_claims(x12_check.read(str(path)), CATALOG)
    queried = [f for f in report.findings if f.severity != "note"]
    assert queried and all("Palmetto GBA" in f.source and "NTE*ADD" in f.message
                           for f in queried)


def test_a_note_that_names_a_wrong_ndc_is_flagged(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The note's NDCs are checked as loop 2410's are: another product's NDC is found."""
    body = calc(capsys, *GAMUNEX)
    other = ndc11(CATALOG, "privigen", 10_000)
    wrong = re.sub(r"NTE\*ADD\*N4\d{11}", f"NTE*ADD*N4{other}", body)
    assert wrong != body
    assert ("ndc-code-mismatch", "error") in checked(tmp_path, wrong)


def test_csv_rows_either_way(tmp_path: Path) -> None:
    n4 = {size: f"N4{ndc11(CATALOG, 'gamunex-c', size)} UN1" for size in (20_000, 5_000, 2_500)}
    vials = "1 x 20 g + 1 x 5 g + 1 x 2.5 g"
    one = f"J1561 JA JZ 55 {n4[20_000]} {n4[5_000]} {n4[2_500]}"
    split = f"J1561 JA JZ 40 {n4[20_000]};J1561 JA JZ 10 {n4[5_000]};J1561 JA JZ 5 {n4[2_500]}"
    path = tmp_path / "claims.csv"
    path.write_text("id,date,payer,product,administered,vials,lines\n"
                    f"NTE,{DAY},medicare,gamunex-c,27.3 g,{vials},{one}\n"
                    f"LINES,{DAY},medicare,gamunex-c,27.3 g,{vials},{split}\n", encoding="utf-8")
    rows = claimbatch.report_string(path, CATALOG, claimbatch.Defaults()).splitlines()
    assert rows[1].startswith("1,NTE,ok,")
    assert ",LINES,warnings,warning,duplicate-line," in rows[2]  # Medicare: Palmetto says one
    lines_catalog = load(site(tmp_path)).catalog
    rows = claimbatch.report_string(path, lines_catalog, claimbatch.Defaults()).splitlines()
    assert rows[1].startswith("1,NTE,ok,") and rows[2].startswith("2,LINES,ok,")


def test_a_wrong_quantity_in_the_note_is_flagged(tmp_path: Path) -> None:
    n4 = {size: f"N4{ndc11(CATALOG, 'gamunex-c', size)}" for size in (20_000, 5_000)}
    path = tmp_path / "claims.csv"
    path.write_text("id,date,payer,product,administered,vials,lines\n"
                    f"Q,{DAY},medicare,gamunex-c,27.3 g,1 x 20 g + 2 x 5 g,"
                    f"J1561 JA 55 {n4[20_000]} UN1 {n4[5_000]} UN1;J1561 JA JW 5\n",
                    encoding="utf-8")
    report = claimbatch.report_string(path, CATALOG, claimbatch.Defaults())
    assert "ndc-quantity-mismatch" in report and "UN2" in report


def test_the_paper_claim_puts_the_others_in_item_19(capsys: pytest.CaptureFixture[str]) -> None:
    block = calc(capsys, *GAMUNEX, form="claim").splitlines()
    n4 = {size: f"N4{ndc11(CATALOG, 'gamunex-c', size)} UN1" for size in (20_000, 5_000, 2_500)}
    assert block[1:4] == ["J1561 JA JZ 55 units", n4[20_000],
                          f"Item 19: {n4[5_000]} {n4[2_500]}"]
    commercial = calc(capsys, *GAMUNEX, "--payer", "commercial", form="claim").splitlines()
    assert not any(line.startswith("Item 19") for line in commercial)


def test_the_summary_cites_the_payers_instruction(capsys: pytest.CaptureFixture[str]) -> None:
    text = calc(capsys, *GAMUNEX, form="text")
    assert "NDCs: 3 on one day: Medicare Part B (MAC) takes one J1561" in text
    assert "Source: Palmetto GBA (A/B MAC, Jurisdiction M Part B)" in text


def test_a_site_may_set_it_but_not_nte_for_an_institutional_payer(tmp_path: Path) -> None:
    assert load(site(tmp_path)).catalog.payers["medicare"].multiple_ndc == "lines"
    bad = tmp_path / "bad.toml"
    bad.write_text('[payers.medicare-opps]\nmultiple_ndc = "nte"\n', encoding="utf-8")
    with pytest.raises(IvigcalcError, match="multiple_ndc"):
        load(bad)
    bad.write_text('[payers.medicare]\nmultiple_ndc = "both"\n', encoding="utf-8")
    with pytest.raises(IvigcalcError, match="multiple_ndc"):
        load(bad)


SIZES = (1_000, 2_500, 5_000, 10_000, 20_000, 40_000)  # Gamunex-C's six vial sizes


def test_a_note_too_long_for_nte02_is_refused() -> None:
    lines = tuple(NdcLine(ndc11(CATALOG, "gamunex-c", size), "UN", Decimal(1), Fraction(size))
                  for size in SIZES)
    assert len(multiple_ndc.note_text(lines[:4])) <= 80
    with pytest.raises(IvigcalcError, match="NTE02 holds 80"):
        multiple_ndc.note_text(lines[:5])


def test_the_note_reads_back_as_segments() -> None:
    a, b = ndc11(CATALOG, "gamunex-c", 5_000), ndc11(CATALOG, "gamunex-c", 2_500)
    (one, two) = multiple_ndc.read_note(f"N4{a} UN1 N4{b} UN2")
    assert (one.ndc11, one.qualifier, one.quantity) == (a, "UN", Decimal(1))
    assert (two.ndc11, two.quantity) == (b, Decimal(2))
    assert multiple_ndc.read_note("prior auth on file") == ()
