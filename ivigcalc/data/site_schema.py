"""The site catalog's JSON Schema, generated from the declared tables (tables.py, the
[coverage] part in necessity.py, the CMS tables in cms/model.py, the MUE tables in mue.py);
scripts/site_schema.py writes it to resources/."""

from __future__ import annotations

from typing import Any

from ivigcalc.data import mue
from ivigcalc.data.cms import model as cms_model
from ivigcalc.data.model import TABLES
from ivigcalc.data.necessity import COVERAGE_ROWS
from ivigcalc.data.schema import Record
from ivigcalc.data.tables import CHARGE_CODE, CHARGES, CODE, ROW_KEY, ROWS, SITE_META


def _rows(row: Record, key: dict[str, Any]) -> dict[str, Any]:
    """A table of rows: a site row may give only some fields (see site_json_schema)."""
    schema = row.json()
    schema.pop("required", None)
    needs = ", ".join(n for n in row.fields if n in row.required)
    schema["description"] = f"{row.description}; a new row needs {needs}"
    return {"type": "object", "propertyNames": key, "additionalProperties": schema}


def coverage() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False,
            "properties": {name: _rows(row, ROW_KEY.json())
                           for name, row in COVERAGE_ROWS.items()}}


def site_json_schema() -> dict[str, Any]:
    """JSON Schema (draft-07, which editors know best) of a site catalog, for Taplo/VS Code.

    A site row may override a few fields of a bundled row, so row-level `required` is left
    out (the loader still demands it of new rows); nested rules (a limit's hard limits, a
    code span's code) hold either way and stay in.
    """
    def table(name: str, row: Record) -> dict[str, Any]:
        return _rows(row, (CODE if name == "codes" else ROW_KEY).json())

    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "ivigcalc-site-catalog.schema.json",
        "title": "ivigcalc site catalog",
        "description": "Overrides fields of bundled rows or adds rows; check it with "
                       "`ivigcalc catalog check PATH`. Generated from ivigcalc/data/tables.py, "
                       "necessity.py, cms/model.py and mue.py by scripts/site_schema.py.",
        "type": "object", "additionalProperties": False,
        "properties": {"catalog": SITE_META.json(),
                       **{name: table(name, ROWS[name]) for name in TABLES},
                       **cms_model.site_json_schema(), **mue.site_json_schema(),
                       "coverage": coverage(),
                       "charges": _rows(CHARGES, CHARGE_CODE.json())},
    }
