"""Load the versioned data in resources/ (codes, products, payers, policies...) and merge a
site catalog over it.

CMS changes HCPCS codes every quarter, so none of these facts live in Python. Every row is
checked at load (tables.py declares the rules) and an error names the file, the entry and
the field. A site catalog (one TOML file with the same tables) may override fields of
bundled rows or add rows; the bundled files are only ever read. The row types live in
model.py and are re-exported here.

The window passes a cache folder: the bundled rows, once checked, are kept there
(catalog_cache.py) and the next start reads them back instead of checking the TOML again.
So the checking modules (tables, schema, toml_exact, cms.model) are imported where they run,
never by a start that finds its rows in the cache.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ivigcalc.data import catalog_cache
from ivigcalc.data.files import CATALOG_ENV_VAR
from ivigcalc.data.model import (
    ROUTE_NAMES,
    ROUTES,
    TABLES,
    Catalog,
    Code,
    CodeUse,
    Limit,
    Limits,
    Payer,
    Policy,
    Preset,
    Product,
)
from ivigcalc.data.untrusted import shown
from ivigcalc.errors import CatalogError, printable
from ivigcalc.text import plain

if TYPE_CHECKING:
    from ivigcalc.data import mue
    from ivigcalc.data.cms import history as cms_history
    from ivigcalc.data.cms import model as cms_model

BUNDLED_FILES = {table: f"{table}.toml" for table in TABLES}
META_FILE = "catalog.toml"
ENV_VAR = CATALOG_ENV_VAR  # the writer (files.py) never replaces the file it names

__all__ = [
    "BUNDLED_FILES", "ENV_VAR", "ROUTES", "ROUTE_NAMES", "TABLES", "Catalog", "Change", "Code",
    "CodeUse", "Limit", "Limits", "Loaded", "Payer", "Policy", "Preset", "Product", "load",
    "load_with_fallback", "read_site", "site_path_from_env",
]


def _build(table: str, file: str, key: str, row: Any) -> Any:
    from ivigcalc.data import tables
    from ivigcalc.data.schema import FieldError

    try:
        return tables.build_row(table, key, row)
    except FieldError as error:
        raise CatalogError(file, f"{table}.{shown(key)}", error.name, error.message) from None


def _cross_check(rows: dict[str, dict[str, Any]], origin: dict[tuple[str, str], str]) -> None:
    """References between tables must resolve (a product's code exists and is IG...)."""
    for key, product in rows["products"].items():
        file = origin[("products", key)]
        for use in product.codes:
            code = rows["codes"].get(use.code)
            if code is None:
                raise CatalogError(file, f"products.{key}", "code",
                                   f"{use.code} is not in codes.toml")
            if not code.immune_globulin:
                raise CatalogError(file, f"products.{key}", "code",
                                   f"{use.code} is not an immune globulin code")
    for key, payer in rows["payers"].items():
        if payer.dosing_policy not in rows["policies"]:
            raise CatalogError(origin[("payers", key)], f"payers.{key}", "dosing_policy",
                               f"'{payer.dosing_policy}' is not in policies.toml")
    if "default" not in rows["limits"]:
        raise CatalogError("limits.toml", "limits.default", None, "the default limits are missing")


@cache
def _bundled_raw() -> tuple[dict[str, Any], dict[str, Any]]:
    """The bundled tables, parsed once per process (never modified)."""
    from ivigcalc.data.toml_exact import parse

    root = files("ivigcalc.resources")
    raw = {}
    for table, name in BUNDLED_FILES.items():
        data = parse((root / name).read_text(encoding="utf-8"), name)
        if set(data) - {table}:
            raise CatalogError(name, None, None, f"holds only [{table}.*] tables")
        raw[table] = data.get(table, {})
    meta = parse((root / META_FILE).read_text(encoding="utf-8"), META_FILE)
    return raw, meta.get("catalog", {})


def read_site(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A site catalog's raw tables, with its shape checked (rows are checked on merge)."""
    from ivigcalc.data import tables
    from ivigcalc.data.cms import model as cms_model
    from ivigcalc.data.schema import FieldError
    from ivigcalc.data.toml_exact import read_site_file

    label = str(path)
    data = read_site_file(label, label)
    unknown = set(data) - set(TABLES) - {"catalog", "coverage", "charges",
                                         cms_model.QUARTERS, "mue"} - set(cms_model.TABLES)
    if unknown:
        raise CatalogError(label, None, None, f"unknown table(s) "
                           f"{shown(', '.join(sorted(unknown)))}; a site catalog may hold "
                           f"{', '.join(TABLES)}, coverage, charges, {cms_model.QUARTERS}, "
                           f"{', '.join(cms_model.TABLES)}, mue and catalog")
    for table in (*TABLES, *cms_model.TABLES[1:], "charges"):
        rows = data.get(table, {})
        if not isinstance(rows, dict) or any(not isinstance(r, dict) for r in rows.values()):
            raise CatalogError(label, table, None, f"must be tables like [{table}.key]")
        if len(rows) > tables.MAX_ROWS:
            raise CatalogError(label, table, None, f"has {len(rows)} rows; at most "
                               f"{tables.MAX_ROWS}")
    try:
        tables.SITE_META.values(data.get("catalog", {}))
    except FieldError as error:
        raise CatalogError(label, "catalog", error.name, error.message) from None
    return data


def site_charges(data: dict[str, Any] | None, label: str) -> dict[str, Fraction]:
    """A site's [charges.CODE] usd_per_unit, checked row by row (none bundled)."""
    from ivigcalc.data import tables
    from ivigcalc.data.schema import FieldError

    out: dict[str, Fraction] = {}
    for code, row in (data or {}).get("charges", {}).items():
        try:
            tables.CHARGE_CODE.convert(code)
            out[code] = Fraction(tables.CHARGES.values(row)["usd_per_unit"])
        except FieldError as error:
            raise CatalogError(label, f"charges.{shown(code)}", error.name,
                               error.message) from None
        except ValueError as error:
            raise CatalogError(label, f"charges.{shown(code)}", None, str(error)) from None
    return out


@dataclass
class Change:
    """One difference a site catalog makes, for `ivigcalc catalog check`."""

    table: str
    key: str
    field: str | None
    old: Any = None
    new: Any = None

    def describe(self) -> str:
        if self.table == "cms":
            return (f"replaces the bundled CMS quarter {self.key} with its own" if self.old
                    else f"adds CMS quarter {self.key} to the bundled ones")
        if self.table == "mue":
            return f"adds CMS's MUE table {self.key} ({self.new} immune globulin codes)"
        if self.field is None:
            return f"adds {self.table}.{self.key}"
        if self.old is None:
            return f"sets {self.table}.{self.key}.{self.field} = {_shown(self.new)}"
        return (f"changes {self.table}.{self.key}.{self.field}: {_shown(self.old)} -> "
                f"{_shown(self.new)}")


def _shown(value: Any) -> str:
    """TOML-like text of a raw value (Fractions as decimals, dates as ISO)."""
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_shown(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return plain(value, 6)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


@dataclass
class Loaded:
    """A loaded catalog and what a site catalog changed in it."""

    catalog: Catalog
    changes: list[Change] = field(default_factory=list)


_QUARTER_FILE = re.compile(r"cms-([0-9]{4}-Q[1-4])\.toml")


@cache
def _bundled_quarters() -> tuple[str, ...]:
    """The quarters bundled in resources/ (one generated cms-<quarter>.toml each), by name
    only: a quarter's file is read when a date first needs it."""
    root = files("ivigcalc.resources")
    return tuple(sorted(found.group(1) for entry in root.iterdir()
                        if (found := _QUARTER_FILE.fullmatch(entry.name))))


@cache
def _bundled_cms(label: str) -> cms_model.CmsData:
    """resources/cms-<quarter>.toml (generated by import-cms), read and checked once."""
    from ivigcalc.data.cms import model as cms_model
    from ivigcalc.data.toml_exact import parse

    name = f"cms-{label}.toml"
    cms = cms_model.from_tables(
        parse((files("ivigcalc.resources") / name).read_text(encoding="utf-8"), name), name)
    if cms.quarter != label:
        raise CatalogError(name, "cms", "quarter", f"'{cms.quarter}' is not the quarter its "
                           f"file name says ({label})")
    return cms


def _cms(data: dict[str, Any] | None, site: str | None, rows: dict[str, dict[str, Any]],
         changes: list[Change]) -> Callable[[], cms_history.CmsHistory | None]:
    """Every bundled CMS quarter, with the site's quarter joining them (a site quarter
    replaces the bundled one of the same name; older dates keep their own quarter).

    A site's quarter is read and checked now (a broken file must fail at load); a bundled
    one when a date first needs it, so the window paints before any NDC table is parsed.
    """
    site_quarters: dict[str, cms_model.CmsData] = {}
    if data is not None and site is not None:
        from ivigcalc.data.cms import model as cms_model

        for cms in cms_model.site_quarters(data, site):
            cms_model.cross_check(cms, rows["codes"], rows["products"], site)
            bundled = cms.quarter in _bundled_quarters()
            changes.append(Change("cms", cms.quarter, None, old="bundled" if bundled else None))
            site_quarters[cms.quarter] = cms

    def history() -> cms_history.CmsHistory | None:
        from ivigcalc.data.cms import history as cms_history

        loaders: dict[str, Callable[[], cms_model.CmsData]] = {
            label: _bundled_checked_against(label, rows) for label in _bundled_quarters()}
        loaders.update({label: _held(cms) for label, cms in site_quarters.items()})
        return cms_history.CmsHistory(loaders) if loaders else None
    return history


def _site_labels(data: dict[str, Any] | None) -> list[str]:
    """The site's quarters' labels (checked at load, before the catalog is built)."""
    if not data:
        return []
    from ivigcalc.data.cms import model as cms_model

    return list(cms_model.quarters_of(data))


def _held(cms: cms_model.CmsData) -> Callable[[], cms_model.CmsData]:
    return lambda: cms


def _bundled_checked_against(label: str, rows: dict[str, dict[str, Any]]
                             ) -> Callable[[], cms_model.CmsData]:
    """A bundled quarter, read and checked against these rows' codes and products when
    first used."""
    def bundled() -> cms_model.CmsData:
        from ivigcalc.data.cms import model as cms_model

        cms = _bundled_cms(label)
        cms_model.cross_check(cms, rows["codes"], rows["products"], f"cms-{label}.toml")
        return cms
    return bundled


@cache
def _bundled_rows(cache_folder: Path | None = None) -> catalog_cache.Rows:
    """The bundled rows built once per process (frozen values, shared by every load),
    from the cache folder when it holds them for exactly these files and this code."""
    resources = (*BUNDLED_FILES.values(), META_FILE)
    if cache_folder is not None:
        kept = catalog_cache.read(cache_folder, resources)
        if kept is not None:
            return kept
    rows, info = _checked_rows()
    if cache_folder is not None:
        catalog_cache.write(cache_folder, resources, (rows, info))
    return rows, info


def _checked_rows() -> catalog_cache.Rows:
    """The bundled TOML read and every row checked."""
    from ivigcalc.data import tables
    from ivigcalc.data.schema import FieldError

    raw, meta = _bundled_raw()
    rows = {table: {key: _build(table, BUNDLED_FILES[table], key, row)
                    for key, row in raw[table].items()} for table in TABLES}
    _cross_check(rows, {(t, k): BUNDLED_FILES[t] for t in TABLES for k in rows[t]})
    try:
        info = tables.BUNDLED_META.values(meta)
    except FieldError as error:
        raise CatalogError(META_FILE, "catalog", error.name, error.message) from None
    return rows, info


def load(site: str | os.PathLike[str] | None = None, *,
         cache_folder: Path | None = None) -> Loaded:
    """The bundled catalog, with a site catalog merged over it when `site` is given.

    A site row replaces the fields it gives of the bundled row; only those rows are built
    again. Raises CatalogError naming file, entry and field; never returns half a catalog.
    cache_folder: where the checked bundled rows are kept between starts (the window's).
    """
    built, info = _bundled_rows(cache_folder)
    rows = {table: dict(built[table]) for table in TABLES}
    origin = {(t, k): BUNDLED_FILES[t] for t in TABLES for k in built[t]}
    changes: list[Change] = []
    site_meta: dict[str, Any] = {}
    site_necessity = None
    data: dict[str, Any] | None = None
    if site is not None:
        bundled, _ = _bundled_raw()
        data = read_site(site)
        site_meta = data.get("catalog", {})
        if data.get("coverage"):  # refuses a bad list by file and entry
            from ivigcalc.data import necessity  # ICD-10 lists: only for a site's coverage

            site_necessity = necessity.with_site(data["coverage"], str(site))
        for table in TABLES:
            for key, row in data.get(table, {}).items():
                origin[(table, key)] = str(site)
                before = bundled[table].get(key)
                if before is None:
                    changes.append(Change(table, key, None))
                else:
                    changes.extend(Change(table, key, name, before.get(name), value)
                                   for name, value in row.items() if before.get(name) != value)
                rows[table][key] = _build(table, str(site), key, {**(before or {}), **row})
        _cross_check(rows, origin)
    cms = _cms(data, str(site) if site is not None else None, rows, changes)
    catalog = Catalog(
        quarter=max([info["quarter"], *_site_labels(data)]),
        checked=info["checked"], name=info.get("name", ""),
        note=info.get("note", ""), site_path=str(site) if site is not None else None,
        site_name=site_meta.get("name", ""), site_necessity=site_necessity, cms_loader=cms,
        vial_preference_units=site_meta.get("vial_preference_units", 0),
        vial_preference_editable=site_meta.get("vial_preference_editable", False),
        worksheet_folder=site_meta.get("worksheet_folder", ""),
        charges=site_charges(data, str(site)), mue=_mue(data, str(site), changes),
        **rows,
    )
    return Loaded(catalog, changes)


def _mue(data: dict[str, Any] | None, site: str, changes: list[Change]
         ) -> mue.MueTables | None:
    """The site's MUE tables (data/mue.py), checked at load; none bundled."""
    if not data or "mue" not in data:
        return None
    from ivigcalc.data import mue

    tables = mue.from_site(data, site)
    if tables is not None:
        changes.extend(Change("mue", f"{quarter} {name}", None, new=len(rows))
                       for quarter, held in tables.quarters.items()
                       for name, rows in held.items())
    return tables


def site_path_from_env() -> str | None:
    value = os.environ.get(ENV_VAR, "").strip()
    return value or None


def load_with_fallback(site: str | None, *,
                       cache_folder: Path | None = None) -> tuple[Catalog, str | None]:
    """For the window and $IVIGCALC_CATALOG: any failure of the site file falls back.

    Deliberately broad: a clinic must keep working whatever is wrong with the shared file
    (a CatalogError as designed, or a failure nobody foresaw), so every Exception from the
    site file becomes the reason shown beside the bundled catalog.
    """
    if site:
        try:
            return load(site, cache_folder=cache_folder).catalog, None
        except Exception as error:  # see the docstring
            reason = str(error) if isinstance(error, CatalogError) else \
                f"{site}: could not be used ({type(error).__name__}: {error})"
            return load(cache_folder=cache_folder).catalog, (
                f"Site catalog not used: {printable(reason, 300)}. Using the bundled catalog.")
    return load(cache_folder=cache_folder).catalog, None
