"""Load and validate the versioned data in resources/ (codes, products, payers, policies...).

CMS changes HCPCS codes every quarter, so none of these facts live in Python. Every row is
checked at load and an error names the file, the entry and the field. A site catalog (one
TOML file with the same tables) may override fields of bundled rows or add rows; the
bundled files are only ever read.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from ivigcalc.errors import CatalogError, InputError
from ivigcalc.text import plain

ROUTES = ("iv", "sc", "im")
ROUTE_NAMES = {"iv": "intravenous", "sc": "subcutaneous", "im": "intramuscular"}
TABLES = ("codes", "products", "payers", "policies", "limits", "presets")
BUNDLED_FILES = {table: f"{table}.toml" for table in TABLES}
ENV_VAR = "IVIGCALC_CATALOG"


@dataclass(frozen=True)
class Code:
    key: str
    descriptor: str
    unit_mg: Fraction
    routes: tuple[str, ...]
    immune_globulin: bool
    source: str
    checked: dt.date
    effective: dt.date | None = None
    ended: dt.date | None = None
    note: str = ""
    verify: bool = False

    def not_billable_on(self, day: dt.date) -> str:
        """Why the code cannot be billed on this date of service, or '' when it can."""
        if self.effective and day < self.effective:
            return (f"{self.key} takes effect on {self.effective.isoformat()}, after the date "
                    f"of service {day.isoformat()}")
        if self.ended and day > self.ended:
            return f"{self.key} ended on {self.ended.isoformat()}, before {day.isoformat()}"
        return ""

    @property
    def dual_route(self) -> bool:
        """J1561/J1569 cover IV and SC, so the line must say which (JA/JB)."""
        return self.immune_globulin and "iv" in self.routes and "sc" in self.routes


@dataclass(frozen=True)
class CodeUse:
    """A product's code over a span of dates of service (either end open)."""

    code: str
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Product:
    key: str
    name: str
    maker: str
    kind: str
    form: str
    vial_sizes_mg: tuple[Fraction, ...]
    codes: tuple[CodeUse, ...]
    routes: tuple[str, ...]
    source: str
    checked: dt.date
    concentration_mg_per_ml: Fraction | None = None
    note: str = ""

    def code_on(self, day: dt.date) -> str:
        """The product's own HCPCS code on a date of service."""
        for use in self.codes:
            if use.covers(day):
                return use.code
        return self.codes[-1].code

    @property
    def all_codes(self) -> tuple[str, ...]:
        return tuple(use.code for use in self.codes)

    @property
    def label(self) -> str:
        return f"{self.name} ({'IVIG' if self.kind == 'ivig' else 'SCIG'})"


@dataclass(frozen=True)
class Payer:
    key: str
    name: str
    jw: bool
    kx: bool
    dosing_policy: str
    source: str
    checked: dt.date
    jw_from: dt.date | None = None
    jz_required_from: dt.date | None = None
    note: str = ""

    def jw_applies(self, day: dt.date) -> bool:
        return self.jw and (self.jw_from is None or day >= self.jw_from)

    def jz_required(self, day: dt.date) -> bool:
        return self.jz_required_from is not None and day >= self.jz_required_from


@dataclass(frozen=True)
class Policy:
    key: str
    name: str
    rule: str
    source: str
    checked: dt.date
    threshold: Fraction | None = None
    inclusive: bool = False
    min_height_cm: Fraction | None = None
    min_weight_kg_male: Fraction | None = None
    min_weight_kg_female: Fraction | None = None
    note: str = ""

    def passes(self, value: Fraction) -> bool:
        assert self.threshold is not None
        return value >= self.threshold if self.inclusive else value > self.threshold

    @property
    def comparison(self) -> str:
        return "≥" if self.inclusive else ">"


@dataclass(frozen=True)
class Limit:
    soft_min: Fraction | None = None
    soft_max: Fraction | None = None
    hard_min: Fraction | None = None
    hard_max: Fraction | None = None


@dataclass(frozen=True)
class Limits:
    key: str
    name: str
    weight_kg: Limit
    g_per_kg_per_day: Limit
    g_per_kg_per_course: Limit
    grams_per_day: Limit
    source: str
    checked: dt.date
    height_cm: Limit = Limit()


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    dose_g_per_kg: Fraction
    per: str
    days: int
    range: str
    source: str
    checked: dt.date
    icd10: str = ""


@dataclass(frozen=True)
class Catalog:
    quarter: str
    checked: dt.date
    name: str
    codes: Mapping[str, Code]
    products: Mapping[str, Product]
    payers: Mapping[str, Payer]
    policies: Mapping[str, Policy]
    limits: Mapping[str, Limits]
    presets: Mapping[str, Preset]
    site_path: str | None = None
    note: str = ""
    site_name: str = ""

    @property
    def version(self) -> str:
        """What the footer and `--version` print, e.g. '2026-Q4, checked 2026-11-28'."""
        text = f"{self.quarter}, checked {self.checked.isoformat()}"
        if self.site_path:
            text += f" + site catalog {self.site_name or Path(self.site_path).name}"
        return text

    def pick(self, table: str, key: str, field: str) -> Any:
        """A row of `table` by key as a person typed it, or an InputError naming `field`."""
        rows: Mapping[str, Any] = getattr(self, table)
        wanted = key.strip().lower()
        if wanted not in rows:
            raise InputError(field, f"'{key.strip()}' is not known; accepts "
                             f"{', '.join(rows)}")
        return rows[wanted]


# --- field converters: each returns the typed value or raises ValueError(message) ---------

Converter = Callable[[Any], Any]


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be non-empty text")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _day(value: Any) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValueError("must be a date like 2026-01-01 (no quotes)")
    return value


def _positive(value: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise ValueError("must be a number")
    if value <= 0:
        raise ValueError("must be more than zero")
    return Fraction(value)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number of 1 or more")
    return value


def _one_of(*choices: str) -> Converter:
    def convert(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return str(value)
    return convert


def _routes(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or any(r not in ROUTES for r in value):
        raise ValueError(f"must be a non-empty list of {', '.join(ROUTES)}")
    return tuple(value)


def _sizes_g(value: Any) -> tuple[Fraction, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of sizes in g")
    sizes = {_positive(v) * 1000 for v in value}
    return tuple(sorted(sizes, reverse=True))


_CODE_PATTERN = re.compile(r"^[A-Z]\d{4}$")
_ROW_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _code_key(value: Any) -> str:
    if not isinstance(value, str) or not _CODE_PATTERN.match(value):
        raise ValueError("must be a HCPCS code like J1561")
    return value


def _code_uses(value: Any) -> tuple[CodeUse, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a list like [{ code = \"J1599\", until = 2024-12-31 }]")
    uses = []
    for item in value:
        if not isinstance(item, dict) or set(item) - {"code", "from", "until"}:
            raise ValueError("each entry takes code, from and until")
        uses.append(CodeUse(_code_key(item.get("code")),
                            _day(item["from"]) if "from" in item else None,
                            _day(item["until"]) if "until" in item else None))
    return tuple(uses)


def _limit(value: Any) -> Limit:
    names = {"soft_min", "soft_max", "hard_min", "hard_max"}
    if not isinstance(value, dict) or set(value) - names:
        raise ValueError(f"must be a table of {', '.join(sorted(names))}")
    return Limit(**{k: _positive(v) for k, v in value.items()})


# field -> (converter, required); the dataclass field is the same name unless mapped below
_SCHEMAS: dict[str, dict[str, tuple[Converter, bool]]] = {
    "codes": {
        "descriptor": (_text, True), "unit_mg": (_positive, True), "routes": (_routes, True),
        "immune_globulin": (_flag, True), "source": (_text, True), "checked": (_day, True),
        "effective": (_day, False), "ended": (_day, False), "note": (_text, False),
        "verify": (_flag, False),
    },
    "products": {
        "name": (_text, True), "maker": (_text, True), "kind": (_one_of("ivig", "scig"), True),
        "form": (_one_of("liquid", "lyophilized"), True),
        "concentration_percent": (_positive, False), "vial_sizes_g": (_sizes_g, True),
        "code": (_code_key, False), "codes": (_code_uses, False), "routes": (_routes, True),
        "note": (_text, False), "source": (_text, True), "checked": (_day, True),
    },
    "payers": {
        "name": (_text, True), "jw": (_flag, True), "jw_from": (_day, False),
        "jz_required_from": (_day, False), "kx": (_flag, True),
        "dosing_policy": (_text, True), "note": (_text, False), "source": (_text, True),
        "checked": (_day, True),
    },
    "policies": {
        "name": (_text, True), "rule": (_one_of("actual", "bmi", "percent-ibw"), True),
        "threshold": (_positive, False), "inclusive": (_flag, False),
        "min_height_cm": (_positive, False), "min_weight_kg_male": (_positive, False),
        "min_weight_kg_female": (_positive, False), "note": (_text, False),
        "source": (_text, True), "checked": (_day, True),
    },
    "limits": {
        "name": (_text, True), "weight_kg": (_limit, True), "g_per_kg_per_day": (_limit, True),
        "g_per_kg_per_course": (_limit, True), "grams_per_day": (_limit, True),
        "height_cm": (_limit, False), "source": (_text, True), "checked": (_day, True),
    },
    "presets": {
        "name": (_text, True), "dose_g_per_kg": (_positive, True),
        "per": (_one_of("day", "course"), True), "days": (_whole, True),
        "range": (_text, True), "icd10": (_text, False), "source": (_text, True),
        "checked": (_day, True),
    },
}
_CATALOG_META = {"name": (_text, False), "quarter": (_text, True), "checked": (_day, True),
                 "note": (_text, False)}


def _fields(file: str, entry: str, row: Any,
            schema: Mapping[str, tuple[Converter, bool]]) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise CatalogError(file, entry, None, "must be a table")
    for name in row:
        if name not in schema:
            raise CatalogError(file, entry, name,
                               f"unknown field; known fields: {', '.join(schema)}")
    out: dict[str, Any] = {}
    for name, (convert, required) in schema.items():
        if name not in row:
            if required:
                raise CatalogError(file, entry, name, "is missing")
            continue
        try:
            out[name] = convert(row[name])
        except ValueError as error:
            raise CatalogError(file, entry, name, str(error)) from None
    return out


def _build_row(table: str, file: str, key: str, row: Any) -> Any:
    entry = f"{table}.{key}"
    if table == "codes":
        _code_key_checked(file, entry, key)
    elif not _ROW_KEY.match(key):  # people type these keys: lower case, digits and hyphens
        raise CatalogError(file, entry, None, "a key takes lower-case letters, digits and "
                           "hyphens, e.g. bcbs-michigan")
    values = _fields(file, entry, row, _SCHEMAS[table])
    if table == "codes":
        return Code(key=key, **values)
    if table == "products":
        if ("code" in values) == ("codes" in values):
            raise CatalogError(file, entry, "code", "give either code or codes, not both/neither")
        codes = values.pop("codes", None) or (CodeUse(values.pop("code")),)
        values.pop("code", None)
        percent = values.pop("concentration_percent", None)
        sizes = values.pop("vial_sizes_g")
        return Product(key=key, codes=codes, vial_sizes_mg=sizes,
                       concentration_mg_per_ml=percent * 10 if percent is not None else None,
                       **values)
    if table == "policies":
        if values["rule"] != "actual" and "threshold" not in values:
            raise CatalogError(file, entry, "threshold", f"is needed for rule {values['rule']}")
        return Policy(key=key, **values)
    return {"payers": Payer, "limits": Limits, "presets": Preset}[table](key=key, **values)


def _code_key_checked(file: str, entry: str, key: str) -> None:
    try:
        _code_key(key)
    except ValueError as error:
        raise CatalogError(file, entry, None, str(error)) from None


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


def _read_toml(path: Path | Any, label: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle, parse_float=Fraction)  # exact: never a float
    except OSError as error:
        raise CatalogError(label, None, None, f"cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(label, None, None, f"is not valid TOML ({error})") from None


@cache
def _bundled_raw() -> tuple[dict[str, Any], dict[str, Any]]:
    """The bundled tables, parsed once per process (callers get deep copies)."""
    root = files("ivigcalc.resources")
    raw = {}
    for table, name in BUNDLED_FILES.items():
        data = _read_toml(root / name, name)
        if set(data) - {table}:
            raise CatalogError(name, None, None, f"holds only [{table}.*] tables")
        raw[table] = data.get(table, {})
    meta = _read_toml(root / "catalog.toml", "catalog.toml").get("catalog", {})
    return raw, meta


def read_site(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A site catalog's raw tables, with its shape checked (rows are checked on merge)."""
    label = str(path)
    data = _read_toml(Path(path), label)
    unknown = set(data) - set(TABLES) - {"catalog"}
    if unknown:
        raise CatalogError(label, None, None, f"unknown table(s) {', '.join(sorted(unknown))}; "
                           f"a site catalog may hold {', '.join(TABLES)} and catalog")
    for table in TABLES:
        rows = data.get(table, {})
        if not isinstance(rows, dict) or any(not isinstance(r, dict) for r in rows.values()):
            raise CatalogError(label, table, None, f"must be tables like [{table}.key]")
    meta = data.get("catalog", {})
    if set(meta) - {"name", "note"}:
        raise CatalogError(label, "catalog", None, "a site catalog's [catalog] takes name, note")
    return data


@dataclass
class Change:
    """One difference a site catalog makes, for `ivigcalc catalog check`."""

    table: str
    key: str
    field: str | None
    old: Any = None
    new: Any = None

    def describe(self) -> str:
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
    catalog: Catalog
    changes: list[Change] = field(default_factory=list)


def load(site: str | os.PathLike[str] | None = None) -> Loaded:
    """The bundled catalog, with a site catalog merged over it when `site` is given.

    Raises CatalogError naming file, entry and field; never returns half a catalog.
    """
    bundled, meta = _bundled_raw()
    raw = copy.deepcopy(bundled)
    origin = {(t, k): BUNDLED_FILES[t] for t in TABLES for k in raw[t]}
    changes: list[Change] = []
    site_meta: dict[str, Any] = {}
    if site is not None:
        data = read_site(site)
        site_meta = data.get("catalog", {})
        for table in TABLES:
            for key, row in data.get(table, {}).items():
                origin[(table, key)] = str(site)
                if key in raw[table]:
                    for name, value in row.items():
                        old = raw[table][key].get(name)
                        if old != value:
                            changes.append(Change(table, key, name, old, value))
                    raw[table][key].update(row)
                else:
                    changes.append(Change(table, key, None))
                    raw[table][key] = row
    rows: dict[str, dict[str, Any]] = {
        table: {key: _build_row(table, origin[(table, key)], key, row)
                for key, row in raw[table].items()}
        for table in TABLES
    }
    _cross_check(rows, origin)
    info = _fields("catalog.toml", "catalog", meta, _CATALOG_META)
    catalog = Catalog(
        quarter=info["quarter"], checked=info["checked"], name=info.get("name", ""),
        note=info.get("note", ""), site_path=str(site) if site is not None else None,
        site_name=site_meta.get("name", ""), **rows,
    )
    return Loaded(catalog, changes)


def site_path_from_env() -> str | None:
    value = os.environ.get(ENV_VAR, "").strip()
    return value or None


def load_with_fallback(site: str | None) -> tuple[Catalog, str | None]:
    """For the window: a broken site file falls back to the bundled catalog, with the reason."""
    if site:
        try:
            return load(site).catalog, None
        except CatalogError as error:
            return load().catalog, f"Site catalog not used: {error}. Using the bundled catalog."
    return load().catalog, None
