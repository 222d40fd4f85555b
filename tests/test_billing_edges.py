"""Claim lines on their edges: a dose exactly on a unit, one billable discarded unit, the
first day a payer takes JW or requires JZ, and every refusal of route and code (issue 16)."""

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from ivigcalc.billing import lines as billing
from ivigcalc.data.catalog import load
from ivigcalc.errors import Refusal
from ivigcalc.result import Trail

CATALOG = load().catalog
CODES = CATALOG.codes
PAYERS = CATALOG.payers
TODAY = dt.date(2026, 11, 28)


def lines(code: str, administered_mg: int, drawn_mg: int, *, route: str = "iv",
          payer: str = "medicare", day: dt.date = TODAY, kx: bool = False,
          trail: Trail | None = None, packaged: bool = False,
          site_340b: str | None = None) -> list[str]:
    result = billing.claim_lines(CODES[code], Fraction(administered_mg), Fraction(drawn_mg),
                                 route, PAYERS[payer], day, kx, trail or Trail(), packaged,
                                 site_340b)
    return [line.text for line in result]


@pytest.mark.parametrize(("administered_mg", "units"), [
    (27499, 55), (27500, 55), (27501, 56),  # exactly on 55 units, and either side
    (1, 1), (500, 1), (501, 2),
])
def test_administered_units_on_and_beside_a_unit_boundary(administered_mg: int,
                                                          units: int) -> None:
    assert billing.administered_units(Fraction(administered_mg), Fraction(500)) == units


def test_administered_units_take_fractions_of_a_milligram() -> None:
    assert billing.administered_units(Fraction(500001, 1000), Fraction(500)) == 2  # 500.001 mg


@pytest.mark.parametrize(("drawn_mg", "administered", "units"), [
    (28000, 55, 1),  # 56 labeled − 55
    (27999, 55, 0),  # 55.998 labeled rounds down to 55
    (28499, 55, 1),
    (28500, 55, 2),
    (990, 10, 0),  # 9.9 → 9 labeled, 10 administered: never below zero
])
def test_discarded_units_round_the_labeled_contents_down(drawn_mg: int, administered: int,
                                                        units: int) -> None:
    assert billing.discarded_units(Fraction(drawn_mg), administered, Fraction(500)
                                   if drawn_mg > 1000 else Fraction(100)) == units


def test_exactly_one_discarded_unit_is_a_jw_line() -> None:
    trail = Trail()
    assert lines("J1561", 27300, 28000, trail=trail) == ["J1561 JA × 55", "J1561 JA JW × 1"]
    assert any("1 discarded units ≥ 1" in s.text for s in trail.steps)


def test_exactly_one_discarded_unit_subcutaneous_carries_jb() -> None:
    assert lines("J1561", 27300, 28000, route="sc") == ["J1561 JB × 55", "J1561 JB JW × 1"]


def test_just_under_one_discarded_unit_is_jz() -> None:
    trail = Trail()
    assert lines("J1561", 27300, 27999, trail=trail) == ["J1561 JA JZ × 55"]
    jz = next(s.text for s in trail.steps if s.topic == "JZ")
    assert "699 mg discarded is less than one billing unit" in jz
    assert "requires JZ from 2023-07-01" in jz


def test_nothing_discarded_says_so() -> None:
    trail = Trail()
    assert lines("J1561", 27500, 27500, trail=trail) == ["J1561 JA JZ × 55"]
    assert any(s.topic == "JZ" and s.text.startswith("nothing discarded") for s in trail.steps)


def test_one_discarded_unit_where_the_payer_takes_no_jw() -> None:
    trail = Trail()
    day = dt.date(2024, 12, 31)  # the home-infusion profile takes JW from 2025-01-01
    assert lines("J1559", 9900, 10000, route="sc", payer="medicare-home", day=day,
                 trail=trail) == ["J1559 × 99"]
    assert any("1 discarded units are not billed" in n.message for n in trail.notices)


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2016, 12, 31), ["J1561 JA × 55"]),
    (dt.date(2017, 1, 1), ["J1561 JA × 55", "J1561 JA JW × 1"]),  # JW from this day
])
def test_first_day_medicare_takes_jw(day: dt.date, expected: list[str]) -> None:
    assert lines("J1561", 27300, 28000, day=day) == expected


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2023, 6, 30), ["J1561 JA × 55"]),
    (dt.date(2023, 7, 1), ["J1561 JA JZ × 55"]),  # JZ required from this day
])
def test_first_day_medicare_requires_jz(day: dt.date, expected: list[str]) -> None:
    assert lines("J1561", 27300, 27500, day=day) == expected


def test_no_jz_for_a_payer_that_does_not_require_it_even_with_nothing_wasted() -> None:
    assert lines("J1561", 27500, 27500, payer="commercial") == ["J1561 JA × 55"]


def test_kx_needs_both_the_attestation_and_the_payer() -> None:
    assert lines("J1561", 27300, 28000, kx=True) == ["J1561 JA KX × 55", "J1561 JA JW KX × 1"]
    assert lines("J1561", 27300, 28000, kx=False) == ["J1561 JA × 55", "J1561 JA JW × 1"]
    quiet = Trail()
    lines("J1561", 27500, 27500, kx=False, payer="commercial", trail=quiet)
    assert not any("KX" in n.message for n in quiet.notices)


def test_round_up_past_the_labeled_contents_note_only_when_it_does() -> None:
    # 9.9 units given from 9.9 labeled (0.99 g): ceil gives 10 > 9.9, said; 9 units is not.
    said = Trail()
    lines("J1551", 990, 990, route="sc", trail=said)
    assert any(n.message.startswith("The 10 administered units (1,000 mg) round up past the "
                                    "990 mg labeled in the vials opened") for n in said.notices)
    quiet = Trail()
    lines("J1551", 900, 990, route="sc", trail=quiet)
    lines("J1551", 1000, 1000, route="sc", trail=quiet)  # exactly 10 units of 1 g: no note
    assert not any("round up past" in n.message for n in quiet.notices)


# --- refusals ---------------------------------------------------------------------------


def test_a_route_that_is_not_a_route_is_refused() -> None:
    with pytest.raises(Refusal, match=r"^route: 'oral' is not accepted; accepts iv or sc$"):
        billing.check_route(CATALOG.products["gamunex-c"], "oral")
    with pytest.raises(Refusal, match=r"^route: Gamunex-C is intravenous or subcutaneous; it "
                       r"cannot be given or billed as intramuscular \(im\)$"):
        billing.check_route(CATALOG.products["gamunex-c"], "im")


def test_a_product_given_by_the_other_route_is_refused() -> None:
    with pytest.raises(Refusal, match=r"^route: Privigen is intravenous only; it cannot be "
                       r"given or billed as subcutaneous \(sc\)$"):
        billing.check_route(CATALOG.products["privigen"], "sc")


def resolve(product: str, code: str | None, route: str = "iv",
            day: dt.date = TODAY) -> tuple[str, Trail]:
    trail = Trail()
    resolved = billing.resolve_code(CATALOG, CATALOG.products[product], code, route, day, trail)
    return resolved.key, trail


def test_a_code_that_covers_only_the_other_route_is_refused() -> None:
    # J1459 (Privigen) is billed per 500 mg like Gamunex-C's J1561, but covers IV only.
    with pytest.raises(Refusal, match=r"^code: J1459 covers iv only, not sc$"):
        resolve("gamunex-c", "J1459", route="sc")
    assert resolve("gamunex-c", "J1459", route="iv")[0] == "J1459"


def test_another_products_code_warns_and_the_own_code_does_not() -> None:
    key, trail = resolve("gamunex-c", "j1459")  # typed lower-case
    assert key == "J1459"
    assert any("Gamunex-C has its own code J1561; J1459 was chosen instead" in n.message
               for n in trail.notices if n.level == "warning")
    key, own = resolve("gamunex-c", None)
    assert key == "J1561"
    assert not [n for n in own.notices if n.level == "warning"]


def test_a_code_after_it_ended_or_before_it_started_is_refused() -> None:
    with pytest.raises(Refusal, match=r"^code: J1552 takes effect on 2025-01-01, after the "
                       r"date of service 2024-12-31; Alyglo bills J1599$"):
        resolve("alyglo", "J1552", day=dt.date(2024, 12, 31))
    assert resolve("alyglo", "J1552", day=dt.date(2025, 1, 1))[0] == "J1552"


def test_the_explanation_of_a_non_ig_code_without_a_product() -> None:
    explained = billing.explain_non_ig(CODES["J1611"], None, TODAY)
    assert explained.startswith("J1611 is not an immune globulin code: it is ")
    assert "Bill the product's own immune globulin code; an IV liquid immune globulin " \
           "without a code of its own is J1599." in explained


def test_the_working_never_shows_negative_waste() -> None:
    # 0.95 g from one 0.99 g vial: 10 administered units, 9 labeled, so 0 discarded (not −1).
    trail = Trail()
    assert lines("J1551", 950, 990, route="sc", trail=trail) == ["J1551 JZ × 10"]
    steps = {s.topic: s.text for s in trail.steps}
    assert steps["Administered units"] == "ceil(950 mg ÷ 100 mg) = ceil(9.5) = 10"
    assert steps["Discarded units"] == "floor(990 mg ÷ 100 mg) − 10 = 9 − 10 = 0"


def test_the_working_names_the_route_modifier_and_kx_only_when_they_apply() -> None:
    dual = Trail()
    lines("J1561", 27300, 28000, kx=True, trail=dual)
    steps = {s.topic: s.text for s in dual.steps}
    assert steps["Route modifier"] == "J1561 covers IV and SC: JA (intravenous)"
    assert steps["KX"] == "documentation attested complete; the payer uses KX"
    single = Trail()
    lines("J1459", 27300, 28000, kx=False, trail=single)
    assert not {"Route modifier", "KX"} & {s.topic for s in single.steps}
    assert single.notices == []


def test_the_products_own_code_brings_no_notices() -> None:
    key, trail = resolve("gamunex-c", None)
    assert key == "J1561"
    assert trail.notices == []


# --- found missing by the mutation audit (issue 21 item 7) --------------------------------


@pytest.mark.parametrize(("drawn_mg", "waste"), [
    (27999, "699 mg, under one unit"),  # JZ for a separately paid code: not for a packaged one
    (27500, "nothing"),
    (28000, "one unit"),  # a JW line for a separately paid code: not for a packaged one
    (30000, "five units"),
])
def test_a_packaged_code_gets_neither_jz_nor_jw(drawn_mg: int, waste: str) -> None:
    # billing.opps finds a code packaged (Addendum B status N) and says so: one plain line.
    trail = Trail()
    assert lines("J1561", 27300, drawn_mg, payer="medicare-opps", trail=trail,
                 packaged=True) == ["J1561 JA × 55"], waste
    assert not {"JW", "JZ"} & {s.topic for s in trail.steps}
    assert not any("discarded units are not billed" in n.message for n in trail.notices)


def test_the_same_claims_when_separately_paid_carry_jz_or_jw() -> None:
    """The packaged test above against its twin: only `packaged` drops the modifier."""
    assert lines("J1561", 27300, 27999, payer="medicare-opps") == ["J1561 JA JZ × 55"]
    assert lines("J1561", 27300, 28000, payer="medicare-opps") == ["J1561 JA × 55",
                                                                   "J1561 JA JW × 1"]


def test_a_payer_that_does_not_require_jz_gets_no_jz_step() -> None:
    trail = Trail()
    assert lines("J1561", 27300, 27999, payer="commercial", trail=trail) == ["J1561 JA × 55"]
    assert "JZ" not in {s.topic for s in trail.steps}
    assert "JZ" not in " ".join(s.text for s in trail.steps)


def test_without_a_trail_the_lines_are_the_same_and_no_working_is_written() -> None:
    for drawn_mg in (27500, 27999, 28000, 30000):
        alone = billing.claim_lines(CODES["J1561"], Fraction(27300), Fraction(drawn_mg), "iv",
                                    PAYERS["medicare"], TODAY, False, None)
        worked = billing.claim_lines(CODES["J1561"], Fraction(27300), Fraction(drawn_mg),
                                     "iv", PAYERS["medicare"], TODAY, False, Trail())
        assert alone == worked


def test_a_site_code_marked_verify_says_to_check_it(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text("[codes.J1561]\nverify = true\n", encoding="utf-8")
    catalog = load(site).catalog
    trail = Trail()
    code = billing.resolve_code(catalog, catalog.products["gamunex-c"], None, "iv", TODAY, trail)
    assert code.key == "J1561"
    assert [(n.level, n.message) for n in trail.notices] == [
        ("note", "J1561 is newer than the 2020 CMS extract in the catalog: verify it against "
                 "the current CMS quarterly HCPCS file.")]
    assert resolve("gamunex-c", None)[1].notices == []  # the bundled row is not marked


@pytest.mark.parametrize(("payer", "packaged", "site_340b"), [
    ("medicare", False, None),  # not a 340B site
    ("medicare-opps", True, "JG"),  # a packaged line takes no 340B modifier
    ("commercial", False, "JG"),  # a payer that takes none
])
def test_the_working_names_the_340b_modifier_only_where_it_goes(
        payer: str, packaged: bool, site_340b: str | None) -> None:
    trail = Trail()
    lines("J1561", 27300, 30000, payer=payer, packaged=packaged, site_340b=site_340b,
          trail=trail)
    assert "340B" not in {s.topic for s in trail.steps}


def test_the_working_names_the_340b_modifier_where_it_goes() -> None:
    trail = Trail()
    assert lines("J1561", 27300, 30000, payer="medicare", site_340b="TB", trail=trail) == [
        "J1561 JA TB × 55", "J1561 JA JW TB × 5"]
    assert [s.text for s in trail.steps if s.topic == "340B"] == [
        "TB: a 340B-acquired, separately payable drug line (Medicare Part B (MAC), from "
        "2024-01-01)"]
