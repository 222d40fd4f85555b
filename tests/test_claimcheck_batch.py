"""Batch checks: every row reported with its number, bad rows reported and never fatal."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from ivigcalc.check import batch as claimbatch
from ivigcalc.data.catalog import load
from ivigcalc.errors import InputError

CATALOG = load().catalog
SAMPLE = Path(__file__).parent / "data" / "check_claims_synthetic.csv"
DEFAULTS = claimbatch.Defaults()


def csv_report(path: Path, defaults: claimbatch.Defaults = DEFAULTS) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(claimbatch.report_string(path, CATALOG, defaults))))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claims.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_rows_get_their_status() -> None:
    rows = csv_report(SAMPLE)
    status = {row["id"]: row["status"] for row in rows}
    assert status == {"A-1": "warnings", "A-2": "errors", "A-3": "errors", "A-4": "ok",
                      "A-5": "invalid", "A-6": "invalid"}
    assert list(rows[0]) == list(claimbatch.REPORT_COLUMNS)


def test_rows_are_numbered_from_one() -> None:
    rows = csv_report(SAMPLE)
    assert {row["id"]: int(row["row"]) for row in rows} == {f"A-{n}": n for n in range(1, 7)}


def test_findings_and_expected_lines_per_row() -> None:
    rows = [r for r in csv_report(SAMPLE) if r["id"] == "A-3"]
    found = {(r["rule"], r["line"]) for r in rows}
    assert {("units-rounding", "1"), ("route-modifier-missing", "1"),
            ("duplicate-line", "3")} <= found
    assert {r["expected_lines"] for r in rows} == {"J1561 JA × 55 | J1561 JA JW × 5"}


def test_bad_rows_say_which_field() -> None:
    rows = {r["id"]: r for r in csv_report(SAMPLE)}
    assert rows["A-5"]["rule"] == "invalid-input"
    assert rows["A-5"]["message"].startswith("date: '2026-13-01' is not a day of the calendar")
    assert rows["A-6"]["message"].startswith("vials: 7 g is not a size of Gamunex-C")


def test_json_report() -> None:
    data = json.loads(claimbatch.report_string(SAMPLE, CATALOG, DEFAULTS, "json"))
    assert data["schema"] == 1
    counts = {k: data["summary"][k] for k in ("rows", "ok", "warnings", "errors", "invalid")}
    assert counts == {"rows": 6, "ok": 1, "warnings": 1, "errors": 2, "invalid": 2}
    first = data["rows"][0]
    assert first["row"] == 1 and first["id"] == "A-1"
    assert first["findings"][0]["rule"] == "non-optimal-vials"
    assert first["expected_lines"][1]["modifiers"] == ["JA", "JW"]
    bad = data["rows"][4]
    assert bad["status"] == "invalid" and bad["field"] == "date"


def test_defaults_fill_empty_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "administered,vials,lines\n27.3 g,3 x 10 g,J1561 JA 55;J1561 JA JW 5\n")
    rows = csv_report(path)
    assert rows[0]["status"] == "invalid"  # no date, no product: the row says so
    assert rows[0]["message"].startswith("date:")
    defaults = claimbatch.Defaults(date=dt.date(2026, 1, 5), product="gamunex-c")
    assert csv_report(path, defaults)[0]["status"] == "warnings"


def test_header_any_case_with_bom_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("\ufeffDate, Product ,Administered,Vials,LINES,Account\n"
                    "2026-01-05,gamunex-c,27.3 g,\"10 g, 10 g, 5 g, 2.5 g\",J1561 JA JZ 55,x\n",
                    encoding="utf-8")
    handle, _, ignored = claimbatch.open_rows(path)
    handle.close()
    assert ignored == ["account"]
    assert csv_report(path)[0]["status"] == "ok"


def test_ragged_and_empty_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "date,product,administered,vials,lines\n"
                 "2026-01-05,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55,extra\n"
                 ",,,,\n"
                 "2026-01-05,gamunex-c,27.3 g\n"
                 "2026-01-05,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55;J1561 JA JW 5\n")
    rows = csv_report(path)
    by_row = {int(r["row"]): r for r in rows}
    assert by_row[1]["status"] == "invalid" and "more cell" in by_row[1]["message"]
    assert 2 not in by_row  # an all-empty row is skipped, but still counted
    assert by_row[3]["status"] == "invalid" and by_row[3]["message"].startswith("vials:")
    assert by_row[4]["status"] == "warnings"


def test_kx_column(tmp_path: Path) -> None:
    path = write(tmp_path, "date,product,administered,vials,lines,kx\n"
                 "2026-01-05,gamunex-c,27.5 g,3 x 10 g,J1561 JA KX 55;J1561 JA JW KX 5,yes\n"
                 "2026-01-05,gamunex-c,27.5 g,3 x 10 g,J1561 JA KX 55;J1561 JA JW KX 5,no\n"
                 "2026-01-05,gamunex-c,27.5 g,3 x 10 g,J1561 JA KX 55;J1561 JA JW KX 5,maybe\n")
    rows = csv_report(path)
    assert [r["rule"] for r in rows if r["row"] == "1"] == ["non-optimal-vials"]
    assert "kx-unsupported" in {r["rule"] for r in rows if r["row"] == "2"}
    assert [r["message"] for r in rows if r["row"] == "3"] == [
        "kx: 'maybe' is not accepted; accepts yes or no"]


@pytest.mark.parametrize(("text", "says"), [
    ("", "is empty"),
    ("date,product,vials,lines\n", "has no administered column"),
])
def test_unusable_files_stop_with_one_message(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        claimbatch.report_string(write(tmp_path, text), CATALOG, DEFAULTS)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        claimbatch.report_string(tmp_path / "none.csv", CATALOG, DEFAULTS)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("date,product,administered,vials,lines\n2026-01-05,gamunex-c,27,3 g,"
                     "3 x 10 g,J1561 JA 55 \xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        claimbatch.report_string(path, CATALOG, DEFAULTS)
