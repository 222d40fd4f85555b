"""Claim lines: units round up, waste rounds down, JW/JZ by payer and date, JA/JB, KX."""

import datetime as dt
import math
from fractions import Fraction

import pytest

from ivigcalc.billing import lines as billing
from ivigcalc.data.catalog import load
from ivigcalc.errors import Refusal
from ivigcalc.result import Trail

CATALOG = load().catalog
CODES = CATALOG.codes
MEDICARE = CATALOG.payers["medicare"]
COMMERCIAL = CATALOG.payers["commercial"]
TODAY = dt.date(2026, 11, 28)


def lines(code: str, administered_g: str, drawn_g: str, *, route: str = "iv",
          payer=MEDICARE, day: dt.date = TODAY, kx: bool = False) -> list[str]:
    trail = Trail()
    result = billing.claim_lines(CODES[code], Fraction(administered_g) * 1000,
                                 Fraction(drawn_g) * 1000, route, payer, day, kx, trail)
    return [line.text for line in result]


def test_the_float_trap_is_real_and_avoided() -> None:
    # 700 mg/kg converted to g/kg in floating point (× 0.001) is 0.7000000000000001, and
    # × 30 kg gives 21.000000000000004 g: a ceiling of 43 units of 0.5 g.
    assert math.ceil(700 * 0.001 * 30 / 0.5) == 43
    assert billing.administered_units(Fraction("0.7") * 30 * 1000, Fraction(500)) == 42
    assert lines("J1561", "21", "21") == ["J1561 JA JZ × 42"]


def test_domain_worked_example_27_3_g() -> None:
    assert billing.administered_units(Fraction(27300), Fraction(500)) == 55  # 54.6 → 55
    # From 10 + 10 + 5 + 2.5 g = 27.5 g = 55 units: one line, JZ.
    assert lines("J1561", "27.3", "27.5") == ["J1561 JA JZ × 55"]
    # From 3 × 10 g = 30 g = 60 units: 55, plus a JW line of 5.
    assert lines("J1561", "27.3", "30") == ["J1561 JA × 55", "J1561 JA JW × 5"]


def test_waste_under_one_unit_gets_jz_not_jw() -> None:
    assert lines("J1561", "27.3", "27.5") == ["J1561 JA JZ × 55"]  # 0.2 g discarded
    assert billing.discarded_units(Fraction(27500), 55, Fraction(500)) == 0


def test_cutaquig_floor_of_fractional_vials() -> None:
    # One 0.99 g vial (9.9 units of 100 mg), 0.5 g given: 5 units + JW floor(9.9) − 5 = 4.
    assert lines("J1551", "0.5", "0.99", route="sc") == ["J1551 × 5", "J1551 JW × 4"]


def test_round_up_past_the_labeled_contents_is_said_and_bills_no_waste() -> None:
    # 0.95 g given from one 0.99 g vial: 10 units administered (ceil 9.5), floor(9.9) = 9,
    # so no waste is billable; the administered units still round up, with a note.
    trail = Trail()
    result = billing.claim_lines(CODES["J1551"], Fraction(950), Fraction(990), "sc", MEDICARE,
                                 TODAY, False, trail)
    assert [line.text for line in result] == ["J1551 JZ × 10"]
    assert any("round up past the 990 mg labeled" in n.message for n in trail.notices)
    quiet = Trail()
    billing.claim_lines(CODES["J1551"], Fraction(900), Fraction(990), "sc", MEDICARE, TODAY,
                        False, quiet)
    assert not any("round up past" in n.message for n in quiet.notices)


def test_jz_and_jw_dates_for_medicare() -> None:
    before_jz = dt.date(2023, 6, 30)
    assert lines("J1561", "21", "21", day=before_jz) == ["J1561 JA × 42"]
    assert lines("J1561", "21", "21", day=dt.date(2023, 7, 1)) == ["J1561 JA JZ × 42"]
    trail = Trail()
    old = billing.claim_lines(CODES["J1561"], Fraction(27300), Fraction(30000), "iv", MEDICARE,
                              dt.date(2016, 12, 31), False, trail)
    assert [line.text for line in old] == ["J1561 JA × 55"]
    assert any("5 discarded units are not billed" in n.message for n in trail.notices)


def test_home_infusion_profile_dates() -> None:
    home = CATALOG.payers["medicare-home"]
    assert lines("J1559", "10", "10", route="sc", payer=home,
                 day=dt.date(2024, 1, 1)) == ["J1559 JZ × 100"]
    assert lines("J1559", "9.5", "10", route="sc", payer=home,
                 day=dt.date(2024, 6, 1)) == ["J1559 × 95"]
    assert lines("J1559", "9.5", "10", route="sc", payer=home,
                 day=dt.date(2025, 1, 1)) == ["J1559 × 95", "J1559 JW × 5"]


def test_commercial_profile() -> None:
    assert lines("J1561", "21", "21", payer=COMMERCIAL) == ["J1561 JA × 42"]
    assert lines("J1561", "27.3", "30", payer=COMMERCIAL) == ["J1561 JA × 55", "J1561 JA JW × 5"]


def test_route_modifiers_only_for_dual_route_codes() -> None:
    assert lines("J1561", "10", "10", route="sc") == ["J1561 JB JZ × 20"]
    assert lines("J1569", "10", "10") == ["J1569 JA JZ × 20"]
    assert lines("J1459", "10", "10") == ["J1459 JZ × 20"]
    assert lines("J1555", "10", "10", route="sc") == ["J1555 JZ × 100"]


def test_kx_only_when_attested_and_used_by_the_payer() -> None:
    assert lines("J1561", "27.3", "30", kx=True) == ["J1561 JA KX × 55", "J1561 JA JW KX × 5"]
    trail = Trail()
    billing.claim_lines(CODES["J1561"], Fraction(21000), Fraction(21000), "iv", COMMERCIAL,
                        TODAY, True, trail)
    assert any("KX left off" in n.message for n in trail.notices)
    assert lines("J1561", "21", "21", payer=COMMERCIAL, kx=True) == ["J1561 JA × 42"]


def resolve(product: str, code: str | None, route: str = "iv", day: dt.date = TODAY):
    trail = Trail()
    resolved = billing.resolve_code(CATALOG, CATALOG.products[product], code, route, day, trail)
    return resolved.key, trail


def test_j1611_is_explained_not_billed() -> None:
    with pytest.raises(Refusal) as caught:
        resolve("gamunex-c", "J1611")
    message = str(caught.value)
    assert "J1611 is not an immune globulin code" in message
    assert "glucagon" in message
    assert "J1561" in message and "J1599" in message
    with pytest.raises(Refusal, match=r"^code: J1610 is not an immune globulin code: it is "
                                      r"Injection, glucagon .* For Privigen bill J1459"):
        resolve("privigen", "j1610")


def test_code_refusals_and_warnings() -> None:
    with pytest.raises(Refusal, match="J9999 is not in the catalog"):
        resolve("gamunex-c", "J9999")
    with pytest.raises(Refusal, match=r"J1559 is billed per 100 mg.*J1561 per 500 mg"):
        resolve("gamunex-c", "J1559")
    key, trail = resolve("gamunex-c", "J1599")
    assert key == "J1599"
    assert any("own code J1561" in n.message for n in trail.notices if n.level == "warning")


def test_alyglo_code_depends_on_the_date_of_service() -> None:
    assert resolve("alyglo", None, day=dt.date(2024, 12, 31))[0] == "J1599"
    assert resolve("alyglo", None, day=dt.date(2025, 1, 1))[0] == "J1552"
    with pytest.raises(Refusal, match="J1552 takes effect on 2025-01-01"):
        resolve("alyglo", "J1552", day=dt.date(2024, 6, 1))


def test_route_checked_against_the_product() -> None:
    with pytest.raises(Refusal, match="Hizentra is subcutaneous only"):
        billing.check_route(CATALOG.products["hizentra"], "iv")
    with pytest.raises(Refusal, match="Privigen is intravenous only"):
        billing.check_route(CATALOG.products["privigen"], "sc")
    billing.check_route(CATALOG.products["gamunex-c"], "sc")  # dual route: no refusal
