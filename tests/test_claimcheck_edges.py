"""The claim check on its edges: exactly one billable discarded unit, a bad line anywhere in
the claim, and the grams-per-day limits hit exactly (issue 16).

One discarded unit: 27.3 g of J1561 (55 units of 500 mg) from 20 + 5 + 3 × 1 g = 28 g,
whose labeled contents are 56 units, so floor(56) − 55 = 1 billable unit is discarded.
"""

import datetime as dt

import pytest

from ivigcalc.check.rules import CheckRequest, CheckResult, check, read
from ivigcalc.data.catalog import load

CATALOG = load().catalog
DAY = dt.date(2026, 1, 5)
ONE_UNIT = "20 g + 5 g + 3 x 1 g"  # 28 g = 56 units for 55 administered: 1 discarded
WASTE_5 = "3 x 10 g"  # 30 g = 60 units: 5 discarded
NO_WASTE = "10 g, 10 g, 5 g, 2.5 g"  # 27.5 g = 55 units: 0.2 g discarded, under one unit


def run(*lines: str, administered: str = "27.3 g", vials: str = ONE_UNIT,
        **options: object) -> CheckResult:
    options.setdefault("date_of_service", DAY)
    options.setdefault("product", "gamunex-c")
    return check(read(CheckRequest(administered=administered, vials=vials, lines=lines,
                              **options)), CATALOG)  # type: ignore[arg-type]


def errors(result: CheckResult) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in result.findings if f.severity == "error"]


def rules(result: CheckResult) -> list[tuple[str, str, int | None]]:
    return [(f.rule, f.severity, f.line) for f in result.findings]


# --- exactly one billable discarded unit ------------------------------------------------


def test_one_discarded_unit_is_a_jw_line_of_one() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 1")
    assert result.claim.discarded_units == 1
    assert [e.text for e in result.expected] == ["J1561 JA × 55", "J1561 JA JW × 1"]
    assert errors(result) == []


def test_jz_with_one_discarded_unit_is_an_error() -> None:
    result = run("J1561 JA JZ 55")
    assert errors(result) == [("jz-with-waste", 1)]
    jz = next(f for f in result.findings if f.rule == "jz-with-waste")
    assert "1 billable units were discarded" in jz.message


def test_one_discarded_unit_without_a_jw_line_is_jw_missing() -> None:
    result = run("J1561 JA 55")
    assert errors(result) == [("jw-missing", None)]
    jw = next(f for f in result.findings if f.rule == "jw-missing")
    assert "56 − 55 administered = 1 discarded" in jw.message
    assert "J1561 JA JW × 1" in jw.message


def test_55_plus_jw_2_against_56_labeled_units_is_an_error() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 2")
    assert errors(result) == [("over-labeled-contents", None)]
    finding = next(f for f in result.findings if f.rule == "over-labeled-contents")
    assert "55 + 2 = 57 units billed" in finding.message
    assert "at most 56 can be billed" in finding.message


def test_jw_2_with_54_administered_is_too_many_jw_units() -> None:
    # 54 + 2 = 56 fits the labeled contents, but only 1 unit was discarded.
    result = run("J1561 JA 54", "J1561 JA JW 2")
    assert errors(result) == [("units-rounding", 1), ("jw-too-many", 2)]
    finding = next(f for f in result.findings if f.rule == "jw-too-many")
    assert "JW bills 2 units" in finding.message
    assert "= 1 at most" in finding.message


def test_two_jw_lines_of_one_for_one_discarded_unit() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 1", "J1561 JA JW 1")
    assert ("duplicate-line", 3) in errors(result)
    assert ("over-labeled-contents", None) not in errors(result)  # the repeat is set aside


def test_jw_for_waste_under_one_unit_is_not_allowed() -> None:
    result = run("J1561 JA JZ 55", "J1561 JA JW 1", vials=NO_WASTE)
    assert errors(result) == [("jz-with-waste", 1), ("jw-not-allowed", 2)]
    finding = next(f for f in result.findings if f.rule == "jw-not-allowed")
    assert "less than one billing unit" in finding.message
    assert "the single line carries JZ" in finding.message


# --- a bad line first, in the middle and last: the lines after it are still checked -----

BAD_LINES = {
    "malformed": ("J1561 JA 55 junk junk", "malformed-line"),
    "unknown": ("J9999 55", "unknown-code"),
    "non-ig": ("J1611 1", "non-ig-code"),
    "unit-size": ("J1559 273", "unit-size-mismatch"),
    "duplicate": ("J1561 JA LT 55", "duplicate-line"),
}
# The claim proper, each line with a mistake of its own that must still be found: RT on
# the administered line, LT on the JW line. A duplicate repeats the administered line.
GOOD = ["J1561 JA LT 55", "J1561 JA JW RT 5"]


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
@pytest.mark.parametrize("where", [0, 1, 2])
def test_lines_after_a_bad_line_are_still_checked(kind: str, where: int) -> None:
    bad, rule = BAD_LINES[kind]
    lines = list(GOOD)
    lines.insert(where, bad)
    result = run(*lines, vials=WASTE_5)
    bad_number = where + 1
    if kind == "duplicate" and where == 0:
        bad_number = 2  # the first of two equal lines is the claim's; the second repeats it
    assert (rule, bad_number) in errors(result)
    good_numbers = [n for n in (1, 2, 3) if n != where + 1]
    if kind == "duplicate" and where == 0:
        good_numbers = [1, 3]
    laterality = sorted(n for r, n in errors(result) if r == "laterality-not-applicable")
    assert laterality == good_numbers
    # The good lines' units are read too: nothing is missing from the claim.
    assert not [r for r, _ in errors(result) if r in ("units-rounding", "jw-missing")]


def test_a_cpt_line_first_does_not_stop_the_check() -> None:
    result = run("96365 1", "J1561 JA 54", "J1561 JA JW 5", vials=WASTE_5)
    assert ("admin-minutes-not-given", "note", None) in rules(result)
    assert ("units-rounding", 2) in errors(result)


def test_jz_on_every_line_is_noted_on_every_line() -> None:
    # A payer that does not require JZ: each JZ line gets its own note, not only the first.
    result = run("J1561 JA JZ 50", "J1561 JA JZ 5", vials=NO_WASTE, payer="commercial")
    notes = [line for rule, severity, line in rules(result) if rule == "jz-not-required"]
    assert notes == [1, 2]


# --- the grams-per-day limits (limits.toml [default]: soft 140 g, hard 400 g) ----------


def dose_limit(result: CheckResult) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in result.findings if f.rule == "dose-limit"]


def test_dose_on_the_soft_limit_is_quiet() -> None:
    assert dose_limit(run("J1561 JA JZ 280", administered="140 g", vials="7 x 20 g")) == []


def test_dose_just_over_the_soft_limit_is_a_warning() -> None:
    found = dose_limit(run("J1561 JA JZ 282", administered="140.5 g",
                           vials="7 x 20 g, 1 g"))
    assert [severity for severity, _ in found] == ["warning"]
    assert "140.5 g in one day is above the soft limit of 140 g" in found[0][1]


def test_dose_on_the_hard_limit_is_only_a_warning() -> None:
    found = dose_limit(run("J1561 JA JZ 800", administered="400 g", vials="10 x 40 g"))
    assert [severity for severity, _ in found] == ["warning"]


def test_dose_over_the_hard_limit_is_an_error() -> None:
    result = run("J1561 JA 802", "J1561 JA JW 78", administered="401 g", vials="11 x 40 g")
    found = dose_limit(result)
    assert [severity for severity, _ in found] == ["error"]
    assert "401 g in one day is above the hard limit of 400 g" in found[0][1]
    assert "mg/g slip" in found[0][1]
    assert errors(result) == [("dose-limit", None)]
