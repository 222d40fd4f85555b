"""The imported quarter as TOML (ivigcalc.data.cms.write): exact text, and it reads back."""

import datetime as dt
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from cms_slices import CHECKED, CODES
from cms_slices import write as write_slice

from ivigcalc.data.cms import importer, write


@pytest.mark.parametrize(("item", "text"), [
    (True, "true"), (False, "false"), (20, "20"), (0, "0"), (Fraction(33, 10), "3.3"),
    (Fraction(5), "5"), (Fraction(1, 8), "0.125"), (Decimal("48.964"), "48.964"),
    (Decimal("2.50"), "2.5"), (Decimal("10.000"), "10"), (dt.date(2025, 10, 1), "2025-10-01"),
    ("Gamunex-C", '"Gamunex-C"'), ('say "K"', '"say \\"K\\""'),
    ("110 (mL) × 10%", '"110 (mL) × 10%"'), ([Fraction(5, 2), 5, 10], "[2.5, 5, 10]"),
    ((1, "a"), '[1, "a"]'), ([], "[]"),
    ({"code": "J1599", "until": dt.date(2024, 12, 31)}, '{ code = "J1599", until = 2024-12-31 }'),
])
def test_each_value_as_toml(item: object, text: str) -> None:
    assert write.value(item) == text


@pytest.mark.parametrize("item", [0.5, None, {1, 2}])
def test_a_value_without_a_toml_form_is_refused(item: object) -> None:
    with pytest.raises(TypeError, match=r"^no TOML form for "):
        write.value(item)


def test_a_fraction_without_an_exact_decimal_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^1/3 has no exact decimal form$"):
        write.value(Fraction(1, 3))


def test_keys_are_bare_only_when_toml_allows_and_they_cannot_be_misread() -> None:
    text = write.table("t", {"gamunex-c": {"a": 1}, "J1561": {"a": 2}, "x_y": {"a": 3},
                             "13533-0800-71": {"a": 4}, "a.b": {"a": 5}, "a b": {"a": 6},
                             "9to5": {"a": 7}})
    assert text == ('[t.gamunex-c]\na = 1\n\n[t.J1561]\na = 2\n\n[t.x_y]\na = 3\n\n'
                    '[t."13533-0800-71"]\na = 4\n\n[t."a.b"]\na = 5\n\n[t."a b"]\na = 6\n\n'
                    '[t."9to5"]\na = 7\n')
    assert list(tomllib.loads(text)["t"]) == ["gamunex-c", "J1561", "x_y", "13533-0800-71",
                                              "a.b", "a b", "9to5"]


def test_inline_tables_one_row_a_line() -> None:
    rows = {"13533-0800-71": {"code": "J1561", "billunits": 20},
            "44206-0437-10": {"code": "J1459", "billunits": 20}}
    assert write.inline_table("ndcs", rows) == (
        '[ndcs]\n"13533-0800-71" = { code = "J1561", billunits = 20 }\n'
        '"44206-0437-10" = { code = "J1459", billunits = 20 }\n\n')
    assert write.inline_table("opps", {}) == "[opps]\n\n"


def _quarter(tmp_path: Path) -> importer.Imported:
    files = [write_slice(tmp_path, "crosswalk", "13533-0800-71", "44206-0437-10"),
             write_slice(tmp_path, "pricing", "J1561"),
             write_slice(tmp_path, "addendum-b", "J1561")]
    codes = {k: CODES[k] for k in ("J1561", "J1459")}
    facts = importer.load_facts()
    return importer.import_files(files, codes, {k: facts[k] for k in ("gamunex-c", "privigen")},
                                 CHECKED)


def test_the_site_file_of_a_quarter_exactly(tmp_path: Path) -> None:
    data = _quarter(tmp_path)
    text = write.site(data)
    head, rest = text.split("[cms]\n", 1)
    assert head == (
        "# Site catalog written by `ivigcalc catalog import-cms` from CMS's 2025-Q4 files.\n\n"
        '[catalog]\nname = "CMS 2025-Q4 import"\nnote = "Written by `ivigcalc catalog '
        'import-cms` from section 508 version of October 2025 ASP NDC-HCPCS Crosswalk '
        '090525.csv, section 508 version of Oct 2025 ASP Pricing File 091725.csv, 508 version '
        'of October 2025 Web Addendum B.10.31.25.csv"\n\n')
    assert rest.startswith('quarter = "2025-Q4"\neffective = 2025-10-01\nthrough = 2025-12-31\n'
                           'checked = 2026-12-01\n')
    assert ('"13533-0800-71" = { code = "J1561", product = "gamunex-c", billunits = 20, '
            'drug_name = "Gamunex-C", labeler = "Grifols USA, LLC", pkg_size = "100", '
            'pkg_qty = "1", source = "CMS ASP NDC-HCPCS crosswalk 2025-Q4", '
            'checked = 2026-12-01 }\n') in text
    assert ('\n[payments]\n"J1561" = { limit = "48.964", dosage = "500 MG", coinsurance = '
            '"20.000", source = "CMS ASP pricing file 2025-Q4", checked = 2026-12-01 }\n\n'
            '[opps]\n"J1561" = { si = "K", apc = "0948", rate = "48.964", source = "CMS OPPS '
            'Addendum B 2025-Q4", checked = 2026-12-01 }\n\n[products.gamunex-c]\n'
            'vial_sizes_g = [10]\nsource = "Vial sizes: CMS ASP NDC-HCPCS crosswalk 2025-Q4, '
            'BILLUNITS per NDC. ') in text
    parsed = tomllib.loads(text)
    assert parsed["ndcs"]["44206-0437-10"]["note"].startswith("PKG SIZE 110 (mL) × 10% = 11 g")
    assert set(parsed["products"]["privigen"]) == {"vial_sizes_g", "source", "checked"}
    assert parsed["products"]["privigen"]["vial_sizes_g"] == [10]
    assert parsed["cms"]["addendum_b"] == data.files["addendum-b"]


def test_the_bundled_files_of_a_quarter(tmp_path: Path) -> None:
    data = _quarter(tmp_path)
    assert list(write.bundled([data], newest=False)) == ["cms-2025-Q4.toml"]
    files = write.bundled([data], newest=True)
    head = ("# GENERATED by `ivigcalc catalog import-cms` from CMS's 2025-Q4 files; do not "
            "edit.\n# Change product_facts.toml (facts CMS does not carry) and regenerate "
            "instead:\n#   ivigcalc catalog import-cms tests/fixtures/cms/*/*.csv "
            "--resources resources/\n")
    assert list(files) == ["cms-2025-Q4.toml", "products.toml", "catalog.toml"]
    assert files["catalog.toml"] == head + (
        '\n[catalog]\nname = "ivigcalc bundled catalog"\nquarter = "2025-Q4"\n'
        'checked = 2026-12-01\nnote = "NDCs, billing units, payment limits and OPPS status '
        "from CMS's quarterly files, each quarter's own (newest 2025-Q4); product facts from "
        'FDA labels."\n\n')
    assert files["cms-2025-Q4.toml"] == head + "\n" + write.cms_tables(data)
    assert files["products.toml"].startswith(
        head + "# Vial sizes are CMS's BILLUNITS per NDC × the code's billing unit; the rest "
        "is product_facts.toml.\n\n[products.gamunex-c]\nname = \"Gamunex-C\"\n")
    products = tomllib.loads(files["products.toml"])["products"]
    assert products["privigen"]["vial_sizes_g"] == [10]
    assert products["privigen"]["concentration_percent"] == 10
    assert "ndc_products" not in products["privigen"]
