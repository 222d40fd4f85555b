"""`check --x12`: 837P and 837I claims read into claim records and checked, on files made
here from parts (tests/x12_files.py), each validated with pyx12 before a test stands on it."""

import datetime as dt
import json
from pathlib import Path

import pytest
from helpers import run_cli
from x12_files import Claim, Line, build_837i, build_837p, ndc11, validate

from ivigcalc.check import x12_check
from ivigcalc.data.catalog import load

CATALOG = load().catalog
PRIVIGEN_10G = ndc11(CATALOG, "privigen", 10_000)
GAMUNEX_10G = ndc11(CATALOG, "gamunex-c", 10_000)
GAMUNEX_5G = ndc11(CATALOG, "gamunex-c", 5_000)
DX = ("L100",)  # pemphigus vulgaris: NCD 250.3, Medicare's national list


def privigen(*modifiers: str, units: int = 55, ndc: str = PRIVIGEN_10G,
             quantity: str = "3", code: str = "J1459") -> Line:
    """A Privigen line: 3 × 10 g opened for 27.5 g (55 units of 500 mg) leaves 5 units."""
    return Line(code, modifiers, units, "1100", ndc11=ndc, quantity=quantity)


def claim(claim_id: str, *lines: Line, **options: object) -> Claim:
    options.setdefault("dx", DX)
    return Claim(claim_id, lines, **options)  # type: ignore[arg-type]


def valid_file(tmp_path: Path, text: str, name: str = "claims.837") -> Path:
    """The file, written only once pyx12's full validation finds nothing wrong."""
    assert validate(text) == []
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def reports(path: Path) -> list[x12_check.ClaimReport]:
    return list(x12_check.check_claims(x12_check.read(str(path)), CATALOG))


def rules(report: x12_check.ClaimReport, severity: str = "error") -> list[tuple[str, object]]:
    return [(f.rule, f.line) for f in report.findings if f.severity == severity]


FOUR = [claim("RIGHT-1", privigen(), privigen("JW", units=5), member="1EG4TE5MK71"),
        claim("JWMISSING-2", privigen(), member="1EG4TE5MK72"),
        claim("WRONGNDC-3", privigen(ndc=GAMUNEX_10G), privigen("JW", units=5, ndc=GAMUNEX_10G),
              member="1EG4TE5MK73"),
        claim("JZWASTE-4", privigen("JZ"), member="1EG4TE5MK74")]


def test_four_claims_right_jw_missing_wrong_ndc_jz_with_waste(tmp_path: Path) -> None:
    right, jw_missing, wrong_ndc, jz_waste = reports(valid_file(tmp_path, build_837p(FOUR)))
    assert right.claim.claim_id == "RIGHT-1" and right.status == "ok", right.findings
    assert rules(jw_missing) == [("jw-missing", None)]
    assert rules(wrong_ndc) == [("ndc-code-mismatch", 1), ("ndc-code-mismatch", 2)]
    assert "bills under J1561" in wrong_ndc.findings[0].message
    assert rules(jz_waste) == [("jz-with-waste", 1)]


def test_an_837p_labelled_a2_is_read_as_a1(tmp_path: Path) -> None:
    text = build_837p(FOUR[:2], version="005010X222A2")
    assert "005010X222A2" in text
    right, jw_missing = reports(valid_file(tmp_path, text))
    assert right.status == "ok" and rules(jw_missing) == [("jw-missing", None)]


def test_units_off_by_one_and_ja_missing(tmp_path: Path) -> None:
    off, no_ja = reports(valid_file(tmp_path, build_837p([
        claim("OFF-1", privigen(units=54), privigen("JW", units=5)),
        claim("NOJA-2", Line("J1561", (), 55, "1100", ndc11=GAMUNEX_10G, quantity="3"),
              Line("J1561", ("JW",), 5, "100", ndc11=GAMUNEX_10G, quantity="3"),
              member="1EG4TE5MK79")])))
    assert [rule for rule, _ in rules(off)] == ["jw-missing"]
    assert "60 − 54 = 6" in off.findings[0].message
    assert ("route-modifier-missing", 1) in rules(no_ja)
    assert ("route-modifier-missing", 2) in rules(no_ja)


def test_a_duplicate_claim_but_not_its_replacement(tmp_path: Path) -> None:
    first, again, replacement, other_person = reports(valid_file(tmp_path, build_837p([
        claim("DUP-1", privigen(), privigen("JW", units=5)),
        claim("DUP-2", privigen(), privigen("JW", units=5)),
        claim("DUP-3", privigen(), privigen("JW", units=5), frequency="7"),
        claim("DUP-4", privigen(), privigen("JW", units=5), member="1EG4TE5MK70")])))
    assert first.status == "ok"
    assert rules(again) == [("duplicate-claim", None)]
    assert "claim 1 bills the same" in again.findings[0].message
    assert replacement.status == "ok" and other_person.status == "ok"


def test_the_same_claim_id_twice_is_a_duplicate(tmp_path: Path) -> None:
    _, second = reports(valid_file(tmp_path, build_837p([
        claim("SAME", privigen(), privigen("JW", units=5)),
        claim("SAME", privigen(units=50), privigen("JW", units=10), member="1EG4TE5MK70")])))
    assert "claim id SAME is also claim 1" in second.findings[0].message


@pytest.mark.parametrize(("jw_quantity", "vials"), [("3", 3), ("1", 4)])
def test_the_jw_lines_ndc_quantity_repeated_or_split(tmp_path: Path, jw_quantity: str,
                                                      vials: int) -> None:
    """3 + 1 vials split between the lines, or the same 3 said twice: both are read."""
    units = 55 if vials == 3 else 75
    (report,) = reports(valid_file(tmp_path, build_837p([claim(
        "Q-1", privigen(units=units, quantity="3"),
        privigen("JW", units=vials * 20 - units, quantity=jw_quantity))])))
    assert report.results[0].claim.opened.vials == ((10_000, vials),)
    assert report.status == "ok", report.findings


def test_two_sizes_each_with_its_ndc(tmp_path: Path) -> None:
    """A day that opens 2 × 10 g and 1 × 5 g: one pair of lines per NDC (JA: Gamunex-C)."""
    lines = (Line("J1561", ("JA",), 40, "800", ndc11=GAMUNEX_10G, quantity="2"),
             Line("J1561", ("JA",), 8, "160", ndc11=GAMUNEX_5G, quantity="1"),
             Line("J1561", ("JA", "JW"), 2, "40", ndc11=GAMUNEX_5G, quantity="1"))
    (report,) = reports(valid_file(tmp_path, build_837p([claim("TWO-1", *lines)])))
    assert report.results[0].claim.opened.vials == ((10_000, 2), (5_000, 1))
    assert rules(report) == []


def test_administration_lines_go_with_the_drug_and_other_lines_are_listed(
        tmp_path: Path) -> None:
    (report, office_visit) = reports(valid_file(tmp_path, build_837p([
        claim("ADM-1", privigen(), privigen("JW", units=5), Line("96365", (), 1, "150"),
              Line("99213", (), 1, "90")),
        claim("VISIT-2", Line("99213", (), 1, "90"), member="1EG4TE5MK70")])))
    billed = [b.parsed.code for b in report.results[0].billed if b.parsed]
    assert billed == ["J1459", "J1459", "96365"]
    assert [line.number for line in report.not_checked] == [4]
    assert office_visit.status == "not checked" and office_visit.results == ()


def test_an_837i_claim_is_checked_as_hospital_outpatient(tmp_path: Path) -> None:
    (report,) = reports(valid_file(tmp_path, build_837i([
        claim("HOSP-1", privigen(), sbr09="MA")]), "claims.x12"))
    assert report.claim.kind == "837I" and report.payer == "medicare-opps"
    assert report.results[0].claim.payer.key == "medicare-opps"
    assert rules(report) == [("jw-missing", None)]


def test_the_payer_id_maps_through_the_site_catalog(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text('[payers.commercial]\nx12_payer_ids = ["87726"]\n', encoding="utf-8")
    catalog = load(site).catalog
    path = valid_file(tmp_path, build_837p([claim("COM-1", privigen(), sbr09="CI",
                                                  payer_id="87726", payer_name="TEST PLAN")]))
    (report,) = x12_check.check_claims(x12_check.read(str(path)), catalog)
    assert report.payer == "commercial"
    (unmapped,) = reports(path)
    assert unmapped.payer == "commercial"  # SBR09 CI is no Medicare: the generic profile


def test_a_bad_claim_is_marked_unreadable_and_the_rest_checked(tmp_path: Path) -> None:
    text = build_837p(FOUR[:2]).replace("DTP*472*D8*20260105~\nLIN", "DTP*472*D8*20260230~\nLIN",
                                        1)
    path = tmp_path / "claims.837"
    path.write_text(text, encoding="utf-8")
    first, second = reports(path)
    assert first.status == "invalid"
    assert first.error is not None and "20260230 is not a day of the calendar" in first.error
    assert first.error.startswith("segment ")
    assert rules(second) == [("jw-missing", None)]


def test_several_interchanges_in_one_file(tmp_path: Path) -> None:
    one = build_837p(FOUR[:2], control=1)
    two = build_837p(FOUR[2:], control=2)
    assert validate(one) == [] and validate(two) == []
    path = tmp_path / "two.837"
    path.write_text(one + two, encoding="utf-8")
    assert [r.claim.claim_id for r in reports(path)] == [c.claim_id for c in FOUR]


def test_json_lists_claims_with_lines_and_findings(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = valid_file(tmp_path, build_837p([*FOUR, claim("VISIT-5", Line("99213"),
                                                         member="1EG4TE5MK70")]))
    code, out, _ = run_cli(capsys, "check", "--x12", str(path), "--format", "json")
    assert code == 1
    data = json.loads(out)
    claims = {c["claim_id"]: c for c in data["claims"]}
    assert list(claims) == ["RIGHT-1", "JWMISSING-2", "WRONGNDC-3", "JZWASTE-4", "VISIT-5"]
    assert claims["JZWASTE-4"]["findings"][0] == {
        **claims["JZWASTE-4"]["findings"][0], "rule": "jz-with-waste", "severity": "error",
        "line": 1}
    assert claims["RIGHT-1"]["lines"][1] == {
        "line": 2, "code": "J1459", "modifiers": ["JW"], "units": 5, "date": "2026-01-05",
        "ndc": f"N4{PRIVIGEN_10G} UN3", "checked": True}
    assert claims["VISIT-5"]["status"] == "not checked"
    assert claims["VISIT-5"]["lines"][0]["checked"] is False
    summary = data["summary"]
    assert summary["claims"] == 5 and summary["not_checked"] == 1
    assert summary["errors"] == 3 and summary["by_rule"]["jw-missing"] == 1


def test_text_names_each_claim_and_csv_has_a_row_per_finding(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = valid_file(tmp_path, build_837p(FOUR))
    code, out, _ = run_cli(capsys, "check", "--x12", str(path))
    assert code == 1
    for c in FOUR:
        assert f"Claim {c.claim_id} (837P" in out
    assert "Summary" in out and "Claims that will deny (errors): 3" in out
    code, out, _ = run_cli(capsys, "check", "--x12", str(path), "--format", "csv")
    assert code == 1
    rows = out.splitlines()
    assert rows[0] == ",".join(x12_check.REPORT_COLUMNS)
    assert "2,JWMISSING-2,errors,error,jw-missing," in rows[2]


def test_all_ok_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = valid_file(tmp_path, build_837p(FOUR[:1]))
    code, _, err = run_cli(capsys, "check", "--x12", str(path), "--validate")
    assert code == 0
    assert "1 claims: 1 ok" in err


def test_the_date_of_service_comes_from_the_line(tmp_path: Path) -> None:
    day = dt.date(2025, 11, 3)
    line = Line("J1459", (), 55, "1100", day=day, ndc11=PRIVIGEN_10G, quantity="3")
    (report,) = reports(valid_file(tmp_path, build_837p([claim("D-1", line)])))
    assert report.results[0].claim.date_of_service == day
