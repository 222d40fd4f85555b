"""A vial's NDCs are those of its date's crosswalk, and the check's expected lines carry a
right one (never an NDC it has just flagged).

Real quarters: Alyglo's NDCs appear in CMS's crosswalk from 2025-Q1. No IG NDC was withdrawn
between 2024-Q1 and 2026-Q1, so a withdrawal is tested on a synthetic 2026-Q2 (CMS's 2026-Q1
files with 13533-0800-71 removed, marked synthetic in its file names).
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from cms_slices import synthetic_quarter
from helpers import run_cli

from ivigcalc import render
from ivigcalc.calc import CalcRequest, calculate
from ivigcalc.data.catalog import Catalog, load

CATALOG = load().catalog
CHECK = ["check", "--product", "gamunex-c", "--date", "2025-11-03"]


def expected_lines(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    code, out, err = run_cli(capsys, *args, "--format", "json")
    assert code in (0, 1), err
    return [e["text"] for e in json.loads(out)["expected_lines"]]


def test_a_flagged_ndc_is_replaced_by_the_products_own(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    """The issue's example: Privigen's NDC billed on a Gamunex-C claim."""
    code, out, _ = run_cli(capsys, *CHECK, "--administered", "27.3 g", "--vials", "3 x 10 g",
                           "--line", "J1561 JA 55 N444206043820 UN3")
    assert code == 1
    assert "Expected lines:\n  J1561 JA × 55  N413533080071 UN3\n  J1561 JA JW × 5\n" in out
    assert "N444206043820" not in out.split("Expected lines:")[1]
    assert ("ndc-code-mismatch: NDC 44206-0438-20 (Privigen) bills under J1459 in CMS's "
            "2025-Q4 crosswalk, not J1561; NDCs valid on 2025-11-03 for the vials opened: "
            "10 g 13533-0800-71") in out


def test_a_valid_billed_ndc_is_kept(capsys: pytest.CaptureFixture[str]) -> None:
    assert expected_lines(capsys, *CHECK, "--administered", "27.3 g", "--vials", "3 x 10 g",
                          "--line", "J1561 JA 55 N413533080071 UN3",
                          "--line", "J1561 JA JW 5 N413533080071 UN3") == [
        "J1561 JA × 55  N413533080071 UN3", "J1561 JA JW × 5  N413533080071 UN3"]


def test_several_sizes_opened_carry_one_n4_each(capsys: pytest.CaptureFixture[str]) -> None:
    """27.5 g from 20 + 5 + 2.5 g: the billed 20 g NDC, and CMS's 5 g and 2.5 g NDCs of the
    same labeler, as `calc --format claim` prints them."""
    lines = expected_lines(capsys, *CHECK, "--administered", "27.5 g", "--vials",
                           "1 x 20 g, 1 x 5 g, 1 x 2.5 g",
                           "--line", "J1561 JA JZ 55 N413533080024 UN1")
    assert lines == ["J1561 JA JZ × 55  N413533080024 UN1  N413533080020 UN1  "
                     "N413533080015 UN1"]
    code, claim, _ = run_cli(capsys, "calc", "--weight", "55 kg", "--dose", "0.5 g/kg",
                             "--product", "gamunex-c", "--date", "2025-11-03", "--format",
                             "claim")
    assert code == 0
    assert [line for line in claim.splitlines() if "N4" in line] == [
        "N413533080024 UN1", "Item 19: N413533080020 UN1 N413533080015 UN1"]


def test_the_billed_labeler_is_kept_for_another_size(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    """Cutaquig has Pfizer (00069) and Octapharma (68982) NDCs for each size: an Octapharma
    2 g NDC billed for a 4 g vial becomes Octapharma's 4 g NDC, not Pfizer's."""
    lines = expected_lines(capsys, "check", "--product", "cutaquig", "--date", "2025-11-03",
                           "--administered", "4 g", "--vials", "1 x 4 g",
                           "--line", "J1551 JZ 40 N468982081003 UN1")
    assert lines == ["J1551 JZ × 40  N468982081005 UN1"]


def test_a_new_ndc_appears_from_its_quarter() -> None:
    """Alyglo: no NDC in CMS's crosswalk until 2025-Q1 (billed under J1599 before)."""
    def n4(day: dt.date) -> tuple[str, ...]:
        result = calculate(CalcRequest(weight="70 kg", dose="0.5 g/kg", product="alyglo",
                                       date_of_service=day), CATALOG)
        return tuple(line.text for line in result.days[0].ndc_lines)

    assert n4(dt.date(2024, 11, 1)) == ()
    assert n4(dt.date(2025, 2, 3)) == ("N461476010420 UN1", "N461476010410 UN1",
                                       "N461476010405 UN1")
    early = calculate(CalcRequest(weight="70 kg", dose="0.5 g/kg", product="alyglo",
                                  date_of_service=dt.date(2024, 11, 1)), CATALOG)
    assert "CMS's 2024-Q4 crosswalk lists no NDC for Alyglo: no N4 line can be made." in \
        early.notes


@pytest.fixture(scope="module")
def withdrawn(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The bundled history plus a synthetic 2026-Q2 without Gamunex-C 10 g (13533-0800-71)."""
    folder = tmp_path_factory.mktemp("synthetic")
    files = synthetic_quarter(folder / "q", drop=["13533-0800-71"])
    site = folder / "site.toml"
    from ivigcalc.cli.main import main

    assert main(["catalog", "import-cms", *map(str, files), "--output", str(site),
                 "--checked", "2026-12-01"]) == 0
    return load(site).catalog


def test_a_withdrawn_ndc_is_not_put_on_a_claim_dated_after_it(withdrawn: Catalog) -> None:
    def order(day: dt.date):
        return calculate(CalcRequest(weight="78 kg", dose="350 mg/kg", product="gamunex-c",
                                     vials="10 g", date_of_service=day), withdrawn)

    before = order(dt.date(2026, 2, 2))
    assert [line.text for line in before.days[0].ndc_lines] == ["N413533080071 UN3"]
    after = order(dt.date(2026, 5, 4))
    assert after.days[0].ndc_lines == () and after.days[0].ndcs_of(10000) == ()
    assert ("Gamunex-C 10 g: no NDC in CMS's 2026-Q2 crosswalk, the quarter of 2026-05-04: no "
            "N4 line can be made for it. Check the NDC on the vial: an NDC withdrawn by CMS "
            "is not billed after its last quarter.") in after.warnings
    assert "no NDC in CMS's 2026-Q2 crosswalk for 10 g of Gamunex-C" in \
        render.summary_text(after)


def test_a_course_into_the_withdrawing_quarter_warns_for_its_dates(withdrawn: Catalog) -> None:
    result = calculate(CalcRequest(weight="78 kg", dose="350 mg/kg", product="gamunex-c",
                                   vials="10 g", days=2, date_of_service=dt.date(2026, 3, 31)),
                       withdrawn)
    first, second = result.days
    assert [n.text for n in first.ndc_lines] == ["N413533080071 UN3"] and \
        second.ndc_lines == ()
    assert sum("no NDC in CMS's 2026-Q2 crosswalk" in w for w in result.warnings) == 1


def test_the_check_flags_a_withdrawn_ndc_and_expects_none_for_that_size(
        withdrawn: Catalog, tmp_path: Path) -> None:
    from ivigcalc.check.record import read
    from ivigcalc.check.rules import CheckRequest, check

    def run(day: dt.date):
        request = CheckRequest(date_of_service=day, administered="27.3 g", vials="3 x 10 g",
                               lines=("J1561 JA 55 N413533080071 UN3",
                                      "J1561 JA JW 5 N413533080071 UN3"),
                               product="gamunex-c")
        return check(read(request), withdrawn)

    ok = run(dt.date(2026, 2, 2))
    assert not [f for f in ok.findings if f.rule.startswith("ndc")]
    late = run(dt.date(2026, 5, 4))
    (flag, _) = [f for f in late.findings if f.rule == "ndc-code-mismatch"]
    assert flag.message.startswith("NDC 13533-0800-71 is not in CMS's 2026-Q2 ASP NDC-HCPCS "
                                   "crosswalk under J1561")
    assert flag.message.endswith("; NDCs valid on 2026-05-04 for the vials opened: 10 g none "
                                 "in CMS's 2026-Q2 crosswalk")
    assert [e.text for e in late.expected] == ["J1561 JA × 55", "J1561 JA JW × 5"]
