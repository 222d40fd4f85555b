"""Administration lines (issue 22): 96365/96366, 96369/96370, the push codes and 96371,
from documented times or estimated from the rate plan; the boundaries as tests."""

import datetime as dt
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivigcalc import render
from ivigcalc.billing import admin, admin_times
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.cli.main import main
from ivigcalc.data.catalog import load
from ivigcalc.errors import InputError, IvigcalcError
from ivigcalc.result import Trail

CATALOG = load().catalog
MEDICARE = CATALOG.payers["medicare"]
DAY = dt.date(2026, 3, 2)
NEXT = dt.date(2026, 3, 3)
ORDER = ["--weight", "78 kg", "--dose", "350 mg/kg", "--product", "gamunex-c",
         "--date", "2026-03-02"]


def billed(route: str, minutes: int, payer=MEDICARE) -> list[tuple[str, int]]:
    return [(line.code, line.units) for line in admin.lines(route, minutes, DAY, payer)]


def calc(**kwargs):
    kwargs.setdefault("date_of_service", DAY)
    kwargs.setdefault("weight", "78 kg")
    kwargs.setdefault("dose", "350 mg/kg")
    kwargs.setdefault("product", "gamunex-c")
    return calculate(CalcRequest(**kwargs), CATALOG)


def admin_of(result) -> list[tuple[str, int, dt.date, bool]]:
    return [(line.code, line.units, line.date_of_service, line.estimated)
            for day in result.days for line in day.admin_lines]


# --- the boundaries -------------------------------------------------------------------------

@pytest.mark.parametrize(("minutes", "iv", "sc"), [
    (1, [("96374", 1)], [("96372", 1)]),
    (15, [("96374", 1)], [("96372", 1)]),
    (16, [("96365", 1)], [("96369", 1)]),
    (60, [("96365", 1)], [("96369", 1)]),
    (90, [("96365", 1)], [("96369", 1)]),
    (91, [("96365", 1), ("96366", 1)], [("96369", 1), ("96370", 1)]),
    (150, [("96365", 1), ("96366", 1)], [("96369", 1), ("96370", 1)]),
    (151, [("96365", 1), ("96366", 2)], [("96369", 1), ("96370", 2)]),
    (210, [("96365", 1), ("96366", 2)], [("96369", 1), ("96370", 2)]),
    (211, [("96365", 1), ("96366", 3)], [("96369", 1), ("96370", 3)]),
])
def test_the_time_boundaries_iv_and_sc(minutes: int, iv, sc) -> None:
    assert billed("iv", minutes) == iv
    assert billed("sc", minutes) == sc


def test_ninety_minutes_is_one_hour_not_an_added_hour() -> None:
    # The secondary coding site's mistake: 90 minutes billed as 96365 + 96366.
    assert ("96366", 1) not in billed("iv", 90)
    assert admin.added_hours(90) == 0 and admin.added_hours(91) == 1


def _independent(minutes: int, push_max: int = 15) -> tuple[str, int]:
    """The rule stated another way: the time cut into hours of 60 minutes; the first is the
    initial service, each later piece longer than 30 minutes an added hour."""
    if minutes <= push_max:
        return ("push", 1)
    pieces = [min(60, minutes - start) for start in range(0, minutes, 60)]
    return ("initial", sum(1 for piece in pieces[1:] if piece > 30))


def test_every_minute_from_1_to_600_against_a_second_formulation() -> None:
    for minutes in range(1, 601):
        kind, added = _independent(minutes)
        lines = admin.lines("iv", minutes, DAY, MEDICARE)
        if kind == "push":
            assert [(ln.code, ln.units) for ln in lines] == [("96374", 1)], minutes
        else:
            assert lines[0].code == "96365" and lines[0].units == 1, minutes
            assert sum(ln.units for ln in lines if ln.code == "96366") == added, minutes
            assert all(ln.minutes == minutes for ln in lines)


def _dates_by_the_minute(spans, added: int) -> list[dt.date]:
    """Each added hour's date, found by listing every infused minute's clock minute."""
    infused = [m for span in spans for m in range(span.start, span.stop)]
    return [DAY + dt.timedelta(days=infused[60 * k] // 1440) for k in range(1, added + 1)]


@st.composite
def documented(draw):
    """One day's ranges: a start anywhere on the clock, 1 to 600 minutes in up to 3 pieces
    with pauses between them, as typed text."""
    start = draw(st.integers(0, 1439))
    pieces = draw(st.lists(st.integers(1, 300), min_size=1, max_size=3))
    pauses = draw(st.lists(st.integers(0, 120), min_size=len(pieces), max_size=len(pieces)))
    typed, at = [], start
    for piece, pause in zip(pieces, pauses, strict=True):
        typed.append(f"{at // 60 % 24:02d}:{at % 60:02d}-"
                     f"{(at + piece) // 60 % 24:02d}:{(at + piece) % 60:02d}")
        at += piece + pause
    return "+".join(typed), sum(pieces)


@settings(max_examples=400, deadline=None)
@given(day=documented(), route=st.sampled_from(["iv", "sc"]))
def test_documented_ranges_count_and_date_like_the_minute_by_minute_rule(day, route) -> None:
    typed, minutes = day
    (spans,) = admin_times.parse(typed, 1)
    assert sum(span.minutes for span in spans) == minutes
    lines = admin.lines(route, minutes, DAY, MEDICARE, spans=spans)
    kind, added = _independent(minutes)
    codes = admin.CODES[route]
    if kind == "push":
        assert [(ln.code, ln.units) for ln in lines] == [(codes.push, 1)]
        return
    assert (lines[0].code, lines[0].units, lines[0].date_of_service) == (codes.initial, 1, DAY)
    dated = [ln.date_of_service for ln in lines[1:] for _ in range(ln.units)]
    assert all(ln.code == codes.added_hour for ln in lines[1:])
    assert dated == _dates_by_the_minute(spans, added)
    assert not any(ln.estimated for ln in lines)


# --- midnight, pauses, courses --------------------------------------------------------------

def test_past_midnight_the_added_hour_is_billed_on_the_next_date() -> None:
    result = calc(times="23:30-01:15")
    assert admin_of(result) == [("96365", 1, DAY, False), ("96366", 1, NEXT, False)]
    assert any("ran past midnight" in note for note in result.notes)


def test_the_claim_block_opens_the_next_dates_block_for_the_hour_after_midnight(capsys) -> None:
    assert main(["calc", *ORDER, "--times", "23:30-01:15", "--format", "claim"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("96365 1 unit\n\nDate of service 2026-03-03\n96366 1 unit\n")


def test_an_hour_that_began_before_midnight_stays_on_the_first_date() -> None:
    # 22:00-00:45: 165 minutes; the added hours began at 23:00 and 00:00.
    assert admin_of(calc(times="22:00-00:45")) == [
        ("96365", 1, DAY, False), ("96366", 1, DAY, False), ("96366", 1, NEXT, False)]


def test_a_pause_does_not_count_and_ranges_of_one_day_add_up() -> None:
    # 60 + 31 = 91 minutes: the pause of 20 minutes is not infusion time.
    result = calc(times="09:00-10:00+10:20-10:51")
    assert admin_of(result) == [("96365", 1, DAY, False), ("96366", 1, DAY, False)]
    assert result.days[0].admin_lines[0].minutes == 91


def test_a_course_bills_each_day_from_its_own_range() -> None:
    result = calc(days=3, times="09:00-10:30,09:00-10:31, 09:00-09:10")
    assert [[(ln.code, ln.units) for ln in day.admin_lines] for day in result.days] == [
        [("96365", 1)], [("96365", 1), ("96366", 1)], [("96374", 1)]]
    assert [day.admin_lines[0].date_of_service for day in result.days] == \
        [DAY, NEXT, dt.date(2026, 3, 4)]


def test_the_window_may_leave_a_day_empty_and_that_day_is_estimated() -> None:
    result = calc(days=2, times=["09:00-10:30", None])
    assert admin_of(result) == [("96365", 1, DAY, False),
                                ("96365", 1, NEXT, True), ("96366", 1, NEXT, True)]


# --- estimated from the rate plan -----------------------------------------------------------

def test_without_times_gamunex_c_78_kg_350_mg_kg_is_estimated_96365_and_96366() -> None:
    result = calc()
    assert result.infusion is not None and admin.estimate_minutes(
        result.infusion.total_minutes) == 108  # 1 h 48 min
    assert admin_of(result) == [("96365", 1, DAY, True), ("96366", 1, DAY, True)]
    assert ("96366 × 1 unit (administration, estimated: 108 min from the rate plan, bill from "
            "the documented times)") in render.summary_text(result)


def test_the_estimate_rounds_the_plan_up_to_the_whole_minute() -> None:
    from fractions import Fraction
    assert admin.estimate_minutes(Fraction(5401, 60)) == 91  # 90 min 1 s is 91 minutes
    assert admin.estimate_minutes(Fraction(90)) == 90


def test_no_rate_on_record_no_estimate_and_a_note() -> None:
    result = calc(product="gammagard-sd")  # a powder: no mL/h plan
    assert admin_of(result) == []
    assert any("no administration lines are estimated" in note for note in result.notes)
    documented = calc(product="gammagard-sd", times="09:00-10:31")
    assert admin_of(documented) == [("96365", 1, DAY, False), ("96366", 1, DAY, False)]


def test_an_sc_product_bills_the_sc_codes() -> None:
    result = calc(product="hizentra", dose="200 mg/kg", times="09:00-10:31")
    assert admin_of(result) == [("96369", 1, DAY, False), ("96370", 1, DAY, False)]


# --- what varies by payer -------------------------------------------------------------------

def test_medicare_home_bills_no_administration_and_says_why() -> None:
    result = calc(payer="medicare-home", times="09:00-10:31")
    assert admin_of(result) == []
    assert any("bills no administration lines" in note and "home IVIG benefit" in note
               for note in result.notes)
    home = CATALOG.payers["medicare-home"]
    assert "1861" in home.administration_source


def test_the_push_threshold_is_the_payers_data() -> None:
    stricter = MEDICARE._replace(push_max_minutes=10)
    assert billed("iv", 12, stricter) == [("96365", 1)]
    assert billed("iv", 10, stricter) == [("96374", 1)]
    assert all(payer.push_max_minutes == 15 for payer in CATALOG.payers.values())


def test_96371_only_when_recorded_and_only_where_the_payer_takes_it() -> None:
    sc = {"product": "hizentra", "dose": "200 mg/kg", "times": "09:00-10:00"}
    assert admin_of(calc(**sc)) == [("96369", 1, DAY, False)]  # never estimated or assumed
    assert admin_of(calc(**sc, pump_setup_days=(1,))) == [("96369", 1, DAY, False),
                                                          ("96371", 1, DAY, False)]
    trail = Trail()
    declining = MEDICARE._replace(pump_setup=False)
    lines = admin.lines("sc", 60, DAY, declining, spans=(), pump_setup=True, trail=trail)
    assert [ln.code for ln in lines] == ["96369"]
    assert any("takes no 96371" in n.message for n in trail.notices)


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"pump_setup_days": (1,)}, "pump-setup: an added pump set-up (96371) is for subcutaneous"),
    ({"product": "hizentra", "dose": "200 mg/kg", "pump_setup_days": (2,)},
     "pump-setup: day '2' is not accepted; accepts infusion day numbers from 1 to 1"),
])
def test_pump_setup_refusals(kwargs, says) -> None:
    with pytest.raises(InputError, match=re.escape(says)):
        calc(**kwargs)


# --- the faces ------------------------------------------------------------------------------

def test_cli_done_when_91_minutes_is_96365_and_96366(capsys) -> None:
    assert main(["calc", *ORDER, "--times", "09:00-10:31", "--format", "claim"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("96365 1 unit\n96366 1 unit\n")
    assert "estimated" not in out


def test_cli_done_when_90_minutes_is_96365_alone(capsys) -> None:
    assert main(["calc", *ORDER, "--times", "09:00-10:30", "--format", "json"]) == 0
    day = json.loads(capsys.readouterr().out)["days"][0]
    assert day["admin_lines"] == [{"code": "96365", "units": 1,
                                   "date_of_service": "2026-03-02", "minutes": 90,
                                   "estimated": False}]


def test_cli_without_times_is_estimated_in_json_text_and_claim(capsys) -> None:
    assert main(["calc", *ORDER, "--format", "json"]) == 0
    lines = json.loads(capsys.readouterr().out)["days"][0]["admin_lines"]
    assert [(ln["code"], ln["units"], ln["minutes"], ln["estimated"]) for ln in lines] == \
        [("96365", 1, 108, True), ("96366", 1, 108, True)]
    assert main(["calc", *ORDER]) == 0
    text = capsys.readouterr().out
    drug = text.index("J1561 JA JZ × 55 units")
    initial = text.index("96365 × 1 unit (administration, estimated: 108 min from the rate "
                         "plan, bill from the documented times)")
    assert drug < initial  # after the drug lines
    assert main(["calc", *ORDER, "--format", "claim"]) == 0
    assert "96365 1 unit (estimated, not documented)\n" in capsys.readouterr().out


def test_the_summary_dates_an_added_hour_past_midnight() -> None:
    text = render.summary_text(calc(times="23:30-01:15"))
    assert ("96366 × 1 unit (administration, 105 min documented; date of service 2026-03-03)"
            in text)


@pytest.mark.parametrize(("times", "says"), [
    ("9-10", "'9-10' is not a range; accepts HH:MM-HH:MM"),
    ("09:00-09:00", "'09:00-09:00' is a range of zero minutes"),
    ("24:00-01:00", "has 24:00, which is not a time of day"),
    ("09:60-10:00", "has 09:60, which is not a time of day"),
    ("09:00-10:00,10:00-11:00", "ranges for 2 days given for 1 infusion day"),
    ("09:00-10:00+09:30-10:30", "the ranges of one day overlap or are out of order"),
    ("09:00-10:00+08:00-08:30", "the ranges of one day overlap or are out of order"),
    ("", "times: is empty"),
    ("09:00-10:00,", "has an empty entry"),
    ("0" * 3000, "3000 characters is too long"),
    ("09:00-10:00\x1b", "control character"),
])
def test_bad_times_are_one_line_naming_times_exit_2(capsys, times: str, says: str) -> None:
    assert main(["calc", *ORDER, "--times", times]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("ivigcalc calc: times: ") and says in captured.err


def test_a_pause_across_midnight_is_accepted() -> None:
    (spans,) = admin_times.parse("22:00-23:50+00:10-01:00", 1)
    assert [(s.start, s.stop) for s in spans] == [(1320, 1430), (1450, 1500)]


def test_the_readme_boundary_table_is_what_the_engine_bills() -> None:
    from pathlib import Path
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| (\d+)–(\d+) \| (.+?) \| (.+?) \|$", readme, re.MULTILINE)
    assert len(rows) == 5
    for low, high, iv, sc in rows:
        for minutes in (int(low), int(high)):
            for route, cell in (("iv", iv), ("sc", sc)):
                shown = re.findall(r"(\d{5}) × (\d+)", cell)
                assert [(c, int(n)) for c, n in shown] == billed(route, minutes), (minutes, route)


@pytest.mark.parametrize("key", sorted(CATALOG.products))
def test_a_plans_total_time_is_the_sum_of_its_steps(key: str) -> None:
    # The estimate starts from total_minutes (the last step's start plus its length): the
    # steps must run back to back for that to be their sum.
    product = CATALOG.products[key]
    for route in product.routes:
        for dose in ("200 mg/kg", "1 g/kg"):
            try:
                result = calc(product=key, route=route, dose=dose)
            except IvigcalcError:  # a dose past this product's limits: other tests cover it
                continue
            plan = result.infusion
            if plan is None:
                continue
            assert plan.total_minutes == sum(step.minutes for step in plan.steps), key
            starts = [step.start_min for step in plan.steps]
            ends = [step.start_min + step.minutes for step in plan.steps]
            assert starts[1:] == ends[:-1], key
