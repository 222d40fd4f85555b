"""The command-line contract: output, exit codes, one-line refusals, never a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_cli

from ivigcalc import __version__

BASE = ["calc", "--weight", "78 kg", "--dose", "350 mg/kg", "--product", "gamunex-c",
        "--date", "2026-11-28"]


def test_readme_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, *BASE, "--vials", "10 g")
    assert code == 0, err
    assert "J1561 JA × 55" in out
    assert "J1561 JA JW × 5" in out
    assert "Working:" in out and "ceil(54.6) = 55" in out
    assert "catalog 2026-Q1" in out
    assert err == ""


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, *BASE, "--vials", "10 g", "--format", "json")
    assert code == 0
    data = json.loads(out)
    # 2026-11-28 is past the newest quarter bundled: 2026-Q1's J1561 limit, 49.076 USD.
    assert data["days"][0]["claim_lines"][1] == {"code": "J1561", "modifiers": ["JA", "JW"],
                                                 "units": 5, "payment_limit_usd": "49.076",
                                                 "cms_quarter": "2026-Q1",
                                                 "amount_usd": "245.38"}
    assert data["cms"]["quarter"] == "2026-Q1" and data["cms"]["quarters"] == ["2026-Q1"]
    assert [w for w in data["warnings"] if w.startswith("newest CMS data")] == [
        "newest CMS data 2026-Q1; 2026-11-28 is in 2026-Q4: its NDCs, payment limits and "
        "OPPS status are 2026-Q1's; update the CMS data (ivigcalc catalog import-cms)."]


def test_options_reach_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "calc", "--weight", "120 kg", "--dose", "2 g/kg", "--product",
                       "privigen", "--height", "5 ft 10 in", "--sex", "male", "--basis",
                       "adjusted", "--per", "course", "--days", "2", "--payer", "commercial",
                       "--date", "2026-01-05", "--round", "nearest-5g", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["dosing_weight"]["kg"] == 91.8
    # 2 g/kg × 91.8 kg = 183.6 g over 2 days = 91.8 g/day → nearest 5 g = 90 g
    assert data["dose_per_day_mg"] == 90000
    assert len(data["days"]) == 2
    # 180 units × 50.281 USD (J1459, CMS 2026-Q1) = 9050.58 USD
    assert data["days"][0]["claim_lines"] == [{"code": "J1459", "modifiers": [], "units": 180,
                                               "payment_limit_usd": "50.281",
                                               "cms_quarter": "2026-Q1",
                                               "amount_usd": "9050.58"}]
    assert not any("CMS data" in w for w in data["warnings"])  # 2026-Q1 is bundled


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--weight", "70"], "weight: '70' has no unit"),
        (["--weight", "70,5 kg"], "comma"),
        (["--weight", "2*3 kg"], "arithmetic"),
        (["--weight", "nan kg"], "not a finite number"),
        (["--weight", "-70 kg"], "negative"),
        (["--weight", "0 kg"], "zero"),
        (["--dose", "5 units"], "'units' is not an accepted unit"),
        (["--code", "J1611"], "J1611 is not an immune globulin code: it is Injection, glucagon"),
        (["--product", "hizentra", "--route", "iv"], "Hizentra is subcutaneous only"),
        (["--date", "28/11/2026"], "date: '28/11/2026' is not a date; accepts YYYY-MM-DD"),
        (["--vials", "3 g"], "3 g is not a size of Gamunex-C"),
        (["--dose", "5 g/kg"], "hard limit"),
        (["--payer", "nope"], "payer: 'nope' is not known"),
        (["--catalog", "/nonexistent/site.toml"], "cannot be read"),
        (["--days", "x"], "days: 'x' is not accepted; accepts a whole number from 1 to 31"),
        (["--basis", "lean"], "invalid choice"),
    ],
)
def test_refusals_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], args: list[str],
                                       fragment: str) -> None:
    argv = list(BASE)
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_missing_required_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "calc", "--dose", "0.4 g/kg", "--product", "privigen")
    assert code == 2
    assert "--weight" in err and err.count("\n") == 1


def test_version_names_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0
    assert out.splitlines()[0] == f"ivigcalc {__version__}"
    assert "catalog 2026-Q1, checked 2026-12-01" in out


def test_site_catalog_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text("[products.gamunex-c]\nvial_sizes_g = [10]\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, *BASE, "--catalog", str(site))
    assert code == 0
    assert "J1561 JA JW × 5" in out  # only 10 g vials at this site


def test_broken_env_catalog_falls_back_with_a_warning(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site.toml"
    site.write_text("[products.gamunex-c]\nvial_sizes_g = \"ten\"\n", encoding="utf-8")
    monkeypatch.setenv("IVIGCALC_CATALOG", str(site))
    code, out, err = run_cli(capsys, *BASE)
    assert code == 0
    assert "Site catalog not used" in err and "vial_sizes_g" in err
    assert "J1561 JA JZ × 55" in out  # bundled sizes: 20 + 5 + 2.5 g


def test_python_dash_m_runs_the_cli_in_a_fresh_process() -> None:
    done = subprocess.run([sys.executable, "-m", "ivigcalc", *BASE, "--weight", "70"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("ivigcalc calc: weight:")
    assert "Traceback" not in done.stderr
    ok = subprocess.run([sys.executable, "-m", "ivigcalc", *BASE], capture_output=True,
                        text=True, timeout=60)
    assert ok.returncode == 0 and "J1561 JA JZ × 55" in ok.stdout
