"""The engine's safety controls (issue 13), through `calculate` and the command line.

Rounding never moves a dose past its cap; limits per route (weekly SC range, presets tied to
a route); every limit broken reported at once, in a pharmacist's words; no ideal weight
under 152.4 cm; display by ISMP rules. The hazard log (docs/safety/hazard-log.md) cites
these tests by id.
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

import pytest
from helpers import run_cli

from ivigcalc import render, text
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data import catalog as catalogs
from ivigcalc.dose import dosing
from ivigcalc.errors import CatalogError, InputError, Refusal
from ivigcalc.result import Trail

CATALOG = catalogs.load().catalog
DAY = dt.date(2026, 11, 28)


def calc(**kwargs: object):
    base: dict[str, object] = {"weight": "70 kg", "dose": "0.4 g/kg", "product": "gamunex-c",
                               "date_of_service": DAY}
    return calculate(CalcRequest(**{**base, **kwargs}), CATALOG)  # type: ignore[arg-type]


# --- rounding: never past the cap ---------------------------------------------------------

def test_nearest_5g_never_turns_3_g_into_5_g() -> None:
    result = calc(weight="7.5 kg", rounding="nearest-5g")  # 0.4 × 7.5 = 3 g
    assert result.per_day_mg == 3000 and not result.rounding.applied
    warning = next(w for w in result.warnings if w.startswith("Not rounded"))
    assert "5 g, +66.7% from the ordered 3 g" in warning and "at most 10%" in warning
    assert "administer 3 g" in render.summary_text(result)


@pytest.mark.parametrize(("ordered", "cap", "final"), [
    (27300, 10, 25000),  # −8.4%: within the cap
    (22000, 10, 20000),  # −9.1%
    (4600, 10, 5000),    # +8.7%
    (4600, 5, 4600),     # a site cap of 5% keeps it as ordered
    (3000, 10, 3000),    # +66.7%: never
    (7500, 10, 7500),    # the tie goes down to 5 g, −33.3%: kept as ordered
])
def test_nearest_5g_within_the_cap(ordered: int, cap: int, final: int) -> None:
    result = dosing.round_dose(Fraction(ordered), "nearest-5g", (Fraction(5000),), Trail(),
                               Fraction(cap))
    assert result.final_mg == final
    assert abs(result.final_mg - ordered) * 100 <= cap * ordered


def test_nearest_vial_uses_the_site_cap_and_ties_go_down() -> None:
    tens = (Fraction(10000),)
    # 10.5 g from 10 g and 11 g vials: 10 g and 11 g are both 4.8% away; the smaller wins.
    assert dosing.round_dose(Fraction(10500), "nearest-vial", (Fraction(10000), Fraction(11000)),
                             Trail()).final_mg == 10000
    trail = Trail()
    kept = dosing.round_dose(Fraction(27300), "nearest-vial", tens, trail, Fraction(5))
    assert kept.final_mg == 27300  # 30 g is +9.9%, past a 5% cap
    assert any("within ±5%" in w.message for w in trail.notices if w.level == "warning")


def test_a_site_may_tighten_the_cap_never_loosen_it(tmp_path) -> None:
    site = tmp_path / "loose.toml"
    site.write_text("[limits.default]\nrounding_cap_percent = 25\n")
    with pytest.raises(CatalogError, match=r"\[limits\.default\] field 'rounding_cap_percent': "
                                           r"25 % is above the largest accepted, 10 %$"):
        catalogs.load(site)


def test_site_catalog_sets_the_rounding_cap(tmp_path) -> None:
    site = tmp_path / "site.toml"
    site.write_text("[limits.default]\nrounding_cap_percent = 5\n")
    catalog = catalogs.load(site).catalog
    result = calculate(CalcRequest(weight="68.25 kg", dose="0.4 g/kg", product="gamunex-c",
                                   date_of_service=DAY, rounding="nearest-vial",
                                   vials=(Fraction(10000),)), catalog)
    assert result.per_day_mg == 27300  # 30 g would be +9.9%


def test_cli_rounding_past_the_cap_warns_and_keeps_the_dose(capsys) -> None:
    code, out, _ = run_cli(capsys, "calc", "--weight", "7.5 kg", "--dose", "0.4 g/kg",
                           "--product", "gamunex-c", "--date", "2026-11-28", "--round",
                           "nearest-5g", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["dose_per_day_mg"] == 3000
    assert any("Not rounded" in w for w in data["warnings"])


# --- limits per route and kind ------------------------------------------------------------

def test_cidp_loading_on_hizentra_is_refused_past_the_weekly_sc_limit() -> None:
    with pytest.raises(Refusal) as caught:
        calc(weight="70.8 kg", dose="2 g/kg", per="course", days=2, product="hizentra",
             preset="cidp-loading")
    message = str(caught.value)
    assert message.startswith("dose: 2 g/kg per week subcutaneously is above the hard limit")
    assert "intravenous regimen on a subcutaneous product" in message


def test_an_sc_dose_above_the_weekly_range_needs_acknowledging() -> None:
    result = calc(weight="70 kg", dose="0.6 g/kg", product="hizentra")
    warning = next(n for n in result.notices if n.needs_acknowledgement)
    assert "Subcutaneous dose 0.6 g/kg per week is above the soft limit of 0.4" in warning.message
    assert result.unacknowledged == (warning.message,)
    # The same dose intravenously is an ordinary dose.
    assert calc(weight="70 kg", dose="0.6 g/kg", product="privigen").unacknowledged == ()


def test_sc_label_dose_passes_and_hyqvia_is_checked_like_iv() -> None:
    label_dose = calc(dose="0.2 g/kg", product="hizentra", preset="cidp-sc-maintenance",
                      per="week")
    assert label_dose.unacknowledged == ()
    assert not [w for w in label_dose.warnings if "soft limit" in w or "regimen" in w]
    # HyQvia keeps the IV dose and interval (label): 0.8 g/kg is no SC slip.
    assert calc(dose="0.8 g/kg", product="hyqvia").unacknowledged == ()


def test_an_iv_preset_on_an_sc_product_is_warned() -> None:
    result = calc(dose="0.4 g/kg", product="cuvitru", preset="pid-iv")
    assert result.preset == "Primary immunodeficiency (IV replacement)"
    assert any("is an intravenous regimen, and Cuvitru is given subcutaneously here" in w
               for w in result.unacknowledged)
    sc_on_iv = calc(dose="0.2 g/kg", per="course", product="privigen",
                    indication="cidp-sc-maintenance")
    assert any("is a subcutaneous regimen" in w for w in sc_on_iv.unacknowledged)
    with pytest.raises(InputError, match="per week is for subcutaneous regimens"):
        calc(dose="0.2 g/kg", per="week", product="privigen", preset="cidp-sc-maintenance")


def test_every_preset_is_tied_to_a_route() -> None:
    assert {p.route for p in CATALOG.presets.values()} == {"iv", "sc"}


def test_a_preset_label_only_stands_for_its_own_dose() -> None:
    with pytest.raises(InputError, match=r"^preset: 'CIDP loading"):
        calc(dose="0.4 g/kg", preset="cidp-loading")
    assert "Indication: CIDP loading" in render.summary_text(
        calc(dose="2 g/kg", per="course", days=2, preset="cidp-loading"))


# --- every limit at once, in a pharmacist's words -----------------------------------------

def test_every_hard_limit_broken_is_named_at_once() -> None:
    with pytest.raises(Refusal) as caught:
        calc(weight="780 kg", dose="4 g/kg", height="1700 cm", basis="ideal", sex="male")
    problems = caught.value.problems
    assert set(problems) == {"height", "weight", "dose"}  # every slip at once
    assert "4 g/kg per day is above the hard limit of 3 g/kg per day" in problems["dose"]
    assert "in mm, or in inches as cm" in problems["height"]
    assert "weighed in lb" in problems["weight"]
    with pytest.raises(Refusal) as dose:
        calc(dose="4 g/kg", per="day", days=2)
    assert "4 g/kg per day is above the hard limit of 3 g/kg per day and 8 g/kg per course " \
        "is above the hard limit of 5 g/kg per course" in dose.value.problems["dose"]


def test_limit_messages_carry_no_developer_text() -> None:
    result = calc(dose="2.5 g/kg")
    for notice in result.notices:
        assert "limits.toml" not in notice.message and "g_per_kg" not in notice.message
        assert "domain reference" not in notice.source.lower()
    with pytest.raises(Refusal) as caught:
        calc(dose="4 g/kg")
    assert "4 g/kg per day is above the hard limit of 3 g/kg per day" in str(caught.value)
    assert "limits.toml" not in str(caught.value) and "_per_" not in str(caught.value)
    assert "Dose 2.5 g/kg per day is above the soft limit" in result.warnings[0]


def test_cli_refusal_is_one_line_with_every_limit(capsys) -> None:
    code, out, err = run_cli(capsys, "calc", "--weight", "780 kg", "--dose", "0.4 g/kg",
                             "--product", "gamunex-c", "--height", "1700 cm", "--sex", "male",
                             "--basis", "ideal")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "height:" in err and "weight:" in err


# --- under 152.4 cm -----------------------------------------------------------------------

def test_short_patient_on_ideal_weight_is_a_clear_refusal() -> None:
    with pytest.raises(Refusal) as caught:
        calc(weight="60 kg", height="150 cm", sex="female", basis="ideal")
    assert caught.value.field == "basis"
    assert "Actual body weight to dose on 60 kg" in str(caught.value)
    # Choosing the actual weight on purpose is allowed; Ontario's own rule says actual.
    assert calc(weight="60 kg", height="150 cm", sex="female").dosing.kg == 60
    ontario = calc(weight="60 kg", height="150 cm", sex="female", basis="policy",
                   policy="ontario")
    assert ontario.dosing.basis == "actual" and "height under 152.4 cm" in ontario.dosing.reason


# --- display by ISMP rules ----------------------------------------------------------------

def test_ismp_display_rounds_for_people_and_keeps_the_exact_value() -> None:
    result = calc(weight="172 lb", dose="0.4 g/kg")
    out = render.summary_text(result)
    assert "Dosing weight: 78 kg" in out and "31.2 g per day" in out
    assert "≈78.018" not in out.split("Working:")[0]
    assert result.dosing.kg == Fraction(172) * Fraction("0.45359237")  # exact underneath
    assert "172 lb = ≈78.018 kg" in out  # the working keeps the conversion
    assert (text.weight(Fraction("78.05")), text.dose_g(Fraction(31250)),
            text.volume(Fraction("312.06")), text.volume(Fraction("5.55")),
            text.dose_g(Fraction(5000)), text.weight(Fraction(1250))) == \
        ("78.1 kg", "31.3 g", "312 mL", "5.6 mL", "5 g", "1,250 kg")


def test_one_unit_is_singular() -> None:
    # 0.5 g of Gamunex-C from a 1 g vial: 1 unit given, 1 unit discarded (JW).
    result = calc(weight="1.25 kg", vials=(Fraction(1000),))
    out = render.summary_text(result)
    assert "J1561 JA × 1 unit\n" in out and "JW × 1 unit\n" in out and "1 units" not in out


def test_a_one_day_course_is_not_warned_twice() -> None:
    # 2.5 g/kg on one day: the course is that day, so only the per-day limit speaks.
    warned = [w for w in calc(dose="2.5 g/kg").unacknowledged if "g/kg" in w]
    assert len(warned) == 1 and "per day" in warned[0]
    two_days = calc(dose="2.5 g/kg", days=2).unacknowledged
    assert any("5 g/kg per course" in w for w in two_days)
