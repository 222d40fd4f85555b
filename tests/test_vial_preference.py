"""Fewer vials when waste is near (issue 24 item 8): a site's vial_preference_units."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from fractions import Fraction as F
from pathlib import Path

import pytest
from helpers import CATALOG, run_cli

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.check.rules import CheckRequest, check, read
from ivigcalc.data.catalog import load
from ivigcalc.dose import vials
from ivigcalc.errors import CatalogError, InputError

SIZES = (F(1000), F(2500), F(5000), F(10000), F(20000), F(40000))  # Gamunex-C
DAY = dt.date(2026, 1, 5)


def site(tmp_path: Path, units: int, editable: bool = False) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(f'[catalog]\nname = "Test site"\nvial_preference_units = {units}\n'
                    f"vial_preference_editable = {'true' if editable else 'false'}\n",
                    encoding="utf-8")
    return path


def test_zero_is_todays_rule_and_the_fewer_vials_plan_is_offered_beside_it() -> None:
    # 8.02 g: least waste 5 + 2.5 + 1 g (3 vials, 0 units discarded); 10 g discards 3 units.
    chosen = vials.plan_preferring(F(8020), SIZES, F(500), 0)
    assert chosen.plan == vials.plan_vials(F(8020), SIZES) and chosen.extra_units == 0
    assert chosen.other is not None and chosen.other.vials == ((F(10000), 1),)
    assert chosen.other_extra_units == 3


def test_fewer_vials_within_the_allowance_and_not_beyond() -> None:
    assert vials.plan_preferring(F(8020), SIZES, F(500), 2).plan.vial_count == 3
    preferred = vials.plan_preferring(F(8020), SIZES, F(500), 3)
    assert preferred.plan.vials == ((F(10000), 1),) and preferred.extra_units == 3
    assert preferred.other == vials.plan_vials(F(8020), SIZES)  # least waste, shown beside
    with pytest.raises(InputError, match="accepts a whole number from 0 to 50"):
        vials.plan_preferring(F(8020), SIZES, F(500), 51)


def test_a_site_catalog_sets_it_and_calc_notes_the_extra_waste(tmp_path: Path) -> None:
    catalog = load(site(tmp_path, 5)).catalog
    assert catalog.vial_preference_units == 5 and not catalog.vial_preference_editable
    request = CalcRequest(weight="80.2 kg", dose="0.1 g/kg", product="gamunex-c",
                          date_of_service=DAY)
    result = calculate(request, catalog)
    assert result.days[0].plan.vials == ((F(10000), 1),)
    summary = render.summary_text(result)
    assert "Fewer vials by the site's preference: 1 vial instead of 3, 3 more units " \
           "discarded than the least waste (vial_preference_units = 5)" in summary
    assert render.as_dict(result)["vial_preference"]["other_plan"]["vial_count"] == 3
    assert calculate(request, CATALOG).days[0].plan.vial_count == 3  # bundled: least waste
    own = calculate(dataclasses.replace(request, vial_preference_units=0), catalog)
    assert own.days[0].plan.vial_count == 3


def test_json_carries_the_preference(capsys: pytest.CaptureFixture[str],
                                     tmp_path: Path) -> None:
    code, out, _ = run_cli(capsys, "calc", "--weight", "80.2 kg", "--dose", "0.1 g/kg",
                           "--product", "gamunex-c", "--date", "2026-01-05", "--catalog",
                           str(site(tmp_path, 5)), "--format", "json")
    assert code == 0
    assert json.loads(out)["vial_preference"] == {
        "units": 5, "extra_units": 3, "other_plan": {
            "vials": [{"size_mg": 5000.0, "count": 1}, {"size_mg": 2500.0, "count": 1},
                      {"size_mg": 1000.0, "count": 1}], "vial_count": 3, "extra_units": 0}}


def test_a_bad_setting_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="vial_preference_units"):
        load(site(tmp_path, 99))


def test_the_claim_check_notes_the_sites_setting_instead_of_warning(tmp_path: Path) -> None:
    request = CheckRequest(administered="8.02 g", vials="10 g", lines=("J1561 JA JZ 17",
                           "J1561 JA JW 3"), product="gamunex-c", date_of_service=DAY)
    plain = check(read(request), CATALOG)
    assert [(f.severity, f.rule) for f in plain.findings
            if f.rule == "non-optimal-vials"] == [("warning", "non-optimal-vials")]
    noted = check(read(request), load(site(tmp_path, 3)).catalog)
    found = [f for f in noted.findings if f.rule == "non-optimal-vials"]
    assert [f.severity for f in found] == ["note"]
    assert "vial_preference_units = 3" in found[0].message
    beyond = check(read(request), load(site(tmp_path, 2)).catalog)
    assert [f.severity for f in beyond.findings if f.rule == "non-optimal-vials"] == [
        "warning"]
