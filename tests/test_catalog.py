"""The versioned data: complete, validated at load, overridable by a site, never written."""

import hashlib
from importlib.resources import files
from pathlib import Path

import pytest

from ivigcalc.data import catalog
from ivigcalc.errors import CatalogError

# Every product, its sizes in g (CMS's October 2025 crosswalk, BILLUNITS per NDC; the FDA
# label for Flebogamma and Qivigy, which have no NDC rows) and its code.
DOMAIN_PRODUCTS = {
    "gamunex-c": ("1 2.5 5 10 20 40", "J1561"), "gammaked": ("5 10 20", "J1561"),
    "privigen": ("5 10 20 40", "J1459"), "gammagard-liquid": ("1 2.5 5 10 20 30", "J1569"),
    "gammagard-sd": ("5 10", "J1566"), "octagam-5": ("1 2.5 5 10", "J1568"),
    "octagam-10": ("2 5 10 20 30", "J1568"), "flebogamma-5": ("0.5 2.5 5 10 20", "J1572"),
    "flebogamma-10": ("5 10 20", "J1572"), "bivigam": ("5 10", "J1556"),
    "panzyga": ("2.5 5 10 20 30", "J1576"), "asceniv": ("5", "J1554"),
    "gammaplex-5": ("5 10 20", "J1557"), "gammaplex-10": ("5 10 20", "J1557"),
    "alyglo": ("5 10 20", "J1552"), "qivigy": ("5 10", "J1599"),
    "hizentra": ("1 2 4 10", "J1559"), "cuvitru": ("1 2 4 8 10", "J1555"),
    "xembify": ("1 2 4 10", "J1558"), "cutaquig": ("1 2 3.3 4 8", "J1551"),
    "hyqvia": ("2.5 5 10 20 30", "J1575"),
}  # fmt: skip
UNIT_100_MG = {"J1551", "J1555", "J1558", "J1559", "J1575"}


def test_every_domain_product_is_shipped_as_specified() -> None:
    from datetime import date
    from fractions import Fraction

    loaded = catalog.load().catalog
    assert set(loaded.products) == set(DOMAIN_PRODUCTS)
    for key, (sizes, code) in DOMAIN_PRODUCTS.items():
        product = loaded.products[key]
        assert sorted(product.vial_sizes_mg) == sorted(Fraction(s) * 1000 for s in sizes.split())
        assert product.code_on(date(2026, 1, 1)) == code, key
        expected_unit = 100 if code in UNIT_100_MG else 500
        assert loaded.codes[code].unit_mg == expected_unit
        assert (product.kind == "scig") == (code in UNIT_100_MG), key


def test_codes_are_ig_except_the_glucagon_codes_and_rows_are_sourced() -> None:
    loaded = catalog.load().catalog
    assert not loaded.codes["J1611"].immune_globulin
    assert "glucagon" in loaded.codes["J1611"].descriptor
    assert not loaded.codes["J1610"].immune_globulin
    assert {k for k, c in loaded.codes.items() if c.dual_route} == {"J1561", "J1569"}
    for table in ("codes", "products", "payers", "policies", "presets"):
        for row in getattr(loaded, table).values():
            assert row.source and row.checked, (table, row.key)


def test_payers_match_the_contract() -> None:
    from datetime import date

    payers = catalog.load().catalog.payers
    medicare, commercial = payers["medicare"], payers["commercial"]
    assert medicare.jw_from == date(2017, 1, 1)
    assert medicare.jz_required_from == date(2023, 7, 1)
    assert medicare.kx and not commercial.kx
    assert commercial.jw and commercial.jz_required_from is None


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_site_catalog_overrides_and_adds_rows(tmp_path: Path) -> None:
    path = write(tmp_path, """
[catalog]
name = "St Elsewhere pharmacy"

[products.privigen]
vial_sizes_g = [10, 20]

[payers.bcbs]
name = "Blue plan"
jw = false
kx = false
dosing_policy = "bmi-30"
source = "Provider manual 2026"
checked = 2026-10-01
""")
    loaded = catalog.load(path)
    assert loaded.catalog.products["privigen"].vial_sizes_mg == (20000, 10000)
    assert loaded.catalog.payers["bcbs"].dosing_policy == "bmi-30"
    assert "St Elsewhere pharmacy" in loaded.catalog.version
    described = [change.describe() for change in loaded.changes]
    assert "adds payers.bcbs" in described
    assert any(d.startswith("changes products.privigen.vial_sizes_g") for d in described)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[products.privigen]\nvial_size_g = [10]\n",
         "site.toml: [products.privigen] field 'vial_size_g': unknown field"),
        ("[products.privigen]\nvial_sizes_g = [0]\n",
         "site.toml: [products.privigen] field 'vial_sizes_g': item 1: must be more than zero"),
        ("[products.privigen]\ncode = \"J1611\"\n",
         "site.toml: [products.privigen] field 'code': J1611 is not an immune globulin code"),
        ("[codes.J1599]\nunit_mg = \"500\"\n",
         "site.toml: [codes.J1599] field 'unit_mg': must be a number"),
        ("[payers.x]\nname = \"X\"\n", "site.toml: [payers.x] field 'jw': is missing"),
        ("[payers.medicare]\ndosing_policy = \"nope\"\n",
         "[payers.medicare] field 'dosing_policy': 'nope' is not in policies.toml"),
        ("[products.privigen]\nchecked = \"2026-01-01\"\n", "must be a date"),
        ("[drugs.x]\n", "unknown table(s) drugs"),
        ("[products.privigen\n", "is not valid TOML"),
        ("[codes.j99]\ndescriptor = \"x\"\n", "[codes.j99]"),
        ("[payers.BCBS]\nname = \"B\"\n", "[payers.BCBS]: a key takes lower-case letters"),
    ],
)
def test_site_catalog_errors_name_file_entry_and_field(tmp_path: Path, text: str,
                                                       fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CatalogError) as caught:
        catalog.load(path)
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_missing_site_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot be read"):
        catalog.load(tmp_path / "absent.toml")


def test_broken_site_falls_back_whole(tmp_path: Path) -> None:
    path = write(tmp_path, "[products.privigen]\nvial_sizes_g = [10]\n[payers.x]\nname = 1\n")
    loaded, problem = catalog.load_with_fallback(str(path))
    assert problem is not None and "Using the bundled catalog" in problem
    assert loaded.site_path is None
    assert len(loaded.products["privigen"].vial_sizes_mg) == 4  # not half-applied


def test_bundled_data_is_never_written(tmp_path: Path) -> None:
    root = files("ivigcalc.resources")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
              for p in root.iterdir() if p.name.endswith(".toml")}
    catalog.load(write(tmp_path, "[products.privigen]\nvial_sizes_g = [10]\n"))
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
             for p in root.iterdir() if p.name.endswith(".toml")}
    assert before == after
    assert len(catalog.load().catalog.products["privigen"].vial_sizes_mg) == 4
