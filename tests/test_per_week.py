"""Per week for SC regimens (issue 24 item 7): the dose is the week's, given on --days
infusion days of that week; the weekly SC limits apply to the week's total."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import CATALOG, run_cli

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.errors import InputError, Refusal

DAY = dt.date(2026, 11, 28)


def calc(**kwargs: object):
    kwargs.setdefault("date_of_service", DAY)
    kwargs.setdefault("weight", "70 kg")
    return calculate(CalcRequest(**kwargs), CATALOG)  # type: ignore[arg-type]


def test_the_weeks_dose_is_shared_by_its_infusion_days() -> None:
    result = calc(dose="0.4 g/kg", per="week", days=2, product="hizentra")
    assert result.per_day_mg == 14_000 and result.course_mg == 28_000
    assert "0.4 g/kg per week × 70 kg → 14 g per day × 2 days = 28 g per week" in \
        render.summary_text(result)
    assert [d.date_of_service for d in result.days] == [DAY, DAY + dt.timedelta(days=1)]


def test_json_says_per_week(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "calc", "--weight", "70 kg", "--dose", "0.4 g/kg",
                           "--per", "week", "--days", "2", "--product", "hizentra",
                           "--date", "2026-11-28", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["per"] == "week" and data["course"]["days"] == 2


def test_the_weekly_limits_apply_to_the_weeks_total() -> None:
    # 0.5 g/kg a week over 2 days is 0.25 g/kg a day, but the week's 0.5 is past the soft 0.4.
    soft = calc(dose="0.5 g/kg", per="week", days=2, product="hizentra")
    assert any("per week" in w for w in soft.unacknowledged)
    assert calc(dose="0.4 g/kg", per="week", days=2, product="hizentra").unacknowledged == ()
    with pytest.raises(Refusal, match=r"1\.2 g/kg per week subcutaneously is above the hard "
                                      r"limit of 1 g/kg per week"):
        calc(dose="1.2 g/kg", per="week", days=3, product="hizentra")


def test_per_week_is_for_sc_and_for_one_week(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="per week is for subcutaneous regimens, and "
                                         "Privigen is dosed as IV here"):
        calc(dose="0.4 g/kg", per="week", product="privigen")
    with pytest.raises(InputError, match="per week is for subcutaneous regimens"):
        calc(dose="0.4 g/kg", per="week", product="hyqvia")  # SC, dosed like IV
    assert calc(dose="0.2 g/kg", per="week", product="gamunex-c", route="sc").per == "week"
    code, _, err = run_cli(capsys, "calc", "--weight", "70 kg", "--dose", "0.4 g/kg",
                           "--per", "week", "--days", "8", "--product", "hizentra",
                           "--date", "2026-11-28")
    assert code == 2
    assert err.strip() == ("ivigcalc calc: days: '8' infusion days in a week is not "
                           "accepted; accepts 1 to 7 with the dose per week")


def test_the_sc_cidp_preset_is_per_week() -> None:
    preset = CATALOG.presets["cidp-sc-maintenance"]
    assert (preset.per, preset.days) == ("week", 1)
    result = calc(dose="0.2 g/kg", per="week", product="hizentra",
                  preset="cidp-sc-maintenance")
    assert result.preset == preset.name and result.unacknowledged == ()
