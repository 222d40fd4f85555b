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
from ivigcalc.data import files as catalog_files
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


@pytest.mark.parametrize("text", [
    "[products.privigen]\nvial_sizes_g = [0]\n",
    "[products.privigen]\nvial_size_g = [10]\n",
    "[limits.default]\nweight_kg = { soft_max = 150 }\n",
    "[presets.itp-2-day]\ndays = 100000\n",
    "[payers.BCBS]\nname = \"B\"\n",
    "[catalog]\nname = 5\n",
    "[drugs.x]\nname = \"x\"\n",
    "[codes.J1459]\nroutes = [\"oral\"]\n",
    "[coverage.lists.mac]\nname = \"M\"\ncodes = [\"D800\"]\nsource = \"s\"\n"
    "checked = 2026-01-01\n",
    "[coverage.payers.medicare]\nsource = \"s\"\nlist = [\"x\"]\n",
])
def test_what_the_loader_refuses_the_schema_refuses(tmp_path: Path, text: str) -> None:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError):
        catalog.load(path)
    with pytest.raises(fastjsonschema.JsonSchemaException):
        VALIDATE(as_json(catalog_files.parse(text, "site.toml")))
