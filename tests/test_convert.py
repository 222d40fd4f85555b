"""`ivigcalc convert`: IV regimen to weekly SC dose by the label's factor; HyQvia's ramp-up."""

import json
from fractions import Fraction

import pytest
from helpers import CATALOG, run_cli

from ivigcalc.data import rates
from ivigcalc.dose.convert import convert, parse_interval
from ivigcalc.errors import InputError


def test_hizentra_30_g_every_4_weeks_is_10_275_g_weekly(
        capsys: pytest.CaptureFixture[str]) -> None:
    result = convert("30 g", "4 weeks", "hizentra", CATALOG, rates.load())
    assert result.weekly_dose_mg == 10275
    assert result.weekly_volume_ml == Fraction(10275, 200)
    code, out, _ = run_cli(capsys, "convert", "--iv-dose", "30 g", "--interval", "4 weeks",
                           "--product", "hizentra", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["weekly_dose_mg"] == 10275.0 and data["factor"] == 1.37
    assert data["ramp"] is None and "Hizentra prescribing information" in data["source"]


def test_cuvitru_uses_its_own_factor_and_days_read_as_weeks() -> None:
    result = convert("24000 mg", "28 days", "cuvitru", CATALOG, rates.load())
    assert result.interval_weeks == 4 and result.weekly_dose_mg == 7800  # 24 g × 1.30 ÷ 4


def test_hyqvia_ramps_up_to_the_iv_dose(capsys: pytest.CaptureFixture[str]) -> None:
    result = convert("30 g", "every 4 weeks", "hyqvia", CATALOG, rates.load())
    assert [(r.week, r.weeks_of_dose, r.dose_mg) for r in result.ramp] == [
        (1, 1, 7500), (2, 2, 15000), (4, 3, 22500), (7, 4, 30000)]
    three = convert("30 g", "3 weeks", "hyqvia", CATALOG, rates.load())
    assert [r.week for r in three.ramp] == [1, 2, 4] and three.ramp[-1].dose_mg == 30000
    code, out, _ = run_cli(capsys, "convert", "--iv-dose", "30 g", "--interval", "4 weeks",
                           "--product", "hyqvia")
    assert code == 0 and "week 7: 30 g (4-week dose)" in out and "every 4 weeks" in out


@pytest.mark.parametrize(("args", "field", "says"), [
    (("30 g", "4 months", "hizentra"), "interval",
     "could not read '4 months'; accepts a number of weeks or days"),
    (("30 g", "28 weeks", "hizentra"), "interval",
     "'28 weeks' is 28 weeks; accepts 1 to 8 weeks between IV doses"),
    (("30 g", "4.5 weeks", "hyqvia"), "interval",
     "HyQvia's ramp-up covers whole intervals of 1 to 4 weeks; '4.5 weeks' is not one"),
    (("30 kg", "4 weeks", "hizentra"), "iv-dose", "'kg' is not an accepted unit here"),
    (("30 g", "4 weeks", "privigen"), "product",
     "no IV-to-SC conversion is on record for Privigen; accepts hizentra"),
])
def test_bad_input_names_its_field(args: tuple[str, str, str], field: str, says: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError) as caught:
        convert(*args, CATALOG, rates.load())
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ") and says in str(caught.value)
    code, out, err = run_cli(capsys, "convert", "--iv-dose", args[0], "--interval", args[1],
                             "--product", args[2])
    assert code == 2 and not out and err.startswith("ivigcalc convert: ") and \
        err.count("\n") == 1


def test_interval_forms() -> None:
    assert parse_interval("q3w") == 3
    assert parse_interval("21 days") == 3
    assert parse_interval("every 2 weeks") == 2
