"""Load and check resources/rates.toml: label infusion rates, SC site limits, IV→SC factors.

Rates are kept in the unit the label prints (mg/kg/min, mg/kg/h or mL/kg/h) so that a row
can be read against the label line by line; `to_mg_per_kg_min` converts exactly. Every row
is checked when the file loads and an error names the entry and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib.resources import files
from typing import Any

from ivigcalc.data.schema import (
    Choice,
    FieldError,
    ListOf,
    Number,
    Ordered,
    Pattern,
    Record,
    Whole,
)
from ivigcalc.data.tables import DAY, FLAG, NOTE, TEXT
from ivigcalc.data.toml_exact import parse
from ivigcalc.errors import CatalogError, InputError
from ivigcalc.text import kg

FILE = "rates.toml"
RATE_UNITS = ("mg/kg/min", "mg/kg/h", "mL/kg/h")


def to_mg_per_kg_min(value: Fraction, unit: str, mg_per_ml: Fraction) -> Fraction:
    """A label rate in mg/kg/min, exactly (mL/kg/h needs the concentration)."""
    if unit == "mg/kg/min":
        return value
    if unit == "mg/kg/h":
        return value / 60
    return value * mg_per_ml / 60  # mL/kg/h


@dataclass(frozen=True)
class Titration:
    """What fills a label's silence ('increase gradually'): a named, visible rule."""

    step_minutes: int
    rule: str
    source: str
    checked: dt.date


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    presets: tuple[str, ...]


@dataclass(frozen=True)
class IvProtocol:
    product: str
    group: str
    unit: str
    initial: Fraction
    max: Fraction
    source: str
    checked: dt.date
    initial_minutes: int | None = None
    step_minutes: int | None = None
    rates: tuple[Fraction, ...] = ()
    add: Fraction | None = None
    at_risk_max: Fraction | None = None
    at_risk_below: bool = False
    verify: bool = False

    @property
    def key(self) -> str:
        return f"{self.product}/{self.group}"


@dataclass(frozen=True)
class SiteLimit:
    ml_per_site: Fraction
    ml_per_h_per_site: Fraction
    ml_per_h_per_site_from: Fraction | None = None


@dataclass(frozen=True)
class ScProtocol:
    product: str
    group: str
    first_infusions: int
    later: SiteLimit
    source: str
    checked: dt.date
    first: SiteLimit | None = None
    light_below_kg: Fraction | None = None
    first_light: SiteLimit | None = None
    later_light: SiteLimit | None = None
    max_sites: int | None = None
    note: str = ""
    verify: bool = False

    @property
    def key(self) -> str:
        return f"{self.product}/{self.group}"

    def limit(self, weight_kg: Fraction, first: bool) -> tuple[SiteLimit, str]:
        """The label's per-site limit for this patient, and which one it is."""
        light = self.light_below_kg is not None and weight_kg < self.light_below_kg
        if first and self.first is not None:
            chosen = (self.first_light if light else None) or self.first
            count = "first infusion" if self.first_infusions == 1 else \
                f"first {self.first_infusions} infusions"
        else:
            chosen = (self.later_light if light else None) or self.later
            count = "later infusions" if self.first_infusions else "every infusion"
        if light and self.light_below_kg is not None:
            count += f", under {kg(self.light_below_kg)}"
        return chosen, count


@dataclass(frozen=True)
class Conversion:
    product: str
    factor: Fraction
    source: str
    checked: dt.date
    ramp_weeks: tuple[int, ...] = ()
    verify: bool = False


@dataclass(frozen=True)
class RateBook:
    titration: Titration
    groups: Mapping[str, Group]
    iv: Mapping[str, tuple[IvProtocol, ...]]  # product -> its protocols, file order
    sc: Mapping[str, tuple[ScProtocol, ...]]
    convert: Mapping[str, Conversion]

    def group_of(self, indication: str | None) -> Group | None:
        """The group an indication (a preset key or a group key) belongs to."""
        if indication is None or not indication.strip():
            return None
        wanted = indication.strip().lower()
        for group in self.groups.values():
            if wanted == group.key or wanted in group.presets:
                return group
        return None

    def check_indication(self, indication: str | None, presets: Mapping[str, Any]) -> None:
        if indication is None or not indication.strip():
            return
        wanted = indication.strip().lower()
        if wanted not in presets and wanted not in self.groups:
            raise InputError("indication", f"'{indication.strip()}' is not known; accepts "
                             f"{', '.join(dict.fromkeys([*presets, *self.groups]))}")


# --- loading ----------------------------------------------------------------------------

RATE = Number(1000)
MINUTES = Whole(1, 240)
_LIMIT = Record({"ml_per_site": Number(1000, unit="mL"),
                 "ml_per_h_per_site": Number(1000, unit="mL/h"),
                 "ml_per_h_per_site_from": Number(1000, unit="mL/h")},
                required=frozenset({"ml_per_site", "ml_per_h_per_site"}),
                order=(Ordered(("ml_per_h_per_site_from", "ml_per_h_per_site")),),
                make=SiteLimit)
_COMMON = {"source": TEXT, "checked": DAY, "verify": FLAG}
_NEEDS = frozenset({"source", "checked"})
_IV = Record({"unit": Choice(RATE_UNITS), "initial": RATE, "max": RATE,
              "initial_minutes": MINUTES, "step_minutes": MINUTES,
              "rates": ListOf(RATE, high=20), "add": RATE, "at_risk_max": RATE,
              "at_risk_below": FLAG, **_COMMON},
             required=frozenset({"unit", "initial", "max", *_NEEDS}),
             order=(Ordered(("initial", "at_risk_max", "max")),))
_SC = Record({"first_infusions": Whole(0, 20), "first": _LIMIT, "later": _LIMIT,
              "light_below_kg": Number(200, unit="kg"), "first_light": _LIMIT,
              "later_light": _LIMIT, "max_sites": Whole(1, 50), "note": NOTE, **_COMMON},
             required=frozenset({"first_infusions", "later", *_NEEDS}))
_CONVERT = Record({"factor": Number(3), "ramp_weeks": ListOf(Whole(1, 52), high=12),
                   **_COMMON}, required=frozenset({"factor", *_NEEDS}))
_TITRATION = Record({"step_minutes": MINUTES, "rule": Choice(("double",)), "source": TEXT,
                     "checked": DAY}, required=frozenset({"step_minutes", "rule", *_NEEDS}),
                    make=Titration)
_GROUP = Record({"name": TEXT, "presets": ListOf(Pattern(r"[a-z0-9][a-z0-9-]{0,39}",
                                                           "a preset key like itp-2-day"),
                                                   high=20)},
                required=frozenset({"name", "presets"}))


def _row(spec: Record, entry: str, raw: Any) -> dict[str, Any]:
    try:
        return spec.values(raw)
    except FieldError as error:
        raise CatalogError(FILE, entry, error.name, error.message) from None


def _iv_row(entry: str, product: str, group: str, raw: Any) -> IvProtocol:
    values = _row(_IV, entry, raw)
    if "rates" in values and "add" in values:
        raise CatalogError(FILE, entry, "add", "give rates or add, not both")
    protocol = IvProtocol(product=product, group=group, **values)
    ladder = protocol.rates
    if ladder and (ladder[0] != protocol.initial or list(ladder) != sorted(ladder)
                   or ladder[-1] >= protocol.max):
        raise CatalogError(FILE, entry, "rates", "must start at initial and rise below max")
    if protocol.at_risk_max is not None and protocol.at_risk_max <= protocol.initial:
        raise CatalogError(FILE, entry, "at_risk_max", "must be above initial")
    return protocol


def _sc_row(entry: str, product: str, group: str, raw: Any) -> ScProtocol:
    protocol = ScProtocol(product=product, group=group, **_row(_SC, entry, raw))
    if protocol.first_infusions and protocol.first is None:
        raise CatalogError(FILE, entry, "first", "is needed when first_infusions > 0")
    if (protocol.first_light or protocol.later_light) and protocol.light_below_kg is None:
        raise CatalogError(FILE, entry, "light_below_kg", "is needed for *_light limits")
    return protocol


def _nested(data: dict[str, Any], table: str) -> dict[str, Any]:
    rows = data.get(table, {})
    if not isinstance(rows, dict) or any(not isinstance(r, dict) for r in rows.values()):
        raise CatalogError(FILE, table, None, f"must be tables like [{table}.KEY]")
    return rows


@cache
def load() -> RateBook:
    """The bundled rate book, read and checked once per process."""
    return build(parse((files("ivigcalc.resources") / FILE).read_text(encoding="utf-8"), FILE))


def build(data: dict[str, Any]) -> RateBook:
    """A rate book from parsed TOML, every row checked (CatalogError names entry and field)."""
    unknown = set(data) - {"titration", "groups", "iv", "sc", "convert"}
    if unknown:
        raise CatalogError(FILE, None, None, f"unknown table(s) {', '.join(sorted(unknown))}")
    titration = Titration(**_row(_TITRATION, "titration", data.get("titration")))
    groups = {key: Group(key=key, **_row(_GROUP, f"groups.{key}", row))
              for key, row in _nested(data, "groups").items()}
    iv = {product: tuple(_iv_row(f"iv.{product}.{group}", product, group, row)
                         for group, row in _check_groups("iv", product, rows, groups).items())
          for product, rows in _nested(data, "iv").items()}
    sc = {product: tuple(_sc_row(f"sc.{product}.{group}", product, group, row)
                         for group, row in _check_groups("sc", product, rows, groups).items())
          for product, rows in _nested(data, "sc").items()}
    convert = {product: Conversion(product=product,
                                   **_row(_CONVERT, f"convert.{product}", row))
               for product, row in _nested(data, "convert").items()}
    return RateBook(titration, groups, iv, sc, convert)


def _check_groups(table: str, product: str, rows: dict[str, Any],
                  groups: Mapping[str, Group]) -> dict[str, Any]:
    for group in rows:
        if group not in groups:
            raise CatalogError(FILE, f"{table}.{product}.{group}", None,
                               f"'{group}' is not in [groups]; known: {', '.join(groups)}")
    return rows
