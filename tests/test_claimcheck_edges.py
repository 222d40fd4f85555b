"""The claim check on its edges: exactly one billable discarded unit, a bad line anywhere in
the claim, and the grams-per-day limits hit exactly (issue 16).

One discarded unit: 27.3 g of J1561 (55 units of 500 mg) from 20 + 5 + 3 × 1 g = 28 g,
whose labeled contents are 56 units, so floor(56) − 55 = 1 billable unit is discarded.
"""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from ivigcalc.check.facts import Quantities
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


@pytest.mark.parametrize(("administered", "vials", "billed"), [
    ("1200 g", "60 x 20 g", ("J1561 JA JZ 2400",)),  # nothing discarded
    ("1190 g", "60 x 20 g", ("J1561 JA 2380", "J1561 JA JW 20")),  # 20 units discarded
    ("1000.5 g", "51 x 20 g", ("J1561 JA 2001", "J1561 JA JW 39")),
])
def test_a_dose_beyond_any_days_vial_plan_is_a_dose_limit_error(
        administered: str, vials: str, billed: tuple[str, ...]) -> None:
    # Over the 1,000 g a vial plan covers (bounds.MAX_PLAN_MG), and so over every hard limit
    # (a site's grams_per_day hard_max is at most 1,000 g): the check reports the slip, and
    # does not refuse the claim while working out a better plan nobody needs.
    result = run(*billed, administered=administered, vials=vials)
    assert errors(result) == [("dose-limit", None)]
    assert "is above the hard limit of 400 g: check the amount (mg/g slip?)" in \
        dose_limit(result)[0][1]
    assert not [f for f in result.findings if f.rule == "non-optimal-vials"]


def test_a_dose_within_a_days_plan_still_judges_the_vials() -> None:
    result = run("J1561 JA 2000", "J1561 JA JW 40", administered="1000 g", vials="51 x 20 g")
    assert [f.rule for f in result.findings] == ["dose-limit", "non-optimal-vials"]


def test_dose_over_the_hard_limit_is_an_error() -> None:
    result = run("J1561 JA 802", "J1561 JA JW 78", administered="401 g", vials="11 x 40 g")
    found = dose_limit(result)
    assert [severity for severity, _ in found] == ["error"]
    assert "401 g in one day is above the hard limit of 400 g" in found[0][1]
    assert "mg/g slip" in found[0][1]
    assert errors(result) == [("dose-limit", None)]


# --- the vial choice: found missing by the mutation audit (issue 21 item 7) ---------------


def test_a_claim_with_nothing_discarded_is_never_planned(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut a batch relies on: most rows discard nothing, and no plan beats none,
    so none is worked out (a plan is the check's slowest step, and above 1,000 g there is
    none to work out)."""
    def planned(self: Quantities) -> int:
        raise AssertionError("a plan was worked out")

    monkeypatch.setattr(Quantities, "best_discarded_units", property(planned))
    result = run("J1561 JA JZ 55", vials=NO_WASTE)
    assert result.claim.discarded_units == 0
    assert errors(result) == []
    with pytest.raises(AssertionError, match="a plan was worked out"):
        run("J1561 JA 55", "J1561 JA JW 1")  # one discarded unit: planned


@pytest.mark.parametrize(("allowance", "severity"), [(20, "note"), (19, "warning")])
def test_the_sites_allowance_counts_only_the_waste_a_better_plan_saves(
        allowance: int, severity: str) -> None:
    # 8.02 g = 17 units from 2 × 10 g (40 units): 23 discarded. With only 10 g stocked the
    # best is 1 × 10 g, which still discards 3: the second vial adds 20, not 23 (or 26).
    catalog = dataclasses.replace(CATALOG, vial_preference_units=allowance)
    request = CheckRequest(administered="8.02 g", vials="2 x 10 g", stocked="10 g",
                           lines=("J1561 JA 17", "J1561 JA JW 23"), product="gamunex-c",
                           date_of_service=DAY)
    found = [f for f in check(read(request), catalog).findings
             if f.rule == "non-optimal-vials"]
    assert [f.severity for f in found] == [severity]
    assert "20 units less waste" in found[0].message


# --- JW where it is not allowed, and the limits: found missing by the mutation audit --------

HOME = {"payer": "medicare-home", "route": "sc",  # takes JW from 2025-01-01
        "date_of_service": dt.date(2024, 12, 31)}


def test_jw_not_allowed_is_reported_alone_not_as_too_many_or_over_the_contents() -> None:
    # 27.3 g from 3 × 10 g: 55 administered, 60 labeled. The payer takes no JW line yet, so
    # the JW line is only jw-not-allowed: its units are not measured against the waste.
    too_many = run("J1561 JB 54", "J1561 JB JW 6", vials=WASTE_5, **HOME)
    assert errors(too_many) == [("units-rounding", 1), ("jw-not-allowed", 2)]
    over = run("J1561 JB 55", "J1561 JB JW 6", vials=WASTE_5, **HOME)
    assert errors(over) == [("jw-not-allowed", 2)]
    # Where JW is taken, the same lines are jw-too-many and over-labeled-contents.
    taken = {**HOME, "date_of_service": dt.date(2025, 1, 2)}
    assert ("jw-too-many", "error", 2) in rules(run("J1561 JB 54", "J1561 JB JW 6",
                                                    vials=WASTE_5, **taken))
    assert ("over-labeled-contents", "error", None) in rules(
        run("J1561 JB 55", "J1561 JB JW 6", vials=WASTE_5, **taken))


def test_jz_on_the_jw_line_itself_is_said_so() -> None:
    result = run("J1561 JA 55", "J1561 JA JW JZ 1")
    assert [(f.line, f.message) for f in result.findings if f.rule == "jz-with-waste"] == [
        (2, "JZ (nothing discarded) is on the JW line itself")]


PACKAGED = {"product": "bivigam", "payer": "medicare-opps",  # J1556: status N in 2025-Q4
            "date_of_service": dt.date(2025, 11, 3)}


def test_a_jw_line_on_a_packaged_code_names_the_opps_not_the_payers_jw_date() -> None:
    result = run("J1556 55", "J1556 JW 5", vials=WASTE_5, **PACKAGED)
    assert [(f.line, f.message) for f in result.findings if f.rule == "jw-not-allowed"] == [
        (2, "J1556 is packaged under the OPPS (Addendum B status N): no JW line, the "
            "discarded units are not billed")]


def test_a_packaged_code_with_waste_under_one_unit_expects_no_jz() -> None:
    # 29.8 g from 3 × 10 g: 60 units, 0.2 g discarded, under one unit. A separately paid
    # code takes JZ here (the payer requires it); a packaged one takes neither JW nor JZ.
    result = run("J1556 60", administered="29.8 g", vials=WASTE_5, **PACKAGED)
    assert [e.text for e in result.expected] == ["J1556 × 60"]
    assert not [f for f in result.findings if f.rule.startswith("jz-")]
    billed_jz = run("J1556 JZ 60", administered="29.8 g", vials=WASTE_5, **PACKAGED)
    assert [f.rule for f in billed_jz.findings if f.rule.startswith("jz-")] == [
        "jz-not-required"]


def test_a_site_limit_without_a_soft_max_has_only_its_hard_limit(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text("[limits.default]\ngrams_per_day = { hard_max = 300 }\n", encoding="utf-8")
    catalog = load(site).catalog
    assert catalog.limits["default"].grams_per_day.soft_max is None

    def limited(administered: str, vials: str, *billed: str) -> list[tuple[str, str]]:
        request = CheckRequest(administered=administered, vials=vials, lines=billed,
                               product="gamunex-c", date_of_service=DAY)
        return dose_limit(check(read(request), catalog))

    assert limited("200 g", "5 x 40 g", "J1561 JA JZ 400") == []  # over the bundled soft 140
    found = limited("301 g", "7 x 40 g, 20 g, 1 g", "J1561 JA JZ 602")
    assert [severity for severity, _ in found] == ["error"]
    assert "above the hard limit of 300 g" in found[0][1]
