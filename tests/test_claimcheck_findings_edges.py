"""The words that findings share: line lists, capitals, counts, the order (issue 16)."""

import dataclasses
import datetime as dt

import pytest

from ivigcalc.check.findings import RULES, Finding, cap, find, line_numbers, on_lines
from ivigcalc.check.reading import BilledLine
from ivigcalc.check.rules import CheckRequest, check, read
from ivigcalc.data.catalog import load

CATALOG = load().catalog


def billed(*numbers: int) -> list[BilledLine]:
    return [BilledLine(n, f"line {n}", None) for n in numbers]


@pytest.mark.parametrize(("numbers", "said"), [
    ((4,), "line 4"),
    ((1, 3), "lines 1 and 3"),
    ((1, 2, 5), "lines 1, 2 and 5"),
    ((2, 4, 6, 8), "lines 2, 4, 6 and 8"),
])
def test_line_numbers(numbers: tuple[int, ...], said: str) -> None:
    assert line_numbers(billed(*numbers)) == said


def test_on_lines_only_when_a_finding_spans_lines() -> None:
    assert on_lines(billed(3)) == ""
    assert on_lines(billed(1, 3)) == " on lines 1 and 3"
    assert on_lines(billed(1, 2, 3)) == " on lines 1, 2 and 3"


@pytest.mark.parametrize(("sentence", "capped"), [
    ("nothing was discarded", "Nothing was discarded"),
    ("x", "X"),
    ("", ""),
    ("JZ says", "JZ says"),
])
def test_cap(sentence: str, capped: str) -> None:
    assert cap(sentence) == capped


def test_find_takes_the_rules_severity_and_source_unless_told() -> None:
    plain = find("jw-missing", "m", 2)
    assert (plain.severity, plain.line) == ("error", 2)
    assert plain.source
    told = find("jw-missing", "m", severity="warning", source="s")
    assert (told.severity, told.source, told.line) == ("warning", "s", None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plain.message = "changed"  # type: ignore[misc]


def test_counts_and_the_order_of_findings() -> None:
    result = check(read(CheckRequest(administered="27.3 g", vials="3 x 10 g",
                                lines=("J1561 JA 54", "J1561 JA JW RT 5", "96365 1"),
                                date_of_service=dt.date(2026, 1, 5), product="gamunex-c")),
                   CATALOG)
    order = [(f.severity, f.line) for f in result.findings]
    assert order == sorted(order, key=lambda o: (("error", "warning", "note").index(o[0]),
                                                 o[1] if o[1] is not None else 10**9))
    errors = [f for f in result.findings if f.severity == "error"]
    assert result.count("error") == len(errors) >= 2
    assert result.count("note") == 1  # the CPT line
    assert result.count("warning") == sum(f.severity == "warning" for f in result.findings)
    # Claim-wide findings (line None) come after the numbered ones of the same severity.
    lines = [f.line for f in errors]
    assert lines == sorted(lines, key=lambda n: n if n is not None else 10**9)
    assert isinstance(result.findings[0], Finding)


def test_the_rule_table_cannot_be_changed_by_a_caller() -> None:
    """RULES is the contract of rule ids and severities (issue 4); a rule is frozen."""
    rule = RULES["jw-missing"]
    assert (rule.id, rule.severity) == ("jw-missing", "error")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.severity = "note"  # type: ignore[misc]
