"""340B: a covered entity's JG (or TB) on each separately payable drug line from 2024-01-01
(CMS, Part B inflation rebate guidance), beside JA/JB and JW/JZ; never on packaged lines."""

import datetime as dt
import json
from pathlib import Path

import pytest
from helpers import run_cli

from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data.catalog import load
from ivigcalc.errors import InputError

CATALOG = load().catalog
CHECK = ["check", "--product", "gamunex-c", "--administered", "27.5 g",
         "--vials", "1 x 20 g, 1 x 5 g, 1 x 2.5 g"]


def lines(day: dt.date, site: str | None, **kwargs: object) -> list[str]:
    request = {"weight": "78 kg", "dose": "350 mg/kg", "product": "gamunex-c",
               "vials": "10 g", "date_of_service": day, "site_340b": site, **kwargs}
    result = calculate(CalcRequest(**request), CATALOG)  # type: ignore[arg-type]
    return [line.text for line in result.days[0].claim_lines]


def test_jg_rides_beside_ja_and_jw_jz_from_2024() -> None:
    assert lines(dt.date(2025, 11, 3), "JG", kx=True) == ["J1561 JA JG KX × 55",
                                                          "J1561 JA JW JG KX × 5"]
    assert lines(dt.date(2025, 11, 3), "tb") == ["J1561 JA TB × 55", "J1561 JA JW TB × 5"]
    assert lines(dt.date(2023, 12, 29), "JG") == ["J1561 JA × 55", "J1561 JA JW × 5"]
    assert lines(dt.date(2025, 11, 3), None) == ["J1561 JA × 55", "J1561 JA JW × 5"]


def test_packaged_lines_and_payers_without_it_take_none() -> None:
    bivigam = {"product": "bivigam", "dose": "0.95 g/kg", "weight": "70 kg"}
    assert lines(dt.date(2025, 11, 3), "TB", payer="medicare-opps", **bivigam) == \
        ["J1556 × 133"]  # status N in 2025's Addendum B
    assert lines(dt.date(2024, 5, 6), "TB", payer="medicare-opps", **bivigam) == \
        ["J1556 TB × 133", "J1556 JW TB × 7"]  # status K in 2024
    assert lines(dt.date(2025, 11, 3), "JG", payer="commercial") == [
        "J1561 JA × 55", "J1561 JA JW × 5"]


def test_anything_else_is_refused_naming_the_field(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="340b: 'JX' is not accepted; accepts JG, TB"):
        lines(dt.date(2025, 11, 3), "JX")
    code, _, err = run_cli(capsys, "calc", "--weight", "78 kg", "--dose", "350 mg/kg",
                           "--product", "gamunex-c", "--340b", "XX")
    assert code == 2 and "--340b" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("line", "site", "rule"), [
    ("J1561 JA JZ 55", "JG", "340b-modifier-missing"),
    ("J1561 JA JZ TB 55", "JG", "340b-modifier-wrong"),
    ("J1561 JA JZ JG 55", "TB", "340b-modifier-wrong"),
    ("J1561 JA JZ JG 55", None, "340b-modifier-not-expected"),
])
def test_the_check_names_each_340b_mistake(capsys: pytest.CaptureFixture[str], line: str,
                                           site: str | None, rule: str) -> None:
    args = [*CHECK, "--date", "2025-11-03", "--line", line, "--format", "json"]
    code, out, _ = run_cli(capsys, *args, *(("--340b", site) if site else ()))
    assert code == 1
    data = json.loads(out)
    assert [(f["rule"], f["line"]) for f in data["findings"] if "340b" in f["rule"]] == \
        [(rule, 1)]
    expected = "J1561 JA JZ" + (f" {site}" if site else "") + " × 55"
    assert [e["text"] for e in data["expected_lines"]] == [expected]


def test_a_right_340b_claim_and_a_2023_one_pass(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, *CHECK, "--date", "2025-11-03", "--line",
                           "J1561 JA JZ JG 55", "--340b", "JG")
    assert code == 0 and "340b" not in out
    code, out, _ = run_cli(capsys, *CHECK, "--date", "2023-12-29", "--line",
                           "J1561 JA JZ JG 55", "--340b", "JG")
    assert code == 1 and "340b-modifier-not-expected: JG on line 1, but Medicare Part B " \
                         "(MAC) takes no JG/TB on 2023-12-29; remove it" in out


def test_a_fifth_modifier_is_said_not_written(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "check", "--product", "gamunex-c", "--date", "2025-11-03",
                           "--administered", "27.3 g", "--vials", "3 x 10 g", "--kx",
                           "--340b", "JG", "--line", "J1561 JA JG GA KX 55",
                           "--line", "J1561 JA JW JG KX 5")
    # GA carried from line 1: four on the administered line; the JW line keeps its first four.
    assert "Expected lines:\n  J1561 JA JG KX GA × 55\n  J1561 JA JW JG KX × 5" in out
    _, out, _ = run_cli(capsys, "check", "--product", "gamunex-c", "--date", "2025-11-03",
                           "--administered", "27.3 g", "--vials", "3 x 10 g", "--kx",
                           "--340b", "JG", "--line", "J1561 JA JG GA KX 55",
                           "--line", "J1561 JA JW JG GA 5")
    assert "too-many-modifiers: J1561 JA JW JG KX GA × 5 would need 5 modifiers; a claim " \
           "line carries 4: J1561 JA JW JG KX × 5 keeps the first four, and GA needs the " \
           "payer's instructions" in out


def test_a_batch_reads_the_340b_column(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text("id,date,product,administered,vials,lines,340b\n"
                      "a,2025-11-03,gamunex-c,27.5 g,1 x 20 g + 1 x 5 g + 1 x 2.5 g,"
                      "J1561 JA JZ JG 55,JG\n"
                      "b,2025-11-03,gamunex-c,27.5 g,1 x 20 g + 1 x 5 g + 1 x 2.5 g,"
                      "J1561 JA JZ 55,\n"
                      "c,2025-11-03,gamunex-c,27.5 g,1 x 20 g + 1 x 5 g + 1 x 2.5 g,"
                      "J1561 JA JZ 55,\n", encoding="utf-8")
    _, out, _ = run_cli(capsys, "check", "--csv", str(claims), "--format", "json",
                           "--340b", "TB")
    rows = json.loads(out)["rows"]
    assert [[f["rule"] for f in r["findings"] if "340b" in f["rule"]] for r in rows] == [
        [], ["340b-modifier-missing"], ["340b-modifier-missing"]]  # b and c: --340b TB
    assert rows[1]["expected_lines"][0]["text"] == "J1561 JA JZ TB × 55"
