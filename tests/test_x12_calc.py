"""`calc --format x12`: the order's service lines, which wrapped in an 837 envelope pass
pyx12's validation for every product, and which `check --x12` then finds right."""

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import run_cli
from x12_files import Claim, build_837i, build_837p, validate

from ivigcalc import x12_lines
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.check import x12_check
from ivigcalc.data.catalog import load

CATALOG = load().catalog
DAY = "2025-11-03"


def calc_x12(capsys: pytest.CaptureFixture[str], product: str, *more: str) -> str:
    code, out, err = run_cli(capsys, "calc", "--weight", "70 kg", "--dose", "400 mg/kg",
                             "--product", product, "--date", DAY, "--dx", "D80.0",
                             "--format", "x12", *more)
    assert code == 0, err
    return out


@pytest.mark.parametrize("product", sorted(CATALOG.products))
def test_every_products_lines_validate_in_an_837p(capsys: pytest.CaptureFixture[str],
                                                  product: str) -> None:
    body = calc_x12(capsys, product)
    assert all(line.endswith("~") for line in body.splitlines())
    text = build_837p([Claim("CALC-1", (), dx=("D800",), body=body)])
    assert validate(text) == []
    assert body.startswith("LX*1~\nSV1*HC:")


def test_an_opps_payer_gets_sv2_with_revenue_codes_and_validates_in_an_837i(
        capsys: pytest.CaptureFixture[str]) -> None:
    body = calc_x12(capsys, "privigen", "--payer", "medicare-opps")
    assert "SV2*0636*HC:J1459" in body and "SV1" not in body
    text = build_837i([Claim("CALC-I", (), dx=("D800",), sbr09="MA", body=body)])
    assert validate(text) == []


def test_calc_x12_needs_dx(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "calc", "--weight", "70 kg", "--dose", "400 mg/kg",
                             "--product", "privigen", "--format", "x12")
    assert code == 2 and out == ""
    assert "dx: --format x12 needs --dx" in err


def test_charges_come_from_the_site_catalog(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site.toml"
    site.write_text("[charges.J1459]\nusd_per_unit = 41.25\n", encoding="utf-8")
    body = calc_x12(capsys, "privigen", "--catalog", str(site), "--payer", "commercial")
    assert "SV1*HC:J1459*1650*UN*40***1~" in body  # 40 units × 41.25 USD (the 20 g vial)
    body = calc_x12(capsys, "privigen", "--catalog", str(site))  # one line: 56 × 41.25 USD
    assert "SV1*HC:J1459*2310*UN*56***1~" in body
    assert "*0*UN*" in calc_x12(capsys, "privigen")  # no charge set: zero


def test_a_bad_charge_is_refused_naming_it(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[charges.J1459]\nusd_per_unit = "cheap"\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "calc", "--weight", "70 kg", "--dose", "400 mg/kg",
                           "--product", "privigen", "--dx", "D80.0", "--format", "x12",
                           "--catalog", str(site))
    assert code == 2 and "charges.J1459" in err and "usd_per_unit" in err


def test_two_sizes_become_one_pair_of_lines_per_ndc() -> None:
    """27.3 g of Gamunex-C from 2 × 10 g + 1 × 5 g + 1 × 2.5 g: the units split by what
    each size held, the JW units on the size with the waste; the totals are the unsplit."""
    result = calculate(CalcRequest(weight="70 kg", dose="390 mg/kg", product="gamunex-c",
                                   date_of_service=dt.date(2025, 11, 3)), CATALOG)
    day = result.days[0]
    split = x12_lines.split_by_ndc(day, result.unit_mg)
    assert len(day.ndc_lines) >= 2
    assert len({ndc.ndc for _, ndc in split if ndc}) == len(day.ndc_lines)
    for line in day.claim_lines:
        assert sum(s.units for s, _ in split if s.modifiers == line.modifiers) == line.units
    for ndc in day.ndc_lines:
        held = dict(day.plan.vials)[ndc.size_mg] * ndc.size_mg / result.unit_mg
        assert sum(s.units for s, n in split if n == ndc) <= held
    assert Fraction(sum(s.units for s, _ in split)) <= sum(
        n * size for size, n in day.plan.vials) / result.unit_mg + 1


def test_the_lines_calc_writes_pass_the_check(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    body = calc_x12(capsys, "gamunex-c")
    path = tmp_path / "calc.837"
    text = build_837p([Claim("CALC-1", (), dx=("D800",), body=body)])
    assert validate(text) == []
    path.write_text(text, encoding="utf-8")
    (report,) = x12_check.check_claims(x12_check.read(str(path)), CATALOG)
    assert not [f for f in report.findings if f.severity == "error"], report.findings
