"""One slip is one finding; the vial check knows the shelf; messages name their lines."""

import datetime as dt
import itertools
import re

import pytest

from ivigcalc.check.rules import CheckRequest, CheckResult, check, read
from ivigcalc.cli.main import main
from ivigcalc.data.catalog import load

CATALOG = load().catalog
DAY = dt.date(2026, 1, 5)
README = ["check", "--administered", "27.3 g", "--vials", "3 x 10 g", "--product",
          "gamunex-c", "--date", "2026-01-05", "--line", "J1561 JA 55", "--line",
          "J1561 JA RT 5"]


def run(*lines: str, stocked: str | None = None, vials: str = "3 x 10 g") -> CheckResult:
    return check(read(CheckRequest(administered="27.3 g", vials=vials, lines=lines,
                              product="gamunex-c", date_of_service=DAY, stocked=stocked)),
                 CATALOG)


def errors(result: CheckResult) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in result.findings if f.severity == "error"]


@pytest.mark.parametrize(("lines", "finding", "says"), [
    # RT typed where JW belongs: not laterality + units + missing JW, one finding.
    (("J1561 JA 55", "J1561 JA RT 5"), ("jw-missing", 2), "with RT where JW belongs"),
    (("J1561 JA 55", "J1561 JA 5"), ("jw-missing", 2), "without JW"),
    (("J1561 JA 55", "J1561 JA JZ 5"), ("jw-missing", 2), "with JZ where JW belongs"),
    # The whole vials on the administered line: not units + missing JW.
    (("J1561 JA 60",), ("units-rounding", 1), "bill only the amount administered on line 1"),
    (("J1561 JA JZ 60",), ("units-rounding", 1), "on line 1 without JZ"),
    # JZ where the JW line belongs: not JZ-with-waste + missing JW.
    (("J1561 JA JZ 55",), ("jz-with-waste", 1), "drop JZ and bill them on J1561 JA JW × 5"),
])
def test_one_slip_is_one_finding(lines, finding, says) -> None:
    result = run(*lines)
    assert errors(result) == [finding]
    assert says in result.findings[0].message
    assert [f.rule for f in result.findings if f.severity == "warning"] == ["non-optimal-vials"]
    assert [e.text for e in result.expected] == ["J1561 JA × 55", "J1561 JA JW × 5"]


def test_two_slips_are_still_two_findings() -> None:
    result = run("J1561 JA 54", "J1561 JA RT 5")  # units rounded down and RT for JW
    assert ("units-rounding", 1) in errors(result)
    assert ("jw-missing", 2) in errors(result)


def test_unmarked_waste_needs_a_line_of_the_discarded_units() -> None:
    # 7 is not the 5 discarded units: line 2 is read as it stands (RT, and 62 units given).
    result = run("J1561 JA 55", "J1561 JA RT 7")
    assert ("laterality-not-applicable", 2) in errors(result)


def test_readme_example_with_the_shelf_has_no_vial_finding(capsys) -> None:
    assert main([*README, "--stocked", "10 g"]) == 1
    out = capsys.readouterr().out
    assert "non-optimal-vials" not in out
    assert "Least waste from the sizes stocked (10 g): 3 × 10 g = 30 g" in out
    assert main(README) == 1
    out = capsys.readouterr().out
    assert "non-optimal-vials" in out
    assert "assuming every size is stocked" in out


def test_the_shelf_is_what_could_have_been_opened() -> None:
    assert not [f for f in run("J1561 JA 55", "J1561 JA JW 5", stocked="10 g").findings
                if f.rule == "non-optimal-vials"]
    found = [f for f in run("J1561 JA 55", "J1561 JA JW 5", stocked="10 g, 5 g, 2.5 g").findings
             if f.rule == "non-optimal-vials"]
    assert len(found) == 1
    assert "from the sizes stocked (2.5 g, 5 g, 10 g)" in found[0].message
    assert "with none discarded, 5 units less waste" in found[0].message


def test_a_size_not_of_the_product_is_refused(capsys) -> None:
    assert main([*README, "--stocked", "7 g"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ivigcalc check: stocked: 7 g is not a size of Gamunex-C")


BILLED = ["J1561 JA 55", "J1561 55", "J1561 JA 54", "J1561 JA 60", "J1561 JA JZ 55",
          "J1561 JA JW 5", "J1561 JA RT 5", "J1561 JA JW 3", "J1561 JA KX 55", "J1561 JB 55",
          "J1561 JA JW 6", "J1459 55", "J1611 5", "J1561 JA JW JZ 5", "junk"]


def test_messages_name_their_lines_and_have_no_fragments() -> None:
    """Every pair of billed lines from a list of usual slips, on two shelves of vials."""
    for pair, vials in itertools.product(itertools.permutations(BILLED, 2),
                                         ("3 x 10 g", "10 g, 10 g, 5 g, 2.5 g")):
        for finding in run(*pair, vials=vials).findings:
            text = finding.message
            assert "this line" not in text and "the line " not in text, (pair, text)
            assert not re.search(r"with \d+:", text), (pair, text)
            assert "  " not in text and not text.endswith((";", ":", ",")), (pair, text)


def test_a_batch_row_takes_its_shelf_or_the_command_line_one(tmp_path, capsys) -> None:
    path = tmp_path / "claims.csv"
    path.write_text('id,date,product,administered,vials,lines,stocked\n'
                    'own,2026-01-05,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55; J1561 JA JW 5,10 g\n'
                    'none,2026-01-06,gamunex-c,27.3 g,3 x 10 g,J1561 JA 55; J1561 JA JW 5,\n')
    assert main(["check", "--csv", str(path)]) == 0
    report = capsys.readouterr().out
    assert [line.split(",")[1] for line in report.splitlines() if "non-optimal" in line] == \
        ["none"]
    assert main(["check", "--csv", str(path), "--stocked", "10 g"]) == 0
    assert "non-optimal-vials" not in capsys.readouterr().out
