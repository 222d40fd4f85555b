"""Labeled sizes CMS lists no NDC for (Panzyga 1 g, Octagam 5% 25 g, Gammaked 1 g and
2.5 g): accepted when stocked, never among the default sizes, with a note that no N4 line
can be made."""

import datetime as dt
from fractions import Fraction

import pytest
from helpers import run_cli

from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data.catalog import load
from ivigcalc.errors import InputError

CATALOG = load().catalog
DAY = dt.date(2025, 11, 3)


@pytest.mark.parametrize(("product", "sizes_g"), [
    ("panzyga", [1]), ("octagam-5", [25]), ("gammaked", [1, Fraction(5, 2)])])
def test_the_labeled_sizes_are_known_and_not_default(product: str, sizes_g: list) -> None:
    row = CATALOG.products[product]
    assert sorted(row.labeled_sizes_mg) == [Fraction(s) * 1000 for s in sizes_g]
    assert not set(row.labeled_sizes_mg) & set(row.vial_sizes_mg)
    assert row.labeled_sizes_source.startswith("FDA prescribing information")
    history = CATALOG.cms_history
    assert history is not None
    for label in history.labels:  # absent from every crosswalk 2024-Q1 ... 2026-Q1
        cms = history[label]
        unit = CATALOG.codes[row.code_on(cms.effective)].unit_mg
        for size in row.labeled_sizes_mg:
            assert cms.ndcs_for(product, row.code_on(cms.effective), unit, size) == ()


def test_calc_accepts_a_stocked_labeled_size_with_a_note() -> None:
    result = calculate(CalcRequest(weight="71 kg", dose="1 g/kg", product="panzyga",
                                   vials="1 g, 10 g, 20 g", date_of_service=DAY), CATALOG)
    (day,) = result.days
    assert day.plan.vials == ((20000, 3), (10000, 1), (1000, 1))
    assert [line.text for line in day.claim_lines] == ["J1576 JZ × 142"]
    assert [line.size_mg for line in day.ndc_lines] == [20000, 10000]  # none for 1 g
    assert ("Panzyga 1 g: a labeled size with no NDC in CMS's crosswalk, so no N4 line can "
            "be made for it; the HCPCS lines stand.") in result.notes
    assert not any("no NDC" in w for w in result.warnings)
    default = calculate(CalcRequest(weight="71 kg", dose="1 g/kg", product="panzyga",
                                    date_of_service=DAY), CATALOG)
    assert all(size != 1000 for size, _ in default.days[0].plan.vials)


def test_a_size_on_no_label_is_still_refused_naming_the_labeled_ones() -> None:
    with pytest.raises(InputError) as caught:
        calculate(CalcRequest(weight="71 kg", dose="1 g/kg", product="gammaked",
                              vials="3 g", date_of_service=DAY), CATALOG)
    assert "3 g is not a size of Gammaked (sizes: 5 g, 10 g, 20 g; labeled, without a CMS " \
           "NDC: 1 g, 2.5 g)" in str(caught.value)


def test_the_check_accepts_it_with_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "check", "--product", "octagam-5", "--date", "2025-11-03",
                             "--administered", "25 g", "--vials", "1 x 25 g",
                             "--line", "J1568 JZ 50")
    assert code == 0, err
    assert "labeled-size-no-ndc: Octagam 5% 25 g: a labeled size with no NDC in CMS's " \
           "crosswalk, so no N4 line can be made for it" in out
    assert "Expected lines:\n  J1568 JZ × 50\n" in out
