"""The claim check's plumbing on its edges (issue 16): which billed line an expected line
takes its NDC from, what a slip's finding replaces, the order of findings on a long claim,
the words of a unit-size mismatch, and the OPPS-packaged code where no waste is billed.

Every expected value is worked from the rules (domain: units = ceil(administered ÷ unit);
discarded = floor(labeled ÷ unit) − administered; JW on its own line when 1 or more;
packaged OPPS codes bill neither JW nor the waste), not read off the program.
"""

import dataclasses
import datetime as dt

import pytest

from ivigcalc.check.rules import CheckRequest, CheckResult, check, read
from ivigcalc.data.catalog import load

CATALOG = load().catalog
DAY = dt.date(2026, 1, 5)
WASTE_5 = "3 x 10 g"  # 30 g = 60 units for 27.3 g = 55 units: 5 discarded
NDC_10G = "N413533080071 UN3"  # Gamunex-C 10 g / 100 mL (CMS crosswalk), three vials


def run(*lines: str, administered: str = "27.3 g", vials: str = WASTE_5,
        **options: object) -> CheckResult:
    options.setdefault("date_of_service", DAY)
    options.setdefault("product", "gamunex-c")
    return check(read(CheckRequest(administered=administered, vials=vials, lines=lines,
                              **options)), CATALOG)  # type: ignore[arg-type]


def rules(result: CheckResult) -> list[tuple[str, str, int | None]]:
    return [(f.rule, f.severity, f.line) for f in result.findings]


def message(result: CheckResult, rule: str) -> str:
    return " | ".join(f.message for f in result.findings if f.rule == rule)


# --- the NDC on the expected lines: the first billed line that carries one -------------


def test_the_administered_ndc_comes_from_a_later_line_when_the_first_has_none() -> None:
    result = run("J1561 JA 50", f"J1561 JA 5 {NDC_10G}", "J1561 JA JW 5")
    assert [e.text for e in result.expected] == [f"J1561 JA × 55  {NDC_10G}",
                                                 "J1561 JA JW × 5"]


def test_the_jw_ndc_comes_from_a_later_jw_line_when_the_first_has_none() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 3", f"J1561 JA JW 2 {NDC_10G}")
    assert [e.text for e in result.expected] == ["J1561 JA × 55",
                                                 f"J1561 JA JW × 5  {NDC_10G}"]


# --- the lines counted as the claim's own: only its code -------------------------------


def test_another_products_code_is_not_counted_as_administered_or_discarded() -> None:
    """J1459 (Privigen) for Gamunex-C: each line is the wrong code, and J1561's own lines
    are then missing, both the administered 55 units and the JW line of 5."""
    result = run("J1459 55", "J1459 JW 5")
    assert [r for r in rules(result) if r[1] == "error"] == [
        ("wrong-product-code", "error", 1), ("wrong-product-code", "error", 2),
        ("units-rounding", "error", None), ("jw-missing", "error", None)]
    assert "No administered line for J1561" in message(result, "units-rounding")
    assert "60 − 55 administered = 5 discarded units" in message(result, "jw-missing")


# --- a slip's finding replaces only its own line's split warning -----------------------


def test_a_slip_leaves_a_real_repeat_elsewhere_reported() -> None:
    result = run("J1561 JA 55", "J1561 JA 55", "J1561 JA RT 5")
    assert [r for r in rules(result) if r[1] == "error"] == [
        ("duplicate-line", "error", 2), ("jw-missing", "error", 3)]
    assert message(result, "duplicate-line").startswith("Repeats line 1 (J1561 JA × 55)")


def test_a_slip_keeps_the_other_findings_on_its_line() -> None:
    """The NDC written in label form on the slipped line is still shown as 11 digits."""
    result = run("J1561 JA 55", "J1561 JA 5 N413533-800-71 UN3")
    assert [r for r in rules(result) if r[0] != "non-optimal-vials"] == [
        ("jw-missing", "error", 2), ("ndc-format", "note", 2)]


@pytest.mark.parametrize(("slipped", "where", "why"), [
    ("J1561 JA RT 5", "with RT where JW belongs",
     " (RT/LT mark the side of a paired body part; they never apply to an infusion)"),
    ("J1561 JA 5", "without JW", ""),
    ("J1561 JA JZ 5", "with JZ where JW belongs", " (JZ says nothing was discarded)"),
])
def test_a_slip_says_the_jw_line_it_should_be(slipped: str, where: str, why: str) -> None:
    result = run("J1561 JA 55", slipped)
    shown = slipped.replace(" 5", " × 5")
    assert message(result, "jw-missing") == (
        f"Line 2 ({shown}) bills the 5 discarded units {where}{why}: "
        "bill it as J1561 JA JW × 5")


# --- the order of findings on a claim longer than any test's few lines -----------------


def test_claim_wide_findings_come_after_every_numbered_line_of_a_long_claim() -> None:
    """95 lines: the JW line and 94 repeats of it. The missing administered line is about
    the claim as a whole, so it follows the repeats, however many lines there are."""
    result = run(*["J1561 JA JW 5"] * 95)
    errors = [(f.rule, f.line) for f in result.findings if f.severity == "error"]
    assert errors == [*(("duplicate-line", n) for n in range(2, 96)),
                      ("units-rounding", None)]
    assert result.count("error") == 95


# --- results cannot be changed once made (a batch reuses them) -------------------------


def test_results_and_expected_lines_are_frozen() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 5")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.findings = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.expected[0].ndc = None  # type: ignore[misc]


# --- a unit-size mismatch names the kind of product ------------------------------------


def test_a_scig_code_for_an_ivig_product_says_ivig() -> None:
    assert message(run("J1559 JA 273"), "unit-size-mismatch") == (
        "J1559 is billed per 100 mg (Injection, immune globulin (Hizentra), 100 mg). "
        "Gamunex-C is an IVIG product, billed per 500 mg under J1561: 27.3 g is 55 units "
        "of J1561, not 273 units of J1559")


def test_an_ivig_code_for_a_scig_product_says_scig() -> None:
    # 4 g is 40 units of 100 mg; under 500 mg it would be ceil(8) = 8 units.
    text = message(run("J1561 JB 10", administered="4 g", vials="4 g", product="hizentra"),
                   "unit-size-mismatch")
    assert "Hizentra is a SCIG product, billed per 100 mg under J1559" in text
    assert text.endswith("4 g is 40 units of J1559, not 8 units of J1561")


def test_a_unit_size_mismatch_by_code_alone_names_the_claims_code() -> None:
    text = message(run("J1559 JA 273", product=None, code="J1561"), "unit-size-mismatch")
    assert "The claim's code is billed per 500 mg under J1561" in text
    assert "27.3 g is 55 units of J1561, not 273 units of J1559" in text


# --- the lines a packaged code carries: no waste line, and no slip ----------------------
# Bivigam (J1556) is status N in the 2025 OPPS files: one line of 55, the waste not billed.

OPPS = {"product": "bivigam", "payer": "medicare-opps", "date_of_service": dt.date(2025, 6, 2),
        "vials": "6 x 5 g"}


def test_packaged_code_expects_one_line_and_no_jw() -> None:
    result = run("J1556 55", **OPPS)
    assert [e.text for e in result.expected] == ["J1556 × 55"]
    assert result.findings == ()


def test_packaged_code_with_a_jw_line_is_jw_not_allowed() -> None:
    result = run("J1556 55", "J1556 JW 5", **OPPS)
    assert rules(result) == [("jw-not-allowed", "error", 2)]


def test_packaged_code_waste_on_a_line_of_its_own_is_not_a_missing_jw() -> None:
    """The 5 discarded units are not billed at all under a packaged code, so a line of 5
    is 5 units too many, not a JW line that lost its JW."""
    result = run("J1556 55", "J1556 5", **OPPS)
    assert [r for r in rules(result) if r[1] == "error"] == [("units-rounding", "error", None)]
    assert message(result, "units-rounding") == (
        "60 units billed on lines 1 and 2, more than administered; "
        "27.3 g ÷ 500 mg = 54.6, rounded up to 55")


def test_packaged_code_whole_vials_on_one_line_is_too_many_units() -> None:
    """60 units (all 30 g opened) on one line: the advice is 55, never a JW line."""
    result = run("J1556 60", **OPPS)
    assert rules(result) == [("units-rounding", "error", 1)]
    assert message(result, "units-rounding") == (
        "60 units billed, more than administered; 27.3 g ÷ 500 mg = 54.6, rounded up to 55")
