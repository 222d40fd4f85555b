"""`ivigcalc catalog import-cms`: CMS's real quarterly files in, a site catalog out.

The fixtures are CMS's own files (tests/fixtures/cms/, see its README): 2025-Q4 whole, the
other eight quarters trimmed line for line to their immune globulin rows.
"""

import datetime as dt
import tomllib
import zipfile
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import run_cli

from ivigcalc.data import catalog

FIXTURES = Path(__file__).parent / "fixtures" / "cms"
QUARTERS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
Q4 = FIXTURES / "2025-Q4"


def quarter_files(quarter: str) -> list[str]:
    return sorted(str(p) for p in (FIXTURES / quarter).glob("*.csv"))


def test_all_nine_quarters_are_here() -> None:
    assert QUARTERS == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2",
                        "2025-Q3", "2025-Q4", "2026-Q1"]


@pytest.mark.parametrize("quarter", QUARTERS)
def test_each_quarter_imports_cleanly_into_a_loadable_site_catalog(
        quarter: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "site.toml"
    code, out, err = run_cli(capsys, "catalog", "import-cms", *quarter_files(quarter),
                             "--output", str(out_file), "--checked", "2026-12-01")
    assert code == 0, err
    assert f"ASP NDC-HCPCS crosswalk {quarter}" in out
    whole = catalog.load(out_file)
    assert f"replaces the bundled CMS quarter {quarter} with its own" in [
        c.describe() for c in whole.changes]
    loaded = SimpleNamespace(cms=whole.catalog.cms_on(dt.date.fromisoformat(
        f"{quarter[:4]}-{3 * int(quarter[-1]) - 2:02d}-01")), products=whole.catalog.products)
    assert loaded.cms is not None and loaded.cms.quarter == quarter
    assert whole.catalog.quarter == "2026-Q1"  # the newest quarter held
    # Every quarter: Gamunex-C 10 g is 13533-0800-71 at 20 units, Cutaquig bills labeled grams.
    assert loaded.cms.ndcs["13533-0800-71"].billunits == 20
    assert loaded.cms.ndcs["13533-0800-71"].product == "gamunex-c"
    assert sorted(loaded.products["cutaquig"].vial_sizes_mg) == [1000, 2000, 3300, 4000, 8000]
    assert loaded.cms.payments["J1561"].limit.count(".") == 1
    # The case change OCTAGAM 10% -> Octagam (2024-Q3 -> Q4) does not move the NDC's product.
    if "00069-6111-02" in loaded.cms.ndcs:
        assert loaded.cms.ndcs["00069-6111-02"].product == "octagam-10"
    assert ("J1552" in loaded.cms.payments) == (quarter >= "2025-Q1")  # Alyglo's own code


def test_the_known_pkg_size_errors_are_reported_and_billunits_kept(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "catalog", "import-cms", *quarter_files("2025-Q4"),
                             "--output", str(tmp_path / "s.toml"), "--checked", "2026-12-01")
    assert code == 0, err
    assert ("NDC 44206-0437-10 (Privigen): PKG SIZE 110 (mL) × 10% = 11 g disagrees with "
            "BILLUNITS 20 × 500 mg = 10 g") in out
    assert "NDC 64208-8234-08 (Gammaplex): PKG SIZE 100 (mL) × 5% = 5 g disagrees" in out
    cms = catalog.load(tmp_path / "s.toml").catalog.cms
    assert cms is not None
    assert cms.ndcs["44206-0437-10"].billunits == 20
    assert "PKG SIZE 110" in cms.ndcs["44206-0437-10"].note
    assert cms.ndcs["64208-8234-08"].billunits == 40
    assert "Cutaquig" not in out.split("never corrected:")[1].split("Against")[0]  # 0.99 ≈ 1 g


def test_the_2025_q4_facts_the_issue_names(tmp_path: Path) -> None:
    loaded = catalog.load().catalog
    cms = loaded.cms_on(dt.date(2025, 11, 3))
    assert cms is not None and cms.quarter == "2025-Q4"
    assert cms.payments["J1561"].limit == "48.964"
    assert cms.opps["J1556"].si == "N" and cms.opps["J1561"].si == "K"
    assert not any(r.code in ("J1572", "J1599") for r in cms.ndcs.values())
    assert sorted(loaded.products["gammaked"].vial_sizes_mg) == [5000, 10000, 20000]
    assert sorted(loaded.products["panzyga"].vial_sizes_mg) == [
        2500, 5000, 10000, 20000, 30000]
    assert sorted(loaded.products["octagam-5"].vial_sizes_mg) == [1000, 2500, 5000, 10000]
    # Octagam 5% and 10% share J1568 and are told apart by NDC.
    assert cms.ndcs_for("octagam-5", "J1568", Fraction(500), Fraction(1000)) == (
        "00069-8400-02", "68982-0840-01")
    assert cms.ndcs_for("octagam-10", "J1568", Fraction(500), Fraction(2000)) == (
        "00069-6002-02", "68982-0850-01")
    # Flebogamma keeps its label sizes, cited to the label.
    assert "FDA prescribing information" in loaded.products["flebogamma-5"].source


def test_bundled_resources_are_what_the_importer_makes_of_every_quarter(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Nobody edits an NDC by hand: regenerate resources/ from all nine quarters' files in
    one call and compare byte for byte."""
    resources = Path(catalog.__file__).parents[2] / "resources"
    with (resources / "cms-2026-Q1.toml").open("rb") as handle:
        checked = tomllib.load(handle)["cms"]["checked"].isoformat()
    files = [f for quarter in QUARTERS for f in quarter_files(quarter)]
    code, out, err = run_cli(capsys, "catalog", "import-cms", *files,
                             "--resources", str(tmp_path), "--checked", checked)
    assert code == 0, err
    names = [f"cms-{quarter}.toml" for quarter in QUARTERS]
    assert sorted(p.name for p in resources.glob("cms-*.toml")) == names
    for name in (*names, "products.toml", "catalog.toml"):
        assert (tmp_path / name).read_text("utf-8") == (resources / name).read_text("utf-8"), (
            f"resources/{name} differs from what import-cms makes of CMS's files: regenerate "
            "it")
    # The quarters without an Addendum B keep the last published one's, and say so.
    for quarter, source in (("2024-Q2", "2024-Q1"), ("2024-Q4", "2024-Q1"),
                            ("2025-Q2", "2025-Q1"), ("2026-Q1", "2025-Q4")):
        assert f"no OPPS Addendum B for {quarter}: it keeps {source}'s status indicators, " \
               "the last published" in out


def _unseen_quarter(folder: Path) -> list[Path]:
    """2026-Q1 as CMS might publish it: new year in the header, renamed pricing file."""
    folder.mkdir()
    made = []
    for path in Q4.glob("*.csv"):
        data = path.read_bytes()
        if b"Crosswalk" in path.name.encode():
            data = data.replace(b"_2025_CODE", b"_2026_CODE")
            name = "section 508 version of January 2026 ASP NDC-HCPCS Crosswalk 121925.csv"
        elif b"Pricing" in path.name.encode():
            data = data.replace(b"J1561,Gamunex-c/gammaked,500 MG,48.964",
                                b"J1561,Gamunex-c/gammaked,500 MG,51.002")
            name = "Medicare Part B Payment Limit File January 2026.csv"
        else:
            continue  # CMS publishes Addendum B for some quarters only
        data = data.replace(b"October 1, 2025 through December 31, 2025",
                            b"January 1, 2026 through March 31, 2026")
        (folder / name).write_bytes(data)
        made.append(folder / name)
    return made


def test_an_unseen_quarter_with_a_new_year_and_a_renamed_file_imports(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    files = _unseen_quarter(tmp_path / "2026-Q1")
    archive = tmp_path / "cms-2026-q1.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in files:
            zipped.write(path, path.name)
        zipped.writestr("readme.txt", "not a table")
    code, out, err = run_cli(capsys, "catalog", "import-cms", str(archive), "--output",
                             str(tmp_path / "site.toml"), "--checked", "2026-12-01")
    assert code == 0, err
    assert "ASP pricing file 2026-Q1 (Medicare Part B Payment Limit File January 2026.csv)" in out
    assert "J1561: payment limit 49.076 -> 51.002 USD per unit" in out  # against 2026-Q1 held
    loaded = catalog.load(tmp_path / "site.toml").catalog
    assert loaded.cms is not None and loaded.cms.quarter == "2026-Q1"
    assert loaded.cms.payments["J1561"].limit == "51.002"
    # No Addendum B this quarter: it keeps the last published (2025-Q4's), naming it.
    assert loaded.cms.status_from == "2025-Q4" and loaded.cms.opps["J1556"].si == "N"
    assert loaded.cms.opps["J1556"].source == "CMS OPPS Addendum B 2025-Q4"
    assert "2026-Q1" in loaded.version


def _refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, *files: str) -> str:
    code, _, err = run_cli(capsys, "catalog", "import-cms", *files, "--output",
                             str(tmp_path / "site.toml"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "site.toml").exists()
    return err


def test_refuses_a_file_it_does_not_recognise(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    other = tmp_path / "claims.csv"
    other.write_text("id,date,lines\n1,2025-10-01,J1561 JA 55\n", encoding="utf-8")
    err = _refused(capsys, tmp_path, str(other), *quarter_files("2025-Q4"))
    assert "claims.csv: not recognised as a CMS ASP NDC-HCPCS crosswalk" in err


def test_refuses_a_changed_header(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "q"
    folder.mkdir()
    for path in Q4.glob("*Crosswalk*.csv"):
        (folder / path.name).write_bytes(path.read_bytes().replace(b",BILLUNITS,",
                                                                   b",BILL UNITS PER ITEM,"))
    pricing = next(str(p) for p in Q4.glob("*Pricing*.csv"))
    err = _refused(capsys, tmp_path, *map(str, folder.glob("*.csv")), pricing)
    assert "the ASP NDC-HCPCS crosswalk header changed: column 9 is 'BILL UNITS PER ITEM', " \
           "expected 'BILLUNITS'" in err


def test_refuses_files_from_different_quarters(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    crosswalk = next(str(p) for p in (FIXTURES / "2025-Q3").glob("*Crosswalk*.csv"))
    pricing = next(str(p) for p in Q4.glob("*Pricing*.csv"))
    err = _refused(capsys, tmp_path, crosswalk, pricing)
    assert "the ASP pricing file of the quarter is missing (given: ASP NDC-HCPCS crosswalk " \
           "2025-Q3" in err
    addendum_2024 = next(str(p) for p in (FIXTURES / "2024-Q1").glob("*Addendum*.csv"))
    err = _refused(capsys, tmp_path, *quarter_files("2025-Q4")[1:], addendum_2024)
    assert "OPPS Addendum B 2024-Q1 (Section 508 version of January_Web_2024_Addendum_B" \
           ".04.24.24.csv) matches no quarter given" in err


def test_refuses_a_quarter_without_its_pricing_file(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    crosswalk = next(str(p) for p in Q4.glob("*Crosswalk*.csv"))
    err = _refused(capsys, tmp_path, crosswalk)
    assert "the ASP pricing file of the quarter is missing" in err


def test_refuses_a_bad_billunits_cell_naming_the_row(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    crosswalk = next(Q4.glob("*Crosswalk*.csv"))
    broken = tmp_path / crosswalk.name
    broken.write_bytes(crosswalk.read_bytes().replace(b"13533-0800-71,Gamunex-C,500 MG,100,1,20",
                                                      b"13533-0800-71,Gamunex-C,500 MG,100,1,2O"))
    pricing = next(str(p) for p in Q4.glob("*Pricing*.csv"))
    err = _refused(capsys, tmp_path, str(broken), pricing)
    assert "BILLUNITS of 13533-0800-71 '2O' is not a number" in err


def test_catalog_check_lists_the_imported_quarter(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    site = tmp_path / "cms-2025q3.toml"
    code, _, err = run_cli(capsys, "catalog", "import-cms", *quarter_files("2025-Q3"),
                           "--output", str(site), "--checked", "2026-12-01")
    assert code == 0, err
    code, out, err = run_cli(capsys, "catalog", "check", str(site))
    assert code == 0, err
    assert "replaces the bundled CMS quarter 2025-Q3 with its own" in out
    assert "catalog 2026-Q1, checked" in out


def test_output_must_be_a_toml_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "catalog", "import-cms", *quarter_files("2025-Q4"),
                           "--output", str(tmp_path / "site.txt"))
    assert code == 2 and "--output: " in err and "must end in .toml" in err


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02PK garbage\xff" * 50,
                                     b"PK\x03\x04 not really a zip"])
def test_refuses_empty_binary_and_broken_zip_files(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "download.csv"
    bad.write_bytes(content)
    err = _refused(capsys, tmp_path, str(bad), *quarter_files("2025-Q4"))
    assert "download.csv: " in err


def test_a_zip_member_with_a_changed_header_is_refused(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    pricing = next(Q4.glob("*Pricing*.csv"))
    archive = tmp_path / "pricing.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(pricing.name, pricing.read_bytes().replace(b"Payment Limit,",
                                                                   b"Payment Allowance,"))
    crosswalk = next(str(p) for p in Q4.glob("*Crosswalk*.csv"))
    err = _refused(capsys, tmp_path, crosswalk, str(archive))
    assert f"pricing.zip: {pricing.name}: the ASP pricing file header changed" in err
