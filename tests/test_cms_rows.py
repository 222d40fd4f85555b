"""Typed rows of the three CMS files (ivigcalc.data.cms.rows): real 2025-Q4 rows, bad cells."""

import dataclasses
from fractions import Fraction

import pytest
from cms_slices import sliced

from ivigcalc.data.cms import kinds, rows
from ivigcalc.data.cms.read import ImportRefused, Table, rows_of

ORIGIN = "/in/file.csv"


def rec(kind: str, *starts: str, extra: tuple[bytes, ...] = ()) -> kinds.Recognised:
    name = "508 version of October 2025 Web Addendum B.10.31.25.csv"
    found = kinds.recognise(Table(name, ORIGIN, rows_of(sliced(kind, *starts, rows=extra),
                                                         ORIGIN)))
    assert found is not None and found.kind == kind
    return found


def refused(kind: str, codes: set[str], *starts: str, extra: tuple[bytes, ...] = ()) -> str:
    read = {"crosswalk": rows.crosswalk, "pricing": rows.pricing,
            "addendum-b": rows.addendum_b}[kind]
    with pytest.raises(ImportRefused) as caught:
        read(rec(kind, *starts, extra=extra), codes)
    return str(caught.value)


@pytest.mark.parametrize(("text", "mg"), [
    ("500 MG", 500), ("100 MG", 100), ("1 G", 1000), ("0.5 G", 500), ("2.5 g", 2500),
    (" 500mg ", 500), ("0.16 MG", Fraction(4, 25)), ("10 CC", None), ("1 ML", None),
    ("150 IU", None), ("MG", None), ("500 MG IV", None), ("", None)])
def test_dosage_in_mg(text: str, mg: Fraction | None) -> None:
    assert rows.dosage_mg(text) == mg


def test_the_crosswalk_rows_of_gamunex_c_exactly() -> None:
    found = rows.crosswalk(rec("crosswalk", "J1561", "J1459"), {"J1561"})
    assert [r.ndc for r in found] == ["13533-0800-12", "13533-0800-15", "13533-0800-20",
                                      "13533-0800-24", "13533-0800-40", "13533-0800-71",
                                      "76125-0900-10", "76125-0900-20", "76125-0900-50"]
    ten = found[5]
    assert ten == rows.CrosswalkRow(
        code="J1561", description="Gamunex-c/gammaked", labeler="Grifols USA, LLC",
        ndc="13533-0800-71", drug_name="Gamunex-C", dosage="500 MG", pkg_size="100",
        pkg_qty="1", billunits=Fraction(20))
    assert ten.labeler_product == "13533-0800"
    assert found[0].billunits == 2 and found[-1].billunits == 10  # 1 g and Gammaked 5 g


def test_the_crosswalk_keeps_only_the_codes_asked_for_and_reads_lowercase_codes() -> None:
    lower = b'j1459,Inj ivig privigen 500 mg,CSL Behring L.L.C.,44206-0439-40,Privigen,' \
            b'500 MG,400,1,80,80,,,'
    found = rows.crosswalk(rec("crosswalk", "J1551", extra=(lower,)), {"J1459"})
    assert [(r.code, r.ndc, r.billunits) for r in found] == [("J1459", "44206-0439-40", 80)]
    assert rows.crosswalk(rec("crosswalk", "J1551"), set()) == []


def test_a_fractional_billunits_cell_is_read_exactly() -> None:
    """Gamastan 13533-0335-04 (J1560, 10 CC): BILLUNITS 0.2 for a 2 mL vial."""
    (row, _) = rows.crosswalk(rec("crosswalk", "J1560"), {"J1560"})
    assert (row.ndc, row.dosage, row.pkg_size, row.billunits) == (
        "13533-0335-04", "10 CC", "2", Fraction(1, 5))


def test_a_row_cut_short_has_empty_cells_and_is_refused_at_billunits() -> None:
    short = b"J1561,Gamunex-c/gammaked,\"Grifols USA, LLC\",13533-0800-71,Gamunex-C,500 MG"
    message = refused("crosswalk", {"J1561"}, "J1459", extra=(short,))
    assert message == ("/in/file.csv: ASP NDC-HCPCS crosswalk data row 5: BILLUNITS of "
                       "13533-0800-71 '' is not a number")


@pytest.mark.parametrize(("cell", "why"), [
    (b"2O", "'2O' is not a number"), (b"", "'' is not a number"),
    (b"twenty", "'twenty' is not a number"), (b"1/2", "'1/2' is not a number"),
    (b"Infinity", "'Infinity' is not a number"), (b"-inf", "'-inf' is not a number"),
    (b"NaN", "'NaN' is not a number"), (b"0", "'0' must be more than zero"),
    (b"-20", "'-20' must be more than zero"),
    (b"0.000", "'0.000' must be more than zero")])
def test_a_bad_billunits_cell_refuses_the_file_naming_row_and_ndc(cell: bytes, why: str) -> None:
    bad = b"J1561,Gamunex-c/gammaked,\"Grifols USA, LLC\",13533-0800-71,Gamunex-C,500 MG," \
          b"100,1," + cell + b",20,,,"
    assert refused("crosswalk", {"J1561"}, "J1561", extra=(bad,)) == (
        f"/in/file.csv: ASP NDC-HCPCS crosswalk data row 10: BILLUNITS of 13533-0800-71 {why}")


def test_the_first_data_row_is_row_1() -> None:
    bad = b"J1561,Gamunex-c/gammaked,\"Grifols USA, LLC\",13533-0800-71,Gamunex-C,500 MG," \
          b"100,1,0,0"
    assert "crosswalk data row 1: BILLUNITS of 13533-0800-71 '0' must be more than zero" in \
        refused("crosswalk", {"J1561"}, extra=(bad,))


@pytest.mark.parametrize("ndc", [b"13533080071", b"13533-800-71", b"13533-0800-71 X",
                                 b"1353-30800-71", b"", b"13533-0800-7"])
def test_an_ndc2_not_5_4_2_is_refused(ndc: bytes) -> None:
    bad = b"J1561,Gamunex-c/gammaked,Grifols," + ndc + b",Gamunex-C,500 MG,100,1,20,20"
    assert refused("crosswalk", {"J1561"}, "J1459", extra=(bad,)) == (
        f"/in/file.csv: ASP NDC-HCPCS crosswalk data row 5: NDC2 '{ndc.decode()}' of J1561 is "
        "not a 5-4-2 NDC")


def test_a_bad_row_of_a_code_not_asked_for_is_not_read() -> None:
    bad = b"J9999,Other,Maker,bad-ndc,Other,1 MG,1,1,x,x"
    assert [r.ndc for r in rows.crosswalk(rec("crosswalk", "J1554", extra=(bad,)),
                                          {"J1554"})] == ["69800-0250-01"]


def test_the_pricing_rows_exactly() -> None:
    found = rows.pricing(rec("pricing", "J1459", "J1559", "J1561", "J1610"),
                         {"J1459", "J1559", "J1561"})
    assert found == [
        rows.PricingRow("J1459", "Inj ivig privigen 500 mg", "500 MG", "50.737", "20.000"),
        rows.PricingRow("J1559", "Hizentra injection", "100 MG", "14.337", "19.217"),
        rows.PricingRow("J1561", "Gamunex-c/gammaked", "500 MG", "48.964", "20.000")]


def test_a_pricing_row_without_coinsurance_and_a_lowercase_code() -> None:
    found = rows.pricing(rec("pricing", extra=(b"j1561,Gamunex-c/gammaked,500 MG,48.964",)),
                         {"J1561"})
    assert found == [rows.PricingRow("J1561", "Gamunex-c/gammaked", "500 MG", "48.964", "")]


@pytest.mark.parametrize("limit", [b"$48.964", b"48,964", b"", b"n/a", b"48.", b".964",
                                   b"-48.964", b"48.964 USD"])
def test_a_payment_limit_that_is_not_a_plain_number_is_refused(limit: bytes) -> None:
    cell = b'"' + limit + b'"' if b"," in limit else limit
    bad = b"J1561,Gamunex-c/gammaked,500 MG," + cell + b",20.000"
    assert refused("pricing", {"J1561"}, "J1459", extra=(bad,)) == (
        f"/in/file.csv: ASP pricing file data row 2: Payment Limit '{limit.decode()}' of J1561 "
        "is not a plain number")


def test_the_addendum_b_rows_exactly() -> None:
    found = rows.addendum_b(rec("addendum-b", "J1551", "J1561", "J1459", "J1562"),
                            {"J1551", "J1561", "J1459"})
    assert found == [
        rows.StatusRow("J1459", "Inj ivig privigen 500 mg", "K", "1214", "50.737"),
        rows.StatusRow("J1551", "Inj cutaquig 100 mg", "N", "", ""),
        rows.StatusRow("J1561", "Gamunex-c/gammaked", "K", "0948", "48.964")]


def test_a_two_letter_status_and_a_lowercase_one_and_a_bare_rate() -> None:
    """E2 (Vivaglobin, J1562) is a real two-character SI; 'k' is read as K."""
    extra = (b"j1561,Gamunex-c/gammaked,k,0948,,48.964",)
    found = rows.addendum_b(rec("addendum-b", "J1562", extra=extra), {"J1562", "J1561"})
    assert [(r.code, r.si, r.rate) for r in found] == [("J1562", "E2", ""),
                                                       ("J1561", "K", "48.964")]


@pytest.mark.parametrize("si", [b"", b"KK1", b"1", b"K-", b"$"])
def test_a_bad_status_indicator_is_refused(si: bytes) -> None:
    bad = b"J1561,Gamunex-c/gammaked," + si + b",0948,,$48.964"
    assert refused("addendum-b", {"J1561"}, "J1459", extra=(bad,)) == (
        f"/in/file.csv: OPPS Addendum B data row 2: SI '{si.decode()}' of J1561 is not a "
        "status indicator")


@pytest.mark.parametrize("rate", [b"$48.96.4", b"USD 48.964", b"n/a", b"$-1"])
def test_a_bad_payment_rate_is_refused(rate: bytes) -> None:
    bad = b"J1561,Gamunex-c/gammaked,K,0948,," + rate
    assert refused("addendum-b", {"J1561"}, "J1459", extra=(bad,)) == (
        f"/in/file.csv: OPPS Addendum B data row 2: Payment Rate '{rate.decode()}' of J1561 is "
        "not an amount")


def test_a_bad_cell_of_a_code_not_asked_for_is_not_read() -> None:
    extra = (b"J9999,Other,??,x,,$$$",)
    assert rows.addendum_b(rec("addendum-b", "J1561", extra=extra), {"J1561"})[0].si == "K"
    extra = (b"J9999,Other,1 MG,$1",)
    assert rows.pricing(rec("pricing", "J1561", extra=extra), {"J1561"})[0].limit == "48.964"


def test_rows_read_cannot_be_changed() -> None:
    (cross,) = rows.crosswalk(rec("crosswalk", "13533-0800-71"), {"J1561"})
    (price,) = rows.pricing(rec("pricing", "J1561"), {"J1561"})
    (status,) = rows.addendum_b(rec("addendum-b", "J1561"), {"J1561"})
    for row, name in ((cross, "billunits"), (price, "limit"), (status, "si")):
        with pytest.raises(dataclasses.FrozenInstanceError, match=f"field '{name}'"):
            setattr(row, name, "1")
