"""The whole calculation and its renderings, against the domain file's worked examples."""

import datetime as dt
import json
from fractions import Fraction

import pytest

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data.catalog import load
from ivigcalc.errors import InputError, Refusal

CATALOG = load().catalog
DAY = dt.date(2026, 11, 28)


def calc(**kwargs):
    kwargs.setdefault("date_of_service", DAY)
    return calculate(CalcRequest(**kwargs), CATALOG)


def test_readme_example_78_kg_350_mg_per_kg_from_10_g_vials() -> None:
    result = calc(weight="78 kg", dose="350 mg/kg", product="gamunex-c", vials="10 g")
    day = result.days[0]
    assert day.administered_mg == 27300
    assert day.plan.vials == ((10000, 3),)
    assert [line.text for line in day.claim_lines] == ["J1561 JA × 55", "J1561 JA JW × 5"]
    summary = render.summary_text(result)
    assert "J1561 JA × 55" in summary
    assert "J1561 JA JW × 5" in summary
    assert "ceil(27,300 mg ÷ 500 mg) = ceil(54.6) = 55" in summary
    assert "floor(30,000 mg ÷ 500 mg) − 55 = 60 − 55 = 5" in summary


def test_float_trap_30_kg_at_0_7_g_per_kg_is_42_units() -> None:
    result = calc(weight="30 kg", dose="0.7 g/kg", product="gamunex-c")
    assert result.per_day_mg == 21000
    assert [line.text for line in result.days[0].claim_lines] == ["J1561 JA JZ × 42"]
    same = calc(weight="30 kg", dose="700 mg/kg", product="gamunex-c")
    assert same.days[0].claim_lines == result.days[0].claim_lines


def test_pounds_are_converted_exactly() -> None:
    result = calc(weight="154 lb", dose="0.4 g/kg", product="privigen")
    assert result.dosing.kg == 154 * Fraction("0.45359237")
    # 0.4 g/kg × 69.85322498 kg = 27.941289992 g → 55.88 → 56 units
    assert result.days[0].claim_lines[0].units == 56
    assert result.steps[0].text == "154 lb = ≈69.853 kg"


def test_defaults_follow_the_contract() -> None:
    result = calc(weight="70 kg", dose="0.4 g/kg", product="gammagard-liquid")
    assert result.route == "iv"
    assert result.payer_key == "medicare"
    assert result.per == "day" and result.day_count == 1
    assert result.dosing.basis == "actual"
    assert result.code == "J1569"
    assert result.rounding.policy == "none"


def test_course_divided_over_days_each_day_its_own_plan() -> None:
    result = calc(weight="50 kg", dose="2 g/kg", product="privigen", per="course", days=2)
    assert result.course_mg == 100000
    assert len(result.days) == 2
    for number, day in enumerate(result.days, 1):
        assert day.number == number
        assert day.administered_mg == 50000
        assert [line.text for line in day.claim_lines] == ["J1459 JZ × 100"]
    summary = render.summary_text(result)
    assert "Days 1–2" not in summary  # never one heading (one date) for several days
    assert "Day 1, 2026-11-28:" in summary and "Day 2, 2026-11-29:" in summary


def test_scig_units_are_per_100_mg_and_sc_route() -> None:
    result = calc(weight="70 kg", dose="150 mg/kg", product="hizentra")
    assert result.route == "sc"
    day = result.days[0]
    assert day.administered_mg == 10500  # 10.5 g = 105 units of 100 mg
    assert day.plan.drawn_mg == 11000
    assert [line.text for line in day.claim_lines] == ["J1559 × 105", "J1559 JW × 5"]
    assert day.volume_ml == Fraction("52.5")  # 10.5 g at 20%


def test_gamunex_given_sc_carries_jb() -> None:
    result = calc(weight="70 kg", dose="100 mg/kg", product="gamunex-c", route="sc")
    assert result.days[0].claim_lines[0].modifiers[0] == "JB"


def test_powder_has_no_volume() -> None:
    result = calc(weight="70 kg", dose="0.4 g/kg", product="gammagard-sd")
    assert result.days[0].volume_ml is None
    assert any("reconstitution" in note for note in result.notes)


def test_rounding_is_shown_next_to_the_ordered_dose() -> None:
    result = calc(weight="78 kg", dose="350 mg/kg", product="gamunex-c", vials="10 g",
                  rounding="nearest-vial")
    assert result.rounding.ordered_mg == 27300
    assert result.per_day_mg == 30000
    assert [line.text for line in result.days[0].claim_lines] == ["J1561 JA JZ × 60"]
    text = render.summary_text(result)
    assert "ordered 27.3 g per day, rounded nearest-vial" in text
    assert "+9.9%" in text


def test_policy_basis_uses_the_payer_policy() -> None:
    result = calc(weight="100 kg", dose="1 g/kg", product="privigen", height="177.8 cm",
                  sex="male", basis="policy", payer="commercial")
    assert result.dosing.kg == Fraction("83.8")  # 100 kg is 137% of IBW 73 kg
    assert "over 120% of IBW" in result.dosing.reason or "120%" in result.dosing.reason
    medicare = calc(weight="100 kg", dose="1 g/kg", product="privigen", height="177.8 cm",
                    sex="male", basis="policy")
    assert medicare.dosing.kg == 100


def test_stocked_sizes_must_be_the_products() -> None:
    with pytest.raises(InputError, match=r"^vials: 3 g is not a size of Gamunex-C"):
        calc(weight="70 kg", dose="0.4 g/kg", product="gamunex-c", vials="3 g")
    with pytest.raises(InputError, match="no vial size is ticked"):
        calc(weight="70 kg", dose="0.4 g/kg", product="gamunex-c", vials=())


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"weight": "70"}, InputError, "weight: '70' has no unit"),
        ({"weight": "70,5 kg"}, InputError, "weight: '70,5 kg' has a comma"),
        ({"weight": "2*3 kg"}, InputError, "looks like arithmetic"),
        ({"dose": "5 units"}, InputError, "dose: 'units' is not an accepted unit"),
        ({"product": "ivig"}, InputError, "product: 'ivig' is not known"),
        ({"payer": "aetna"}, InputError, "payer: 'aetna' is not known"),
        ({"days": 0}, InputError, "days: '0' is not accepted"),
        ({"code": "J1611"}, Refusal, "J1611 is not an immune globulin code"),
        ({"product": "hizentra", "route": "iv"}, Refusal, "Hizentra is subcutaneous only"),
        ({"dose": "4 g/kg"}, Refusal, "hard limit"),
        ({"weight": "0 kg"}, InputError, "zero"),
        ({"height": "1,70 m", "basis": "ideal", "sex": "male"}, InputError, "height: "),
        ({"height": "17 cm", "basis": "ideal", "sex": "male"}, Refusal,
         "height: 17 cm is below the hard limit of 30 cm"),
        ({"height": "1700 cm", "basis": "adjusted", "sex": "female"}, Refusal,
         "height: 1700 cm is above the hard limit of 250 cm"),
        ({"policy": "lean"}, InputError, "policy: 'lean' is not known"),
    ],
)
def test_refusals(kwargs: dict, error: type, fragment: str) -> None:
    base = {"weight": "70 kg", "dose": "0.4 g/kg", "product": "gamunex-c"}
    with pytest.raises(error) as caught:
        calc(**{**base, **kwargs})
    assert fragment in str(caught.value)


def test_json_contract() -> None:
    result = calc(weight="78 kg", dose="350 mg/kg", product="gamunex-c", vials="10 g",
                  date_of_service=dt.date(2025, 11, 3))  # inside CMS quarter 2025-Q4
    data = json.loads(render.summary_json(result))
    assert data["schema"] == 1
    assert data["dosing_weight"] == {**data["dosing_weight"], "kg": 78, "basis": "actual"}
    assert isinstance(data["dosing_weight"]["reason"], str)
    assert data["total_dose_mg"] == 27300
    (day,) = data["days"]
    assert day == {**day, "day": 1, "administered_mg": 27300, "drawn_mg": 30000,
                   "wasted_mg": 2700, "volume_ml": 273,
                   "vials": [{"size_mg": 10000, "count": 3, "ndcs": ["13533-0800-71"]}]}
    # CMS 2025-Q4: J1561 48.964 USD per unit; 55 × 48.964 = 2693.02, 5 × 48.964 = 244.82.
    assert day["claim_lines"] == [
        {"code": "J1561", "modifiers": ["JA"], "units": 55, "payment_limit_usd": "48.964",
         "cms_quarter": "2025-Q4", "amount_usd": "2693.02"},
        {"code": "J1561", "modifiers": ["JA", "JW"], "units": 5, "payment_limit_usd": "48.964",
         "cms_quarter": "2025-Q4", "amount_usd": "244.82"},
    ]
    assert day["ndc_lines"] == ["N413533080071 UN3"]
    assert data["cms"]["quarter"] == "2025-Q4" and data["cms"]["quarters"] == ["2025-Q4"]
    assert all(isinstance(line["units"], int) for line in day["claim_lines"])
    assert data["warnings"] == []


def test_html_summary_has_the_claim_lines_as_a_table() -> None:
    result = calc(weight="30 kg", dose="0.7 g/kg", product="gamunex-c")
    html = render.summary_html(result)
    assert "<table" in html
    assert "<td" in html and ">JA JZ<" in html and ">42<" in html
    assert "J1561" in html


def test_result_says_which_weight_and_why_in_the_summary() -> None:
    result = calc(weight="120 kg", dose="0.4 g/kg", product="privigen", height="5 ft 10 in",
                  sex="male", basis="adjusted")
    assert result.dosing.kg == Fraction("91.8")
    text = render.summary_text(result)
    assert "Dosing weight: 91.8 kg (adjusted weight, as chosen)" in text
    assert "73 kg + 0.4 × (120 kg − 73 kg) = 91.8 kg" in text


def test_product_and_payer_keys_are_read_as_typed() -> None:
    result = calc(weight="70 kg", dose="0.4 g/kg", product=" Gamunex-C ", payer="MEDICARE")
    assert (result.product_key, result.payer_key) == ("gamunex-c", "medicare")
