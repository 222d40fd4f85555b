"""One quarter's files into catalog tables (ivigcalc.data.cms.importer), on slices of 2025-Q4.

Every value asserted here was read from CMS's 2025-Q4 files themselves (crosswalk 090525,
pricing file 091725, Addendum B 10.31.25): Gamunex-C 13533-0800-71 is PKG SIZE 100, PKG QTY
1, BILLUNITS 20 under J1561; J1561's payment limit is 48.964; its SI is K in APC 0948.
"""

import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from cms_slices import CATALOG, CHECKED, CODES, data_rows, sliced, write

from ivigcalc.data.cms import importer
from ivigcalc.data.cms.read import ImportRefused

FACTS = importer.load_facts()
CROSSWALK = "section 508 version of October 2025 ASP NDC-HCPCS Crosswalk 090525.csv"
PRICING = "section 508 version of Oct 2025 ASP Pricing File 091725.csv"
ADDENDUM = "508 version of October 2025 Web Addendum B.10.31.25.csv"
FIXTURES = Path(__file__).parent / "fixtures" / "cms"
SOURCE = "CMS ASP NDC-HCPCS crosswalk 2025-Q4"
GAMUNEX_10G = (b'J1561,Gamunex-c/gammaked,"Grifols USA, LLC",13533-0800-71,Gamunex-C,500 MG,'
               b'100,1,20,20')


def codes(*keys: str) -> dict:
    return {k: CODES[k] for k in keys}


def facts(*keys: str) -> dict:
    return {k: FACTS[k] for k in keys}


def run(folder: Path, cross: tuple[str, ...] = (), pricing: tuple[str, ...] = ("J1561",),
        addendum: tuple[str, ...] | None = (), code_keys: tuple[str, ...] = ("J1561",),
        fact_keys: tuple[str, ...] = ("gamunex-c",), cross_rows: tuple[bytes, ...] = (),
        pricing_rows: tuple[bytes, ...] = (), code_table: dict | None = None
        ) -> importer.Imported:
    paths = [write(folder, "crosswalk", *cross, rows=cross_rows),
             write(folder, "pricing", *pricing, rows=pricing_rows)]
    if addendum is not None:
        paths.append(write(folder, "addendum-b", *addendum))
    return importer.import_files(paths, code_table or codes(*code_keys), facts(*fact_keys),
                                 CHECKED)


def ndc(code: str, drug: str, labeler: str, size: str, units: int, product: str,
        note: str = "") -> dict:
    return {"code": code, "product": product, "billunits": units, "drug_name": drug,
            "labeler": labeler, "pkg_size": size, "pkg_qty": "1",
            **({"note": note} if note else {}), "source": SOURCE, "checked": CHECKED}


def test_a_slice_of_the_quarter_imports_exactly(tmp_path: Path) -> None:
    out = run(tmp_path,
              cross=("13533-0636-01", "13533-0800-71", "76125-0900-50", "44206-0437-10",
                     "68982-0810-04", "00944-2656-03", "61476-0104-05", "65219-0828-05"),
              pricing=("J1459", "J1561", "J1551", "J1552", "J1559", "J1610"),
              addendum=("J1561", "J1551", "J1610"),
              code_keys=("J1459", "J1551", "J1552", "J1561", "J1566", "J1610"),
              fact_keys=("gamunex-c", "gammaked", "privigen", "cutaquig", "gammagard-sd",
                         "alyglo", "flebogamma-5", "hizentra"))
    assert out.quarter.label == "2025-Q4"
    assert out.files == {"crosswalk": CROSSWALK, "pricing": PRICING, "addendum-b": ADDENDUM}
    assert out.cms == {"quarter": "2025-Q4", "effective": out.quarter.first_day,
                       "through": out.quarter.last_day, "checked": CHECKED,
                       "crosswalk": CROSSWALK, "pricing": PRICING, "addendum_b": ADDENDUM}
    assert str(out.cms["effective"]) == "2025-10-01" and str(out.cms["through"]) == "2025-12-31"
    privigen_note = ("PKG SIZE 110 (mL) × 10% = 11 g disagrees with BILLUNITS 20 × 500 mg = 10 "
                     "g; BILLUNITS is what CMS pays on and is kept")
    assert out.ndcs == {  # the first (90371) and last (Q9999) data rows are not IG: left out
        "13533-0800-71": ndc("J1561", "Gamunex-C", "Grifols USA, LLC", "100", 20, "gamunex-c"),
        "76125-0900-50": ndc("J1561", "Gammaked", "Kedrion Biopharma Inc", "50", 10,
                             "gammaked"),
        "44206-0437-10": ndc("J1459", "Privigen", "CSL Behring L.L.C.", "110", 20, "privigen",
                             privigen_note),
        "68982-0810-04": ndc("J1551", "Cutaquig", "Octapharma USA Inc.", "20", 33, "cutaquig"),
        "00944-2656-03": ndc("J1566", "Gammagard S/D", "Takeda Pharmaceuticals America, Inc.",
                             "1", 10, "gammagard-sd"),
        "61476-0104-05": ndc("J1552", "Alyglo", "GC Biopharma USA, Inc.", "50", 10, "alyglo")}
    assert list(out.ndcs["13533-0800-71"]) == ["code", "product", "billunits", "drug_name",
                                               "labeler", "pkg_size", "pkg_qty", "source",
                                               "checked"]

    def pay(limit: str, dosage: str) -> dict:
        return {"limit": limit, "dosage": dosage, "coinsurance": "20.000",
                "source": "CMS ASP pricing file 2025-Q4", "checked": CHECKED}
    # J1610 is glucagon, in codes.toml so that a wrong code can be explained: its limit too.
    assert out.payments == {"J1459": pay("50.737", "500 MG"), "J1561": pay("48.964", "500 MG"),
                            "J1551": pay("14.232", "100 MG"), "J1552": pay("130.236", "500 MG"),
                            "J1610": pay("182.447", "1 MG")}
    opps = {"source": "CMS OPPS Addendum B 2025-Q4", "checked": CHECKED}
    assert out.opps == {"J1561": {"si": "K", "apc": "0948", "rate": "48.964", **opps},
                        "J1551": {"si": "N", **opps},
                        "J1610": {"si": "K", "apc": "9042", "rate": "182.447", **opps}}
    assert list(out.opps["J1561"]) == ["si", "apc", "rate", "source", "checked"]
    assert out.read == [f"read ASP NDC-HCPCS crosswalk 2025-Q4 ({CROSSWALK})",
                        f"read ASP pricing file 2025-Q4 ({PRICING})",
                        f"read OPPS Addendum B 2025-Q4 ({ADDENDUM})"]
    assert out.reports == [
        f"NDC 44206-0437-10 (Privigen): {privigen_note}",
        "J1566: no payment limit in the pricing file (none is shown)",
        "hizentra: the crosswalk lists none of its NDCs (44206-0451, 44206-0452, 44206-0454, "
        "44206-0455, 44206-0456, 44206-0457, 44206-0458); no vial sizes"]
    assert sorted(out.products) == ["alyglo", "cutaquig", "flebogamma-5", "gammagard-sd",
                                    "gammaked", "gamunex-c", "privigen"]
    cutaquig = out.products["cutaquig"]
    assert cutaquig["vial_sizes_g"] == [Fraction(33, 10)]
    assert cutaquig["concentration_percent"] == Fraction(33, 2)
    assert cutaquig["checked"] == CHECKED
    assert cutaquig["source"] == ("Vial sizes: CMS ASP NDC-HCPCS crosswalk 2025-Q4 (each date's "
                                  "NDCs from its own quarter's crosswalk), BILLUNITS per NDC. "
                                  f"{FACTS['cutaquig']['source']}")
    assert set(cutaquig) == {k for k in FACTS["cutaquig"] if k != "ndc_products"} | {
        "vial_sizes_g"}
    flebogamma = out.products["flebogamma-5"]  # no NDC in CMS's files: the label's sizes
    assert flebogamma == {**{k: v for k, v in FACTS["flebogamma-5"].items()
                             if k != "sizes_source"},
                          "source": f"Vial sizes: {FACTS['flebogamma-5']['sizes_source']}. "
                                    f"{FACTS['flebogamma-5']['source']}", "checked": CHECKED}
    assert flebogamma["vial_sizes_g"] == [Fraction(1, 2), Fraction(5, 2), 5, 10, 20]


def test_vial_sizes_are_sorted_and_each_size_once(tmp_path: Path) -> None:
    """Gamunex-C in CMS's NDC order is 1, 2.5, 5, 20, 40, 10 g; Hizentra -0455-10 and
    -0455-25 are both 10 g."""
    out = run(tmp_path, cross=("J1561", "J1559"), pricing=("J1561", "J1559"),
              code_keys=("J1561", "J1559"), fact_keys=("gamunex-c", "hizentra"))
    assert out.products["gamunex-c"]["vial_sizes_g"] == [1, Fraction(5, 2), 5, 10, 20, 40]
    assert out.products["hizentra"]["vial_sizes_g"] == [1, 2, 4, 10]
    assert out.ndcs["44206-0455-25"]["billunits"] == 100
    assert out.payments["J1559"]["coinsurance"] == "19.217"  # the IRA's lowered percentage
    # Gammaked's rows (76125-0900) are J1561 too, but no product in these facts claims them.
    assert out.reports[:3] == [
        f"NDC {n} (Gammaked, J1561) belongs to no product: add '76125-0900' to ndc_products "
        "of its product in product_facts.toml" for n in ("76125-0900-10", "76125-0900-20",
                                                         "76125-0900-50")]
    assert "product" not in out.ndcs["76125-0900-10"]
    assert out.ndcs["76125-0900-10"]["billunits"] == 20


def test_the_known_pkg_size_errors_are_reported_and_billunits_kept(tmp_path: Path) -> None:
    out = run(tmp_path, cross=("64208-8234-08", "64208-8234-06", "68982-0810-01"),
              pricing=("J1557", "J1551"), code_keys=("J1557", "J1551"),
              fact_keys=("gammaplex-5", "cutaquig"))
    note = ("PKG SIZE 100 (mL) × 5% = 5 g disagrees with BILLUNITS 40 × 500 mg = 20 g; "
            "BILLUNITS is what CMS pays on and is kept")
    assert out.reports == [f"NDC 64208-8234-08 (Gammaplex): {note}"]
    assert out.ndcs["64208-8234-08"]["billunits"] == 40
    assert out.ndcs["64208-8234-08"]["note"] == note
    assert "note" not in out.ndcs["64208-8234-06"]  # 100 mL of 5% = 5 g = 10 units
    assert "note" not in out.ndcs["68982-0810-01"]  # Cutaquig 6 mL × 16.5% = 0.99 g ≈ 1 g
    assert out.products["gammaplex-5"]["vial_sizes_g"] == [5, 20]


@pytest.mark.parametrize(("size", "noted"), [
    (b"102", False), (b"98", False), (b"102.01", True), (b"97.99", True), (b"100", False)])
def test_pkg_size_within_2_percent_of_billunits_is_no_disagreement(
        tmp_path: Path, size: bytes, noted: bool) -> None:
    """Gamunex-C 10 g (BILLUNITS 20): 10% of 98 to 102 mL is within 2% of 10 g."""
    row = GAMUNEX_10G.replace(b",100,1,20,", b"," + size + b",1,20,")
    out = run(tmp_path, cross_rows=(row,))
    assert ("note" in out.ndcs["13533-0800-71"]) is noted
    if noted:
        grams = Fraction(size.decode()) / 10
        assert out.reports == [
            f"NDC 13533-0800-71 (Gamunex-C): PKG SIZE {size.decode()} (mL) × 10% = "
            f"{float(grams):g} g disagrees with BILLUNITS 20 × 500 mg = 10 g; BILLUNITS is what "
            "CMS pays on and is kept"]
    else:
        assert out.reports == []


def test_a_disagreement_in_fractions_of_a_gram_is_written_in_decimals(tmp_path: Path) -> None:
    row = (b"J1551,Inj cutaquig 100 mg,Octapharma USA Inc.,68982-0810-04,Cutaquig,100 MG,24,1,"
           b"33,33")
    out = run(tmp_path, cross_rows=(row,), pricing=("J1551",), code_keys=("J1551",),
              fact_keys=("cutaquig",))
    assert out.reports == [
        "NDC 68982-0810-04 (Cutaquig): PKG SIZE 24 (mL) × 16.5% = 3.96 g disagrees with "
        "BILLUNITS 33 × 100 mg = 3.3 g; BILLUNITS is what CMS pays on and is kept"]


@pytest.mark.parametrize("size", [b"", b"1 VIAL", b"n/a", b"inf", b"NaN"])
def test_a_pkg_size_that_is_no_number_is_not_compared(tmp_path: Path, size: bytes) -> None:
    row = GAMUNEX_10G.replace(b",100,1,20,", b"," + size + b",1,20,")
    out = run(tmp_path, cross_rows=(row,))
    assert out.reports == [] and out.ndcs["13533-0800-71"]["pkg_size"] == size.decode()


def test_an_ndc_of_a_product_under_a_code_the_catalog_lacks_is_reported(tmp_path: Path) -> None:
    """Alyglo's NDCs under J1552, with a codes table that has no J1552: not imported."""
    lower = (b'j1552,"Inj, alyglo, 500 mg","GC Biopharma USA, Inc.",61476-0104-10,Alyglo,'
             b'500 MG,100,1,20,20')
    out = run(tmp_path, cross=("61476-0104-05",), cross_rows=(lower,),
              fact_keys=("gamunex-c", "alyglo"))
    assert out.ndcs == {}
    assert out.reports[:2] == [
        f"NDC 61476-0104-{n} (Alyglo, alyglo) is listed under J1552, which is not an immune "
        "globulin code in codes.toml: not imported; add the code first" for n in ("05", "10")]
    assert out.reports[2:] == [
        "gamunex-c: the crosswalk lists none of its NDCs (13533-0800); no vial sizes",
        "alyglo: the crosswalk lists none of its NDCs (61476-0104); no vial sizes"]


def test_a_claimed_ndc_under_a_non_ig_code_in_the_catalog_is_reported(tmp_path: Path) -> None:
    """J1610 is glucagon (immune_globulin = false): an IG NDC listed there is not imported."""
    row = GAMUNEX_10G.replace(b"J1561,", b"J1610,")
    out = run(tmp_path, cross_rows=(row,), code_keys=("J1561", "J1610"))
    assert out.ndcs == {}
    assert out.reports[0] == ("NDC 13533-0800-71 (Gamunex-C, gamunex-c) is listed under J1610, "
                              "which is not an immune globulin code in codes.toml: not "
                              "imported; add the code first")


def test_an_unclaimed_ndc_under_a_non_ig_code_is_not_read(tmp_path: Path) -> None:
    """Glucagon's own NDCs are not the catalog's business, even a broken row of them."""
    row = b"J1610,Glucagon hydrochloride/1 mg,Lilly,0002-8031-01,Glucagon,1 MG,1,1,x,1"
    out = run(tmp_path, cross=("13533-0800-71",), cross_rows=(row,),
              code_keys=("J1561", "J1610"))
    assert list(out.ndcs) == ["13533-0800-71"] and out.reports == []


def test_a_row_cut_after_its_ndc_is_refused(tmp_path: Path) -> None:
    """A truncated file's last row: the NDC is there, BILLUNITS is not."""
    cut = b'J1552,"Inj, alyglo, 500 mg","GC Biopharma USA, Inc.",61476-0104-10'
    with pytest.raises(ImportRefused, match=r"crosswalk data row 1: BILLUNITS of "
                                            r"61476-0104-10 '' is not a number$"):
        run(tmp_path, cross_rows=(cut,), code_keys=("J1561", "J1552"),
            fact_keys=("alyglo",))


def test_a_claimed_row_cut_after_its_ndc_under_a_code_the_catalog_lacks_is_refused(
        tmp_path: Path) -> None:
    """Cut short, the row cannot say what it is: refused, not skipped as another code's."""
    cut = b'J1552,"Inj, alyglo, 500 mg","GC Biopharma USA, Inc.",61476-0104-10'
    with pytest.raises(ImportRefused, match=r"crosswalk data row 1: BILLUNITS of "
                                            r"61476-0104-10 '' is not a number$"):
        run(tmp_path, cross_rows=(cut,), fact_keys=("alyglo",))


def test_short_junk_rows_are_ignored(tmp_path: Path) -> None:
    out = run(tmp_path, cross=("13533-0800-71",), cross_rows=(b"Q9998,x,y", b"Q9997,x,y,z"))
    assert list(out.ndcs) == ["13533-0800-71"]


def test_billunits_that_are_not_whole_are_reported_and_the_dosage_checked(
        tmp_path: Path) -> None:
    """Gamastan (J1560, dosage 10 CC): BILLUNITS 0.2 for 13533-0335-04. A catalog that
    treated J1560 as a 500 mg immune globulin code would get both reports."""
    table = {"J1560": CODES["J1561"]._replace(key="J1560")}
    out = run(tmp_path, cross=("J1560",), pricing=("J1560",), code_table=table)
    assert out.reports == [
        "NDC 13533-0335-04 (J1560): BILLUNITS 0.2 is not a whole number of billing units: not "
        "imported",
        "NDC 13533-0335-12: HCPCS dosage '10 CC' differs from J1560's billing unit of 500 mg in "
        "codes.toml",
        "NDC 13533-0335-12 (Gamastan, J1560) belongs to no product: add '13533-0335' to "
        "ndc_products of its product in product_facts.toml",
        "J1560: the pricing file's dosage '10 CC' differs from its billing unit of 500 mg in "
        "codes.toml",
        "gamunex-c: the crosswalk lists none of its NDCs (13533-0800); no vial sizes"]
    assert list(out.ndcs) == ["13533-0335-12"]
    assert out.payments["J1560"]["limit"] == "170.476"


def test_an_ndc_listed_under_another_code_than_its_products_is_reported(tmp_path: Path) -> None:
    row = GAMUNEX_10G.replace(b"J1561,", b"J1459,")
    out = run(tmp_path, cross_rows=(row,), code_keys=("J1561", "J1459"), pricing=("J1561",
                                                                                    "J1459"))
    assert out.reports == ["NDC 13533-0800-71 (gamunex-c) is listed under J1459, not under the "
                           "product's code in product_facts.toml"]
    assert out.ndcs["13533-0800-71"]["code"] == "J1459"  # kept: CMS's crosswalk says so


def test_a_product_with_codes_over_time_takes_any_of_them(tmp_path: Path) -> None:
    """Alyglo: J1599 until 2024, J1552 from 2025 (product_facts.toml `codes`)."""
    out = run(tmp_path, cross=("J1552",), pricing=("J1552",), code_keys=("J1552", "J1599"),
              fact_keys=("alyglo",))
    assert out.reports == ["J1599: no payment limit in the pricing file (none is shown)"]
    assert out.products["alyglo"]["vial_sizes_g"] == [5, 10, 20]
    row = data_rows("crosswalk", "61476-0104-20")[0].replace(b"J1552,", b"J1599,")
    other = run(tmp_path, cross_rows=(row,), pricing=("J1552",), code_keys=("J1552", "J1599"),
                fact_keys=("alyglo",))
    assert other.ndcs["61476-0104-20"]["code"] == "J1599"
    assert not any("not under the product's code" in r for r in other.reports)


def test_a_pricing_row_without_coinsurance_keeps_no_empty_field(tmp_path: Path) -> None:
    out = run(tmp_path, cross=("13533-0800-71",), pricing=(),
              pricing_rows=(b"J1561,Gamunex-c/gammaked,500 MG,48.964",))
    assert out.payments["J1561"] == {"limit": "48.964", "dosage": "500 MG",
                                     "source": "CMS ASP pricing file 2025-Q4",
                                     "checked": CHECKED}


def test_without_addendum_b_nor_one_before_there_is_no_status_and_it_is_said(
        tmp_path: Path) -> None:
    out = run(tmp_path, cross=("13533-0800-71",), addendum=None)
    assert out.opps == {} and "addendum_b" not in out.cms and "status_from" not in out.cms
    assert out.files == {"crosswalk": CROSSWALK, "pricing": PRICING}
    assert out.reports == [
        "no OPPS Addendum B for 2025-Q4 and none published before it in the catalog: no "
        "status indicators, so medicare-opps keeps JW/JZ on every code (with a note) until "
        "an Addendum B is imported"]


def test_without_addendum_b_the_last_published_status_is_kept_naming_it(
        tmp_path: Path) -> None:
    """2026-Q1 (no Addendum B) keeps 2025-Q4's status indicators from the catalog held; the
    rows keep the source of the Addendum B they come from."""
    from ivigcalc.data.catalog import load

    held = load().catalog.cms_history
    assert held is not None
    folder = FIXTURES / "2026-Q1"
    out = importer.import_files(sorted(folder.glob("*.csv")), CATALOG.codes,
                                importer.load_facts(), CHECKED, held)
    assert out.quarter.label == "2026-Q1" and "addendum_b" not in out.cms
    assert out.cms["status_from"] == "2025-Q4"
    assert out.opps["J1556"]["si"] == "N" and out.opps["J1561"]["si"] == "K"
    assert out.opps["J1556"]["source"] == "CMS OPPS Addendum B 2025-Q4"
    assert "no OPPS Addendum B for 2026-Q1: it keeps 2025-Q4's status indicators, the last " \
           "published" in out.reports


def test_several_quarters_in_one_call_each_keep_the_addendum_b_before_them() -> None:
    """2024-Q2 ... 2024-Q4 take 2024-Q1's Addendum B, 2025-Q2 takes 2025-Q1's (given in the
    same call, not held: no catalog quarters here)."""
    paths = [p for q in ("2024-Q1", "2024-Q3", "2025-Q1", "2025-Q2")
             for p in sorted((FIXTURES / q).glob("*.csv"))]
    out = importer.import_quarters(paths, CATALOG.codes, importer.load_facts(), CHECKED)
    assert [d.quarter.label for d in out] == ["2024-Q1", "2024-Q3", "2025-Q1", "2025-Q2"]
    assert [d.cms.get("status_from") for d in out] == [None, "2024-Q1", None, "2025-Q1"]
    assert out[1].opps["J1556"]["si"] == "K"  # Bivigam: K in 2024's Addendum B
    assert out[3].opps["J1556"]["si"] == "N"  # and N in 2025's
    assert out[3].opps["J1556"]["source"] == "CMS OPPS Addendum B 2025-Q1"


def test_an_addendum_b_naming_no_quarter_among_several_of_its_year_is_refused(
        tmp_path: Path) -> None:
    addendum = tmp_path / "Addendum B.csv"  # the name says no month
    addendum.write_bytes(next((FIXTURES / "2025-Q1").glob("*Addendum*")).read_bytes())
    paths = [*sorted((FIXTURES / "2025-Q1").glob("*Cross*")),
             *sorted((FIXTURES / "2025-Q1").glob("*Pric*")),
             *sorted((FIXTURES / "2025-Q2").glob("*.csv")), addendum]
    with pytest.raises(ImportRefused, match=r"Addendum B\.csv: the OPPS Addendum B CY 2025 "
                       r"\(Addendum B\.csv\) names no quarter, and 2 quarters of 2025 are "
                       "given"):
        importer.import_quarters(paths, CATALOG.codes, importer.load_facts(), CHECKED)


def test_an_ig_code_missing_from_the_pricing_file_is_reported(tmp_path: Path) -> None:
    out = run(tmp_path, cross=("13533-0800-71",), pricing=("J1459", "J1610"),
              code_keys=("J1561", "J1610"), addendum=())
    assert out.payments.keys() == {"J1610"}  # J1459 is not in this codes table
    assert out.reports == ["J1561: no payment limit in the pricing file (none is shown)"]
    assert out.opps == {}


def _refused(paths: list[Path]) -> str:
    with pytest.raises(ImportRefused) as caught:
        importer.import_files(paths, codes("J1561"), facts("gamunex-c"), CHECKED)
    return str(caught.value)


def test_two_files_of_one_kind_are_refused(tmp_path: Path) -> None:
    one = write(tmp_path, "pricing", "J1561")
    two = write(tmp_path, "pricing", "J1561", name="copy.csv")
    cross = write(tmp_path, "crosswalk", "J1561")
    assert _refused([cross, one, two]) == f"two ASP pricing file files given: {one} and {two}"


def test_a_quarter_without_its_crosswalk_or_pricing_file_is_refused(tmp_path: Path) -> None:
    pricing = write(tmp_path, "pricing", "J1561")
    addendum = write(tmp_path, "addendum-b", "J1561")
    cross = write(tmp_path, "crosswalk", "J1561")
    tail = "give each quarter's crosswalk and pricing file (Addendum B optional)"
    assert _refused([pricing, addendum]) == (
        f"the ASP NDC-HCPCS crosswalk of the quarter is missing (given: ASP pricing file "
        f"2025-Q4 ({PRICING}); OPPS Addendum B 2025-Q4 ({ADDENDUM})); {tail}")
    assert _refused([cross]) == (f"the ASP pricing file of the quarter is missing (given: "
                                 f"ASP NDC-HCPCS crosswalk 2025-Q4 ({CROSSWALK})); {tail}")
    assert _refused([addendum]) == (
        f"the ASP NDC-HCPCS crosswalk and the ASP pricing file of the quarter is missing "
        f"(given: OPPS Addendum B 2025-Q4 ({ADDENDUM})); {tail}")


def test_files_of_two_quarters_are_refused(tmp_path: Path) -> None:
    cross = write(tmp_path, "crosswalk", "J1561")
    q3 = sliced("pricing", "J1561").replace(b"October 1, 2025 through December 31, 2025",
                                            b"July 1, 2025 through September 30, 2025")
    pricing = write(tmp_path, "pricing", data=q3, name="JUL 2025 ASP Pricing File.csv")
    assert _refused([pricing, cross]) == (
        f"files from different quarters: ASP NDC-HCPCS crosswalk 2025-Q4 ({CROSSWALK}) and ASP "
        "pricing file 2025-Q3 (JUL 2025 ASP Pricing File.csv); import one quarter at a time")


def test_an_addendum_b_of_another_year_or_quarter_is_refused(tmp_path: Path) -> None:
    cross = write(tmp_path, "crosswalk", "J1561")
    pricing = write(tmp_path, "pricing", "J1561")
    cy2024 = sliced("addendum-b", "J1561").replace(b"for CY 2025", b"for CY 2024")
    addendum = write(tmp_path, "addendum-b", data=cy2024)
    assert _refused([cross, pricing, addendum]) == (
        f"files from different quarters: ASP NDC-HCPCS crosswalk 2025-Q4 ({CROSSWALK}) and OPPS "
        f"Addendum B CY 2024 ({ADDENDUM}); import one quarter at a time")
    addendum.unlink()
    july = write(tmp_path, "addendum-b", "J1561",
                 name="Section 508 of July 2025 Web Addendum B.07.25.25.csv")
    assert "and OPPS Addendum B 2025-Q3 (Section 508 of July 2025 Web Addendum B.07.25.25.csv)" \
        in _refused([cross, pricing, july])


def test_an_addendum_b_naming_only_its_year_imports_with_any_quarter_of_it(
        tmp_path: Path) -> None:
    cross = write(tmp_path, "crosswalk", "J1561")
    pricing = write(tmp_path, "pricing", "J1561")
    addendum = write(tmp_path, "addendum-b", "J1561", name="Addendum B.csv")
    out = importer.import_files([addendum, cross, pricing], codes("J1561"), facts("gamunex-c"),
                                CHECKED)
    assert out.opps["J1561"]["si"] == "K"
    assert out.read[0] == "read OPPS Addendum B CY 2025 (Addendum B.csv)"
    assert out.opps["J1561"]["source"] == "CMS OPPS Addendum B 2025-Q4"


def test_a_file_that_is_none_of_the_three_is_refused(tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_bytes(b"id,date,lines\r\n1,2025-10-01,J1561 JA 55\r\n")
    assert _refused([claims, write(tmp_path, "crosswalk", "J1561")]) == (
        f"{claims}: not recognised as a CMS ASP NDC-HCPCS crosswalk, ASP pricing file or OPPS "
        "Addendum B (no known header row in its first 60 rows)")


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return path


def test_a_zip_member_that_is_none_of_the_three_is_skipped_and_said(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "oct-2025.zip", {
        "notes.csv": b"note\r\nnothing here\r\n", CROSSWALK: sliced("crosswalk", "13533-0800-71"),
        PRICING: sliced("pricing", "J1561")})
    out = importer.import_files([archive], codes("J1561"), facts("gamunex-c"), CHECKED)
    assert out.read == [f"read ASP NDC-HCPCS crosswalk 2025-Q4 ({CROSSWALK})",
                        f"read ASP pricing file 2025-Q4 ({PRICING})",
                        f"skipped {archive}: notes.csv: not one of the three CMS files"]
    assert list(out.ndcs) == ["13533-0800-71"]


def test_a_zip_of_one_other_csv_is_refused_as_holding_none_of_them(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "x.zip", {"notes.csv": b"note\r\n"})
    assert _refused([archive]) == ("none of the files given is a CMS crosswalk, pricing file or "
                                   "Addendum B")


def test_load_facts_reads_fractions_from_a_given_file(tmp_path: Path) -> None:
    path = tmp_path / "facts.toml"
    path.write_text('[products.cutaquig]\nname = "Cutaquig"\nconcentration_percent = 16.5\n',
                    encoding="utf-8")
    assert importer.load_facts(path) == {"cutaquig": {"name": "Cutaquig",
                                                      "concentration_percent": Fraction(33, 2)}}
    assert importer.load_facts(str(path))["cutaquig"]["concentration_percent"] == Fraction(33, 2)
    assert FACTS["cutaquig"]["concentration_percent"] == Fraction(33, 2)
    assert FACTS["gamunex-c"]["ndc_products"] == ["13533-0800"]
