"""Medical-necessity data: coverage lists per payer and the indications' labeled dose ranges.

Read from resources/coverage.toml and resources/indications.toml (and a site catalog's
[coverage] table), lazily: nothing here is needed before a diagnosis is typed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from fractions import Fraction
from functools import cache
from importlib.resources import files
from typing import Any

from ivigcalc.data import icd10
from ivigcalc.data.model import Catalog
from ivigcalc.data.necessity_model import (
    CoverageList,
    Indication,
    Label,
    Necessity,
    PayerCoverage,
)
from ivigcalc.data.schema import FieldError, Json, ListOf, Number, Ordered, Pattern, Record, Spec
from ivigcalc.data.tables import DAY, FLAG, ROW_KEY, TEXT, key_problem
from ivigcalc.errors import CatalogError, InputError, printable


class _Icd10Code(Spec):
    """An ICD-10-CM code as the code set writes it (D80.0, with its dot)."""

    def convert(self, value: Any) -> str:
        try:
            if isinstance(value, str) and icd10.normalise(value, "codes") == value:
                return value
        except InputError:
            pass
        shown = printable(str(value), 20)
        raise ValueError(f"{shown} is not written as an ICD-10-CM code with its dot, e.g. D80.0")

    def json(self) -> Json:
        return {"type": "string", "pattern": r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$"}


MAX_CODES_PER_LIST = 5000
_KEYS = ListOf(ROW_KEY, high=50, low=0)
# The tables declared once: the loader converts with them and the site catalog's JSON
# Schema (site_schema.py) includes the [coverage] part.
COVERAGE_ROWS = {
    "lists": Record({"name": TEXT, "codes": ListOf(_Icd10Code(), high=MAX_CODES_PER_LIST,
                                                   make=frozenset),
                     "source": TEXT, "checked": DAY},
                    required=frozenset({"name", "codes", "source", "checked"}),
                    description="a coverage list: the diagnoses it covers"),
    "payers": Record({"lists": _KEYS, "complete": FLAG, "prior_auth": FLAG, "source": TEXT,
                      "checked": DAY}, required=frozenset({"source"}),
                     description="the coverage lists a payer follows"),
}
_INDICATION = Record({
    "name": TEXT, "icd10": ListOf(Pattern(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?",
                                          "an ICD-10-CM code or prefix like D80"), high=100),
    "presets": _KEYS, "rate_groups": _KEYS, "min_g_per_kg": Number(10, unit="g/kg"),
    "max_g_per_kg": Number(10, unit="g/kg"), "range": TEXT, "source": TEXT, "checked": DAY,
}, required=frozenset({"name", "min_g_per_kg", "max_g_per_kg", "range", "source"}),
    order=(Ordered(("min_g_per_kg", "max_g_per_kg")),))
# [labels.PRODUCT]: the indications (keys above) the product's US label carries.
_LABEL = Record({"indications": _KEYS, "source": TEXT, "checked": DAY},
                required=frozenset({"indications", "source", "checked"}))


def _values(spec: Record, file: str, entry: str, row: Any) -> dict[str, Any]:
    try:
        return spec.values(row)
    except FieldError as error:
        raise CatalogError(file, entry, error.name, error.message) from None


def build(coverage: Mapping[str, Any], indications: Mapping[str, Any],
          file: str = "coverage.toml", prefix: str = "") -> Necessity:
    """`prefix` names the table in `file` ('coverage.' in a site catalog)."""
    lists = {}
    for key, row in coverage.get("lists", {}).items():
        v = _values(COVERAGE_ROWS["lists"], file, f"{prefix}lists.{key}", row)
        lists[key] = CoverageList(key, v["name"], v["codes"], v["source"], v["checked"])
    payers = {}
    for key, row in coverage.get("payers", {}).items():
        entry = f"{prefix}payers.{key}"
        v = _values(COVERAGE_ROWS["payers"], file, entry, row)
        named = v.get("lists", ())
        for name in named:
            if name not in lists:
                raise CatalogError(file, entry, "lists", f"'{name}' is not a coverage list")
        payers[key] = PayerCoverage(named, v.get("complete", False), v.get("prior_auth", False),
                                    v["source"])
    found = {}
    for key, row in indications.get("indications", {}).items():
        v = _values(_INDICATION, "indications.toml", f"indications.{key}", row)
        found[key] = Indication(key, v["name"], v.get("icd10", ()), v.get("presets", ()),
                                v.get("rate_groups", ()), v["min_g_per_kg"],
                                v["max_g_per_kg"], v["range"], v["source"])
    labels = {}
    for key, row in indications.get("labels", {}).items():
        entry = f"labels.{key}"
        v = _values(_LABEL, "indications.toml", entry, row)
        for name in v["indications"]:
            if name not in found:
                raise CatalogError("indications.toml", entry, "indications",
                                   f"'{name}' is not an indication")
        labels[key] = Label(key, v["indications"], v["source"], v["checked"])
    return Necessity(lists, payers, found, labels)


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


def _site_shape(site: Mapping[str, Any], file: str) -> None:
    """[coverage.lists.KEY] and [coverage.payers.KEY] tables (their rows are built later)."""
    for name, rows in site.items():
        if name not in COVERAGE_ROWS or not isinstance(rows, dict) or \
                any(not isinstance(row, dict) for row in rows.values()):
            raise CatalogError(file, f"coverage.{printable(str(name), 40)}", None, "a site's "
                               "[coverage] holds [coverage.lists.KEY] and "
                               "[coverage.payers.KEY] tables")
        for key in rows:
            problem = key_problem("payers", key)  # a list or payer key, as people type it
            if problem:
                raise CatalogError(file, f"coverage.{name}.{printable(key, 40)}", None, problem)


def for_catalog(catalog: Catalog) -> Necessity:
    return catalog.site_necessity or bundled()


def with_site(site: Mapping[str, Any] | None, file: str = "site catalog") -> Necessity:
    """The bundled lists with a site's [coverage] merged over them (CatalogError if bad)."""
    if not site:
        return bundled()
    _site_shape(site, file)
    return build(merge(_read("coverage.toml"), site), _read("indications.toml"), file=file,
                 prefix="coverage.")
