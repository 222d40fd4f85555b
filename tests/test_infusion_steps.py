"""The infusion plan worked by hand from the labels' schedules (resources/rates.toml), with
the edges where a plan can go wrong: a bag that runs out exactly as a step ends, a doubling
that lands exactly on the maximum, a ceiling the rate must stay below, sites exactly full.

Every expected figure is computed here from mL/h = mg/kg/min × kg × 60 ÷ mg per mL and the
label's initial rate, step and maximum, not read from the program.
"""

from fractions import Fraction as F

import pytest
from helpers import CATALOG

from ivigcalc.data import rates
from ivigcalc.data.model import Product
from ivigcalc.dose.infusion import RISK_TOPIC, ladder, plan_for, uses_rule
from ivigcalc.errors import InputError
from ivigcalc.result import InfusionStep, Trail

BOOK = rates.load()
RULE = BOOK.titration.source
NO_FIGURE = ("At risk of thrombosis or renal failure: the label asks for the minimum infusion "
             "rate practicable and gives no figure; the plan shows the label's rates; go no "
             "faster than the patient needs.")


def plan(product: str | Product, kg: F | int, volume: F | int, *, route: str = "iv",
         indication: str | None = None, at_risk: bool = False, first: bool = False,
         actual: F | int | None = None):
    """plan_for on the day's dose that fills `volume` mL (a powder: `volume` g, no volume)."""
    chosen = CATALOG.products[product] if isinstance(product, str) else product
    strength = chosen.concentration_mg_per_ml
    dose_mg = F(volume) * (strength if strength is not None else 1000)
    trail = Trail()
    infusion = plan_for(product=chosen, route=route, indication=indication, kg=F(kg),
                        actual_kg=F(actual if actual is not None else kg), dose_mg=dose_mg,
                        at_risk=at_risk, first_infusion=first, book=BOOK,
                        presets=CATALOG.presets, trail=trail)
    return infusion, trail


def working(trail: Trail) -> dict[str, str]:
    return {step.topic: step.text for step in trail.steps}


def warnings(trail: Trail) -> list[str]:
    return [n.message for n in trail.notices if n.level == "warning"]


def notes(trail: Trail) -> list[str]:
    return [n.message for n in trail.notices if n.level == "note"]


def step(start, minutes, rate, ml_h, volume, last=False) -> InfusionStep:
    return InfusionStep(F(start), F(minutes), F(rate), F(ml_h), F(volume), last)


# --- Privigen PI: 0.5 mg/kg/min, doubled every 30 min (the titration rule) up to 8 --------
# 100 kg at 100 mg/mL: mL/h = 60 × mg/kg/min, so 30, 60, 120, 240 and 480 mL/h; each 30-min
# step holds 15, 30, 60 and 120 mL.

def test_a_bag_that_empties_exactly_as_a_step_ends_makes_that_step_the_last() -> None:
    infusion, trail = plan("privigen", 100, 45)  # 15 + 30 mL
    assert infusion is not None
    assert infusion.steps == (step(0, 30, F(1, 2), 30, 15), step(30, 30, 1, 60, 30, True))
    assert infusion.total_minutes == 60
    assert (infusion.max_rate_mg_per_kg_min, infusion.max_rate_ml_per_h) == (8, 480)
    said = working(trail)
    assert said["Infusion rate"] == (
        "Privigen, primary humoral immunodeficiency: starts at 0.5 mg/kg/min × 100 kg × 60 ÷ "
        "100 mg/mL = 30 mL/h (the initial rate, as for a first infusion or a product switch); "
        "maximum 8 mg/kg/min = 480 mL/h")
    assert said["Rate steps"] == "every 30 min the rate doubles, up to the maximum"
    assert [s.source for s in trail.steps if s.topic == "Rate steps"] == [RULE]
    assert said["Infusion time"] == ("45 mL in 2 steps, the last until the bag is empty: "
                                     "1 h in all")
    assert RISK_TOPIC not in said and warnings(trail) == []


def test_a_bag_that_empties_as_the_fourth_step_ends_never_reaches_the_top_rate() -> None:
    infusion, _ = plan("privigen", 100, 225)  # 15 + 30 + 60 + 120 mL
    assert infusion is not None
    assert infusion.steps == (step(0, 30, F(1, 2), 30, 15), step(30, 30, 1, 60, 30),
                              step(60, 30, 2, 120, 60), step(90, 30, 4, 240, 120, True))
    assert infusion.total_minutes == 120
    # the plan's maximum is the label's, reached or not
    assert (infusion.max_rate_mg_per_kg_min, infusion.max_rate_ml_per_h) == (8, 480)


def test_a_bag_smaller_than_the_first_step_is_one_step_with_no_titration() -> None:
    infusion, trail = plan("privigen", 100, 10)
    assert infusion is not None
    assert infusion.steps == (step(0, 20, F(1, 2), 30, 10, True),)  # 10 mL at 30 mL/h
    said = working(trail)
    assert "Rate steps" not in said
    assert said["Infusion time"] == "10 mL in 1 step until the bag is empty: 20 min in all"


def test_1_g_per_kg_for_100_kg_climbs_to_8_and_runs_out_there() -> None:
    infusion, trail = plan("privigen", 100, 1000)
    assert infusion is not None
    # 225 mL in the first 2 h, then 775 mL at 480 mL/h = 96.875 min
    assert infusion.steps[-1] == step(120, F(775, 8), 8, 480, 775, True)
    assert [s.start_min for s in infusion.steps] == [0, 30, 60, 90, 120]
    assert infusion.total_minutes == 120 + F(775, 8)
    assert working(trail)["Infusion time"].endswith(" in 5 steps, the last until the bag is "
                                                    "empty: 3 h 37 min in all")


def test_privigen_with_no_indication_says_which_of_its_protocols_it_used() -> None:
    infusion, trail = plan("privigen", 100, 45)
    assert infusion is not None and infusion.protocol == "privigen/pi"
    assert infusion.title == "Privigen, primary humoral immunodeficiency"
    assert notes(trail) == ["Rates for primary humoral immunodeficiency; choose the "
                            "indication for another protocol."]
    assert trail.notices[0].source == BOOK.iv["privigen"][0].source


def test_privigen_itp_tops_at_4_not_8() -> None:
    infusion, trail = plan("privigen", 100, 1000, indication="itp-5-day")
    assert infusion is not None and infusion.protocol == "privigen/itp"
    assert [s.rate_mg_per_kg_min for s in infusion.steps] == [F(1, 2), 1, 2, 4]
    # 105 mL in 90 min, then 895 mL at 240 mL/h
    assert infusion.steps[-1] == step(90, F(895, 4), 4, 240, 895, True)
    assert notes(trail) == [] and warnings(trail) == []


def test_at_risk_with_no_figure_on_the_label_warns_and_keeps_the_rates() -> None:
    infusion, trail = plan("privigen", 100, 45, at_risk=True)
    assert infusion is not None
    assert infusion.steps == (step(0, 30, F(1, 2), 30, 15), step(30, 30, 1, 60, 30, True))
    assert infusion.max_rate_mg_per_kg_min == 8
    assert warnings(trail) == [NO_FIGURE]
    assert RISK_TOPIC not in working(trail)


# --- Gammagard Liquid PI: 0.5 mL/kg/h for 30 min, every 30 min up to 5 mL/kg/h ------------
# Doubled in the label's unit: 0.5, 1, 2, 4, then 5 mL/kg/h; at 100 mg/mL, mL/kg/h × 100 ÷ 60
# is mg/kg/min (5/6, 5/3, 10/3, 20/3, 25/3); for 70 kg, 35, 70, 140, 280 and 350 mL/h.

def test_gammagard_70_kg_28_g_ends_with_3_minutes_at_350_ml_per_h() -> None:
    infusion, trail = plan("gammagard-liquid", 70, 280)
    assert infusion is not None
    assert infusion.steps == (
        step(0, 30, F(5, 6), 35, F(35, 2)), step(30, 30, F(5, 3), 70, 35),
        step(60, 30, F(10, 3), 140, 70), step(90, 30, F(20, 3), 280, 140),
        step(120, 3, F(25, 3), 350, F(35, 2), True))  # 17.5 mL left at 350 mL/h
    assert infusion.total_minutes == 123
    assert (infusion.max_rate_mg_per_kg_min, infusion.max_rate_ml_per_h) == (F(25, 3), 350)
    said = working(trail)
    assert said["Infusion rate"].endswith("starts at ≈0.83 mg/kg/min × 70 kg × 60 ÷ 100 mg/mL "
                                          "= 35 mL/h (the initial rate, as for a first "
                                          "infusion or a product switch); maximum "
                                          "≈8.33 mg/kg/min = 350 mL/h")
    assert said["Rate steps"] == "every 30 min the rate doubles, up to the maximum"
    assert said["Infusion time"].endswith(": 2 h 3 min in all")


# --- Bivigam: 0.5 mg/kg/min for 10 min, then +0.8 every 20 min up to 6; at risk below 2 ----
# 50 kg at 100 mg/mL: mL/h = 30 × mg/kg/min.

def test_bivigam_50_kg_climbs_by_0_8_and_caps_at_6() -> None:
    infusion, trail = plan("bivigam", 50, 500)
    assert infusion is not None
    rungs = [F(1, 2), F(13, 10), F(21, 10), F(29, 10), F(37, 10), F(9, 2), F(53, 10), F(6)]
    assert [s.rate_mg_per_kg_min for s in infusion.steps] == rungs  # 6.1 would pass 6
    assert [s.rate_ml_per_h for s in infusion.steps] == [15, 39, 63, 87, 111, 135, 159, 180]
    assert [s.minutes for s in infusion.steps[:-1]] == [10, 20, 20, 20, 20, 20, 20]
    assert [s.volume_ml for s in infusion.steps[:-1]] == [F(5, 2), 13, 21, 29, 37, 45, 53]
    assert [s.start_min for s in infusion.steps] == [0, 10, 30, 50, 70, 90, 110, 130]
    # 200.5 mL in 130 min, then 299.5 mL at 180 mL/h
    assert infusion.steps[-1] == step(130, F(599, 6), 6, 180, F(599, 2), True)
    said = working(trail)
    assert "Rate steps" not in said  # the label gives the increments and their timing
    assert said["Infusion time"] == ("500 mL in 8 steps, the last until the bag is empty: "
                                     "3 h 50 min in all")
    assert notes(trail) == []  # one protocol only: nothing to choose


def test_bivigam_at_risk_stays_below_2_and_never_sets_the_pump_to_it() -> None:
    infusion, trail = plan("bivigam", 50, 100, at_risk=True)
    assert infusion is not None
    # 0.5 then 1.3 (2.1 is not below 2, and 2 itself is not allowed)
    assert infusion.steps == (step(0, 10, F(1, 2), 15, F(5, 2)),
                              step(10, 150, F(13, 10), 39, F(195, 2), True))
    assert (infusion.max_rate_mg_per_kg_min, infusion.max_rate_ml_per_h) == (F(13, 10), 39)
    said = working(trail)
    assert said[RISK_TOPIC] == "below 2 mg/kg/min: the plan stops at 1.3 mg/kg/min = 39 mL/h"
    assert said["Infusion rate"].endswith("maximum 6 mg/kg/min = 180 mL/h")  # the label's
    assert said["Infusion time"].endswith(": 2 h 40 min in all")
    assert warnings(trail) == []


# --- Octagam 10% ITP: its own ladder 1, 2, 4, 8 for 30 min each, maximum 12; at risk ≤ 3.3 --

def test_octagam_10_itp_climbs_its_own_ladder_to_12() -> None:
    infusion, trail = plan("octagam-10", 50, 1000, indication="itp-2-day")
    assert infusion is not None and infusion.protocol == "octagam-10/itp"
    assert [s.rate_mg_per_kg_min for s in infusion.steps] == [1, 2, 4, 8, 12]
    assert [s.rate_ml_per_h for s in infusion.steps] == [30, 60, 120, 240, 360]
    assert infusion.max_rate_mg_per_kg_min == 12  # no risk: the lower ceiling is not used
    assert "Rate steps" not in working(trail) and RISK_TOPIC not in working(trail)


def test_octagam_10_at_risk_stops_at_exactly_3_3() -> None:
    infusion, trail = plan("octagam-10", 50, 500, indication="itp", at_risk=True)
    assert infusion is not None
    # 15 + 30 mL in the first hour, then 455 mL at 3.3 × 50 × 60 ÷ 100 = 99 mL/h
    assert infusion.steps == (step(0, 30, 1, 30, 15), step(30, 30, 2, 60, 30),
                              step(60, F(9100, 33), F(33, 10), 99, 455, True))
    said = working(trail)
    assert said[RISK_TOPIC] == "at most 3.3 mg/kg/min: the plan stops at 3.3 mg/kg/min = 99 mL/h"
    assert [s.source for s in trail.steps if s.topic == RISK_TOPIC] == \
        [BOOK.iv["octagam-10"][0].source]
    assert said["Infusion time"].endswith(": 5 h 36 min in all")  # 335.8 min, rounded up


def test_octagam_10_with_no_indication_takes_its_first_of_two_protocols() -> None:
    infusion, trail = plan("octagam-10", 50, 500)
    assert infusion is not None and infusion.protocol == "octagam-10/itp"
    assert notes(trail) == ["Rates for chronic immune thrombocytopenia; choose the "
                            "indication for another protocol."]


def test_octagam_10_dermatomyositis_is_its_second_protocol() -> None:
    infusion, trail = plan("octagam-10", 50, 500, indication="dermatomyositis")
    assert infusion is not None and infusion.protocol == "octagam-10/dm"
    assert [s.rate_mg_per_kg_min for s in infusion.steps] == [1, 2, 4]
    assert notes(trail) == [] and warnings(trail) == []


def test_an_indication_the_label_does_not_cover_warns_and_names_both() -> None:
    infusion, trail = plan("octagam-10", 50, 500, indication="pi")
    assert infusion is not None and infusion.protocol == "octagam-10/itp"
    assert warnings(trail) == [
        "Octagam 10%'s label gives no rate for primary humoral immunodeficiency: the plan uses "
        "its rates for chronic immune thrombocytopenia. Check the rate with the prescriber."]
    assert trail.notices[0].source == BOOK.iv["octagam-10"][0].source
    assert notes(trail) == []


# --- rates in mg/kg/h and 15-minute steps --------------------------------------------------

def test_octagam_5_mg_per_kg_per_h_ladder_converts_exactly() -> None:
    # 30, 60, 120 mg/kg/h for 30 min each, then 200: 0.5, 1, 2, 10/3 mg/kg/min; at 50 mg/mL
    # for 50 kg, mL/h = mg/kg/h × 50 ÷ 50: 30, 60, 120, 200 mL/h
    infusion, trail = plan("octagam-5", 50, 250)
    assert infusion is not None
    assert infusion.steps == (step(0, 30, F(1, 2), 30, 15), step(30, 30, 1, 60, 30),
                              step(60, 30, 2, 120, 60),
                              step(90, F(87, 2), F(10, 3), 200, 145, True))
    said = working(trail)
    assert said["Infusion rate"].endswith("÷ 50 mg/mL = 30 mL/h (the initial rate, as for a "
                                          "first infusion or a product switch); maximum "
                                          "≈3.33 mg/kg/min = 200 mL/h")
    assert said["Infusion time"].endswith(": 2 h 14 min in all")
    assert warnings(trail) == ["The Octagam 5%, primary humoral immunodeficiency rates could "
                               "not be checked against the current label text: verify them "
                               "before use."]


def test_gammaplex_5_doubles_every_15_minutes_onto_its_maximum_of_4() -> None:
    infusion, trail = plan("gammaplex-5", 50, 100)  # 50 mg/mL: mL/h = 60 × mg/kg/min
    assert infusion is not None
    assert infusion.steps == (step(0, 15, F(1, 2), 30, F(15, 2)), step(15, 15, 1, 60, 15),
                              step(30, 15, 2, 120, 30),
                              step(45, F(95, 8), 4, 240, F(95, 2), True))
    said = working(trail)
    assert said["Rate steps"] == "every 15 min the rate doubles, up to the maximum"
    assert said["Infusion time"] == ("100 mL in 4 steps, the last until the bag is empty: "
                                     "57 min in all")
    assert warnings(trail) == []  # a checked row: no verify warning


def test_gammaplex_10_ladder_ends_with_the_maximum_after_its_last_rung() -> None:
    infusion, trail = plan("gammaplex-10", 50, 1000)
    assert infusion is not None
    assert [s.rate_mg_per_kg_min for s in infusion.steps] == [F(1, 2), 1, 2, 4, 6, 8]
    assert [s.minutes for s in infusion.steps[:-1]] == [15] * 5
    assert [s.rate_ml_per_h for s in infusion.steps] == [15, 30, 60, 120, 180, 240]
    assert "Rate steps" not in working(trail)


def test_gamunex_c_keeps_the_initial_rate_30_min_then_the_rule_doubles_it() -> None:
    infusion, trail = plan("gamunex-c", 50, 1000)  # mL/h = 30 × mg/kg/min
    assert infusion is not None
    assert [s.rate_mg_per_kg_min for s in infusion.steps] == [1, 2, 4, 8]
    assert [s.minutes for s in infusion.steps[:-1]] == [30, 30, 30]
    # 15 + 30 + 60 = 105 mL in 90 min, then 895 mL at 240 mL/h
    assert infusion.steps[-1] == step(90, F(895, 4), 8, 240, 895, True)
    assert working(trail)["Rate steps"] == "every 30 min the rate doubles, up to the maximum"
    cidp, _ = plan("gamunex-c", 50, 1000, indication="cidp-maintenance")
    assert cidp is not None and [s.rate_mg_per_kg_min for s in cidp.steps] == [2, 4, 8]


def test_a_row_that_could_not_be_checked_says_verify() -> None:
    infusion, trail = plan("gammaked", 50, 100)
    assert infusion is not None and infusion.verify
    assert warnings(trail) == ["The Gammaked, primary humoral immunodeficiency rates could "
                               "not be checked against the current label text: verify them "
                               "before use."]
    assert trail.notices[-1].source == BOOK.iv["gammaked"][0].source


# --- which rows leave the steps to the titration rule --------------------------------------

def _row(**changes) -> rates.IvProtocol:
    base = BOOK.iv["bivigam"][0]  # add 0.8 every 20 min
    return rates.IvProtocol(**{**base.__dict__, **changes})


def test_uses_rule_only_when_the_label_leaves_increments_or_timing_open() -> None:
    assert not uses_rule(_row())  # its own increase and its own timing
    assert uses_rule(_row(step_minutes=None))  # the increase, but no timing
    assert uses_rule(_row(add=None))  # the timing, but "increase gradually"
    assert not uses_rule(_row(add=None, rates=(F(1, 2), F(2))))  # its own ladder and timing
    assert uses_rule(_row(add=None, rates=(F(1, 2), F(2)), step_minutes=None))


def test_a_ladder_with_no_step_time_holds_each_rung_for_the_rules_30_minutes() -> None:
    row = _row(step_minutes=None, initial_minutes=None)
    assert ladder(row, BOOK.titration, F(100), False)[:2] == [(F(1, 2), 30), (F(13, 10), 30)]
    infusion, trail = plan("privigen", 100, 45)
    assert infusion is not None and working(trail)["Rate steps"].startswith("every 30 min")


def test_a_label_ladder_rung_equal_to_a_ceiling_is_not_climbed_twice_or_past_below() -> None:
    ladder_row = _row(add=None, rates=(F(1, 2), F(1), F(2), F(4)), max=F(4))
    # the maximum itself once, at the top
    assert [r for r, _ in ladder(ladder_row, BOOK.titration, F(100), False)] == [F(1, 2), 1, 2, 4]
    # at risk "below 2": the rung at 2 is not allowed, and nothing replaces it
    assert ladder(ladder_row, BOOK.titration, F(100), True) == [(F(1, 2), 10), (F(1), 20)]
    at_most = _row(add=None, rates=(F(1, 2), F(1), F(2), F(4)), at_risk_below=False)
    assert [r for r, _ in ladder(at_most, BOOK.titration, F(100), True)] == [F(1, 2), 1, 2]


# --- subcutaneous: fewest sites within the label's volume per site -------------------------

def test_hizentra_later_infusion_60_ml_is_3_sites_of_20_ml_for_48_min() -> None:
    infusion, trail = plan("hizentra", 60, 60, route="sc")
    assert infusion is not None and infusion.route == "sc"
    assert (infusion.sites, infusion.ml_per_site, infusion.ml_per_h_per_site) == (3, 20, 25)
    # 3 sites × 25 mL/h = 75 mL/h; × 200 mg/mL ÷ (60 kg × 60) = 25/6 mg/kg/min
    assert infusion.steps == (step(0, 48, F(25, 6), 75, 60, True),)
    assert (infusion.max_rate_mg_per_kg_min, infusion.max_rate_ml_per_h) == (F(25, 6), 75)
    limit = ("later infusions: ≤ 25 mL/site at ≤ 25 mL/h/site "
             "(first infusion: ≤ 15 mL/site at ≤ 15 mL/h/site)")
    assert infusion.limit_text == limit
    assert working(trail)["Infusion sites"] == (
        f"Hizentra, primary humoral immunodeficiency, {limit}: 60 mL needs 3 sites of 20 mL, "
        "48 min at 25 mL/h/site")
    assert [s.source for s in trail.steps] == [BOOK.sc["hizentra"][0].source]
    assert warnings(trail) == []
    # two SC protocols (PI, CIDP) and no indication: the note says which one
    assert notes(trail) == ["Rates for primary humoral immunodeficiency; choose the "
                            "indication for another protocol."]


def test_the_sc_rate_per_kg_uses_the_dosing_weight() -> None:
    infusion, _ = plan("hizentra", 50, 60, route="sc", actual=60)
    assert infusion is not None  # 75 mL/h × 200 mg/mL ÷ (50 kg × 60) = 5 mg/kg/min
    assert infusion.max_rate_mg_per_kg_min == 5 and infusion.max_rate_ml_per_h == 75


def test_sites_filled_exactly_to_the_limit_and_just_past_it() -> None:
    full, _ = plan("hizentra", 60, 75, route="sc")
    assert full is not None and (full.sites, full.ml_per_site) == (3, 25)
    assert full.total_minutes == 60
    over, trail = plan("hizentra", 60, F(151, 2), route="sc")  # 75.5 mL: 4 sites of 18.875
    assert over is not None and (over.sites, over.ml_per_site) == (4, F(151, 8))
    assert over.total_minutes == F(453, 10)  # 18.875 mL at 25 mL/h
    assert "75.5 mL needs 4 sites of ≈18.9 mL, 46 min at 25 mL/h/site" in \
        working(trail)["Infusion sites"]


def test_hizentra_first_infusion_uses_the_first_limit_only() -> None:
    infusion, trail = plan("hizentra", 60, 60, route="sc", first=True)
    assert infusion is not None
    assert (infusion.sites, infusion.ml_per_site, infusion.total_minutes) == (4, 15, 60)
    assert infusion.limit_text == "first infusion: ≤ 15 mL/site at ≤ 15 mL/h/site"
    assert working(trail)["Infusion sites"].endswith("60 mL needs 4 sites of 15 mL, 1 h at "
                                                     "15 mL/h/site")


def test_cuvitru_under_40_kg_later_infusion_names_the_earlier_light_limit() -> None:
    infusion, _ = plan("cuvitru", 30, 30, route="sc")
    assert infusion is not None
    assert (infusion.sites, infusion.ml_per_site, infusion.total_minutes) == (1, 30, 30)
    assert infusion.limit_text == ("later infusions, under 40 kg: ≤ 60 mL/site at "
                                   "≤ 60 mL/h/site (first 2 infusions: ≤ 20 mL/site at "
                                   "10–20 mL/h/site)")


def test_cuvitru_first_infusions_at_exactly_40_kg_take_the_heavier_limit() -> None:
    infusion, _ = plan("cuvitru", 40, 40, route="sc", first=True)
    assert infusion is not None
    assert infusion.limit_text == "first 2 infusions: ≤ 60 mL/site at 10–20 mL/h/site"
    assert (infusion.sites, infusion.ml_per_site, infusion.total_minutes) == (1, 40, 120)
    # the light limit follows the actual weight, not a lower dosing weight
    dosed_lower, _ = plan("cuvitru", 38, 40, route="sc", first=True, actual=41)
    assert dosed_lower is not None and dosed_lower.sites == 1


def test_cuvitru_4_sites_is_the_labels_most_and_5_warns() -> None:
    four, trail = plan("cuvitru", 60, 240, route="sc")
    assert four is not None and four.sites == 4 and warnings(trail) == []
    five, trail = plan("cuvitru", 60, 241, route="sc")
    assert five is not None and five.sites == 5
    assert warnings(trail) == ["5 sites needed but the label allows up to 4 at once: split "
                               "the dose over more infusions."]


def test_xembify_has_one_limit_for_every_infusion_and_its_note() -> None:
    limit = ("every infusion: ≤ 25 mL/site at ≤ 35 mL/h/site. Children 2 to under 10 years: "
             "≤ 25 mL/h/site.")
    for first in (False, True):
        infusion, trail = plan("xembify", 60, 150, route="sc", first=first)
        assert infusion is not None and infusion.limit_text == limit
        assert (infusion.sites, infusion.ml_per_site) == (6, 25)  # exactly the 6 allowed
        assert infusion.total_minutes == F(300, 7)  # 25 mL at 35 mL/h
        assert infusion.max_rate_ml_per_h == 210
        assert warnings(trail) == []
        assert working(trail)["Infusion sites"].endswith("43 min at 35 mL/h/site")
    seven, trail = plan("xembify", 60, F(301, 2), route="sc")
    assert seven is not None and seven.sites == 7
    assert warnings(trail) == ["7 sites needed but the label allows up to 6 at once: split "
                               "the dose over more infusions."]


def test_gammagard_sc_times_the_sites_at_the_top_of_the_labels_range() -> None:
    infusion, trail = plan("gammagard-liquid", 50, 90, route="sc")
    assert infusion is not None
    assert infusion.limit_text == ("later infusions: ≤ 30 mL/site at 20–30 mL/h/site "
                                   "(first infusion: ≤ 30 mL/site at ≤ 20 mL/h/site)")
    assert (infusion.sites, infusion.ml_per_site, infusion.total_minutes) == (3, 30, 60)
    assert warnings(trail) == ["The Gammagard Liquid, primary humoral immunodeficiency rates "
                               "could not be checked against the current label text: verify "
                               "them before use."]


# --- no plan --------------------------------------------------------------------------------

@pytest.mark.parametrize(("product", "route", "says"), [
    ("alyglo", "iv", "Alyglo (IV): no infusion rate is on record; rate: see the label."),
    ("gamunex-c", "sc", "Gamunex-C (SC): no infusion rate is on record; rate: see the label."),
    ("gammagard-sd", "iv", "Gammagard S/D (IV): no infusion rate is on record; rate: see the "
                           "label."),
])
def test_no_rate_on_record_is_a_note_and_no_plan(product: str, route: str, says: str) -> None:
    infusion, trail = plan(product, 50, 100, route=route)
    assert infusion is None and trail.steps == []
    assert [(n.level, n.message) for n in trail.notices] == [("note", says)]
    assert trail.notices[0].source == CATALOG.products[product].source


def test_a_powder_with_label_rates_gets_no_ml_per_h() -> None:
    """A site catalog may make a product a powder; its mg/kg/min rates then have no mL/h."""
    powder = CATALOG.products["privigen"]._replace(concentration_mg_per_ml=None)
    infusion, trail = plan(powder, 50, 20)
    assert infusion is None and trail.steps == []
    assert [n.message for n in trail.notices] == [
        "Privigen (IV): a powder: the rate in mL/h depends on the reconstitution; rate: see "
        "the label."]


def test_an_unknown_indication_is_refused_before_any_plan() -> None:
    with pytest.raises(InputError, match=r"^indication: 'gout' is not known; accepts pid-iv, "):
        plan("privigen", 50, 100, indication="gout")
