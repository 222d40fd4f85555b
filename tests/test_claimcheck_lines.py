"""Reading billed lines and vials opened, in the forms coders write; anything else is named."""

from fractions import Fraction

import pytest

from ivigcalc.check.reading import (
    LineError,
    parse_line,
    parse_vials_opened,
    read_lines,
    split_lines,
)
from ivigcalc.errors import InputError


@pytest.mark.parametrize(
    ("text", "code", "modifiers", "units"),
    [
        ("J1561 JA 55", "J1561", ("JA",), 55),  # the three forms
        ("J1561-JA-JW x5", "J1561", ("JA", "JW"), 5),
        ("J1561 JA JW 5 units", "J1561", ("JA", "JW"), 5),
        ("J1561 JA JZ × 42", "J1561", ("JA", "JZ"), 42),  # ClaimLine.text, pasted back
        ("j1561 ja jz 42", "J1561", ("JA", "JZ"), 42),
        ("J1561\tJA\t55", "J1561", ("JA",), 55),  # from a spreadsheet
        ("J1459 55 units", "J1459", (), 55),
        ("J1561 JA 59 55", "J1561", ("JA", "59"), 55),  # a numeric modifier before units
        ("J1561, JA, 1 unit", "J1561", ("JA",), 1),
        ("96365 1", "96365", (), 1),  # a CPT code reads (the check says what it is)
    ],
)
def test_accepted_forms(text: str, code: str, modifiers: tuple[str, ...], units: int) -> None:
    line = parse_line(text)
    assert (line.code, line.modifiers, line.units) == (code, modifiers, units)
    assert line.ndc is None and line.ndc_problem is None


def test_ndc_segment_is_read_and_set_apart() -> None:
    line = parse_line("J1561 JA 55 N412345678901 UN1")
    assert (line.code, line.modifiers, line.units) == ("J1561", ("JA",), 55)
    assert line.ndc is not None and line.ndc.text == "N412345678901 UN1"


def test_ndc_segment_with_spaces_and_hyphens() -> None:
    line = parse_line("J1561-JA-JW x5 N4 1234-5678-90 ML 50")
    assert line.modifiers == ("JA", "JW") and line.units == 5
    assert line.ndc is not None and line.ndc.text == "N401234567890 ML50"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("J1561 JA 55 N4123 UN1", "ndc-malformed"),
        ("J1561 JA 55 N41234567890 UN1", "ndc-malformed"),  # 10 digits, no hyphens
        ("J1561 JA 55 N412345678901 XX1", "ndc-unknown-qualifier"),
        ("J1561 JA 55 N412345678901", "ndc-malformed"),  # no qualifier and quantity
    ],
)
def test_bad_ndc_keeps_the_line(text: str, rule: str) -> None:
    """A bad NDC is its own finding; the HCPCS part of the line is still read."""
    line = parse_line(text)
    assert (line.code, line.units) == ("J1561", 55)
    assert line.ndc is None
    assert line.ndc_problem is not None and line.ndc_problem.rule == rule


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("J1561 JA", "no units"),
        ("JA 55", "does not start with a HCPCS code"),
        ("hello", "does not start with a HCPCS code"),
        ("J1561 JA 54.6", "units must be whole"),
        ("J1561 JA 0", "1 or more"),
        ("J1561 JAW 55", "'JAW' is not a modifier"),
        ("J1561 JA JA 55", "JA appears twice"),
        ("J1561 JA JW KX GA JG 5", "at most 4"),
        ("55 J1561 JA", "does not start with a HCPCS code"),
    ],
)
def test_malformed_lines_are_named(text: str, says: str) -> None:
    with pytest.raises(LineError) as raised:
        parse_line(text)
    assert raised.value.rule == "malformed-line"
    assert says in str(raised.value)
    assert text.strip() in str(raised.value)  # the message names the line


def test_malformed_message_shows_the_accepted_form() -> None:
    with pytest.raises(LineError, match="J1561-JA-JW x5"):
        parse_line("J1561 JA")


def test_lines_are_numbered_from_one_skipping_blanks() -> None:
    lines = read_lines(["", "J1561 JA 55", "  ", "nonsense", "J1561 JA JW 5"])
    assert [b.number for b in lines] == [1, 2, 3]
    assert lines[0].parsed is not None and lines[1].parsed is None
    assert lines[1].problem is not None and lines[1].problem.rule == "malformed-line"
    assert lines[2].parsed is not None and lines[2].parsed.units == 5


def test_split_lines_on_newline_semicolon_and_bar() -> None:
    assert split_lines("J1561 JA 55; J1561 JA JW 5|\nJ1459 2\n") == (
        "J1561 JA 55", "J1561 JA JW 5", "J1459 2")


G = 1000


@pytest.mark.parametrize(
    ("text", "vials"),
    [
        ("3 x 10 g", ((10 * G, 3),)),
        ("3 × 10 g", ((10 * G, 3),)),
        ("3x10g", ((10 * G, 3),)),
        ("10 g, 10 g, 10 g", ((10 * G, 3),)),
        ("2 x 10 g + 1 x 5 g", ((10 * G, 2), (5 * G, 1))),
        ("2.5 g + 10 g, 5 g + 10 g", ((10 * G, 2), (5 * G, 1), (Fraction(5 * G, 2), 1))),
        ("5000 mg", ((5 * G, 1),)),
        ("1 x 0.99 g", ((Fraction(990), 1),)),
    ],
)
def test_vials_opened(text: str, vials: tuple) -> None:
    assert parse_vials_opened(text) == vials


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "nothing entered"),
        ("3 x 10", "no unit"),
        ("2,5 g", "no unit (commas separate vials"),
        ("10 g,, 5 g", "empty entry"),
        ("2.5 x 10 g", "count of vials must be whole"),
        ("0 x 10 g", "1 or more"),
        ("3 x", "a count but no size"),
        ("3 x 10 kg", "'kg' is not an accepted unit"),
        ("3 x 10 mL", "'mL' is not an accepted unit"),
    ],
)
def test_bad_vials_are_named(text: str, says: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_vials_opened(text)
    assert raised.value.field == "vials"
    assert says in str(raised.value)
