"""The claim check's administration rules (issue 22 item 5): units against the documented
minutes, the route, the add-on without its initial, and the note when no times are given."""

import datetime as dt
import json
from pathlib import Path

import pytest

from ivigcalc.check import batch
from ivigcalc.check.record import CheckRequest, read
from ivigcalc.check.rules import RULES, check
from ivigcalc.cli.main import main
from ivigcalc.data.catalog import load

CATALOG = load().catalog
DAY = dt.date(2026, 1, 5)
DRUG = ("J1561 JA JZ 55",)  # 27.5 g from 20 + 5 + 2.5 g: nothing to say about the drug
ADMIN_RULES = ("admin-units-mismatch", "admin-route-mismatch", "admin-add-on-without-initial",
               "admin-minutes-not-given")


def run(*lines: str, times: str | None = None, product: str = "gamunex-c",
        route: str | None = None, payer: str = "medicare", administered: str = "27.5 g",
        vials: str = "1 x 20 g + 1 x 5 g + 1 x 2.5 g", drug: tuple[str, ...] = DRUG):
    record = read(CheckRequest(administered=administered, vials=vials, lines=(*drug, *lines),
                               date_of_service=DAY, product=product, route=route,
                               payer=payer, times=times))
    return check(record, CATALOG)


def found(result) -> list[tuple[str, str, int | None]]:
    return [(f.rule, f.severity, f.line) for f in result.findings if f.rule in ADMIN_RULES]


def expected_admin(result) -> list[str]:
    return [e.line.text for e in result.expected if e.line.code.isdigit()]


def test_the_rules_are_listed_with_their_source() -> None:
    for rule in ADMIN_RULES:
        assert "CPT" in RULES[rule].source


@pytest.mark.parametrize(("times", "lines", "expected"), [
    ("09:00-10:30", ("96365 1",), ["96365 × 1"]),
    ("09:00-10:31", ("96365 1", "96366 1"), ["96365 × 1", "96366 × 1"]),
    ("09:00-11:30", ("96365 1", "96366 1"), ["96365 × 1", "96366 × 1"]),
    ("09:00-11:31", ("96365 1", "96366 2"), ["96365 × 1", "96366 × 2"]),
    ("09:00-09:15", ("96374 1",), ["96374 × 1"]),
])
def test_lines_that_match_the_documented_minutes_pass(times, lines, expected) -> None:
    result = run(*lines, times=times)
    assert found(result) == []
    assert expected_admin(result) == expected


def test_ninety_minutes_billed_with_an_added_hour_is_an_error() -> None:
    result = run("96365 1", "96366 1", times="09:00-10:30")
    assert found(result) == [("admin-units-mismatch", "error", 3)]
    message = next(f.message for f in result.findings if f.rule == "admin-units-mismatch")
    assert message == ("96365 × 1, 96366 × 1 billed; 90 minutes documented: bill 96365 × 1 "
                       "on 2026-01-05")
    assert expected_admin(result) == ["96365 × 1"]
    assert result.has_errors


def test_a_missing_added_hour_is_an_error_on_the_claim() -> None:
    result = run("96365 1", times="09:00-10:31")
    assert found(result) == [("admin-units-mismatch", "error", None)]
    assert expected_admin(result) == ["96365 × 1", "96366 × 1"]


def test_fifteen_minutes_billed_as_an_infusion_is_an_error() -> None:
    result = run("96365 1", times="09:00-09:15")
    assert found(result) == [("admin-units-mismatch", "error", 2)]
    assert expected_admin(result) == ["96374 × 1"]


def test_sc_codes_on_an_iv_claim_and_iv_codes_on_an_sc_claim() -> None:
    iv = run("96369 1", "96370 1")
    assert ("admin-route-mismatch", "error", 2) in found(iv)
    assert ("admin-route-mismatch", "error", 3) in found(iv)
    assert expected_admin(iv) == ["96365 × 1", "96366 × 1"]  # carried onto the route
    sc = run("96365 1", product="hizentra", administered="14 g", vials="1 x 10 g + 1 x 4 g",
             drug=("J1559 JZ 140",))
    assert [f[0] for f in found(sc)] == ["admin-route-mismatch", "admin-minutes-not-given"]
    message = next(f.message for f in sc.findings if f.rule == "admin-route-mismatch")
    assert "bill 96369" in message
    assert expected_admin(sc) == ["96369 × 1"]


def test_an_add_on_without_its_initial_is_an_error() -> None:
    result = run("96366 1")
    assert ("admin-add-on-without-initial", "error", 2) in found(result)
    pump = run("96371 1", product="hizentra", administered="14 g", vials="1 x 10 g + 1 x 4 g",
               drug=("J1559 JZ 140",))
    assert ("admin-add-on-without-initial", "error", 2) in found(pump)
    assert found(run("96365 1", "96366 1")) == [("admin-minutes-not-given", "note", None)]


def test_without_times_only_route_and_add_on_run_and_a_note_says_so() -> None:
    result = run("96365 1", "96366 3")  # 3 added hours: not checkable without the minutes
    assert found(result) == [("admin-minutes-not-given", "note", None)]
    assert expected_admin(result) == ["96365 × 1", "96366 × 3"]
    assert found(run()) == []  # no administration line billed: nothing to say


def test_past_midnight_the_next_dates_hour_is_a_note_not_expected_here() -> None:
    result = run("96365 1", times="23:30-01:15")
    assert found(result) == [("admin-units-mismatch", "note", None)]
    assert "bill it on 2026-01-06" in result.findings[-1].message
    assert expected_admin(result) == ["96365 × 1"]


def test_medicare_home_bills_no_administration() -> None:
    result = run("96365 1", times="09:00-10:00", payer="medicare-home")
    assert found(result) == [("admin-units-mismatch", "error", 2)]
    assert "bills no administration lines" in result.findings[0].message
    assert expected_admin(result) == []


def test_cli_check_times(capsys) -> None:
    base = ["check", "--product", "gamunex-c", "--administered", "27.5 g", "--vials",
            "1 x 20 g + 1 x 5 g + 1 x 2.5 g", "--date", "2026-01-05", "--line", DRUG[0],
            "--line", "96365 1", "--line", "96366 1", "--format", "json"]
    assert main([*base, "--times", "09:00-10:31"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["code"] for e in data["expected_lines"]] == ["J1561", "96365", "96366"]
    assert main([*base, "--times", "09:00-10:30"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in data["findings"]] == ["admin-units-mismatch"]
    assert main([*base, "--times", "09:00-09:00"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ivigcalc check: times: ") and err.count("\n") == 1


def test_batch_times_column_and_the_hour_after_midnight(tmp_path: Path, capsys) -> None:
    vials = "1 x 20 g + 1 x 5 g + 1 x 2.5 g"
    rows = [
        "id,date,product,administered,vials,lines,times",
        f"A1,2026-01-05,gamunex-c,27.5 g,{vials},J1561 JA JZ 55; 96365 1,23:30-01:15",
        f"A1,2026-01-06,gamunex-c,27.5 g,{vials},J1561 JA JZ 55; 96366 1,",
        f"B2,2026-01-06,gamunex-c,27.5 g,{vials},J1561 JA JZ 55; 96365 1; 96366 1,09:00-10:30",
        f"C3,2026-01-06,gamunex-c,27.5 g,{vials},J1561 JA JZ 55; 96366 1,",
        f"D4,2026-01-06,gamunex-c,27.5 g,{vials},J1561 JA JZ 55,9-10",
    ]
    path = tmp_path / "claims.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    handle, reader, ignored = batch.open_rows(str(path))
    with handle:
        reports = list(batch.check_rows(reader, CATALOG, batch.Defaults()))
    assert ignored == []
    rules = {r.row: [f.rule for f in r.result.findings] if r.result else r.error
             for r in reports}
    # Row 2 is the hour after midnight of row 1's infusion (same claim id, the day before).
    assert "admin-add-on-without-initial" not in rules[2]
    assert "admin-units-mismatch" in rules[3]
    assert "admin-add-on-without-initial" in rules[4]
    assert rules[5].startswith("times: '9-10' is not a range")


def test_an_837_claim_over_midnight_bills_its_added_hour_the_next_day(tmp_path: Path) -> None:
    from x12_files import Claim, Line, build_837p, ndc11, validate

    from ivigcalc.check import x12_check

    privigen = ndc11(CATALOG, "privigen", 10_000)
    first, second = DAY, DAY + dt.timedelta(days=1)

    def day(on: dt.date, *admin: str) -> tuple[Line, ...]:
        return (Line("J1459", (), 55, "1100", on, ndc11=privigen, quantity="3"),
                Line("J1459", ("JW",), 5, "100", on, ndc11=privigen, quantity="3"),
                *(Line(code, (), 1, "150", on) for code in admin))

    def add_on_errors(*lines: Line) -> list[tuple[dt.date, int | None]]:
        text = build_837p([Claim("MID-1", lines, dx=("L100",))])
        assert validate(text) == []
        path = tmp_path / "claims.837"
        path.write_text(text, encoding="utf-8")
        (report,) = x12_check.check_claims(x12_check.read(str(path)), CATALOG)
        return [(result.claim.date_of_service, f.line) for result in report.results
                for f in result.findings if f.rule == "admin-add-on-without-initial"]

    # 96365 on the first date, 96366 alone on the next: the hour after midnight.
    assert add_on_errors(*day(first, "96365"), *day(second, "96366")) == []
    # Without the initial the day before, the added hour has no initial: an error.
    assert add_on_errors(*day(first), *day(second, "96366")) == [(second, 5)]  # LX 5
