"""MUE: CMS's Medically Unlikely Edit tables imported into a site catalog (never shipped),
the calculation's warning and the check's `mue-exceeded`, in single checks and batches.

Every MUE value here is made up: tests/data/mue/synthetic-* are laid out as CMS's tables
(a notice over several lines before the header, the header's "HCPCS/\\nCPT Code" cell, the
MAI as text) and marked synthetic in their names and first cell.
"""

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from helpers import run_cli
from hypothesis import given
from hypothesis import strategies as st
from x12_files import Claim, Line, build_837p, validate

from ivigcalc.billing.mue import over
from ivigcalc.check import x12_check
from ivigcalc.data import catalog
from ivigcalc.data.cms.read import ImportRefused, Table
from ivigcalc.data.mue import Mue
from ivigcalc.data.mue_import import quarter_from_name, read_table
from ivigcalc.errors import CatalogError

DATA = Path(__file__).parent / "data" / "mue"
PRACTITIONER_2026 = DATA / "synthetic-MCR_MUE_PractitionerServices_Eff_01-01-2026.csv"
HOSPITAL_2026 = DATA / "synthetic-MCR_MUE_OutpatientHospitalServices_Eff_01-01-2026.csv"
PRACTITIONER_2025 = DATA / "synthetic-MCR_MUE_PractitionerServices_Eff_04-01-2025.csv"
# The made-up values those files hold (practitioner 2026-Q1: J1459 150 MAI 3, J1561 120
# MAI 2, J1576 160 MAI 1; outpatient hospital: J1459 140 MAI 3; practitioner 2025-Q2: J1459
# 100 MAI 3).
PRIVIGEN = ["--product", "privigen", "--date", "2026-01-05"]


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "site.toml"
    code, _, err = run_cli(capsys, "catalog", "import-mue", str(PRACTITIONER_2026),
                           str(HOSPITAL_2026), str(PRACTITIONER_2025), "--output", str(path),
                           "--checked", "2026-12-07")
    assert code == 0, err
    return path


def test_the_tables_are_imported_per_quarter_immune_globulin_codes_only(
        site: Path) -> None:
    mue = catalog.load(site).catalog.mue
    assert mue is not None
    assert sorted(mue.quarters) == ["2025-Q2", "2026-Q1"]
    practitioner = mue.quarters["2026-Q1"]["practitioner"]
    assert sorted(practitioner) == ["J1459", "J1561", "J1576"]  # not 90283, 96365, J1611
    assert (practitioner["J1459"].units, practitioner["J1459"].mai) == (150, 3)
    assert (practitioner["J1576"].units, practitioner["J1576"].mai) == (160, 1)
    assert practitioner["J1459"].rationale == "Clinical: Data"
    assert "Practitioner Services table 2026-Q1 (synthetic-MCR_MUE_Practitioner" in \
        practitioner["J1459"].source
    assert mue.quarters["2026-Q1"]["outpatient-hospital"]["J1459"].units == 140
    # A date is judged by its own quarter's table, else the nearest earlier one.
    def units(table: str, day: dt.date) -> int | None:
        found = mue.on(table, "J1459", day)  # type: ignore[union-attr]
        return found.units if found is not None else None

    assert units("practitioner", dt.date(2025, 5, 12)) == 100
    assert units("practitioner", dt.date(2025, 12, 31)) == 100
    assert units("practitioner", dt.date(2026, 8, 3)) == 150
    assert units("practitioner", dt.date(2024, 2, 1)) == 100  # before every table: the oldest
    assert units("dme", dt.date(2026, 1, 5)) is None


def test_catalog_check_lists_the_tables(site: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    code, out, _ = run_cli(capsys, "catalog", "check", str(site))
    assert code == 0
    assert "adds CMS's MUE table 2026-Q1 practitioner (3 immune globulin codes)" in out
    assert "adds CMS's MUE table 2025-Q2 practitioner (2 immune globulin codes)" in out
    assert "adds CMS's MUE table 2026-Q1 outpatient-hospital (3 immune globulin codes)" in out


def test_the_payers_take_their_tables(site: Path) -> None:
    loaded = catalog.load(site).catalog
    day = dt.date(2026, 1, 5)
    found = {key: loaded.mue_on(loaded.payers[key], "J1459", day) for key in loaded.payers}
    assert found["medicare"].units == 150  # type: ignore[union-attr]
    assert found["medicare-opps"].units == 140  # type: ignore[union-attr]
    assert found["medicare-home"] is None  # no DME table imported
    assert found["commercial"] is None  # takes none unless the site maps one


def test_a_site_maps_another_payer_to_a_table(site: Path) -> None:
    text = site.read_text("utf-8")
    site.write_text(text + '\n[payers.commercial]\nmue_table = "practitioner"\n', "utf-8")
    loaded = catalog.load(site).catalog
    assert loaded.mue_on(loaded.payers["commercial"], "J1459", dt.date(2026, 1, 5)).units \
        == 150  # type: ignore[union-attr]


def test_an_update_keeps_the_site_and_replaces_the_same_quarter(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.write_text(site.read_text("utf-8").replace(
        "[catalog]\n", "[catalog]\nvial_preference_units = 2\n", 1), "utf-8")
    before = site.read_text("utf-8")
    changed = tmp_path / "synthetic-mue-2026-Q1.csv"
    changed.write_bytes(PRACTITIONER_2026.read_bytes().replace(b"J1459,150", b"J1459,170"))
    code, out, _ = run_cli(capsys, "catalog", "import-mue", str(changed), "--output", str(site))
    assert code == 0
    assert "2026-Q1 Practitioner Services" in out and "replaces the site catalog's" in out
    assert "J1459: 100 units, MAI 3 in 2025-Q2 -> 170 units, MAI 3" in out
    assert Path(f"{site}.bak").read_text("utf-8") == before
    loaded = catalog.load(site).catalog
    assert loaded.vial_preference_units == 2
    assert loaded.mue.quarters["2026-Q1"]["practitioner"]["J1459"].units == 170  # type: ignore[union-attr]
    assert loaded.mue.quarters["2025-Q2"]["practitioner"]["J1459"].units == 100  # type: ignore[union-attr]
    assert loaded.mue.quarters["2026-Q1"]["outpatient-hospital"]["J1459"].units == 140  # type: ignore[union-attr]


def test_a_cms_quarter_imported_after_keeps_the_mue_tables(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    quarter = sorted((Path(__file__).parent / "fixtures" / "cms" / "2026-Q1").iterdir())
    code, _, err = run_cli(capsys, "catalog", "import-cms", *map(str, quarter),
                           "--output", str(site))
    assert code == 0, err
    loaded = catalog.load(site).catalog
    assert "2026-Q1" in loaded.cms_history  # type: ignore[operator]
    assert loaded.mue.quarters["2026-Q1"]["practitioner"]["J1459"].units == 150  # type: ignore[union-attr]


def test_a_zip_as_cms_distributes_it_and_the_quarter_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "synthetic-mue-tables.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(PRACTITIONER_2026, "synthetic-practitioner.csv")
        z.writestr("readme.txt", "not a table")
    path = tmp_path / "site.toml"
    code, _, err = run_cli(capsys, "catalog", "import-mue", str(archive), "--output",
                           str(path))
    assert code == 2 and "add --quarter YYYY-Qn" in err and not path.exists()
    code, out, _ = run_cli(capsys, "catalog", "import-mue", str(archive), "--quarter",
                           "2026-q3", "--output", str(path))
    assert code == 0 and "2026-Q3 Practitioner Services" in out
    assert sorted(catalog.load(path).catalog.mue.quarters) == ["2026-Q3"]  # type: ignore[union-attr]


@pytest.mark.parametrize(("name", "quarter"), [
    ("MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", "2026-Q1"),
    ("MCR_MUE_DMESupplierServices_Eff_07-01-2025.zip", "2025-Q3"),
    ("mue-2025-Q4-practitioner.csv", "2025-Q4"),
    ("mue_q2_2024.csv", "2024-Q2"),
    ("mue_2026-10-01.csv", "2026-Q4"),
    ("mue-tables.csv", None),
    ("mue_2025-Q1_Eff_07-01-2025.csv", None),  # two quarters: the name is not trusted
    ("mue_13-01-2025.csv", None),  # not a date
])
def test_the_quarter_from_a_file_name(name: str, quarter: str | None) -> None:
    assert quarter_from_name(name) == quarter


def _bad(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "synthetic-bad_Eff_01-01-2026.csv"
    path.write_bytes(data)
    return path


GOOD = PRACTITIONER_2026.read_bytes()
BAD = [
    (b"HCPCS,Something\r\nJ1459,3\r\n", "no MUE header"),
    (GOOD.replace(b"Practitioner Services MUE Values", b"Practitioner MUE"),
     "the MUE header changed"),
    (GOOD.replace(b',"MUE Rationale"', b""), "the MUE header changed"),
    (GOOD[:GOOD.index(b"J1561") + 9], "row 7 has 2 of the 4 columns"),
    (GOOD[:GOOD.index(b"J1561") + 11], "the MAI '2' of J1561"),
    (GOOD[:GOOD.index(b"J1561") + 25], "the MAI '2 Date of Servi' of J1561"),
    (GOOD[:GOOD.index(b"90283")], "the MUE table has a header and no rows"),
    (GOOD.replace(b"J1459,150", b"J1459,1e999999999"), "the MUE value '1e999999999' of J1459"),
    (GOOD.replace(b"J1459,150", b"J1459," + b"9" * 5000), "the MUE value '99999"),
    (GOOD.replace(b"J1459,150", b"J1459,1000000"), "from 0 to 999999"),
    (GOOD.replace(b"J1576,160", b"J1459,160"), "J1459 is listed twice (rows 6 and 8)"),
    (GOOD.replace(b"J1459,150", b"J 1459,150"), "'J 1459' is not a HCPCS/CPT code"),
    (GOOD + b'"unterminated', "is not a readable CSV file"),
]


@pytest.mark.parametrize(("data", "said"), BAD)
def test_bad_files_are_refused_in_one_line_and_nothing_is_written(
        site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes,
        said: str) -> None:
    before = site.read_bytes()
    bad = _bad(tmp_path, data)
    code, out, err = run_cli(capsys, "catalog", "import-mue", str(PRACTITIONER_2025), str(bad),
                             "--output", str(site))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and str(bad) in err and said in err, err
    assert site.read_bytes() == before and not Path(f"{site}.bak").exists()
    fresh = tmp_path / "new.toml"
    assert run_cli(capsys, "catalog", "import-mue", str(bad), "--output", str(fresh))[0] == 2
    assert not fresh.exists()


def test_the_same_table_twice_and_a_bad_quarter_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "site.toml"
    code, _, err = run_cli(capsys, "catalog", "import-mue", str(PRACTITIONER_2026),
                           str(PRACTITIONER_2026), "--output", str(path))
    assert code == 2 and "2026-Q1 Practitioner Services is also in" in err
    code, _, err = run_cli(capsys, "catalog", "import-mue", str(PRACTITIONER_2026),
                           "--quarter", "2026-Q5", "--output", str(path))
    assert code == 2 and "quarter: '2026-Q5' is not accepted" in err
    code, _, err = run_cli(capsys, "catalog", "import-mue", str(PRACTITIONER_2026),
                           "--output", str(tmp_path / "site.txt"))
    assert code == 2 and "must end in .toml" in err
    assert not path.exists()


def test_a_hand_edited_row_is_refused_at_load(site: Path) -> None:
    text = site.read_text("utf-8")
    site.write_text(text.replace("units = 150", "units = -1", 1), "utf-8")
    with pytest.raises(CatalogError, match=r"mue\.2026-Q1\.practitioner\.J1459.*"
                                                   r"'units': must be a whole number"):
        catalog.load(site)


def _mue(units: int, mai: int) -> Mue:
    return Mue("J1459", units, mai, "practitioner", "2026-Q1", "synthetic", dt.date(2026, 1, 1))


def test_mai_1_compares_each_line_and_mai_2_and_3_the_date() -> None:
    assert [(o.lines, o.units) for o in over(_mue(150, 1), [150, 10])] == []
    assert [(o.lines, o.units) for o in over(_mue(150, 1), [151, 10, 160])] == \
        [((0,), 151), ((2,), 160)]
    for mai in (2, 3):
        assert over(_mue(160, mai), [150, 10]) == []
        assert [(o.lines, o.units) for o in over(_mue(159, mai), [150, 10])] == \
            [((0, 1), 160)]


def test_calc_warns_naming_the_value_the_mai_and_the_remark_codes(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    order = ["calc", "--weight", "80 kg", "--dose", "1 g/kg", "--catalog", str(site)]
    code, out, _ = run_cli(capsys, *order, *PRIVIGEN, "--days", "2", "--format", "json")
    assert code == 0
    warnings = [w for w in json.loads(out)["warnings"] if "MUE" in w]
    assert warnings == [
        "Over the MUE on 2026-01-05, 2026-01-06: J1459: 160 units on the date of service "
        "(J1459 JZ × 160) pass the MUE 150 units (MAI 3, date of service edit, clinical; "
        "Practitioner Services, 2026-Q1): all 160 deny (MAI 3: paid above the MUE only on "
        "appeal, with the record); remittance CO-96 with N362 (Noridian), CARC 151 with MA01 "
        "(CGS), B5 with N362 (hospital 835s); an ABN does not cover an MUE denial."]
    _, out, _ = run_cli(capsys, *order, *PRIVIGEN)
    assert "! Over the MUE on 2026-01-05: J1459: 160 units" in out
    # 75 g: 150 units, at the MUE: no warning; nor for a payer without a table.
    _, out, _ = run_cli(capsys, "calc", "--weight", "75 kg", "--dose", "1 g/kg", "--catalog",
                        str(site), *PRIVIGEN)
    assert "MUE" not in out
    _, out, _ = run_cli(capsys, *order, *PRIVIGEN, "--payer", "commercial")
    assert "MUE" not in out
    # 2025-05-12 is judged by 2025-Q2's table (100); the hospital table by its own (140).
    _, out, _ = run_cli(capsys, "calc", "--weight", "60 kg", "--dose", "1 g/kg", "--catalog",
                        str(site), "--product", "privigen", "--date", "2025-05-12")
    assert "120 units on the date of service (J1459 JZ × 120) pass the MUE 100 units " \
           "(MAI 3, date of service edit, clinical; Practitioner Services, 2025-Q2)" in out
    _, out, _ = run_cli(capsys, *order, *PRIVIGEN, "--payer", "medicare-opps")
    assert "pass the MUE 140 units (MAI 3, date of service edit, clinical; Outpatient " \
           "Hospital Services, 2026-Q1)" in out


def test_calc_without_mue_tables_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "calc", "--weight", "150 kg", "--dose", "2 g/kg", *PRIVIGEN)
    assert "MUE" not in out


def _check(capsys: pytest.CaptureFixture[str], site: Path, *args: str
           ) -> list[tuple[str, object, str]]:
    code, out, _ = run_cli(capsys, "check", "--catalog", str(site), "--format", "json", *args)
    assert code in (0, 1)
    return [(f["rule"], f["line"], f["message"]) for f in json.loads(out)["findings"]
            if f["rule"] == "mue-exceeded"]


def test_the_check_sums_a_dates_lines_jw_included_for_mai_3(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    given = [*PRIVIGEN, "--administered", "75 g", "--vials", "8 x 10 g", "--stocked", "10 g"]
    found = _check(capsys, site, *given, "--line", "J1459 150", "--line", "J1459 JW 10")
    assert [(rule, line) for rule, line, _ in found] == [("mue-exceeded", None)]
    assert "J1459: 160 units on the date of service (lines 1 and 2, the JW line included) " \
           "pass the MUE 150 units (MAI 3" in found[0][2] and "N362" in found[0][2]
    assert _check(capsys, site, *given[:4], "--administered", "75 g", "--vials",
                  "15 x 5 g", "--line", "J1459 JZ 150") == []


def test_the_check_compares_each_line_for_mai_1(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    panzyga = ["--product", "panzyga", "--date", "2026-01-05", "--stocked", "10 g"]
    found = _check(capsys, site, *panzyga, "--administered", "85 g", "--vials", "9 x 10 g",
                   "--line", "J1576 170", "--line", "J1576 JW 10")
    assert [(rule, line) for rule, line, _ in found] == [("mue-exceeded", 1)]
    assert "J1576: 170 units on one line (line 1) pass the MUE 160 units (MAI 1, line edit" \
        in found[0][2]
    # 160 + 10 JW: each line is within a line edit.
    assert _check(capsys, site, *panzyga, "--administered", "80 g", "--vials", "9 x 10 g",
                  "--line", "J1576 160", "--line", "J1576 JW 10") == []


def test_a_csv_batch_reports_it_per_row(site: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text("id,date,product,administered,vials,lines,payer\n"
                      "a,2026-01-05,privigen,80 g,8 x 10 g,J1459 JZ 160,medicare\n"
                      "b,2026-01-05,privigen,70 g,7 x 10 g,J1459 JZ 140,medicare\n"
                      "c,2026-01-05,privigen,80 g,8 x 10 g,J1459 JZ 160,commercial\n"
                      "d,2026-01-05,privigen,75 g,8 x 10 g,J1459 150;J1459 JW 5,"
                      "medicare-opps\n", encoding="utf-8")
    _, out, _ = run_cli(capsys, "check", "--csv", str(claims), "--format", "json",
                        "--catalog", str(site))
    rows = json.loads(out)["rows"]
    assert [[f["rule"] for f in r["findings"] if f["rule"] == "mue-exceeded"] for r in rows] \
        == [["mue-exceeded"], [], [], ["mue-exceeded"]]
    assert "(MAI 3, date of service edit, clinical; Outpatient Hospital Services, 2026-Q1)" \
        in next(f["message"] for f in rows[3]["findings"] if f["rule"] == "mue-exceeded")


def test_an_837_is_checked_by_the_same_rule(site: Path, tmp_path: Path) -> None:
    text = build_837p([Claim("MUE-1", (Line("J1459", ("JZ",), 160, "3200"),), dx=("L100",)),
                       Claim("MUE-2", (Line("J1459", ("JZ",), 140, "2800"),), dx=("L100",),
                             member="1EG4TE5MK72")])
    assert validate(text) == []
    path = tmp_path / "claims.837"
    path.write_text(text, encoding="utf-8")
    loaded = catalog.load(site).catalog
    reports = list(x12_check.check_claims(x12_check.read(str(path)), loaded))
    assert [[f.rule for f in r.findings if f.rule == "mue-exceeded"] for r in reports] == \
        [["mue-exceeded"], []]


HEADER = ("HCPCS/\nCPT Code", "Practitioner Services MUE Values", "MUE Adjudication Indicator",
          "MUE Rationale")


@given(st.lists(st.lists(st.text(max_size=30), max_size=6).map(tuple), max_size=8))
def test_any_rows_are_read_or_refused_in_one_line(rows: list[tuple[str, ...]]) -> None:
    table = Table("synthetic.csv", "synthetic.csv", (HEADER, *rows))
    try:
        read_table(table, "2026-Q1", ["J1459"], dt.date(2026, 12, 7))
    except ImportRefused as error:
        assert str(error).startswith("synthetic.csv: ") and "\n" not in str(error)
