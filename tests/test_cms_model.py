"""What the catalog keeps of a CMS quarter (ivigcalc.data.cms.model): rows, lookups, refusals."""

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from cms_slices import CATALOG

from ivigcalc.data.cms import model
from ivigcalc.data.cms.model import CmsData, NdcRow, Payment
from ivigcalc.errors import CatalogError

DAY = dt.date(2026, 12, 1)
META = {"quarter": "2025-Q4", "effective": dt.date(2025, 10, 1),
        "through": dt.date(2025, 12, 31), "checked": DAY,
        "crosswalk": "section 508 version of October 2025 ASP NDC-HCPCS Crosswalk 090525.csv",
        "pricing": "section 508 version of Oct 2025 ASP Pricing File 091725.csv"}
SOURCE = "CMS ASP NDC-HCPCS crosswalk 2025-Q4"


def ndc_row(code: str = "J1561", units: int = 20, size: str = "100", **extra: object) -> dict:
    return {"code": code, "billunits": units, "drug_name": "Gamunex-C",
            "labeler": "Grifols USA, LLC", "pkg_size": size, "pkg_qty": "1",
            "source": SOURCE, "checked": DAY, **extra}


def refusal(raw: dict) -> str:
    with pytest.raises(CatalogError) as caught:
        model.from_tables(raw, "site.toml")
    return str(caught.value)


def gamunex(ndc: str = "13533-0800-71", units: int = 20, **fields: object) -> NdcRow:
    values = {"code": "J1561", "billunits": Fraction(units), "drug_name": "Gamunex-C",
              "labeler": "Grifols USA, LLC", "pkg_size": "100", "pkg_qty": "1",
              "source": SOURCE, "checked": DAY, "product": "gamunex-c", **fields}
    return NdcRow(ndc=ndc, **values)


def data(*rows: NdcRow, **meta: object) -> CmsData:
    return CmsData(ndcs={r.ndc: r for r in rows}, payments={}, opps={}, **{**META, **meta})


def test_from_tables_reads_the_real_rows_of_gamunex_c() -> None:
    raw = {"cms": {**META, "addendum_b": "508 version of October 2025 Web Addendum B.csv"},
           "ndcs": {"13533-0800-71": ndc_row(product="gamunex-c")},
           "payments": {"J1561": {"limit": "48.964", "dosage": "500 MG",
                                  "coinsurance": "20.000", "source": "CMS ASP pricing file "
                                  "2025-Q4", "checked": DAY}},
           "opps": {"J1561": {"si": "K", "apc": "0948", "rate": "48.964", "source": "CMS OPPS "
                              "Addendum B 2025-Q4", "checked": DAY},
                    "J1551": {"si": "N", "source": "CMS OPPS Addendum B 2025-Q4",
                              "checked": DAY}}}
    cms = model.from_tables(raw, "site.toml")
    assert cms.quarter == "2025-Q4" and cms.addendum_b.startswith("508 version")
    assert cms.ndcs == {"13533-0800-71": gamunex()}
    assert cms.ndcs["13533-0800-71"].billunits == 20
    assert isinstance(cms.ndcs["13533-0800-71"].billunits, Fraction)
    assert cms.payments["J1561"] == Payment("J1561", "48.964", "500 MG",
                                            "CMS ASP pricing file 2025-Q4", DAY, "20.000")
    assert cms.payments["J1561"].amount == Decimal("48.964")
    assert (cms.opps["J1561"].si, cms.opps["J1561"].apc, cms.opps["J1561"].rate) == (
        "K", "0948", "48.964")
    assert (cms.opps["J1551"].si, cms.opps["J1551"].apc, cms.opps["J1551"].rate) == (
        "N", "", "")


def test_the_bundled_2025_q4_judges_its_own_dates() -> None:
    cms = CATALOG.cms_on(dt.date(2025, 11, 3))
    assert cms is not None and cms.quarter == "2025-Q4"
    assert cms.ndcs["13533-0800-71"].billunits == 20
    assert cms.ndcs["44206-0437-10"].note.startswith("PKG SIZE 110 (mL)")
    assert cms.payments["J1459"].limit == "50.737"
    assert cms.describe() == {
        "quarter": "2025-Q4", "effective": "2025-10-01", "through": "2025-12-31",
        "crosswalk": "section 508 version of October 2025 ASP NDC-HCPCS Crosswalk 090525.csv",
        "pricing": "section 508 version of Oct 2025 ASP Pricing File 091725.csv",
        "addendum_b": "508 version of October 2025 Web Addendum B.10.31.25.csv",
        "status_from": "2025-Q4", "checked": cms.checked.isoformat()}


def test_an_empty_quarter_and_describe_without_addendum_b() -> None:
    cms = model.from_tables({"cms": META}, "site.toml")
    assert (cms.ndcs, cms.payments, cms.opps, cms.addendum_b) == ({}, {}, {}, "")
    assert cms.describe()["addendum_b"] is None
    assert cms.rows_of("gamunex-c") == () and cms.by_ndc11() == {}


def test_covers_the_quarter_first_and_last_day_inclusive() -> None:
    cms = data()
    assert cms.covers(dt.date(2025, 10, 1)) and cms.covers(dt.date(2025, 12, 31))
    assert not cms.covers(dt.date(2025, 9, 30)) and not cms.covers(dt.date(2026, 1, 1))


def test_ndc11_and_the_lookups_by_product_and_size() -> None:
    rows = [gamunex("13533-0800-71", 20), gamunex("13533-0800-20", 10),
            gamunex("13533-0800-12", 2),
            gamunex("76125-0900-50", 10, product="gammaked", drug_name="Gammaked"),
            gamunex("13533-0335-12", 1, product="", code="J1560")]
    cms = data(*rows)
    assert rows[0].ndc11 == "13533080071"
    assert [r.ndc for r in cms.rows_of("gamunex-c")] == ["13533-0800-12", "13533-0800-20",
                                                         "13533-0800-71"]
    assert [r.ndc for r in cms.rows_of("")] == ["13533-0335-12"]
    assert cms.rows_of("gammaked") == (rows[3],) and cms.rows_of("privigen") == ()
    assert cms.rows_of("gamunex-c")[0] is rows[2]  # indexed once, the same rows after
    assert sorted(cms.by_ndc11()) == ["13533033512", "13533080012", "13533080020",
                                      "13533080071", "76125090050"]
    assert cms.by_ndc11()["76125090050"] is rows[3]
    assert cms.ndcs_for("gamunex-c", "J1561", Fraction(500), Fraction(5000)) == (
        "13533-0800-20",)
    assert cms.ndcs_for("gamunex-c", "J1561", Fraction(500), Fraction(10000)) == (
        "13533-0800-71",)
    assert cms.ndcs_for("gammaked", "J1561", Fraction(500), Fraction(5000)) == (
        "76125-0900-50",)
    assert cms.ndcs_for("gamunex-c", "J1459", Fraction(500), Fraction(10000)) == ()
    assert cms.ndcs_for("gamunex-c", "J1561", Fraction(100), Fraction(2000)) == (
        "13533-0800-71",)  # 20 units of a 100 mg unit


@pytest.mark.parametrize(("size", "note", "ml"), [
    ("100", "", Decimal("100")), ("12.5", "", Decimal("12.5")), ("0.5", "", Decimal("0.5")),
    ("99999.999", "", Decimal("99999.999")), ("110", "PKG SIZE 110 (mL) × 10% = 11 g", None),
    ("100000", "", None), ("1.2345", "", None), ("", "", None), ("1 VIAL", "", None),
    (".5", "", None)])
def test_labeled_ml_only_from_a_plain_volume_without_a_note(size: str, note: str,
                                                           ml: Decimal | None) -> None:
    assert gamunex(pkg_size=size, note=note).labeled_ml == ml


@pytest.mark.parametrize("units", [1, 100_000])
def test_billunits_from_1_to_100000_are_accepted(units: int) -> None:
    cms = model.from_tables({"cms": META, "ndcs": {"13533-0800-71": ndc_row(units=units)}},
                            "site.toml")
    assert cms.ndcs["13533-0800-71"].billunits == units


@pytest.mark.parametrize("units", [0, 100_001, -20, 2.5, True, "20"])
def test_billunits_outside_1_to_100000_are_refused(units: object) -> None:
    assert refusal({"cms": META, "ndcs": {"13533-0800-71": ndc_row(units=units)}}) == (
        "site.toml: [ndcs.13533-0800-71] field 'billunits': must be a whole number from 1 to "
        "100000")


def test_a_note_of_4000_characters_is_the_longest() -> None:
    good = ndc_row(note="x" * 4000)
    assert model.from_tables({"cms": META, "ndcs": {"13533-0800-71": good}}, "s.toml").ndcs[
        "13533-0800-71"].note == "x" * 4000
    bad = ndc_row(note="x" * 4001)
    assert refusal({"cms": META, "ndcs": {"13533-0800-71": bad}}) == (
        "site.toml: [ndcs.13533-0800-71] field 'note': is 4001 characters; at most 4000")


def test_5000_rows_of_a_table_are_the_most() -> None:
    payment = {"limit": "48.964", "dosage": "500 MG", "source": "CMS", "checked": DAY}
    rows = {f"J{n:04d}": payment for n in range(5000)}
    assert len(model.from_tables({"cms": META, "payments": rows}, "s.toml").payments) == 5000
    rows["K0000"] = payment
    assert refusal({"cms": META, "payments": rows}) == (
        "site.toml: [payments]: must be at most 5000 tables like [payments.key]")


def test_a_table_that_is_not_tables_is_refused() -> None:
    assert refusal({"cms": META, "opps": ["J1561", "K"]}) == (
        "site.toml: [opps]: must be at most 5000 tables like [opps.key]")


@pytest.mark.parametrize(("table", "key", "message"), [
    ("ndcs", "13533080071", "the key must be a 5-4-2 NDC like \"13533-0800-71\""),
    ("payments", "j1561", "the key must be a HCPCS code like J1561"),
    ("opps", "J15611", "the key must be a HCPCS code like J1561")])
def test_a_bad_key_is_refused_naming_table_and_key(table: str, key: str, message: str) -> None:
    row = ndc_row() if table == "ndcs" else {"limit": "1", "dosage": "1 MG", "si": "K",
                                            "source": "CMS", "checked": DAY}
    if table == "payments":
        row.pop("si")
    if table == "opps":
        row = {"si": "K", "source": "CMS", "checked": DAY}
    assert refusal({"cms": META, table: {key: row}}) == f"site.toml: [{table}.{key}]: {message}"


def test_a_long_bad_key_is_cut_in_the_message() -> None:
    key = "J" * 50
    assert refusal({"cms": META, "payments": {key: {}}}) == (
        f"site.toml: [payments.{'J' * 40}… (50 characters)]: the key must be a HCPCS code like "
        "J1561")


@pytest.mark.parametrize(("table", "row", "field", "message"), [
    ("payments", {"limit": "$48.964", "dosage": "500 MG", "source": "CMS", "checked": DAY},
     "limit", 'must be a plain number like "48.964"'),
    ("payments", {"limit": "48.964", "source": "CMS", "checked": DAY}, "dosage", "is missing"),
    ("opps", {"si": "k", "source": "CMS", "checked": DAY}, "si",
     "must be a status indicator like K"),
    ("opps", {"si": "K", "rate": "48,964", "source": "CMS", "checked": DAY}, "rate",
     'must be a plain number like "48.964"'),
    ("ndcs", ndc_row(product="Gamunex C"), "product", "must be a product key"),
    ("ndcs", ndc_row(code="J15610"), "code", "must be a HCPCS code like J1561"),
])
def test_a_bad_field_is_refused_naming_it(table: str, row: dict, field: str,
                                          message: str) -> None:
    key = "13533-0800-71" if table == "ndcs" else "J1561"
    assert refusal({"cms": META, table: {key: row}}) == (
        f"site.toml: [{table}.{key}] field '{field}': {message}")


def test_the_cms_table_is_required_and_checked() -> None:
    assert refusal({"ndcs": {}}) == ("site.toml: [cms]: must be a table of quarter, effective, "
                                     "through, checked, crosswalk, pricing, addendum_b, "
                                     "status_from")
    assert refusal({"cms": {**META, "quarter": "2025-Q5"}}) == (
        "site.toml: [cms] field 'quarter': must be a quarter like 2025-Q4")
    assert refusal({"cms": {**META, "through": dt.date(2025, 9, 30)}}) == (
        "site.toml: [cms] field 'through': effective (2025-10-01) is later than through "
        "(2025-09-30); the order is effective <= through")


def test_the_site_json_schema_of_the_cms_tables() -> None:
    schema = model.site_json_schema()
    assert list(schema) == ["cms", "ndcs", "payments", "opps", "quarters"]
    quarter = schema["quarters"]["additionalProperties"]
    assert quarter["properties"] == {k: schema[k] for k in ("cms", "ndcs", "payments", "opps")}
    assert schema["quarters"]["propertyNames"]["pattern"] == "^[0-9]{4}-Q[1-4]$"
    assert schema["cms"]["required"] == ["quarter", "effective", "through", "checked",
                                         "crosswalk", "pricing"]
    assert schema["ndcs"]["type"] == "object"
    assert schema["ndcs"]["propertyNames"] == {"type": "string",
                                               "pattern": "^[0-9]{5}-[0-9]{4}-[0-9]{2}$"}
    assert schema["payments"]["propertyNames"]["pattern"] == "^[A-Z][0-9]{4}$"
    assert schema["ndcs"]["additionalProperties"]["properties"]["billunits"] == {
        "type": "integer", "minimum": 1, "maximum": 100000}
    assert schema["opps"]["additionalProperties"]["required"] == ["si", "source", "checked"]


def test_cross_check_refuses_an_ndc_of_an_unknown_or_non_ig_code_and_unknown_product() -> None:
    def refused(row: NdcRow) -> str:
        with pytest.raises(CatalogError) as caught:
            model.cross_check(data(row), CATALOG.codes, CATALOG.products, "site.toml")
        return str(caught.value)
    model.cross_check(data(gamunex()), CATALOG.codes, CATALOG.products, "site.toml")
    model.cross_check(data(gamunex(product="")), CATALOG.codes, CATALOG.products, "site.toml")
    assert refused(gamunex(code="J1610")) == (
        "site.toml: [ndcs.13533-0800-71] field 'code': J1610 is not an immune globulin code in "
        "codes.toml")
    assert refused(gamunex(code="J9999")) == (
        "site.toml: [ndcs.13533-0800-71] field 'code': J9999 is not an immune globulin code in "
        "codes.toml")
    assert refused(gamunex(product="gamunex")) == (
        "site.toml: [ndcs.13533-0800-71] field 'product': 'gamunex' is not in products.toml")


def test_the_rows_of_a_quarter_cannot_be_changed() -> None:
    """The bundled quarter is read once per process and shared by every calculation."""
    cms = CATALOG.cms
    assert cms is not None
    for row, name in ((cms.ndcs["13533-0800-71"], "billunits"), (cms.payments["J1561"], "limit"),
                      (cms.opps["J1561"], "si"), (cms, "quarter")):
        with pytest.raises(dataclasses.FrozenInstanceError, match=f"field '{name}'"):
            setattr(row, name, "1")


def test_the_lookup_indexes_are_no_part_of_the_data() -> None:
    """Built on first use, they change neither equality nor the printed form."""
    used, fresh = data(gamunex()), data(gamunex())
    assert used.rows_of("gamunex-c") and used.by_ndc11()
    assert used == fresh
    assert repr(used) == repr(fresh) and "_by_" not in repr(used)
