"""The claim check's rules, each firing and not firing, and the domain file's worked examples.

Worked examples (domain reference §2.1): 27.3 g of J1561 is 54.6 → 55 units. From
10 + 10 + 5 + 2.5 g (27.5 g = 55 units): one line of 55 with JZ. From 3 × 10 g (60 units):
55 plus a JW line of 5, and the vial choice is not optimal.
"""

import datetime as dt
import re
from pathlib import Path

import pytest

from ivigcalc.check.rules import RULES, CheckRequest, CheckResult, check, expected_only, read
from ivigcalc.data.catalog import load
from ivigcalc.errors import InputError, Refusal

CATALOG = load().catalog
DAY = dt.date(2026, 1, 5)
ISSUE_RULES = ("units-rounding", "jw-missing", "jw-not-allowed", "jz-missing", "jz-with-waste",
               "over-labeled-contents", "non-optimal-vials", "route-modifier-missing",
               "laterality-not-applicable", "non-ig-code", "unit-size-mismatch",
               "duplicate-line", "unknown-code", "kx-unsupported", "malformed-line")
WASTE_5 = "3 x 10 g"  # 30 g for 27.3 g: 5 billable units discarded
NO_WASTE = "10 g, 10 g, 5 g, 2.5 g"  # 27.5 g for 27.3 g: 0.2 g, under one unit


def run(*lines: str, administered: str = "27.3 g", vials: str = WASTE_5,
        product: str | None = "gamunex-c", **options: object) -> CheckResult:
    options.setdefault("date_of_service", DAY)
    return check(read(CheckRequest(administered=administered, vials=vials, lines=lines,
                              product=product, **options)), CATALOG)  # type: ignore[arg-type]


def fired(result: CheckResult, rule: str) -> list[tuple[str, int | None]]:
    return [(f.severity, f.line) for f in result.findings if f.rule == rule]


def message(result: CheckResult, rule: str) -> str:
    return " | ".join(f.message for f in result.findings if f.rule == rule)


def expected(result: CheckResult) -> list[str]:
    return [e.text for e in result.expected]


# --- the contract ----------------------------------------------------------------------


def test_every_rule_in_the_issue_exists_with_a_source() -> None:
    for rule in ISSUE_RULES:
        assert rule in RULES
        assert RULES[rule].source
        assert RULES[rule].severity in ("error", "warning", "note")
    assert RULES["non-optimal-vials"].severity == "warning"


def test_findings_carry_severity_rule_message_line_and_source() -> None:
    result = run("J1561 JA 54", "J1561 JA JW 5")
    for finding in result.findings:
        assert finding.rule in RULES
        assert finding.source
    assert fired(result, "units-rounding") == [("error", 1)]
    assert fired(result, "non-optimal-vials") == [("warning", None)]


def test_errors_come_first() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 5", "J1561 JA JW 5")
    severities = [f.severity for f in result.findings]
    assert severities == sorted(severities, key=("error", "warning", "note").index)


# --- the worked examples ---------------------------------------------------------------


def test_worked_example_three_10g_vials() -> None:
    result = run("J1561 JA 55", "J1561-JA-JW x5")
    assert expected(result) == ["J1561 JA × 55", "J1561 JA JW × 5"]
    assert not result.has_errors
    assert [f.rule for f in result.findings] == ["non-optimal-vials"]
    text = message(result, "non-optimal-vials")
    assert "27.5 g" in text  # the best plan opens 27.5 g ...
    assert "5 units less waste" in text  # ... and saves the 5 discarded units
    assert result.claim.administered_units == 55
    assert result.claim.discarded_units == 5


def test_worked_example_vials_of_27_5g() -> None:
    result = run("J1561 JA JZ 55", vials=NO_WASTE)
    assert expected(result) == ["J1561 JA JZ × 55"]
    assert result.findings == ()
    assert result.claim.labeled_units == 55


def test_worked_example_expected_before_any_line() -> None:
    result = expected_only(read(CheckRequest("27.3 g", NO_WASTE, (), DAY, product="gamunex-c")),
                           CATALOG)
    assert expected(result) == ["J1561 JA JZ × 55"]


# --- each rule, firing and not ---------------------------------------------------------


@pytest.mark.parametrize(("billed", "says"), [
    ("J1561 JA 54", "round up, never down"),  # 54.6 rounded down
    ("J1561 JA 56", "more than administered"),
    ("J1561 JA 60", "the whole 30 g opened"),  # waste folded into the line
])
def test_units_rounding_fires(billed: str, says: str) -> None:
    result = run(billed, "J1561 JA JW 5") if billed != "J1561 JA 60" else run(billed)
    assert fired(result, "units-rounding") == [("error", 1)]
    assert says in message(result, "units-rounding")
    assert "54.6" in message(result, "units-rounding")


def test_units_rounding_fires_without_an_administered_line() -> None:
    result = run("J1561 JA JW 5")
    assert fired(result, "units-rounding") == [("error", None)]
    assert "J1561 JA × 55" in message(result, "units-rounding")


def test_units_rounding_quiet_when_right() -> None:
    assert fired(run("J1561 JA 55", "J1561 JA JW 5"), "units-rounding") == []


def test_jw_missing_fires_without_a_jw_line() -> None:
    result = run("J1561 JA 55")
    assert fired(result, "jw-missing") == [("error", None)]
    assert "60 − 55 administered = 5" in message(result, "jw-missing")
    assert expected(result)[1] == "J1561 JA JW × 5"


def test_jw_missing_fires_for_too_few_jw_units() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 3")
    assert fired(result, "jw-missing") == [("error", 2)]
    assert "JW bills 3 units" in message(result, "jw-missing")


def test_jw_missing_quiet() -> None:
    assert fired(run("J1561 JA 55", "J1561 JA JW 5"), "jw-missing") == []
    assert fired(run("J1561 JA JZ 55", vials=NO_WASTE), "jw-missing") == []  # waste < 1 unit


def test_jw_missing_quiet_where_the_payer_takes_no_jw() -> None:
    # Medicare home infusion: JW from 2025-01-01 only.
    result = run("J1561 JA 55", payer="medicare-home", date_of_service=dt.date(2024, 6, 3))
    assert fired(result, "jw-missing") == []
    assert expected(result) == ["J1561 JA × 55"]


def test_jw_not_allowed_for_waste_under_one_unit() -> None:
    result = run("J1561 JA JZ 55", "J1561 JA JW 1", vials=NO_WASTE)
    assert fired(result, "jw-not-allowed") == [("error", 2)]
    assert "0.2 g discarded is less than one billing unit" in message(result, "jw-not-allowed")
    assert fired(result, "over-labeled-contents") == []  # one problem, one finding


def test_jw_not_allowed_before_the_payer_takes_jw() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 5", payer="medicare-home",
                 date_of_service=dt.date(2024, 6, 3))
    assert fired(result, "jw-not-allowed") == [("error", 2)]
    assert "2025-01-01" in message(result, "jw-not-allowed")


def test_jw_not_allowed_quiet() -> None:
    assert fired(run("J1561 JA 55", "J1561 JA JW 5"), "jw-not-allowed") == []
    assert fired(run("J1561 JA 55", "J1561 JA JW 5", payer="medicare-home",
                     date_of_service=dt.date(2025, 1, 2)), "jw-not-allowed") == []


def test_jz_missing_fires() -> None:
    result = run("J1561 JA 55", vials=NO_WASTE)
    assert fired(result, "jz-missing") == [("error", 1)]
    assert "2023-07-01" in message(result, "jz-missing")
    assert expected(result) == ["J1561 JA JZ × 55"]


def test_jz_missing_quiet() -> None:
    assert fired(run("J1561 JA JZ 55", vials=NO_WASTE), "jz-missing") == []
    # JZ is required by Medicare from 2023-07-01, not before; the commercial profile never.
    assert fired(run("J1561 JA 55", vials=NO_WASTE, date_of_service=dt.date(2023, 6, 30)),
                 "jz-missing") == []
    assert fired(run("J1561 JA 55", vials=NO_WASTE, payer="commercial"), "jz-missing") == []


def test_jz_with_waste_fires_beside_a_jw_line() -> None:
    result = run("J1561 JA JZ 55", "J1561 JA JW 5")
    assert fired(result, "jz-with-waste") == [("error", 1)]
    assert "line 2" in message(result, "jz-with-waste")


def test_jz_with_waste_fires_when_billable_waste_exists() -> None:
    result = run("J1561 JA JZ 55")
    assert fired(result, "jz-with-waste") == [("error", 1)]
    assert "5 billable units" in message(result, "jz-with-waste")


def test_jz_with_waste_fires_on_the_jw_line_itself() -> None:
    assert ("error", 2) in fired(run("J1561 JA 55", "J1561 JA JW JZ 5"), "jz-with-waste")


def test_jz_with_waste_quiet() -> None:
    assert fired(run("J1561 JA JZ 55", vials=NO_WASTE), "jz-with-waste") == []


def test_jz_not_required_is_a_note() -> None:
    result = run("J1561 JA JZ 55", vials=NO_WASTE, payer="commercial")
    assert fired(result, "jz-not-required") == [("note", 1)]
    assert not result.has_errors


def test_over_labeled_contents_fires() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 6")
    assert fired(result, "over-labeled-contents") == [("error", None)]
    assert "55 + 6 = 61" in message(result, "over-labeled-contents")
    assert "at most 60" in message(result, "over-labeled-contents")


def test_over_labeled_contents_quiet() -> None:
    assert fired(run("J1561 JA 55", "J1561 JA JW 5"), "over-labeled-contents") == []


def test_over_labeled_contents_allows_the_administered_round_up() -> None:
    """0.95 g from one 0.99 g vial under J1551: 9.5 → 10 units although the vial holds 9.9.

    (CMS bills Cutaquig's 6 mL vial as its labeled 1 g; a 0.99 g vial is checked by code.)"""
    result = run("J1551 JZ 10", administered="0.95 g", vials="0.99 g", product=None,
                 code="J1551")
    assert result.claim.labeled_units == 9
    assert result.findings == ()
    assert fired(run("J1551 JZ 11", administered="0.95 g", vials="0.99 g", product=None,
                     code="J1551"), "over-labeled-contents") == [("error", None)]


def test_jw_too_many_fires_when_units_are_shifted() -> None:
    result = run("J1561 JA 54", "J1561 JA JW 6")
    assert fired(result, "jw-too-many") == [("error", 2)]
    assert fired(result, "over-labeled-contents") == []  # 60 in total is within the vials


def test_non_optimal_vials_quiet_for_the_best_plan() -> None:
    assert fired(run("J1561 JA JZ 55", vials="20 g + 5 g + 2.5 g"), "non-optimal-vials") == []
    assert fired(run("J1561 JA JZ 55", vials=NO_WASTE), "non-optimal-vials") == []


def test_non_optimal_vials_by_code_compares_with_the_sizes_opened() -> None:
    """Without the product its sizes are unknown: only the sizes opened can be compared."""
    result = run("J1561 JA 55", "J1561 JA JW 5", product=None, code="J1561")
    assert fired(result, "non-optimal-vials") == []
    # 32.5 g opened (10 units discarded) where 10 + 10 + 5 + 2.5 g of the same sizes is 27.5 g
    result = run("J1561 JA 55", "J1561 JA JW 10", product=None, code="J1561",
                 vials="2 x 10 g + 2 x 5 g + 2.5 g")
    assert fired(result, "non-optimal-vials") == [("warning", None)]
    assert "10 units less waste" in message(result, "non-optimal-vials")


@pytest.mark.parametrize(("billed", "says"), [
    ("J1561 55", "it has neither"),
    ("J1561 JB 55", "it has JB, which says subcutaneous"),
    ("J1561 JA JB 55", "keep JA only"),
])
def test_route_modifier_missing_fires(billed: str, says: str) -> None:
    result = run(billed, "J1561 JA JW 5")
    assert fired(result, "route-modifier-missing") == [("error", 1)]
    assert says in message(result, "route-modifier-missing")


def test_route_modifier_quiet() -> None:
    assert fired(run("J1561 JA 55", "J1561 JA JW 5"), "route-modifier-missing") == []
    assert fired(run("J1561 JB 55", "J1561 JB JW 5", route="sc"),
                 "route-modifier-missing") == []
    assert fired(run("J1459 55", product="privigen", vials="3 x 10 g"),
                 "route-modifier-missing") == []


def test_route_modifier_on_a_single_route_code_is_a_note() -> None:
    result = run("J1459 JA 55", "J1459 JW 5", product="privigen")
    assert fired(result, "route-modifier-not-needed") == [("note", 1)]


def test_laterality_fires_and_not() -> None:
    result = run("J1561 JA RT 55", "J1561 JA JW LT 5")
    assert fired(result, "laterality-not-applicable") == [("error", 1), ("error", 2)]
    assert fired(run("J1561 JA 55", "J1561 JA JW 5"), "laterality-not-applicable") == []


def test_non_ig_code_fires_and_says_what_fits() -> None:
    result = run("J1611 55", "J1561 JA JW 5")
    assert fired(result, "non-ig-code") == [("error", 1)]
    text = message(result, "non-ig-code")
    assert "glucagon" in text and "J1561" in text and "J1599" in text
    assert fired(run("J1561 JA 55", "J1561 JA JW 5"), "non-ig-code") == []


def test_unit_size_mismatch_scig_code_for_ivig_product() -> None:
    result = run("J1559 JA 273")
    assert fired(result, "unit-size-mismatch") == [("error", 1)]
    text = message(result, "unit-size-mismatch")
    assert "100 mg" in text and "500 mg" in text and "55 units of J1561" in text


def test_unit_size_mismatch_ivig_code_for_scig_product() -> None:
    result = run("J1561 JB 10", administered="4 g", vials="4 g", product="hizentra")
    assert fired(result, "unit-size-mismatch") == [("error", 1)]
    assert "40 units of J1559" in message(result, "unit-size-mismatch")
    assert expected(result) == ["J1559 JZ × 40"]


def test_unit_size_mismatch_quiet() -> None:
    result = run("J1559 JZ 40", administered="4 g", vials="4 g", product="hizentra")
    assert result.findings == ()


def test_duplicate_line_fires_and_is_set_aside() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 5", "J1561 JA JW 5")
    assert fired(result, "duplicate-line") == [("error", 3)]
    assert "line 2" in message(result, "duplicate-line")
    assert fired(result, "over-labeled-contents") == []  # the repeat is not counted twice


def test_duplicate_line_ignores_modifier_order() -> None:
    assert fired(run("J1561 JA 55", "J1561 JA JW 5", "J1561 JW JA 5"),
                 "duplicate-line") == [("error", 3)]


def test_same_code_split_over_lines_is_a_warning() -> None:
    result = run("J1561 JA 50", "J1561 JA 5", "J1561 JA JW 5")
    assert fired(result, "duplicate-line") == [("warning", 2)]
    assert "55 units on one line" in message(result, "duplicate-line")
    assert fired(result, "units-rounding") == []  # 50 + 5 is the right total


def test_duplicate_line_quiet() -> None:
    assert fired(run("J1561 JA 55", "J1561 JA JW 5"), "duplicate-line") == []


def test_unknown_code_fires() -> None:
    result = run("J9999 JA 55", "J1561 JA JW 5")
    assert fired(result, "unknown-code") == [("error", 1)]
    assert "J9999" in message(result, "unknown-code")


def test_cpt_code_is_a_note_not_an_error() -> None:
    # 96413 (chemotherapy administration) is not checked here: a note.
    result = run("J1561 JA 55", "J1561 JA JW 5", "96413 1")
    assert fired(result, "unknown-code") == [("note", 3)]
    assert not result.has_errors
    # 96365 is the infusion's administration: the administration rules read it (issue 22),
    # and without the times a note says its units were not checked.
    result = run("J1561 JA 55", "J1561 JA JW 5", "96365 1")
    assert fired(result, "unknown-code") == []
    assert fired(result, "admin-minutes-not-given") == [("note", None)]
    assert not result.has_errors


def test_unknown_code_quiet() -> None:
    assert fired(run("J1561 JA 55", "J1561 JA JW 5"), "unknown-code") == []


def test_kx_unsupported_without_attestation() -> None:
    result = run("J1561 JA KX 55", "J1561 JA JW KX 5")
    assert fired(result, "kx-unsupported") == [("error", 1), ("error", 2)]
    assert "not been attested" in message(result, "kx-unsupported")


def test_kx_unsupported_on_a_payer_without_kx() -> None:
    result = run("J1561 JA KX 55", "J1561 JA JW KX 5", payer="commercial", kx=True)
    assert fired(result, "kx-unsupported")[0] == ("error", 1)
    assert "does not use the KX modifier" in message(result, "kx-unsupported")


def test_kx_quiet_when_attested() -> None:
    result = run("J1561 JA KX 55", "J1561 JA JW KX 5", kx=True)
    assert fired(result, "kx-unsupported") == []
    assert expected(result) == ["J1561 JA KX × 55", "J1561 JA JW KX × 5"]


def test_kx_missing_when_attested_and_used() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 5", kx=True)
    assert fired(result, "kx-missing") == [("warning", 1), ("warning", 2)]
    assert fired(run("J1561 JA 55", "J1561 JA JW 5", kx=True, payer="commercial"),
                 "kx-missing") == []


def test_malformed_line_fires_and_the_rest_is_checked() -> None:
    result = run("J1561 JA 55", "J1561 JA JW five")
    assert fired(result, "malformed-line") == [("error", 2)]
    assert "J1561 JA 55" in message(result, "malformed-line")  # shows the accepted form
    assert fired(result, "jw-missing") == [("error", None)]  # line 2 was not readable


def test_malformed_line_quiet() -> None:
    assert fired(run("J1561 JA 55", "J1561-JA-JW x5"), "malformed-line") == []


def test_wrong_product_code() -> None:
    result = run("J1459 55", "J1459 JW 5")
    assert fired(result, "wrong-product-code") == [("error", 1), ("error", 2)]
    assert "Privigen" in message(result, "wrong-product-code")
    assert expected(result) == ["J1561 JA × 55", "J1561 JA JW × 5"]


def test_a_code_before_it_takes_effect() -> None:
    """Alyglo bills J1599 until 2024-12-31 and J1552 from 2025-01-01."""
    early = run("J1552 55", product="alyglo", vials="3 x 10 g",
                date_of_service=dt.date(2024, 11, 4))
    assert fired(early, "wrong-product-code") == [("error", 1)]
    assert "takes effect on 2025-01-01" in message(early, "wrong-product-code")
    assert expected(early)[0] == "J1599 × 55"
    late = run("J1552 55", "J1552 JW 5", product="alyglo", vials="3 x 10 g")
    assert fired(late, "wrong-product-code") == []


def test_unchecked_modifiers_are_kept() -> None:
    result = run("J1561 JA GA 55", "J1561 JA JW GA 5")
    assert fired(result, "modifier-not-checked") == [("note", 1), ("note", 2)]
    assert "advance beneficiary notice" in message(result, "modifier-not-checked")
    assert expected(result) == ["J1561 JA GA × 55", "J1561 JA JW GA × 5"]


def test_ndc_findings() -> None:
    result = run("J1561 JA 55 N41234-5678-90 UN3", "J1561 JA JW 5 N412345678901 XX1",
                 "J1561 JA JW 5 N4123 UN1")
    assert fired(result, "ndc-format") == [("note", 1)]
    assert "N401234567890 UN3" in message(result, "ndc-format")
    assert fired(result, "ndc-unknown-qualifier") == [("error", 2)]
    assert fired(result, "ndc-malformed") == [("error", 3)]
    # 01234-5678-90 is no NDC of Gamunex-C 10 g: the expected line carries CMS's, never it.
    assert expected(result)[0] == "J1561 JA × 55  N413533080071 UN3"


def test_dose_limit() -> None:
    result = run("J1561 JA JZ 300", administered="150 g", vials="5 x 30 g",
                 product="gammagard-liquid")
    assert fired(result, "dose-limit") == [("warning", None)]
    assert fired(run("J1561 JA 55", "J1561 JA JW 5"), "dose-limit") == []


# --- the issue's "three lines pasted" ----------------------------------------------------


def test_three_pasted_lines_every_problem_named() -> None:
    result = run("J1561 54", "J1561-JA-JW x5", "J1561-JA-JW x5")
    rules = {(f.rule, f.line) for f in result.findings}
    assert ("route-modifier-missing", 1) in rules
    assert ("units-rounding", 1) in rules
    assert ("duplicate-line", 3) in rules
    assert ("non-optimal-vials", None) in rules
    assert expected(result) == ["J1561 JA × 55", "J1561 JA JW × 5"]


# --- the inputs ------------------------------------------------------------------------


@pytest.mark.parametrize(("options", "field", "says"), [
    ({"vials": "3 x 7 g"}, "vials", "7 g is not a size of Gamunex-C"),
    ({"vials": "2 x 10 g"}, "vials", "less than the 27.3 g administered"),
    ({"administered": "27,3 g"}, "administered", "comma"),
    ({"payer": "acme"}, "payer", "accepts medicare"),
    ({"product": "nope"}, "product", "accepts gamunex-c"),
    ({"product": None}, "product", "give the product"),
    ({"product": None, "code": "J0000"}, "code", "not in the catalog"),
    ({"code": "J1459"}, "code", "not Gamunex-C's code"),
    ({"product": None, "code": "J1552", "date_of_service": dt.date(2024, 1, 2)}, "code",
     "takes effect on 2025-01-01"),
])
def test_bad_inputs_name_the_field(options: dict, field: str, says: str) -> None:
    with pytest.raises(InputError) as raised:
        run("J1561 JA 55", **options)
    assert raised.value.field == field
    assert says in str(raised.value)


def test_route_the_product_cannot_take_is_refused() -> None:
    with pytest.raises(Refusal) as raised:
        run("J1559 JZ 40", administered="4 g", vials="4 g", product="hizentra", route="iv")
    assert raised.value.field == "route"


def test_non_ig_code_as_the_claims_code_is_refused_with_the_explanation() -> None:
    with pytest.raises(Refusal, match="glucagon"):
        run("J1611 55", product=None, code="J1611")


def test_no_lines_is_an_input_error() -> None:
    with pytest.raises(InputError, match=re.escape("nothing entered; give the billed lines, "
                                                   "e.g. 'J1561 JA 55'")) as raised:
        run("  ", "")
    assert raised.value.field == "lines"
    with pytest.raises(InputError, match="nothing entered"):
        run()


def test_check_by_code_alone() -> None:
    result = run("J1561 JA 55", "J1561 JA JW 5", product=None, code="j1561")
    assert result.claim.product is None
    assert expected(result) == ["J1561 JA × 55", "J1561 JA JW × 5"]
    assert not result.findings


def test_a_new_catalog_is_not_answered_from_the_old_ones_memo(tmp_path: Path) -> None:
    """A site catalog that moves Medicare's JZ date changes the answer at once."""
    site = tmp_path / "site.toml"
    site.write_text("[payers.medicare]\njz_required_from = 2027-01-01\n", encoding="utf-8")
    request = read(CheckRequest("27.3 g", NO_WASTE, ("J1561 JA 55",), DAY, product="gamunex-c"))
    assert fired(check(request, CATALOG), "jz-missing") == [("error", 1)]
    assert fired(check(request, load(site).catalog), "jz-missing") == []
    assert fired(check(request, CATALOG), "jz-missing") == [("error", 1)]
