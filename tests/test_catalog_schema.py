"""The site catalog's JSON Schema: generated from tables.py, committed, and in agreement
with the loader on the bundled rows and on broken ones."""

import datetime as dt
import json
import runpy
from fractions import Fraction
from importlib.resources import files
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest

from ivigcalc.data import catalog
from ivigcalc.data import toml_exact as catalog_files
from ivigcalc.errors import CatalogError

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "resources" / "site-catalog.schema.json").read_text("utf-8"))
VALIDATE = fastjsonschema.compile(SCHEMA)


def as_json(value: Any) -> Any:
    """TOML values as an editor's TOML-to-JSON view has them (dates as ISO text)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_the_committed_schema_is_up_to_date() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "site_schema.py"))
    committed = (ROOT / "resources" / "site-catalog.schema.json").read_text("utf-8")
    assert committed == script["text"](), "run .venv/bin/python scripts/site_schema.py"


def test_every_bundled_table_validates_as_a_site_catalog() -> None:
    root = files("ivigcalc.resources")
    for table in catalog.TABLES:
        data = catalog_files.parse((root / f"{table}.toml").read_text("utf-8"), table)
        VALIDATE(as_json(data))
    coverage = catalog_files.parse((root / "coverage.toml").read_text("utf-8"), "coverage")
    VALIDATE(as_json({"coverage": coverage}))


# Each broken row, the loader's words for it, and where and why the schema refuses it: both
# must refuse the same field for the same reason, not merely both refuse.
REFUSED = [
    ("[products.privigen]\nvial_sizes_g = [0]\n",
     "[products.privigen] field 'vial_sizes_g': item 1: must be more than zero",
     "data.products.privigen.vial_sizes_g[0]", "minimum"),
    ("[products.privigen]\nvial_size_g = [10]\n",
     "[products.privigen] field 'vial_size_g': unknown field",
     "data.products.privigen", "additionalProperties"),
    ("[products.panzyga]\nlabeled_sizes_g = [0.005]\n",
     "[products.panzyga] field 'labeled_sizes_g': item 1: 0.005 g is below the smallest "
     "accepted, 0.01 g", "data.products.panzyga.labeled_sizes_g[0]", "minimum"),
    ("[products.panzyga]\nlabeled_sizes_g = [250]\n",
     "[products.panzyga] field 'labeled_sizes_g': item 1: 250 g is above the largest "
     "accepted, 200 g", "data.products.panzyga.labeled_sizes_g[0]", "maximum"),
    ("[mue.\"2026-Q1\".practitioner]\nJ1459 = { units = -1, mai = 3, source = \"s\", "
     "checked = 2026-01-01 }\n",
     "[mue.2026-Q1.practitioner.J1459] field 'units': must be a whole number from 0 to 999999",
     "data.mue.2026-Q1.practitioner.J1459.units", "minimum"),
    ("[mue.\"2026-Q1\".hospital]\n",
     "[mue.2026-Q1]: holds tables named practitioner, outpatient-hospital, dme, each of",
     "data.mue.2026-Q1", "additionalProperties"),
    ("[limits.default]\nweight_kg = { soft_max = 150 }\n",
     "[limits.default] field 'weight_kg.hard_min': is missing",
     "data.limits.default.weight_kg", "required"),
    ("[presets.itp-2-day]\ndays = 100000\n",
     "[presets.itp-2-day] field 'days': must be a whole number from 1 to 31",
     "data.presets.itp-2-day.days", "maximum"),
    ("[payers.BCBS]\nname = \"B\"\n",
     "[payers.BCBS]: a key takes lower-case letters, digits and hyphens",
     "data.payers", "propertyNames"),
    ("[catalog]\nname = 5\n",
     "[catalog] field 'name': must be non-empty text in quotes",
     "data.catalog.name", "type"),
    ("[drugs.x]\nname = \"x\"\n",
     "unknown table(s) drugs; a site catalog may hold codes",
     "data", "additionalProperties"),
    ("[codes.J1459]\nroutes = [\"oral\"]\n",
     "[codes.J1459] field 'routes': item 1: must be one of iv, sc, im",
     "data.codes.J1459.routes[0]", "enum"),
    ("[coverage.lists.mac]\nname = \"M\"\ncodes = [\"D800\"]\nsource = \"s\"\n"
     "checked = 2026-01-01\n",
     "[coverage.lists.mac] field 'codes': item 1: D800 is not written as an ICD-10-CM code",
     "data.coverage.lists.mac.codes[0]", "pattern"),
    ("[coverage.payers.medicare]\nsource = \"s\"\nlist = [\"x\"]\n",
     "[coverage.payers.medicare] field 'list': unknown field",
     "data.coverage.payers.medicare", "additionalProperties"),
]


@pytest.mark.parametrize(("text", "loader_says", "where", "rule"), REFUSED)
def test_what_the_loader_refuses_the_schema_refuses(tmp_path: Path, text: str,
                                                    loader_says: str, where: str,
                                                    rule: str) -> None:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as loader:
        catalog.load(path)
    assert str(loader.value).startswith(f"{path}: ")
    assert loader_says in str(loader.value)
    with pytest.raises(fastjsonschema.JsonSchemaException) as schema:
        VALIDATE(as_json(catalog_files.parse(text, "site.toml")))
    assert (schema.value.name, schema.value.rule) == (where, rule)


def test_a_site_product_declares_labeled_sizes(tmp_path: Path) -> None:
    """A site that stocks a labeled size CMS lists no NDC for names it with its source: the
    schema (an editor's check) and the loader both take it, and the size reaches the product."""
    text = ("[products.privigen]\nlabeled_sizes_g = [1, 2.5]\n"
            "labeled_sizes_source = \"Privigen prescribing information, How Supplied\"\n")
    VALIDATE(as_json(catalog_files.parse(text, "site.toml")))
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    product = catalog.load(path).catalog.products["privigen"]
    assert sorted(product.labeled_sizes_mg) == [Fraction(1000), Fraction(2500)]
    assert product.labeled_sizes_source == "Privigen prescribing information, How Supplied"


def test_a_site_catalog_with_mue_tables_validates() -> None:
    """What `import-mue` writes (made-up values) passes the schema an editor checks with."""
    text = ("[mue.\"2026-Q1\".practitioner]\nJ1459 = { units = 150, mai = 3, rationale = "
            "\"Clinical: Data\", source = \"synthetic\", checked = 2026-12-07 }\n\n"
            "[mue.\"2026-Q1\".outpatient-hospital]\n\n[payers.commercial]\n"
            "mue_table = \"dme\"\n")
    VALIDATE(as_json(catalog_files.parse(text, "site.toml")))
