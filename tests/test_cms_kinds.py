"""Which CMS file a table is, and its quarter (ivigcalc.data.cms.kinds), on real 2025-Q4 rows."""

import dataclasses
import datetime as dt

import pytest
from cms_slices import data_rows, preamble, sliced

from ivigcalc.data.cms import kinds
from ivigcalc.data.cms.kinds import Quarter
from ivigcalc.data.cms.read import ImportRefused, Table, rows_of

ADDENDUM_NAME = "508 version of October 2025 Web Addendum B.10.31.25.csv"


def table(data: bytes, name: str = "file.csv") -> Table:
    return Table(name, f"/in/{name}", rows_of(data, name))


def recognise(data: bytes, name: str = "file.csv") -> kinds.Recognised | None:
    return kinds.recognise(table(data, name))


def refused(data: bytes, name: str = "file.csv") -> str:
    with pytest.raises(ImportRefused) as caught:
        recognise(data, name)
    return str(caught.value)


@pytest.mark.parametrize(("number", "first", "last"), [
    (1, dt.date(2025, 1, 1), dt.date(2025, 3, 31)), (2, dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    (3, dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
    (4, dt.date(2025, 10, 1), dt.date(2025, 12, 31))])
def test_a_quarters_first_and_last_day(number: int, first: dt.date, last: dt.date) -> None:
    quarter = Quarter(2025, number)
    assert (quarter.first_day, quarter.last_day) == (first, last)
    assert quarter.label == f"2025-Q{number}"
    assert Quarter.of(first) == quarter == Quarter.of(last)
    assert Quarter.of(last + dt.timedelta(days=1)) != quarter


def test_the_leap_day_lies_in_the_first_quarter() -> None:
    assert Quarter(2024, 1).last_day == dt.date(2024, 3, 31)
    assert Quarter.of(dt.date(2024, 2, 29)) == Quarter(2024, 1)


def test_the_real_crosswalk_is_recognised_with_its_quarter() -> None:
    rec = recognise(sliced("crosswalk", "13533-0800-71", "13533-0800-20"),
                    "October 2025 ASP NDC-HCPCS Crosswalk.csv")
    assert rec is not None
    assert rec.kind == kinds.CROSSWALK
    assert rec.quarter == Quarter(2025, 4) and rec.year == 2025
    assert (rec.effective, rec.through) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert [r[3] for r in rec.data] == ["13533-0800-20", "13533-0800-71"]  # CMS's own order
    assert rec.data[1][8] == "20"  # BILLUNITS of Gamunex-C 10 g
    assert rec.described == ("ASP NDC-HCPCS crosswalk 2025-Q4 "
                             "(October 2025 ASP NDC-HCPCS Crosswalk.csv)")


def test_the_real_pricing_file_is_recognised_and_blank_rows_are_not_data() -> None:
    rec = recognise(sliced("pricing", "J1459", rows=[b",,,,", b"J1561,Gamunex-c/gammaked,"
                                                      b"500 MG,48.964,20.000,,,,,,"]))
    assert rec is not None and rec.kind == kinds.PRICING
    assert rec.quarter == Quarter(2025, 4)
    assert [r[:4] for r in rec.data] == [("J1459", "Inj ivig privigen 500 mg", "500 MG",
                                          "50.737"),
                                         ("J1561", "Gamunex-c/gammaked", "500 MG", "48.964")]


def test_addendum_b_takes_its_quarter_from_the_file_name() -> None:
    data = sliced("addendum-b", "J1561")
    rec = recognise(data, ADDENDUM_NAME)
    assert rec is not None and rec.kind == kinds.ADDENDUM_B
    assert rec.quarter == Quarter(2025, 4) and rec.year == 2025
    assert rec.effective is None and rec.through is None
    assert rec.data == (("J1561", "Gamunex-c/gammaked", "K", "0948", "", "$48.964", ".",
                         "$9.80", "", "$9.80", "", "", "*"),)
    assert rec.described == f"OPPS Addendum B 2025-Q4 ({ADDENDUM_NAME})"


@pytest.mark.parametrize(("name", "quarter"), [
    ("Section 508 version of January 2025 Web Addendum B.12.31.24.csv", Quarter(2025, 1)),
    ("Section 508 of July 2025 Web Addendum B.07.25.25.csv", Quarter(2025, 3)),
    ("april_2025.csv", Quarter(2025, 2)), ("Apr-2025 Addendum B.csv", Quarter(2025, 2)),
    ("Jul2025 Addendum B.csv", Quarter(2025, 3)), ("OCT.2025.csv", Quarter(2025, 4)),
    # The January 2024 file names no month beside its year; another year is no hint.
    ("Section 508 version of January_Web_2024_Addendum_B.04.24.24.csv", None),
    ("October 2024 Web Addendum B.csv", None), ("Addendum B.csv", None),
    ("March 2025 Addendum B.csv", None),  # not a quarter's first month
])
def test_addendum_b_quarter_hints_in_file_names(name: str, quarter: Quarter | None) -> None:
    rec = recognise(sliced("addendum-b", "J1561"), name)
    assert rec is not None and rec.quarter == quarter and rec.year == 2025
    if quarter is None:
        assert rec.described == f"OPPS Addendum B CY 2025 ({name})"


def test_addendum_b_without_a_calendar_year_is_refused() -> None:
    data = sliced("addendum-b", "J1561").replace(b"for CY 2025", b"for 2025")
    assert refused(data, ADDENDUM_NAME) == (
        f"/in/{ADDENDUM_NAME}: the OPPS Addendum B title names no calendar year "
        "('... for CY 2025')")


@pytest.mark.parametrize("code", ["_2023_CODE", "_2024_CODE", "_2026_CODE", "_2031_code"])
def test_the_crosswalk_first_column_is_named_for_any_year(code: str) -> None:
    rec = recognise(sliced("crosswalk", "13533-0800-71").replace(b"_2025_CODE", code.encode()))
    assert rec is not None and rec.kind == kinds.CROSSWALK


def test_header_case_and_spacing_do_not_matter() -> None:
    data = sliced("pricing", "J1561").replace(b"HCPCS Code,Short Description,HCPCS Code Dosage,"
                                              b"Payment Limit",
                                              b"hcpcs  code,SHORT Description ,HCPCS Code  "
                                              b"dosage,Payment\tLimit")
    rec = recognise(data)
    assert rec is not None and rec.kind == kinds.PRICING and rec.data[0][3] == "48.964"


@pytest.mark.parametrize(("kind", "old", "new", "message"), [
    ("pricing", b",Payment Limit,", b",Payment Allowance,",
     "column 4 is 'Payment Allowance', expected 'Payment Limit'"),
    ("pricing", b",HCPCS Code Dosage,", b",Dosage,",
     "column 3 is 'Dosage', expected 'HCPCS Code Dosage'"),
    ("addendum-b", b",SI,APC,", b",APC,SI,", "column 3 is 'APC', expected 'SI'"),
    ("addendum-b", b",* Indicates a Change", b",Changed",
     "column 13 is 'Changed', expected '* Indicates a Change'"),
    ("crosswalk", b",NDC2,", b",NDC,", "column 4 is 'NDC', expected 'NDC2'"),
    ("crosswalk", b",Short Description,", b",Description,",
     "column 2 is 'Description', expected 'Short Description'"),
])
def test_a_changed_header_column_is_refused_by_number(kind: str, old: bytes, new: bytes,
                                                      message: str) -> None:
    assert old in preamble(kind)[-1]
    heads = {"crosswalk": "ASP NDC-HCPCS crosswalk", "pricing": "ASP pricing file",
             "addendum-b": "OPPS Addendum B"}
    assert refused(sliced(kind, "J1561").replace(old, new)) == (
        f"/in/file.csv: the {heads[kind]} header changed: {message}; check the file against "
        "CMS's record layout before importing it")


def test_a_header_missing_its_last_column_is_refused() -> None:
    data = sliced("pricing", "J1561").replace(b",Clotting Factor,Notes", b",Clotting Factor")
    assert "the ASP pricing file header changed: column 11 is '', expected 'Notes'" in \
        refused(data)


def test_a_header_cut_after_two_columns_is_refused() -> None:
    data = sliced("pricing", "J1561").replace(
        b"HCPCS Code,Short Description,HCPCS Code Dosage,Payment Limit,Co-insurance Percentage,"
        b"Vaccine AWP%,Vaccine Limit,Blood AWP%,Blood limit,Clotting Factor,Notes",
        b"HCPCS Code,Short Description")
    assert "the ASP pricing file header changed: column 3 is '', expected 'HCPCS Code Dosage'" \
        in refused(data)


def test_a_header_with_a_new_column_is_refused() -> None:
    data = sliced("crosswalk", "13533-0800-71").replace(b",BILLUNITSPKG", b",BILLUNITSPKG,NEW")
    assert refused(data) == ("/in/file.csv: the ASP NDC-HCPCS crosswalk header changed: it "
                             "has a new column 11 'NEW'")


def test_a_hcpcs_code_header_of_a_fourth_kind_is_refused() -> None:
    data = sliced("pricing", "J1561").replace(b"HCPCS Code,Short Description,",
                                              b"HCPCS Code,Long Description,")
    assert refused(data) == ("/in/file.csv: a header starts 'HCPCS Code, Long Description', "
                             "which is neither the ASP pricing file's nor Addendum B's; the "
                             "header changed")


def test_a_lone_hcpcs_code_cell_is_no_header_and_a_claims_file_is_none() -> None:
    assert recognise(b"HCPCS Code\r\nJ1561\r\n") is None
    assert recognise(b"\r\n,,,\r\nid,date,lines\r\n1,2025-10-01,J1561 JA 55\r\n") is None
    assert recognise(b"") is None


@pytest.mark.parametrize(("blank", "found"), [(51, True), (52, False)])
def test_the_header_is_searched_for_in_the_first_60_rows(blank: int, found: bool) -> None:
    """The pricing preamble is 8 rows: with 51 more the header is row 60, with 52 row 61."""
    head = preamble("pricing")
    rows = [*head[:-1], *[b",,,"] * blank, head[-1], *data_rows("pricing", "J1561")]
    rec = kinds.recognise(table(b"\r\n".join(rows)))
    assert rows.index(head[-1]) == (59 if found else 60)  # 0-based: the 60th or 61st row
    assert (rec is not None) is found
    if rec is not None:
        assert rec.data[0][:4] == ("J1561", "Gamunex-c/gammaked", "500 MG", "48.964")


def test_a_preamble_without_its_effective_line_is_refused() -> None:
    data = sliced("pricing", "J1561").replace(b"Effective October 1", b"From October 1")
    assert refused(data) == ("/in/file.csv: the ASP pricing file preamble has no 'Effective "
                             "<date> through <date>' line, so its quarter is unknown")


@pytest.mark.parametrize(("line", "quarter"), [
    (b"Effective Jan. 1, 2026 through Mar. 31, 2026", Quarter(2026, 1)),
    (b"EFFECTIVE APRIL 1 2026 THROUGH JUNE 30 2026", Quarter(2026, 2)),
    (b"effective jul 1, 2026  through  sept 30, 2026", Quarter(2026, 3)),
    (b"Effective July 1, 2026 through Sep 30, 2026", Quarter(2026, 3)),
    (b"Effective Oct 1, 2026 through Dec. 31, 2026", Quarter(2026, 4)),
])
def test_effective_lines_in_the_forms_cms_writes(line: bytes, quarter: Quarter) -> None:
    data = sliced("crosswalk", "13533-0800-71").replace(
        b"Effective October 1, 2025 through December 31, 2025", line)
    rec = recognise(data)
    assert rec is not None and rec.quarter == quarter
    assert (rec.effective, rec.through) == (quarter.first_day, quarter.last_day)


@pytest.mark.parametrize(("line", "message"), [
    (b"Effective October 1, 2025 through November 30, 2025",
     "effective 2025-10-01 through 2025-11-30 is not one calendar quarter"),
    (b"Effective October 2, 2025 through December 31, 2025",
     "effective 2025-10-02 through 2025-12-31 is not one calendar quarter"),
    (b"Effective October 1, 2025 through December 31, 2026",
     "effective 2025-10-01 through 2026-12-31 is not one calendar quarter"),
    (b"Effective October 1, 2025 through September 30, 2025",
     "effective 2025-10-01 through 2025-09-30 is not one calendar quarter"),
    (b"Effective October 32, 2025 through December 31, 2025",
     "cannot read the date 'October 32, 2025' in its 'Effective ... through ...' line"),
    (b"Effective October 1, 2025 through Decembre 31, 2025",
     "cannot read the date 'Decembre 31, 2025' in its 'Effective ... through ...' line"),
])
def test_an_effective_period_that_is_not_a_quarter_is_refused(line: bytes, message: str) -> None:
    data = sliced("pricing", "J1561").replace(
        b"Effective October 1, 2025 through December 31, 2025", line)
    assert refused(data) == f"/in/file.csv: {message}"


def test_a_quarter_and_a_recognised_table_cannot_be_changed() -> None:
    """Shared by every later step of one import: frozen, and a quarter is a set member."""
    rec = recognise(sliced("pricing", "J1561"))
    assert rec is not None and {rec.quarter, Quarter(2025, 4)} == {Quarter(2025, 4)}
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'year'"):
        rec.quarter.year = 2026  # type: ignore[misc, union-attr]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'kind'"):
        rec.kind = kinds.CROSSWALK  # type: ignore[misc]
