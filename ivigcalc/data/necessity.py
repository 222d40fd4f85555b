"""Medical-necessity data: coverage lists per payer and the indications' labeled dose ranges.

Read from resources/coverage.toml and resources/indications.toml (and a site catalog's
[coverage] table), lazily: nothing here is needed before a diagnosis is typed.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib.resources import files
from typing import Any

from ivigcalc.data import icd10
from ivigcalc.data.model import Catalog
from ivigcalc.errors import CatalogError, InputError, printable


@dataclass(frozen=True)
class CoverageList:
    key: str
    name: str
    codes: frozenset[str]
    source: str
    checked: dt.date


@dataclass(frozen=True)
class PayerCoverage:
    lists: tuple[str, ...]
    complete: bool  # a diagnosis on none of the lists is not covered
    prior_auth: bool
    source: str


@dataclass(frozen=True)
class Indication:
    key: str
    name: str
    icd10: tuple[str, ...]
    presets: tuple[str, ...]
    rate_groups: tuple[str, ...]  # the infusion protocols' groups (resources/rates.toml)
    min_g_per_kg: Fraction
    max_g_per_kg: Fraction
    range: str
    source: str

    def named_by(self, code: str) -> bool:
        """D80 names D80.0 … D80.9; L12.3 names L12.30 and L12.31."""
        return any(code == p or code.startswith(p if "." in p else p + ".")
                   for p in self.icd10)


@dataclass(frozen=True)
class Necessity:
    lists: Mapping[str, CoverageList]
    payers: Mapping[str, PayerCoverage]
    indications: Mapping[str, Indication]

    def for_payer(self, payer: str) -> PayerCoverage | None:
        return self.payers.get(payer)

    def indication_for(self, code: str) -> Indication | None:
        return next((i for i in self.indications.values() if i.named_by(code)), None)

    def indication_of_preset(self, key: str) -> Indication | None:
        """The indication a preset (itp-2-day) or a rate group (itp, pi, dm) names."""
        return next((i for i in self.indications.values()
                     if key in i.presets or key == i.key or key in i.rate_groups), None)


def _need(file: str, entry: str, row: Mapping[str, Any], name: str, kind: type) -> Any:
    value = row.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise CatalogError(file, entry, name, f"needs a {kind.__name__}")
    return value


def _strings(file: str, entry: str, row: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = row.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogError(file, entry, name, "needs a list of strings")
    return tuple(value)


def _g_per_kg(file: str, entry: str, row: Mapping[str, Any], name: str) -> Fraction:
    value = row.get(name)
    if not isinstance(value, Fraction | int) or isinstance(value, bool) or not 0 < value <= 10:
        raise CatalogError(file, entry, name, "needs a number of g/kg above 0 and at most 10")
    return Fraction(value)


def build(coverage: Mapping[str, Any], indications: Mapping[str, Any],
          file: str = "coverage.toml") -> Necessity:
    lists = {}
    for key, row in coverage.get("lists", {}).items():
        entry = f"lists.{key}"
        lists[key] = CoverageList(key, _need(file, entry, row, "name", str),
                                  frozenset(_strings(file, entry, row, "codes")),
                                  _need(file, entry, row, "source", str),
                                  _need(file, entry, row, "checked", dt.date))
    payers = {}
    for key, row in coverage.get("payers", {}).items():
        entry = f"payers.{key}"
        named = _strings(file, entry, row, "lists")
        for name in named:
            if name not in lists:
                raise CatalogError(file, entry, "lists", f"'{name}' is not a coverage list")
        payers[key] = PayerCoverage(named, bool(row.get("complete", False)),
                                    bool(row.get("prior_auth", False)),
                                    _need(file, entry, row, "source", str))
    found = {}
    for key, row in indications.get("indications", {}).items():
        entry = f"indications.{key}"
        low = _g_per_kg("indications.toml", entry, row, "min_g_per_kg")
        high = _g_per_kg("indications.toml", entry, row, "max_g_per_kg")
        if low > high:
            raise CatalogError("indications.toml", entry, "min_g_per_kg",
                               "is above max_g_per_kg")
        found[key] = Indication(key, _need("indications.toml", entry, row, "name", str),
                                _strings("indications.toml", entry, row, "icd10"),
                                _strings("indications.toml", entry, row, "presets"),
                                _strings("indications.toml", entry, row, "rate_groups"),
                                low, high, _need("indications.toml", entry, row, "range", str),
                                _need("indications.toml", entry, row, "source", str))
    return Necessity(lists, payers, found)


def _read(name: str) -> dict[str, Any]:
    raw = files("ivigcalc.resources").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(raw, parse_float=Fraction)


def merge(bundled: Mapping[str, Any], site: Mapping[str, Any]) -> dict[str, Any]:
    """A site's [coverage.lists.X] / [coverage.payers.Y] add rows or replace fields."""
    out: dict[str, Any] = {t: {k: dict(v) for k, v in bundled.get(t, {}).items()}
                           for t in ("lists", "payers")}
    for table in ("lists", "payers"):
        for key, row in site.get(table, {}).items():
            out[table].setdefault(key, {}).update(row)
    return out


@cache
def bundled() -> Necessity:
    return build(_read("coverage.toml"), _read("indications.toml"))


MAX_CODES_PER_LIST = 5000


def _site_shape(site: Mapping[str, Any], file: str) -> None:
    """[coverage.lists.KEY] and [coverage.payers.KEY] tables, codes written as codes."""
    for name, rows in site.items():
        if name not in ("lists", "payers") or not isinstance(rows, dict) or \
                any(not isinstance(row, dict) for row in rows.values()):
            raise CatalogError(file, f"coverage.{name}", None, "a site's [coverage] holds "
                               "[coverage.lists.KEY] and [coverage.payers.KEY] tables")
    for key, row in site.get("lists", {}).items():
        codes = row.get("codes", [])
        if isinstance(codes, list) and len(codes) > MAX_CODES_PER_LIST:
            raise CatalogError(file, f"coverage.lists.{key}", "codes",
                               f"{len(codes)} codes; at most {MAX_CODES_PER_LIST}")
        for code in codes if isinstance(codes, list) else ():
            if not isinstance(code, str) or icd10.normalise(code, "codes") != code:
                raise CatalogError(file, f"coverage.lists.{key}", "codes",
                                   f"{printable(str(code), 20)} is not written as an ICD-10-CM "
                                   "code with its dot, e.g. D80.0")


def for_catalog(catalog: Catalog) -> Necessity:
    return catalog.site_necessity or bundled()


def with_site(site: Mapping[str, Any] | None, file: str = "site catalog") -> Necessity:
    """The bundled lists with a site's [coverage] merged over them (CatalogError if bad)."""
    if not site:
        return bundled()
    try:
        _site_shape(site, file)
    except InputError as error:
        raise CatalogError(file, "coverage.lists", "codes", error.detail) from None
    return build(merge(_read("coverage.toml"), site), _read("indications.toml"), file=file)
