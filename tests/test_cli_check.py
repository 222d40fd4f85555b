"""`ivigcalc check`: the issue's contract (output, JSON schema 1, exit codes 0/1/2), and batch."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_cli

SAMPLE = Path(__file__).parent / "data" / "check_claims_synthetic.csv"
BASE = ["check", "--administered", "27.3 g", "--product", "gamunex-c", "--date", "2026-01-05"]


def test_correct_claim_exits_0_with_the_vial_warning(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, *BASE, "--vials", "3 x 10 g", "--line", "J1561 JA 55",
                         "--line", "J1561-JA-JW x5")
    assert code == 0, err
    assert "non-optimal-vials" in out
    assert "Expected lines:\n  J1561 JA × 55\n  J1561 JA JW × 5" in out
    assert "catalog 2026-Q1" in out
    assert err == ""


def test_errors_exit_1_and_each_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, *BASE, "--vials", "3 x 10 g", "--line", "J1561 54",
                       "--line", "J1561-JA-JW x5", "--line", "J1561-JA-JW x5")
    assert code == 1
    for rule in ("route-modifier-missing", "units-rounding", "duplicate-line"):
        assert rule in out
    assert "Source: " in out


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, *BASE, "--vials", "10 g, 10 g, 5 g, 2.5 g", "--line",
                       "J1561 JA 55", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["schema"] == 1
    finding = data["findings"][0]
    assert {"severity", "rule", "message", "line"} <= set(finding)
    assert finding["severity"] in ("error", "warning", "note")
    assert (finding["rule"], finding["line"]) == ("jz-missing", 1)
    assert data["expected_lines"] == [
        {"code": "J1561", "modifiers": ["JA", "JZ"], "units": 55, "text": "J1561 JA JZ × 55",
         "ndc": None, "ndcs": []}]


def test_json_line_is_null_for_the_whole_claim(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, *BASE, "--vials", "3 x 10 g", "--line", "J1561 JA 55",
                    "--format", "json")
    data = json.loads(out)
    first = data["findings"][0]
    assert (first["rule"], first["line"]) == ("jw-missing", None)


def test_code_instead_of_product(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check", "--administered", "27.3 g", "--vials", "3 x 10 g",
                       "--code", "J1561", "--date", "2026-01-05", "--line", "J1561 JA 55",
                       "--line", "J1561 JA JW 5")
    assert code == 0
    assert "Findings: 0 errors, 0 warnings, 0 notes" in out


def test_kx_flag_reaches_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*BASE, "--vials", "3 x 10 g", "--line", "J1561 JA KX 55", "--line",
            "J1561 JA JW KX 5"]
    assert run_cli(capsys, *argv)[0] == 1  # KX without the attestation
    assert run_cli(capsys, *argv, "--kx")[0] == 0


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--vials", "3 x 10 g"], "--line is required"),
    (["--line", "J1561 JA 55"], "--vials is required"),
    (["--vials", "3 x 7 g", "--line", "J1561 JA 55"], "vials: 7 g is not a size"),
    (["--vials", "3 x 10 g", "--line", "J1561 JA 55", "--payer", "acme"], "payer:"),
    (["--vials", "3 x 10 g", "--line", "J1561 JA 55", "--date", "2026-02-30"], "date:"),
    (["--vials", "3 x 10 g", "--line", "J1561 JA 55", "--format", "csv"], "format:"),
    (["--vials", "3 x 10 g", "--line", "J1561 JA 55", "--code", "J1561"], "not allowed"),
    (["--vials", "3 x 10 g", "--line", "J1561 JA 55", "--route", "im"], "invalid choice"),
])
def test_invalid_input_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str],
                                              fragment: str) -> None:
    code, out, err = run_cli(capsys, *BASE, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert fragment in err
    assert "Traceback" not in err


def test_product_or_code_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "check", "--administered", "27.3 g", "--vials", "3 x 10 g",
                       "--line", "J1561 JA 55")
    assert code == 2 and "--product KEY or --code CODE" in err


def test_batch_csv_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "check", "--csv", str(SAMPLE))
    assert code == 1  # rows with errors and invalid rows
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["id"] for r in rows} == {f"A-{n}" for n in range(1, 7)}
    assert "columns ignored: note" in err
    assert "6 rows: 1 ok, 1 with warnings, 2 with errors, 2 invalid" in err


def test_batch_json_to_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run_cli(capsys, "check", "--csv", str(SAMPLE), "--format", "json",
                       "--output", str(target))
    assert code == 1 and out == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [r["row"] for r in data["rows"]] == [1, 2, 3, 4, 5, 6]


def test_batch_all_good_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    path.write_text("product,administered,vials,lines\n"
                    "gamunex-c,27.3 g,\"10 g, 10 g, 5 g, 2.5 g\",J1561 JA JZ 55\n",
                    encoding="utf-8")
    code, _, err = run_cli(capsys, "check", "--csv", str(path), "--date", "2026-01-05")
    assert code == 0, err


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--csv", "/nonexistent/claims.csv"], "cannot be read"),
    (["--csv", str(SAMPLE), "--line", "J1561 JA 55"], "come from the file's columns"),
    (["--csv", str(SAMPLE), "--format", "text"], "csv or json"),
    (["--csv", str(SAMPLE), "--output", "/nonexistent/dir/report.csv"], "does not exist"),
])
def test_batch_invalid_input_exits_2(capsys: pytest.CaptureFixture[str], argv: list[str],
                                     fragment: str) -> None:
    code, out, err = run_cli(capsys, "check", *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and fragment in err


def test_real_process_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    """The console entry point itself: exit codes as the contract says, one line on error."""
    base = [sys.executable, "-m", "ivigcalc", *BASE]
    ok = subprocess.run([*base, "--vials", "3 x 10 g", "--line", "J1561 JA 55", "--line",
                         "J1561 JA JW 5"], capture_output=True, text=True, check=False)
    bad = subprocess.run([*base, "--vials", "3 x 10 g", "--line", "J1561 55"],
                         capture_output=True, text=True, check=False)
    invalid = subprocess.run([*base, "--vials", "three", "--line", "J1561 JA 55"],
                             capture_output=True, text=True, check=False)
    assert (ok.returncode, bad.returncode, invalid.returncode) == (0, 1, 2)
    assert invalid.stderr.count("\n") == 1 and "Traceback" not in invalid.stderr


def test_a_closed_pipe_ends_with_one_line_and_exit_2(tmp_path: Path) -> None:
    """`ivigcalc check --csv big.csv | head -1`: no traceback when the reader leaves."""
    path = tmp_path / "big.csv"
    row = "2026-01-05,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55\n"
    path.write_text("date,product,administered,vials,lines\n" + row * 5000, encoding="utf-8")
    with subprocess.Popen([sys.executable, "-m", "ivigcalc", "check", "--csv", str(path)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().startswith(b"row,id,status")
        process.stdout.close()
        error = process.stderr.read().decode()
        assert process.wait(timeout=60) == 2
    assert "Traceback" not in error
    assert error.count("\n") == 1 and "broken pipe" in error
