"""The catalog's rows as typed, frozen values: what the engine reads, never the raw TOML.

Why separate: the engine and the window import these types; validation (schema.py,
tables.py) and file reading (files.py) are for the loader only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ivigcalc.errors import InputError, printable

if TYPE_CHECKING:
    from ivigcalc.data.cms.history import CmsHistory  # read on first use, after first paint
    from ivigcalc.data.cms.model import CmsData
    from ivigcalc.data.mue import Mue, MueTables
    from ivigcalc.data.necessity_model import Necessity

TABLES = ("codes", "products", "payers", "policies", "limits", "presets")
ROUTES = ("iv", "sc", "im")
ROUTE_NAMES = {"iv": "intravenous", "sc": "subcutaneous", "im": "intramuscular"}

# The rows are NamedTuples, not frozen dataclasses: the window imports this module before its
# first paint, and on Python 3.11 @dataclass(frozen=True) compiles six methods per class at
# import (32 M instructions for the eight, by valgrind: 3.5% of a start to first paint).
# A NamedTuple is as immutable, compares and hashes by value, and pickles by class;
# change a field with row._replace(field=...). The Catalog, with its cached CMS tables, stays
# a dataclass.


class Code(NamedTuple):
    """A HCPCS code: what one billing unit is (unit_mg), its routes and its dates."""

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


class CodeUse(NamedTuple):
    """A product's code over a span of dates of service (either end open)."""

    code: str
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


class Product(NamedTuple):
    """An immune globulin product: its vial sizes, its codes over time and its routes."""

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
    dose_limits: str | None = None  # "iv": a facilitated SC product dosed like IV (HyQvia)
    # Sizes on the label that no CMS crosswalk lists (no NDC, so no N4 line): accepted when
    # a site stocks them, never among the default sizes.
    labeled_sizes_mg: tuple[Fraction, ...] = ()
    labeled_sizes_source: str = ""

    def dosed_as(self, route: str) -> str:
        """Which route's dose limits and presets fit this product on `route` (iv or sc)."""
        return self.dose_limits or route

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


class Payer(NamedTuple):
    """A payer's billing rules: JW/JZ waste modifiers, KX, its dosing-weight policy."""

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
    ndc_qualifier: str = "UN"  # the N4 unit qualifier the payer wants: UN (vials) or ML
    opps: bool = False  # hospital outpatient: Addendum B status N means packaged, no JW/JZ
    # Administration lines (billing/admin.py): what varies by payer, with its own source.
    administration: bool = True  # False: no 9636x lines at all (Medicare home IVIG)
    push_max_minutes: int = 15  # this many minutes or fewer is a push (96374/96372)
    pump_setup: bool = False  # takes 96371 (an added SC pump set-up) when one is recorded
    administration_note: str = ""
    administration_source: str = ""
    # The 837 payer ids (2010BB NM1*PR NM109) that are this payer, for `check --x12`.
    x12_payer_ids: tuple[str, ...] = ()
    # From this date of service a 340B site's separately payable drug lines carry JG or TB
    # (None: the payer takes neither).
    modifier_340b_from: dt.date | None = None
    # A day that opens two vial sizes (two NDCs) of one code: "lines", one service line per
    # NDC; "nte", one line with the first NDC in loop 2410 and the others in its line note
    # (837P 2400 NTE*ADD, CMS-1500 item 19). Where the payer says which, and how.
    multiple_ndc: str = "lines"
    multiple_ndc_source: str = ""
    # The CMS MUE table a site imported that judges this payer's units (data/mue.py:
    # practitioner, outpatient-hospital or dme); '' takes none.
    mue_table: str = ""

    def jw_applies(self, day: dt.date) -> bool:
        return self.jw and (self.jw_from is None or day >= self.jw_from)

    def jz_required(self, day: dt.date) -> bool:
        return self.jz_required_from is not None and day >= self.jz_required_from

    def takes_340b(self, day: dt.date) -> bool:
        return self.modifier_340b_from is not None and day >= self.modifier_340b_from


class Policy(NamedTuple):
    """How a payer picks the dosing weight: actual, by BMI, or by percent of ideal."""

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


class Limit(NamedTuple):
    """One quantity's soft limits (warn) and hard limits (refuse); None: no limit."""

    soft_min: Fraction | None = None
    soft_max: Fraction | None = None
    hard_min: Fraction | None = None
    hard_max: Fraction | None = None


class Limits(NamedTuple):
    """A set of dose limits: weight, g/kg per day and per course, grams per day..."""

    key: str
    name: str
    weight_kg: Limit
    g_per_kg_per_day: Limit
    g_per_kg_per_course: Limit
    grams_per_day: Limit
    source: str
    checked: dt.date
    height_cm: Limit = Limit()
    # Subcutaneous doses are weekly: one week's infusions against the weekly SC range.
    sc_g_per_kg_per_week: Limit = Limit()
    # No rounding rule may move a dose by more than this (HOPA: 10%).
    rounding_cap_percent: Fraction = Fraction(10)


class Preset(NamedTuple):
    """An indication's usual dose (the Indication list), with its source."""

    key: str
    name: str
    dose_g_per_kg: Fraction
    per: str
    days: int
    range: str
    route: str  # iv or sc: the route the regimen is given by
    source: str
    checked: dt.date
    icd10: str = ""


@dataclass(frozen=True)
class Catalog:
    """Every table of one load, bundled and site rows merged; what the engine reads."""

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
    # The site's vial plan preference ([catalog] vial_preference_units, 0: least waste) and
    # whether the window may change it.
    vial_preference_units: int = 0
    vial_preference_editable: bool = False
    # Where the window's worksheet Save dialog opens ([catalog] worksheet_folder; '':
    # Documents), a shared folder the site files worksheets in.
    worksheet_folder: str = ""
    # Coverage lists with the site file's [coverage] merged in (built at load); None: the
    # bundled lists, read on the first diagnosis checked.
    site_necessity: Necessity | None = None
    # The site's [charges]: USD per billing unit by code (837 SV102/SV203); none bundled.
    charges: Mapping[str, Fraction] = field(default_factory=dict)
    # The MUE tables the site imported (none bundled: CMS's file is the authority).
    mue: MueTables | None = None
    # NDCs, payment limits, OPPS status of every CMS quarter held: each read on first use.
    cms_loader: Callable[[], CmsHistory | None] | None = field(default=None, compare=False,
                                                         repr=False)

    @cached_property
    def cms_history(self) -> CmsHistory | None:
        return self.cms_loader() if self.cms_loader is not None else None

    @property
    def cms(self) -> CmsData | None:
        """The newest CMS quarter held (what an import is compared against); a date of
        service is judged by `cms_on(date)`."""
        return self.cms_history.newest if self.cms_history is not None else None

    def mue_on(self, payer: Payer, code: str, day: dt.date) -> Mue | None:
        """The code's MUE for the payer on a date of service, None when the payer takes no
        table or the site imported none that lists the code."""
        if self.mue is None or not payer.mue_table:
            return None
        return self.mue.on(payer.mue_table, code, day)

    def cms_on(self, day: dt.date) -> CmsData | None:
        """The CMS quarter that judges a date of service (its own, else the nearest)."""
        return self.cms_history.on(day) if self.cms_history is not None else None

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
            shown = printable(key.strip(), 60)
            raise InputError(field, f"'{shown}' is not known; accepts {', '.join(rows)}")
        return rows[wanted]
