"""Medical necessity (issue 15): diagnosis codes, coverage lists, the dose against the
indication, prior authorization, and duplicate claims in a batch."""

import csv
import datetime as dt
import gzip
import io
import json
from importlib.resources import files
from pathlib import Path

import pytest
from helpers import CATALOG, run_cli

from ivigcalc.billing import necessity
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data import icd10
from ivigcalc.data import necessity as coverage
from ivigcalc.errors import InputError

DAY = dt.date(2026, 3, 2)
ORDER = ("calc", "--weight", "70 kg", "--dose", "0.4 g/kg", "--product", "privigen",
         "--date", "2026-03-02")


def not_cms(warnings: tuple[str, ...]) -> list[str]:
    """The warnings other than the CMS quarter's (these dates lie after 2025-Q4)."""
    return [w for w in warnings if "outside CMS quarter" not in w]


def order(**changes: object) -> CalcRequest:
    base: dict[str, object] = {"weight": "70 kg", "dose": "0.4 g/kg", "product": "privigen",
                               "date_of_service": DAY}
    return CalcRequest(**{**base, **changes})  # type: ignore[arg-type]


# --- the code set --------------------------------------------------------------------


def test_the_table_is_cms_april_2026_release() -> None:
    codes = icd10.code_set()
    assert codes.release == "ICD-10-CM April 2026 release (CMS)"
    assert 74_000 < len(codes.billable) < 76_000  # CMS: about 74,700 billable codes
    assert codes.billable["D80.0"] == "Hereditary hypogammaglobulinemia"
    assert "D80" in codes.headers and "D80" not in codes.billable


@pytest.mark.parametrize("typed", ["D80.0", "d80.0", " D800 ", "d800"])
def test_codes_are_read_with_or_without_the_dot(typed: str) -> None:
    assert icd10.lookup(typed) == icd10.Diagnosis("D80.0", "Hereditary hypogammaglobulinemia")


def test_a_category_is_refused_with_the_characters_to_add() -> None:
    with pytest.raises(InputError, match=r"^dx: D80 .* is a category, not a billable code; "
                       r"add the next character \(D80\.0 … D80\.9\)$"):
        icd10.lookup("D80")


def test_a_code_that_does_not_exist_is_refused() -> None:
    with pytest.raises(InputError, match=r"^dx: D80\.99 is not a code in the ICD-10-CM April "
                       r"2026 release \(CMS\)$"):
        icd10.lookup("D80.99")


@pytest.mark.parametrize("typed", ["80.0", "D80.00000", "D8", "DD0.0", "D80.0\x1b[2J", "ü80",
                                   "D80..0", "x" * 5000])
def test_what_cannot_be_a_code_is_refused_in_one_line(typed: str) -> None:
    with pytest.raises(InputError, match="is not an ICD-10-CM code; accepts a letter") as info:
        icd10.lookup(typed)
    assert "\n" not in str(info.value) and "\x1b" not in str(info.value)
    assert len(str(info.value)) < 200


def test_a_list_is_split_on_commas_and_checked_once_each() -> None:
    found = icd10.parse_list("G61.81, D80.0;D69.3")
    assert [d.code for d in found] == ["G61.81", "D80.0", "D69.3"]
    with pytest.raises(InputError, match=r"D80\.0 is listed twice"):
        icd10.parse_list("D80.0, d800")
    with pytest.raises(InputError, match="13 codes; accepts at most 12"):
        icd10.parse_list(",".join(["D80.0"] * 13))


def test_the_table_matches_the_package_it_was_made_from() -> None:
    cm = pytest.importorskip("simple_icd_10_cm")
    raw = gzip.decompress(files("ivigcalc.resources").joinpath(icd10.TABLE).read_bytes())
    rows = raw.decode().splitlines()[1:]
    sample = rows[:: len(rows) // 400]
    for row in sample:
        code, kind, description = row.split("\t")
        assert cm.is_valid_item(code), code
        assert (kind == "B") == cm.is_leaf(code), code
        assert description == " ".join(cm.get_description(code).split())


# --- the data ------------------------------------------------------------------------


def test_every_listed_code_is_a_billable_code() -> None:
    data = coverage.bundled()
    for lst in data.lists.values():
        for code in lst.codes:
            assert code in icd10.code_set().billable, (lst.key, code)
    for ind in data.indications.values():
        for prefix in ind.icd10:
            assert any(c == prefix or c.startswith(prefix if "." in prefix else prefix + ".")
                       for c in icd10.code_set().billable), (ind.key, prefix)
        for preset in ind.presets:
            assert preset in CATALOG.presets, (ind.key, preset)
    for payer in data.payers:
        assert payer in CATALOG.payers


def test_the_home_benefit_leaves_out_what_cr11295_leaves_out() -> None:
    home = coverage.bundled().lists["medicare-home-pid"].codes
    assert {"D80.0", "D80.2", "D83.9", "G11.3"} <= home
    assert not {"D80.1", "D80.8", "D80.9"} & home
    assert not any(code.startswith("D84") for code in home)


def test_no_user_visible_source_cites_an_internal_note() -> None:
    data = coverage.bundled()
    texts = [lst.source for lst in data.lists.values()]
    texts += [p.source for p in data.payers.values()]
    texts += [i.source for i in data.indications.values()]
    assert not [t for t in texts if "domain" in t.lower() or ".md" in t]


# --- calc ----------------------------------------------------------------------------


def test_calc_shows_the_code_and_its_description(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, *ORDER, "--dx", "D80.0")
    assert code == 0
    assert "Diagnoses: D80.0 Hereditary hypogammaglobulinemia" in out
    code, out, _ = run_cli(capsys, *ORDER, "--dx", "D80.0", "--format", "json")
    assert json.loads(out)["diagnoses"] == [{"code": "D80.0",
                                             "description": "Hereditary hypogammaglobulinemia",
                                             "covered": None, "coverage_list": None}]


@pytest.mark.parametrize(("typed", "message"), [
    ("D80", "dx: D80 (Immunodeficiency with predominantly antibody defects) is a category"),
    ("D80.99", "dx: D80.99 is not a code in the ICD-10-CM April 2026 release"),
])
def test_calc_refuses_a_bad_code_in_one_line(capsys: pytest.CaptureFixture[str], typed: str,
                                             message: str) -> None:
    code, out, err = run_cli(capsys, *ORDER, "--dx", typed)
    assert code == 2 and out == ""
    assert err.startswith(f"ivigcalc calc: {message}") and err.count("\n") == 1


def test_home_benefit_warns_on_d80_1_and_not_on_d80_0() -> None:
    uncovered = calculate(order(payer="medicare-home", dx="D80.1"), CATALOG)
    assert uncovered.diagnoses[0].covered is False
    assert any("D80.1 Nonfamilial hypogammaglobulinemia is not covered by Medicare home" in w
               for w in uncovered.warnings)
    covered = calculate(order(payer="medicare-home", dx="D80.0"), CATALOG)
    assert covered.diagnoses[0].covered is True
    assert covered.diagnoses[0].coverage_list == "medicare-home-pid"
    assert not_cms(covered.warnings) == []


def test_a_missing_diagnosis_is_a_warning_where_a_list_settles_coverage() -> None:
    home = calculate(order(payer="medicare-home"), CATALOG)
    assert any(w.startswith("no diagnosis code: Medicare home") for w in home.warnings)
    office = calculate(order(payer="medicare"), CATALOG)
    assert not any("diagnosis" in n.message for n in office.notices)


def test_a_diagnosis_no_shipped_list_settles_says_so() -> None:
    result = calculate(order(payer="medicare", dx="D80.0"), CATALOG)
    assert result.diagnoses[0].covered is None
    assert any("the MAC's LCD billing article" in n for n in result.notes)
    blistering = calculate(order(payer="medicare", dx="L10.0", dose="2 g/kg", per="course",
                                 days=4), CATALOG)
    assert blistering.diagnoses[0].coverage_list == "ncd-250-3"
    assert not_cms(blistering.warnings) == []


@pytest.mark.parametrize(("dose", "days", "outside"), [
    ("0.8 g/kg", 1, False),  # on the labeled maximum for PID
    ("0.2 g/kg", 1, False),  # on the minimum
    ("0.81 g/kg", 1, True),
    ("0.19 g/kg", 1, True),
    ("0.4 g/kg", 2, False),  # 0.8 g/kg per course
    ("0.5 g/kg", 2, True),  # 1 g/kg per course
])
def test_the_dose_is_checked_against_the_diagnosis_range(dose: str, days: int,
                                                          outside: bool) -> None:
    result = calculate(order(dose=dose, days=days, dx="D80.0"), CATALOG)
    found = [w for w in result.warnings if "labeled range for primary humoral" in w]
    assert bool(found) is outside


def test_the_preset_names_the_indication_when_no_diagnosis_does() -> None:
    ok = calculate(order(dose="1 g/kg", days=2, indication="itp-2-day"), CATALOG)
    assert not [w for w in ok.warnings if "labeled range" in w]
    low = calculate(order(dose="0.4 g/kg", days=2, indication="itp-2-day"), CATALOG)
    assert any("0.8 g/kg per course is below the labeled range for chronic immune" in w
               for w in low.warnings)


def test_subcutaneous_doses_are_not_held_to_iv_ranges() -> None:
    result = calculate(order(product="hizentra", dose="0.2 g/kg", dx="D80.0"), CATALOG)
    assert not [w for w in result.warnings if "labeled range" in w]


def test_prior_authorization_is_carried_on_the_result() -> None:
    missing = calculate(order(payer="commercial"), CATALOG)
    assert missing.prior_auth_required and missing.prior_auth is None
    given = calculate(order(payer="commercial", prior_auth="PA-2026-0042"), CATALOG)
    assert given.prior_auth == "PA-2026-0042"
    office = calculate(order(payer="medicare"), CATALOG)
    assert not office.prior_auth_required


def test_prior_authorization_lines_on_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, *ORDER, "--payer", "commercial", "--prior-auth", "PA-77")
    assert "Prior authorization: PA-77" in out
    _, out, _ = run_cli(capsys, *ORDER, "--payer", "commercial")
    assert "Prior authorization: required by the payer, number not given" in out
    _, out, _ = run_cli(capsys, *ORDER, "--kx")
    assert "KX: the medical policy's documentation requirements are attested as met" in out


@pytest.mark.parametrize("typed", ["PA 77", "PA/77", "x" * 31, "PA-7\x00"])
def test_a_prior_authorization_number_is_checked(typed: str) -> None:
    with pytest.raises(InputError, match=r"^prior-auth: accepts letters, digits and hyphens"):
        necessity.read_reference(typed, "prior-auth")


# --- check ---------------------------------------------------------------------------

CLAIM = ("check", "--administered", "28 g", "--vials", "1 x 20 g + 1 x 10 g", "--product",
         "privigen", "--payer", "medicare-home", "--date", "2026-03-02", "--line", "J1459 56",
         "--line", "J1459 JW 4", "--format", "json")


def _rules(out: str) -> dict[str, str]:
    return {f["rule"]: f["severity"] for f in json.loads(out)["findings"]}


def test_check_reports_dx_not_covered_and_dx_missing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, *CLAIM, "--dx", "D80.1")
    assert code == 1 and _rules(out) == {"dx-not-covered": "error"}
    code, out, _ = run_cli(capsys, *CLAIM)
    assert code == 0 and _rules(out) == {"dx-missing": "warning"}
    code, out, _ = run_cli(capsys, *CLAIM, "--dx", "D80.0")
    assert code == 0 and _rules(out) == {}


def test_check_holds_the_day_to_the_indication_with_a_weight(
        capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, *CLAIM, "--dx", "D80.0", "--weight", "70 kg")
    assert _rules(out) == {}  # 28 g for 70 kg = 0.4 g/kg
    _, out, _ = run_cli(capsys, *CLAIM, "--dx", "D80.0", "--weight", "30 kg")
    assert _rules(out) == {"dose-indication": "warning"}  # 0.93 g/kg


def test_check_refuses_a_bad_dx_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, *CLAIM, "--dx", "D80")
    assert code == 2 and err.count("\n") == 1 and "dx: D80" in err


def _batch(tmp_path: Path, rows: list[str]) -> list[dict[str, str]]:
    source = tmp_path / "claims.csv"
    source.write_text("id,date,payer,product,administered,vials,lines,dx\n" +
                      "\n".join(rows) + "\n", encoding="utf-8")
    from ivigcalc.check import batch
    from ivigcalc.cli.main import open_catalog

    text = batch.report_string(source, open_catalog(None), batch.Defaults(), "csv")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_batch_reports_duplicate_claims(tmp_path: Path) -> None:
    row = "2026-03-02,medicare-home,privigen,28 g,1 x 20 g + 1 x 10 g,J1459 56; J1459 JW 4,D80.0"
    report = _batch(tmp_path, [f"C-1,{row}", f"C-2,{row}", f"C-1,{row.replace('03-02', '03-03')}",
                               f"C-4,{row.replace('03-02', '03-04')}"])
    duplicates = {r["id"]: r["message"] for r in report if r["rule"] == "duplicate-claim"}
    assert set(duplicates) == {"C-2", "C-1"}
    assert "row 1 bills the same J1459 × 4, J1459 × 56 on 2026-03-02" in duplicates["C-2"]
    assert "claim id C-1 is also row 1" in duplicates["C-1"]
    assert [r["status"] for r in report if r["id"] == "C-4"] == ["ok"]


# --- a site's own lists ----------------------------------------------------------------

SITE = '''
[catalog]
name = "St Elsewhere"

[coverage.lists.mac-ivig]
name = "MAC LCD billing article: immune globulin"
codes = ["G61.81", "D80.1"]
source = "MAC billing and coding article, immune globulin (site's copy)"
checked = 2026-11-01

[coverage.payers.medicare]
lists = ["ncd-250-3", "mac-ivig"]
complete = true
source = "Our MAC's LCD"
checked = 2026-11-01
'''


def test_a_site_adds_its_macs_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site.toml"
    site.write_text(SITE, encoding="utf-8")
    code, out, _ = run_cli(capsys, *ORDER, "--catalog", str(site), "--dx", "G61.81",
                           "--format", "json")
    assert code == 0
    assert json.loads(out)["diagnoses"][0]["coverage_list"] == "mac-ivig"
    code, out, _ = run_cli(capsys, *ORDER, "--catalog", str(site), "--dx", "D80.0",
                           "--format", "json")
    warnings = json.loads(out)["warnings"]
    assert any("D80.0 Hereditary hypogammaglobulinemia is not covered by Medicare Part B" in w
               and "MAC LCD billing article" in w for w in warnings)


@pytest.mark.parametrize(("change", "message"), [
    ('codes = ["G61.81", "D800"]', "coverage.lists"),
    ('codes = "G61.81"', "codes"),
])
def test_a_bad_site_list_is_refused_by_file_and_entry(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       change: str, message: str) -> None:
    site = tmp_path / "site.toml"
    site.write_text(SITE.replace('codes = ["G61.81", "D80.1"]', change), encoding="utf-8")
    code, _, err = run_cli(capsys, *ORDER, "--catalog", str(site))
    assert code == 2 and str(site) in err and message in err and err.count("\n") == 1
