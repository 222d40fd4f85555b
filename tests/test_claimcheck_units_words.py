"""The unit rules' findings word for word, where a slip in the arithmetic or a branch would
change only the words (issue 16): the working with and without rounding, nothing discarded
against less than one unit, the whole vials on one line, JZ where no JW line exists, one
discarded unit against a better plan, and the dose limits just above them.

Expected texts are worked from the rules by hand: 27.3 g ÷ 500 mg = 54.6 → 55 units;
3 × 10 g = 60 labeled units, so 60 − 55 = 5 discarded; 10 + 10 + 5 + 2.5 g = 27.5 g = 55
units, 0.2 g discarded (under one unit).
"""

import datetime as dt
from pathlib import Path

from ivigcalc.check.rules import CheckRequest, CheckResult, check, read
from ivigcalc.data.catalog import Catalog, load

CATALOG = load().catalog
DAY = dt.date(2026, 1, 5)
WASTE_5 = "3 x 10 g"
NO_WASTE = "10 g, 10 g, 5 g, 2.5 g"
MEDICARE = "Medicare Part B (MAC)"


def run(*lines: str, administered: str = "27.3 g", vials: str = WASTE_5,
        catalog: Catalog = CATALOG, **options: object) -> CheckResult:
    options.setdefault("date_of_service", DAY)
    options.setdefault("product", "gamunex-c")
    return check(read(CheckRequest(administered=administered, vials=vials, lines=lines,
                              **options)), catalog)  # type: ignore[arg-type]


def said(result: CheckResult, rule: str) -> list[tuple[int | None, str]]:
    return [(f.line, f.message) for f in result.findings if f.rule == rule]


def errors(result: CheckResult) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in result.findings if f.severity == "error"]


# --- the working: "rounded up" only when the division leaves a fraction ---------------


def test_no_administered_line_shows_the_rounding() -> None:
    assert said(run("J1561 JA JW 5"), "units-rounding") == [(None, (
        "No administered line for J1561: 27.3 g ÷ 500 mg = 54.6, rounded up to 55; "
        "bill J1561 JA × 55"))]


def test_a_half_unit_is_rounded_up_too() -> None:
    # 27.25 g ÷ 500 mg = 54.5 → 55; 30 g opened leaves 60 − 55 = 5.
    assert said(run("J1561 JA JW 5", administered="27.25 g"), "units-rounding") == [(None, (
        "No administered line for J1561: 27.25 g ÷ 500 mg = 54.5, rounded up to 55; "
        "bill J1561 JA × 55"))]


def test_a_whole_number_of_units_says_no_rounding() -> None:
    # Hizentra, 4 g ÷ 100 mg = exactly 40 units from one 4 g vial: JZ, nothing to round.
    result = run("J1561 JB 10", administered="4 g", vials="4 g", product="hizentra")
    assert said(result, "units-rounding") == [(None, (
        "No administered line for J1559: 4 g ÷ 100 mg = 40; bill J1559 JZ × 40"))]


# --- the whole vials billed as administered ---------------------------------------------


def test_whole_vials_on_the_administered_line_word_for_word() -> None:
    assert said(run("J1561 JA 60"), "units-rounding") == [(1, (
        "60 units billed, the whole 30 g opened: bill only the amount administered on line 1 "
        "(27.3 g ÷ 500 mg = 54.6, rounded up to 55) and the 5 discarded units on a separate "
        "line, J1561 JA JW × 5"))]


def test_whole_vials_with_jz_says_without_jz() -> None:
    assert said(run("J1561 JA JZ 60"), "units-rounding") == [(1, (
        "60 units billed, the whole 30 g opened: bill only the amount administered on line 1 "
        "without JZ (27.3 g ÷ 500 mg = 54.6, rounded up to 55) and the 5 discarded units on "
        "a separate line, J1561 JA JW × 5"))]


# --- JZ missing: nothing discarded, or less than one unit -------------------------------


def test_jz_missing_when_under_one_unit_was_discarded() -> None:
    assert said(run("J1561 JA 55", vials=NO_WASTE), "jz-missing") == [(1, (
        f"The 0.2 g discarded is less than one billing unit, and {MEDICARE} requires JZ "
        "from 2023-07-01: J1561 JA JZ × 55"))]


def test_jz_missing_when_nothing_was_discarded() -> None:
    assert said(run("J1561 JA 55", administered="27.5 g", vials=NO_WASTE), "jz-missing") == [
        (1, f"Nothing was discarded, and {MEDICARE} requires JZ from 2023-07-01: "
            "J1561 JA JZ × 55")]


def test_jz_missing_over_two_lines_names_both() -> None:
    result = run("J1561 JA 50", "J1561 JA 5", administered="27.5 g", vials=NO_WASTE)
    assert said(result, "jz-missing") == [
        (None, f"Nothing was discarded on lines 1 and 2, and {MEDICARE} requires JZ from "
               "2023-07-01: J1561 JA JZ × 55")]


# --- JW where nothing billable was discarded ---------------------------------------------


def test_jw_when_nothing_was_discarded() -> None:
    result = run("J1561 JA JZ 55", "J1561 JA JW 1", administered="27.5 g", vials=NO_WASTE)
    assert said(result, "jw-not-allowed") == [(2, (
        "Nothing was discarded, so JW is not permitted and the single line carries JZ: "
        "J1561 JA JZ × 55"))]
    # JW and JZ never both on one claim: the JZ line is named too. 55 + 0 billable units
    # are neither over the labeled contents nor too many JW units.
    assert errors(result) == [("jz-with-waste", 1), ("jw-not-allowed", 2)]


def test_jz_beside_jw_lines_names_them() -> None:
    assert said(run("J1561 JA JZ 55", "J1561 JA JW 5"), "jz-with-waste") == [
        (1, "JZ says nothing was discarded, but line 2 bills JW")]
    assert said(run("J1561 JA JZ 55", "J1561 JA JW 3", "J1561 JA JW 2"), "jz-with-waste") == [
        (1, "JZ says nothing was discarded, but lines 2 and 3 bill JW")]


def test_jw_under_one_unit_where_jz_is_not_required() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 1", vials=NO_WASTE, payer="commercial")
    assert said(result, "jw-not-allowed") == [(2, (
        "The 0.2 g discarded is less than one billing unit (500 mg), so JW is not "
        "permitted: J1561 JA × 55"))]


def test_a_unit_moved_to_jw_when_nothing_was_discarded_is_not_jw_too_many() -> None:
    """54 + JW 1 for 55 administered, nothing discarded: the administered line is short and
    JW is not allowed; "too many JW units" is for billable waste that is over-billed."""
    result = run("J1561 JA 54", "J1561 JA JW 1", administered="27.5 g", vials=NO_WASTE)
    assert errors(result) == [("units-rounding", 1), ("jz-missing", 1), ("jw-not-allowed", 2)]


def test_jw_on_a_site_payer_that_takes_no_jw(tmp_path: Path) -> None:
    """A site profile that turned JW off keeps its old start date; JW applies on no date."""
    site = tmp_path / "site.toml"
    site.write_text("[payers.commercial]\njw = false\njw_from = 2020-01-01\n", encoding="utf-8")
    result = run("J1561 JA 55", "J1561 JA JW 5", payer="commercial", catalog=load(site).catalog)
    assert [e.text for e in result.expected] == ["J1561 JA × 55"]
    assert said(result, "jw-not-allowed") == [(2, (
        "Commercial (generic profile) takes JW lines on no date; the date of service is "
        "2026-01-05. Discarded units are not billed"))]


# --- JZ on a claim with billable waste: where the waste goes -----------------------------


def test_jz_with_waste_points_to_the_jw_line() -> None:
    assert said(run("J1561 JA JZ 55"), "jz-with-waste") == [(1, (
        "JZ says nothing was discarded, but 3 × 10 g = 30 g opened holds 60 units: 5 billable "
        "units were discarded; drop JZ and bill them on J1561 JA JW × 5"))]


def test_jz_with_waste_where_the_payer_takes_no_jw_yet() -> None:
    """Medicare home infusion takes JW from 2025-01-01: in June 2024 the 5 discarded units
    are not billed, so the advice is the one administered line, not a line to put them on."""
    result = run("J1561 JA JZ 55", payer="medicare-home", date_of_service=dt.date(2024, 6, 3))
    assert [e.text for e in result.expected] == ["J1561 JA × 55"]
    assert said(result, "jz-with-waste") == [(1, (
        "JZ says nothing was discarded, but 3 × 10 g = 30 g opened holds 60 units: 5 billable "
        "units were discarded; drop JZ and bill J1561 JA × 55 (no JW line here, so they are "
        "not billed)"))]


# --- one discarded unit where the best plan discards none -------------------------------


def test_one_discarded_unit_from_a_worse_plan_is_a_vial_warning() -> None:
    # 20 + 5 + 3 × 1 g = 28 g = 56 units: 1 discarded; 20 + 5 + 2.5 g = 27.5 g discards none.
    result = run("J1561 JA 55", "J1561 JA JW 1", vials="20 g + 5 g + 3 x 1 g")
    assert [(f.rule, f.severity) for f in result.findings] == [("non-optimal-vials", "warning")]
    text = said(result, "non-optimal-vials")[0][1]
    assert text.startswith("1 × 20 g + 1 × 5 g + 3 × 1 g (28 g) leaves 1 unit discarded; "
                           "1 × 20 g + 1 × 5 g + 1 × 2.5 g (27.5 g) covers 27.3 g with none "
                           "discarded, 1 unit less waste")


# --- the dose limits (limits.toml [default]: soft 140 g, hard 400 g), 0.1 g above -------


def test_a_tenth_of_a_gram_over_the_soft_limit_is_a_warning() -> None:
    # 140.1 g → 280.2 → 281 units; 141 g opened = 282 units: 1 discarded.
    result = run("J1561 JA 281", "J1561 JA JW 1", administered="140.1 g", vials="7 x 20 g, 1 g")
    assert [(f.severity, f.message) for f in result.findings if f.rule == "dose-limit"] == [
        ("warning", "140.1 g in one day is above the soft limit of 140 g: payers query doses "
                    "beyond what is reasonable; keep the order and weight on file")]


def test_a_tenth_of_a_gram_over_the_hard_limit_is_an_error() -> None:
    # 400.1 g → 800.2 → 801 units; 401 g opened = 802 units: 1 discarded.
    result = run("J1561 JA 801", "J1561 JA JW 1", administered="400.1 g",
                 vials="10 x 40 g, 1 g")
    assert errors(result) == [("dose-limit", None)]
    assert said(result, "dose-limit") == [(None, (
        "400.1 g in one day is above the hard limit of 400 g: check the amount (mg/g slip?) "
        "before the claim goes out"))]
