"""The infusion plan (issue 12): label rates, steps that add up to the bag, SC sites."""

import datetime as dt
import json
from fractions import Fraction

import pytest
from helpers import CATALOG, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data import rates
from ivigcalc.dose.infusion import iv_plan, ladder, sc_plan
from ivigcalc.errors import CatalogError, InputError

BOOK = rates.load()
DAY = dt.date(2026, 12, 1)


def calc(**kwargs):
    kwargs.setdefault("date_of_service", DAY)
    return calculate(CalcRequest(**kwargs), CATALOG)


def test_privigen_70_kg_pi_starts_at_21_and_tops_at_336_ml_per_h() -> None:
    plan = calc(weight="70 kg", dose="0.4 g/kg", product="privigen").infusion
    assert plan is not None and plan.protocol == "privigen/pi"
    assert plan.steps[0].rate_ml_per_h == 21
    assert plan.max_rate_ml_per_h == 336
    # 0.5, 1, 2, 4 mg/kg/min for 30 min each (10.5 + 21 + 42 + 84 mL), then 8 until empty
    assert [s.rate_mg_per_kg_min for s in plan.steps] == [Fraction(1, 2), 1, 2, 4, 8]
    assert [s.start_min for s in plan.steps] == [0, 30, 60, 90, 120]
    assert plan.steps[-1].volume_ml == 280 - Fraction(315, 2)
    assert plan.steps[-1].minutes == Fraction(1225, 56)  # 122.5 mL at 336 mL/h
    assert plan.total_minutes == 120 + Fraction(1225, 56)


def test_privigen_itp_preset_caps_at_168_ml_per_h() -> None:
    plan = calc(weight="70 kg", dose="1 g/kg", product="privigen", days=2,
                indication="itp-2-day").infusion
    assert plan is not None and plan.protocol == "privigen/itp"
    assert (plan.steps[0].rate_ml_per_h, plan.max_rate_ml_per_h) == (21, 168)
    assert sum(s.volume_ml for s in plan.steps) == 700


def test_json_infusion_object_as_the_issue_specifies(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "calc", "--weight", "70 kg", "--dose", "1 g/kg",
                           "--product", "privigen", "--indication", "itp-2-day", "--date",
                           "2026-12-01", "--format", "json")
    assert code == 0
    infusion = json.loads(out)["infusion"]
    assert set(infusion) == {"protocol", "steps", "max_rate_ml_per_h", "total_minutes",
                             "source"}
    assert infusion["max_rate_ml_per_h"] == 168.0
    assert set(infusion["steps"][0]) == {"start_min", "minutes", "rate_mg_per_kg_min",
                                         "rate_ml_per_h", "volume_ml"}
    assert infusion["steps"][0]["rate_ml_per_h"] == 21.0
    assert infusion["steps"][-1]["minutes"] is None
    assert [s["minutes"] for s in infusion["steps"][:-1]] == [30.0, 30.0, 30.0]
    assert "Privigen prescribing information" in infusion["source"]
    assert "checked 2026-12-01" in infusion["source"]


def test_text_summary_carries_the_rate_table() -> None:
    summary = render.summary_text(calc(weight="70 kg", dose="0.4 g/kg", product="privigen"))
    assert "Infusion: Privigen, primary humoral immunodeficiency: starts at 21 mL/h" in summary
    assert "336 mL/h" in summary and "until empty" in summary
    assert "0.5 mg/kg/min × 70 kg × 60 ÷ 100 mg/mL = 21 mL/h" in summary


def test_alyglo_has_no_rate_on_record_and_says_see_the_label() -> None:
    result = calc(weight="70 kg", dose="0.4 g/kg", product="alyglo")
    assert result.infusion is None
    assert any("rate: see the label" in note for note in result.notes)
    data = render.as_dict(result)
    assert data["infusion"] is None
    assert "Infusion: rate: see the label" in render.summary_text(result)


def test_a_powder_gets_no_rate_in_ml_per_h() -> None:
    result = calc(weight="70 kg", dose="0.4 g/kg", product="gammagard-sd")
    assert result.infusion is None
    assert any(note.startswith("Gammagard S/D (IV)") and note.endswith("see the label.")
               for note in result.notes)


def test_gammagard_label_rates_in_ml_per_kg_per_h_convert_exactly() -> None:
    plan = calc(weight="70 kg", dose="0.4 g/kg", product="gammagard-liquid").infusion
    assert plan is not None
    assert plan.steps[0].rate_ml_per_h == 35  # 0.5 mL/kg/h × 70 kg
    assert plan.steps[0].rate_mg_per_kg_min == Fraction(5, 6)
    assert plan.max_rate_ml_per_h == 350  # 5 mL/kg/h


def test_bivigam_steps_by_0_8_every_20_minutes_after_10() -> None:
    plan = calc(weight="70 kg", dose="0.8 g/kg", product="bivigam").infusion
    assert plan is not None
    assert [s.minutes for s in plan.steps[:3]] == [10, 20, 20]
    assert [s.rate_mg_per_kg_min for s in plan.steps[:3]] == [Fraction(1, 2), Fraction(13, 10),
                                                              Fraction(21, 10)]
    assert plan.max_rate_mg_per_kg_min == 6


def test_at_risk_uses_the_labels_lower_ceiling() -> None:
    octagam = calc(weight="70 kg", dose="1 g/kg", product="octagam-10", indication="itp",
                   at_risk=True).infusion
    assert octagam is not None and octagam.max_rate_mg_per_kg_min == Fraction(33, 10)
    bivigam = calc(weight="70 kg", dose="0.8 g/kg", product="bivigam", at_risk=True).infusion
    assert bivigam is not None and bivigam.max_rate_mg_per_kg_min < 2  # "below 2"
    privigen = calc(weight="70 kg", dose="0.4 g/kg", product="privigen", at_risk=True)
    assert any("minimum infusion rate practicable" in w for w in privigen.warnings)


def test_indication_the_label_does_not_cover_warns_and_uses_the_first_protocol() -> None:
    result = calc(weight="70 kg", dose="1 g/kg", product="bivigam", indication="itp-2-day")
    assert result.infusion is not None and result.infusion.protocol == "bivigam/pi"
    assert any("gives no rate for chronic immune thrombocytopenia" in w
               for w in result.warnings)


def test_unknown_indication_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError) as caught:
        calc(weight="70 kg", dose="0.4 g/kg", product="privigen", indication="flu")
    assert caught.value.field == "indication" and "itp-2-day" in str(caught.value)
    code, _, err = run_cli(capsys, "calc", "--weight", "70 kg", "--dose", "0.4 g/kg",
                           "--product", "privigen", "--indication", "flu")
    assert code == 2 and err.count("\n") == 1


def test_hizentra_60_kg_at_0_2_g_per_kg_needs_3_sites_of_20_ml() -> None:
    result = calc(weight="60 kg", dose="0.2 g/kg", product="hizentra")
    plan = result.infusion
    assert plan is not None and plan.volume_ml == 60
    assert (plan.sites, plan.ml_per_site, plan.ml_per_h_per_site) == (3, 20, 25)
    assert plan.total_minutes == 48  # 20 mL at 25 mL/h, all sites at once
    data = render.as_dict(result)["infusion"]
    assert (data["sites"], data["ml_per_site"]) == (3, 20.0)
    first = calc(weight="60 kg", dose="0.2 g/kg", product="hizentra",
                 first_infusion=True).infusion
    assert first is not None and (first.sites, first.ml_per_site) == (4, 15)


def test_cuvitru_light_patient_first_infusions_use_20_ml_sites() -> None:
    plan = calc(weight="30 kg", dose="0.2 g/kg", product="cuvitru", first_infusion=True).infusion
    assert plan is not None and plan.volume_ml == 30
    assert (plan.sites, plan.ml_per_site) == (2, 15)
    assert "under 40 kg" in plan.limit_text


def test_too_many_sites_for_the_label_warns() -> None:
    result = calc(weight="100 kg", dose="0.8 g/kg", product="xembify")  # 400 mL, 25 mL/site
    assert result.infusion is not None and result.infusion.sites == 16
    assert any("up to 6 at once" in w for w in result.warnings)


# --- the data -----------------------------------------------------------------------------

def test_every_rate_row_names_a_catalog_product_of_its_route_and_its_label() -> None:
    for table, route in ((BOOK.iv, "iv"), (BOOK.sc, "sc")):
        for product, rows in table.items():
            assert route in CATALOG.products[product].routes, product
            for row in rows:
                assert "prescribing information" in row.source and row.checked, row.key
                assert "domain reference" not in row.source
    for product in BOOK.convert:
        assert "sc" in CATALOG.products[product].routes
    for group in BOOK.groups.values():
        assert set(group.presets) <= set(CATALOG.presets), group.key


def test_no_rate_is_invented_for_alyglo_or_qivigy() -> None:
    assert "alyglo" not in BOOK.iv and "qivigy" not in BOOK.iv


@pytest.mark.parametrize(("row", "message"), [
    ({"unit": "mg/kg/min", "initial": 9, "max": 8}, "initial (9) is more than max (8)"),
    ({"unit": "mL/min", "initial": 1, "max": 8}, "field 'unit': must be one of"),
    ({"unit": "mg/kg/min", "initial": 1, "max": 8, "rates": [2, 4]},
     "field 'rates': must start at initial"),
    ({"unit": "mg/kg/min", "initial": 1, "max": 8, "at_risk_max": 9},
     "at_risk_max (9) is more than max (8)"),
    ({"unit": "mg/kg/min", "initial": 1, "max": 8, "at_risk_max": 1},
     "field 'at_risk_max': must be above initial"),
    ({"unit": "mg/kg/min", "initial": 1}, "field 'max': is missing"),
])
def test_a_broken_rate_row_names_entry_and_field(row: dict, message: str) -> None:
    data = {"titration": {"step_minutes": 30, "rule": "double", "source": "s",
                          "checked": DAY},
            "groups": {"pi": {"name": "PI", "presets": ["pid-iv"]}},
            "iv": {"privigen": {"pi": {**row, "source": "s", "checked": DAY}}}}
    with pytest.raises(CatalogError) as caught:
        rates.build(data)
    assert "rates.toml: [iv.privigen.pi]" in str(caught.value)
    assert message in str(caught.value)


# --- properties -----------------------------------------------------------------------------

IV_ROWS = [row for rows in BOOK.iv.values() for row in rows]


@settings(max_examples=200, deadline=None)
@given(row=st.sampled_from(IV_ROWS),
       kg=st.fractions(min_value=Fraction(1, 2), max_value=350, max_denominator=1000),
       volume=st.fractions(min_value=Fraction(1, 10), max_value=4000, max_denominator=1000),
       at_risk=st.booleans())
def test_steps_add_up_to_the_bag_and_never_pass_the_ceiling(row, kg, volume, at_risk) -> None:
    strength = CATALOG.products[row.product].concentration_mg_per_ml
    plan = iv_plan(row, "t", BOOK.titration, kg, strength, volume, at_risk)
    assert sum(s.volume_ml for s in plan.steps) == volume  # exactly, to the last drop
    assert all(s.volume_ml > 0 and s.minutes > 0 for s in plan.steps)
    assert plan.steps[-1].until_done and not any(s.until_done for s in plan.steps[:-1])
    for before, after in zip(plan.steps, plan.steps[1:], strict=False):
        assert after.start_min == before.start_min + before.minutes
        assert after.rate_mg_per_kg_min > before.rate_mg_per_kg_min
    rungs = ladder(row, BOOK.titration, strength, at_risk)
    top = rates.to_mg_per_kg_min(row.max, row.unit, strength)
    assert all(s.rate_mg_per_kg_min <= plan.max_rate_mg_per_kg_min <= top for s in plan.steps)
    assert plan.max_rate_mg_per_kg_min == rungs[-1][0]
    assert plan.steps[0].rate_mg_per_kg_min == rates.to_mg_per_kg_min(row.initial, row.unit,
                                                                       strength)
    if at_risk and row.at_risk_max is not None:
        ceiling = rates.to_mg_per_kg_min(row.at_risk_max, row.unit, strength)
        assert plan.max_rate_mg_per_kg_min <= ceiling
        if row.at_risk_below:
            assert plan.max_rate_mg_per_kg_min < ceiling
    for step in plan.steps:  # mL/h = mg/kg/min × kg × 60 ÷ mg per mL
        assert step.rate_ml_per_h == step.rate_mg_per_kg_min * kg * 60 / strength


SC_ROWS = [row for rows in BOOK.sc.values() for row in rows]


@settings(max_examples=100, deadline=None)
@given(row=st.sampled_from(SC_ROWS),
       kg=st.fractions(min_value=2, max_value=200, max_denominator=100),
       volume=st.fractions(min_value=Fraction(1, 10), max_value=1000, max_denominator=100),
       first=st.booleans())
def test_sc_sites_hold_the_bag_within_the_label_limit(row, kg, volume, first) -> None:
    strength = CATALOG.products[row.product].concentration_mg_per_ml
    plan = sc_plan(row, "t", kg, kg, strength, volume, first)
    limit, _ = row.limit(kg, first)
    assert plan.sites * plan.ml_per_site == volume
    assert plan.ml_per_site <= limit.ml_per_site
    assert plan.sites == 1 or (plan.sites - 1) * limit.ml_per_site < volume  # the fewest
    assert plan.total_minutes == plan.ml_per_site * 60 / limit.ml_per_h_per_site
