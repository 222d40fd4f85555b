"""The change report between quarters (ivigcalc.data.cms.changes), real and line by line."""

import datetime as dt
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

from cms_slices import CATALOG, CHECKED

from ivigcalc.data import catalog
from ivigcalc.data.cms import changes, importer, site_file
from ivigcalc.data.cms.importer import Imported
from ivigcalc.data.cms.kinds import Quarter
from ivigcalc.data.cms.model import CmsData, NdcRow, Payment, Status

FIXTURES = Path(__file__).parent / "fixtures" / "cms"


def imported(quarter: str) -> Imported:
    return importer.import_files(sorted((FIXTURES / quarter).glob("*.csv")), CATALOG.codes,
                                 importer.load_facts(), CHECKED)


def test_2024_q1_to_2025_q3_as_cms_files_say(tmp_path: Path) -> None:
    """Read off the two quarters' files: Octagam's Pfizer NDCs, Hizentra 44206-0455-25 and
    Alyglo's J1552 arrive; J1551 and J1556 become packaged (N); every limit moves."""
    site = tmp_path / "cms-2024q1.toml"
    tables, _ = site_file.merged({}, [imported("2024-Q1")], CATALOG.products)
    site.write_text(site_file.text(tables), encoding="utf-8")
    loaded = catalog.load(site).catalog
    assert loaded.cms_history is not None
    in_use = SimpleNamespace(cms=loaded.cms_history["2024-Q1"], products=loaded.products)
    lines = changes.describe(imported("2025-Q3"), in_use)
    octagam = [("6002", 4), ("6111", 20), ("6237", 40), ("6339", 60), ("6550", 10),
               ("8400", 2), ("8425", 5), ("8451", 10), ("8476", 20)]
    limits = [("J1459", "48.290", "50.432"), ("J1551", "13.888", "14.207"),
              ("J1554", "491.405", "496.505"), ("J1555", "15.922", "17.589"),
              ("J1556", "72.962", "77.266"), ("J1557", "55.153", "62.466"),
              ("J1558", "14.183", "14.911"), ("J1559", "12.945", "14.123"),
              ("J1561", "49.786", "48.030"), ("J1566", "78.500", "81.702"),
              ("J1568", "44.978", "48.376"), ("J1569", "44.152", "47.797"),
              ("J1575", "17.085", "18.386"), ("J1576", "66.441", "74.457"),
              ("J1610", "188.367", "195.791"), ("J1611", "123.830", "144.882")]
    expected = [
        *(f"new NDC 61476-0104-{n}: Alyglo, J1552, {u} units per vial"
          for n, u in (("05", 10), ("10", 20), ("20", 40))),
        "new NDC 44206-0455-25: Hizentra, J1559, 100 units per vial",
        *(f"new NDC 00069-{n}-02: Octagam, J1568, {u} units per vial" for n, u in octagam),
        *(f"{code}: payment limit {a} -> {b} USD per unit" for code, a, b in limits[:2]),
        "J1552: payment limit 131.122 USD per unit (new)",
        *(f"{code}: payment limit {a} -> {b} USD per unit" for code, a, b in limits[2:]),
        "J1551: OPPS status indicator K -> N", "J1552: OPPS status indicator K (new)",
        "J1556: OPPS status indicator K -> N"]
    assert lines == ["Against the catalog in use (2024-Q1), 2025-Q3 changes:",
                     *(f"  {line}" for line in expected)]


def test_a_quarter_is_compared_with_the_one_held_before_it() -> None:
    """The bundled history holds 2025-Q2: its own files again change nothing (against the
    newest quarter, 2026-Q1, every limit would differ)."""
    lines = changes.describe(imported("2025-Q2"), CATALOG)
    assert lines == ["2025-Q2 changes nothing against the catalog in use (2025-Q2)."]


def ndc(code: str = "J1561", units: int = 20, drug: str = "Gamunex-C") -> NdcRow:
    return NdcRow("13533-0800-71", code, Fraction(units), drug, "Grifols USA, LLC", "100",
                  "1", "CMS", CHECKED, "gamunex-c")


def in_use(ndcs: dict | None = None, payments: dict | None = None, opps: dict | None = None,
           sizes: tuple = (1000, 5000, 10000)) -> SimpleNamespace:
    cms = CmsData("2025-Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31), CHECKED, "c.csv",
                  "p.csv", ndcs or {}, payments or {}, opps or {})
    return SimpleNamespace(cms=cms, products={
        "gamunex-c": SimpleNamespace(name="Gamunex-C", vial_sizes_mg=tuple(map(Fraction,
                                                                               sizes)))})


def new(ndcs: dict | None = None, payments: dict | None = None, opps: dict | None = None,
        products: dict | None = None) -> Imported:
    return Imported(Quarter(2026, 1), {}, {}, ndcs or {}, payments or {}, opps or {},
                    products or {})


def row(code: str = "J1561", units: int = 20) -> dict:
    return {"code": code, "billunits": units, "drug_name": "Gamunex-C"}


def test_the_same_quarter_again_changes_nothing() -> None:
    old = in_use({"13533-0800-71": ndc()}, {"J1561": Payment("J1561", "48.964", "500 MG", "CMS",
                                                           CHECKED)},
                 {"J1561": Status("J1561", "K", "CMS", CHECKED)})
    data = new({"13533-0800-71": row()}, {"J1561": {"limit": "48.964"}}, {"J1561": {"si": "K"}},
               {"gamunex-c": {"vial_sizes_g": [1, 5, 10]}})
    assert changes.describe(data, old) == [
        "2026-Q1 changes nothing against the catalog in use (2025-Q4)."]


def test_against_a_catalog_without_cms_data_everything_is_new() -> None:
    old = SimpleNamespace(cms=None, products={})
    data = new({"13533-0800-71": row()}, {"J1561": {"limit": "48.964"}}, {"J1561": {"si": "K"}},
               {"gamunex-c": {"vial_sizes_g": [10]}})
    assert changes.describe(data, old) == [
        "Against the catalog in use (no CMS data), 2026-Q1 changes:",
        "  new NDC 13533-0800-71: Gamunex-C, J1561, 20 units per vial",
        "  J1561: payment limit 48.964 USD per unit (new)",
        "  J1561: OPPS status indicator K (new)"]
    assert changes.describe(new(), old) == [
        "2026-Q1 changes nothing against the catalog in use (no CMS data)."]


def test_an_ndc_moving_code_and_changing_units_says_both() -> None:
    old = in_use({"13533-0800-71": ndc()})
    assert changes.describe(new({"13533-0800-71": row("J1459", 40)}), old)[1:] == [
        "  NDC 13533-0800-71 moved from J1561 to J1459",
        "  NDC 13533-0800-71: units per vial 20 -> 40"]
    assert changes.describe(new({"13533-0800-71": row("J1561", 21)}), old)[1:] == [
        "  NDC 13533-0800-71: units per vial 20 -> 21"]
    assert changes.describe(new({"13533-0800-71": row("J1568", 20)}), old)[1:] == [
        "  NDC 13533-0800-71 moved from J1561 to J1568"]


def test_withdrawn_ndcs_and_limits_are_listed() -> None:
    old = in_use({"13533-0800-71": ndc()},
                 {"J1561": Payment("J1561", "48.964", "500 MG", "CMS", CHECKED)})
    assert changes.describe(new(), old) == [
        "Against the catalog in use (2025-Q4), 2026-Q1 changes:",
        "  withdrawn NDC 13533-0800-71: Gamunex-C, J1561",
        "  J1561: no payment limit any more (was 48.964)"]


def test_status_indicators_go_only_when_the_quarter_has_an_addendum_b() -> None:
    old = in_use(opps={"J1561": Status("J1561", "K", "CMS", CHECKED),
                       "J1556": Status("J1556", "K", "CMS", CHECKED)})
    assert changes.describe(new(), old) == [
        "2026-Q1 changes nothing against the catalog in use (2025-Q4)."]
    assert changes.describe(new(opps={"J1556": {"si": "N"}}), old)[1:] == [
        "  J1556: OPPS status indicator K -> N",
        "  J1561: no OPPS status indicator any more (was K)"]


def test_vial_sizes_a_product_gains_and_loses() -> None:
    old = in_use()
    grow = new(products={"not-in-use": {"vial_sizes_g": [5]},  # a product the catalog lacks
                         "gamunex-c": {"vial_sizes_g": [1, Fraction(5, 2), 5, 10, 20]}})
    assert changes.describe(grow, old)[1:] == ["  Gamunex-C: vial sizes adds [2.5, 20] g"]
    shrink = new(products={"gamunex-c": {"vial_sizes_g": [10]}})
    assert changes.describe(shrink, old)[1:] == ["  Gamunex-C: vial sizes drops [1, 5] g"]
    assert changes.describe(shrink, in_use(sizes=(1000, 2500, 5000, 10000)))[1:] == [
        "  Gamunex-C: vial sizes drops [1, 2.5, 5] g"]
    both = new(products={"gamunex-c": {"vial_sizes_g": [Fraction(1, 2), 5, 10]}})
    assert changes.describe(both, old)[1:] == [
        "  Gamunex-C: vial sizes adds [0.5] g; drops [1] g"]
