"""Each infusion day is its own date of service (domain rules §2.3), and the claim block."""

import datetime as dt
import json

import pytest

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.cli.main import main
from ivigcalc.data.catalog import load
from ivigcalc.errors import InputError

CATALOG = load().catalog
MONDAY = dt.date(2026, 3, 2)
README = ["--weight", "78 kg", "--dose", "350 mg/kg", "--product", "gamunex-c",
          "--vials", "10 g"]


def calc(**kwargs):
    kwargs.setdefault("date_of_service", MONDAY)
    return calculate(CalcRequest(weight="78 kg", dose="350 mg/kg", product="gamunex-c",
                                 vials="10 g", **kwargs), CATALOG)


def test_days_run_consecutively_from_the_first_date() -> None:
    result = calc(days=3)
    assert result.dates_of_service == (MONDAY, dt.date(2026, 3, 3), dt.date(2026, 3, 4))
    assert all(day.claim_lines == result.days[0].claim_lines for day in result.days)


def test_given_dates_are_used_and_the_first_is_the_result_date() -> None:
    weekly = (dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16))
    result = calc(days=3, dates=weekly, date_of_service=dt.date(2026, 1, 1))
    assert result.dates_of_service == weekly
    assert result.date_of_service == weekly[0]


@pytest.mark.parametrize(("dates", "says"), [
    ((dt.date(2026, 3, 2), dt.date(2026, 3, 9)), "2 dates given for 3 infusion days"),
    ((dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 9)),
     "2026-03-09 does not come after 2026-03-09"),
    ((dt.date(2026, 3, 9), dt.date(2026, 3, 2), dt.date(2026, 3, 16)),
     "2026-03-02 does not come after 2026-03-09"),
])
def test_dates_must_be_one_per_day_and_ascend(dates, says) -> None:
    with pytest.raises(InputError) as caught:
        calc(days=3, dates=dates)
    assert caught.value.field == "dates"
    assert says in str(caught.value)


def test_jz_rules_are_read_on_each_day_of_service() -> None:
    # Medicare requires JZ from 2023-07-01: a course across that date differs by day.
    result = calculate(CalcRequest(weight="50 kg", dose="0.4 g/kg", product="privigen",
                                   vials="10 g", days=2, date_of_service=dt.date(2023, 6, 30)),
                       CATALOG)
    assert [line.text for line in result.days[0].claim_lines] == ["J1459 × 40"]
    assert [line.text for line in result.days[1].claim_lines] == ["J1459 JZ × 40"]
    assert any("Day 2 (2023-07-01)" in note for note in result.notes)


def test_three_day_course_prints_three_dated_blocks_and_a_course_total(capsys) -> None:
    assert main(["calc", *README, "--days", "3", "--date", "2026-03-02"]) == 0
    out = capsys.readouterr().out
    for date in ("2026-03-02", "2026-03-03", "2026-03-04"):
        assert out.count(f"Claim lines, date of service {date}:") == 1
    assert out.count("J1561 JA × 55 units") == 3
    assert out.count("J1561 JA JW × 5 units") == 3
    assert ("Course units: 165 administered + 15 discarded (JW) = 180 over 3 dates of service"
            in out)
    assert "Course, 3 days (2026-03-02 to 2026-03-04): administer 81.9 g; open 9 vials = " \
        "90 g; discard 8.1 g" in out


def test_claim_format_is_plain_ascii_one_block_per_date(capsys) -> None:
    assert main(["calc", *README, "--days", "2", "--dates", "2026-03-02,2026-03-09",
                 "--format", "claim"]) == 0
    out = capsys.readouterr().out
    assert out.isascii()
    # The N4 line: Gamunex-C 10 g / 100 mL is 13533-0800-71 in CMS's crosswalk; 3 vials.
    # Then the administration lines, estimated from the rate plan (1 h 48 min) and marked.
    estimated = ("96365 1 unit (estimated, not documented)\n"
                 "96366 1 unit (estimated, not documented)\n")
    assert out == ("Date of service 2026-03-02\nJ1561 JA 55 units\nJ1561 JA JW 5 units\n"
                   f"N413533080071 UN3\n{estimated}\n"
                   "Date of service 2026-03-09\nJ1561 JA 55 units\nJ1561 JA JW 5 units\n"
                   f"N413533080071 UN3\n{estimated}")


def test_claim_block_names_the_ndc_of_every_vial_size_opened(capsys) -> None:
    """Medicare takes the others in item 19 (Palmetto GBA's instruction: multiple_ndc)."""
    assert main(["calc", "--weight", "78 kg", "--dose", "350 mg/kg", "--product", "gamunex-c",
                 "--date", "2025-11-05", "--times", "09:00-10:48", "--format", "claim"]) == 0
    assert capsys.readouterr().out == (
        "Date of service 2025-11-05\nJ1561 JA JZ 55 units\nN413533080024 UN1\n"
        "Item 19: N413533080020 UN1 N413533080015 UN1\n96365 1 unit\n96366 1 unit\n")


def test_claim_block_stays_ascii_for_every_product() -> None:
    for key in CATALOG.products:
        result = calculate(CalcRequest(weight="70 kg", dose="0.4 g/kg", product=key,
                                       date_of_service=MONDAY, days=2), CATALOG)
        assert render.claim_text(result).isascii(), key


def test_json_days_carry_their_date_of_service(capsys) -> None:
    assert main(["calc", *README, "--days", "2", "--date", "2026-03-02",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["date_of_service"] for d in data["days"]] == ["2026-03-02", "2026-03-03"]
    assert data["course"] == {"days": 2, "administered_mg": 54600.0, "drawn_mg": 60000.0,
                              "wasted_mg": 5400.0, "administered_units": 110,
                              "discarded_units": 10}


def test_html_claim_table_has_the_date_column() -> None:
    html = render.summary_html(calc(days=2))
    assert "<th" in html and "Date of service</th>" in html
    # Two drug lines (administered, JW) and two administration lines (96365, 96366).
    assert html.count("<td style=\"border:1px solid #888;padding:2px 6px\">2026-03-03</td>") == 4


@pytest.mark.parametrize("args", [
    ["--days", "2", "--dates", "2026-03-02"],
    ["--days", "2", "--dates", "2026-03-09,2026-03-02"],
    ["--days", "2", "--dates", "2026-03-02,,2026-03-09"],
    ["--days", "2", "--dates", "2026-03-02,2026-3-9x"],
    ["--days", "2", "--dates", "2026-03-02,2026-03-09", "--date", "2026-03-01"],
])
def test_bad_dates_are_refused_in_one_line(args, capsys) -> None:
    assert main(["calc", *README, *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("ivigcalc calc: dates: ")
